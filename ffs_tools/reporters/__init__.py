"""Reporters: a :class:`~ffs_tools.findings.Report` in, the text a user or a tool reads out.

Only reporters produce what goes to stdout; output is deterministic (sorted
findings, no timestamps).
"""

from __future__ import annotations

import os

from ffs_tools.findings import Report
from ffs_tools.reporters import github, json_report, sarif, text

FORMATS = ("text", "concise", "json", "sarif", "github")


def default_format() -> str:
    """``github`` under GitHub Actions, else ``text``."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(report: Report, fmt: str) -> str:
    if fmt == "text":
        return text.render(report)
    if fmt == "concise":
        return text.render_concise(report)
    if fmt == "json":
        return json_report.render(report)
    if fmt == "sarif":
        return sarif.render(report)
    if fmt == "github":
        return github.render(report)
    raise ValueError(f"unknown output format {fmt!r} (expected one of {', '.join(FORMATS)})")
