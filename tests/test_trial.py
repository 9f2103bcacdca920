"""Issue 9's trial for items 1, 5, 6, 7 and 9, as a new user runs it, every program real: ``init`` in a git
project, ``generate`` without ``--ffs-version`` (the installed FreeFileSync 12.0 is detected), two rounds of
``ffs-tools sync`` with the real FreeFileSync, then the commit through the pre-commit hooks init printed.
No step needs a manual workaround.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from generate_helpers import BASE_TIME, HOUR, files, write
from realffs import require_ffs

pytestmark = [pytest.mark.ffs, pytest.mark.slow]
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}
PROJECT = {"src/mlproj/train.py": "print('train')\n", "src/mlproj/__init__.py": "", "README.md": "# proj\n",
           "datasets/a.csv": "x\n1\n", "models/base.pt": "weights\n", "notebooks/explore.ipynb": "{}\n"}


def test_init_generate_two_syncs_and_the_hooks(tmp_path: Path) -> None:
    require_ffs()
    installed = Path(sys.executable).parent / "ffs-tools"
    env = {k: v for k, v in os.environ.items() if k not in ("FFS_TOOLS_FFS_VERSION", "FFS_COMMAND")}
    env |= GIT_ENV | {"PATH": f"{installed.parent}{os.pathsep}{os.environ['PATH']}",
                      "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "FFS_TOOLS_LOCK_DIR": str(tmp_path / "locks")}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(list(args), cwd=repo, capture_output=True, text=True, env=env, timeout=600,
                              check=False)
        assert not check or proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    repo, gpu = tmp_path / "proj", tmp_path / "gpu"
    for rel, text in PROJECT.items():
        write(repo, rel, text)
    run("git", "init", "-q")
    init = run(str(installed), "init", "--gpu", str(gpu))
    package = run("dpkg-query", "-W", "-f=${Version}", "freefilesync").stdout
    detected = (f"target: FreeFileSync 12.0, format 17, detected from the Debian package freefilesync {package} of "
                "/usr/bin/FreeFileSync (on PATH)")
    assert detected in init.stderr.splitlines()
    policy = (repo / "ffs-policy.toml").read_text(encoding="utf-8")
    assert 'version = "12.0"  #' in policy
    (repo / ".pre-commit-config.yaml").write_text(init.stdout, encoding="utf-8")
    run(sys.executable, "-m", "pre_commit", "install")
    run("git", "add", ".gitignore")

    gen = run(str(installed), "generate")
    line = policy.splitlines().index(next(x for x in policy.splitlines() if x.startswith('version = "12.0"'))) + 1
    assert gen.stderr.splitlines()[0] == (f"target: FreeFileSync 12.0, format 17, from ffs-policy.toml:{line} "
                                          "[ffs] version")
    assert f"gpu.path: {gpu} does not exist yet" in gen.stderr
    gpu.mkdir()

    first = run(str(installed), "sync", "proj.ffs_batch")
    assert first.stdout.splitlines()[-1] == "result: synced as planned (exit 0)"
    # the project (with its .gitignore and hook config), none of ffs-tools' own files
    assert files(gpu) == set(PROJECT) | {".gitignore", ".pre-commit-config.yaml"}
    write(gpu, "results/run1/metrics.json", "{}\n", BASE_TIME + HOUR)
    write(repo, "src/mlproj/train.py", "print('train v2')\n", BASE_TIME + 2 * HOUR)
    second = run(str(installed), "sync", "proj.ffs_batch")
    assert second.stdout.splitlines()[-1] == "result: synced as planned (exit 0)"
    assert (repo / "results/run1/metrics.json").read_text(encoding="utf-8") == "{}\n"
    assert (gpu / "src/mlproj/train.py").read_text(encoding="utf-8") == "print('train v2')\n"

    # FreeFileSync's database is in both folders, but git does not see it
    assert (repo / ".sync.ffs_db").exists()
    assert not [x for x in run("git", "status", "--porcelain").stdout.splitlines() if "ffs_db" in x or "lock" in x]
    run("git", "add", "-A")
    commit = run("git", "commit", "-m", "project, policy and generated files")
    assert [re.sub(r"\.{3,}", " ", x) for x in commit.stderr.splitlines()] == [
        "lint FreeFileSync configs Passed", "FreeFileSync configs are up to date with the policy Passed"]
    assert run(str(installed), "lint", "--policy", "ffs-policy.toml").returncode == 0
