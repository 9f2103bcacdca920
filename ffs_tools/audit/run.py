"""``audit-gpu``: tree walk -> FreeFileSync filter engine -> FFS7xx checks -> findings.

Run on the GPU machine in the synced working folder. :func:`audit` walks the
tree once (streaming, in parallel processes where the platform forks) with
the checks of :mod:`ffs_tools.audit.checks`; :func:`to_report` hands the hits
to the shared findings layer (reporters, ``--select``/``--ignore``, exit
codes as for ``lint``); :func:`suggestions` turns them into filter items and
:func:`quarantine_targets` into the items ``--quarantine`` moves.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass

from ffs_tools.audit.checks import Auditor, Hit
from ffs_tools.audit.filter import AuditFilter, knowledge_filter
from ffs_tools.audit.registry import RULES, severity
from ffs_tools.audit.walk import Progress, WalkStats
from ffs_tools.audit.walk_parallel import walk_parallel
from ffs_tools.errors import UserError
from ffs_tools.findings import Edit, Finding, Report, Selection
from ffs_tools.fsutil import display

#: what ``--quarantine`` moves without ``--all``
QUARANTINE_DEFAULT = frozenset({"FFS701", "FFS702"})


@dataclass
class AuditResult:
    #: the audited folder as the user named it (finding paths start with it)
    root: str
    root_real: str
    #: sorted by path, then code
    hits: list[Hit]
    stats: WalkStats


def default_jobs() -> int:
    """Worker processes for the walk: the CPUs, at most 8 (a walk is mostly kernel and cache work)."""
    return max(1, min(os.cpu_count() or 1, 8))


def audit(root: str, filt: AuditFilter | None = None, jobs: int = 1, progress: Progress | None = None,
          now: float | None = None, share_at: int | None = None) -> AuditResult:
    """Audit the tree at ``root`` (``jobs`` processes, see :func:`ffs_tools.audit.walk.walk_parallel`).
    Raises :class:`UserError` when ``root`` is not a readable folder."""
    root_real = os.path.realpath(root)
    try:
        with os.scandir(root_real):
            pass
    except NotADirectoryError:
        raise UserError("not a folder", display(root)) from None
    except OSError as exc:
        raise UserError(f"cannot read the folder: {exc.strerror or exc}", display(root)) from None
    make = functools.partial(Auditor, root_real, filt or knowledge_filter(), now)
    results, stats = walk_parallel(root_real, make, _hits_of, jobs, progress, share_at)
    hits = sorted((h for part in results for h in part), key=lambda h: (h.rel, h.code))
    return AuditResult(root, root_real, hits, stats)


def _hits_of(auditor: Auditor) -> list[Hit]:
    return auditor.hits


def shown_path(root: str, rel: str, kind: str = "file") -> str:
    """A hit's path for reports: below the root as the user named it, escaped, folders with ``/``."""
    base = root.rstrip("/") or "/"
    if base == ".":
        path = rel or "."
    elif not rel:
        path = base
    else:
        path = f"{base}/{rel}" if base != "/" else f"/{rel}"
    if kind == "dir" and not path.endswith("/"):
        path += "/"
    return display(path)


def selected(hits: Iterable[Hit], selection: Selection) -> list[Hit]:
    return [h for h in hits if selection.allows(h.code)]


def to_report(result: AuditResult, selection: Selection) -> Report:
    """The findings layer's report: one tree checked, the selected hits, the rules' metadata."""
    findings = [Finding(h.code, severity(h.code), h.message, shown_path(result.root, h.rel, h.kind), hint=h.hint,
                        fix=(Edit("add", "filter.exclude", h.suggest),) if h.suggest else ())
                for h in selected(result.hits, selection)]
    rules = {code: info for code, info in RULES.items() if selection.allows(code)}
    return Report(tool="audit-gpu", findings=findings, checked=1, rules=rules)


def suggestions(hits: Iterable[Hit]) -> list[tuple[str, list[Hit]]]:
    """The every-depth filter items that would have kept the hits off this machine, with the hits each
    covers, sorted by item. Hits no filter item prevents (leftovers FreeFileSync writes here itself,
    unreadable folders, links) have no item."""
    by_item: dict[str, list[Hit]] = {}
    for h in hits:
        if h.suggest:
            by_item.setdefault(h.suggest, []).append(h)
    return sorted(by_item.items())


def quarantine_targets(hits: Iterable[Hit], everything: bool) -> list[Hit]:
    """The items ``--quarantine`` moves: ``.git`` (FFS701/702), or with ``everything`` every hit; one
    per path, none below another one (it moves with its parent), never the audited folder itself."""
    chosen: dict[str, Hit] = {}
    for h in hits:
        if h.rel and (everything or h.code in QUARANTINE_DEFAULT):
            chosen.setdefault(h.rel, h)
    return [chosen[rel] for rel in sorted(chosen) if not _below_any(rel, chosen)]


def _below_any(rel: str, chosen: dict[str, Hit]) -> bool:
    parts = rel.split("/")
    return any("/".join(parts[:i]) in chosen for i in range(1, len(parts)))
