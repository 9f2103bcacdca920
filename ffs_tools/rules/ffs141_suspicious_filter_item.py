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
* the same item twice in one list;
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

import re
from collections.abc import Iterator

from ffs_tools.filters import ItemSource, Origin, compile_item, split_items
from ffs_tools.findings import Finding, Severity
from ffs_tools.model import FilterConfig
from ffs_tools.rules._context import Context
from ffs_tools.rules._paths import comparable

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
            prior: set[str] = set()
            for index, item in split_items(items):
                message = _problem(item, prior, roots)
                prior.add(comparable(item).lower())
                if message:
                    yield ctx.finding(CODE, SEVERITY, f"{prefix}.{list_name}.{index}", message,
                                      "see `ffs-tools rules FFS141` for FreeFileSync's filter syntax")
