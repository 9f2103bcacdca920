"""Issue 13's generated SFTP configs, run for real: generate --ffs-version 12 for an ``sftp://`` GPU folder on the
test SSH server (tests/sshd.py), run the batch in the real FreeFileSync 12.0, and look at the server's disk.

The scenarios are those of tests/test_generate_realffs.py (both conflict modes, ``[[folders]]`` push/pull, several
``[[gpu]]``, ``threads``), logged in with ``|keyfile=`` and with ``|agent``; the remote paths have a port, spaces and
non-ASCII letters, and one account has an ``@`` in its name (``%40`` in the phrase). docs/sftp.md holds the facts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from generate_helpers import BASE_TIME, HOUR, NEVER_SYNCED, PROJECT_FILES, build_project, files, run_cli, write
from realffs import FfsRun, require_ffs14, run_batch
from sshd import Account, SshServer, extra_account

pytestmark = [pytest.mark.ffs, pytest.mark.sshd, pytest.mark.slow]

#: ffs-tools' own files in the local folder: they hold this machine's paths and stay here (issue 9 item 5)
GENERATED = {"ffs-policy.toml", "distill.ffs_gui", "distill.ffs_batch", "distill.ffs_real",
             "FREEFILESYNC_EXCLUSIONS.txt", ".ffs-tools-manifest.json"}
REMOTE_NAME = "GPU runs/Modèle δ"  # a space and non-ASCII letters in the server-side path


@pytest.fixture(scope="module")
def account(sshd: SshServer) -> Iterator[Account]:
    """A second account on the test server whose name has an "@" (ffs@<hex>)."""
    with extra_account(sshd) as acc:
        yield acc


class Remote:
    """A local project and a policy whose GPU folder(s) are on the test server."""

    def __init__(self, tmp_path: Path, gpu_tables: str, conflict: str = "review", extra_policy: str = "") -> None:
        self.tmp = tmp_path
        self.local = tmp_path / "distill"
        self.work = tmp_path / "ffsrun"
        build_project(self.local)
        self.work.mkdir()
        (self.local / "ffs-policy.toml").write_text(
            f'[project]\nname = "distill"\n\n{gpu_tables}\n'
            f'[sync]\nconflict = "{conflict}"\ndeletion = "versioning"\n'
            f'versioning_folder = "{tmp_path / "versions"}"\n\n'
            f'[batch]\nlog_folder = "{self.work / "logs"}"\n\n'
            '[keep]\npaths = ["datasets/", "models/"]\n' + extra_policy, encoding="utf-8")

    def generate(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
        code, _, err = run_cli(["generate", "--ffs-version", "12", *args], self.local, monkeypatch, capsys)
        assert code == 0, err
        return err

    def run(self, stem: str = "distill") -> FfsRun:
        shutil.rmtree(self.work / "logs", ignore_errors=True)  # the log of this run only
        result = run_batch(self.local / f"{stem}.ffs_batch", self.work, timeout=60)
        assert result.returncode != 124, "the batch waited for a click"
        return result


def gpu_table(phrase: str) -> str:
    return f'[gpu]\npath = "{phrase}"\n'


def test_review_with_a_key_file_crosses_both_ways_then_stops_on_a_conflict(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)  # the key file alone logs in
    remote = sshd.folder(f"review/{REMOTE_NAME}")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote)))
    s.generate(monkeypatch, capsys)
    first = s.run()
    assert first.returncode == 1, first.log  # "Setting directions for first synchronization"
    assert "first synchronization" in first.log
    assert files(remote) == set(PROJECT_FILES)  # not GENERATED
    assert not files(remote) & set(NEVER_SYNCED)
    assert (remote / ".sync.ffs_db").is_file()  # FreeFileSync keeps its database on the server too
    # a model written on the GPU machine comes back; a script edited here goes there
    write(remote, "models/ckpt-1.pt", "weights-1", BASE_TIME + HOUR)
    write(s.local, "train.py", "print('train v2')\n", BASE_TIME + 2 * HOUR)
    for rel in ("venv_gpu/pyvenv.cfg", "src/__pycache__/model.cpython-311.pyc", "external/lib/.git/FETCH_HEAD"):
        write(remote, rel, "gpu side", BASE_TIME + HOUR)
    (s.local / "venv_gpu").rename(tmp_path / "moved-away")
    second = s.run()
    assert second.returncode == 0, second.log
    assert (s.local / "models/ckpt-1.pt").read_text() == "weights-1"
    assert (remote / "train.py").read_text() == "print('train v2')\n"
    assert not (s.local / "venv_gpu").exists()
    assert not (s.local / "external/lib/.git/FETCH_HEAD").exists()
    assert (s.local / "src/__pycache__/model.cpython-311.pyc").read_text() == ""
    # changed on both sides: each keeps its own, the run stops and says why
    write(s.local, "src/model.py", "class Model: local\n", BASE_TIME + 3 * HOUR)
    write(remote, "src/model.py", "class Model: gpu, longer\n", BASE_TIME + 4 * HOUR)
    write(s.local, "notes.txt", "unrelated\n", BASE_TIME + 3 * HOUR)
    third = s.run()
    assert third.returncode == 3, third.log
    assert "src/model.py: Both sides have changed since last synchronization." in third.log
    assert (s.local / "src/model.py").read_text() == "class Model: local\n"
    assert (remote / "src/model.py").read_text() == "class Model: gpu, longer\n"
    assert not (remote / "notes.txt").exists()


def test_newer_wins_through_the_agent(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SSH_AUTH_SOCK", str(sshd.agent_socket))  # FreeFileSync asks the agent named here
    remote = sshd.folder(f"newer/{REMOTE_NAME}")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote, auth="agent")), conflict="newer-wins")
    s.generate(monkeypatch, capsys)
    first = s.run()
    assert first.returncode == 0, first.log
    assert files(remote) == set(PROJECT_FILES)  # not GENERATED
    write(remote, "models/ckpt-1.pt", "weights-1", BASE_TIME + HOUR)
    write(s.local, "train.py", "print('train v2')\n", BASE_TIME + 2 * HOUR)
    write(s.local, "src/model.py", "class Model: local\n", BASE_TIME + 3 * HOUR)
    write(remote, "src/model.py", "class Model: gpu, newer\n", BASE_TIME + 5 * HOUR)
    second = s.run()
    assert second.returncode == 0, second.log
    assert (s.local / "models/ckpt-1.pt").read_text() == "weights-1"
    assert (remote / "train.py").read_text() == "print('train v2')\n"
    assert (s.local / "src/model.py").read_text() == "class Model: gpu, newer\n"
    assert (remote / "src/model.py").read_text() == "class Model: gpu, newer\n"
    # the overwritten versions were kept in the local versioning folder, from both sides
    kept = sorted(p.name.split(" ")[0] for p in (tmp_path / "versions").rglob("*.py"))
    assert kept == ["model.py", "train.py"], kept


def test_agent_without_ssh_auth_sock_fails_and_says_so(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """What a cron job or a desktop session without an agent gets: an error, nothing written."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    remote = sshd.folder("no-agent")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote, auth="agent")))
    s.generate(monkeypatch, capsys)
    result = s.run()
    assert result.returncode == 3, result.log
    assert "Cannot find the following folders:" in result.log
    assert "LIBSSH2_ERROR_BAD_USE: no auth sock variable [libssh2_agent_connect]" in result.log
    assert files(remote) == set()


