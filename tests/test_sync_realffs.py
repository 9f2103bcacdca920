"""Issue 8's acceptance for ``ffs-tools sync`` with the real FreeFileSync 12.0 (one scenario also with 14.10).

Each scenario is what a new user does: a project with a policy whose GPU side is a local
folder, ``ffs-tools generate --ffs-version 12``, then ``ffs-tools sync <name>.ffs_batch``.
Where the plain generated batch used to stop (exit 3, nothing synced), that is shown first
with the same batch run directly (tests/realffs.py). File times are set explicitly, hours
apart, so that "newer" never depends on FreeFileSync's 2-second tolerance.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from generate_helpers import run_cli
from realffs import require_ffs, require_ffs14, run_batch
from synchelpers import BASE_TIME, HOUR, files, write

pytestmark = [pytest.mark.ffs, pytest.mark.slow]

BOTH = "Both sides have changed since last synchronization."


class Project:
    """``proj`` (100 code files, a config) and its GPU folder, with a policy and generated files."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 version: str = "12") -> None:
        self.root, self.mp, self.capsys = tmp_path, monkeypatch, capsys
        self.local, self.gpu, self.logs = tmp_path / "proj", tmp_path / "gpu", tmp_path / "logs"
        for i in range(100):
            write(self.local, f"src/m{i:03}.py", f"x = {i}\n")
        write(self.local, "configs/base.yaml", "lr: 0.001\n")
        self.gpu.mkdir()
        monkeypatch.setenv("FFS_TOOLS_LOCK_DIR", str(tmp_path / "locks"))
        if version == "12":
            monkeypatch.delenv("FFS_COMMAND", raising=False)
        (self.local / "ffs-policy.toml").write_text(
            f'[project]\nname = "proj"\n\n[gpu]\npath = "{self.gpu}"\n\n[sync]\nconflict = "review"\n'
            f'deletion = "versioning"\nversioning_folder = "{tmp_path / "versions"}"\n\n'
            f'[batch]\nlog_folder = "{self.logs}"\n', encoding="utf-8")
        code, _, err = run_cli(["generate", "--ffs-version", version], self.local, monkeypatch, capsys)
        assert code == 0, err
        self.batch = self.local / "proj.ffs_batch"

    def sync(self, *args: str) -> tuple[int, str, str]:
        return run_cli(["sync", str(self.batch), *args], self.local, self.mp, self.capsys)

    def plain_batch(self) -> int:
        """The generated batch run directly by FreeFileSync, as before ``sync`` existed."""
        work = self.root / f"plain{len(list(self.root.glob('plain*')))}"
        work.mkdir()
        return run_batch(self.batch, work, timeout=60).returncode

    def trees(self) -> tuple[dict[str, str], dict[str, str]]:
        generated = {"ffs-policy.toml", "proj.ffs_batch", "proj.ffs_gui", "proj.ffs_real",
                     "FREEFILESYNC_EXCLUSIONS.txt", ".ffs-tools-manifest.json"}  # these stay here (issue 9 item 5)
        local = {k: v for k, v in files(self.local).items() if k not in generated}
        gpu = {k: v for k, v in files(self.gpu).items() if k not in generated}
        return local, gpu


def results_on_gpu(p: Project, n: int, prefix: str = "r") -> dict[str, str]:
    made = {f"results/{prefix}{i:03}.txt": f"result {prefix}{i}\n" for i in range(n)}
    for rel, text in made.items():
        write(p.gpu, rel, text, BASE_TIME + HOUR)
    return made


def synced_once(p: Project) -> None:
    code, out, err = p.sync()
    assert code == 0, out + err
    local, gpu = p.trees()
    assert local == gpu


def test_first_sync_with_results_already_on_the_gpu_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    p = Project(tmp_path, monkeypatch, capsys)
    made = results_on_gpu(p, 30)
    before_local, before_gpu = p.trees()
    assert p.plain_batch() == 3  # "significantly different": the plain batch stops, nothing synced
    assert p.trees() == (before_local, before_gpu)

    code, out, err = p.sync()

    assert code == 0, out + err
    assert out.splitlines()[0] == f"plan: pair 1 {p.local} <-> {p.gpu}: 31 create-left, 103 create-right"
    assert "(switched off: the --max-delete guard replaces it)" in out
    assert "verified: a fresh plan finds the trees as the plan implied" in out
    assert out.splitlines()[-1] == "result: synced as planned (exit 0)"
    assert "under xvfb-run -a (no DISPLAY)" in err or os.environ.get("DISPLAY")
    local, gpu = p.trees()
    assert local == gpu == {**before_local, **made}


