"""audit-gpu says which findings git would have ignored, from the synced ``.gitignore`` files, without git.

The GPU machine has no git: the walk collects the ``.gitignore`` files it meets (root and nested, each
relative to its own folder) and :mod:`ffs_tools.policy.gitignore` judges the findings only. Real git is the
judge: the same tree, copied into a fresh repository, is asked with ``git check-ignore --no-index -v``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from auditcli import audit_cli
from gitignore_trees import git

from ffs_tools.audit import run
from ffs_tools.audit.run import audit, git_verdicts
from ffs_tools.policy.gitignore import GitRules, load_files

ROOT_RULES = """\
# caches and FreeFileSync leftovers
__pycache__/
*.ffs_tmp
!keep.ffs_tmp
/data/
logs/**
*.lnk
sp ace/   \n"""

SUB_RULES = """\
!__pycache__/
deep/
!*.ffs_tmp
twin.ffs_tmp/
"""


def _write(path: Path, text: str = "x\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _tree(root: Path) -> None:
    """Findings of several rules at several depths: ignored by a root rule, by a nested one, through an
    ignored parent folder, re-included by a negation, spared by a folder-only rule (files of that name)."""
    _write(root / ".gitignore", ROOT_RULES)
    _write(root / "sub" / ".gitignore", SUB_RULES)
    for folder in ("src/__pycache__", "src/ü dir/__pycache__", "sub/__pycache__", "sub/deep/__pycache__",
                   "sp ace/__pycache__", "logs/__pycache__"):
        _write(root / folder / "m.pyc")
    for name in ("a.ffs_tmp", "keep.ffs_tmp", "data/x.ffs_tmp", "logs/y.ffs_tmp", "sub/twin.ffs_tmp",
                 "sub/b.ffs_tmp", "src/ü dir/c.ffs_tmp"):
        _write(root / name)
    (root / "sub" / "other" / "twin.ffs_tmp").mkdir(parents=True)  # a folder: the folder-only rule applies
    (root / "escape.lnk").symlink_to("/etc/hostname")  # a link: git judges it as a file
    (root / "linked").mkdir()
    (root / "linked" / ".gitignore").symlink_to("../sub/.gitignore")  # git does not follow it, nor do we
    _write(root / "linked" / "__pycache__" / "m.pyc")


def _git_verdicts(tree: Path, repo: Path, paths: list[str]) -> dict[str, str]:
    """Real git's ``check-ignore --no-index -v`` for ``paths`` in a fresh repository holding a copy of
    ``tree``: path -> ``source:line:pattern``, "" when git would not ignore it."""
    shutil.copytree(tree, repo, symlinks=True)
    git(repo, "init", "-q")
    out = git(repo, "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin", stdin="\0".join(paths) + "\0")
    fields = out.split("\0")
    verdicts: dict[str, str] = {}
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[i:i + 4]
        verdicts[path] = f"{source}:{line}:{pattern}" if source and not pattern.startswith("!") else ""
    return verdicts


def test_every_finding_gets_git_s_own_verdict(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    _tree(tree)
    result = audit(str(tree))
    assert result.gitignores == [".gitignore", "sub/.gitignore"]  # the linked one is not read
    ours = git_verdicts(result, result.hits)
    paths = sorted({h.rel for h in result.hits})
    assert len(paths) == 16
    theirs = _git_verdicts(tree, tmp_path / "repo", paths)
    assert {p: ours.get(p, "") for p in paths} == theirs
    assert theirs == {
        "a.ffs_tmp": ".gitignore:3:*.ffs_tmp",
        "data/x.ffs_tmp": ".gitignore:5:/data/",
        "escape.lnk": ".gitignore:7:*.lnk",
        "keep.ffs_tmp": "",
        "linked/__pycache__": ".gitignore:2:__pycache__/",
        "logs/__pycache__": ".gitignore:6:logs/**",
        "logs/y.ffs_tmp": ".gitignore:6:logs/**",
        "sp ace/__pycache__": ".gitignore:8:sp ace/",
        "src/__pycache__": ".gitignore:2:__pycache__/",
        "src/ü dir/__pycache__": ".gitignore:2:__pycache__/",
        "src/ü dir/c.ffs_tmp": ".gitignore:3:*.ffs_tmp",
        "sub/__pycache__": "",
        "sub/b.ffs_tmp": "",
        "sub/deep/__pycache__": "sub/.gitignore:2:deep/",
        "sub/other/twin.ffs_tmp": "sub/.gitignore:4:twin.ffs_tmp/",
        "sub/twin.ffs_tmp": "",
    }


def test_json_names_git_s_rule_for_each_finding(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "__pycache__/\n!keep.ffs_tmp\n")
    _write(tmp_path / "sub" / ".gitignore", "*.ffs_tmp\n")
    _write(tmp_path / "sub" / "__pycache__" / "m.pyc")
    _write(tmp_path / "sub" / "a.ffs_tmp")
    _write(tmp_path / "keep.ffs_tmp")
    run = audit_cli(".", "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    tmp = {"code": "FFS705", "severity": "warning", "line": None, "column": None,
           "message": "a FreeFileSync temporary file from an interrupted copy",
           "hint": "make sure no sync is running, then move it aside (--quarantine DIR --all) or let the next "
                   "complete run remove it"}
    assert json.loads(run.stdout) == {
        "version": 1,
        "tool": "audit-gpu",
        "findings": [
            {**tmp, "path": "keep.ffs_tmp", "git_ignored": None},  # "!keep.ffs_tmp" matches: git keeps it
            {"code": "FFS704", "severity": "warning", "path": "sub/__pycache__/", "line": None, "column": None,
             "message": "a folder that never travels: '*/__pycache__/' excludes it: cache folder '__pycache__' at "
                        "every depth: rebuilt on each machine",
             "hint": "if it came from the local machine, move it aside (--quarantine DIR --all); if it is this "
                     "machine's own, ignore it (--ignore FFS704)",
             "git_ignored": ".gitignore:1:__pycache__/"},
            {**tmp, "path": "sub/a.ffs_tmp", "git_ignored": "sub/.gitignore:1:*.ffs_tmp"},
        ],
        "summary": {"checked": 1, "findings": 3, "error": 0, "warning": 3, "info": 0},
    }


