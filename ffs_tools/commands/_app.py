"""The typer app of ``ffs-tools``: every command but ``lint``'s options is declared for typer.

Built per run with only the command being run (typer inspects each registered
command at start-up). A command module whose options are declared for argparse
(``lint``, the pre-commit hook's hot path) has ``main(argv)`` instead of
``command``; the app registers a command that hands it every argument untouched.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Annotated

import typer

from ffs_tools import __version__

HELP = "FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."

#: how a forwarding command is registered: every option, and --help, reach the module's ``main`` untouched
_FORWARD: dict[str, object] = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ffs-tools {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."""


def _forward(main: Callable[[list[str]], int], doc: str) -> Callable[[typer.Context], None]:
    def command(ctx: typer.Context) -> None:
        raise typer.Exit(main(list(ctx.args)))

    command.__doc__ = doc
    return command


def build_app(commands: dict[str, str], only: str | None = None) -> typer.Typer:
    """The typer app with every command of ``commands`` (name -> module), or with just ``only``."""
    application = typer.Typer(name="ffs-tools", help=HELP, no_args_is_help=True,
                              context_settings={"help_option_names": ["-h", "--help"]},
                              pretty_exceptions_enable=False, rich_markup_mode=None)
    application.callback()(_root)
    for name, module in commands.items():
        if only is None or name == only:
            mod = importlib.import_module(module)
            if hasattr(mod, "command"):
                application.command(name)(mod.command)
            else:
                application.command(name, context_settings=_FORWARD, add_help_option=False)(
                    _forward(mod.main, mod.HELP))
    return application
