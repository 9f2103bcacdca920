"""One finding per problem (the pairs that share it listed), and filter findings at the item that causes them."""

from __future__ import annotations

import json
import re

import pytest
from lintutil import CORPUS, lint_path, lint_text

from ffs_tools.findings import Edit, Finding, Place, Report, Severity, group_pairs, pair_label, pair_ranges
from ffs_tools.findings.reporters import render
from ffs_tools.lint.run import new_report
from ffs_tools.xml.spans import filter_positions

MAC = CORPUS / "031-FreeFileSync_Configurato-SyncSettings_mac_example.ffs_gui"


@pytest.mark.parametrize(("numbers", "text"), [
    ([1], "1"), ([3, 1, 2], "1-3"), ([1, 2, 3, 5, 7, 8], "1-3, 5, 7-8"), ([2, 2, 4], "2, 4"),
    (range(1, 146), "1-145"),
])
def test_pair_numbers_are_compressed_into_ranges(numbers: list[int], text: str) -> None:
    assert pair_ranges(numbers) == text


def test_pair_label_is_singular_for_one_pair() -> None:
    assert pair_label([4]) == "pair 4"
    assert pair_label([4, 4]) == "pair 4"
    assert pair_label([1, 2]) == "pairs 1-2"


def _one(pair: int, line: int, item: str = "*/.git", message: str = "`.git` is not excluded") -> Finding:
    return Finding("FFS101", Severity.ERROR, message, "job.ffs_batch", line, 17, "hint",
                   (Edit("add", f"pair.{pair - 1}.filter.exclude", item),), pairs=(pair,))


def test_pairs_with_the_same_problem_become_one_finding_with_every_place_and_fix() -> None:
    merged = group_pairs([_one(3, 70), _one(1, 40), _one(2, 55), _one(4, 90, message="other problem")], 4)
    assert [f.message for f in merged] == ["pairs 1-3: `.git` is not excluded", "pair 4: other problem"]
    first = merged[0]
    assert (first.line, first.column, first.pairs) == (40, 17, (1, 2, 3))
    assert first.places == (Place(55, 17), Place(70, 17))
    assert [e.key for e in first.fix] == ["pair.0.filter.exclude", "pair.1.filter.exclude", "pair.2.filter.exclude"]


def test_pairs_sharing_one_place_list_it_once_and_findings_without_pairs_stay_apart() -> None:
    whole_file = Finding("FFS101", Severity.ERROR, "`.git` is not excluded", "job.ffs_batch", 20)
    merged = group_pairs([_one(1, 20), _one(2, 20), whole_file], 2)
    assert len(merged) == 2
    grouped = next(f for f in merged if f.pairs)
    assert grouped.places == ()  # both pairs use the global filter at line 20
    assert grouped.fix == (Edit("add", "pair.0.filter.exclude", "*/.git"), Edit("add", "pair.1.filter.exclude",
                                                                                  "*/.git"))


def test_a_file_with_one_pair_gets_no_pair_label() -> None:
    assert [f.message for f in group_pairs([_one(1, 20)], 1)] == ["`.git` is not excluded"]


def test_group_key_keeps_different_problems_apart() -> None:
    a = Finding("FFS302", Severity.ERROR, "m", "j", 1, pairs=(1,), group="a")
    b = Finding("FFS302", Severity.ERROR, "m", "j", 2, pairs=(2,), group="b")
    assert len(group_pairs([a, b], 2)) == 2


def test_the_142_pair_corpus_config_gives_one_finding_per_problem() -> None:
    """Issue 10: 142 pairs, each with its own filter (28 different ones) sharing three filter problems and
    the main sync settings (judged as dev-gpu, lintutil's default)."""
    findings = lint_path(MAC, scan=False)
    by_code = {f.code: f for f in findings}
    assert sorted(f.code for f in findings) == ["FFS004", "FFS101", "FFS111", "FFS121", "FFS302"]
    for code in ("FFS101", "FFS111", "FFS121", "FFS302"):
        assert by_code[code].message.startswith("pairs 1-142: "), by_code[code].message
        assert by_code[code].pairs == tuple(range(1, 143))
    gap = by_code["FFS101"]
    assert (gap.line, gap.column) == (37, 17)  # pair 1's <Exclude>: the list the item is missing from
    assert len(gap.all_places()) == 142  # every pair's own <Exclude>
    assert len({e.key for e in gap.fix}) == 142
    # pair 84 excludes some caches: the names every pair lacks are not marked, the others say their pairs
    assert by_code["FFS121"].message.endswith(
        "cache folders are not excluded at every depth: __pycache__ (everywhere); other usual names too: "
        ".pytest_cache (everywhere in pairs 1-83, 85-142), .mypy_cache (everywhere in pairs 1-83, 85-142), "
        ".ruff_cache (everywhere in pairs 1-83, 85-142), .ipynb_checkpoints (everywhere)")


