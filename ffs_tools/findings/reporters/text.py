"""Human-readable reports: ``text`` (with hints) and ``concise`` (one line per finding)."""

from __future__ import annotations

from ffs_tools.findings import Finding, Report

#: how many further places of a grouped finding the text report spells out
SHOWN_PLACES = 5


def profile_lines(report: Report) -> list[str]:
    """lint: the profile each file was judged by, and why (one line per file)."""
    return [f"{r['path']}: profile {r['profile']} ({r['why']})" for r in report.profile_rows()]


def render_concise(report: Report) -> str:
    lines = [f"{f.location()}: {f.code} [{f.severity.label}] {f.message}"
             + (f" [{f.git_note()}]" if f.git_ignored else "") for f in report.sorted()]
    return "\n".join(lines) + ("\n" if lines else "")


def render(report: Report) -> str:
    lines: list[str] = []
    for f in report.sorted():
        lines.append(f"{f.location()}: {f.code} [{f.severity.label}] {f.message}")
        if f.places:
            lines.append(f"    also at: {_places(f)}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
        if f.git_ignored:
            lines.append(f"    git: would ignore it ({f.git_ignored})")
    lines.extend(profile_lines(report))
    counts = report.counts()
    noun = "file" if report.tool == "lint" else "tree"
    checked = f"{report.checked} {noun}{'' if report.checked == 1 else 's'} checked"
    if report.findings:
        parts = [f"{n} {label}{'' if n == 1 else 's'}" for label, n in counts.items() if n]
        lines.append(f"{checked}: {', '.join(parts)}")
    else:
        lines.append(f"{checked}: no findings")
    return "\n".join(lines) + "\n"


def _places(f: Finding) -> str:
    """The other places of a grouped finding (``line:column``), the first few and how many more."""
    shown = [f"{p.line}:{p.column}" if p.column else str(p.line) for p in f.places[:SHOWN_PLACES] if p.line]
    more = len(f.places) - SHOWN_PLACES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
