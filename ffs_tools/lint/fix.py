r"""``lint --fix`` / ``--diff``: apply the findings' fixes as byte edits that leave the rest of the file alone.

The rules say what to change (:class:`~ffs_tools.findings.Edit` on each finding: add filter items at a
model key, set a setting); this module only knows how to write that into the file's bytes. Safe fixes:

* exclusions (FFS101/102/103, FFS111, FFS112, FFS121): add the missing
  every-depth items (``*/.git``, ``*/venv/`` ...) as ``<Item>`` elements the
  way FreeFileSync writes them: the list's indentation, the file's line
  endings (CRLF when the file uses CRLF), the separator style of the existing
  items. Items go into the global filter when a flagged pair uses it, else
  into the flagged pairs' own filters. Where the faulty item itself is the
  mistake, it is replaced in place instead: FFS102's base-only ``.git\``
  becomes ``*\.git``.
* unattended safety (FFS401, FFS402): ``AutoClose="true"``,
  ``<ErrorDialog>Cancel</ErrorDialog>``, ``Ignore="false"``.
* fused filter items (FFS141): ``<Item>*/._**/.DocumentRevisions-V100/</Item>``
  becomes ``<Item>*/._*</Item>`` and ``<Item>*/.DocumentRevisions-V100/</Item>``
  on two lines of the same indentation; ``*.tmp;*.bak`` is split the same way,
  and a leading ``**/`` becomes ``*/``.

Every other byte stays as it was. The fixed bytes are linted again before
anything is written: the fixed rules must have nothing left to fix and no new FFS001-003
finding may appear, otherwise the file is left untouched.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ffs_tools.findings import Edit, Finding
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.run import FileResult, Settings, lint_bytes
from ffs_tools.xml import spans as xmlspan


@dataclass
class FixResult:
    path: str
    original: bytes
    fixed: bytes
    fixed_codes: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def changed(self) -> bool:
        return self.fixed != self.original and not self.refused


class _Editor:
    """Collects non-overlapping byte edits and applies them back to front."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.nl = b"\r\n" if b"\r\n" in data else b"\n"
        self.edits: list[tuple[int, int, bytes]] = []

    def replace(self, start: int, end: int, text: bytes) -> None:
        self.edits.append((start, end, text))

    def apply(self) -> bytes:
        out = self.data
        for start, end, text in sorted(self.edits, key=lambda e: e[0], reverse=True):
            out = out[:start] + text + out[end:]
        return out


def _backslash_style(data: bytes, node: xmlspan.Node) -> bool:
    texts = [data[c.tag_end:c.inner_end] for c in node.children if c.name == "Item"]
    back = sum(t.count(b"\\") for t in texts)
    return back > sum(t.count(b"/") for t in texts)


def add_items(ed: _Editor, exclude: xmlspan.Node, parent_indent: bytes | None, items: list[str]) -> None:
    """Append ``<Item>`` elements to an ``<Exclude>`` list in the file's own style."""
    data, nl = ed.data, ed.nl
    if _backslash_style(data, exclude):
        items = [i.replace("/", "\\") for i in items]
    tags = [b"<Item>" + escape(i).encode("utf-8") + b"</Item>" for i in items]
    own = xmlspan.indent_of(data, exclude.start)
    kids = [c for c in exclude.children if c.name == "Item"]
    child_indent = xmlspan.indent_of(data, kids[-1].start) if kids else None
    if own is None or b"\n" not in data:
        ed_nl, own, child_indent = b"", b"", b""
    else:
        ed_nl = nl
        unit = own[len(parent_indent):] if parent_indent is not None and own.startswith(parent_indent) else b""
        child_indent = child_indent if child_indent is not None else own + (unit or b"    ")
    block = b"".join(ed_nl + child_indent + t for t in tags)
    if exclude.empty:
        head = data[exclude.start:exclude.tag_end - 2].rstrip() + b">"
        ed.replace(exclude.start, exclude.end, head + block + ed_nl + own + b"</Exclude>")
    elif exclude.children:
        ed.replace(exclude.children[-1].end, exclude.children[-1].end, block)
    else:
        ed.replace(exclude.tag_end, exclude.inner_end, block + ed_nl + own)


