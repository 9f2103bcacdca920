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
