"""Map a parsed FreeFileSync config of any XmlFormat (3 to 23) onto the model.

The mapping follows docs/formats.md (formats 17 and 23, migrations, .ffs_real):
format-23 ``Differences`` / ``Changes`` and the older ``Variant`` layout, the
pre-10 ``MainConfig`` wrapper, and the migrations of
docs/formats.md#how-120-reads-older-files. Where FreeFileSync itself would
report a missing element or reset a value (enum in the wrong case, a boolean
that is not ``true``/``false``, a number that is not one, a layout of the
wrong format), the reader records a :class:`~ffs_tools.xml.parse.Problem` with
the line and goes on with FreeFileSync's default, as FreeFileSync does.
"""

from __future__ import annotations

import enum
import os
import re
from typing import TypeVar

from lxml import etree

from ffs_tools.ffs import model as m
from ffs_tools.ffs.model import ConfigKind, Location, SourceMap
from ffs_tools.xml.parse import ConfigError, Loaded, Problem, element_line, kind_for_path, parse_bytes, read_bounded

E = TypeVar("E", bound=enum.Enum)
El = etree._Element

_NUMBER = re.compile(r"\s*[+-]?\d+")


class _Ctx:
    """Collects problems and locations while one file is read."""

    def __init__(self, path: str, fmt: int, kind: ConfigKind) -> None:
        self.path = path
        self.fmt = fmt
        self.kind = kind
        self.problems: list[Problem] = []
        self.locs: dict[str, Location] = {}

    def at(self, key: str, el: El | None) -> None:
        line = element_line(el)
        if line:
            self.locs.setdefault(key, Location(line, 1))

    def problem(self, kind: str, key: str, el: El | None, message: str) -> None:
        line = element_line(el)
        self.problems.append(Problem(message, key, line, 1 if line else None, kind))

    def child(self, parent: El | None, name: str, key: str, where: str, required: bool = True) -> El | None:
        if parent is None:
            return None
        for c in parent:
            if isinstance(c.tag, str) and c.tag == name:
                self.at(key, c)
                return c
        if required:
            consequence = ("a batch job refuses to run (exit code 4)" if self.kind is ConfigKind.BATCH
                           else "FreeFileSync warns and uses the default")
            self.problem("missing", key, parent, f"element <{where}/{name}> is missing: {consequence}")
        return None

    def attr(self, el: El | None, name: str, key: str, where: str, required: bool = True) -> str | None:
        if el is None:
            return None
        value = el.get(name)
        if value is None and required:
            self.problem("missing", key, el, f"attribute {name} of <{where}> is missing: FreeFileSync resets it "
                         "to the default" + (" and a batch job refuses to run (exit code 4)"
                                             if self.kind is ConfigKind.BATCH else ""))
        return value

    def enum(self, value: str | None, cls: type[E], default: E, key: str, el: El | None, what: str) -> E:
        if value is None:
            return default
        text = value.strip()
        for member in cls:
            if member.value == text:
                return member
        allowed = ", ".join(str(x.value) for x in cls)
        hint = ""
        if any(str(x.value).lower() == text.lower() for x in cls):
            hint = " (values are case-sensitive)"
        self.problem("invalid", key, el, f"{what} is {value!r}: FreeFileSync accepts only {allowed}{hint}; it "
                     f"reports the element as unreadable and uses {default.value!r}")
        return default

    def boolean(self, value: str | None, default: bool, key: str, el: El | None, what: str) -> bool:
        if value is None:
            return default
        text = value.strip()
        if text in ("true", "false"):
            return text == "true"
        self.problem("invalid", key, el, f"{what} is {value!r}: FreeFileSync accepts only true or false")
        return default

    def number(self, value: str | None, default: int, key: str, el: El | None, what: str) -> int:
        if value is None:
            return default
        if re.fullmatch(r"\s*[+-]?\d{1,18}\s*", value):
            return int(value)
        mt = _NUMBER.match(value)
        # more than 18 digits does not fit FreeFileSync's 64-bit numbers (and Python refuses > 4300 digits)
        read = int(mt.group()) if mt and len(mt.group().strip().lstrip("+-")) <= 18 else 0
        shown = value if len(value) <= 40 else value[:37] + "..."
        self.problem("number", key, el, f"{what} is {shown!r}, not a whole number: FreeFileSync silently reads "
                     f"it as {read}")
        return read