def _set_attr(ed: _Editor, node: xmlspan.Node, name: str, value: str) -> None:
    tag = ed.data[node.start:node.tag_end]
    m = re.search(rb"(\s" + name.encode() + rb"\s*=\s*)([\"'])(.*?)\2", tag, re.S)
    if m:
        ed.replace(node.start + m.start(3), node.start + m.end(3), value.encode())
    else:
        at = node.tag_end - (2 if node.empty else 1)
        ed.replace(at, at, f' {name}="{value}"'.encode())


def _set_text(ed: _Editor, node: xmlspan.Node, value: str) -> None:
    if node.empty:
        head = ed.data[node.start:node.tag_end - 2].rstrip() + b">"
        ed.replace(node.start, node.end, head + value.encode() + f"</{node.name}>".encode())
    else:
        ed.replace(node.tag_end, node.inner_end, value.encode())


def _pairs(root: xmlspan.Node, fmt: int) -> list[xmlspan.Node]:
    fp = root.child("FolderPairs")
    if fp is None:
        return []
    return [c for c in fp.children if fmt >= 23 or c.name == "Pair"]


def _targets(adds: list[Edit]) -> dict[str, list[str]]:
    """Filter list key -> items to add; an item the global filter gets is not added to a pair's too
    (the global filter applies to every pair)."""
    out: dict[str, list[str]] = {}
    for e in adds:
        if e.value not in out.setdefault(e.key, []):
            out[e.key].append(e.value)
    everywhere = set(out.get("filter.exclude", ()))
    return {key: kept for key, items in out.items()
            if (kept := items if key == "filter.exclude" else [i for i in items if i not in everywhere])}


def _exclude_node(root: xmlspan.Node, key: str, fmt: int) -> tuple[xmlspan.Node | None, xmlspan.Node | None]:
    """The ``<Filter>`` and its ``<Exclude>`` for ``filter.exclude`` or ``pair.N.filter.exclude``."""
    owner: xmlspan.Node | None = root
    if key != "filter.exclude":
        index = int(key.split(".")[1])
        pairs = _pairs(root, fmt)
        owner = pairs[index] if index < len(pairs) else None
    flt = owner.child("Filter") if owner is not None else None
    return flt, (flt.child("Exclude") if flt is not None else None)


def _exclusion_edits(ed: _Editor, ctx: Context, root: xmlspan.Node, adds: list[Edit]) -> str:
    for key, items in _targets(adds).items():
        flt, exclude = _exclude_node(root, key, ctx.xml_format or 0)
        if flt is None or exclude is None:
            return "the <Filter>/<Exclude> element to extend was not found"
        if any(c.name != "Item" for c in exclude.children) or (
                not exclude.empty and not exclude.children
                and ed.data[exclude.tag_end:exclude.inner_end].strip()):
            return "the <Exclude> list holds something other than <Item> elements"
        add_items(ed, exclude, xmlspan.indent_of(ed.data, flt.start), items)
    return ""


def _item_node(root: xmlspan.Node, key: str, fmt: int) -> xmlspan.Node | None:
    """The ``<Item>`` at ``filter.exclude.N`` or ``pair.M.filter.include.N``."""
    *owner_key, list_name, index = key.split(".")
    owner: xmlspan.Node | None = root
    if owner_key[0] == "pair":
        pairs = _pairs(root, fmt)
        owner = pairs[int(owner_key[1])] if int(owner_key[1]) < len(pairs) else None
    flt = owner.child("Filter") if owner is not None else None
    items_node = flt.child(list_name.capitalize()) if flt is not None else None
    items = [c for c in items_node.children if c.name == "Item"] if items_node is not None else []
    return items[int(index)] if int(index) < len(items) else None


