"""The recorded conformance cases still agree with the real FreeFileSync installed now.

fixtures/conformance holds what FreeFileSync 12.0 and 14.10 synced for 2,900 filter cases
(fields ``ffs12``/``ffs14``, recorded with scripts/ffs_oracle.py). A seeded sample of them runs
again here through the oracle's own run function: if a FreeFileSync update, the oracle or the
fixtures drift apart, this fails. The sample always holds every case where 12.0 and 14.10
differ (file-only items, docs/filter-semantics.md#file-only-items-120-vs-148), so running the
wrong binary for a field fails too.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from ffs_oracle import record, run_cases
from realffs import require_ffs, require_ffs14

CASES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "conformance"
SEED = 11
PER_FILE = 28
#: 28 seeded cases from each of the three files, plus the 37 where the two versions differ (31 in file-only)
SAMPLE_SIZE = 121

pytestmark = [pytest.mark.ffs, pytest.mark.slow]


def _sample() -> list[dict[str, Any]]:
    """The same cases on every run: a seeded sample per file, plus every case 12.0 and 14.10 disagree on."""
    rng = random.Random(SEED)
    sample: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        chosen = {case["id"] for case in rng.sample(cases, PER_FILE)}
        chosen |= {case["id"] for case in cases if case["ffs12"] != case["ffs14"]}
        sample.extend(case for case in cases if case["id"] in chosen)
    return sample


def _mismatches(cases: list[dict[str, Any]], field: str, command: list[str]) -> list[str]:
    got = run_cases(cases, command, chunk=len(cases))  # one FreeFileSync start
    return [case["id"] for case, synced in zip(cases, got, strict=True) if synced != sorted(case[field])]


def test_sample_is_fixed_and_holds_the_version_differences() -> None:
    sample = _sample()
    assert len(sample) == SAMPLE_SIZE
    assert sum(1 for case in sample if case["ffs12"] != case["ffs14"]) == 37


def test_recorded_ffs12_results_agree_with_installed_freefilesync_12() -> None:
    require_ffs()
    assert _mismatches(_sample(), "ffs12", ["xvfb-run", "-a", "FreeFileSync"]) == []


def test_recorded_ffs14_results_agree_with_freefilesync_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command = require_ffs14()
    monkeypatch.setenv("FFS14_CONFIG_HOME", str(tmp_path / "ffs14-config"))  # its settings stay in the test's folder
    assert _mismatches(_sample(), "ffs14", [command]) == []


def test_record_writes_the_field_the_fixtures_hold(tmp_path: Path) -> None:
    """`ffs_oracle.py record` keeps agreeing lines byte for byte and fills in a missing field."""
    require_ffs()
    lines = (CASES_DIR / "filter-realistic.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:3]
    bare = {k: v for k, v in json.loads(lines[2]).items() if k in ("id", "tree", "include", "exclude")}
    cases = tmp_path / "cases.jsonl"
    cases.write_text(lines[0] + lines[1] + json.dumps(bare) + "\n", encoding="utf-8")
    assert record(cases, "ffs12", ["xvfb-run", "-a", "FreeFileSync"]) == 1
    written = cases.read_text(encoding="utf-8").splitlines(keepends=True)
    assert written[:2] == lines[:2]
    assert json.loads(written[2]) == {**bare, "ffs12": json.loads(lines[2])["ffs12"]}
    assert [p.name for p in tmp_path.iterdir()] == ["cases.jsonl"]  # replaced in place, no temporary left
