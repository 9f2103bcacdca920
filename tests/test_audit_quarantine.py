"""--quarantine and --restore: nothing deleted, the tree given back exactly, crashes survivable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from auditcli import REPO, audit_cli
from treebuilder import FIXTURES, build, parse, snapshot, unlock

from ffs_tools.audit.quarantine import MANIFEST_NAME, Manifest, quarantine
from ffs_tools.audit.restore import restore
from ffs_tools.audit.run import audit, quarantine_targets

TREES = FIXTURES / "trees"


def _tree(tmp_path: Path, name: str) -> Path:
    tree = tmp_path / "tree"
    unlock(build(parse(TREES / f"{name}.tree"), tree))  # readable everywhere: snapshots look at everything
    return tree


@pytest.mark.slow
@pytest.mark.parametrize("name", ["stray_git", "envs", "hostile", "leftovers", "caches"])
def test_quarantine_all_then_restore_gives_back_the_identical_tree(name: str, tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, name), tmp_path / "q"
    before = snapshot(tree)
    run = audit_cli(".", "--format", "json", "--quarantine", str(q), "--all", cwd=tree)
    assert run.returncode in (0, 1), run.stderr
    found = run.findings()
    manifest = json.loads((q / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["items"]
    assert {i["state"] for i in manifest["items"]} == {"moved"}
    for item in Manifest.load(str(q)).items:
        assert not os.path.lexists(os.path.join(tree, item.rel))
        assert os.path.lexists(os.path.join(q, item.rel))
    again = audit_cli(".", "--format", "json", cwd=tree)
    assert again.findings() == [], "everything found was moved aside"
    assert len(found) >= len(manifest["items"])
    back = audit_cli("--restore", str(q / MANIFEST_NAME), cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert snapshot(tree) == before
    assert os.listdir(q) == [MANIFEST_NAME]
    assert audit_cli(".", "--format", "json", cwd=tree).findings() == found


def test_non_utf8_names_are_kept_exactly_in_the_manifest(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "hostile"), tmp_path / "q"
    audit_cli(".", "--quarantine", str(q), cwd=tree)
    items = json.loads((q / MANIFEST_NAME).read_text(encoding="utf-8"))["items"]
    rels = {i["rel"]["text"]: i["rel"].get("hex") for i in items}
    assert rels == {"caf\\xe9/.git": b"caf\xe9/.git".hex(), "back\\slash/.git": None, "secret/.git": None}
    assert os.path.isdir(os.path.join(os.fsencode(q), b"caf\xe9", b".git"))


def test_default_quarantine_moves_only_git(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "envs"), tmp_path / "q"
    run = audit_cli(".", "--format", "concise", "--quarantine", str(q), cwd=tree)
    assert run.returncode == 1
    assert [i.rel for i in Manifest.load(str(q)).items] == [".venv/src/mypkg/.git"]
    assert (tree / ".venv" / "pyvenv.cfg").exists()
    assert f"moved {tree}/.venv/src/mypkg/.git -> {q}/.venv/src/mypkg/.git" in run.stderr


def test_dry_run_moves_nothing(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    before = snapshot(tree)
    run = audit_cli(".", "--format", "concise", "--quarantine", str(q), "--dry-run", cwd=tree)
    assert run.returncode == 1
    assert snapshot(tree) == before
    assert not q.exists()
    assert f"would move {tree}/proj/.git -> {q}/proj/.git" in run.stderr.splitlines()
    assert run.stderr.count("would move") == 7


@pytest.mark.parametrize("where", ["inside", "itself", "parent"])
def test_a_quarantine_folder_inside_the_tree_is_refused(where: str, tmp_path: Path) -> None:
    tree = _tree(tmp_path, "stray_git")
    q = {"inside": tree / "sub" / "q", "itself": tree, "parent": tmp_path}[where]
    before = snapshot(tree)
    run = audit_cli(".", "--quarantine", str(q), cwd=tree)
    assert run.returncode == 2
    assert "--quarantine: DIR must lie outside the audited folder" in run.stderr
    assert run.stdout == ""
    assert snapshot(tree) == before


def test_restore_refuses_to_overwrite_what_is_back_at_the_original_place(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    audit_cli(".", "--quarantine", str(q), cwd=tree)
    (tree / "proj" / ".git").mkdir()
    (tree / "proj" / ".git" / "new").write_text("made after the quarantine")
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert (f"error: not restored: {tree}/proj/.git exists again at its original place; the quarantined item "
            f"stays in {q}/proj/.git") in run.stderr
    assert (tree / "proj" / ".git" / "new").read_text() == "made after the quarantine"
    assert (q / "proj" / ".git" / "HEAD").exists()
    assert (tree / "wt" / ".git").exists()
    states = {i.rel: i.state for i in Manifest.load(str(q)).items}
    assert states.pop("proj/.git") == "moved"
    assert set(states.values()) == {"restored"}
    shutil.rmtree(tree / "proj" / ".git")
    assert audit_cli("--restore", str(q), cwd=tmp_path).returncode == 0
    assert (tree / "proj" / ".git" / "HEAD").read_text() == "ref: refs/heads/dev\n"


def test_quarantine_never_overwrites_inside_the_quarantine_folder(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    (q / "proj" / ".git").mkdir(parents=True)
    run = audit_cli(".", "--quarantine", str(q), cwd=tree)
    assert run.returncode == 2
    assert f"error: not moved: {q}/proj/.git already exists in the quarantine folder" in run.stderr
    assert (tree / "proj" / ".git" / "HEAD").exists()
    assert "proj/.git" not in {i.rel for i in Manifest.load(str(q)).items}


def test_a_quarantine_folder_of_another_tree_is_refused(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    other = tmp_path / "other"
    (other / "x" / ".git").mkdir(parents=True)
    assert audit_cli(".", "--quarantine", str(q), cwd=other).returncode == 1
    run = audit_cli(".", "--quarantine", str(q), cwd=tree)
    assert run.returncode == 2
    assert "DIR already holds items of another tree" in run.stderr


def test_nothing_to_quarantine(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "clean"), tmp_path / "q"
    run = audit_cli(".", "--quarantine", str(q), cwd=tree)
    assert (run.returncode, run.stderr) == (0, "nothing to quarantine\n")
    assert not q.exists()


def _ignore(line: str) -> None:
    """Where the tests that look at the disk, not the messages, send quarantine's lines."""