def _report(findings: list[Finding]) -> Report:
    report = new_report()
    report.findings.extend(findings)
    report.checked = 1
    return report


def test_every_format_reports_the_grouped_finding_once() -> None:
    findings = [f for f in lint_path(MAC, scan=False) if f.code == "FFS101"]
    report = _report(findings)
    text = render(report, "text")
    assert text.count("FFS101") == 1
    assert "pairs 1-142: `.git` is not excluded" in text
    assert "    also at: 58:17, 79:17, 100:17, 121:17, 142:17 and 136 more\n" in text
    doc = json.loads(render(report, "json"))
    assert len(doc["findings"]) == 1
    assert doc["findings"][0]["pairs"] == list(range(1, 143))
    assert doc["findings"][0]["locations"][:2] == [{"line": 37, "column": 17}, {"line": 58, "column": 17}]
    github = render(report, "github").splitlines()
    assert len(github) == 1
    assert github[0].startswith("::error file=")
    assert ",line=37,col=17," in github[0]
    assert "pairs 1-142: " in github[0]
    assert "%0Aalso at lines 58, 79, " in github[0]
    sarif = json.loads(render(report, "sarif"))["runs"][0]["results"]
    assert len(sarif) == 1
    regions = [loc["physicalLocation"]["region"] for loc in sarif[0]["locations"]]
    assert len(regions) == 142
    assert regions[:2] == [{"startLine": 37, "startColumn": 17}, {"startLine": 58, "startColumn": 17}]


JOB = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="23">
    <Filter>
        <Include>
            <Item>*</Item>
        </Include>
        <Exclude>
{items}
        </Exclude>
    </Filter>
    <FolderPairs>
        <Pair>
            <Left>/nonexistent/l</Left>
            <Right>/nonexistent/r</Right>
        </Pair>
    </FolderPairs>
