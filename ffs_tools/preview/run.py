"""``preview`` and ``explain``: FreeFileSync's own filter semantics applied to a config's folders.

``preview`` walks the left folder of each pair and lists what FreeFileSync
would copy into an empty right folder; ``explain`` says for single paths
whether they are synced and which filter item decided it.
"""

from __future__ import annotations

import os
import posixpath
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


class BadPath(ValueError):
    """A path ``explain`` cannot answer for (outside the left folder, empty): reported for that path alone."""


def relative_path(raw: str, base: Path | None, index: int) -> tuple[str, bool]:
    """(normalised POSIX path relative to the left folder, ends in ``/``) for a path given on the command line.

    ``./a``, ``a//b`` and ``a/x/../b`` are normalised (``a``, ``a/b``, ``a/b``) before the filter is asked,
    as FreeFileSync only ever sees normalised relative paths; a path that leaves the left folder (``../x``,
    an absolute path elsewhere) or names the folder itself raises :class:`BadPath`.
    """
    text = raw.replace("\\", "/")
    is_dir = text.endswith("/") or text.endswith("/.") or text.endswith("/..")
    if text.startswith("/"):
        if base is None:
            raise BadPath(f"an absolute path needs a local left folder (pair {index}'s is not)")
        inside = _inside(Path(text), base)
        if inside is None:
            raise BadPath(f"is not inside the left folder of pair {index} ({base})")
        text = inside
    rel = posixpath.normpath(text) if text else "."
    if rel == ".." or rel.startswith("../"):
        raise BadPath(f"is not inside the left folder of pair {index}" + (f" ({base})" if base else ""))
    if rel == ".":
        raise BadPath("names the left folder itself: give a path below it")
    return rel, is_dir


def _inside(path: Path, base: Path) -> str | None:
    """``path`` relative to ``base``, comparing as written and with links resolved (None: outside)."""
    for mine, theirs in ((os.path.normpath(path), os.path.normpath(base.absolute())),
                         (os.path.realpath(path), os.path.realpath(base))):
        if mine == theirs:
            return "."
        if mine.startswith(theirs.rstrip("/") + "/"):
            return mine[len(theirs.rstrip("/")) + 1:]
    return None


def explain_path(view: PairView, raw: str, base: Path | None) -> tuple[str, bool, Decision]:
    """(relative path, is folder, decision) for a path given on the command line; :class:`BadPath` when the
    path cannot be answered for. On disk, a symbolic link on the way is judged by the pair's ``Symlinks``
    setting, as FreeFileSync's traversal does (:func:`link_decision`)."""
    rel, is_dir = relative_path(raw, base, view.index)
    if base is not None and not is_dir:  # a link copied as a link (Direct) is an item of its own, not a folder
        is_dir = (base / rel).is_dir() and not (view.symlinks is m.SymlinkHandling.DIRECT and (base / rel).is_symlink())
    decision = view.filter.explain(rel, is_dir)
    if decision.synced and base is not None:
        decision = link_decision(view, base, rel) or decision
    if decision.synced and view.soft.active:
        decision = _soft_decision(view, decision, base / rel if base is not None else None, is_dir)
    return rel, is_dir, decision


def link_decision(view: PairView, base: Path, rel: str) -> Decision | None:
    """The decision when a symbolic link is ``rel`` or one of its parents on disk and the ``Symlinks`` setting
    keeps it from travelling: ``Exclude`` skips every link, ``Direct`` copies the link itself but never what
    is below it; ``Follow`` treats it as what it points to (None: the filter decides)."""
    if view.symlinks is m.SymlinkHandling.FOLLOW:
        return None
    parts = rel.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if not os.path.islink(base / prefix):
            continue
        if view.symlinks is m.SymlinkHandling.EXCLUDE:
            return Decision(False, "link excluded", None, prefix if depth < len(parts) else None)
        if depth < len(parts):
            return Decision(False, "inside link", None, prefix)
        return None
    return None


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
        "link excluded": ("a symbolic link, which FreeFileSync skips (Symlinks=Exclude)" if decision.via is None
                          else f"inside {decision.via}, a symbolic link, which FreeFileSync skips (Symlinks=Exclude)"),
        "inside link": f"inside {decision.via}, a symbolic link that FreeFileSync copies as a link (Symlinks=Direct), "
                       "not what it points to",
        "parent not traversed": f"inside {decision.via}, which FreeFileSync never enters: no include item can "
                                "match below it",
    }
    return reasons[decision.reason]
