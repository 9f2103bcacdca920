"""Both sides of a folder pair as FreeFileSync scans them (docs/comparison-and-sync.md section 2).

The filter is the project's engine (:class:`~ffs_tools.filtering.engine.PathFilter`, which already
holds FreeFileSync's built-in ``*.ffs_db``/``*.ffs_lock`` excludes): a folder the filter excludes is
not entered; a folder that does not pass but below which an include could match is entered and kept
as an *inactive* folder (FreeFileSync drops it after pairing when it has nothing below it on either
side). Symbolic links follow the ``Symlinks`` setting: ``Exclude`` skips them, ``Direct`` lists them
as links (file filter only), ``Follow`` lists what they point to.

Times are whole seconds (``st_mtime_ns`` floored, as FreeFileSync reads ``tv_sec``); the fingerprint
of a file is its inode number, as FreeFileSync's on a local Linux folder. Nothing here writes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

from ffs_tools.ffs.model import SymlinkHandling
from ffs_tools.filtering.engine import PathFilter, normalize


class FileInfo(NamedTuple):
    """A file (or a followed link to one) as FreeFileSync sees it."""

    size: int
    mtime: int  # whole seconds since 1970
    ino: int  # FreeFileSync's fingerprint on a local folder; 0 = unknown
    followed: bool = False


class LinkInfo(NamedTuple):
    """A symbolic link handled as a link (``Symlinks=Direct``)."""

    mtime: int
    path: str  # full path, to read the target for Content/Size comparison


@dataclass
class Folder:
    """One scanned folder: its files, links and sub folders by name, and whether the filter passes it."""

    files: dict[str, FileInfo] = field(default_factory=dict)
    links: dict[str, LinkInfo] = field(default_factory=dict)
    folders: dict[str, Folder] = field(default_factory=dict)
    active: bool = True


class ScanError(NamedTuple):
    path: str  # relative POSIX path ("" = the base folder)
    message: str


def _seconds(st: os.stat_result) -> int:
    return st.st_mtime_ns // 1_000_000_000


def scan(root: str, flt: PathFilter, symlinks: SymlinkHandling, errors: list[ScanError] | None = None,
         workers: int = 4) -> Folder:
    """The tree below ``root`` that FreeFileSync compares. Unreadable folders are recorded in ``errors``."""
    errs: list[ScanError] = []
    top = scan_sides([root], flt, symlinks, [errs], workers)[0]
    if errors is not None:
        errors.extend(errs)
    return top


def scan_sides(roots: list[str], flt: PathFilter, symlinks: SymlinkHandling, errors: list[list[ScanError]],
               workers: int = 1) -> list[Folder]:
    """Scan several base folders (``errors[i]`` collects those of ``roots[i]``).

    One thread by default: the per-entry work is Python's, so more threads (``workers``) only help where
    reading the disk is the slow part (cold caches, network mounts). A forked second process for the
    other side was measured slower here (pickling the tree back costs more than it saves on two cores).
    """
    tops = [Folder() for _ in roots]
    if workers <= 1:
        for root, top, errs in zip(roots, tops, errors, strict=True):
            _scan_serial(root, flt, symlinks, errs, top)
        return tops
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = [(i, pool.submit(_read_folder, root, "", "", flt, symlinks, top))
                   for i, (root, top) in enumerate(zip(roots, tops, strict=True))]
        while pending:
            batch, pending = pending, []
            for i, fut in batch:
                subs, folder_errors = fut.result()
                errors[i].extend(folder_errors)
                pending.extend((i, pool.submit(_read_folder, roots[i], rel, norm, flt, symlinks, node))
                               for rel, norm, node in subs)
    return tops


def _scan_serial(root: str, flt: PathFilter, symlinks: SymlinkHandling, errs: list[ScanError], top: Folder) -> None:
    stack = [("", "", top)]
    while stack:
        rel, norm, node = stack.pop()
        subs, folder_errors = _read_folder(root, rel, norm, flt, symlinks, node)
        errs.extend(folder_errors)
        stack.extend(subs)


Sub = tuple[str, str, Folder]


def _read_folder(root: str, rel: str, norm: str, flt: PathFilter, symlinks: SymlinkHandling,
                 node: Folder) -> tuple[list[Sub], list[ScanError]]:
    """Fill ``node`` with the entries of the folder at ``rel`` that pass; return the sub folders to enter."""
    folder = os.path.join(root, rel) if rel else root
    subs: list[Sub] = []
    errs: list[ScanError] = []
    try:
        it = os.scandir(folder)
    except OSError as exc:
        return subs, [ScanError(rel, _message(exc))]
    passes_file: Callable[[str], bool] = flt.file_test(norm)
    files = node.files
    with it:
        for de in it:
            name = de.name
            try:
                if de.is_file(follow_symlinks=False):  # the common case first, with no more work than needed
                    nname = name.upper() if name.isascii() else normalize(name)
                    if passes_file(f"{norm}/{nname}" if norm else nname):
                        st = de.stat(follow_symlinks=False)
                        files[name] = FileInfo(st.st_size, st.st_mtime_ns // 1_000_000_000, st.st_ino)
                    continue
                path = f"{rel}/{name}" if rel else name
                nname = name.upper() if name.isascii() else normalize(name)
                npath = f"{norm}/{nname}" if norm else nname
                if de.is_dir(follow_symlinks=False):
                    sub = folder_entry(flt, path)
                    if sub is not None:
                        node.folders[name] = sub
                        subs.append((path, npath, sub))
                elif de.is_symlink():
                    _link_entry(de, flt, symlinks, path, npath, passes_file, node, subs)
                elif passes_file(npath):  # fifos, sockets, devices: FreeFileSync lists them as files
                    st = de.stat(follow_symlinks=False)
                    files[name] = FileInfo(st.st_size, _seconds(st), st.st_ino)
            except OSError as exc:
                errs.append(ScanError(f"{rel}/{name}" if rel else name, _message(exc)))
    return subs, errs


def folder_entry(flt: PathFilter, path: str) -> Folder | None:
    passes, traverse = flt.pass_dir(path)
    if not traverse:
        return None
    return Folder(active=passes)


def _link_entry(de: os.DirEntry[str], flt: PathFilter, symlinks: SymlinkHandling, path: str, npath: str,
                passes_file: Callable[[str], bool], node: Folder, subs: list[Sub]) -> None:
    if symlinks is SymlinkHandling.EXCLUDE:
        return
    if symlinks is SymlinkHandling.DIRECT:
        if passes_file(npath):  # FreeFileSync: "always use file filter: link type may not be stable"
            st = de.stat(follow_symlinks=False)
            node.links[de.name] = LinkInfo(_seconds(st), de.path)
        return
    st = os.stat(de.path)  # Follow: the target, listed under the link's name (a dangling link raises)
    if stat.S_ISDIR(st.st_mode):
        sub = folder_entry(flt, path)
        if sub is not None:
            node.folders[de.name] = sub
            subs.append((path, npath, sub))
    elif passes_file(npath):
        node.files[de.name] = FileInfo(st.st_size, _seconds(st), st.st_ino, followed=True)


def _message(exc: OSError) -> str:
    return exc.strerror or str(exc)
