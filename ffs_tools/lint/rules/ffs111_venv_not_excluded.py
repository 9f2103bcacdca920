r"""Virtualenvs are not excluded at every depth.

## What it does
Probes the pair's effective filter with each usual virtualenv folder name
(``venv``, ``.venv``, ``venv_gpu``, ``.conda`` ... the list in
``ffs_tools.ffs.never_travels``) at the base folder, one and two levels down and below
every include folder, with typical content (``pyvenv.cfg``, ``bin/python``,
``site-packages``), and reports each name whose content would sync.

A gap is an error for the names the project uses: the workflow's ``venv``,
``.venv`` and ``venv_gpu`` (or the ``venv-names`` setting in
``[tool.ffs-tools.lint]``, which replaces them) and the names the ``--policy``
excludes itself; FFS112 reports the environments found on disk, whatever their
names. The other usual names are one note (info): the project may have no
such folder. Only what the pair's include list lets through is probed, and
nothing in a pair whose two sides are the same folder.

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

from ffs_tools.ffs.never_travels import VENV_NAMES, WORKFLOW_VENV_NAMES
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._tiers import required, tiered

CODE = "FFS111"
NAME = "venv-not-excluded"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    names = required(ctx, ctx.options.venv_names, WORKFLOW_VENV_NAMES, VENV_NAMES)
    yield from tiered(ctx, CODE, names, list(dict.fromkeys([*names, *VENV_NAMES])), "virtualenv")
