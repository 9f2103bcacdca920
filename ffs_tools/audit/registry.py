"""The ``audit-gpu`` rules (FFS7xx): one module per rule, an explicit registry.

Each module holds the rule's ``CODE``, kebab-case ``NAME``, default
``SEVERITY``, one-line ``SUMMARY`` and, as its docstring, the documentation
(What it does / Why is this bad? / Example / Fix). The checks themselves run
inside the one streaming walk (:mod:`ffs_tools.audit.run`); the modules hold the
parts that are specific to a rule (environment and link inspection, lock age).

:func:`audit_rule_infos` is what ``ffs-tools rules`` and the SARIF reporter
read. Importing this package is cheap (no third-party modules).
"""

from __future__ import annotations

from types import ModuleType

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
from ffs_tools.findings import RuleInfo, Severity

RULE_MODULES: tuple[ModuleType, ...] = (
    ffs701_git_folder,
    ffs702_git_file,
    ffs703_env_copied,
    ffs704_never_travels,
    ffs705_ffs_leftover,
    ffs706_unreadable,
    ffs707_symlink_escape,
    ffs708_env_travels,
)


def _info(module: ModuleType) -> RuleInfo:
    return RuleInfo(code=module.CODE, name=module.NAME, severity=module.SEVERITY, summary=module.SUMMARY,
                    doc=_cleandoc(module.__doc__ or ""))


def _cleandoc(doc: str) -> str:
    """A module docstring without its trailing blank lines (module docstrings are not indented)."""
    return "\n".join(line.rstrip() for line in doc.strip().splitlines())


def audit_rule_infos() -> list[RuleInfo]:
    """Every FFS7xx rule with its documentation, in code order."""
    return [_info(m) for m in RULE_MODULES]


RULES: dict[str, RuleInfo] = {info.code: info for info in audit_rule_infos()}


def severity(code: str) -> Severity:
    return RULES[code].severity
