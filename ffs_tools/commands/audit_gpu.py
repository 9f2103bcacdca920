"""``ffs-tools audit-gpu``: find what must never be on the GPU machine, and put it aside safely."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ffs_tools.commands._report_options import FormatOpt, IgnoreOpt, SelectOpt, StrictOpt

if TYPE_CHECKING:
    from ffs_tools.audit import AuditResult
    from ffs_tools.audit_checks import Hit

PathArg = Annotated[str | None, typer.Argument(
    metavar="[PATH]", show_default=False,
    help="The synced working folder on the GPU machine (default: the current folder).")]
ConfigOpt = Annotated[str | None, typer.Option(
    "--config", metavar="FILE", show_default=False,
    help="A .ffs_gui/.ffs_batch: FFS704 reports what its filter excludes, FFS708 the environments it does "
         "not exclude (default: ffs-tools' own exclusions, no FFS708).")]
PairOpt = Annotated[int | None, typer.Option(
    "--pair", metavar="N", min=1, show_default=False,
    help="With --config: the folder pair (1-based) whose right side PATH is (default: the only pair, or the "
         "one whose right folder names PATH).")]
VersionOpt = Annotated[str | None, typer.Option(
    "--ffs-version", metavar="VERSION", show_default=False,
    help="With --config: the FreeFileSync version whose filter rules apply, e.g. 12 or 14.10 (default: from "
         "the config's XmlFormat).")]
QuarantineOpt = Annotated[str | None, typer.Option(
    "--quarantine", metavar="DIR", show_default=False,
    help="Move the .git findings (FFS701/702) into DIR, outside PATH, keeping relative paths; DIR gets a "
         "manifest for --restore. Nothing is deleted.")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help="With --quarantine: move the items of every selected finding, not only .git.")]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="With --quarantine: show the moves (on stderr), move nothing.")]
RestoreOpt = Annotated[str | None, typer.Option(
    "--restore", metavar="MANIFEST", show_default=False,
    help="Put back everything a quarantine moved (MANIFEST: DIR/ffs-quarantine.json or DIR); refuses to "
         "overwrite what exists at an original place again.")]
SuggestOpt = Annotated[bool, typer.Option(
    "--suggest", help="Print, instead of the report, the filter items (FreeFileSync syntax, every depth) that "
                      "would have kept the findings off this machine; what each covers goes to stderr.")]
JobsOpt = Annotated[int | None, typer.Option(
    "--jobs", "-j", metavar="N", min=1, show_default=False,
    help="Processes for the walk (default: the CPUs, at most 8; 1 = no extra processes).")]


def command(
    path: PathArg = None,
    config: ConfigOpt = None,
    pair: PairOpt = None,
    ffs_version: VersionOpt = None,
    quarantine: QuarantineOpt = None,
    all_: AllOpt = False,
    dry_run: DryRunOpt = False,
    restore: RestoreOpt = None,
    suggest: SuggestOpt = False,
    jobs: JobsOpt = None,
    fmt: FormatOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Audit the synced working folder on the GPU machine: .git folders and files, environments copied
    from another machine, what never travels, FreeFileSync leftovers, unreadable folders, escaping links.

    Exit codes: 0 no finding at the threshold (errors; with --strict warnings too), 1 findings at the
    threshold, 2 could not run (bad option, unreadable folder or config, a move or restore that failed).
    """
    from ffs_tools.errors import UserError

    if restore is not None:
        if path is not None or quarantine is not None or suggest or config is not None:
            raise UserError("--restore MANIFEST works alone (no PATH, --quarantine, --config or --suggest)")
        raise typer.Exit(_restore(restore))
    if (all_ or dry_run) and quarantine is None:
        raise UserError("--all and --dry-run go with --quarantine DIR")
    if (pair is not None or ffs_version is not None) and config is None:
        raise UserError("--pair and --ffs-version go with --config FILE")
    raise typer.Exit(_audit(path or ".", config, pair, ffs_version, quarantine, all_, dry_run, suggest, jobs,
                            fmt, select, ignore, strict))


def _audit(path: str, config: str | None, pair: int | None, ffs_version: str | None, qdir: str | None,
           all_: bool, dry_run: bool, suggest: bool, jobs: int | None, fmt: str | None,
           select: list[str] | None, ignore: list[str] | None, strict: bool) -> int:
    import os

    from ffs_tools import audit, audit_filter, quarantine
    from ffs_tools.audit_rules import RULES
    from ffs_tools.commands._report_options import emit, selection
    from ffs_tools.errors import UserError
    from ffs_tools.findings import Severity, exit_code, validate_codes
    from ffs_tools.walk import Progress

    chosen = selection(select, ignore)
    try:
        validate_codes(chosen.select + chosen.ignore, RULES, "--select/--ignore")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if qdir is not None:
        quarantine.check_outside(os.path.realpath(path), qdir)
    filt = (audit_filter.config_filter(config, pair, path, ffs_version) if config is not None
            else audit_filter.knowledge_filter())
    result = audit.audit(path, filt, jobs or audit.default_jobs(), Progress())
    report = audit.to_report(result, chosen)
    if suggest:
        _print_suggestions(result, audit.selected(result.hits, chosen))
        code = exit_code(report, Severity.WARNING if strict else Severity.ERROR)
    else:
        code = emit(report, fmt, strict)
    if qdir is not None:
        targets = audit.quarantine_targets(audit.selected(result.hits, chosen), all_)
        if not targets:
            typer.echo("nothing to quarantine", err=True)
        elif quarantine.quarantine(result.root_real, qdir, targets, dry_run, _stderr):
            code = 2
    return code


def _print_suggestions(result: AuditResult, hits: list[Hit]) -> None:
    from ffs_tools.audit import shown_path, suggestions

    items = suggestions(hits)
    for item, covered in items:
        typer.echo(item)
        paths = ", ".join(f"{shown_path(result.root, h.rel, h.kind)} ({h.code})" for h in covered[:5])
        more = f" and {len(covered) - 5} more" if len(covered) > 5 else ""
        _stderr(f"# {item}: {paths}{more}")
    if not items:
        _stderr("# no filter item to suggest")


def _restore(manifest: str) -> int:
    from ffs_tools import quarantine

    return 2 if quarantine.restore(manifest, _stderr) else 0


def _stderr(line: str) -> None:
    typer.echo(line, err=True)
