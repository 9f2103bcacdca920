"""Model -> FreeFileSync XML, in FreeFileSync's own house style, through the Jinja2 templates in ``templates/``.

The templates receive the model (a :class:`~ffs_tools.ffs.model.SyncJob` or
:class:`~ffs_tools.ffs.model.RealTimeConfig`), never the policy. The environment
autoescapes and uses ``StrictUndefined``; every value goes through
:func:`tag`, which escapes text and attributes exactly as FreeFileSync's XML
writer does (text: ``& < >`` and control characters as ``&#xHH;``;
attributes: also ``"`` and ``'``), so that FreeFileSync 14.10 would not change
a byte when it saves a format-23 file again (fixtures/ffs14-migrations). The
house style: ``<?xml ...?>`` declaration, CRLF line endings, four-space
indentation, FreeFileSync's element and attribute order, ``<Tag/>`` for empty
elements.

Format 17 has no ``<Synchronize>/<Differences>``/``<Changes>``: the directions
are mapped back to ``TwoWay``/``Mirror``/``Update``/``Custom`` by
:func:`legacy_sync` (docs/formats.md#how-1410-reads-format-17, read backwards); directions that 17
cannot express raise :class:`RenderError`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ffs_tools.ffs.model import (
    MIRROR_MOVES,
    TWO_WAY,
    Changes,
    ConfigKind,
    Differences,
    RealTimeConfig,
    SyncConfig,
    SyncJob,
)

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

#: the sync-config formats ffs-tools writes, and the .ffs_real format
SYNC_FORMATS = (17, 23)
REAL_FORMAT = 2


class RenderError(ValueError):
    """The model cannot be written in the requested format (e.g. database-based Update in format 17)."""


# --------------------------------------------------------------------------- escaping


def _escape(value: object, attribute: bool) -> str:
    out = []
    for ch in str(value):
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif attribute and ch == '"':
            out.append("&quot;")
        elif attribute and ch == "'":
            out.append("&apos;")
        elif ord(ch) < 0x20:
            out.append(f"&#x{ord(ch):02X};")
        else:
            out.append(ch)
    return "".join(out)


def escape_text(value: object) -> str:
    """Element text as FreeFileSync writes it."""
    return _escape(value, attribute=False)


def escape_attr(value: object) -> str:
    """An attribute value as FreeFileSync writes it."""
    return _escape(value, attribute=True)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tag(name: str, text: object = None, **attrs: object) -> Markup:
    """``<name a="v">text</name>``, or ``<name a="v"/>`` when the text is empty; ``None`` attributes are left out."""
    from markupsafe import Markup

    head = name + "".join(f' {k}="{escape_attr(_scalar(v))}"' for k, v in attrs.items() if v is not None)
    body = "" if text is None else escape_text(_scalar(text))
    return Markup(f"<{head}>{body}</{name}>" if body else f"<{head}/>")


def xml_comment(text: str) -> Markup:
    """An XML comment; ``--`` (not allowed inside one) is broken up."""
    from markupsafe import Markup

    body = escape_text(text.replace("\r", " ").replace("\n", " "))
    while "--" in body:
        body = body.replace("--", "- -")
    return Markup(f"<!-- {body.rstrip('-')} -->")


# --------------------------------------------------------------------------- directions per format


@dataclass(frozen=True)
class LegacySync:
    """A format-17 ``<Synchronize>``: ``Variant``, ``CustomDirections`` (Custom only), ``DetectMovedFiles``."""

    variant: str
    custom: Differences | None
    detect_moved: bool


def legacy_sync(sync: SyncConfig) -> LegacySync:
    """Map model directions onto the format-17 layout, the inverse of docs/formats.md#how-1410-reads-format-17."""
    d = sync.directions
    if isinstance(d, Changes):
        if d == TWO_WAY:
            return LegacySync("TwoWay", None, sync.detect_moved_files)
        if d == MIRROR_MOVES:
            return LegacySync("Mirror", None, True)
        raise RenderError(f"database-based directions {_describe(d)} cannot be expressed in format 17 "
                          "(FreeFileSync 12 knows only TwoWay and Mirror with move detection); "
                          "use --ffs-version 13 or newer")
    core = (d.left_only, d.left_newer, d.right_newer, d.right_only)
    if d.different is None and d.conflict is None:
        if core == ("right", "right", "right", "right"):
            return LegacySync("Mirror", None, sync.detect_moved_files)
        if core == ("right", "right", "none", "none"):
            return LegacySync("Update", None, sync.detect_moved_files)
        raise RenderError(f"directions {_describe(d)} need a format-17 Custom variant, which also needs "
                          "Different and Conflict directions (the model has none)")
    if d.different is None or d.conflict is None:
        raise RenderError("format-17 Custom directions need both Different and Conflict")
    return LegacySync("Custom", d, sync.detect_moved_files)