</FreeFileSync>
"""


def _at(findings: list[Finding], code: str) -> list[tuple[int | None, int | None]]:
    return [(f.line, f.column) for f in findings if f.code == code]


def test_a_base_only_item_is_reported_at_its_own_line_and_column() -> None:
    items = "            <Item>*/venv/</Item>\n            <Item>*.tmp</Item>\n            <Item>\\.git\\</Item>"
    findings = lint_text(JOB.format(items=items), scan=False)
    assert _at(findings, "FFS102") == [(10, 19)]  # `\.git\`, not <Exclude> on line 7


def test_an_item_inside_a_piped_item_text_gets_its_own_column() -> None:
    items = "            <Item>*.tmp | *.bak|\\.git\\</Item>"
    findings = lint_text(JOB.format(items=items), scan=False)
    assert _at(findings, "FFS102") == [(8, 33)]


def test_an_item_on_a_later_line_of_a_multi_line_item_text_gets_that_line() -> None:
    items = "            <Item>*.tmp\n                  \\.git\\</Item>"
    findings = lint_text(JOB.format(items=items), scan=False)
    assert _at(findings, "FFS102") == [(9, 19)]


def test_a_missing_item_is_reported_at_the_list() -> None:
    findings = lint_text(JOB.format(items="            <Item>*.tmp</Item>"), scan=False)
    assert _at(findings, "FFS101") == [(7, 9)]  # <Exclude>


def test_positions_follow_entities_crlf_and_non_ascii_text() -> None:
    data = ("<FreeFileSync XmlFormat=\"23\"><Filter><Include><Item>*</Item></Include>\r\n<Exclude>"
            "<Item>é&amp;b|c</Item><Item> x</Item><Item/></Exclude></Filter></FreeFileSync>").encode()
    pos = filter_positions(data, 23)
    assert pos["filter.exclude"] == ((2, 1),)
    assert pos["filter.exclude.0"] == ((2, 16), (2, 24))  # columns count characters, `&amp;` is one item char
    assert pos["filter.exclude.1"] == ((2, 39),)  # leading blank trimmed
    assert pos["filter.exclude.2"] == ()


def test_text_scanned_differently_than_freefilesync_splits_it_gets_the_text_start() -> None:
    data = (b"<FreeFileSync XmlFormat=\"23\"><Filter><Exclude><Item>a&#124;b</Item>"
            b"<Item><![CDATA[c|d]]></Item></Exclude></Filter></FreeFileSync>")
    pos = filter_positions(data, 23)
    assert pos["filter.exclude.0"] == ((1, 53), (1, 53))
    assert pos["filter.exclude.1"] == ((1, 74), (1, 74))


def test_legacy_layout_positions_pair_filters() -> None:
    data = (b"<FreeFileSync XmlFormat=\"6\"><MainConfig><GlobalFilter><Exclude><Item>a</Item></Exclude>"
            b"</GlobalFilter><FolderPairs><Pair><LocalFilter><Exclude><Item>b</Item></Exclude></LocalFilter>"
            b"</Pair></FolderPairs></MainConfig></FreeFileSync>")
    pos = filter_positions(data, 6)
    assert pos["filter.exclude.0"] == ((1, 70),)
    assert pos["pair.0.filter.exclude.0"] == ((1, 150),)


# --------------------------------------------------------------------------- one finding per problem: follow-up

LINT = CORPUS.parent.parent / "lint"


def _brief(findings: list[Finding], code: str) -> list[tuple[int | None, int | None, str]]:
    return [(f.line, f.column, f.message) for f in findings if f.code == code]


def test_a_catch_all_item_is_one_finding_at_the_catch_all_not_one_per_swallowed_item() -> None:
    found = lint_path(LINT / "FFS103" / "bad_lone_star_backslash.ffs_batch", scan=False)
    assert _brief(found, "FFS141") == [
        (22, 19, "`*\\` excludes every folder: 13 other items of this list have no effect (`*/venv/`, `*/.venv/`, "
                 "`*/venv_gpu/`, ...)")]
    # a plain `*` excludes everything
    text = (LINT / "FFS103" / "bad_lone_star_backslash.ffs_batch").read_text(encoding="utf-8")
    plain = text.replace("<Item>*\\</Item>", "<Item>*</Item>", 1)
    assert _brief(lint_text(plain, scan=False), "FFS141") == [
        (22, 19, "`*` excludes everything: 13 other items of this list have no effect (`*/venv/`, `*/.venv/`, "
                 "`*/venv_gpu/`, ...)")]
    # an item the catch-all does not make redundant on its own (a file at the base) keeps its own finding
    items = "".join(f"<Item>{i}</Item>" for i in ("*\\", "*/venv/", "*.tmp", "x.tmp"))
    mixed = re.sub(r"<Exclude>.*?</Exclude>", lambda _: f"<Exclude>{items}</Exclude>", text, flags=re.S)
    assert [m for _, _, m in _brief(lint_text(mixed, scan=False), "FFS141")] == [
        "`*\\` excludes every folder: 1 other item of this list has no effect (`*/venv/`)",
        "`x.tmp` has no effect: what it matches is already excluded by other items"]
    # an item the catch-all swallows keeps a problem of another kind: an absolute path into the pair's folder
    absolute = mixed.replace("<Item>x.tmp</Item>", "<Item>/nonexistent/local/proj/build/</Item>")
    assert [m for _, _, m in _brief(lint_text(absolute, scan=False), "FFS141")] == [
        "`*\\` excludes every folder: 2 other items of this list have no effect (`*/venv/`, "
        "`/nonexistent/local/proj/build/`)",
        "`/nonexistent/local/proj/build/` is an absolute path: filter items are relative to the base folder of the "
        "pair"]


def test_only_the_later_duplicate_is_flagged_with_the_line_of_the_first() -> None:
    found = lint_path(LINT / "FFS141" / "bad_duplicate.ffs_batch", scan=False)
    assert _brief(found, "FFS141") == [
        (36, 19, "`*\\.GIT` is a duplicate of `*/.git`, an earlier item (line 22) in the same list")]


def test_a_pair_with_both_sides_empty_is_one_ffs203_at_the_pair() -> None:
    found = lint_path(LINT / "FFS203" / "bad_both_empty.ffs_batch", scan=False)
    assert _brief(found, "FFS203") == [(42, 1, "both folder paths (left and right) are empty")]


def test_no_pairs_in_the_legacy_layout_is_reported_at_main_config() -> None:
    found = lint_path(LINT / "FFS203" / "bad_legacy_no_pairs.ffs_gui", scan=False)
    assert _brief(found, "FFS203") == [
        (3, 1, "no folder pair: FreeFileSync runs one empty pair and stops at 'A folder input field is empty'")]
