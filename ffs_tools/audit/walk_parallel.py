"""The walk of :mod:`ffs_tools.audit.walk`, shared among worker processes.

Listing folders is kernel work plus a little Python per entry, so one
process uses one CPU; GPU machines have many. This process first walks the
top of the tree breadth-first (small trees end there), then forks ``jobs``
workers that take folders from a shared queue and walk each depth-first.
Trees are rarely balanced (one ``datasets/`` holds most files), so a worker
that sees another one waiting hands over the shallower half of its own
stack: the work spreads however skewed the tree is. Forked workers inherit
the visitor's setup (filters, compiled patterns) without pickling it; each
sends back ``collect(visitor)`` and its counts once, at the end.

Folders travel in batches (a queue transfer costs more than listing a small
folder). Termination: ``pending`` counts batches handed out and not finished
(a donation raises it before the donor finishes its own batch), so it
reaches zero exactly when the walk is complete; whoever brings it there
tells every worker to stop.
"""

from __future__ import annotations

import os
import queue
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ffs_tools.audit.walk import Folder, Progress, Visitor, WalkStats, visit, walk

V = TypeVar("V", bound=Visitor)
T = TypeVar("T")

#: folders this process walks itself, breadth-first, before it shares the rest
SERIAL_FOLDERS = 200


def walk_parallel(root: str, make_visitor: Callable[[], V], collect: Callable[[V], T], jobs: int,
                  progress: Progress | None = None, share_at: int | None = None) -> tuple[list[T], WalkStats]:
    """Walk ``root`` with up to ``jobs`` processes (this one included); return each process's
    ``collect(visitor)`` and the summed counts. ``share_at``: folders walked here before sharing
    (default :data:`SERIAL_FOLDERS`). Falls back to :func:`ffs_tools.audit.walk.walk` where processes
    cannot be forked or ``jobs`` is 1."""
    visitor = make_visitor()
    if jobs <= 1 or not hasattr(os, "fork"):
        return [collect(visitor)], walk(root, visitor, progress)
    stats = WalkStats()
    frontier: deque[Folder] = deque([Folder("", root, 0)])
    limit = SERIAL_FOLDERS if share_at is None else share_at
    show = progress is not None and progress.enabled
    while frontier and stats.folders < limit:
        folder = frontier.popleft()
        visit(folder, visitor, stats, frontier.append)
        if show and progress is not None:
            progress.update(stats, folder.rel)
    others: list[tuple[Any, WalkStats]] = []
    if frontier:
        others = _share(list(frontier), visitor, make_visitor, collect, jobs, stats, progress)
    if progress is not None:
        progress.finish()
    for _, sub in others:
        stats.add(sub)
    return [collect(visitor)] + [r for r, _ in others], stats


@dataclass
class _Shared:
    """What the processes share: the queue of folder batches and the counters around it."""

    jobs: int
    tasks: Any  # mp.Queue[list[Folder] | None]
    results: Any  # mp.Queue[tuple[str, Any, WalkStats | None]]
    pending: Any  # mp.Value: batches handed out and not finished
    waiting: Any  # mp.RawArray: 1 where a process waits for a batch
    counts: Any  # mp.RawArray: entries and folders seen by each process, for the progress line

    def seen(self, done: WalkStats) -> WalkStats:
        c = list(self.counts)
        return WalkStats(done.entries + sum(c[0::2]), done.folders + sum(c[1::2]), done.vanished)


