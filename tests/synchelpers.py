"""Shared by the sync tests: FreeFileSync 14.10 from FFS14_COMMAND, hand-made batch jobs, settings snapshots."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

#: 2024-01-10 10:00 UTC; edits are hours later, far beyond FreeFileSync's 2 s tolerance
BASE_TIME = 1704880800
HOUR = 3600

JOB_17 = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Exclude</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>{variant}</Variant><DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Versioning</DeletionPolicy><VersioningFolder Style="Replace">{versions}</VersioningFolder>
    </Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude/><SizeMin Unit="None">0</SizeMin>
        <SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs><Pair><Left>{left}</Left><Right>{right}</Right></Pair></FolderPairs>
    <Errors Ignore="false" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{logs}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="{auto_close}"/><ErrorDialog>Cancel</ErrorDialog>
        <PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""


def write_job(path: Path, left: Path, right: Path, logs: Path, versions: Path, variant: str = "TwoWay",
              auto_close: str = "true") -> Path:
    """An unattended (C7) batch job in format 17 (FreeFileSync 14 rewrites it as 23 on load), two-way by default."""
    path.write_text(JOB_17.format(left=left, right=right, logs=logs, versions=versions, variant=variant,
                                  auto_close=auto_close), encoding="utf-8")
    return path


def write(root: Path, rel: str, text: str, mtime: float = BASE_TIME) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def files(root: Path) -> dict[str, str]:
    """Every file below ``root`` with its text, without FreeFileSync's database and lock files."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith((".ffs_db", ".ffs_lock")):
                path = Path(dirpath) / name
                out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return out


def user_settings_files(ffs14_home: Path | None = None) -> list[Path]:
    """Where FreeFileSync keeps the user's own GlobalSettings.xml: 12.0 as root takes the password
    database's home, else XDG_CONFIG_HOME; the 14.10 launcher its FFS14_CONFIG_HOME."""
    homes = {Path(pwd.getpwuid(os.getuid()).pw_dir) / ".config",
             Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")}
    paths = [home / "FreeFileSync" / "GlobalSettings.xml" for home in sorted(homes)]
    if ffs14_home is not None:
        paths.append(ffs14_home / "FreeFileSync" / "GlobalSettings.xml")
    return paths


def snapshot(paths: list[Path]) -> list[tuple[str, int | None, bytes | None]]:
    """Existence, mtime (ns) and content of each file."""
    out: list[tuple[str, int | None, bytes | None]] = []
    for path in paths:
        try:
            out.append((str(path), path.stat().st_mtime_ns, path.read_bytes()))
        except FileNotFoundError:
            out.append((str(path), None, None))
    return out
