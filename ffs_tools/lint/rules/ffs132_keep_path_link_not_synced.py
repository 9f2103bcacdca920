"""A keep path is, or holds, a symbolic link that FreeFileSync skips.

## What it does
With ``ffs-tools lint --policy FILE``: for every ``keep.paths`` entry of the
policy that is on this machine, looks for symbolic links (the keep path
itself, or links inside a keep folder, not followed) that the pair's filter
passes, and reports them when the pair's ``Symlinks`` setting is ``Exclude``.

## Why is this bad?
With ``Symlinks=Exclude`` FreeFileSync skips every symbolic link without a
word (docs/comparison-and-sync.md, section 2.3): ``datasets/imagenet ->
/data/imagenet`` inside the keep path ``datasets/`` never reaches the GPU
machine, while ``generate``, ``explain`` (before it knew links) and the run
itself all look clean. A keep path is what must always travel.

## Example
The policy keeps ``datasets/``, ``datasets/imagenet`` is a link to
``/data/imagenet`` and the config says ``<Symlinks>Exclude</Symlinks>``.

## Fix
Set ``sync.symlinks`` in the policy and run ``ffs-tools generate``:
``"follow"`` copies what the link points to as real files (the GPU side gets
a full copy, and links on the GPU side are followed as well), ``"direct"``
copies the link itself (its target must exist on the GPU machine). Or
point the keep path at the data's real place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ffs_tools.ffs.model import SymlinkHandling
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules.ffs131_filter_drops_tracked import local_lefts, policy_root, relative_in

CODE = "FFS132"
NAME = "keep-path-link-not-synced"
SEVERITY = Severity.WARNING
PROFILES = DEV_GPU_ONLY
EXAMPLES = 3
#: most folder entries looked at below one keep folder
LIMIT = 100_000


def links_below(root: Path, rel: str, limit: int = LIMIT) -> list[str]:
    """``rel`` itself when it is a symbolic link, else the links below the folder ``rel`` (sorted, not followed)."""
    top = root / rel
    if top.is_symlink():
        return [rel]
    found: list[str] = []
    stack, seen = [rel], 0
    while stack and seen < limit:
        folder = stack.pop()
        try:
            with os.scandir(root / folder) as it:
                entries = [(e.name, e.is_symlink(), e.is_dir(follow_symlinks=False)) for e in it]
        except OSError:
            continue
        seen += len(entries)
        for name, is_link, is_dir in entries:
            child = f"{folder}/{name}"
            if is_link:
                found.append(child)
            elif is_dir:
                stack.append(child)
    return sorted(found)


def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    loaded = policy_root(ctx) if job else None
    if job is None or loaded is None:
        return
    policy, root = loaded
    for scope, left in local_lefts(ctx, must_exist=True):
        if scope.index is None or job.pair_compare(scope.index).symlinks is not SymlinkHandling.EXCLUDE:
            continue
        for i, keep in enumerate(policy.keep_paths):
            rel = keep.strip().strip("/")
            if relative_in(rel, left, root) is None or not os.path.lexists(root / rel):
                continue
            skipped = []
            for link in links_below(root, rel):
                sub = relative_in(link, left, root)
                if sub is not None and scope.flt.synced(sub, (root / link).is_dir()):
                    skipped.append(f"{link} -> {os.readlink(root / link)}")
            if skipped:
                more = ", ..." if len(skipped) > EXAMPLES else ""
                yield ctx.finding(CODE, SEVERITY, f"pair.{scope.index}.left",
                                  f"{scope.label}: keep path `{keep}` (keep.paths[{i}]) holds {len(skipped)} symbolic "
                                  f"link(s) that FreeFileSync skips (Symlinks=Exclude): "
                                  f"{', '.join(skipped[:EXAMPLES])}{more}",
                                  'set sync.symlinks = "follow" (copies what they point to) or "direct" (copies the '
                                  "links) in the policy and run ffs-tools generate")
