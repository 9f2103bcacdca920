"""The lint gate of ``generate``: what it writes must lint clean (run by the command, after planning)."""

from __future__ import annotations

from ffs_tools.errors import UserError


def check_generated(name: str, data: bytes) -> None:
    """No lint error in what generate writes (the disk-dependent rules are generate's own checks)."""
    from ffs_tools.findings import Severity
    from ffs_tools.lint.rules._context import Options
    from ffs_tools.lint.run import Settings, lint_bytes

    result = lint_bytes(data, name, Settings(options=Options(scan_left=False, use_git=False)))
    errors = [f for f in result.findings if f.severity >= Severity.ERROR]
    if errors:
        first = errors[0]
        raise UserError(f"internal check failed: the generated file does not lint clean ({first.code} "
                        f"{first.message}); nothing was written (please report this)", name, first.line)