def _text(el: El | None) -> str:
    return (el.text or "") if el is not None else ""


def read_tree(tree: etree._ElementTree, path: str, kind: ConfigKind) -> Loaded:
    """The model of a parsed config, with its problems and source locations."""
    root = tree.getroot()
    if root.tag != "FreeFileSync":
        raise ConfigError("FFS002", f"root element is <{root.tag}>, not <FreeFileSync>: not a FreeFileSync "
                          "config", path, element_line(root))
    xml_type = root.get("XmlType")
    if xml_type != kind.value:
        shown = f"XmlType={xml_type!r}" if xml_type is not None else "no XmlType"
        raise ConfigError("FFS002", f"{shown}, but this file type needs XmlType={kind.value!r}: FreeFileSync "
                          "refuses it ('does not contain a valid configuration', exit code 4)", path,
                          element_line(root))
    if kind is ConfigKind.GLOBAL:
        raise ConfigError("FFS002", "GlobalSettings.xml holds FreeFileSync's program settings, not a sync "
                          "configuration: ffs-tools reads .ffs_gui, .ffs_batch and .ffs_real files", path,
                          element_line(root))
    raw_format = root.get("XmlFormat")
    fmt_written: int | None = None
    probe = _Ctx(path, 0, kind)
    probe.at("root", root)
    if raw_format is None:
        probe.problem("missing", "root", root, "attribute XmlFormat of <FreeFileSync> is missing: FreeFileSync "
                      "reads it as 0 and runs every legacy migration on the file")
        fmt = 9 if root.find("MainConfig") is not None else (2 if kind is ConfigKind.REAL else 17)
    else:
        fmt_written = probe.number(raw_format, 0, "root", root, "XmlFormat")
        fmt = fmt_written
    ctx = _Ctx(path, fmt, kind)
    ctx.problems, ctx.locs = probe.problems, probe.locs
    config: m.Config = _read_real(ctx, root) if kind is ConfigKind.REAL else _read_job(ctx, root)
    return Loaded(path, config, SourceMap(path, dict(ctx.locs)), tuple(ctx.problems), fmt_written, kind)


# --------------------------------------------------------------------------- RealTimeSync


def _read_real(ctx: _Ctx, root: El) -> m.RealTimeConfig:
    dirs_el = ctx.child(root, "Directories", "real.directories", "FreeFileSync")
    dirs: list[str] = []
    for i, item in enumerate(c for c in (dirs_el if dirs_el is not None else []) if c.tag == "Item"):
        ctx.at(f"real.directories.{i}", item)
        dirs.append(_text(item))
    delay_el = ctx.child(root, "Delay", "real.delay", "FreeFileSync")
    delay = ctx.number(_text(delay_el) if delay_el is not None else None, 10, "real.delay", delay_el, "<Delay>")
    cmd_el = ctx.child(root, "Commandline", "real.command_line", "FreeFileSync")
    command = _text(cmd_el)
    if ctx.fmt < 2:
        command = re.sub(r"^\s*cmd(\.exe)?\s+/c\s+", "", command, flags=re.IGNORECASE)
    return m.RealTimeConfig(tuple(dirs), delay, command, ctx.fmt)


# --------------------------------------------------------------------------- sync jobs


