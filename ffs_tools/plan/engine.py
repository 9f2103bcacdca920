"""``plan``: scan, compare, set directions and order the actions of every folder pair of a job.

Which logic applies (docs/comparison-and-sync.md 5-6): FreeFileSync 12.0 knows Mirror, Update and
Custom (directions from the comparison) and Two way (directions from the database, first-run
defaults without one), with move detection through the database for Two way and, with
``DetectMovedFiles``, for Mirror and one-directional Custom; 14.10 knows ``<Differences>`` and
``<Changes>`` (database, moves). The database is read only for pairs where both base folders exist
and something differs; it is never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ffs_tools.errors import UserError
from ffs_tools.ffs import model as m
from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.filtering.pairs import pair_filter
from ffs_tools.plan import actions as act
from ffs_tools.plan import checks, directions, moves
from ffs_tools.plan.compare import EQUAL, Comparer, CompareSettings, Row, parse_shifts
from ffs_tools.plan.database import DatabaseError, DbFolder
from ffs_tools.plan.listing import Folder, ScanError
from ffs_tools.plan.model import Conflict, PairPlan, Plan, PlanWarning
from ffs_tools.plan.sides import Side, load_database, open_side, scan_pair
from ffs_tools.remote.sftp import Connections, connections

TXT_FIRST_RUN12 = "Setting directions for first synchronization: Old files will be overwritten with newer files."
TXT_FIRST_RUN14 = "Database file is not available: Setting default directions for synchronization."


@dataclass
class PairOutcome:
    plan: PairPlan
    ffs_warnings: list[str] = field(default_factory=list)  # FreeFileSync warnings/errors (stop a Cancel job)
    counts: checks.Counts = field(default_factory=checks.Counts)
    result: act.PairResult = field(default_factory=act.PairResult)


def plan_job(job: m.SyncJob, version: str, only: int | None = None, tolerance: int = 2) -> Plan:
    """The plan of ``job`` as FreeFileSync ``version`` ("12" or "14") would run it (``sftp://`` sides logged in
    to once per server for the whole job)."""
    with connections() as pool:
        outcomes = [plan_pair(job, i, version, tolerance, pool) for i in range(len(job.pairs))
                    if only is None or i + 1 == only]
    mode = checks.stop_mode(job)
    stops, reason = False, None
    notes: list[str] = []
    for o in outcomes:
        notes.extend(f"pair {o.plan.index}: {w}" for w in o.ffs_warnings)
    if mode is not None and notes:
        stops = True
        how = "stops before syncing (exit 3)" if mode == "stops" else "waits for a click before syncing"
        reason = f"FreeFileSync {how}: {notes[0]}"
    pairs = [o.plan for o in outcomes]
    if stops:  # nothing changes; the plan still shows what the run would have done
        notes.insert(0, "the run stops before syncing: the actions listed are not carried out")
    aborts = not stops and mode is not None and _abort_at_first_error(outcomes, pairs, mode, notes)
    return Plan(tuple(pairs), stops, reason, version, tuple(notes), aborts)


def _abort_at_first_error(outcomes: list[PairOutcome], pairs: list[PairPlan], mode: str, notes: list[str]) -> bool:
    """Without ``Errors Ignore`` the first error at sync time (a name clash) ends the run there: the actions
    FreeFileSync carries out before it happen, the rest (and later pairs) do not."""
    for n, o in enumerate(outcomes):
        if not o.result.failures:
            continue
        key = min(k for k, _ in o.result.failures)
        done = tuple(o.result.before(key))
        how = "aborts (exit 3)" if mode == "stops" else "waits for a click"
        notes.append(f"pair {o.plan.index}: FreeFileSync {how} at the first error (a name clash): "
                     f"{len(o.plan.actions) - len(done)} of its actions and the later pairs are not carried out")
        pairs[n] = replace(pairs[n], actions=done)
        for later in range(n + 1, len(pairs)):
            pairs[later] = replace(pairs[later], actions=())
        return True
    return False


def plan_pair(job: m.SyncJob, i: int, version: str, tolerance: int = 2, pool: Connections | None = None) -> PairOutcome:
    if pool is None:
        with connections() as own:
            return plan_pair(job, i, version, tolerance, own)
    pair = job.pairs[i]
    index = i + 1
    left, right = open_side(pair.left, index, "left", pool), open_side(pair.right, index, "right", pool)
    cmp_cfg, sync = job.pair_compare(i), job.pair_sync(i)
    semantics = Semantics.FFS12 if version == "12" else Semantics.FFS14
    flt = pair_filter(job, i, semantics)
    ffs: list[str] = []
    warnings: list[PlanWarning] = []
    if any(f is not None and f.has_soft_filter for f in (job.filter, pair.filter)):
        warnings.append(PlanWarning("soft-filter", "size and time filters are not modelled by plan: the items "
                                    "they exclude are planned as if included"))
    trees = _scan(left, right, flt, cmp_cfg.symlinks, warnings, ffs)
    cmp = CompareSettings(cmp_cfg.variant, version, tolerance, parse_shifts(cmp_cfg.ignore_time_shift))
    comparer = Comparer(cmp, left.root, right.root, (left.reader, right.reader), (left.shown, right.shown))
    rows = comparer.compare(trees[0], trees[1])
    n_rows = comparer.rows
    if _all_equal(rows):
        return PairOutcome(PairPlan(index, left.shown, right.shown, (), (), tuple(warnings)), ffs,
                           checks.Counts(rows=n_rows))
    both_exist = trees[0] is not None and trees[1] is not None
    saves_db = _set_directions(rows, sync, version, cmp, left, right, both_exist, warnings, ffs)
    result = act.build(rows, version)
    ffs_conflicts = [x for x in result.conflicts if not x.reason.startswith("ffs-tools:")]
    counts = checks.counts(result.actions, len(ffs_conflicts), n_rows, [side for _, side in result.failures])
    _ffs_checks(counts, ffs_conflicts, result, sync, version, saves_db, left, right, ffs)
    warnings.extend(checks.gpu_warnings(rows, result.actions))
    plan = PairPlan(index, left.shown, right.shown, tuple(result.actions), tuple(result.conflicts), tuple(warnings))
    return PairOutcome(plan, ffs, counts, result)


def _scan(left: Side, right: Side, flt: PathFilter, symlinks: m.SymlinkHandling, warnings: list[PlanWarning],
          ffs: list[str]) -> list[Folder | None]:
    """Both sides at once; a missing base folder is FreeFileSync's "do not yet exist" warning and scans empty."""
    exists = [left.exists(), right.exists()]
    for base, ok in zip((left, right), exists, strict=True):
        if not ok:
            ffs.append(f"{checks.TXT_NOT_EXISTING} {base.shown}")
    present = [s for s, ok in zip((left, right), exists, strict=True) if ok]
    errors: list[list[ScanError]] = [[] for _ in present]
    scanned = iter(scan_pair(present, flt, symlinks, errors))
    trees: list[Folder | None] = [next(scanned) if ok else None for ok in exists]
    sides = [s for s, ok in zip(("left", "right"), exists, strict=True) if ok]
    for side, errs in zip(sides, errors, strict=True):
        for err in errs[:20]:
            warnings.append(PlanWarning("scan-error", f"{side}: cannot read {err.path or '.'}: {err.message}",
                                        err.path))
    return trees


