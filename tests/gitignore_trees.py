"""Generated trees and .gitignore files for the differential tests against real git (seeded, reproducible)."""

from __future__ import annotations

import json
import os
import random
import re
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


def tree_of(root: Path) -> set[str]:
    """Files and folders (folders end in /) below ``root``, without FreeFileSync's database."""
    out = set()
    for dirpath, dirs, names in os.walk(root):
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        out |= {prefix + d + "/" for d in dirs}
        out |= {prefix + n for n in names if n != ".sync.ffs_db"}
    return out


def expected_synced(case: Case, keep: list[str]) -> set[str]:
    """What must arrive: what git does not ignore (tracked files never are), plus keep paths, minus ffs-tools'
    built-in exclusions and the policy in the root (ffs-tools' own file: it stays on this machine)."""
    from ffs_tools.ffs.never_travels import POLICY_FILE, default_exclusions
    from ffs_tools.filtering.engine import PathFilter, Semantics
    from ffs_tools.policy.gitignore_tree import Node, excluded_by, keep_related

    verdicts = git_ignored(case)
    # the .gitignore files are committed (git add -f): git never ignores a tracked file, so they stay like keep paths
    keep = [*keep, *(g for g in case.gitignores if verdicts.get(g))]
    dirs = set(case.dirs)
    defaults = PathFilter.from_lists(["*"], [ex.item for ex in default_exclusions()], Semantics.FFS12)
    out = set()
    for path in verdicts:
        chain = path.split("/")
        ancestors = ["/".join(chain[:i]) for i in range(1, len(chain))]
        gone = [p for p in [*ancestors, path] if verdicts.get(p) and not any(keep_related(p, keep))]
        if path == POLICY_FILE:
            continue
        if not gone and not excluded_by(defaults, Node(path, path in dirs, False, frozenset())):
            out.add(path + ("/" if path in dirs else ""))
    return out


def policy_case(seed: int, base: Path, gpu: Path, work: Path) -> tuple[Case, list[str]]:
    """A generated case with a policy (exclude.gitignore = true, one keep folder) in its root."""
    case = make_case(seed, base, pool_rules())
    keep = [d for d in case.dirs if re.fullmatch(r"[\w.-]+(/[\w.-]+)*", d)][:1]  # keep paths are plain paths
    policy = case.root / "ffs-policy.toml"
    keep_list = ", ".join(f'"{k}"' for k in keep)
    policy.write_text(f'[project]\nname = "p"\n[gpu]\npath = "{gpu}"\n[batch]\nlog_folder = "{work / "logs"}"\n'
                      f"[exclude]\ngitignore = true\n[keep]\npaths = [{keep_list}]\n", encoding="utf-8")
    return Case(case.root, (*case.files, "ffs-policy.toml"), case.dirs, case.gitignores), keep


def generate_case(case: Case, out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    from generate_helpers import run_cli

    code, _, err = run_cli(["generate", "--ffs-version", "12", "--out", str(out)], case.root, monkeypatch, capsys)
    assert code == 0, err
    return err


def preview_synced(case: Case, out: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> set[str]:
    """What ``ffs-tools preview --format json`` says the generated batch copies."""
    from generate_helpers import run_cli

    code, text, err = run_cli(["preview", str(out / "p.ffs_batch"), "--format", "json", "--ffs-version", "12"],
                              case.root, monkeypatch, capsys)
    assert code == 0, err
    return set(json.loads(text)["pairs"][0]["synced"])
