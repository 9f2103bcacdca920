"""Which exclude items of one list have no effect: what they match the other items already exclude.

Used by FFS141. Each item is tried on concrete paths its masks match (wildcards filled in); an item
whose every such path the other items exclude is redundant. :class:`Others` answers that in time
linear in the list, so a list of a thousand items stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ffs_tools.filtering.engine import (
    ItemSource,
    Mask,
    MaskKind,
    Origin,
    Semantics,
    compile_item,
    mask_regex,
    normalize,
)


def _instances(pattern: str) -> list[str]:
    """Concrete paths a mask pattern matches (wildcards filled in two ways, ``*`` once across a folder)."""
    return [pattern.replace("*", "q7z").replace("?", "q"), pattern.replace("*", "q7z/q8y").replace("?", "r")]


class Others:
    """Answers "do the exclude masks of the OTHER items drop this path?" in time linear in the list.

    Literal masks are looked up by path (and by each ancestor, for folder masks). Each wildcard mask is
    filed under the longest literal run of its pattern, which every path it matches contains: a query
    looks up the substrings of its path of those lengths and tests only the masks found there (each with
    its own compiled regex), instead of every mask of the list.
    """

    def __init__(self, groups: list[tuple[str, list[Mask]]]) -> None:
        self.count = len(groups)
        self._groups = groups
        self.plain: dict[tuple[bool, str], set[int]] = {}
        self.by_literal: dict[str, list[tuple[int, Mask]]] = {}
        self.anywhere: list[tuple[int, Mask]] = []  # wildcard masks without a literal run ("*", "?*")
        self._regex: dict[tuple[str, bool], re.Pattern[str]] = {}
        for g, (_text, masks) in enumerate(groups):
            for m in masks:
                if not m.wildcard:
                    for folder in (True, False):
                        if _kind_fits(m, folder):
                            self.plain.setdefault((folder, m.pattern), set()).add(g)
                    continue
                literal = max(re.split(r"[*?]", m.pattern), key=len)
                (self.by_literal.setdefault(literal, []) if literal else self.anywhere).append((g, m))
        self.lengths = sorted({len(k) for k in self.by_literal})

    def masks(self) -> list[Mask]:
        """Every mask of every item."""
        return [m for _, masks in self._groups for m in masks]

    def _candidates(self, path: str) -> Iterator[tuple[int, Mask]]:
        yield from self.anywhere
        for n in self.lengths:
            for i in range(len(path) - n + 1):
                yield from self.by_literal.get(path[i:i + n], ())

    def _matches(self, m: Mask, path: str, parents: bool) -> bool:
        key = (m.pattern, parents)
        rx = self._regex.get(key)
        if rx is None:
            rx = self._regex[key] = re.compile(mask_regex(m.pattern) + (r"(?=/|\Z)" if parents else r"\Z"), re.S)
        return rx.match(path) is not None

    def drops(self, path: str, folder: bool, parents: bool, own: int) -> bool:
        """Whether a mask of another item matches ``path`` (as a folder mask or a file mask)."""
        candidates = [path]
        if parents:
            candidates += [path[:i] for i, c in enumerate(path) if c == "/"]
        if any(self.plain.get((folder, c), set()) - {own} for c in candidates):
            return True
        return any(g != own and _kind_fits(m, folder) and self._matches(m, path, parents)
                   for g, m in self._candidates(path))

    def excluded(self, path: str, is_dir: bool, parents: bool, own: int) -> bool:
        """FreeFileSync's rule: folder masks also cover what is below them."""
        if is_dir:
            return self.drops(path, True, True, own)
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        return bool(parent and self.drops(parent, True, True, own)) or self.drops(path, False, parents, own)


def _kind_fits(m: Mask, folder: bool) -> bool:
    """Whether ``m`` acts as a folder mask (``folder``) or as a file mask."""
    return m.kind is not MaskKind.FILE if folder else m.kind is not MaskKind.FOLDER


def shadowed(item: str, own: int, others: Others, semantics: Semantics) -> bool:
    """Whether every path ``item`` excludes is already excluded by the other items (the item has no effect)."""
    return others.count >= 2 and covered(item, own, others, semantics)


def covered(item: str, own: int, others: Others, semantics: Semantics) -> bool:
    """Whether every path ``item`` excludes is excluded by the items of ``others`` but group ``own``."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks:
        return False
    parents = semantics is Semantics.FFS12
    for mask in masks:
        for path in _instances(mask.pattern):
            path = normalize(path)
            if mask.kind is not MaskKind.FILE and not others.excluded(path, True, parents, own):
                return False
            if mask.kind is not MaskKind.FOLDER and not others.excluded(path, False, parents, own):
                return False
    return True
