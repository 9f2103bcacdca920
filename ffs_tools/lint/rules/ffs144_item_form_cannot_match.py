r"""A filter item's folder or file form cannot match what it names.

## What it does
Reports an item whose last name is a known file while the item matches
folders only (a trailing separator: ``*/.directory/``, ``*\Thumbs.db\``), or
a known folder while the item matches files only (a trailing ``:``:
``*/node_modules:``). The known names are in ``ffs_tools.ffs.known_names``
(KDE's ``.directory``, ``.DS_Store``, ``Thumbs.db``, ``desktop.ini`` ...).

## Why is this bad?
A trailing separator tells FreeFileSync "folders only", a trailing ``:``
"files only". ``*/.directory/`` never matches KDE's ``.directory`` file, so
the file still syncs (or, in an include list, never does), and nothing says
so.

## Example
```xml
<Item>*/.directory/</Item>
```

## Fix
Drop the trailing separator for a file (``*/.directory``) and write a folder
with one (``*/node_modules/``); ``ffs-tools lint --fix`` rewrites the item.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.known_names import kind_of_name
from ffs_tools.filtering.engine import ItemSource, MaskKind, Origin, compile_item, split_parts
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._rewrite import filter_lists, rewrite_item, swap

CODE = "FFS144"
NAME = "item-form-cannot-match"
SEVERITY = Severity.WARNING
PROFILES = BOTH


def mismatch(item: str) -> tuple[str, str] | None:
    """``(message, corrected item)`` when the item's form cannot match the known name it ends in."""
    masks = compile_item(item, ItemSource(Origin.PAIR, "exclude", 0))
    if not masks:
        return None
    kinds = {m.kind for m in masks}
    text = item.rstrip()
    name = text.rstrip("/\\:").replace("\\", "/").rsplit("/", 1)[-1]
    if not name or "*" in name or "?" in name:
        return None
    known = kind_of_name(name)
    if kinds == {MaskKind.FOLDER} and known == "file":
        fixed = text.rstrip("/\\")
        return (f"`{item}` matches folders only (trailing separator), but `{name}` is a file: it never matches",
                fixed)
    if kinds == {MaskKind.FILE} and known == "folder":
        sep = "\\" if "\\" in text else "/"
        fixed = text[:-1] + sep
        return f"`{item}` matches files only (trailing `:`), but `{name}` is a folder: it never matches", fixed
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for index, prefix, cfg in filter_lists(ctx):
        for list_name, items in (("include", cfg.include), ("exclude", cfg.exclude)):
            for item_index, part, item in split_parts(items):
                found = mismatch(item)
                if found is None:
                    continue
                message, fixed = found
                key = f"{prefix}.{list_name}.{item_index}"
                yield ctx.finding(CODE, SEVERITY, key, message, f"write `{fixed}` (ffs-tools lint --fix)",
                                  rewrite_item(key, items[item_index], swap(item, fixed)), pairs=(index,),
                                  at=ctx.item_place(key, part))
