"""``generate``'s last step: compare the planned files with the disk, then write them atomically.

A file on disk whose digest no longer matches was edited by hand: it is only
replaced with ``--force``, and the message shows how it differs.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.generate import manifest
from ffs_tools.generate.plan import MANIFEST, MAX_DIFF_LINES, Echo, Output, Status, has_valid_digest


def compare_with_disk(outputs: list[Output], out_dir: Path) -> list[Status]:
    """What each output would do to the file on disk (never reading through a link, never blocking)."""
    from ffs_tools.xml.parse import read_bounded

    statuses = []
    for out in outputs:
        path = out_dir / out.name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            statuses.append(Status(out, "new"))
            continue
        except OSError as exc:
            raise UserError(f"cannot use this output folder: {exc.strerror or exc}", str(path)) from None
        if stat.S_ISDIR(mode):
            raise UserError("is a folder where generate writes a file: move it away", str(path))
        if not stat.S_ISREG(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file (a FIFO, device or socket)"
            statuses.append(Status(out, "edited", f"{_NOT_READ}{what}, where ffs-tools writes a file; --force "
                                                  "replaces it (not what it points to)"))
            continue
        current = read_bounded(path, follow=False)
        if current == out.data:
            statuses.append(Status(out, "unchanged"))
        elif has_valid_digest(current):
            statuses.append(Status(out, "updated"))
        else:
            statuses.append(Status(out, "edited", _diff(out.name, current, out.data)))
    return statuses


def _diff(name: str, current: bytes, new: bytes) -> str:
    def lines(data: bytes) -> list[str]:
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n").splitlines()

    diff = list(difflib.unified_diff(lines(current), lines(new), f"{name} (on disk)", f"{name} (from the policy)",
                                     n=1, lineterm=""))
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)"]
    return "\n".join(diff)


def apply(statuses: list[Status], out_dir: Path, check: bool, force: bool, echo: Echo,
          extra: dict[str, bytes] | None = None) -> int:
    """Write (or, with ``check``, only report) the outputs; the exit code (0, or 1 for --check with changes).

    ``extra``: files written together with the outputs without a word (the manifest)."""
    edited = [s for s in statuses if s.state == "edited"]
    for s in edited:
        if s.diff.startswith(_NOT_READ):
            echo(f"{out_dir / s.output.name}: {s.diff}")
        else:
            echo(f"{out_dir / s.output.name}: edited by hand since ffs-tools generated it (its digest no longer "
                 f"matches); it differs from what the policy gives:\n{s.diff}")
    if check:
        for s in statuses:
            if s.state in ("new", "updated"):
                echo(f"{out_dir / s.output.name}: would be {'created' if s.state == 'new' else 'updated'}")
        return 1 if any(s.state != "unchanged" for s in statuses) else 0
    if edited and not force:
        names = ", ".join(s.output.name for s in edited)
        raise UserError(f"{names}: edited by hand (see above); nothing was written. Move your changes into the "
                        "policy, or run with --force to replace the file(s)", str(out_dir))
    _write(out_dir, {s.output.name: s.output.data for s in statuses if s.state != "unchanged"} | (extra or {}))
    for s in statuses:
        echo(f"{out_dir / s.output.name}: {_WORDS[s.state]}")
    return 0


def _write(out_dir: Path, files: dict[str, bytes]) -> None:
    """All files or none (:func:`~ffs_tools.fsutil.write_together`); a failure is one line, exit 2."""
    from ffs_tools.fsutil import write_together

    try:
        write_together(out_dir, files)
    except OSError as exc:
        raise _cannot_write(exc, out_dir) from None


def _cannot_write(exc: OSError, out_dir: Path) -> UserError:
    where = exc.filename if isinstance(exc.filename, str) else str(out_dir)
    return UserError(f"cannot write the generated files: {exc.strerror or exc}; nothing was changed", where)


def compare_and_write(outputs: list[Output], out_dir: Path, check: bool, force: bool, echo: Echo,
                      prune: bool = False) -> int:
    """Compare with the disk and write, holding the output folder's lock throughout (two runs take turns);
    what an interrupted run left (a record of renames, temporaries) is completed or removed first. Files an
    earlier run wrote that this one does not produce are reported (:mod:`ffs_tools.generate.manifest`), and
    moved aside with ``prune``; ``check`` exits 1 while there are any."""
    from ffs_tools.fsutil import JOURNAL, locked, recover

    if out_dir.exists() and not out_dir.is_dir():
        raise UserError("is a file, not a folder: the output folder must be a folder", str(out_dir))
    if check:
        if (out_dir / JOURNAL).exists():
            echo(f"{out_dir / JOURNAL}: an interrupted generate did not finish its renames; run ffs-tools "
                 "generate to complete them")
        statuses = compare_with_disk(outputs, out_dir)
        old, data = _manifest(outputs, out_dir, echo, set())
        manifest.report(out_dir, old, True, prune, echo)
        code = apply(statuses, out_dir, check, force, echo)
        if _on_disk(out_dir / MANIFEST) != data and not code:
            echo(f"{out_dir / MANIFEST}: would be {'updated' if (out_dir / MANIFEST).exists() else 'created'}")
        return max(code, int(bool(old)), int(_on_disk(out_dir / MANIFEST) != data),
                   int((out_dir / JOURNAL).exists()))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with locked(out_dir):
            recover(out_dir, {out.name for out in outputs} | {MANIFEST})
            statuses = compare_with_disk(outputs, out_dir)
            moved: set[str] = set()
            if force or not any(s.state == "edited" for s in statuses):  # else apply refuses, nothing moved
                old, _ = _manifest(outputs, out_dir, echo, set())
                moved = manifest.prune(out_dir, old, echo) if prune else set()
                manifest.report(out_dir, old, False, prune, echo)
            old, data = _manifest(outputs, out_dir, lambda message: None, moved)
            extra = {MANIFEST: data} if _on_disk(out_dir / MANIFEST) != data else {}
            return apply(statuses, out_dir, check, force, echo, extra)
    except OSError as exc:
        raise _cannot_write(exc, out_dir) from None


def _manifest(outputs: list[Output], out_dir: Path, echo: Echo, moved: set[str]) -> tuple[list[manifest.Stale],
                                                                                            bytes]:
    """The stale files, and the manifest this run writes: its outputs, plus the stale files still there."""
    old = [s for s in manifest.stale(out_dir, manifest.read(out_dir, echo), {o.name for o in outputs})
           if s.name not in moved]
    entries = {s.name: s.recorded for s in old} | {o.name: manifest.sha256(o.data) for o in outputs}
    return old, manifest.render(entries)


def _on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


_NOT_READ = "not read: it is "
_WORDS = {"new": "written", "updated": "updated", "unchanged": "unchanged", "edited": "replaced (--force)"}
