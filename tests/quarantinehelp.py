"""Shared by the quarantine tests: a real second file system (tmpfs), a kill at step N, and the invariant
"nothing lost, nothing partial inside the tree"."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from treebuilder import FIXTURES, build, parse, snapshot, unlock

from ffs_tools.audit.quarantine import MANIFEST_NAME, Manifest, quarantine
from ffs_tools.audit.run import audit, quarantine_targets

Snap = list[tuple[bytes, str, int, int, str]]


def tree(at: Path, name: str = "stray_git") -> Path:
    unlock(build(parse(FIXTURES / "trees" / f"{name}.tree"), at))
    return at


def ignore(line: str) -> None:
    """Where the tests that look at the disk, not the messages, send the lines."""


def quarantine_tree(root: Path, q: Path, everything: bool = False) -> int:
    """What ``audit-gpu ROOT --quarantine Q`` does, in this process (a fresh audit each time)."""
    result = audit(str(root))
    return quarantine(result.root_real, str(q), quarantine_targets(result.hits, everything), False, ignore)


def mount_tmpfs(at: Path) -> Iterator[Path]:
    """A small tmpfs at ``at``: a real second file system for the moves across file systems."""
    at.mkdir()
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs these tests as root: a tmpfs is needed for moves across file systems")
        pytest.skip("mounting a tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", str(at)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs: {proc.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield at
    finally:
        subprocess.run(["umount", "-l", str(at)], check=True)


def killed_at(n: int, action: Callable[..., object], *args: object) -> bool:
    """Run ``action`` in a forked child that the fault hook kills at its ``n``-th step; True when it was
    killed, False when it ran to its end (``n`` is past the last step)."""
    from ffs_tools.audit import fault

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.environ["FFS_TOOLS_FAULT"] = str(n)
            fault.reset()
            action(*args)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, fault.KILLED), f"step {n}: the child failed with {code}"
    return code == fault.KILLED


def without_dir_times(snap: Snap) -> Snap:
    """A snapshot with the folders' times left out (crash recovery may touch a parent folder's time)."""
    return [(rel, kind, mode, 0 if kind == "dir" else mtime, digest) for rel, kind, mode, mtime, digest in snap]


def assert_nothing_lost(before: Snap, root: Path, q: Path) -> None:
    """Every original entry is in place, or in DIR below an item the manifest holds, identical (type, mode,
    time, content); nothing partial in the tree; nothing in DIR that no record accounts for; every record
    in a final state."""
    manifest = Manifest.load(str(q)) if (q / MANIFEST_NAME).exists() else None
    items = manifest.items if manifest else []
    assert {i.state for i in items} <= {"moved", "restored"}, [(i.rel, i.state) for i in items]
    held = [os.fsencode(i.rel) for i in items if i.state == "moved"]
    here = {e[0]: e for e in snapshot(root)}
    there = {e[0]: e for e in snapshot(q)} if q.exists() else {}
    for entry in before:
        rel = entry[0]
        mine = next((h for h in held if rel == h or rel.startswith(h + b"/")), None)
        if mine is None:
            assert _same(here.get(rel), entry), f"{rel!r} is not in place: {here.get(rel)} != {entry}"
        else:
            assert rel not in here, f"{rel!r} is both in place and in the quarantine folder"
            assert _same(there.get(rel), entry), f"{rel!r} is not in DIR: {there.get(rel)} != {entry}"
    assert not [rel for rel in here if b".ffs-partial" in rel or rel not in {e[0] for e in before}]
    for rel in there:
        assert rel in (b"", os.fsencode(MANIFEST_NAME)) or any(
            rel == h or rel.startswith(h + b"/") or h.startswith(rel + b"/") for h in held), rel


def _same(now: tuple[bytes, str, int, int, str] | None, was: tuple[bytes, str, int, int, str]) -> bool:
    if now is None:
        return False
    return now[1:3] + now[4:] == was[1:3] + was[4:] and (was[1] == "dir" or now[3] == was[3])


def fresh(path: Path) -> None:
    """Remove a test's earlier round (the tmpfs is small)."""
    if path.exists():
        for dirpath, dirnames, _ in os.walk(path):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o700)
        shutil.rmtree(path)
