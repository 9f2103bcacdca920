"""Issue 14, items 7, 10, 11 and 13 for ``generate``: never read through a link or block on a FIFO, write all
files or none (disk full, Ctrl-C, SIGKILL at each step, two runs at once), one line instead of a traceback.

The runs are real processes (``python -m ffs_tools``, the checkout on PYTHONPATH); the kills come from the
project's own fault hook (``FFS_TOOLS_FAULT=STEP:KILL``, read in ``ffs_tools/fsutil.py``); the disk is a real
64 KiB tmpfs; permissions are checked as the user ``nobody`` (``setpriv``), since root ignores them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("proj.ffs_gui", "proj.ffs_batch", "proj.ffs_real", "FREEFILESYNC_EXCLUSIONS.txt")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def ffs(args: list[str], cwd: Path, env: dict[str, str] | None = None, nobody: bool = False,
        ) -> subprocess.CompletedProcess[str]:
    """``ffs-tools ARGS`` in a new process (60 s at most: a hang is a failure, not a stuck test run)."""
    cmd = [*(NOBODY if nobody else []), sys.executable, "-m", "ffs_tools", *args]
    full = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd), **(env or {})}
    # a shell without job control starts background jobs with SIGINT ignored, and Python keeps that: give the
    # child the default disposition, as a terminal's Ctrl-C finds it
    return subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, text=True, timeout=60, check=False,
                          preexec_fn=_default_sigint)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The run failed with exit 2 and one ``error:`` line (the last), no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    last = proc.stderr.splitlines()[-1]
    assert last.startswith("error: "), proc.stderr
    assert proc.stderr.count("error") == 1, proc.stderr
    return last


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the user nobody can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ffs-harden-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_project(base: Path, versions: str = "v1") -> Path:
    project = base / "proj"
    project.mkdir(parents=True, exist_ok=True)
    (project / "train.py").write_text("print(1)\n", encoding="utf-8")
    write_policy(project, versions)
    return project


def write_policy(project: Path, versions: str, extra: int = 0) -> None:
    items = ", ".join(f'"*/cache{i}/"' for i in range(extra))
    (project / "ffs-policy.toml").write_text(
        f'[gpu]\npath = "{project.parent / "gpu"}"\n[sync]\nversioning_folder = "{project.parent / versions}"\n'
        f"[exclude]\nextra = [{items}]\n", encoding="utf-8")


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in NAMES if (folder / name).exists()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.endswith(".pending"))


# --------------------------------------------------------------------------- item 7: links


def test_check_never_reads_through_a_link(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert ffs(["generate"], project).returncode == 0
    secret = tmp_path / "environ"
    secret.write_text("API_TOKEN=hunter2\n", encoding="utf-8")
    (project / "proj.ffs_gui").unlink()
    (project / "proj.ffs_gui").symlink_to(secret)
    check = ffs(["generate", "--check"], project)
    assert check.returncode == 1
    assert "hunter2" not in check.stderr + check.stdout
    assert (f"{project / 'proj.ffs_gui'}: not read: it is a symbolic link, where ffs-tools writes a file; --force "
            "replaces it (not what it points to)") in check.stderr
    one_line_error(ffs(["generate"], project))
    assert (project / "proj.ffs_gui").is_symlink()
    assert ffs(["generate", "--force"], project).returncode == 0
    assert not (project / "proj.ffs_gui").is_symlink()
    assert secret.read_text() == "API_TOKEN=hunter2\n"


# --------------------------------------------------------------------------- item 11: FIFOs


def test_a_fifo_at_an_output_name_does_not_hang(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert ffs(["generate"], project).returncode == 0
    (project / "proj.ffs_batch").unlink()
    os.mkfifo(project / "proj.ffs_batch")
    check = ffs(["generate", "--check"], project)
    assert check.returncode == 1
    assert f"{project / 'proj.ffs_batch'}: not read: it is not a regular file (a FIFO, device or socket)" \
        in check.stderr


# --------------------------------------------------------------------------- item 10: all or nothing


@pytest.mark.slow
def test_disk_full_changes_nothing(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    out = tmp_path / "small"
    out.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(out)], check=True)
    try:
        project = make_project(tmp_path)
        assert ffs(["generate", "--out", str(out)], project).returncode == 0
        before = outputs(out)
        assert all(len(data) <= 4096 for data in before.values())  # one page each
        write_policy(project, "v2", extra=40)  # the .ffs_gui and the .ffs_batch grow to two pages each
        stat = os.statvfs(out)
        # room for the new .ffs_gui only, even after the old one is gone: (replacing the files one by one,
        # the .ffs_gui would be new and the .ffs_batch old)
        (out / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 2 * 4096))
        last = one_line_error(ffs(["generate", "--out", str(out)], project))
        assert last.endswith("cannot write the generated files: No space left on device; nothing was changed")
        assert outputs(out) == before
        assert leftovers(out) == []
    finally:
        subprocess.run(["umount", str(out)], check=True)


def _old_and_new(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project generated with policy v1, its policy now v2, and the files each gives."""
    reference = make_project(tmp_path / "ref", "v2")
    assert ffs(["generate"], reference).returncode == 0
    project = make_project(tmp_path, "v1")
    assert ffs(["generate"], project).returncode == 0
    old = outputs(project)
    write_policy(project, "v2")
    new = {k: v.replace(str(tmp_path / "ref").encode(), str(tmp_path).encode()) for k, v in outputs(reference).items()}
    return project, old, new


def _comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """Without the digests, which cover the absolute paths."""
    import re

    return {k: re.sub(rb"digest [0-9a-f]{16}", b"digest", v) for k, v in files.items()}


