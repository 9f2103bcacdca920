"""Sync directions per row, as FreeFileSync 12.0 and 14.10 set them (docs/comparison-and-sync.md 5-7).

* From the configuration (12.0 ``SetSyncDirectionByConfig``, 14.10 ``SetSyncDirViaDifferences``);
* from the database (12.0 two-way ``SetSyncDirectionsTwoWay``, 14.10 ``SetSyncDirViaChanges``);
* moves (``DetectMovedFiles``): a left-only and a right-only file that are the two ends of one
  database entry, matched by path or by fingerprint (inode), with size and time unchanged.

Conflict texts are FreeFileSync's; for two-line texts the specific second line is kept
(the first line is always "Cannot determine sync-direction:").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ffs_tools.ffs.model import Changes, CompareVariant, Differences
from ffs_tools.plan import compare as c
from ffs_tools.plan.compare import CompareSettings, Row, same_time
from ffs_tools.plan.database import DbFile, DbFolder, DbSymlink, db_key

TXT_BOTH_CHANGED = "Both sides have changed since last synchronization."
TXT_NO_CHANGE = "No change since last synchronization."
TXT_DB_NOT_IN_SYNC = "The database entry is not in sync, considering current settings."
TXT_DB_AMBIGUOUS = "The database entry is ambiguous."
TXT_DIFF_NAME = "The items have different names, but it's unknown which side was renamed."
TXT_DIFF_CONTENT = "The items have different content, but it's unknown which side has changed."

TMP_ENDING = ".ffs_tmp"
FAT_PRECISION = 2
L, R, N = "left", "right", "none"


@dataclass(frozen=True)
class Table12:
    """12.0's direction per category (``DirectionSet``): ``conflict`` ``none`` means a direction conflict."""

    left_only: str
    right_only: str
    left_newer: str
    right_newer: str
    different: str
    conflict: str


TWO_WAY_FIRST_RUN = Table12(R, L, R, L, N, N)


def table12(d: Differences, update_preset: bool) -> Table12:
    """12.0's direction set of a Differences configuration (Mirror, Update, Custom)."""
    core = (d.left_only.value, d.right_only.value, d.left_newer.value, d.right_newer.value)
    same = d.left_newer.value if d.left_newer == d.right_newer else N
    different = d.different.value if d.different is not None else (R if update_preset else same)
    conflict = d.conflict.value if d.conflict is not None else (N if update_preset else same)
    return Table12(*core, different, conflict)


def _tmp_leftover(row: Row) -> str | None:
    if row.cat == c.LEFT_ONLY and row.kind != "symlink" and (row.name_l or "").endswith(TMP_ENDING):
        return L
    if row.cat == c.RIGHT_ONLY and row.kind != "symlink" and (row.name_r or "").endswith(TMP_ENDING):
        return R
    return None


def _set_rec(row: Row, direction: str) -> None:
    def apply(r: Row) -> None:
        if r.cat != c.EQUAL:
            r.direction, r.conflict = direction, None

    c.walk([row], apply)


def _conflict(row: Row, text: str) -> None:
    row.direction, row.conflict = N, text


def by_table12(rows: list[Row], t: Table12) -> None:
    """12.0 ``SetSyncDirectionByConfig``."""
    for row in rows:
        tmp = _tmp_leftover(row)
        if tmp is not None:
            _set_rec(row, tmp) if row.kind == "folder" else setattr(row, "direction", tmp)
            continue
        if row.cat != c.EQUAL:
            d = {c.LEFT_ONLY: t.left_only, c.RIGHT_ONLY: t.right_only, c.LEFT_NEWER: t.left_newer,
                 c.RIGHT_NEWER: t.right_newer, c.DIFFERENT: t.different}.get(row.cat)
            if d is not None:
                row.direction = d
            elif t.conflict == N:
                _conflict(row, row.text)
            else:
                row.direction = t.conflict
        by_table12(row.children, t)


