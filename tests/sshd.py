"""A real OpenSSH server on 127.0.0.1 for the SFTP tests (no mocks: FreeFileSync and SFTP clients log in for real).

Use: take the session fixture ``sshd`` (tests/conftest.py), mark the test ``@pytest.mark.sshd``; ``sshd.folder("x")``
makes a fresh server-side folder, ``sshd.phrase(path)`` / ``sshd.phrase(path, auth="agent")`` gives the ``sftp://``
phrase for it; under ``CI=true`` a missing sshd/ssh-keygen/ssh-agent fails the test, elsewhere it skips with the reason.

One ``sshd -D -e -f CONFIG`` per test session, on a free port, with a host key, a user key (no passphrase) and an
``authorized_keys`` made for the run, logging in as the account that runs the tests (as root: ``PermitRootLogin
prohibit-password``, keys only). An ``ssh-agent`` holds the same key for FreeFileSync's ``agent`` log-in; both
processes are stopped by their pid at the end. Not as root, sshd serves only the account that starts it (checked by
hand with a throw-away account; a locked account such as ``nobody`` cannot log in: sshd runs without PAM).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from realffs import unavailable

SSHD = "/usr/sbin/sshd"
TOOLS = (SSHD, "ssh-keygen", "ssh-agent", "ssh-add")
PRIVSEP_DIR = Path("/run/sshd")  # sshd started as root refuses to run without its privilege-separation folder
START_TIMEOUT = 10.0


def missing_reason() -> str | None:
    """Why the test server cannot run here, or None."""
    for tool in TOOLS:
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install -y openssh-server openssh-client)"
    return None


def require_sshd() -> None:
    """Skip (or, under CI=true, fail) when the test SSH server cannot run here."""
    reason = missing_reason()
    if reason is not None:
        unavailable(reason)


@dataclass(frozen=True)
class SshServer:
    """The running test server: where it listens, who logs in with which key, and where its folders are."""

    host: str
    port: int
    user: str
    keyfile: Path  # the private key (OpenSSH format, no passphrase) that authorized_keys accepts
    agent_socket: Path  # SSH_AUTH_SOCK of an ssh-agent that holds the same key
    root: Path  # server-side base of the folders made by folder(); the server is this machine
    log: Path  # sshd's own log (-e): read it when a log-in fails
    known_hosts: Path  # a known_hosts file with this server's host key ("[127.0.0.1]:PORT ssh-ed25519 ...")

    def folder(self, name: str) -> Path:
        """A fresh, empty server-side folder ``root/name`` (absolute: what an ``sftp://`` phrase names)."""
        path = self.root / name
        path.mkdir(parents=True, exist_ok=False)
        return path

    def phrase(self, path: Path | str, auth: str = "keyfile", user: str | None = None, port: bool = True,
               options: str = "") -> str:
        """The FreeFileSync ``sftp://`` phrase for server-side ``path``.

        ``auth`` is "keyfile" (``|keyfile=`` this key) or "agent" (``|agent``: FreeFileSync asks the agent in
        SSH_AUTH_SOCK, see agent_env); ``user`` is written as given (encode an ``@`` yourself, as ``%40``);
        ``options`` is appended as is (e.g. "|timeout=5").
        """
        who = self.user if user is None else user
        login = f"{who}@" if who else ""
        where = f"{self.host}:{self.port}" if port else self.host
        auth_opt = f"|keyfile={self.keyfile}" if auth == "keyfile" else "|agent" if auth == "agent" else ""
        text = str(path)
        return f"sftp://{login}{where}{text if text.startswith('/') else '/' + text}{auth_opt}{options}"

    def agent_env(self) -> dict[str, str]:
        """The environment for a process that should log in through the agent."""
        return {**os.environ, "SSH_AUTH_SOCK": str(self.agent_socket)}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(base: Path, port: int) -> str:
    """sshd_config for the run: loopback only, keys only, sftp in-process, room for FreeFileSync's parallel logins."""
    return "\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {base / 'host_ed25519'}",
        f"AuthorizedKeysFile {base / 'authorized_keys'}", f"PidFile {base / 'sshd.pid'}",
        "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no",  # the key files live under /tmp
        "Subsystem sftp internal-sftp", "MaxStartups 64", "MaxSessions 64", "LogLevel VERBOSE", "",
    ])


