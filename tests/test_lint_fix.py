"""``lint --fix`` / ``--diff``: only the safe edits, everything else byte-identical, verified by linting again."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from lintutil import CORPUS, LINT_FIXTURES, codes, lint_path, settings

from ffs_tools.cli import main
from ffs_tools.findings import Severity
from ffs_tools.lint import fix
from ffs_tools.lint.run import lint_bytes, lint_file

#: the rules whose findings carry a safe fix (Finding.fix)
FIXABLE = ("FFS101", "FFS102", "FFS103", "FFS111", "FFS112", "FFS121", "FFS401", "FFS402")
#: the rules that rewrite a filter item in place (FFS141: fused items, `;` lists, a leading `**/`; its other
#: findings have no fix)
REWRITES = ("FFS141", "FFS143", "FFS144")
FIXABLE_CASES = sorted(
    p for code in FIXABLE if code != "FFS112" for p in (LINT_FIXTURES / code).glob("bad_*.ffs_*"))


def run_fix(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", "--profile", "dev-gpu", "--no-scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def changed_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """(removed, added) lines, with their line endings."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


@pytest.mark.parametrize("src", FIXABLE_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_cleans_the_fixed_rules_and_keeps_the_rest(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       src: Path) -> None:
    job = tmp_path / src.name
    shutil.copyfile(src, job)
    before = job.read_bytes()
    fixed_codes = codes(lint_path(job, scan=False)) & set(FIXABLE)
    assert fixed_codes
    run_fix(capsys, "--fix", str(job))
    after = job.read_bytes()
    # what stays of the fixed rules is FFS111/FFS121's note on usual names the project does not use (no fix)
    assert all(f.severity is Severity.INFO and not f.fix for f in lint_path(job, scan=False) if f.code in fixed_codes)
    removed, added = changed_lines(before, after)
    # additions are <Item> lines; the only lines rewritten are the batch settings
    assert all(re.fullmatch(rb"\s*<Item>[^<]+</Item>\r\n", line) for line in added if line not in removed
               and b"<Item>" in line)
    for line in removed:
        if b"<Item>" in line:  # FFS102: the item that keeps only the base folder's .git back, replaced in place
            assert re.sub(rb"(?<=[>|])\s*[\\/]?\.git([\\/])?(?=[<|])", lambda m: rb"*\.git" if m.group(1) == b"\\"
                          else b"*/.git", line) in added, line
            continue
        assert re.search(rb"<ProgressDialog|<ErrorDialog>|<Errors |<Exclude\s*/>", line), line
    assert after.count(b"\r\n") == after.count(b"\n")  # CRLF kept
    # running it again changes nothing
    run_fix(capsys, "--fix", str(job))
    assert job.read_bytes() == after


def test_diff_writes_nothing_and_shows_the_edit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    job = tmp_path / "job.ffs_batch"
    shutil.copyfile(LINT_FIXTURES / "FFS102" / "bad_base_only.ffs_batch", job)
    before = job.read_bytes()
    code, out, _ = run_fix(capsys, "--diff", str(job))
    assert code == 1
    assert job.read_bytes() == before
    assert f"--- a/{job}" in out
    # FFS102: the item that keeps only the base folder's .git back is the mistake: replaced, not added to
    assert [line for line in out.splitlines(keepends=True) if line.startswith(("-  ", "+  "))] == [
        "-            <Item>.git\\</Item>\r\n", "+            <Item>*\\.git</Item>\r\n"]
    assert run_fix(capsys, "--diff", str(LINT_FIXTURES / "FFS001" / "ok_clean.ffs_batch"))[:2] == (0, "")


def test_lf_file_self_closing_exclude_and_backslash_style(tmp_path: Path) -> None:
    text = (LINT_FIXTURES / "FFS101" / "bad_missing.ffs_batch").read_bytes().replace(b"\r\n", b"\n")
    start, end = text.index(b"        <Exclude>"), text.index(b"</Exclude>") + len(b"</Exclude>")
    lf = text[:start] + b"        <Exclude/>" + text[end:]
    result = lint_bytes(lf, "job.ffs_batch", settings(tmp_path, scan=False))
    plan = fix.plan(result, lf)
    assert not plan.refused
    assert b"\r\n" not in plan.fixed
    assert b"        <Exclude>\n            <Item>*/.git</Item>\n            <Item>*/venv/</Item>\n" in plan.fixed
    assert plan.fixed.endswith(text[end:])
    # existing items written with backslashes: new ones follow the style
    back = re.sub(rb"<Item>([^<]*)</Item>", lambda m: b"<Item>" + m.group(1).replace(b"/", b"\\") + b"</Item>", text)
    plan = fix.plan(lint_bytes(back, "job.ffs_batch", settings(tmp_path, scan=False)), back)
    assert b"<Item>*\\.git</Item>" in plan.fixed


def test_pair_filter_gets_the_items_when_only_it_is_flagged(tmp_path: Path) -> None:
    src = LINT_FIXTURES / "FFS101" / "bad_pair_filter_allows.ffs_batch"
    data = src.read_bytes()
    plan = fix.plan(lint_bytes(data, src.name, settings(tmp_path, scan=False)), data)
    removed, added = changed_lines(data, plan.fixed)
    assert removed == []
    assert added == [b"                    <Item>*/.git</Item>\r\n"]


def test_old_format_is_not_fixed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    job = tmp_path / "old.ffs_gui"
    shutil.copyfile(CORPUS / "005-dot-GibBackup.ffs_gui", job)
    before = job.read_bytes()
    _, _, err = run_fix(capsys, "--fix", str(job))
    assert job.read_bytes() == before
    assert "not fixed: XmlFormat 5 is too old" in err


def test_exactly_the_fixable_rules_carry_structured_fixes(tmp_path: Path) -> None:
    """Over every lint fixture, the findings with edits are those of the fixable rules, and every edit of
    theirs is an exclude item added at a filter list, an unattended batch setting or an item rewritten."""
    with_fix: set[str] = set()
    without_fix: set[str] = set()
    edits: set[tuple[str, str, str]] = set()
    notes: set[str] = set()
    for path in sorted(LINT_FIXTURES.glob("*/*.ffs_*")):
        for f in lint_path(path, cwd=tmp_path, scan=False):
            if f.severity is Severity.INFO and not f.fix:
                notes.add(f.code)  # FFS111/FFS121 on names the project does not use: nothing to fix
                continue
            (with_fix if f.fix else without_fix).add(f.code)
            edits.update((e.op, re.sub(r"\d+", "N", e.key), e.value) for e in f.fix)
    assert with_fix == set(FIXABLE) - {"FFS112"} | set(REWRITES)  # FFS112 needs a left folder on disk (below)
    assert not without_fix & with_fix - {"FFS112", "FFS141"}
    assert notes == set()  # no fixture misses only names the project does not use (tests/test_lint_profiles.py)
    assert {(op, key) for op, key, _ in edits} == {
        ("add", "filter.exclude"), ("add", "pair.N.filter.exclude"), ("set", "batch.auto_close"),
        ("set", "batch.error_dialog"), ("set", "errors.ignore"), ("replace", "filter.exclude.N"),
        ("replace", "pair.N.filter.exclude.N")}
    assert {(key, value) for op, key, value in edits if op == "set"} == {
        ("batch.auto_close", "true"), ("batch.error_dialog", "Cancel"), ("errors.ignore", "false")}


@pytest.mark.slow
def test_every_corpus_file_fixes_cleanly_or_says_why(tmp_path: Path) -> None:
    fixed = refused = 0
    for path in sorted(CORPUS.glob("*.ffs_*")):
        s = settings(tmp_path, scan=False)
        result = lint_file(str(path), s)
        if not set(FIXABLE) & codes(result.findings):
            continue
        plan = fix.plan(result, path.read_bytes())
        if not plan.refused:
            fix.verify(plan, result.findings, s)
        if plan.refused:
            refused += 1
            continue
        fixed += 1
        removed, _ = changed_lines(plan.original, plan.fixed)
        # an <Item> line goes only when a finding rewrites that very item (FFS141/FFS143/FFS144)
        rewritten = {e.key for f in result.findings for e in f.fix if e.op == "replace"}
        items = {re.sub(rb"\s+", b"", line) for line in removed if b"<Item>" in line}
        assert len(items) <= len(rewritten), path
        assert all(re.search(rb"<ProgressDialog|<ErrorDialog>|<Errors |<Exclude\s*/>|<Item>", line)
                   for line in removed), path
    assert fixed > 50
    assert refused < fixed


def test_fix_excludes_environments_found_in_the_left_folder(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(LINT_FIXTURES / "FFS112", tmp_path / "rule")
    work = tmp_path / "rule"
    monkeypatch.chdir(work)
    job = work / "bad_odd_venv_name.ffs_batch"
    assert main(["lint", "--profile", "dev-gpu", "--fix", str(job)]) == 0
    capsys.readouterr()
    text = job.read_bytes()
    assert b"<Item>/env-py311/</Item>\r\n" in text  # anchored where it was found, never by name at every depth
    assert b"<Item>/tools/miniconda/</Item>\r\n" in text
    assert "FFS112" not in codes(lint_path(job, cwd=work))


def test_scan_stops_at_the_limit_and_says_so(tmp_path: Path) -> None:
    from ffs_tools.lint.rules._context import Options, Profile
    from ffs_tools.lint.run import Settings, lint_file

    left = tmp_path / "left"
    for i in range(30):
        (left / f"d{i}").mkdir(parents=True)
    job = tmp_path / "job.ffs_batch"
    job.write_bytes((LINT_FIXTURES / "FFS001" / "ok_clean.ffs_batch").read_bytes().replace(
        b"/nonexistent/local/proj", str(left).encode()))
    s = Settings(options=Options(cwd=tmp_path, scan_limit=10, use_git=False, profile=Profile.DEV_GPU))
    info = [f for f in lint_file(str(job), s).findings if f.code == "FFS112"]
    assert [f.severity.label for f in info] == ["info"]
    assert "stopped looking for environments" in info[0].message


@pytest.mark.parametrize(("item", "fixed", "appended"), [
    (".git\\", "*\\.git", []), ("/.git/", "*/.git", []), (" .git ", "*/.git", []),
    ("*.tmp|\\.git\\", "*.tmp|*\\.git", []),
    (".git*", ".git*", [b"*/.git"]),  # also keeps .gitignore etc. back: not only a mistake, kept; */.git added
])
def test_ffs102_replaces_the_base_only_git_item_in_place(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         item: str, fixed: str, appended: list[bytes]) -> None:
    """Issue 9 item 12: ``--fix`` used to append ``*/.git`` and leave ``.git\\`` (now redundant) in the list."""
    data = (LINT_FIXTURES / "FFS102" / "bad_base_only.ffs_batch").read_bytes()
    assert data.count(b"<Item>.git\\</Item>") == 1
    job = tmp_path / "job.ffs_batch"
    job.write_bytes(data.replace(b"<Item>.git\\</Item>", f"<Item>{item}</Item>".encode()))
    assert "FFS102" in codes(lint_path(job, scan=False))
    run_fix(capsys, "--fix", str(job))
    after = job.read_bytes()
    start, end = after.index(b"<Exclude>"), after.index(b"</Exclude>")
    items = re.findall(rb"<Item>([^<]*)</Item>", after[start:end])
    before = re.findall(rb"<Item>([^<]*)</Item>", data[data.index(b"<Exclude>"):data.index(b"</Exclude>")])
    at = before.index(b".git\\")
    assert items[:at] == before[:at]
    assert items[at:] == [fixed.encode(), *before[at + 1:], *appended]
    assert not {"FFS101", "FFS102", "FFS103"} & codes(lint_path(job, scan=False))


@pytest.mark.parametrize(("item", "fixed"), [
    ("*.tmp;*.bak", [b"*.tmp", b"*.bak"]),      # one <Item> per item, in place
    ("*.log|*.tmp ; *.bak", [b"*.log|*.tmp|*.bak"]),  # a |-joined <Item> stays one, joined with |
    ("**/node_modules/", [b"*/node_modules/"]),  # gitignore's any depth: */ matches at the base and below
    ("*.tmp;", [b"*.tmp;"]),                    # an empty piece: no single repair, left for the user
    ("^a;b$", [b"^a;b$"]),                      # the pieces would still be regular expressions: left alone
])
def test_ffs141_replaces_an_item_with_one_repair_in_place(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          item: str, fixed: list[bytes]) -> None:
    """Issue 9 item 12: the suspicious item itself is the mistake; where its repair is unambiguous, ``--fix``
    writes it at the item's place (nothing appended), and FFS141 is gone for it."""
    data = (LINT_FIXTURES / "FFS141" / "bad_semicolon.ffs_batch").read_bytes()
    job = tmp_path / "job.ffs_batch"
    job.write_bytes(data.replace(b"<Item>*.tmp;*.bak</Item>", f"<Item>{item}</Item>".encode()))
    before = job.read_bytes()
    assert "FFS141" in codes(lint_path(job, scan=False))
    run_fix(capsys, "--fix", str(job))
    after = job.read_bytes()
    items = re.findall(rb"<Item>([^<]*)</Item>", after[after.index(b"<Exclude>"):after.index(b"</Exclude>")])
    old = re.findall(rb"<Item>([^<]*)</Item>", before[before.index(b"<Exclude>"):before.index(b"</Exclude>")])
    assert old[-1] == item.encode()
    assert items == old[:-1] + fixed
    assert ("FFS141" in codes(lint_path(job, scan=False))) == (fixed == [item.encode()])