def _replace_edits(ed: _Editor, ctx: Context, root: xmlspan.Node, replaces: list[Edit]) -> str:
    """Each ``<Item>`` replaced by one ``<Item>`` per line of the edit's value, on lines of their own."""
    for edit in {e.key: e for e in replaces}.values():
        node = _item_node(root, edit.key, ctx.xml_format or 0)
        if node is None or node.empty or node.children:
            return f"the <Item> to split ({edit.key}) was not found"
        indent = xmlspan.indent_of(ed.data, node.start)
        glue = ed.nl + indent if indent is not None else b""
        ed.replace(node.start, node.end, glue.join(b"<Item>" + escape(line).encode("utf-8") + b"</Item>"
                                                    for line in edit.value.split("\n")))
    return ""


#: setting key -> (element path below the root, attribute or "" for the element's text)
_SETTINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "batch.auto_close": (("Batch", "ProgressDialog"), "AutoClose"),
    "batch.error_dialog": (("Batch", "ErrorDialog"), ""),
    "errors.ignore": (("Errors",), "Ignore"),
}


def _setting_edits(ed: _Editor, root: xmlspan.Node, sets: list[Edit]) -> str:
    for key, value in {e.key: e.value for e in sets}.items():
        path, attr = _SETTINGS[key]
        node: xmlspan.Node | None = root
        for name in path:
            node = node.child(name) if node is not None else None
        if node is None:
            return f"the <{'/'.join(path)}> element was not found"
        if attr:
            _set_attr(ed, node, attr, value)
        else:
            _set_text(ed, node, value)
    return ""


def fixable(findings: list[Finding]) -> bool:
    """Whether any finding carries a safe fix."""
    return any(f.fix for f in findings)


def plan(result: FileResult, data: bytes) -> FixResult:
    """The fixed bytes for one linted file (unchanged, with ``refused`` set, when it cannot be fixed safely)."""
    fixing = [f for f in result.findings if f.fix]
    out = FixResult(result.path, data, data)
    ctx = result.ctx
    if not fixing or ctx.job is None:
        return out
    fmt = ctx.xml_format or 0
    if fmt < 10:
        out.refused = f"XmlFormat {fmt} is too old to fix in place: open and save it in FreeFileSync first"
        return out
    root = xmlspan.parse(data)
    if root is None or root.name != "FreeFileSync":
        out.refused = "the file could not be mapped for editing"
        return out
    ed = _Editor(data)
    edits = [e for f in fixing for e in f.fix]
    problem = _exclusion_edits(ed, ctx, root, [e for e in edits if e.op == "add"])
    if not problem:
        problem = _setting_edits(ed, root, [e for e in edits if e.op == "set"])
    if not problem:
        problem = _replace_edits(ed, ctx, root, [e for e in edits if e.op == "replace"])
    if problem:
        out.refused = problem
        return out
    out.fixed = ed.apply()
    out.fixed_codes = sorted({f.code for f in fixing})
    return out


def verify(fix: FixResult, before: list[Finding], settings: Settings) -> list[Finding]:
    """Lint the fixed bytes; refuse the fix when a fixed rule still has something to fix or the file got worse
    (findings without a fix, such as FFS111's note on names the project does not use, may stay)."""
    after = lint_bytes(fix.fixed, fix.path, settings).findings
    left = sorted({f.code for f in after if f.code in fix.fixed_codes and f.fix})
    new_broken = {f.code for f in after if f.code in ("FFS001", "FFS002", "FFS003")} - {
        f.code for f in before if f.code in ("FFS001", "FFS002", "FFS003")}
    if left or new_broken:
        fix.refused = f"the fixed file would still have {', '.join(left or sorted(new_broken))}"
    return after


def unified_diff(fix: FixResult) -> str:
    """A unified diff of the fix (line endings kept as they are in the file)."""
    a = fix.original.decode("utf-8", "replace").splitlines(keepends=True)
    b = fix.fixed.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, f"a/{fix.path}", f"b/{fix.path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
