"""Helpers shared by the benchmark scripts: timing a command the same way for every side."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence


def time_command(cmd: Sequence[str], repeat: int = 3, **kwargs: object) -> float:
    """Best wall time of ``repeat`` runs of ``cmd`` (seconds); raises if the command fails."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(list(cmd), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       **kwargs)  # type: ignore[call-overload]
        best = min(best, time.perf_counter() - started)
    return best
