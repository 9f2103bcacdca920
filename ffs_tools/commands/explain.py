"""``ffs-tools explain``: whether a path is synced, and the filter item that decided it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ffs_tools.commands.preview import FfsVersionOpt, PairOpt


def command(
    paths: Annotated[list[str], typer.Argument(metavar="PATH",
                                               help="Paths relative to the left folder (or absolute inside it); "
                                               "a path ending in / is a folder. They need not exist.",
                                               show_default=False)],
    config: Annotated[Path, typer.Option("--config", "-c", metavar="CONFIG", help="The .ffs_gui or .ffs_batch file.",
                                         show_default=False)],
    pair: PairOpt = None,
    ffs_version: FfsVersionOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
) -> None:
    """Explain, like `git check-ignore -v`, why each path is or is not synced by FreeFileSync.

    For every path and pair: synced or not, and the filter item that decided it (its text, global or pair
    filter, its line in the config). Items below an excluded folder name that folder. When the left folder
    is a git work tree, git's verdict follows (the committed .gitignore line that decides it) and whether
    the two disagree on purpose (a keep path, a built-in exclusion). Paths are normalised (./a/../b is b);
    one outside the left folder is reported on its own line and the others are still answered.
    Exit codes: 0 every path answered, 2 a path could not be answered (outside the left folder) or bad input.
    """
    import json

    from ffs_tools.commands._common import parse_semantics
    from ffs_tools.errors import UserError
    from ffs_tools.ffs.phrases import local_path
    from ffs_tools.preview.gitview import git_verdict, git_view
    from ffs_tools.preview.run import BadPath, describe, explain_path, load_job, pair_views

    if fmt not in ("text", "json"):
        raise UserError(f"--format: expected text or json, got {fmt!r}")
    loaded, job = load_job(config)
    views = pair_views(loaded, job, parse_semantics(ffs_version, loaded.xml_format), pair)
    rows: list[dict[str, object]] = []
    for view in views:
        base = local_path(view.pair.left)
        base = base if base is not None and base.is_dir() else None
        git = git_view(base)
        for raw in paths:
            try:
                rel, is_dir, decision = explain_path(view, raw, base)
            except BadPath as exc:
                rows.append({"pair": view.index, "path": raw, "synced": None, "error": str(exc)})
                continue
            mask = decision.mask
            rows.append({
                "pair": view.index, "path": rel + ("/" if is_dir else ""), "synced": decision.synced,
                "reason": decision.reason, "item": mask.text if mask else None,
                "filter": mask.source.origin.value if mask else None,
                "list": mask.source.list_name if mask else None,
                "line": mask.source.line if mask else None,
                "via": decision.via, "explanation": describe(decision, loaded.path),
                "git": git_verdict(git, rel, is_dir, decision) if git is not None else None,
            })
    if fmt == "json":
        typer.echo(json.dumps({"paths": rows}, indent=2, ensure_ascii=False))
    else:
        _print_text(rows, len(views) > 1)
    raise typer.Exit(2 if any("error" in row for row in rows) else 0)


def _print_text(rows: list[dict[str, object]], several: bool) -> None:
    """One line per path and pair (and git's verdict under it); a bad path as an error line on stderr."""
    from ffs_tools.preview.gitview import describe_git

    for row in rows:
        prefix = f"pair {row['pair']}: " if several else ""
        if "error" in row:
            typer.echo(f"error: {prefix}{row['path']}: {row['error']}", err=True)
            continue
        verdict = "synced    " if row["synced"] else "not synced"
        typer.echo(f"{prefix}{verdict}  {row['path']}  ({row['explanation']})")
        git_row = row["git"]
        if isinstance(git_row, dict):
            typer.echo(f"{' ' * len(prefix)}            {describe_git(git_row)}")
