"""``ffs-tools rules``: the lint rules and their documentation."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    code: Annotated[str | None, typer.Argument(metavar="CODE", show_default=False,
                                               help="A rule code (e.g. FFS101): print its documentation.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                     help="text, markdown (the README table) or json.")] = "text",
) -> None:
    """List the lint rules, or print one rule's documentation (what it does, why, example, fix)."""
    import json

    from ffs_tools.errors import UserError
    from ffs_tools.rules import REGISTRY, by_code, info

    if fmt not in ("text", "markdown", "json"):
        raise UserError(f"--format: expected text, markdown or json, got {fmt!r}")
    if code is not None:
        module = by_code().get(code.strip().upper())
        if module is None:
            raise UserError(f"unknown rule {code!r} (see `ffs-tools rules`)")
        rule = info(module)
        if fmt == "json":
            typer.echo(json.dumps({"code": rule.code, "name": rule.name, "severity": rule.severity.label,
                                   "summary": rule.summary, "doc": rule.doc}, indent=2))
        else:
            typer.echo(f"{rule.code} {rule.name} (default: {rule.severity.label})\n\n{rule.doc}")
        raise typer.Exit(0)
    infos = [info(m) for m in REGISTRY]
    if fmt == "json":
        typer.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.label, "summary": r.summary}
                               for r in infos], indent=2))
    elif fmt == "markdown":
        typer.echo(markdown_table())
    else:
        for r in infos:
            typer.echo(f"{r.code}  {r.severity.label:<7}  {r.name:<38}  {r.summary}")
    raise typer.Exit(0)


def markdown_table() -> str:
    """The README's rule table, generated from the registry."""
    from ffs_tools.rules import REGISTRY, info

    rows = ["| Code | Name | Default | Finding |", "|---|---|---|---|"]
    for m in REGISTRY:
        r = info(m)
        rows.append(f"| {r.code} | `{r.name}` | {r.severity.label} | {r.summary.replace('|', chr(92) + '|')} |")
    return "\n".join(rows)
