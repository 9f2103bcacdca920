"""``ffs-tools explain``: why a path is or is not synced."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    config: Annotated[Path, typer.Argument(help="A .ffs_gui or .ffs_batch file.", show_default=False)],
) -> None:
    """Show what FreeFileSync would sync from the left folder of each pair."""
    from ffs_tools.errors import UserError

    raise UserError("not implemented yet", str(config))
