"""`pip install .` into a fresh virtualenv gives a working `ffs-tools`, data files included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "venv", "*.egg-info", "__pycache__",
                                                             ".mypy_cache", ".pytest_cache", ".ruff_cache", "build"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(src)],
                         capture_output=True, text=True, check=False)
    assert pip.returncode == 0, pip.stderr[-2000:]
    shutil.rmtree(src)  # the installed package must not need the checkout

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "L" / "src").mkdir(parents=True)
    (elsewhere / "L" / "src" / "a.py").write_text("print(1)\n")
    (elsewhere / "L" / ".git").mkdir()
    (elsewhere / "L" / ".git" / "HEAD").write_text("ref\n")
    shutil.copy(ROOT / "fixtures" / "ffs14-migrations" / "two-pairs-overrides.v23.ffs_batch",
                elsewhere / "job.ffs_batch")
    exe = str(venv / "bin" / "ffs-tools")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True, cwd=elsewhere)
    assert version.stdout.startswith("ffs-tools ")
    proc = subprocess.run([exe, "preview", "job.ffs_batch", "--pair", "1", "--format", "json"], cwd=elsewhere,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pairs"][0]["synced"] == ["src/", "src/a.py"]

    data = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import importlib.metadata as md; from ffs_tools.resources import data_path; "
                           "print(data_path('templates')); print(md.version('ffs-tools')); "
                           "print(sorted(str(f) for f in md.files('ffs-tools') or () if 'EXCLUSIONS' in str(f) "
                           "or 'LICENSE' in str(f)))"],
                          capture_output=True, text=True, check=True, cwd=elsewhere)
    templates, dist_version, listed = data.stdout.splitlines()
    assert str(venv) in templates, "shipped data must come from the installed wheel"
    assert Path(templates, "sync-23.xml.j2").exists()
    # one home of the version: the wheel's metadata is __version__, which --version prints
    assert version.stdout == f"ffs-tools {dist_version}\n"
    # the licence travels with the wheel; the checked-in exclusions file is documentation, never read by the code
    assert listed == "['ffs_tools-" + dist_version + ".dist-info/licenses/LICENSE']"
