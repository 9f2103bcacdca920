"""Golden outputs of every reporter for a fixed set of lint fixtures (update: FFS_TOOLS_UPDATE_GOLDEN=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lintutil import FIXTURES, ROOT, settings

from ffs_tools.findings import Report
from ffs_tools.findings.reporters import FORMATS, render
from ffs_tools.lint.run import lint_file, new_report

GOLDEN = FIXTURES / "golden" / "lint"
FILES = [
    "fixtures/lint/FFS001/bad_merge_conflict.ffs_batch",
    "fixtures/lint/FFS001/ok_clean.ffs_batch",
    "fixtures/lint/FFS101/bad_pairs_share_the_gap.ffs_batch",
    "fixtures/lint/FFS102/bad_base_only.ffs_batch",
    "fixtures/lint/FFS141/bad_semicolon.ffs_batch",
    "fixtures/lint/FFS201/bad_real_pass64.ffs_real",
    "fixtures/lint/FFS302/bad_mirror_v17.ffs_gui",
    "fixtures/lint/FFS401/bad_autoclose_false.ffs_batch",
]
SUFFIX = {"text": "txt", "concise": "txt", "json": "json", "sarif": "sarif", "github": "txt"}


def _report(monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)
    report = new_report()
    for f in FILES:
        report.findings.extend(lint_file(f, settings(Path("/nonexistent"), scan=False)).findings)
        report.checked += 1
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_reporter_golden(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = render(_report(monkeypatch), fmt)
    golden = GOLDEN / f"report.{fmt}.{SUFFIX[fmt]}"
    if os.environ.get("FFS_TOOLS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8"), f"update with FFS_TOOLS_UPDATE_GOLDEN=1: {golden}"


def test_sarif_is_well_formed_with_rule_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(render(_report(monkeypatch), "sarif"))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all({"id", "name", "shortDescription", "fullDescription", "defaultConfiguration"} <= set(r) for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith("fixtures/lint/")
        assert loc["region"]["startLine"] >= 1


def test_github_annotations_escape_and_locate(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = render(_report(monkeypatch), "github").splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    # at the item that keeps `.git` back at the base folder only (`.git\` on line 22), not at <Exclude>
    assert any("file=fixtures/lint/FFS102/bad_base_only.ffs_batch,line=22,col=19" in line for line in lines)
    assert all("\n" not in line for line in lines)
