"""One ``sync`` of a config at a time: an ``fcntl`` lock on a file in this user's lock folder.

The lock file is named after the config's resolved path and lives in
``~/.local/state/ffs-tools/locks`` (created 0700, checked to be this user's; the
home folder comes from the password database, so cron, a systemd timer and
RealTimeSync in a desktop session all find the same file whatever their
environment; ``FFS_TOOLS_LOCK_DIR`` overrides it), never next to the config: the
generated configs sit in the local folder that is being synced, and a lock file
there would travel and wake RealTimeSync. An ``fcntl`` lock belongs to the open file
of a live process: when the holder dies (even by SIGKILL) the kernel releases it,
so a stale lock never blocks. The file holds the holder's pid, for the message only.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import pwd
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ffs_tools.errors import UserError


class Busy(Exception):
    """Another ``sync`` of the same config holds the lock (``--no-wait``)."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def lock_dir_path() -> Path:
    """Where this user's lock files live (``FFS_TOOLS_LOCK_DIR``, else under the home folder)."""
    override = os.environ.get("FFS_TOOLS_LOCK_DIR")
    return Path(override) if override else Path(pwd.getpwuid(os.getuid()).pw_dir) / ".local/state/ffs-tools/locks"


def lock_dir() -> Path:
    """This user's private folder for lock files, created when missing."""
    folder = lock_dir_path()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise UserError(f"cannot create the lock folder: {exc.strerror}", str(folder)) from exc
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise UserError("the lock folder is not a folder owned by this user", str(folder))
    return folder


def lock_path(config: Path) -> Path:
    """The lock file of ``config`` (the same file for every spelling of its path)."""
    resolved = str(config.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return lock_dir() / f"{config.name}.{digest}.lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return "another process"
    return f"pid {text}" if text.isdigit() else "another process"


@contextmanager
def sync_lock(config: Path, wait: bool, say: Callable[[str], None]) -> Iterator[int]:
    """Hold the lock of ``config`` for the ``with`` block; wait for it, or raise :class:`Busy`.

    Yields the locked file descriptor: a child process that inherits it (``pass_fds``) keeps the
    lock held after this process dies, so a killed ``sync`` cannot let a second one start while
    its FreeFileSync still runs.
    """
    path = lock_path(config)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = _holder(fd)
            if not wait:
                raise Busy(holder) from None
            say(f"another sync of {config.name} is running ({holder}): waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield fd
    finally:
        os.close(fd)
