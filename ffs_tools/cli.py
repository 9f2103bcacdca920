"""The ``ffs-tools`` command line: typer wiring only.

Each command lives in ``ffs_tools/commands/<name>.py`` and imports its heavy
machinery lazily, so that ``ffs-tools lint`` on a clean file (a pre-commit
hook, run on every commit) loads no more than it needs. User errors
(:class:`~ffs_tools.errors.UserError`) are caught here only: one line on
stderr, exit code 2.
"""

from __future__ import annotations

import importlib
import sys
import unicodedata
from typing import Annotated

import typer

from ffs_tools import __version__
from ffs_tools.commands import _fast_params
from ffs_tools.errors import UserError

#: command name -> module defining ``command`` (imported only when that command, or the full list, is needed)
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

HELP = "FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ffs-tools {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."""


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just ``only`` (typer inspects each registered command
    at start-up; a pre-commit hook running ``lint`` should not pay for the others)."""
    _fast_params.install()
    application = typer.Typer(name="ffs-tools", help=HELP, no_args_is_help=True,
                              context_settings={"help_option_names": ["-h", "--help"]},
                              pretty_exceptions_enable=False, rich_markup_mode=None)
    application.callback()(_root)
    for name, module in COMMANDS.items():
        if only is None or name == only:
            application.command(name)(importlib.import_module(module).command)
    return application


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` runs, when that is certain (the first argument names one)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ffs-tools`` console script; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        build_app(_command_of(args))(args=args, prog_name="ffs-tools")
    except UserError as exc:
        typer.echo(f"error: {_printable(str(exc))}", err=True)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        return 130
    return 0


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
