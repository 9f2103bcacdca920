r"""A folder that exists at every depth of a code tree is excluded only at the base folder.

## What it does
Reports an exclude item anchored at the base folder (no leading ``*``) that
names, by itself, a folder a code tree holds at every depth: ``node_modules``,
``build``, ``dist``, ``target``, ``.idea``, ``.vscode`` ... (the list in
``ffs_tools.ffs.known_names``), when the pair's effective filter still lets
that folder through one or two levels down or below an include folder. An
item with a path (``frontend\node_modules\``) names one place on purpose and
is not reported.

## Why is this bad?
FreeFileSync anchors every item at the base folder: ``node_modules`` and
``\build\`` match only ``<base>/node_modules`` and ``<base>/build``. Every
package of a monorepo, every module of a Gradle or Maven build and every
project of a workspace has its own, and those still sync: hundreds of
thousands of files, build output of the wrong machine.

## Example
```xml
<Item>node_modules</Item>
<Item>\build\</Item>
```

## Fix
Write the item for every depth: ``*/node_modules/``, ``*\build\``
(``ffs-tools lint --fix`` rewrites the item in place).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from functools import partial

from ffs_tools.ffs.known_names import is_code_tree_folder
from ffs_tools.filtering.engine import ItemSource, MaskKind, Origin, PathFilter, compile_item, split_parts
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._probe import folder_leaks, nested_parents
from ffs_tools.lint.rules._rewrite import filter_lists, rewrite_item, swap

CODE = "FFS143"
NAME = "code-folder-excluded-only-at-base"
SEVERITY = Severity.WARNING
PROFILES = BOTH

#: what such folders hold (a package, build output)
SAMPLES = ("package.json", "index.js", "x.class", "x.o", "workspace.xml")


@functools.lru_cache(maxsize=4096)  # the same items recur in every pair's list
def anchored_name(item: str) -> str | None:
    """The folder name of a base-anchored one-name item (``node_modules``, ``\\build\\``), else None."""
    if item.startswith("*"):
        return None
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if len(masks) != 1 or masks[0].wildcard or masks[0].kind is MaskKind.FILE or "/" in masks[0].pattern:
        return None
    name = item.replace("\\", "/").strip("/")
    return name if is_code_tree_folder(name) else None


def every_depth(item: str) -> str:
    """The item for every depth, in the item's own separator style."""
    sep = "\\" if "\\" in item else "/"
    name = item.replace("\\", "/").strip("/")
    return f"*{sep}{name}{sep}"


def _leak(flt: PathFilter, name: str) -> str | None:
    """A folder called ``name`` below the base folder whose content ``flt`` lets through (None: none)."""
    return next((f"{p}/{name}" for p in nested_parents(flt) if folder_leaks(flt, f"{p}/{name}", SAMPLES)), None)


def check(ctx: Context) -> Iterator[Finding]:
    scopes = ctx.scopes()
    for index, prefix, cfg in filter_lists(ctx):
        judged = [s for s in scopes if index is None or s.index == index]
        for item_index, part, item in split_parts(cfg.exclude):
            name = anchored_name(item)
            if name is None:
                continue
            leak = next((found for s in judged if (found := ctx.cached(("FFS143", s.group, name),
                                                                        partial(_leak, s.flt, name)))), None)
            if leak is None:
                continue
            key = f"{prefix}.exclude.{item_index}"
            yield ctx.finding(CODE, SEVERITY, key, f"`{item}` excludes `{name}` only at the base folder: the "
                              f"`{name}` folders below it (e.g. {leak}) still sync",
                              f"write `{every_depth(item)}` to exclude it at every depth (ffs-tools lint --fix)",
                              rewrite_item(key, cfg.exclude[item_index], swap(item, every_depth(item))),
                              pairs=(index,), at=ctx.item_place(key, part))
