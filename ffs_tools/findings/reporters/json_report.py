"""``--format json``: ``{"version": 1, "findings": [...], "summary": {...}}``.

lint adds ``files``: per file, the profile it was judged by and why (``{"path", "profile", "why"}``).
When the report judged git's verdict (:attr:`Report.gitignore`), every finding also has ``git_ignored``:
the ``.gitignore`` rule as ``git check-ignore -v`` names it, or ``null`` when git would not ignore it.
"""

from __future__ import annotations

import json

from ffs_tools.findings import Finding, Report


def render(report: Report) -> str:
    doc: dict[str, object] = {
        "version": 1,
        "tool": report.tool,
        "findings": [_finding(f, report.gitignore) for f in report.sorted()],
        "summary": report.summary(),
    }
    if report.profiles:
        doc["files"] = report.profile_rows()
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _finding(f: Finding, gitignore: bool) -> dict[str, object]:
    out: dict[str, object] = {"code": f.code, "severity": f.severity.label, "path": f.path, "line": f.line,
                              "column": f.column, "message": f.message, "hint": f.hint}
    if gitignore:
        out["git_ignored"] = f.git_ignored or None
    return out
