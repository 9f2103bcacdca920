"""``lint --fix`` / ``--diff``: the safe fixes, as byte edits that leave the rest of the file alone.

Safe fixes:

* exclusions (FFS101/102/103, FFS111, FFS112, FFS121): add the missing
  every-depth items (``*/.git``, ``*/venv/`` ...) as ``<Item>`` elements the
  way FreeFileSync writes them: the list's indentation, the file's line
  endings (CRLF when the file uses CRLF), the separator style of the existing
  items. Items go into the global filter when a flagged pair uses it, else
  into the flagged pairs' own filters.
* unattended safety (FFS401, FFS402): ``AutoClose="true"``,
  ``<ErrorDialog>Cancel</ErrorDialog>``, ``Ignore="false"``.

Every other byte stays as it was. The fixed bytes are linted again before
anything is written: the fixed rules must be clean and no new FFS001-003
finding may appear, otherwise the file is left untouched.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ffs_tools.ffs.model import ConfigKind, ErrorDialog
from ffs_tools.ffs.never_travels import CACHE_NAMES, VENV_NAMES, folder_item, vcs_item
from ffs_tools.findings import Finding
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._probe import depth_gaps, git_gap
from ffs_tools.lint.rules._scopes import Scope
from ffs_tools.lint.run import FileResult, Settings, lint_bytes
from ffs_tools.xml import spans as xmlspan

GIT_CODES = ("FFS101", "FFS102", "FFS103")
EXCLUSION_CODES = (*GIT_CODES, "FFS111", "FFS112", "FFS121")
BATCH_CODES = ("FFS401", "FFS402")
FIXABLE = EXCLUSION_CODES + BATCH_CODES


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


def needed_items(ctx: Context, codes: set[str]) -> dict[str, list[Scope]]:
    """Exclusion item -> the scopes that need it, for the fixable codes present."""
    need: dict[str, list[Scope]] = {}
    for scope in ctx.scopes():
        items: list[str] = []
        gap = git_gap(scope.flt)
        if gap is not None and gap[0] in codes:
            items.append(vcs_item(".git"))
        if "FFS111" in codes:
            items += [folder_item(n) for n in depth_gaps(scope.flt, VENV_NAMES)]
        if "FFS121" in codes:
            items += [folder_item(n) for n in depth_gaps(scope.flt, CACHE_NAMES)]
        if "FFS112" in codes:
            from ffs_tools.lint.rules.ffs112_venv_in_left_folder import pair_findings

            for f in pair_findings(ctx, scope):
                m = re.search(r"`\*/([^`]+)/`", f.hint)
                if m and f.severity.label != "info":
                    items.append(folder_item(m.group(1)))
        for item in dict.fromkeys(items):
            need.setdefault(item, []).append(scope)
    return need


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


def _exclusion_edits(ed: _Editor, ctx: Context, root: xmlspan.Node, codes: set[str]) -> str:
    need = needed_items(ctx, codes)
    if not need:
        return ""
    fmt = ctx.xml_format or 0
    pairs = _pairs(root, fmt)
    per_target: dict[int | None, list[str]] = {}
    for item, scopes in need.items():
        if any(not s.own_filter for s in scopes):
            per_target.setdefault(None, []).append(item)
        else:
            for s in scopes:
                per_target.setdefault(s.index, []).append(item)
    for index, items in per_target.items():
        owner = root if index is None else (pairs[index] if index < len(pairs) else None)
        flt = owner.child("Filter") if owner is not None else None
        exclude = flt.child("Exclude") if flt is not None else None
        if flt is None or exclude is None:
            return "the <Filter>/<Exclude> element to extend was not found"
        if any(c.name != "Item" for c in exclude.children) or (
                not exclude.empty and not exclude.children
                and ed.data[exclude.tag_end:exclude.inner_end].strip()):
            return "the <Exclude> list holds something other than <Item> elements"
        add_items(ed, exclude, xmlspan.indent_of(ed.data, flt.start), items)
    return ""


def _batch_edits(ed: _Editor, ctx: Context, root: xmlspan.Node, codes: set[str]) -> str:
    job = ctx.job
    assert job is not None
    batch = root.child("Batch") if job.kind is ConfigKind.BATCH else None
    if job.kind is ConfigKind.BATCH:
        progress = batch.child("ProgressDialog") if batch is not None else None
        dialog = batch.child("ErrorDialog") if batch is not None else None
        if progress is None or dialog is None:
            return "the <Batch> settings were not found"
        if job.batch is not None and not job.batch.auto_close:
            _set_attr(ed, progress, "AutoClose", "true")
        wants_cancel = "FFS402" in codes or not job.errors.ignore
        if wants_cancel and job.batch is not None and job.batch.error_dialog is not ErrorDialog.CANCEL:
            _set_text(ed, dialog, ErrorDialog.CANCEL.value)
    if "FFS402" in codes:
        errors = root.child("Errors")
        if errors is None:
            return "the <Errors> element was not found"
        _set_attr(ed, errors, "Ignore", "false")
    return ""


def plan(result: FileResult, data: bytes) -> FixResult:
    """The fixed bytes for one linted file (unchanged, with ``refused`` set, when it cannot be fixed safely)."""
    codes = {f.code for f in result.findings if f.code in FIXABLE}
    out = FixResult(result.path, data, data)
    ctx = result.ctx
    if not codes or ctx.job is None:
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
    problem = ""
    if codes & set(EXCLUSION_CODES):
        problem = _exclusion_edits(ed, ctx, root, codes)
    if not problem and codes & set(BATCH_CODES):
        problem = _batch_edits(ed, ctx, root, codes)
    if problem:
        out.refused = problem
        return out
    out.fixed = ed.apply()
    out.fixed_codes = sorted(codes)
    return out


def verify(fix: FixResult, before: list[Finding], settings: Settings) -> list[Finding]:
    """Lint the fixed bytes; refuse the fix when a fixed rule still fires or the file got worse."""
    after = lint_bytes(fix.fixed, fix.path, settings).findings
    left = sorted({f.code for f in after if f.code in fix.fixed_codes})
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
