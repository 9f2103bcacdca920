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
    target: str = ""  # "target: FreeFileSync 12.0, format 17, detected from ..."


@functools.lru_cache(maxsize=8)
def load(path: str) -> Policy:
    from ffs_tools.policy.load import load_policy

    return load_policy(Path(path))


@functools.lru_cache(maxsize=8)
def expected(path: str, version: str | None) -> Expected:
    """The files the policy generates for the FreeFileSync ``generate`` would target (``version``: lint's
    ``--ffs-version``; else the policy's ``[ffs] version``, else the detected one: :func:`resolve_target`);
    raises UserError for a bad policy or a version ffs-tools cannot serve."""
    from ffs_tools.generate.plan import plan
    from ffs_tools.policy.target import resolve_target

    policy = load(path)
    out_dir = policy.base_dir.resolve()
    resolved = resolve_target(version, policy)
    outputs = plan(policy, resolved.target, out_dir, lambda message: None)
    return Expected(policy, {str(out_dir / o.name): o.data for o in outputs}, out_dir, resolved.line)
