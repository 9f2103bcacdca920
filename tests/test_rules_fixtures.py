"""Every rule's ok_/bad_ fixtures under fixtures/lint/<CODE>/, discovered automatically.

A ``bad_*`` file must give at least one finding of its folder's code, with a
line; an ``ok_*`` file must give none. Each rule folder is copied to a
temporary git work tree and linted from there, so relative left folders
(FFS112) and ``git ls-files`` (FFS131) resolve inside the copy. A folder with
an ``ffs-policy.toml`` (FFS501) is first regenerated with ``ffs-tools
generate --force`` (generated files hold absolute paths) and linted with
``--policy``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lintutil import LINT_FIXTURES, codes, git_repo, lint_path

from ffs_tools.cli import main
from ffs_tools.lint.registry import REGISTRY


def _cases() -> list[object]:
    out: list[object] = []
    for folder in sorted(p for p in LINT_FIXTURES.iterdir() if p.is_dir()):
        for f in sorted(folder.glob("*.ffs_*")):
            if f.name.startswith(("ok_", "bad_")):
                out.append(pytest.param(folder.name, f.name, id=f"{folder.name}/{f.name}"))
    return out


@pytest.mark.parametrize(("code", "name"), _cases())
def test_fixture(code: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / code
    shutil.copytree(LINT_FIXTURES / code, work, symlinks=True)  # FFS132: links stay links
    policy = work / "ffs-policy.toml"
    if policy.exists():
        monkeypatch.chdir(work)
        assert main(["generate", "--force", "--ffs-version", "14", "--policy", str(policy)]) == 0
    git_repo(work)
    findings = lint_path(work / name, cwd=work, policy=policy if policy.exists() else None)
    mine = [f for f in findings if f.code == code]
    if name.startswith("bad_"):
        assert mine, f"expected {code} in {name}, got {sorted(codes(findings))}"
        assert all(f.line for f in mine), mine
    else:
        assert not mine, mine
    assert not [f for f in findings if "internal error" in f.message], findings


def test_every_rule_has_ok_and_bad_fixtures() -> None:
    for rule in REGISTRY:
        folder = LINT_FIXTURES / rule.CODE
        assert list(folder.glob("ok_*.ffs_*")), f"{rule.CODE} has no ok_ fixture"
        assert list(folder.glob("bad_*.ffs_*")), f"{rule.CODE} has no bad_ fixture"


def test_no_fixture_folder_without_a_rule() -> None:
    known = {r.CODE for r in REGISTRY}
    assert {p.name for p in LINT_FIXTURES.iterdir() if p.is_dir()} <= known
