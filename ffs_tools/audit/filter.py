"""The exclusions ``audit-gpu`` asks about: ffs-tools' knowledge, or a sync config's filter.

Every filter question goes to :class:`ffs_tools.filtering.engine.PathFilter`. To keep
the walk at one set lookup per entry, :func:`name_sets` derives from the
engine's own masks the names an entry must have to be excluded at all (a
necessary condition: ``*/__pycache__/`` needs the name ``__pycache__``,
``*.pyc`` a name ending in ``.pyc``, ``\\data\\`` the name ``data``); the walk
hands the engine only those entries, and the engine's
:meth:`~ffs_tools.filtering.engine.PathFilter.explain` decides each one, parent folders,
include lists and anchoring included. Where no such condition can be told
from the name (a ``?`` in the name part, FreeFileSync 12.0 file masks), the
walk asks the engine about every entry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import Differences, Direction, FolderPair, SyncConfig, SyncJob
from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.ffs.phrases import PathKind, kind_of
from ffs_tools.filtering.engine import Decision, MaskKind, Origin, PathFilter, Semantics, semantics_of
from ffs_tools.filtering.pairs import pair_filter
from ffs_tools.remote.sftp import display


@dataclass(frozen=True)
class NameSets:
    """Normalised names and name endings an entry must have for the filter to exclude it, by entry kind."""

    dir_names: frozenset[str] = frozenset()
    dir_suffixes: tuple[str, ...] = ()
    file_names: frozenset[str] = frozenset()
    file_suffixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditFilter:
    """The filter of the audited (right-side) folder and where it came from."""

    flt: PathFilter
    #: "ffs-tools knowledge", "config <file> (pair N)" or "policy <file>"
    origin: str
    #: True for a sync config or a policy (FFS708 needs one)
    is_config: bool
    #: item text -> why (knowledge and policy items; a config's items are cited by their line instead)
    reasons: dict[str, str] = field(default_factory=dict)
    #: None: the filter cannot be judged from names, ask the engine about every entry
    names: NameSets | None = None
    #: the config file, for finding messages
    config_path: str = ""
    #: what the config's next run does to an item that exists only here (the right side)
    right_only: str = ""

    def excluded(self, rel: str, is_dir: bool) -> Decision | None:
        """The engine's decision when ``rel`` is kept off the sync by an exclude item (not one of
        FreeFileSync's built-in ``*.ffs_db``/``*.ffs_lock``), else ``None``."""
        d = self.flt.explain(rel, is_dir)
        if d.synced or d.reason not in ("excluded", "parent excluded") or d.mask is None:
            return None
        return None if d.mask.source.origin is Origin.BUILTIN else d

    def travels(self, rel: str, is_dir: bool) -> bool:
        """Whether FreeFileSync would sync ``rel`` (ancestors included in the decision)."""
        return self.flt.synced(rel, is_dir)


def knowledge_filter() -> AuditFilter:
    """ffs-tools' own every-depth exclusions (:func:`ffs_tools.ffs.never_travels.default_exclusions`)."""
    items = default_exclusions()
    flt = PathFilter.from_lists(["*"], [e.item for e in items])
    return AuditFilter(flt, "ffs-tools knowledge", False, {e.item: e.why for e in items}, name_sets(flt))


def config_filter(config: str, pair: int | None, audited: str, ffs_version: str | None) -> AuditFilter:
    """The filter of ``config`` (a .ffs_gui/.ffs_batch) for the pair whose right side is ``audited``."""
    from ffs_tools.xml import read
    loaded = read.load(config)
    job = loaded.config
    if not isinstance(job, SyncJob):
        raise UserError("not a sync config (expected .ffs_gui or .ffs_batch)", config)
    index = _pick_pair(job, pair, audited, config)
    semantics = _semantics(ffs_version, loaded.xml_format)
    flt = pair_filter(job, index, semantics, loaded.source)
    where = f"config {config} (pair {index + 1})" if index is not None else f"config {config}"
    sync = job.pair_sync(index) if index is not None else job.sync
    return AuditFilter(flt, where, True, {}, name_sets(flt), config, _right_only(sync))


def _right_only(sync: SyncConfig) -> str:
    """The consequence of the sync directions for an item that exists on the right side only."""
    d = sync.directions
    direction = d.right_only if isinstance(d, Differences) else d.right_create
    if direction is Direction.LEFT:
        return "the next run copies it to the local machine"
    if direction is Direction.RIGHT:
        return "the next run deletes it here (items only on this side are deleted)"
    return "the sync compares it and overwrites it if the local machine has one by that name"