def _read_job(ctx: _Ctx, root: El) -> m.SyncJob:
    legacy = ctx.fmt < 10
    main = ctx.child(root, "MainConfig", "root", "FreeFileSync") if legacy else root
    names = _Names(legacy)
    notes = ""
    if ctx.fmt >= 18:
        notes = _text(ctx.child(root, "Notes", "notes", "FreeFileSync"))
    else:
        notes = _text(ctx.child(root, "Notes", "notes", "FreeFileSync", required=False))
    compare = _read_compare(ctx, ctx.child(main, names.compare, "compare", "FreeFileSync"), "compare")
    sync = _read_sync(ctx, ctx.child(main, names.sync, "sync", "FreeFileSync"), "sync", compare)
    flt = _read_filter(ctx, ctx.child(main, names.filter, "filter", "FreeFileSync"), "filter")
    pairs = _read_pairs(ctx, main, names, compare)
    errors, dialog_from_legacy = _read_errors(ctx, root, main)
    cmd, cond = _read_post_sync(ctx, main)
    log_folder = _read_log_folder(ctx, root)
    email, email_cond = "", m.EmailCondition.ALWAYS
    if ctx.fmt >= 15:
        email_el = ctx.child(root, "EmailNotification", "email", "FreeFileSync")
        email = _text(email_el)
        email_cond = ctx.enum(ctx.attr(email_el, "Condition", "email", "EmailNotification"), m.EmailCondition,
                              m.EmailCondition.ALWAYS, "email", email_el, "<EmailNotification> Condition")
    grid = _read_grid_view(ctx, root)
    batch = _read_batch(ctx, root, dialog_from_legacy, main) if ctx.kind is ConfigKind.BATCH else None
    return m.SyncJob(ctx.kind, ctx.fmt, notes, compare, sync, flt, pairs, errors, cmd, cond, log_folder, email,
                     email_cond, grid, batch)


class _Names:
    def __init__(self, legacy: bool) -> None:
        self.compare = "Comparison" if legacy else "Compare"
        self.sync = "SyncConfig" if legacy else "Synchronize"
        self.filter = "GlobalFilter" if legacy else "Filter"
        self.pair_compare = "CompareConfig" if legacy else "Compare"
        self.pair_sync = "SyncConfig" if legacy else "Synchronize"
        self.pair_filter = "LocalFilter" if legacy else "Filter"


def _read_compare(ctx: _Ctx, el: El | None, key: str) -> m.CompareConfig:
    if el is None:
        return m.CompareConfig()
    v = ctx.child(el, "Variant", f"{key}.variant", "Compare")
    variant = ctx.enum(_text(v) if v is not None else None, m.CompareVariant, m.CompareVariant.TIME_AND_SIZE,
                       f"{key}.variant", v, "<Compare/Variant>")
    s = ctx.child(el, "Symlinks", f"{key}.symlinks", "Compare")
    symlinks = ctx.enum(_text(s) if s is not None else None, m.SymlinkHandling, m.SymlinkHandling.EXCLUDE,
                        f"{key}.symlinks", s, "<Compare/Symlinks>")
    shift = ctx.child(el, "IgnoreTimeShift", f"{key}.ignore_time_shift", "Compare", required=ctx.fmt >= 10)
    return m.CompareConfig(variant, symlinks, _text(shift))


def _direction(ctx: _Ctx, value: str | None, key: str, el: El | None, what: str) -> m.Direction:
    return ctx.enum(value, m.Direction, m.Direction.NONE, key, el, what)


