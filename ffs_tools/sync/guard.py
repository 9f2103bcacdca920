"""The guards ``sync`` checks on the plan before FreeFileSync runs, and what they refuse.

* ``--max-delete N`` (rclone's ``--max-delete`` is the model): deletions plus
  overwrites that lose data (the item replaced is newer, or exists only on the
  side that changes: :attr:`Action.loses_data`) may number at most N; -1 = no limit.
  It replaces FreeFileSync's significant-difference warning, which ``sync`` switches
  off (:mod:`ffs_tools.sync.settings`): that warning counts creates too, so it stops
  the first sync into a folder full of results, and it lets through 9 deletions of 10.
* a virtualenv or conda env on the GPU side that the run would copy to this machine
  (plan warning ``gpu-env-travels``);
* a plan that stops (FreeFileSync would stop before changing anything, e.g. a missing
  base folder), unless it stops only on a warning ``sync`` switches off;
* with ``--stop-on-conflict``: any conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ffs_tools.plan.checks import TXT_CONFLICTS, TXT_SIGNIFICANT
from ffs_tools.plan.model import Action, PairPlan, Plan

#: FreeFileSync's texts for the two warnings sync switches off (a plan's stop_reason starts with one); the
#: plan engine's own texts, so that the two cannot drift apart
SIGNIFICANT_TEXT = TXT_SIGNIFICANT.split(".")[0]
CONFLICTS_TEXT = TXT_CONFLICTS.split(" and will")[0]
ENV_TRAVELS = "gpu-env-travels"


@dataclass(frozen=True)
class AtRisk:
    """An action the ``--max-delete`` guard counts, with its pair."""

    pair: PairPlan
    action: Action

    def line(self) -> str:
        what = "delete" if self.action.verb == "delete" else "overwrite"
        side = self.action.side
        base = self.pair.left if side == "left" else self.pair.right
        return f"  {what} {side}: {self.action.path}  (pair {self.pair.index}, {base})"


@dataclass(frozen=True)
class Refusal:
    """Why ``sync`` will not run: one reason per line, and the items at risk."""

    reasons: tuple[str, ...]
    at_risk: tuple[AtRisk, ...]


def at_risk(plan: Plan) -> tuple[AtRisk, ...]:
    """Every deletion and every overwrite that loses data, in plan order."""
    return tuple(AtRisk(pair, a) for pair in plan.pairs for a in pair.actions
                 if a.verb == "delete" or a.loses_data)


def blocking_stops(plan: Plan, stop_on_conflict: bool) -> list[str]:
    """The reasons the plan stops that sync's private settings do not switch off ([] when it does not stop).

    The plan engine lists each FreeFileSync warning that stops the run as a note ``pair N: <text>``;
    without such notes the plan's ``stop_reason`` is the one reason.
    """
    if not plan.stops:
        return []
    reasons = [n for n in plan.notes if re.match(r"pair \d+: ", n)] or [plan.stop_reason or "no reason given"]
    off = (SIGNIFICANT_TEXT,) if stop_on_conflict else (SIGNIFICANT_TEXT, CONFLICTS_TEXT)
    return [r for r in reasons if not any(text in r for text in off)]


def check(plan: Plan, max_delete: int, stop_on_conflict: bool) -> Refusal | None:
    """The refusal for ``plan``, or None when it may run."""
    reasons: list[str] = []
    risky = at_risk(plan)
    if max_delete >= 0 and len(risky) > max_delete:
        reasons.append(f"{len(risky)} deletions and data-losing overwrites exceed --max-delete "
                       f"{max_delete} (policy: [sync] max_delete)")
    for pair in plan.pairs:
        for w in pair.warnings:
            if w.code == ENV_TRAVELS:
                reasons.append(f"pair {pair.index}: {w.message}")
    reasons.extend(f"FreeFileSync would stop before syncing: {r}" for r in blocking_stops(plan, stop_on_conflict))
    if stop_on_conflict and plan.conflicts:
        reasons.append(f"{len(plan.conflicts)} conflict(s) and --stop-on-conflict: resolve them first")
    if not reasons:
        return None
    return Refusal(tuple(reasons), risky if max_delete >= 0 and len(risky) > max_delete else ())
