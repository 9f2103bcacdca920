"""Benchmark: ``ffs-tools lint`` on one clean config against the floor ``python -c "import typer, lxml.etree"``.

A pre-commit hook runs on every commit, so the whole process matters: start-up,
imports, reading, the rules, the report. The floor is the interpreter with the
two imports a typer command cannot avoid (``lint`` itself runs on argparse and
imports no typer; the floor stays the same so that ratios compare over time),
measured in the same venv, in the same run, interleaved with the lint runs.
Prints the medians and the ratio (the aim is at most 1.5).

    python bench/lint_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "fixtures" / "lint" / "FFS001" / "ok_clean.ffs_batch"


def _time(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stdout!r} {proc.stderr!r}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="repetitions of each command (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        job = work / "sync.ffs_batch"
        shutil.copyfile(CLEAN, job)
        floor_cmd = [sys.executable, "-c", "import typer, lxml.etree"]
        runner = ("import sys; sys.path.insert(0, sys.argv[1]); from ffs_tools.cli import main; "
                  "sys.exit(main(sys.argv[2:]))")
        lint_cmd = [sys.executable, "-c", runner, str(ROOT), "lint", str(job)]
        # an installed package has byte code (pip compiles it); a checkout run with PYTHONDONTWRITEBYTECODE=1
        # would compile every module on every run, which no user pays, so compile once, as pip does
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ffs_tools")], check=True)
        for cmd in (floor_cmd, lint_cmd):  # warm the file cache
            _time(cmd, work)
        floor, lint = [], []
        for _ in range(args.runs):
            floor.append(_time(floor_cmd, work))
            lint.append(_time(lint_cmd, work))
    f, l_ = statistics.median(floor), statistics.median(lint)
    print(f"floor  (python -c 'import typer, lxml.etree'): median {f * 1000:7.1f} ms over {args.runs} runs")
    print(f"lint   (ffs-tools lint, one clean config):      median {l_ * 1000:7.1f} ms over {args.runs} runs")
    print(f"ratio  lint / floor: {l_ / f:.2f}  (aim: <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
