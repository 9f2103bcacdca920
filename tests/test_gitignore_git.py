"""The .gitignore translation against real git: git check-ignore is the judge, the filter engine gives FreeFileSync.

On many seeded trees (names with ``*``, ``?``, ``[``, spaces, dots, unicode, case variants; the same names
as files and folders at several depths) with ``.gitignore`` files drawn from fixtures/gitignore/pool.txt
(nested files, negations, anchored and unanchored rules, ``**``, folder-only), for every path:

* our reading of the rules gives git's own verdict (``git check-ignore --no-index``);
* the generated items never exclude a path git keeps or a keep path;
* every path git ignores is excluded, unless a rule that makes git ignore it was reported as not translated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitignore_trees import (
    Case,
    expected_synced,
    generate_case,
    git,
    git_ignored,
    make_case,
    policy_case,
    pool_rules,
    preview_synced,
)

from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.policy.gitignore import load_rules
from ffs_tools.policy.gitignore_tree import (
    EXACT,
    EXPANDED,
    NEGATION,
    NOT_TRANSLATED,
    GitignoreResult,
    Node,
    excluded_by,
    keep_related,
    translate_tree,
    walk,
)


def _check(case: Case, keep: list[str], semantics: Semantics) -> tuple[GitignoreResult, int]:
    """Compare one case; return the translation and the number of paths compared."""
    rules = load_rules(case.root)
    verdicts = git_ignored(case)
    assert len(verdicts) == len(case.files) + len(case.gitignores) + len(case.dirs)
    dirs = set(case.dirs)
    for shown, source in verdicts.items():
        ours, rule, _ = rules.verdict(shown, shown in dirs)
        assert ours == bool(source), f"{case.root.name}: {shown}: git says {source!r}, we say {rule}"
    result = translate_tree(rules, walk(case.root, rules, keep), semantics)
    flt = PathFilter.from_lists(["*"], [ex.item for ex in result.exclusions()], semantics)
    builtin = PathFilter.from_lists(["*"], [], semantics)
    missing = []
    for shown, source in verdicts.items():
        node = Node(shown, shown in dirs, False, frozenset())
        if excluded_by(builtin, node):
            continue  # *.ffs_db / *.ffs_lock: FreeFileSync never syncs them
        protected, ancestor = keep_related(node.path, keep)
        expected = bool(source) and not (protected or ancestor)
        excluded = excluded_by(flt, node)
        assert not (excluded and not expected), f"{case.root.name}: {shown} excluded, git says {source!r}"
        if expected and not excluded:
            missing.append(node)
    reported = [t.rule for t in result.translations if t.how == NOT_TRANSLATED]
    for node in missing:
        parts = node.path.split("/")
        chain = [("/".join(parts[:i]), True) for i in range(1, len(parts))] + [(node.path, node.is_dir)]
        assert any(r.matches(p, d) for r in reported for p, d in chain), \
            f"{case.root.name}: {node.path} ignored by git, synced, and no rule reported"
    return result, len(verdicts)


def _run(seeds: range, tmp_path: Path, semantics: Semantics, keep_every: int = 0) -> dict[str, int]:
    rules = pool_rules()
    counts = {EXACT: 0, EXPANDED: 0, NOT_TRANSLATED: 0, NEGATION: 0, "paths": 0}
    for seed in seeds:
        case = make_case(seed, tmp_path, rules)
        keep = [case.dirs[seed % len(case.dirs)]] if keep_every and case.dirs and seed % keep_every == 0 else []
        result, compared = _check(case, keep, semantics)
        counts["paths"] += compared
        for t in result.translations:
            counts[t.how] += 1
    return counts


def test_pool_rules_against_git_on_generated_trees(tmp_path: Path) -> None:
    counts = _run(range(12), tmp_path, Semantics.FFS12, keep_every=3)
    # exact, expanded and negated rules are all exercised, on enough paths
    assert counts["paths"] > 350
    assert min(counts[EXACT], counts[EXPANDED], counts[NEGATION]) > 0, counts


def test_case_variants_are_reported_never_excluded(tmp_path: Path) -> None:
    """git keeps Build/ when it ignores build/; FreeFileSync cannot tell them apart: reported, not excluded."""
    root = tmp_path / "r"
    for rel in ("build/o", "Build/q", "src/build/o", "main.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / ".gitignore").write_text("build/\n*.py\n")
    git(root, "init", "-q")
    git(root, "add", ".gitignore")
    case = Case(root, ("build/o", "Build/q", "src/build/o", "main.py"), ("build", "Build", "src"),
                {".gitignore": ""})
    result, compared = _check(case, [], Semantics.FFS14)
    assert compared == 8
    assert [(t.rule.text, t.how, t.items) for t in result.translations] == [
        ("build/", NOT_TRANSLATED, ()), ("*.py", EXACT, ("*/*.py",))]
    assert result.translations[0].note == ("FreeFileSync would decide Build/ differently (it ignores case); "
                                           "anchored items would also drop Build/")


@pytest.mark.slow
def test_many_trees_both_semantics(tmp_path: Path) -> None:
    for semantics in (Semantics.FFS12, Semantics.FFS14):
        counts = _run(range(100, 200), tmp_path / semantics.value, semantics, keep_every=4)
        assert counts["paths"] > 3000, counts


@pytest.mark.parametrize("seed", [2, 19, 48])
def test_generate_then_preview_json_gives_git_s_verdicts(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The generated config read back by ``ffs-tools preview --format json``: git's verdicts minus keep paths."""
    case, keep = policy_case(seed, tmp_path, tmp_path / "gpu", tmp_path / "work")
    out = tmp_path / "out"
    assert "0 not translated" in generate_case(case, out, monkeypatch, capsys)
    assert preview_synced(case, out, monkeypatch, capsys) == expected_synced(case, keep)
