r"""Ask the filter engine, on probe paths, what a folder pair would sync.

"Is ``.git`` excluded at every depth?" is never answered by looking at the
item texts (``*\.git``, ``*/.git/``, ``.git|*\.git`` and a lone ``*\`` all
defeat string matching). Instead the pair's effective filter (global AND pair
filter, FreeFileSync's built-ins, the semantics of the FreeFileSync version)
is asked about probe paths: the folder at the base, one and two levels down,
and below every folder an include item names; for a folder, whether anything
inside it would travel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from ffs_tools.ffs.known_names import names_a_file
from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE, vcs_item
from ffs_tools.filtering.engine import Mask, MaskKind, Origin, PathFilter
from ffs_tools.findings import Edit, Finding, Severity, pair_label
from ffs_tools.lint.rules._context import Context
from ffs_tools.lint.rules._rewrite import rewrite_item, swap
from ffs_tools.lint.rules._scopes import Scope

#: files that live inside the folders the rules care about (.git, venvs, caches); one that passes = a leak
SAMPLE_FILES: tuple[str, ...] = (
    "HEAD", "config", "objects/ab/cdef0123", VENV_MARKER_FILE, "bin/python",
    "lib/python3.11/site-packages/pkg/__init__.py", "m.cpython-311.pyc", "v/cache/nodeids",
    "nb-checkpoint.ipynb", f"{CONDA_MARKER_DIR}/history",
)

#: folders below the base that probes are placed in
NESTED_PARENTS: tuple[str, ...] = ("a", "a/b")


def folder_leaks(flt: PathFilter, folder: str, samples: Sequence[str] = SAMPLE_FILES) -> bool:
    """Whether anything inside ``folder`` would travel (probed with typical content)."""
    if flt.closed_parent(f"{folder}/x") is not None:
        return False
    return any(flt.synced(f"{folder}/{s}", False) for s in samples)


def include_parents(flt: PathFilter) -> list[str]:
    """Folders include items name or match (``\\src\\`` -> ``src``, ``\\proj*`` -> ``projx``): probes go below them.

    A wildcard folder item is instantiated (``*`` and ``?`` become ``x``); a
    plain wildcard item only when it ends in ``*`` (``*.py`` names files, not
    folders to probe below). A plain item that names a file (``mix.html``,
    ``style.css``: :func:`~ffs_tools.ffs.known_names.names_a_file`) has nothing
    below it.
    """
    out: list[str] = []
    for inc in flt.includes:
        for mask in inc.masks:
            candidates = []
            if not mask.wildcard and mask.kind is not MaskKind.FILE and not (
                    mask.kind is MaskKind.BOTH and names_a_file(mask.text.replace("\\", "/").rsplit("/", 1)[-1])):
                candidates.append(mask.pattern)
            head = mask.pattern.split("*", 1)[0].split("?", 1)[0]
            if "/" in head:
                candidates.append(head.rsplit("/", 1)[0])
            if mask.wildcard and (mask.kind is MaskKind.FOLDER or
                                  (mask.kind is MaskKind.BOTH and mask.pattern.endswith("*"))):
                candidates.append(mask.pattern.replace("*", "x").replace("?", "x"))
            for folder in candidates:
                folder = folder.strip("/").lower()
                if folder and folder not in out:
                    out.append(folder)
    return out


def nested_parents(flt: PathFilter) -> list[str]:
    """Probe parents below the base: fixed ones plus each include folder and one level under it, those the
    filter can reach (FreeFileSync enters them and each folder above them)."""
    out = list(NESTED_PARENTS)
    for folder in include_parents(flt):
        for candidate in (folder, f"{folder}/a"):
            if candidate not in out:
                out.append(candidate)
    return [p for p in out if flt.reaches(p, True)]


def excluding_item(flt: PathFilter, path: str) -> Mask | None:
    """The exclude item that keeps the file at ``path`` (or a folder above it) back, None when none does."""
    decision = flt.explain(path, False)
    return decision.mask if decision.reason in ("excluded", "parent excluded") else None


#: one probe result: the scope, the message, the exclude items that close the gap, and the filter item that
#: causes it (None: an item is missing, the finding points at the list the fix goes to)
Result = tuple[Scope, str, Sequence[str], Mask | None]


def scope_gaps(ctx: Context, scope: Scope, names: Sequence[str]) -> dict[str, list[str]]:
    """:func:`depth_gaps` of the scope's filter, once per different filter of the file."""
    return ctx.cached(("gaps", tuple(names), scope.group), partial(depth_gaps, scope.flt, names))


