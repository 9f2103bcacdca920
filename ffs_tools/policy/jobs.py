"""Policy -> models: the FreeFileSync jobs a policy asks for, one set per GPU machine.

Everything that makes a setup right by construction is decided here:

* the exclusions (:mod:`ffs_tools.ffs.never_travels` at every depth, the envs the local
  scan found, the user's extras), checked with the filter engine against
  ``keep.paths`` (:mod:`ffs_tools.policy.keepcheck`);
* the directions: ``review`` is FreeFileSync's database two-way sync,
  ``newer-wins`` is ``Differences`` LeftOnly=right LeftNewer=right
  RightNewer=left RightOnly=left (format 17: ``Custom`` with Different=none
  Conflict=none, which reads back into the same model);
* the unattended batch settings (:data:`UNATTENDED`), measured with the real
  binary (docs/batch-unattended.md#the-combination-ffs-tools-writes-c7): it never waits for a click,
  stops before changing anything on a conflict or a data-loss warning, and
  reports through its exit code and log; RealTimeSync runs it through
  ``ffs-tools sync`` (plan, guards, syncs around conflicts, lock, verification);
* per-folder directions (``[[folders]]``) as extra folder pairs with their own
  ``<Synchronize>``, excluded from the main pair so that each file belongs to
  one pair.

The templates later see only these models.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs import versions
from ffs_tools.ffs.model import (
    NEWER_WINS,
    TWO_WAY,
    UNATTENDED,
    UNATTENDED_ERRORS,
    UPDATE_LEGACY,
    CompareConfig,
    CompareVariant,
    ConfigKind,
    DeletionPolicy,
    Differences,
    Direction,
    Directions,
    FilterConfig,
    FolderPair,
    RealTimeConfig,
    SymlinkHandling,
    SyncConfig,
    SyncJob,
    Versioning,
    VersioningStyle,
    config_file_name,
)
from ffs_tools.ffs.never_travels import VENV_MARKER_FILE, Exclusion, default_exclusions, env_item
from ffs_tools.filtering.engine import Semantics, semantics_for
from ffs_tools.policy.envscan import ScanResult
from ffs_tools.policy.model import DEFAULTS_ORIGIN, FolderRule, GpuTarget, Policy
from ffs_tools.policy.notes import job_notes

R, L, N = Direction.RIGHT, Direction.LEFT, Direction.NONE

#: newer-wins in format 17: Custom with the v23 directions plus Different/Conflict = none (the reader fills them)
NEWER_WINS_17 = Differences(R, R, L, L, different=N, conflict=N)
PUSH = UPDATE_LEGACY  # local -> GPU only: create and update on the GPU side, never delete there
PULL_23 = Differences(N, N, L, L)  # GPU -> local only
PULL_17 = Differences(N, N, L, L, different=L, conflict=N)

_COMPARE = {"time-and-size": CompareVariant.TIME_AND_SIZE, "content": CompareVariant.CONTENT,
            "size": CompareVariant.SIZE}
_SYMLINKS = {"exclude": SymlinkHandling.EXCLUDE, "direct": SymlinkHandling.DIRECT, "follow": SymlinkHandling.FOLLOW}
_DELETION = {"recycle-bin": DeletionPolicy.RECYCLE_BIN, "versioning": DeletionPolicy.VERSIONING,
             "permanent": DeletionPolicy.PERMANENT}
_STYLE = {"replace": VersioningStyle.REPLACE, "timestamp-folder": VersioningStyle.TIMESTAMP_FOLDER,
          "timestamp-file": VersioningStyle.TIMESTAMP_FILE}


@dataclass(frozen=True)
class FfsTarget:
    """Which FreeFileSync the files are for: the XmlFormat to write and the filter semantics to check with."""

    version: str
    xml_format: int
    semantics: Semantics


def ffs_target(version: str, what: str = "--ffs-version") -> FfsTarget:
    """``12`` (and 11.3 - 12.2) -> format 17; ``13``/``14`` -> format 23; anything else is refused.

    ``what`` names where the version came from in the error (an option, a policy key, a variable)."""
    parsed = versions.parse(version)
    if parsed is None:
        raise UserError(f'{what}: expected a FreeFileSync version like 12, 13 or 14, got "{version}"')
    major, fmt = parsed[0], versions.xml_format_for(version)
    if fmt is not None and (fmt == versions.OLDEST_FORMAT or (fmt == versions.NEWEST_FORMAT and major <= 14)):
        return FfsTarget(version, fmt, semantics_for(version))
    if major == 12:
        raise UserError(f"{what}: {version}: FreeFileSync 12.3 - 12.5 use XmlFormat 18/19 and would rewrite a "
                        "format-17 file on load; use 12 for 12.0 - 12.2 or 13/14 for 13.0 and newer")
    raise UserError(f"{what}: {version}: ffs-tools writes for FreeFileSync 11.3 - 14.10 (12, 13 or "
                    "14)")


@dataclass(frozen=True)
class JobSet:
    """The files for one GPU machine."""

    stem: str  # file name without extension: <name> or <name>-<gpu>
    gpu: GpuTarget
    gui: SyncJob
    batch: SyncJob
    real: RealTimeConfig
    notes: str  # in <Notes> (format 23) or an XML comment (format 17 and .ffs_real)


def literal_item(relpath: str) -> str:
    """An anchored item for one relative path; characters FreeFileSync cannot match literally become ``?``."""
    text = re.sub(r"[*?|]", "?", relpath)
    return ("?" + text[1:]) if text[:1].isspace() else text


def builtin_exclusions(policy: Policy) -> list[Exclusion]:
    """ffs-tools' built-in items without the ones the policy drops (``exclude.drop``: cache items only)."""
    dropped = {item.strip() for item in policy.exclude_drop}
    return [ex for ex in default_exclusions() if ex.item not in dropped]


