"""After the run: does a fresh plan agree with what the first plan implied?

FreeFileSync applied the first plan's actions, so a second plan of the same
config (made with the database FreeFileSync just wrote) must be empty, except for
the conflicts the first plan already had (left alone on purpose). Anything else
differs from the plan: usually a file written on either side while FreeFileSync ran
(a training job saving a checkpoint), sometimes an item FreeFileSync could not
copy. Each is reported with its action, so the user knows what the next run will do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ffs_tools.plan.model import Action, Conflict, Plan
from ffs_tools.sync.guard import blocking_stops


@dataclass(frozen=True)
class Difference:
    """One thing the second plan still wants to do, or a conflict the first plan did not have."""

    pair: int
    text: str


@dataclass(frozen=True)
class Verification:
    differences: tuple[Difference, ...]
    conflicts_left: tuple[tuple[int, Conflict], ...]  # the first plan's conflicts, still there

    @property
    def clean(self) -> bool:
        return not self.differences


def _action_text(action: Action) -> str:
    moved = f" (from {action.from_path})" if action.from_path else ""
    return f"{action.op} {action.path}{moved}"


def verify(before: Plan, after: Plan) -> Verification:
    """Compare the plan made after the run with the one made before it."""
    known = {(p.index, c.path) for p in before.pairs for c in p.conflicts}
    differences: list[Difference] = []
    left: list[tuple[int, Conflict]] = []
    differences.extend(Difference(0, f"FreeFileSync would now stop: {r}") for r in blocking_stops(after, False))
    for pair in after.pairs:
        differences.extend(Difference(pair.index, _action_text(a)) for a in pair.actions)
        for conflict in pair.conflicts:
            if (pair.index, conflict.path) in known:
                left.append((pair.index, conflict))
            else:
                differences.append(Difference(pair.index, f"new conflict {conflict.path}: {conflict.reason}"))
    return Verification(tuple(differences), tuple(left))