def _read_sync(ctx: _Ctx, el: El | None, key: str, compare: m.CompareConfig) -> m.SyncConfig:
    if el is None:
        return m.SyncConfig()
    has_new = any(c.tag in ("Differences", "Changes") for c in el if isinstance(c.tag, str))
    has_old = any(c.tag == "Variant" for c in el if isinstance(c.tag, str))
    detect = False
    if ctx.fmt >= 23 or (has_new and not has_old):
        if ctx.fmt < 23:
            ctx.problem("layout", f"{key}.directions", el, f"format-23 <Differences>/<Changes> layout in an "
                        f"XmlFormat {ctx.fmt} file: FreeFileSync 12 reports <Variant> and <DetectMovedFiles> "
                        "missing (a batch job exits with code 4; the GUI silently falls back to Two way)")
        elif has_old and not has_new:
            ctx.problem("layout", f"{key}.directions", el, "legacy <Variant> layout in an XmlFormat 23 file: "
                        "FreeFileSync 13+ ignores <Variant> and reports <Changes> missing")
        directions = _read_new_directions(ctx, el, key)
    else:
        directions, detect = _read_old_directions(ctx, el, key)
    dp = ctx.child(el, "DeletionPolicy", f"{key}.deletion_policy", "Synchronize")
    policy = ctx.enum(_text(dp) if dp is not None else None, m.DeletionPolicy, m.DeletionPolicy.RECYCLE_BIN,
                      f"{key}.deletion_policy", dp, "<DeletionPolicy>")
    versioning = _read_versioning(ctx, ctx.child(el, "VersioningFolder", f"{key}.versioning", "Synchronize"),
                                  f"{key}.versioning")
    return m.SyncConfig(directions, policy, versioning, detect)


def _read_new_directions(ctx: _Ctx, el: El, key: str) -> m.Directions:
    k = f"{key}.directions"
    diff = ctx.child(el, "Differences", k, "Synchronize", required=False)
    if diff is not None:
        vals = [_direction(ctx, ctx.attr(diff, a, k, "Differences"), k, diff, f"<Differences> {a}")
                for a in ("LeftOnly", "LeftNewer", "RightNewer", "RightOnly")]
        return m.Differences(*vals)
    changes = ctx.child(el, "Changes", k, "Synchronize")
    if changes is None:
        return m.TWO_WAY
    out: list[m.Direction] = []
    for side in ("Left", "Right"):
        side_el = ctx.child(changes, side, k, "Changes")
        for a in ("Create", "Update", "Delete"):
            out.append(_direction(ctx, ctx.attr(side_el, a, k, f"Changes/{side}"), k, side_el,
                                  f"<Changes/{side}> {a}"))
    if any(o is None for o in out):
        return m.TWO_WAY
    return m.Changes(*out)


_VARIANTS = ("TwoWay", "Mirror", "Update", "Custom")


def _read_old_directions(ctx: _Ctx, el: El, key: str) -> tuple[m.Directions, bool]:
    k = f"{key}.directions"
    v = ctx.child(el, "Variant", k, "Synchronize")
    variant = _text(v).strip() if v is not None else "TwoWay"
    if v is not None and variant not in _VARIANTS:
        ctx.problem("invalid", k, v, f"<Synchronize/Variant> is {_text(v)!r}: FreeFileSync accepts only "
                    f"{', '.join(_VARIANTS)}" + (" (values are case-sensitive)"
                                                 if variant.lower() in [x.lower() for x in _VARIANTS] else "")
                    + "; it reports the element as unreadable and uses TwoWay")
        variant = "TwoWay"
    d = ctx.child(el, "DetectMovedFiles", f"{key}.detect_moved_files", "Synchronize")
    detect = ctx.boolean(_text(d) if d is not None else None, False, f"{key}.detect_moved_files", d,
                         "<DetectMovedFiles>")
    if variant == "TwoWay":
        return m.TWO_WAY, detect
    if variant == "Mirror":
        return (m.MIRROR_MOVES if detect else m.MIRROR), detect
    if variant == "Update":
        return m.UPDATE_LEGACY, detect
    cd = ctx.child(el, "CustomDirections", k, "Synchronize")
    names = ("LeftOnly", "LeftNewer", "RightNewer", "RightOnly", "Different", "Conflict")
    defaults = (m.R, m.R, m.L, m.L, m.N, m.N)
    vals: list[m.Direction] = []
    for name, default in zip(names, defaults, strict=True):
        c = ctx.child(cd, name, k, "CustomDirections") if cd is not None else None
        vals.append(_direction(ctx, _text(c), k, c, f"<CustomDirections/{name}>") if c is not None else default)
    return m.Differences(*vals), detect


