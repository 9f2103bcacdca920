"""``ffs-tools plan``: what the next FreeFileSync run of a config will do, without running it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    config: Annotated[Path, typer.Argument(
        metavar="CONFIG", help="A .ffs_gui or .ffs_batch file.", show_default=False)],
    pair: Annotated[int | None, typer.Option("--pair", metavar="N", min=1, help="Only folder pair N (1 = the first).",
                                             show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
    ffs_version: Annotated[str | None, typer.Option(
        "--ffs-version", metavar="VERSION", help="12 or 14 (default: 12 for XmlFormat 17-19 files, else 14).",
        show_default=False)] = None,
    list_all: Annotated[bool, typer.Option("--all", help="Text format: list every action.")] = False,
) -> None:
    """Predict what FreeFileSync will do: its comparison, directions, database, moves and stops.

    Local, mounted and sftp:// folders (read over SFTP: |keyfile= or |agent, the host key in known_hosts);
    nothing is written (the .sync.ffs_db files are only read).
    Exit code 0: nothing dangerous; 1: deletions, overwrites, conflicts or a stop pending; 2: bad input.
    --format json prints the public contract ({"version": 1, "stops", "stop_reason", "pairs": [...]}).
    """
    from ffs_tools.commands._plan_fast import make_plan, plan_json
    from ffs_tools.errors import UserError
    from ffs_tools.plan.report import exit_code, render_text

    if fmt not in ("text", "json"):
        raise UserError(f"--format: expected text or json, got {fmt!r}")
    plan = make_plan(config, pair, ffs_version)
    if fmt == "json":
        typer.echo(plan_json(plan))
    else:
        typer.echo(render_text(plan, list_all), nl=False)
    raise typer.Exit(exit_code(plan))
