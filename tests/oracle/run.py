"""One oracle run: random histories -> ``ffs-tools plan`` -> the real FreeFileSync -> compare the trees.

For each variant, the cases go into batch jobs of up to ``pairs_per_job`` folder pairs (one pair
per case, so a few FreeFileSync runs cover hundreds of cases). Per job:

1. build every case's initial trees; run the real FreeFileSync once on the pairs whose history
   starts with a sync (so a database exists), then delete one side's database where the
   history says so;
2. make the changes of every history;
3. ``ffs-tools plan JOB --format json`` (a subprocess, as a user runs it), and snapshot both sides;
4. run the real FreeFileSync on the same job and snapshot again;
5. per pair: ``apply_actions(before, plan actions)`` (or ``before`` when the plan says the run
   stops, which must then end with exit code 3) must equal the trees the real run left.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oracle.history import Case, build_initial, make_case, mutate
from oracle.jobs import RightPhrase, Variant, batch_xml, run_ffs, run_plan
from oracle.tree import ApplyError, Tree, apply_actions, diff, snapshot


@dataclass
class PairResult:
    variant: Variant
    case: Case
    index: int
    report: str = ""  # empty when the plan and the real run agree
    plan: dict[str, Any] = field(default_factory=dict)  # the plan's JSON for this pair
    stops: bool = False
    code: int = 0  # FreeFileSync's exit code for the job
    before: tuple[Tree, Tree] = ({}, {})
    after: tuple[Tree, Tree] = ({}, {})

    @property
    def agrees(self) -> bool:
        return not self.report


@dataclass
class VariantResult:
    variant: Variant
    pairs: list[PairResult] = field(default_factory=list)
    seconds_ffs: float = 0.0
    seconds_plan: float = 0.0

    @property
    def agreeing(self) -> int:
        return sum(p.agrees for p in self.pairs)

    def redundant(self) -> list[str]:
        """Actions of agreeing plans that change nothing in the trees (the real run made no such change)."""
        out = []
        for p in self.pairs:
            if p.agrees and not p.stops:
                actions = p.plan.get("actions", [])
                out += [f"{self.variant.name} (format {self.variant.fmt}) seed {p.case.seed} pair {p.index}: "
                        f"{actions[i]}" for i in redundant_actions(p.before, actions)]
        return out

    def coverage(self) -> str:
        """What the plans held: actions per op, conflicts, jobs that stopped, FreeFileSync's exit codes."""
        ops = Counter(a["op"] for p in self.pairs for a in p.plan.get("actions", []))
        conflicts = sum(len(p.plan.get("conflicts", [])) for p in self.pairs)
        stopped = sum(p.stops for p in self.pairs)
        codes = Counter(p.code for p in self.pairs)
        return (", ".join(f"{op} {n}" for op, n in sorted(ops.items())) + f" (redundant {len(self.redundant())})"
                f"; conflicts {conflicts}; "
                f"pairs in stopped jobs {stopped}; exit codes per pair {dict(sorted(codes.items()))}")


def _inside_deleted_folder(action: dict[str, Any], actions: list[dict[str, Any]]) -> bool:
    """A deletion inside a folder that the plan deletes too (listed so that deletions are counted)."""
    return action["op"].startswith("delete-") and any(
        a["op"] == action["op"] and a["path"].endswith("/") and a is not action
        and action["path"].startswith(a["path"]) for a in actions)


def redundant_actions(before: tuple[Tree, Tree], actions: list[dict[str, Any]]) -> list[int]:
    """Indexes of the actions without which the trees come out the same (e.g. a rename to the name an
    earlier update already gave the item), except deletions inside a folder the plan deletes too."""
    full = apply_actions(before[0], before[1], actions)
    out = []
    for i in range(len(actions)):
        if _inside_deleted_folder(actions[i], actions):
            continue
        try:
            if apply_actions(before[0], before[1], actions[:i] + actions[i + 1:]) == full:
                out.append(i)
        except ApplyError:
            continue
    return out


def run_variant(variant: Variant, seeds: list[int], base: Path, right_phrase: RightPhrase = str) -> VariantResult:
    """Every seed as one folder pair of ``variant``; jobs of ``variant.pairs_per_job`` pairs. ``right_phrase``
    writes the right folders into the jobs (e.g. as sftp:// phrases; the trees are read on this machine)."""
    result = VariantResult(variant)
    step = variant.pairs_per_job
    for j in range(0, len(seeds), step):
        _run_job(variant, seeds[j:j + step], base / f"{variant.fmt}-{variant.name}-{j // step}", result, right_phrase)
    return result


class HarnessError(Exception):
    """The harness itself could not set a case up (not a disagreement of the plan)."""


def _sync(variant: Variant, pairs: list[tuple[Path, Path]], folder: Path, ignore_errors: bool,
          result: VariantResult, right_phrase: RightPhrase) -> tuple[Path, int, str]:
    folder.mkdir(parents=True)
    job = folder / "job.ffs_batch"
    job.write_text(batch_xml(variant, pairs, folder / "logs", ignore_errors, right_phrase), encoding="utf-8")
    started = time.monotonic()
    code, log = run_ffs(variant, job, folder)
    result.seconds_ffs += time.monotonic() - started
    return job, code, log


