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
    """List the rules of lint (FFS0xx-5xx) and audit-gpu (FFS7xx), or print one rule's documentation
    (what it does, why it is bad, an example, the fix)."""
    import json

    from ffs_tools.audit.registry import audit_rule_infos
    from ffs_tools.errors import UserError
    from ffs_tools.lint.registry import REGISTRY, by_code, info

    if fmt not in ("text", "markdown", "json"):
        raise UserError(f"--format: expected text, markdown or json, got {fmt!r}")
    infos = [info(m) for m in REGISTRY] + audit_rule_infos()
    if code is not None:
        rule = next((r for r in infos if r.code == code.strip().upper()), None)
        if rule is None:
            raise UserError(f"unknown rule {code!r} (see `ffs-tools rules`)")
        lint_rule = by_code().get(rule.code)
        profiles = [p.value for p in lint_rule.PROFILES] if lint_rule is not None else []
        if fmt == "json":
            doc: dict[str, object] = {"code": rule.code, "name": rule.name, "severity": rule.severity.label,
                                      "summary": rule.summary, "doc": rule.doc}
            if profiles:
                doc["profiles"] = profiles
            typer.echo(json.dumps(doc, indent=2))
        else:
            where = f"\nlint profiles: {', '.join(profiles)}" if profiles else ""
            typer.echo(f"{rule.code} {rule.name} (default: {rule.severity.label}){where}\n\n{rule.doc}")
        raise typer.Exit(0)
    if fmt == "json":
        typer.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.label, "summary": r.summary}
                               for r in infos], indent=2))
    elif fmt == "markdown":
        typer.echo(markdown_table())  # the lint table of the README; audit-gpu's FFS7xx table stands apart
    else:
        for r in infos:
            typer.echo(f"{r.code}  {r.severity.label:<7}  {r.name:<38}  {r.summary}")
    raise typer.Exit(0)


def markdown_table() -> str:
    """The README's rule table, generated from the registry."""
    from ffs_tools.lint.registry import REGISTRY, info

    rows = ["| Code | Name | Default | Profiles | Finding |", "|---|---|---|---|---|"]
    for m in REGISTRY:
        r = info(m)
        profiles = ", ".join(p.value for p in m.PROFILES)
        rows.append(f"| {r.code} | `{r.name}` | {r.severity.label} | {profiles} | "
                    f"{r.summary.replace('|', chr(92) + '|')} |")
    return "\n".join(rows)