def test_the_copy_way_across_file_systems_keeps_modes_and_times(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "envs"), tmp_path / "q"
    (tree / "envs" / "mac" / "bin").chmod(0o550)
    os.utime(tree / "envs" / "mac" / "bin", ns=(1_000_000_000, 1_234_567_890_123_456_789))
    before = snapshot(tree)
    result = audit(str(tree))
    targets = quarantine_targets(result.hits, everything=True)
    lines: list[str] = []
    assert quarantine(result.root_real, str(q), targets, False, lines.append, copy=True) == 0
    assert snapshot(q / "envs" / "mac") == list(_below(before, b"envs/mac"))
    assert not any(n.endswith(".ffs-partial") for n in os.listdir(q / "envs"))
    assert restore(str(q), lines.append) == 0
    assert snapshot(tree) == before


def _below(snap: list[tuple[bytes, str, int, int, str]], prefix: bytes) -> list[tuple[bytes, str, int, int, str]]:
    out = []
    for rel, *rest in snap:
        if rel == prefix:
            out.append((b"", *rest))
        elif rel.startswith(prefix + b"/"):
            out.append((rel[len(prefix) + 1:], *rest))
    return out  # type: ignore[return-value]


def _set_state(q: Path, rel: str, state: str) -> None:
    manifest = Manifest.load(str(q))
    for item in manifest.items:
        if item.rel == rel:
            item.state, item.parent_after = state, None
    manifest.save()


