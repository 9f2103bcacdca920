"""A fault-injection hook of the project's own: kill the process at the Nth step of a move.

Every step of quarantine and restore that changes the disk (a manifest
write, a copied entry, a rename, a removal) calls :func:`step` first. With
``FFS_TOOLS_FAULT=N`` in the environment the Nth call ends the process at
once with ``os._exit(137)`` (what SIGKILL looks like to a parent): no
``finally``, no clean-up, exactly like a crash at that point. The tests loop
N over every step and check that one more run resolves what is left. With
``FFS_TOOLS_FAULT_TRACE=FILE`` each step's name is appended to FILE.
Unset, the hook costs one dictionary lookup per step.
"""

from __future__ import annotations

import os

KILLED = 137
_count = 0


def step(what: str) -> None:
    """Count one step; die here when ``FFS_TOOLS_FAULT`` names this step's number."""
    global _count
    target = os.environ.get("FFS_TOOLS_FAULT")
    trace = os.environ.get("FFS_TOOLS_FAULT_TRACE")
    if target is None and trace is None:
        return
    _count += 1
    if trace:
        with open(trace, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"{_count} {what}\n")
    if target is not None and target.strip().isdigit() and _count == int(target):
        os._exit(KILLED)


def reset() -> None:
    """Start counting again (a test that forks runs one count per child)."""
    global _count
    _count = 0
