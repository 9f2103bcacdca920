"""``preview`` and ``explain``: FreeFileSync's own filter semantics applied to a config's folders.

``preview`` walks the left folder of each pair and lists what FreeFileSync
would copy into an empty right folder; ``explain`` says for single paths
whether they are synced and which filter item decided it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs import model as m
from ffs_tools.ffs.phrases import kind_of, local_path
from ffs_tools.filtering.engine import Decision, PathFilter, Semantics
from ffs_tools.filtering.pairs import pair_filter
from ffs_tools.filtering.traversal import Entry, SoftFilter, SyncedItem, disk_lister, synced_items
from ffs_tools.xml.parse import Loaded
from ffs_tools.xml.read import load


@dataclass(frozen=True)
class PairView:
    """One folder pair, with everything needed to judge paths in it."""

    index: int  # 1-based, as users count
    pair: m.FolderPair
    filter: PathFilter
    soft: SoftFilter
    symlinks: m.SymlinkHandling
    copies_left_only: bool

    def left_folder(self) -> Path:
        kind = kind_of(self.pair.left)
        path = local_path(self.pair.left)
        if path is None:
            raise UserError(f"pair {self.index}: the left folder {self.pair.left!r} is {kind.value}, not a local "
                            "folder that ffs-tools can walk")
        if not path.is_dir():
            raise UserError(f"pair {self.index}: the left folder {path} does not exist or is not a folder")
        return path


def load_job(config: Path) -> tuple[Loaded, m.SyncJob]:
    loaded = load(config)
    if not isinstance(loaded.config, m.SyncJob):
        raise UserError("expected a .ffs_gui or .ffs_batch file (RealTimeSync configs have no filter)", str(config))
    if not loaded.config.pairs:
        raise UserError("the config has no folder pairs", str(config), loaded.source.line("root"))
    return loaded, loaded.config


def pair_views(loaded: Loaded, job: m.SyncJob, semantics: Semantics, only: int | None) -> list[PairView]:
    if only is not None and not 1 <= only <= len(job.pairs):
        raise UserError(f"--pair {only}: the config has {len(job.pairs)} pair(s)", loaded.path)
    views = []
    for i, pair in enumerate(job.pairs):
        if only is not None and i + 1 != only:
            continue
        flt = pair_filter(job, i, semantics, loaded.source)
        first_run = job.pair_sync(i).first_run_directions()
        views.append(PairView(i + 1, pair, flt, SoftFilter.combine(job.filter, pair.filter),
                              job.pair_compare(i).symlinks, first_run.left_only == m.Direction.RIGHT))
    return views


class _Progress:
    """A progress line on stderr for long walks, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.count = 0
        self.last = time.monotonic()
        self.shown = False

    def add(self, n: int) -> None:
        self.count += n
        if self.enabled and time.monotonic() - self.last > 0.5:
            self.last = time.monotonic()
            self.shown = True
            sys.stderr.write(f"\rscanning... {self.count:,} items")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 40 + "\r")


def walk_pair(view: PairView, need_sizes: bool = True) -> list[SyncedItem]:
    """What FreeFileSync would copy from this pair's left folder into an empty right folder."""
    if not view.copies_left_only:
        return []
    root = view.left_folder()
    errors: list[str] = []
    lister = disk_lister(str(root), view.symlinks, need_stat=need_sizes or view.soft.active,
                         on_error=lambda rel, exc: errors.append(f"{rel or '.'}: {exc.strerror or exc}"))
    progress = _Progress()

    def counted(rel: str) -> list[Entry]:
        entries = list(lister(rel))
        progress.add(len(entries))
        return entries

    items = synced_items(view.filter, counted, view.soft)
    progress.done()
    for err in errors:
        sys.stderr.write(f"warning: pair {view.index}: cannot read {err}\n")
    return items


def explain_path(view: PairView, raw: str, base: Path | None) -> tuple[str, bool, Decision]:
    """(relative path, is folder, decision) for a path given on the command line."""
    rel = raw.replace("\\", "/")
    is_dir = rel.endswith("/")
    if base is not None and Path(raw).is_absolute():
        try:
            rel = Path(raw).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            raise UserError(f"{raw} is not inside the left folder of pair {view.index} ({base})") from None
    rel = rel.strip("/")
    if rel in ("", "."):
        raise UserError(f"{raw!r}: give a path below the base folder")
    if base is not None and not is_dir:
        is_dir = (base / rel).is_dir()
    decision = view.filter.explain(rel, is_dir)
    if decision.synced and view.soft.active:
        decision = _soft_decision(view, decision, base / rel if base is not None else None, is_dir)
    return rel, is_dir, decision


def _soft_decision(view: PairView, decision: Decision, path: Path | None, is_dir: bool) -> Decision:
    """Size and time limits: files outside them are not synced; folders are then only parents."""
    if is_dir:
        return Decision(False, "soft folder", decision.mask)
    if path is None or not path.is_file():
        return Decision(True, "included, soft", decision.mask)
    st = path.stat()
    if view.soft.passes(Entry(path.name, False, st.st_size, st.st_mtime)):
        return decision
    return Decision(False, "soft excluded", decision.mask)


def describe(decision: Decision, config_path: str) -> str:
    """``synced``/``excluded``/... with the deciding item, like ``git check-ignore -v``."""
    mask = decision.mask
    where = ""
    if mask is not None:
        where = f"{mask.source.describe()} {mask.text!r}"
        if mask.source.line:
            where += f" at {config_path}:{mask.source.line}"
    reasons = {
        "excluded": f"excluded by {where}",
        "included": f"included by {where}",
        "not included": f"matches no include item (first: {where})" if where else "matches no include item",
        "included, soft": f"included by {where}, if its size and time pass the pair's size/time limits",
        "soft excluded": f"included by {where}, but outside the size/time limits",
        "soft folder": "size/time limits are active, so FreeFileSync creates folders only as parents of synced "
                       "files",
        "traversed": "not included itself; FreeFileSync enters it and creates it only as the parent of "
                     "included items",
        "parent excluded": f"inside {decision.via}, which is excluded by {where}",
        "parent not traversed": f"inside {decision.via}, which FreeFileSync never enters: no include item can "
                                "match below it",
    }
    return reasons[decision.reason]
