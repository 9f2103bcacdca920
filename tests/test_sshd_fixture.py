"""The SSH test server itself (tests/sshd.py): OpenSSH's own clients log in with the key file and through the agent,
and what they put arrives on the server's disk; the host key in known_hosts is the one the server shows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sshd import SshServer


def _sftp(server: SshServer, batch: str, *identity: str, env: dict[str, str] | None = None) -> str:
    cmd = ["sftp", "-b", "-", "-P", str(server.port), "-o", f"UserKnownHostsFile={server.known_hosts}",
           "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", *identity,
           f"{server.user}@{server.host}"]
    proc = subprocess.run(cmd, input=batch, capture_output=True, text=True, env=env, timeout=30, check=False)
    assert proc.returncode == 0, proc.stderr + server.log.read_text(errors="replace")
    return proc.stdout


@pytest.mark.sshd
def test_key_file_login_puts_a_file_on_the_server(sshd: SshServer, tmp_path: Path) -> None:
    remote = sshd.folder("keyfile-put")
    local = tmp_path / "hello.txt"
    local.write_text("hello over sftp\n", encoding="utf-8")
    _sftp(sshd, f"put {local} {remote}/hello.txt\n", "-o", "IdentitiesOnly=yes", "-i", str(sshd.keyfile))
    assert (remote / "hello.txt").read_text(encoding="utf-8") == "hello over sftp\n"


@pytest.mark.sshd
def test_agent_login_lists_the_folder(sshd: SshServer) -> None:
    remote = sshd.folder("agent-ls")
    (remote / "a.bin").write_bytes(b"x")
    # no key file: the only identity is the agent's
    out = _sftp(sshd, f"ls -1 {remote}\n", "-o", "IdentityFile=none", env=sshd.agent_env())
    assert out.splitlines()[-1] == f"{remote}/a.bin"


@pytest.mark.sshd
def test_the_agent_holds_exactly_the_run_key(sshd: SshServer) -> None:
    listed = subprocess.run(["ssh-add", "-L"], env=sshd.agent_env(), capture_output=True, text=True, check=True)
    assert listed.stdout.split()[:2] == sshd.keyfile.with_suffix(".pub").read_text().split()[:2]


@pytest.mark.sshd
def test_phrase_names_the_server_folder(sshd: SshServer) -> None:
    remote = sshd.root / "x y"
    assert sshd.phrase(remote) == f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{remote}|keyfile={sshd.keyfile}"
    assert sshd.phrase(remote, auth="agent", port=False, user="") == f"sftp://127.0.0.1{remote}|agent"


def test_missing_tools_fail_under_ci_and_skip_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from sshd import require_sshd

    monkeypatch.setenv("PATH", "/nonexistent")  # ssh-keygen, ssh-agent and ssh-add are looked up on PATH
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^CI=true but ssh-keygen is not installed"):
        require_sshd()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"^ssh-keygen is not installed \(apt-get install"):
        require_sshd()
