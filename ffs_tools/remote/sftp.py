"""Log in to the server of an ``sftp://`` path phrase and read from it (paramiko; docs/sftp-plan.md).

The phrase is split by :func:`ffs_tools.ffs.phrases.parse` (the one parser) and used the way FreeFileSync
12.0 uses it (``FreeFileSync/Source/afs/sftp.cpp`` at v12.0): the port (default 22), ``timeout=`` in
seconds (default 10, at least 1), ``keyfile=`` (macros and ``~`` expanded) or ``agent`` (the agent of
``SSH_AUTH_SOCK``), ``zlib``; the server path is the phrase's path from ``/`` with ``\\`` as ``/``.

Never a password: a phrase with ``user:password@``, ``pass64=`` or ``pwprompt`` is refused (one line
that never shows the secret), so nothing is stored or printed; a phrase without ``keyfile=`` or
``agent`` is refused too (FreeFileSync would log in with an empty password).

Host keys: the server's key must be in ``~/.ssh/known_hosts``, ``/etc/ssh/ssh_known_hosts`` or the file
named by ``FFS_TOOLS_KNOWN_HOSTS``; an unknown or a different key is refused (FreeFileSync 12.0 does not
check host keys at all; ffs-tools reads what it then tells you to delete, so it does). Nothing is written
on the server or in ``known_hosts``.
"""

from __future__ import annotations

import errno
import logging
import os
import posixpath
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ffs_tools.errors import UserError
from ffs_tools.ffs.phrases import PathKind, Phrase, credential_problem, expand_macros, has_password, parse
from ffs_tools.remote.wire import wire

if TYPE_CHECKING:
    import paramiko

DEFAULT_PORT = 22
DEFAULT_TIMEOUT = 10  # seconds, SftpLogin::timeoutSec in FreeFileSync 12.0
KNOWN_HOSTS_ENV = "FFS_TOOLS_KNOWN_HOSTS"
KNOWN_HOSTS_FILES = ("~/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts")


@dataclass(frozen=True)
class Login:
    """What a phrase says about logging in (no password: such phrases are refused)."""

    host: str
    port: int
    user: str
    keyfile: str | None
    agent: bool
    timeout: int
    zlib: bool

    @property
    def key(self) -> tuple[object, ...]:
        return (self.host, self.port, self.user, self.keyfile, self.agent, self.zlib)


def login_of(phrase: str) -> tuple[Login, str]:
    """The login and the server path of an ``sftp://`` phrase; :class:`UserError` for one ffs-tools cannot use."""
    parsed = parse(expand_macros(phrase))
    if parsed.kind is not PathKind.SFTP:
        raise UserError(f"{display(phrase)}: not an sftp:// folder")
    problem = credential_problem(phrase)
    if problem is not None:
        stored = "; ffs-tools never uses a stored password: log in with |keyfile=PATH or |agent"
        raise UserError(f"{display(phrase)}: the phrase {problem}{stored if has_password(phrase) else ''}")
    keyfile = parsed.option("keyfile=")
    agent = parsed.has_option("agent")
    if not keyfile and not agent:
        raise UserError(f"{display(phrase)}: no |keyfile=PATH or |agent: FreeFileSync would log in with an empty "
                        "password; ffs-tools logs in with a key only")
    timeout = _timeout(parsed)
    path = keyfile and os.path.expanduser(keyfile.strip())
    user = parsed.login_name
    login = Login(parsed.host, parsed.port or DEFAULT_PORT, user, path or None, agent and not path, timeout,
                  parsed.has_option("zlib"))
    return login, server_path(parsed)


def _timeout(parsed: Phrase) -> int:
    """``timeout=``: FreeFileSync reads the number at the start of the value (``stringTo<int>``: 0 where there is
    none) and uses at least 1 second; without the option, 10."""
    text = parsed.option("timeout=")
    if text is None:
        return DEFAULT_TIMEOUT
    found = re.match(r"\s*([+-]?[0-9]{1,9})", text)
    return max(1, int(found.group(1)) if found else 0)


def server_path(parsed: Phrase) -> str:
    """FreeFileSync's server path: ``/`` + the phrase's path, ``\\`` as ``/``, without empty parts."""
    parts = [p for p in parsed.path.replace("\\", "/").split("/") if p]
    return "/" + "/".join(parts)


def display(phrase: str) -> str:
    """How FreeFileSync shows an SFTP folder: ``sftp://user@host[:port]/path`` (no options, no password)."""
    parsed = parse(phrase)
    if parsed.kind is not PathKind.SFTP:
        return phrase
    user = parsed.login_name
    port = f":{parsed.port}" if parsed.port not in (None, DEFAULT_PORT) else ""
    path = server_path(parsed)
    return f"sftp://{user + '@' if user else ''}{parsed.host}{port}{path if path != '/' else ''}"


