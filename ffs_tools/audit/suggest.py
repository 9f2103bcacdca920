"""``audit-gpu --suggest``: the findings' filter items as lines for the project policy.

Exclusions reach the generated configs only through the policy (``[exclude] extra``): a line appended to
``FREEFILESYNC_EXCLUSIONS.txt`` never reaches the batch, and ``generate`` refuses the hand-edited file. So
the suggestions are printed as policy lines, without the items the configs already have: ffs-tools'
built-in exclusions (``generate`` writes them for every project) and the items of the ``--config`` or
``--policy`` the audit was given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ffs_tools.audit.checks import Hit
from ffs_tools.audit.filter import AuditFilter
from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.filtering.engine import Origin


def item_key(item: str) -> str:
    """An item as FreeFileSync compares it: trimmed, ``\\`` as ``/``, case-insensitive."""
    return item.strip().replace("\\", "/").casefold()


@dataclass(frozen=True)
class Suggestions:
    """The items to add (with the hits each covers) and the ones left out, with why."""

    new: list[tuple[str, list[Hit]]]
    present: list[tuple[str, list[Hit], str]]


def split(items: Iterable[tuple[str, list[Hit]]], filt: AuditFilter) -> Suggestions:
    """Sort the items of :func:`ffs_tools.audit.run.suggestions` into new ones and ones already there."""
    builtin = {item_key(ex.item) for ex in default_exclusions()}
    configured = {item_key(m.text) for m in filt.flt.exclude.masks if m.source.origin is not Origin.BUILTIN}
    where = f"the {filt.origin}" if filt.is_config else "ffs-tools' knowledge"
    out = Suggestions([], [])
    for item, hits in items:
        key = item_key(item)
        if key in builtin:
            out.present.append((item, hits, "built in: generate writes it for every project"))
        elif filt.is_config and key in configured:
            out.present.append((item, hits, f"already in {where}"))
        else:
            out.new.append((item, hits))
    return out


def policy_lines(new: list[str], extra: tuple[str, ...] = ()) -> list[str]:
    """``[exclude]`` / ``extra = [...]`` with the policy's current ``extra`` items first (TOML strings)."""
    keys = {item_key(i) for i in extra}
    items = list(extra) + [i for i in new if item_key(i) not in keys]
    body = [f"    {json.dumps(i, ensure_ascii=False)}," for i in items]
    return ["[exclude]", "extra = [", *body, "]"]
