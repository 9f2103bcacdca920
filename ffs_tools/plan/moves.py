"""Move detection through the database (``DetectMovedFiles``, docs/comparison-and-sync.md section 7).

A database entry still in sync whose left end is a left-only file and whose right end is a
right-only file, each found by path (the entry's own name) or else by fingerprint (inode), each
with exactly the remembered size and time, is a move: the file was renamed or moved on the side
where it was found by fingerprint. Fingerprints used by more than one file on a side (hard links)
are ignored. Files only.
"""

from __future__ import annotations

from ffs_tools.plan import compare as c
from ffs_tools.plan.compare import Row
from ffs_tools.plan.database import DbFile, DbFolder, db_key
from ffs_tools.plan.directions import DbJudge

Pair = tuple[Row, Row]


class _Index:
    def __init__(self) -> None:
        self.by_path: dict[tuple[int, int], Row] = {}  # (side, id(entry)) -> one-sided row
        self.entries: dict[int, DbFile] = {}
        self.prints: tuple[dict[int, list[Row]], dict[int, list[Row]]] = ({}, {})


def detect(rows: list[Row], db: DbFolder, judge: DbJudge) -> list[Pair]:
    """The move pairs ``(left-only row, right-only row)``; sets ``Row.move`` and ``Row.moved`` on both halves."""
    one_sided: tuple[list[Row], list[Row]] = ([], [])
    _one_sided(rows, one_sided)
    if not one_sided[0] or not one_sided[1]:
        return []  # a move needs a left-only and a right-only file
    idx = _Index()
    candidates = ({r.left.ino for r in one_sided[0] if r.left.ino}, {r.right.ino for r in one_sided[1] if r.right.ino})
    _collect(rows, db, db, idx, candidates)
    by_print: list[dict[int, Row]] = [{}, {}]
    for side in (0, 1):
        only = c.LEFT_ONLY if side == 0 else c.RIGHT_ONLY
        for ino, found in idx.prints[side].items():
            if len(found) == 1 and found[0].cat == only:  # a print used twice on a side (hard links) is ignored
                by_print[side][ino] = found[0]
    pairs: list[Pair] = []
    for entry in _all_files(db):
        if not judge.still_in_sync(entry):
            continue
        ends: list[tuple[Row, bool]] = []
        for side in (0, 1):
            descr = entry.left if side == 0 else entry.right
            row = idx.by_path.get((side, id(entry)))
            moved = row is None
            if row is None and descr.file_print:
                row = by_print[side].get(descr.file_print)
            item = None if row is None else (row.left if side == 0 else row.right)
            if item is None or item.size != entry.file_size or item.mtime != descr.mod_time:
                break
            ends.append((row, moved))  # type: ignore[arg-type]
        if len(ends) == 2 and ends[0][0].move is None and ends[1][0].move is None:
            (lrow, lmoved), (rrow, rmoved) = ends
            lrow.move, rrow.move, lrow.moved, rrow.moved = rrow, lrow, lmoved, rmoved
            pairs.append((lrow, rrow))
    return pairs


def _all_files(db: DbFolder) -> list[DbFile]:
    out: list[DbFile] = []
    stack = [db]
    while stack:
        folder = stack.pop()
        out.extend(folder.files.values())
        stack.extend(folder.folders.values())
    return out


def _one_sided(rows: list[Row], out: tuple[list[Row], list[Row]]) -> None:
    def visit(row: Row) -> None:
        if row.kind == "file" and row.cat in (c.LEFT_ONLY, c.RIGHT_ONLY):
            out[0 if row.cat == c.LEFT_ONLY else 1].append(row)

    c.walk(rows, visit)


def _collect(rows: list[Row], db_l: DbFolder | None, db_r: DbFolder | None, idx: _Index,
             candidates: tuple[set[int], set[int]]) -> None:
    for row in rows:
        if row.kind == "file":
            for side, item in ((0, row.left), (1, row.right)):
                if item is not None and item.ino in candidates[side]:
                    idx.prints[side].setdefault(item.ino, []).append(row)
            if row.cat == c.LEFT_ONLY and db_l is not None:
                entry = db_l.files.get(db_key(row.name_l or ""))
                if entry is not None:
                    idx.by_path[(0, id(entry))] = row
            elif row.cat == c.RIGHT_ONLY and db_r is not None:
                entry = db_r.files.get(db_key(row.name_r or ""))
                if entry is not None:
                    idx.by_path[(1, id(entry))] = row
        elif row.kind == "folder":
            name_l = row.name_l if row.name_l is not None else row.name
            name_r = row.name_r if row.name_r is not None else row.name
            sub_l = db_l.folders.get(db_key(name_l)) if db_l is not None else None
            sub_r = db_r.folders.get(db_key(name_r)) if db_r is not None else None
            _collect(row.children, sub_l, sub_r, idx, candidates)
