"""A folder pair as the lint rules judge it: the pair and its effective filter, with item lines.

The probe-path rules (FFS101-103, FFS111, FFS112, FFS121, FFS131, FFS151) judge only pairs that can
sync something: not a pair whose two sides are the same folder (FFS202 reports it; nothing is copied
or deleted there), not a pair whose size limits let no file through (a minimum above the maximum).
"""

from __future__ import annotations

from dataclasses import dataclass

from ffs_tools.ffs.model import FolderPair, SourceMap, SyncJob
from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.filtering.pairs import Positions, pair_filter
from ffs_tools.filtering.traversal import SoftFilter
from ffs_tools.lint.rules._paths import comparable


@dataclass(frozen=True)
class Scope:
    """A folder pair (or, for a config without pairs, the global filter alone) and its effective filter."""

    index: int | None
    pair: FolderPair | None
    flt: PathFilter
    own_filter: bool

    @property
    def label(self) -> str:
        return "the global filter" if self.index is None else f"pair {self.index + 1}"

    @property
    def group(self) -> str:
        """What sets this scope's filter apart from other pairs': its own filter ("": the global filter
        alone). Pairs with the same group have the same effective filter and share a filter finding."""
        return repr(self.pair.filter) if self.own_filter and self.pair is not None else ""

    @property
    def filter_key(self) -> str:
        return f"pair.{self.index}.filter.exclude" if self.own_filter and self.index is not None else "filter.exclude"


def same_folder(pair: FolderPair) -> bool:
    """Whether both sides name the same folder (as FreeFileSync compares them)."""
    return bool(pair.left.strip() and pair.right.strip()) and comparable(pair.left) == comparable(pair.right)


def syncs_something(job: SyncJob, pair: FolderPair) -> bool:
    """Whether anything can travel in ``pair``: two different folders, size limits some file can meet."""
    return not same_folder(pair) and not SoftFilter.combine(job.filter, pair.filter).lets_nothing_through


def build_scopes(job: SyncJob, source: SourceMap | None, sem: Semantics, positions: Positions | None = None
                 ) -> list[Scope]:
    """Each folder pair that can sync something, with its effective filter (the global filter alone when
    there are no pairs), its items cited by line and column when the file's ``positions`` are known."""
    if not job.pairs:
        return [Scope(None, None, pair_filter(job, None, sem, source, positions), False)]
    return [Scope(i, p, pair_filter(job, i, sem, source, positions), p.filter is not None)
            for i, p in enumerate(job.pairs) if syncs_something(job, p)]
