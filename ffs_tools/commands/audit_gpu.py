"""``ffs-tools audit-gpu``: find what must never be on the GPU machine, and put it aside safely."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from ffs_tools.commands._report_options import FORMAT_HELP, IGNORE_HELP, SELECT_HELP, STRICT_HELP

if TYPE_CHECKING:
    from ffs_tools.audit.checks import Hit
    from ffs_tools.audit.filter import AuditFilter
    from ffs_tools.audit.run import AuditResult
    from ffs_tools.findings import Selection

#: SFTP channels that read listings ahead for ``audit-gpu sftp://`` (OpenSSH allows 10 sessions by default)
SFTP_CHANNELS = 8

PathArg = Annotated[str | None, typer.Argument(
    metavar="PATH", show_default=False,
    help="The synced working folder on the GPU machine (default: the current folder), or its sftp:// phrase "
         "to audit it from the local machine, read-only (|keyfile=PATH or |agent; the host key in known_hosts).")]
ConfigOpt = Annotated[str | None, typer.Option(
    "--config", metavar="FILE", show_default=False,
    help="A .ffs_gui/.ffs_batch: FFS704 reports what its filter excludes, FFS708 the environments it does "
         "not exclude (default: ffs-tools' own exclusions, no FFS708).")]
PolicyOpt = Annotated[str | None, typer.Option(
    "--policy", metavar="FILE", show_default=False,
    help="An ffs-tools policy (ffs-policy.toml or a pyproject.toml): like --config with the filter and "
         "directions `generate` writes for it (without the local scan's finds; for those use --config with "
         "the generated file).")]
FormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", metavar="FORMAT", help=FORMAT_HELP, show_default=False),
]
SelectOpt = Annotated[
    list[str] | None, typer.Option("--select", metavar="CODES", help=SELECT_HELP, show_default=False),
]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option("--ignore", metavar="CODES", help=IGNORE_HELP, show_default=False),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help=STRICT_HELP)]


# whole numbers are read here, not by typer: its int coercion imports pydantic (~40 ms a run)
PairOpt = Annotated[str | None, typer.Option(
    "--pair", metavar="N", show_default=False,
    help="With --config: the folder pair (1-based) whose right side PATH is (default: the only pair, or the "
         "one whose right folder names PATH).")]
VersionOpt = Annotated[str | None, typer.Option(
    "--ffs-version", metavar="VERSION", show_default=False,
    help="With --config or --policy: the FreeFileSync version whose filter rules apply, e.g. 12 or 14.10 "
         "(default: from the config's XmlFormat; for a policy 14).")]
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
    help="Put back everything a quarantine moved (MANIFEST: DIR/ffs-quarantine.json or DIR), each item on its "
         "own; never over or instead of what exists at an original place again; exit 2 with one line per item "
         "it could not restore and per entry in DIR the manifest does not name.")]
SuggestOpt = Annotated[bool, typer.Option(
    "--suggest", help="Print, instead of the report, the policy lines ([exclude] extra = [...]) with the filter "
                      "items that would have kept the findings off this machine, without the items the configs "
                      "already have; what each covers goes to stderr.")]
JobsOpt = Annotated[str | None, typer.Option(
    "--jobs", "-j", metavar="N", show_default=False,
    help="Processes for the walk (default: the CPUs, at most 8; 1 = no extra processes).")]


@dataclass(frozen=True)
class _Options:
    path: str
    config: str | None
    policy: str | None
    pair: int | None
    ffs_version: str | None
    quarantine: str | None
    all_: bool
    dry_run: bool
    suggest: bool
    jobs: int | None
    fmt: str | None
    select: list[str] | None
    ignore: list[str] | None
    strict: bool


def command(
    path: PathArg = None,
    config: ConfigOpt = None,
    policy: PolicyOpt = None,
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
    PATH may be an sftp:// phrase: the same checks over SFTP from the local machine, read-only.

    Exit codes: 0 no finding at the threshold (errors; with --strict warnings too), 1 findings at the
    threshold, 2 could not run (bad option, unreadable folder or config, a move or restore that failed).
    """
    from ffs_tools.errors import UserError

    if restore is not None:
        if path is not None or quarantine is not None or suggest or config is not None or policy is not None:
            raise UserError("--restore MANIFEST works alone (no PATH, --quarantine, --config, --policy or "
                            "--suggest)")
        raise typer.Exit(_restore(restore))
    if (all_ or dry_run) and quarantine is None:
        raise UserError("--all and --dry-run go with --quarantine DIR")
    if config is not None and policy is not None:
        raise UserError("--config and --policy: choose one")
    if pair is not None and config is None:
        raise UserError("--pair goes with --config FILE")
    if ffs_version is not None and config is None and policy is None:
        raise UserError("--ffs-version goes with --config FILE or --policy FILE")
    raise typer.Exit(_audit(_Options(path or ".", config, policy, _count("--pair", pair), ffs_version, quarantine,
                                     all_, dry_run, suggest, _count("--jobs", jobs), fmt, select, ignore, strict)))


