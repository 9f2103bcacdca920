"""plan against the real FreeFileSync 14.10 (``FFS14_COMMAND``): move detection in ``<Changes>``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from plan_harness import T0, UPDATE_CHANGES, apply, ops, plan_of, put, snapshot, sync14, write_job23

pytestmark = [pytest.mark.ffs, pytest.mark.slow]


def test_update_changes_follows_a_rename_on_the_source(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "data/a.jsonl", "rows", T0)
    put(L, "data/keep.txt", "k", T0)
    put(L, "notes.md", "n", T0)
    R.mkdir()
    job = write_job23(tmp_path, UPDATE_CHANGES)
    assert sync14(job, tmp_path) == 1  # "Database file is not available" + creations
    os.rename(L / "data" / "a.jsonl", L / "data" / "b.jsonl")
    os.makedirs(L / "moved")
    os.rename(L / "notes.md", L / "moved" / "notes.md")
    put(R, "gpu_only.txt", "results", T0)
    plan = plan_of(job, "14")
    assert ops(plan) == [("create-right", "moved/"), ("move-right", "data/a.jsonl -> data/b.jsonl"),
                         ("move-right", "notes.md -> moved/notes.md")]
    expected = apply(plan.to_json()["pairs"][0], snapshot(L), snapshot(R))
    assert sync14(job, tmp_path) == 0
    assert (snapshot(L), snapshot(R)) == expected
