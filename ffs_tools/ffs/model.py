"""The one immutable model of a FreeFileSync configuration.

Everything in ffs-tools goes through these frozen dataclasses: the reader
(:mod:`ffs_tools.xml.parse`) fills them from any XmlFormat, the templates render
them, the lint rules read them. Field values use FreeFileSync's own vocabulary
(enum values are the exact strings FreeFileSync writes), so a model can be
compared with what a file says without translation.

Sync directions are kept in the format-23 shape, which can express every
format-17 variant (see docs/formats.md#the-format-23-synchronize-block
and #how-1410-reads-format-17):

* :class:`Differences` -- directions from the comparison result (Mirror,
  legacy Update, Custom "newer wins"). ``different`` and ``conflict`` are only
  set for configs read from the format-17 ``Custom`` layout, which still had
  them; format 23 dropped both.
* :class:`Changes` -- directions from what changed since the last run,
  according to the ``.sync.ffs_db`` database (Two way, Mirror with move
  detection, the 13.0+ Update preset).

Source locations live beside the model in a :class:`SourceMap` keyed by
*model keys* (see :func:`key`), so that two models compare equal whatever
file and line they came from.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Union


class StrEnum(str, enum.Enum):
    """An enum whose values are FreeFileSync's exact (case-sensitive) strings."""

    def __str__(self) -> str:
        return str(self.value)


class ConfigKind(StrEnum):
    """The root ``XmlType`` attribute."""

    GUI = "GUI"
    BATCH = "BATCH"
    REAL = "REAL"
    GLOBAL = "GLOBAL"


#: the extensions of FreeFileSync's config files and the ``XmlType`` each must hold; FreeFileSync compares
#: extensions case-insensitively (``JOB.FFS_BATCH`` is a batch job), so every caller lower-cases first
CONFIG_EXTENSIONS: dict[str, ConfigKind] = {
    ".ffs_gui": ConfigKind.GUI,
    ".ffs_batch": ConfigKind.BATCH,
    ".ffs_real": ConfigKind.REAL,
}


def config_file_name(stem: str, kind: ConfigKind) -> str:
    """``stem`` with the extension of a ``kind`` config (``proj`` + BATCH -> ``proj.ffs_batch``)."""
    return stem + next(ext for ext, k in CONFIG_EXTENSIONS.items() if k is kind)


def extension_kind(name: str) -> ConfigKind | None:
    """The config kind a file name's extension stands for (case-insensitive), or None."""
    dot = name.rfind(".")
    return CONFIG_EXTENSIONS.get(name[dot:].lower()) if dot >= 0 else None


class CompareVariant(StrEnum):
    TIME_AND_SIZE = "TimeAndSize"
    CONTENT = "Content"
    SIZE = "Size"


class SymlinkHandling(StrEnum):
    EXCLUDE = "Exclude"
    DIRECT = "Direct"
    FOLLOW = "Follow"


