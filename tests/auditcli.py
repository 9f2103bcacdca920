"""Run ``ffs-tools audit-gpu`` as a real command in tests.

As root, folders with mode ``000`` are readable (``CAP_DAC_OVERRIDE``), so
an audit that must meet a real permission error runs through ``setpriv``
with the two capabilities that bypass file permissions dropped: the process
is still uid 0 and owns the test's files, but reads like any user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

DROP_DAC = ["--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def findings(self) -> list[tuple[str, str]]:
        """(code, path) of a ``--format json`` run, sorted."""
        doc = json.loads(self.stdout)
        return sorted((f["code"], f["path"]) for f in doc["findings"])


def permission_prefix() -> list[str]:
    """What to put before the command so that file permissions apply, also to root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, where mode-000 folders are readable, and setpriv (util-linux) is "
                    "missing to drop CAP_DAC_OVERRIDE; the permission-error path is also covered by "
                    "test_walk_permission_error_as_user")
    return [setpriv, *DROP_DAC]


def audit_cli(*args: str, cwd: Path, permissions: bool = False, env: dict[str, str] | None = None) -> Run:
    """``python -m ffs_tools audit-gpu ARGS`` in ``cwd`` with this checkout's code."""
    prefix = permission_prefix() if permissions else []
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([*prefix, sys.executable, "-m", "ffs_tools", "audit-gpu", *args], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=300, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)
