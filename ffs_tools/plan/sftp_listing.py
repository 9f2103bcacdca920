"""The ``sftp://`` side of a folder pair as FreeFileSync 12.0 scans it (docs/sftp-plan.md).

The same tree as :mod:`ffs_tools.plan.listing` builds for a local folder, read over SFTP
(``getDirContentFlat`` and ``SingleFolderTraverser`` in ``FreeFileSync/Source/afs/sftp.cpp`` at v12.0):
a directory entry whose attributes say link is a link (its own time), one that says folder is a folder,
anything else (fifos, sockets, devices too) a file with the listed size and time; times are whole
seconds (SFTP version 3 has no more); the fingerprint is 0 ("not supported by SFTP"), so FreeFileSync
detects no move by fingerprint on this side. ``Symlinks=Follow`` asks the server for the target's
attributes (``stat``); a link that cannot be followed is an item error. Several SFTP channels list
folders at once (FreeFileSync lists one at a time); nothing is written.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import IO, Any

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import SymlinkHandling
from ffs_tools.filtering.engine import PathFilter, normalize
from ffs_tools.plan.listing import FileInfo, Folder, LinkInfo, ScanError, Sub, folder_entry
from ffs_tools.remote.sftp import Server, join
from ffs_tools.remote.wire import listdir_attr, name_of, wire

#: SFTP channels that list at once (OpenSSH allows 10 sessions per connection by default)
WORKERS = 8


def exists(server: Server, root: str) -> bool:
    """Whether ``root`` is a folder on the server (following a link, as FreeFileSync's base folder check)."""
    with server.channel() as sftp:
        try:
            return stat.S_ISDIR(sftp.stat(wire(root)).st_mode or 0)
        except OSError:
            return False
        except Exception as exc:
            raise _lost(server, exc) from None


def scan_remote(server: Server, root: str, flt: PathFilter, symlinks: SymlinkHandling, errors: list[ScanError],
                workers: int = WORKERS) -> Folder:
    """The tree below the server folder ``root`` that FreeFileSync compares."""
    top = Folder()
    n = server.channels(workers)
    if n <= 1:
        stack: list[Sub] = [("", "", top)]
        while stack:
            subs, errs = _read_folder(server, root, *stack.pop(), flt, symlinks)
            errors.extend(errs)
            stack.extend(subs)
        return top
    with ThreadPoolExecutor(max_workers=n) as pool:
        pending = [pool.submit(_read_folder, server, root, "", "", top, flt, symlinks)]
        while pending:
            batch, pending = pending, []
            for fut in batch:
                subs, errs = fut.result()
                errors.extend(errs)
                pending.extend(pool.submit(_read_folder, server, root, rel, norm, node, flt, symlinks)
                               for rel, norm, node in subs)
    return top


def _read_folder(server: Server, root: str, rel: str, norm: str, node: Folder, flt: PathFilter,
                 symlinks: SymlinkHandling) -> tuple[list[Sub], list[ScanError]]:
    folder = join(root, rel)
    subs: list[Sub] = []
    errs: list[ScanError] = []
    with server.channel() as sftp:
        try:
            entries = listdir_attr(sftp, folder)
        except OSError as exc:
            return subs, [ScanError(rel, exc.strerror or str(exc))]
        except Exception as exc:
            raise _lost(server, exc) from None
        passes_file: Callable[[str], bool] = flt.file_test(norm)
        for attrs in entries:
            name: str = attrs.filename
            mode = attrs.st_mode
            nname = name.upper() if name.isascii() else normalize(name)
            npath = f"{norm}/{nname}" if norm else nname
            path = f"{rel}/{name}" if rel else name
            if mode is None:
                errs.append(ScanError(path, "File attributes not available."))
            elif stat.S_ISLNK(mode):
                _link(sftp, server, join(folder, name), attrs, flt, symlinks, path, npath, passes_file, node, subs,
                      errs)
            elif stat.S_ISDIR(mode):
                _folder(flt, name, path, npath, node, subs)
            elif passes_file(npath):
                node.files[name] = FileInfo(attrs.st_size or 0, attrs.st_mtime or 0, 0)
    return subs, errs


def _folder(flt: PathFilter, name: str, path: str, npath: str, node: Folder, subs: list[Sub]) -> None:
    sub = folder_entry(flt, path)
    if sub is not None:
        node.folders[name] = sub
        subs.append((path, npath, sub))


def _link(sftp: Any, server: Server, full: str, attrs: Any, flt: PathFilter, symlinks: SymlinkHandling, path: str,
          npath: str, passes_file: Callable[[str], bool], node: Folder, subs: list[Sub],
          errs: list[ScanError]) -> None:
    name: str = attrs.filename
    if symlinks is SymlinkHandling.EXCLUDE:
        return
    if symlinks is SymlinkHandling.DIRECT:
        if passes_file(npath):
            node.links[name] = LinkInfo(attrs.st_mtime or 0, full)
        return
    try:
        target = sftp.stat(wire(full))
    except OSError as exc:
        errs.append(ScanError(path, exc.strerror or str(exc)))
        return
    except Exception as exc:
        raise _lost(server, exc) from None
    if stat.S_ISDIR(target.st_mode or 0):
        _folder(flt, name, path, npath, node, subs)
    elif passes_file(npath):
        node.files[name] = FileInfo(target.st_size or 0, target.st_mtime or 0, 0, followed=True)


def _lost(server: Server, exc: BaseException) -> UserError:
    return UserError(f"{server.shown}: the SFTP connection failed: {str(exc) or type(exc).__name__}")


class RemoteReader:
    """Content and link targets of the server's files, for the Content and Size comparison."""

    def __init__(self, server: Server) -> None:
        self.server = server

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        with self.server.channel() as sftp, sftp.open(wire(path), "rb") as fh:
            fh.prefetch()
            yield fh

    def readlink(self, path: str) -> str:
        with self.server.channel() as sftp:
            target = sftp.readlink(wire(path))
        if target is None:
            raise OSError(f"no link target for {path}")
        return name_of(target)
