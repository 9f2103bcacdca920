"""``ffs-tools lint`` end to end (in-process): exit codes, formats, discovery, suppression, disk rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lintutil import CORPUS, LINT_FIXTURES, git_repo

from ffs_tools.cli import main

CLEAN = LINT_FIXTURES / "FFS001" / "ok_clean.ffs_batch"
WARN_ONLY = LINT_FIXTURES / "FFS301" / "bad_size.ffs_batch"  # FFS301 is a warning
MISSING_GIT = LINT_FIXTURES / "FFS101" / "bad_missing.ffs_batch"


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run lint judging by the dev-gpu profile (what these tests are about) unless ``args`` name one."""
    profile = [] if any(a.startswith("--profile") for a in args) else ["--profile", "dev-gpu"]
    code = main(["lint", *profile, *args])
    out, err = capsys.readouterr()
    return code, out, err


def copy(src: Path, dst_dir: Path, name: str | None = None) -> Path:
    dst = dst_dir / (name or src.name)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, str(CLEAN), "--no-scan")
    assert code == 0
    assert out == f"{CLEAN}: profile dev-gpu (set by --profile)\n1 file checked: no findings\n"


def test_errors_exit_1_warnings_only_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, str(MISSING_GIT))[0] == 1
    code, out, _ = lint(capsys, str(WARN_ONLY))
    assert code == 0
    assert "FFS301 [warning]" in out
    assert lint(capsys, "--strict", str(WARN_ONLY))[0] == 1