def _prepare(variant: Variant, cases: list[Case], pairs: list[tuple[Path, Path]], folder: Path,
             result: VariantResult, right_phrase: RightPhrase) -> None:
    """Initial trees, the first real sync where the history has one, deleted databases, the changes."""
    for case, (left, right) in zip(cases, pairs, strict=True):
        build_initial(case, left, right)
    first = [p for c, p in zip(cases, pairs, strict=True) if c.first_sync]
    if first:
        _, code, log = _sync(variant, first, folder / "first", True, result, right_phrase)
        if code not in (0, 1):
            raise HarnessError(f"{variant.name}: the first sync failed with exit code {code}:\n{log[-3000:]}")
    for case, (left, right) in zip(cases, pairs, strict=True):
        if case.start.startswith("db-deleted-"):
            db = (left if case.start.endswith("left") else right) / ".sync.ffs_db"
            case.history.append(f"database {'deleted' if db.exists() else 'absent (none written)'}: {db.parent.name}")
            db.unlink(missing_ok=True)
        mutate(case, left, right)


def _run_job(variant: Variant, seeds: list[int], folder: Path, result: VariantResult,
             right_phrase: RightPhrase) -> None:
    cases = [make_case(seed) for seed in seeds]
    pairs = [(folder / "pairs" / f"{i + 1}" / "L", folder / "pairs" / f"{i + 1}" / "R") for i in range(len(cases))]
    _prepare(variant, cases, pairs, folder, result, right_phrase)
    (folder / "main").mkdir()
    job = folder / "main" / "job.ffs_batch"
    job.write_text(batch_xml(variant, pairs, folder / "main" / "logs", not variant.unattended, right_phrase),
                   encoding="utf-8")
    started = time.monotonic()
    plan = run_plan(job, variant)
    result.seconds_plan += time.monotonic() - started
    before = [(snapshot(left), snapshot(right)) for left, right in pairs]
    started = time.monotonic()
    code, log = run_ffs(variant, job, folder / "main")
    result.seconds_ffs += time.monotonic() - started
    after = [(snapshot(left), snapshot(right)) for left, right in pairs]
    parsed, problem = _parse_plan(plan.returncode, plan.stdout, plan.stderr)
    for i, case in enumerate(cases):
        report = problem or compare(parsed, i + 1, before[i], after[i], code)
        if report:
            report = _describe(variant, case, i + 1, parsed, before[i], code, log) + report
        pair: dict[str, Any] = next((p for p in parsed.get("pairs", []) if p.get("index") == i + 1), {})
        result.pairs.append(PairResult(variant, case, i + 1, report, pair, bool(parsed.get("stops")), code,
                                       before[i], after[i]))


def _parse_plan(code: int, stdout: str, stderr: str) -> tuple[dict[str, Any], str]:
    if code not in (0, 1):
        return {}, f"plan failed with exit code {code}: {stderr.strip()[-2000:]}\n"
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError as exc:
        return {}, f"plan printed no JSON ({exc}): {stdout[:500]!r}\n"
    if not isinstance(doc, dict) or not isinstance(doc.get("pairs"), list):
        return {}, f"plan JSON has no pairs list: {stdout[:500]!r}\n"
    return doc, ""


def compare(plan: dict[str, Any], index: int, before: tuple[Tree, Tree], after: tuple[Tree, Tree],
             code: int) -> str:
    """What disagrees for pair ``index`` (empty when nothing)."""
    pair = next((p for p in plan["pairs"] if p.get("index") == index), None)
    if pair is None:
        return f"the plan has no pair with index {index}\n"
    stops, aborts = bool(plan.get("stops")), bool(plan.get("aborts"))
    out = []
    if (stops or aborts) != (code == 3):  # aborts (extra key): the run ends at an error, after ``actions``
        out.append(f"plan says stops={stops}, aborts={aborts} but FreeFileSync exited with {code}")
    try:
        expected = before if stops else apply_actions(before[0], before[1], pair.get("actions", []))
    except ApplyError as exc:
        return f"the plan's actions do not apply to the trees before the run: {exc}\n"
    for side, exp, real in (("left", expected[0], after[0]), ("right", expected[1], after[1])):
        lines = diff(exp, real)
        if lines:
            out.append(f"{side} side differs:\n" + "\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


def _tree_text(tree: Tree) -> str:
    return ", ".join(f"{k}{'/' if v.kind == 'folder' else ''}" + (f"[{v.size}B t{v.mtime % 100000}]"
                     if v.kind == "file" else "") for k, v in sorted(tree.items())) or "(empty)"


def _describe(variant: Variant, case: Case, index: int, plan: dict[str, Any], before: tuple[Tree, Tree],
              code: int, log: str) -> str:
    pair: dict[str, Any] = next((p for p in plan.get("pairs", []) if p.get("index") == index), {})
    acts = "\n".join(f"    {a.get('op')} {a.get('from', '') + ' -> ' if 'from' in a else ''}{a.get('path')} "
                     f"({a.get('kind')})" for a in pair.get("actions", [])) or "    (none)"
    conflicts = "\n".join(f"    {c.get('path')}: {c.get('reason')}" for c in pair.get("conflicts", [])) or "    (none)"
    mentions = [line.strip() for line in log.splitlines() if f"/{index}/" in line][:10]
    return (f"=== {variant.name} (format {variant.fmt}, FreeFileSync {variant.ffs_version}) pair {index}: "
            f"seed {case.seed}, start={case.start}\n"
            "history:\n" + "".join(f"    {h}\n" for h in case.history)
            + f"before: L: {_tree_text(before[0])}\n        R: {_tree_text(before[1])}\n"
            + f"plan (stops={plan.get('stops')}, {plan.get('stop_reason')}, aborts={plan.get('aborts')}):\n{acts}\n"
            + f"conflicts:\n{conflicts}\n"
            + f"FreeFileSync exit code {code}; its log on this pair:\n"
            + "".join(f"    {m[:300]}\n" for m in mentions))
