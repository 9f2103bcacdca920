"""plan against the real FreeFileSync 12.0: small histories, the plan's exact actions, then the real run.

Each test syncs once (the database), changes both sides with controlled modification times, asks
``plan``, pins what it says, runs the real FreeFileSync and checks that the trees it left are the
trees the plan's actions give (``plan_harness.check_prediction``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from plan_harness import T0, check_prediction, ops, put, sync, write_job

pytestmark = [pytest.mark.ffs, pytest.mark.slow]


def _base(tmp: Path) -> None:
    put(tmp / "L", "keep.txt", "keep", T0)
    put(tmp / "L", "edit.txt", "v1", T0)
    put(tmp / "L", "both.txt", "v1", T0)
    put(tmp / "L", "gone_l.txt", "g", T0)
    put(tmp / "L", "gone_r.txt", "g", T0)
    put(tmp / "L", "dir/a.txt", "a", T0)
    put(tmp / "L", "ren.txt", "rename me", T0)
    (tmp / "R").mkdir()


def test_two_way_history(tmp_path: Path) -> None:
    _base(tmp_path)
    job = write_job(tmp_path, "TwoWay")
    first = sync(job, tmp_path)
    assert first.returncode == 1, first.log  # first-run warning
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "edit.txt", "v2 left", T0 + 100)
    put(L, "both.txt", "left", T0 + 100)
    put(R, "both.txt", "right!", T0 + 200)
    (L / "gone_l.txt").unlink()
    (R / "gone_r.txt").unlink()
    put(R, "new_r/x.txt", "x", T0 + 50)
    os.rename(L / "ren.txt", L / "renamed.txt")
    plan, run = check_prediction(job, tmp_path)
    assert ops(plan) == [("move-right", "ren.txt -> renamed.txt"), ("delete-left", "gone_r.txt"),
                         ("delete-right", "gone_l.txt"), ("update-right", "edit.txt"),
                         ("create-left", "new_r/"), ("create-left", "new_r/x.txt")]
    assert [(c.path, c.reason) for c in plan.conflicts] == [
        ("both.txt", "Both sides have changed since last synchronization.")]
    assert run.returncode == 1  # the conflict warning, logged
    assert not plan.stops


def test_mirror_first_run(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "a.txt", "a", T0)
    put(R, "a.txt", "old", T0 - 100)
    put(R, "only_r/y.txt", "y", T0)
    put(R, "same.txt", "123", T0 + 1)
    put(L, "same.txt", "1234", T0)
    job = write_job(tmp_path, "Mirror")
    plan, _ = check_prediction(job, tmp_path)
    assert ops(plan) == [("delete-right", "only_r/y.txt"), ("delete-right", "only_r/"),
                         ("update-right", "a.txt"), ("update-right", "same.txt")]
    assert not plan.conflicts
