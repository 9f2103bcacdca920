r"""A suspicious filter item: `;` separator, regex syntax, `**`, fused items, an absolute path, a duplicate, dead.

## What it does
Looks at every include and exclude item (global and per pair) for the
mistakes people make when they assume another tool's syntax:

* ``;`` or ``,`` used as a separator (FreeFileSync splits only at ``|`` and
  new lines: ``*.tmp;*.bak`` is one item that matches nothing useful);
* regular-expression syntax (``^``, ``$``, ``[abc]``, ``\d``, ``.+``,
  ``(a|b)``): FreeFileSync knows only ``*`` and ``?``;
* ``**`` (gitignore syntax): ``**/venv/`` misses ``venv`` at the base folder;
* two items fused by a lost ``|`` or line break: ``*/._**/.DocumentRevisions-V100/``
  is ``*/._*`` and ``*/.DocumentRevisions-V100/`` run together (``**`` inside a
  name, followed by a separator, is no gitignore syntax); as one item it
  matches almost nothing, and ``ffs-tools lint --fix`` splits it into the two
  items;
* an absolute path or a drive letter: items are relative to the base folder;
* the same item twice in one list (the later one is reported, with the line
  of the first), or an exclude item whose matches the other items of the
  list already exclude; a catch-all item (``*\``, ``*``) that makes other
  items redundant is one finding at the catch-all, with their number, not one
  per item;
* an item that can never match (``\`` alone, an empty path component
  ``a//b``, ``.`` or ``..`` components).

## Why is this bad?
Each of these silently fails to exclude (or include) what the author meant,
and nothing in FreeFileSync says so.

## Example
```xml
<Item>*.pyc;*.pyo</Item>
<Item>C:\Users\me\proj\build\</Item>
```

## Fix
Write one item per ``<Item>`` (or separate with ``|``), use ``*`` and ``?``
only, write paths relative to the base folder (``\build\``), and use
``*/name/`` for "at every depth".
``ffs-tools lint --fix`` replaces the item in place where the repair is
unambiguous: fused items and ``*.tmp;*.bak`` are split into their items, a
leading ``**/`` becomes ``*/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ffs_tools.ffs.model import FilterConfig
from ffs_tools.filtering.engine import ItemSource, Mask, MaskKind, Origin, Semantics, compile_item, split_parts
from ffs_tools.findings import Edit, Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._paths import comparable
from ffs_tools.lint.rules._rewrite import rewrite_item
from ffs_tools.lint.rules._shadow import Others, covered, shadowed

CODE = "FFS141"
NAME = "suspicious-filter-item"
SEVERITY = Severity.WARNING
PROFILES = BOTH

_REGEX = re.compile(r"^\^|\$$|\[[^\]]*\]|\\[dwsDWS][+*?{]|\.\+|\.\*(?:[^*/\\]|[\\/].)|^\([^)]*$|^[^(]*\)$"
                    r"|\{\d+(,\d*)?\}")
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|//|~[\\/]|[\\/](?:home|Users|root)[\\/][^\\/]+)")


#: ``**`` right after a name character and right before a separator: the end of one item (``*/._*``) and
#: the start of the next (``*/.DocumentRevisions-V100/``) run together
_FUSED = re.compile(r"(.*[^/\\*])\*\*([/\\].*[^/\\*].*)")


def fused_parts(item: str) -> tuple[str, str] | None:
    """The two items a fused item is made of (None when it is not one, or the split is ambiguous)."""
    m = _FUSED.fullmatch(item)
    if m is None or item.count("*" * 2) != 1:
        return None
    return m.group(1) + "*", "*" + m.group(2)


def _syntax_problem(item: str) -> str | None:
    """What is wrong with the item's text by itself (checked first)."""
    parts = fused_parts(item)
    if parts is not None:
        return (f"`{item}` looks like two items fused by a lost `|` or line break: `{parts[0]}` and `{parts[1]}` "
                "(as one item it matches almost nothing)")
    if ";" in item or ("," in item and "*" in item):
        sep = ";" if ";" in item else ","
        return f"`{sep}` is not a separator in FreeFileSync: `{item}` is one item (use one <Item> per entry or `|`)"
    if "**" in item:
        return f"`**` is gitignore syntax: in FreeFileSync `*` already spans folders and `{item}` skips the base folder"
    if _REGEX.search(item):
        return f"`{item}` looks like a regular expression: FreeFileSync knows only `*` and `?`"
    if _ABSOLUTE.match(item):
        return _absolute(item)
    return None


