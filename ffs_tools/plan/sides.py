"""The two base folders of a pair, local or ``sftp://``: where plan scans, reads files and the database.

A local (or mounted) folder is read with the file system; an ``sftp://`` folder over one SSH connection
per server (:mod:`ffs_tools.remote.sftp`, docs/sftp-plan.md). Other remote kinds (``ftp://``, ``mtp:``,
``gdrive:``) and Windows paths cannot be planned here.
"""

from __future__ import annotations

import errno
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import SymlinkHandling
from ffs_tools.ffs.phrases import PathKind, kind_of, local_path
from ffs_tools.filtering.engine import PathFilter
from ffs_tools.plan import checks
from ffs_tools.plan.contents import LOCAL, Reader
from ffs_tools.plan.database import (
    DB_FILE_NAME,
    MAX_DB_FILE_SIZE,
    MSG_CANNOT_READ,
    DatabaseError,
    DbFolder,
    RawDb,
    last_synchronous_state,
    parse_database_bytes,
    read_database_file,
)
from ffs_tools.plan.listing import Folder, ScanError, scan_sides
from ffs_tools.remote.sftp import Connections, Server, display, login_of, read_file


@dataclass(frozen=True)
class Side:
    """One base folder: ``root`` is the local path or the server path; ``shown`` is FreeFileSync's name for it."""

    root: str
    shown: str
    server: Server | None = None

    @property
    def reader(self) -> Reader:
        if self.server is None:
            return LOCAL
        from ffs_tools.plan.sftp_listing import RemoteReader

        return RemoteReader(self.server)

    def exists(self) -> bool:
        if self.server is None:
            return os.path.isdir(self.root)
        from ffs_tools.plan.sftp_listing import exists

        return exists(self.server, self.root)

    def has_trash(self) -> bool:
        """Whether FreeFileSync's recycle bin works here (never over SFTP: ``RecycleBinUnavailable``)."""
        return self.server is None and checks.trash_available(self.root)

    def database(self) -> RawDb | None:
        """This side's ``.sync.ffs_db`` (None: there is none); :class:`DatabaseError` when it cannot be read."""
        if self.server is None:
            try:
                return read_database_file(os.path.join(self.root, DB_FILE_NAME))
            except FileNotFoundError:
                return None
        path = self.root.rstrip("/") + "/" + DB_FILE_NAME
        shown = self.shown.rstrip("/") + "/" + DB_FILE_NAME
        try:
            data = read_file(self.server, path, MAX_DB_FILE_SIZE)
        except OSError as exc:
            code = errno.errorcode.get(exc.errno or 0, "")
            detail = f"{code}: {exc.strerror}" if code else (exc.strerror or str(exc))
            raise DatabaseError(MSG_CANNOT_READ.format(shown), detail) from None
        return None if data is None else parse_database_bytes(shown, data)


def open_side(phrase: str, index: int, name: str, pool: Connections) -> Side:
    """The base folder ``phrase`` of pair ``index`` (``name``: "left"/"right"), logged in where it is remote."""
    path = local_path(phrase)
    if path is not None:
        return Side(str(path), str(path))
    kind = kind_of(phrase)
    if kind is not PathKind.SFTP:
        raise UserError(f"pair {index}: the {name} folder {phrase!r} is {kind.value}: not plannable here "
                        "(ffs-tools plans local, mounted and sftp:// folders)")
    login, root = login_of(phrase)
    shown = display(phrase)
    return Side(root, shown, pool.server(login, shown))


def load_database(left: Side, right: Side, ffs_major: int = 14) -> DbFolder | None:
    """The pair's last synchronous state (both files read first, the left file's error wins, as FreeFileSync)."""
    failure: DatabaseError | None = None
    raws: list[RawDb | None] = []
    for side in (left, right):
        try:
            raws.append(side.database())
        except DatabaseError as exc:
            failure = failure or exc
            raws.append(None)
    if failure is not None:
        raise failure
    return last_synchronous_state(raws[0], raws[1], ffs_major=ffs_major)


def scan_pair(sides: list[Side], flt: PathFilter, symlinks: SymlinkHandling,
              errors: list[list[ScanError]]) -> list[Folder]:
    """Scan the given sides at once: the remote ones in a background thread while the local ones scan here."""
    from ffs_tools.plan.sftp_listing import scan_remote

    remote = [i for i, s in enumerate(sides) if s.server is not None]
    local = [i for i, s in enumerate(sides) if s.server is None]
    out: list[Folder] = [Folder() for _ in sides]
    with ThreadPoolExecutor(max_workers=max(1, len(remote))) as pool:
        futures: dict[int, Future[Folder]] = {}
        for i in remote:
            server = sides[i].server
            assert server is not None
            futures[i] = pool.submit(scan_remote, server, sides[i].root, flt, symlinks, errors[i])
        if local:
            found = scan_sides([sides[i].root for i in local], flt, symlinks, [errors[i] for i in local])
            for i, tree in zip(local, found, strict=True):
                out[i] = tree
        for i, fut in futures.items():
            out[i] = fut.result()
    return out
