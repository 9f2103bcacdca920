"""What FreeFileSync reported about a run: its JSON summary (14.6+) and its log file.

FreeFileSync 14.6 and newer print a JSON object on stdout after a batch run
(``syncResult``, ``errors``, ``warnings``, ``processedItems``, ``logFile`` ...);
12.0 prints nothing. Both write a log file named
``<job> YYYY-MM-DD HHMMSS.mmm[ [Warning|Error|Stopped]].log`` (text, as the private
settings ask) into the batch's ``LogFolder`` or FreeFileSync's default log folder.
The text log starts with a box holding the result and the counts, followed by an
"Errors and warnings:" block with one ``[hh:mm:ss]  Warning:  text`` entry each
(continuation lines indented).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ENTRY = re.compile(r"^\[\d\d:\d\d:\d\d\]\s+(Warning|Error):\s+(.*)$")
_COUNT = re.compile(r"^\|\s+(Errors|Warnings|Items processed|Items remaining|Total time):\s+(.*)$")
_RESULT = re.compile(r"^\|\s+(Completed successfully|Completed with warnings|Completed with errors|Stopped|"
                     r"Nothing to synchronize)\s*$")


@dataclass
class LogSummary:
    """FreeFileSync's own account of one run."""

    path: Path | None = None
    result: str = ""  # e.g. "Completed with warnings"
    counts: dict[str, str] = field(default_factory=dict)  # "Items processed" -> "16 (0 bytes)"
    warnings: list[str] = field(default_factory=list)  # first line of each warning
    errors: list[str] = field(default_factory=list)
    json: dict[str, Any] | None = None


def parse_json(stdout: str) -> dict[str, Any] | None:
    """The JSON object 14.x prints on stdout, or None (12.0, or a killed run)."""
    start, end = stdout.find("{"), stdout.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        data = json.loads(stdout[start:end + 1])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def parse_log(text: str, summary: LogSummary) -> None:
    """Fill ``summary`` from a text log: the result box and the "Errors and warnings" block."""
    in_block = False
    for line in text.splitlines():
        if (m := _RESULT.match(line)) and not summary.result:
            summary.result = m.group(1)
        elif m := _COUNT.match(line):
            summary.counts.setdefault(m.group(1), m.group(2).strip())
        elif line.startswith("Errors and warnings:"):
            in_block = True
        elif in_block and (m := _ENTRY.match(line)):
            (summary.warnings if m.group(1) == "Warning" else summary.errors).append(m.group(2).strip())
        elif in_block and line.startswith("____") and (summary.warnings or summary.errors):
            in_block = False


def default_log_folder() -> Path:
    """FreeFileSync's own log folder on Linux: ``<config dir>/FreeFileSync/Logs``.

    As root FreeFileSync takes the home folder from the password database, not ``$HOME``;
    otherwise ``$XDG_CONFIG_HOME`` is honoured (FreeFileSync/Source/config.cpp, getConfigDirPath).
    """
    if os.getuid() == 0:
        return Path(pwd.getpwuid(0).pw_dir) / ".config" / "FreeFileSync" / "Logs"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "FreeFileSync" / "Logs"


def find_log(job_name: str, folders: list[Path], since: float) -> Path | None:
    """The newest log of ``job_name`` written at or after ``since`` (a time.time()) in ``folders``."""
    best: tuple[float, Path] | None = None
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(job_name + " ") or not entry.name.endswith((".log", ".html")):
                continue
            try:
                mtime = entry.stat().st_mtime
            except OSError:
                continue
            if mtime >= since - 1 and (best is None or mtime > best[0]):
                best = (mtime, Path(entry.path))
    return best[1] if best else None


def summarise(stdout: str, job_name: str, folders: list[Path], since: float) -> LogSummary:
    """The JSON summary (if any) and the parsed log file (from the JSON's ``logFile``, else searched)."""
    summary = LogSummary(json=parse_json(stdout))
    named = summary.json.get("logFile") if summary.json else None
    path = Path(named) if isinstance(named, str) and named else find_log(job_name, folders, since)
    if path is not None and path.is_file():
        summary.path = path
        with contextlib.suppress(OSError):
            parse_log(path.read_text(encoding="utf-8", errors="replace"), summary)
    return summary
