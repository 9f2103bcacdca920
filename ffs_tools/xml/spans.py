"""Byte spans of the elements of a well-formed FreeFileSync file, for edits that keep everything else.

``--fix`` must leave every byte it does not mean to change as it was (line
endings, indentation, attribute order, comments), so it edits the raw bytes
at spans found here rather than re-serialising an lxml tree. The file has
already passed the hardened parser (no DTD, no entities), so a small
tokenizer over tags, comments, CDATA and processing instructions is exact.
"""

from __future__ import annotations

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
