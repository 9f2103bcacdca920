"""CLI smoke tests: every command, run as a real process, with pinned exit codes and output.

``scripts/test-minimums`` runs exactly these (``-m smoke``) in a fresh virtualenv with every dependency
at its declared lower bound, so a bound that does not hold (a typer that crashes, or that exits 0 on an
error) fails CI. They run the checkout's code (``PYTHONPATH``) with the interpreter running the tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import pytest

from ffs_tools import __version__

pytestmark = pytest.mark.smoke
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CLEAN = FIXTURES / "lint" / "FFS001" / "ok_clean.ffs_batch"
TWO_PAIRS = FIXTURES / "ffs14-migrations" / "two-pairs-overrides.v23.ffs_batch"


def ffs_tools(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "ffs_tools", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The two-pair job FreeFileSync 14.10 wrote, with a left folder holding .git, sources and a venv."""
    shutil.copy(TWO_PAIRS, tmp_path / "job.ffs_batch")
    for rel in ("L/.git/config", "L/src/a.py", "L/venv/pyvenv.cfg", "L2/small.pt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n")
    return tmp_path


def test_version_and_help(tmp_path: Path) -> None:
    version = ffs_tools(tmp_path, "--version")
    assert (version.returncode, version.stdout, version.stderr) == (0, f"ffs-tools {__version__}\n", "")
    helped = ffs_tools(tmp_path, "--help")
    assert helped.returncode == 0
    listed = [line.split()[0] for line in helped.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == ["generate", "init", "lint", "rules", "preview", "explain", "audit-gpu", "plan", "sync"]


def test_lint_clean_findings_and_bad_usage(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "clean.ffs_batch")
    clean = ffs_tools(tmp_path, "lint", "clean.ffs_batch", "--format", "concise")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    (tmp_path / "open.ffs_batch").write_bytes(CLEAN.read_bytes().replace(b"<Item>*/.git</Item>", b""))
    found = ffs_tools(tmp_path, "lint", "open.ffs_batch", "--format", "json", "--select", "FFS1",
                      "--profile", "dev-gpu")
    assert found.returncode == 1
    assert [f["code"] for f in json.loads(found.stdout)["findings"]] == ["FFS101"]
    unknown = ffs_tools(tmp_path, "lint", "--select", "FFS9", "clean.ffs_batch")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == "error: --select: unknown rule code or prefix 'FFS9'\n"
    bad_option = ffs_tools(tmp_path, "lint", "--no-such-option")
    assert (bad_option.returncode, bad_option.stdout) == (2, "")
    assert bad_option.stderr.splitlines()[-1] == "error: unrecognized arguments: --no-such-option"


def test_lint_help_is_the_one_definition(tmp_path: Path) -> None:
    helped = ffs_tools(tmp_path, "lint", "--help")
    assert helped.returncode == 0
    for option in ("--format", "--select", "--ignore", "--strict", "--fix", "--diff", "--ffs-version",
                   "--no-scan", "--policy"):
        assert option in helped.stdout


@pytest.mark.slow
def test_rules(tmp_path: Path) -> None:
    listed = ffs_tools(tmp_path, "rules", "--format", "json")
    assert listed.returncode == 0
    codes = [r["code"] for r in json.loads(listed.stdout)]
    assert len(codes) == 38  # 30 lint rules (FFS001-FFS501), 8 audit-gpu rules (FFS701-FFS708)
    assert codes[0] == "FFS001"
    assert codes[-1] == "FFS708"
    one = ffs_tools(tmp_path, "rules", "FFS101")
    assert one.returncode == 0
    assert one.stdout.startswith("FFS101 git-not-excluded")
    unknown = ffs_tools(tmp_path, "rules", "FFS999")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("error: ")


@pytest.mark.slow
def test_init_then_generate_then_check(tmp_path: Path) -> None:
    created = ffs_tools(tmp_path, "init", "--gpu", "/mnt/gpu/proj")
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "ffs-policy.toml").is_file()
    again = ffs_tools(tmp_path, "init")
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1
    written = ffs_tools(tmp_path, "generate")
    assert written.returncode == 0, written.stderr
    stem = tmp_path.name
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ffs-policy.toml") == sorted(
        [f"{stem}.ffs_gui", f"{stem}.ffs_batch", f"{stem}.ffs_real", "FREEFILESYNC_EXCLUSIONS.txt",
         ".ffs-tools-manifest.json"])
    check = ffs_tools(tmp_path, "generate", "--check")
    assert check.returncode == 0, check.stderr