def base_only_cause(scope: Scope, gaps: dict[str, list[str]]) -> Mask | None:
    """When every gap is a folder kept back at the base folder only: the item that keeps the first back
    (the finding points at it); else None (items are missing, the finding points at the list)."""
    if gaps and all(where == ["below"] for where in gaps.values()):
        return excluding_item(scope.flt, f"{next(iter(gaps))}/{SAMPLE_FILES[0]}")
    return None


def _number(scope: Scope) -> int:
    return -1 if scope.index is None else scope.index + 1


def describe_scopes(names: Sequence[str], found: Sequence[tuple[Scope, dict[str, list[str]]]],
                    every: Sequence[Scope] = ()) -> str:
    """The gaps of several pairs in one text, so that they make one finding: a gap that not every pair of
    the finding (``every``, default: those in ``found``) has names its pairs
    (``.pytest_cache (everywhere in pairs 1-83, 85-142)``)."""
    where_pairs: dict[tuple[str, str], list[int]] = {}
    for scope, gaps in found:
        for name, where in gaps.items():
            where_pairs.setdefault((name, describe_where(where)), []).append(_number(scope))
    all_numbers = sorted({_number(s) for s in every} or {n for numbers in where_pairs.values() for n in numbers})
    order = {name: i for i, name in enumerate(names)}
    parts = []
    for (name, said), numbers in sorted(where_pairs.items(), key=lambda e: (order[e[0][0]], e[1][0])):
        only = f" in {pair_label(numbers)}" if sorted(numbers) != all_numbers and -1 not in numbers else ""
        parts.append(f"{name} ({said}{only})")
    return ", ".join(parts)


def depth_gaps(flt: PathFilter, names: Iterable[str]) -> dict[str, list[str]]:
    """For each folder name: where its content travels (``"base"`` and/or ``"below"``)."""
    gaps: dict[str, list[str]] = {}
    parents = nested_parents(flt)
    for name in names:
        where = []
        if folder_leaks(flt, name):
            where.append("base")
        if any(folder_leaks(flt, f"{p}/{name}") for p in parents):
            where.append("below")
        if where:
            gaps[name] = where
    return gaps


def describe_where(where: list[str]) -> str:
    """``["base"]`` -> "at the base folder", ``["below"]`` -> "below the base folder", both -> "everywhere"."""
    if where == ["base"]:
        return "at the base folder"
    if where == ["below"]:
        return "below the base folder"
    return "everywhere"


def grouped(ctx: Context, code: str, severity: Severity, results: Sequence[Result], hint: str,
            fix: Callable[[Scope, Sequence[str], Mask | None], tuple[Edit, ...]] | None = None) -> list[Finding]:
    """One finding per scope, at the item that causes it or at the list the fix goes to; the engine merges
    the pairs whose effective filters give the same verdict (same message) into one finding, whether they
    share the global filter or each has its own (each pair's place and fix kept).

    The exclude items that close the gap become the finding's fix, added to the filter it points at (``fix``:
    a rule's own edits instead, e.g. the faulty item replaced in place).
    """
    out: list[Finding] = []
    for scope, message, items, cause in results:
        at = (cause.source.line, cause.source.column) if cause is not None else None
        edits = fix(scope, items, cause) if fix is not None else add_items(scope.filter_key, items)
        out.append(ctx.finding(code, severity, scope.filter_key, message, hint, edits,
                               pairs=(scope.index,), at=at))
    return out


def add_items(key: str, items: Iterable[str]) -> tuple[Edit, ...]:
    """The fix that appends ``items`` to the filter list at ``key``."""
    return tuple(Edit("add", key, item) for item in items)


