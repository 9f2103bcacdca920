"""Issue 14, items 11, 12, 13 and 14 for ``lint`` and ``audit-gpu``: no hang on a FIFO, FFS141 linear in the
number of items, one line instead of a traceback, an unreadable folder is an error (not "0 files checked").

Permissions are checked as the user ``nobody`` (``setpriv``), since root ignores them; a hang is caught by
the subprocess timeout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "fixtures" / "lint" / "FFS001" / "ok_clean.ffs_batch"
FIXABLE = ROOT / "fixtures" / "lint" / "FFS101" / "bad_missing.ffs_batch"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def ffs(args: list[str], cwd: Path, nobody: bool = False) -> subprocess.CompletedProcess[str]:
    """``ffs-tools ARGS`` in a new process (60 s at most: a hang is a failure, not a stuck test run)."""
    cmd = [*(NOBODY if nobody else []), sys.executable, "-m", "ffs_tools", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd)}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the user nobody can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ffs-harden-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- item 11: FIFOs


def test_a_fifo_given_as_a_config_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "job.ffs_batch")
    proc = ffs(["lint", "job.ffs_batch"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[:2] == [
        "job.ffs_batch: FFS001 [error] is not a regular file (a FIFO, device or socket): not read",
        "    hint: lint reads the configuration files FreeFileSync saves (regular files of a few KB): check the path, "
        "or save the configuration again from FreeFileSync"]
    assert proc.stdout.endswith("1 file checked: 1 error\n")


def test_a_fifo_inside_a_linted_folder_is_skipped(tmp_path: Path) -> None:
    shutil.copyfile(CLEAN, tmp_path / "ok.ffs_batch")
    os.mkfifo(tmp_path / "pipe.ffs_gui")
    proc = ffs(["lint", "."], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "1 file checked: no findings\n"


# --------------------------------------------------------------------------- item 12: FFS141 is linear


def _items(count: int) -> tuple[str, ...]:
    kinds = ("*/cache{}/", "*.ext{}", "\\data\\run{}\\", "*/logs/run{}_*.txt", "*/tmp{}")
    return tuple(kinds[i % len(kinds)].format(i) for i in range(count))


def test_ffs141_compiles_each_mask_at_most_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from ffs_tools.filtering.engine import Semantics
    from ffs_tools.lint.rules import ffs141_suspicious_filter_item as rule

    compiler = importlib.import_module("re._compiler" if sys.version_info >= (3, 11) else "sre_compile")
    compiled: list[object] = []
    real = compiler.compile

    def counting(*args: object, **kwargs: object) -> object:
        compiled.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(compiler, "compile", counting)
    items = (*_items(1000), "\\cache5\\sub\\", "*.ext1")
    re.purge()
    found = rule._list_problems.__wrapped__(items, "exclude", (), Semantics.FFS12)
    assert found == ((1000, 0, "`\\cache5\\sub\\` has no effect: what it matches is already excluded by other items"),
                     (1001, 0, "`*.ext1` is a duplicate of an earlier item in the same list"))
    assert len(compiled) <= 2 * len(items), len(compiled)  # was about 530 per item (quadratic)


# --------------------------------------------------------------------------- items 13 and 14: no traceback


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("error: ")
    return proc.stderr.rstrip("\n")


def test_an_unreadable_folder_given_to_lint_is_an_error(shared: Path) -> None:
    (shared / "private").mkdir(mode=0o700)
    shutil.copyfile(CLEAN, shared / "private" / "job.ffs_batch")
    last = _one_line_error(ffs(["lint", "private"], shared, nobody=True))
    assert last == "error: private: cannot read this folder: Permission denied"


def test_lint_fix_in_a_read_only_folder(shared: Path) -> None:
    (shared / "ro").mkdir()
    job = shared / "ro" / "job.ffs_batch"
    shutil.copyfile(FIXABLE, job)
    job.chmod(0o666)  # the file could be written, the folder (for the atomic replace) cannot
    last = _one_line_error(ffs(["lint", "--fix", "ro/job.ffs_batch"], shared, nobody=True))
    assert last == "error: ro/job.ffs_batch: cannot write the fix: Permission denied; the file is unchanged"
    assert job.read_bytes() == FIXABLE.read_bytes()


def test_quarantine_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "gpu" / ".git").mkdir(parents=True)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    last = _one_line_error(ffs(["audit-gpu", "gpu", "--quarantine", str(tmp_path / "afile" / "q")], tmp_path))
    assert last == f"error: --quarantine: {tmp_path / 'afile'} is a file, not a folder"
    assert (tmp_path / "gpu" / ".git").is_dir()
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_a_fifo_as_the_policy_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "policy.toml")
    last = _one_line_error(ffs(["generate", "--policy", "policy.toml"], tmp_path))
    assert last == ("error: policy.toml: cannot read the policy: it is not a regular file (a FIFO, device or "
                    "socket)")
