"""Which sync-config XmlFormat each FreeFileSync version writes and reads (docs/formats.md#version-map)."""

from __future__ import annotations

import re


def xml_format_for(version: str) -> int | None:
    """The sync-config XmlFormat FreeFileSync ``version`` writes (None before 11.3 or for non-versions)."""
    m = re.fullmatch(r"\s*(\d+)(?:\.(\d+))?.*", version)
    if not m:
        return None
    major, minor = int(m.group(1)), int(m.group(2) or 0)
    if major >= 13:
        return 23
    if major == 12:
        return 17 if minor <= 2 else 18 if minor == 3 else 19
    if major == 11 and minor >= 3:
        return 17
    return None
