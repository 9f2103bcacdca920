"""From rows with directions to the ordered actions and conflicts of one pair (docs/comparison-and-sync.md 8-9).

Operations are FreeFileSync's (``getIsolatedSyncOperation``, ``FolderPair::getSyncOperation``): a
one-sided folder is created when a child is created on its empty side, and its deletion is cancelled
when a child stays. Order, as FreeFileSync's three passes: moves (with the folders their targets
need), deletions (contents before their folder), then creations (a folder before its contents),
overwrites and renames (deepest first, so that paths above stay valid). The actions are listed in
that order; where a run that aborts stops is decided by FreeFileSync's exact order inside each pass
(``ffs_tools/plan/order.py``).

One thing FreeFileSync does not predict: creating an item where the other side holds an item of
another type with the same name fails at sync time (two errors, nothing changed). Such items are
reported as conflicts here, with their whole subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ffs_tools.plan import compare as c
from ffs_tools.plan import order
from ffs_tools.plan.compare import Row
from ffs_tools.plan.model import Action, Conflict, Kind

L, R, N = "left", "right", "none"
TWO_SIDED_UPDATE = (c.LEFT_NEWER, c.RIGHT_NEWER, c.DIFFERENT, c.TIME_INVALID, c.CONFLICT)
TXT_CLASH = ("ffs-tools: an item of another type named {name!r} is on the {side} side; FreeFileSync "
             "reports an error for this item and changes nothing here")


Key = tuple[int, int]  # (FreeFileSync's pass, position in its walk): the order it carries actions out in


@dataclass
class PairResult:
    actions: list[Action] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    order: list[Key] = field(default_factory=list)  # aligned with ``actions``
    #: items FreeFileSync will fail on at sync time (name clashes): their keys and the side they create on
    failures: list[tuple[Key, str]] = field(default_factory=list)

    def before(self, key: Key) -> list[Action]:
        """The actions FreeFileSync carries out before the item at ``key`` (a run that aborts there)."""
        return [a for a, k in zip(self.actions, self.order, strict=True) if k < key]


def isolated_op(row: Row) -> str:
    """``getIsolatedSyncOperation``: e.g. ``create-right``, ``delete-left``, ``update-right``, ``rename-left``,
    ``conflict``, ``""`` (nothing)."""
    if not row.active:
        return ""
    if row.conflict is not None:
        return "conflict"
    d = row.direction
    if d == N or row.cat == c.EQUAL:
        return ""
    has_l, has_r = row.left is not None, row.right is not None
    if not (has_l and has_r):
        exists = L if has_l else R
        return f"delete-{d}" if d == exists else f"create-{d}"
    if row.cat in (c.METADATA, c.RENAMED):
        return f"rename-{d}"
    if row.cat in TWO_SIDED_UPDATE and row.kind != "folder":
        return f"update-{d}"
    return ""


def assign_ops(rows: list[Row], busy: set[int] | None = None) -> dict[int, str]:
    """The operation of every row (id(row) -> op), children first so folders can follow them.

    ``busy`` receives the folders with an operation somewhere in or below them: the rest of the tree
    (usually nearly all of it) needs no further look.
    """
    ops: dict[int, str] = {}
    marks = busy if busy is not None else set()

    def visit(row: Row) -> str:
        child_ops = [visit(ch) for ch in row.children]
        op = isolated_op(row)
        if row.kind == "folder" and op in ("", "conflict", "delete-left", "delete-right"):
            op = _folder_op(row, op, child_ops)
        ops[id(row)] = op
        if row.kind == "folder" and (op or any(child_ops) or any(id(ch) in marks for ch in row.children)):
            marks.add(id(row))
        return op

    for row in rows:
        visit(row)
    _apply_moves(rows, ops)
    return ops


def _folder_op(row: Row, op: str, child_ops: list[str]) -> str:
    for side in (L, R):
        if (row.left if side == L else row.right) is None:
            if any(o in (f"create-{side}", f"move-to-{side}") for o in child_ops):
                return f"create-{side}"
            other = R if side == L else L
            if op == f"delete-{other}" and any(o not in (f"delete-{other}", f"move-from-{other}")
                                               for o, ch in zip(child_ops, row.children, strict=True)
                                               if not (ch.left is None and ch.right is None)):
                return ""
    return op


def _apply_moves(rows: list[Row], ops: dict[int, str]) -> None:
    def visit(row: Row) -> None:
        partner = row.move
        if partner is not None and row.cat == c.LEFT_ONLY:
            a, b = ops.get(id(row), ""), ops.get(id(partner), "")
            for side in (L, R):
                if {a, b} == {f"create-{side}", f"delete-{side}"}:
                    ops[id(row) if a.startswith("create") else id(partner)] = f"move-to-{side}"
                    ops[id(partner) if a.startswith("create") else id(row)] = f"move-from-{side}"

    c.walk(rows, visit)


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


Keyed = list[tuple[Action, Key]]


@dataclass
class _Ctx:
    ops: dict[int, str]
    version: str
    busy: set[int] = field(default_factory=set)  # folders with an operation in or below them
    rel: dict[tuple[int, str], str] = field(default_factory=dict)  # (id(row), side) -> relative path
    seq: dict[int, int] = field(default_factory=dict)  # id(row) -> position in FreeFileSync's walk (moves)
    seq1: dict[int, int] = field(default_factory=dict)  # id(row) -> position in the deletion pass
    seq2: dict[int, int] = field(default_factory=dict)  # id(row) -> position in the copy pass (order.pass_order)
    result: PairResult = field(default_factory=PairResult)
    moves: Keyed = field(default_factory=list)
    move_folders: Keyed = field(default_factory=list)
    deletes: Keyed = field(default_factory=list)
    creates: Keyed = field(default_factory=list)
    renames: Keyed = field(default_factory=list)


def build(rows: list[Row], version: str) -> PairResult:
    """The ordered actions and the conflicts of one pair's rows (directions already set)."""
    busy: set[int] = set()
    ctx = _Ctx(assign_ops(rows, busy), version, busy)
    _paths(rows, "", "", ctx)
    _walk_order(rows, ctx)
    _pass_orders(rows, ctx)
    _clashes(rows, ctx)
    _emit(rows, ctx)
    res = ctx.result
    keyed = ctx.move_folders + ctx.moves + ctx.deletes + ctx.creates + ctx.renames[::-1]
    res.actions = [a for a, _ in keyed]
    res.order = [k for _, k in keyed]
    return res


