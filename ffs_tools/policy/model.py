"""The validated project policy as data: :class:`Policy` and its parts, below loading and checks."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.phrases import PathKind, kind_of

DEFAULTS_ORIGIN = "built-in defaults"

Fail = Callable[[str, str], UserError]


@dataclass(frozen=True)
class GpuTarget:
    """One GPU machine: its folder (a local/mounted path or ``sftp://``) and an optional name."""

    name: str
    path: str
    threads: int | None
    key: str  # "gpu" or "gpu[1]": the policy key, for messages

    @property
    def is_sftp(self) -> bool:
        return kind_of(self.path) is PathKind.SFTP


@dataclass(frozen=True)
class FolderRule:
    """A folder that syncs one way only: ``push`` (local -> GPU) or ``pull`` (GPU -> local)."""

    path: str  # relative POSIX path, no leading or trailing "/"
    direction: str
    key: str


@dataclass(frozen=True)
class Policy:
    """A validated policy. Paths are as written; :func:`resolve_local` makes local ones absolute."""

    origin: str  # the policy file, or DEFAULTS_ORIGIN
    base_dir: Path  # relative paths in the policy are relative to this folder
    name: str
    local_path: str
    gpus: tuple[GpuTarget, ...]
    scan_local: bool = True
    compare: str = "time-and-size"
    conflict: str = "review"
    deletion: str = "versioning"
    versioning_folder: str = ""
    versioning_style: str = "timestamp-file"
    versioning_max_age: int = 30
    versioning_min_count: int = 1
    versioning_max_count: int = 0
    symlinks: str = "exclude"
    exclude_extra: tuple[str, ...] = ()
    exclude_drop: tuple[str, ...] = ()
    exclude_gitignore: bool = False
    exclude_own: bool = True
    keep_paths: tuple[str, ...] = ()
    folders: tuple[FolderRule, ...] = ()
    log_folder: str = ""
    realtime_delay: int = 10
    max_delete: int = 50
    ffs_command: str = ""
    ffs_version: str = ""
    lines: tuple[tuple[str, int], ...] = ()

    @property
    def file_name(self) -> str:
        return "the built-in defaults" if self.origin == DEFAULTS_ORIGIN else Path(self.origin).name

    def error(self, key: str, message: str) -> UserError:
        """A :class:`UserError` about policy key ``key``, located in the policy file when possible."""
        if self.origin == DEFAULTS_ORIGIN:
            return UserError(f"{key}: {message}")
        return UserError(f"{key}: {message}", self.origin, dict(self.lines).get(line_key(key)))

    def resolve_local(self, phrase: str) -> str:
        """A local path phrase made absolute: ``~`` kept (FreeFileSync expands it), relative -> from base_dir."""
        text = phrase.strip()
        if not text or text.startswith(("~", "%")) or os.path.isabs(text) or kind_of(text).remote:
            return text.rstrip("/") or text
        return os.path.normpath(str(self.base_dir / text))


def line_key(key: str) -> str:
    return re.sub(r"\[\d+\]", "", key)
