"""``generate``'s last step: compare the planned files with the disk, then write them atomically.

A file on disk whose digest no longer matches was edited by hand: it is only
replaced with ``--force``, and the message shows how it differs.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.generate.plan import MAX_DIFF_LINES, Echo, Output, Status, has_valid_digest


def compare_with_disk(outputs: list[Output], out_dir: Path) -> list[Status]:
    """What each output would do to the file on disk."""
    from ffs_tools.xml.parse import read_bounded

    statuses = []
    for out in outputs:
        path = out_dir / out.name
        if not path.exists():
            statuses.append(Status(out, "new"))
            continue
        current = read_bounded(path)
        if current == out.data:
            statuses.append(Status(out, "unchanged"))
        elif has_valid_digest(current):
            statuses.append(Status(out, "updated"))
        else:
            statuses.append(Status(out, "edited", _diff(out.name, current, out.data)))
    return statuses


def _diff(name: str, current: bytes, new: bytes) -> str:
    def lines(data: bytes) -> list[str]:
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n").splitlines()

    diff = list(difflib.unified_diff(lines(current), lines(new), f"{name} (on disk)", f"{name} (from the policy)",
                                     n=1, lineterm=""))
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)"]
    return "\n".join(diff)


def apply(statuses: list[Status], out_dir: Path, check: bool, force: bool, echo: Echo) -> int:
    """Write (or, with ``check``, only report) the outputs; the exit code (0, or 1 for --check with changes)."""
    from ffs_tools.fsutil import atomic_write

    edited = [s for s in statuses if s.state == "edited"]
    for s in edited:
        echo(f"{out_dir / s.output.name}: edited by hand since ffs-tools generated it (its digest no longer "
             f"matches); it differs from what the policy gives:\n{s.diff}")
    if check:
        for s in statuses:
            if s.state in ("new", "updated"):
                echo(f"{out_dir / s.output.name}: would be {'created' if s.state == 'new' else 'updated'}")
        return 1 if any(s.state != "unchanged" for s in statuses) else 0
    if edited and not force:
        names = ", ".join(s.output.name for s in edited)
        raise UserError(f"{names}: edited by hand (see above); nothing was written. Move your changes into the "
                        "policy, or run with --force to replace the file(s)", str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    for s in statuses:
        if s.state != "unchanged":
            atomic_write(out_dir / s.output.name, s.output.data)
        echo(f"{out_dir / s.output.name}: {_WORDS[s.state]}")
    return 0


_WORDS = {"new": "written", "updated": "updated", "unchanged": "unchanged", "edited": "replaced (--force)"}
