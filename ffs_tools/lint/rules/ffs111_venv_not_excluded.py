r"""Virtualenvs are not excluded at every depth.

## What it does
Probes the pair's effective filter with each usual virtualenv folder name
(``venv``, ``.venv``, ``venv_gpu``, ``.conda`` ... the list in
``ffs_tools.ffs.never_travels``) at the base folder, one and two levels down and below
every include folder, with typical content (``pyvenv.cfg``, ``bin/python``,
``site-packages``), and reports each name whose content would sync.

## Why is this bad?
A virtualenv is tied to its machine: its scripts hold absolute interpreter
paths and its packages are built for that machine (CUDA wheels on the GPU
machine). Syncing it overwrites the other machine's environment with one that
cannot run there, and an include such as ``*.py`` still copies every
``site-packages`` file.

## Example
```xml
<Item>venv\</Item>
```
(base folder only: ``services/api/venv`` still syncs)

## Fix
Add ``*/venv/``, ``*/.venv/`` ... for the missing names (``ffs-tools lint
--fix`` adds exactly the missing ones).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.never_travels import VENV_NAMES
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import gap_results, grouped

CODE = "FFS111"
NAME = "venv-not-excluded"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    items = ", ".join(f"`*/{n}/`" for n in VENV_NAMES)
    yield from grouped(ctx, CODE, SEVERITY, gap_results(ctx, VENV_NAMES, "virtualenv"),
                       f"add folder items at every depth for the missing names ({items})")
