"""``keep.paths`` must always sync: checked with the filter engine, never with string matching.

For each keep path, the folder pair that carries it (the main pair, or the
``[[folders]]`` pair it lies in) is asked through :class:`~ffs_tools.filtering.engine.PathFilter`
whether FreeFileSync would sync it. When the local folder is reachable, every
file and folder on disk below a keep folder is checked too: a user's extra
exclusion (``*.pt``) that silently drops ``models/best.pt`` is refused just
like one that drops ``models/`` itself. What the built-in rules keep out below
a keep folder (a ``.git``, a venv, ``__pycache__``) stays out: that is the point
of them. The error names the keep path, the item that drops it and where the
item came from.
"""

from __future__ import annotations

import os
from pathlib import Path

from ffs_tools.ffs.model import SyncJob
from ffs_tools.ffs.never_travels import Exclusion
from ffs_tools.filtering.engine import Decision, Origin, PathFilter, Semantics
from ffs_tools.filtering.pairs import pair_filter
from ffs_tools.policy.model import Policy

_GROUPS = {"vcs": "built in: version control never travels", "venv": "built in: virtualenvs never travel",
           "cache": "built in: caches never travel", "scan": "the local scan found an environment there"}


class _Checker:
    def __init__(self, policy: Policy, job: SyncJob, items: list[Exclusion], semantics: Semantics) -> None:
        self.policy = policy
        self.items = items
        self.filters = [pair_filter(job, i, semantics) for i in range(len(job.pairs))]

    def carrier(self, rel: str) -> tuple[PathFilter, str]:
        """The filter of the pair that syncs ``rel`` and ``rel`` relative to that pair's folders."""
        for i, rule in enumerate(self.policy.folders, start=1):
            if rel == rule.path or rel.startswith(rule.path + "/"):
                return self.filters[i], rel[len(rule.path) + 1:]
        return self.filters[0], rel

    def origin(self, decision: Decision) -> str:
        mask = decision.mask
        if mask is None:
            return "the filter"
        src = mask.source
        if src.origin is Origin.BUILTIN:
            return f'FreeFileSync\'s built-in exclude item "{mask.text}"'
        if src.origin is Origin.PAIR:
            rule = self.policy.folders[src.index] if src.index < len(self.policy.folders) else None
            where = f"{rule.key}: a one-way folder has its own pair" if rule else "the main pair's filter"
            return f'exclude item "{mask.text}" ({where})'
        ex = self.items[src.index] if src.list_name == "exclude" and src.index < len(self.items) else None
        why = _GROUPS.get(ex.group, ex.why) if ex else "the global filter"
        if ex is not None and ex.group == "extra":
            why = f"exclude.extra[{self.policy.exclude_extra.index(ex.item)}]"
        elif ex is not None and ex.group == "gitignore":
            why = f"exclude.gitignore, {ex.why}"
        return f'{src.list_name} item "{mask.text}" ({why})'

    def way_out(self, decision: Decision) -> str:
        """``; to sync it, add drop = [...] ...`` when a built-in cache item drops a keep path, else ``""``."""
        mask = decision.mask
        src = mask.source if mask is not None else None
        if src is None or src.origin is not Origin.GLOBAL or src.list_name != "exclude" or \
                src.index >= len(self.items) or self.items[src.index].group != "cache":
            return ""
        return f'; to sync it, add drop = ["{self.items[src.index].item}"] to [exclude]'

    def is_offending(self, decision: Decision) -> bool:
        """Below a keep folder only the user's own extras count: the built-in rules exclude on purpose."""
        mask = decision.mask
        if mask is None:
            return False
        src = mask.source
        if src.origin is Origin.GLOBAL and src.list_name == "exclude" and src.index < len(self.items):
            return self.items[src.index].group in ("extra", "gitignore")
        return False


