r"""The filter drops what must sync: files git tracks (and the policy's `keep` paths).

## What it does
When lint runs inside a git work tree and a pair's left folder is that work
tree (or contains it, or lies inside it), every file ``git ls-files`` lists
there is put through the pair's filter. Files the filter would not sync are
reported, grouped by the filter item responsible.

## Why is this bad?
Tracked files are the code: the GPU machine runs what arrives. An exclusion
that is too broad (``*/data*`` catching ``src/dataset.py``, ``*.json``
catching a tracked config, ``build`` catching a package called ``build``)
makes the GPU machine run stale or missing code without any error.

## Example
```xml
<Item>*/data*</Item>
```
drops the tracked file ``src/dataloader.py``.

## Fix
Narrow the reported item (``*/data/`` for the folder only, a base-anchored
``\data\``), or stop tracking the file if it really must not travel. For a
file ffs-tools generated, change the policy, not the file: when the item is
one of ffs-tools' built-in cache exclusions (``*/.ipynb_checkpoints/``), the
policy's ``[exclude] drop = ["*/.ipynb_checkpoints/"]`` leaves it out;
``ffs-tools generate`` runs this rule too and refuses to write such a filter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ffs_tools.ffs.never_travels import is_own_file
from ffs_tools.ffs.phrases import local_path
from ffs_tools.filtering.engine import Mask, Origin
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._scopes import Scope

if TYPE_CHECKING:
    from ffs_tools.policy.model import Policy

CODE = "FFS131"
#: what FreeFileSync splits an item at or trims (docs/filter-semantics.md): an include list made only of these
#: (``<Item/>``) names nothing, and the message says so instead of quoting an empty item
SEPARATORS = " \t\r\n\v\f|"
NAME = "filter-drops-tracked-files"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY
EXAMPLES = 3


def git_root(cwd: Path) -> Path | None:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True,
                             timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()).resolve() if out.returncode == 0 and out.stdout.strip() else None


def tracked(root: Path) -> list[tuple[str, bool]]:
    """``[(path, is_submodule)]`` git tracks in ``root`` (POSIX, relative to ``root``)."""
    import subprocess

    try:
        out = subprocess.run(["git", "ls-files", "-z", "-s"], cwd=root, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    entries = []
    for record in out.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        if name:
            entries.append((name.decode("utf-8", "surrogateescape"), meta.startswith(b"160000")))
    return entries


def relative_to_left(entries: list[tuple[str, bool]], root: Path, left: Path) -> list[tuple[str, bool]] | None:
    """Tracked paths as seen from the pair's left folder (None when the two folders are unrelated)."""
    if left == root:
        return entries
    if left in root.parents:
        prefix = root.relative_to(left).as_posix() + "/"
        return [(prefix + p, sub) for p, sub in entries]
    if root in left.parents:
        inner = left.relative_to(root).as_posix() + "/"
        return [(p[len(inner):], sub) for p, sub in entries if p.startswith(inner)]
    return None


def dropped(scope: Scope, entries: list[tuple[str, bool]]) -> dict[tuple[str, str, Mask | None], list[str]]:
    """Tracked paths the filter drops, grouped by (reason, item, the item's mask)."""
    flt = scope.flt
    traversed: dict[str, bool] = {}

    def enters(folder: str) -> bool:
        if folder not in traversed:
            traversed[folder] = flt.pass_dir(folder)[1]
        return traversed[folder]

    groups: dict[tuple[str, str, Mask | None], list[str]] = {}
    for path, is_sub in entries:
        if not is_sub and is_own_file(path):
            continue  # a config, the policy, generate's lists: tracked, but never needed on the GPU machine
        parts = path.split("/")
        ok = all(enters("/".join(parts[:d])) for d in range(1, len(parts)))
        ok = ok and (flt.pass_dir(path)[1] if is_sub else flt.pass_file(path))
        if ok:
            continue
        decision = flt.explain(path, is_sub)
        mask = decision.mask
        builtin = mask is not None and mask.source.origin is Origin.BUILTIN
        item = mask.text if mask else ""
        reason = "excluded by FreeFileSync's built-in" if builtin else (
            "not included by" if "not" in decision.reason else "excluded by")
        groups.setdefault((reason, item, mask), []).append(path)
    return groups


def local_lefts(ctx: Context, must_exist: bool) -> list[tuple[Scope, Path]]:
    lefts = []
    for scope in ctx.scopes():
        left = local_path(scope.pair.left, ctx.options.cwd) if scope.pair is not None else None
        if left is not None and (left.is_dir() or not must_exist):
            lefts.append((scope, Path(os.path.realpath(left))))
    return lefts


def relative_in(rel: str, left: Path, root: Path) -> str | None:
    """``rel`` (relative to the policy's local folder ``root``) as seen from a pair's ``left`` (None: outside)."""
    if left == root:
        return rel
    if root in left.parents:
        inner = left.relative_to(root).as_posix() + "/"
        return rel[len(inner):] if rel.startswith(inner) else None
    return None