def _paths(rows: list[Row], parent_l: str, parent_r: str, ctx: _Ctx) -> None:
    for row in rows:
        pl = _join(parent_l, row.name_l if row.name_l is not None else row.name)
        pr = _join(parent_r, row.name_r if row.name_r is not None else row.name)
        ctx.rel[(id(row), L)], ctx.rel[(id(row), R)] = pl, pr
        if row.children and id(row) in ctx.busy:
            _paths(row.children, pl, pr, ctx)


def _walk_order(rows: list[Row], ctx: _Ctx) -> None:
    """The order of the move pass: level by level; in a level the folders (each queues its own level), then the
    files and links. (The deletion and copy passes: ``_pass_orders``.)"""
    levels = [rows]
    n = 0
    while levels:
        level = levels.pop(0)
        for row in level:
            if row.kind == "folder":
                ctx.seq[id(row)] = n
                n += 1
                if id(row) in ctx.busy:
                    levels.append(row.children)
        for row in level:
            if row.kind != "folder":
                ctx.seq[id(row)] = n
                n += 1


def _pass_orders(rows: list[Row], ctx: _Ctx) -> None:
    """FreeFileSync's exact order in the deletion and the copy pass, before clashes turn items into conflicts."""
    ctx.seq1, ctx.seq2 = order.pass_orders(rows, ctx.ops, ctx.busy, lambda row: _holds_move_target(row, ctx))


def _clashes(rows: list[Row], ctx: _Ctx) -> None:
    """Creations and renames onto a name held on that side by another item that stays: errors in FreeFileSync."""
    creating = ("create-", "move-to-", "rename-")
    for side in (L, R) if any(ctx.ops[id(row)].startswith(creating) for row in rows) else ():
        held: dict[str, Row] = {}
        for row in rows:
            name = row.name_l if side == L else row.name_r
            if name is not None and ctx.ops[id(row)] not in (f"delete-{side}", f"move-from-{side}"):
                held[name] = row
        for row in rows:
            op = ctx.ops[id(row)]
            if op in (f"create-{side}", f"move-to-{side}"):
                other = held.get(row.name)
                if other is not None and other is not row and other.kind != row.kind:
                    _fail_subtree(row, TXT_CLASH.format(name=row.name, side=side), side, ctx)
            elif op == f"rename-{side}":
                target = row.name_r if side == L else row.name_l
                other = held.get(target or "")
                if other is not None and other is not row:
                    _fail_subtree(row, TXT_CLASH.format(name=target, side=side), side, ctx)
    for row in rows:
        if row.children and id(row) in ctx.busy:
            _clashes(row.children, ctx)


