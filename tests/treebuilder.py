"""Build trees from the text listings in ``fixtures/trees/`` and take exact snapshots of trees.

The listing format is described in ``fixtures/trees/README.md``: one entry a
line (``path``, ``path/``, ``path = content``, ``path -> target``, with
``mode=`` and ``mtime=`` attributes, ``\\xNN`` escapes for any byte), plus
``@expect CODE PATH`` and ``@args ...`` lines for the audit.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TREES = FIXTURES / "trees"

_ESC = re.compile(rb"\\(x[0-9a-fA-F]{2}|n|t|\\)")


@dataclass
class Entry:
    path: bytes
    kind: str  # "file" | "dir" | "link"
    content: bytes = b""
    target: bytes = b""
    mode: int | None = None
    mtime: str | None = None


@dataclass
class Listing:
    name: str
    entries: list[Entry] = field(default_factory=list)
    expect: list[tuple[str, str]] = field(default_factory=list)
    args: list[str] = field(default_factory=list)


def unescape(text: str) -> bytes:
    """``\\xNN`` -> that byte, ``\\n``, ``\\t``, ``\\\\``; everything else as UTF-8."""
    def sub(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code.startswith(b"x"):
            return bytes([int(code[1:], 16)])
        return {b"n": b"\n", b"t": b"\t", b"\\": b"\\"}[code]

    return _ESC.sub(sub, text.encode("utf-8"))


def parse(path: Path) -> Listing:
    listing = Listing(path.stem)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@expect "):
            code, shown = line.split(None, 2)[1:]
            listing.expect.append((code, shown))
        elif line.startswith("@args "):
            listing.args.extend(line.split()[1:])
        else:
            try:
                listing.entries.append(_entry(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from None
    return listing


def _entry(line: str) -> Entry:
    head, sep, rest = line.partition(" = ")
    if not sep:
        head, sep, rest = line.partition(" -> ")
    tokens = head.split()
    name = unescape(tokens[0])
    kind = "link" if sep == " -> " else ("dir" if name.endswith(b"/") else "file")
    entry = Entry(name.rstrip(b"/"), kind)
    if sep == " = ":
        if kind == "dir":
            raise ValueError("a folder has no content")
        entry.content = unescape(rest)
    elif sep:
        entry.target = unescape(rest.strip())
    for attr in tokens[1:]:
        key, _, value = attr.partition("=")
        if key == "mode":
            entry.mode = int(value, 8)
        elif key == "mtime":
            entry.mtime = value
        else:
            raise ValueError(f"unknown attribute {attr!r}")
    return entry


def _when(spec: str, now: float) -> float:
    m = re.fullmatch(r"-(\d+)([dhm])", spec)
    if m:
        return now - int(m.group(1)) * {"d": 86400, "h": 3600, "m": 60}[m.group(2)]
    return float(spec)


def _target(raw: bytes, root: bytes) -> bytes:
    """Replace ``@PYTHON``, ``@PYHOME`` and ``@ROOT`` (link targets and file contents)."""
    python = os.fsencode(os.path.realpath(sys.executable))
    return raw.replace(b"@PYTHON", python).replace(b"@PYHOME", os.path.dirname(python)).replace(b"@ROOT", root)


def build(listing: Listing, root: Path) -> list[bytes]:
    """Create the listing under ``root``; return the folders made unreadable (to undo with :func:`unlock`)."""
    base = os.fsencode(root)
    os.makedirs(base, exist_ok=True)
    now = time.time()
    for e in listing.entries:
        path = os.path.join(base, e.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if e.kind == "dir":
            os.makedirs(path, exist_ok=True)
        elif e.kind == "link":
            os.symlink(_target(e.target, base), path)
        else:
            with open(path, "wb") as fh:
                fh.write(_target(e.content, base))
    for e in listing.entries:
        if e.mtime is not None:
            t = _when(e.mtime, now)
            os.utime(os.path.join(base, e.path), (t, t), follow_symlinks=False)
    locked = []
    for e in sorted(listing.entries, key=lambda x: -x.path.count(b"/")):
        if e.mode is not None:
            os.chmod(os.path.join(base, e.path), e.mode)
            if e.kind == "dir" and (e.mode & 0o500) != 0o500:
                locked.append(os.path.join(base, e.path))
    return locked


def unlock(paths: list[bytes]) -> None:
    for p in paths:
        if os.path.lexists(p):
            os.chmod(p, 0o755)


def snapshot(root: Path) -> list[tuple[bytes, str, int, int, str]]:
    """Every entry below and including ``root``: (relative path, type, mode, mtime_ns, content hash or
    link target). Two equal snapshots mean the same names, contents, modes and times."""
    base = os.fsencode(root)
    out = []
    stack = [b""]
    while stack:
        rel = stack.pop()
        path = os.path.join(base, rel) if rel else base
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            out.append((rel, "link", st.st_mode, st.st_mtime_ns, os.fsdecode(os.readlink(path))))
        elif stat.S_ISDIR(st.st_mode):
            out.append((rel, "dir", st.st_mode, st.st_mtime_ns, ""))
            stack.extend(os.path.join(rel, n) if rel else n for n in os.listdir(path))
        else:
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            out.append((rel, "file", st.st_mode, st.st_mtime_ns, digest))
    return sorted(out)


def listings() -> list[Path]:
    return sorted(TREES.glob("*.tree"))
