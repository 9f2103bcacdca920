"""A folder pair as the lint rules judge it: the pair and its effective filter, with item lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ffs_tools.ffs.model import FolderPair, SourceMap, SyncJob
from ffs_tools.filtering.engine import Origin, PathFilter, Semantics


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
    def filter_key(self) -> str:
        return f"pair.{self.index}.filter.exclude" if self.own_filter and self.index is not None else "filter.exclude"


def build_scopes(job: SyncJob, source: SourceMap | None, sem: Semantics) -> list[Scope]:
    """Each folder pair with its effective filter (the global filter alone when there are no pairs)."""
    lines = _item_lines(job, source)
    if not job.pairs:
        return [Scope(None, None, PathFilter.from_configs(job.filter, None, sem, lines(None)), False)]
    return [Scope(i, p, PathFilter.from_configs(job.filter, p.filter, sem, lines(i)), p.filter is not None)
            for i, p in enumerate(job.pairs)]


def _item_lines(job: SyncJob, source: SourceMap | None) -> Callable[[int | None], dict[tuple[Origin, str, int], int]]:
    def for_pair(index: int | None) -> dict[tuple[Origin, str, int], int]:
        out: dict[tuple[Origin, str, int], int] = {}
        if source is None:
            return out
        pair_filter = job.pairs[index].filter if index is not None else None
        for origin, prefix, cfg in ((Origin.GLOBAL, "filter", job.filter),
                                    (Origin.PAIR, f"pair.{index}.filter", pair_filter)):
            if cfg is None:
                continue
            for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
                for i in range(len(items)):
                    loc = source.locations.get(f"{prefix}.{list_name}.{i}")
                    if loc is not None:
                        out[(origin, list_name, i)] = loc.line
        return out

    return for_pair
