"""``plan`` and ``sync`` with the right side on the real SSH test server (tests/sshd.py): the same plan as for the
same folder read locally, the database read over SFTP, the real FreeFileSync 12.0 as the judge, and the log-in
rules (key file, agent, known_hosts, timeout=, no password)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from plan_harness import T0, check_prediction, ops, plan_of, put, sync, write_job
from sshd import SshServer

from ffs_tools.plan.model import Plan

pytestmark = pytest.mark.sshd


@pytest.fixture
def known(sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> SshServer:
    """The test server, with its host key known to ffs-tools (and the user's own known_hosts out of the way)."""
    monkeypatch.setenv("FFS_TOOLS_KNOWN_HOSTS", str(sshd.known_hosts))
    return sshd


def _remote(job: Path, server: SshServer, right: Path, auth: str = "keyfile", options: str = "") -> Path:
    """A copy of ``job`` whose right folder is ``right`` over SFTP."""
    text = job.read_text(encoding="utf-8")
    out = job.with_name("remote.ffs_batch")
    out.write_text(text.replace(f"<Right>{right}</Right>", f"<Right>{server.phrase(right, auth, options=options)}"
                                                           "</Right>"), encoding="utf-8")
    return out


def _same_but_the_right_name(local: Plan, remote: Plan, shown: str) -> None:
    a, b = local.to_json(), remote.to_json()
    assert b["pairs"][0].pop("right") == shown
    a["pairs"][0].pop("right")
    assert a == b


def _tree(tmp: Path) -> None:
    left, right = tmp / "L", tmp / "R"
    put(left, "src/train.py", "print(1)", T0)
    put(right, "src/train.py", "print(1)", T0 + 1)  # within the 2-second tolerance: equal
    put(left, "data/a.csv", "a,b", T0 + 100)
    put(right, "data/a.csv", "a,b,c", T0)  # left newer
    put(left, "cfg.yaml", "x: 1", T0)
    put(right, "cfg.yaml", "x: 22", T0)  # same date, other size: a conflict
    put(right, "Results/run1/metrics.json", "{}", T0)
    put(left, "results/notes.md", "n", T0)  # pairs with Results/ (case-insensitive)
    put(right, "ckpt/model é.pt", b"\0" * 300, T0 + 5000)
    (right / "ckpt" / "latest").symlink_to("model é.pt")
    os.utime(right / "ckpt" / "latest", (T0, T0), follow_symlinks=False)
    put(left, "same-size.bin", "abcd", T0 + 10)
    put(right, "same-size.bin", "abce", T0 + 10)


@pytest.mark.parametrize(("variant", "compare", "version"), [
    ("TwoWay", "TimeAndSize", "12"), ("Mirror", "TimeAndSize", "14"), ("Mirror", "Content", "12"),
    ("Update", "Size", "14"),
])
def test_the_plan_over_sftp_is_the_plan_of_the_same_folder_read_locally(
        known: SshServer, tmp_path: Path, variant: str, compare: str, version: str) -> None:
    _tree(tmp_path)
    job = write_job(tmp_path, variant, compare=compare, symlinks="Direct")
    local = plan_of(job, version)
    assert local.pairs[0].actions  # something to do
    remote = plan_of(_remote(job, known, tmp_path / "R"), version)
    _same_but_the_right_name(local, remote, f"sftp://{known.user}@127.0.0.1:{known.port}{tmp_path / 'R'}")


def test_content_comparison_reads_the_remote_files(known: SshServer, tmp_path: Path) -> None:
    _tree(tmp_path)
    job = _remote(write_job(tmp_path, "Mirror", compare="Content", symlinks="Exclude"), known, tmp_path / "R")
    # same-size.bin: equal size and time, other bytes; src/train.py: the same bytes
    assert ops(plan_of(job)) == [
        ("delete-right", "ckpt/model é.pt"), ("delete-right", "ckpt/"), ("delete-right", "Results/run1/metrics.json"),
        ("delete-right", "Results/run1/"), ("update-right", "cfg.yaml"), ("update-right", "same-size.bin"),
        ("update-right", "data/a.csv"), ("create-right", "Results/notes.md"), ("move-right", "Results/ -> results/")]


def test_the_agent_logs_in_and_followed_links_are_read_on_the_server(
        known: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.setenv("SSH_AUTH_SOCK", str(known.agent_socket))
    job = write_job(tmp_path, "TwoWay", symlinks="Follow")
    _same_but_the_right_name(plan_of(job), plan_of(_remote(job, known, tmp_path / "R", "agent")),
                             f"sftp://{known.user}@127.0.0.1:{known.port}{tmp_path / 'R'}")


def test_a_missing_remote_folder_is_freefilesyncs_do_not_yet_exist(known: SshServer, tmp_path: Path) -> None:
    put(tmp_path / "L", "a.txt", "a", T0)
    job = _remote(write_job(tmp_path, "Mirror", ignore=False), known, tmp_path / "R")
    plan = plan_of(job)
    shown = f"sftp://{known.user}@127.0.0.1:{known.port}{tmp_path / 'R'}"
    assert plan.stops
    assert plan.stop_reason == f"FreeFileSync stops before syncing (exit 3): pair 1: The following folders do not " \
                               f"yet exist: {shown}"
    assert ops(plan) == [("create-right", "a.txt")]


@pytest.mark.ffs
@pytest.mark.slow
def test_two_way_with_the_database_on_the_server_is_what_freefilesync_does(
        known: SshServer, tmp_path: Path, ffs: None) -> None:
    left, right = tmp_path / "L", tmp_path / "R"
    for i in range(6):
        put(left, f"src/m{i}.py", f"v{i}", T0)
    put(right, "runs/r1/log.txt", "gpu", T0)
    job = _remote(write_job(tmp_path, "TwoWay", detect=True), known, right)
    first = sync(job, tmp_path)
    assert first.returncode in (0, 1), first.log
    assert (right / ".sync.ffs_db").is_file()
    assert (left / ".sync.ffs_db").is_file()
    (left / "src" / "m0.py").unlink()  # deleted on the left since the last sync: delete on the right
    put(right, "src/m1.py", "changed on the gpu", T0 + 3600)  # changed on the right: copy to the left
    put(left, "src/m2.py", "both", T0 + 7200)
    put(right, "src/m2.py", "changed", T0 + 7200)  # both changed: a conflict, left alone
    (right / "runs" / "r1" / "log.txt").rename(right / "runs" / "r1" / "log2.txt")  # no fingerprint over SFTP
    plan, run = check_prediction(job, tmp_path)
    # the rename on the server is no move: SFTP gives no fingerprint (FreeFileSync agrees: check_prediction)
    assert ops(plan) == [("delete-left", "runs/r1/log.txt"), ("delete-right", "src/m0.py"),
                         ("create-left", "runs/r1/log2.txt"), ("update-left", "src/m1.py")]
    assert [c.path for c in plan.pairs[0].conflicts] == ["src/m2.py"]
    assert run.returncode == 1  # the conflict is a warning


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ffs_tools", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, check=False)


def test_an_unknown_or_changed_host_key_is_refused(sshd: SshServer, tmp_path: Path) -> None:
    put(tmp_path / "L", "a.txt", "a", T0)
    (tmp_path / "R").mkdir()
    job = _remote(write_job(tmp_path, "Mirror"), sshd, tmp_path / "R")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "FFS_TOOLS_KNOWN_HOSTS"} | {"HOME": str(home)}
    shown = f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{tmp_path / 'R'}"
    proc = _cli(["plan", str(job)], env, tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"error: {shown}: cannot log in: the host key of [127.0.0.1]:{sshd.port} is not in ~/.ssh/known_hosts (or "
        f"$FFS_TOOLS_KNOWN_HOSTS); ffs-tools never accepts an unknown key: log in once with `ssh -p {sshd.port} "
        f"{sshd.user}@127.0.0.1`, check the fingerprint and accept it\n")
    (home / ".ssh").mkdir()
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    (home / ".ssh" / "known_hosts").write_text(f"[127.0.0.1]:{sshd.port} {other.with_suffix('.pub').read_text()}")
    proc = _cli(["plan", str(job)], env, tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (f"error: {shown}: the server's host key is not the one known_hosts has for "
                           f"[127.0.0.1]:{sshd.port}: refused (someone may be in the middle; check the key with the "
                           "server's admin)\n")


def test_a_wrong_key_and_a_silent_server_are_one_line(known: SshServer, tmp_path: Path) -> None:
    put(tmp_path / "L", "a.txt", "a", T0)
    (tmp_path / "R").mkdir()
    base = write_job(tmp_path, "Mirror")
    job = base.with_name("wrong-key.ffs_batch")
    phrase = known.phrase(tmp_path / "R")
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    job.write_text(base.read_text().replace(f"<Right>{tmp_path / 'R'}</Right>",
                                            f"<Right>{phrase.replace(str(known.keyfile), str(stranger))}</Right>"))
    proc = _cli(["plan", str(job)], dict(os.environ), tmp_path)
    shown = f"sftp://{known.user}@127.0.0.1:{known.port}{tmp_path / 'R'}"
    assert (proc.returncode, proc.stderr) == (2, f"error: {shown}: cannot log in: the server did not accept the "
                                                 f"key file {stranger} for user '{known.user}'\n")
    with socket.socket() as silent:  # accepts connections (the kernel does), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        job.write_text(base.read_text().replace(
            f"<Right>{tmp_path / 'R'}</Right>",
            f"<Right>{phrase.replace(f':{known.port}/', f':{port}/')}|timeout=1</Right>"))
        started = time.monotonic()
        proc = _cli(["plan", str(job)], dict(os.environ), tmp_path)
        took = time.monotonic() - started
    assert (proc.returncode, proc.stderr) == (
        2, f"error: sftp://{known.user}@127.0.0.1:{port}{tmp_path / 'R'}: cannot log in: no answer within 1 s "
           "(timeout=)\n")
    assert took < 10


