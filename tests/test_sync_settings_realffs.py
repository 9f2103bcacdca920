"""sync's private GlobalSettings.xml with the real FreeFileSync 12.0 (and 14.10 through FFS14_COMMAND).

The situation is FreeFileSync's significant-difference rule: 20 files synced once,
then 15 deleted on the left. With plain settings (every warning on, as a user's own)
the unattended batch stops with exit 3 and deletes nothing; with sync's private
settings the warning is only logged and the deletions go through (sync's own
--max-delete guard decides instead). The user's own GlobalSettings.xml is compared
byte for byte, with its mtime, before and after; FreeFileSync's rewrite of the
private file is caught by a wrapper command and looked at.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from realffs import GLOBAL_SETTINGS, require_ffs, require_ffs14
from synchelpers import files, snapshot, user_settings_files, write, write_job

from ffs_tools.sync.binary import FfsCommand, find_command
from ffs_tools.sync.guard import SIGNIFICANT_TEXT
from ffs_tools.sync.runner import run_ffs

pytestmark = pytest.mark.ffs

KEPT = "kept-GlobalSettings.xml"


def keep_settings(command: FfsCommand, folder: Path) -> FfsCommand:
    """``command`` wrapped so that, after FreeFileSync ends, the settings file it was given is copied to folder."""
    script = f'"$@"; rc=$?; for a in "$@"; do last="$a"; done; cp "$last" "{folder / KEPT}"; exit $rc'
    return FfsCommand(("sh", "-c", script, "sh", *command.argv), command.origin, command.virtual_display)


def plain_run(command: FfsCommand, job: Path, folder: Path) -> int:
    """Run ``job`` with plain settings (every warning on), as the user's own FreeFileSync would."""
    folder.mkdir()
    settings = folder / "GlobalSettings.xml"
    settings.write_text(GLOBAL_SETTINGS, encoding="utf-8")
    proc = subprocess.run([*command.argv, str(job), str(settings)], capture_output=True, text=True, timeout=300,
                          check=False)
    return proc.returncode


def significant_difference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: FfsCommand,
                           version: str) -> None:
    left, right, logs = tmp_path / "L", tmp_path / "R", tmp_path / "logs"
    for i in range(20):
        write(left, f"f{i:02}.txt", f"{i}\n")
    right.mkdir()
    job = write_job(tmp_path / "job.ffs_batch", left, right, logs, tmp_path / "versions")
    assert plain_run(command, job, tmp_path / "first") == 1  # a first run logs a warning
    assert files(right) == files(left)
    for i in range(15):
        (left / f"f{i:02}.txt").unlink()
    assert plain_run(command, job, tmp_path / "control") == 3  # the warning stops the plain run
    assert len(files(right)) == 20
    job = write_job(job, left, right, logs, tmp_path / "versions")  # format 17 again (14.10 rewrote it)
    job_bytes = job.read_bytes()
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    before = snapshot(user_settings_files(tmp_path / "cfg14"))

    ran = run_ffs(keep_settings(command, tmp_path), job, version, True, str(logs))

    assert ran.returncode == 1, (ran.stdout, ran.stderr)
    assert files(right) == files(left) == {f"f{i:02}.txt": f"{i}\n" for i in range(15, 20)}
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == [f"f{i:02}.txt" for i in range(15)]
    assert ran.log.result == "Completed with warnings"
    assert len(ran.log.warnings) == 1
    assert ran.log.warnings[0].startswith(SIGNIFICANT_TEXT)
    assert ran.log.counts["Items processed"] == "15 (0 bytes)"
    assert ran.log.path is not None
    assert ran.log.path.parent == logs
    assert snapshot(user_settings_files(tmp_path / "cfg14")) == before
    assert list(private_tmp.iterdir()) == []  # the private settings folder is gone
    assert job.read_bytes() == job_bytes  # FreeFileSync ran a copy: the job is never rewritten
    rewritten = (tmp_path / KEPT).read_text(encoding="utf-8")
    assert "<ConfirmStartSync" in rewritten  # FreeFileSync rewrote the whole file ...
    assert '<WarnSignificantDifference Show="false"/>' in rewritten  # ... which did not matter
    if version == "14":
        assert ran.log.json is not None
        assert ran.log.json["syncResult"] == "warning"
        assert ran.log.json["logFile"] == str(ran.log.path)


def test_12_private_settings_switch_off_the_significant_difference_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_ffs()
    monkeypatch.delenv("FFS_COMMAND", raising=False)
    significant_difference(tmp_path, monkeypatch, find_command(None, ""), "12")


@pytest.mark.slow
def test_14_private_settings_switch_off_the_significant_difference_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command = require_ffs14()
    monkeypatch.setenv("FFS14_CONFIG_HOME", str(tmp_path / "cfg14"))
    significant_difference(tmp_path, monkeypatch, find_command(command, ""), "14")
    assert not (tmp_path / "cfg14" / "FreeFileSync" / "GlobalSettings.xml").exists()
