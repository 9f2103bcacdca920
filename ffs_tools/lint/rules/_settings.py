"""Main settings and per-pair overrides, visited once each (for the compare and sync rules).

Only pairs that can sync something count (:func:`~ffs_tools.lint.rules._scopes.syncs_something`): the
settings of a pair whose two sides are the same folder copy and delete nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ffs_tools.ffs.model import CompareConfig, SyncConfig
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._scopes import syncs_something


@dataclass(frozen=True)
class SyncUse:
    """One ``<Synchronize>`` block (main or a pair's own) and the pairs that run with it."""

    key: str  # model key prefix: "sync" or "pair.<n>.sync"
    sync: SyncConfig
    compare: CompareConfig  # effective comparison of the first pair that uses this block
    #: 0-based; findings name no pair, the engine puts the pairs that share a problem in front of the message
    pairs: tuple[int, ...]


def sync_uses(ctx: Context) -> Iterator[SyncUse]:
    """The main sync settings (when some pair, or no pair at all, uses them) and each pair's own."""
    job = ctx.job
    if job is None:
        return
    live = [syncs_something(job, p) for p in job.pairs]
    main_pairs = tuple(i for i, p in enumerate(job.pairs) if p.sync is None and live[i])
    if main_pairs or not job.pairs:
        first = job.pairs[main_pairs[0]].compare if main_pairs else None
        yield SyncUse("sync", job.sync, first or job.compare, main_pairs)
    for i, p in enumerate(job.pairs):
        if p.sync is not None and live[i]:
            yield SyncUse(f"pair.{i}.sync", p.sync, p.compare or job.compare, (i,))


def compare_uses(ctx: Context) -> Iterator[tuple[str, tuple[int, ...], CompareConfig]]:
    """``(key, pairs, compare)`` for the main comparison (when used) and each pair's own (0-based pairs)."""
    job = ctx.job
    if job is None:
        return
    live = [syncs_something(job, p) for p in job.pairs]
    main_pairs = tuple(i for i, p in enumerate(job.pairs) if p.compare is None and live[i])
    if not job.pairs or main_pairs:
        yield "compare", main_pairs, job.compare
    for i, p in enumerate(job.pairs):
        if p.compare is not None and live[i]:
            yield f"pair.{i}.compare", (i,), p.compare
