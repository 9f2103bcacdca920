"""Which items of a folder FreeFileSync would copy into an empty folder.

The traversal is FreeFileSync's: a folder excluded by the filter is never
entered; a folder that does not pass but below which an include could match is
entered, and created only as the parent of items that pass. The tree comes
from a :class:`Lister` (the disk, or a list of paths in tests), so the same
code answers for real folders and for conformance cases.

The walk is iterative (any depth) and does the per-folder part of the filter
once per folder (:meth:`PathFilter.file_test`): preview must stay well
ahead of FreeFileSync's own scan on trees of hundreds of thousands of files.
"""

from __future__ import annotations

import gc
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ffs_tools.ffs.model import FilterConfig, SizeUnit, SymlinkHandling, TimeSpanType
from ffs_tools.filtering.engine import PathFilter, normalize


class Entry(NamedTuple):
    name: str
    is_dir: bool
    size: int = 0
    mtime: float = 0.0


#: lists the entries of the folder at a relative POSIX path ("" = the base folder)
Lister = Callable[[str], Iterable[Entry]]


class SyncedItem(NamedTuple):
    path: str  # relative POSIX path, folders end in "/"
    is_dir: bool
    size: int = 0


@dataclass(frozen=True)
class SoftFilter:
    """Size and time limits: applied to files; when active, folders are not items.

    docs/filter-semantics.md#size-and-time-limits
    """

    size_min: int | None = None
    size_max: int | None = None
    newer_than: float | None = None

    @property
    def active(self) -> bool:
        return self.size_min is not None or self.size_max is not None or self.newer_than is not None

    @property
    def lets_nothing_through(self) -> bool:
        """Whether no file can pass (a minimum above the maximum); folders are then no items either."""
        return self.size_min is not None and self.size_max is not None and self.size_min > self.size_max

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


def synced_items(flt: PathFilter, lister: Lister, soft: SoftFilter | None = None) -> list[SyncedItem]:
    """Every item FreeFileSync would create in an empty target, each folder before its contents."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the walk makes hundreds of thousands of small objects and no reference cycles
    try:
        return _walk(flt, lister, soft or SoftFilter())
    finally:
        if gc_was_enabled:
            gc.enable()


def _walk(flt: PathFilter, lister: Lister, soft: SoftFilter) -> list[SyncedItem]:
    soft_active = soft.active
    out: list[SyncedItem] = []
    pending: list[SyncedItem] = []  # folders entered that exist in the target only if something below passes
    # frame: (relative path, normalised path, its entries, the file test of the folder, len(pending) when entered)
    stack = [("", "", iter(lister("")), flt.file_test(""), 0)]
    while stack:
        rel, norm, entries, passes_file, mark = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            del pending[mark:]  # a folder still pending had nothing below it that passed
            continue
        name = entry.name
        path = f"{rel}/{name}" if rel else name
        nname = name.upper() if name.isascii() else normalize(name)
        npath = f"{norm}/{nname}" if norm else nname
        if not entry.is_dir:
            if passes_file(npath) and (not soft_active or soft.passes(entry)):
                if pending:
                    out.extend(pending)
                    pending.clear()
                out.append(SyncedItem(path, False, entry.size))
            continue
        passes, traverse = flt.pass_dir(path)
        if not traverse:
            continue
        item = SyncedItem(path + "/", True)
        if passes and not soft_active:
            if pending:
                out.extend(pending)
                pending.clear()
            out.append(item)
            mark = 0
        else:
            mark = len(pending)
            pending.append(item)
        stack.append((path, npath, iter(lister(path)), flt.file_test(npath), mark))
    return out


def _loops(link: str, folder: str) -> bool:
    """Whether a followed folder link points at the folder it is in or one of its ancestors."""
    target = os.path.realpath(link)
    here = os.path.realpath(folder)
    return here == target or here.startswith(target.rstrip("/") + "/")


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


def disk_lister(root: str, symlinks: SymlinkHandling = SymlinkHandling.EXCLUDE, need_stat: bool = True,
                on_error: Callable[[str, OSError], None] | None = None) -> Lister:
    """A lister over a real folder. Symbolic links follow FreeFileSync's ``Symlinks`` setting.

    Without ``need_stat`` file sizes and times are left 0 (no ``stat`` call per file).
    """

    def lister(rel: str) -> list[Entry]:
        folder = os.path.join(root, rel) if rel else root
        out: list[Entry] = []
        try:
            it = os.scandir(folder)
        except OSError as exc:
            if on_error:
                on_error(rel, exc)
            return out
        with it:
            for de in it:
                try:
                    if de.is_file(follow_symlinks=False):
                        if need_stat:
                            st = de.stat(follow_symlinks=False)
                            out.append(Entry(de.name, False, st.st_size, st.st_mtime))
                        else:
                            out.append(Entry(de.name, False))
                    elif de.is_dir(follow_symlinks=False):
                        out.append(Entry(de.name, True))
                    elif de.is_symlink():
                        if symlinks != SymlinkHandling.EXCLUDE:
                            out.append(_link_entry(de, folder, symlinks))
                    elif need_stat:  # fifo, socket, device: FreeFileSync lists them as files
                        st = de.stat(follow_symlinks=False)
                        out.append(Entry(de.name, False, st.st_size, st.st_mtime))
                    else:
                        out.append(Entry(de.name, False))
                except OSError as exc:
                    if on_error:
                        on_error(f"{rel}/{de.name}" if rel else de.name, exc)
        return out

    return lister


def _link_entry(de: os.DirEntry[str], folder: str, symlinks: SymlinkHandling) -> Entry:
    """``Direct``: the link is an item of its own (a file); ``Follow``: it is what it points to."""
    st = de.stat(follow_symlinks=symlinks == SymlinkHandling.FOLLOW)
    is_dir = symlinks == SymlinkHandling.FOLLOW and stat.S_ISDIR(st.st_mode)
    if is_dir and _loops(de.path, folder):
        raise OSError(40, "symbolic link loop (not followed)", de.path)
    return Entry(de.name, is_dir, 0 if is_dir else st.st_size, st.st_mtime)
