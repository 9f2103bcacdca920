"""Folder path phrases compared the way FreeFileSync would see them (for FFS141 and FFS202)."""

from __future__ import annotations

import re

from ffs_tools.ffs.phrases import PathKind, kind_of, parse


def comparable(phrase: str) -> str:
    """A phrase normalised for "same or nested" checks: separators, ``/./``, repeated and trailing slashes,
    and case where the file system ignores it (Windows paths, remote host names)."""
    text = phrase.strip()
    kind = kind_of(text)
    if kind.has_login:  # split as FreeFileSync does: options and password dropped
        parsed = parse(text)
        user = parsed.user + "@" if parsed.user else ""
        port = f":{parsed.port}" if parsed.port else ""
        text = f"{kind.value}://{user}{parsed.host}{port}/{parsed.path.lstrip('/').lstrip(chr(92))}"
    text = text.replace("\\", "/")
    if kind.remote:
        head, _, rest = text.partition(":")
        text = head.lower() + ":/" + rest.lstrip("/")
        text = text.split("|", 1)[0]
    unc = kind is PathKind.WINDOWS and text.startswith("//")
    text = re.sub(r"(?<=/)\./", "", text)
    text = ("/" if unc else "") + re.sub(r"/{2,}", "/", text)
    text = text.rstrip("/") or text[:1]
    if kind is PathKind.WINDOWS or kind.remote:
        text = text.lower()
    return text


def nested_in(inner: str, outer: str) -> bool:
    """Whether comparable path ``inner`` lies inside comparable path ``outer``."""
    return inner.startswith(outer.rstrip("/") + "/")
