"""FreeFileSync's include/exclude filter semantics, exactly.

One pure module; nothing here touches the disk. docs/filter-semantics.md is the
specification and ``fixtures/conformance`` (what the real FreeFileSync 12.0
and 14.10 synced) is the judge.

Vocabulary:

* A *phrase* is the text of an ``<Include>`` or ``<Exclude>`` list: the
  ``<Item>`` texts joined by newlines. It is split at ``|`` and newline into
  *items*; each item is trimmed and gives one or two *masks*.
* A mask is upper-cased, uses ``/`` as separator and is one of three kinds:
  file-only (``x:``), folder-only (``x/``, ``x/*``) or both (plain).
* Masks match "the path or any parent path" (a match may end at ``/``),
  except file masks under 14.8+ semantics, which must match the file path
  itself.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from ffs_tools.ffs import versions
from ffs_tools.ffs.model import FilterConfig

#: What FreeFileSync adds to every pair's exclude list (docs/filter-semantics.md#always-excluded).
BUILTIN_EXCLUDES: tuple[str, ...] = ("*.ffs_db", "*.ffs_lock")


class Semantics(enum.Enum):
    """Which FreeFileSync's matching rules to apply."""

    #: FreeFileSync up to 14.7: file masks also match the file's parent folders.
    FFS12 = "12"
    #: FreeFileSync 14.8 and newer: file masks must match the file path itself.
    FFS14 = "14"

    @property
    def label(self) -> str:
        return "FreeFileSync <= 14.7" if self is Semantics.FFS12 else "FreeFileSync >= 14.8"


NEWEST = Semantics.FFS14


def semantics_for(version: str) -> Semantics:
    """Map a FreeFileSync version (``12``, ``13``, ``14.7``, ``14.10`` ...) to its semantics.

    Raises ``ValueError`` for anything that is not a version number.
    """
    parsed = versions.parse(version)
    if parsed is None:
        raise ValueError(f"not a FreeFileSync version: {version!r} (expected e.g. 12, 13, 14.8)")
    major, minor = parsed
    if major > 14 or (major == 14 and (minor is None or minor >= 8)):
        return Semantics.FFS14
    return Semantics.FFS12


def semantics_of(version: str | None, xml_format: int | None) -> Semantics:
    """The semantics to judge a file with: ``version`` when given, else the file's XmlFormat
    (up to 19: written by FreeFileSync <= 12.5; 23: 13.0 and newer, judged as the newest; unknown: the newest).

    Raises ``ValueError`` for a ``version`` that is not a version number.
    """
    if version:
        return semantics_for(version)
    if xml_format is None or xml_format <= 0:
        return NEWEST
    return Semantics.FFS12 if versions.before_13(xml_format) else Semantics.FFS14


class MaskKind(enum.Enum):
    FILE = "file"
    FOLDER = "folder"
    BOTH = "file and folder"


class Origin(enum.Enum):
    GLOBAL = "global"
    PAIR = "pair"
    BUILTIN = "builtin"


#: (origin, list, item index) -> (line, column) of each filter item in that ``<Item>``'s text, in order
ItemPlaces = Mapping[tuple[Origin, str, int], Sequence[tuple[int, int]]]


@dataclass(frozen=True)
class ItemSource:
    """Where a filter item came from: which filter, which list, which ``<Item>``."""

    origin: Origin
    list_name: str  # "include" | "exclude"
    index: int  # 0-based index of the <Item> element (or of the built-in item)
    line: int | None = None
    #: where the item's text starts on ``line`` (1-based characters; None: only the line is known)
    column: int | None = None

    def describe(self) -> str:
        if self.origin is Origin.BUILTIN:
            return "built-in exclude of FreeFileSync"
        where = "global filter" if self.origin is Origin.GLOBAL else "pair filter"
        return f"{where} {self.list_name} item {self.index + 1}"