def _wait_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait until sshd answers with its banner; fail with its log when it exits or never answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited with {proc.returncode}: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(64).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"sshd did not answer on port {port} within {START_TIMEOUT}s: {log.read_text(errors='replace')}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop one process we started, by its pid."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _keys(base: Path) -> Path:
    """Host key, user key and authorized_keys for the run; the user key's path."""
    keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
    subprocess.run([*keygen, "-f", str(base / "host_ed25519"), "-C", "ffs-tools test host"], check=True)
    key = base / "id_ed25519"
    subprocess.run([*keygen, "-f", str(key), "-C", "ffs-tools test user"], check=True)
    shutil.copyfile(base / "id_ed25519.pub", base / "authorized_keys")
    return key


def _start_agent(base: Path, key: Path) -> tuple[subprocess.Popen[bytes], Path]:
    sock = base / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
    subprocess.run(["ssh-add", "-q", str(key)], env=env, check=True, capture_output=True)
    return agent, sock


@contextmanager
def running_sshd() -> Iterator[SshServer]:
    """Start the test server and its agent; stop both (by pid) and remove the run's folder afterwards."""
    require_sshd()
    if os.geteuid() == 0:
        PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="ffs-sshd-"))  # short: a unix socket path has at most 107 bytes
    base.chmod(0o755)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        key = _keys(base)
        agent, sock = _start_agent(base, key)
        procs.append(agent)
        port = _free_port()
        (base / "sshd_config").write_text(_config(base, port), encoding="utf-8")
        log = base / "sshd.log"
        with log.open("wb") as out:
            sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(base / "sshd_config")], stdout=out, stderr=out)
        procs.append(sshd)
        _wait_listening(sshd, port, log)
        root = base / "remote"
        root.mkdir()
        known = base / "known_hosts"
        known.write_text(f"[127.0.0.1]:{port} {(base / 'host_ed25519.pub').read_text(encoding='ascii')}", "ascii")
        user = pwd.getpwuid(os.geteuid()).pw_name
        yield SshServer("127.0.0.1", port, user, key, sock, root, log, known)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        shutil.rmtree(base, ignore_errors=True)


@dataclass(frozen=True)
class Account:
    """A throw-away account on the test server (the server is this machine): its name, ids and home folder."""

    name: str
    uid: int
    gid: int
    home: Path

    def folder(self, server: SshServer, name: str) -> Path:
        """A fresh server-side folder that this account owns (FreeFileSync logged in as it writes there)."""
        path = server.folder(name)
        os.chown(path, self.uid, self.gid)
        return path


@contextmanager
def extra_account(server: SshServer, prefix: str = "ffs@") -> Iterator[Account]:
    """A new local account ``<prefix><random hex>`` (``@`` is allowed: ``useradd --badname``) that logs in with the
    run's key, removed again (``userdel``) afterwards. Needs root; without it the test skips (fails under CI=true)."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        unavailable("a second test account needs root and useradd")
    name = prefix + secrets.token_hex(3)
    home = server.root.parent / f"home-{secrets.token_hex(3)}"
    # -p '*': no password, but not a locked account ("!"), which sshd without PAM refuses even with a key
    subprocess.run(["useradd", "--badname", "-M", "-d", str(home), "-s", "/bin/sh", "-p", "*", name],
                   check=True, capture_output=True)
    try:
        entry = pwd.getpwnam(name)
        home.mkdir()
        os.chown(home, entry.pw_uid, entry.pw_gid)
        yield Account(name, entry.pw_uid, entry.pw_gid, home)
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)
