"""The two shortcuts of ``ffs-tools plan`` give what the plain paths give: the second side scanned in a
forked process (``scan_sides``) and ``plan CONFIG --format json`` run without typer (``_plan_fast``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from plan_harness import T0, put, write_job

from ffs_tools.cli import main
from ffs_tools.commands._plan_fast import simple_json_args
from ffs_tools.ffs.model import SymlinkHandling
from ffs_tools.filtering.engine import PathFilter
from ffs_tools.plan.listing import Folder, ScanError, scan_sides


def _dump(node: Folder) -> list[object]:
    """Everything in the tree, in listing order (dict equality alone would ignore the order)."""
    return [node.active, list(node.files.items()), list(node.links.items()),
            [(name, _dump(sub)) for name, sub in node.folders.items()]]


def _tree(base: Path, salt: str) -> None:
    put(base, "src/train.py", "print()" + salt, T0)
    put(base, "src/ünï/Café.txt", "x", T0 + 7)
    put(base, "data/a.bin", "12345", T0 + 1)
    put(base, "data/deep/er/b.bin", salt, T0 + 2)
    put(base, ".git/HEAD", "ref", T0)  # excluded folder: not entered
    put(base, "results/run1/metrics.json", "{}", T0)
    (base / "empty").mkdir()
    os.symlink("src/train.py", base / "link.py")
    os.symlink("data", base / "data_link")
    os.symlink("missing", base / "dangling")


@pytest.mark.parametrize("symlinks", [SymlinkHandling.DIRECT, SymlinkHandling.FOLLOW, SymlinkHandling.EXCLUDE])
def test_forked_scan_of_the_second_side_equals_scanning_it_here(tmp_path: Path, symlinks: SymlinkHandling) -> None:
    left, right = tmp_path / "L", tmp_path / "R"
    _tree(left, "left")
    _tree(right, "right side")
    flt = PathFilter.from_lists(["/src/", "/data/", "/data_link/", "*.py"], ["*/.git"])  # "results": inactive
    roots = [str(left), str(right)]
    errors: list[list[ScanError]] = [[], []]
    forked = scan_sides(roots, flt, symlinks, errors)
    errors_alone: list[list[ScanError]] = [[], []]
    alone = [scan_sides([root], flt, symlinks, [errs])[0] for root, errs in zip(roots, errors_alone, strict=True)]
    assert [_dump(t) for t in forked] == [_dump(t) for t in alone]
    assert errors == errors_alone
    top = forked[1]
    assert (list(top.files), list(top.links)) == {SymlinkHandling.DIRECT: ([], ["link.py"]),
                                                  SymlinkHandling.FOLLOW: (["link.py"], []),
                                                  SymlinkHandling.EXCLUDE: ([], [])}[symlinks]
    followed = ["data_link"] if symlinks is SymlinkHandling.FOLLOW else []
    assert sorted(top.folders) == sorted(["data", "empty", "results", "src", *followed])
    assert (top.folders["results"].active, top.folders["src"].active) == (False, True)
    assert top.folders["data"].folders["deep"].folders["er"].files["b.bin"][:2] == (10, T0 + 2)
    assert top.folders["src"].folders["ünï"].files["Café.txt"][:2] == (1, T0 + 7)
    dangling = [ScanError("dangling", "No such file or directory")]
    assert errors == ([dangling, dangling] if symlinks is SymlinkHandling.FOLLOW else [[], []])


@pytest.mark.parametrize(("argv", "expected"), [
    (["job.ffs_batch", "--format", "json"], (Path("job.ffs_batch"), None, None)),
    (["-f", "json", "job.ffs_batch", "--pair", "2", "--ffs-version=14.10", "--all"],
     (Path("job.ffs_batch"), 2, "14.10")),
    (["--format=json", "--pair=01", "j"], (Path("j"), 1, None)),
    (["job.ffs_batch"], None),  # text format: typer
    (["job.ffs_batch", "--format", "text"], None),
    (["job.ffs_batch", "--format", "json", "--help"], None),
    (["job.ffs_batch", "--format", "json", "--format", "json"], None),  # repeated: typer's rules
    (["job.ffs_batch", "--format", "json", "--pair", "0"], None),
    (["job.ffs_batch", "--format", "json", "--pair", "two"], None),
    (["job.ffs_batch", "--format", "json", "--pair"], None),
    (["job.ffs_batch", "--format", "json", "--pair", "-1"], None),
    (["a", "b", "--format", "json"], None),
    (["--format", "json"], None),
    (["-f=json", "j"], None),
    (["job.ffs_batch", "--format", "json", "--", "x"], None),
    (["job.ffs_batch", "--format", "json", "--unknown"], None),
])
def test_only_plain_json_arguments_skip_typer(argv: list[str], expected: object) -> None:
    assert simple_json_args(argv) == expected


def test_json_without_typer_prints_what_typer_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(tmp_path / "L", "src/train.py", "print()", T0)
    put(tmp_path / "R", "src/train.py", "print('changed')", T0 + 100)
    put(tmp_path / "R", "results/run3/metrics.json", "{}", T0)
    job = write_job(tmp_path, "Mirror")
    fast = main(["plan", str(job), "--format", "json"]), capsys.readouterr()
    typer_path = main(["plan", str(job), "--format", "json", "--format", "json"]), capsys.readouterr()
    assert fast == typer_path
    assert fast[0] == 1  # the mirror deletes and overwrites on the right
    assert fast[1].err == ""
    ops = [(a["op"], a["path"]) for a in json.loads(fast[1].out)["pairs"][0]["actions"]]
    assert ops == [("delete-right", "results/run3/metrics.json"), ("delete-right", "results/run3/"),
                   ("delete-right", "results/"), ("update-right", "src/train.py")]
    bad = main(["plan", str(tmp_path / "none.ffs_batch"), "--format", "json"]), capsys.readouterr()
    assert (bad[0], bad[1].out, bad[1].err) == (2, "", f"error: {tmp_path / 'none.ffs_batch'}: no such file\n")