@dataclass(frozen=True)
class Mask:
    """One compiled mask with the filter item it came from."""

    text: str  # the trimmed item text as the user wrote it
    pattern: str  # normalised: upper case, "/" separators, tail removed
    kind: MaskKind
    source: ItemSource
    wildcard: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wildcard", "*" in self.pattern or "?" in self.pattern)

    def _regex(self, parents: bool) -> re.Pattern[str]:
        """The mask as a regex (compiled on first use: most masks are only ever matched in a union)."""
        return re.compile(mask_regex(self.pattern) + (r"(?=/|\Z)" if parents else r"\Z"), re.S)

    def matches(self, path: str, parents: bool = True) -> bool:
        """Whether this mask matches normalised ``path`` (or, with ``parents``, one of its ancestors)."""
        if self.wildcard:
            return self._regex(parents).match(path) is not None
        if not parents:
            return path == self.pattern
        p = self.pattern
        return path == p or (path.startswith(p) and path[len(p)] == "/")

    def matches_begin(self, folder: str) -> bool:
        """Whether something strictly below ``folder`` could match this mask."""
        mask, n = self.pattern, len(folder)
        if not self.wildcard:
            return len(mask) > n + 1 and mask[n] == "/" and mask.startswith(folder)
        for i, m in enumerate(mask):
            if m == "*":
                return True
            if m == "?":
                if i >= n or folder[i] == "/":
                    return False
            elif i >= n:
                # the folder path is used up: a separator must follow, and something after it
                return m == "/" and len(mask) - i > 1
            elif folder[i] != m:
                return False
        return False


@functools.lru_cache(maxsize=4096)
def mask_regex(pattern: str) -> str:
    out: list[str] = []
    for ch in pattern:
        if ch == "*":
            if not out or out[-1] != ".*":
                out.append(".*")
        elif ch == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def normalize(text: str) -> str:
    """FreeFileSync's path normalisation for matching: NFC, simple upper case per character."""
    if text.isascii():
        return text.upper()
    import unicodedata  # only for non-ASCII names

    text = unicodedata.normalize("NFC", text)
    return "".join(c if len(u := c.upper()) != 1 else u for c in text)


def split_items(phrase_items: Sequence[str]) -> list[tuple[int, str]]:
    """Split ``<Item>`` texts into trimmed filter items, keeping the ``<Item>`` index of each."""
    out: list[tuple[int, str]] = []
    for index, text in enumerate(phrase_items):
        for part in re.split(r"[|\n]", text):
            item = part.strip(" \t\r\n\v\f")
            if item:
                out.append((index, item))
    return out


def split_parts(phrase_items: Sequence[str]) -> list[tuple[int, int, str]]:
    """:func:`split_items` with the number of each item inside its ``<Item>`` text (0, 1, ... for ``a|b``):
    ``(<Item> index, part, item)``."""
    out: list[tuple[int, int, str]] = []
    seen: dict[int, int] = {}
    for index, item in split_items(phrase_items):
        seen[index] = seen.get(index, -1) + 1
        out.append((index, seen[index], item))
    return out


def compile_item(item: str, source: ItemSource) -> list[Mask]:
    """The masks one trimmed filter item gives (docs/filter-semantics.md#parsing-a-filter-phrase steps 2-5)."""
    fmt = normalize(item).replace("\\", "/")
    phrases: list[str]
    if fmt.startswith("/"):
        phrases = [fmt[1:]]
    else:
        phrases = [fmt]
        if fmt.startswith("*/"):
            phrases.append(fmt[2:])
    masks: list[Mask] = []
    for phrase in phrases:
        if phrase.endswith(":"):
            if phrase[:-1]:
                masks.append(Mask(item, phrase[:-1], MaskKind.FILE, source))
        elif phrase.endswith("/") or phrase.endswith("/*"):
            folder = phrase[: phrase.rindex("/")]
            if folder:
                masks.append(Mask(item, folder, MaskKind.FOLDER, source))
        elif phrase:
            masks.append(Mask(item, phrase, MaskKind.BOTH, source))
    return masks


