"""preview and explain through the command line: output, exit codes, error messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ffs_tools.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two-pair job FreeFileSync 14.10 wrote, with its relative folders L and L2 built in tmp_path."""
    shutil.copy(FIXTURES / "ffs14-migrations" / "two-pairs-overrides.v23.ffs_batch", tmp_path / "job.ffs_batch")
    for rel, size in (("L/.git/config", 3), ("L/src/a.py", 2), ("L/src/pkg/__pycache__/a.pyc", 1),
                      ("L/models/m.pt", 4), ("L/venv/pyvenv.cfg", 0), ("L/wt/.git", 9),
                      ("L2/models/big.pt", 5000), ("L2/small.pt", 10), ("L2/models/run.tmp", 5000)):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    monkeypatch.chdir(tmp_path)  # FreeFileSync resolves relative pair paths against the working directory
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_preview_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "preview", "job.ffs_batch", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [(p["index"], p["left"], p["right"]) for p in doc["pairs"]] == [(1, "L", "R"), (2, "L2", "R2")]
    assert doc["pairs"][0]["synced"] == ["models/", "models/m.pt", "src/", "src/a.py", "src/pkg/", "wt/"]
    # pair 2: include models\ and *.pt, exclude *.tmp, SizeMin 1 KB: folders only as parents
    assert doc["pairs"][1]["synced"] == ["models/", "models/big.pt"]


def test_preview_one_pair_and_text_counts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "preview", "job.ffs_batch", "--pair", "1", "--list")
    assert code == 0
    assert out.startswith("pair 1: L -> R\n")
    assert "pair 2" not in out
    total = next(line for line in out.splitlines() if line.strip().startswith("total"))
    assert total.split()[1:4] == ["2", "4", "6"]  # 2 files, 4 folders, 6 bytes
    assert "    src/pkg/" in out.splitlines()


def test_explain_names_the_item_and_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", ".git/config", "wt/.git", "src/a.py", "deep/er/venv/", "--config",
                       "job.ffs_batch", "--pair", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("not synced  .git/config  (inside .git/, which is excluded by global filter "
                               "exclude item 1 '*/.git' at job.ffs_batch:22)")
    assert lines[1].startswith("not synced  wt/.git  (excluded by global filter exclude item 1 '*/.git'")
    assert lines[2].startswith("synced      src/a.py  (included by global filter include item 1 '*'")
    assert lines[3].startswith("not synced  deep/er/venv/  (excluded by global filter exclude item 2 '*/venv/'")


def test_explain_json_and_soft_limits(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "small.pt", "models/big.pt", "models/run.tmp", "-c", "job.ffs_batch",
                       "--pair", "2", "--format", "json")
    assert code == 0
    rows = {r["path"]: r for r in json.loads(out)["paths"]}
    assert (rows["small.pt"]["synced"], rows["small.pt"]["reason"]) == (False, "soft excluded")
    assert rows["models/big.pt"]["synced"] is True
    tmp = rows["models/run.tmp"]
    assert (tmp["synced"], tmp["item"], tmp["filter"], tmp["list"], tmp["line"]) == (
        False, "*.tmp", "pair", "exclude", 54)


