"""Two tiers of folder names for FFS111 (virtualenvs) and FFS121 (caches).

A gap for a name the project uses is an error: the workflow's names (``never_travels``), or the
``venv-names``/``cache-names`` settings that replace them, and the names the ``--policy`` excludes
itself (``exclude.extra`` items ``*/name/``). A gap for one of the other usual names is a note: the
project may not have such a folder at all, and an error for it would teach ``--ignore FFS111``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._probe import gap_results, grouped

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
    """Errors (with the fix) for the required names, one note (no fix) for the other usual names."""
    def items(names: Sequence[str]) -> str:
        return ", ".join(f"`*/{n}/`" for n in names)

    others = [n for n in usual if n not in required_names]
    out = grouped(ctx, code, Severity.ERROR, gap_results(ctx, required_names, what),
                  f"add folder items at every depth for the missing names ({items(required_names)})")
    low = [(scope, message, ()) for scope, message, _ in gap_results(ctx, others, f"other usual {what}")]
    out += grouped(ctx, code, Severity.INFO, low,
                   f"if the project has such folders, exclude them ({items(others)}), or name them in "
                   f"{'venv-names' if what == 'virtualenv' else 'cache-names'} in [tool.ffs-tools.lint]")
    return out
