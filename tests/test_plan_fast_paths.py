"""``ffs-tools plan CONFIG --format json`` without typer (``_plan_fast``) gives what the typer path gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plan_harness import T0, put, write_job

from ffs_tools.cli import main
from ffs_tools.commands._plan_fast import simple_json_args


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
