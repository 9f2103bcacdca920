"""The project policy for FFS131 (keep paths) and FFS501 (out of date), loaded once per run.

Only with ``ffs-tools lint --policy FILE``: generating the expected files
renders templates and validates them against the XSDs, which a plain lint
on every commit does not pay for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ffs_tools.policy.model import Policy


@dataclass(frozen=True)
class Expected:
    """What ``ffs-tools generate`` would write for the policy: file path -> bytes."""

    policy: Policy
    files: dict[str, bytes]
    out_dir: Path


@functools.lru_cache(maxsize=8)
def load(path: str) -> Policy:
    from ffs_tools.policy.load import load_policy

    return load_policy(Path(path))


@functools.lru_cache(maxsize=8)
def expected(path: str, version: str) -> Expected:
    """The files the policy generates for FreeFileSync ``version`` (raises UserError for a bad policy)."""
    from ffs_tools.generate.plan import plan
    from ffs_tools.policy.jobs import ffs_target

    policy = load(path)
    out_dir = policy.base_dir.resolve()
    outputs = plan(policy, ffs_target(version), out_dir, lambda message: None)
    return Expected(policy, {str(out_dir / o.name): o.data for o in outputs}, out_dir)
