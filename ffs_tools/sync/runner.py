"""Running the real FreeFileSync on a batch job with private settings, and what it said.

The job runs as ``<command> <tmp>/job.ffs_batch <tmp>/GlobalSettings.xml``: a copy
of the job under its own name, because FreeFileSync 13 and newer rewrite an older-format
job in place when they load it (the generated file would lose its format and its seal).
The caller's working folder stays (FreeFileSync resolves relative paths in the job
against it, not against the file's folder); stdin is closed, stdout and stderr are
captured: 14.x prints its JSON summary on stdout, both print exceptions on stderr.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.phrases import local_path
from ffs_tools.sync.binary import FfsCommand
from ffs_tools.sync.ffslog import LogSummary, default_log_folder, summarise
from ffs_tools.sync.settings import write_settings

#: FreeFileSync's exit codes (FreeFileSync/Source/return_codes.h at tags v12.0 and v14.10: the same)
FFS_EXIT = {0: "success", 1: "finished with warnings", 2: "finished with errors", 3: "aborted",
            4: "exception (bad config or command line)"}


@dataclass(frozen=True)
class FfsRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    log: LogSummary

    @property
    def meaning(self) -> str:
        return FFS_EXIT.get(self.returncode, "unknown exit code (killed?)")


def run_ffs(command: FfsCommand, batch: Path, ffs_version: str, sync_around_conflicts: bool,
            log_folder_phrase: str, guarded: bool = True, lock_fd: int | None = None) -> FfsRun:
    """Run FreeFileSync once on ``batch`` with fresh private settings; the settings folder is removed after.

    ``lock_fd`` (the sync lock) is inherited by FreeFileSync, which then holds the lock until it ends.
    """
    with tempfile.TemporaryDirectory(prefix="ffs-tools-sync-") as tmp:
        settings = write_settings(Path(tmp), ffs_version, sync_around_conflicts, guarded)
        job = Path(tmp) / batch.name  # same name: FreeFileSync names the log after it
        shutil.copyfile(batch, job)
        argv = [*command.argv, str(job), str(settings)]
        start = time.time()
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  errors="replace", check=False, pass_fds=() if lock_fd is None else (lock_fd,))
        except OSError as exc:
            raise UserError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
        seconds = time.time() - start
    folders = [default_log_folder()]
    configured = local_path(log_folder_phrase) if log_folder_phrase.strip() else None
    if configured is not None:
        folders.insert(0, configured)
    log = summarise(proc.stdout, batch.stem, folders, start)
    return FfsRun(proc.returncode, proc.stdout, proc.stderr, seconds, log)
