"""The policy schema: every table and key, its type, allowed values and meaning.

One declarative table (:data:`TABLES`) drives validation, the unknown-key
messages (with a "did you mean"), the README table and the comments that
``ffs-tools init`` writes. Values are checked here one by one; rules that
involve several keys live in :mod:`ffs_tools.policy.load`.
"""

from __future__ import annotations

import datetime
import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Field:
    """One policy key."""

    type: Literal["str", "bool", "int", "list[str]"]
    doc: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    #: FreeFileSync reads its numbers as 32-bit ints (a larger one wraps or is refused)
    maximum: int = 2**31 - 1
    maximum_why: str = " (FreeFileSync's largest number)"
    attr: str = ""  # the Policy attribute it fills ("" = handled specially)


_COMPARE = ("time-and-size", "content", "size")
_CONFLICT = ("newer-wins", "review")
_DELETION = ("recycle-bin", "versioning", "permanent")
_STYLE = ("replace", "timestamp-folder", "timestamp-file")
_SYMLINKS = ("exclude", "direct", "follow")

TABLES: dict[str, dict[str, Field]] = {
    "project": {
        "name": Field("str", "name of the generated files (<name>.ffs_batch ...); default: the local folder's name",
                      attr="name"),
    },
    "local": {
        "path": Field("str", "the project on this machine (relative paths: from the policy's folder); "
                             "default: the policy's folder", attr="local_path"),
        "scan": Field("bool", "look through the local folder for virtualenvs and conda envs to exclude "
                              "(default true)", attr="scan_local"),
    },
    "gpu": {
        "name": Field("str", "machine name, required with several [[gpu]] tables (files become <name>-<gpu>.*)"),
        "path": Field("str", "the project on the GPU machine: a mounted folder or "
                             "sftp://user@host/path|keyfile=/path/to/key (or |agent); required"),
        "threads": Field("int", "parallel file operations for an sftp:// path (FreeFileSync's Threads)", minimum=1),
    },
    "sync": {
        "compare": Field("str", "how files are compared", _COMPARE, attr="compare"),
        "conflict": Field("str", '"review": two-way with a database, a file changed on both sides is left alone '
                                 'and stops the unattended run; "newer-wins": the newer file wins, deletions '
                                 "do not propagate", _CONFLICT, attr="conflict"),
        "deletion": Field("str", "what happens to deleted and overwritten files", _DELETION, attr="deletion"),
        "versioning_folder": Field("str", "where deleted/overwritten files go with deletion = \"versioning\" "
                                          "(default ~/.ffs-versions/<name>)", attr="versioning_folder"),
        "versioning_style": Field("str", "how versions are named", _STYLE, attr="versioning_style"),
        "versioning_max_age": Field("int", "days to keep versions (0 = forever; timestamp styles only)",
                                    minimum=0, attr="versioning_max_age"),
        "versioning_min_count": Field("int", "versions kept per file even when older than max_age",
                                      minimum=0, attr="versioning_min_count"),
        "versioning_max_count": Field("int", "at most this many versions per file (0 = no limit)",
                                      minimum=0, attr="versioning_max_count"),
        "symlinks": Field("str", "symbolic links: ignored, copied as links, or followed", _SYMLINKS,
                          attr="symlinks"),
        "max_delete": Field("int", "ffs-tools sync refuses a run that would delete or overwrite-with-older more "
                                   "than this many items (default 50; --max-delete overrides)", minimum=0,
                            attr="max_delete"),
    },
    "exclude": {
        "extra": Field("list[str]", "more FreeFileSync exclude items, e.g. \"*/wandb/\"", attr="exclude_extra"),
        "drop": Field("list[str]", "built-in cache items not to write (e.g. \"*/.ipynb_checkpoints/\"), for a "
                                   "project that tracks files inside such a folder", attr="exclude_drop"),
        "gitignore": Field("bool", "also exclude what the repository's committed .gitignore files ignore, "
                                   "translated exactly (keep paths still sync; default false)",
                           attr="exclude_gitignore"),
        "ffs_tools_files": Field("bool", "keep ffs-tools' own files (the generated configs, the policy file, the "
                                         "manifest) off the GPU machine: they hold this machine's paths (default "
                                         "true)", attr="exclude_own"),
    },
    "keep": {
        "paths": Field("list[str]", "paths that must always sync (relative to the project; folders end in /); "
                                    "generate refuses a filter that drops any of them", attr="keep_paths"),
    },
    "folders": {
        "path": Field("str", "a folder of the project that syncs one way only (its own folder pair)"),
        "direction": Field("str", '"push": local -> GPU only; "pull": GPU -> local only', ("push", "pull")),
    },
    "batch": {
        "log_folder": Field("str", "where the batch writes its logs (default: FreeFileSync's own log folder); "
                                   "must be outside the local folder", attr="log_folder"),
    },
    "ffs": {
        "command": Field("str", "the FreeFileSync program ffs-tools sync runs (a command line, e.g. "
                                "\"flatpak run org.freefilesync.FreeFileSync\"); default: FreeFileSync on PATH",
                         attr="ffs_command"),
        "version": Field("str", "the FreeFileSync that runs the generated files (12: XmlFormat 17 for 11.3 - 12.2; "
                                "13 or 14: XmlFormat 23); default: the installed one, detected", attr="ffs_version"),
    },
    "realtime": {
        "delay": Field("int", "seconds RealTimeSync waits after the last local change before it runs the batch",
                       minimum=1, maximum=86400, maximum_why=" (one day)", attr="realtime_delay"),
    },
}

