"""Every tree listing in fixtures/trees/ gives exactly its expected findings.

The audit runs as the real command, once serially and once with worker
processes, with file permissions in force (see :mod:`auditcli`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from auditcli import audit_cli
from treebuilder import FIXTURES, build, listings, parse, unlock

from ffs_tools.audit.registry import severity
from ffs_tools.findings import Severity


@pytest.fixture(params=listings(), ids=lambda p: p.stem)
def listing_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def _args(raw: list[str]) -> list[str]:
    return [a.replace("{fixtures}", str(FIXTURES)) for a in raw]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fixture_findings_are_exactly_the_expected_ones(listing_path: Path, jobs: str, tmp_path: Path) -> None:
    listing = parse(listing_path)
    tree = tmp_path / "tree"
    locked = build(listing, tree)
    try:
        run = audit_cli(".", "--format", "json", "--jobs", jobs, *_args(listing.args), cwd=tree, permissions=True)
    finally:
        unlock(locked)
    assert run.returncode in (0, 1), run.stderr
    assert run.findings() == sorted(listing.expect)
    has_error = any(severity(code) is Severity.ERROR for code, _ in listing.expect)
    assert run.returncode == (1 if has_error else 0)


def test_fixture_strict_fails_on_warnings(tmp_path: Path) -> None:
    listing = parse(FIXTURES / "trees" / "caches.tree")
    build(listing, tmp_path / "tree")
    assert audit_cli(".", "--format", "concise", cwd=tmp_path / "tree").returncode == 0
    strict = audit_cli(".", "--format", "concise", "--strict", cwd=tmp_path / "tree")
    assert strict.returncode == 1
    assert strict.stdout.count("FFS704 [warning]") == len(listing.expect)


def test_every_rule_is_exercised_by_some_fixture() -> None:
    from ffs_tools.audit.registry import RULES

    seen = {code for p in listings() for code, _ in parse(p).expect}
    assert seen == set(RULES)


def test_the_clean_fixture_has_no_findings_and_the_others_have_some() -> None:
    counts = {p.stem: len(parse(p).expect) for p in listings()}
    assert counts.pop("clean") == 0
    assert all(counts.values())


def test_a_copied_env_the_config_lets_through_is_one_ffs708_finding(tmp_path: Path) -> None:
    """FFS703 and FFS708 on one folder: FFS708 (the filter's hole, how the copy got here) with FFS703's
    evidence; with FFS708 ignored, the FFS703 finding shows."""
    listing = parse(FIXTURES / "trees" / "config.tree")
    build(listing, tmp_path / "tree")
    args = _args(listing.args)
    run = audit_cli(".", "--format", "concise", "--select", "FFS703,FFS708", *args, cwd=tmp_path / "tree")
    config = f"{FIXTURES}/trees/configs/gpu-twoway.ffs_batch (pair 1)"
    assert run.stdout.splitlines() == [
        f"mac_env/: FFS708 [error] a virtualenv that the config {config} does not exclude, copied from another "
        "machine (that is how it got here): its pyvenv.cfg home '/Users/alice/.pyenv/versions/3.11.7/bin' does "
        "not exist here; the next run copies it to the local machine",
        f"venv_gpu/: FFS708 [error] a virtualenv that the config {config} does not exclude: the next run copies it "
        "to the local machine"]
    ignored = audit_cli(".", "--format", "json", "--ignore", "FFS708", *args, cwd=tmp_path / "tree")
    assert [f for f in ignored.findings() if f[0] == "FFS703"] == [("FFS703", "mac_env/")]
