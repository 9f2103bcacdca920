"""Validation of generated XML against the XSD schemas shipped in ``ffs_tools/schemas``.

One schema per format ffs-tools writes: ``sync-17.xsd`` and ``sync-23.xsd``
(.ffs_gui/.ffs_batch) and ``real-2.xsd`` (.ffs_real); ``common.xsd`` holds
their shared types. They describe what ffs-tools writes -- FreeFileSync's
element order, its exact enum strings, ``true``/``false`` booleans -- and are
stricter than FreeFileSync's reader, which ignores unknown elements. xmlschema
is imported lazily (it is slow to import, and ``lint`` on the commit path
never needs it).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ffs_tools.errors import UserError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

#: (root XmlType, XmlFormat) -> schema file
SCHEMAS: dict[tuple[str, int], str] = {
    ("GUI", 17): "sync-17.xsd",
    ("BATCH", 17): "sync-17.xsd",
    ("GUI", 23): "sync-23.xsd",
    ("BATCH", 23): "sync-23.xsd",
    ("REAL", 2): "real-2.xsd",
}


class SchemaError(UserError):
    """Generated XML that does not match its schema (a bug in a template, never the user's fault)."""


@functools.cache
def load_schema(name: str) -> Any:
    """The compiled schema ``name`` (cached: compiling takes a while)."""
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMA_DIR / name))


def schema_for(xml_type: str, xml_format: int) -> str:
    """The schema file for a root ``XmlType``/``XmlFormat``; UserError for a format ffs-tools does not write."""
    try:
        return SCHEMAS[(xml_type, xml_format)]
    except KeyError:
        raise UserError(f"no schema for XmlType={xml_type} XmlFormat={xml_format}: ffs-tools writes sync "
                        "configs in format 17 or 23 and .ffs_real in format 2") from None


def validate(data: bytes, xml_type: str, xml_format: int, path: str = "<generated>") -> None:
    """Raise :class:`SchemaError` (with the line of the first problem) unless ``data`` is valid."""
    from ffs_tools.xml.parse import parse_bytes

    schema = load_schema(schema_for(xml_type, xml_format))
    for error in schema.iter_errors(parse_bytes(data, path)):
        line = getattr(error, "sourceline", None)
        reason = error.reason or str(error.message)
        where = error.path or ""
        raise SchemaError(f"does not match {schema_for(xml_type, xml_format)}: {where}: {reason}", path,
                          line if isinstance(line, int) else None)