def test_no_gitignore_no_git_field(tmp_path: Path) -> None:
    """Without .gitignore files git's verdict is not judged: the JSON has no ``git_ignored`` key."""
    _write(tmp_path / "__pycache__" / "m.pyc")
    run = audit_cli(".", "--format", "json", cwd=tmp_path)
    assert [sorted(f) for f in json.loads(run.stdout)["findings"]] == [
        ["code", "column", "hint", "line", "message", "path", "severity"]]


def test_text_concise_and_sarif_carry_the_verdict(tmp_path: Path) -> None:
    _write(tmp_path / "sub" / ".gitignore", "/__pycache__/\n")
    _write(tmp_path / "sub" / "__pycache__" / "m.pyc")
    _write(tmp_path / "__pycache__" / "m.pyc")
    text = audit_cli(".", cwd=tmp_path).stdout
    assert text.count("    git: would ignore it (sub/.gitignore:1:/__pycache__/)\n") == 1
    concise = audit_cli(".", "--format", "concise", cwd=tmp_path).stdout.splitlines()
    assert [line.endswith(" [git would ignore it (sub/.gitignore:1:/__pycache__/)]") for line in concise] == [
        False, True]
    github = audit_cli(".", "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert [line.endswith("%0Agit would ignore it (sub/.gitignore:1:/__pycache__/)") for line in github] == [
        False, True]
    sarif = json.loads(audit_cli(".", "--format", "sarif", cwd=tmp_path).stdout)["runs"][0]["results"]
    assert [r.get("properties") for r in sarif] == [None, {"git_ignored": "sub/.gitignore:1:/__pycache__/"}]
    assert os.path.isdir(tmp_path / "sub" / "__pycache__")


def test_the_parallel_walk_collects_the_same_files(tmp_path: Path) -> None:
    """Worker processes find .gitignore files too (here every folder after the root is shared out)."""
    _tree(tmp_path)
    alone, shared = audit(str(tmp_path)), audit(str(tmp_path), jobs=3, share_at=1)
    assert shared.gitignores == alone.gitignores == [".gitignore", "sub/.gitignore"]
    assert git_verdicts(shared, shared.hits) == git_verdicts(alone, alone.hits)
    assert len(git_verdicts(alone, alone.hits)) == 12


def test_only_the_files_above_a_finding_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .gitignore in a folder without findings cannot decide one: it is not read (the real loader runs,
    watched for the files it is given)."""
    _write(tmp_path / ".gitignore", "__pycache__/\n")
    _write(tmp_path / "__pycache__" / "m.pyc")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / ".gitignore").mkdir()  # a folder named .gitignore: not a file, never read
    _write(tmp_path / "clean" / ".gitignore", "!__pycache__/\n")
    result = audit(str(tmp_path))
    assert result.gitignores == [".gitignore", "clean/.gitignore"]
    asked: list[list[str]] = []

    def watched(root: Path, files: list[str]) -> GitRules:
        asked.append(list(files))
        return load_files(root, files)

    monkeypatch.setattr(run, "load_files", watched)
    assert git_verdicts(result, result.hits) == {"__pycache__": ".gitignore:1:__pycache__/"}
    assert asked == [[".gitignore"]]
