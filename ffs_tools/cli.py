"""The ``ffs-tools`` command line: typer wiring only.

Each command lives in ``ffs_tools/commands/<name>.py`` and imports its heavy
machinery lazily, so that ``ffs-tools lint`` on a clean file (a pre-commit
hook, run on every commit) loads no more than it needs. User errors
(:class:`~ffs_tools.errors.UserError`) are caught here only: one line on
stderr, exit code 2.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ffs_tools import __version__
from ffs_tools.commands import _fast_params, audit_gpu, explain, generate, init, lint, preview, rules
from ffs_tools.errors import UserError

_fast_params.install()

app = typer.Typer(
    name="ffs-tools",
    help="FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ffs-tools {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."""


app.command("preview")(preview.command)
app.command("explain")(explain.command)
app.command("generate")(generate.command)
app.command("init")(init.command)
app.command("lint")(lint.command)
app.command("rules")(rules.command)
app.command("audit-gpu")(audit_gpu.command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ffs-tools`` console script; returns the exit code."""
    try:
        app(args=argv, prog_name="ffs-tools")
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
