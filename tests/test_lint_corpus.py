"""Acceptance: the 159 real configs of the corpus give exactly their reviewed expectations.

fixtures/corpus-expectations.json holds, per file, the profile lint chooses and the line of every
finding by rule under each profile (``scripts/lint_expectations.py --update`` regenerates it after a
reviewed change, and prints the per-rule table of the README).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from types import ModuleType

import pytest
from lintutil import CORPUS, ROOT, lint_path

from ffs_tools.findings import Finding


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lint_expectations", ROOT / "scripts" / "lint_expectations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPECTATIONS = _script()
#: corpus file -> (the profile lint chooses, findings under each profile)
Runs = dict[str, tuple[str, dict[str, list[Finding]]]]


def _corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv" and p.suffix != ".md")


def test_corpus_has_159_files() -> None:
    assert len(_corpus_files()) == 159
    assert [p.name for p in EXPECTATIONS.corpus_files()] == _corpus_files()


@pytest.fixture(scope="module")
def corpus_runs() -> Runs:
    """Every corpus file linted once under each profile (the slow part, shared by the tests below)."""
    return {path.name: EXPECTATIONS.run_file(path) for path in EXPECTATIONS.corpus_files()}


def test_every_corpus_file_gives_exactly_its_expected_findings(
        corpus_runs: Runs) -> None:
    expected = json.loads(EXPECTATIONS.EXPECTATIONS.read_text(encoding="utf-8"))
    fresh = EXPECTATIONS.expectations({name: EXPECTATIONS.entry(*run) for name, run in corpus_runs.items()})
    stale = [name for name in expected["files"] if expected["files"][name] != fresh["files"].get(name)]
    assert not stale, f"review, then scripts/lint_expectations.py --update: {stale[:10]}"
    assert fresh["files"] == expected["files"]  # per file: profile, codes, lines
    assert fresh["per_rule"] == expected["per_rule"]  # per rule: findings and files, both profiles


def test_no_corpus_file_gives_more_than_one_finding_per_rule_and_problem(
        corpus_runs: Runs) -> None:
    """Pairs that share a problem are one finding: no two findings of a file say the same thing."""
    for name, (_, per_profile) in corpus_runs.items():
        for profile, findings in per_profile.items():
            said = Counter((f.code, f.severity, re.sub(r"^pairs? [0-9, -]+: ", "", f.message)) for f in findings)
            assert [k for k, n in said.items() if n > 1] == [], (name, profile)
            assert not [f for f in findings if "internal error" in f.message], (name, profile)


def test_expectations_file_is_one_line_per_corpus_file() -> None:
    text = EXPECTATIONS.EXPECTATIONS.read_text(encoding="utf-8")
    assert EXPECTATIONS.dump(json.loads(text)) == text  # as the script writes it: reviewable diffs


def test_broken_corpus_file_gives_ffs001_with_location() -> None:
    findings = lint_path(CORPUS / "043-asafarim-site-SyncSettings.ffs_gui", scan=False)
    broken = [f for f in findings if f.code == "FFS001"]
    assert len(broken) == 1
    assert broken[0].line == 31
    assert broken[0].column
    assert "not well-formed" in broken[0].message


def test_gui_content_in_batch_file_is_ffs002() -> None:
    findings = lint_path(CORPUS / "133-ansible-SyncSettings.ffs_batch", scan=False)
    assert [f.code for f in findings] == ["FFS002"]
