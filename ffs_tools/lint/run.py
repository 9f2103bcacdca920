"""The lint engine: files -> safe reader -> model + locations -> rules -> findings.

Bad input is data: a file the reader refuses becomes an FFS001/FFS002
finding with its location, FreeFileSync-style problems become FFS003, and
nothing a config contains can make the engine raise. A rule that fails
anyway is reported as an "internal error" finding of that rule, so a bug
is visible (and fails the run) instead of being skipped silently.

Only the CLI (:mod:`ffs_tools.commands.lint`) prints; this module returns
findings. Imports stay light: the pre-commit hook runs this on every commit.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import CONFIG_EXTENSIONS
from ffs_tools.findings import Finding, Report, Selection, Severity, group_pairs
from ffs_tools.fsutil import display
from ffs_tools.lint.profiles import choose
from ffs_tools.lint.registry import REGISTRY, info, rules_for
from ffs_tools.lint.rules._context import Context, Options

CONFIG_SUFFIXES = tuple(CONFIG_EXTENSIONS)
#: folders never searched for configs when lint is given no files
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".tox", ".nox"})
_INLINE = re.compile(r"ffs-tools:\s*disable\s*=\s*([A-Za-z0-9_,\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """What to check and what to leave out, from the command line and ``[tool.ffs-tools.lint]``."""

    selection: Selection = field(default_factory=Selection)
    #: (glob, codes) pairs; globs are relative to ``root``
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: Path = field(default_factory=Path.cwd)
    options: Options = field(default_factory=Options)
    #: print notes (info findings) in the formats people read (``--show-notes``, ``show-notes``)
    show_notes: bool = False


@dataclass
class FileResult:
    path: str
    findings: list[Finding]
    ctx: Context
    data: bytes | None = None


def build_context(path: str, data: bytes | None, options: Options) -> Context:
    """Read ``data`` (or the file at ``path``) into a rule context; never raises for bad content."""
    from ffs_tools.xml import parse as xmlio
    from ffs_tools.xml import read
    ctx = Context(path, options, data=data)
    try:
        if data is None:
            kind = xmlio.kind_for_path(path)
            if kind is None:
                raise xmlio.ConfigError("FFS002", "not a FreeFileSync config extension (expected .ffs_gui, "
                                        ".ffs_batch or .ffs_real)", path)
            data = xmlio.read_bounded(path)
        ctx.data = data
        kind = xmlio.kind_for_path(path)
        if kind is None:
            raise xmlio.ConfigError("FFS002", "not a FreeFileSync config extension", path)
        loaded = read.loads(data, path, kind)
    except xmlio.ConfigError as exc:
        ctx.error = exc
        return ctx
    except Exception as exc:  # a reader bug must become a visible finding, not a traceback
        ctx.error = xmlio.ConfigError("FFS001", f"internal error while reading ({type(exc).__name__}: {exc}); "
                                      "please report it", path)
        return ctx
    ctx.config, ctx.source, ctx.problems, ctx.xml_format = (loaded.config, loaded.source, loaded.problems,
                                                            loaded.xml_format)
    return ctx


def inline_disabled(ctx: Context) -> tuple[str, ...]:
    """Codes (or prefixes, or ``ALL``) disabled by ``ffs-tools: disable=...`` in the job's ``<Notes>``."""
    job = ctx.job
    if job is None or not job.notes:
        return ()
    codes: list[str] = []
    for m in _INLINE.finditer(job.notes):
        codes.extend(c.strip().upper() for c in re.split(r"[,\s]+", m.group(1)) if c.strip())
    return tuple(codes)


def run_rules(ctx: Context, selection: Selection) -> list[Finding]:
    """The findings of the selected rules of the file's profile (:attr:`Context.profile`)."""
    findings: list[Finding] = []
    for rule in rules_for(ctx.profile):
        if not selection.allows(rule.CODE):
            continue
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:
            findings.append(Finding(rule.CODE, Severity.ERROR, f"internal error in rule {rule.CODE} "
                                    f"({type(exc).__name__}: {exc}); please report it", ctx.path))
    return findings


def _suppressed(finding: Finding, codes: Sequence[str]) -> bool:
    return any(c == "ALL" or finding.code.startswith(c) for c in codes)


def file_ignores(path: str, settings: Settings) -> tuple[str, ...]:
    """Codes ``per-file-ignores`` switches off for ``path``."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        rel = Path(path).as_posix()
    out: list[str] = []
    for pattern, codes in settings.per_file_ignores:
        import fnmatch  # per-file ignores only

        if fnmatch.fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1],
                                                                                              pattern)):
            out.extend(codes)
    return tuple(out)


def lint_context(ctx: Context, settings: Settings) -> list[Finding]:
    """Choose the file's profile, run its selected rules, one finding per problem (the pairs that share it
    listed in it); drop what per-file ignores and inline disables switch off."""
    ctx.profile, ctx.profile_why = choose(ctx)
    findings = group_pairs(run_rules(ctx, settings.selection), len(ctx.job.pairs) if ctx.job else 0)
    off = file_ignores(ctx.path, settings) + inline_disabled(ctx)
    return sorted((f for f in findings if not _suppressed(f, off)), key=Finding.sort_key)


def lint_bytes(data: bytes, path: str, settings: Settings) -> FileResult:
    ctx = build_context(path, data, settings.options)
    return FileResult(path, lint_context(ctx, settings), ctx, data)


def lint_file(path: str, settings: Settings) -> FileResult:
    ctx = build_context(path, None, settings.options)
    return FileResult(path, lint_context(ctx, settings), ctx)


def discover(paths: Sequence[str], cwd: Path) -> list[str]:
    """The config files to lint: files as given, folders searched (skipping ``.git`` and the like)."""
    if not paths:
        paths = ["."]
    out: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            out.extend(_walk(given))
        else:
            out.append(given)
    return out


def _walk(top: str) -> Iterable[str]:
    """Config files below ``top``: regular files only (a FIFO named like a config would block a reader);
    a folder that cannot be read is an error, not a silent "no findings"."""
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        raise UserError(f"cannot read this folder: {exc.strerror or exc}", display(str(exc.filename or top)))

    for folder, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.lower().endswith(CONFIG_SUFFIXES) and _regular(path):
                found.append(os.path.normpath(path) if top != "." else os.path.relpath(path))
    return found


def _regular(path: str) -> bool:
    """A regular file (through a link): what can be read without blocking."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # reading it reports why it cannot be read (FFS001)


def new_report() -> Report:
    report = Report("lint", pairs=True)
    report.rules = {m.CODE: info(m) for m in REGISTRY}
    return report
