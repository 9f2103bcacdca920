"""Acceptance: all 159 real configs of the corpus lint with findings and no internal error."""

from __future__ import annotations

from collections import Counter

from lintutil import CORPUS, lint_path


def _corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv" and p.suffix != ".md")


def test_corpus_has_159_files() -> None:
    assert len(_corpus_files()) == 159


def test_every_corpus_file_gives_findings_without_internal_errors() -> None:
    files_with: Counter[str] = Counter()
    for name in _corpus_files():
        findings = lint_path(CORPUS / name, scan=False)
        assert findings, f"{name}: no findings"
        assert not [f for f in findings if "internal error" in f.message], (name, findings)
        for code in {f.code for f in findings}:
            files_with[code] += 1
    # GlobalSettings.xml is program settings, not a sync job: a finding, not a crash
    assert files_with["FFS002"] >= 5
    # the corpus is full of real gaps: most sync configs do not exclude .git at all
    assert files_with["FFS101"] > 100
    assert files_with["FFS102"] >= 5
    assert files_with["FFS201"] >= 5


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
