"""Pair the two scanned sides by name and categorise each row (docs/comparison-and-sync.md sections 3-4).

Files pair with files, links with links, folders with folders. Names are grouped by FreeFileSync's
canonical form (12.0: Unicode-normalised, lower case; 14.10: upper case, leading and trailing spaces
trimmed); a group with one name per side is a pair, anything else is split by the exact NFC name,
and a name still used twice on one side is a conflict. Categories follow the compare variant:
TimeAndSize (tolerance, IgnoreTimeShift, invalid dates), Content (bytes), Size.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ffs_tools.ffs.model import CompareVariant
from ffs_tools.plan.contents import LOCAL, Reader, same_content, same_link
from ffs_tools.plan.listing import FileInfo, Folder

# categories (FreeFileSync's CompareFileResult, one vocabulary for both versions)
EQUAL = "equal"
LEFT_ONLY = "left_only"
RIGHT_ONLY = "right_only"
LEFT_NEWER = "left_newer"
RIGHT_NEWER = "right_newer"
DIFFERENT = "different"  # DIFFERENT_CONTENT
METADATA = "metadata"  # 12.0: names differ only (DIFFERENT_METADATA)
RENAMED = "renamed"  # 14.10: FILE_RENAMED
TIME_INVALID = "time_invalid"  # 14.10: same date/different size, invalid date
CONFLICT = "conflict"

TXT_SAME_DATE = "Files have the same date but a different size."
TXT_ATTRIBUTES = "Items differ in attributes only"
TXT_AMBIGUOUS_NAME = 'The name "{}" is used by more than one item in the folder.'
TXT_INVALID_DATE = 'File "{}" has an invalid date.'


@dataclass(frozen=True)
class CompareSettings:
    variant: CompareVariant
    version: str  # "12" or "14"
    tolerance: int = 2  # GlobalSettings FileTimeTolerance
    shifts: tuple[int, ...] = ()  # IgnoreTimeShift, minutes
    now: int = field(default_factory=lambda: int(time.time()))


@dataclass(eq=False, slots=True)
class Row:
    """One row of FreeFileSync's comparison grid: an item on one or both sides."""

    kind: str  # "file" | "folder" | "symlink"
    name_l: str | None
    name_r: str | None
    left: Any  # FileInfo | LinkInfo | Folder | None
    right: Any
    cat: str = EQUAL
    text: str = ""  # the category's conflict text
    active: bool = True
    children: list[Row] = field(default_factory=list)
    direction: str = "none"  # "left" | "right" | "none"
    conflict: str | None = None  # direction conflict text
    move: Row | None = None  # the other half of a detected move
    moved: bool = False  # a move half found by fingerprint: its name is new

    @property
    def name(self) -> str:
        return self.name_l if self.name_l is not None else self.name_r  # type: ignore[return-value]


def parse_shifts(text: str) -> tuple[int, ...]:
    """IgnoreTimeShift as minutes: entries ``H`` or ``H:MM`` separated by ``,``/``;``/space; 0 and sign dropped."""
    out: set[int] = set()
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        part = part.strip().lstrip("-+")
        if not part:
            continue
        hours, _, minutes = part.partition(":")
        try:
            value = int(hours or "0") * 60 + int(minutes or "0")
        except ValueError:
            continue
        if value:
            out.add(value)
    return tuple(sorted(out))


def same_time(a: int, b: int, tolerance: int, shifts: tuple[int, ...]) -> bool:
    """``sameFileTime``: equal within the tolerance, or within the tolerance of a whole ignored shift."""
    if tolerance < 0:
        return True
    d = abs(a - b)
    if d <= tolerance:
        return True
    return any(abs(d - 60 * m) <= tolerance for m in shifts)


def _key12(name: str) -> str:
    return name.lower() if name.isascii() else unicodedata.normalize("NFC", name).lower()


def _key14(name: str) -> str:
    up = name.upper() if name.isascii() else unicodedata.normalize("NFC", name).upper()
    return up.strip(" ")


