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
    assert ops(plan) == [("move-right", "ren.txt -> renamed.txt"), ("delete-right", "gone_l.txt"),
                         ("delete-left", "gone_r.txt"), ("update-right", "edit.txt"),
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


def test_cancel_without_ignore_stops_on_a_conflict_and_changes_nothing(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "clash.txt", "12345", T0)
    put(R, "clash.txt", "123", T0 + 1)  # same date within 2 s, different size
    put(L, "new.txt", "n", T0)
    job = write_job(tmp_path, "TwoWay", ignore=False, dialog="Cancel")
    plan, run = check_prediction(job, tmp_path)
    assert plan.stops
    assert "unresolved conflicts" in str(plan.stop_reason)
    assert [(c.path, c.reason) for c in plan.conflicts] == [
        ("clash.txt", "Files have the same date but a different size.")]
    assert ops(plan) == [("create-right", "new.txt")]  # what would have happened
    assert run.returncode == 3


def test_significant_difference_is_predicted_and_only_logged_with_ignore(tmp_path: Path) -> None:
    L = tmp_path / "L"
    for i in range(20):
        put(L, f"f{i:02d}.txt", str(i), T0)
    (tmp_path / "R").mkdir()
    job = write_job(tmp_path, "TwoWay")
    assert sync(job, tmp_path).returncode == 1
    for i in range(11):
        (L / f"f{i:02d}.txt").unlink()
    plan, run = check_prediction(job, tmp_path)
    assert ops(plan) == [("delete-right", f"f{i:02d}.txt") for i in range(11)]
    assert all(a.loses_data for a in plan.actions)
    assert not plan.stops
    assert any("significantly different" in n for n in plan.notes)
    assert "significantly different" in run.log


def test_case_only_rename_file_vs_folder_and_leftovers_mirror(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "Case.txt", "same", T0)
    put(R, "case.txt", "same", T0)
    put(L, "x", "a file", T0)
    put(R, "x/inner.txt", "in a folder", T0)
    put(L, "junk.ffs_tmp", "leftover", T0)
    put(R, "sub/junk2.ffs_tmp", "leftover", T0)
    put(L, "sub/keep.txt", "k", T0)
    job = write_job(tmp_path, "Mirror")
    plan, run = check_prediction(job, tmp_path)
    assert ops(plan) == [("delete-left", "junk.ffs_tmp"), ("delete-right", "sub/junk2.ffs_tmp"),
                         ("delete-right", "x/inner.txt"), ("delete-right", "x/"), ("create-right", "x"),
                         ("create-right", "sub/keep.txt"), ("move-right", "case.txt -> Case.txt")]
    assert not plan.conflicts
    assert run.returncode == 0


def test_two_way_first_run_file_against_folder_is_a_clash(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "x", "a file", T0)
    put(R, "x/inner.txt", "in a folder", T0)
    put(L, "ok.txt", "fine", T0)
    job = write_job(tmp_path, "TwoWay")
    plan, run = check_prediction(job, tmp_path)
    assert ops(plan) == [("create-right", "ok.txt")]
    assert sorted((c.path, c.kind) for c in plan.conflicts) == [("x", "file"), ("x/", "folder"),
                                                              ("x/inner.txt", "file")]
    assert run.returncode == 2  # FreeFileSync's two errors


def test_corrupt_database_is_reported_with_ffs_text_and_first_run_directions(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "a.txt", "a", T0)
    put(L, "keep.txt", "k", T0)
    R.mkdir()
    job = write_job(tmp_path, "TwoWay")
    assert sync(job, tmp_path).returncode == 1
    db = bytearray((L / ".sync.ffs_db").read_bytes())
    db[20] ^= 0x10
    (L / ".sync.ffs_db").write_bytes(db)
    (R / "a.txt").unlink()  # with a usable database this deletion would reach the left side
    plan, run = check_prediction(job, tmp_path)
    assert ops(plan) == [("create-right", "a.txt")]
    warning = next(w for w in plan.pairs[0].warnings if w.code == "database")
    assert warning.message == (f'Cannot read database file "{L / ".sync.ffs_db"}". '
                               "File content is corrupted. (invalid checksum)")
    assert run.returncode == 2


def test_content_compare_and_update(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "same.bin", "abcd", T0)
    put(R, "same.bin", "abcd", T0 - 5000)
    put(L, "diff.bin", "abcd", T0)
    put(R, "diff.bin", "abce", T0 + 5000)
    put(R, "only_r.txt", "r", T0)
    job = write_job(tmp_path, "Update", compare="Content")
    plan, _ = check_prediction(job, tmp_path)
    assert ops(plan) == [("update-right", "diff.bin")]
    assert plan.actions[0].loses_data  # the right version is newer


def test_without_ignore_the_run_aborts_at_the_first_clash(tmp_path: Path) -> None:
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "x", "a file", T0)
    put(R, "x/inner.txt", "in a folder", T0)
    put(L, "old.txt", "longer text", T0)
    put(R, "old.txt", "short", T0 + 100)  # newer and smaller: overwritten in the deletion pass
    put(L, "new.txt", "n", T0)  # a creation after the failing folder in FreeFileSync's walk
    job = write_job(tmp_path, "TwoWay", ignore=False, dialog="Cancel")
    plan, run = check_prediction(job, tmp_path)
    assert (plan.stops, plan.aborts) == (False, True)
    assert ops(plan) == [("update-left", "old.txt")]
    assert any("aborts (exit 3) at the first error" in n for n in plan.notes)
    assert run.returncode == 3


def test_an_abort_leaves_the_content_of_a_folder_created_before_it_uncopied(tmp_path: Path) -> None:
    # new/ is created, then deep/er/clash/ fails; new/x.txt waits behind deep/er/'s level (comparison-and-sync.md 9)
    L, R = tmp_path / "L", tmp_path / "R"
    put(L, "new/x.txt", "new", T0)
    put(L, "deep/er/clash", "a file", T0)
    put(R, "deep/er/clash/inner.txt", "in a folder", T0)
    put(L, "top.txt", "t", T0)
    job = write_job(tmp_path, "TwoWay", ignore=False, dialog="Cancel")
    plan, run = check_prediction(job, tmp_path)
    assert (plan.stops, plan.aborts) == (False, True)
    assert ops(plan) == [("create-right", "top.txt"), ("create-right", "new/")]
    assert run.returncode == 3
    assert (R / "new").is_dir()
    assert not (R / "new" / "x.txt").exists()


def test_recycle_bin_unavailable_on_tmpfs_stops_a_cancel_job(tmp_path: Path) -> None:
    import shutil
    import tempfile

    from ffs_tools.plan.checks import trash_available

    if not Path("/dev/shm").is_dir() or trash_available("/dev/shm"):
        pytest.skip("needs /dev/shm on a tmpfs (GLib has no trash there)")
    work = Path(tempfile.mkdtemp(dir="/dev/shm", prefix="plan-test-"))
    try:
        put(work / "L", "a.txt", "a", T0)
        put(work / "R", "a.txt", "a", T0)
        put(work / "R", "extra.txt", "only on the right", T0)
        job = write_job(work, "Mirror", deletion="RecycleBin", ignore=False, dialog="Cancel")
        plan, run = check_prediction(job, work)
        assert plan.stops
        assert plan.stop_reason == (f'FreeFileSync stops before syncing (exit 3): pair 1: The recycle bin is not '
                                    f'available for "{work / "R"}".')
        assert ops(plan) == [("delete-right", "extra.txt")]
        assert run.returncode == 3
    finally:
        shutil.rmtree(work, ignore_errors=True)
