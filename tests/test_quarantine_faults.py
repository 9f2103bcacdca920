"""A kill at every step of quarantine and restore, on one file system and across two (a real tmpfs):
one more quarantine or restore leaves every item in place or in DIR and recorded, byte-identical, with
nothing partial inside the tree (issue 14, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from auditcli import REPO, audit_cli
from quarantinehelp import (
    assert_nothing_lost,
    fresh,
    ignore,
    killed_at,
    mount_tmpfs,
    quarantine_tree,
    tree,
    without_dir_times,
)
from treebuilder import snapshot

from ffs_tools.audit import fault
from ffs_tools.audit.manifest import MANIFEST_NAME
from ffs_tools.audit.restore import restore


@pytest.fixture
def other_fs(tmp_path: Path) -> Iterator[Path]:
    yield from mount_tmpfs(tmp_path / "mnt")


def _dir_base(fs: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return tmp_path if fs == "same" else request.getfixturevalue("other_fs")


def _round(tmp_path: Path, base: Path, n: int, name: str) -> tuple[Path, Path]:
    root, q = tmp_path / f"{name}-tree", base / f"{name}-q"
    fresh(root)
    fresh(q)
    return tree(root), q


@pytest.mark.slow
@pytest.mark.parametrize("fs", ["same", "cross"])
def test_a_kill_at_any_step_of_quarantine_is_resolved_by_the_next_run(fs: str, tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    base = _dir_base(fs, tmp_path, request)
    n = 0
    while True:
        n += 1
        root, q = _round(tmp_path, base, n, "a")
        before = snapshot(root)
        if not killed_at(n, quarantine_tree, root, q):
            break
        assert quarantine_tree(root, q) == 0, f"step {n}"  # one more quarantine finishes the job
        assert_nothing_lost(before, root, q)
        assert not (root / "proj" / ".git").exists()
        assert restore(str(q), ignore) == 0, f"step {n}"
        assert without_dir_times(snapshot(root)) == without_dir_times(before), f"step {n}"
        root, q = _round(tmp_path, base, n, "b")  # the same kill, then a restore instead
        before = snapshot(root)
        assert killed_at(n, quarantine_tree, root, q)
        if (q / MANIFEST_NAME).exists():
            assert restore(str(q), ignore) == 0, f"step {n}"
            assert os.listdir(q) == [MANIFEST_NAME]
        assert without_dir_times(snapshot(root)) == without_dir_times(before), f"step {n}"
    assert n > (12 if fs == "same" else 40), f"only {n - 1} steps: the hook is not reached"


@pytest.mark.slow
@pytest.mark.parametrize("fs", ["same", "cross"])
def test_a_kill_at_any_step_of_restore_is_resolved_by_the_next_run(fs: str, tmp_path: Path,
                                                                   request: pytest.FixtureRequest) -> None:
    base = _dir_base(fs, tmp_path, request)
    n = 0
    while True:
        n += 1
        root, q = _round(tmp_path, base, n, "a")
        before = snapshot(root)
        assert quarantine_tree(root, q) == 0
        if not killed_at(n, restore, str(q), ignore):
            break
        assert restore(str(q), ignore) == 0, f"step {n}"  # one more restore finishes the job
        assert without_dir_times(snapshot(root)) == without_dir_times(before), f"step {n}"
        assert os.listdir(q) == [MANIFEST_NAME]
        root, q = _round(tmp_path, base, n, "b")  # the same kill, then a quarantine instead
        before = snapshot(root)
        assert quarantine_tree(root, q) == 0
        assert killed_at(n, restore, str(q), ignore)
        assert quarantine_tree(root, q) == 0, f"step {n}"
        assert_nothing_lost(before, root, q)
    assert n > (8 if fs == "same" else 40), f"only {n - 1} steps: the hook is not reached"


def test_the_hook_kills_the_real_command_and_the_next_run_finishes(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    before = snapshot(root)
    trace = tmp_path / "steps"
    killed = audit_cli(".", "--quarantine", str(q), cwd=root,
                       env={"FFS_TOOLS_FAULT": "5", "FFS_TOOLS_FAULT_TRACE": str(trace)})
    assert killed.returncode == fault.KILLED
    assert trace.read_text(encoding="utf-8").splitlines() == [
        "1 save manifest (0 items)", "2 remove journal", "3 journal pending", "4 rename .git -> .git",
        "5 renamed .git -> .git"]
    again = audit_cli(".", "--quarantine", str(q), "--format", "concise", cwd=root)
    assert again.returncode == 0, again.stderr  # everything found was moved: the exit code counts what is left
    assert f"note: finished the interrupted move of {root}/.git" in again.stderr.splitlines()
    assert_nothing_lost(before, root, q)
    assert audit_cli("--restore", str(q), cwd=tmp_path).returncode == 0
    assert snapshot(root) == before


def test_strace_injected_sigkill_at_a_rename(tmp_path: Path) -> None:
    """The same, with the kill injected by the kernel (strace) at the first rename of the move."""
    if subprocess.run(["which", "strace"], capture_output=True, check=False).returncode != 0:
        pytest.skip("strace is not installed")
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    before = snapshot(root)


    proc = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "inject=renameat2:signal=KILL:when=2",
                           sys.executable, "-m", "ffs_tools", "audit-gpu", ".", "--quarantine", str(q)],
                          cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, check=False)
    assert proc.returncode == 128 + 9 or proc.returncode == -9, proc.stderr
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved, nothing left
    assert_nothing_lost(before, root, q)
    assert audit_cli("--restore", str(q), cwd=tmp_path).returncode == 0
    assert snapshot(root) == before


def test_a_rerun_with_nothing_left_to_move_still_resolves_the_interrupted_run(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    trace = tmp_path / "steps"
    assert audit_cli(".", "--quarantine", str(tmp_path / "q0"), cwd=tree(tmp_path / "tree0"),
                     env={"FFS_TOOLS_FAULT_TRACE": str(trace)}).returncode == 0
    steps = trace.read_text(encoding="utf-8").splitlines()
    assert steps[-2:] == [f"{len(steps) - 1} save manifest (7 items)", f"{len(steps)} remove journal"]
    killed = audit_cli(".", "--quarantine", str(q), cwd=root, env={"FFS_TOOLS_FAULT": str(len(steps) - 1)})
    assert killed.returncode == fault.KILLED
    assert "ffs-quarantine.journal" in os.listdir(q)  # every record, not yet folded into the manifest
    again = audit_cli(".", "--quarantine", str(q), cwd=root)
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines() == ["nothing to quarantine", f"manifest: {q}/{MANIFEST_NAME} (restore with: "
                                         f"ffs-tools audit-gpu --restore {q}/{MANIFEST_NAME})"]
    assert sorted(os.listdir(q)) == [".git", "deep", MANIFEST_NAME, "libs", "linked", "odd", "proj", "wt"]
    assert audit_cli("--restore", str(q), cwd=tmp_path).returncode == 0