def test_restore_after_a_crash_between_intent_and_move(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    before = snapshot(tree)
    audit_cli(".", "--quarantine", str(q), cwd=tree)
    # crash right after the intent was written: the item never moved
    restore_order = ["proj/.git", "odd/.git"]
    for rel in restore_order:
        os.rename(q / rel, tree / rel)
        _set_state(q, rel, "pending")
    # crash right after the rename, before the manifest said "moved"
    _set_state(q, "wt/.git", "pending")
    lines: list[str] = []
    assert restore(str(q / MANIFEST_NAME), lines.append) == 0
    assert f"note: {tree}/proj/.git is in place already" in lines
    assert f"restored {tree}/wt/.git" in lines
    assert [e[:3] + e[4:] for e in snapshot(tree)] == [e[:3] + e[4:] for e in before]  # times of parents aside


def test_restore_after_a_crash_while_removing_the_original_of_a_copy(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    before = snapshot(tree)
    result = audit(str(tree))
    targets = [h for h in quarantine_targets(result.hits, False) if h.rel == "deep/a/b/c/repo/.git"]
    assert quarantine(result.root_real, str(q), targets, False, _ignore, copy=True) == 0
    # what an interrupted removal leaves: part of the original, times and all
    remnant = tree / "deep/a/b/c/repo/.git"
    remnant.mkdir()
    shutil.copy2(q / "deep/a/b/c/repo/.git/HEAD", remnant / "HEAD")
    shutil.copystat(q / "deep/a/b/c/repo/.git", remnant)
    os.utime(remnant.parent, ns=(0, next(e[3] for e in before if e[0] == b"deep/a/b/c/repo")))
    _set_state(q, "deep/a/b/c/repo/.git", "copied")
    assert restore(str(q), _ignore) == 0
    assert snapshot(tree) == before


def test_restore_keeps_both_when_the_remnant_of_a_copy_was_changed(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    result = audit(str(tree))
    targets = [h for h in quarantine_targets(result.hits, False) if h.rel == "proj/.git"]
    quarantine(result.root_real, str(q), targets, False, _ignore, copy=True)
    (tree / "proj/.git").mkdir()
    (tree / "proj/.git/HEAD").write_text("changed since")
    _set_state(q, "proj/.git", "copied")
    lines: list[str] = []
    assert restore(str(q), lines.append) == 1
    assert (f"error: not restored entirely: {tree}/proj/.git: 1 entr(y/ies) differ from what is in place now "
            "(first: HEAD); both versions are kept, the quarantined one in the quarantine folder") in lines
    assert sorted(os.listdir(tree / "proj/.git")) == ["HEAD", "config"]  # the rest merged back
    assert os.listdir(q / "proj/.git") == ["HEAD"]
    assert (tree / "proj/.git/HEAD").read_text() == "changed since"
    assert (q / "proj/.git/HEAD").read_text() == "ref: refs/heads/dev\n"


_IN_NAMESPACE = """
import json, os, subprocess, sys
tree, mnt = sys.argv[1], sys.argv[2]
q = os.path.join(mnt, "q")
cli = [sys.executable, "-m", "ffs_tools", "audit-gpu"]
out = {"devices": [os.stat(tree).st_dev, os.stat(mnt).st_dev]}
out["quarantine"] = subprocess.run(cli + [".", "--quarantine", q, "--all"], cwd=tree).returncode
with open(os.path.join(q, "ffs-quarantine.json")) as fh:
    out["states"] = sorted({i["state"] for i in json.load(fh)["items"]})
out["in_q"] = sorted(os.listdir(q))
out["restore"] = subprocess.run(cli + ["--restore", q]).returncode
print(json.dumps(out))
"""


def test_a_real_move_across_file_systems(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare(1) to mount a private tmpfs; the copy way itself is covered by "
                    "test_the_copy_way_across_file_systems_keeps_modes_and_times")
    tree, mnt = _tree(tmp_path, "envs"), tmp_path / "mnt"
    mnt.mkdir()
    before = snapshot(tree)
    script = f"mount -t tmpfs none {mnt} && exec {sys.executable} -c \"$0\" {tree} {mnt}"
    proc = subprocess.run([unshare, "-m", "sh", "-c", script, _IN_NAMESPACE], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=tmp_path, check=False)
    if proc.returncode != 0 and "mount" in proc.stderr and not proc.stdout:
        pytest.skip(f"cannot mount a tmpfs in a private namespace here: {proc.stderr.strip()}")
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["devices"][0] != out["devices"][1]
    assert (out["quarantine"], out["states"], out["restore"]) == (1, ["moved"], 0)
    assert out["in_q"] == [".venv", "conda", "envs", "ffs-quarantine.json", "tools"]
    assert snapshot(tree) == before


def test_restore_through_a_linked_folder_but_never_a_linked_manifest(tmp_path: Path) -> None:
    tree, q = _tree(tmp_path, "stray_git"), tmp_path / "q"
    before = snapshot(tree)
    audit_cli(".", "--quarantine", str(q), cwd=tree)
    (tmp_path / "elsewhere").mkdir()
    os.rename(q / MANIFEST_NAME, tmp_path / "elsewhere" / MANIFEST_NAME)
    os.symlink(tmp_path / "elsewhere" / MANIFEST_NAME, q / MANIFEST_NAME)
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == (f"error: {q}/{MANIFEST_NAME}: --restore: the manifest is a symbolic link; refusing to "
                          "follow it (give the real one)\n")
    os.unlink(q / MANIFEST_NAME)
    os.rename(tmp_path / "elsewhere" / MANIFEST_NAME, q / MANIFEST_NAME)
    os.symlink(q, tmp_path / "q-link")
    run = audit_cli("--restore", str(tmp_path / "q-link"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert snapshot(tree) == before
