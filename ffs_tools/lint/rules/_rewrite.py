"""Fixes that rewrite filter items in place: one ``<Item>`` text, part by part (parts are split at ``|``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ffs_tools.ffs.model import FilterConfig
from ffs_tools.findings import Edit
from ffs_tools.lint.rules._context import Context


def rewrite_item(key: str, text: str, change: Callable[[str], list[str] | None]) -> tuple[Edit, ...]:
    """The edit that rewrites the parts of one ``<Item>`` text ``change`` changes (None: keep the part).

    An ``<Item>`` that holds one part becomes one ``<Item>`` per new part; parts of a ``|``-joined
    ``<Item>`` are replaced in place, joined with ``|``.
    """
    parts = [p.strip(" \t\r\n\v\f") for p in re.split(r"[|\n]", text)]
    parts = [p for p in parts if p]
    new = [change(p) for p in parts]
    if all(n is None for n in new):
        return ()
    pieces = [n if n is not None else [p] for p, n in zip(parts, new, strict=True)]
    if len(parts) == 1:
        return (Edit("replace", key, "\n".join(pieces[0])),)
    return (Edit("replace", key, "|".join(half for piece in pieces for half in piece)),)


def swap(old: str, new: str) -> Callable[[str], list[str] | None]:
    """A ``change`` for :func:`rewrite_item`: the part ``old`` becomes ``new``, the others stay."""
    def change(part: str) -> list[str] | None:
        return [new] if part == old else None

    return change


def filter_lists(ctx: Context) -> Iterator[tuple[int | None, str, FilterConfig]]:
    """``(pair index or None for the global filter, model key prefix, filter)`` for each filter of the job."""
    job = ctx.job
    if job is None:
        return
    yield None, "filter", job.filter
    for i, pair in enumerate(job.pairs):
        if pair.filter is not None:
            yield i, f"pair.{i}.filter", pair.filter
