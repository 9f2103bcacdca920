"""Benchmark: ``ffs-tools lint`` of a config with 3,000 exclude items against the same config with 300.

FFS141 compares every exclude item with all the others ("has no effect"); that must stay linear in the
number of items (issue 14, item 12: 500 items once cost about 265,000 regex compilations). Prints both
times and the ratio (the aim is at most 15, i.e. no worse than linear with start-up included), then the
time of ``generate`` for a policy with 1,000 ``exclude.extra`` items.

    python bench/lint_items_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "fixtures" / "lint" / "FFS001" / "ok_clean.ffs_batch"
RUNNER = "import sys; sys.path.insert(0, sys.argv[1]); from ffs_tools.cli import main; sys.exit(main(sys.argv[2:]))"


def items(count: int) -> list[str]:
    """``count`` distinct exclude items of the kinds people write (folders at any depth, extensions, paths)."""
    kinds = ("*/cache{}/", "*.ext{}", "\\data\\run{}\\", "*/logs/run{}_*.txt", "*/tmp{}")
    return [kinds[i % len(kinds)].format(i) for i in range(count)]


def config_with(count: int, folder: Path) -> Path:
    text = CLEAN.read_text(encoding="utf-8")
    extra = "".join(f"            <Item>{item}</Item>\n" for item in items(count))
    path = folder / f"items{count}.ffs_batch"
    path.write_text(text.replace("        <Exclude>\n", "        <Exclude>\n" + extra, 1), encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, runs: int) -> float:
    """Best wall time of ``runs`` runs of ``ffs-tools ARGS`` (exit 0 or 1: findings are fine)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", RUNNER, str(ROOT), *args], cwd=cwd, capture_output=True,
                              check=False)
        best = min(best, time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"ffs-tools {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()}")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each command (default 3, best kept)")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ffs_tools")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = run(["lint", str(config_with(300, work))], work, args.runs)
        large = run(["lint", str(config_with(3000, work))], work, args.runs)
        print(f"lint, 300 exclude items:   {small:.2f} s")
        print(f"lint, 3,000 exclude items: {large:.2f} s")
        print(f"ratio: {large / small:.1f} (aim <= 15)")
        project = work / "project"
        project.mkdir()
        extra = ", ".join(f'"{item}"' for item in items(1000)).replace("\\", "\\\\")
        (project / "ffs-policy.toml").write_text(
            f'[gpu]\npath = "{work / "gpu"}"\n[sync]\nversioning_folder = "{work / "versions"}"\n'
            f"[exclude]\nextra = [{extra}]\n", encoding="utf-8")
        print(f"generate, 1,000 exclude items: {run(['generate'], project, 1):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
