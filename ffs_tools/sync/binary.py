"""Which FreeFileSync ``sync`` runs, and how: the command line, under ``xvfb-run`` without a display.

The first of these wins: ``--ffs-command``, the environment variable
``FFS_COMMAND``, the policy's ``[ffs] command``, ``FreeFileSync`` on PATH. A
command is a shell-like line (``flatpak run org.freefilesync.FreeFileSync``) split
with :func:`shlex.split`, never run through a shell. FreeFileSync is a GTK program:
even a batch run needs an X display, so without ``DISPLAY`` (cron, ssh) it runs under
``xvfb-run -a``, which starts a private virtual display.
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass

from ffs_tools.errors import UserError

PROGRAM = "FreeFileSync"


@dataclass(frozen=True)
class FfsCommand:
    """The argv prefix that runs FreeFileSync, where it came from, and whether xvfb-run wraps it."""

    argv: tuple[str, ...]
    origin: str  # "--ffs-command", "FFS_COMMAND", "[ffs] command" or "PATH"
    virtual_display: bool


def _split(text: str, origin: str) -> tuple[str, ...]:
    try:
        words = tuple(shlex.split(text))
    except ValueError as exc:
        raise UserError(f"{origin}: cannot split the command line {text!r}: {exc}") from exc
    if not words:
        raise UserError(f"{origin}: empty command")
    return words


def find_command(option: str | None, policy_command: str, env: dict[str, str] | None = None) -> FfsCommand:
    """The FreeFileSync to run; one-line :class:`UserError` when there is none or it cannot be found."""
    environ = dict(os.environ) if env is None else env
    candidates = [("--ffs-command", option or ""), ("FFS_COMMAND", environ.get("FFS_COMMAND", "")),
                  ("[ffs] command", policy_command)]
    origin, text = next(((o, t) for o, t in candidates if t.strip()), ("PATH", PROGRAM))
    argv = _split(text, origin)
    if shutil.which(argv[0], path=environ.get("PATH")) is None:
        if origin == "PATH":
            raise UserError("FreeFileSync is not installed (not on PATH): install it, or name it with "
                            "--ffs-command, FFS_COMMAND or the policy's [ffs] command")
        raise UserError(f"{origin}: {argv[0]!r} is not an executable program (not found)")
    if environ.get("DISPLAY"):
        return FfsCommand(argv, origin, False)
    if shutil.which("xvfb-run", path=environ.get("PATH")) is None:
        raise UserError("no X display (DISPLAY is not set) and xvfb-run is not installed: FreeFileSync needs a "
                        "display even for a batch job (apt-get install xvfb xauth)")
    return FfsCommand(("xvfb-run", "-a", *argv), origin, True)
