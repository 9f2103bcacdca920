"""The walk of :mod:`ffs_tools.walk`, shared among worker processes.

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

import multiprocessing as mp
import queue
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from ffs_tools.walk import Folder, Progress, Visitor, WalkStats, visit, walk

V = TypeVar("V", bound=Visitor)
T = TypeVar("T")

#: folders this process walks itself, breadth-first, before it shares the rest
SERIAL_FOLDERS = 200


def walk_parallel(root: str, make_visitor: Callable[[], V], collect: Callable[[V], T], jobs: int,
                  progress: Progress | None = None, share_at: int | None = None) -> tuple[list[T], WalkStats]:
    """Walk ``root`` with up to ``jobs`` processes; return each process's ``collect(visitor)`` and the
    summed counts. ``share_at``: folders walked here before sharing (default :data:`SERIAL_FOLDERS`).
    Falls back to :func:`ffs_tools.walk.walk` where processes cannot be forked or ``jobs`` is 1."""
    visitor = make_visitor()
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
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
    results = [collect(visitor)]
    if frontier:
        for result, sub in _share(list(frontier), make_visitor, collect, jobs, stats, progress):
            results.append(result)
            stats.add(sub)
    if progress is not None:
        progress.finish()
    return results, stats


def _share(folders: list[Folder], make_visitor: Callable[[], Any], collect: Callable[[Any], Any], jobs: int,
           done: WalkStats, progress: Progress | None) -> list[tuple[Any, WalkStats]]:
    ctx = mp.get_context("fork")
    size = max(1, len(folders) // (8 * jobs))  # a few batches per worker: queue traffic stays small
    batches = [folders[i:i + size] for i in range(0, len(folders), size)]
    tasks: mp.Queue[list[Folder] | None] = ctx.Queue()
    results: mp.Queue[tuple[str, Any, Any]] = ctx.Queue()
    pending = ctx.Value("q", len(batches))
    waiting = ctx.RawArray("b", jobs)
    counts = ctx.RawArray("q", 2 * jobs)  # entries and folders seen by each worker, for the progress line
    # fork before this process puts anything: no queue feeder thread exists yet in the parent
    workers = [ctx.Process(target=_worker, args=(i, make_visitor, collect, tasks, results, pending, waiting,
                                                 counts, jobs), daemon=True) for i in range(jobs)]
    for w in workers:
        w.start()
    try:
        for batch in batches:
            tasks.put(batch)
        out: list[tuple[Any, WalkStats]] = []
        while len(out) < jobs:
            try:
                kind, result, sub = results.get(timeout=0.2)
            except queue.Empty:
                if any(w.exitcode not in (None, 0) for w in workers):
                    raise RuntimeError("a walk worker process died") from None
                if progress is not None and progress.enabled:
                    progress.update(_counted(done, counts), "")
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


def _counted(done: WalkStats, counts: Any) -> WalkStats:
    seen = list(counts)
    return WalkStats(done.entries + sum(seen[0::2]), done.folders + sum(seen[1::2]), done.vanished)


def _worker(index: int, make_visitor: Callable[[], Any], collect: Callable[[Any], Any], tasks: Any, results: Any,
            pending: Any, waiting: Any, counts: Any, jobs: int) -> None:
    try:
        visitor = make_visitor()
        stats = WalkStats()
        while True:
            waiting[index] = 1
            batch = tasks.get()
            waiting[index] = 0
            if batch is None:
                break
            _walk_batch(batch, visitor, stats, tasks, pending, waiting, counts, index)
            with pending.get_lock():
                pending.value -= 1
                finished = pending.value == 0
            if finished:
                for _ in range(jobs):
                    tasks.put(None)
        results.put(("ok", collect(visitor), stats))
    except BaseException:
        results.put(("error", traceback.format_exc(), None))


def _walk_batch(batch: list[Folder], visitor: Any, stats: WalkStats, tasks: Any, pending: Any, waiting: Any,
                counts: Any, index: int) -> None:
    """Walk a batch of folders depth-first; give the shallower half of the stack to a waiting worker."""
    stack = batch[::-1]
    quiet = 0  # folders to walk before looking for waiting workers again (a gift takes a moment to arrive)
    while stack:
        visit(stack.pop(), visitor, stats, stack.append)
        counts[2 * index], counts[2 * index + 1] = stats.entries, stats.folders
        if quiet:
            quiet -= 1
        elif len(stack) > 1 and any(waiting):
            give = stack[: len(stack) // 2]  # the bottom: the shallowest, largest subtrees
            del stack[: len(give)]
            with pending.get_lock():
                pending.value += 1
            tasks.put(give[::-1])
            quiet = 32
