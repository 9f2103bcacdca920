r"""A suspicious filter item: `;` separator, regex syntax, `**`, an absolute path, a duplicate, a dead item.

## What it does
Looks at every include and exclude item (global and per pair) for the
mistakes people make when they assume another tool's syntax:

* ``;`` or ``,`` used as a separator (FreeFileSync splits only at ``|`` and
  new lines: ``*.tmp;*.bak`` is one item that matches nothing useful);
* regular-expression syntax (``^``, ``$``, ``[abc]``, ``\d``, ``.+``,
  ``(a|b)``): FreeFileSync knows only ``*`` and ``?``;
* ``**`` (gitignore syntax): ``**/venv/`` misses ``venv`` at the base folder;
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
    normalize,
    split_items,
)
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._paths import comparable

CODE = "FFS141"
NAME = "suspicious-filter-item"
SEVERITY = Severity.WARNING

_REGEX = re.compile(r"^\^|\$$|\[[^\]]*\]|\\[dwsDWS][+*?{]|\.\+|\.\*(?:[^*/\\]|[\\/].)|^\([^)]*$|^[^(]*\)$"
                    r"|\{\d+(,\d*)?\}")
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|//|~[\\/]|[\\/](?:home|Users|root)[\\/][^\\/]+)")


def _problem(item: str, prior: set[str], roots: list[str]) -> str | None:
    if ";" in item or ("," in item and "*" in item):
        sep = ";" if ";" in item else ","
        return f"`{sep}` is not a separator in FreeFileSync: `{item}` is one item (use one <Item> per entry or `|`)"
    if "**" in item:
        return f"`**` is gitignore syntax: in FreeFileSync `*` already spans folders and `{item}` skips the base folder"
    if _REGEX.search(item):
        return f"`{item}` looks like a regular expression: FreeFileSync knows only `*` and `?`"
    norm = comparable(item)
    if _ABSOLUTE.match(item) or any(r and (norm == r or norm.startswith(r + "/")) for r in roots):
        return f"`{item}` is an absolute path: filter items are relative to the base folder of the pair"
    if norm.lower() in prior:
        return f"`{item}` is a duplicate of an earlier item in the same list"
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks or any(_dead(m.pattern) for m in masks):
        return f"`{item}` can never match anything"
    return None


def _instances(pattern: str) -> list[str]:
    """Concrete paths a mask pattern matches (wildcards filled in two ways, ``*`` once across a folder)."""
    return [pattern.replace("*", "q7z").replace("?", "q"), pattern.replace("*", "q7z/q8y").replace("?", "r")]


def _excluded_by(masks: list[Mask], path: str, is_dir: bool, parents: bool) -> bool:
    """Whether exclude ``masks`` drop ``path`` (FreeFileSync's rule: folder masks also cover what is below)."""
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    for m in masks:
        if m.kind is not MaskKind.FILE and (m.matches(path) if is_dir else (parent and m.matches(parent))):
            return True
        if not is_dir and m.kind is not MaskKind.FOLDER and m.matches(path, parents):
            return True
    return False


def _shadowed(item: str, others: list[Mask], semantics: Semantics) -> bool:
    """Whether every path ``item`` excludes is already excluded by ``others`` (the item has no effect)."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks or not others:
        return False
    parents = semantics is Semantics.FFS12
    for mask in masks:
        for path in _instances(mask.pattern):
            path = normalize(path)
            if mask.kind is not MaskKind.FILE and not _excluded_by(others, path, True, parents):
                return False
            if mask.kind is not MaskKind.FOLDER and not _excluded_by(others, path, False, parents):
                return False
    return True


def _dead(pattern: str) -> bool:
    parts = pattern.split("/")
    return any(p == "" or p in (".", "..") for p in parts)


def _lists(ctx: Context) -> Iterator[tuple[str, FilterConfig, list[str]]]:
    job = ctx.job
    assert job is not None
    roots = [comparable(p) for pair in job.pairs for p in (pair.left, pair.right) if p.strip()]
    yield "filter", job.filter, roots
    for i, pair in enumerate(job.pairs):
        if pair.filter is not None:
            yield f"pair.{i}.filter", pair.filter, [comparable(p) for p in (pair.left, pair.right) if p.strip()]


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.job is None:
        return
    for prefix, cfg, roots in _lists(ctx):
        for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
            for index, message in _list_problems(items, list_name, tuple(roots), ctx.semantics):
                yield ctx.finding(CODE, SEVERITY, f"{prefix}.{list_name}.{index}", message,
                                  "see `ffs-tools rules FFS141` for FreeFileSync's filter syntax")


@functools.lru_cache(maxsize=256)
def _list_problems(items: tuple[str, ...], list_name: str, roots: tuple[str, ...],
                   semantics: Semantics) -> tuple[tuple[int, str], ...]:
    """``(item index, message)`` for one include or exclude list (cached: pairs often share lists)."""
    out: list[tuple[int, str]] = []
    prior: set[str] = set()
    split = split_items(items)
    compiled = [(item, compile_item(item, ItemSource(Origin.PAIR, list_name, index))) for index, item in split]
    for index, item in split:
        message = _problem(item, prior, list(roots))
        prior.add(comparable(item).lower())
        if message is None and list_name == "exclude":
            others = [m for text, masks in compiled if text != item for m in masks]
            if _shadowed(item, others, semantics):
                message = f"`{item}` has no effect: what it matches is already excluded by other items"
        if message:
            out.append((index, message))
    return tuple(out)
