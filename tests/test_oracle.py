"""scripts/ffs_oracle.py without FreeFileSync: its generators regenerate the recorded cases, its guards hold."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import ffs_oracle
import pytest
from ffs_oracle import OracleError, gen_random, main, run_cases

CASES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "conformance"
KEYS = ("id", "tree", "include", "exclude")


def _recorded(name: str) -> list[dict[str, object]]:
    lines = (CASES_DIR / name).read_text(encoding="utf-8").splitlines()
    return [{k: json.loads(line)[k] for k in KEYS} for line in lines]


@pytest.mark.parametrize(("name", "seed", "file_only"), [("filter-random.jsonl", 101, False),
                                                         ("filter-file-only.jsonl", 505, True)])
def test_gen_regenerates_the_recorded_cases(name: str, seed: int, file_only: bool) -> None:
    recorded = _recorded(name)
    assert gen_random(len(recorded), seed, file_only=file_only) == recorded


def test_a_command_that_is_not_freefilesync_is_refused(tmp_path: Path) -> None:
    """`true` exits 0 like a clean FreeFileSync run; without the log it must not pass as 'nothing synced'."""
    with pytest.raises(OracleError, match="wrote no FreeFileSync log"):
        run_cases([{"id": "x", "tree": ["a.txt"], "include": ["*"], "exclude": []}], ["true"])


def test_a_failing_command_names_its_exit_code() -> None:
    """Exit 4 is FreeFileSync's "bad configuration": the error carries the code and the end of stderr."""
    with pytest.raises(OracleError, match=r"^sh -c .* exited 4: Configuration file is incomplete\.$"):
        run_cases([{"id": "x", "tree": ["a.txt"]}], ["sh", "-c", "echo Configuration file is incomplete. >&2; exit 4"])


def test_missing_case_file_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.jsonl"
    assert main(["run", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing}: [Errno 2] No such file or directory: '{missing}'\n"


@pytest.mark.parametrize("entry", ["../escape.txt", "/tmp/escape.txt", "a//b", "a/./b"])
def test_a_tree_entry_cannot_reach_outside_the_scratch_folder(entry: str) -> None:
    with pytest.raises(ValueError, match="is not a plain relative path"):
        run_cases([{"id": "x", "tree": ["ok.txt", entry]}], ["true"])


def test_a_stuck_run_is_killed_with_its_children(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Like xvfb-run's Xvfb, a child of the command must not outlive a timeout."""
    monkeypatch.setattr(ffs_oracle, "RUN_TIMEOUT", 1)
    pidfile = tmp_path / "child.pid"
    script = f"sleep 60 >/dev/null 2>&1 & echo $! > {pidfile}; wait"  # the child lets go of stderr: only the group kill
    with pytest.raises(OracleError, match="did not finish within 1 s"):
        run_cases([{"id": "x", "tree": ["a.txt"]}], ["sh", "-c", script])
    child = int(pidfile.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