def _chown_tree(root: Path, acc: Account) -> None:
    for path in [root, *root.rglob("*")]:
        shutil.chown(path, acc.uid, acc.gid)


def test_several_gpus_with_one_way_folders_threads_and_a_user_name_with_at(
        sshd: SshServer, account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SSH_AUTH_SOCK", str(sshd.agent_socket))
    a100 = sshd.folder(f"a100/{REMOTE_NAME}")
    h100 = account.folder(sshd, f"h100/{REMOTE_NAME}")
    user = account.name.replace("@", "%40")  # FreeFileSync's escape for "@" in the user name
    tables = (f'[[gpu]]\nname = "a100"\npath = "{sshd.phrase(a100)}"\nthreads = 4\n\n'
              f'[[gpu]]\nname = "h100"\npath = "{sshd.phrase(h100, auth="agent", user=user)}"\nthreads = 2\n')
    folders = ('\n[[folders]]\npath = "models/"\ndirection = "pull"\n\n'
               '[[folders]]\npath = "configs"\ndirection = "push"\n')
    for name, remote in (("a100", a100), ("h100", h100)):
        write(remote, f"models/{name}.pt", f"{name} weights")
        write(remote, "configs/gpu-only.yaml", "x: 1\n")
    _chown_tree(h100, account)
    s = Remote(tmp_path, tables, extra_policy=folders)
    s.generate(monkeypatch, capsys)
    batches = {name: (s.local / f"distill-{name}.ffs_batch").read_text(encoding="utf-8") for name in ("a100", "h100")}
    assert batches["a100"].count('Threads="4"') == 3  # on the right side of every pair
    assert batches["h100"].count('Threads="2"') == 3
    for name, remote in (("a100", a100), ("h100", h100)):
        result = s.run(f"distill-{name}")
        assert result.returncode == 1, result.log  # the main pair's first two-way run
        assert (s.local / f"models/{name}.pt").read_text() == f"{name} weights"  # pulled
        assert not (remote / "models/base.pt").exists()  # pull only: local models stay local
        assert (remote / "configs/base.yaml").read_text() == PROJECT_FILES["configs/base.yaml"]  # pushed
        assert not (s.local / "configs/gpu-only.yaml").exists()  # push only
        assert (remote / "src/model.py").read_text() == PROJECT_FILES["src/model.py"]  # the rest: two-way
        assert not files(remote) & set(NEVER_SYNCED)
    assert not (h100 / "models/a100.pt").exists()
    # the second machine was written by the account with the "@", the first by the test's own user
    assert (h100 / "train.py").stat().st_uid == account.uid
    assert (a100 / "train.py").stat().st_uid == (tmp_path / "distill").stat().st_uid


@pytest.mark.parametrize("form", ["~/{name}", "{name}"])
def test_freefilesync_has_no_home_relative_sftp_path(
        form: str, sshd: SshServer, account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """docs/sftp.md#home-and-relative-paths: ``sftp://host/~/NAME`` is the folder ``/~/NAME`` at the server's root
    and ``sftp://host/NAME`` is ``/NAME``; neither is ``NAME`` in the account's home (hence generate refuses ``~``)."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    name = f"distill-{secrets.token_hex(3)}"
    in_home = account.home / name  # where the phrase would point if FreeFileSync went from the home folder
    in_home.mkdir()
    shutil.chown(in_home, account.uid, account.gid)
    remote = account.folder(sshd, name)
    user = account.name.replace("@", "%40")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote, user=user)))
    s.generate(monkeypatch, capsys)
    batch = s.local / "distill.ffs_batch"
    text = batch.read_text(encoding="utf-8")
    assert text.count(f"{sshd.port}{remote}|") == 1
    rel = form.format(name=name)
    batch.write_text(text.replace(f"{sshd.port}{remote}|", f"{sshd.port}/{rel}|"), encoding="utf-8")
    result = s.run()
    # the unattended batch stops on "do not yet exist": the folder in the home exists, so it was not the one looked at
    assert result.returncode == 3, result.log
    missing = result.log.split("The following folders do not yet exist:", 1)[1].splitlines()[1].strip()
    assert missing == f"sftp://{account.name}@127.0.0.1:{sshd.port}/{rel}"  # the log shows the user decoded
    assert list(in_home.iterdir()) == []
    assert files(remote) == set()


def test_a_missing_remote_folder_stops_the_first_run(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's set-up creates the remote folder first: the unattended batch does not create it (nor anything)."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    remote = sshd.root / "not-made-yet" / REMOTE_NAME
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote)))
    s.generate(monkeypatch, capsys)
    result = s.run()
    assert result.returncode == 3, result.log
    missing = result.log.split("The following folders do not yet exist:", 1)[1].splitlines()[1].strip()
    assert missing == f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{remote}"
    assert not (sshd.root / "not-made-yet").exists()

def test_freefilesync_does_not_check_the_host_key(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/sftp.md#host-keys: a known_hosts that names ANOTHER key for this server does not stop FreeFileSync 12.0
    (OpenSSH's own client refuses the same log-in)."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    other = tmp_path / "other_host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    wrong = other.with_suffix(".pub").read_text(encoding="ascii")
    known = home / ".ssh" / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd.port} {wrong}127.0.0.1 {wrong}", encoding="ascii")
    ssh = subprocess.run(["ssh", "-p", str(sshd.port), "-i", str(sshd.keyfile), "-o", f"UserKnownHostsFile={known}",
                          "-o", "BatchMode=yes", f"{sshd.user}@127.0.0.1", "true"], capture_output=True, text=True,
                         timeout=30, check=False)
    assert ssh.returncode == 255
    assert "REMOTE HOST IDENTIFICATION HAS CHANGED" in ssh.stderr
    monkeypatch.setenv("HOME", str(home))
    remote = sshd.folder("hostkey")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote)))
    s.generate(monkeypatch, capsys)
    result = s.run()
    assert result.returncode == 1, result.log
    assert files(remote) == set(PROJECT_FILES)  # not GENERATED


def test_freefilesync_14_10_runs_the_generated_sftp_config(
        sshd: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The same first run with FreeFileSync 14.10 (format 23, the default of generate), key file log-in."""
    cmd = require_ffs14()
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    remote = sshd.folder(f"ffs14/{REMOTE_NAME}")
    s = Remote(tmp_path, gpu_table(sshd.phrase(remote)))
    code, _, err = run_cli(["generate"], s.local, monkeypatch, capsys)
    assert code == 0, err
    job = s.work / "run14.ffs_batch"  # 14.x rewrites what it loads: give it a copy
    shutil.copy(s.local / "distill.ffs_batch", job)
    settings = s.work / "GlobalSettings14.xml"
    settings.write_text('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="25">'
                        '<LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n', encoding="utf-8")
    proc = subprocess.run([cmd, str(job), str(settings)], capture_output=True, text=True, timeout=180, check=False,
                          env={**os.environ, "FFS14_TIMEOUT": "120"})
    log = "\n".join(p.read_text(errors="replace") for p in sorted((s.work / "logs").rglob("*.log")))
    assert proc.returncode == 1, log + proc.stderr  # first two-way run: a warning
    assert files(remote) == set(PROJECT_FILES)  # not GENERATED
    assert not files(remote) & set(NEVER_SYNCED)