def _read_versioning(ctx: _Ctx, el: El | None, key: str) -> m.Versioning:
    if el is None:
        return m.Versioning()
    style_raw = ctx.attr(el, "Style", key, "VersioningFolder")
    if style_raw is not None and style_raw.strip() == "TimeStamp" and ctx.fmt < 12:
        style = m.VersioningStyle.TIMESTAMP_FILE
    else:
        style = ctx.enum(style_raw, m.VersioningStyle, m.VersioningStyle.REPLACE, key, el,
                         "<VersioningFolder> Style")
    min_name, max_name = ("CountMin", "CountMax") if ctx.fmt < 13 else ("MinCount", "MaxCount")
    ints = [ctx.number(el.get(a), 0, key, el, f"<VersioningFolder> {a}") for a in ("MaxAge", min_name, max_name)]
    threads_raw = el.get("Threads")
    threads = ctx.number(threads_raw, 1, key, el, "<VersioningFolder> Threads") if threads_raw is not None else None
    return m.Versioning(_text(el), style, ints[0], ints[1], ints[2], threads)


def _read_filter(ctx: _Ctx, el: El | None, key: str) -> m.FilterConfig:
    if el is None:
        return m.FilterConfig()
    lists: dict[str, tuple[str, ...]] = {}
    for name in ("Include", "Exclude"):
        lk = f"{key}.{name.lower()}"
        lst = ctx.child(el, name, lk, "Filter")
        items: list[str] = []
        for i, item in enumerate(c for c in (lst if lst is not None else []) if c.tag == "Item"):
            ctx.at(f"{lk}.{i}", item)
            items.append(_text(item))
        lists[name] = tuple(items) if lst is not None else (("*",) if name == "Include" else ())
    sizes: list[tuple[int, m.SizeUnit]] = []
    for name in ("SizeMin", "SizeMax"):
        sk = f"{key}.{name.lower()}"
        s = ctx.child(el, name, sk, "Filter")
        unit = ctx.enum(ctx.attr(s, "Unit", sk, f"Filter/{name}"), m.SizeUnit, m.SizeUnit.NONE, sk, s,
                        f"<{name}> Unit")
        sizes.append((ctx.number(_text(s) if s is not None else None, 0, sk, s, f"<{name}>"), unit))
    t = ctx.child(el, "TimeSpan", f"{key}.time_span", "Filter")
    ttype = ctx.enum(ctx.attr(t, "Type", f"{key}.time_span", "Filter/TimeSpan"), m.TimeSpanType,
                     m.TimeSpanType.NONE, f"{key}.time_span", t, "<TimeSpan> Type")
    span = ctx.number(_text(t) if t is not None else None, 0, f"{key}.time_span", t, "<TimeSpan>")
    return m.FilterConfig(lists["Include"], lists["Exclude"], sizes[0][0], sizes[0][1], sizes[1][0], sizes[1][1],
                          span, ttype)


def _read_pairs(ctx: _Ctx, main: El | None, names: _Names, compare: m.CompareConfig) -> tuple[m.FolderPair, ...]:
    fp = ctx.child(main, "FolderPairs", "pairs", "FreeFileSync", required=ctx.fmt >= 23)
    if fp is None:
        ctx.at("pairs", main)  # no pairs: the element that would hold them (legacy: <MainConfig>)
        return ()
    if ctx.fmt >= 23 and (fp.text or "").strip():
        ctx.problem("invalid", "pairs", fp, "<FolderPairs> must not contain text in format 23")
    elems = [c for c in fp if isinstance(c.tag, str) and (ctx.fmt >= 23 or c.tag == "Pair")]
    pairs: list[m.FolderPair] = []
    for n, pel in enumerate(elems):
        k = f"pair.{n}"
        ctx.at(k, pel)
        sides: list[tuple[str, int | None]] = []
        for side in ("Left", "Right"):
            s = ctx.child(pel, side, f"{k}.{side.lower()}", "Pair")
            raw = s.get("Threads") if s is not None else None
            threads = ctx.number(raw, 1, f"{k}.{side.lower()}", s, f"<{side}> Threads") if raw is not None else None
            sides.append((_text(s), threads))
        pc = ctx.child(pel, names.pair_compare, f"{k}.compare", "Pair", required=False)
        pcompare = _read_compare(ctx, pc, f"{k}.compare") if pc is not None else None
        ps = ctx.child(pel, names.pair_sync, f"{k}.sync", "Pair", required=False)
        psync = _read_sync(ctx, ps, f"{k}.sync", pcompare or compare) if ps is not None else None
        pf = ctx.child(pel, names.pair_filter, f"{k}.filter", "Pair", required=False)
        pfilter = _read_filter(ctx, pf, f"{k}.filter") if pf is not None else None
        pairs.append(m.FolderPair(sides[0][0], sides[1][0], sides[0][1], sides[1][1], pcompare, psync, pfilter))
    return tuple(pairs)


