"""``--format sarif``: SARIF 2.1.0 with rule metadata, for code-scanning uploads.

A problem several folder pairs share is one result with one location per place (SARIF's ``locations``:
"each location where the result occurs")."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from ffs_tools import __version__
from ffs_tools.findings import Place, Report, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report) -> str:
    codes = sorted({f.code for f in report.findings} | set(report.rules))
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = report.rules.get(code)
        rule: dict[str, object] = {"id": code}
        if info:
            rule["name"] = info.name
            rule["shortDescription"] = {"text": info.summary}
            if info.doc:
                rule["fullDescription"] = {"text": info.doc}
            rule["defaultConfiguration"] = {"level": _LEVEL[info.severity]}
        rules.append(rule)
    results = []
    for f in report.sorted():
        uri = PurePosixPath(f.path.replace("\\", "/")).as_posix()
        message = f.message + (f" Hint: {f.hint}" if f.hint else "")
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": _location(uri, p)} for p in f.all_places()],
        }
        if f.git_ignored:  # SARIF's property bag: tools' own facts about a result
            result["properties"] = {"git_ignored": f.git_ignored}
        results.append(result)
    run: dict[str, object] = {
        "tool": {"driver": {"name": "ffs-tools", "version": __version__,
                            "informationUri": "https://pypi.org/project/ffs-tools/", "rules": rules}},
        "results": results,
    }
    if report.profiles:  # lint: the profile of each file, in the run's property bag
        run["properties"] = {"profiles": report.profile_rows()}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _location(uri: str, place: Place) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": uri}}
    if place.line:
        region = {"startLine": place.line}
        if place.column:
            region["startColumn"] = place.column
        location["region"] = region
    return location
