"""The file system as the operating system hands it over.

- safe writes: :func:`atomic_write` (atomic replace, never a half-written file);
- names and paths that are too long or not UTF-8: :func:`open_long` opens a
  folder whose path exceeds the system's limit step by step; :func:`display`
  turns a path kept with surrogate escapes (``os.fsdecode``) into one printable,
  valid UTF-8 line for reports and messages.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, rename).

    An existing file keeps its permission bits unless ``mode`` is given.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class NotRegularError(OSError):
    """Not a regular file (a folder, FIFO, device or socket; with ``follow=False`` a link): never read."""


def read_regular(path: str | os.PathLike[str], limit: int, follow: bool = True) -> bytes:
    """At most ``limit`` bytes of a regular file, opened without blocking and checked with ``fstat`` first:
    a FIFO named like a config or a policy is refused instead of waiting forever for a writer.

    Raises :class:`NotRegularError` (``strerror`` says what it is) or the ``OSError`` of the open.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotRegularError(exc.errno, "it is a symbolic link", os.fspath(path)) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, device or socket)"
            raise NotRegularError(errno.EINVAL, f"it is {what}", os.fspath(path))
        chunks: list[bytes] = []
        size = 0
        while size < limit:
            chunk = os.read(fd, limit - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


#: paths at least this long (in bytes) are opened step by step (Linux PATH_MAX is 4096 with the NUL)
LONG_PATH = 3900


def open_long(path: str) -> int:
    """Open a folder whose path is too long for one system call: ``openat`` chunk by chunk."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for part in (p for p in path.split("/") if p):
        n = len(os.fsencode(part)) + 1
        if current and size + n >= LONG_PATH:
            chunks.append("/".join(current))
            current, size = [], 0
        current.append(part)
        size += n
    chunks.append("/".join(current))
    if path.startswith("/"):
        chunks[0] = "/" + chunks[0]
    flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(chunks[0] or ".", flags)
    try:
        for chunk in chunks[1:]:
            nxt = os.open(chunk, flags | getattr(os, "O_NOFOLLOW", 0), dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def display(path: str) -> str:
    """A path for people and reports, on one line and valid UTF-8.

    Bytes that are not UTF-8 (kept as surrogate escapes) print as ``\\xNN``, control and other
    unprintable characters as ``\\n``, ``\\xNN`` or ``\\uNNNN``, and ``\\`` is doubled so the escapes
    stay unambiguous. Plain names come back unchanged.
    """
    if path.isprintable() and "\\" not in path and not _has_surrogates(path):
        return path
    out: list[str] = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not ch.isprintable() or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _has_surrogates(text: str) -> bool:
    return not text.isascii() and any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


#: test hook: ``STEP:KILL`` / ``STEP:INT`` / ``STEP:SLEEP`` stops (or pauses) :func:`write_together` at step STEP
FAULT_ENV = "FFS_TOOLS_FAULT"
#: the list of renames a :func:`write_together` has committed to (removed when they are all done)
JOURNAL = ".ffs-tools-write.pending"


def fault_point(step: int) -> None:
    """The project's own fault-injection hook (tests only): act when ``$FFS_TOOLS_FAULT`` names ``step``."""
    spec = os.environ.get(FAULT_ENV, "")
    at, _, action = spec.partition(":")
    if not at.isdigit() or int(at) != step:
        return
    if action == "SLEEP":
        time.sleep(1.5)
    else:
        os.kill(os.getpid(), signal.SIGINT if action == "INT" else signal.SIGKILL)
        time.sleep(5)  # the signal arrives before this ends


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` itself (no lock file to sync or to leave behind)."""
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(dir_fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(dir_fd)  # releases the lock


def write_together(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (name -> bytes) into ``folder`` all or nothing (hold :func:`locked` around it).

    Every file goes to a temporary first (fsync); only when all are written is the list of renames
    recorded (:data:`JOURNAL`), then the renames are done. A run stopped before the record leaves only
    temporaries, which :func:`recover` removes; one stopped after it is finished by :func:`recover`.
    """
    temps: dict[str, str] = {}
    try:
        for step, (name, data) in enumerate(files.items(), start=1):
            temps[name] = _write_temp(folder, name, data)
            fault_point(step)
    except BaseException:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(folder / tmp)
        raise
    if temps:
        atomic_write(folder / JOURNAL, "".join(f"{tmp}\t{name}\n" for name, tmp in temps.items()).encode())
        fault_point(99)
        _finish(folder, set(temps), 100)


def recover(folder: Path, names: set[str]) -> None:
    """Finish an interrupted :func:`write_together` (its journal), then remove temporaries it left."""
    if (folder / JOURNAL).is_file():
        _finish(folder, names, None)
    for entry in os.scandir(folder):
        m = _TEMP.fullmatch(entry.name)
        if m and m.group(1) in names and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


_TEMP = re.compile(r"\.(.+)\.[A-Za-z0-9_]{8}\.tmp")


def _write_temp(folder: Path, name: str, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        target = folder / name
        mode = target.stat().st_mode & 0o7777 if target.is_file() and not target.is_symlink() else None
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return os.path.basename(tmp)


def _finish(folder: Path, names: set[str], first_step: int | None) -> None:
    """Do the renames the journal lists (those not done yet), then remove the journal.

    Only renames of one of our temporaries onto one of ``names`` (the files being generated) are done:
    a journal that came from elsewhere (a pull request) cannot move anything over another file.
    """
    lines = read_regular(folder / JOURNAL, 2**20, follow=False).decode("utf-8", "replace").splitlines()
    for step, line in enumerate(lines):
        tmp, _, name = line.partition("\t")
        m = _TEMP.fullmatch(tmp)
        if "/" in tmp or name not in names or m is None or m.group(1) != name:
            continue  # not a rename this module would record
        with contextlib.suppress(FileNotFoundError):
            os.rename(folder / tmp, folder / name)
        if first_step is not None:
            fault_point(first_step + step)
    _fsync_dir(folder)
    os.unlink(folder / JOURNAL)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
