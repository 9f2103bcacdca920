"""The real FreeFileSync 12.0 agrees with FFS141 (fused items), FFS143 and FFS144, before and after ``--fix``.

Before the fix the job lets through what its author meant to exclude: the ``node_modules`` and ``build``
folders below the base folder (FFS143: the items are anchored at the base), KDE's ``.directory`` files
(FFS144: the item matches folders only) and the ``._*`` and ``.DocumentRevisions-V100`` entries (FFS141:
two items fused into one). After ``lint --fix`` FreeFileSync keeps all of them on the left.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lintutil import LINT_FIXTURES, lint_path
from realffs import run_batch

from ffs_tools.cli import main

TREE = ("src/keep.py", "node_modules/a.js", "web/node_modules/b.js", "build/out.o", "lib/build/x.o", ".directory",
        "sub/.directory", "._foo", "sub/._bar", ".DocumentRevisions-V100/x", "sub/.DocumentRevisions-V100/y")
ITEMS = ("*/.git", "node_modules", "\\build\\", "*/.directory/", "*/._**/.DocumentRevisions-V100/")


def _job(tmp_path: Path, right: Path) -> Path:
    left = tmp_path / "L"
    for rel in TREE:
        (left / rel).parent.mkdir(parents=True, exist_ok=True)
        (left / rel).write_text(rel, encoding="utf-8")
    right.mkdir()
    data = (LINT_FIXTURES / "FFS004" / "ok_format_17.ffs_batch").read_bytes()
    items = b"".join(b"\r\n            <Item>" + i.encode() + b"</Item>" for i in ITEMS)
    data = re.sub(rb"<Exclude>.*?</Exclude>", lambda _: b"<Exclude>" + items + b"\r\n        </Exclude>", data,
                  flags=re.S)
    data = data.replace(b"/nonexistent/local/proj", str(left).encode()).replace(b"/nonexistent/gpu/proj",
                                                                                str(right).encode())
    job = tmp_path / "job.ffs_batch"
    job.write_bytes(data)
    return job


def _arrived(right: Path) -> list[str]:
    return sorted(p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()
                  if not p.name.startswith(".sync.ffs_db"))


@pytest.mark.ffs
@pytest.mark.slow
def test_freefilesync_agrees_before_and_after_the_fix(ffs: None, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "R1"
    job = _job(tmp_path, first)
    assert [(f.code, f.line) for f in lint_path(job, scan=False, profile="generic")] == [
        ("FFS143", 20), ("FFS143", 21), ("FFS144", 22), ("FFS141", 23)]
    (tmp_path / "run1").mkdir()
    result = run_batch(job, tmp_path / "run1", timeout=60)
    assert result.returncode in (0, 1), (result.returncode, result.stderr, result.log)
    assert _arrived(first) == sorted(["._foo", ".DocumentRevisions-V100/x", ".directory", "lib/build/x.o",
                                      "src/keep.py", "sub/.DocumentRevisions-V100/y", "sub/._bar", "sub/.directory",
                                      "web/node_modules/b.js"])
    assert main(["lint", "--no-scan", "--fix", str(job)]) == 0
    capsys.readouterr()
    assert lint_path(job, scan=False, profile="generic") == []
    second = tmp_path / "R2"
    second.mkdir()
    job.write_bytes(job.read_bytes().replace(str(first).encode(), str(second).encode()))
    (tmp_path / "run2").mkdir()
    result = run_batch(job, tmp_path / "run2", timeout=60)
    assert result.returncode in (0, 1), (result.returncode, result.stderr, result.log)
    assert _arrived(second) == ["src/keep.py"]
