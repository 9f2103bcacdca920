"""``--format json``: ``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json

from ffs_tools.findings import Report


def render(report: Report) -> str:
    doc = {
        "version": 1,
        "tool": report.tool,
        "findings": [
            {"code": f.code, "severity": f.severity.label, "path": f.path, "line": f.line,
             "column": f.column, "message": f.message, "hint": f.hint}
            for f in report.sorted()
        ],
        "summary": report.summary(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
