"""The hardened XML entry point: bytes in, an lxml tree or a precise error out.

FreeFileSync's own parser (zenXml) understands no DTD and only the five
predefined entities, so ffs-tools refuses what zenXml would never read and
what could hurt the reader: DOCTYPE declarations (entity expansion, billion
laughs, external entities), files over :data:`MAX_BYTES`, deep nesting,
binary garbage. Every refusal is a :class:`ConfigError` with file, line and
column; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import CONFIG_EXTENSIONS, Config, ConfigKind, SourceMap
from ffs_tools.fsutil import NotRegularError, read_regular

if TYPE_CHECKING:
    from collections.abc import Sequence

#: FreeFileSync configs are a few KB; the largest real one in the corpus is under 100 KB.
MAX_BYTES = 8 * 1024 * 1024

#: the config extensions, plus GlobalSettings.xml (read only to say it is not a sync config)
EXTENSIONS: dict[str, ConfigKind] = {**CONFIG_EXTENSIONS, ".xml": ConfigKind.GLOBAL}

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class ConfigError(UserError):
    """A file that cannot be read as a FreeFileSync config.

    ``code`` is the lint rule it becomes: ``FFS001`` (not well-formed, unreadable,
    too large, refused as hostile) or ``FFS002`` (well-formed, but not a
    FreeFileSync config of the expected type).
    """

    def __init__(self, code: str, message: str, path: str, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message, path, line, column)
        self.code = code


class Problem(NamedTuple):
    """Something FreeFileSync itself would reject or reset when it reads the file."""

    message: str
    key: str
    line: int | None
    column: int | None
    #: "missing" | "invalid" | "number" | "layout"
    kind: str


class Loaded(NamedTuple):
    path: str
    config: Config
    source: SourceMap
    problems: tuple[Problem, ...]
    #: the root's XmlFormat as written (None when missing or not a number)
    xml_format: int | None
    kind: ConfigKind


def kind_for_path(path: str | os.PathLike[str]) -> ConfigKind | None:
    """The config kind an extension stands for (case-insensitive, as FreeFileSync decides)."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, collect_ids=False, remove_blank_text=False)


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse config bytes safely; raise :class:`ConfigError` (FFS001) with a location otherwise."""
    if len(data) > MAX_BYTES:
        raise ConfigError("FFS001", f"file is {len(data):,} bytes, over the {MAX_BYTES // 2**20} MiB limit "
                          "(FreeFileSync configs are a few KB)", path)
    if b"\x00" in data[:4096]:
        raise ConfigError("FFS001", "binary data, not an XML text file", path, 1, data.index(b"\x00") + 1)
    m = _DOCTYPE.search(data)
    if m:
        line = data.count(b"\n", 0, m.start()) + 1
        column = m.start() - (data.rfind(b"\n", 0, m.start()) + 1) + 1
        raise ConfigError("FFS001", "DOCTYPE declaration refused: FreeFileSync does not read DTDs, and entity "
                          "declarations can expand without bound or reach outside the file", path, line, column)
    try:
        return etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc).strip())
        raise ConfigError("FFS001", f"not well-formed XML: {message}", path, line or None, column or None) from None
    except (ValueError, etree.LxmlError) as exc:
        raise ConfigError("FFS001", f"not readable as XML: {exc}", path) from None


def read_bounded(path: str | os.PathLike[str], follow: bool = True) -> bytes:
    """Read at most :data:`MAX_BYTES` + 1 bytes of a regular file; raise :class:`ConfigError` otherwise.

    The file is opened without blocking and checked with ``fstat`` before it is read, so a FIFO, a device
    or a socket is refused instead of waiting forever; with ``follow=False`` a symbolic link is refused too
    (``O_NOFOLLOW``: what the link points to is never read).
    """
    name = os.fspath(path)
    try:
        data = read_regular(name, MAX_BYTES + 1, follow)
    except FileNotFoundError:
        raise ConfigError("FFS001", "no such file", name) from None
    except NotRegularError as exc:
        if exc.strerror == "it is a folder":
            raise ConfigError("FFS001", "is a folder, not a config file", name) from None
        raise ConfigError("FFS001", f"{(exc.strerror or '').removeprefix('it ')}: not read", name) from None
    except OSError as exc:
        raise ConfigError("FFS001", f"cannot read: {exc.strerror or exc}", name) from None
    if len(data) > MAX_BYTES:
        raise ConfigError("FFS001", f"file is over the {MAX_BYTES // 2**20} MiB limit "
                          "(FreeFileSync configs are a few KB)", name)
    return data


def element_line(el: etree._Element | None) -> int | None:
    """The element's source line (lxml may not know it)."""
    line = el.sourceline if el is not None else None
    return line if isinstance(line, int) else None


def children(el: etree._Element, name: str) -> Sequence[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag == name]
