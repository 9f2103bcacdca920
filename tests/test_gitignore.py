"""exclude.gitignore: the translation rules one by one, the pool's share, and generate with a real repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from generate_helpers import run_cli, write
from gitignore_trees import git, pool_rules

from ffs_tools.ffs.model import SyncJob
from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.filtering.traversal import disk_lister, synced_items
from ffs_tools.policy.gitignore import GitRules, parse_rules, shadowed
from ffs_tools.policy.gitignore_items import translate
from ffs_tools.policy.gitignore_tree import EXPANDED, NEGATION, translate_tree
from ffs_tools.xml.read import load

TRANSLATIONS = [
    ("*.log", "", ("*/*.log",)),
    ("build/", "", ("*/build/",)),
    ("/dist", "", ("/dist",)),
    ("docs/_build/", "", ("/docs/_build/",)),
    ("a/**", "", ("/a/?*",)),
    ("a/**/", "", ("/a/?*/",)),
    ("**/x", "", ("*/x",)),
    ("**/build/**", "", ("*/build/?*",)),
    ("a/**/b", "", ("/a/b", "/a/*/b")),
    ("a/**/*.log", "", ("/a/*.log", "/a/*/*.log")),
    (".vscode/*", "", ("/.vscode/?*",)),
    ("*", "", ("*/?*",)),
    ("**", "sub", ("/sub/?*",)),
    ("*.py[cod]", "", ("*/*.pyc", "*/*.pyo", "*/*.pyd")),
    ("[Dd]esktop.ini", "", ("*/Desktop.ini",)),
    ("*.[oa]", "", ("*/*.o", "*/*.a")),
    ("/config/local.*", "", ("/config/local.*",)),
    ("*.log", "sub/dir", ("/sub/dir/*.log", "/sub/dir/*/*.log")),
    ("/x", "sub", ("/sub/x",)),
    ("out", "sub", ("/sub/out", "/sub/*/out")),
    ("\\#notes#", "", ("*/#notes#",)),
    ("\\!important", "", ("*/!important",)),
    ("foo   ", "", ("*/foo",)),
    ("?.out", "", ("*/?.out",)),
]

PROBLEMS = [
    ("a*b", "two literal parts around a *: FreeFileSync's * would match across folders"),
    ("/a/*.log", "a * at the start of an anchored name: FreeFileSync's * would match deeper"),
    ("a/*/b", "a * before the last /: FreeFileSync's * also crosses folders"),
    ("a\\*b", "an escaped \\*: FreeFileSync has no escape for its wildcards"),
    ("[!x]*.tmp", "a negated character class: FreeFileSync has no character classes"),
    ("[a-z]*", "a character range with more than 16 characters"),
    ("[ab][cd][ef][gh][ij]", "character classes with more than 16 combinations"),
    ("x:", "a name ending in a colon: FreeFileSync reads item: as file-only"),
    ("a|b", "a | in a name: FreeFileSync separates items with |"),
    ("foo\\ ", "white space at the end of a name: FreeFileSync trims items"),
]


@pytest.mark.parametrize(("text", "folder", "items"), TRANSLATIONS)
def test_exact_items(text: str, folder: str, items: tuple[str, ...]) -> None:
    assert translate(text, folder).items == items
    assert translate(text, folder).problem == ""


@pytest.mark.parametrize(("text", "problem"), PROBLEMS)
def test_no_exact_items(text: str, problem: str) -> None:
    assert translate(text, "").items == ()
    assert translate(text, "").problem == problem


def test_rules_are_read_like_git() -> None:
    text = "# comment\n\n*.log  \n!keep.log\nbuild/\n\\#x\nname\\ \n/a/**\n"
    rules = parse_rules(text, "sub/.gitignore")
    assert [(r.line, r.folder, r.negate, r.dir_only, r.below) for r in rules] == [
        (3, "sub", False, False, False), (4, "sub", True, False, False), (5, "sub", False, True, False),
        (6, "sub", False, False, False), (7, "sub", False, False, False), (8, "sub", False, False, True)]
    git_rules = GitRules(rules)
    assert git_rules.verdict("sub/x/a.log", False)[0] is True
    assert git_rules.verdict("sub/x/keep.log", False)[0] is False
    assert git_rules.verdict("a.log", False)[0] is False  # above the .gitignore's folder
    assert git_rules.verdict("sub/build", False)[0] is False  # folder-only
    assert git_rules.verdict("sub/build/o", False)[1:] == (rules[2], "sub/build/")
    assert git_rules.verdict("sub/name ", False)[0] is True


def test_share_of_the_pool_translated_without_expansion() -> None:
    """The figure issue 12 asks for: the pool as one .gitignore, on an empty tree."""
    rules = GitRules(parse_rules("\n".join(pool_rules()) + "\n", ".gitignore"))
    result = translate_tree(rules, [], Semantics.FFS14)
    assert result.share_exact() == (136, 145)
    expanded = [t.rule.text for t in result.translations if t.how == EXPANDED]
    # five are followed by a ! rule that may re-include what they match, four use what FreeFileSync lacks
    assert expanded == ["data/*", "/models/*", "logs/**", ".yarn/*", ".vscode/*", "a*b", "foo*bar*", "[!x]*.tmp",
                        "**/deep/*.log"]
    assert sum(t.how == NEGATION for t in result.translations) == 7


GITIGNORE = "# junk\nwandb/\n*.egg-info/\nlogs/*\n!logs/.gitkeep\ndata/\n*.ckpt\n"
TREE = ("train.py", "README.md", "data/raw/a.csv", "data/tmp/x.csv", "data/c.csv", "wandb/run-1/files",
        "logs/a.log", "logs/.gitkeep", "src/pkg.egg-info/PKG-INFO", "models/best.ckpt")


def _repo(root: Path, policy: str) -> None:
    for rel in TREE:
        write(root, rel, "x")
    write(root, ".gitignore", GITIGNORE)
    write(root, "ffs-policy.toml", policy)
    git(root, "init", "-q")
    git(root, "add", ".gitignore")


def test_generate_excludes_what_git_ignores_except_keep_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _repo(root, f'[gpu]\npath = "{tmp_path / "gpu"}"\n[exclude]\ngitignore = true\n'
                '[keep]\npaths = ["data/raw/", "models/"]\n')
    code, _, err = run_cli(["generate", "--ffs-version", "12", "--out", str(tmp_path / "o")], root,
                             monkeypatch, capsys)
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("gitignore:")]
    assert lines == [
        "gitignore: 6 rules: 2 of 5 translated exactly, 3 expanded against the local tree, 0 not translated, "
        "1 negations",
        "gitignore: .gitignore:4: logs/*: expanded into 1 anchored item(s): .gitignore:5 (!logs/.gitkeep) may "
        "re-include what it matches",
        "gitignore: .gitignore:6: data/: expanded into 2 anchored item(s): git keeps data/ in the end (a ! rule "
        "or a keep path)",
        "gitignore: .gitignore:7: *.ckpt: expanded into 0 anchored item(s): git keeps models/best.ckpt in the "
        "end (a ! rule or a keep path)"]
    job = load(tmp_path / "o" / "p.ffs_batch").config
    assert isinstance(job, SyncJob)
    # then ffs-tools' own file inside the local folder: the policy (the outputs go elsewhere here)
    assert job.filter.exclude[-6:] == ("*/wandb/", "*/*.egg-info/", "/logs/a.log", "/data/c.csv", "/data/tmp/",
                                       "ffs-policy.toml")
    flt = PathFilter.from_configs(job.filter, job.pairs[0].filter, Semantics.FFS12)
    synced = {i.path for i in synced_items(flt, disk_lister(str(root))) if not i.path.endswith("/")}
    assert synced == {"train.py", "README.md", "data/raw/a.csv", "logs/.gitkeep", "models/best.ckpt",
                      ".gitignore"}
    text = (tmp_path / "o" / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8")
    assert "\n# .gitignore:2: wandb/\n*/wandb/\n" in text
    assert ("\n# .gitignore:6: data/ (expanded against the local tree: the paths that match now; git keeps data/ "
            "in the end (a ! rule or a keep path))\n/data/tmp/\n") in text
    # the tree grows a new match of an expanded rule: --check notices
    assert run_cli(["generate", "--ffs-version", "12", "--out", str(tmp_path / "o"), "--check"], root,
                   monkeypatch, capsys)[0] == 0
    write(root, "data/new.csv", "x")
    assert run_cli(["generate", "--ffs-version", "12", "--out", str(tmp_path / "o"), "--check"], root,
                   monkeypatch, capsys)[0] == 1


@pytest.mark.parametrize(("extra", "init", "phrase"), [
    ("", False, "is not a git work tree"),
    ('[[folders]]\npath = "models/"\ndirection = "pull"\n', True, "is not supported together with [[folders]]"),
])
def test_generate_refuses(extra: str, init: bool, phrase: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    write(root, "ffs-policy.toml", f'[gpu]\npath = "{tmp_path / "gpu"}"\n[exclude]\ngitignore = true\n{extra}')
    if init:
        git(root, "init", "-q")
    code, _, err = run_cli(["generate", "--out", str(tmp_path / "o")], root, monkeypatch, capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if not line.startswith(("scan:", "target:"))]
    assert len(lines) == 1, err
    assert "exclude.gitignore: " in lines[0]
    assert phrase in lines[0]
    assert not (tmp_path / "o").exists()


def test_explain_gives_git_s_verdict_beside_freefilesync_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _repo(root, f'[gpu]\npath = "{tmp_path / "gpu"}"\n[exclude]\ngitignore = true\n'
                '[keep]\npaths = ["data/raw/", "models/"]\n')
    write(root, ".venv/pyvenv.cfg", "home = /usr/bin\n")
    out_dir = tmp_path / "o"
    assert run_cli(["generate", "--ffs-version", "12", "--out", str(out_dir)], root, monkeypatch, capsys)[0] == 0
    paths = ["wandb/run-1/files", "data/raw/a.csv", "models/best.ckpt", "logs/.gitkeep", ".venv/pyvenv.cfg",
             "train.py"]
    code, out, err = run_cli(["explain", *paths, "--config", str(out_dir / "p.ffs_batch"), "--format", "json"],
                             root, monkeypatch, capsys)
    assert code == 0, err
    rows = {row["path"]: row["git"] for row in json.loads(out)["paths"]}
    assert rows == {
        "wandb/run-1/files": {"ignored": True, "rule": ".gitignore:2:wandb/", "via": "wandb/", "agrees": True,
                              "on_purpose": None},
        "data/raw/a.csv": {"ignored": True, "rule": ".gitignore:6:data/", "via": "data/", "agrees": False,
                           "on_purpose": "keep path: it must sync although git ignores it"},
        "models/best.ckpt": {"ignored": True, "rule": ".gitignore:7:*.ckpt", "via": None, "agrees": False,
                             "on_purpose": "keep path: it must sync although git ignores it"},
        "logs/.gitkeep": {"ignored": False, "rule": ".gitignore:5:!logs/.gitkeep", "via": None, "agrees": True,
                          "on_purpose": None},
        ".venv/pyvenv.cfg": {"ignored": False, "rule": None, "via": None, "agrees": False,
                             "on_purpose": "built-in exclusion of ffs-tools: it never travels"},
        "train.py": {"ignored": False, "rule": None, "via": None, "agrees": True, "on_purpose": None},
    }
    code, out, _ = run_cli(["explain", "data/tmp/x.csv", "--config", str(out_dir / "p.ffs_batch")], root,
                           monkeypatch, capsys)
    assert code == 0
    assert out.splitlines()[1] == ("            git: ignored (.gitignore:6:data/, via data/); "
                                   "FreeFileSync agrees")


def test_init_proposes_gitignore_in_a_git_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    for rel in TREE:
        write(root, rel, "x")
    write(root, ".gitignore", GITIGNORE)
    assert run_cli(["init", "--gpu", str(tmp_path / "gpu")], root, monkeypatch, capsys)[0] == 0
    assert "\ngitignore = false  # also exclude what the committed .gitignore" in (root / "ffs-policy.toml").read_text()
    git(root, "init", "-q")
    git(root, "add", ".gitignore")
    assert run_cli(["init", "--gpu", str(tmp_path / "gpu"), "--force"], root, monkeypatch, capsys)[0] == 0
    assert "\ngitignore = true  # also exclude what the committed .gitignore" in (root / "ffs-policy.toml").read_text()
    code, _, err = run_cli(["generate", "--out", str(tmp_path / "o")], root, monkeypatch, capsys)
    assert code == 0, err
    assert "*/wandb/" in (tmp_path / "o" / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("root_text", "nested", "expected"), [
    ("*.log\n!keep.log\n", {}, ".gitignore:2 (!keep.log) may re-include what it matches"),
    ("*.log\n!data/\n", {}, ""),  # the ! rule's names never end in .log
    ("!keep.log\n*.log\n", {}, ""),  # an earlier ! rule is overridden by the later rule
    ("/models/*\n", {"models/.gitignore": "!README.md\n"}, "models/.gitignore:1 (!README.md) may re-include what "
                                                          "it matches"),
    ("/models/*\n", {"src/.gitignore": "!README.md\n"}, ""),  # /models/* matches nothing in src/
    ("build/\n", {"src/.gitignore": "!build/\n"}, "src/.gitignore:1 (!build/) may re-include what it matches"),
])
def test_which_negations_may_re_include(root_text: str, nested: dict[str, str], expected: str) -> None:
    rules = parse_rules(root_text, ".gitignore")
    for file, text in nested.items():
        rules += parse_rules(text, file)
    first = next(r for r in rules if not r.negate)
    assert shadowed(first, GitRules(rules)) == expected