def _root(policy: Policy) -> Path:
    return Path(os.path.realpath(os.path.expanduser(policy.resolve_local(policy.local_path))))


def policy_root(ctx: Context) -> tuple[Policy, Path] | None:
    """The ``--policy`` and its local folder (real path); None without one or when it cannot be read (this rule
    reports that)."""
    from ffs_tools.errors import UserError
    from ffs_tools.lint.rules import _policy

    if ctx.options.policy is None:
        return None
    try:
        policy = _policy.load(str(ctx.options.policy))
    except UserError:
        return None
    return policy, _root(policy)


def keep_findings(ctx: Context) -> Iterator[Finding]:
    """``keep.paths`` of the policy (``--policy``) must pass the filter of a pair that carries them."""
    from ffs_tools.errors import UserError
    from ffs_tools.lint.rules import _policy

    assert ctx.options.policy is not None
    try:
        policy = _policy.load(str(ctx.options.policy))
    except UserError as exc:
        yield Finding(CODE, SEVERITY, f"cannot read the policy: {exc}", ctx.path)
        return
    root = _root(policy)
    lefts = local_lefts(ctx, must_exist=False)
    for i, keep in enumerate(policy.keep_paths):
        rel = keep.strip().strip("/")
        on_disk = root / rel
        kinds = (True,) if keep.strip().endswith("/") or on_disk.is_dir() else (False,) if on_disk.exists() else (
            True, False)
        carriers = [(scope, sub) for scope, left in lefts if (sub := relative_in(rel, left, root)) is not None]
        if not carriers or any(all(s.flt.synced(sub, d) for d in kinds) for s, sub in carriers):
            continue
        scope, sub = carriers[0]
        decision = scope.flt.explain(sub, kinds[0])
        item = f"`{decision.mask.text}`" if decision.mask else "the filter"
        line, column = _at(ctx, scope, decision.mask)
        yield Finding(CODE, SEVERITY, f"{scope.label}: keep path `{keep}` (keep.paths[{i}] of {ctx.options.policy}) "
                      f"would not sync: {decision.reason} by {item}", ctx.path, line, column,
                      "narrow this filter item: keep paths must always sync")


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.job:
        return
    if ctx.options.policy is not None:
        yield from keep_findings(ctx)
    if not ctx.options.use_git:
        return
    lefts = local_lefts(ctx, must_exist=True)
    root = git_root(ctx.options.cwd) if lefts else None  # no local left folder: no git process at all
    if root is None:
        return
    entries = tracked(root)
    for scope, left in lefts:
        mine = relative_to_left(entries, root, left)
        if mine:
            yield from _findings(ctx, scope, mine)


def _findings(ctx: Context, scope: Scope, mine: list[tuple[str, bool]]) -> Iterator[Finding]:
    for (reason, item, mask), paths in sorted(dropped(scope, mine).items(), key=lambda kv: str(kv[0])):
        line, column = _at(ctx, scope, mask)
        examples = ", ".join(paths[:EXAMPLES]) + (", ..." if len(paths) > EXAMPLES else "")
        noun = "file" if len(paths) == 1 else "files"
        why = f"{reason} `{item}`" if item.strip(SEPARATORS) else "not included, as the include list names nothing"
        message = f"{scope.label}: {len(paths)} {noun} git tracks would not sync, {why} ({examples})"
        yield Finding(CODE, SEVERITY, message, ctx.path, line, column,
                      hint_for(item))


def hint_for(item: str) -> str:
    """The way out for tracked files that ``item`` drops: for one of ffs-tools' built-in items, editing the
    generated file is no way (generate refuses a hand-edited file), so the hint names the policy's."""
    from ffs_tools.ffs.never_travels import WORKFLOW_CACHE_NAMES, default_exclusions

    norm = item.strip().replace("\\", "/")
    builtin = next((ex for ex in default_exclusions() if ex.item == norm), None)
    if builtin is None:
        return "narrow this filter item so that tracked files pass, or stop tracking them"
    if builtin.group == "cache" and norm.strip("*/") not in WORKFLOW_CACHE_NAMES:
        return (f'`{norm}` is a built-in exclusion of ffs-tools: to sync these files, add drop = ["{norm}"] to '
                "[exclude] in the policy and run ffs-tools generate, or stop tracking them (git rm --cached)")
    return (f"`{norm}` is a built-in exclusion of ffs-tools (version control, environments and the workflow's "
            "cache never travel): stop tracking these files (git rm --cached)")


def _at(ctx: Context, scope: Scope, mask: Mask | None) -> tuple[int | None, int | None]:
    """Where a finding about ``mask`` points: the item (line and column), else the pair's left folder."""
    if mask is not None and mask.source.line:
        return mask.source.line, mask.source.column
    return ctx.where(f"pair.{scope.index}.left")
