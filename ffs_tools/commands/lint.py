"""``ffs-tools lint``: check FreeFileSync configs for the gaps that corrupt repositories and lose results.

A pre-commit hook runs this on every commit, so its options are defined once,
for :mod:`argparse` (:func:`parser`), and :func:`main` runs it without building
typer (importing typer alone costs more than linting a clean file, and typer
0.2x converts every value through a runtime coercion that imports pydantic).
``ffs-tools lint`` goes straight to :func:`main` (:func:`ffs_tools.cli.main`);
the typer app only forwards to it (:mod:`ffs_tools.commands._app`), so
``ffs-tools --help`` lists ``lint`` and ``ffs_tools.cli.app`` runs it the same way.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from ffs_tools.commands import _report_options as shared

SUMMARY = "Lint FreeFileSync configs. Exit 0 clean, 1 findings (errors; --strict: warnings too), 2 could not run."
DETAILS = """\
Suppress with --select/--ignore, [tool.ffs-tools.lint] in pyproject.toml or [lint] in ffs-policy.toml
(select, ignore, per-file-ignores, ffs-version, profile, venv-names, cache-names, show-notes), or
"ffs-tools: disable=FFS301" in the job's Notes.
`ffs-tools rules CODE` explains a rule."""
#: the command's help in ``ffs-tools --help`` (the typer app forwards ``lint`` to :func:`main`)
HELP = f"{SUMMARY}\n\n{DETAILS}"


class _Parser(argparse.ArgumentParser):
    """argparse with click's exit code for bad usage (2) and one ``error:`` line after the usage."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def parser() -> argparse.ArgumentParser:
    """The one definition of lint's options (``ffs-tools lint --help`` prints it)."""
    p = _Parser(prog="ffs-tools lint", description=HELP,
                formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    p.add_argument("files", nargs="*", metavar="FILES",
                   help="Config files (.ffs_gui, .ffs_batch, .ffs_real) or folders to search. Default: every "
                        "config under the current folder, skipping .git.")
    p.add_argument("--format", "-f", dest="fmt", metavar="FORMAT", help=shared.FORMAT_HELP)
    p.add_argument("--select", action="append", metavar="CODES", help=shared.SELECT_HELP)
    p.add_argument("--ignore", action="append", metavar="CODES", help=shared.IGNORE_HELP)
    p.add_argument("--strict", action="store_true", help=shared.STRICT_HELP)
    p.add_argument("--show-notes", action="store_true",
                   help="Also print the notes (info findings, e.g. usual folder names the job does not exclude) "
                        "in the text, concise and github formats; json and sarif always have them. Or set "
                        "show-notes = true in the settings.")
    p.add_argument("--fix", action="store_true", help="Apply the safe fixes in place (exclusion items at every "
                   "depth, unattended-safe batch settings); atomic writes.")
    p.add_argument("--diff", action="store_true", help="Print the safe fixes as a unified diff; write nothing.")
    p.add_argument("--ffs-version", metavar="VERSION",
                   help="Judge every file for this FreeFileSync version (e.g. 12.0, 14.10). Default: from each "
                        "file's XmlFormat (12.x semantics before 13.0's format, 14.8+ after).")
    p.add_argument("--no-scan", action="store_true", help="Do not look at the disk: skip searching left folders "
                   "for environments (FFS112) and git (FFS131).")
    p.add_argument("--profile", choices=("dev-gpu", "generic"),
                   help="Judge every file as a config of the dev <-> GPU workflow (dev-gpu: version control, "
                        "environments, caches, one-way syncs toward the GPU side too) or as any FreeFileSync job "
                        "(generic). Default: the profile setting, else per file: dev-gpu when ffs-tools generate "
                        "wrote it, --policy generates it, or a left folder lies in the git work tree it sits in.")
    p.add_argument("--policy", "-p", metavar="FILE",
                   help="The project policy (ffs-policy.toml, or pyproject.toml with [tool.ffs-tools]): its keep "
                        "paths must sync (FFS131) and the files it generates must be up to date (FFS501).")
    return p


def main(argv: list[str]) -> int:
    """Run ``ffs-tools lint`` with ``argv`` (the arguments after ``lint``); returns the exit code.

    Raises :class:`~ffs_tools.errors.UserError` for bad input (the caller prints it, exit 2) and
    ``SystemExit`` for ``--help`` (0) and bad usage (2).
    """
    from ffs_tools.commands import _lint_run

    a = parser().parse_args(argv)
    return _lint_run.run(a.files, a.fmt, a.select, a.ignore, a.strict, a.fix, a.diff, a.ffs_version, a.no_scan,
                         a.policy, a.profile, a.show_notes)