def _read_errors(ctx: _Ctx, root: El, main: El | None) -> tuple[m.ErrorsConfig, m.ErrorDialog | None]:
    if ctx.fmt >= 10:
        e = ctx.child(root, "Errors", "errors", "FreeFileSync")
        ignore = ctx.boolean(ctx.attr(e, "Ignore", "errors", "Errors"), False, "errors", e, "<Errors> Ignore")
        retry = ctx.number(ctx.attr(e, "Retry", "errors", "Errors"), 0, "errors", e, "<Errors> Retry")
        delay = ctx.number(ctx.attr(e, "Delay", "errors", "Errors"), 5, "errors", e, "<Errors> Delay")
        return m.ErrorsConfig(ignore, retry, delay), None
    ie = ctx.child(main, "IgnoreErrors", "errors", "MainConfig", required=False)
    if ie is not None:
        return m.ErrorsConfig(ctx.boolean(_text(ie), False, "errors", ie, "<IgnoreErrors>")), None
    holder = root.find("BatchConfig") if ctx.kind is ConfigKind.BATCH else root.find("GuiConfig")
    he = holder.find("HandleError") if holder is not None else None
    value = _text(he).strip()
    ctx.at("errors", he)
    dialog = m.ErrorDialog.CANCEL if value in ("Stop", "Exit", "Abort") else None
    return m.ErrorsConfig(ignore=value == "Ignore"), dialog


def _read_post_sync(ctx: _Ctx, main: El | None) -> tuple[str, m.PostSyncCondition]:
    if ctx.fmt >= 8:
        p = ctx.child(main, "PostSyncCommand", "post_sync_command", "FreeFileSync")
        cond = ctx.enum(ctx.attr(p, "Condition", "post_sync_command", "PostSyncCommand"), m.PostSyncCondition,
                        m.PostSyncCondition.COMPLETION, "post_sync_command", p, "<PostSyncCommand> Condition")
        return _text(p), cond
    oc = ctx.child(main, "OnCompletion", "post_sync_command", "MainConfig", required=False)
    text = _text(oc).strip()
    if text.lower() in _LEGACY_ON_COMPLETION:
        return "", m.PostSyncCondition.COMPLETION
    return text, m.PostSyncCondition.COMPLETION


_LEGACY_ON_COMPLETION = {"close progress dialog", "standby", "log off", "shut down", "sleep", "shutdown"}


def _read_log_folder(ctx: _Ctx, root: El) -> str:
    if ctx.fmt >= 14:
        return _text(ctx.child(root, "LogFolder", "log_folder", "FreeFileSync"))
    holder = root.find("Batch") if ctx.fmt >= 10 else root.find("BatchConfig")
    lf = holder.find("LogfileFolder") if holder is not None else None
    ctx.at("log_folder", lf)
    return _text(lf)


