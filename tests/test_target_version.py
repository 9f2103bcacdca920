"""Issue 9 item 1: which FreeFileSync the generated files are for, one answer for generate, --check, lint --policy
and init: ``--ffs-version``, the policy's ``[ffs] version``, ``FFS_TOOLS_FFS_VERSION``, the installed FreeFileSync
(detected: Debian package, Changelog.txt, the binary, GlobalSettings.xml), else the default 12.

conftest.py pins ``FFS_TOOLS_FFS_VERSION=14`` for every other test; these tests remove it and decide what is
installed (the real 12.0 on PATH, the 14.10 build through FFS_COMMAND, or a PATH without FreeFileSync).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from generate_helpers import run_cli
from realffs import require_ffs, require_ffs14, run_batch

from ffs_tools.ffs.installed import _from_binary

DEFAULT_LINE = ("target: FreeFileSync 12, format 17, the default: no installed FreeFileSync found (set [ffs] version "
                "in the policy, or --ffs-version)")


@pytest.fixture(autouse=True)
def detect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FFS_TOOLS_FFS_VERSION", raising=False)
    monkeypatch.delenv("FFS_COMMAND", raising=False)


def project(tmp_path: Path, ffs: str = "") -> Path:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "train.py").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "gpu").mkdir()
    (root / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n{ffs}', encoding="utf-8")
    return root


def no_ffs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, global_format: int | None) -> None:
    """A PATH without FreeFileSync and a config folder with (or without) a GlobalSettings.xml."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    monkeypatch.setenv("PATH", str(bin_dir))
    config = tmp_path / "config"
    (config / "FreeFileSync").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    if global_format is not None:
        (config / "FreeFileSync" / "GlobalSettings.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="{global_format}">\n'
            "</FreeFileSync>\n", encoding="utf-8")


def target_line(err: str) -> str:
    return next(line for line in err.splitlines() if line.startswith("target: "))


def xml_format(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split('XmlFormat="', 1)[1].split('"', 1)[0]


@pytest.mark.ffs
def test_the_installed_12_0_is_detected_from_its_debian_package_and_runs_what_generate_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    package = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "freefilesync"], capture_output=True, text=True,
                             check=True).stdout
    root = project(tmp_path)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[0] == (f"target: FreeFileSync 12.0, format 17, detected from the Debian package "
                                   f"freefilesync {package} of {shutil.which('FreeFileSync')} (on PATH)")
    assert xml_format(root / "proj.ffs_batch") == "17"
    # the hook and lint --policy give the same answer: nothing is stale, nothing is out of date
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert (code, err.splitlines()[0]) == (0, target_line(err))
    code, out, _ = run_cli(["lint", "--policy", "ffs-policy.toml", "proj.ffs_batch", "proj.ffs_gui"], root,
                           monkeypatch, capsys)
    assert code == 0, out
    # and the real FreeFileSync runs it: first-run warning (1), not "cannot read this file" (4)
    run = run_batch(root / "proj.ffs_batch", tmp_path)
    assert run.returncode == 1, run.log
    assert (tmp_path / "gpu" / "src" / "train.py").read_text(encoding="utf-8") == "print(1)\n"


@pytest.mark.ffs
def test_files_for_another_version_are_out_of_date_for_generate_check_and_lint_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's trap: after generate --ffs-version 14, --check and lint --policy both say so (12.0 is here)."""
    require_ffs()
    root = project(tmp_path)
    assert run_cli(["generate", "--ffs-version", "14"], root, monkeypatch, capsys)[0] == 0
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert code == 1
    assert f"{root / 'proj.ffs_batch'}: would be updated" in err.splitlines()
    code, out, _ = run_cli(["lint", "--policy", "ffs-policy.toml", "--select", "FFS501", "proj.ffs_batch"], root,
                           monkeypatch, capsys)
    assert code == 1
    detected = target_line(err)
    assert out.splitlines()[0] == (f"proj.ffs_batch:2:1: FFS501 [error] out of date with the policy "
                                   f"({root / 'ffs-policy.toml'}; {detected})")
    # the policy settles it for every machine: [ffs] version = "14" makes both agree with the files
    with (root / "ffs-policy.toml").open("a", encoding="utf-8") as handle:
        handle.write('[ffs]\nversion = "14"\n')
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[0] == "target: FreeFileSync 14, format 23, from ffs-policy.toml:4 [ffs] version"
    assert run_cli(["lint", "--policy", "ffs-policy.toml", "--select", "FFS501", "proj.ffs_batch"], root,
                   monkeypatch, capsys)[0] == 0


