"""Benchmark: ``ffs-tools plan`` against the real FreeFileSync on the same two 200,000-file trees with a database.

Builds a machine-learning-shaped tree (the one of bench/preview_bench.py), copies it to an identical
right folder, and lets FreeFileSync 12.0 run a Two way batch once, which writes ``.sync.ffs_db`` on both
sides. Then, for each repetition, the same state is prepared (``--changed`` files on the left get a new
modification time, so there is something to do and both programs must read the database), and timed:

* ``ffs-tools plan`` of the job (JSON): scan both sides, compare, read the database, set directions;
* FreeFileSync running the same batch: scan both sides, compare, read the database, copy the changed
  files, write the database. This is the fair baseline: the only run FreeFileSync has that answers the
  question, and the copies are a handful of small files.

Prints both times (median and best) and the ratio plan / FreeFileSync (the aim is at most 1.0).
Usage: python bench/plan_bench.py [--files 200000] [--changed 100] [--repeat 3] [--keep DIR]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preview_bench import build_tree, job_xml

SETTINGS = ('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="25">'
            '<LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n')
EXCLUDES = ["*/.git", "*/venv/", "*/.venv/", "*/__pycache__/"]


def changed_files(left: Path, n: int) -> list[Path]:
    """``n`` files spread over the tree (outside the excluded folders)."""
    files = sorted((left / "datasets").rglob("*.bin")) + sorted((left / "results").rglob("*.bin"))
    step = max(len(files) // max(n, 1), 1)
    return files[::step][:n]


def timed(cmd: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the trees here and keep them")
    args = parser.parse_args()
    if shutil.which("FreeFileSync") is None or shutil.which("xvfb-run") is None:
        print("FreeFileSync and xvfb-run are needed (apt-get install -y freefilesync xvfb xauth)", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="ffs-plan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(work, args)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, args: argparse.Namespace) -> int:
    left, right = work / "L", work / "R"
    job = work / "job.ffs_batch"
    job.write_text(job_xml(left, right, work / "logs", "TwoWay", EXCLUDES), encoding="utf-8")
    settings = work / "GlobalSettings.xml"
    ffs_cmd = ["xvfb-run", "-a", "FreeFileSync", str(job), str(settings)]
    if not left.exists():
        started = time.perf_counter()
        build_tree(left, args.files)
        subprocess.run(["cp", "-a", str(left), str(right)], check=True)
        settings.write_text(SETTINGS, encoding="utf-8")
        subprocess.run(ffs_cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"built {args.files:,} files (x2) and the database in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    if not (left / ".sync.ffs_db").exists():
        print("FreeFileSync wrote no database", file=sys.stderr)
        return 2
    touched = changed_files(left, args.changed)
    result = measure(job, ffs_cmd, settings, touched, args.repeat)
    if result is None:
        return 2
    report(args.files, len(touched), *result)
    return 0


def measure(job: Path, ffs_cmd: list[str], settings: Path, touched: list[Path],
            repeat: int) -> tuple[list[float], list[float]] | None:
    """``repeat`` rounds of: touch ``touched`` (newer than the last sync), time ``plan``, time FreeFileSync.
    The plan and FreeFileSync times, or None (with a message) when plan fails."""
    plan_cmd = [sys.executable, "-m", "ffs_tools", "plan", str(job), "--format", "json"]
    plans: list[float] = []
    ffss: list[float] = []
    for round_no in range(repeat):
        stamp = int(time.time()) - 3600 + round_no * 10  # newer than the last sync, valid
        for path in touched:
            os.utime(path, (stamp, stamp))
        seconds, code = timed(plan_cmd)
        if code not in (0, 1):
            print(f"plan failed with exit code {code}", file=sys.stderr)
            return None
        plans.append(seconds)
        settings.write_text(SETTINGS, encoding="utf-8")
        ffss.append(timed(ffs_cmd)[0])
    return plans, ffss


def report(files: int, changed: int, plans: list[float], ffss: list[float], where: str = "") -> None:
    """The figures of :func:`measure`: medians, bests and the ratio against the aim."""
    print(f"files per side:            {files:,} ({changed} changed on the left per round){where}")
    print(f"FreeFileSync two-way run:  median {statistics.median(ffss):.2f} s, best {min(ffss):.2f} s")
    print(f"ffs-tools plan:            median {statistics.median(plans):.2f} s, best {min(plans):.2f} s")
    print(f"ratio plan/FFS:            median {statistics.median(plans) / statistics.median(ffss):.2f}, "
          f"best {min(plans) / min(ffss):.2f}  (aim: <= 1.0)")


if __name__ == "__main__":
    sys.exit(main())