@pytest.mark.slow
@pytest.mark.parametrize("step", [1, 2, 99, 100, 101])  # two files change: 2 temporaries, record, 2 renames
def test_a_kill_at_any_step_leaves_a_state_the_next_run_completes(tmp_path: Path, step: int) -> None:
    project, old, new = _old_and_new(tmp_path)
    assert _comparable(old) != _comparable(new)
    killed = ffs(["generate"], project, {"FFS_TOOLS_FAULT": f"{step}:KILL"})
    assert killed.returncode == -9
    if step < 99:  # killed before the renames were recorded: the old files, untouched
        assert outputs(project) == old
    else:  # recorded: the record is there for the next run; --check says so and changes nothing
        assert (project / ".ffs-tools-write.pending").is_file()
        check = ffs(["generate", "--check"], project)
        assert check.returncode == 1
        assert (f"{project / '.ffs-tools-write.pending'}: an interrupted generate did not finish its renames; run "
                "ffs-tools generate to complete them") in check.stderr
        assert (project / ".ffs-tools-write.pending").is_file()
    assert ffs(["generate"], project).returncode == 0
    assert _comparable(outputs(project)) == _comparable(new)
    assert leftovers(project) == []
    assert ffs(["generate", "--check"], project).returncode == 0


@pytest.mark.slow
def test_ctrl_c_while_writing_changes_nothing(tmp_path: Path) -> None:
    project, old, _new = _old_and_new(tmp_path)
    interrupted = ffs(["generate"], project, {"FFS_TOOLS_FAULT": "2:INT"})
    assert interrupted.returncode == 130
    assert "Traceback" not in interrupted.stderr
    assert outputs(project) == old
    assert leftovers(project) == []


@pytest.mark.slow
def test_two_runs_at_once_leave_the_files_of_one_of_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = make_project(tmp_path / "a", "v1")
    second = make_project(tmp_path / "b", "v2")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FFS_TOOLS_FAULT": "2:SLEEP"}
    cmd = [sys.executable, "-m", "ffs_tools", "generate", "--out", str(out)]
    with subprocess.Popen(cmd, cwd=first, env=env, stderr=subprocess.DEVNULL) as slow:
        fast = ffs(["generate", "--out", str(out)], second)
        assert slow.wait(timeout=60) == 0
        assert fast.returncode == 0
    files = outputs(out)
    assert len(files) == 4
    assert leftovers(out) == []
    owners = {("a" if b"/a/proj" in data else "b") for name, data in files.items() if not name.endswith(".txt")}
    assert len(owners) == 1, "a mix of both runs"


# --------------------------------------------------------------------------- item 13: one line, exit 2


def test_out_an_existing_file_or_below_one(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    last = one_line_error(ffs(["generate", "--out", str(tmp_path / "afile")], project))
    assert last == f"error: {tmp_path / 'afile'}: is a file, not a folder: the output folder must be a folder"
    last = one_line_error(ffs(["generate", "--out", str(tmp_path / "afile" / "sub")], project))
    assert last == (f"error: {tmp_path / 'afile' / 'sub'}: cannot write the generated files: Not a directory; "
                    "nothing was changed")
    last = one_line_error(ffs(["generate", "--check", "--out", str(tmp_path / "afile" / "sub")], project))
    below = tmp_path / "afile" / "sub" / "proj.ffs_gui"
    assert last == f"error: {below}: cannot use this output folder: Not a directory"
    assert not (project / "proj.ffs_gui").exists()


def test_read_only_output_folder(shared: Path) -> None:
    project = make_project(shared)
    (shared / "ro").mkdir()  # root's folder, 0755: nobody cannot write there
    last = one_line_error(ffs(["generate", "--out", str(shared / "ro")], project, nobody=True))
    assert last.endswith("cannot write the generated files: Permission denied; nothing was changed")
    assert list((shared / "ro").iterdir()) == []


def test_unreadable_subfolder_during_the_environment_scan(shared: Path) -> None:
    project = make_project(shared)
    (project / "locked" / "inner").mkdir(parents=True)
    (project / "locked").chmod(0o744)  # nobody may list it but not enter it
    out = shared / "out"
    out.mkdir()
    out.chmod(0o777)
    proc = ffs(["generate", "--out", str(out)], project, nobody=True)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(outputs(out)) == sorted(NAMES)


def test_a_tree_deeper_than_path_max(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    fd = os.open(project, os.O_RDONLY)
    for _ in range(25):  # 25 * 200 characters: over Linux's 4096
        os.mkdir("d" * 199, dir_fd=fd)
        nxt = os.open("d" * 199, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    os.close(fd)
    proc = ffs(["generate"], project)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_300_character_project_name(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with (project / "ffs-policy.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'[project]\nname = "{"n" * 300}"\n')
    last = one_line_error(ffs(["generate"], project))
    assert last.endswith(":8: project.name: too long for a file name: the name may have 200 bytes (UTF-8) together "
                         "(file names end in .ffs_batch, at most 255 bytes)")


def test_a_foreign_record_of_renames_moves_nothing_over_other_files(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / ".train.py.abcdefgh.tmp").write_text("evil\n", encoding="utf-8")
    (project / ".ffs-tools-write.pending").write_text(".train.py.abcdefgh.tmp\ttrain.py\n", encoding="utf-8")
    assert ffs(["generate"], project).returncode == 0
    assert (project / "train.py").read_text(encoding="utf-8") == "print(1)\n"
    assert (project / ".train.py.abcdefgh.tmp").read_text(encoding="utf-8") == "evil\n"  # not ours: left alone
    assert not (project / ".ffs-tools-write.pending").exists()