@dataclass
class Server:
    """One SSH connection and the SFTP channels opened on it (one per thread that reads)."""

    login: Login
    client: paramiko.SSHClient
    shown: str
    _free: list[paramiko.SFTPClient] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _opened: int = 0

    @contextmanager
    def channel(self) -> Iterator[paramiko.SFTPClient]:
        """An SFTP channel for this thread alone while the block runs (paramiko's clients are not shared)."""
        with self._lock:
            sftp = self._free.pop() if self._free else None
        if sftp is None:
            sftp = self._open()
        try:
            yield sftp
        finally:
            with self._lock:
                self._free.append(sftp)

    def _open(self) -> paramiko.SFTPClient:
        try:
            sftp = self.client.open_sftp()
        except Exception as exc:
            raise UserError(f"{self.shown}: cannot open an SFTP channel: {_reason(exc)}") from None
        sftp.get_channel().settimeout(self.login.timeout)
        self._opened += 1
        return sftp

    def channels(self, wanted: int) -> int:
        """Open up to ``wanted`` channels in all (a server may allow fewer: OpenSSH's MaxSessions is 10)."""
        while self._opened < wanted:
            try:
                sftp = self.client.open_sftp()
            except Exception:
                break
            sftp.get_channel().settimeout(self.login.timeout)
            with self._lock:
                self._free.append(sftp)
            self._opened += 1
        return max(self._opened, 1)

    def close(self) -> None:
        self.client.close()


def connect(login: Login, shown: str) -> Server:
    """Log in (key file or agent), checking the host key against the known_hosts files."""
    import paramiko

    # paramiko's transport thread logs its errors; without a handler Python would print them on stderr
    logging.getLogger("paramiko").addHandler(logging.NullHandler())
    client = paramiko.SSHClient()
    for name in _known_hosts_files():
        try:
            client.load_system_host_keys(name)
        except OSError:
            continue
        except Exception as exc:
            raise UserError(f"cannot read the known hosts file: {_reason(exc)}", name) from None
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    started = time.monotonic()
    try:
        client.connect(login.host, login.port, login.user or None, key_filename=login.keyfile,
                       allow_agent=login.agent, look_for_keys=False, timeout=login.timeout,
                       banner_timeout=login.timeout, auth_timeout=login.timeout, compress=login.zlib)
    except paramiko.BadHostKeyException:
        client.close()
        raise UserError(f"{shown}: the server's host key is not the one known_hosts has for "
                        f"{_host_id(login)}: refused (someone may be in the middle; check the key with the "
                        "server's admin)") from None
    except paramiko.PasswordRequiredException:
        client.close()
        raise UserError(f"{shown}: the key file {login.keyfile} is protected by a passphrase: add it to "
                        "ssh-agent and use |agent") from None
    except Exception as exc:
        client.close()
        waited = time.monotonic() - started >= login.timeout  # paramiko words a silent server variously
        reason = f"no answer within {login.timeout} s (timeout=)" if waited else _login_reason(exc, login)
        raise UserError(f"{shown}: cannot log in: {reason}") from None
    return Server(login, client, shown)


def _known_hosts_files() -> list[str]:
    extra = os.environ.get(KNOWN_HOSTS_ENV, "")
    return [os.path.expanduser(p) for p in KNOWN_HOSTS_FILES] + ([extra] if extra else [])


def _host_id(login: Login) -> str:
    return login.host if login.port == DEFAULT_PORT else f"[{login.host}]:{login.port}"


def _login_reason(exc: Exception, login: Login) -> str:
    import paramiko

    if isinstance(exc, paramiko.SSHException) and "not found in known_hosts" in str(exc):
        port = f" -p {login.port}" if login.port != DEFAULT_PORT else ""
        return (f"the host key of {_host_id(login)} is not in ~/.ssh/known_hosts (or ${KNOWN_HOSTS_ENV}); "
                f"ffs-tools never accepts an unknown key: log in once with `ssh{port} {login.user or 'USER'}@"
                f"{login.host}`, check the fingerprint and accept it")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {login.timeout} s (timeout=)"
    if isinstance(exc, paramiko.AuthenticationException):
        how = f"the key file {login.keyfile}" if login.keyfile else "the keys of ssh-agent (SSH_AUTH_SOCK)"
        return f"the server did not accept {how} for user {login.user or '(none)'!r}"
    if isinstance(exc, FileNotFoundError) and login.keyfile:
        return f"no key file {login.keyfile}"
    return _reason(exc)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


@dataclass
class Connections:
    """The servers one command logs in to, each once; closed at the end."""

    servers: dict[tuple[object, ...], Server] = field(default_factory=dict)

    def server(self, login: Login, shown: str) -> Server:
        found = self.servers.get(login.key)
        if found is None:
            found = self.servers[login.key] = connect(login, shown)
        return found

    def close(self) -> None:
        for server in self.servers.values():
            server.close()
        self.servers.clear()


@contextmanager
def connections() -> Iterator[Connections]:
    pool = Connections()
    try:
        yield pool
    finally:
        pool.close()


def join(folder: str, name: str) -> str:
    return posixpath.join(folder, name) if name else folder


def read_file(server: Server, path: str, limit: int) -> bytes | None:
    """The bytes of the file at ``path`` (None: it does not exist); a file larger than ``limit`` is not read.

    Raises :class:`OSError` for other failures (``EFBIG`` for a file that is too large)."""
    with server.channel() as sftp:
        try:
            with sftp.open(wire(path), "rb") as fh:
                size = fh.stat().st_size or 0
                if size > limit:
                    raise OSError(errno.EFBIG, f"File is larger than {limit} bytes (ffs-tools limit).")
                fh.prefetch(size)
                data: bytes = fh.read(limit + 1)
                return data
        except FileNotFoundError:
            return None