def _absolute(item: str) -> str:
    return f"`{item}` is an absolute path: filter items are relative to the base folder of the pair"


def _in_roots(norm: str, roots: tuple[str, ...]) -> bool:
    """Whether the item (``comparable`` form) is a path inside one of the pair's folders."""
    return any(r and (norm == r or norm.startswith(r + "/")) for r in roots)


def _list_problem(item: str) -> str | None:
    """What is wrong with the item by its masks (checked after the syntax, duplicates and the pair's folders)."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks or any(_dead(m.pattern) for m in masks):
        return f"`{item}` can never match anything"
    return None


def _dead(pattern: str) -> bool:
    parts = pattern.split("/")
    return any(p == "" or p in (".", "..") for p in parts)


def _lists(ctx: Context) -> Iterator[tuple[str, int | None, FilterConfig, list[str]]]:
    """``(model key prefix, pair index or None, filter, folder roots)`` for the global and each pair's filter."""
    job = ctx.job
    assert job is not None
    roots = [comparable(p) for pair in job.pairs for p in (pair.left, pair.right) if p.strip()]
    yield "filter", None, job.filter, roots
    for i, pair in enumerate(job.pairs):
        if pair.filter is not None:
            yield f"pair.{i}.filter", i, pair.filter, [comparable(p) for p in (pair.left, pair.right) if p.strip()]


def repair(item: str) -> list[str] | None:
    """The items ``item`` was meant to be, when its syntax problem has one repair (None: no safe repair).

    Fused items split in two; ``*.log;*.tmp`` splits at ``;`` (FreeFileSync would take it as one name);
    a leading ``**/`` (gitignore's "at any depth") becomes ``*/``, which FreeFileSync matches at the base
    folder and below. Each resulting item must have no syntax problem of its own (``,`` stays: names hold it)."""
    found = fused_parts(item)
    if found is not None:
        return list(found)
    if ";" in item:
        pieces = [p.strip(" \t") for p in item.split(";")]
    elif item.startswith("**/") or item.startswith("**\\"):
        pieces = ["*" + item[2:]]
    else:
        return None
    if any(not p or _syntax_problem(p) for p in pieces):
        return None
    return pieces


def split_fix(key: str, text: str) -> tuple[Edit, ...]:
    """The edit that repairs the items of one ``<Item>`` text that :func:`repair` knows how to repair
    (``key`` is the ``<Item>``'s model key); the others stay as written."""
    return rewrite_item(key, text, repair)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.job is None:
        return
    places = ctx.positions()
    for prefix, pair, cfg, roots in _lists(ctx):
        for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
            for index, part, message, first in _list_problems(items, list_name, tuple(roots), ctx.semantics):
                key = f"{prefix}.{list_name}.{index}"
                known = places.get(key, ())
                if first is not None:
                    message = _duplicate(message, ctx.item_place(f"{prefix}.{list_name}.{first[0]}", first[1]))
                fix = split_fix(key, items[index]) if _repairable(items[index], part, message) else ()
                fused = "fused by a lost" in message
                yield ctx.finding(CODE, SEVERITY, key, message,
                                  "split it into two items (ffs-tools lint --fix does)" if fused else
                                  "replace it as ffs-tools lint --fix does: " + ", ".join(
                                      f"`{i}`" for i in repair(_part(items[index], part)) or ()) if fix else
                                  "see `ffs-tools rules FFS141` for FreeFileSync's filter syntax",
                                  fix, pairs=(pair,), at=known[part] if part < len(known) else None)


def _part(text: str, part: int) -> str:
    """Filter item number ``part`` of one ``<Item>`` text."""
    return [item for _, _, item in split_parts([text])][part]


def _repairable(text: str, part: int, message: str) -> bool:
    """Whether the finding is about the item's own syntax (not a duplicate or a dead item) and has one repair."""
    item = _part(text, part)
    return message == _syntax_problem(item) and repair(item) is not None


def _duplicate(message: str, first: tuple[int, int] | None) -> str:
    """A duplicate's message with the line of the item it repeats, when known."""
    return message.replace(_EARLIER, f"{_EARLIER} (line {first[0]})", 1) if first else message


_EARLIER = "an earlier item"
_NO_EFFECT = "has no effect: what it matches is already excluded by other items"

#: one problem of a list: ``(<Item> index, filter item number in it, message, place of the item it repeats)``
Problem = tuple[int, int, str, "tuple[int, int] | None"]


