"""Content comparison (``Compare/Variant`` Content, and links under Content or Size): read-only.

Each side is read through a :class:`Reader`: the local file system, or an SFTP server
(:class:`ffs_tools.plan.sftp_listing.RemoteReader`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO, Protocol

from ffs_tools.plan.listing import LinkInfo

_CHUNK = 1 << 20


class Reader(Protocol):
    """Where one side's files are read from."""

    def open(self, path: str) -> AbstractContextManager[IO[bytes]]:
        """The file at ``path``, opened for reading (raises ``OSError``)."""

    def readlink(self, path: str) -> str:
        """The target text of the link at ``path`` (raises ``OSError``)."""


class LocalReader:
    """The local file system."""

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        with open(path, "rb") as fh:
            yield fh

    def readlink(self, path: str) -> str:
        return os.readlink(path)


LOCAL = LocalReader()


def same_content(left: str, right: str, readers: tuple[Reader, Reader] = (LOCAL, LOCAL)) -> bool:
    """Whether two files of equal size hold the same bytes (a read error counts as different)."""
    try:
        with readers[0].open(left) as fl, readers[1].open(right) as fr:
            while True:
                a = fl.read(_CHUNK)
                b = fr.read(_CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def same_link(left: LinkInfo, right: LinkInfo, readers: tuple[Reader, Reader] = (LOCAL, LOCAL)) -> bool:
    """``equalSymlinkContent``: both links point at the same target text."""
    try:
        return readers[0].readlink(left.path) == readers[1].readlink(right.path)
    except OSError:
        return False
