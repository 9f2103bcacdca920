"""Byte spans of the elements of a well-formed FreeFileSync file, for edits that keep everything else.

``--fix`` must leave every byte it does not mean to change as it was (line
endings, indentation, attribute order, comments), so it edits the raw bytes
at spans found here rather than re-serialising an lxml tree. The file has
already passed the hardened parser (no DTD, no entities), so a small
tokenizer over tags, comments, CDATA and processing instructions is exact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!.*?>"
    rb"|</(?P<close>[^\s>]+)\s*>"
    rb"|<(?P<open>[^\s/>!?]+)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?P<empty>/?)>",
    re.S,
)


@dataclass
class Node:
    name: str
    start: int  # offset of "<"
    tag_end: int  # offset after the start tag's ">"
    end: int = -1  # offset after the end tag (or the empty tag)
    inner_end: int = -1  # offset of "</" (== tag_end for an empty tag)
    empty: bool = False
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node | None:
        """The first child called ``name`` (FreeFileSync reads the first one)."""
        return next((c for c in self.children if c.name == name), None)


def parse(data: bytes) -> Node | None:
    """The root element with its descendants, or None when the bytes do not scan cleanly."""
    stack: list[Node] = []
    root: Node | None = None
    for m in _TOKEN.finditer(data):
        if m.group("close") is not None:
            if not stack or stack[-1].name != m.group("close").decode("utf-8", "replace"):
                return None
            node = stack.pop()
            node.inner_end, node.end = m.start(), m.end()
        elif m.group("open") is not None:
            node = Node(m.group("open").decode("utf-8", "replace"), m.start(), m.end())
            if stack:
                stack[-1].children.append(node)
            elif root is None:
                root = node
            else:
                return None
            if m.group("empty"):
                node.empty, node.inner_end, node.end = True, m.end(), m.end()
            else:
                stack.append(node)
    return root if root is not None and not stack else None


def indent_of(data: bytes, offset: int) -> bytes | None:
    """The whitespace between the start of the line and ``offset`` (None if other text precedes it)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    head = data[line_start:offset]
    return head if head.strip(b" \t") == b"" else None


#: (line, column) of something in a file, both 1-based; the column counts characters, not bytes
Position = tuple[int, int]
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_TRIM = " \t\r\n\v\f"


class _Lines:
    """Offset -> (line, column) for one file."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]

    def at(self, offset: int) -> Position:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, len(self.data[self.starts[i]:offset].decode("utf-8", "replace")) + 1


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#"):
            code = int(ref[2:], 16) if ref[1:2] in ("x", "X") else int(ref[1:])
            return chr(code) if 0 < code < 0x110000 else m.group()
        return _NAMED[ref]

    return _ENTITY.sub(one, text)


def item_positions(data: bytes, item: Node, lines: _Lines) -> tuple[Position, ...]:
    """Where each filter item of one ``<Item>`` starts: its text split at ``|`` and newline as FreeFileSync
    splits it, empty parts skipped. Text FreeFileSync would split differently than the raw bytes show
    (a ``&#124;`` or CDATA) gets the start of the text for every item."""
    raw = data[item.tag_end:item.inner_end].decode("utf-8", "replace")
    if not any(c in raw for c in "|\n&<"):  # the usual <Item>one item</Item>
        return (lines.at(item.tag_end + len(raw) - len(raw.lstrip(_TRIM))),) if raw.strip(_TRIM) else ()
    parts: list[tuple[int, str]] = []
    offset = 0
    for piece in re.split(r"([|\n])", raw):
        if piece not in ("|", "\n"):
            lead = len(piece) - len(piece.lstrip(_TRIM))
            text = _unescape(piece).strip(_TRIM)
            if text:
                parts.append((offset + lead, text))
        offset += len(piece)
    expected = [t for t in (p.strip(_TRIM) for p in re.split(r"[|\n]", _unescape(raw))) if t]
    start = lines.at(item.tag_end)
    if "<" in raw or [t for _, t in parts] != expected:
        return tuple(start for _ in expected)
    return tuple(lines.at(item.tag_end + len(raw[:o].encode("utf-8"))) for o, _ in parts)


def filter_positions(data: bytes, fmt: int) -> dict[str, tuple[Position, ...]]:
    """Model key -> positions for the filter lists of a sync config (see :func:`ffs_tools.ffs.model.key`):
    ``filter.exclude`` / ``pair.N.filter.include``: the list element's start tag (one position);
    ``filter.exclude.3``: each filter item in that ``<Item>`` (:func:`item_positions`). Empty when the
    bytes do not scan cleanly."""
    root = parse(data)
    out: dict[str, tuple[Position, ...]] = {}
    if root is None:
        return out
    legacy = fmt < 10
    main = root.child("MainConfig") if legacy else root
    if main is None:
        return out
    lines = _Lines(data)
    owners: list[tuple[str, Node | None]] = [("filter", main.child("GlobalFilter" if legacy else "Filter"))]
    pairs = main.child("FolderPairs")
    for n, pair in enumerate(c for c in (pairs.children if pairs else []) if fmt >= 23 or c.name == "Pair"):
        owners.append((f"pair.{n}.filter", pair.child("LocalFilter" if legacy else "Filter")))
    for prefix, flt in owners:
        for name in ("Include", "Exclude"):
            lst = flt.child(name) if flt is not None else None
            if lst is None:
                continue
            out[f"{prefix}.{name.lower()}"] = (lines.at(lst.start),)
            for i, item in enumerate(c for c in lst.children if c.name == "Item"):
                out[f"{prefix}.{name.lower()}.{i}"] = item_positions(data, item, lines)
    return out
