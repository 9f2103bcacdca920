"""``--format json``: ``{"version": 1, "findings": [...], "summary": {...}}``.

When findings can be about folder pairs (:attr:`Report.pairs`, lint), every finding also has ``pairs``:
the folder pairs (1-based) it is about (empty: the whole file), and ``locations``: every place of the
problem, the finding's own first (a problem several pairs share is one finding with one place per pair
filter or setting).

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
        "findings": [_finding(f, report) for f in report.sorted()],
        "summary": report.summary(),
    }
    if report.profiles:
        doc["files"] = report.profile_rows()
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _finding(f: Finding, report: Report) -> dict[str, object]:
    out: dict[str, object] = {"code": f.code, "severity": f.severity.label, "path": f.path, "line": f.line,
                              "column": f.column, "message": f.message, "hint": f.hint}
    if report.pairs:
        out["pairs"] = list(f.pairs)
        out["locations"] = [{"line": p.line, "column": p.column} for p in f.all_places()]
    if report.gitignore:
        out["git_ignored"] = f.git_ignored or None
    return out
