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
from dataclasses import dataclass
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
    def has_login(self) -> bool:
        """Whether the phrase carries a login (``user[:password]@host[:port]`` and options): sftp: and ftp:."""
        return self in (PathKind.SFTP, PathKind.FTP)

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


@dataclass(frozen=True)
class Phrase:
    """A path phrase split the way FreeFileSync splits it (``createItemPathSftp``/``createItemPathFtp`` in
    ``FreeFileSync/Source/afs/sftp.cpp`` and ``ftp.cpp``, v12.0 and v14.10).

    For ``sftp:``/``ftp:`` FreeFileSync strips the prefix and the slashes after it, takes everything before
    the FIRST ``@`` of the whole phrase as ``user[:password]``, then splits the rest at the first ``|``
    into location and options, and the location at the first ``/`` or ``\\`` into ``host[:port]`` and
    path. Other kinds keep the whole phrase in ``path``.
    """

    text: str
    kind: PathKind
    user: str = ""
    password: str | None = None  # the part after ":" in "user:password@" (None: no ":" there)
    host: str = ""
    port: int | None = None
    path: str = ""
    options: tuple[tuple[str, str | None], ...] = ()  # (name, value after "=" or None), as written

    def option(self, name: str) -> str | None:
        """The value of option ``name`` ("" for a flag such as ``agent``), None when absent (exact name,
        as FreeFileSync compares them)."""
        for key, value in self.options:
            if key == name:
                return value if value is not None else ""
        return None

    def has_option(self, name: str) -> bool:
        return self.option(name) is not None

    @property
    def login_name(self) -> str:
        """The user name FreeFileSync logs in with: ``%40`` -> ``@``, ``%3A``/``%3a`` -> ``:``, then ``%25`` -> ``%``
        (``decodeFtpUsername``, FreeFileSync/Source/afs/ftp_common.h at v12.0; docs/sftp.md#the-phrase)."""
        name = self.user.replace("%40", "@").replace("%3A", ":").replace("%3a", ":")
        return name.replace("%25", "%")

    @property
    def pass64(self) -> bool:
        """A ``pass64=`` option (any case, spaces ignored: the secret is in the text either way)."""
        return any(name.lower().replace(" ", "") == "pass64=" for name, _ in self.options)


def parse(phrase: str) -> Phrase:
    """Split ``phrase`` into its parts; never raises."""
    kind = kind_of(phrase)
    text = phrase.strip()
    if not kind.has_login:
        return Phrase(phrase, kind, path=text)
    body = text.split(":", 1)[1].lstrip("/\\")
    credentials, at, rest = body.partition("@")
    if not at:
        credentials, rest = "", body
    user, colon, password = credentials.partition(":")
    location, _, opts = rest.partition("|")
    cut = min((i for i in (location.find("/"), location.find("\\")) if i >= 0), default=len(location))
    host, port = _host_port(location[:cut])
    options = []
    for raw in opts.split("|"):
        item = raw.strip()
        if item:
            name, eq, value = item.partition("=")
            options.append((name + eq, value) if eq else (name, None))
    return Phrase(phrase, kind, user, password if colon else None, host, port, location[cut:], tuple(options))


def _host_port(server: str) -> tuple[str, int | None]:
    """``host[:port]``, ``[ipv6]:port`` or a bare IPv6 address (FreeFileSync's parseIpv6Address first)."""
    m = re.fullmatch(r"\[([^\]]*)\](?::(\d*))?", server)
    if m:
        return m.group(1), _port(m.group(2) or "")
    if server.count(":") > 1:
        return server, None
    host, _, port = server.partition(":")
    return host, _port(port)


def _port(text: str) -> int | None:
    """A TCP port (1-65535), or None for none or one that is not a port (never a huge-number conversion)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 5:
        return None
    number = int(text)
    return number if 0 < number <= 65535 else None


def credential_problem(phrase: str) -> str | None:
    """What stores or asks for a password in ``phrase`` (never the secret itself); None when nothing does.

    Option names are compared without case here (FreeFileSync ignores a misspelt ``PASS64=``, but the
    secret is in the file all the same).
    """
    parsed = parse(phrase)
    if not parsed.kind.has_login:
        return None
    if parsed.password is not None:
        return "contains a password (user:password@host)"
    if parsed.pass64:
        return "contains pass64= (a base64-encoded password)"
    if any(name.lower().strip() == "pwprompt" for name, _ in parsed.options):
        return ("pwprompt asks for a password at run time: an unattended batch would wait for it forever; "
                "use |keyfile=PATH or |agent")
    return None


def has_password(phrase: str) -> bool:
    """A stored password: ``pass64=`` option or ``user:password@`` in an sftp/ftp phrase."""
    parsed = parse(phrase)
    return parsed.kind.has_login and (parsed.password is not None or parsed.pass64)