def exclusions(policy: Policy, scan: ScanResult, gitignore: Sequence[Exclusion] = (),
               own: Sequence[Exclusion] = ()) -> list[Exclusion]:
    """Every exclude item with its reason: the defaults (without ``exclude.drop``), the envs the scan found, the
    user's extras, the translated .gitignore rules (:mod:`ffs_tools.policy.gitignore_tree`), then ffs-tools' own
    files (:func:`own_files`), without duplicates."""
    out = builtin_exclusions(policy)
    for env in scan.new_envs:
        kind = "virtualenv" if env.marker == VENV_MARKER_FILE else "conda env"
        out.append(Exclusion(env_item(env.path), f"{kind} of this machine, found by the local scan "
                             f"({env.marker} inside)", "scan"))
    for i, item in enumerate(policy.exclude_extra):
        out.append(Exclusion(item, f"from the policy (exclude.extra[{i}])", "extra"))
    out += gitignore
    out += own
    seen: set[str] = set()
    unique = []
    for ex in out:
        if ex.item not in seen:
            seen.add(ex.item)
            unique.append(ex)
    return unique


def stems(policy: Policy) -> list[str]:
    """The file name stem of each GPU machine's files: ``<name>``, or ``<name>-<gpu name>`` with several."""
    several = len(policy.gpus) > 1
    return [f"{policy.name}-{gpu.name}" if several else policy.name for gpu in policy.gpus]


def own_files(policy: Policy, out_dir: Path, names: Sequence[str]) -> list[Exclusion]:
    """Anchored exclude items for ffs-tools' own files that lie inside the local folder: the files ``generate``
    writes into ``out_dir`` (``names``) and the policy file (not a pyproject.toml: that is the project's).
    They hold this machine's absolute paths, so on the GPU machine they are wrong and, changed on both sides,
    conflict. ``[exclude] ffs_tools_files = false`` lets them travel."""
    if not policy.exclude_own:
        return []
    root = os.path.realpath(local_root(policy))
    paths = [(os.path.join(os.path.realpath(out_dir), name), "a file ffs-tools generate writes") for name in names]
    if policy.origin != DEFAULTS_ORIGIN and Path(policy.origin).name != "pyproject.toml":
        paths.append((os.path.realpath(policy.origin), "the ffs-tools policy"))
    out = []
    for path, why in paths:
        rel = os.path.relpath(path, root)
        if rel != os.curdir and not rel.startswith(os.pardir + os.sep) and rel != os.pardir:
            out.append(Exclusion(literal_item(Path(rel).as_posix()), f"{why}: it holds this machine's paths "
                                 "(exclude.ffs_tools_files)", "own"))
    return out


