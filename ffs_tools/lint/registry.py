"""The lint rules: one module per rule, listed explicitly (no plugin machinery).

Each module follows the one rule convention of lint and audit-gpu
(:class:`ffs_tools.findings.Rule`: ``CODE``, a kebab-case ``NAME``, the default
``SEVERITY``, and a docstring that is the rule's documentation, printed by
``ffs-tools rules CODE``), declares the ``PROFILES`` it belongs to (``generic``
and ``dev-gpu``, or ``dev-gpu`` alone) and has ``check(ctx)`` yielding findings
(:class:`LintRule`, checked by mypy for every module listed here). Which rules
a profile runs is derived from those declarations (:func:`rules_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ffs_tools.findings import Finding, Rule, RuleInfo, rule_info
from ffs_tools.lint.rules import (
    ffs001_not_well_formed,
    ffs002_wrong_config_type,
    ffs003_rejected_element,
    ffs004_old_xml_format,
    ffs101_git_not_excluded,
    ffs102_git_excluded_only_at_base,
    ffs103_git_file_not_excluded,
    ffs111_venv_not_excluded,
    ffs112_venv_in_left_folder,
    ffs121_cache_not_excluded,
    ffs131_filter_drops_tracked,
    ffs132_keep_path_link_not_synced,
    ffs141_suspicious_filter_item,
    ffs142_empty_include,
    ffs143_code_folder_only_at_base,
    ffs144_item_form_cannot_match,
    ffs151_syncs_git_ignored,
    ffs201_password_in_path,
    ffs202_same_or_nested_folders,
    ffs203_empty_folder_path,
    ffs301_compare_not_time_size,
    ffs302_mirror_toward_gpu,
    ffs303_permanent_deletion,
    ffs304_recycle_bin_on_remote,
    ffs305_versioning_without_folder,
    ffs401_batch_waits_for_click,
    ffs402_errors_ignored_with_deletions,
    ffs403_realtime_delay_too_short,
    ffs404_realtime_command,
    ffs501_policy_out_of_date,
)
from ffs_tools.lint.rules._context import Context, Profile


class LintRule(Rule, Protocol):
    """A lint rule module: the shared convention (:class:`~ffs_tools.findings.Rule`), its profiles and
    ``check``."""

    PROFILES: tuple[Profile, ...]

    def check(self, ctx: Context) -> Iterable[Finding]:
        """The findings for one file (nothing when the file has no model the rule can judge)."""
        ...


REGISTRY: tuple[LintRule, ...] = (
    ffs001_not_well_formed,
    ffs002_wrong_config_type,
    ffs003_rejected_element,
    ffs004_old_xml_format,
    ffs101_git_not_excluded,
    ffs102_git_excluded_only_at_base,
    ffs103_git_file_not_excluded,
    ffs111_venv_not_excluded,
    ffs112_venv_in_left_folder,
    ffs121_cache_not_excluded,
    ffs131_filter_drops_tracked,
    ffs132_keep_path_link_not_synced,
    ffs141_suspicious_filter_item,
    ffs142_empty_include,
    ffs143_code_folder_only_at_base,
    ffs144_item_form_cannot_match,
    ffs151_syncs_git_ignored,
    ffs201_password_in_path,
    ffs202_same_or_nested_folders,
    ffs203_empty_folder_path,
    ffs301_compare_not_time_size,
    ffs302_mirror_toward_gpu,
    ffs303_permanent_deletion,
    ffs304_recycle_bin_on_remote,
    ffs305_versioning_without_folder,
    ffs401_batch_waits_for_click,
    ffs402_errors_ignored_with_deletions,
    ffs403_realtime_delay_too_short,
    ffs404_realtime_command,
    ffs501_policy_out_of_date,
)


def rules_for(profile: Profile) -> tuple[LintRule, ...]:
    """The rules a file judged by ``profile`` runs."""
    return tuple(m for m in REGISTRY if profile in m.PROFILES)


def by_code() -> dict[str, LintRule]:
    return {m.CODE: m for m in REGISTRY}


def info(rule: LintRule) -> RuleInfo:
    """The reporter-facing metadata of a rule (summary = first docstring line)."""
    return rule_info(rule)
