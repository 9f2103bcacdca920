"""``ffs-tools preview``: what FreeFileSync would sync, by its own filter semantics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FfsVersionOpt = Annotated[
    str | None,
    typer.Option("--ffs-version", metavar="VERSION",
                 help="Filter semantics of this FreeFileSync version: up to 14.7 file items also match parent "
                      "folders, from 14.8 on they do not (e.g. 12, 13, 14.7, 14.10). Default: the config's format "
                      "decides (17-19: 14.7 and older, 23: 14.8 and newer), as in lint and audit-gpu.",
                 show_default=False),
]
PairOpt = Annotated[
    int | None,
    typer.Option("--pair", metavar="N", min=1, help="Only folder pair N (1 = the first).", show_default=False),
]


def command(
    config: Annotated[Path, typer.Argument(
        metavar="CONFIG", help="A .ffs_gui or .ffs_batch file.", show_default=False)],
    pair: PairOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
    ffs_version: FfsVersionOpt = None,
    list_items: Annotated[bool, typer.Option(
        "--list", help="Text format: also list every synced path (sorted by path bytes).")] = False,
) -> None:
    """Show what FreeFileSync would copy from the left folder of each pair into an empty right folder.

    Walks each local left folder with FreeFileSync's own filter semantics (global and pair filter, the
    built-in *.ffs_db/*.ffs_lock excludes, size and time limits, the Symlinks setting). Text output counts
    files, folders and bytes per top-level folder; --format json prints
    {"pairs": [{"index", "left", "right", "synced": [...]}]} with folders ending in "/".
    """
    from ffs_tools.commands._common import parse_semantics
    from ffs_tools.preview.output import render_json, render_text
    from ffs_tools.preview.run import load_job, pair_views, walk_pair

    if fmt not in ("text", "json"):
        from ffs_tools.errors import UserError

        raise UserError(f"--format: expected text or json, got {fmt!r}")
    loaded, job = load_job(config)
    semantics = parse_semantics(ffs_version, loaded.xml_format)
    views = pair_views(loaded, job, semantics, pair)
    results = [(view, walk_pair(view, need_sizes=fmt == "text")) for view in views]
    typer.echo(render_json(results) if fmt == "json" else render_text(results, semantics, list_items), nl=False)
