"""Find the virtualenvs and conda envs of a local project tree, whatever their names.

A folder holding ``pyvenv.cfg`` is a virtualenv, a folder holding
``conda-meta/`` is a conda env. The usual names (``venv``, ``.venv``,
``venv_gpu`` ...) are excluded by name anyway; this scan finds the others
(``env-a100/``, ``tools/py311/``) so that ``generate`` can exclude them too.
The walk follows FreeFileSync's own traversal: a folder that the filter
already excludes is not entered (but is still checked for a marker, so the
report can say "found, already excluded by ..."); symbolic links are not
followed; a found env is not entered.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE
from ffs_tools.filtering.engine import PathFilter


@dataclass(frozen=True)
class FoundEnv:
    """One environment folder, relative to the scanned root (POSIX, no trailing ``/``)."""

    path: str
    marker: str  # "pyvenv.cfg" or "conda-meta/"
    covered_by: str | None  # the filter item that already excludes it, if any


@dataclass(frozen=True)
class ScanResult:
    root: str
    reachable: bool
    envs: tuple[FoundEnv, ...] = ()
    unreadable: tuple[str, ...] = ()
    #: symbolic links the filter passes, ``(path, target)``, sorted (what ``sync.symlinks`` decides about)
    links: tuple[tuple[str, str], ...] = ()

    @property
    def new_envs(self) -> tuple[FoundEnv, ...]:
        """Envs that no existing item excludes yet."""
        return tuple(e for e in self.envs if e.covered_by is None)


def marker_of(folder: Path) -> str | None:
    """``"pyvenv.cfg"`` / ``"conda-meta/"`` when ``folder`` is an environment, else None."""
    for name, is_dir in ((VENV_MARKER_FILE, False), (CONDA_MARKER_DIR, True)):
        try:  # not Path.is_file: it raises for a folder that cannot be searched or a path over PATH_MAX
            mode = os.stat(folder / name).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode) == is_dir and (is_dir or stat.S_ISREG(mode)):
            return name + ("/" if is_dir else "")
    return None


def scan_envs(root: Path, flt: PathFilter) -> ScanResult:
    """Every environment folder below ``root`` (not ``root`` itself), sorted by path."""
    if not root.is_dir():
        return ScanResult(str(root), reachable=False)
    envs: list[FoundEnv] = []
    unreadable: list[str] = []
    links: list[tuple[str, str]] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(root / rel if rel else root) as it:
                entries = [(e.name, e.is_dir(follow_symlinks=False), e.is_symlink()) for e in it]
        except OSError:
            unreadable.append(rel or ".")
            continue
        links += _passing_links(root, rel, [name for name, _, is_link in entries if is_link], flt)
        subdirs = sorted(name for name, is_dir, _ in entries if is_dir)
        for name in subdirs:
            child = f"{rel}/{name}" if rel else name
            marker = marker_of(root / child)
            _passes, traverse = flt.pass_dir(child)
            if marker is not None:
                covered = None
                if not traverse:
                    decision = flt.explain(child, is_dir=True)
                    covered = decision.mask.text if decision.mask else "the filter"
                envs.append(FoundEnv(child, marker, covered))
            elif traverse:
                stack.append(child)
    return ScanResult(str(root), True, tuple(sorted(envs, key=lambda e: e.path)), tuple(sorted(unreadable)),
                      tuple(sorted(links)))


def _passing_links(root: Path, rel: str, names: list[str], flt: PathFilter) -> list[tuple[str, str]]:
    """``(path, target)`` of the links named ``names`` in the folder ``rel`` that the filter passes."""
    out = []
    for name in names:
        child = f"{rel}/{name}" if rel else name
        try:
            target = os.readlink(root / child)
        except OSError:
            continue
        if flt.synced(child, (root / child).is_dir()):
            out.append((child, target))
    return out
