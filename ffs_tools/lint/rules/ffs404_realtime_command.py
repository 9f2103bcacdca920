"""RealTimeSync's command does not run FreeFileSync on a batch job.

## What it does
Reports a ``.ffs_real`` command line that opens a ``.ffs_batch`` file without
naming a program (relying on the desktop's file association), or that
starts FreeFileSync with a ``.ffs_gui`` file.

## Why is this bad?
RealTimeSync on Linux runs the command with ``/bin/sh -c``: a bare
``"job.ffs_batch"`` is not a program, the command fails on every change and
nothing syncs. A ``.ffs_gui`` opens the FreeFileSync window and waits for a
click on every change, which nobody gives on an unattended machine.

## Example
```xml
<Commandline>"/home/me/proj/BatchRun.ffs_batch"</Commandline>
```

## Fix
``<Commandline>ffs-tools sync "/home/me/proj/BatchRun.ffs_batch"</Commandline>``
(what ``ffs-tools generate`` writes: it plans, guards against mass deletion,
syncs around conflicts and lets one run at a time), or
``<Commandline>FreeFileSync "/home/me/proj/BatchRun.ffs_batch"</Commandline>``
with an unattended-safe batch job (see FFS401). Both are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import ConfigKind, extension_kind
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS404"
NAME = "realtime-command-not-batch"
SEVERITY = Severity.WARNING
PROFILES = BOTH


def _words(command: str) -> list[str]:
    try:
        import shlex  # only for RealTimeSync configs

        return shlex.split(command, posix=False)
    except ValueError:
        return command.split()


def check(ctx: Context) -> Iterator[Finding]:
    real = ctx.real
    if real is None or not real.command_line.strip():
        return
    words = [w.strip('"') for w in _words(real.command_line.strip())]
    hint = 'run the batch job: ffs-tools sync "/path/job.ffs_batch" (or FreeFileSync "/path/job.ffs_batch")'
    if words and extension_kind(words[0]) is ConfigKind.BATCH:
        yield ctx.finding(CODE, SEVERITY, "real.command_line", "the command is the batch file itself: it runs only "
                          "through a desktop file association, and /bin/sh on Linux cannot execute it", hint)
    elif any(extension_kind(w) is ConfigKind.GUI for w in words):
        yield ctx.finding(CODE, SEVERITY, "real.command_line", "the command opens a .ffs_gui: FreeFileSync's window "
                          "waits for a click on every change", hint)