def _nfc(name: str) -> str:
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def pair_names(left: Iterable[str], right: Iterable[str], version: str) -> list[tuple[str | None, str | None, bool]]:
    """``(left name, right name, ambiguous)`` for every row of one item type in one folder."""
    key = _key12 if version == "12" else _key14
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for name in left:
        groups.setdefault(key(name), ([], []))[0].append(name)
    for name in right:
        groups.setdefault(key(name), ([], []))[1].append(name)
    out: list[tuple[str | None, str | None, bool]] = []
    for ls, rs in groups.values():
        if len(ls) <= 1 and len(rs) <= 1:
            out.append((ls[0] if ls else None, rs[0] if rs else None, False))
            continue
        sub: dict[str, tuple[list[str], list[str]]] = {}
        for name in ls:
            sub.setdefault(_nfc(name), ([], []))[0].append(name)
        for name in rs:
            sub.setdefault(_nfc(name), ([], []))[1].append(name)
        for sl, sr in sub.values():
            if len(sl) <= 1 and len(sr) <= 1:
                out.append((sl[0] if sl else None, sr[0] if sr else None, False))
            else:
                out.extend((n, None, True) for n in sl)
                out.extend((None, n, True) for n in sr)
    return out


def pair_names_sorted(left: Iterable[str], right: Iterable[str],
                      version: str) -> list[tuple[str | None, str | None, bool]]:
    """:func:`pair_names`, sorted by name; the common case (ASCII names, no two of which differ only by case
    or, for 14.10, by outer spaces) is paired by exact name without per-name Python work."""
    names = set(left) | set(right)
    if not names:
        return []
    joined = "\0".join(names)
    spaces = joined[0] == " " or joined[-1] == " " or " \0" in joined or "\0 " in joined
    if joined.isascii() and (version == "12" or not spaces) and len(set(joined.lower().split("\0"))) == len(names):
        lset, rset = set(left), set(right)
        return [(n if n in lset else None, n if n in rset else None, False) for n in sorted(names)]
    return sorted(pair_names(left, right, version), key=lambda p: (p[0] if p[0] is not None else p[1]) or "")


