"""FreeFileSync versions and the sync-config XmlFormat each writes and reads (docs/formats.md#version-map).

The one home of these facts: the version syntax (:func:`parse`), the version -> XmlFormat map
(:func:`xml_format_for`), which versions write a format (:data:`WRITTEN_BY`) and where the 13.0
layout starts (:func:`before_13`). ``tests/test_one_home.py`` fails when a copy appears elsewhere.
"""

from __future__ import annotations

import re

#: a FreeFileSync version as users write it: ``12``, ``12.0``, ``14.10``
_VERSION = re.compile(r"\s*(\d+)(?:\.(\d+))?")

#: sync-config XmlFormat -> the FreeFileSync versions that write it (docs/formats.md#version-map)
WRITTEN_BY: dict[int, str] = {17: "11.3-12.2", 18: "12.3", 19: "12.4-12.5", 23: "13.0 and newer"}

#: GlobalSettings.xml XmlFormat range -> the versions that write it and the version whose sync-config format
#: they share (None: versions of different sync-config formats write it) (docs/formats.md#version-map)
GLOBAL_FORMATS: tuple[tuple[int, int, str, str | None], ...] = (
    (0, 18, "11.2 or older", "11"), (19, 26, "11.3-12.2", "12"), (27, 27, "12.3-14.4", None),
    (28, 28, "14.5-14.10", "14"),
)

#: the format of 13.0 and newer (the ``<Differences>``/``<Changes>`` layout); the newest ffs-tools knows
NEWEST_FORMAT = 23
#: the format of 11.3 - 12.2, the oldest every supported FreeFileSync reads without rewriting
OLDEST_FORMAT = 17


def parse(version: str, strict: bool = True) -> tuple[int, int | None] | None:
    """``(major, minor)`` of a version (minor None when not given), or None when it is not one.

    ``strict``: the whole text must be the version (surrounding blanks allowed); otherwise anything may
    follow it (``14.10-beta``).
    """
    m = _VERSION.match(version)
    if not m or (strict and version[m.end():].strip()):
        return None
    return int(m.group(1)), (int(m.group(2)) if m.group(2) is not None else None)


def xml_format_for(version: str) -> int | None:
    """The sync-config XmlFormat FreeFileSync ``version`` writes (None before 11.3 or for non-versions)."""
    parsed = parse(version, strict=False)
    if parsed is None:
        return None
    major, minor = parsed[0], parsed[1] or 0
    if major >= 13:
        return 23
    if major == 12:
        return 17 if minor <= 2 else 18 if minor == 3 else 19
    if major == 11 and minor >= 3:
        return 17
    return None


def before_13(xml_format: int) -> bool:
    """Whether a file of ``xml_format`` was written by FreeFileSync 12.5 or older (formats up to 19)."""
    return xml_format <= max(f for f in WRITTEN_BY if f < NEWEST_FORMAT)


def _global_row(global_format: int) -> tuple[int, int, str, str | None] | None:
    return next((row for row in GLOBAL_FORMATS if row[0] <= global_format <= row[1]), None)


def version_for_global_format(global_format: int) -> str | None:
    """The version (for :func:`xml_format_for`) of the FreeFileSync that writes a GlobalSettings.xml of
    ``global_format``; None when versions of different sync-config formats write it, or it is unknown."""
    row = _global_row(global_format)
    return row[3] if row else None


def global_format_writers(global_format: int) -> str:
    """The versions that write a GlobalSettings.xml of ``global_format`` (``"11.3-12.2"``)."""
    row = _global_row(global_format)
    return row[2] if row else "a newer version than 14.10"
