"""The work behind ``ffs-tools lint`` (imported only when the command runs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ffs_tools.commands._report_options import emit, selection
from ffs_tools.errors import UserError
from ffs_tools.findings import Selection, validate_codes
from ffs_tools.lint import config as lint_config
from ffs_tools.lint.registry import REGISTRY
from ffs_tools.lint.rules._context import Options, Profile
from ffs_tools.lint.run import FileResult, Settings, discover, lint_file, new_report


def settings_for(select: list[str] | None, ignore: list[str] | None, ffs_version: str | None,
                 no_scan: bool, cwd: Path, policy: str | None = None, profile: str | None = None,
                 show_notes: bool = False) -> Settings:
    """Command line over pyproject.toml: ``--select`` replaces the file's select, ignores add up,
    ``--profile`` wins over the ``profile`` setting, ``--show-notes`` or ``show-notes`` shows notes."""
    from ffs_tools.filtering.engine import semantics_for

    conf = lint_config.load(cwd)
    cli = selection(select, ignore)
    chosen = Selection(cli.select or conf.select, conf.ignore + cli.ignore)
    known = [m.CODE for m in REGISTRY]
    try:
        validate_codes(chosen.select, known, "--select")
        validate_codes(chosen.ignore, known, "--ignore")
        for _, codes in conf.per_file_ignores:
            validate_codes(codes, known, "per-file-ignores")
        version = ffs_version or conf.ffs_version
        if version:
            semantics_for(version)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if policy is not None and not Path(policy).is_file():
        raise UserError("policy file not found", policy)
    chosen_profile = profile or conf.profile
    origin = "--profile" if profile else f"profile in {conf.path}"
    options = Options(ffs_version=version, scan_left=not no_scan, use_git=not no_scan, cwd=cwd,
                      policy=Path(policy).resolve() if policy else None,
                      profile=Profile.parse(chosen_profile) if chosen_profile else None,
                      profile_origin=origin if chosen_profile else "",
                      venv_names=conf.venv_names, cache_names=conf.cache_names)
    return Settings(chosen, conf.per_file_ignores, conf.root, options, show_notes or conf.show_notes)


def _check_exists(files: list[str]) -> None:
    for f in files:
        if not os.path.lexists(f):
            raise UserError("no such file or folder", f)


def _fix(results: list[FileResult], settings: Settings, write: bool) -> tuple[list[FileResult], int]:
    """Apply (or, without ``write``, print) the safe fixes; return the results to report and the diff count."""
    from ffs_tools.fsutil import atomic_write
    from ffs_tools.lint import fix as fixer
    from ffs_tools.lint.run import lint_bytes

    out: list[FileResult] = []
    changed = 0
    for result in results:
        if not fixer.fixable(result.findings) or result.ctx.job is None:
            out.append(result)
            continue
        data = Path(result.path).read_bytes()
        plan = fixer.plan(result, data)
        after = fixer.verify(plan, result.findings, settings) if not plan.refused else []
        if plan.refused:
            print(f"{result.path}: not fixed: {plan.refused}", file=sys.stderr)
            out.append(result)
            continue
        if not plan.changed:
            out.append(result)
            continue
        changed += 1
        if write:
            try:
                atomic_write(Path(result.path), plan.fixed)
            except OSError as exc:
                raise UserError(f"cannot write the fix: {exc.strerror or exc}; the file is unchanged",
                                result.path) from None
            print(f"{result.path}: fixed {', '.join(plan.fixed_codes)}", file=sys.stderr)
            out.append(FileResult(result.path, after, lint_bytes(plan.fixed, result.path, settings).ctx))
        else:
            sys.stdout.write(fixer.unified_diff(plan))
            out.append(result)
    return out, changed


def run(files: list[str], fmt: str | None, select: list[str] | None, ignore: list[str] | None, strict: bool,
        fix: bool, diff: bool, ffs_version: str | None, no_scan: bool, policy: str | None = None,
        profile: str | None = None, show_notes: bool = False) -> int:
    if fix and diff:
        raise UserError("--fix and --diff exclude each other (--diff shows what --fix would write)")
    cwd = Path.cwd()
    settings = settings_for(select, ignore, ffs_version, no_scan, cwd, policy, profile, show_notes)
    if policy is not None:  # what the policy gives is cached for one run (the policy may change between runs)
        from ffs_tools.lint.rules import _policy

        _policy.load.cache_clear()
        _policy.expected.cache_clear()
    _check_exists(files)
    paths = discover(files, cwd)
    if not paths:
        print(f"note: no FreeFileSync configs (.ffs_gui, .ffs_batch, .ffs_real) found under "
              f"{', '.join(files) if files else cwd}", file=sys.stderr)
    results = [lint_file(path, settings) for path in paths]
    if fix or diff:
        results, changed = _fix(results, settings, write=fix)
        if diff:
            return 1 if changed else 0
    report = new_report()
    for r in results:
        report.findings.extend(r.findings)
        report.profiles[r.path] = (r.ctx.profile.value, r.ctx.profile_why)
    report.checked = len(results)
    return emit(report, fmt, strict, settings.show_notes)
