"""One ``.gitignore`` line -> FreeFileSync exclude items that match exactly the same paths, or why not.

The two languages differ (README "The repository's .gitignore"), and each difference is handled here
on purpose:

* anchoring: a pattern without a slash (other than a trailing one) matches a name at any depth below
  its ``.gitignore``'s folder: ``*/name`` for the top folder (FreeFileSync's ``*/x`` also matches ``x``
  at the base), ``/sub/name`` plus ``/sub/*/name`` for a nested file; a leading or middle slash anchors
  the pattern at the ``.gitignore``'s folder; a trailing slash is folder-only in both.
* ``*``: git's stops at ``/``, FreeFileSync's does not. A translated item still matches exactly the
  same paths (counting parents, which both do) when every ``*`` sits in the last segment and
  that segment has at most one literal chunk between stars (``*.log``, ``name*``, ``*foo*``):
  wherever FreeFileSync's ``*`` runs across a ``/``, some component of the path, the path itself or
  a parent folder, matches in git too. Without a ``**`` before it, the segment must start with its
  chunk (``name*``), else the star could float into a deeper folder. ``a*b`` is not exact: FreeFileSync's
  ``*/a*b`` matches ``a/x/b``. ``?`` never crosses ``/`` in either.
* ``**``: ``**/x`` = ``*/x``; ``a/**`` = ``/a/?*``: everything inside ``a`` but not ``a`` itself (git
  decides the folder ``a`` without a trailing slash, and ``a/**`` does not match it; only
  ``git check-ignore a/`` with the slash says otherwise); ``a/**/b`` = ``/a/b`` + ``/a/*/b``.
* character classes (``[abc]``, ``[0-9]``) become the finite set of their alternatives (at most
  :data:`MAX_ALTERNATIVES`); negated classes and escaped wildcards have no FreeFileSync equivalent.
* FreeFileSync's own syntax: ``|`` separates items, a trailing ``:`` makes an item file-only, the
  item is trimmed, ``\\`` is a separator; names needing those cannot be written.

Whatever is not exact here is left to :mod:`ffs_tools.policy.gitignore_tree`, which expands the rule
against the local tree or reports it. Case (git on Linux is case-sensitive, FreeFileSync never is) is
checked there too, on the paths that exist.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

#: at most this many items from the character classes of one rule
MAX_ALTERNATIVES = 16
#: at most this many "**" segments in one rule (each doubles the items)
MAX_DOUBLE_STARS = 3

STAR = "\0*"  # a wildcard token (the plain characters "*" and "?" are literal after an escape)
QMARK = "\0?"


@dataclass(frozen=True)
class Syntax:
    """The exact items of one rule, or the reason there are none."""

    items: tuple[str, ...]
    problem: str = ""  # "" when items are exact


class _Untranslatable(Exception):
    pass


def translate(text: str, folder: str) -> Syntax:
    """The exact FreeFileSync items for the (non-negated) ``.gitignore`` line ``text`` in ``folder``."""
    body = text.rstrip(" ") if not text.rstrip(" ").endswith("\\") else text.rstrip(" ") + " "
    body = body[1:] if body.startswith("!") else body
    dir_only = body.endswith("/")
    body = body.rstrip("/")
    anchored = "/" in body
    segments = body.lstrip("/").split("/")
    if not anchored:
        segments = ["**", *segments]
    try:
        alternatives = [_tokens(seg) for seg in segments]
        items: list[str] = []
        for combo in _expand_classes(alternatives):
            items += _items(combo, folder, dir_only)
    except _Untranslatable as exc:
        return Syntax((), str(exc))
    unique = list(dict.fromkeys(items))
    seen: set[str] = set()
    out = []
    for item in unique:  # FreeFileSync matches without case: [Bb]uild gives one item
        if item.upper() not in seen:
            seen.add(item.upper())
            out.append(item)
    return Syntax(tuple(out))


def _tokens(segment: str) -> list[list[str]]:
    """A segment as tokens; a class becomes a list of its characters (expanded later)."""
    if segment == "**":
        return [["**"]]
    out: list[list[str]] = []
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "\\":
            if i + 1 >= len(segment):
                raise _Untranslatable("a trailing backslash")
            nxt = segment[i + 1]
            if nxt in "*?[":
                raise _Untranslatable(f"an escaped \\{nxt}: FreeFileSync has no escape for its wildcards")
            out.append([nxt])
            i += 2
        elif ch == "*":
            if not (out and out[-1] == [STAR]):
                out.append([STAR])
            i += 1
        elif ch == "?":
            out.append([QMARK])
            i += 1
        elif ch == "[":
            chars, i = _char_class(segment, i)
            out.append(chars)
        else:
            out.append([ch])
            i += 1
    return out


def _char_class(segment: str, start: int) -> tuple[list[str], int]:
    """The characters of the class at ``segment[start] == "["`` and the index after it."""
    i = start + 1
    if i < len(segment) and segment[i] in "!^":
        raise _Untranslatable("a negated character class: FreeFileSync has no character classes")
    chars: list[str] = []
    first = True
    while i < len(segment) and (first or segment[i] != "]"):
        first = False
        ch = segment[i]
        if ch == "\\" and i + 1 < len(segment):
            ch, i = segment[i + 1], i + 1
        elif ch == "[" and segment.startswith("[:", i):
            raise _Untranslatable("a POSIX character class")
        if i + 2 < len(segment) and segment[i + 1] == "-" and segment[i + 2] != "]":
            low, high = ord(ch), ord(segment[i + 2])
            if high < low or high - low > MAX_ALTERNATIVES:
                raise _Untranslatable(f"a character range with more than {MAX_ALTERNATIVES} characters")
            chars += [chr(c) for c in range(low, high + 1)]
            i += 3
        else:
            chars.append(ch)
            i += 1
    if i >= len(segment):
        raise _Untranslatable("an unterminated character class")
    if "/" in chars:
        raise _Untranslatable("a character class with a slash")
    return list(dict.fromkeys(chars)), i + 1


def _expand_classes(segments: list[list[list[str]]]) -> list[list[list[str]]]:
    """Every combination of class characters: segments of single-choice tokens."""
    choices = [tok for seg in segments for tok in seg]
    count = 1
    for tok in choices:
        count *= len(tok)
    if count > MAX_ALTERNATIVES:
        raise _Untranslatable(f"character classes with more than {MAX_ALTERNATIVES} combinations")
    out = []
    for pick in itertools.product(*choices):
        it = iter(pick)
        out.append([[next(it) for _ in seg] for seg in segments])
    return out


def _items(segments: list[list[str]], folder: str, dir_only: bool) -> list[str]:
    """The items of one class-free combination (segments of tokens)."""
    segs: list[list[str]] = []
    for seg in segments:  # "**/**" is "**"
        if not (seg == ["**"] and segs and segs[-1] == ["**"]):
            segs.append(seg)
    if sum(seg == ["**"] for seg in segs) > MAX_DOUBLE_STARS:
        raise _Untranslatable(f'more than {MAX_DOUBLE_STARS} "**"')
    if segs[-1] == ["**"]:
        if len(segs) == 1:  # "**" alone: everything below the .gitignore's folder
            return [f"/{folder}/?*" if folder else "*"]
        segs = [*segs[:-1], [STAR]]  # "a/**": everything inside a (not a itself, as git decides "a")
    texts = _segment_texts(segs)
    heads = [f"/{folder}/" if folder else "/"]
    start = 0
    if segs[0] == ["**"]:
        heads = [f"/{folder}/", f"/{folder}/*/"] if folder else ["*/"]
        start = 1
    bodies = [""]
    for i in range(start, len(segs)):
        if segs[i] == ["**"]:
            bodies = [b + extra for b in bodies for extra in ("", "*/")]
        else:
            bodies = [b + texts[i] + ("/" if i < len(segs) - 1 else "") for b in bodies]
    items = [head + body + ("/" if dir_only else "") for head in heads for body in bodies]
    for item in items:
        _check_ffs_syntax(item)
    return items


def _segment_texts(segs: list[list[str]]) -> list[str]:
    """Each segment as FreeFileSync text, checking that its stars cannot match more than git's."""
    texts = []
    last = len(segs) - 1
    for i, seg in enumerate(segs):
        if seg == ["**"]:
            texts.append("")
            continue
        stars = seg.count(STAR)
        chunks = [k for k, grp in itertools.groupby(seg, key=lambda t: t == STAR) if not k]
        floating = i > 0 and segs[i - 1] == ["**"]
        if stars and i != last:
            raise _Untranslatable("a * before the last /: FreeFileSync's * also crosses folders")
        if stars and len(chunks) > 1:
            raise _Untranslatable("two literal parts around a *: FreeFileSync's * would match across folders")
        if stars and not floating and chunks and seg[0] == STAR:
            raise _Untranslatable("a * at the start of an anchored name: FreeFileSync's * would match deeper")
        text = "".join("*" if t == STAR else "?" if t == QMARK else t for t in seg)
        if seg == [STAR]:
            text = "?*"  # one or more characters, and never the folder-only "x/*" form
        texts.append(text)
    return texts


def _check_ffs_syntax(item: str) -> None:
    """Names FreeFileSync's item syntax cannot carry."""
    if "|" in item:
        raise _Untranslatable("a | in a name: FreeFileSync separates items with |")
    if "\\" in item:
        raise _Untranslatable("a backslash in a name: FreeFileSync reads it as a folder separator")
    if item != item.strip(" \t\r\n\v\f"):
        raise _Untranslatable("white space at the end of a name: FreeFileSync trims items")
    if item.endswith(":"):
        raise _Untranslatable("a name ending in a colon: FreeFileSync reads item: as file-only")
    if "\0" in item:
        raise _Untranslatable("a NUL character")
