"""The lint gate of ``generate``: what it writes must pass ``ffs-tools lint`` as the pre-commit hook runs it.

The checks that look at the disk (FFS112: environments in the left folder; FFS131: files git tracks and keep
paths that the filter drops) run too, on the batch file (the GUI file carries the same filter), with the local
folder as the working directory. An error they find is a refusal about the project (one line, with the
finding's hint: the way out through the policy); an error of any other rule is a bug of ffs-tools.
"""

from __future__ import annotations

from pathlib import Path

from ffs_tools.errors import UserError

#: the rules whose errors depend on the project's tree and repository, not on how generate renders
DISK_RULES = ("FFS112", "FFS131")


def check_generated(name: str, data: bytes, local: Path | None = None, where: str | None = None,
                    scanned: bool = False) -> None:
    """No lint error in what generate writes. With ``local`` (the policy's local folder, when it is here),
    the disk rules run as in the hook; their errors are reported against ``where`` (the policy file).
    ``scanned``: generate's own scan walked the folder and excluded every environment it found, so FFS112
    (the same walk again) cannot find one and is skipped: it doubled generate's time on large trees."""
    from ffs_tools.ffs.model import ConfigKind, extension_kind
    from ffs_tools.findings import Severity
    from ffs_tools.lint.rules._context import Options
    from ffs_tools.lint.run import Settings, lint_bytes

    disk = local is not None and local.is_dir() and extension_kind(name) is ConfigKind.BATCH
    options = Options(scan_left=not scanned, use_git=True, cwd=local) if disk and local is not None else Options(
        scan_left=False, use_git=False)
    result = lint_bytes(data, name, Settings(options=options))
    errors = [f for f in result.findings if f.severity >= Severity.ERROR]
    for finding in errors:
        if finding.code in DISK_RULES:
            raise UserError(f"the generated {name} would fail the lint hook: {finding.code} {finding.message}; "
                            f"{finding.hint}; nothing was written", where)
    if errors:
        first = errors[0]
        raise UserError(f"internal check failed: the generated file does not lint clean ({first.code} "
                        f"{first.message}); nothing was written (please report this)", name, first.line)
