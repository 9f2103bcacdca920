"""The ``ffs-tools`` command line: dispatch only.

Each command lives in ``ffs_tools/commands/<name>.py`` and imports its heavy
machinery lazily. ``ffs-tools lint`` (a pre-commit hook, run on every commit)
goes straight to its argparse ``main`` without typer; every other command runs
through the typer app (:mod:`ffs_tools.commands._app`), built with that command
only. User errors (:class:`~ffs_tools.errors.UserError`) are caught here only:
one line on stderr, exit code 2.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING

from ffs_tools.errors import UserError

if TYPE_CHECKING:
    import typer

#: command name -> module defining ``command`` (typer) or ``main(argv)`` (argparse), imported only when needed
COMMANDS: dict[str, str] = {
    "generate": "ffs_tools.commands.generate",
    "init": "ffs_tools.commands.init",
    "lint": "ffs_tools.commands.lint",
    "rules": "ffs_tools.commands.rules",
    "preview": "ffs_tools.commands.preview",
    "explain": "ffs_tools.commands.explain",
    "audit-gpu": "ffs_tools.commands.audit_gpu",
    "plan": "ffs_tools.commands.plan",
    "sync": "ffs_tools.commands.sync",
}


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just ``only``."""
    from ffs_tools.commands._app import build_app as build

    return build(COMMANDS, only)


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` runs, when that is certain (the first argument names one)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def _run(args: list[str]) -> int:
    if _command_of(args) == "lint":  # the hot path: argparse, no typer
        from ffs_tools.commands import lint

        return lint.main(args[1:])
    if _command_of(args) == "plan":  # plain `plan CONFIG --format json`: no typer either
        from ffs_tools.commands import _plan_fast

        code = _plan_fast.main(args[1:])
        if code is not None:
            return code
    build_app(_command_of(args))(args=args, prog_name="ffs-tools")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ffs-tools`` console script; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        return _run(args)
    except UserError as exc:
        print(f"error: {_printable(str(exc))}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x1b``): a message never sends a terminal escape from a
    policy or a file name to the terminal."""
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)


def __getattr__(name: str) -> typer.Typer:
    """``ffs_tools.cli.app``: the full app, built on first use (for tools that look for it)."""
    if name == "app":
        return build_app()
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
