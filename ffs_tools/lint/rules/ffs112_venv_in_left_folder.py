"""A virtualenv or conda env in the left folder is not excluded.

## What it does
When a pair's left folder exists on this machine and can be read, walks it
(without following links, without entering folders the filter never enters)
and finds every folder holding ``pyvenv.cfg`` (a virtualenv) or
``conda-meta/`` (a conda environment), whatever its name. Each one whose
content would sync is reported.

## Why is this bad?
Environments are machine-specific (absolute interpreter paths, compiled
packages, CUDA builds on the GPU machine). Name-based exclusions (FFS111)
miss environments with unusual names such as ``env-py311`` or
``tools/.direnv/python-3.11``; syncing one breaks the environment on the
other side.

## Example
The left folder holds ``experiments/env-py311/pyvenv.cfg`` and the filter
excludes only ``*/venv/``.

## Fix
Exclude the folder at the place it was found, anchored at the base folder
(``/experiments/env-py311/``; ``ffs-tools lint --fix`` adds it): its bare name
at every depth would also drop tracked code of that name elsewhere
(``*/train/`` drops ``src/mlproj/train/``). An environment with one of the
usual names (``venv``, ``.venv`` ...) is excluded at every depth (``*/venv/``),
as FFS111 asks. Or rename the environment to a name FFS111 knows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE, env_item
from ffs_tools.ffs.phrases import local_path
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import add_items, folder_leaks
from ffs_tools.lint.rules._scopes import Scope

CODE = "FFS112"
NAME = "venv-in-left-folder-not-excluded"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def find_envs(root: str, scope: Scope, limit: int) -> tuple[list[tuple[str, str]], bool]:
    """``([(relpath, marker)], complete)`` for environments below ``root`` that the filter lets through."""
    found: list[tuple[str, str]] = []
    stack = [""]
    seen = 0
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as it:
                entries = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in it)
        except OSError:
            continue
        seen += len(entries)
        if seen > limit:
            return found, False
        names = {name for name, _ in entries}
        marker = VENV_MARKER_FILE if VENV_MARKER_FILE in names else (
            CONDA_MARKER_DIR if (CONDA_MARKER_DIR, True) in entries else None)
        if rel and marker:
            if folder_leaks(scope.flt, rel):
                found.append((rel, marker))
            continue
        for name, is_dir in reversed(entries):
            child = f"{rel}/{name}" if rel else name
            if is_dir and name != ".git" and scope.flt.pass_dir(child)[1]:
                stack.append(child)
    return sorted(found), True


def pair_findings(ctx: Context, scope: Scope) -> Iterator[Finding]:
    if scope.pair is None or scope.index is None:
        return
    left = local_path(scope.pair.left, ctx.options.cwd)
    if left is None or not left.is_dir() or not os.access(left, os.R_OK | os.X_OK):
        return
    key = f"pair.{scope.index}.left"
    envs, complete = find_envs(str(left), scope, ctx.options.scan_limit)
    for rel, marker in envs:
        kind = "conda env" if marker == CONDA_MARKER_DIR else "virtualenv"
        item = env_item(rel)
        # at the exclude list the item is missing from (where --fix adds it)
        yield ctx.finding(CODE, SEVERITY, scope.filter_key, f"{scope.label}: {kind} `{rel}` ({marker}) in the left "
                          "folder is not excluded", f"add the exclude item `{item}`",
                          add_items(scope.filter_key, [item]))
    if not complete:
        yield ctx.finding(CODE, Severity.INFO, key, f"{scope.label}: stopped looking for environments in {left} "
                          f"after {ctx.options.scan_limit} entries", "exclude large data folders, or run "
                          "`ffs-tools audit-gpu` on the tree")


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.options.scan_left:
        return
    for scope in ctx.scopes():
        yield from pair_findings(ctx, scope)
