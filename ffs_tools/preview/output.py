"""Text and JSON output of ``preview``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ffs_tools.filtering.engine import Semantics
from ffs_tools.filtering.traversal import SyncedItem
from ffs_tools.preview.run import PairView

Result = tuple[PairView, list[SyncedItem]]


def listing_order(path: str) -> bytes:
    """The order of listed paths, JSON and ``--list`` alike: the bytes of the relative path (UTF-8, an
    undecodable name as its own bytes), so the output does not depend on the order the disk lists a folder
    in, nor on the locale. Folders end in ``/``: ``a-b`` comes before ``a/`` (``-`` < ``/``)."""
    return path.encode("utf-8", "surrogateescape")


def render_json(results: Sequence[Result]) -> str:
    """``{"pairs": [...]}`` with one pair per line (C-speed encoding: the lists can be huge)."""
    lines = [json.dumps({"index": view.index, "left": view.pair.left, "right": view.pair.right,
                         "synced": sorted((item.path for item in items), key=listing_order)}, ensure_ascii=False)
             for view, items in results]
    return '{"pairs": [\n  ' + ",\n  ".join(lines) + "\n]}\n"


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def render_text(results: Sequence[Result], semantics: Semantics, list_items: bool) -> str:
    out: list[str] = []
    for view, items in results:
        out.append(f"pair {view.index}: {view.pair.left} -> {view.pair.right}")
        if not view.copies_left_only:
            out.append("  nothing is copied to the right: the sync directions send left-only items elsewhere")
            continue
        groups: dict[str, list[int]] = {}
        for item in items:
            top = item.path.split("/", 1)[0] + "/" if "/" in item.path.rstrip("/") or item.is_dir else "(base files)"
            g = groups.setdefault(top, [0, 0, 0])
            if item.is_dir:
                g[1] += 0 if item.path == top else 1
            else:
                g[0] += 1
                g[2] += item.size
        width = max([len(k) for k in groups] + [12])
        out.append(f"  {'':{width}}  {'files':>9}  {'folders':>8}  {'size':>10}")
        for top in sorted(groups):
            files, folders, size = groups[top]
            out.append(f"  {top:{width}}  {files:>9,}  {folders:>8,}  {human_size(size):>10}")
        files = sum(1 for i in items if not i.is_dir)
        folders = sum(1 for i in items if i.is_dir)
        total = sum(i.size for i in items)
        out.append(f"  {'total':{width}}  {files:>9,}  {folders:>8,}  {human_size(total):>10}")
        if list_items:
            out.extend(f"    {path}" for path in sorted((i.path for i in items), key=listing_order))
    out.append(f"(filter semantics: {semantics.label}; explain a path with: ffs-tools explain PATH --config CONFIG)")
    return "\n".join(out) + "\n"
