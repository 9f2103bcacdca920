"""The text ``sync`` prints: the plan in one line per pair, a refusal with its list, FreeFileSync's result."""

from __future__ import annotations

from collections import Counter

from ffs_tools.plan.model import OPS, PairPlan, Plan
from ffs_tools.sync.guard import CONFLICTS_TEXT, ENV_TRAVELS, SIGNIFICANT_TEXT, Refusal, at_risk
from ffs_tools.sync.runner import FfsRun
from ffs_tools.sync.verify import Verification

GPU_ONLY = "deletes-gpu-only"

#: warnings FreeFileSync logs that sync expects: switched off, reported by the plan, or a first run's notice
EXPECTED_WARNINGS = {
    SIGNIFICANT_TEXT: "switched off: the --max-delete guard replaces it",
    CONFLICTS_TEXT: "switched off: conflicts are left alone and listed below",
    "Setting directions for first synchronization": "first run without a database (FreeFileSync 12)",
    "Database file is not available": "first run without a database (FreeFileSync 14)",
}


def plan_lines(plan: Plan, list_at_risk: bool = True) -> list[str]:
    """One line per pair with the counts per action, then (``list_at_risk``) the deletions/overwrites."""
    lines = []
    for pair in plan.pairs:
        counts = Counter(a.op for a in pair.actions)
        what = ", ".join(f"{counts[op]} {op}" for op in OPS if counts[op]) or "nothing to do"
        conflicts = f", {len(pair.conflicts)} conflict(s)" if pair.conflicts else ""
        lines.append(f"plan: pair {pair.index} {pair.left} <-> {pair.right}: {what}{conflicts}")
        lines.extend(_warning_lines(pair))
    risky = at_risk(plan)
    if risky and list_at_risk:
        lines.append(f"deletions and data-losing overwrites ({len(risky)}):")
        lines.extend(r.line() for r in risky)
    return lines


def _warning_lines(pair: PairPlan) -> list[str]:
    """The plan's own warnings for a pair; GPU-only items at risk are counted, not repeated one by one (the
    list of deletions follows), and a GPU env that would travel is the guard's to report."""
    gpu_only = [w for w in pair.warnings if w.code == GPU_ONLY]
    lines = [f"  warning: {w.message}" for w in pair.warnings if w.code not in (GPU_ONLY, ENV_TRAVELS)]
    if gpu_only:
        lines.append(f"  warning: {len(gpu_only)} item(s) that exist only on the GPU side would be deleted or "
                     f"overwritten, e.g. {gpu_only[0].path}")
    return lines


def refusal_lines(refusal: Refusal) -> list[str]:
    lines = ["refused, nothing was run:"] + [f"  {r}" for r in refusal.reasons]
    if refusal.at_risk:
        lines.append(f"what would be deleted or overwritten ({len(refusal.at_risk)}):")
        lines.extend(r.line() for r in refusal.at_risk)
    return lines


def unexpected_warnings(run: FfsRun) -> list[str]:
    """The warnings in FreeFileSync's log that sync did not expect."""
    return [w for w in run.log.warnings if not w.startswith(tuple(EXPECTED_WARNINGS))]


def run_lines(run: FfsRun) -> list[str]:
    """FreeFileSync's exit code, result, counts and log, then its warnings and errors."""
    log = run.log
    facts = [f"exit {run.returncode} ({run.meaning})", f"{run.seconds:.1f} s"]
    if log.result:
        facts.append(log.result)
    facts.extend(f"{k.lower()}: {v}" for k, v in log.counts.items() if k != "Total time")
    if log.json is not None:
        facts.append(f"JSON syncResult: {log.json.get('syncResult')}")
    lines = ["FreeFileSync: " + "; ".join(facts),
             f"  log: {log.path}" if log.path else "  log: not found"]
    for warning in log.warnings:
        note = next((v for k, v in EXPECTED_WARNINGS.items() if warning.startswith(k)), "")
        lines.append(f"  warning: {warning}" + (f" ({note})" if note else ""))
    lines.extend(f"  error: {e}" for e in log.errors)
    if run.returncode not in (0, 1) and run.stderr.strip():
        lines.extend(f"  stderr: {line}" for line in run.stderr.strip().splitlines()[-5:])
    return lines


def verification_lines(result: Verification) -> list[str]:
    lines = []
    if result.conflicts_left:
        lines.append(f"conflicts left alone ({len(result.conflicts_left)}), resolve them in the .ffs_gui:")
        lines.extend(f"  pair {i}: {c.path}: {c.reason}" for i, c in result.conflicts_left)
    if result.clean:
        lines.append("verified: a fresh plan finds the trees as the plan implied")
    else:
        lines.append(f"the trees differ from the plan ({len(result.differences)}; changed during the run?), "
                     "the next sync will do:")
        lines.extend(f"  pair {d.pair}: {d.text}" if d.pair else f"  {d.text}" for d in result.differences)
    return lines
