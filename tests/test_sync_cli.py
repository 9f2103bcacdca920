"""``ffs-tools sync`` on bad input, its dry run, its refusals and FreeFileSync failing: the CLI's lines and codes.

FreeFileSync does not run in these tests except where a real shell stands in for a
FreeFileSync that fails (exit 3 or 4): the plan engine plans real local folders.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from generate_helpers import run_cli
from synchelpers import write, write_job

from ffs_tools.errors import UserError
from ffs_tools.sync.binary import find_command

FIRST_RUN = "  warning: Setting directions for first synchronization: Old files will be overwritten with newer files."


class Setup:
    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 variant: str = "TwoWay", auto_close: str = "true") -> None:
        self.tmp, self.mp, self.capsys = tmp_path, monkeypatch, capsys
        self.left, self.right = tmp_path / "L", tmp_path / "R"
        for i in range(5):
            write(self.left, f"src/f{i}.py", f"{i}\n")
        self.right.mkdir()
        self.job = write_job(tmp_path / "job.ffs_batch", self.left, self.right, tmp_path / "logs",
                             tmp_path / "versions", variant, auto_close)
        monkeypatch.setenv("FFS_TOOLS_LOCK_DIR", str(tmp_path / "locks"))
        monkeypatch.delenv("FFS_COMMAND", raising=False)

    def sync(self, *args: str) -> tuple[int, str, str]:
        return run_cli(["sync", *args], self.tmp, self.mp, self.capsys)


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys)
    gui = tmp_path / "job.ffs_gui"
    gui.write_text("<x/>", encoding="utf-8")
    assert s.sync(str(gui)) == (2, "", f"error: {gui}: sync runs a .ffs_batch job (FreeFileSync runs only those "
                                       "unattended)\n")
    missing = tmp_path / "nope.ffs_batch"
    assert s.sync(str(missing)) == (2, "", f"error: {missing}: no such file\n")
    absent = tmp_path / "ffs"
    assert s.sync(str(s.job), "--ffs-command", str(absent)) == (
        2, "", f"error: --ffs-command: '{absent}' is not an executable program (not found)\n")
    assert s.sync(str(s.job), "--max-delete", "-2")[0] == 2
    (tmp_path / "ffs-policy.toml").write_text('[gpu]\npath = "/x"\n\n[sync]\nmax_delete = "many"\n',
                                              encoding="utf-8")
    assert s.sync(str(s.job)) == (2, "", f"error: {tmp_path / 'ffs-policy.toml'}:5: sync.max_delete: expected an "
                                         'integer, got a string ("many")\n')


def test_a_batch_that_would_wait_for_a_click_is_refused_as_bad_input(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys, auto_close="false")
    code, out, err = s.sync(str(s.job))
    assert (code, out) == (2, "")
    assert err == (f'error: {s.job}:14: batch.progress_dialog: AutoClose="false": the results window would wait '
                   "for a click (FFS401; ffs-tools lint --fix)\n")


def test_dry_run_plans_checks_the_guards_and_runs_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys, variant="Mirror")
    for i in range(3):
        write(s.right, f"old/o{i}.txt", "old\n")
    code, out, err = s.sync(str(s.job), "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"plan: pair 1 {s.left} <-> {s.right}: 6 create-right, 4 delete-right",
        "  warning: 3 item(s) that exist only on the GPU side would be deleted or overwritten, e.g. old/o0.txt",
        "deletions and data-losing overwrites (4):",
        f"  delete right: old/o0.txt  (pair 1, {s.right})",
        f"  delete right: old/o1.txt  (pair 1, {s.right})",
        f"  delete right: old/o2.txt  (pair 1, {s.right})",
        f"  delete right: old/  (pair 1, {s.right})",
        "dry run: within the guards; FreeFileSync was not run",
    ]
    code, out, _ = s.sync(str(s.job), "--dry-run", "--max-delete", "3")
    assert code == 3
    assert out.splitlines()[2:5] == ["refused, nothing was run:",
                                     "  4 deletions and data-losing overwrites exceed --max-delete 3 (policy: "
                                     "[sync] max_delete)",
                                     "what would be deleted or overwritten (4):"]
    assert sorted(p.name for p in (s.right / "old").iterdir()) == ["o0.txt", "o1.txt", "o2.txt"]


def test_a_gpu_side_environment_that_would_travel_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys)
    write(s.right, "tools/py311/pyvenv.cfg", "home = /usr/bin\n")
    write(s.right, "tools/py311/lib/site.py", "")
    code, out, err = s.sync(str(s.job), "--dry-run", "--max-delete", "-1")
    assert (code, err) == (3, "")
    assert out.splitlines()[1:] == [
        FIRST_RUN,
        "refused, nothing was run:",
        "  pair 1: the Python environment tools/py311/ on the GPU side would be copied to the local side (4 items); "
        "exclude it",
    ]
    assert not (s.left / "tools").exists()


def test_freefilesync_failing_is_exit_4_with_its_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys)
    monkeypatch.setenv("DISPLAY", ":99")  # no xvfb-run around the stand-in
    code, out, err = s.sync(str(s.job), "--ffs-command", "sh -c 'echo Error: bad job >&2; exit 4' sh")
    assert code == 4
    lines = out.splitlines()
    assert lines[:2] == [f"plan: pair 1 {s.left} <-> {s.right}: 6 create-right", FIRST_RUN]
    assert re.fullmatch(r"FreeFileSync: exit 4 \(exception \(bad config or command line\)\); \d+\.\d s", lines[2])
    assert lines[3:] == ["  log: not found", "  stderr: Error: bad job", "result: FreeFileSync did not sync (exit 4)"]
    assert not (s.right / "src").exists()
    assert err == "running FreeFileSync (sh -c echo Error: bad job >&2; exit 4 sh, from --ffs-command)\n"


def executable(folder: Path, name: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_the_freefilesync_to_run_option_then_environment_then_policy_then_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("FreeFileSync", "ffs14", "flatpak", "xvfb-run"):
        executable(bin_dir, name)
    env = {"PATH": str(bin_dir), "FFS_COMMAND": "ffs14 --x", "DISPLAY": ":1"}
    assert find_command("flatpak run org.freefilesync.FreeFileSync", "FreeFileSync", env).argv == (
        "flatpak", "run", "org.freefilesync.FreeFileSync")
    assert find_command(None, "FreeFileSync", env).argv == ("ffs14", "--x")
    assert find_command(None, "flatpak run x", {"PATH": str(bin_dir), "DISPLAY": ":1"}).origin == "[ffs] command"
    found = find_command(None, "", {"PATH": str(bin_dir)})
    assert (found.argv, found.origin, found.virtual_display) == (("xvfb-run", "-a", "FreeFileSync"), "PATH", True)
    (bin_dir / "xvfb-run").unlink()
    with pytest.raises(UserError) as err:
        find_command(None, "", {"PATH": str(bin_dir)})
    assert str(err.value) == ("no X display (DISPLAY is not set) and xvfb-run is not installed: FreeFileSync needs a "
                              "display even for a batch job (apt-get install xvfb xauth)")
    with pytest.raises(UserError) as err:
        find_command(None, "", {"PATH": str(tmp_path / "empty"), "DISPLAY": ":1"})
    assert str(err.value) == ("FreeFileSync is not installed (not on PATH): install it, or name it with "
                              "--ffs-command, FFS_COMMAND or the policy's [ffs] command")
    with pytest.raises(UserError) as err:
        find_command(None, "", {"PATH": str(bin_dir), "FFS_COMMAND": "ffs14 'open", "DISPLAY": ":1"})
    assert str(err.value) == "FFS_COMMAND: cannot split the command line \"ffs14 'open\": No closing quotation"


def test_an_ftp_job_runs_unguarded_with_freefilesyncs_own_warnings_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys)
    s.job.write_text(s.job.read_text(encoding="utf-8").replace(
        f"<Right>{s.right}</Right>", "<Right>ftp://me@gpu-box/home/me/proj</Right>"), encoding="utf-8")
    monkeypatch.setenv("DISPLAY", ":99")  # no xvfb-run around the stand-in
    kept = tmp_path / "settings-given.xml"
    stand_in = f"sh -c 'cp \"$2\" {kept}; exit 1' sh"
    code, out, err = s.sync(str(s.job), "--ffs-command", stand_in)
    assert code == 1, out + err
    lines = out.splitlines()
    assert lines[0] == ("no plan (pair 1: the right folder is ftp): the guards cannot run, so FreeFileSync's own "
                        "safety warnings stay on (a significant difference or a conflict stops the run, nothing "
                        "changed)")
    assert lines[-1] == "result: synced with warnings, without a plan to verify against (exit 1)"
    assert kept.read_text(encoding="utf-8") == (
        '<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="25">\n'
        '    <FileTimeTolerance Seconds="2"/>\n    <LogFiles MaxAge="30" Format="Text"/>\n</FreeFileSync>\n')
    code, _, err = s.sync(str(s.job), "--dry-run")
    assert code == 2
    assert err == (f"error: {s.job}: cannot plan a job with a remote folder (pair 1: the right folder is ftp): "
                   "--dry-run has nothing to show\n")


def test_the_private_settings_switch_off_exactly_the_replaced_warnings() -> None:
    from ffs_tools.sync.settings import settings_xml

    head = '<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="{}">\n' \
           '    <FileTimeTolerance Seconds="2"/>\n    <LogFiles MaxAge="30" Format="Text"/>\n'
    assert settings_xml("12", True) == head.format(25) + (
        '    <OptionalDialogs>\n        <WarnSignificantDifference Show="false"/>\n'
        '        <WarnUnresolvedConflicts Show="false"/>\n    </OptionalDialogs>\n</FreeFileSync>\n')
    assert settings_xml("14", False) == head.format(28) + (
        '    <OptionalDialogs>\n        <WarnSignificantDifference Show="false"/>\n'
        '    </OptionalDialogs>\n</FreeFileSync>\n')


def test_a_missing_gpu_folder_is_refused_as_freefilesync_would_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    s = Setup(tmp_path, monkeypatch, capsys)
    s.right.rmdir()
    monkeypatch.setenv("DISPLAY", ":99")
    code, out, err = s.sync(str(s.job), "--ffs-command", f"sh -c 'touch {tmp_path / 'ran'}' sh")
    assert (code, err) == (3, "")
    assert out.splitlines()[1:] == [
        FIRST_RUN,
        "refused, nothing was run:",
        f"  FreeFileSync would stop before syncing: pair 1: The following folders do not yet exist: {s.right}",
    ]
    assert not (tmp_path / "ran").exists()
    assert not s.right.exists()
