"""What ``generate`` wrote into an output folder, so that files the policy no longer produces are noticed.

The manifest (:data:`~ffs_tools.generate.plan.MANIFEST`, JSON) maps each file name generate wrote to the
SHA-256 of the bytes it wrote. It is written together with the files (all or nothing). A file it lists
that the policy no longer produces (``[gpu]`` became several ``[[gpu]]``, the project was renamed) is
*stale*: generate and ``generate --check`` name it (``--check`` exits 1), and it stays listed until it is
gone. ``--prune`` moves stale files whose bytes are still exactly what generate wrote into
``<out>/.ffs-tools-pruned/<UTC time>/`` (a rename inside the output folder: never across file systems,
never over another file, nothing deleted; generate's filter keeps that folder off the GPU machine). A stale
file edited since (its hash differs), or that is not a regular file, is never moved: ``--prune`` refuses,
naming it. A file the manifest does not list was not written by generate and is never touched; only names
of the kinds generate writes (configs, FREEFILESYNC_EXCLUSIONS.txt) are taken from a manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import ConfigKind, extension_kind
from ffs_tools.ffs.never_travels import EXCLUSIONS_FILE, MANIFEST, PRUNED
from ffs_tools.generate.plan import Echo

_KEY = "ffs-tools-manifest"
_MAX = 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(out_dir: Path, echo: Echo) -> dict[str, str]:
    """The recorded name -> hash map ({} when there is no manifest; an unreadable one is reported and ignored)."""
    from ffs_tools.fsutil import read_regular

    path = out_dir / MANIFEST
    if not os.path.lexists(path):
        return {}
    try:
        data = json.loads(read_regular(path, _MAX, follow=False))
        files = data[_KEY]
        if isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return {k: v for k, v in files.items() if _kind_generate_writes(k)}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    echo(f"{path}: not a manifest ffs-tools can read: ignored (stale files are not looked for; generate writes "
         "a new one)")
    return {}


def _kind_generate_writes(name: str) -> bool:
    """Only names of the kinds generate writes are taken from a manifest (one that came with a pull request
    cannot make --prune move the policy or anything else), and never a path: a name in the output folder."""
    plain = bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")
    return plain and (extension_kind(name) is not None or name == EXCLUSIONS_FILE)


def render(files: dict[str, str]) -> bytes:
    """The manifest's bytes (sorted, one entry a line: reviewable in a diff)."""
    return (json.dumps({_KEY: dict(sorted(files.items()))}, indent=1) + "\n").encode()


@dataclass(frozen=True)
class Stale:
    name: str
    recorded: str  # the hash generate recorded
    edited: bool  # changed since generate wrote it (or not a regular file): never moved


def stale(out_dir: Path, recorded: dict[str, str], produced: set[str]) -> list[Stale]:
    """The files the manifest lists, still on disk, that this run does not produce."""
    from ffs_tools.fsutil import read_regular

    out = []
    for name, digest in sorted(recorded.items()):
        if name in produced or name == MANIFEST:
            continue
        path = out_dir / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                out.append(Stale(name, digest, True))
                continue
            data = read_regular(path, 64 * _MAX, follow=False)
        except FileNotFoundError:
            continue  # gone: dropped from the manifest
        except OSError:
            out.append(Stale(name, digest, True))
            continue
        out.append(Stale(name, digest, sha256(data) != digest))
    return out


def report(out_dir: Path, files: list[Stale], check: bool, prune: bool, echo: Echo) -> None:
    """One line per stale file: what it is and what ``--prune`` does with it."""
    for s in files:
        path = out_dir / s.name
        if s.edited:
            echo(f"{path}: stale: the policy no longer generates it, and it was changed since ffs-tools wrote it: "
                 "--prune leaves it; move it away or delete it yourself")
        elif not prune or check:
            real = extension_kind(s.name) is ConfigKind.REAL
            running = " (stop the RealTimeSync that may still run it)" if real else ""
            echo(f"{path}: stale: the policy no longer generates it{running}; ffs-tools generate --prune moves it "
                 f"to {PRUNED}/")


def prune(out_dir: Path, files: list[Stale], echo: Echo) -> set[str]:
    """Move the unchanged stale files into a new ``PRUNED/<time>/`` folder; the names moved.

    Refuses (nothing moved) when one of them was edited. Call with the output folder locked."""
    edited = [s.name for s in files if s.edited]
    if edited:
        raise UserError(f"{', '.join(edited)}: stale but changed since ffs-tools wrote it (or not a regular file): "
                        "--prune never moves such a file; move it away or delete it yourself, then run again; "
                        "nothing was written", str(out_dir))
    if not files:
        return set()
    dest = _new_folder(out_dir / PRUNED)
    moved = set()
    for s in files:
        if os.path.lexists(dest / s.name):  # pragma: no cover - the folder is new
            continue
        os.rename(out_dir / s.name, dest / s.name)
        moved.add(s.name)
        echo(f"{out_dir / s.name}: stale: moved to {dest / s.name}")
    return moved


def _new_folder(base: Path) -> Path:
    """A folder that did not exist before (created here), named by the UTC time."""
    base.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime())
    for n in range(1000):
        folder = base / (stamp if n == 0 else f"{stamp}.{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise UserError("cannot make a new folder for the pruned files", str(base))  # pragma: no cover
