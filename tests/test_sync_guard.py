"""sync's guards and its verification, on plans built by hand (the plan engine is tested on its own)."""

from __future__ import annotations

from ffs_tools.plan.model import Action, Conflict, PairPlan, Plan, PlanWarning
from ffs_tools.sync.guard import at_risk, check
from ffs_tools.sync.report import refusal_lines
from ffs_tools.sync.verify import verify

SIGNIFICANT = ("The following folders are significantly different. Please check that the correct folders are "
               "selected for synchronization.")
CONFLICTS = "The following items have unresolved conflicts and will not be synchronized:"


def pair(*actions: Action, conflicts: tuple[Conflict, ...] = (), warnings: tuple[PlanWarning, ...] = (),
         index: int = 1) -> PairPlan:
    return PairPlan(index, "/home/me/proj", "/mnt/gpu/proj", actions, conflicts, warnings)


def deletes(n: int) -> tuple[Action, ...]:
    return tuple(Action("delete-right", f"src/f{i:03}.py", "file") for i in range(n))


def test_deletions_and_data_losing_overwrites_count_creates_and_plain_updates_do_not() -> None:
    plan = Plan((pair(Action("delete-right", "a.py", "file"),
                      Action("update-left", "b.py", "file", size=3, loses_data=True),
                      Action("update-right", "c.py", "file", size=3),
                      Action("create-left", "results/x.pt", "file", size=9),
                      Action("move-right", "d.py", "file", from_path="e.py")),))
    assert [(r.action.op, r.action.path) for r in at_risk(plan)] == [("delete-right", "a.py"),
                                                                     ("update-left", "b.py")]
    assert check(plan, 2, False) is None
    refusal = check(plan, 1, False)
    assert refusal is not None
    assert refusal_lines(refusal) == [
        "refused, nothing was run:",
        "  2 deletions and data-losing overwrites exceed --max-delete 1 (policy: [sync] max_delete)",
        "what would be deleted or overwritten (2):",
        "  delete right: a.py  (pair 1, /mnt/gpu/proj)",
        "  overwrite left: b.py  (pair 1, /home/me/proj)",
    ]


def test_max_delete_is_a_limit_not_a_threshold_and_minus_one_is_no_limit() -> None:
    plan = Plan((pair(*deletes(80)),))
    assert check(plan, 80, False) is None
    refused = check(plan, 79, False)
    assert refused is not None
    assert len(refused.at_risk) == 80
    assert check(plan, -1, False) is None
    assert check(Plan((pair(),)), 0, False) is None


def test_a_gpu_env_that_would_travel_is_refused_whatever_the_limit() -> None:
    warning = PlanWarning("gpu-env-travels", "tools/py311/ is a virtualenv (pyvenv.cfg) on the GPU side and "
                          "would be copied to the local machine", "tools/py311/")
    other = PlanWarning("deletes-gpu-only", "deletes results/a.pt, which exists only on the GPU side")
    refusal = check(Plan((pair(warnings=(warning, other)),)), -1, False)
    assert refusal is not None
    assert refusal.reasons == ("pair 1: tools/py311/ is a virtualenv (pyvenv.cfg) on the GPU side and would be "
                               "copied to the local machine",)
    assert refusal.at_risk == ()
    assert check(Plan((pair(warnings=(other,)),)), -1, False) is None


def test_a_plan_that_stops_is_refused_unless_only_a_switched_off_warning_stops_it() -> None:
    missing = Plan((pair(),), stops=True, stop_reason="The following folders do not yet exist: /mnt/gpu/proj")
    refusal = check(missing, 50, False)
    assert refusal is not None
    assert refusal.reasons == ("FreeFileSync would stop before syncing: The following folders do not yet exist: "
                               "/mnt/gpu/proj",)
    assert check(Plan((pair(),), stops=True, stop_reason=SIGNIFICANT), 50, False) is None
    conflict = Conflict("configs/a.yaml", "Both sides have changed since last synchronization.")
    stopped = Plan((pair(conflicts=(conflict,)),), stops=True, stop_reason=CONFLICTS + " configs/a.yaml")
    assert check(stopped, 50, False) is None
    refusal = check(stopped, 50, True)
    assert refusal is not None
    assert refusal.reasons == (f"FreeFileSync would stop before syncing: {CONFLICTS} configs/a.yaml",
                               "1 conflict(s) and --stop-on-conflict: resolve them first")


def test_the_engine_notes_say_which_warnings_stop_the_run() -> None:
    conflict = Conflict("configs/a.yaml", "Both sides have changed since last synchronization.")
    notes = ("the run stops before syncing: the actions listed are not carried out",
             f"pair 1: {CONFLICTS} 1 item(s), e.g. configs/a.yaml",
             f"pair 2: {SIGNIFICANT} /home/me/proj/m <-> /mnt/gpu/proj/m",
             "pair 3: The following folders do not yet exist: /mnt/gpu/proj/d")
    plan = Plan((pair(conflicts=(conflict,)),), stops=True,
                stop_reason=f"FreeFileSync stops before syncing (exit 3): {notes[1]}", notes=notes)
    refusal = check(plan, 50, False)
    assert refusal is not None
    assert refusal.reasons == ("FreeFileSync would stop before syncing: pair 3: The following folders do not yet "
                               "exist: /mnt/gpu/proj/d",)
    harmless = Plan(plan.pairs, True, plan.stop_reason, notes=notes[:3])
    assert check(harmless, 50, False) is None
    refusal = check(harmless, 50, True)
    assert refusal is not None
    assert refusal.reasons == (f"FreeFileSync would stop before syncing: {notes[1]}",
                               "1 conflict(s) and --stop-on-conflict: resolve them first")


def test_verification_keeps_known_conflicts_and_reports_everything_else() -> None:
    conflict = Conflict("configs/a.yaml", "Both sides have changed since last synchronization.")
    before = Plan((pair(Action("create-left", "results/r.pt", "file"), conflicts=(conflict,)),))
    clean = verify(before, Plan((pair(conflicts=(conflict,)),)))
    assert clean.clean
    assert clean.conflicts_left == ((1, conflict),)
    late = Action("create-right", "results/late.pt", "file")
    new_conflict = Conflict("src/b.py", "Both sides have changed since last synchronization.")
    result = verify(before, Plan((pair(late, conflicts=(conflict, new_conflict)),),
                                 stops=True, stop_reason=CONFLICTS))
    assert [(d.pair, d.text) for d in result.differences] == [
        (1, "create-right results/late.pt"),
        (1, "new conflict src/b.py: Both sides have changed since last synchronization."),
    ]
    moved = verify(Plan((pair(),)), Plan((pair(Action("move-left", "b.txt", "file", from_path="a.txt")),)))
    assert [d.text for d in moved.differences] == ["move-left b.txt (from a.txt)"]
