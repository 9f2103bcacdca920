"""One sync of a config at a time: the fcntl lock, with real processes holding it."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from synchelpers import write, write_job

from ffs_tools.sync.lock import Busy, lock_dir_path, lock_path, sync_lock

HOLD = """
import sys, time
from pathlib import Path
from ffs_tools.sync.lock import sync_lock
with sync_lock(Path(sys.argv[1]), True, print):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FFS_TOOLS_LOCK_DIR", str(tmp_path / "locks"))
    path = tmp_path / "proj" / "proj.ffs_batch"
    path.parent.mkdir()
    path.write_text("<x/>", encoding="utf-8")
    return path


@contextmanager
def hold(config: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of ``config`` for ``seconds`` (killed at the end of the block)."""
    with subprocess.Popen([sys.executable, "-c", HOLD, str(config), str(seconds)], stdout=subprocess.PIPE,
                          text=True, env=dict(os.environ)) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "held\n"
        try:
            yield proc
        finally:
            proc.kill()


def test_no_wait_refuses_while_another_process_holds_the_lock(config: Path) -> None:
    with hold(config, 30) as proc:
        with pytest.raises(Busy) as busy, sync_lock(config, False, print):
            pass
        assert busy.value.holder == f"pid {proc.pid}"
        # another spelling of the same path is the same lock
        other = config.parent / ".." / config.parent.name / config.name
        with pytest.raises(Busy), sync_lock(other, False, print):
            pass


def test_wait_says_so_and_runs_after_the_holder_ends(config: Path) -> None:
    said: list[str] = []
    with hold(config, 1.5) as proc:
        start = time.monotonic()
        with sync_lock(config, True, said.append):
            waited = time.monotonic() - start
        assert proc.wait(timeout=10) == 0
    assert said == [f"another sync of proj.ffs_batch is running (pid {proc.pid}): waiting for it to finish"]
    assert 1.0 < waited < 10  # it held the lock for 1.5 s after saying so


def test_a_killed_holder_leaves_no_stale_lock(config: Path) -> None:
    with hold(config, 60) as proc:
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
    assert lock_path(config).exists()
    said: list[str] = []
    with sync_lock(config, False, said.append):
        assert lock_path(config).read_text(encoding="ascii") == str(os.getpid())
    assert said == []


def test_the_lock_file_lives_in_a_private_folder_not_next_to_the_config(config: Path) -> None:
    path = lock_path(config)
    assert path.parent == Path(os.environ["FFS_TOOLS_LOCK_DIR"])
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert path.name.startswith("proj.ffs_batch.")
    assert path.name.endswith(".lock")
    assert sorted(p.name for p in config.parent.iterdir()) == ["proj.ffs_batch"]


def test_without_the_override_the_lock_folder_does_not_depend_on_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FFS_TOOLS_LOCK_DIR", raising=False)
    expected = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".local/state/ffs-tools/locks"
    for env in ({"HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/run/user/1", "TMPDIR": "/var/tmp"}, {}):
        for key in ("HOME", "XDG_RUNTIME_DIR", "TMPDIR"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        assert lock_dir_path() == expected


@pytest.mark.slow
def test_a_killed_sync_keeps_the_lock_until_its_freefilesync_ends(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """FreeFileSync inherits the locked descriptor: killing ``sync`` does not let a second one in early."""
    left, right = tmp_path / "L", tmp_path / "R"
    write(left, "a.txt", "a\n")
    right.mkdir()
    job = write_job(tmp_path / "job.ffs_batch", left, right, tmp_path / "logs", tmp_path / "versions")
    started, marker = tmp_path / "ffs-started", tmp_path / "ffs-ended"
    stand_in = f"sh -c 'touch {started}; sleep 8; touch {marker}' sh"  # stands in for a FreeFileSync run of 8 s
    monkeypatch.setenv("FFS_TOOLS_LOCK_DIR", str(tmp_path / "locks"))
    env = {**os.environ, "DISPLAY": ":99"}
    argv = [sys.executable, "-m", "ffs_tools", "sync", str(job), "--ffs-command", stand_in]
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as first:
        assert first.stderr is not None
        assert first.stderr.readline().startswith("running FreeFileSync (sh -c touch")
        while not started.exists():
            assert first.poll() is None
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()
    with pytest.raises(Busy), sync_lock(job, False, print):  # the stand-in still holds the lock ...
        pass
    assert not marker.exists()  # ... because it still runs
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    with sync_lock(job, False, print):  # free once it ended
        pass