@pytest.mark.slow
def test_preview_and_explain(project: Path) -> None:
    shown = ffs_tools(project, "preview", "job.ffs_batch", "--pair", "1", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["pairs"][0]["synced"] == ["src/", "src/a.py"]
    bad_pair = ffs_tools(project, "preview", "job.ffs_batch", "--pair", "0")
    assert bad_pair.returncode == 2
    assert bad_pair.stdout == ""
    explained = ffs_tools(project, "explain", ".git/config", "src/a.py", "--config", "job.ffs_batch", "--pair", "1",
                          "--format", "json")
    assert explained.returncode == 0, explained.stderr
    rows = json.loads(explained.stdout)["paths"]
    assert [(r["path"], r["synced"], r["item"], r["line"]) for r in rows] == [(".git/config", False, "*/.git", 22),
                                                                              ("src/a.py", True, "*", 19)]


@pytest.mark.slow
def test_plan_and_sync(project: Path) -> None:
    planned = ffs_tools(project, "plan", "job.ffs_batch", "--pair", "1", "--format", "json")
    assert planned.returncode == 1, planned.stderr  # the right folder R does not exist: FreeFileSync would stop
    doc = json.loads(planned.stdout)
    assert (doc["version"], doc["stops"]) == (1, True)
    assert [(a["op"], a["path"]) for a in doc["pairs"][0]["actions"]] == [("create-right", "src/"),
                                                                         ("create-right", "src/a.py")]
    missing = ffs_tools(project, "sync", "nothere.ffs_batch")
    assert (missing.returncode, missing.stdout, missing.stderr) == (2, "", "error: nothere.ffs_batch: no such file\n")
    not_batch = ffs_tools(project, "sync", "job.ffs_gui")
    assert not_batch.returncode == 2
    assert not_batch.stderr.startswith("error: job.ffs_gui: sync runs a .ffs_batch job")


def test_audit_gpu(project: Path) -> None:
    found = ffs_tools(project, "audit-gpu", "L", "--format", "json", "--jobs", "1")
    assert found.returncode == 1, found.stderr
    assert sorted((f["code"], f["path"]) for f in json.loads(found.stdout)["findings"]) == [("FFS701", "L/.git/")]
    bad_jobs = ffs_tools(project, "audit-gpu", "L", "--jobs", "zero")
    assert (bad_jobs.returncode, bad_jobs.stderr) == (2, "error: --jobs: expected a whole number of at least 1, "
                                                         "got 'zero'\n")


def test_the_minimums_tested_are_the_declared_lower_bounds() -> None:
    """constraints-minimum.txt pins exactly the lower bound of every runtime dependency in pyproject.toml."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    bounds = {}
    for spec in declared:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(;.*)?", spec.replace(" ", ""))
        assert m, f"every runtime dependency needs a lower bound: {spec}"
        if not m.group(3):  # markers (tomli on Python < 3.11) are not installed here
            bounds[m.group(1).lower()] = m.group(2)
    pins = dict(line.split("==") for line in (ROOT / "constraints-minimum.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    assert pins == bounds


#: what typer and argparse print when no metavar is given: {config} / {paths}... in the usage line, the
#: choices of an option. (typer >= 0.2x also prints a parameter's type after its metavar, CONFIG <path>, by
#: design; hiding it would need typer's private methods, which this project does not override.)
_RAW_METAVAR = re.compile(r"\{[a-z_]+\}|\{[a-z-]+(?:,[a-z-]+)+\}")


@pytest.mark.parametrize("command", ["audit-gpu", "explain", "generate", "init", "lint", "plan", "preview",
                                     "rules", "sync"])
def test_every_command_help_has_readable_metavars(command: str, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ffs_tools.cli import COMMANDS, main

    assert sorted(COMMANDS) == ["audit-gpu", "explain", "generate", "init", "lint", "plan", "preview", "rules",
                                "sync"]
    monkeypatch.setenv("COLUMNS", "120")
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert _RAW_METAVAR.findall(out) == []
    # How typer marks a positional argument in the usage line differs by version (0.15: CONFIG, PATH; 0.2x:
    # {CONFIG}, [PATH], PATH...); the metavar names are what this test pins, so the marks are removed first.
    usage = " ".join(re.sub(r"[{}\[\]]|\.\.\.", "", out.split("\n\n")[0]).split())
    assert usage == {
        "audit-gpu": "Usage: ffs-tools audit-gpu OPTIONS PATH",
        "explain": "Usage: ffs-tools explain OPTIONS PATH",
        "plan": "Usage: ffs-tools plan OPTIONS CONFIG",
        "preview": "Usage: ffs-tools preview OPTIONS CONFIG",
        "rules": "Usage: ffs-tools rules OPTIONS CODE",
        "sync": "Usage: ffs-tools sync OPTIONS CONFIG",
    }.get(command, usage)
