"""Reporters: a :class:`~ffs_tools.findings.Report` in, the text a user or a tool reads out.

Only reporters produce what goes to stdout; output is deterministic (sorted
findings, no timestamps).
"""

from __future__ import annotations

import os

from ffs_tools.findings import Report

FORMATS = ("text", "concise", "json", "sarif", "github")


def default_format() -> str:
    """``github`` under GitHub Actions, else ``text``."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt``; a reporter is imported only when used (lint runs on every commit)."""
    if fmt in ("text", "concise"):
        from ffs_tools.findings.reporters import text

        return text.render(report) if fmt == "text" else text.render_concise(report)
    if fmt == "json":
        from ffs_tools.findings.reporters import json_report

        return json_report.render(report)
    if fmt == "sarif":
        from ffs_tools.findings.reporters import sarif

        return sarif.render(report)
    if fmt == "github":
        from ffs_tools.findings.reporters import github

        return github.render(report)
    raise ValueError(f"unknown output format {fmt!r} (expected one of {', '.join(FORMATS)})")