def test_sync_dry_run_plans_and_guards_an_sftp_job(known: SshServer, tmp_path: Path) -> None:
    for i in range(3):
        put(tmp_path / "L", f"src/f{i}.py", "x", T0)
    for i in range(4):
        put(tmp_path / "R", f"results/r{i}.json", "{}", T0)
    job = _remote(write_job(tmp_path, "Mirror"), known, tmp_path / "R")
    env = dict(os.environ, FFS_TOOLS_LOCK_DIR=str(tmp_path / "locks"))
    proc = _cli(["sync", str(job), "--dry-run", "--max-delete", "2"], env, tmp_path)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    shown = f"sftp://{known.user}@127.0.0.1:{known.port}{tmp_path / 'R'}"
    assert proc.stdout.splitlines() == [
        f"plan: pair 1 {tmp_path / 'L'} <-> {shown}: 4 create-right, 5 delete-right",
        "  warning: 4 item(s) that exist only on the GPU side would be deleted or overwritten, e.g. results/r0.json",
        "refused, nothing was run:",
        "  5 deletions and data-losing overwrites exceed --max-delete 2 (policy: [sync] max_delete)",
        "what would be deleted or overwritten (5):",
        *(f"  delete right: results/r{i}.json  (pair 1, {shown})" for i in range(4)),
        f"  delete right: results/  (pair 1, {shown})",
    ]
    proc = _cli(["sync", str(job), "--dry-run", "--max-delete", "10"], env, tmp_path)
    assert (proc.returncode, proc.stdout.splitlines()[-1]) == (0, "dry run: within the guards; FreeFileSync was "
                                                                  "not run")


@pytest.mark.ffs
@pytest.mark.slow
def test_sync_of_an_sftp_job_runs_planned_and_verified(known: SshServer, tmp_path: Path, ffs: None) -> None:
    for i in range(3):
        put(tmp_path / "L", f"src/f{i}.py", f"x{i}", T0)
    put(tmp_path / "R", "results/r.json", "{}", T0)
    job = _remote(write_job(tmp_path, "TwoWay"), known, tmp_path / "R")
    env = dict(os.environ, FFS_TOOLS_LOCK_DIR=str(tmp_path / "locks"))
    proc = _cli(["sync", str(job)], env, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "result: synced as planned (exit 0)"
    assert (tmp_path / "R" / "src" / "f2.py").read_text() == "x2"
    assert json.loads((tmp_path / "L" / "results" / "r.json").read_text()) == {}