@pytest.mark.ffs
def test_14_10_named_by_ffs_command_is_detected_from_its_changelog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    launcher = require_ffs14()
    monkeypatch.setenv("FFS_COMMAND", launcher)
    root = project(tmp_path)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    changelog = Path(launcher).parent / "FreeFileSync" / "Changelog.txt"
    first = changelog.read_text(encoding="utf-8").splitlines()[0].strip()
    assert err.splitlines()[0] == (f"target: FreeFileSync 14.10, format 23, detected from {changelog} "
                                   f"(\"{first}\") of {launcher} (FFS_COMMAND)")
    assert xml_format(root / "proj.ffs_batch") == "23"
    copy = tmp_path / "copy.ffs_batch"  # 14.10 would rewrite an older file in place: give it a copy
    shutil.copyfile(root / "proj.ffs_batch", copy)
    proc = subprocess.run([launcher, str(copy)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the first-run warning
    assert (tmp_path / "gpu" / "src" / "train.py").exists()
    assert copy.read_bytes() == (root / "proj.ffs_batch").read_bytes()  # 14.10's own format: not rewritten


def test_the_version_strings_inside_the_real_binaries() -> None:
    """Fallback 3 (a program outside any package, without Changelog.txt): the one NN.N string in the binary."""
    if shutil.which("FreeFileSync") is not None:
        assert _from_binary("/usr/bin/FreeFileSync") == ("12.0", "the version string in the program")
    elif os.environ.get("CI") == "true":
        pytest.fail("CI=true but FreeFileSync is not installed")
    launcher = require_ffs14()
    binary = Path(launcher).parent / "FreeFileSync" / "Bin" / "FreeFileSync_x86_64"
    assert _from_binary(str(binary)) == ("14.10", "the version string in the program")


@pytest.mark.parametrize(("global_format", "line"), [
    (25, "target: FreeFileSync 12, format 17, detected from {path} (XmlFormat 25, written by FreeFileSync "
         "11.3-12.2)"),
    (28, "target: FreeFileSync 14, format 23, detected from {path} (XmlFormat 28, written by FreeFileSync "
         "14.5-14.10)"),
    (27, DEFAULT_LINE),  # 12.3 - 14.4 write it: 12.3 - 12.5 and 13+ need different files, so it decides nothing
    (None, DEFAULT_LINE),
])
def test_without_a_program_the_global_settings_format_decides_else_the_default(
        global_format: int | None, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    no_ffs_here(tmp_path, monkeypatch, global_format)
    root = project(tmp_path)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    path = tmp_path / "config" / "FreeFileSync" / "GlobalSettings.xml"
    assert err.splitlines()[0] == line.format(path=path)
    assert xml_format(root / "proj.ffs_batch") == ("23" if global_format == 28 else "17")


def test_precedence_option_then_policy_then_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    no_ffs_here(tmp_path, monkeypatch, 28)
    monkeypatch.setenv("FFS_TOOLS_FFS_VERSION", "13")
    root = project(tmp_path, '[ffs]\nversion = "12"\n')
    assert target_line(run_cli(["generate", "--check", "--ffs-version", "14.10"], root, monkeypatch, capsys)[2]) \
        == "target: FreeFileSync 14.10, format 23, from --ffs-version"
    assert target_line(run_cli(["generate", "--check"], root, monkeypatch, capsys)[2]) \
        == "target: FreeFileSync 12, format 17, from ffs-policy.toml:4 [ffs] version"
    (root / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n', encoding="utf-8")
    assert target_line(run_cli(["generate", "--check"], root, monkeypatch, capsys)[2]) \
        == "target: FreeFileSync 13, format 23, from FFS_TOOLS_FFS_VERSION"


@pytest.mark.parametrize(("setup", "error"), [
    ('[ffs]\nversion = "12.4"\n', "error: {policy}:4: ffs.version: 12.4: FreeFileSync 12.3 - 12.5 use XmlFormat "
                                  "18/19 and would rewrite a format-17 file on load; use 12 for 12.0 - 12.2 or 13/14 "
                                  "for 13.0 and newer"),
    ('[ffs]\nversion = "fifteen"\n', 'error: {policy}:4: ffs.version: expected a FreeFileSync version like 12, 13 or '
                                     '14, got "fifteen"'),
    ("", "error: FreeFileSync 11 detected from {settings} (XmlFormat 18, written by FreeFileSync 11.2 or older): "
         "11: ffs-tools writes for FreeFileSync 11.3 - 14.10 (12, 13 or 14); set [ffs] version in the policy (or "
         "--ffs-version) to the FreeFileSync that will run the files"),
])
def test_a_version_ffs_tools_cannot_serve_is_one_line_exit_2_nothing_written(
        setup: str, error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    no_ffs_here(tmp_path, monkeypatch, 18)
    root = project(tmp_path, setup)
    for args in (["generate"], ["generate", "--check"]):
        code, _, err = run_cli(args, root, monkeypatch, capsys)
        assert (code, err.splitlines()) == (2, [error.format(
            policy=root / "ffs-policy.toml", settings=tmp_path / "config" / "FreeFileSync" / "GlobalSettings.xml")])
    assert sorted(p.name for p in root.iterdir()) == ["ffs-policy.toml", "src"]


def test_init_writes_the_detected_version_and_generate_then_uses_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    no_ffs_here(tmp_path, monkeypatch, 25)
    root = tmp_path / "proj"
    root.mkdir()
    code, _, err = run_cli(["init", "--gpu", str(tmp_path / "gpu")], root, monkeypatch, capsys)
    assert code == 0, err
    settings = tmp_path / "config" / "FreeFileSync" / "GlobalSettings.xml"
    detected = (f"target: FreeFileSync 12, format 17, detected from {settings} (XmlFormat 25, written by "
                "FreeFileSync 11.3-12.2)")
    assert detected in err.splitlines()
    text = (root / "ffs-policy.toml").read_text(encoding="utf-8").splitlines()
    at = text.index("[ffs]")
    assert text[at + 1:at + 3] == [
        'version = "12"  # the FreeFileSync that runs the files: generate, lint --policy and the hooks all use this',
        f"# ({detected})"]
    # another machine (14.5+ settings) still gets the policy's answer
    no_ffs_here(tmp_path / "other", monkeypatch, 28)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[0] == f"target: FreeFileSync 12, format 17, from ffs-policy.toml:{at + 2} [ffs] version"
    code, _, err = run_cli(["init", "--force", "--ffs-version", "14"], root, monkeypatch, capsys)
    assert code == 0, err
    assert 'version = "14"  #' in (root / "ffs-policy.toml").read_text(encoding="utf-8")


@pytest.mark.ffs
def test_generate_says_when_the_installed_freefilesync_would_not_run_the_files_as_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    require_ffs()
    package = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "freefilesync"], capture_output=True, text=True,
                             check=True).stdout
    detected = f"the Debian package freefilesync {package} of {shutil.which('FreeFileSync')} (on PATH)"
    root = project(tmp_path, '[ffs]\nversion = "14"\n')
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[:2] == [
        "target: FreeFileSync 14, format 23, from ffs-policy.toml:4 [ffs] version",
        f"note: the FreeFileSync installed here, 12.0 (detected from {detected}), refuses format-23 files (exit code "
        "4, nothing synced)"]
    (root / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n', encoding="utf-8")
    code, _, err = run_cli(["generate", "--ffs-version", "14"], root, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines()[:2] == [
        "target: FreeFileSync 14, format 23, from --ffs-version",
        "note: --ffs-version is not remembered: generate --check, lint --policy and the hooks target format 17 "
        f'(detected from {detected}); set [ffs] version = "14" in the policy']
    code, _, err = run_cli(["generate", "--ffs-version", "12"], root, monkeypatch, capsys)  # agrees: no note
    assert (code, err.splitlines()[1]) == (0, f"scan: no virtualenv or conda env in {root}")
