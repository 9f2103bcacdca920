"""Which items of a folder FreeFileSync would copy into an empty folder.

The traversal is FreeFileSync's: a folder excluded by the filter is never
entered; a folder that does not pass but below which an include could match is
entered, and created only as the parent of items that pass. The tree comes
from a :class:`Lister` (the disk, or a list of paths in tests), so the same
code answers for real folders and for conformance cases.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ffs_tools.filters import PathFilter
from ffs_tools.model import FilterConfig, SizeUnit, SymlinkHandling, TimeSpanType


@dataclass(frozen=True)
class Entry:
    name: str
    is_dir: bool
    size: int = 0
    mtime: float = 0.0


#: lists the entries of the folder at a relative POSIX path ("" = the base folder)
Lister = Callable[[str], Iterable[Entry]]


@dataclass(frozen=True)
class SyncedItem:
    path: str  # relative POSIX path, folders end in "/"
    is_dir: bool
    size: int = 0


@dataclass(frozen=True)
class SoftFilter:
    """Size and time limits (FFS-FORMAT 8.5): applied to files; when active, folders are not items."""

    size_min: int | None = None
    size_max: int | None = None
    newer_than: float | None = None

    @property
    def active(self) -> bool:
        return self.size_min is not None or self.size_max is not None or self.newer_than is not None

    def passes(self, entry: Entry) -> bool:
        if self.size_min is not None and entry.size < self.size_min:
            return False
        if self.size_max is not None and entry.size > self.size_max:
            return False
        return self.newer_than is None or entry.mtime >= self.newer_than

    @classmethod
    def combine(cls, *configs: FilterConfig | None, now: float | None = None) -> SoftFilter:
        """Combined limits: the larger minimum, the smaller maximum, the later start time."""
        mins: list[int] = []
        maxs: list[int] = []
        starts: list[float] = []
        for cfg in configs:
            if cfg is None:
                continue
            if cfg.size_min_unit != SizeUnit.NONE:
                mins.append(cfg.size_min * _UNIT[cfg.size_min_unit])
            if cfg.size_max_unit != SizeUnit.NONE:
                maxs.append(cfg.size_max * _UNIT[cfg.size_max_unit])
            start = _time_start(cfg, now if now is not None else time.time())
            if start is not None:
                starts.append(start)
        return cls(max(mins) if mins else None, min(maxs) if maxs else None, max(starts) if starts else None)


_UNIT = {SizeUnit.BYTE: 1, SizeUnit.KB: 1000, SizeUnit.MB: 1000_000, SizeUnit.NONE: 1}


def _time_start(cfg: FilterConfig, now: float) -> float | None:
    t = time.localtime(now)
    if cfg.time_span_type == TimeSpanType.TODAY:
        return time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))
    if cfg.time_span_type == TimeSpanType.MONTH:
        return time.mktime((t.tm_year, t.tm_mon, 1, 0, 0, 0, 0, 0, -1))
    if cfg.time_span_type == TimeSpanType.YEAR:
        return time.mktime((t.tm_year, 1, 1, 0, 0, 0, 0, 0, -1))
    if cfg.time_span_type == TimeSpanType.LAST_DAYS:
        midnight = time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))
        return midnight - 86400 * max(cfg.time_span - 1, 0)
    return None


def synced_items(flt: PathFilter, lister: Lister, soft: SoftFilter | None = None) -> Iterator[SyncedItem]:
    """Every item FreeFileSync would create in an empty target, parents before children."""
    soft = soft or SoftFilter()
    yield from _walk(flt, lister, "", soft)


def _walk(flt: PathFilter, lister: Lister, rel: str, soft: SoftFilter) -> Iterator[SyncedItem]:
    for entry in sorted(lister(rel), key=lambda e: e.name):
        path = f"{rel}/{entry.name}" if rel else entry.name
        if not entry.is_dir:
            if flt.pass_file(path) and soft.passes(entry):
                yield SyncedItem(path, False, entry.size)
            continue
        passes, traverse = flt.pass_dir(path)
        if not traverse:
            continue
        below = _walk(flt, lister, path, soft)
        if passes and not soft.active:
            yield SyncedItem(path + "/", True)
            yield from below
            continue
        first = next(below, None)
        if first is not None:
            yield SyncedItem(path + "/", True)
            yield first
            yield from below


def list_lister(tree: Iterable[str]) -> Lister:
    """A lister over a conformance-style list: entries ending in ``/`` are folders, parents implied."""
    children: dict[str, dict[str, bool]] = {"": {}}
    for raw in tree:
        is_dir = raw.endswith("/")
        parts = raw.strip("/").split("/")
        for depth in range(len(parts)):
            parent = "/".join(parts[:depth])
            name = parts[depth]
            folder = depth < len(parts) - 1 or is_dir
            children.setdefault(parent, {})
            children[parent][name] = children[parent].get(name, False) or folder
            if folder:
                children.setdefault("/".join(parts[: depth + 1]), {})

    def lister(rel: str) -> list[Entry]:
        return [Entry(n, d) for n, d in children.get(rel, {}).items()]

    return lister


def disk_lister(root: str, symlinks: SymlinkHandling = SymlinkHandling.EXCLUDE,
                on_error: Callable[[str, OSError], None] | None = None) -> Lister:
    """A lister over a real folder. Symbolic links follow FreeFileSync's ``Symlinks`` setting."""

    def lister(rel: str) -> Iterator[Entry]:
        folder = os.path.join(root, rel) if rel else root
        try:
            it = os.scandir(folder)
        except OSError as exc:
            if on_error:
                on_error(rel, exc)
            return
        with it:
            for de in it:
                try:
                    if de.is_symlink():
                        if symlinks == SymlinkHandling.EXCLUDE:
                            continue
                        if symlinks == SymlinkHandling.DIRECT:
                            st = de.stat(follow_symlinks=False)
                            yield Entry(de.name, False, st.st_size, st.st_mtime)
                            continue
                        st = de.stat()  # Follow
                        yield Entry(de.name, stat.S_ISDIR(st.st_mode), st.st_size, st.st_mtime)
                        continue
                    if de.is_dir(follow_symlinks=False):
                        yield Entry(de.name, True)
                    else:
                        st = de.stat(follow_symlinks=False)
                        yield Entry(de.name, False, st.st_size, st.st_mtime)
                except OSError as exc:
                    if on_error:
                        on_error(f"{rel}/{de.name}" if rel else de.name, exc)

    return lister
