"""Where the data shipped with ffs-tools lives: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_path(name: str) -> Path:
    """``templates`` or ``schemas`` from the wheel or the checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE / name, _CHECKOUT / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"ffs-tools data file {name!r} is missing from the installation")