class MaskSet:
    """The masks of one include or exclude list, split into file and folder masks."""

    def __init__(self, masks: Iterable[Mask]) -> None:
        self.masks = list(masks)
        self.file_masks = [m for m in self.masks if m.kind is not MaskKind.FOLDER]
        self.folder_masks = [m for m in self.masks if m.kind is not MaskKind.FILE]
        self.file_plain = frozenset(m.pattern for m in self.file_masks if not m.wildcard)
        self._folder_plain = {m.pattern for m in self.folder_masks if not m.wildcard}
        self._wild_files = [m for m in self.file_masks if m.wildcard]
        self._wild_folders = [m for m in self.folder_masks if m.wildcard]

    # the unions are compiled on first use: lint builds many filters and asks each only a few questions

    @functools.cached_property
    def _file_any(self) -> re.Pattern[str] | None:
        return _union(self._wild_files, parents=True)

    @functools.cached_property
    def file_full_rx(self) -> re.Pattern[str] | None:
        return _union(self._wild_files, parents=False)

    @functools.cached_property
    def _folder_any(self) -> re.Pattern[str] | None:
        return _union(self._wild_folders, parents=True)

    @property
    def empty(self) -> bool:
        return not self.masks

    def file_matches(self, path: str, parents: bool) -> bool:
        if self.file_plain:
            if path in self.file_plain:
                return True
            if parents and _any_ancestor_in(path, self.file_plain):
                return True
        rx = self._file_any if parents else self.file_full_rx
        return bool(rx and rx.match(path))

    def file_full(self, path: str) -> bool:
        """A file mask matches ``path`` itself (not an ancestor)."""
        if path in self.file_plain:
            return True
        rx = self.file_full_rx
        return rx is not None and rx.match(path) is not None

    def folder_matches(self, path: str) -> bool:
        if self._folder_plain and (path in self._folder_plain or _any_ancestor_in(path, self._folder_plain)):
            return True
        return bool(self._folder_any and self._folder_any.match(path))

    def matches_begin(self, folder: str) -> bool:
        return any(m.matches_begin(folder) for m in self.masks)

    def first_file_match(self, path: str, parents: bool) -> Mask | None:
        return next((m for m in self.file_masks if m.matches(path, parents)), None)

    def first_folder_match(self, path: str) -> Mask | None:
        return next((m for m in self.folder_masks if m.matches(path)), None)


def _union(masks: list[Mask], parents: bool) -> re.Pattern[str] | None:
    return _compiled_union(tuple(m.pattern for m in masks), parents) if masks else None


@functools.lru_cache(maxsize=1024)
def _compiled_union(patterns: tuple[str, ...], parents: bool) -> re.Pattern[str]:
    """One regex for many masks (the same lists recur across the filters lint builds for its probes)."""
    tail = r"(?=/|\Z)" if parents else r"\Z"
    return re.compile("(?:" + "|".join(mask_regex(p) for p in patterns) + ")" + tail, re.S)


def _any_ancestor_in(path: str, plain: frozenset[str] | set[str]) -> bool:
    i = path.rfind("/")
    while i > 0:
        if path[:i] in plain:
            return True
        i = path.rfind("/", 0, i)
    return False


def _never(_: str) -> bool:
    return False


def _always(_: str) -> bool:
    return True


#: why an item is or is not synced
Reason = Literal["excluded", "included", "not included", "parent excluded", "parent not traversed", "traversed",
                 "soft folder", "included, soft", "soft excluded", "link excluded", "inside link"]


class Decision(NamedTuple):
    """Why an item is or is not synced."""

    synced: bool
    reason: Reason
    mask: Mask | None = None
    #: for items below an excluded or not-traversed folder: that folder
    via: str | None = None


