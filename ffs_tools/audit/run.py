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
from dataclasses import dataclass, field
from pathlib import Path

from ffs_tools.audit.checks import Auditor, Hit
from ffs_tools.audit.filter import AuditFilter, knowledge_filter
from ffs_tools.audit.fs import LOCAL, FileSystem
from ffs_tools.audit.registry import RULES, severity
from ffs_tools.audit.walk import Progress, WalkStats, walk
from ffs_tools.audit.walk_parallel import walk_parallel
from ffs_tools.errors import UserError
from ffs_tools.findings import Edit, Finding, Report, Selection
from ffs_tools.fsutil import display
from ffs_tools.policy.gitignore import load_files
from ffs_tools.remote.sftp import Connections

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
    #: the ``.gitignore`` files in the tree (relative POSIX paths, sorted)
    gitignores: list[str] = field(default_factory=list)
    #: the machine the tree is on (this one, or the GPU machine over SFTP)
    fs: FileSystem = LOCAL


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
    results, stats = walk_parallel(root_real, make, _collect, jobs, progress, share_at)
    hits = sorted((h for part, _ in results for h in part), key=lambda h: (h.rel, h.code))
    return AuditResult(root, root_real, hits, stats, sorted(g for _, found in results for g in found))


def audit_sftp(phrase: str, filt: AuditFilter | None, workers: int, progress: Progress | None,
               pool: Connections, now: float | None = None) -> AuditResult:
    """Audit the folder of the ``sftp://`` phrase over SFTP, in this process: the same walk and checks, the
    listings read ahead on ``workers`` channels. Raises :class:`UserError` when it is not a readable folder."""
    from concurrent.futures import ThreadPoolExecutor

    from ffs_tools.audit.sftp_fs import PrefetchLister, SftpFileSystem
    from ffs_tools.remote.sftp import display, login_of

    login, path = login_of(phrase)
    shown = display(phrase)
    server = pool.server(login, shown)
    fs = SftpFileSystem(server)
    if not fs.isdir(path):
        raise UserError("not a folder on the server (or it cannot be read)", shown)
    root_real = fs.realpath(path)
    auditor = Auditor(root_real, filt or knowledge_filter(), now, fs)
    channels = server.channels(workers)
    with ThreadPoolExecutor(max_workers=channels) as threads:
        stats = walk(root_real, auditor, progress, PrefetchLister(server, threads, channels))
    hits = sorted(auditor.hits, key=lambda h: (h.rel, h.code))
    return AuditResult(shown, root_real, hits, stats, sorted(auditor.gitignores), fs)


def _collect(auditor: Auditor) -> tuple[list[Hit], list[str]]:
    return auditor.hits, auditor.gitignores


def git_verdicts(result: AuditResult, hits: Iterable[Hit]) -> dict[str, str]:
    """For each hit git would ignore: its path -> the deciding rule as ``git check-ignore -v`` names it.

    Read from the ``.gitignore`` files the walk met (the GPU machine has no git; they came with the sync),
    evaluated for the hits only, never per entry. The audited folder itself is the top: git ignores
    nothing there."""
    hits = [h for h in hits if h.rel]
    # only the files in the hits' ancestor folders can decide them: the others are not even read
    ancestors = {"/".join(parts[:depth]) for parts in (h.rel.split("/") for h in hits) for depth in range(len(parts))}
    files = [g for g in result.gitignores if g.rpartition("/")[0] in ancestors]
    if not files:
        return {}
    fs = result.fs
    if fs.remote:  # the GPU machine's files, over SFTP
        base = result.root_real.rstrip("/")
        rules = load_files(Path(result.root_real), files, lambda rel: fs.read_head(f"{base}/{rel}", 1 << 20))
    else:
        rules = load_files(Path(result.root_real), files)
    out: dict[str, str] = {}
    for h in hits:
        ignored, rule, _ = rules.verdict(h.rel, h.kind == "dir")
        if ignored and rule is not None:
            out[h.rel] = rule.verbose
    return out


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
    """The hits the selection allows, one per environment: an FFS703 (copied) whose folder also has a selected
    FFS708 (the config lets it travel) is left out, FFS708 carries its evidence (see ffs708_env_travels)."""
    chosen = [h for h in hits if selection.allows(h.code)]
    travels = {h.rel for h in chosen if h.code == "FFS708"}
    return [h for h in chosen if not (h.code == "FFS703" and h.rel in travels)]


def to_report(result: AuditResult, selection: Selection) -> Report:
    """The findings layer's report: one tree checked, the selected hits, the rules' metadata."""
    hits = selected(result.hits, selection)
    git = git_verdicts(result, hits)
    findings = [Finding(h.code, severity(h.code), h.message, shown_path(result.root, h.rel, h.kind), hint=h.hint,
                        fix=(Edit("add", "filter.exclude", h.suggest),) if h.suggest else (),
                        git_ignored=git.get(h.rel, ""))
                for h in hits]
    rules = {code: info for code, info in RULES.items() if selection.allows(code)}
    return Report(tool="audit-gpu", findings=findings, checked=1, rules=rules, gitignore=bool(result.gitignores))


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