def _read_grid_view(ctx: _Ctx, root: El) -> m.GridViewType:
    if ctx.fmt >= 19:
        g = ctx.child(root, "GridViewType", "grid_view", "FreeFileSync")
        return ctx.enum(_text(g) if g is not None else None, m.GridViewType, m.GridViewType.ACTION, "grid_view", g,
                        "<GridViewType>")
    if ctx.kind is not ConfigKind.GUI:
        return m.GridViewType.ACTION
    gui = ctx.child(root, "Gui" if ctx.fmt >= 10 else "GuiConfig", "grid_view", "FreeFileSync")
    if ctx.fmt >= 17:
        g = ctx.child(gui, "GridViewType", "grid_view", "Gui")
        return ctx.enum(_text(g) if g is not None else None, m.GridViewType, m.GridViewType.ACTION, "grid_view", g,
                        "<Gui/GridViewType>")
    g = ctx.child(gui, "MiddleGridView", "grid_view", "Gui", required=False)
    return m.GridViewType.DIFFERENCE if _text(g).strip() == "Category" else m.GridViewType.ACTION


def _read_batch(ctx: _Ctx, root: El, legacy_dialog: m.ErrorDialog | None, main: El | None) -> m.BatchConfig:
    b = ctx.child(root, "Batch" if ctx.fmt >= 10 else "BatchConfig", "batch", "FreeFileSync")
    if b is None:
        return m.BatchConfig()
    minimized, auto_close = False, False
    if ctx.fmt >= 9:
        pd = ctx.child(b, "ProgressDialog", "batch.progress_dialog", "Batch")
        minimized = ctx.boolean(ctx.attr(pd, "Minimized", "batch.progress_dialog", "Batch/ProgressDialog"), False,
                                "batch.progress_dialog", pd, "<ProgressDialog> Minimized")
        auto_close = ctx.boolean(ctx.attr(pd, "AutoClose", "batch.progress_dialog", "Batch/ProgressDialog"),
                                 False, "batch.progress_dialog", pd, "<ProgressDialog> AutoClose")
    else:
        rm = ctx.child(b, "RunMinimized", "batch.progress_dialog", "BatchConfig", required=False)
        minimized = ctx.boolean(_text(rm) if rm is not None else None, False, "batch.progress_dialog", rm,
                                "<RunMinimized>")
        oc = main.find("OnCompletion") if main is not None else None
        auto_close = _text(oc).strip().lower() == "close progress dialog"
    dialog, action = legacy_dialog or m.ErrorDialog.SHOW, m.PostSyncAction.NONE
    if ctx.fmt >= 8:
        ed = ctx.child(b, "ErrorDialog", "batch.error_dialog", "Batch")
        dialog = ctx.enum(_text(ed) if ed is not None else None, m.ErrorDialog, m.ErrorDialog.SHOW,
                          "batch.error_dialog", ed, "<ErrorDialog>")
        pa = ctx.child(b, "PostSyncAction", "batch.post_sync_action", "Batch")
        raw = _text(pa).strip() if pa is not None else None
        if ctx.fmt == 8 and raw in ("Summary", "Exit"):
            auto_close = auto_close or raw == "Exit"
        else:
            action = ctx.enum(raw, m.PostSyncAction, m.PostSyncAction.NONE, "batch.post_sync_action", pa,
                              "<PostSyncAction>")
    return m.BatchConfig(minimized, auto_close, dialog, action)


def load(path: str | os.PathLike[str], kind: ConfigKind | None = None) -> Loaded:
    """Read a config file into the model. ``kind`` defaults to what the extension says."""
    name = os.fspath(path)
    expected = kind or kind_for_path(name)
    if expected is None:
        raise ConfigError("FFS002", "not a FreeFileSync config extension (expected .ffs_gui, .ffs_batch or "
                          ".ffs_real)", name)
    return loads(read_bounded(name), name, expected)


def loads(data: bytes, path: str, kind: ConfigKind) -> Loaded:
    """Read config bytes into the model (see :mod:`ffs_tools.xml.read` for the mapping)."""
    tree = parse_bytes(data, path)
    start = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not start.startswith(b"<?xml"):
        raise ConfigError("FFS002", "FreeFileSync requires the file to start with '<?xml' (it reports "
                          "'does not contain a valid configuration')", path, 1, 1)
    return read_tree(tree, path, kind)
