"""``lint --policy``: generated files out of date or edited by hand (FFS501), keep paths dropped (FFS131)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ffs_tools.cli import main

POLICY = """[project]
name = "proj"

[gpu]
path = "/nonexistent/gpu/proj"

[local]
scan = false
{extra}
"""


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["lint", "--no-scan", "-f", "concise", *args])
    out, _ = capsys.readouterr()
    return code, out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    (tmp_path / "ffs-policy.toml").write_text(POLICY.format(extra=""), encoding="utf-8")
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    capsys.readouterr()
    return tmp_path


def test_generated_files_are_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, "--strict", "--policy", "ffs-policy.toml") == (0, "")


def test_policy_changed_after_generation(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "ffs-policy.toml").write_text(POLICY.format(extra='[exclude]\nextra = ["*.tmp"]\n'), encoding="utf-8")
    code, out = lint(capsys, "--policy", "ffs-policy.toml")
    assert code == 1
    assert "proj.ffs_batch:2:1: FFS501 [error] out of date with the policy" in out
    assert "proj.ffs_gui" in out
    assert lint(capsys)[0] == 0  # without --policy, FFS501 does not run


def test_hand_edit_is_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = project / "proj.ffs_batch"
    job.write_bytes(job.read_bytes().replace(b"<Item>*/.git</Item>", b"<Item>*/.git</Item><Item>*.bak</Item>"))
    code, out = lint(capsys, "--policy", "ffs-policy.toml", str(job))
    assert code == 1
    assert "FFS501 [error] edited by hand" in out


def test_keep_path_dropped_by_a_hand_written_filter(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "ffs-policy.toml").write_text(POLICY.format(extra='[keep]\npaths = ["models/"]\n'), encoding="utf-8")
    assert main(["generate"]) == 0
    capsys.readouterr()
    job = project / "proj.ffs_batch"
    assert lint(capsys, "--policy", "ffs-policy.toml", str(job)) == (0, "")
    job.write_bytes(job.read_bytes().replace(b"<Item>*/.git</Item>", b"<Item>*/.git</Item>\r\n            "
                                                                       b"<Item>*/models/</Item>"))
    code, out = lint(capsys, "--policy", "ffs-policy.toml", "--select", "FFS131", str(job))
    assert code == 1
    assert "keep path `models/` (keep.paths[0] of" in out
    assert "excluded by `*/models/`" in out


def test_lint_table_in_the_policy_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = POLICY.format(extra='[lint]\nignore = ["FFS5"]\n')
    (project / "ffs-policy.toml").write_text(text + '[exclude]\nextra = ["*.tmp"]\n', encoding="utf-8")
    assert lint(capsys, "--policy", "ffs-policy.toml") == (0, "")  # FFS501 ignored by the policy's [lint]
    assert main(["generate", "--check"]) == 1  # and generate still reads the policy, [lint] and all
    capsys.readouterr()


def test_missing_policy_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--policy", "nope.toml"]) == 2
    assert "nope.toml: policy file not found" in capsys.readouterr().err
