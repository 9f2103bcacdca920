"""``--format github``: GitHub Actions workflow commands (annotations on the changed files).

An annotation has one place: a problem several folder pairs share is one annotation at the first pair's
place, its message listing the pairs and the other places (``also at lines ...``)."""

from __future__ import annotations

from ffs_tools.findings import Report, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.sorted():
        props = [f"file={_escape_prop(f.path)}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_prop(f.code)}")
        message = f.message + (f"\n{f.hint}" if f.hint else "") + (f"\n{f.git_note()}" if f.git_ignored else "")
        also = sorted({p.line for p in f.places if p.line and p.line != f.line})
        if also:
            message += f"\nalso at line{'s' if len(also) > 1 else ''} {', '.join(map(str, also))}"
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f'{f.code} {message}')}")
    # lint: the profile of each file as plain log lines (not annotations)
    lines.extend(f"ffs-tools lint: {r['path']}: profile {r['profile']} ({r['why']})" for r in report.profile_rows())
    return "\n".join(lines) + ("\n" if lines else "")