#: keys that would put a credential into the policy: refused with the reason, never echoed
CREDENTIAL_KEYS = frozenset({"password", "pass", "passwd", "pass64", "pwprompt", "secret", "token"})

CREDENTIAL_HINT = ("ffs-tools never writes passwords into FreeFileSync configs (FreeFileSync stores them "
                   "base64-encoded, readable by anyone who can read the file); authenticate with a key file "
                   '("sftp://user@host/path|keyfile=~/.ssh/id_ed25519") or the SSH agent ("sftp://user@host/path|agent")')


def unknown_key_message(key: str, known: Mapping[str, Any], what: str, table: str = "") -> str:
    """``unknown key (did you mean "conflict"?)`` -- or the credential explanation for password-like keys."""
    if key.lower() in CREDENTIAL_KEYS:
        return f"a password does not belong in the policy: {CREDENTIAL_HINT}"
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    where = f" in [{table.split('[')[0]}]" if table else ""
    hint = f'did you mean "{close[0]}"?' if close else "known: " + ", ".join(sorted(known))
    return f"unknown {what}{where} ({hint})"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f'a string ("{value}")'
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date/time"
    return type(value).__name__


def _expected(choices: tuple[str, ...]) -> str:
    quoted = [f'"{c}"' for c in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def check_value(spec: Field, value: Any) -> str | None:
    """Why ``value`` is not valid for ``spec`` (``None`` when it is)."""
    if spec.type == "str":
        if not isinstance(value, str):
            return f"expected a string, got {_type_name(value)}"
        if "\n" not in value and "\r" not in value and _control(value):
            return _control(value)
        if spec.choices and value not in spec.choices:
            return f'expected {_expected(spec.choices)}, got "{value}"'
        if "\n" in value or "\r" in value:
            return "expected one line, got a line break"
        return None
    if spec.type == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {_type_name(value)}"
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an integer, got {_type_name(value)}"
        if spec.minimum is not None and value < spec.minimum:
            return f"expected an integer >= {spec.minimum}, got {value}"
        if value > spec.maximum:
            return f"expected an integer <= {spec.maximum}{spec.maximum_why}, got {value}"
        return None
    if not isinstance(value, list):
        return f"expected an array of strings, got {_type_name(value)}"
    for i, item in enumerate(value):
        if not isinstance(item, str):
            return f"item {i}: expected a string, got {_type_name(item)}"
        if not item.strip():
            return f"item {i}: empty"
        if "\n" in item or "\r" in item:
            return f"item {i}: expected one line, got a line break"
        if _control(item):
            return f"item {i}: {_control(item)}"
    return None


def _control(text: str) -> str | None:
    """Why ``text`` cannot go into a FreeFileSync config: a control character (named, never echoed: it
    may be a terminal escape). XML 1.0 cannot hold most of them, and the others are no part of a path."""
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            return f"contains the control character U+{ord(ch):04X}, which no FreeFileSync path or item can hold"
    return None