class PathFilter:
    """The combined filter of one folder pair: global filter AND pair filter, plus built-ins.

    Includes of the global and the pair filter must both match; excludes of
    both (and FreeFileSync's built-in ``*.ffs_db``/``*.ffs_lock``) are ORed.
    A global include of exactly ``*`` is dropped, as FreeFileSync does.
    """

    def __init__(self, includes: Sequence[MaskSet], exclude: MaskSet, semantics: Semantics = NEWEST) -> None:
        self.includes = list(includes)
        self.exclude = exclude
        self.semantics = semantics
        self._parents = semantics is Semantics.FFS12

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_lists(cls, include: Sequence[str], exclude: Sequence[str],
                   semantics: Semantics = NEWEST, origin: Origin = Origin.PAIR) -> PathFilter:
        """A filter from include/exclude item texts (one pair filter over the default global one)."""
        return cls.from_configs(None, FilterConfig(include=tuple(include), exclude=tuple(exclude)),
                                semantics, pair_origin=origin)

    @classmethod
    def from_configs(cls, global_filter: FilterConfig | None, pair_filter: FilterConfig | None,
                     semantics: Semantics = NEWEST, lines: dict[tuple[Origin, str, int], int] | None = None,
                     pair_origin: Origin = Origin.PAIR, places: ItemPlaces | None = None) -> PathFilter:
        """The effective filter of a pair. ``lines`` maps (origin, list, item index) to a line; ``places``,
        when known, to the (line, column) of each filter item in that ``<Item>``'s text."""
        lines = lines or {}
        places = places or {}
        includes: list[MaskSet] = []
        excludes: list[Mask] = []
        for origin, cfg in ((Origin.GLOBAL, global_filter), (pair_origin, pair_filter)):
            if cfg is None:
                continue
            inc = _compile_list(cfg.include, origin, "include", lines, places)
            if not (origin is Origin.GLOBAL and [t.strip() for t in cfg.include] == ["*"]):
                includes.append(MaskSet(inc))
            excludes.extend(_compile_list(cfg.exclude, origin, "exclude", lines, places))
        for i, item in enumerate(BUILTIN_EXCLUDES):
            excludes.extend(compile_item(item, ItemSource(Origin.BUILTIN, "exclude", i)))
        if not includes:
            includes.append(MaskSet(compile_item("*", ItemSource(Origin.GLOBAL, "include", 0,
                                                                   lines.get((Origin.GLOBAL, "include", 0))))))
        return cls(includes, MaskSet(excludes), semantics)

    # -- decisions ----------------------------------------------------------------------

    def pass_file(self, path: str) -> bool:
        """Whether the file at relative POSIX ``path`` passes (FreeFileSync's ``passFileFilter``)."""
        p = normalize(path)
        parent = p[: p.rfind("/")] if "/" in p else ""
        ex = self.exclude
        if ex.file_matches(p, self._parents) or (parent and ex.folder_matches(parent)):
            return False
        return all(inc.file_matches(p, self._parents) or (parent != "" and inc.folder_matches(parent))
                   for inc in self.includes)

    def file_test(self, folder: str) -> Callable[[str], bool]:
        """A fast :meth:`pass_file` for normalised paths of files directly in ``folder``.

        The part of the decision that is the same for every file of a folder is made here, once:
        ``folder`` is normalised (:func:`normalize`), ``""`` for the base folder, and must be a folder
        FreeFileSync enters (so the exclude folder masks cannot match it).
        """
        parents = self._parents
        if folder and parents and self.exclude.file_matches(folder, True):
            return _never  # up to 14.7 a file mask matching a parent folder excludes every file in it
        pending = [inc for inc in self.includes
                   if not (folder and (inc.folder_matches(folder) or (parents and inc.file_matches(folder, True))))]
        ex_plain, ex_rx = self.exclude.file_plain, self.exclude.file_full_rx
        ex_match = ex_rx.match if ex_rx is not None else None
        if not pending:
            if ex_match is None:
                return (lambda p: p not in ex_plain) if ex_plain else _always
            return lambda p: p not in ex_plain and ex_match(p) is None
        return lambda p: not self.exclude.file_full(p) and all(inc.file_full(p) for inc in pending)

    def pass_dir(self, path: str) -> tuple[bool, bool]:
        """``(passes, traverse)`` for the folder at ``path`` (FreeFileSync's ``passDirFilter``).

        ``traverse`` says whether anything below the folder could still pass.
        """
        p = normalize(path)
        if self.exclude.folder_matches(p):
            return False, False
        passes = True
        for inc in self.includes:
            if not inc.folder_matches(p):
                passes = False
                if not inc.matches_begin(p):
                    return False, False
        return passes, True

    def closed_parent(self, path: str) -> str | None:
        """The first folder above ``path``, from the base down, that FreeFileSync does not enter (None: all are)."""
        parts = [s for s in path.strip("/").split("/") if s]
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if not self.pass_dir(folder)[1]:
                return folder
        return None

    def synced(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` travels, counting its parents: each is entered and the item itself passes."""
        if self.closed_parent(path) is not None:
            return False
        return self.pass_dir(path)[0] if is_dir else self.pass_file(path)

    def reaches(self, path: str, is_dir: bool) -> bool:
        """Whether anything at ``path`` can travel: a file that is synced, or a folder FreeFileSync enters
        (counting its parents), even when the folder itself is only created as the parent of included items."""
        if self.closed_parent(path) is not None:
            return False
        return self.pass_dir(path)[1] if is_dir else self.pass_file(path)

    def explain(self, path: str, is_dir: bool) -> Decision:
        """The decision for ``path`` with the filter item that made it, walking down from the base."""
        folder = self.closed_parent(path)
        if folder is not None:
            d = self._explain_one(folder, True)
            return Decision(False, "parent excluded" if d.reason == "excluded" else "parent not traversed",
                            d.mask, via=folder + "/")
        return self._explain_one("/".join(s for s in path.strip("/").split("/") if s), is_dir)

    def _explain_one(self, path: str, is_dir: bool) -> Decision:
        p = normalize(path)
        parent = p[: p.rfind("/")] if "/" in p else ""
        ex = self.exclude
        if is_dir:
            hit = ex.first_folder_match(p)
            if hit:
                return Decision(False, "excluded", hit)
            for inc in self.includes:
                inc_hit = inc.first_folder_match(p)
                if inc_hit is None:
                    if inc.matches_begin(p):
                        return Decision(False, "traversed", None)
                    return Decision(False, "not included", _first_include(inc))
            return Decision(True, "included", inc_hit)
        hit = ex.first_file_match(p, self._parents) or (ex.first_folder_match(parent) if parent else None)
        if hit:
            return Decision(False, "excluded", hit)
        mask: Mask | None = None
        for inc in self.includes:
            mask = inc.first_file_match(p, self._parents) or (inc.first_folder_match(parent) if parent else None)
            if mask is None:
                return Decision(False, "not included", _first_include(inc))
        return Decision(True, "included", mask)


def _first_include(inc: MaskSet) -> Mask | None:
    return inc.masks[0] if inc.masks else None


def _compile_list(items: Sequence[str], origin: Origin, list_name: str,
                  lines: dict[tuple[Origin, str, int], int], places: ItemPlaces) -> list[Mask]:
    masks: list[Mask] = []
    part: dict[int, int] = {}
    for index, item in split_items(items):
        key = (origin, list_name, index)
        k = part[index] = part.get(index, -1) + 1
        known = places.get(key, ())
        line, column = known[k] if k < len(known) else (lines.get(key), None)
        masks.extend(compile_item(item, ItemSource(origin, list_name, index, line, column)))
    return masks