def check_keep_paths(policy: Policy, job: SyncJob, items: list[Exclusion], semantics: Semantics,
                     root: Path | None) -> None:
    """Raise a UserError naming ``keep.paths[i]`` and the dropping item when a keep path would not sync."""
    checker = _Checker(policy, job, items, semantics)
    for i, keep in enumerate(policy.keep_paths):
        key = f"keep.paths[{i}]"
        rel = keep.strip().strip("/")
        on_disk = root / rel if root is not None else None
        if on_disk is not None and on_disk.is_symlink() and policy.symlinks == "exclude":
            raise policy.error(key, f'"{keep}" is a symbolic link, and sync.symlinks = "exclude" makes FreeFileSync '
                                    'ignore links: set sync.symlinks = "follow" (or point keep.paths at the target)')
        flt, sub = checker.carrier(rel)
        if sub:
            kinds = _kinds(keep, on_disk)
            for is_dir in kinds:
                decision = flt.explain(sub, is_dir)
                if not decision.synced:
                    raise policy.error(key, f'"{keep}" would not sync: {checker.origin(decision)} drops it'
                                            f"{checker.way_out(decision)}")
        if on_disk is not None and on_disk.is_dir() and not on_disk.is_symlink():
            _check_tree(checker, policy, key, keep, root, rel)  # type: ignore[arg-type]
        if sub and on_disk is not None and not os.path.lexists(on_disk) and True in _kinds(keep, on_disk):
            _check_future_files(checker, policy, key, keep, rel)


def _check_future_files(checker: _Checker, policy: Policy, key: str, keep: str, rel: str) -> None:
    """A keep folder that is not on this machine yet has no files to check, but keeps what will be there:
    an extra item that excludes files by a name pattern (``*.pt``) would drop them, so it is refused."""
    for ex in checker.items:
        item = ex.item.strip().replace("\\", "/")
        name = item.rsplit("/", 1)[-1]
        if ex.group != "extra" or item.endswith("/") or not any(c in name for c in "*?"):
            continue
        example = f"{rel}/{name.replace('*', 'example').replace('?', 'x')}"
        flt, sub = checker.carrier(example)
        decision = flt.explain(sub, False)
        if not decision.synced and checker.is_offending(decision):
            raise policy.error(key, f'a file like "{example}" (in keep path "{keep}") would not sync: '
                                    f"{checker.origin(decision)} drops it")


def _kinds(keep: str, on_disk: Path | None) -> tuple[bool, ...]:
    """Check as a folder, a file or both: a trailing ``/`` or the disk decides, else both."""
    if keep.strip().endswith("/") or (on_disk is not None and on_disk.is_dir()):
        return (True,)
    if on_disk is not None and on_disk.exists():
        return (False,)
    return (True, False)


def _link_refusal(child: str, keep: str, root: Path) -> str:
    """Why generate refuses a symbolic link below a keep folder under ``sync.symlinks = "exclude"``: FreeFileSync
    skips links without a word, and following them is a choice only the user can make (it copies what they point
    to, which may be a whole data set, and follows links on the GPU side too)."""
    target = os.readlink(root / child)
    return (f'"{child}" (in keep path "{keep}") is a symbolic link to {target}, and sync.symlinks = "exclude" makes '
            'FreeFileSync skip it: set sync.symlinks = "follow" (the GPU machine gets a copy of what it points to, '
            'and links on the GPU side are followed too) or "direct" (the link itself travels: its target must '
            "exist on the GPU machine)")


def _check_tree(checker: _Checker, policy: Policy, key: str, keep: str, root: Path, top: str) -> None:
    stack = [top]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(root / rel) as it:
                entries = sorted((e.name, e.is_dir(follow_symlinks=False), e.is_symlink()) for e in it)
        except OSError:
            continue
        for name, is_dir, is_link in entries:
            child = f"{rel}/{name}"
            flt, sub = checker.carrier(child)
            if is_link:
                if policy.symlinks == "exclude" and (not sub or flt.synced(sub, (root / child).is_dir())):
                    raise policy.error(key, _link_refusal(child, keep, root))
                continue
            if is_dir:
                traverse = flt.pass_dir(sub)[1] if sub else True
                if traverse:
                    stack.append(child)
                    continue
            elif not sub or flt.pass_file(sub):
                continue
            decision = flt.explain(sub, is_dir)
            if checker.is_offending(decision):
                shown = child + ("/" if is_dir else "")
                raise policy.error(key, f'"{shown}" (in keep path "{keep}") would not sync: '
                                        f"{checker.origin(decision)} drops it")