def _share(folders: list[Folder], visitor: Any, make_visitor: Callable[[], Any], collect: Callable[[Any], Any],
           jobs: int, stats: WalkStats, progress: Progress | None) -> list[tuple[Any, WalkStats]]:
    """Walk ``folders`` with this process (``visitor``, ``stats``) and ``jobs - 1`` forked ones;
    return what the forked ones collected."""
    import multiprocessing  # only here: most trees that fit the serial start never need it

    ctx = multiprocessing.get_context("fork")
    size = max(1, len(folders) // (8 * jobs))  # a few batches per process: queue traffic stays small
    batches = [folders[i:i + size] for i in range(0, len(folders), size)]
    shared = _Shared(jobs, ctx.Queue(), ctx.Queue(), ctx.Value("q", len(batches)), ctx.RawArray("b", jobs),
                     ctx.RawArray("q", 2 * jobs))
    # fork before this process puts anything: no queue feeder thread exists yet in the parent
    workers = [ctx.Process(target=_worker, args=(i, make_visitor, collect, shared), daemon=True)
               for i in range(1, jobs)]
    for w in workers:
        w.start()
    try:
        for batch in batches:
            shared.tasks.put(batch)
        base = WalkStats(stats.entries, stats.folders, stats.vanished)
        _work(0, visitor, WalkStats(), shared, lambda: _check(workers, shared, base, progress), stats)
        out: list[tuple[Any, WalkStats]] = []
        while len(out) < len(workers):
            try:
                kind, result, sub = shared.results.get(timeout=0.5)
            except queue.Empty:
                _check(workers, shared, base, None)
                continue
            if kind == "error":
                raise RuntimeError(f"a walk worker failed:\n{result}")
            out.append((result, sub))
        for w in workers:
            w.join()
        return out
    finally:
        for w in workers:
            if w.is_alive():
                w.terminate()


def _check(workers: list[Any], shared: _Shared, done: WalkStats, progress: Progress | None) -> None:
    """While this process waits: notice dead workers, update the progress line."""
    if any(w.exitcode not in (None, 0) for w in workers):
        raise RuntimeError("a walk worker process died")
    if progress is not None and progress.enabled:
        progress.update(shared.seen(done), "")


def _worker(index: int, make_visitor: Callable[[], Any], collect: Callable[[Any], Any], shared: _Shared) -> None:
    try:
        visitor, stats = make_visitor(), WalkStats()
        _work(index, visitor, stats, shared, None, None)
        shared.results.put(("ok", collect(visitor), stats))
    except BaseException:
        shared.results.put(("error", traceback.format_exc(), None))


def _work(index: int, visitor: Any, stats: WalkStats, shared: _Shared, tick: Callable[[], None] | None,
          total: WalkStats | None) -> None:
    """Take batches until told to stop. ``tick`` runs after each batch and while waiting (this
    process only); ``total`` gets this process's counts added at the end (this process only)."""
    while True:
        shared.waiting[index] = 1
        try:
            batch = shared.tasks.get(timeout=0.5) if tick else shared.tasks.get()
        except queue.Empty:
            if tick:
                tick()
            continue
        shared.waiting[index] = 0
        if batch is None:
            break
        _walk_batch(batch, visitor, stats, shared, index)
        if tick:
            tick()
        with shared.pending.get_lock():
            shared.pending.value -= 1
            finished = shared.pending.value == 0
        if finished:
            for _ in range(shared.jobs):
                shared.tasks.put(None)
    if total is not None:
        total.add(stats)


def _walk_batch(batch: list[Folder], visitor: Any, stats: WalkStats, shared: _Shared, index: int) -> None:
    """Walk a batch of folders depth-first; give the shallower half of the stack to a waiting process."""
    stack = batch[::-1]
    quiet = 0  # folders to walk before looking for waiting processes again (a gift takes a moment to arrive)
    while stack:
        visit(stack.pop(), visitor, stats, stack.append)
        shared.counts[2 * index], shared.counts[2 * index + 1] = stats.entries, stats.folders
        if quiet:
            quiet -= 1
        elif len(stack) > 1 and any(shared.waiting):
            give = stack[: len(stack) // 2]  # the bottom: the shallowest, largest subtrees
            del stack[: len(give)]
            with shared.pending.get_lock():
                shared.pending.value += 1
            shared.tasks.put(give[::-1])
            quiet = 32
