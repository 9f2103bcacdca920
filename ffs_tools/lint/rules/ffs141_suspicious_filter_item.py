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
* the same item twice in one list, or an exclude item whose matches the
  other items of the list already exclude (``\build\`` next to ``*\``);
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
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ffs_tools.ffs.model import FilterConfig
from ffs_tools.filtering.engine import (
    ItemSource,
    Mask,
    MaskKind,
    Origin,
    Semantics,
    compile_item,
    mask_regex,
    normalize,
    split_parts,
)
from ffs_tools.findings import Edit, Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._paths import comparable
from ffs_tools.lint.rules._rewrite import rewrite_item

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


def _list_problem(item: str, norm: str, prior: set[str]) -> str | None:
    """What is wrong with the item in its list (checked after the syntax and the pair's folders)."""
    if norm.lower() in prior:
        return f"`{item}` is a duplicate of an earlier item in the same list"
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks or any(_dead(m.pattern) for m in masks):
        return f"`{item}` can never match anything"
    return None


def _instances(pattern: str) -> list[str]:
    """Concrete paths a mask pattern matches (wildcards filled in two ways, ``*`` once across a folder)."""
    return [pattern.replace("*", "q7z").replace("?", "q"), pattern.replace("*", "q7z/q8y").replace("?", "r")]


class _Others:
    """Answers "do the exclude masks of the OTHER items drop this path?" in time linear in the list.

    Literal masks are looked up by path (and by each ancestor, for folder masks). Each wildcard mask is
    filed under the longest literal run of its pattern, which every path it matches contains: a query
    looks up the substrings of its path of those lengths and tests only the masks found there (each with
    its own compiled regex), instead of every mask of the list.
    """

    def __init__(self, groups: list[tuple[str, list[Mask]]]) -> None:
        self.count = len(groups)
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


def _shadowed(item: str, own: int, others: _Others, semantics: Semantics) -> bool:
    """Whether every path ``item`` excludes is already excluded by the other items (the item has no effect)."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks or others.count < 2:
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


def split_fix(key: str, text: str) -> tuple[Edit, ...]:
    """The edit that splits the fused items of one ``<Item>`` text (``key`` is the ``<Item>``'s model key)."""
    def halves(part: str) -> list[str] | None:
        found = fused_parts(part)
        return list(found) if found else None

    return rewrite_item(key, text, halves)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.job is None:
        return
    places = ctx.positions()
    for prefix, pair, cfg, roots in _lists(ctx):
        for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
            for index, part, message in _list_problems(items, list_name, tuple(roots), ctx.semantics):
                key = f"{prefix}.{list_name}.{index}"
                known = places.get(key, ())
                fused = "fused by a lost" in message
                yield ctx.finding(CODE, SEVERITY, key, message,
                                  "split it into two items (ffs-tools lint --fix does)" if fused else
                                  "see `ffs-tools rules FFS141` for FreeFileSync's filter syntax",
                                  split_fix(key, items[index]) if fused else (), pairs=(pair,),
                                  at=known[part] if part < len(known) else None)


@functools.lru_cache(maxsize=256)
def _list_problems(items: tuple[str, ...], list_name: str, roots: tuple[str, ...],
                   semantics: Semantics) -> tuple[tuple[int, int, str], ...]:
    """``(<Item> index, filter item number in that <Item>, message)`` for one include or exclude list of a
    pair whose folders are ``roots``: an item that lies in them is an absolute path."""
    out: list[tuple[int, int, str]] = []
    for index, part, item, norm, syntax, listed in _judged(items, list_name, semantics):
        message = syntax or (_absolute(item) if _in_roots(norm, roots) else listed)
        if message:
            out.append((index, part, message))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _judged(items: tuple[str, ...], list_name: str,
            semantics: Semantics) -> tuple[tuple[int, int, str, str, str | None, str | None], ...]:
    """Per filter item of one list, what does not depend on the pair's folders (cached: many pairs have the
    same lists): ``(<Item> index, part, item, comparable form, syntax problem, problem in the list)``."""
    out: list[tuple[int, int, str, str, str | None, str | None]] = []
    prior: set[str] = set()
    split = split_parts(items)
    groups: dict[str, list[Mask]] = {}
    for index, _, item in split:
        groups.setdefault(item, []).extend(compile_item(item, ItemSource(Origin.PAIR, list_name, index)))
    order = {text: g for g, text in enumerate(groups)}
    others = _Others(list(groups.items())) if list_name == "exclude" else None
    for index, part, item in split:
        syntax = _syntax_problem(item)
        norm = comparable(item)
        listed = _list_problem(item, norm, prior) if syntax is None else None
        prior.add(norm.lower())
        if syntax is None and listed is None and others is not None and _shadowed(item, order[item], others,
                                                                                   semantics):
            listed = f"`{item}` has no effect: what it matches is already excluded by other items"
        out.append((index, part, item, norm, syntax, listed))
    return tuple(out)
