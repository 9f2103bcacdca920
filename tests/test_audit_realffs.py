"""The real FreeFileSync judges the config-based findings: FFS708 travels, FFS704 does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from auditcli import audit_cli
from realffs import run_batch
from treebuilder import FIXTURES, build, parse

CONFIG = FIXTURES / "trees" / "configs" / "gpu-twoway.ffs_batch"

_UNATTENDED = [
    ('<ProgressDialog Minimized="false" AutoClose="false"/>', '<ProgressDialog Minimized="true" AutoClose="true"/>'),
    ("<ErrorDialog>Show</ErrorDialog>", "<ErrorDialog>Cancel</ErrorDialog>"),
    ('<Errors Ignore="false"', '<Errors Ignore="true"'),
]


def _arrived(root: Path) -> set[str]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for name in dirnames + filenames:
            if name != ".sync.ffs_db":
                out.add(os.path.normpath(os.path.join(rel, name)))
    return out


@pytest.mark.ffs
@pytest.mark.usefixtures("ffs")
def test_config_findings_match_what_freefilesync_syncs(tmp_path: Path) -> None:
    gpu, local, work = tmp_path / "gpu", tmp_path / "local", tmp_path / "work"
    build(parse(FIXTURES / "trees" / "config.tree"), gpu)
    local.mkdir()
    work.mkdir()
    found = audit_cli(".", "--format", "json", "--config", str(CONFIG), cwd=gpu).findings()
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace("/home/alice/work", str(local)).replace("/home/gpu/work", str(gpu))
    text = text.replace("<LogFolder/>", f"<LogFolder>{work / 'logs'}</LogFolder>")
    for old, new in _UNATTENDED:
        assert old in text
        text = text.replace(old, new)
    job = work / "job.ffs_batch"
    job.write_text(text, encoding="utf-8")
    result = run_batch(job, work)
    assert result.returncode in (0, 1), result.log  # 1: the first two-way run's warning
    arrived = _arrived(local)
    # FFS708: the environment the config lets through is copied to the local machine by the first run
    assert ("FFS708", "venv_gpu/") in found
    assert "venv_gpu/pyvenv.cfg" in arrived
    # the environment the config excludes is not (and got no FFS708)
    assert "venv/pyvenv.cfg" not in arrived
    assert not any(p == "venv/" for _, p in found)
    # FFS704: everything the audit says the filter excludes stayed on the GPU machine
    excluded = [p.rstrip("/") for c, p in found if c == "FFS704"]
    assert excluded == ["data", "logs/train.log", "src/__pycache__"]
    assert not any(p == e or p.startswith(e + "/") for p in arrived for e in excluded)
    # FFS702: */.git/ is folder-only, so the worktree's .git file travelled; the .git folder did not
    assert "wt/.git" in arrived
    assert "proj/.git" not in arrived
    # and what got no finding arrived
    assert {"sub/data/y.npy", "logs/notes.txt", "src/main.py", ".pytest_cache/v/lastfailed"} <= arrived
