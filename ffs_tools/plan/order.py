"""The order in which FreeFileSync carries out the items of one pass of a folder pair.

Only this order says where a run that aborts at an error (a name clash, ``Errors Ignore="false"``)
stops, so it is modelled exactly (docs/comparison-and-sync.md, "Order of the sync and the abort
point"). FreeFileSync 12.0 and 14.10 schedule alike (``FolderPairSyncer::runPass`` and
``getFolderLevelWorkItems`` in ``FreeFileSync/Source/base/synchronization.cpp`` at ``v12.0`` and
``v14.10``; one worker thread per pass):

- the work is a FIFO queue of *buckets*, one bucket per folder level: first the level's folders
  that have an item in this pass, then its files, then its links;
- building the buckets under a folder is breadth first, but only through folders *without* an item
  in this pass: the level below a folder with an item (e.g. one being created) is queued only when
  that item runs, behind every bucket already queued.

So the content of a folder created in the copy pass comes after all the other levels that were
already waiting, e.g. after a deeper level elsewhere whose creation fails first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ffs_tools.plan.compare import Row

IsItem = Callable[[Row], bool]


def pass_orders(rows: list[Row], ops: dict[int, str], busy: set[int],
                made_by_moves: IsItem) -> tuple[dict[int, int], dict[int, int]]:
    """The orders of the deletion pass and of the copy pass (``ops``: id(row) -> operation, e.g. ``create-left``).

    A folder is an item of the deletion pass when deleted, of the copy pass when created (except those the move
    pass creates for its targets: ``made_by_moves``) or renamed (``getPass`` =). Every file and link counts as an
    item of both: only their order among themselves matters, and they hold no level back.
    """

    def deleted(row: Row) -> bool:
        return row.kind != "folder" or ops[id(row)].startswith("delete-")

    def copied(row: Row) -> bool:
        op = ops[id(row)]
        return row.kind != "folder" or op.startswith("rename-") or (op.startswith("create-") and not made_by_moves(row))

    return pass_order(rows, deleted, busy), pass_order(rows, copied, busy)


def pass_order(rows: list[Row], is_item: IsItem, busy: set[int]) -> dict[int, int]:
    """Position (id(row) -> n) of every item of one pass in FreeFileSync's run of it.

    ``is_item``: whether a row is carried out in this pass (for folders this decides whether their
    level waits for them); ``busy``: the folders with an operation in or below them (others hold nothing
    to do and are not entered).
    """
    seq: dict[int, int] = {}
    pending = deque(_buckets(rows, is_item, busy))
    while pending:
        for row in pending.popleft():
            seq[id(row)] = len(seq)
            if row.kind == "folder" and id(row) in busy:
                pending.extend(_buckets(row.children, is_item, busy))
    return seq


def _buckets(level: list[Row], is_item: IsItem, busy: set[int]) -> list[list[Row]]:
    """``getFolderLevelWorkItems``: the buckets below one folder, level by level, entering only the folders
    without an item in this pass."""
    out: list[list[Row]] = []
    todo = deque([level])
    while todo:
        rows = todo.popleft()
        folders: list[Row] = []
        for row in rows:
            if row.kind != "folder":
                continue
            if is_item(row):
                folders.append(row)
            elif id(row) in busy:
                todo.append(row.children)
        files = [r for r in rows if r.kind == "file" and is_item(r)]
        links = [r for r in rows if r.kind == "symlink" and is_item(r)]
        if folders or files or links:
            out.append(folders + files + links)
    return out
