"""Small helpers shared by command modules."""

from __future__ import annotations

from ffs_tools.errors import UserError
from ffs_tools.filtering.engine import Semantics, semantics_for


def parse_semantics(version: str) -> Semantics:
    try:
        return semantics_for(version)
    except ValueError as exc:
        raise UserError(f"--ffs-version: {exc}") from None
