"""The effective filter of a folder pair, with the line of every item: the one place it is built.

``lint`` (its scopes), ``preview``/``explain`` and ``audit-gpu --config`` all judge a pair by the
global filter AND the pair's own filter (FreeFileSync's ``combineFilters``), and all cite an item by
its line in the config file; they get both from :func:`pair_filter`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ffs_tools.ffs.model import SourceMap, SyncJob
from ffs_tools.filtering.engine import NEWEST, ItemPlaces, Origin, PathFilter, Semantics

#: (origin, "include" | "exclude", item index) -> line in the config file
ItemLines = dict[tuple[Origin, str, int], int]
#: model key -> (line, column) positions, as :func:`ffs_tools.xml.spans.filter_positions` finds them
Positions = Mapping[str, Sequence[tuple[int, int]]]


def item_lines(job: SyncJob, index: int | None, source: SourceMap | None) -> ItemLines:
    """The lines of the global filter's items and of pair ``index``'s own (0-based; None: global only)."""
    out: ItemLines = {}
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


def item_places(job: SyncJob, index: int | None, positions: Positions) -> ItemPlaces:
    """The (line, column) of each filter item of the global filter and of pair ``index``'s own, from
    ``positions`` (the file's bytes scanned by :func:`ffs_tools.xml.spans.filter_positions`)."""
    out: dict[tuple[Origin, str, int], Sequence[tuple[int, int]]] = {}
    pair_filter = job.pairs[index].filter if index is not None else None
    for origin, prefix, cfg in ((Origin.GLOBAL, "filter", job.filter),
                                (Origin.PAIR, f"pair.{index}.filter", pair_filter)):
        if cfg is None:
            continue
        for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
            for i in range(len(items)):
                where = positions.get(f"{prefix}.{list_name}.{i}")
                if where:
                    out[(origin, list_name, i)] = where
    return out


def pair_filter(job: SyncJob, index: int | None, semantics: Semantics = NEWEST,
                source: SourceMap | None = None, positions: Positions | None = None) -> PathFilter:
    """The effective filter of pair ``index`` (None: the global filter alone), items cited by line, and by
    line and column when the file's ``positions`` are given."""
    own = job.pairs[index].filter if index is not None else None
    places = item_places(job, index, positions) if positions else None
    return PathFilter.from_configs(job.filter, own, semantics, item_lines(job, index, source), places=places)
