"""``audit-gpu sftp://...``: the GPU machine's folder read over SFTP, for the same checks (docs/sftp-plan.md).

:class:`SftpFileSystem` answers the questions of :class:`ffs_tools.audit.fs.FileSystem` on the server
(links resolved there, ``/bin/sh`` as the server's own binary format); :class:`PrefetchLister` lists the
folders the walk asks for, reading the sub-folders' listings ahead on several SFTP channels while the
walk's visitor looks at one folder at a time. Read-only: nothing is written on the server.
"""

from __future__ import annotations

import errno
import posixpath
import stat
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ffs_tools.audit.fs import Entry
from ffs_tools.audit.walk import Folder
from ffs_tools.errors import UserError
from ffs_tools.remote.sftp import Server
from ffs_tools.remote.wire import listdir_attr, name_of, wire

#: link hops before a path counts as a cycle of links (Linux: 40)
MAX_LINKS = 40


class RemoteEntry:
    """A listed entry with the attributes the server sent along (``lstat``: links are not followed)."""

    __slots__ = ("_attrs", "name")

    def __init__(self, attrs: Any) -> None:
        self.name: str = attrs.filename
        self._attrs = attrs

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return stat.S_ISDIR(self._attrs.st_mode or 0)  # a link is never a folder here: links are not followed

    def is_symlink(self) -> bool:
        return stat.S_ISLNK(self._attrs.st_mode or 0)

    def stat(self, *, follow_symlinks: bool = True) -> Any:
        return self._attrs


class SftpFileSystem:
    """The GPU machine, over one SSH connection."""

    remote = True

    def __init__(self, server: Server) -> None:
        self.server = server

    def _call(self, method: str, *args: Any) -> Any:
        with self.server.channel() as sftp:
            try:
                return getattr(sftp, method)(*(wire(a) for a in args))
            except OSError:
                raise
            except Exception as exc:  # the connection broke: one line, not a finding
                raise UserError(f"{self.server.shown}: the SFTP connection failed: {exc}") from None

    def read_head(self, path: str, size: int) -> bytes:
        with self.server.channel() as sftp, sftp.open(wire(path), "rb") as fh:
            data: bytes = fh.read(size)
            return data

    def readlink(self, path: str) -> str:
        target = self._call("readlink", path)
        if target is None:
            raise OSError(errno.EINVAL, "not a link", path)
        return name_of(target)

    def lexists(self, path: str) -> bool:
        try:
            self._call("lstat", path)
        except OSError:
            return False
        return True

    def exists(self, path: str) -> bool:
        try:
            self._call("stat", path)
        except OSError:
            return False
        return True

    def isdir(self, path: str) -> bool:
        try:
            return stat.S_ISDIR(self._call("stat", path).st_mode or 0)
        except OSError:
            return False

    def listdir(self, path: str) -> list[str]:
        with self.server.channel() as sftp:
            return [a.filename for a in listdir_attr(sftp, path)]

    def loops(self, path: str) -> bool:
        try:
            self.realpath(path)
        except OSError as exc:
            return exc.errno == errno.ELOOP
        return False

    def realpath(self, path: str) -> str:
        """Resolve every link on the server, component by component; a missing component ends the
        resolution (the rest is joined as written, as :func:`os.path.realpath`); ``ELOOP`` after
        :data:`MAX_LINKS` links."""
        parts = deque(p for p in path.split("/") if p)
        resolved, hops = "/", 0
        while parts:
            name = parts.popleft()
            if name in (".", ".."):
                resolved = posixpath.dirname(resolved) if name == ".." else resolved
                continue
            candidate = posixpath.join(resolved, name)
            try:
                attrs = self._call("lstat", candidate)
            except OSError:
                return posixpath.normpath(posixpath.join(candidate, *parts))
            if not stat.S_ISLNK(attrs.st_mode or 0):
                resolved = candidate
                continue
            hops += 1
            if hops > MAX_LINKS:
                raise OSError(errno.ELOOP, "Too many levels of symbolic links", path)
            target = self.readlink(candidate)
            resolved = "/" if target.startswith("/") else resolved
            parts.extendleft(reversed([p for p in target.split("/") if p]))
        return resolved

    def system_head(self) -> bytes | None:
        try:
            return self.read_head(self.realpath("/bin/sh"), 64)
        except OSError:
            return None


class PrefetchLister:
    """Lists folders for the walk (:class:`ffs_tools.audit.walk.Lister`): the next ``depth`` folders on the walk's
    stack are read ahead on the pool's channels (at most ``2 * depth`` listings waiting: memory stays bounded)."""

    def __init__(self, server: Server, pool: ThreadPoolExecutor, workers: int) -> None:
        self.server = server
        self.pool = pool
        self.depth = 2 * max(workers, 1)
        self.pending: dict[str, Future[list[Any]]] = {}

    def __call__(self, folder: Folder) -> Iterable[Entry]:
        fut = self.pending.pop(folder.path, None)
        attrs = fut.result() if fut is not None else self._read(folder.path)
        return [RemoteEntry(a) for a in attrs]

    def ahead(self, stack: list[Folder]) -> None:
        for folder in reversed(stack[-self.depth:]):
            if len(self.pending) >= 2 * self.depth:
                return
            if folder.path not in self.pending:
                self.pending[folder.path] = self.pool.submit(self._read, folder.path)

    def _read(self, path: str) -> list[Any]:
        with self.server.channel() as sftp:
            try:
                return listdir_attr(sftp, path)
            except OSError:
                raise
            except Exception as exc:
                raise UserError(f"{self.server.shown}: the SFTP connection failed: {exc}") from None
