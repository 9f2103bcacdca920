"""Small helpers shared by command modules."""

from __future__ import annotations

from ffs_tools.errors import UserError
from ffs_tools.filtering.engine import Semantics, semantics_of


def parse_semantics(version: str | None, xml_format: int | None) -> Semantics:
    """The filter semantics for a config: ``--ffs-version`` when given, else the file's XmlFormat, by the one rule
    lint and audit-gpu use (:func:`ffs_tools.filtering.engine.semantics_of`)."""
    try:
        return semantics_of(version, xml_format)
    except ValueError as exc:
        raise UserError(f"--ffs-version: {exc}") from None