def _ffs_checks(n: checks.Counts, conflicts: list[Conflict], result: act.PairResult, sync: m.SyncConfig,
                version: str, saves_db: bool, left: Side, right: Side, ffs: list[str]) -> None:
    """FreeFileSync's warnings before syncing (name clashes are errors during the sync, not conflicts to it)."""
    has_work = bool(result.actions) or bool(result.failures) or saves_db
    if conflicts and (version == "12" or has_work):  # 14.10 skips a pair with nothing to do first
        ffs.append(f"{checks.TXT_CONFLICTS} {len(conflicts)} item(s), e.g. {conflicts[0].path}")
    if not has_work:
        return
    if checks.significant_difference(n):
        ffs.append(f"{checks.TXT_SIGNIFICANT} {left.shown} <-> {right.shown}")
    if sync.deletion_policy == m.DeletionPolicy.RECYCLE_BIN:
        for name, base in (("left", left), ("right", right)):
            if any(a.side == name and a.verb in ("delete", "update") and not a.path.endswith(".ffs_tmp")
                   for a in result.actions) and not base.has_trash():
                ffs.append(checks.TXT_RECYCLER.format(base.shown))


def _set_directions(rows: list[Row], sync: m.SyncConfig, version: str, cmp: CompareSettings, left: Side,
                    right: Side, both_exist: bool, warnings: list[PlanWarning], ffs: list[str]) -> bool:
    """Set every row's direction; returns whether FreeFileSync saves a database for this pair."""
    d = sync.directions
    judge = directions.DbJudge(cmp)
    if version == "12":
        two_way = d == m.TWO_WAY
        if isinstance(d, m.Changes) and not two_way and d not in (m.MIRROR_MOVES, m.UPDATE):
            raise UserError("these <Changes> directions have no FreeFileSync 12 equivalent (use --ffs-version 14)")
        diff = m.UPDATE_LEGACY if d == m.UPDATE else (m.MIRROR if d == m.MIRROR_MOVES else d)
        detect = two_way or d == m.MIRROR_MOVES or (
            isinstance(d, m.Differences) and sync.detect_moved_files and d.left_only == d.right_only != m.N)
        db = _load_db(left, right, both_exist, warnings, ffs) if detect else None
        if two_way and db is None:
            warnings.append(PlanWarning("first-run", TXT_FIRST_RUN12))
        if two_way and db is not None:
            directions.by_database(rows, db, judge, directions.two_way12(judge), v14=False)
        elif two_way:
            directions.by_table12(rows, directions.TWO_WAY_FIRST_RUN)
        else:
            assert isinstance(diff, m.Differences)
            directions.by_table12(rows, directions.table12(diff, update_preset=diff == m.UPDATE_LEGACY))
        if db is not None:
            moves.detect(rows, db, judge)
        return detect
    if isinstance(d, m.Differences):
        directions.by_differences14(rows, d)
        return False
    db = _load_db(left, right, both_exist, warnings, ffs)
    if db is None:
        warnings.append(PlanWarning("first-run", TXT_FIRST_RUN14))
        directions.by_differences14(rows, directions.differences_of(d))
        return True
    pairs = moves.detect(rows, db, judge)
    directions.by_database(rows, db, judge, directions.changes14(judge, d), v14=True)
    directions.moves14(pairs, d)
    return True


def _load_db(left: Side, right: Side, both_exist: bool, warnings: list[PlanWarning],
             ffs: list[str]) -> DbFolder | None:
    if not both_exist:
        return None
    try:
        return load_database(left, right)
    except DatabaseError as exc:
        text = f"{exc.message} {exc.detail}".strip()
        warnings.append(PlanWarning("database", text))
        ffs.append(text)
        return None


def _all_equal(rows: list[Row]) -> bool:
    stack = list(rows)
    while stack:
        row = stack.pop()
        if row.cat != EQUAL:
            return False
        stack.extend(row.children)
    return True
