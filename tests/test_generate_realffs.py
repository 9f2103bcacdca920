"""Issue 3's acceptance with the real FreeFileSync 12.0: generate --ffs-version 12, run the batch, look at the disk.

Every scenario starts from the sample project (tests/generate_helpers.py) and an empty GPU folder,
writes a policy, generates, and runs the generated .ffs_batch headless through tests/realffs.py.
File times are set explicitly, hours apart, so that "newer" never depends on FreeFileSync's 2 s
tolerance. The exit codes asserted here are the ones documented in the README ("Unattended batch").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_helpers import BASE_TIME, HOUR, NEVER_SYNCED, PROJECT_FILES, build_project, files, run_cli, write
from realffs import FfsRun, run_batch

pytestmark = pytest.mark.ffs

#: ffs-tools' own files in the local folder: they hold this machine's paths and stay here (issue 9 item 5)
GENERATED = {"ffs-policy.toml", "distill.ffs_gui", "distill.ffs_batch", "distill.ffs_real",
             "FREEFILESYNC_EXCLUSIONS.txt", ".ffs-tools-manifest.json"}


class Setup:
    """A project, its GPU folder and a policy in the project's root (the usual layout)."""

    def __init__(self, tmp_path: Path, conflict: str, extra_policy: str = "") -> None:
        self.local = tmp_path / "distill"
        self.gpu = tmp_path / "gpu"
        self.work = tmp_path / "ffsrun"
        build_project(self.local)
        self.gpu.mkdir()
        self.work.mkdir()
        (self.local / "ffs-policy.toml").write_text(
            f'[project]\nname = "distill"\n\n[gpu]\npath = "{self.gpu}"\n\n'
            f'[sync]\nconflict = "{conflict}"\ndeletion = "versioning"\n'
            f'versioning_folder = "{tmp_path / "versions"}"\n\n'
            f'[batch]\nlog_folder = "{self.work / "logs"}"\n\n'
            '[keep]\npaths = ["datasets/", "models/"]\n' + extra_policy, encoding="utf-8")

    def generate(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 *args: str) -> str:
        code, _, err = run_cli(["generate", "--ffs-version", "12", *args], self.local, monkeypatch, capsys)
        assert code == 0, err
        return err

    def run(self) -> FfsRun:
        result = run_batch(self.local / "distill.ffs_batch", self.work, timeout=60)
        assert result.returncode != 124, "the batch waited for a click"
        return result


def test_first_run_copies_the_project_and_nothing_that_must_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, "review")
    err = s.generate(monkeypatch, capsys)
    assert "found tools/py311/ (pyvenv.cfg inside): excluded" in err
    assert "found envs/torch-cu121/ (conda-meta/ inside): excluded" in err
    result = s.run()
    # a first two-way run logs "Setting directions for first synchronization" as a warning: exit 1
    assert result.returncode == 1, result.log
    assert "first synchronization" in result.log
    assert files(s.gpu) == set(PROJECT_FILES)
    assert files(s.local) >= GENERATED
    assert not files(s.gpu) & set(NEVER_SYNCED)