def format23_sync(sync: SyncConfig) -> SyncConfig:
    """Check that ``sync`` fits format 23, which has no Different/Conflict directions."""
    d = sync.directions
    if isinstance(d, Differences) and (d.different is not None or d.conflict is not None):
        raise RenderError(f"directions {_describe(d)} carry format-17 Different/Conflict directions, which "
                          "format 23 does not have")
    return sync


def _describe(d: Differences | Changes) -> str:
    if isinstance(d, Changes):
        return (f"Changes(left: create={d.left_create} update={d.left_update} delete={d.left_delete}; "
                f"right: create={d.right_create} update={d.right_update} delete={d.right_delete})")
    extra = f" Different={d.different} Conflict={d.conflict}" if d.different or d.conflict else ""
    return (f"Differences(LeftOnly={d.left_only} LeftNewer={d.left_newer} RightNewer={d.right_newer} "
            f"RightOnly={d.right_only}{extra})")


# --------------------------------------------------------------------------- rendering


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: autoescape, StrictUndefined, CRLF, FreeFileSync's escaping helpers."""
    import jinja2

    from ffs_tools.resources import data_path

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_path("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        newline_sequence="\r\n",
    )
    env.globals["tag"] = tag
    env.filters["attr"] = lambda v: _markup(escape_attr(_scalar(v)))
    env.filters["xbool"] = lambda v: "true" if v else "false"
    env.filters["format17"] = legacy_sync
    env.filters["format23"] = format23_sync
    env.filters["xml_comment"] = xml_comment
    env.tests["differences"] = lambda v: isinstance(v, Differences)
    return env


def _markup(text: str) -> Markup:
    from markupsafe import Markup

    return Markup(text)


def template_name(config: SyncJob | RealTimeConfig) -> str:
    if isinstance(config, RealTimeConfig):
        if config.xml_format != REAL_FORMAT:
            raise RenderError(f"ffs-tools writes .ffs_real format {REAL_FORMAT}, not {config.xml_format}")
        return "real-2.xml.j2"
    if config.xml_format not in SYNC_FORMATS:
        raise RenderError(f"ffs-tools writes sync configs in format 17 or 23, not {config.xml_format}")
    if config.kind not in (ConfigKind.GUI, ConfigKind.BATCH):
        raise RenderError(f"a sync config is GUI or BATCH, not {config.kind}")
    if (config.kind == ConfigKind.BATCH) != (config.batch is not None):
        raise RenderError("a BATCH config needs batch settings and a GUI config has none")
    if config.xml_format == 17 and config.notes:
        raise RenderError("format 17 has no <Notes>; pass the text as a comment instead")
    return f"sync-{config.xml_format}.xml.j2"


def render(config: SyncJob | RealTimeConfig, comment: str = "") -> bytes:
    """The file FreeFileSync would write for ``config`` (UTF-8 bytes, CRLF).

    ``comment`` becomes an XML comment after the declaration (format 17 and .ffs_real only: FreeFileSync
    ignores comments, and 14.10 would drop one from a format-23 file when saving it).
    """
    name = template_name(config)
    if comment and name == "sync-23.xml.j2":
        raise RenderError("a format-23 file carries its text in <Notes>, not in a comment")
    context: dict[str, Any] = {"job": config, "comment": comment}
    return environment().get_template(name).render(context).encode("utf-8")
