"""Issue 9 items 5 and 9 with the real FreeFileSync: ffs-tools' own files stay on this machine; a GPU folder that
does not exist yet is announced, and the batch then stops as announced (12.0 with format 17; 14.10 with format
23 through FFS14_COMMAND).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from generate_helpers import files, run_cli
from realffs import require_ffs, require_ffs14, run_batch

from ffs_tools.generate.plan import MANIFEST

OWN = ["ffs-policy.toml", "p.ffs_gui", "p.ffs_batch", "p.ffs_real", "FREEFILESYNC_EXCLUSIONS.txt", MANIFEST,
       ".ffs-tools-pruned"]
PROJECT = {"src/train.py", "README.md", "sub/ffs-policy.toml", "sub/p.ffs_batch"}


def project(tmp_path: Path, version: str, gpu: Path) -> Path:
    root = tmp_path / "p"
    for rel in PROJECT:  # files with the same names one level down are project files: they travel
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    (root / "ffs-policy.toml").write_text(f'[gpu]\npath = "{gpu}"\n[ffs]\nversion = "{version}"\n',
                                          encoding="utf-8")
    return root


def run(version: str, job: Path, workdir: Path) -> tuple[int, str]:
    if version == "12":
        result = run_batch(job, workdir)
        return result.returncode, result.log
    launcher = require_ffs14()
    copy = workdir / "copy.ffs_batch"  # 14.10 rewrites what it loads: a copy (the same bytes for format 23)
    shutil.copyfile(job, copy)
    proc = subprocess.run([launcher, str(copy)], capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def need(version: str) -> None:
    require_ffs() if version == "12" else require_ffs14()


@pytest.mark.ffs
@pytest.mark.parametrize("version", ["12", "14"])
def test_the_policy_and_the_generated_files_do_not_travel(version: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    need(version)
    gpu = tmp_path / "gpu"
    gpu.mkdir()
    root = project(tmp_path, version, gpu)
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    (root / ".ffs-tools-pruned" / "2026").mkdir(parents=True)
    (root / ".ffs-tools-pruned" / "2026" / "old.ffs_batch").write_text("old", encoding="utf-8")
    text = (root / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8")
    why = "it holds this machine's paths (exclude.ffs_tools_files)"
    assert text.endswith("".join(
        f"\n# {'the ffs-tools policy' if name == 'ffs-policy.toml' else 'a file ffs-tools generate writes'}: "
        f"{why}\n{name}\n" for name in [*OWN[1:], OWN[0]]))
    code, log = run(version, root / "p.ffs_batch", tmp_path)
    assert code == 1, log  # the first-run warning only
    assert files(gpu) == PROJECT
    # nothing of ffs-tools came back either: the local side is unchanged but for FreeFileSync's database
    assert files(root) == PROJECT | {name for name in OWN if name != ".ffs-tools-pruned"} | {
        ".ffs-tools-pruned/2026/old.ffs_batch"}


def test_own_files_travel_when_the_policy_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, "12", tmp_path / "gpu")
    with (root / "ffs-policy.toml").open("a", encoding="utf-8") as handle:
        handle.write("[exclude]\nffs_tools_files = false\n")
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    assert "exclude.ffs_tools_files" not in (root / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8")


def test_own_files_outside_the_local_folder_get_no_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, "12", tmp_path / "gpu")
    (root / "ffs-policy.toml").unlink()
    policy = tmp_path / "conf" / "ffs-policy.toml"
    policy.parent.mkdir()
    policy.write_text(f'[local]\npath = "{root}"\n[gpu]\npath = "{tmp_path / "gpu"}"\n', encoding="utf-8")
    code, _, err = run_cli(["generate", "--policy", str(policy)], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "exclude.ffs_tools_files" not in (policy.parent / "FREEFILESYNC_EXCLUSIONS.txt").read_text(
        encoding="utf-8")


@pytest.mark.ffs
@pytest.mark.parametrize("version", ["12", "14"])
def test_a_missing_gpu_folder_is_announced_and_the_batch_stops_as_announced(
        version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    need(version)
    gpu = tmp_path / "mnt" / "gpu" / "p"
    root = project(tmp_path, version, gpu)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[-5] == (
        f"gpu.path: {gpu} does not exist yet: the generated batch stops before changing anything (FreeFileSync's "
        "warning \"The following folders do not yet exist:\", exit code 3) and ffs-tools sync refuses to run it "
        "(exit 3); create the folder (or mount the GPU machine's folder there) before the first sync")
    code, log = run(version, root / "p.ffs_batch", tmp_path)
    assert code == 3, log
    assert not (tmp_path / "mnt").exists()  # nothing created, nothing synced
    code, out, err = run_cli(["sync", "--dry-run", "p.ffs_batch"], root, monkeypatch, capsys)
    assert code == 3, err
    assert f"  FreeFileSync would stop before syncing: pair 1: The following folders do not yet exist: {gpu}" in (
        out.splitlines())
    gpu.mkdir(parents=True)  # once it is there, generate has nothing to say about it
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert code == 0, err
    assert not [line for line in err.splitlines() if line.startswith("gpu.path")]


def test_a_gpu_path_that_is_a_file_is_announced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    gpu = tmp_path / "gpu"
    gpu.write_text("not a folder", encoding="utf-8")
    root = project(tmp_path, "12", gpu)
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert code == 1
    assert (f"gpu.path: {gpu} exists but is not a folder: FreeFileSync cannot sync into it; move it away or point "
            "gpu.path at a folder") in err.splitlines()