def build_jobs(policy: Policy, target: FfsTarget, items: list[Exclusion], out_dir: Path) -> list[JobSet]:
    """One :class:`JobSet` per GPU machine."""
    local = policy.resolve_local(policy.local_path)
    flt = FilterConfig(exclude=tuple(ex.item for ex in items))
    sets = []
    for gpu, stem in zip(policy.gpus, stems(policy), strict=True):
        batch_path = str(out_dir / config_file_name(stem, ConfigKind.BATCH))
        notes = job_notes(policy, gpu, stem, batch_path)
        main_sync = SyncConfig(_directions(policy, target), *_deletion(policy, stem))
        batch = SyncJob(
            kind=ConfigKind.BATCH, xml_format=target.xml_format, notes=notes if target.xml_format >= 18 else "",
            compare=CompareConfig(_COMPARE[policy.compare], _SYMLINKS[policy.symlinks]),
            sync=main_sync, filter=flt, pairs=_pairs(policy, target, gpu, local, main_sync),
            log_folder=policy.resolve_local(policy.log_folder), batch=UNATTENDED,
            errors=UNATTENDED_ERRORS,
        )
        gui = replace(batch, kind=ConfigKind.GUI, batch=None)
        real = RealTimeConfig(directories=(local,), delay=policy.realtime_delay,
                              command_line=f"ffs-tools sync {_sh_quote(batch_path)}")
        sets.append(JobSet(stem, gpu, gui, batch, real, notes))
    return sets


def _directions(policy: Policy, target: FfsTarget) -> Directions:
    if policy.conflict == "review":
        return TWO_WAY
    return NEWER_WINS_17 if target.xml_format == 17 else NEWER_WINS


def _deletion(policy: Policy, stem: str) -> tuple[DeletionPolicy, Versioning]:
    deletion = _DELETION[policy.deletion]
    if deletion != DeletionPolicy.VERSIONING:
        return deletion, Versioning()
    style = _STYLE[policy.versioning_style]
    limits = style != VersioningStyle.REPLACE
    folder = policy.resolve_local(policy.versioning_folder or f"~/.ffs-versions/{stem}")
    return deletion, Versioning(folder, style,
                                max_age=policy.versioning_max_age if limits else 0,
                                min_count=policy.versioning_min_count if limits and policy.versioning_max_age else 0,
                                max_count=policy.versioning_max_count if limits else 0)


def _pairs(policy: Policy, target: FfsTarget, gpu: GpuTarget, local: str,
           main_sync: SyncConfig) -> tuple[FolderPair, ...]:
    right = gpu.path if gpu.is_sftp else policy.resolve_local(gpu.path)
    main_filter = None
    if policy.folders:
        main_filter = FilterConfig(exclude=tuple(literal_item(rule.path) + "/" for rule in policy.folders))
    pairs = [FolderPair(local, right, right_threads=gpu.threads, filter=main_filter)]
    for rule in policy.folders:
        pairs.append(FolderPair(
            _join(local, rule.path), _join(right, rule.path), right_threads=gpu.threads,
            sync=SyncConfig(_rule_directions(rule, target), main_sync.deletion_policy, main_sync.versioning),
        ))
    return tuple(pairs)


def _rule_directions(rule: FolderRule, target: FfsTarget) -> Differences:
    if rule.direction == "push":
        return PUSH
    return PULL_17 if target.xml_format == 17 else PULL_23


def _join(phrase: str, rel: str) -> str:
    """``phrase/rel``; for an sftp phrase the sub-folder goes before the ``|options``."""
    location, sep, options = phrase.partition("|")
    return location.rstrip("/") + "/" + rel + sep + options


def _sh_quote(path: str) -> str:
    """Double-quoted for ``/bin/sh -c`` (RealTimeSync runs the command line through the shell)."""
    return '"' + re.sub(r'(["$`\\])', r"\\\1", path) + '"'


def local_root(policy: Policy) -> Path:
    """The local folder as a filesystem path (``~`` expanded) for scanning."""
    return Path(os.path.expanduser(policy.resolve_local(policy.local_path)))
