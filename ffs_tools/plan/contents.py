"""Content comparison (``Compare/Variant`` Content, and links under Content or Size): read-only."""

from __future__ import annotations

import os

from ffs_tools.plan.listing import LinkInfo

_CHUNK = 1 << 20


def same_content(left: str, right: str) -> bool:
    """Whether two files of equal size hold the same bytes (a read error counts as different)."""
    try:
        with open(left, "rb") as fl, open(right, "rb") as fr:
            while True:
                a = fl.read(_CHUNK)
                b = fr.read(_CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def same_link(left: LinkInfo, right: LinkInfo) -> bool:
    """``equalSymlinkContent``: both links point at the same target text."""
    try:
        return os.readlink(left.path) == os.readlink(right.path)
    except OSError:
        return False
