"""``ffs-tools lint``: check FreeFileSync configs for the gaps that corrupt repositories and lose results."""

from __future__ import annotations

from typing import Annotated

import typer

from ffs_tools.commands._report_options import FormatOpt, IgnoreOpt, SelectOpt, StrictOpt

FilesArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="FILES", show_default=False,
                   help="Config files (.ffs_gui, .ffs_batch, .ffs_real) or folders to search. Default: every config "
                        "under the current folder, skipping .git."),
]
FixOpt = Annotated[bool, typer.Option("--fix", help="Apply the safe fixes in place (exclusion items at every depth, "
                                                    "unattended-safe batch settings); atomic writes.")]
DiffOpt = Annotated[bool, typer.Option("--diff", help="Print the safe fixes as a unified diff; write nothing.")]
VersionOpt = Annotated[
    str | None,
    typer.Option("--ffs-version", metavar="VERSION",
                 help="Judge every file for this FreeFileSync version (e.g. 12.0, 14.10). Default: from each "
                      "file's XmlFormat (17-19: 12.x semantics, 23: 14.8+).", show_default=False),
]
PolicyOpt = Annotated[
    str | None,
    typer.Option("--policy", "-p", metavar="FILE",
                 help="The project policy (ffs-policy.toml, or pyproject.toml with [tool.ffs-tools]): its keep "
                      "paths must sync (FFS131) and the files it generates must be up to date (FFS501).",
                 show_default=False),
]
NoScanOpt = Annotated[bool, typer.Option("--no-scan", help="Do not look at the disk: skip searching left folders "
                                                           "for environments (FFS112) and git (FFS131).")]


def command(
    files: FilesArg = None,
    fmt: FormatOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    strict: StrictOpt = False,
    fix: FixOpt = False,
    diff: DiffOpt = False,
    ffs_version: VersionOpt = None,
    no_scan: NoScanOpt = False,
    policy: PolicyOpt = None,
) -> None:
    """Lint FreeFileSync configs. Exit 0 clean, 1 findings (errors; --strict: warnings too), 2 could not run.

    Suppress with --select/--ignore, [tool.ffs-tools.lint] in pyproject.toml or [lint] in ffs-policy.toml
    (select, ignore, per-file-ignores, ffs-version), or "ffs-tools: disable=FFS301" in the job's Notes.
    `ffs-tools rules CODE` explains a rule.
    """
    from ffs_tools.commands import _lint_run

    raise typer.Exit(_lint_run.run(files or [], fmt, select, ignore, strict, fix, diff, ffs_version, no_scan, policy))
