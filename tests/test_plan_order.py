"""FreeFileSync's order inside the copy pass, which decides what an aborting run has done (ffs_tools/plan/order.py).

No FreeFileSync here: the plans are pinned; tests/test_plan_real_ffs12.py and tests/test_plan_oracle.py
check the same order against the real 12.0 and 14.10.
"""

from __future__ import annotations

from pathlib import Path

from plan_harness import T0, ops, plan_of, put, write_job

from ffs_tools.plan.compare import Row
from ffs_tools.plan.order import pass_order


def _folder(name: str, *children: Row) -> Row:
    row = Row("folder", name, name, object(), object())
    row.children = list(children)
    return row


def _file(name: str) -> Row:
    return Row("file", name, name, object(), object())


def test_a_created_folder_queues_its_level_behind_every_level_already_waiting() -> None:
    x, clash = _file("x"), _folder("clash")
    new, er = _folder("new", x), _folder("er", clash)
    deep, top = _folder("deep", er), _file("top")
    rows = [deep, new, top]
    items = {id(new), id(clash), id(x), id(top)}
    busy = {id(deep), id(er), id(new), id(clash)}
    seq = pass_order(rows, lambda r: id(r) in items, busy)
    order = sorted(seq, key=seq.__getitem__)
    # root bucket: the folder being created, then the file; deep/ and deep/er/ are entered at once
    # (nothing to do for them), new/'s level only when new/ is created: behind deep/er/'s bucket
    assert order == [id(new), id(top), id(clash), id(x)]


def test_a_folder_without_an_item_is_entered_at_once_level_by_level() -> None:
    a1, b1 = _file("a1"), _file("b1")
    a, b = _folder("a", a1), _folder("b", b1)
    seq = pass_order([a, b], lambda r: r.kind == "file", {id(a), id(b)})
    assert sorted(seq, key=seq.__getitem__) == [id(a1), id(b1)]


def test_abort_keeps_only_what_precedes_the_clash_in_the_copy_pass(tmp_path: Path) -> None:
    # seed 6039 of the oracle in small: new/ is created before the failing deep/er/clash/, new/x.txt is not
    left, right = tmp_path / "L", tmp_path / "R"
    put(left, "new/x.txt", "new", T0)
    put(left, "deep/er/clash", "a file", T0)
    put(right, "deep/er/clash/inner.txt", "in a folder", T0)
    put(left, "top.txt", "t", T0)
    job = write_job(tmp_path, "TwoWay", ignore=False, dialog="Cancel")
    for version in ("12", "14"):
        plan = plan_of(job, version)
        assert (plan.stops, plan.aborts) == (False, True)
        assert ops(plan) == [("create-right", "top.txt"), ("create-right", "new/")]
