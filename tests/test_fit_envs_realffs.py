"""Issue 9, items 2, 3 and 4, with a real git repository and the real FreeFileSync 12.0.

* a conda env found at ``miniforge/envs/train`` is excluded at that place: the real run leaves it out and
  copies the tracked ``src/mlproj/train/``;
* generate refuses what its own lint hook would reject (a tracked file below a built-in cache exclusion),
  names the policy's way out (``[exclude] drop``), and with it the file travels;
* symbolic links: ``preview`` and ``explain`` answer what the real run does under ``Exclude``, ``Direct``
  and ``Follow``; a link inside a keep path is refused under ``exclude`` and travels with ``follow``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from generate_helpers import files, run_cli, snapshot, write
from lintutil import git_repo
from realffs import require_ffs14, run_batch

pytestmark = pytest.mark.ffs

#: --ffs-version for generate: "12" (format 17) runs in Debian's 12.0, "14" (format 23) in 14.10 (FFS14_COMMAND)
VERSIONS = ["12", "14"]


def run_ffs(version: str, job: Path, work: Path) -> int:
    """Run ``job`` with the FreeFileSync of ``version``: 12.0 (tests/realffs.py) or 14.10 on a copy (14.x
    rewrites what it loads), with its settings in ``work``. The exit code; a run that waits fails the test."""
    import shutil
    import subprocess

    if version == "12":
        result = run_batch(job, work, timeout=60)
        code = result.returncode
    else:
        command = require_ffs14()
        copy = work / f"run14-{job.name}"
        shutil.copy(job, copy)
        env = {**os.environ, "FFS14_CONFIG_HOME": str(work / "ffs14-config"), "FFS14_TIMEOUT": "120"}
        code = subprocess.run([command, str(copy)], capture_output=True, text=True, timeout=300, check=False,
                              env=env).returncode
    assert code != 124, "the batch waited for a click"
    return code


def project(tmp_path: Path, tree: dict[str, str], policy: str = "", sync: str = "") -> tuple[Path, Path, Path]:
    """(local folder, GPU folder, FreeFileSync work folder) with ``tree``; ``policy`` is appended to the policy,
    ``sync`` goes into its ``[sync]`` table."""
    local, gpu, work = tmp_path / "proj", tmp_path / "gpu", tmp_path / "work"
    for rel, text in tree.items():
        write(local, rel, text)
    gpu.mkdir()
    work.mkdir()
    (local / "ffs-policy.toml").write_text(
        f'[project]\nname = "proj"\n\n[gpu]\npath = "{gpu}"\n\n[sync]\n{sync}deletion = "versioning"\n'
        f'versioning_folder = "{tmp_path / "versions"}"\n\n[batch]\nlog_folder = "{work / "logs"}"\n' + policy,
        encoding="utf-8")
    return local, gpu, work


@pytest.mark.parametrize("version", VERSIONS)
def test_an_env_found_at_a_known_place_is_excluded_there_and_tracked_code_of_its_name_travels(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], version: str) -> None:
    local, gpu, work = project(tmp_path, {
        "src/mlproj/train/model.py": "class Model: ...\n", "src/mlproj/__init__.py": "", ".gitignore": "miniforge/\n",
        "miniforge/envs/train/conda-meta/history": "==> 2024-01-01 <==\n",
        "miniforge/envs/train/lib/libtorch.so": "elf",
    })
    git_repo(local)
    code, _, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 0, err
    assert "scan: found miniforge/envs/train/ (conda-meta/ inside): excluded (/miniforge/envs/train/)" in err
    assert run_cli(["lint"], local, monkeypatch, capsys)[0] == 0  # the pre-commit hook: FFS131 and FFS112 clean
    assert run_ffs(version, local / "proj.ffs_batch", work) == 1  # the first two-way run's warning
    arrived = files(gpu)
    assert {"src/mlproj/train/model.py", "src/mlproj/__init__.py"} <= arrived
    assert not [p for p in arrived if p.startswith("miniforge/")]


CHECKPOINT_TREE = {"src/a.py": "x = 1\n", "notebooks/explore.ipynb": "{}\n",
                   "notebooks/.ipynb_checkpoints/x.ipynb": "{}\n"}


@pytest.mark.parametrize("version", VERSIONS)
def test_generate_refuses_what_its_lint_hook_rejects_and_the_policy_has_the_way_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], version: str) -> None:
    """A tracked notebooks/.ipynb_checkpoints/x.ipynb: main wrote the files (exit 0) and `ffs-tools lint` then
    failed with FFS131; now generate refuses with the hint, and [exclude] drop makes the file travel."""
    local, gpu, work = project(tmp_path, CHECKPOINT_TREE)
    git_repo(local)
    before = snapshot(local)
    code, out, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == (
        f"error: {local / 'ffs-policy.toml'}: the generated proj.ffs_batch would fail the lint hook: FFS131 pair 1: "
        "1 file git tracks would not sync, excluded by `*/.ipynb_checkpoints/` "
        "(notebooks/.ipynb_checkpoints/x.ipynb); `*/.ipynb_checkpoints/` is a built-in exclusion of ffs-tools: to "
        'sync these files, add drop = ["*/.ipynb_checkpoints/"] to [exclude] in the policy and run ffs-tools '
        "generate, or stop tracking them (git rm --cached); nothing was written")
    assert snapshot(local) == before
    with (local / "ffs-policy.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[exclude]\ndrop = ["*/.ipynb_checkpoints/"]\n')
    code, _, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 0, err
    assert "*/.ipynb_checkpoints/" not in (local / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8")
    assert run_cli(["lint"], local, monkeypatch, capsys)[0] == 0  # FFS121 notes it (info); the hook passes
    assert run_ffs(version, local / "proj.ffs_batch", work) == 1
    assert "notebooks/.ipynb_checkpoints/x.ipynb" in files(gpu)


@pytest.mark.parametrize("bad", ['"*/.git"', '"*/venv/"', '"*/wandb/"', '"*/__pycache__/"'])
def test_only_built_in_cache_items_can_be_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], bad: str) -> None:
    local, _, _ = project(tmp_path, CHECKPOINT_TREE, f"\n[exclude]\ndrop = [{bad}]\n")
    code, _, err = run_cli(["generate", "--ffs-version", "12"], local, monkeypatch, capsys)
    assert code == 2
    why = {'"*/wandb/"': "not one of the built-in cache items that can be (*/.pytest_cache/, */.mypy_cache/, "
                         "*/.ruff_cache/, */.ipynb_checkpoints/)",
           '"*/__pycache__/"': "the workflow's own cache never travels (lint's FFS121)"}.get(
        bad, "version control and environments never travel")
    policy = local / "ffs-policy.toml"
    assert err.splitlines()[-1] == f"error: {policy}:15: exclude.drop[0]: {bad} cannot be dropped: {why}"


def link_project(tmp_path: Path, symlinks: str, keep: str) -> tuple[Path, Path, Path]:
    """``data/imagenet -> <tmp>/store/imagenet`` (a folder with two images) next to ``src/``."""
    store = tmp_path / "store" / "imagenet"
    write(store, "train/a.jpg", "jpg-a")
    write(store, "train/b.jpg", "jpg-b")
    local, gpu, work = project(tmp_path, {"src/a.py": "x = 1\n", "data/labels.csv": "a,1\n"},
                               f'\n[keep]\npaths = ["{keep}"]\n', f'symlinks = "{symlinks}"\n')
    os.symlink(store, local / "data" / "imagenet")
    return local, gpu, work


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("symlinks", ["exclude", "direct", "follow"])
def test_preview_and_explain_answer_what_freefilesync_does_with_links(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], symlinks: str,
        version: str) -> None:
    local, gpu, work = link_project(tmp_path, symlinks, "src/")
    code, _, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 0, err
    what = {"exclude": 'FreeFileSync skips them (sync.symlinks = "exclude")',
            "direct": 'they travel as links (sync.symlinks = "direct"): their targets must exist on the GPU machine',
            "follow": 'FreeFileSync copies what they point to (sync.symlinks = "follow")'}[symlinks]
    assert f"scan: 1 symbolic link(s): data/imagenet -> {tmp_path / 'store' / 'imagenet'}: {what}" in err.splitlines()
    code, out, _ = run_cli(["preview", "proj.ffs_batch", "--format", "json"], local, monkeypatch, capsys)
    assert code == 0
    previewed = {p for p in json.loads(out)["pairs"][0]["synced"] if not p.endswith("/")}
    code, out, _ = run_cli(["explain", "data/imagenet", "data/imagenet/train/a.jpg", "-c", "proj.ffs_batch",
                            "-f", "json"], local, monkeypatch, capsys)
    assert code == 0
    verdicts = [row["synced"] for row in json.loads(out)["paths"]]
    assert run_ffs(version, local / "proj.ffs_batch", work) in (0, 1)
    arrived = files(gpu) | {p.relative_to(gpu).as_posix() for p in gpu.rglob("*") if p.is_symlink()}
    assert {p for p in previewed if not p.endswith((".ffs_gui", ".ffs_batch", ".ffs_real"))} == {
        p for p in arrived if not p.endswith((".ffs_gui", ".ffs_batch", ".ffs_real"))}
    link = gpu / "data" / "imagenet"
    expected = {"exclude": ([False, False], False, False), "direct": ([True, False], True, False),
                "follow": ([True, True], True, True)}[symlinks]
    copied = gpu / "data/imagenet/train/a.jpg"  # a real file in the GPU folder, not one seen through a link
    in_gpu = copied.is_file() and os.path.realpath(copied).startswith(os.path.realpath(gpu) + os.sep)
    assert (verdicts, os.path.lexists(link), in_gpu) == expected
    assert link.is_symlink() == (symlinks == "direct")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_link_in_a_keep_path_is_refused_under_exclude_warned_by_lint_and_travels_with_follow(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], version: str) -> None:
    local, gpu, work = link_project(tmp_path, "exclude", "data/")
    code, _, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 2
    assert err.splitlines()[-1] == (
        f"error: {local / 'ffs-policy.toml'}:16: keep.paths[0]: \"data/imagenet\" (in keep path \"data/\") is a "
        f"symbolic link to {tmp_path / 'store' / 'imagenet'}, and sync.symlinks = \"exclude\" makes FreeFileSync "
        'skip it: set sync.symlinks = "follow" (the GPU machine gets a copy of what it points to, and links on the '
        'GPU side are followed too) or "direct" (the link itself travels: its target must exist on the GPU '
        "machine)")
    assert not (local / "proj.ffs_batch").exists()
    policy = (local / "ffs-policy.toml").read_text(encoding="utf-8")
    (local / "ffs-policy.toml").write_text(policy.replace('symlinks = "exclude"', 'symlinks = "follow"'),
                                           encoding="utf-8")
    code, _, err = run_cli(["generate", "--ffs-version", version], local, monkeypatch, capsys)
    assert code == 0, err
    assert run_ffs(version, local / "proj.ffs_batch", work) == 1
    assert {"data/imagenet/train/a.jpg", "data/imagenet/train/b.jpg", "data/labels.csv"} <= files(gpu)
    # a config that skips links: lint --policy warns (FFS132); the generated one does not
    batch = (local / "proj.ffs_batch").read_text(encoding="utf-8")
    (local / "hand.ffs_batch").write_text(batch.replace("<Symlinks>Follow</Symlinks>",
                                                        "<Symlinks>Exclude</Symlinks>"), encoding="utf-8")
    code, out, _ = run_cli(["lint", "--policy", "ffs-policy.toml", "--select", "FFS132", "-f", "concise",
                            "hand.ffs_batch", "proj.ffs_batch"], local, monkeypatch, capsys)
    assert code == 0  # a warning
    left_line = next(n for n, line in enumerate(batch.splitlines(), 1) if "<Left>" in line)
    assert out.splitlines() == [
        f"hand.ffs_batch:{left_line}:1: FFS132 [warning] pair 1: keep path `data/` (keep.paths[0]) holds 1 "
        "symbolic link(s) that FreeFileSync skips (Symlinks=Exclude): data/imagenet -> "
        f"{tmp_path / 'store' / 'imagenet'}"]  # and nothing for the generated file, which follows links