GIT = ".git"


def git_gap(flt: PathFilter) -> tuple[str, str, str | None] | None:
    """Classify how ``.git`` travels through ``flt``: ``(code, message, kept)`` or None when it never does.

    FFS101: the base folder's ``.git`` travels, or nested ones do while no exclude item keeps any back
    (the base one is only outside the include list). FFS102: an exclude item keeps the base folder's
    ``.git`` back, nested ones travel. FFS103: every ``.git`` folder is
    excluded but the ``.git`` *file* of a worktree or submodule travels. ``kept`` is a path inside a
    ``.git`` folder the filter keeps back (its exclude item causes the finding; None for FFS101).
    """
    parents = nested_parents(flt)
    base = folder_leaks(flt, GIT)
    nested = [p for p in parents if folder_leaks(flt, f"{p}/{GIT}")]
    if base:
        if nested:
            return "FFS101", "`.git` is not excluded: the repository metadata travels to the other side", None
        return "FFS101", "`.git` is not excluded at the base folder (only below it)", None
    if nested and excluding_item(flt, f"{GIT}/HEAD") is None:
        return "FFS101", (f"`.git` is not excluded: nested repositories and submodules (e.g. {nested[0]}/.git) "
                          f"travel to the other side; the base folder's `.git` stays only because the include "
                          f"list leaves it out"), None
    if nested:
        return "FFS102", (f"`.git` is kept back only at the base folder: nested repositories and submodules "
                          f"(e.g. {nested[0]}/.git) still sync"), f"{GIT}/HEAD"
    for path in (GIT, "wt/.git", *(f"{p}/{GIT}" for p in parents)):
        if flt.synced(path, False):
            return "FFS103", (f"`.git` is excluded only as a folder: the `.git` file of a worktree or submodule "
                              f"(e.g. {path}) still syncs"), f"{path}/HEAD"
    return None


def git_findings(ctx: Context, code: str, severity: Severity) -> list[Finding]:
    """The pairs whose ``.git`` travels the way ``code`` says, one finding per problem: pairs whose
    messages differ only in the example path (``e.g. public/.git``, ``e.g. src/.git``) share the first."""
    results: list[Result] = []
    first: dict[str, str] = {}
    for scope in ctx.scopes():
        gap = ctx.cached(("git", scope.group), partial(git_gap, scope.flt))
        if gap is not None and gap[0] == code:
            cause = excluding_item(scope.flt, gap[2]) if gap[2] else None
            message = first.setdefault(re.sub(r"\(e\.g\. [^)]*\)", "", gap[1]), gap[1])
            results.append((scope, message, [vcs_item(GIT)], cause))
    hint = ("add the exclude item `*/.git` (no trailing slash: it matches the folder and the worktree file, "
            "at every depth)")
    return grouped(ctx, code, severity, results, hint, partial(_git_fix, ctx))


def _git_fix(ctx: Context, scope: Scope, items: Sequence[str], cause: Mask | None) -> tuple[Edit, ...]:
    """FFS102's fix: the item that keeps only the base folder's ``.git`` back (``.git\\``, ``/.git/`` ...) is
    itself the mistake, so it becomes ``*/.git`` in place; any other cause (an item that also matches other
    names) stays, and the every-depth item is added."""
    job = ctx.job
    source = cause.source if cause is not None else None
    if job is None or source is None or cause is None or cause.text.replace("\\", "/").strip("/") != GIT:
        return add_items(scope.filter_key, items)
    if source.origin is Origin.GLOBAL:
        key, texts = "filter.exclude", job.filter.exclude
    elif source.origin is Origin.PAIR and scope.index is not None and scope.pair is not None and scope.pair.filter:
        key, texts = f"pair.{scope.index}.filter.exclude", scope.pair.filter.exclude
    else:
        return add_items(scope.filter_key, items)
    every_depth = vcs_item(GIT).replace("/", "\\") if "\\" in cause.text and "/" not in cause.text else vcs_item(GIT)
    return rewrite_item(f"{key}.{source.index}", texts[source.index], swap(cause.text, every_depth))
