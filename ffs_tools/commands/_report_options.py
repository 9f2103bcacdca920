"""Options and output shared by the commands that report findings (``lint``, ``audit-gpu``).

Both take the same ``--format``, ``--select``, ``--ignore`` and ``--strict`` (their help texts live
here once: ``audit-gpu`` declares them for typer, ``lint`` for argparse, so nothing here imports typer)
and end the same way: render the report to stdout, return the exit code.
"""

from __future__ import annotations

import sys

from ffs_tools.findings import Report, Selection, Severity, exit_code

FORMAT_HELP = "Output format: text, concise, json, sarif or github (default: github under GitHub Actions, else text)."
SELECT_HELP = "Only these rule codes or prefixes (repeatable, comma-separated), e.g. FFS1,FFS302."
IGNORE_HELP = "Skip these rule codes or prefixes (repeatable, comma-separated)."
STRICT_HELP = "Exit 1 on warnings too, not only on errors."


def selection(select: list[str] | None, ignore: list[str] | None) -> Selection:
    return Selection.of(select or (), ignore or ())


#: the formats people read: notes (``info`` findings) are left out of them unless asked for
READ_BY_PEOPLE = ("text", "concise", "github")


def emit(report: Report, fmt: str | None, strict: bool, show_notes: bool = True) -> int:
    """Print the report in ``fmt`` and return the exit code (0 clean, 1 findings at the threshold).

    Without ``show_notes``, the formats people read leave the notes out, so that a clean file prints
    exactly the "no findings" output; json and sarif, read by tools, always carry them. Notes never
    change the exit code."""
    import dataclasses

    from ffs_tools.errors import UserError
    from ffs_tools.findings.reporters import FORMATS, default_format, render

    chosen = fmt or default_format()
    if chosen not in FORMATS:
        raise UserError(f"--format: expected one of {', '.join(FORMATS)}, got {chosen!r}")
    shown = report
    if not show_notes and chosen in READ_BY_PEOPLE:
        shown = dataclasses.replace(report, findings=[f for f in report.findings if f.severity > Severity.INFO])
    sys.stdout.write(render(shown, chosen))
    return exit_code(report, Severity.WARNING if strict else Severity.ERROR)
