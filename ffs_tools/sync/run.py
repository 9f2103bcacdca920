"""``ffs-tools sync``: lock, plan, guard, run the real FreeFileSync, verify, and the exit code.

Exit codes (also in the command's help and the README):

* 0 synced as planned: FreeFileSync succeeded (or logged only the warnings sync
  expects), no conflict was left, and a fresh plan finds nothing left to do;
* 1 synced with warnings: conflicts left alone, other FreeFileSync warnings, or
  trees that differ from the plan (a file written during the run);
* 2 bad input (the config, the policy, an option, no FreeFileSync);
* 3 refused, nothing run: a guard (``--max-delete``, a GPU-side environment that
  would travel, a plan that stops, ``--stop-on-conflict``), or ``--no-wait`` while
  another sync of the config runs;
* 4 FreeFileSync failed: errors, aborted, or it could not run the job.

A job with an ``sftp://`` side is planned over SFTP like a local one (guards, verification).
A job with another remote side (``ftp://``, ``mtp:``, ``gdrive:``) cannot be planned here: it
runs without the guards, with FreeFileSync's own safety warnings on (they stop the run before
it changes anything), still under the lock and with the log summarised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.plan.model import Plan
from ffs_tools.sync import guard, report
from ffs_tools.sync.binary import FfsCommand
from ffs_tools.sync.lock import Busy, sync_lock
from ffs_tools.sync.runner import FfsRun, run_ffs
from ffs_tools.sync.verify import Verification, verify

EXIT_OK, EXIT_WARNINGS, EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_FFS_FAILED = 0, 1, 2, 3, 4

#: makes the plan of a batch file as FreeFileSync would run it now
Planner = Callable[[Path], Plan]
Say = Callable[[str], None]


@dataclass(frozen=True)
class SyncRequest:
    """Everything one ``sync`` needs, decided by the command from options, environment and policy."""

    batch: Path
    ffs_version: str  # "12" or "14": which FreeFileSync's settings format to write
    log_folder: str  # the batch's LogFolder phrase ("" = FreeFileSync's default)
    max_delete: int  # -1 = no limit
    stop_on_conflict: bool = False
    wait: bool = True
    dry_run: bool = False
    #: the sides plan cannot read (ftp:, mtp:, gdrive:): no plan, no guard, FreeFileSync's own warnings stay on
    remote: tuple[str, ...] = ()


def sync(request: SyncRequest, planner: Planner, command: FfsCommand | None, out: Say, say: Say) -> int:
    """Run one sync; ``out`` prints the report (stdout), ``say`` progress notes (stderr)."""
    try:
        with sync_lock(request.batch, request.wait, say) as lock_fd:
            return _locked(request, planner, command, out, say, lock_fd)
    except Busy as busy:
        out(f"refused, nothing was run: another sync of {request.batch.name} is running ({busy.holder}) "
            "and --no-wait was given")
        return EXIT_REFUSED


def _locked(request: SyncRequest, planner: Planner, command: FfsCommand | None, out: Say, say: Say,
            lock_fd: int) -> int:
    if request.remote:
        return _unguarded(request, command, out, say, lock_fd)
    before = planner(request.batch)
    refusal = guard.check(before, request.max_delete, request.stop_on_conflict)
    for line in report.plan_lines(before, list_at_risk=refusal is None or not refusal.at_risk):
        out(line)
    if refusal is not None:
        for line in report.refusal_lines(refusal):
            out(line)
        return EXIT_REFUSED
    if request.dry_run or command is None:
        out("dry run: within the guards; FreeFileSync was not run")
        return EXIT_OK
    ran = _run(request, command, say, True, lock_fd)
    for line in report.run_lines(ran):
        out(line)
    if ran.returncode not in (0, 1, 2):
        out("result: FreeFileSync did not sync (exit 4)")
        return EXIT_FFS_FAILED
    checked = _verify(before, request, planner, out)
    code = _exit_code(ran, checked)
    out(f"result: {_RESULTS[code]} (exit {code})")
    return code


def _run(request: SyncRequest, command: FfsCommand, say: Say, guarded: bool, lock_fd: int) -> FfsRun:
    program = command.argv[2:] if command.virtual_display else command.argv
    how = " under xvfb-run -a (no DISPLAY)" if command.virtual_display else ""
    say(f"running FreeFileSync ({' '.join(program)}, from {command.origin}){how}")
    return run_ffs(command, request.batch, request.ffs_version, not request.stop_on_conflict, request.log_folder,
                   guarded, lock_fd)


def _unguarded(request: SyncRequest, command: FfsCommand | None, out: Say, say: Say, lock_fd: int) -> int:
    """A job with a remote side: no plan, so FreeFileSync's own safety warnings stay on (they stop the run)."""
    if request.dry_run or command is None:
        raise UserError("cannot plan a job with a remote folder (" + "; ".join(request.remote) + "): "
                        "--dry-run has nothing to show", str(request.batch))
    out("no plan (" + "; ".join(request.remote) + "): the guards cannot run, so FreeFileSync's own safety "
        "warnings stay on (a significant difference or a conflict stops the run, nothing changed)")
    ran = _run(request, command, say, False, lock_fd)
    for line in report.run_lines(ran):
        out(line)
    if ran.returncode not in (0, 1):
        out("result: FreeFileSync did not sync everything (exit 4)")
        return EXIT_FFS_FAILED
    code = EXIT_OK if ran.returncode == 0 else EXIT_WARNINGS
    out(f"result: synced{' with warnings' if code else ''}, without a plan to verify against (exit {code})")
    return code


def _verify(before: Plan, request: SyncRequest, planner: Planner, out: Say) -> Verification | None:
    try:
        after = planner(request.batch)
    except UserError as exc:
        out(f"could not plan again to verify: {exc}")
        return None
    result = verify(before, after)
    for line in report.verification_lines(result):
        out(line)
    return result


def _exit_code(ran: FfsRun, checked: Verification | None) -> int:
    if ran.returncode == 2:
        return EXIT_FFS_FAILED
    if checked is None or not checked.clean or checked.conflicts_left:
        return EXIT_WARNINGS
    if ran.returncode == 1 and (ran.log.path is None or report.unexpected_warnings(ran)):
        return EXIT_WARNINGS
    return EXIT_OK


_RESULTS = {EXIT_OK: "synced as planned", EXIT_WARNINGS: "synced with warnings",
            EXIT_FFS_FAILED: "FreeFileSync finished with errors"}
