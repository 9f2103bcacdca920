"""Run the real FreeFileSync (Debian's 12.0) headless, for the tests that matter.

Every run gets a private ``GlobalSettings.xml`` (FreeFileSync rewrites the one
it is given, so the user's own settings are never touched) and ``xvfb-run``.
Where FreeFileSync is missing the tests skip with the reason, except under
``CI=true``, where a missing FreeFileSync is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

GLOBAL_SETTINGS = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<FreeFileSync XmlType="GLOBAL" XmlFormat="25"><LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n'
)


def missing_reason() -> str | None:
    for tool in ("FreeFileSync", "xvfb-run"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install -y freefilesync xvfb xauth)"
    return None


def unavailable(reason: str) -> NoReturn:
    """A real program the test needs cannot run here: skip with ``reason``, or fail under ``CI=true``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def require_ffs() -> None:
    """Skip (or, under CI=true, fail) when the real FreeFileSync cannot run here."""
    reason = missing_reason()
    if reason is not None:
        unavailable(reason)


@dataclass(frozen=True)
class FfsRun:
    returncode: int
    stdout: str
    stderr: str
    log: str


def run_batch(job: Path, workdir: Path, timeout: float = 120) -> FfsRun:
    """Run ``job`` (a .ffs_batch) with the real FreeFileSync; return its exit code and log text.

    A job that waits for a click is killed after ``timeout`` seconds (exit code 124).
    """
    require_ffs()
    settings = workdir / "GlobalSettings.xml"
    settings.write_text(GLOBAL_SETTINGS, encoding="utf-8")
    cmd = ["xvfb-run", "-a", "timeout", "-k", "5", str(timeout), "FreeFileSync", str(job), str(settings)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=timeout + 60, check=False)
    logs = sorted(workdir.rglob("*.log")) + sorted(workdir.rglob("*.html"))
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    return FfsRun(proc.returncode, proc.stdout, proc.stderr, log)


FFS14_ENV = "FFS14_COMMAND"
REPO = Path(__file__).resolve().parent.parent


def require_ffs14() -> str:
    """The FreeFileSync 14.10 launcher named by ``FFS14_COMMAND`` (a relative path counts from the repo root);
    the absolute path of the launcher.

    Skips where the variable is unset (a failure under ``CI=true``); fails where it names no executable.
    """
    cmd = os.environ.get(FFS14_ENV, "")
    if not cmd:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {FFS14_ENV} is not set")
        pytest.skip(f"{FFS14_ENV} is not set (e.g. {FFS14_ENV}=../shared/ffs14/ffs14)")
    path = str(REPO / cmd) if "/" in cmd and not os.path.isabs(cmd) else cmd
    found = shutil.which(path)
    if found is None:
        pytest.fail(f"{FFS14_ENV}={cmd} is not an executable")
    return os.path.abspath(found)  # absolute: the runs work in other folders