class Comparer:
    """Builds the row tree of one folder pair."""

    def __init__(self, cfg: CompareSettings, left_root: str, right_root: str,
                 readers: tuple[Reader, Reader] = (LOCAL, LOCAL), shown: tuple[str, str] | None = None) -> None:
        """``readers``: where each side's files are read (Content, links); ``shown``: the base folders as
        FreeFileSync names them in its texts (default: the roots)."""
        self.cfg = cfg
        self.roots = (left_root, right_root)
        self.readers = readers
        self.shown = shown or self.roots
        self.max_time = cfg.now + 365 * 24 * 3600
        self.rows = 0  # every row, equal ones included (the significant-difference rule counts them)

    def compare(self, left: Folder | None, right: Folder | None) -> list[Row]:
        """The rows below the two base folders (either may be missing: ``None``)."""
        return self._merge(left, right, "")

    def _merge(self, left: Folder | None, right: Folder | None, rel_l: str) -> list[Row]:
        rows: list[Row] = []
        lf, rf = left or Folder(), right or Folder()
        version = self.cfg.version
        for kind, lmap, rmap in (("file", lf.files, rf.files), ("symlink", lf.links, rf.links)):
            if lmap or rmap:
                self._merge_items(kind, lmap, rmap, rel_l, rows)
        for nl, nr, ambiguous in pair_names_sorted(lf.folders, rf.folders, version):
            sl = lf.folders[nl] if nl is not None else None
            sr = rf.folders[nr] if nr is not None else None
            row = Row("folder", nl, nr, sl, sr, active=(sl is None or sl.active) and (sr is None or sr.active))
            self._categorise_folder(row, ambiguous)
            row.children = self._merge(sl, sr, f"{rel_l}/{row.name}" if rel_l else row.name)
            if row.active or row.children:  # stripExcludedDirectories
                rows.append(row)
        self.rows += len(rows)
        return rows

    def _merge_items(self, kind: str, lmap: dict[str, Any], rmap: dict[str, Any], rel: str, rows: list[Row]) -> None:
        fast = kind == "file" and self.cfg.variant is CompareVariant.TIME_AND_SIZE and self.cfg.tolerance >= 0
        tol = self.cfg.tolerance
        for nl, nr, ambiguous in pair_names_sorted(lmap, rmap, self.cfg.version):
            if fast and nl is not None and nl == nr:
                fl, fr = lmap[nl], rmap[nr]
                if -tol <= fl.mtime - fr.mtime <= tol and fl.size == fr.size:
                    rows.append(Row(kind, nl, nr, fl, fr))  # the common case: equal
                    continue
            row = Row(kind, nl, nr, lmap[nl] if nl is not None else None, rmap[nr] if nr is not None else None)
            self._categorise(row, ambiguous, rel)
            rows.append(row)

    def _one_sided(self, row: Row, ambiguous: bool) -> bool:
        if row.name_r is None or row.name_l is None:
            row.cat = LEFT_ONLY if row.name_r is None else RIGHT_ONLY
            if ambiguous:
                row.cat, row.text = CONFLICT, TXT_AMBIGUOUS_NAME.format(row.name)
            return True
        return False

    def _names_differ(self, row: Row) -> str:
        """The category of an otherwise equal pair whose names differ (by case or normal form)."""
        if _nfc(row.name_l or "") == _nfc(row.name_r or ""):
            return EQUAL
        if self.cfg.version == "12":
            row.text = TXT_ATTRIBUTES
            return METADATA
        return RENAMED

    def _categorise_folder(self, row: Row, ambiguous: bool) -> None:
        if not self._one_sided(row, ambiguous):
            row.cat = self._names_differ(row)

    def _categorise(self, row: Row, ambiguous: bool, rel: str) -> None:
        if self._one_sided(row, ambiguous):
            return
        variant = self.cfg.variant
        if row.kind == "symlink":
            if variant is CompareVariant.TIME_AND_SIZE:
                self._by_time(row, rel, check_size=False)
            else:
                row.cat = self._names_differ(row) if same_link(row.left, row.right, self.readers) else DIFFERENT
            return
        fl: FileInfo = row.left
        fr: FileInfo = row.right
        if variant is CompareVariant.TIME_AND_SIZE:
            self._by_time(row, rel, check_size=True)
        elif fl.size != fr.size:
            row.cat = DIFFERENT
        elif variant is CompareVariant.SIZE or same_content(*self._full_paths(row, rel), self.readers):
            row.cat = self._names_differ(row)
        else:
            row.cat = DIFFERENT

    def _full_paths(self, row: Row, rel: str, roots: tuple[str, str] | None = None) -> tuple[str, str]:
        def full(root: str, name: str | None) -> str:
            return "/".join(p for p in (root, rel, name or "") if p)

        base = roots or self.roots
        return full(base[0], row.name_l), full(base[1], row.name_r)

    def _by_time(self, row: Row, rel: str, check_size: bool) -> None:
        lt, rt = row.left.mtime, row.right.mtime
        cfg = self.cfg
        bad_cat = CONFLICT if cfg.version == "12" else TIME_INVALID
        if same_time(lt, rt, cfg.tolerance, cfg.shifts):
            if check_size and row.left.size != row.right.size:
                row.cat, row.text = bad_cat, TXT_SAME_DATE
            else:
                row.cat = self._names_differ(row)
        elif lt < 0 or lt > self.max_time:
            row.cat, row.text = bad_cat, TXT_INVALID_DATE.format(self._full_paths(row, rel, self.shown)[0])
        elif rt < 0 or rt > self.max_time:
            row.cat, row.text = bad_cat, TXT_INVALID_DATE.format(self._full_paths(row, rel, self.shown)[1])
        else:
            row.cat = RIGHT_NEWER if lt < rt else LEFT_NEWER


def walk(rows: list[Row], fn: Callable[[Row], None]) -> None:
    """Call ``fn`` for every row, pre-order."""
    stack = list(reversed(rows))
    while stack:
        row = stack.pop()
        fn(row)
        stack.extend(reversed(row.children))