@functools.lru_cache(maxsize=256)
def _list_problems(items: tuple[str, ...], list_name: str, roots: tuple[str, ...],
                   semantics: Semantics) -> tuple[Problem, ...]:
    """The problems of one include or exclude list of a pair whose folders are ``roots``: an item that lies
    in them is an absolute path. A duplicate's last field is the ``(<Item> index, part)`` of the first."""
    out: list[Problem] = []
    for j in _judged(items, list_name, semantics):
        message = j.syntax or (_absolute(j.item) if _in_roots(j.norm, roots) else j.listed)
        if message:
            out.append((j.number, j.part, message, j.first if message == j.listed else None))
    return tuple(out)


class _Judged(NamedTuple):
    """One filter item of a list and what is wrong with it regardless of the pair's folders."""

    number: int  # the <Item> index
    part: int
    item: str
    norm: str
    syntax: str | None
    listed: str | None
    first: tuple[int, int] | None = None  # a duplicate: the earlier item's (<Item> index, part)


@functools.lru_cache(maxsize=256)
def _judged(items: tuple[str, ...], list_name: str, semantics: Semantics) -> tuple[_Judged, ...]:
    """Per filter item of one list, what does not depend on the pair's folders (cached: many pairs have the
    same lists). Items with the same comparable form count as one when judging "has no effect" (the later
    is the duplicate; the first is not made redundant by its own repetition)."""
    out: list[_Judged] = []
    prior: dict[str, tuple[int, int, str]] = {}
    split = split_parts(items)
    groups: dict[str, list[Mask]] = {}
    for index, _, item in split:
        groups.setdefault(comparable(item).lower(), []).extend(
            compile_item(item, ItemSource(Origin.PAIR, list_name, index)))
    order = {norm: g for g, norm in enumerate(groups)}
    others = Others(list(groups.items())) if list_name == "exclude" else None
    for index, part, item in split:
        syntax = _syntax_problem(item)
        norm = comparable(item)
        earlier = prior.get(norm.lower())
        if syntax is None and earlier is not None:
            out.append(_Judged(index, part, item, norm, None, f"`{item}` is a duplicate of `{earlier[2]}`, "
                               f"{_EARLIER} in the same list", earlier[:2]))
            continue
        listed = _list_problem(item) if syntax is None else None
        prior.setdefault(norm.lower(), (index, part, item))
        if syntax is None and listed is None and others is not None and shadowed(item, order[norm.lower()], others,
                                                                                  semantics):
            listed = f"`{item}` {_NO_EFFECT}"
        out.append(_Judged(index, part, item, norm, syntax, listed))
    return tuple(_swallowed_by_catch_all(out, semantics)) if others is not None else tuple(out)


def _is_catch_all(item: str) -> bool:
    r"""``*\``, ``*/``, ``*``: an item that excludes every folder (and, plain, every file)."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    return bool(masks) and any(m.pattern.strip("*") == "" and m.kind is not MaskKind.FILE for m in masks)


def _swallowed_by_catch_all(judged: list[_Judged], semantics: Semantics) -> list[_Judged]:
    r"""One problem, not one per item: the items a catch-all exclude item (``*\``) makes redundant are
    reported once, at the catch-all, with their number, instead of one "has no effect" each."""
    catch = next((j for j in judged if j.syntax is None and j.listed is None and _is_catch_all(j.item)), None)
    if catch is None:
        return judged
    alone = Others([(catch.norm, compile_item(catch.item, ItemSource(Origin.PAIR, "exclude", 0)))])
    swallowed = [j for j in judged if j.listed is not None and j.listed.endswith(_NO_EFFECT)
                 and covered(j.item, -1, alone, semantics)]
    if not swallowed:
        return judged
    what = "every folder" if all(m.kind is MaskKind.FOLDER for m in alone.masks()) else "everything"
    names = ", ".join(f"`{j.item}`" for j in swallowed[:3]) + (", ..." if len(swallowed) > 3 else "")
    n = len(swallowed)
    message = (f"`{catch.item}` excludes {what}: {n} other item{'s' if n > 1 else ''} "
               f"of this list {'have' if n > 1 else 'has'} no effect ({names})")
    gone = {id(j) for j in swallowed}  # kept without a problem of their own (an absolute path is still one)
    return [j._replace(listed=message) if j is catch else j._replace(listed=None) if id(j) in gone else j
            for j in judged]
