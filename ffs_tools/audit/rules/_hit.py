"""What an audit rule produces: a :class:`Hit`, the walk's record of one finding.

A hit is a finding (code, message, hint) with what ``--quarantine`` and
``--suggest`` need on top: the raw relative path, its kind, and the
every-depth filter item that would have kept it off the machine (it becomes
the finding's structured fix, :class:`ffs_tools.findings.Edit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ffs_tools.ffs.never_travels import folder_item

#: what a hit's path names
Kind = Literal["dir", "file", "link"]


@dataclass(frozen=True)
class Hit:
    """One finding with what quarantine and ``--suggest`` need: the raw relative path and its kind."""

    code: str
    #: relative POSIX path with surrogate escapes for non-UTF-8 bytes ("" = the audited folder)
    rel: str
    kind: Kind
    message: str
    hint: str = ""
    #: an every-depth filter item that keeps the item off the machine ("" = none applies)
    suggest: str = ""


def item_text(name: str) -> str:
    """A name as filter text: characters a filter item cannot hold become ``?`` (one character)."""
    out = ["?" if (c in "|\\/" or not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF) else c for c in name]
    for i in (0, -1):
        if out and (out[i].isspace() or (i == -1 and out[i] == ":")):
            out[i] = "?"
    return "".join(out)


def name_item(name: str, is_dir: bool) -> str:
    """The every-depth item for an entry named ``name``: ``*/name/`` for a folder, ``*/name`` for a file."""
    return folder_item(item_text(name)) if is_dir else f"*/{item_text(name)}"
