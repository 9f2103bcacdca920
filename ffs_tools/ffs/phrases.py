"""FreeFileSync path phrases: what kind of place a phrase names, and the local folder it means.

docs/formats.md#path-phrases describes the syntax.

A phrase is what stands in ``<Left>``, ``<Right>``, ``<VersioningFolder>``: macros
(``%HOME%``, ``%Date%``), ``~``, relative paths (against the *process* working
directory, not the config's folder), and remote forms (``sftp://``, ``ftp://``,
``mtp:``, ``gdrive:``) that ffs-tools cannot walk.
"""

from __future__ import annotations

import datetime as _dt
import enum
import os
import re
from pathlib import Path


class PathKind(enum.Enum):
    EMPTY = "empty"
    LOCAL = "local"
    SFTP = "sftp"
    FTP = "ftp"
    MTP = "mtp"
    GDRIVE = "gdrive"
    WINDOWS = "windows"  # drive letter, UNC or [volume label]: not a path on Linux

    @property
    def remote(self) -> bool:
        return self in (PathKind.SFTP, PathKind.FTP, PathKind.MTP, PathKind.GDRIVE)

    @property
    def has_recycle_bin(self) -> bool:
        """Whether FreeFileSync can move deleted items to a recycle bin here: not over SFTP, FTP or MTP (their
        ``createRecyclerSession`` throws RecycleBinUnavailable), but Google Drive has one (its trash;
        FreeFileSync/Source/afs/sftp.cpp, ftp.cpp and gdrive.cpp at tag v12.0)."""
        return self not in (PathKind.SFTP, PathKind.FTP, PathKind.MTP)


_TIME_MACROS = {
    "date": "%Y-%m-%d", "time": "%H%M%S", "timestamp": "%Y-%m-%d %H%M%S", "year": "%Y", "month": "%m",
    "monthname": "%b", "day": "%d", "hour": "%H", "min": "%M", "sec": "%S", "weekdayname": "%a", "week": "%V",
}


def kind_of(phrase: str) -> PathKind:
    p = phrase.strip()
    low = p.lower()
    if not p:
        return PathKind.EMPTY
    if low.startswith("sftp:"):
        return PathKind.SFTP
    if low.startswith("ftp:"):
        return PathKind.FTP
    if low.startswith("mtp:") or "/gvfs/mtp:" in low or low.startswith("this pc\\"):
        return PathKind.MTP
    if low.startswith("gdrive:"):
        return PathKind.GDRIVE
    if re.match(r"^[a-z]:([\\/]|$)", low) or p.startswith("\\\\") or re.match(r"^\[[^\]]+\]", p):
        return PathKind.WINDOWS
    return PathKind.LOCAL


def expand_macros(phrase: str, now: _dt.datetime | None = None) -> str:
    """Expand ``%name%``: time macros first, then environment variables; unknown ones stay as they are."""
    moment = now or _dt.datetime.now()

    def repl(mt: re.Match[str]) -> str:
        name = mt.group(1)
        fmt = _TIME_MACROS.get(name.lower())
        if fmt:
            return moment.strftime(fmt)
        if name.lower() == "weekday":
            return str(moment.isoweekday())
        value = os.environ.get(name)
        return value.strip().strip('"') if value is not None else mt.group(0)

    return re.sub(r"%([^%\s]+)%", repl, phrase)


def local_path(phrase: str, cwd: Path | None = None) -> Path | None:
    """The local folder a phrase means, as FreeFileSync on Linux resolves it; None for remote/Windows/empty."""
    if kind_of(phrase) is not PathKind.LOCAL:
        return None
    text = expand_macros(phrase).strip()
    if text == "~" or text.startswith("~/"):
        text = str(Path.home()) + text[1:]
    path = Path(text)
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return path


def has_password(phrase: str) -> bool:
    """A stored password: ``pass64=`` option or ``user:password@`` in an sftp/ftp phrase."""
    kind = kind_of(phrase)
    if kind not in (PathKind.SFTP, PathKind.FTP):
        return False
    options = phrase.split("|")[1:]
    if any(o.strip().lower().startswith("pass64=") for o in options):
        return True
    head = re.sub(r"^(s?ftp):[\\/]*", "", phrase.split("|")[0], flags=re.IGNORECASE)
    userinfo = head.split("@")[0] if "@" in head else ""
    return ":" in userinfo
