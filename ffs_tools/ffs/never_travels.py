"""What must never travel between the local and the GPU machine, in one place.

``generate`` writes these as exclusion items, ``lint`` probes configs with the
filter engine for them, ``audit-gpu`` looks for them on disk. Items are in
FreeFileSync syntax and work at every depth (``*/x`` also matches ``x`` at the
base folder, docs/filter-semantics.md#parsing-a-filter-phrase step 4).
"""

from __future__ import annotations

from dataclasses import dataclass

#: ffs-tools' own files: the policy, the exclusions list and the manifest generate writes next to the configs,
#: and the folder ``generate --prune`` moves stale files into. With the FreeFileSync configs they hold one
#: machine's paths: tracked by git perhaps, but never meant for the GPU machine (``exclude.ffs_tools_files``).
POLICY_FILE = "ffs-policy.toml"
EXCLUSIONS_FILE = "FREEFILESYNC_EXCLUSIONS.txt"
MANIFEST = ".ffs-tools-manifest.json"
PRUNED = ".ffs-tools-pruned"

#: version-control metadata: a folder in a normal clone, a *file* in worktrees and submodules
VCS_NAMES: tuple[str, ...] = (".git", ".hg", ".svn")

#: the usual names of virtualenv folders, the local machine's and the GPU machine's own
VENV_NAMES: tuple[str, ...] = ("venv", ".venv", "venv_gpu", ".venv_gpu", "venv-gpu", ".venv-gpu", "gpu_venv",
                               ".conda")

#: Python and tool caches
CACHE_NAMES: tuple[str, ...] = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                ".ipynb_checkpoints")

#: the names the workflow's checklist uses (the local machine's ``venv``/``.venv``, the GPU machine's
#: ``venv_gpu``, Python's ``__pycache__``): lint reports their gaps as errors, the other names above at a
#: lower severity (``venv-names``/``cache-names`` in ``[tool.ffs-tools.lint]`` replace these)
WORKFLOW_VENV_NAMES: tuple[str, ...] = ("venv", ".venv", "venv_gpu")
WORKFLOW_CACHE_NAMES: tuple[str, ...] = ("__pycache__",)

#: files whose presence makes a folder a virtualenv / conda env
VENV_MARKER_FILE = "pyvenv.cfg"
CONDA_MARKER_DIR = "conda-meta"


@dataclass(frozen=True)
class Exclusion:
    """One exclusion item with the reason it exists (for FREEFILESYNC_EXCLUSIONS.txt and hints)."""

    item: str
    why: str
    group: str


def vcs_item(name: str) -> str:
    """Plain item at every depth: matches the folder (normal clone) *and* the file (worktree, submodule)."""
    return f"*/{name}"


def folder_item(name_or_relpath: str) -> str:
    """Folder-only item at every depth."""
    return f"*/{name_or_relpath.strip('/')}/"


def literal_text(text: str) -> str:
    """``text`` as literal filter text: characters an item cannot hold literally (``*``, ``?``, ``|``, ``\\``,
    control characters, lone surrogates) become ``?`` (one character), as does white space at either end (items
    are trimmed) and a trailing ``:`` (it would make a file-only item)."""
    out = ["?" if (c in "*?|\\" or not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF) else c for c in text]
    for i in (0, -1):
        if out and (out[i].isspace() or (i == -1 and out[i] == ":")):
            out[i] = "?"
    return "".join(out)


def is_conventional_env(name: str) -> bool:
    """Whether ``name`` is one of the usual virtualenv names, excluded at every depth (case-insensitive, as
    FreeFileSync matches)."""
    return name.casefold() in {n.casefold() for n in VENV_NAMES}


def env_item(relpath: str) -> str:
    """The one exclusion item for an environment found at ``relpath`` (POSIX, relative to the base folder).

    A usual name (``venv``, ``.venv``, ``venv_gpu`` ...) is excluded at every depth (``*/venv/``); any other
    environment only at the place it was found, anchored at the base folder (``/miniforge/envs/train/``,
    docs/filter-semantics.md#parsing-a-filter-phrase step 4): its bare name at every depth (``*/train/``)
    would also drop tracked code such as ``src/mlproj/train/``. generate, ``lint --fix`` and FFS112,
    ``audit-gpu --suggest`` and the FFS703/FFS708 hints all take their item from here.
    """
    parts = [p for p in relpath.replace("\\", "/").split("/") if p]
    if not parts:
        raise ValueError("an environment at the base folder itself cannot be excluded by a filter item")
    if is_conventional_env(parts[-1]):
        return folder_item(parts[-1])
    return "/" + "/".join(literal_text(p) for p in parts) + "/"


def default_exclusions() -> list[Exclusion]:
    out = [Exclusion(vcs_item(n), f"{n} metadata at every depth, as a folder (clone, nested repository) and as a "
                     "file (worktree, submodule); the GPU machine has no version control", "vcs")
           for n in VCS_NAMES]
    out += [Exclusion(folder_item(n), f"virtualenv folder '{n}' at every depth: each machine keeps its own "
                      "environment (interpreter paths differ)", "venv") for n in VENV_NAMES]
    out += [Exclusion(folder_item(n), f"cache folder '{n}' at every depth: rebuilt on each machine", "cache")
            for n in CACHE_NAMES]
    return out


def is_own_file(path: str) -> bool:
    """Whether ``path`` (relative, POSIX) is a FreeFileSync config or one of ffs-tools' own files (at any
    depth): a file git may track that need not travel, so a filter that keeps it back loses nothing."""
    from ffs_tools.ffs.model import extension_kind

    parts = path.split("/")
    return (extension_kind(parts[-1]) is not None or parts[-1] in (POLICY_FILE, EXCLUSIONS_FILE, MANIFEST)
            or PRUNED in parts[:-1])
