"""Benchmark: ``ffs-tools lint`` on the largest real configs of the corpus against the import floor.

The largest corpus configs (142 folder pairs, each with its own filter) are what a user with many
pairs lints on every commit; issue 10 asks that each stays under a second. Every file is linted as a
whole process (start-up, imports, reading, the rules, the report) under ``dev-gpu`` (every rule) and as
lint chooses (``generic`` for a config from elsewhere), interleaved with the floor
``python -c "import typer, lxml.etree"`` (the same floor as bench/lint_bench.py). Prints the median
time per file and profile, and its ratio to the floor.

    python bench/lint_corpus_bench.py [--runs N] [--files K]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus" / "real-configs"
RUNNER = "import sys; sys.path.insert(0, sys.argv[1]); from ffs_tools.cli import main; sys.exit(main(sys.argv[2:]))"


def largest(count: int) -> list[Path]:
    """The ``count`` largest corpus configs (by size: the most pairs and filter items)."""
    configs = [p for p in CORPUS.iterdir() if p.suffix.startswith(".ffs_")]
    return sorted(configs, key=lambda p: (-p.stat().st_size, p.name))[:count]


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd="/", capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: findings
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr!r}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="repetitions of each command (default 7)")
    parser.add_argument("--files", type=int, default=4, help="how many of the largest configs (default 4)")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ffs_tools")], check=True)
    floor_cmd = [sys.executable, "-c", "import typer, lxml.etree"]
    lint = [sys.executable, "-c", RUNNER, str(ROOT), "lint", "--no-scan", "--format", "concise"]
    cases = [(f, profile) for f in largest(args.files) for profile in ("dev-gpu", "")]
    cmds = {case: lint + (["--profile", case[1]] if case[1] else []) + [str(case[0])] for case in cases}
    for cmd in (floor_cmd, *cmds.values()):  # warm the file cache
        _time(cmd)
    floor: list[float] = []
    times: dict[tuple[Path, str], list[float]] = {case: [] for case in cases}
    for _ in range(args.runs):
        for case, cmd in cmds.items():
            floor.append(_time(floor_cmd))
            times[case].append(_time(cmd))
    f = statistics.median(floor)
    print(f"floor (python -c 'import typer, lxml.etree'): median {f * 1000:7.1f} ms over {len(floor)} runs")
    for (path, profile), spent in times.items():
        t = statistics.median(spent)
        print(f"{path.name[:52]:52} {profile or 'chosen':8} {path.stat().st_size // 1024:4d} KiB  "
              f"median {t * 1000:7.1f} ms  ratio {t / f:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