def by_differences14(rows: list[Row], d: Differences) -> None:
    """14.10 ``SetSyncDirViaDifferences``."""
    newer = d.left_newer.value if d.left_newer == d.right_newer else None
    for row in rows:
        tmp = _tmp_leftover(row)
        if tmp is not None:
            _set_rec(row, tmp) if row.kind == "folder" else setattr(row, "direction", tmp)
            continue
        cat = row.cat
        if cat == c.LEFT_ONLY:
            row.direction = d.left_only.value
        elif cat == c.RIGHT_ONLY:
            row.direction = d.right_only.value
        elif cat == c.LEFT_NEWER:
            row.direction = d.left_newer.value
        elif cat == c.RIGHT_NEWER:
            row.direction = d.right_newer.value
        elif cat in (c.RENAMED, c.TIME_INVALID, c.DIFFERENT):
            if newer is not None:
                row.direction = newer
            else:
                _conflict(row, {c.RENAMED: TXT_DIFF_NAME, c.DIFFERENT: TXT_DIFF_CONTENT}.get(cat, row.text))
        elif cat == c.CONFLICT:
            _conflict(row, row.text)
        by_differences14(row.children, d)


def differences_of(ch: Changes) -> Differences:
    """``getDiffDirDefault``: the Differences a Changes configuration uses without a database."""
    return Differences(ch.left_create, ch.left_update, ch.right_update, ch.right_create)


# --------------------------------------------------------------------------- database


class DbJudge:
    """The per-item database tests of both versions (``stillInSync``, ``matchesDbEntry``, ``compareDbEntry``)."""

    def __init__(self, cmp: CompareSettings) -> None:
        self.cmp = cmp

    def still_in_sync(self, entry: DbFile | DbSymlink | DbFolder) -> bool:
        var, cfg = self.cmp.variant, self.cmp
        if isinstance(entry, DbFolder):
            return True
        if isinstance(entry, DbFile):
            if var is CompareVariant.TIME_AND_SIZE:
                return entry.cmp_var == "Content" or same_time(entry.left.mod_time, entry.right.mod_time,
                                                                cfg.tolerance, cfg.shifts)
            return entry.cmp_var == "Content" if var is CompareVariant.CONTENT else True
        if var is CompareVariant.TIME_AND_SIZE:
            return entry.cmp_var in ("Content", "Size") or same_time(entry.left_mod_time, entry.right_mod_time,
                                                                      cfg.tolerance, cfg.shifts)
        return entry.cmp_var in ("Content", "Size")

    def matches(self, row: Row, side: str, entry: object, tolerance: int) -> bool:
        """Whether ``side`` of ``row`` is as the database remembers it (no change there)."""
        item = row.left if side == L else row.right
        if row.kind == "folder":
            have = isinstance(entry, DbFolder) and entry.status != "straw_man"
            return have == (item is not None)
        if item is None:
            return entry is None
        if entry is None:
            return False
        if isinstance(entry, DbFile):
            descr = entry.left if side == L else entry.right
            return same_time(item.mtime, descr.mod_time, tolerance, self.cmp.shifts) and item.size == entry.file_size
        assert isinstance(entry, DbSymlink)
        t = entry.left_mod_time if side == L else entry.right_mod_time
        return same_time(item.mtime, t, tolerance, self.cmp.shifts)


def _entries(row: Row, db: DbFolder | None) -> tuple[object, object]:
    if db is None:
        return None, None
    table: dict[str, object] = {"file": db.files, "symlink": db.symlinks, "folder": db.folders}[row.kind]  # type: ignore[assignment]
    # a one-sided item carries its one name for both sides (FreeFileSync's getItemName<side>)
    kl = db_key(row.name_l if row.name_l is not None else row.name)
    kr = db_key(row.name_r if row.name_r is not None else row.name)
    el = table.get(kl)
    er = el if kl == kr else table.get(kr)
    return el, er


Decide = Callable[[Row, object, object], None]


