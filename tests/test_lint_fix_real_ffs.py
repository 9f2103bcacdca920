"""The real FreeFileSync 12.0 runs a format-17 batch job that ``lint --fix`` repaired.

Before the fix the job would sync nested ``.git`` folders, the worktree ``.git``
file, the virtualenv and the caches, and it would wait for a click at the end
(``AutoClose="false"``). After the fix FreeFileSync must accept the file (exit
0 or 1, not 4), finish on its own, and leave all of those on the left.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lintutil import LINT_FIXTURES, codes, lint_path
from realffs import run_batch

from ffs_tools.cli import main
from ffs_tools.findings import Severity

TREE = {
    "src/train.py": "print('hi')\n",
    ".git/config": "[core]\n",
    "vendor/lib/.git/HEAD": "ref: refs/heads/main\n",
    "wt/.git": "gitdir: /elsewhere/.git/worktrees/wt\n",
    "wt/code.py": "x = 1\n",
    "venv/pyvenv.cfg": "home = /usr/bin\n",
    "pkg/.venv/pyvenv.cfg": "home = /usr/bin\n",
    "pkg/__pycache__/m.cpython-311.pyc": "bytecode\n",
}


@pytest.mark.ffs
def test_fixed_format_17_batch_runs_in_freefilesync_12(ffs: None, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    left, right = tmp_path / "L", tmp_path / "R"
    for rel, text in TREE.items():
        (left / rel).parent.mkdir(parents=True, exist_ok=True)
        (left / rel).write_text(text, encoding="utf-8")
    right.mkdir()
    data = (LINT_FIXTURES / "FFS004" / "ok_format_17.ffs_batch").read_bytes()
    data = re.sub(rb"<Exclude>.*?</Exclude>", b"<Exclude>\r\n            <Item>.git\\\\</Item>\r\n        </Exclude>",
                  data, flags=re.S)
    data = data.replace(b"/nonexistent/local/proj", str(left).encode()).replace(b"/nonexistent/gpu/proj",
                                                                                str(right).encode())
    data = data.replace(b'AutoClose="true"', b'AutoClose="false"').replace(b"<ErrorDialog>Cancel<",
                                                                            b"<ErrorDialog>Show<")
    job = tmp_path / "job.ffs_batch"
    job.write_bytes(data)
    before = codes(lint_path(job, scan=False))
    assert {"FFS102", "FFS111", "FFS121", "FFS401"} <= before
    assert main(["lint", "--profile", "dev-gpu", "--no-scan", "--fix", str(job)]) in (0, 1)
    capsys.readouterr()
    # what stays of FFS111/FFS121 is the note on usual names the project does not use (issue 10)
    after = codes([f for f in lint_path(job, scan=False) if f.severity is not Severity.INFO])
    assert not after & {"FFS101", "FFS102", "FFS103", "FFS111", "FFS121", "FFS401"}
    result = run_batch(job, tmp_path, timeout=60)
    assert result.returncode in (0, 1), (result.returncode, result.stderr, result.log)
    arrived = sorted(p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file())
    assert "src/train.py" in arrived
    assert "wt/code.py" in arrived
    leaked = [p for p in arrived if re.search(r"(^|/)(\.git|venv|\.venv|__pycache__)(/|$)", p)]
    assert leaked == []
    assert b"XmlFormat=\"17\"" in job.read_bytes()  # FreeFileSync 12.0 did not need to rewrite it
