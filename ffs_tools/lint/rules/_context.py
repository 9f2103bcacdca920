"""What a rule sees: one file, its model and locations, and the run's options.

The engine (:mod:`ffs_tools.lint.run`) builds one :class:`Context` per file. A
file that could not be read still gets a context (with ``error`` set) so that
FFS001/FFS002 are ordinary rules; every other rule looks at ``ctx.job`` or
``ctx.real`` and yields nothing when the file has no model.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from ffs_tools.ffs.model import RealTimeConfig, SourceMap, SyncJob
from ffs_tools.findings import Edit, Finding, Severity

if TYPE_CHECKING:
    from ffs_tools.filtering.engine import Semantics
    from ffs_tools.lint.rules._scopes import Scope
    from ffs_tools.xml.parse import ConfigError, Problem

T = TypeVar("T")


class Profile(enum.Enum):
    """What a config is judged as (``ffs-tools rules`` lists each rule's profiles).

    ``generic``: what is true for any FreeFileSync job (format, filter syntax, passwords, folders,
    deletions, unattended runs). ``dev-gpu``: also the rules of the local <-> GPU machine workflow
    (version control, environments, caches, one-way syncs toward the GPU side, comparison).
    """

    GENERIC = "generic"
    DEV_GPU = "dev-gpu"

    @classmethod
    def parse(cls, text: str) -> Profile:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown profile {text!r} (expected dev-gpu or generic)") from None


#: the profiles of a rule that holds for any FreeFileSync job
BOTH: tuple[Profile, ...] = (Profile.GENERIC, Profile.DEV_GPU)
#: the profiles of a rule of the dev <-> GPU workflow
DEV_GPU_ONLY: tuple[Profile, ...] = (Profile.DEV_GPU,)


@dataclass(frozen=True)
class Options:
    """Run-wide settings the rules honour."""

    #: ``--ffs-version``: judge every file for this FreeFileSync version (None: from each file's XmlFormat)
    ffs_version: str | None = None
    #: look into the left folder for virtualenvs (FFS112) when it exists here
    scan_left: bool = True
    #: compare with ``git ls-files`` (FFS131) when the left folder is inside a git work tree
    use_git: bool = True
    #: the folder relative folder paths resolve against (FreeFileSync uses its working directory)
    cwd: Path = field(default_factory=Path.cwd)
    #: most folder entries FFS112 looks at in one left folder
    scan_limit: int = 200_000
    #: ``--policy``: the project policy for keep paths (FFS131) and generated files (FFS501)
    policy: Path | None = None
    #: ``--profile`` or the ``profile`` setting (None: decided per file, :mod:`ffs_tools.lint.profiles`)
    profile: Profile | None = None
    #: where :attr:`profile` was set (``--profile``, ``pyproject.toml``)
    profile_origin: str = ""
    #: ``venv-names``: virtualenv names whose gaps are errors (None: the workflow's, ``never_travels``)
    venv_names: tuple[str, ...] | None = None
    #: ``cache-names``: cache names whose gaps are errors (None: the workflow's)
    cache_names: tuple[str, ...] | None = None


@dataclass
class Context:
    """One file as the rules see it."""

    path: str
    options: Options
    config: SyncJob | RealTimeConfig | None = None
    source: SourceMap | None = None
    problems: tuple[Problem, ...] = ()
    xml_format: int | None = None
    error: ConfigError | None = None
    #: the file's bytes (when they could be read): for rules that also look at broken files
    data: bytes | None = None
    #: the profile the file is judged by, and why (set by the engine before the rules run)
    profile: Profile = Profile.GENERIC
    profile_why: str = ""
    _scopes: list[Scope] | None = field(default=None, repr=False)
    _positions: dict[str, tuple[tuple[int, int], ...]] | None = field(default=None, repr=False)
    _memo: dict[Hashable, object] = field(default_factory=dict, repr=False)

    @property
    def job(self) -> SyncJob | None:
        return self.config if isinstance(self.config, SyncJob) else None

    @property
    def real(self) -> RealTimeConfig | None:
        return self.config if isinstance(self.config, RealTimeConfig) else None

    @property
    def semantics(self) -> Semantics:
        """Filter semantics to judge with: ``--ffs-version``, else format 17-19 -> FFS12, 23 -> FFS14."""
        from ffs_tools.filtering.engine import semantics_of

        return semantics_of(self.options.ffs_version, self.xml_format)

    @property
    def dev_gpu(self) -> bool:
        """Whether the file is judged as a config of the dev <-> GPU workflow (messages may say "GPU")."""
        return self.profile is Profile.DEV_GPU

    def where(self, model_key: str) -> tuple[int | None, int | None]:
        """Line and column of ``model_key`` (or its closest ancestor) in the file."""
        loc = self.source.get(model_key) if self.source else None
        return (loc.line, loc.column) if loc else (None, None)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` and file: pairs with the same effective filter ask the same
        questions (a config with 142 pairs may have only 28 different filters)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def positions(self) -> dict[str, tuple[tuple[int, int], ...]]:
        """Line and column of each filter list and filter item, from the file's bytes
        (:func:`ffs_tools.xml.spans.filter_positions`); empty when they cannot be scanned."""
        if self._positions is None:
            from ffs_tools.xml.spans import filter_positions

            data = self.data
            self._positions = filter_positions(data, self.xml_format or 0) if data and self.job else {}
        return self._positions

    def place(self, model_key: str) -> tuple[int | None, int | None]:
        """Like :meth:`where`, with the exact column of filter lists and items (from the file's bytes)."""
        known = self.positions().get(model_key) if "filter" in model_key else None
        return known[0] if known else self.where(model_key)

    def item_place(self, model_key: str, part: int) -> tuple[int, int] | None:
        """Line and column of filter item number ``part`` in the ``<Item>`` at ``model_key`` (None: unknown)."""
        known = self.positions().get(model_key, ())
        return known[part] if part < len(known) else None

    def finding(self, code: str, severity: Severity, model_key: str, message: str, hint: str = "",
                fix: tuple[Edit, ...] = (), pairs: Iterable[int | None] = (), group: str = "",
                at: tuple[int | None, int | None] | None = None) -> Finding:
        """A finding at ``model_key`` (or at ``at``, a line and column). ``pairs`` (0-based; None is the
        global filter alone) marks folder pairs' problem, written without naming the pairs: the engine
        merges the pairs that share it (same code, message, hint and ``group``) into one finding that lists
        them
        (:func:`ffs_tools.findings.group_pairs`)."""
        line, column = self.place(model_key)
        if at is not None and at[0]:
            line, column = at
        numbers = tuple(i + 1 for i in pairs if i is not None)
        return Finding(code, severity, message, self.path, line, column, hint, fix, pairs=numbers, group=group)

    def scopes(self) -> list[Scope]:
        """Each folder pair that can sync something (not the same folder on both sides) with its effective
        filter (the global filter alone when there are no pairs)."""
        if self._scopes is None:
            from ffs_tools.lint.rules._scopes import build_scopes

            self._scopes = build_scopes(self.job, self.source, self.semantics, self.positions()) if self.job else []
        return self._scopes
