"""``ffs-tools sync``: plan, guard, run the real FreeFileSync headless with private settings, verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Run a .ffs_batch job with the real FreeFileSync, safely and unattended.

First the plan (what FreeFileSync will do, as ffs-tools plan shows it). The run is refused, with nothing
run, when it would delete, or overwrite although newer, more than --max-delete items (listed), copy a
virtualenv or conda env from the GPU side, or stop anyway (e.g. a missing folder). Then FreeFileSync runs with a
private GlobalSettings.xml written fresh in a temporary folder (your own FreeFileSync settings are never
read or touched) in which the significant-difference warning (replaced by --max-delete) and, unless
--stop-on-conflict, the unresolved-conflicts warning are off: conflicts are left alone and listed, the
rest syncs. Afterwards a fresh plan checks the trees and FreeFileSync's log is summarised. Only one sync of
a config runs at a time (a second one waits, or with --no-wait is refused). An sftp:// folder is planned
over SFTP (a key file or ssh-agent, the host key in known_hosts); a job with another remote folder (ftp://,
mtp:, gdrive:) cannot be planned: it runs without the guards, with FreeFileSync's own safety warnings on.

Exit codes: 0 synced as planned; 1 synced with warnings (conflicts left alone, FreeFileSync warnings, or
trees that differ from the plan, e.g. a file written during the run); 2 bad input; 3 refused (a guard,
or --no-wait while another sync runs), nothing run; 4 FreeFileSync failed (errors, aborted, bad job).
"""


def command(
    config: Annotated[Path, typer.Argument(
        metavar="CONFIG", help="The .ffs_batch job (e.g. the one ffs-tools generate wrote).",
                                           show_default=False)],
    max_delete: Annotated[int | None, typer.Option(
        "--max-delete", metavar="N", min=-1, show_default=False,
        help="Refuse when more than N items would be deleted, or overwritten although newer (or present only on "
             "that side) (-1: no limit). Default: the policy's [sync] max_delete, else 50.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Only plan and check the guards; exit 3 if the run would be refused.")] = False,
    no_wait: Annotated[bool, typer.Option(
        "--no-wait", help="If another sync of this config is running, refuse (exit 3) instead of waiting.")] = False,
    stop_on_conflict: Annotated[bool, typer.Option(
        "--stop-on-conflict", help="Refuse while any conflict is unresolved instead of syncing around it.")] = False,
    ffs_command: Annotated[str | None, typer.Option(
        "--ffs-command", metavar="COMMAND", show_default=False,
        help="The FreeFileSync to run. Default: $FFS_COMMAND, the policy's [ffs] command, FreeFileSync on "
             "PATH. Without DISPLAY it runs under xvfb-run -a.")] = None,
    policy: Annotated[Path | None, typer.Option(
        "--policy", "-p", metavar="FILE", show_default=False,
        help="The policy (default: ffs-policy.toml or pyproject.toml's [tool.ffs-tools] next to CONFIG).")] = None,
) -> None:
    from ffs_tools.ffs.versions import NEWEST_FORMAT, before_13
    from ffs_tools.sync.binary import find_command
    from ffs_tools.sync.planning import load_batch, load_policy_for, planner
    from ffs_tools.sync.run import SyncRequest, sync

    loaded = load_batch(config)
    settings = load_policy_for(config, policy)
    version = "12" if before_13(loaded.xml_format or NEWEST_FORMAT) else "14"  # as ffs-tools plan decides
    request = SyncRequest(
        batch=config, ffs_version=version,
        log_folder=loaded.log_folder, max_delete=settings.max_delete if max_delete is None else max_delete,
        stop_on_conflict=stop_on_conflict, wait=not no_wait, dry_run=dry_run, remote=loaded.remote)
    command_line = None if dry_run else find_command(ffs_command, settings.ffs_command)
    raise typer.Exit(sync(request, planner(version), command_line, typer.echo, lambda m: typer.echo(m, err=True)))


command.__doc__ = HELP
