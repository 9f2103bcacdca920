"""``ffs-tools plan`` through the CLI: the JSON contract, exit codes, bad input, our own warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plan_harness import T0, put, write_job

from ffs_tools.cli import main
from ffs_tools.plan.compare import pair_names, parse_shifts, same_time


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract_and_exit_code_for_a_first_two_way_run(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    put(tmp_path / "L", "src/train.py", "print()", T0)
    put(tmp_path / "R", "results/run3/metrics.json", "{}", T0)
    job = write_job(tmp_path, "TwoWay")
    code, out, _ = _run(capsys, str(job), "--format", "json")
    assert code == 0  # creations only: nothing dangerous
    data = json.loads(out)
    assert (data["version"], data["stops"], data["stop_reason"]) == (1, False, None)
    assert (data["ffs_version"], data["aborts"]) == ("12", False)
    pair = data["pairs"][0]
    assert (pair["index"], pair["left"], pair["right"]) == (1, str(tmp_path / "L"), str(tmp_path / "R"))
    assert pair["actions"] == [
        {"op": "create-left", "path": "results/", "kind": "folder", "size": 0},
        {"op": "create-left", "path": "results/run3/", "kind": "folder", "size": 0},
        {"op": "create-left", "path": "results/run3/metrics.json", "kind": "file", "size": 2},
        {"op": "create-right", "path": "src/", "kind": "folder", "size": 0},
        {"op": "create-right", "path": "src/train.py", "kind": "file", "size": 7},
    ]
    assert pair["conflicts"] == []
    assert [w["code"] for w in pair["warnings"]] == ["first-run"]


def test_text_output_lists_deletions_first_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(tmp_path / "L", "a.txt", "a", T0)
    put(tmp_path / "R", "old.txt", "only on the GPU", T0)
    job = write_job(tmp_path, "Mirror")
    code, out, _ = _run(capsys, str(job))
    assert code == 1
    assert out.splitlines() == [
        "plan for FreeFileSync 12",
        f"pair 1: {tmp_path / 'L'} <-> {tmp_path / 'R'}",
        "  create-right        1 item(s)  1 B",
        "  delete-right        1 item(s)",
        "  deletions and overwrites:",
        "    delete-right  old.txt  (data only on this side)",
        "  warning [deletes-gpu-only]: old.txt exists only on the GPU side and would be deleted",
    ]


def test_a_gpu_environment_that_would_travel_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(tmp_path / "L", "train.py", "x", T0)
    put(tmp_path / "R", "myenv/pyvenv.cfg", "home = /usr", T0)
    put(tmp_path / "R", "myenv/bin/python", "elf", T0)
    put(tmp_path / "R", "tools/conda1/conda-meta/history", "", T0)
    job = write_job(tmp_path, "TwoWay")
    code, out, _ = _run(capsys, str(job), "--format", "json")
    warnings = json.loads(out)["pairs"][0]["warnings"]
    assert [(w["code"], w.get("path")) for w in warnings] == [
        ("first-run", None), ("gpu-env-travels", "myenv/"), ("gpu-env-travels", "tools/conda1/")]
    assert code == 0


def test_ftp_side_is_not_plannable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = write_job(tmp_path, "TwoWay")
    job.write_text(job.read_text().replace(f"<Right>{tmp_path / 'R'}</Right>", "<Right>ftp://gpu/home/me</Right>"))
    code, out, err = _run(capsys, str(job))
    assert (code, out) == (2, "")
    assert err == "error: pair 1: the right folder 'ftp://gpu/home/me' is ftp: not plannable here (ffs-tools " \
                  "plans local, mounted and sftp:// folders)\n"


@pytest.mark.parametrize(("right", "message"), [
    ("sftp://me:s3cret@gpu/home/me|keyfile=/k", "the phrase contains a password (user:password@host); ffs-tools "
     "never uses a stored password: log in with |keyfile=PATH or |agent"),
    ("sftp://me@gpu/home/me|pass64=czNjcmV0", "the phrase contains pass64= (a base64-encoded password); ffs-tools "
     "never uses a stored password: log in with |keyfile=PATH or |agent"),
    ("sftp://me@gpu/home/me", "no |keyfile=PATH or |agent: FreeFileSync would log in with an empty password; "
     "ffs-tools logs in with a key only"),
])
def test_an_sftp_side_with_a_password_or_no_key_is_refused_before_logging_in(
        right: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = write_job(tmp_path, "TwoWay")
    job.write_text(job.read_text().replace(f"<Right>{tmp_path / 'R'}</Right>", f"<Right>{right}</Right>"))
    code, out, err = _run(capsys, str(job))
    assert (code, out) == (2, "")
    assert err == f"error: sftp://me@gpu/home/me: {message}\n"
    assert "s3cret" not in err
    assert "czNjcmV0" not in err


def test_bad_options_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    job = write_job(tmp_path, "TwoWay")
    assert _run(capsys, str(job), "--ffs-version", "13")[2] == "error: --ffs-version: expected 12 or 14, got '13'\n"
    assert _run(capsys, str(job), "--pair", "2")[2] == f"error: {job}: --pair 2: the config has 1 pair(s)\n"
    broken = tmp_path / "broken.ffs_batch"
    broken.write_text("<?xml version='1.0'?><FreeFileSync")
    code, _, err = _run(capsys, str(broken))
    assert code == 2
    assert err.startswith(f"error: {broken}:1:")
    assert "\n" not in err[:-1]


def test_nothing_is_written_to_the_synced_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(tmp_path / "L", "a.txt", "a", T0)
    put(tmp_path / "R", "b.txt", "b", T0)
    job = write_job(tmp_path, "TwoWay")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    _run(capsys, str(job), "--format", "json")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_pairing_time_tolerance_and_time_shifts() -> None:
    assert pair_names(["Dup.txt", "dup.txt"], [], "12") == [("Dup.txt", None, False), ("dup.txt", None, False)]
    assert pair_names(["A.txt"], ["a.TXT"], "12") == [("A.txt", "a.TXT", False)]
    assert pair_names(["a.txt "], ["a.txt"], "12") == [("a.txt ", None, False), (None, "a.txt", False)]
    assert pair_names(["a.txt "], ["a.txt"], "14") == [("a.txt ", "a.txt", False)]
    nfc, nfd = "r\u00e9sum\u00e9", "re\u0301sume\u0301"
    assert pair_names([nfc, nfd], [], "12") == [(nfc, None, True), (nfd, None, True)]
    assert (same_time(T0, T0 + 2, 2, ()), same_time(T0, T0 + 3, 2, ())) == (True, False)
    assert parse_shifts("1, -2:30;0") == (60, 150)
    assert [same_time(T0, T0 + d, 2, (60,)) for d in (3600, 3602, -3602, 3603)] == [True, True, True, False]
