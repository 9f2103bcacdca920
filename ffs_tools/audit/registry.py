"""The ``audit-gpu`` rules (FFS7xx): one module per rule, an explicit registry.

Each module follows the one rule convention of lint and audit-gpu
(:class:`ffs_tools.findings.Rule`: ``CODE``, kebab-case ``NAME``, default
``SEVERITY``, the docstring as the documentation, its first line the summary)
and holds the rule's decision, message and hint; it declares the entry
``NAMES`` and ``SUFFIXES`` it needs to see, from which the walk's prefilter is
derived (:func:`prefilter`). The walk's visitor (:mod:`ffs_tools.audit.checks`)
only dispatches entries to them.

:func:`audit_rule_infos` is what ``ffs-tools rules`` and the SARIF reporter
read. Importing this package is cheap (no third-party modules).
"""

from __future__ import annotations

from typing import Protocol

from ffs_tools.audit.rules import (
    ffs701_git_folder,
    ffs702_git_file,
    ffs703_env_copied,
    ffs704_never_travels,
    ffs705_ffs_leftover,
    ffs706_unreadable,
    ffs707_symlink_escape,
    ffs708_env_travels,
)
from ffs_tools.findings import Rule, RuleInfo, Severity, rule_info


class AuditRule(Rule, Protocol):
    """An audit rule module: the shared convention plus the entry names it needs the walk to show it."""

    #: upper-case entry names (``.GIT``, ``PYVENV.CFG`` ...) and name suffixes (``.FFS_TMP``) the rule looks at
    NAMES: frozenset[str]
    SUFFIXES: frozenset[str]


RULE_MODULES: tuple[AuditRule, ...] = (
    ffs701_git_folder,
    ffs702_git_file,
    ffs703_env_copied,
    ffs704_never_travels,
    ffs705_ffs_leftover,
    ffs706_unreadable,
    ffs707_symlink_escape,
    ffs708_env_travels,
)


def prefilter() -> tuple[frozenset[str], frozenset[str]]:
    """The upper-case names and suffixes every rule together needs the walk to show (a new rule's
    ``NAMES``/``SUFFIXES`` reach the walk without editing it)."""
    names = frozenset().union(*(m.NAMES for m in RULE_MODULES))
    suffixes = frozenset().union(*(m.SUFFIXES for m in RULE_MODULES))
    return names, suffixes


def audit_rule_infos() -> list[RuleInfo]:
    """Every FFS7xx rule with its documentation, in code order."""
    return [rule_info(m) for m in RULE_MODULES]


RULES: dict[str, RuleInfo] = {info.code: info for info in audit_rule_infos()}


def severity(code: str) -> Severity:
    return RULES[code].severity
