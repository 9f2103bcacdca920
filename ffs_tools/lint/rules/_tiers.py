"""Two tiers of folder names for FFS111 (virtualenvs) and FFS121 (caches).

A gap for a name the project uses is an error: the workflow's names (``never_travels``), or the
``venv-names``/``cache-names`` settings that replace them, and the names the ``--policy`` excludes
itself (``exclude.extra`` items ``*/name/``). A gap for one of the other usual names is named in the
same finding, or, when no required name travels, is one note: the project may not have such a folder
at all, and an error for it would teach ``--ignore FFS111``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ffs_tools.ffs.never_travels import folder_item
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._probe import Result, base_only_cause, describe_scopes, grouped, scope_gaps
from ffs_tools.lint.rules._scopes import Scope

_EVERY_DEPTH = re.compile(r"\*[/\\]([^/\\*?|]+)[/\\]?")


def policy_names(ctx: Context, usual: Sequence[str]) -> list[str]:
    """The usual names the ``--policy`` excludes itself (``exclude.extra`` items ``*/name/``)."""
    if ctx.options.policy is None:
        return []
    from ffs_tools.errors import UserError
    from ffs_tools.lint.rules import _policy

    try:
        extra = _policy.load(str(ctx.options.policy)).exclude_extra
    except UserError:
        return []  # FFS501 reports a broken policy
    found = [m.group(1) for item in extra if (m := _EVERY_DEPTH.fullmatch(item.strip()))]
    return [n for n in found if n in usual]


def required(ctx: Context, setting: tuple[str, ...] | None, workflow: Sequence[str], usual: Sequence[str]) -> list[str]:
    """The names whose gaps are errors: the setting (else the workflow's) and the policy's own."""
    names = list(setting if setting is not None else workflow) + policy_names(ctx, usual)
    return list(dict.fromkeys(names))


def tiered(ctx: Context, code: str, required_names: Sequence[str], usual: Sequence[str], what: str) -> list[Finding]:
    """One finding per gap: an error (with the fix for the required names) when a required name travels,
    naming the other usual names that travel too; a note (no fix) when only other usual names travel.
    The pairs that share a gap share its message (a name not every pair lacks says its pairs), so that the
    engine makes them one finding."""
    def items(names: Sequence[str]) -> str:
        return ", ".join(f"`*/{n}/`" for n in names)

    others = [n for n in usual if n not in required_names]
    failing: list[tuple[Scope, dict[str, list[str]], dict[str, list[str]]]] = []
    noted: list[tuple[Scope, dict[str, list[str]]]] = []
    for scope in ctx.scopes():
        gaps, more = scope_gaps(ctx, scope, required_names), scope_gaps(ctx, scope, others)
        if gaps:
            failing.append((scope, gaps, more))
        elif more:
            noted.append((scope, more))
    errors: list[Result] = []
    if failing:
        scopes = [s for s, _, _ in failing]
        also = [(s, m) for s, _, m in failing if m]
        message = (f"{what} folders are not excluded at every depth: "
                   f"{describe_scopes(required_names, [(s, g) for s, g, _ in failing])}"
                   + (f"; other usual names too: {describe_scopes(others, also, scopes)}" if also else ""))
        errors = [(s, message, [folder_item(n) for n in g], base_only_cause(s, g)) for s, g, _ in failing]
    note = f"other usual {what} folders are not excluded at every depth: {describe_scopes(others, noted)}"
    notes: list[Result] = [(s, note, (), base_only_cause(s, m)) for s, m in noted]
    setting = "venv-names" if what == "virtualenv" else "cache-names"
    return (grouped(ctx, code, Severity.ERROR, errors, f"add folder items at every depth for the missing names "
                    f"({items(required_names)}); the other usual names only if the project has such folders")
            + grouped(ctx, code, Severity.INFO, notes, f"if the project has such folders, exclude them "
                      f"({items(others)}), or name them in {setting} in [tool.ffs-tools.lint]"))