def by_database(rows: list[Row], db: DbFolder | None, judge: DbJudge, decide: Decide, v14: bool) -> None:
    """Walk rows and database together; ``decide`` sets the direction of one non-equal row."""
    for row in rows:
        if row.cat == c.EQUAL and row.kind != "folder":
            continue  # nothing to decide, and no database lookup (FreeFileSync returns first, too)
        if v14 and row.cat == c.CONFLICT:
            _conflict(row, row.text)
            continue
        tmp = _tmp_leftover(row)
        if tmp is not None:
            if row.kind == "folder":
                _set_rec(row, tmp)
                continue
            row.direction = tmp
            continue
        el, er = _entries(row, db)
        if el is not None and er is not None and el is not er:
            _ambiguous(row)
            continue
        entry = el if el is not None else er
        if row.cat != c.EQUAL:
            if entry is not None and not judge.still_in_sync(entry):  # type: ignore[arg-type]
                _conflict(row, TXT_DB_NOT_IN_SYNC)
            else:
                decide(row, el, er)
        if row.kind == "folder":
            by_database(row.children, entry if isinstance(entry, DbFolder) else None, judge, decide, v14)


def _ambiguous(row: Row) -> None:
    def apply(r: Row) -> None:
        if r.cat != c.EQUAL:
            _conflict(r, TXT_DB_AMBIGUOUS)

    c.walk([row], apply)


def two_way12(judge: DbJudge) -> Decide:
    """12.0: one side changed -> towards the other; both or neither -> conflict."""

    def decide(row: Row, el: object, er: object) -> None:
        changed_l = not judge.matches(row, L, el, FAT_PRECISION)
        changed_r = not judge.matches(row, R, er, FAT_PRECISION)
        if changed_l == changed_r:
            _conflict(row, TXT_BOTH_CHANGED if changed_l else TXT_NO_CHANGE)
        else:
            row.direction = R if changed_l else L

    return decide


def changes14(judge: DbJudge, ch: Changes) -> Decide:
    """14.10 ``SetSyncDirViaChanges``: a change kind per side, then the configured direction for it."""
    per_side = {L: {"create": ch.left_create, "update": ch.left_update, "delete": ch.left_delete},
                R: {"create": ch.right_create, "update": ch.right_update, "delete": ch.right_delete}}

    def change(row: Row, side: str, entry: object) -> str | None:
        item = row.left if side == L else row.right
        if item is None:
            kind = "delete" if entry is not None else None
        elif entry is None:
            kind = "create"
        elif row.kind == "folder":
            kind = None
        else:
            kind = None if judge.matches(row, side, entry, judge.cmp.tolerance) else "update"
        if kind in ("create", "delete") and (row.cat == c.RENAMED or row.move is not None):
            kind = "update"
        return kind

    def decide(row: Row, el: object, er: object) -> None:
        if row.move is not None:
            return  # both halves are decided together in moves14()
        kl, kr = change(row, L, el), change(row, R, er)
        dl = per_side[L][kl].value if kl else None
        dr = per_side[R][kr].value if kr else None
        if dl is None and dr is None:
            _conflict(row, TXT_NO_CHANGE)
        elif dl is not None and dr is not None:
            if dl == dr:
                row.direction = dl
            else:
                _conflict(row, TXT_BOTH_CHANGED)
        else:
            row.direction = dl if dl is not None else dr  # type: ignore[assignment]

    return decide


def moves14(pairs: list[tuple[Row, Row]], ch: Changes) -> None:
    """14.10: a detected move is an ``update`` on each side whose name changed (``Row.moved``); the side
    that kept its name did not change. One side changed: its Update direction; both: as two-way."""
    for left_only, right_only in pairs:
        dl = ch.left_update.value if left_only.moved else None
        dr = ch.right_update.value if right_only.moved else None
        if dl is not None and dr is not None and dl != dr:
            for row in (left_only, right_only):
                row.move = None
                _conflict(row, TXT_BOTH_CHANGED)
            continue
        direction = dl if dl is not None else (dr if dr is not None else N)
        for row in (left_only, right_only):
            row.direction = direction
