"""Generated trees and .gitignore files for the differential tests against real git (seeded, reproducible)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

POOL = Path(__file__).resolve().parent.parent / "fixtures" / "gitignore" / "pool.txt"

#: names the trees are made of: the pool's own names, case variants, and what FreeFileSync and git read specially
NAMES = ("build", "Build", "BUILD", "dist", "data", "models", "logs", "wandb", "node_modules", "src", "docs", "lib",
         "out", "env", "venv", ".venv", ".env", "cache", ".cache", "tmp", "deep", "top", "generated", "config",
         "x.log", "X.LOG", "a.pyc", "b.pyo", "m.ckpt", "w.pt", "notes.txt", "README.md", "main.py", ".gitkeep",
         "Desktop.ini", "desktop.ini", "a.out", "ab.out", "aXb", "a-b", "foo_x_bar", "foo.bar", "c.o", "c.a",
         "local.yaml", "f.html", "y.tmp", "xy.tmp", "xaz", "x.z", "#notes#", "!important", "name with space",
         "Debug", "debug", "settings.json", "extensions.json", "patches", "releases", ".yarn", ".vscode",
         "a*b", "q?r", "[x]", "sp ace", "café", "naïve.log", "日本", ".DS_Store", "x~", "e.egg-info", "u.egg",
         "__pycache__", "instance", "site", "target", "checkpoints", "outputs", "runs", "lightning_logs",
         "mlruns", "python-wheels", "share", "_build", "p.tgz", ".pnp.js", "db.sqlite3", "cover", "x.py,cover")

SEMANTIC_SAFE_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def pool_rules() -> list[str]:
    return [line for line in POOL.read_text(encoding="utf-8").splitlines() if line and not line.startswith("# ")
            and line != "#"]


@dataclass(frozen=True)
class Case:
    root: Path
    files: tuple[str, ...]
    dirs: tuple[str, ...]
    gitignores: dict[str, str]  # relative path -> content


def make_case(seed: int, base: Path, rules: list[str]) -> Case:
    """A tree of files and folders (same names at several depths) and one to three .gitignore files."""
    rnd = random.Random(seed)
    root = base / f"t{seed}"
    dirs: list[str] = [""]
    files: list[str] = []
    for _ in range(rnd.randint(15, 45)):
        parent = rnd.choice(dirs)
        name = rnd.choice(NAMES)
        path = f"{parent}/{name}" if parent else name
        if path in files or path in dirs or any(path.startswith(f + "/") for f in files):
            continue
        if parent.count("/") < 3 and rnd.random() < 0.45:
            dirs.append(path)
        else:
            files.append(path)
    for d in dirs[1:]:
        (root / d).mkdir(parents=True, exist_ok=True)
    for f in files:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_bytes(b"x")
    gitignores = {".gitignore": "\n".join(rnd.sample(rules, rnd.randint(3, 12))) + "\n"}
    for d in rnd.sample(dirs[1:], min(len(dirs) - 1, rnd.randint(0, 2))):
        gitignores[f"{d}/.gitignore"] = "\n".join(rnd.sample(rules, rnd.randint(1, 4))) + "\n"
    for rel, text in gitignores.items():
        (root / rel).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-f", "--", *gitignores)
    return Case(root, tuple(files), tuple(dirs[1:]), gitignores)


def git(root: Path, *args: str, stdin: str | None = None) -> str:
    git_bin = shutil.which("git")
    if git_bin is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but git is not installed")
        pytest.skip("git is not installed")
    env = {**os.environ, **SEMANTIC_SAFE_ENV, "HOME": str(root)}
    proc = subprocess.run([git_bin, "-C", str(root), *args], input=stdin, capture_output=True, text=True, env=env,
                          check=False)
    if proc.returncode not in (0, 1):
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def git_ignored(case: Case) -> dict[str, str]:
    """``git check-ignore --no-index -v -n`` for every path: path -> source ("" when git keeps it).

    Folders are given without a trailing slash, as git decides them when it walks the tree (it knows they are
    folders); ``check-ignore a/`` would also match ``a/*`` and ``a/**`` against the empty name.
    """
    paths = [*case.files, *case.gitignores, *case.dirs]
    out = git(case.root, "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin", stdin="\0".join(paths) + "\0")
    fields = out.split("\0")
    verdicts: dict[str, str] = {}
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[i:i + 4]
        ignored = bool(source) and not pattern.startswith("!")
        verdicts[path] = f"{source}:{line}:{pattern}" if ignored else ""
    return verdicts