def test_review_mode_crosses_both_ways_then_stops_on_a_conflict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, "review")
    s.generate(monkeypatch, capsys)
    assert s.run().returncode == 1
    # 2. a model written on the GPU side and a script edited on the local side both cross
    write(s.gpu, "models/ckpt-1.pt", "weights-1", BASE_TIME + HOUR)
    write(s.local, "train.py", "print('train v2')\n", BASE_TIME + 2 * HOUR)
    # the GPU machine's own environment and caches never travel back
    gpu_only = ["venv_gpu/pyvenv.cfg", "venv_gpu/lib/torch.py", "src/__pycache__/model.cpython-311.pyc",
                "external/lib/.git/FETCH_HEAD"]
    for rel in gpu_only:
        write(s.gpu, rel, "gpu side", BASE_TIME + HOUR)
    (s.local / "venv_gpu").rename(tmp_path / "moved-away")  # so that an arrival would show
    second = s.run()
    assert second.returncode == 0, second.log
    assert (s.local / "models/ckpt-1.pt").read_text() == "weights-1"
    assert (s.gpu / "train.py").read_text() == "print('train v2')\n"
    assert not (s.local / "venv_gpu").exists()
    assert not (s.local / "external/lib/.git/FETCH_HEAD").exists()
    assert (s.local / "src/__pycache__/model.cpython-311.pyc").read_text() == ""
    # 3. a file changed on both sides: both keep their own content, the run stops and says why
    write(s.local, "src/model.py", "class Model: local\n", BASE_TIME + 3 * HOUR)
    write(s.gpu, "src/model.py", "class Model: gpu, longer\n", BASE_TIME + 4 * HOUR)
    write(s.local, "notes.txt", "unrelated\n", BASE_TIME + 3 * HOUR)
    third = s.run()
    assert third.returncode == 3, third.log
    assert "unresolved conflicts" in third.log
    assert "src/model.py: Both sides have changed since last synchronization." in third.log
    assert (s.local / "src/model.py").read_text() == "class Model: local\n"
    assert (s.gpu / "src/model.py").read_text() == "class Model: gpu, longer\n"
    # C7 stops before any change: the unrelated new file waits until the conflict is resolved
    assert not (s.gpu / "notes.txt").exists()


def test_newer_wins_crosses_both_ways_and_the_newer_file_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, "newer-wins")
    s.generate(monkeypatch, capsys)
    first = s.run()
    assert first.returncode == 0, first.log
    assert files(s.gpu) == set(PROJECT_FILES)
    assert files(s.local) >= GENERATED
    write(s.gpu, "models/ckpt-1.pt", "weights-1", BASE_TIME + HOUR)
    write(s.local, "train.py", "print('train v2')\n", BASE_TIME + 2 * HOUR)
    # changed on both sides: the GPU's edit is newer, so it wins on both sides
    write(s.local, "src/model.py", "class Model: local\n", BASE_TIME + 3 * HOUR)
    write(s.gpu, "src/model.py", "class Model: gpu, newer\n", BASE_TIME + 5 * HOUR)
    # deletions do not propagate under newer-wins (said in the notes and the README): the file comes back
    (s.local / "datasets/valid.jsonl").unlink()
    second = s.run()
    assert second.returncode == 0, second.log
    assert (s.local / "models/ckpt-1.pt").read_text() == "weights-1"
    assert (s.gpu / "train.py").read_text() == "print('train v2')\n"
    assert (s.local / "src/model.py").read_text() == "class Model: gpu, newer\n"
    assert (s.gpu / "src/model.py").read_text() == "class Model: gpu, newer\n"
    assert (s.local / "datasets/valid.jsonl").exists()
    # the older version was kept, not lost
    assert any(p.name.startswith("model") for p in (tmp_path / "versions").rglob("*.py"))


def test_one_way_folders_push_and_pull(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, "review", '\n[[folders]]\npath = "models/"\ndirection = "pull"\n\n'
                                  '[[folders]]\npath = "configs"\ndirection = "push"\n')
    write(s.gpu, "models/gpu-trained.pt", "gpu weights")
    write(s.gpu, "configs/gpu-only.yaml", "x: 1\n")
    s.generate(monkeypatch, capsys)
    result = s.run()
    assert result.returncode == 1, result.log  # the main pair's first two-way run
    assert (s.local / "models/gpu-trained.pt").read_text() == "gpu weights"  # pulled
    assert not (s.gpu / "models/base.pt").exists()  # pull only: local models stay local
    assert (s.gpu / "configs/base.yaml").exists()  # pushed
    assert not (s.local / "configs/gpu-only.yaml").exists()  # push only
    assert (s.gpu / "src/model.py").exists()  # the rest: two-way as usual


def test_format_23_is_refused_by_freefilesync_12(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Why --ffs-version matters: 12.0 cannot read what 13+ writes (exit 4, nothing synced)."""
    s = Setup(tmp_path, "review")
    code, _, err = run_cli(["generate"], s.local, monkeypatch, capsys)
    assert code == 0, err
    result = s.run()
    assert result.returncode == 4
    assert files(s.gpu) == set()