class Direction(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    NONE = "none"


class DeletionPolicy(StrEnum):
    PERMANENT = "Permanent"
    RECYCLE_BIN = "RecycleBin"
    VERSIONING = "Versioning"


class VersioningStyle(StrEnum):
    REPLACE = "Replace"
    TIMESTAMP_FOLDER = "TimeStamp-Folder"
    TIMESTAMP_FILE = "TimeStamp-File"


class SizeUnit(StrEnum):
    NONE = "None"
    BYTE = "Byte"
    KB = "KB"
    MB = "MB"


class TimeSpanType(StrEnum):
    NONE = "None"
    TODAY = "Today"
    MONTH = "Month"
    YEAR = "Year"
    LAST_DAYS = "x-days"


class PostSyncCondition(StrEnum):
    COMPLETION = "Completion"
    ERRORS = "Errors"
    SUCCESS = "Success"


class EmailCondition(StrEnum):
    ALWAYS = "Always"
    ERROR_WARNING = "ErrorWarning"
    ERROR_ONLY = "ErrorOnly"


class ErrorDialog(StrEnum):
    SHOW = "Show"
    CANCEL = "Cancel"


class PostSyncAction(StrEnum):
    NONE = "None"
    SLEEP = "Sleep"
    SHUTDOWN = "Shutdown"


class GridViewType(StrEnum):
    ACTION = "Action"
    DIFFERENCE = "Difference"


class SyncVariant(StrEnum):
    """The name FreeFileSync shows for a set of directions (``getSyncVariant``)."""

    TWO_WAY = "TwoWay"
    MIRROR = "Mirror"
    UPDATE = "Update"
    CUSTOM = "Custom"


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class CompareConfig:
    variant: CompareVariant = CompareVariant.TIME_AND_SIZE
    symlinks: SymlinkHandling = SymlinkHandling.EXCLUDE
    ignore_time_shift: str = ""


# --------------------------------------------------------------------------- sync


@dataclass(frozen=True)
class Differences:
    """Directions chosen from the comparison result (no database)."""

    left_only: Direction
    left_newer: Direction
    right_newer: Direction
    right_only: Direction
    #: format-17 ``Custom`` only: direction for "different content" rows.
    different: Direction | None = None
    #: format-17 ``Custom`` only: direction for conflicts.
    conflict: Direction | None = None


@dataclass(frozen=True)
class Changes:
    """Directions chosen from what changed since the last sync (database)."""

    left_create: Direction
    left_update: Direction
    left_delete: Direction
    right_create: Direction
    right_update: Direction
    right_delete: Direction


Directions = Union[Differences, Changes]

R, L, N = Direction.RIGHT, Direction.LEFT, Direction.NONE

TWO_WAY = Changes(R, R, R, L, L, L)
MIRROR = Differences(R, R, R, R)
MIRROR_MOVES = Changes(R, R, R, R, R, R)
UPDATE = Changes(R, R, N, N, N, N)
UPDATE_LEGACY = Differences(R, R, N, N)
NEWER_WINS = Differences(R, R, L, L)


@dataclass(frozen=True)
class Versioning:
    folder: str = ""
    style: VersioningStyle = VersioningStyle.REPLACE
    max_age: int = 0
    min_count: int = 0
    max_count: int = 0
    threads: int | None = None


@dataclass(frozen=True)
class SyncConfig:
    directions: Directions = TWO_WAY
    deletion_policy: DeletionPolicy = DeletionPolicy.RECYCLE_BIN
    versioning: Versioning = field(default_factory=Versioning)
    #: format 17 ``DetectMovedFiles`` as written (format 23 has no such flag).
    detect_moved_files: bool = False

    @property
    def variant(self) -> SyncVariant:
        return sync_variant(self.directions)

    def first_run_directions(self) -> Differences:
        """Directions without a database: FFS falls back to Differences.

        docs/formats.md#the-format-23-synchronize-block
        """
        d = self.directions
        if isinstance(d, Differences):
            return d
        return Differences(d.left_create, d.left_update, d.right_update, d.right_create)

    def can_delete(self, side: Direction) -> bool:
        """Whether this job can delete items on ``side`` (``LEFT`` or ``RIGHT``)."""
        d = self.directions
        if isinstance(d, Changes):
            # a deletion on one side propagates; a creation pointing back at its own side deletes it
            return (d.left_delete == side == Direction.RIGHT or d.right_delete == side == Direction.LEFT
                    or (side == Direction.LEFT and (d.left_create == L))
                    or (side == Direction.RIGHT and d.right_create == R))
        return (side == Direction.LEFT and d.left_only == L) or (side == Direction.RIGHT and d.right_only == R)

    def can_overwrite(self, side: Direction) -> bool:
        """Whether this job can overwrite existing files on ``side``."""
        d = self.directions
        if isinstance(d, Changes):
            return d.left_update == side or d.right_update == side
        return side in (d.left_newer, d.right_newer, d.different, d.conflict)


def sync_variant(directions: Directions) -> SyncVariant:
    """Name a set of directions the way FreeFileSync 14.10 does."""
    if directions == TWO_WAY:
        return SyncVariant.TWO_WAY
    if isinstance(directions, Differences):
        core = (directions.left_only, directions.left_newer, directions.right_newer, directions.right_only)
        if core == (R, R, R, R) and directions.different in (None, R) and directions.conflict in (None, R):
            return SyncVariant.MIRROR
        if core == (R, R, N, N) and directions.different in (None, R) and directions.conflict in (None, N):
            return SyncVariant.UPDATE
        return SyncVariant.CUSTOM
    if directions == MIRROR_MOVES:
        return SyncVariant.MIRROR
    if directions == UPDATE:
        return SyncVariant.UPDATE
    return SyncVariant.CUSTOM


# --------------------------------------------------------------------------- filter


@dataclass(frozen=True)
class FilterConfig:
    """A ``<Filter>`` block. ``include``/``exclude`` hold the ``<Item>`` texts verbatim."""

    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    size_min: int = 0
    size_min_unit: SizeUnit = SizeUnit.NONE
    size_max: int = 0
    size_max_unit: SizeUnit = SizeUnit.NONE
    time_span: int = 0
    time_span_type: TimeSpanType = TimeSpanType.NONE

    @property
    def has_soft_filter(self) -> bool:
        return (self.size_min_unit != SizeUnit.NONE or self.size_max_unit != SizeUnit.NONE
                or self.time_span_type != TimeSpanType.NONE)



# --------------------------------------------------------------------------- pairs and job


@dataclass(frozen=True)
class FolderPair:
    left: str = ""
    right: str = ""
    left_threads: int | None = None
    right_threads: int | None = None
    compare: CompareConfig | None = None
    sync: SyncConfig | None = None
    filter: FilterConfig | None = None


@dataclass(frozen=True)
class ErrorsConfig:
    ignore: bool = False
    retry: int = 0
    delay: int = 5


@dataclass(frozen=True)
class BatchConfig:
    minimized: bool = False
    auto_close: bool = False
    error_dialog: ErrorDialog = ErrorDialog.SHOW
    post_sync_action: PostSyncAction = PostSyncAction.NONE


#: the batch settings of a job that runs unattended (docs/batch-unattended.md C7): ErrorDialog=Cancel, AutoClose=true
#: (Minimized: no window in the way), with Errors Ignore=false (:data:`UNATTENDED_ERRORS`); generate
#: writes them, FFS401/FFS402 ask for them and ``lint --fix`` sets them
UNATTENDED = BatchConfig(minimized=True, auto_close=True, error_dialog=ErrorDialog.CANCEL)
UNATTENDED_ERRORS = ErrorsConfig(ignore=False)


@dataclass(frozen=True)
class SyncJob:
    """A ``.ffs_gui`` (``kind=GUI``) or ``.ffs_batch`` (``kind=BATCH``) configuration."""

    kind: ConfigKind = ConfigKind.BATCH
    xml_format: int = 23
    notes: str = ""
    compare: CompareConfig = field(default_factory=CompareConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    filter: FilterConfig = field(default_factory=FilterConfig)
    pairs: tuple[FolderPair, ...] = ()
    errors: ErrorsConfig = field(default_factory=ErrorsConfig)
    post_sync_command: str = ""
    post_sync_condition: PostSyncCondition = PostSyncCondition.COMPLETION
    log_folder: str = ""
    email: str = ""
    email_condition: EmailCondition = EmailCondition.ALWAYS
    grid_view: GridViewType = GridViewType.ACTION
    #: present for ``kind=BATCH`` only
    batch: BatchConfig | None = None

    def pair_compare(self, index: int) -> CompareConfig:
        """Effective compare settings of pair ``index`` (0-based): its own replace the main ones."""
        return self.pairs[index].compare or self.compare

    def pair_sync(self, index: int) -> SyncConfig:
        """Effective sync settings of pair ``index`` (0-based)."""
        return self.pairs[index].sync or self.sync


@dataclass(frozen=True)
class RealTimeConfig:
    """A RealTimeSync ``.ffs_real`` configuration."""

    directories: tuple[str, ...] = ()
    delay: int = 10
    command_line: str = ""
    xml_format: int = 2
    kind: ConfigKind = ConfigKind.REAL


Config = Union[SyncJob, RealTimeConfig]


# --------------------------------------------------------------------------- source locations


class Location(NamedTuple):
    """A line and column in a config file (1-based)."""

    line: int
    column: int = 1


def key(*parts: object) -> str:
    """Build a model key: ``key("pair", 1, "filter", "exclude", 3)`` -> ``"pair.1.filter.exclude.3"``.

    Conventions (indexes are 0-based, pairs and items alike):

    * ``root``; ``notes``; ``compare`` / ``compare.variant`` / ``compare.symlinks``;
    * ``sync`` / ``sync.directions`` / ``sync.deletion_policy`` / ``sync.versioning``;
    * ``filter`` / ``filter.include`` / ``filter.include.<i>`` / ``filter.exclude.<i>``;
    * ``pair.<n>`` / ``pair.<n>.left`` / ``pair.<n>.right`` and ``pair.<n>.`` + any of the above;
    * ``errors``, ``post_sync_command``, ``log_folder``, ``email``, ``grid_view``;
    * ``batch`` / ``batch.progress_dialog`` / ``batch.error_dialog`` / ``batch.post_sync_action``;
    * ``real.directories.<i>``, ``real.delay``, ``real.command_line``.
    """
    return ".".join(str(p) for p in parts)


@dataclass(frozen=True)
class SourceMap:
    """Where each model key came from in a file (the closest element that exists)."""

    path: str
    locations: Mapping[str, Location] = field(default_factory=dict)

    def get(self, model_key: str) -> Location | None:
        """The location of ``model_key`` or of its nearest ancestor key."""
        k = model_key
        while True:
            loc = self.locations.get(k)
            if loc is not None:
                return loc
            if "." not in k:
                return self.locations.get("root")
            k = k.rsplit(".", 1)[0]

    def line(self, model_key: str) -> int | None:
        loc = self.get(model_key)
        return loc.line if loc else None
