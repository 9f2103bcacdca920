"""``ffs-tools init``: a commented ffs-policy.toml for the project in a folder, from what is found there.

It detects the project name (the folder's name), a git repository, the
virtualenvs and conda envs (any name; :mod:`ffs_tools.policy.envscan`) and the usual
data folders, which it proposes as ``keep.paths``. The text it writes is
checked by the same validation as any policy before it is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.ffs.model import CONFIG_EXTENSIONS, ConfigKind, FilterConfig, config_file_name
from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.filtering.engine import PathFilter
from ffs_tools.policy.envscan import FoundEnv, scan_envs
from ffs_tools.policy.load import POLICY_FILE, slugify

#: top-level folders that usually hold what must reach the other machine
KEEP_CANDIDATES = ("data", "datasets", "models", "checkpoints", "results", "outputs", "runs", "experiments")

#: the hooks as a ``repo: local`` entry running the ``ffs-tools`` installed on this machine (on PATH when git
#: commits: pip in the active venv, pipx, ...). A ``repo: <url>`` form needs a published repository with a
#: tag, which ffs-tools does not have yet. ``files`` matches the config extensions case-insensitively, as
#: FreeFileSync reads them (the same pattern as .pre-commit-hooks.yaml).
PRE_COMMIT_SNIPPET = """\
# .pre-commit-config.yaml: lint FreeFileSync configs and keep the generated ones up to date.
# The hooks run the ffs-tools installed on this machine: it must be on PATH when git commits.
repos:
  - repo: local
    hooks:
      - id: ffs-lint
        name: lint FreeFileSync configs
        entry: ffs-tools lint
        language: system
        files: {files}
      - id: ffs-generate-check
        name: FreeFileSync configs are up to date with the policy
        entry: ffs-tools generate --check
        language: system
        pass_filenames: false
        always_run: true
"""

#: what FreeFileSync writes into the synced folders and git must not track (``init`` adds them to .gitignore)
GITIGNORE_HEADER = "# FreeFileSync's database and lock files, stale files generate --prune set aside (ffs-tools init)"
GITIGNORE_LINES = (".sync.ffs_db", "*.ffs_lock", ".ffs-tools-pruned/")


def pre_commit_snippet() -> str:
    """The snippet, with the ``files`` pattern built from the config extensions FreeFileSync reads."""
    names = "|".join(ext.lstrip(".") for ext in CONFIG_EXTENSIONS)
    return PRE_COMMIT_SNIPPET.format(files=f"(?i)\\.({names})$")


def gitignore_with_ffs_lines(current: bytes | None) -> bytes | None:
    """``current`` .gitignore with :data:`GITIGNORE_LINES` appended where missing (every line of the user
    kept, in order, line ends as they were); None when nothing is missing."""
    text = (current or b"").decode("utf-8", errors="surrogateescape")
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present and "/" + line not in present]
    if not missing:
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith(("\n", "\r")):
        text += newline
    block = ([GITIGNORE_HEADER] if GITIGNORE_HEADER not in present else []) + missing
    return (text + newline.join(block) + newline).encode("utf-8", errors="surrogateescape")


@dataclass(frozen=True)
class Detected:
    name: str
    git: bool
    envs: tuple[FoundEnv, ...]
    keep: tuple[str, ...]
    pyproject: bool
    work_tree: bool = False  # the folder is the top of a git work tree: exclude.gitignore is proposed


def _is_work_tree_top(folder: Path) -> bool:
    """Whether ``folder`` is the top of a git work tree (git itself says so; a stray .git is not enough)."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None or not (folder / ".git").exists():
        return False
    proc = subprocess.run([git, "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                          check=False)
    return proc.returncode == 0 and Path(proc.stdout.strip()).resolve() == folder.resolve()


def detect(folder: Path) -> Detected:
    """What ``init`` finds in ``folder``."""
    base = FilterConfig(exclude=tuple(ex.item for ex in default_exclusions()))
    scan = scan_envs(folder, PathFilter.from_configs(base, None))
    keep = tuple(f"{name}/" for name in KEEP_CANDIDATES if (folder / name).is_dir())
    return Detected(slugify(folder.resolve().name), (folder / ".git").exists(), scan.envs, keep,
                    (folder / "pyproject.toml").is_file(), _is_work_tree_top(folder))


def _s(value: str) -> str:
    """A TOML basic string."""
    return json.dumps(value, ensure_ascii=False)


def policy_text(found: Detected, gpu: str | None, version: str = "", target_line: str = "") -> str:
    """The commented ffs-policy.toml; ``version`` goes into ``[ffs] version`` (with ``target_line`` as the
    comment saying where it came from)."""
    name = found.name
    lines = [
        f"# {POLICY_FILE}: how this project syncs between this machine and the GPU machine(s).",
        "# Written by `ffs-tools init` from what it found here. After any change run `ffs-tools generate`;",
        "# every key is described in the ffs-tools README (\"The policy\").",
    ]
    if found.pyproject:
        lines.append("# (The same tables can live in pyproject.toml under [tool.ffs-tools] instead.)")
    lines += ["", "[project]", f"name = {_s(name)}  # the files are {name}.ffs_gui, .ffs_batch, .ffs_real", "",
              "[local]", 'path = "."  # this folder (relative paths are relative to this file)']
    if found.git:
        lines.append("# found: a git repository. .git (and .hg, .svn) never travel, at any depth, as a folder or "
                     "as a file")
    if found.envs:
        lines.append("# found these environments; they never travel (generate looks for new ones every time):")
        lines += [f"#   {env.path}/  ({env.marker} inside)" for env in found.envs]
    lines += ["", "[gpu]"]
    if gpu:
        lines.append(f"path = {_s(gpu)}")
    else:
        lines += ["# Say where the project lives on the GPU machine, with a key file or the SSH agent (never a",
                  "# password), then run `ffs-tools generate`:",
                  f'# path = "sftp://me@gpu-box/home/me/{name}|agent"',
                  f'# path = "sftp://me@gpu-box/home/me/{name}|keyfile=~/.ssh/id_ed25519"']
    lines += ["# Several GPU machines: one [[gpu]] table each, with a name (files become <name>-<gpu>.*).",
              "", "[sync]",
              'compare = "time-and-size"  # time-and-size | content | size',
              'conflict = "review"  # review | newer-wins',
              "#   review: two-way with a database; a file changed on both sides stops the unattended run until",
              f"#           you resolve it in {config_file_name(name, ConfigKind.GUI)}",
              "#   newer-wins: the newer file wins; deletions do NOT propagate (a deleted file comes back)",
              'deletion = "versioning"  # versioning | recycle-bin (not on SFTP) | permanent',
              f"versioning_folder = {_s('~/.ffs-versions/' + name)}  # outside the project",
              "", "[exclude]", 'extra = []  # more FreeFileSync exclude items, e.g. "*/wandb/", "*.tmp"',
              f"gitignore = {'true' if found.work_tree else 'false'}  # also exclude what the committed .gitignore "
              "files ignore (translated exactly; keep paths still sync)",
              "", "[keep]",
              f"paths = [{', '.join(_s(k) for k in found.keep)}]  # must always sync: generate refuses an exclusion "
              "that drops them",
              "", "[ffs]", f"version = {_s(version)}  # the FreeFileSync that runs the files: generate, lint --policy "
              "and the hooks all use this", f"# ({target_line})",
              "", "# A folder that syncs one way only (its own folder pair):",
              "# [[folders]]", '# path = "models/"', '# direction = "pull"  # pull: GPU -> local; push: local -> GPU',
              ""]
    return "\n".join(lines)