def _check_quarantine_dir(folder: str) -> None:
    """``--quarantine DIR`` must be a folder or creatable as one: no file at DIR or at one of its parents."""
    import os
    import stat

    from ffs_tools.errors import UserError

    current = os.path.abspath(folder)
    while True:
        try:
            mode = os.stat(current).st_mode
        except (FileNotFoundError, NotADirectoryError):  # go up to what exists (or to the file in the way)
            parent = os.path.dirname(current)
            if parent == current:
                return
            current = parent
            continue
        except OSError as exc:
            raise UserError(f"--quarantine: cannot use {current}: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(mode):
            raise UserError(f"--quarantine: {current} is a file, not a folder")
        return


def _count(option: str, value: str | None) -> int | None:
    """A whole number >= 1 given as ``option``, or None."""
    from ffs_tools.errors import UserError

    if value is None:
        return None
    text = value.strip()
    if not text.isdigit() or int(text) < 1:
        raise UserError(f"{option}: expected a whole number of at least 1, got {value!r}")
    return int(text)


def _audit(o: _Options) -> int:
    import os

    from ffs_tools.audit import filter as audit_filter
    from ffs_tools.audit import quarantine
    from ffs_tools.audit import run as audit
    from ffs_tools.audit.registry import RULES
    from ffs_tools.audit.walk import Progress
    from ffs_tools.commands._report_options import selection
    from ffs_tools.errors import UserError
    from ffs_tools.ffs.phrases import PathKind, kind_of
    from ffs_tools.findings import validate_codes
    from ffs_tools.remote.sftp import connections

    chosen = selection(o.select, o.ignore)
    try:
        validate_codes(chosen.select + chosen.ignore, RULES, "--select/--ignore")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    remote = kind_of(o.path) is PathKind.SFTP
    if remote and o.quarantine is not None:
        raise UserError("--quarantine moves items on the machine that holds them: over sftp:// audit-gpu only "
                        "reads; run `ffs-tools audit-gpu --quarantine DIR` on the GPU machine itself")
    if o.quarantine is not None:
        _check_quarantine_dir(o.quarantine)
        quarantine.check_outside(os.path.realpath(o.path), o.quarantine)
    if o.config is not None:
        filt = audit_filter.config_filter(o.config, o.pair, o.path, o.ffs_version)
    elif o.policy is not None:
        filt = audit_filter.policy_filter(o.policy, o.path, o.ffs_version)
    else:
        filt = audit_filter.knowledge_filter()
    with connections() as pool:
        if remote:
            result = audit.audit_sftp(o.path, filt, o.jobs or SFTP_CHANNELS, Progress(), pool)
        else:
            result = audit.audit(o.path, filt, o.jobs or audit.default_jobs(), Progress())
        return _report(o, result, chosen, filt)


def _report(o: _Options, result: AuditResult, chosen: Selection, filt: AuditFilter) -> int:
    """Print the report (or the suggestions), quarantine what was asked; the exit code."""
    import os

    from ffs_tools.audit import quarantine
    from ffs_tools.audit import run as audit
    from ffs_tools.commands._report_options import emit
    from ffs_tools.findings import Severity, exit_code

    if result.stats.vanished:
        _stderr(f"note: {result.stats.vanished} item(s) vanished during the walk (changed while audited)")
    report = audit.to_report(result, chosen)
    if o.suggest:
        _print_suggestions(result, audit.selected(result.hits, chosen), filt, o.policy)
        code = exit_code(report, Severity.WARNING if o.strict else Severity.ERROR)
    else:
        code = emit(report, o.fmt, o.strict)
    if o.quarantine is not None:
        targets = audit.quarantine_targets(audit.selected(result.hits, chosen), o.all_)
        if not targets:
            _stderr("nothing to quarantine")
        # with nothing to move, a DIR that has a manifest still gets what an interrupted run left resolved
        resolve = not o.dry_run and os.path.lexists(os.path.join(o.quarantine, quarantine.MANIFEST_NAME))
        if (targets or resolve) and quarantine.quarantine(result.root_real, o.quarantine, targets, o.dry_run,
                                                          _stderr):
            code = 2
    return code


def _print_suggestions(result: AuditResult, hits: list[Hit], filt: AuditFilter, policy: str | None) -> None:
    """Policy lines on stdout (``[exclude] extra = [...]``, with the policy's own items first when --policy is
    given); on stderr what each item covers and the items left out because the configs have them already."""
    from pathlib import Path

    from ffs_tools.audit.run import shown_path, suggestions
    from ffs_tools.audit.suggest import policy_lines, split

    def covers(covered: list[Hit]) -> str:
        paths = ", ".join(f"{shown_path(result.root, h.rel, h.kind)} ({h.code})" for h in covered[:5])
        return paths + (f" and {len(covered) - 5} more" if len(covered) > 5 else "")

    parts = split(suggestions(hits), filt)
    for item, covered, why in parts.present:
        _stderr(f"# {item}: {why}: {covers(covered)}")
    if not parts.new:
        _stderr("# nothing to add to the policy" if parts.present else "# no filter item to suggest")
        return
    extra: tuple[str, ...] = ()
    if policy is not None:
        from ffs_tools.policy.load import load_policy

        extra = load_policy(Path(policy)).exclude_extra
    _stderr(f"# for {policy or 'ffs-policy.toml'}: replace its [exclude] extra with these lines (its own items "
            "first), then run ffs-tools generate")
    for item, covered in parts.new:
        _stderr(f"# {item}: {covers(covered)}")
    for line in policy_lines([item for item, _ in parts.new], extra):
        typer.echo(line)


def _restore(manifest: str) -> int:
    from ffs_tools.audit.restore import restore

    return 2 if restore(manifest, _stderr) else 0


def _stderr(line: str) -> None:
    typer.echo(line, err=True)