def test_semantics_switch(project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file-only item also hits files inside folders of that name up to FreeFileSync 14.7."""
    job = (project / "job.ffs_batch").read_text(encoding="utf-8").replace("<Item>*/venv/</Item>",
                                                                        "<Item>*/models:</Item>")
    (project / "job.ffs_batch").write_text(job, encoding="utf-8")
    _, new, _ = run(capsys, "explain", "models/m.pt", "-c", "job.ffs_batch", "--pair", "1")
    _, old, _ = run(capsys, "explain", "models/m.pt", "-c", "job.ffs_batch", "--pair", "1", "--ffs-version", "12")
    assert new.startswith("synced")
    assert old.startswith("not synced")
    assert "'*/models:'" in old


@pytest.mark.parametrize(("argv", "message"), [
    (["preview", "missing.ffs_batch"], "error: missing.ffs_batch: no such file"),
    (["preview", "job.ffs_batch", "--pair", "3"], "error: job.ffs_batch: --pair 3: the config has 2 pair(s)"),
    (["preview", "job.ffs_batch", "--ffs-version", "new"], "error: --ffs-version: not a FreeFileSync version"),
    (["preview", "job.ffs_batch", "--format", "xml"], "error: --format: expected text or json"),
    (["explain", "/etc/passwd", "-c", "job.ffs_batch", "--pair", "1"], "is not inside the left folder of pair 1"),
])
def test_user_errors_are_one_line_exit_2(project: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                         message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_left_folder_and_remote_left(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / "L2")
    code, _, err = run(capsys, "preview", "job.ffs_batch")
    assert code == 2
    assert "pair 2: the left folder" in err
    assert "does not exist" in err
    remote = (project / "job.ffs_batch").read_text(encoding="utf-8").replace("<Left>L</Left>",
                                                                           "<Left>sftp://me@gpu/x</Left>")
    (project / "job.ffs_batch").write_text(remote, encoding="utf-8")
    code, _, err = run(capsys, "preview", "job.ffs_batch", "--pair", "1")
    assert code == 2
    assert "is sftp, not a local folder" in err


def test_broken_config_is_one_line_with_location(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "bad.ffs_gui").write_text('<?xml version="1.0"?>\n<FreeFileSync XmlType="GUI">\n<oops>\n',
                                         encoding="utf-8")
    code, _, err = run(capsys, "preview", "bad.ffs_gui")
    assert code == 2
    assert err.startswith("error: bad.ffs_gui:4:")


def test_installed_entry_point_runs_from_another_directory(project: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "ffs_tools", "preview", str(project / "job.ffs_batch"), "-f",
                           "json", "--pair", "1"], cwd=project, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pairs"][0]["synced"][0] == "models/"
    help_proc = subprocess.run([sys.executable, "-m", "ffs_tools", "preview", "-h"], capture_output=True,
                               text=True, check=False)
    assert help_proc.returncode == 0
    assert "--ffs-version" in help_proc.stdout


def test_explain_normalises_paths_and_answers_each_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """./a, a/x/../b and an absolute path inside the folder are the same paths as written plainly; ../x and a
    path outside the left folder are reported one by one, and the other paths are still answered (exit 2)."""
    inside = str(project / "L" / "venv" / "bin" / "python")
    code, out, err = run(capsys, "explain", "./venv/bin/python", "venv/bin/python", "src/x/../a.py", "../x",
                         "/etc/passwd", inside, ".", "-c", "job.ffs_batch", "--pair", "1")
    assert code == 2
    excluded = "(inside venv/, which is excluded by global filter exclude item 2 '*/venv/' at job.ffs_batch:23)"
    assert out.splitlines() == [
        f"not synced  venv/bin/python  {excluded}",
        f"not synced  venv/bin/python  {excluded}",
        "synced      src/a.py  (included by global filter include item 1 '*' at job.ffs_batch:19)",
        f"not synced  venv/bin/python  {excluded}",
    ]
    assert err.splitlines() == [
        f"error: ../x: is not inside the left folder of pair 1 ({project / 'L'})",
        f"error: /etc/passwd: is not inside the left folder of pair 1 ({project / 'L'})",
        "error: .: names the left folder itself: give a path below it",
    ]
    code, out, _ = run(capsys, "explain", "../x", "src/a.py", "-c", "job.ffs_batch", "--pair", "1", "-f", "json")
    assert code == 2
    assert [(r["path"], r["synced"], r.get("error")) for r in json.loads(out)["paths"]] == [
        ("../x", None, f"is not inside the left folder of pair 1 ({project / 'L'})"), ("src/a.py", True, None)]
    assert run(capsys, "explain", "./src//a.py", "-c", "job.ffs_batch", "--pair", "1")[0] == 0


def test_explain_answers_as_freefilesync_under_the_symlink_setting(project: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Exclude skips links, Direct copies the link but nothing below it, Follow copies what it points to."""
    (project / "data" / "imagenet").mkdir(parents=True)
    (project / "data" / "imagenet" / "x.jpg").write_bytes(b"jpg")
    (project / "L" / "datasets").mkdir()
    (project / "L" / "datasets" / "imagenet").symlink_to(project / "data" / "imagenet")
    args = ("datasets/imagenet/x.jpg", "datasets/imagenet", "-c", "job.ffs_batch", "--pair", "1")
    assert run(capsys, "explain", *args)[1].splitlines() == [
        "not synced  datasets/imagenet/x.jpg  (inside datasets/imagenet, a symbolic link, which FreeFileSync skips "
        "(Symlinks=Exclude))",
        "not synced  datasets/imagenet/  (a symbolic link, which FreeFileSync skips (Symlinks=Exclude))"]
    job = project / "job.ffs_batch"
    job.write_text(job.read_text(encoding="utf-8").replace("<Symlinks>Exclude</Symlinks>",
                                                           "<Symlinks>Direct</Symlinks>", 1), encoding="utf-8")
    assert run(capsys, "explain", *args)[1].splitlines() == [
        "not synced  datasets/imagenet/x.jpg  (inside datasets/imagenet, a symbolic link that FreeFileSync copies "
        "as a link (Symlinks=Direct), not what it points to)",
        "synced      datasets/imagenet  (included by global filter include item 1 '*' at job.ffs_batch:19)"]
    job.write_text(job.read_text(encoding="utf-8").replace("<Symlinks>Direct</Symlinks>",
                                                           "<Symlinks>Follow</Symlinks>", 1), encoding="utf-8")
    assert run(capsys, "explain", *args)[1].splitlines() == [
        "synced      datasets/imagenet/x.jpg  (included by global filter include item 1 '*' at job.ffs_batch:19)",
        "synced      datasets/imagenet/  (included by global filter include item 1 '*' at job.ffs_batch:19)"]


def test_preview_list_is_in_byte_order_of_the_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``--list`` used to print the walk's order (the disk's, folders in between): it prints the paths sorted by
    their UTF-8 bytes, as the JSON ``synced`` list does."""
    shutil.copy(FIXTURES / "ffs14-migrations" / "two-pairs-overrides.v23.ffs_batch", tmp_path / "job.ffs_batch")
    for rel in ("L/z.txt", "L/a/y.txt", "L/a-b/x.txt", "L/B.txt", "L/é.txt", "L/a/c/d.txt", "L/m.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "preview", "job.ffs_batch", "--pair", "1", "--list")
    assert code == 0
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("total")) + 1
    listed = [line.removeprefix("    ") for line in lines[start:-1]]
    assert listed == ["B.txt", "a-b/", "a-b/x.txt", "a/", "a/c/", "a/c/d.txt", "a/y.txt", "m.txt", "z.txt", "é.txt"]
    code, out, _ = run(capsys, "preview", "job.ffs_batch", "--pair", "1", "--format", "json")
    assert json.loads(out)["pairs"][0]["synced"] == listed
