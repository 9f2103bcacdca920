"""Every rule's ok_/bad_ fixtures under fixtures/lint/<CODE>/, discovered automatically.

A ``bad_*`` file must give at least one finding of its folder's code, with a
line; an ``ok_*`` file must give none. Every file gives exactly the findings
its folder's ``expected.tsv`` pins (code, line, column and the start of the
message; a file without rows gives none), the way the audit tree fixtures pin
theirs (update after a reviewed change: ``FFS_TOOLS_UPDATE_GOLDEN=1``). Each rule folder is copied to a
temporary git work tree and linted from there, so relative left folders
(FFS112) and ``git ls-files`` (FFS131) resolve inside the copy; git tracks
the fixture's files as a project would, not its environments (``pyvenv.cfg``,
``conda-meta``) nor the test's ``expected.tsv`` (:func:`lintutil.git_repo`). A folder with
an ``ffs-policy.toml`` (FFS501) is first regenerated with ``ffs-tools
generate --force`` (generated files hold absolute paths) and linted with
``--policy``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lintutil import LINT_FIXTURES, codes, git_repo, lint_path

from ffs_tools.cli import main
from ffs_tools.findings import Finding
from ffs_tools.lint.registry import REGISTRY

EXPECTED = "expected.tsv"
HEADER = "# file\tcode\tline:column\tmessage starts with (regenerate: FFS_TOOLS_UPDATE_GOLDEN=1)\n"
#: a pinned message fragment is at least this long (whole ": "-separated clauses of the message)
FRAGMENT = 25


def fragment(message: str) -> str:
    """The start of ``message``, in whole ``: ``-separated clauses, at least :data:`FRAGMENT` characters."""
    clauses = message.split(": ")
    out = clauses[0]
    for clause in clauses[1:]:
        if len(out) >= FRAGMENT:
            break
        out += ": " + clause
    return out


def row(name: str, f: Finding, work: Path) -> str:
    """One pinned finding; the temporary copy's folder is written ``{work}``."""
    return f"{name}\t{f.code}\t{f.line or 0}:{f.column or 0}\t{fragment(f.message.replace(str(work), '{work}'))}"


def pinned(folder: Path, name: str) -> list[str]:
    """The rows ``expected.tsv`` pins for fixture ``name``."""
    path = folder / EXPECTED
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line for line in lines if line.split("\t", 1)[0] == name]


def _update(folder: Path, name: str, rows: list[str]) -> None:
    path = folder / EXPECTED
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if line and not line.startswith("#") and line.split("\t", 1)[0] != name]
    body = sorted(kept + rows, key=lambda r: (r.split("\t")[0], ))
    path.write_text(HEADER + "".join(line + "\n" for line in body), encoding="utf-8")


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
    rows = [row(name, f, work) for f in findings]
    if os.environ.get("FFS_TOOLS_UPDATE_GOLDEN") == "1":
        _update(LINT_FIXTURES / code, name, rows)
    assert rows == pinned(LINT_FIXTURES / code, name), f"update with FFS_TOOLS_UPDATE_GOLDEN=1 after review: {code}"


def test_every_rule_has_ok_and_bad_fixtures() -> None:
    for rule in REGISTRY:
        folder = LINT_FIXTURES / rule.CODE
        assert list(folder.glob("ok_*.ffs_*")), f"{rule.CODE} has no ok_ fixture"
        assert list(folder.glob("bad_*.ffs_*")), f"{rule.CODE} has no bad_ fixture"


def test_no_fixture_folder_without_a_rule() -> None:
    known = {r.CODE for r in REGISTRY}
    assert {p.name for p in LINT_FIXTURES.iterdir() if p.is_dir()} <= known
