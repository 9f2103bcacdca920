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
from functools import partial

from ffs_tools.ffs.never_travels import folder_item
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._probe import (
    SAMPLE_FILES,
    Result,
    depth_gaps,
    describe_scopes,
    excluding_item,
    grouped,
)
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


def _gaps(ctx: Context, scope: Scope, names: Sequence[str]) -> dict[str, list[str]]:
    return ctx.cached(("gaps", tuple(names), scope.group), partial(depth_gaps, scope.flt, names))


def _result(scope: Scope, message: str, gaps: dict[str, list[str]], fix: bool) -> Result:
    """One scope's result; when every gap is a folder kept back at the base only, the item that does so."""
    cause = None
    if all(where == ["below"] for where in gaps.values()):
        cause = excluding_item(scope.flt, f"{next(iter(gaps))}/{SAMPLE_FILES[0]}")
    return scope, message, [folder_item(n) for n in gaps] if fix else [], cause


def tiered(ctx: Context, code: str, required_names: Sequence[str], usual: Sequence[str], what: str) -> list[Finding]:
    """One error (with the fix for the required names) for the pairs where a required name travels, naming
    the other usual names that travel there too; one note (no fix) for the pairs where only other usual
    names travel. Each message covers all its pairs, so that the engine makes it one finding."""
    others = [n for n in usual if n not in required_names]
    errors: list[tuple[Scope, dict[str, list[str]], dict[str, list[str]]]] = []
    notes: list[tuple[Scope, dict[str, list[str]]]] = []
    for scope in ctx.scopes():
        gaps, more = _gaps(ctx, scope, required_names), _gaps(ctx, scope, others)
        if gaps:
            errors.append((scope, gaps, more))
        elif more:
            notes.append((scope, more))
    out: list[Finding] = []
    if errors:
        extra = [(scope, more) for scope, _, more in errors if more]
        also = f"; other usual names too: {describe_scopes(others, extra)}" if extra else ""
        message = (f"{what} folders are not excluded at every depth: "
                   f"{describe_scopes(required_names, [(scope, gaps) for scope, gaps, _ in errors])}{also}")
        out += grouped(ctx, code, Severity.ERROR, [_result(scope, message, gaps, True) for scope, gaps, _ in errors],
                       f"add folder items at every depth for the missing names ({_items(required_names)}); the "
                       "other usual names only if the project has such folders")
    if notes:
        message = f"other usual {what} folders are not excluded at every depth: {describe_scopes(others, notes)}"
        setting = "venv-names" if what == "virtualenv" else "cache-names"
        out += grouped(ctx, code, Severity.INFO, [_result(scope, message, more, False) for scope, more in notes],
                       f"if the project has such folders, exclude them ({_items(others)}), or name them in "
                       f"{setting} in [tool.ffs-tools.lint]")
    return out


def _items(names: Sequence[str]) -> str:
    return ", ".join(f"`*/{n}/`" for n in names)