def _fail_subtree(row: Row, reason: str, side: str, ctx: _Ctx) -> None:
    ctx.result.failures.append(((2, ctx.seq2.get(id(row), ctx.seq[id(row)])), side))

    def fail(r: Row) -> None:
        op = ctx.ops[id(r)]
        if op.startswith(("create", "move-to", "rename")):
            if r.move is not None:
                ctx.ops[id(r.move)] = ""
            r.conflict = r.conflict or reason
            ctx.ops[id(r)] = "conflict"

    c.walk([row], fail)


def _kind(row: Row) -> Kind:
    return "folder" if row.kind == "folder" else ("symlink" if row.kind == "symlink" else "file")


def _emit(rows: list[Row], ctx: _Ctx) -> None:
    for row in rows:
        op = ctx.ops[id(row)]
        kind = _kind(row)
        tail = "/" if kind == "folder" else ""
        key = ctx.seq.get(id(row), 0)  # the move pass
        if op == "conflict":
            path = ctx.rel[(id(row), L if row.left is not None else R)]
            ctx.result.conflicts.append(Conflict(path + tail, row.conflict or "", kind))
        elif op.startswith("create-"):
            side = op[7:]
            src = row.left if side == R else row.right
            action = Action(op, ctx.rel[(id(row), side)] + tail, kind, size=_size(src))  # type: ignore[arg-type]
            if kind == "folder" and _holds_move_target(row, ctx):
                ctx.move_folders.append((action, (0, key)))
            else:
                ctx.creates.append((action, (2, ctx.seq2[id(row)])))
        elif op.startswith("move-to-"):
            side = op[8:]
            partner = row.move
            assert partner is not None
            ctx.moves.append((Action(f"move-{side}", ctx.rel[(id(row), side)], kind,  # type: ignore[arg-type]
                                     from_path=ctx.rel[(id(partner), side)]), (0, key)))
        elif op.startswith(("update-", "rename-")):
            _emit_update(row, op, kind, tail, ctx)
        if row.children and id(row) in ctx.busy:
            _emit(row.children, ctx)
        if op.startswith("delete-"):  # after its contents
            item = row.left if op.endswith(L) else row.right
            ctx.deletes.append((Action(op, ctx.rel[(id(row), op[7:])] + tail, kind,  # type: ignore[arg-type]
                                       loses_data=kind != "folder" and item is not None), (1, ctx.seq1[id(row)])))


def _emit_update(row: Row, op: str, kind: Kind, tail: str, ctx: _Ctx) -> None:
    verb, side = op.split("-")
    src, dst = (row.left, row.right) if side == R else (row.right, row.left)
    new_path = _join(ctx.rel[(id(row), side)].rpartition("/")[0], (row.name_l if side == R else row.name_r) or "")
    old_path = ctx.rel[(id(row), side)]
    if verb == "rename":
        ctx.renames.append((Action(f"move-{side}", new_path + tail, kind,  # type: ignore[arg-type]
                                   from_path=old_path + tail), (2, ctx.seq2[id(row)])))
        return
    loses = dst is not None and src is not None and getattr(dst, "mtime", 0) >= getattr(src, "mtime", 0)
    smaller = _size(src) < _size(dst)  # FreeFileSync overwrites with a smaller file in the deletion pass
    key = (1, ctx.seq1[id(row)]) if smaller else (2, ctx.seq2[id(row)])
    ctx.creates.append((Action(op, old_path, kind, size=_size(src), loses_data=loses),  # type: ignore[arg-type]
                        key))
    if new_path != old_path:  # FreeFileSync gives the overwritten item the source's name
        ctx.renames.append((Action(f"move-{side}", new_path, kind, from_path=old_path),  # type: ignore[arg-type]
                            key))


def _size(item: object) -> int:
    return int(getattr(item, "size", 0) or 0)


def _holds_move_target(row: Row, ctx: _Ctx) -> bool:
    found = False

    def check(r: Row) -> None:
        nonlocal found
        found = found or ctx.ops[id(r)].startswith("move-to")

    c.walk(row.children, check)
    return found