@pytest.mark.parametrize("args", [
    ["/nonexistent/job.ffs_batch"],
    ["--select", "FFS999", str(CLEAN)],
    ["--ignore", "XYZ", str(CLEAN)],
    ["--format", "yaml", str(CLEAN)],
    ["--fix", "--diff", str(CLEAN)],
    ["--ffs-version", "twelve", str(CLEAN)],
])
def test_could_not_run_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = lint(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--format", "json", str(MISSING_GIT))
    doc = json.loads(out)
    assert code == 1
    assert doc["version"] == 1
    assert set(doc["findings"][0]) == {"code", "severity", "path", "line", "column", "message", "hint", "pairs",
                                       "locations"}
    assert {"FFS101"} <= {f["code"] for f in doc["findings"]}
    assert doc["summary"]["checked"] == 1
    assert doc["summary"]["error"] >= 1


def test_select_and_ignore_by_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = lint(capsys, "-f", "json", "--select", "FFS1", "--ignore", "FFS11,FFS12", str(MISSING_GIT))
    assert {f["code"] for f in json.loads(out)["findings"]} == {"FFS101"}


def test_no_files_searches_the_current_folder_but_not_git(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    copy(MISSING_GIT, tmp_path / "sync", "a.ffs_batch")
    copy(CLEAN, tmp_path, "b.ffs_gui.bak")  # not a config extension
    copy(MISSING_GIT, tmp_path / ".git", "c.ffs_batch")
    monkeypatch.chdir(tmp_path)
    code, out, _ = lint(capsys, "-f", "concise")
    assert code == 1
    assert {line.split(":")[0] for line in out.splitlines()} == {"sync/a.ffs_batch"}


def test_global_settings_given_explicitly_is_ffs002(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "-f", "concise", str(CORPUS / "155-openbox-GlobalSettings.xml"))
    assert code == 1
    assert "FFS002" in out


def test_pyproject_select_ignore_and_per_file_ignores(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    copy(MISSING_GIT, tmp_path / "jobs", "a.ffs_batch")
    copy(MISSING_GIT, tmp_path / "backups", "b.ffs_batch")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ffs-tools.lint]\nselect = ["FFS1"]\nignore = ["FFS111", "FFS121"]\n'
        '[tool.ffs-tools.lint.per-file-ignores]\n"backups/*.ffs_batch" = ["FFS101"]\n', encoding="utf-8")
    (tmp_path / "jobs" / "deeper").mkdir()
    monkeypatch.chdir(tmp_path / "jobs" / "deeper")  # the nearest pyproject.toml upwards counts
    code, out, _ = lint(capsys, "-f", "json", "--no-scan", str(tmp_path))
    found = {(Path(f["path"]).parent.name, f["code"]) for f in json.loads(out)["findings"]}
    assert found == {("jobs", "FFS101")}
    assert code == 1
    # the command line's --select replaces the file's
    _, out, _ = lint(capsys, "-f", "json", "--no-scan", "--select", "FFS301", str(tmp_path))
    assert json.loads(out)["findings"] == []


def test_bad_pyproject_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ffs-tools.lint]\nselct = ["FFS1"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = lint(capsys, str(CLEAN))
    assert code == 2
    assert "pyproject.toml" in err
    assert "selct" in err


def test_inline_disable_in_notes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = WARN_ONLY.read_text(encoding="utf-8")
    job = tmp_path / "job.ffs_batch"
    job.write_text(text.replace("<Notes/>", "<Notes>size is enough here. ffs-tools: disable=FFS301</Notes>"),
                   encoding="utf-8")
    assert "FFS301" in lint(capsys, "-f", "concise", str(WARN_ONLY))[1]
    code, out, _ = lint(capsys, "-f", "concise", "--strict", str(job))
    assert (code, out) == (0, "")


def test_ffs_version_option_changes_semantics(capsys: pytest.CaptureFixture[str]) -> None:
    v17 = LINT_FIXTURES / "FFS103" / "ok_file_only_12.ffs_batch"  # */.git: excludes .git contents in 12.x
    assert lint(capsys, "--select", "FFS10", str(v17))[0] == 0
    code, out, _ = lint(capsys, "--select", "FFS10", "-f", "concise", "--ffs-version", "14.10", str(v17))
    assert code == 1
    assert "FFS101" in out
    assert "FFS004" in lint(capsys, "-f", "concise", "--ffs-version", "14.10", str(v17))[1]


def test_venv_in_left_folder_and_no_scan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    left = tmp_path / "proj"
    (left / "experiments" / "env-py311").mkdir(parents=True)
    (left / "experiments" / "env-py311" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (left / "data" / "ignored-env").mkdir(parents=True)
    (left / "data" / "ignored-env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    text = CLEAN.read_text(encoding="utf-8").replace("/nonexistent/local/proj", str(left))
    job = tmp_path / "job.ffs_batch"
    job.write_text(text.replace("<Item>*/.git</Item>", "<Item>*/.git</Item>\r\n            <Item>\\data\\</Item>"),
                   encoding="utf-8")
    code, out, _ = lint(capsys, "-f", "concise", str(job))
    assert code == 1
    assert "virtualenv `experiments/env-py311` (pyvenv.cfg)" in out
    assert "ignored-env" not in out  # below an excluded folder
    assert lint(capsys, "--no-scan", str(job))[0] == 0


@pytest.mark.parametrize("where", ["root", "parent", "inside"])
def test_tracked_files_dropped_by_the_filter(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "dataloader.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "README.md").write_text("hi\n", encoding="utf-8")
    git_repo(repo)
    left = {"root": repo, "parent": tmp_path, "inside": repo / "src"}[where]
    text = CLEAN.read_text(encoding="utf-8").replace("/nonexistent/local/proj", str(left))
    job = tmp_path / "job.ffs_batch"
    job.write_text(text.replace("<Item>*/.git</Item>", "<Item>*/.git</Item>\r\n            <Item>*data*</Item>"),
                   encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = lint(capsys, "-f", "concise", str(job))
    assert code == 1
    expected = {"root": "src/dataloader.py", "parent": "repo/src/dataloader.py", "inside": "dataloader.py"}[where]
    assert f"1 file git tracks would not sync, excluded by `*data*` ({expected})" in out


def test_no_configs_found_is_said_not_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 0
    captured = capsys.readouterr()
    assert "0 files checked" in captured.out
    assert "no FreeFileSync configs" in captured.err