def test_300_new_gpu_results_and_a_local_edit_all_arrive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    p = Project(tmp_path, monkeypatch, capsys)
    synced_once(p)
    made = results_on_gpu(p, 300, "n")
    write(p.local, "src/m007.py", "x = 'edited'\n", BASE_TIME + 2 * HOUR)
    assert p.plain_batch() == 3  # issue 8: exit 3, "Items remaining: 301", nothing came back
    assert "results/n000.txt" not in files(p.local)

    code, out, err = p.sync()

    assert code == 0, out + err
    assert out.splitlines()[0] == f"plan: pair 1 {p.local} <-> {p.gpu}: 301 create-left, 1 update-right"
    local, gpu = p.trees()
    assert local == gpu
    assert {k: local[k] for k in made} == made
    assert gpu["src/m007.py"] == "x = 'edited'\n"


@pytest.mark.parametrize("version", ["12", "14"])
def test_a_both_side_edit_in_review_mode_is_left_alone_and_the_rest_syncs(
        version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    if version == "12":
        require_ffs()
    else:
        monkeypatch.setenv("FFS14_CONFIG_HOME", str(tmp_path / "cfg14"))
        monkeypatch.setenv("FFS_COMMAND", require_ffs14())
    p = Project(tmp_path, monkeypatch, capsys, version)
    synced_once(p)
    write(p.local, "configs/base.yaml", "lr: 0.01  # local\n", BASE_TIME + HOUR)
    write(p.gpu, "configs/base.yaml", "lr: 0.1  # gpu side, longer\n", BASE_TIME + 2 * HOUR)
    write(p.local, "src/new.py", "new = 1\n", BASE_TIME + HOUR)
    write(p.gpu, "results/r.txt", "r\n", BASE_TIME + HOUR)

    code, out, err = p.sync()

    assert code == 1, out + err
    assert out.splitlines()[0] == (f"plan: pair 1 {p.local} <-> {p.gpu}: 2 create-left, 1 create-right, "
                                   "1 conflict(s)")
    assert "conflicts left alone (1), resolve them in the .ffs_gui:" in out
    assert f"  pair 1: configs/base.yaml: {BOTH}" in out
    assert "verified: a fresh plan finds the trees as the plan implied" in out
    assert out.splitlines()[-1] == "result: synced with warnings (exit 1)"
    assert ("JSON syncResult: warning" in out) == (version == "14")
    local, gpu = p.trees()
    assert local["configs/base.yaml"] == "lr: 0.01  # local\n"
    assert gpu["configs/base.yaml"] == "lr: 0.1  # gpu side, longer\n"
    assert gpu["src/new.py"] == "new = 1\n"
    assert local["results/r.txt"] == "r\n"
    assert {k: v for k, v in local.items() if k != "configs/base.yaml"} == \
        {k: v for k, v in gpu.items() if k != "configs/base.yaml"}


def test_deleting_80_percent_of_the_local_files_is_refused_with_the_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    p = Project(tmp_path, monkeypatch, capsys)
    synced_once(p)
    logs_before = sorted(os.listdir(p.logs))
    gone = [f"src/m{i:03}.py" for i in range(80)]
    for rel in gone:
        (p.local / rel).unlink()
    local_before, gpu_before = p.trees()

    code, out, err = p.sync()

    assert code == 3, out + err
    lines = out.splitlines()
    assert lines == [f"plan: pair 1 {p.local} <-> {p.gpu}: 80 delete-right",
                     "  warning: 80 item(s) that exist only on the GPU side would be deleted or overwritten, e.g. "
                     "src/m000.py",
                     "refused, nothing was run:",
                     "  80 deletions and data-losing overwrites exceed --max-delete 50 (policy: [sync] max_delete)",
                     "what would be deleted or overwritten (80):",
                     *[f"  delete right: {rel}  (pair 1, {p.gpu})" for rel in gone]]
    assert "running FreeFileSync" not in err
    assert p.trees() == (local_before, gpu_before)
    assert sorted(os.listdir(p.logs)) == logs_before
    assert not (tmp_path / "versions").exists()
    # the user can let it through on purpose
    code, out, err = p.sync("--max-delete", "80")
    assert code == 0, out + err
    assert sorted(p.trees()[1]) == sorted(local_before)


def test_two_concurrent_syncs_never_run_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    p = Project(tmp_path, monkeypatch, capsys)
    trace = tmp_path / "trace"
    script = (f'echo start >> {shlex.quote(str(trace))}; sleep 5; FreeFileSync "$@"; rc=$?; '
              f'echo end >> {shlex.quote(str(trace))}; exit $rc')
    command = f"sh -c {shlex.quote(script)} sh"
    argv = [sys.executable, "-m", "ffs_tools", "sync", str(p.batch), "--ffs-command", command]
    env = dict(os.environ)
    with subprocess.Popen(argv, cwd=p.local, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as first:
        while not trace.exists():  # the first one is inside FreeFileSync's run
            assert first.poll() is None, first.communicate()
            subprocess.run(["sleep", "0.1"], check=True)
        with subprocess.Popen(argv, cwd=p.local, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) as waiting:
            refused = subprocess.run([*argv, "--no-wait"], cwd=p.local, env=env, capture_output=True, text=True,
                                     check=False)
            out1, err1 = first.communicate()
            out2, err2 = waiting.communicate()
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert refused.stdout == (f"refused, nothing was run: another sync of proj.ffs_batch is running "
                              f"(pid {first.pid}) and --no-wait was given\n")
    assert first.returncode == 0, out1 + err1
    assert f"another sync of proj.ffs_batch is running (pid {first.pid}): waiting for it to finish" in err2
    assert waiting.returncode == 0, out2 + err2
    assert out2.splitlines()[0] == f"plan: pair 1 {p.local} <-> {p.gpu}: nothing to do"  # planned after the first
    assert trace.read_text(encoding="utf-8").split() == ["start", "end", "start", "end"]


def test_14_first_sync_with_results_already_on_the_gpu_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    command = require_ffs14()
    monkeypatch.setenv("FFS14_CONFIG_HOME", str(tmp_path / "cfg14"))
    p = Project(tmp_path, monkeypatch, capsys, version="14")
    made = results_on_gpu(p, 30)
    before_local, _ = p.trees()
    monkeypatch.setenv("FFS_COMMAND", command)

    code, out, err = p.sync()

    assert code == 0, out + err
    assert out.splitlines()[0] == f"plan: pair 1 {p.local} <-> {p.gpu}: 31 create-left, 103 create-right"
    assert "JSON syncResult: warning" in out
    assert "(switched off: the --max-delete guard replaces it)" in out
    assert out.splitlines()[-1] == "result: synced as planned (exit 0)"
    local, gpu = p.trees()
    assert local == gpu == {**before_local, **made}
    assert not (tmp_path / "cfg14" / "FreeFileSync" / "GlobalSettings.xml").exists()


def test_a_file_written_during_the_run_is_reported_as_a_difference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    p = Project(tmp_path, monkeypatch, capsys)
    synced_once(p)
    write(p.local, "src/m001.py", "x = 'edited'\n", BASE_TIME + HOUR)
    late = p.gpu / "results" / "late.pt"
    script = f'FreeFileSync "$@"; rc=$?; mkdir -p {late.parent}; echo late > {late}; exit $rc'
    command = f"sh -c {shlex.quote(script)} sh"

    code, out, err = p.sync("--ffs-command", command)

    assert code == 1, out + err
    lines = out.splitlines()
    assert lines[0] == f"plan: pair 1 {p.local} <-> {p.gpu}: 1 update-right"
    assert lines[-4:] == ["the trees differ from the plan (2; changed during the run?), the next sync will do:",
                          "  pair 1: create-left results/",
                          "  pair 1: create-left results/late.pt",
                          "result: synced with warnings (exit 1)"]
    assert files(p.gpu)["src/m001.py"] == "x = 'edited'\n"
