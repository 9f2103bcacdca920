"""The file system as the operating system hands it over.

- safe writes: :func:`atomic_write` (atomic replace, never a half-written file);
- names and paths that are too long or not UTF-8: :func:`open_long` opens a
  folder whose path exceeds the system's limit step by step; :func:`display`
  turns a path kept with surrogate escapes (``os.fsdecode``) into one printable,
  valid UTF-8 line for reports and messages.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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
