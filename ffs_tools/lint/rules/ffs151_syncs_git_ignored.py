r"""The filter syncs paths the repository's `.gitignore` ignores, which are not keep paths.

## What it does
When lint runs with git available and a pair's left folder is (inside) a git
work tree, the tree is walked once and every path git ignores, by the
committed ``.gitignore`` files (the same reading as ``exclude.gitignore``, see
the README), is put through the pair's filter. Paths the filter would still
sync are reported, grouped by the ``.gitignore`` line that ignores them. The
policy's ``[keep] paths`` (with ``--policy``) are left out: those must travel
although git ignores them.

## Why is this bad?
What a project's ``.gitignore`` lists is mostly junk for the other machine:
build output, ``*.egg-info``, ``wandb/`` runs, logs, caches. Syncing it costs
time and disk on every run and can overwrite the GPU machine's own copies. It
is only info: data, checkpoints and results are git-ignored on purpose and
still must travel; list those as keep paths.

## Example
A ``.gitignore`` with ``wandb/`` and a filter without ``*/wandb/``: every run
folder below ``wandb/`` syncs.

## Fix
Set ``exclude.gitignore = true`` in the policy and regenerate (or add an item
such as ``*/wandb/``), or list the path in ``keep.paths`` when it must travel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.phrases import local_path
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._scopes import Scope
from ffs_tools.lint.rules.ffs131_filter_drops_tracked import git_root
from ffs_tools.policy.gitignore import GitRules, load_rules
from ffs_tools.policy.gitignore_tree import keep_related, walk

CODE = "FFS151"
NAME = "syncs-git-ignored-paths"
SEVERITY = Severity.INFO
PROFILES = DEV_GPU_ONLY
EXAMPLES = 3


def _keep_paths(ctx: Context, root: Path) -> list[str]:
    """The policy's keep paths relative to the repository's top (none without ``--policy``)."""
    from ffs_tools.lint.rules import _policy

    if ctx.options.policy is None:
        return []
    try:
        policy = _policy.load(str(ctx.options.policy))
    except UserError:
        return []  # FFS131 reports an unreadable policy
    local = Path(os.path.realpath(os.path.expanduser(policy.resolve_local(policy.local_path))))
    prefix = "" if local == root else local.relative_to(root).as_posix() + "/" if root in local.parents else None
    if prefix is None:
        return []
    return [prefix + k.strip().strip("/") for k in policy.keep_paths if k.strip().strip("/")]


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.job or not ctx.options.use_git:
        return
    for scope in ctx.scopes():
        left = local_path(scope.pair.left, ctx.options.cwd) if scope.pair is not None else None
        if left is None or not left.is_dir():
            continue
        left = Path(os.path.realpath(left))
        root = git_root(left)
        if root is None:
            continue
        try:
            rules = load_rules(root)
        except UserError:
            continue
        inner = "" if left == root else left.relative_to(root).as_posix() + "/"
        yield from _findings(ctx, scope, rules, root, inner)


def _findings(ctx: Context, scope: Scope, rules: GitRules, root: Path, inner: str) -> Iterator[Finding]:
    keep = _keep_paths(ctx, root)
    groups: dict[str, list[str]] = {}
    by_where = {}
    for node in walk(root, rules, keep):
        if not node.ignored or not node.path.startswith(inner):
            continue
        rel = node.path[len(inner):]
        if not scope.flt.reaches(rel, node.is_dir) or any(keep_related(node.path, keep)):
            continue
        rule = rules.decide(node.path, node.is_dir)
        if rule is None:  # pragma: no cover - an ignored path has a deciding rule
            continue
        by_where[rule.where] = rule
        groups.setdefault(rule.where, []).append(rel + ("/" if node.is_dir else ""))
    where_line, where_column = ctx.place(scope.filter_key)  # the exclude list an item is missing from
    for where, paths in groups.items():
        rule = by_where[where]
        examples = ", ".join(paths[:EXAMPLES]) + (", ..." if len(paths) > EXAMPLES else "")
        noun = "path" if len(paths) == 1 else "paths"
        yield Finding(CODE, SEVERITY, f"{scope.label}: {len(paths)} {noun} git ignores would sync, "
                      f"`{rule.text.strip()}` ({where}) ({examples})", ctx.path, where_line, where_column,
                      "exclude.gitignore = true in the policy (or an exclude item), or keep.paths if they must "
                      "travel")
