"""Shared by the generate tests: a sample ML project tree, file listings, running the CLI in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ffs_tools.cli import main

#: 2024-01-10 10:00 UTC: every file starts here; edits are hours later (far beyond FreeFileSync's 2 s tolerance)
BASE_TIME = 1704880800
HOUR = 3600

#: what must arrive on the GPU machine
PROJECT_FILES = {
    "train.py": "print('train')\n",
    "README.md": "# distill\n",
    ".gitignore": "venv/\n.venv/\n",
    "src/model.py": "class Model: ...\n",
    "src/utils/__init__.py": "",
    "configs/base.yaml": "lr: 0.001\n",
    "datasets/train.jsonl": '{"text": "a"}\n{"text": "b"}\n',
    "datasets/valid.jsonl": '{"text": "c"}\n',
    "models/base.pt": "\x00" * 64,
    "external/lib/lib.py": "def f(): ...\n",
    "worktree/code.py": "x = 1\n",
    "notebooks/explore.ipynb": "{}\n",
}

#: what must never arrive
NEVER_SYNCED = {
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/config": "[core]\n",
    ".git/objects/ab/cdef0123": "blob",
    "external/lib/.git/HEAD": "ref: refs/heads/main\n",  # nested repository
    "worktree/.git": "gitdir: /home/me/distill/.git/worktrees/wt\n",  # a worktree's .git FILE
    "venv/pyvenv.cfg": "home = /usr/bin\n",
    "venv/lib/python3.11/site-packages/numpy.py": "",
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv/bin/python": "",
    "venv_gpu/pyvenv.cfg": "home = /opt/cuda/bin\n",
    "venv_gpu/lib/torch.py": "",
    "tools/py311/pyvenv.cfg": "home = /usr/bin\n",  # a venv with an unusual name: found by the scan
    "tools/py311/lib/site.py": "",
    "envs/torch-cu121/conda-meta/history": "==> 2024-01-01 <==\n",  # a conda env with an unusual name
    "envs/torch-cu121/lib/libtorch.so": "",
    "__pycache__/train.cpython-311.pyc": "",
    "src/__pycache__/model.cpython-311.pyc": "",
    "src/utils/__pycache__/__init__.cpython-311.pyc": "",
    ".pytest_cache/v/cache/lastfailed": "{}",
    "notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb": "{}",
}


def write(root: Path, rel: str, text: str, mtime: float = BASE_TIME) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def build_project(root: Path) -> None:
    """The sample project of issue 3's acceptance: code, data, models, VCS metadata, venvs, caches."""
    for rel, text in {**PROJECT_FILES, **NEVER_SYNCED}.items():
        write(root, rel, text)


def files(root: Path) -> set[str]:
    """Every file below ``root`` (relative POSIX paths), without FreeFileSync's database."""
    out = set()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if name != ".sync.ffs_db":
                out.add((Path(dirpath) / name).relative_to(root).as_posix())
    return out


def run_cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            ) -> tuple[int, str, str]:
    """``ffs-tools ARGS`` in ``cwd``: exit code, stdout, stderr."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove that nothing was written."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
