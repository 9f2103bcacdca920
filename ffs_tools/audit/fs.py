"""The file system ``audit-gpu`` reads: the local disk, or the GPU machine over SFTP (docs/sftp-plan.md).

The walk and the rules ask only what this interface offers, so the same checks run on the GPU machine itself
(:data:`LOCAL`) and from the local machine over SFTP (:class:`ffs_tools.audit.sftp_fs.SftpFileSystem`).
Everything here reads; nothing writes.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, Protocol


class Entry(Protocol):
    """A listed folder entry: what the walk and the rules use of :class:`os.DirEntry`."""

    @property
    def name(self) -> str: ...

    def is_dir(self, *, follow_symlinks: bool = True) -> bool: ...

    def is_symlink(self) -> bool: ...

    def stat(self, *, follow_symlinks: bool = True) -> Any: ...


class FileSystem(Protocol):
    """Reading the audited tree's machine (paths are that machine's absolute paths)."""

    #: True over SFTP: the audited folder is not on this machine (no quarantine, no worker processes)
    remote: bool

    def read_head(self, path: str, size: int) -> bytes:
        """Up to ``size`` bytes from the start of the file (raises ``OSError``)."""

    def readlink(self, path: str) -> str: ...

    def lexists(self, path: str) -> bool: ...

    def exists(self, path: str) -> bool:
        """Whether ``path`` exists, following links (a dangling link does not)."""

    def isdir(self, path: str) -> bool: ...

    def listdir(self, path: str) -> list[str]: ...

    def loops(self, path: str) -> bool:
        """Whether following the link at ``path`` runs into a cycle of links."""

    def realpath(self, path: str) -> str:
        """The path with every link resolved (as :func:`os.path.realpath`, non-strict)."""

    def system_head(self) -> bytes | None:
        """The first bytes of an executable of the machine itself (what a foreign binary is told from)."""


class LocalFileSystem:
    """This machine (``audit-gpu`` run on the GPU machine)."""

    remote = False

    def read_head(self, path: str, size: int) -> bytes:
        with open(path, "rb") as fh:
            return fh.read(size)

    def readlink(self, path: str) -> str:
        return os.readlink(path)

    def lexists(self, path: str) -> bool:
        return os.path.lexists(path)

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def isdir(self, path: str) -> bool:
        return os.path.isdir(path)

    def listdir(self, path: str) -> list[str]:
        return os.listdir(path)

    def loops(self, path: str) -> bool:
        try:
            os.stat(path)
        except OSError as exc:
            return exc.errno == errno.ELOOP
        return False

    def realpath(self, path: str) -> str:
        return os.path.realpath(path)

    def system_head(self) -> bytes | None:
        try:
            return self.read_head(os.path.realpath(sys.executable), 64)
        except OSError:
            return None


LOCAL = LocalFileSystem()
