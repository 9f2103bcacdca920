"""The streaming walk: depth, long paths, vanishing entries, permissions, names, progress, memory."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import select
import sys
import tracemalloc
from pathlib import Path

import pytest
from auditcli import audit_cli

from ffs_tools.audit.checks import Auditor
from ffs_tools.audit.filter import knowledge_filter
from ffs_tools.audit.fs import Entry
from ffs_tools.audit.run import audit
from ffs_tools.audit.walk import CHUNK, Folder, Progress, WalkStats, walk
from ffs_tools.audit.walk_parallel import walk_parallel
from ffs_tools.fsutil import LONG_PATH, display


def _codes(root: Path, **kw: object) -> list[tuple[str, str]]:
    return [(h.code, h.rel) for h in audit(str(root), **kw).hits]  # type: ignore[arg-type]


def _mkdirs_at(root: Path, names: list[str]) -> None:
    """Create a chain of folders below ``root`` step by step (the full path may exceed PATH_MAX)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in names:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = nxt
    finally:
        os.close(fd)


def _open_chain(root: Path, names: list[str]) -> int:
    """A descriptor of the folder ``root/names...``, opened step by step."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for name in names:
        nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    return fd


def _rmchain(root: Path, names: list[str]) -> None:
    """Remove a chain made by :func:`_mkdirs_at`, deepest first, without recursion."""
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY)]
    try:
        for name in names[:-1]:
            fds.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
        for name in reversed(names):
            os.rmdir(name, dir_fd=fds[-1])
            if len(fds) > 1:
                os.close(fds.pop())
    finally:
        for fd in fds:
            os.close(fd)


def test_deep_tree_beyond_the_recursion_limit(tmp_path: Path) -> None:
    depth = sys.getrecursionlimit() + 500
    names = ["d"] * depth + [".git"]
    _mkdirs_at(tmp_path, names)
    try:
        result = audit(str(tmp_path))
    finally:
        _rmchain(tmp_path, names)
    rel = "/".join(names)
    assert [(h.code, h.rel) for h in result.hits] == [("FFS701", rel)]
    assert result.stats.folders == depth + 1


def test_paths_longer_than_path_max(tmp_path: Path) -> None:
    names = [f"{i:03d}" + "x" * 96 for i in range(60)]  # 6,000 bytes, over Linux's 4,096
    _mkdirs_at(tmp_path, [*names, "repo", ".git"])
    _mkdirs_at(tmp_path, [names[0], "__pycache__"])
    rel = "/".join(names)
    assert len(os.fsencode(str(tmp_path / rel))) > max(LONG_PATH, 4096)
    # a link down there: it cannot be inspected by path, and the audit says so (not a name in the cwd)
    fd = _open_chain(tmp_path, [*names, "repo"])
    os.symlink("/elsewhere", "link", dir_fd=fd)
    os.close(fd)
    try:
        found = _codes(tmp_path)
    finally:
        os.rmdir(tmp_path / names[0] / "__pycache__")
        fd = _open_chain(tmp_path, [*names, "repo"])
        os.unlink("link", dir_fd=fd)
        os.close(fd)
        _rmchain(tmp_path, [*names, "repo", ".git"])
    assert found == [("FFS701", f"{rel}/repo/.git"), ("FFS706", f"{rel}/repo/link"),
                     ("FFS704", f"{names[0]}/__pycache__")]


class _Vanishing(Auditor):
    """Removes entries while the walk is under way, as another process would."""

    def folder_done(self, folder: Folder, listed: bool) -> int:
        if folder.rel == "":
            os.rmdir(os.path.join(folder.path, "a", ".git"))
            os.rmdir(os.path.join(folder.path, "a"))
        return super().folder_done(folder, listed)

    def entry(self, folder: Folder, de: Entry, key: str, is_dir: bool) -> int | None:
        if de.name == "sync.ffs_lock":
            os.unlink(os.path.join(folder.path, de.name))
        return super().entry(folder, de, key, is_dir)


def test_entries_vanishing_during_the_walk_are_counted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "sync.ffs_lock").write_text("")
    os.utime(tmp_path / "b" / "sync.ffs_lock", (0, 0))  # stale: would be FFS705 if still there
    auditor = _Vanishing(str(tmp_path), knowledge_filter())
    stats = walk(str(tmp_path), auditor)
    assert auditor.hits == []
    assert stats.vanished == 1  # the folder a; the lock file went between listing and stat


def test_walk_permission_error_as_user(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: CAP_DAC_OVERRIDE reads mode-000 folders in this process; the same error "
                    "path runs as a real command without that capability in "
                    "test_permission_errors_without_the_override_capability and the hostile fixture")
    (tmp_path / "secret" / ".git").mkdir(parents=True)
    (tmp_path / "secret").chmod(0)
    try:
        hits = audit(str(tmp_path)).hits
    finally:
        (tmp_path / "secret").chmod(0o755)
    assert [(h.code, h.rel) for h in hits] == [("FFS706", "secret")]
    assert "Permission denied" in hits[0].message


def test_permission_errors_without_the_override_capability(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "secret" / "proj" / ".git").mkdir(parents=True)
    (tree / "ok" / ".git").mkdir(parents=True)
    (tree / "secret").chmod(0)
    try:
        run = audit_cli(str(tree), "--format", "concise", cwd=tmp_path, permissions=True)
        (tree / "secret").chmod(0o755)
        tree.chmod(0)
        unreadable_root = audit_cli(str(tree), cwd=tmp_path, permissions=True)
    finally:
        tree.chmod(0o755)
        (tree / "secret").chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[:2] == [
        f"{tree}/ok/.git/: FFS701 [error] a .git folder: a repository on the GPU machine",
        f"{tree}/secret/: FFS706 [warning] folder could not be read (Permission denied): nothing below it was "
        "audited",
    ]
    assert unreadable_root.returncode == 2
    assert unreadable_root.stderr == f"error: {tree}: cannot read the folder: Permission denied\n"


def test_display_escapes_what_is_not_printable_utf8() -> None:
    assert display("plain/name.txt") == "plain/name.txt"
    assert display("données/ü") == "données/ü"
    assert display(os.fsdecode(b"caf\xe9/x")) == "caf\\xe9/x"
    assert display("a\nb\tc\\d") == "a\\nb\\tc\\\\d"
    assert display("zero\u200bwidth\x1b") == "zero\\u200bwidth\\x1b"


def test_non_utf8_names_round_trip_to_the_disk(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9", b".git")
    os.makedirs(raw)
    hits = audit(str(tmp_path)).hits
    assert len(hits) == 1
    assert os.path.isdir(os.path.join(str(tmp_path), hits[0].rel))  # the surrogate-escaped name is exact
    assert display(hits[0].rel) == "caf\\xe9/.git"


def _read_all(fd: int) -> str:
    """Everything written to the terminal so far (a pty hands it over in pieces)."""
    data = b""
    try:
        while select.select([fd], [], [], 0.5)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    except OSError:  # EIO: the other end is closed and everything was read
        pass
    finally:
        os.close(fd)
    return data.decode()


def test_progress_line_on_a_terminal_only(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"d{i}").mkdir()
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as tty:
        progress = Progress(tty, delay=0.0, interval=0.0)
        assert progress.enabled
        stats = walk(str(tmp_path), Auditor(str(tmp_path), knowledge_filter()), progress)
    shown = _read_all(master)
    assert f"audit-gpu: {stats.entries:,} entries in {stats.folders:,} folders" in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared at the end
    quiet = io.StringIO()
    walk(str(tmp_path), Auditor(str(tmp_path), knowledge_filter()), Progress(quiet, delay=0.0, interval=0.0))
    assert quiet.getvalue() == ""


def _peak(root: Path) -> int:
    auditor = Auditor(str(root), knowledge_filter())
    tracemalloc.start()
    try:
        walk(str(root), auditor)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_files(tmp_path: Path) -> None:
    # both folders are larger than the chunk the walk holds at a time; 4x the files, the same memory
    medium, large = tmp_path / "medium", tmp_path / "large"
    for root, n in ((medium, 2 * CHUNK), (large, 8 * CHUNK)):
        root.mkdir()
        for i in range(n):
            os.close(os.open(root / f"sample_{i:06d}.npy", os.O_CREAT | os.O_WRONLY, 0o644))
    _peak(medium)  # warm up caches (compiled patterns, interned names)
    assert _peak(large) - _peak(medium) < 64 * 1024


@pytest.mark.parametrize(("jobs", "share_at"), [(2, 1), (3, 2), (2, 7), (4, 30)])
def test_parallel_walk_finds_the_same_as_the_serial_one(jobs: int, share_at: int, tmp_path: Path) -> None:
    # excluded folders and environments right below the root: their own listing happens in a worker
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /nonexistent/bin\n")
    for i in range(40):
        proj = tmp_path / f"p{i:02d}"
        (proj / "src" / "__pycache__").mkdir(parents=True)
        if i % 3 == 0:
            (proj / ".git").mkdir()
        if i % 5 == 0:
            (proj / "x.ffs_tmp").write_text("")
            (proj / "wt").mkdir()
            (proj / "wt" / ".git").write_text("gitdir: /elsewhere\n")
    serial = audit(str(tmp_path), jobs=1)
    parallel = audit(str(tmp_path), jobs=jobs, share_at=share_at)
    assert parallel.hits == serial.hits
    assert len(serial.hits) == 2 + 40 + 14 + 8 + 8
    assert (serial.stats.entries, serial.stats.folders) == (parallel.stats.entries, parallel.stats.folders)


class _Counter:
    """A visitor that sees every entry and counts them."""

    names: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    every_entry = True

    def __init__(self) -> None:
        self.seen = 0

    def entry(self, folder: Folder, entry: Entry, key: str, is_dir: bool) -> int | None:
        self.seen += 1
        return 0 if is_dir else None

    def folder_done(self, folder: Folder, listed: bool) -> int:
        return 0

    def folder_error(self, folder: Folder, exc: OSError) -> None:
        raise AssertionError(exc)


def _pid_and_count(visitor: _Counter) -> tuple[int, int]:
    return os.getpid(), visitor.seen


def test_parallel_walk_uses_worker_processes(tmp_path: Path) -> None:
    for i in range(20):
        (tmp_path / f"d{i}" / "sub").mkdir(parents=True)
        (tmp_path / f"d{i}" / "sub" / "f").write_text("")
    results, stats = walk_parallel(str(tmp_path), _Counter, _pid_and_count, jobs=2, share_at=4)
    assert {pid for pid, _ in results} - {os.getpid()}  # some folders were walked by workers
    assert sum(n for _, n in results) == stats.entries == 60
    assert stats.folders == 41


def test_links_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "repo" / ".git").mkdir(parents=True)
    tree = tmp_path / "tree"
    (tree / "real" / ".git").mkdir(parents=True)
    (tree / "ext").symlink_to(outside / "repo")
    (tree / "again").symlink_to("real")
    assert _codes(tree) == [("FFS707", "ext"), ("FFS701", "real/.git")]


def test_a_found_git_folder_is_not_entered(tmp_path: Path) -> None:
    (tmp_path / ".git" / "modules" / "sub" / ".git").mkdir(parents=True)
    (tmp_path / ".git" / "hooks" / "__pycache__").mkdir(parents=True)
    result = audit(str(tmp_path))
    assert [(h.code, h.rel) for h in result.hits] == [("FFS701", ".git")]
    assert result.stats.folders == 1


def test_walk_stats_add() -> None:
    a, b = WalkStats(1, 2, 3), WalkStats(10, 20, 30)
    a.add(b)
    assert (a.entries, a.folders, a.vanished) == (11, 22, 33)
