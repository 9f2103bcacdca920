"""``ffs-tools init``: a commented policy from what it finds, the pre-commit snippet, and a working generate."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from generate_helpers import build_project, run_cli, snapshot

from ffs_tools.policy.load import load_policy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_init_writes_a_commented_policy_with_what_it_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "distill"
    build_project(project)
    code, out, err = run_cli(["init", "--gpu", "sftp://me@gpu-box/home/me/distill|agent"], project,
                             monkeypatch, capsys)
    assert code == 0, err
    text = (project / "ffs-policy.toml").read_text(encoding="utf-8")
    assert "# found: a git repository" in text
    assert "#   tools/py311/  (pyvenv.cfg inside)" in text
    assert "#   envs/torch-cu121/  (conda-meta/ inside)" in text
    data = tomllib.loads(text)
    assert data["project"]["name"] == "distill"
    assert data["keep"]["paths"] == ["datasets/", "models/"]
    policy = load_policy(project / "ffs-policy.toml")
    assert policy.local_path == "."
    assert policy.resolve_local(policy.local_path) == str(project)
    # the pre-commit snippet, on stdout, ready to paste
    assert "- id: ffs-lint" in out
    assert "- id: ffs-generate-check" in out
    assert "repos:" in out
    assert "found tools/py311/ (pyvenv.cfg inside): never synced" in err
    code, _, err = run_cli(["generate"], project, monkeypatch, capsys)
    assert code == 0, err
    assert (project / "distill.ffs_batch").exists()


def test_init_without_gpu_leaves_the_path_to_fill_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["init"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "fill in gpu.path" in err
    text = (tmp_path / "ffs-policy.toml").read_text(encoding="utf-8")
    assert '# path = "sftp://me@gpu-box/home/me/' in text
    code, _, err = run_cli(["generate"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "gpu.path: missing" in err


def test_init_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ffs-policy.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run_cli(["init", "--gpu", "/g"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "a policy exists already (ffs-policy.toml); edit it, or use --force" in err
    assert (tmp_path / "ffs-policy.toml").read_text() == "# mine\n"
    code, _, err = run_cli(["init", "--gpu", str(tmp_path.parent / "gpu"), "--force"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert "[gpu]" in (tmp_path / "ffs-policy.toml").read_text()


def test_init_refuses_when_pyproject_holds_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ffs-tools.gpu]\npath = "/g"\n', encoding="utf-8")
    code, _, err = run_cli(["init", "--force"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "a policy exists already (pyproject.toml)" in err
    assert not (tmp_path / "ffs-policy.toml").exists()


def test_init_with_a_password_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(tmp_path)
    code, _, err = run_cli(["init", "--gpu", "sftp://me:secret@box/home/me/p"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "--gpu: contains a password" in err
    assert "secret" not in err
    assert snapshot(tmp_path) == before


GITIGNORE_BLOCK = ("# FreeFileSync's database and lock files, stale files generate --prune set aside (ffs-tools init)\n"
                   ".sync.ffs_db\n*.ffs_lock\n.ffs-tools-pruned/\n")


@pytest.mark.parametrize(("before", "after"), [
    (None, GITIGNORE_BLOCK),
    (b"venv/\n*.log", b"venv/\n*.log\n" + GITIGNORE_BLOCK.encode()),  # no final newline: one is added first
    (b"# mine\r\nb/\r\n", b"# mine\r\nb/\r\n" + GITIGNORE_BLOCK.replace("\n", "\r\n").encode()),  # CRLF kept
    (b"z\n*.ffs_lock\ndonn\xc3\xa9es/\n", b"z\n*.ffs_lock\ndonn\xc3\xa9es/\n" + (
        GITIGNORE_BLOCK.replace("*.ffs_lock\n", "")).encode()),  # only what is missing, in the user's order
])
def test_init_adds_freefilesync_files_to_gitignore_once(before: bytes | None, after: str | bytes, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    if before is not None:
        (tmp_path / ".gitignore").write_bytes(before)
        (tmp_path / ".gitignore").chmod(0o640)
    code, _, err = run_cli(["init"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert f"{tmp_path / '.gitignore'}: added .sync.ffs_db, *.ffs_lock, .ffs-tools-pruned/" in err.splitlines()
    expected = after.encode() if isinstance(after, str) else after
    assert (tmp_path / ".gitignore").read_bytes() == expected
    if before is not None:
        assert (tmp_path / ".gitignore").stat().st_mode & 0o777 == 0o640
    code, _, err = run_cli(["init", "--force"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    assert (f"{tmp_path / '.gitignore'}: .sync.ffs_db, *.ffs_lock, .ffs-tools-pruned/ already ignored"
            in err.splitlines())
    assert (tmp_path / ".gitignore").read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_init_leaves_gitignore_alone_outside_git_and_when_it_is_a_link(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    plain = tmp_path / "plain"
    plain.mkdir()
    assert run_cli(["init"], plain, monkeypatch, capsys)[0] == 0
    assert not (plain / ".gitignore").exists()
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (tmp_path / "shared-ignore").write_text("x/\n", encoding="utf-8")
    (repo / ".gitignore").symlink_to(tmp_path / "shared-ignore")
    code, _, err = run_cli(["init"], repo, monkeypatch, capsys)
    assert code == 0, err
    assert (f"{repo / '.gitignore'}: not a regular file (a link?): not changed; add .sync.ffs_db and *.ffs_lock and "
            ".ffs-tools-pruned/ to it yourself") in err.splitlines()
    assert (tmp_path / "shared-ignore").read_text(encoding="utf-8") == "x/\n"
    assert (repo / ".gitignore").is_symlink()


def test_a_non_ascii_folder_name_keeps_its_letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """"données ML" gives the name "données-ML" (not "donn-es-ML"); generate writes files of that name, lint
    reads them clean; a decomposed (NFD) folder name gives the same NFC name."""
    import unicodedata

    from ffs_tools.policy.load import slugify

    assert slugify(unicodedata.normalize("NFD", "données ML")) == "données-ML"
    names = ("日本語 データ", "café/x", "_x", "--")
    assert [slugify(n) for n in names] == ["日本語-データ", "café-x", "p_x", "project"]
    project, gpu = tmp_path / "données ML", tmp_path / "gpu"
    build_project(project)
    gpu.mkdir()
    code, _, err = run_cli(["init", "--gpu", str(gpu)], project, monkeypatch, capsys)
    assert code == 0, err
    assert tomllib.loads((project / "ffs-policy.toml").read_text(encoding="utf-8"))["project"]["name"] == "données-ML"
    code, _, err = run_cli(["generate"], project, monkeypatch, capsys)
    assert code == 0, err
    assert {p.name for p in project.glob("*.ffs_*")} == {"données-ML.ffs_batch", "données-ML.ffs_gui",
                                                        "données-ML.ffs_real"}
    code, out, err = run_cli(["lint"], project, monkeypatch, capsys)
    assert (code, out.splitlines()[-1]) == (0, "3 files checked: no findings"), err


@pytest.mark.ffs
@pytest.mark.slow
def test_the_real_freefilesync_runs_a_non_ascii_named_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """FreeFileSync 12.0 runs "données-ML.ffs_batch" from a folder "données ML" and copies the project."""
    from realffs import run_batch

    project, gpu = tmp_path / "données ML", tmp_path / "gpu"
    build_project(project)
    gpu.mkdir()
    for args in (["init", "--gpu", str(gpu)], ["generate", "--ffs-version", "12"]):
        code, _, err = run_cli(args, project, monkeypatch, capsys)
        assert code == 0, err
    work = tmp_path / "work"
    work.mkdir()
    result = run_batch(project / "données-ML.ffs_batch", work, timeout=60)
    assert result.returncode == 1, result.log  # the first two-way run's "first synchronization" warning
    assert (gpu / "src").is_dir()
    assert not (gpu / "ffs-policy.toml").exists()
