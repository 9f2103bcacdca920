"""Issue 9 item 7: generate's manifest, stale files after a policy change, and ``--prune``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from generate_helpers import run_cli, snapshot

from ffs_tools.generate.plan import MANIFEST

ONE = '[gpu]\npath = "{g}/a"\n'
TWO = '[[gpu]]\nname = "a100"\npath = "{g}/a"\n[[gpu]]\nname = "h100"\npath = "{g}/h"\n'
SET = ("p.ffs_gui", "p.ffs_batch", "p.ffs_real")


def project(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "p"
    root.mkdir(exist_ok=True)
    for sub in ("a", "h"):
        (tmp_path / "gpu" / sub).mkdir(parents=True, exist_ok=True)
    (root / "ffs-policy.toml").write_text(text.format(g=tmp_path / "gpu"), encoding="utf-8")
    return root


def stale_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": stale" in line]


def test_the_manifest_lists_every_file_written_with_its_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, ONE)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0, err
    names = [*SET, "FREEFILESYNC_EXCLUSIONS.txt"]
    expected = {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in names}
    assert json.loads((root / MANIFEST).read_text(encoding="utf-8")) == {"ffs-tools-manifest": expected}
    assert f"{root / MANIFEST}" not in err  # written with the files, without a line of its own
    assert run_cli(["generate", "--check"], root, monkeypatch, capsys)[0] == 0
    (root / MANIFEST).unlink()  # e.g. files from an ffs-tools before the manifest: --check asks for one run
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert (code, err.splitlines()[-1]) == (1, f"{root / MANIFEST}: would be created")


def test_after_switching_to_several_gpus_the_old_files_are_stale_until_pruned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, ONE)
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    old = {name: (root / name).read_bytes() for name in SET}
    project(tmp_path, TWO)
    expected = [f"{root / 'p.ffs_batch'}: stale: the policy no longer generates it; ffs-tools generate --prune "
                "moves it to .ffs-tools-pruned/",
                f"{root / 'p.ffs_gui'}: stale: the policy no longer generates it; ffs-tools generate --prune "
                "moves it to .ffs-tools-pruned/",
                f"{root / 'p.ffs_real'}: stale: the policy no longer generates it (stop the RealTimeSync that may "
                "still run it); ffs-tools generate --prune moves it to .ffs-tools-pruned/"]
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)
    assert (code, stale_lines(err)) == (1, expected)
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert (code, stale_lines(err)) == (0, expected)
    assert {name: (root / name).read_bytes() for name in SET} == old  # reported, not touched
    code, _, err = run_cli(["generate", "--check"], root, monkeypatch, capsys)  # the new files are written ...
    assert (code, stale_lines(err)) == (1, expected)  # ... but the stale ones keep the hook failing
    code, _, err = run_cli(["generate", "--prune"], root, monkeypatch, capsys)
    assert code == 0, err
    pruned = list((root / ".ffs-tools-pruned").iterdir())
    assert len(pruned) == 1
    assert stale_lines(err) == [f"{root / name}: stale: moved to {pruned[0] / name}"
                                for name in ("p.ffs_batch", "p.ffs_gui", "p.ffs_real")]
    assert {p.name: p.read_bytes() for p in pruned[0].iterdir()} == old  # moved, every byte kept
    assert not any((root / name).exists() for name in SET)
    assert run_cli(["generate", "--check"], root, monkeypatch, capsys)[0] == 0
    entries = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["ffs-tools-manifest"]
    assert sorted(entries) == ["FREEFILESYNC_EXCLUSIONS.txt", "p-a100.ffs_batch", "p-a100.ffs_gui",
                               "p-a100.ffs_real", "p-h100.ffs_batch", "p-h100.ffs_gui", "p-h100.ffs_real"]


def test_prune_never_moves_a_hand_edited_file_nor_one_it_did_not_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, ONE)
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    (root / "mine.ffs_batch").write_text("<?xml version='1.0'?><FreeFileSync/>\n", encoding="utf-8")  # not ours
    project(tmp_path, TWO)
    with (root / "p.ffs_real").open("a", encoding="utf-8") as handle:
        handle.write("<!-- my change -->\n")
    before = snapshot(root)
    code, _, err = run_cli(["generate", "--prune"], root, monkeypatch, capsys)
    assert code == 2
    assert err.splitlines()[-1] == (f"error: {root}: p.ffs_real: stale but changed since ffs-tools wrote it (or not "
                                    "a regular file): --prune never moves such a file; move it away or delete it "
                                    "yourself, then run again; nothing was written")
    assert snapshot(root) == before
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0
    assert stale_lines(err)[2] == (f"{root / 'p.ffs_real'}: stale: the policy no longer generates it, and it was "
                                   "changed since ffs-tools wrote it: --prune leaves it; move it away or delete it "
                                   "yourself")
    (root / "p.ffs_real").unlink()  # the user deals with it; then --prune moves the other two
    code, _, err = run_cli(["generate", "--prune"], root, monkeypatch, capsys)
    assert code == 0, err
    assert len(stale_lines(err)) == 2
    assert (root / "mine.ffs_batch").read_text(encoding="utf-8") == "<?xml version='1.0'?><FreeFileSync/>\n"
    assert run_cli(["generate", "--check"], root, monkeypatch, capsys)[0] == 0


def test_a_manifest_that_is_not_ours_is_ignored_and_names_nothing_to_prune(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, ONE)
    policy = (root / "ffs-policy.toml").read_bytes()
    (tmp_path / "x.ffs_batch").write_text("mine\n", encoding="utf-8")
    (root / MANIFEST).write_text(json.dumps({"ffs-tools-manifest": {
        "ffs-policy.toml": hashlib.sha256(policy).hexdigest(),  # the hash matches, but generate never writes it
        "../x.ffs_batch": hashlib.sha256(b"mine\n").hexdigest()}}), encoding="utf-8")  # not in the folder
    code, _, err = run_cli(["generate", "--prune"], root, monkeypatch, capsys)
    assert code == 0, err
    assert stale_lines(err) == []
    assert (root / "ffs-policy.toml").read_bytes() == policy
    assert (tmp_path / "x.ffs_batch").read_text(encoding="utf-8") == "mine\n"
    # a broken manifest is reported and replaced
    (root / MANIFEST).write_text("{not json", encoding="utf-8")
    code, _, err = run_cli(["generate"], root, monkeypatch, capsys)
    assert code == 0
    assert (f"{root / MANIFEST}: not a manifest ffs-tools can read: ignored (stale files are not looked for; "
            "generate writes a new one)") in err.splitlines()
    assert json.loads((root / MANIFEST).read_text(encoding="utf-8"))["ffs-tools-manifest"].keys() == {
        *SET, "FREEFILESYNC_EXCLUSIONS.txt"}


def test_lint_policy_names_a_stale_file_and_the_prune_that_moves_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, ONE)
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    project(tmp_path, TWO)
    assert run_cli(["generate"], root, monkeypatch, capsys)[0] == 0
    code, out, _ = run_cli(["lint", "--policy", "ffs-policy.toml", "--select", "FFS501", "p.ffs_batch"], root,
                           monkeypatch, capsys)
    assert code == 1
    assert out.splitlines()[:2] == [
        f"p.ffs_batch:2:1: FFS501 [error] stale: generated by ffs-tools, but the policy "
        f"({root / 'ffs-policy.toml'}) no longer generates this file",
        "    hint: `ffs-tools generate --prune` moves it aside (then git rm it), or restore the policy entry that "
        "generated it"]
