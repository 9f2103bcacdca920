"""Text output of ``plan``: per pair a summary like FreeFileSync's grid, then what is dangerous.

Per pair: counts and bytes per operation, the deletions and overwrites (the changes that lose
data first), the conflicts with FreeFileSync's reasons, our warnings; ``--all`` lists every action.
"""

from __future__ import annotations

from ffs_tools.plan.model import Action, PairPlan, Plan

_OPS = ("create-left", "create-right", "update-left", "update-right", "move-left", "move-right",
        "delete-left", "delete-right")


def _bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


def _line(a: Action) -> str:
    src = f"{a.from_path} -> " if a.from_path else ""
    lost = "  (data only on this side)" if a.loses_data else ""
    return f"    {a.op:<13} {src}{a.path}{lost}"


def render_pair(p: PairPlan, list_all: bool) -> list[str]:
    out = [f"pair {p.index}: {p.left} <-> {p.right}"]
    if not p.actions and not p.conflicts:
        out.append("  nothing to synchronize")
    for op in _OPS:
        acts = [a for a in p.actions if a.op == op]
        if acts:
            size = sum(a.size for a in acts)
            out.append(f"  {op:<13} {len(acts):>7} item(s)" + (f"  {_bytes(size)}" if size else ""))
    danger = [a for a in p.actions if a.verb == "delete" or (a.verb == "update" and a.loses_data)]
    if danger and not list_all:
        out.append("  deletions and overwrites:")
        out.extend(_line(a) for a in sorted(danger, key=lambda a: (not a.loses_data, a.path))[:50])
        if len(danger) > 50:
            out.append(f"    ... and {len(danger) - 50} more (--all lists every action)")
    if list_all and p.actions:
        out.append("  actions, in order:")
        out.extend(_line(a) for a in p.actions)
    if p.conflicts:
        out.append(f"  conflicts ({len(p.conflicts)}), left alone:")
        out.extend(f"    {c.path}: {c.reason}" for c in p.conflicts)
    for w in p.warnings:
        out.append(f"  warning [{w.code}]: {w.message}")
    return out


def render_text(plan: Plan, list_all: bool = False) -> str:
    lines = [f"plan for FreeFileSync {plan.ffs_version}"]
    for p in plan.pairs:
        lines.extend(render_pair(p, list_all))
    if plan.stops:
        lines.append(f"STOPS: {plan.stop_reason}")
    if plan.aborts:
        lines.append("ABORTS: the run ends at its first error; only the actions listed before it are carried out")
    for note in plan.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"


def exit_code(plan: Plan) -> int:
    """0: nothing dangerous; 1: deletions, overwrites, conflicts or a stop pending."""
    if plan.stops or plan.aborts or plan.conflicts:
        return 1
    return 1 if any(a.verb == "delete" or a.verb == "update" for a in plan.actions) else 0
