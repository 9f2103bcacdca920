"""Benchmark ``ffs-tools audit-gpu`` against ``find PATH -name .git`` on a generated tree.

Generates a GPU-machine-like working folder of exactly ``--entries`` entries
(default 1,000,000: datasets in shards, checkpoints, projects with stray
``.git`` folders and caches, a local virtualenv) in a temporary folder, then
times both commands in the same run, alternating, on a warm cache, and prints
the wall-time ratio audit-gpu / find, of the medians and of the best runs
(lower is better; the aim is <= 1.0). Other load on the machine shows in the
median more than in the best runs; the load average is printed with them.

    python bench/audit_bench.py [--entries N] [--repeat K] [--keep]

The audit runs as a real command (``python -m ffs_tools audit-gpu``, Python
start-up and imports included); find's output goes to /dev/null like the
audit's report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _plan(total: int) -> Iterator[tuple[str, bool]]:
    """Relative paths (folder flag) of the tree, parents first; the caller stops at ``total``."""
    yield from _venv()
    for p in range(10_000):
        yield from _project(p)
        yield from _dataset_shard(p)
        if p % 20 == 0:
            yield f"checkpoints/run{p:04d}", True
            for step in range(50):
                yield f"checkpoints/run{p:04d}/step{step:05d}.pt", False


def _venv() -> Iterator[tuple[str, bool]]:
    yield "venv_gpu", True
    yield "venv_gpu/pyvenv.cfg", False
    yield "venv_gpu/bin", True
    yield "venv_gpu/lib", True
    yield "venv_gpu/lib/site-packages", True
    for k in range(100):
        pkg = f"venv_gpu/lib/site-packages/pkg{k:03d}"
        yield pkg, True
        yield f"{pkg}/__pycache__", True
        for j in range(20):
            yield f"{pkg}/mod{j:02d}.py", False
            yield f"{pkg}/__pycache__/mod{j:02d}.cpython-311.pyc", False


def _project(p: int) -> Iterator[tuple[str, bool]]:
    base = f"projects/proj{p:04d}"
    yield base, True
    if p % 10 == 3:  # a stray clone: .git with objects
        yield f"{base}/.git", True
        yield f"{base}/.git/HEAD", False
        yield f"{base}/.git/objects", True
        for o in range(16):
            yield f"{base}/.git/objects/{o:02x}", True
            for f in range(4):
                yield f"{base}/.git/objects/{o:02x}/{f:038x}", False
    for sub in ("src", "src/model", "tests"):
        yield f"{base}/{sub}", True
        for f in range(12):
            yield f"{base}/{sub}/file{f:02d}.py", False
    yield f"{base}/src/__pycache__", True
    for f in range(12):
        yield f"{base}/src/__pycache__/file{f:02d}.cpython-311.pyc", False


def _dataset_shard(p: int) -> Iterator[tuple[str, bool]]:
    shard = f"datasets/set{p // 100:02d}/shard{p:05d}"
    if p % 100 == 0:
        yield f"datasets/set{p // 100:02d}", True
    yield shard, True
    for f in range(1000):
        yield f"{shard}/sample_{p:05d}_{f:04d}.npy", False


def generate(root: Path, total: int) -> int:
    """Create the tree under ``root``; return the number of entries made (== ``total``)."""
    made = 0
    for top in ("projects", "datasets", "checkpoints"):
        (root / top).mkdir()
        made += 1
    base = str(root)
    mknod = getattr(os, "mknod", None)
    for rel, is_dir in _plan(total):
        if made >= total - 1:  # the interpreter link below is the last entry
            break
        path = f"{base}/{rel}"
        if is_dir:
            os.mkdir(path)
        elif mknod is not None:
            mknod(path)
        else:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
        made += 1
    home = os.path.dirname(os.path.realpath(sys.executable))
    (root / "venv_gpu/pyvenv.cfg").write_text(f"home = {home}\nversion = 3\n")
    os.symlink(os.path.realpath(sys.executable), root / "venv_gpu/bin/python")
    return made + 1


def _time(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=1_000_000, help="size of the generated tree")
    ap.add_argument("--repeat", type=int, default=9, help="timed runs of each command (median and best reported)")
    ap.add_argument("--keep", action="store_true", help="keep the generated tree and print its path")
    ap.add_argument("--tree", type=Path, help="time on this tree (e.g. one kept with --keep) instead of a new one")
    ap.add_argument("--jobs", type=int, help="pass --jobs N to audit-gpu (default: its own, the CPUs)")
    args = ap.parse_args(argv)
    find = shutil.which("find")
    if find is None:
        sys.exit("find is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="ffs-audit-bench-"))
    try:
        if args.tree:
            tree = args.tree.resolve()
            print(f"timing on {tree}")
        else:
            tree = tmp / "work"
            tree.mkdir()
            t0 = time.perf_counter()
            made = generate(tree, args.entries)
            print(f"generated {made:,} entries in {time.perf_counter() - t0:.1f}s under {tree}")
        find_cmd = [find, str(tree), "-name", ".git"]
        audit_cmd = [sys.executable, "-m", "ffs_tools", "audit-gpu", str(tree), "--format", "concise"]
        if args.jobs:
            audit_cmd += ["--jobs", str(args.jobs)]
        # as an installed command runs: with its bytecode cached (pip compiles it at install time),
        # even where PYTHONDONTWRITEBYTECODE is set; the cache goes to the temporary folder
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env_cwd = os.getcwd()
        os.chdir(REPO)  # python -m ffs_tools: this checkout's code
        try:
            _time(find_cmd), _time(audit_cmd, env)  # warm the caches (and write the bytecode)
            finds, audits = [], []
            for _ in range(args.repeat):
                finds.append(_time(find_cmd))
                audits.append(_time(audit_cmd, env))
        finally:
            os.chdir(env_cwd)
        f, a = statistics.median(finds), statistics.median(audits)
        print(f"find -name .git : median {f:.3f}s, best {min(finds):.3f}s ({args.repeat} runs)")
        print(f"audit-gpu       : median {a:.3f}s, best {min(audits):.3f}s ({args.repeat} runs; {os.cpu_count()} "
              f"CPUs, load average {os.getloadavg()[0]:.2f})")
        print(f"ratio audit-gpu / find = {a / f:.2f} (median), {min(audits) / min(finds):.2f} (best)")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
