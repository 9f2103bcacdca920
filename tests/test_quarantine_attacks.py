"""Issue 14, items 1-5: the attacks on quarantine and restore, run as they were, each answered.

These tests use only what main already had (the command, ``quarantine``/``restore``, the manifest
class), so each one can be run against main's modules: every one fails there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from auditcli import REPO, audit_cli
from quarantinehelp import mount_tmpfs, tree
from treebuilder import snapshot

from ffs_tools.audit.quarantine import MANIFEST_NAME, Manifest, quarantine
from ffs_tools.audit.restore import restore
from ffs_tools.audit.run import audit, quarantine_targets

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def other_fs(tmp_path: Path) -> Iterator[Path]:
    yield from mount_tmpfs(tmp_path / "mnt")


def _edit(q: Path, change: dict[str, object] | None = None, add: list[dict[str, object]] | None = None) -> None:
    path = q / MANIFEST_NAME
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.update(change or {})
    doc["items"] += add or []
    path.write_text(json.dumps(doc), encoding="utf-8")


def _record(rel: str, state: str = "moved") -> dict[str, object]:
    return {"rel": {"text": rel}, "code": "FFS701", "kind": "dir", "state": state}


# -- 1. across file systems, what was written after the copy is never deleted ---------------------


@pytest.mark.parametrize("when", ["copied", "verified"])
def test_a_file_written_into_git_after_the_copy_is_never_deleted(when: str, tmp_path: Path, other_fs: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root, q = tree(tmp_path / "tree"), other_fs / "q"
    git = root / "proj" / ".git"
    injected: list[str] = []

    def strike(self: Manifest) -> None:  # the writer strikes right after the state `when` is recorded
        if not injected and any(i.rel == "proj/.git" and i.state == when for i in self.items):
            (git / "NEW").write_bytes(b"written after the copy")
            with open(git / "HEAD", "ab") as fh:
                fh.write(b"more")
            injected.append(when)

    def then_strike(real: Callable[..., None]) -> Callable[..., None]:
        def record(self: Manifest, *args: object) -> None:
            real(self, *args)
            strike(self)
        return record

    for name in ("save", "note"):  # main records with save(), this branch with note(item)
        if hasattr(Manifest, name):
            monkeypatch.setattr(Manifest, name, then_strike(getattr(Manifest, name)))
    result = audit(str(root))
    targets = [h for h in quarantine_targets(result.hits, False) if h.rel == "proj/.git"]
    lines: list[str] = []
    assert quarantine(result.root_real, str(q), targets, False, lines.append) == 1
    assert injected == [when]
    assert (git / "NEW").read_bytes() == b"written after the copy"
    assert (git / "HEAD").read_bytes() == b"ref: refs/heads/dev\nmore"
    if when == "copied":  # the check before any removal sees the change: nothing is removed
        assert lines[0] == f"error: not moved: {git}: it changed while it was copied; left in place, run again"
        assert sorted(os.listdir(git)) == ["HEAD", "NEW", "config"]
        assert os.listdir(q) == [MANIFEST_NAME]
        return
    assert lines[0] == (f"error: partly moved: {git}: 2 entr(y/ies) changed after the copy stayed in place "
                        "(first: HEAD); the complete copy is in the quarantine folder, --restore merges the two")
    assert sorted(os.listdir(git)) == ["HEAD", "NEW"]
    assert (q / "proj/.git/config").read_text() == "[core]\n\tbare = false\n"
    assert restore(str(q), lines.append) == 1  # config comes back; both versions of HEAD are kept
    assert sorted(os.listdir(git)) == ["HEAD", "NEW", "config"]
    assert (q / "proj/.git/HEAD").read_text() == "ref: refs/heads/dev\n"


# -- 2. restore trusts nothing in the manifest -------------------------------------------------------


def test_restore_refuses_a_manifest_whose_root_points_elsewhere(tmp_path: Path) -> None:
    root, q, victim = tree(tmp_path / "tree"), tmp_path / "q", tmp_path / "victim"
    (victim / "proj").mkdir(parents=True)
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    _edit(q, {"root": {"text": str(victim)}})
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"error: {q}/{MANIFEST_NAME}: --restore: {victim} is not the folder this manifest was "
                          "made for (another folder is at that path now)\n")
    assert os.listdir(victim) == ["proj"]
    assert os.listdir(victim / "proj") == []
    assert (q / "proj/.git/HEAD").exists()


def test_restore_refuses_items_that_leave_the_tree_or_the_quarantine_folder(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "qs" / "q"
    loot = tmp_path / "loot"
    loot.write_text("outside the quarantine folder")
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    _edit(q, add=[_record("../../loot"), _record(str(loot)), _record("proj/\x00x")])
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines()[:3] == [
        "error: not restored: a manifest item is refused: rel '../../loot': has an empty, '.' or '..' part",
        f"error: not restored: a manifest item is refused: rel '{loot}': an absolute path",
        "error: not restored: a manifest item is refused: rel 'proj/\\x00x': contains a NUL character"]
    assert run.stderr.splitlines()[-1] == "7 of 7 item(s) restored, 3 problem(s)"
    assert loot.read_text() == "outside the quarantine folder"
    assert not (tmp_path.parent / "loot").exists()
    assert (root / "proj/.git/HEAD").exists()


def test_restore_never_replaces_an_existing_folder(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    for base, data in ((root, b"A" * 10), (q, b"B" * 10)):  # same size and time, other content
        (base / "data").mkdir()
        (base / "data" / "model.pt").write_bytes(data)
        os.utime(base / "data" / "model.pt", ns=(0, 1_600_000_000_000_000_000))
    _edit(q, add=[_record("data", "copied")])
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert (f"error: not restored entirely: {root}/data: 1 entr(y/ies) differ from what is in place now (first: "
            "model.pt); both versions are kept, the quarantined one in the quarantine folder") in run.stderr
    assert (root / "data" / "model.pt").read_bytes() == b"A" * 10
    assert (q / "data" / "model.pt").read_bytes() == b"B" * 10


def test_restore_refuses_a_manifest_another_user_can_write(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to run the attacker as another user")
    shared = Path(tempfile.mkdtemp(dir="/tmp"))  # pytest's folders are private: the attacker must reach DIR
    request.addfinalizer(lambda: shutil.rmtree(shared))
    shared.chmod(0o755)
    root, q, victim = tree(shared / "tree"), shared / "q", shared / "victim"
    victim.mkdir()
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    q.chmod(0o777)  # the user's mistake: DIR and manifest open to everyone
    (q / MANIFEST_NAME).chmod(0o666)
    st = victim.stat()
    attack = ("import json, sys; p = sys.argv[1]; d = json.load(open(p)); "
              "d['root'] = {'text': sys.argv[2]}; d['root_id'] = [int(sys.argv[3]), int(sys.argv[4])]; "
              "open(p, 'w').write(json.dumps(d))")
    subprocess.run([*NOBODY, sys.executable, "-c", attack, str(q / MANIFEST_NAME), str(victim), str(st.st_dev),
                    str(st.st_ino)], check=True)
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == (f"error: {q}: --restore: the quarantine folder can be written by another user (owner uid "
                          "0, mode 777); refusing to trust it: check its content, then make it yours and not "
                          "writable by group or others\n")
    assert os.listdir(victim) == []
    q.chmod(0o700)
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert "--restore: the manifest can be written by another user (owner uid 0, mode 666)" in run.stderr
    assert os.listdir(victim) == []


def test_restore_never_follows_a_parent_replaced_by_a_symlink(tmp_path: Path) -> None:
    root, q, elsewhere = tree(tmp_path / "tree"), tmp_path / "q", tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    os.rename(root / "proj", tmp_path / "proj-moved")
    os.symlink(elsewhere, root / "proj")
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert (f"error: not restored: {root}/proj/.git: a parent folder is a symbolic link or not a folder (never "
            "followed)") in run.stderr.splitlines()
    assert os.listdir(elsewhere) == []
    assert (q / "proj/.git/HEAD").read_text() == "ref: refs/heads/dev\n"
    assert (root / "wt" / ".git").is_file()
    assert (root / "deep/a/b/c/repo/.git/HEAD").is_file()


# -- 3. two quarantines into one DIR at once lose no record; restore names what it does not know ----


def _many(root: Path, n: int) -> Path:
    for i in range(n):
        (root / f"x{i:03d}" / ".git").mkdir(parents=True)
        (root / f"x{i:03d}" / ".git" / "HEAD").write_text(f"ref: refs/heads/b{i}\n")
        (root / f"y{i:03d}").mkdir()
        (root / f"y{i:03d}" / ".git").write_text(f"gitdir: /elsewhere/{i}\n")
    return root


@pytest.mark.slow
def test_two_quarantines_into_one_folder_at_once_keep_every_record(tmp_path: Path) -> None:
    root, q = _many(tmp_path / "tree", 150), tmp_path / "q"
    before = snapshot(root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cli = [sys.executable, "-m", "ffs_tools", "audit-gpu", ".", "--format", "concise", "--quarantine", str(q)]
    runs = [subprocess.Popen([*cli, "--select", code], cwd=root, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for code in ("FFS701", "FFS702")]
    outcomes = [(p.communicate(timeout=600)[1], p.returncode) for p in runs]
    assert [code for _, code in outcomes] == [0, 0], outcomes  # each moves all it selects
    items = Manifest.load(str(q)).items
    assert sorted(i.rel for i in items) == sorted([f"x{i:03d}/.git" for i in range(150)] +
                                                  [f"y{i:03d}/.git" for i in range(150)])
    assert {i.state for i in items} == {"moved"}
    back = audit_cli("--restore", str(q), cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert back.stderr.splitlines()[-1] == "300 of 300 item(s) restored"
    assert snapshot(root) == before


def test_restore_reports_what_is_in_the_folder_but_not_in_its_manifest(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    (q / "lost" / ".git").mkdir(parents=True)
    (q / "lost" / ".git" / "HEAD").write_text("ref: refs/heads/lost\n")
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines()[-2:] == [
        f"error: {q}/lost is in the quarantine folder but not in its manifest: left there, restore it by hand",
        "7 of 7 item(s) restored, 1 problem(s)"]
    assert (q / "lost" / ".git" / "HEAD").read_text() == "ref: refs/heads/lost\n"


# -- 5. each item on its own; owner, group, mode and times kept across file systems -----------------


def test_one_item_that_cannot_be_restored_does_not_stop_the_others(tmp_path: Path) -> None:
    root, q = tree(tmp_path / "tree"), tmp_path / "q"
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    os.rename(root / "proj", tmp_path / "proj-moved")
    (root / "proj").write_text("a file now")
    run = audit_cli("--restore", str(q), cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert (f"error: not restored: {root}/proj/.git: a parent folder is a symbolic link or not a folder (never "
            "followed)") in run.stderr.splitlines()
    assert run.stderr.splitlines()[-1] == "6 of 7 item(s) restored, 1 problem(s)"
    assert (root / "wt" / ".git").is_file()
    assert (root / ".git" / "HEAD").is_file()
    assert (q / "proj/.git/HEAD").is_file()


def test_owner_group_mode_and_times_survive_a_round_trip_across_file_systems(tmp_path: Path,
                                                                            other_fs: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the tree to another user")
    root, q = tree(tmp_path / "tree"), other_fs / "q"
    (root / "proj/.git/config").chmod(0o640)
    for dirpath, dirnames, filenames in os.walk(root / "proj"):
        for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
            os.lchown(name, 65534, 65534)
    before = snapshot(root)
    owners = {p: (p.lstat().st_uid, p.lstat().st_gid) for p in root.rglob("*")}
    assert audit_cli(".", "--quarantine", str(q), cwd=root).returncode == 0  # all moved aside
    assert os.lstat(q / "proj/.git/HEAD").st_uid == 65534
    assert audit_cli("--restore", str(q), cwd=tmp_path).returncode == 0
    assert snapshot(root) == before
    assert {p: (p.lstat().st_uid, p.lstat().st_gid) for p in root.rglob("*")} == owners
    assert owners[root / "proj/.git/HEAD"] == (65534, 65534)


# -- 4. a partial copy inside the tree is a finding ---------------------------------------------------


def test_a_partial_copy_inside_the_tree_is_reported(tmp_path: Path) -> None:
    staging = tmp_path / "proj" / "..git.0a1b2c3d4e5f.ffs-partial"
    staging.mkdir(parents=True)
    (staging / "HEAD").write_text("ref: refs/he")
    run = audit_cli(".", "--format", "concise", "--strict", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:1] == ["proj/..git.0a1b2c3d4e5f.ffs-partial/: FFS705 [warning] a partial copy "
                                           "(folder) from an interrupted ffs-tools restore"]