def policy_filter(policy_file: str, audited: str, ffs_version: str | None) -> AuditFilter:
    """The exclusions an ffs-tools policy gives the GPU machine's folder: the filter ``generate``
    writes (ffs-tools' knowledge and ``exclude.extra``; the local scan's finds are not known here)
    and the directions of its main folder pair."""
    from pathlib import Path

    from ffs_tools.policy.envscan import ScanResult
    from ffs_tools.policy.jobs import build_jobs, exclusions, ffs_target
    from ffs_tools.policy.load import load_policy

    policy = load_policy(Path(policy_file))
    target = ffs_target(ffs_version or policy.ffs_version or "14")
    items = exclusions(policy, ScanResult(policy.local_path, False))
    jobs = build_jobs(policy, target, items, Path(policy_file).resolve().parent)
    matches = [js for js in jobs if _same_folder(js.batch.pairs[0], audited)]
    if len(jobs) > 1 and len(matches) != 1:
        raise UserError(f"the policy names {len(jobs)} GPU machines and {'none' if not matches else 'several'} "
                        "of their folders is the audited folder; audit with the generated config instead "
                        "(--config FILE)", policy_file)
    job = (matches or jobs)[0].batch
    # folder rules ([[folders]]) travel through pairs of their own: only the global filter applies
    flt = pair_filter(job, None, target.semantics)
    return AuditFilter(flt, f"policy {policy_file}", True, {e.item: e.why for e in items}, name_sets(flt),
                       policy_file, _right_only(job.sync))


def _semantics(version: str | None, xml_format: int | None) -> Semantics:
    try:
        return semantics_of(version, xml_format)
    except ValueError as exc:
        raise UserError(f"--ffs-version: {exc}") from None


def _pick_pair(job: SyncJob, pair: int | None, audited: str, config: str) -> int | None:
    """The 0-based pair to use: ``--pair N``, the only pair, or the one whose right side is ``audited``."""
    if pair is not None:
        if not 1 <= pair <= len(job.pairs):
            raise UserError(f"--pair {pair}: the config has {len(job.pairs)} folder pair(s)", config)
        return pair - 1
    if len(job.pairs) <= 1:
        return 0 if job.pairs else None
    matches = [i for i, p in enumerate(job.pairs) if _same_folder(p, audited)]
    if len(matches) == 1:
        return matches[0]
    raise UserError(f"the config has {len(job.pairs)} folder pairs and "
                    f"{'none' if not matches else 'several'} of their right sides is the audited folder; "
                    "choose one with --pair N", config)


def _same_folder(pair: FolderPair, audited: str) -> bool:
    """Whether the pair's right side names ``audited`` (the same path, or the same trailing folders
    for a remote phrase such as ``sftp://gpu/home/me/work``)."""
    if kind_of(audited) is PathKind.SFTP:  # audit-gpu sftp://...: the same server folder
        return kind_of(pair.right) is PathKind.SFTP and display(pair.right) == display(audited)
    right = pair.right.split("|", 1)[0].strip().replace("\\", "/").rstrip("/")  # sftp options after "|"
    if not right:
        return False
    here = os.path.realpath(audited).replace("\\", "/")
    if os.path.isabs(right) and os.path.realpath(right) == here:
        return True
    tail = right.split("://", 1)[-1].split("/")
    parts = here.split("/")
    n = min(len(tail) - 1, 2) if "://" in right else min(len(tail), 2)
    return n > 0 and parts[-n:] == tail[-n:]


def name_sets(flt: PathFilter) -> NameSets | None:
    """The names the filter's exclude masks can possibly exclude, by entry kind (see the module doc).

    For the topmost excluded item at path X (its parent folders all pass) a mask must match X itself,
    so X's last component must match what the mask's pattern ends with: the literal text after its
    last ``*`` (a name ending, or, when that text holds a ``/``, a whole name), or for a pattern
    without ``*`` its last component. ``None`` where that cannot be told from the name: a ``?`` in
    that part, or FreeFileSync 12.0 file masks (they also match a file's parent folders).
    """
    masks = [m for m in flt.exclude.masks if m.source.origin is not Origin.BUILTIN]
    if flt.semantics is Semantics.FFS12 and any(m.kind is MaskKind.FILE for m in masks):
        return None
    names: dict[MaskKind, set[str]] = {MaskKind.FILE: set(), MaskKind.FOLDER: set()}
    suffixes: dict[MaskKind, set[str]] = {MaskKind.FILE: set(), MaskKind.FOLDER: set()}
    for m in masks:
        p = m.pattern
        kinds = (MaskKind.FILE, MaskKind.FOLDER) if m.kind is MaskKind.BOTH else (m.kind,)
        tail = p[p.rindex("*") + 1:] if "*" in p else "/" + p
        target, text = (names, tail[tail.rindex("/") + 1:]) if "/" in tail else (suffixes, tail)
        if "?" in text:
            return None
        for k in kinds:
            target[k].add(text)
    return NameSets(frozenset(names[MaskKind.FOLDER]), tuple(sorted(suffixes[MaskKind.FOLDER])),
                    frozenset(names[MaskKind.FILE]), tuple(sorted(suffixes[MaskKind.FILE])))
