"""The hooks in .pre-commit-hooks.yaml under the real pre-commit framework, in a temporary git repository.

pre-commit clones a snapshot of this checkout (committed into a temporary
repository, so uncommitted work is tested too) and pip-installs it into its
own environment once per test session (PRE_COMMIT_HOME is shared by the
tests of this module).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lintutil import LINT_FIXTURES, ROOT

pytestmark = pytest.mark.slow
SNAPSHOT = ("pyproject.toml", "README.md", "FREEFILESYNC_EXCLUSIONS.txt", ".pre-commit-hooks.yaml", "ffs_tools",
            "templates")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check, timeout=600,
                          env={**os.environ, **GIT_ENV, **(env or {})})


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A git repository holding this checkout's package and hook definitions; (path, commit)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in SNAPSHOT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copyfile(src, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "snapshot")
    return str(repo), git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("pre-commit-home"))


def project(tmp_path: Path, hook_repo: tuple[str, str], home: str) -> Path:
    repo = tmp_path / "proj"
    repo.mkdir()
    git(repo, "init", "-q")
    url, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {url}\n    rev: {rev}\n    hooks:\n      - id: ffs-lint\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "PRE_COMMIT_HOME": home}, timeout=120)
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "--no-verify", "-m", "hooks")
    return repo


def test_commit_with_nested_repo_gap_is_blocked(tmp_path: Path, hook_repo: tuple[str, str],
                                                pre_commit_home: str) -> None:
    repo = project(tmp_path, hook_repo, pre_commit_home)
    # the job syncs the repository it is committed in: lint judges it by the dev-gpu profile
    data = (LINT_FIXTURES / "FFS102" / "bad_base_only.ffs_batch").read_bytes()
    (repo / "sync.ffs_batch").write_bytes(data.replace(b"/nonexistent/local/proj", str(repo).encode()))
    git(repo, "add", "sync.ffs_batch")
    result = git(repo, "commit", "-m", "add sync job", env={"PRE_COMMIT_HOME": pre_commit_home}, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "sync.ffs_batch:22:19: FFS102 [error]" in output
    assert f"sync.ffs_batch: profile dev-gpu (it sits in the git work tree {repo.resolve()}, and the left folder " \
           "of pair 1 lies in it)" in output
    assert "nested repositories and submodules" in output
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing committed


def test_clean_commit_passes(tmp_path: Path, hook_repo: tuple[str, str], pre_commit_home: str) -> None:
    repo = project(tmp_path, hook_repo, pre_commit_home)
    shutil.copyfile(LINT_FIXTURES / "FFS001" / "ok_clean.ffs_batch", repo / "sync.ffs_batch")
    (repo / "notes.txt").write_text("not a config\n", encoding="utf-8")
    git(repo, "add", "sync.ffs_batch", "notes.txt")
    result = git(repo, "commit", "-m", "add sync job", env={"PRE_COMMIT_HOME": pre_commit_home}, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lint FreeFileSync configs" in result.stdout + result.stderr
    assert git(repo, "log", "--oneline").stdout.count("\n") == 2


def test_generate_check_hook_blocks_a_stale_policy(tmp_path: Path, hook_repo: tuple[str, str],
                                                    pre_commit_home: str) -> None:
    repo = project(tmp_path, hook_repo, pre_commit_home)
    config = repo / ".pre-commit-config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "      - id: ffs-generate-check\n", encoding="utf-8")
    policy = '[project]\nname = "proj"\n[gpu]\npath = "/nonexistent/gpu/proj"\n[local]\nscan = false\n'
    (repo / "ffs-policy.toml").write_text(policy, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ffs_tools", "generate"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    git(repo, "add", "-A")
    ok = git(repo, "commit", "-m", "policy and generated files", env={"PRE_COMMIT_HOME": pre_commit_home},
             check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (repo / "ffs-policy.toml").write_text(policy + '[exclude]\nextra = ["*.tmp"]\n', encoding="utf-8")
    git(repo, "add", "ffs-policy.toml")
    stale = git(repo, "commit", "-m", "policy changed, files not regenerated",
                env={"PRE_COMMIT_HOME": pre_commit_home}, check=False)
    assert stale.returncode != 0
    assert "FreeFileSync configs are up to date with the policy" in stale.stdout + stale.stderr


def test_the_snippet_init_prints_works_as_is_with_the_installed_command(tmp_path: Path, pre_commit_home: str) -> None:
    """Issue 9 item 6: the ``repo: local`` snippet runs the ffs-tools on PATH (here: this venv's), blocks a bad
    config and a policy change without generate, and lets a clean commit through."""
    installed = Path(sys.executable).parent / "ffs-tools"
    assert installed.is_file(), "pip install -e . puts the ffs-tools command next to the interpreter"
    env = {"PRE_COMMIT_HOME": pre_commit_home, "PATH": f"{installed.parent}{os.pathsep}{os.environ['PATH']}"}
    repo = tmp_path / "proj"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "train.py").write_text("print(1)\n", encoding="utf-8")
    git(repo, "init", "-q")
    run = {**os.environ, **env}
    init = subprocess.run([str(installed), "init", "--gpu", str(tmp_path / "gpu")], cwd=repo, capture_output=True,
                          text=True, check=True, env=run)
    assert "  - repo: local\n" in init.stdout
    assert "https://" not in init.stdout  # no repository URL that does not exist
    (repo / ".pre-commit-config.yaml").write_text(init.stdout, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True,
                   env=run, timeout=120)
    assert git(repo, "status", "--porcelain").stdout.splitlines() == [
        "?? .gitignore", "?? .pre-commit-config.yaml", "?? ffs-policy.toml", "?? src/"]
    git(repo, "add", ".gitignore")  # exclude.gitignore (proposed at the top of a work tree) reads the staged ones
    subprocess.run([str(installed), "generate"], cwd=repo, check=True, capture_output=True, env=run)
    git(repo, "add", "-A")
    ok = git(repo, "commit", "-m", "policy and generated files", env=env, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    results = [re.sub(r"\.{3,}", " ", line) for line in ok.stderr.splitlines()]
    assert results == ["lint FreeFileSync configs Passed", "FreeFileSync configs are up to date with the policy Passed"]
    # a hand-made job that syncs this repository (judged by the dev-gpu profile) with a nested-repository gap
    data = (LINT_FIXTURES / "FFS102" / "bad_base_only.ffs_batch").read_bytes()
    (repo / "copy.FFS_BATCH").write_bytes(data.replace(b"/nonexistent/local/proj", str(repo).encode()))
    git(repo, "add", "copy.FFS_BATCH")
    bad = git(repo, "commit", "-m", "a config with a gap", env=env, check=False)
    assert bad.returncode != 0
    assert "copy.FFS_BATCH:22:19: FFS102 [error]" in bad.stdout + bad.stderr
    git(repo, "rm", "-q", "--cached", "copy.FFS_BATCH")
    (repo / "copy.FFS_BATCH").unlink()
    policy = repo / "ffs-policy.toml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("extra = []", 'extra = ["*/wandb/"]'),
                      encoding="utf-8")
    git(repo, "add", "ffs-policy.toml")
    stale = git(repo, "commit", "-m", "policy changed, files not regenerated", env=env, check=False)
    assert stale.returncode != 0
    assert f"{repo / 'proj.ffs_batch'}: would be updated" in (stale.stdout + stale.stderr).splitlines()
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1
