"""Benchmark: ``ffs-tools plan`` against the real FreeFileSync 12.0 with the right side on an SFTP server.

The pair of bench/plan_bench.py, with the right folder reached as ``sftp://`` on the loopback OpenSSH server
of the tests (tests/sshd.py: ``sshd`` on 127.0.0.1, a key made for the run): a machine-learning-shaped tree
of ``--files`` files (bench/preview_bench.py) on the left, a copy as the remote tree, and one FreeFileSync
Two way run that writes ``.sync.ffs_db`` on both sides. Then per repetition ``--changed`` files on the left
get a new time and both are timed on the same state:

* ``ffs-tools plan`` of the job (JSON): scan the left side, list the remote side over SFTP, read both
  databases (the remote one over SFTP), compare, set directions;
* FreeFileSync running the same batch: the same scans and reads (its own SFTP client, libssh2), then it
  copies the changed files (a handful of small ones) and writes both databases. FreeFileSync has no
  compare-only batch run; this is the run that answers the same question.

No excludes: every one of the files is listed on both sides. Prints both times (median and best) and the
ratio plan / FreeFileSync (the aim is at most 1.0).
Usage: python bench/plan_sftp_bench.py [--files 100000] [--changed 100] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # tests/sshd.py: the loopback server
from plan_bench import SETTINGS, changed_files, measure, report  # noqa: E402
from preview_bench import build_tree, job_xml  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the trees here and keep them")
    args = parser.parse_args()
    if shutil.which("FreeFileSync") is None or shutil.which("xvfb-run") is None:
        print("FreeFileSync and xvfb-run are needed (apt-get install -y freefilesync xvfb xauth)", file=sys.stderr)
        return 2
    from sshd import missing_reason, running_sshd

    reason = missing_reason()
    if reason is not None:
        print(f"the loopback SSH server cannot run: {reason}", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="ffs-plan-sftp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        with running_sshd() as server:
            os.environ["FFS_TOOLS_KNOWN_HOSTS"] = str(server.known_hosts)
            return _run(work, args, server.phrase)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, args: argparse.Namespace, phrase: Callable[[Path], str]) -> int:
    left, right = work / "L", work / "R"
    job = work / "job.ffs_batch"
    text = job_xml(left, right, work / "logs", "TwoWay", [])
    job.write_text(text.replace(f"<Right>{right}</Right>", f"<Right>{phrase(right)}</Right>"), encoding="utf-8")
    settings = work / "GlobalSettings.xml"
    ffs_cmd = ["xvfb-run", "-a", "FreeFileSync", str(job), str(settings)]
    for db in (left / ".sync.ffs_db", right / ".sync.ffs_db"):
        db.unlink(missing_ok=True)  # a kept tree: the database of this run's server session
    if not left.exists():
        started = time.perf_counter()
        build_tree(left, args.files)
        subprocess.run(["cp", "-a", str(left), str(right)], check=True)
        print(f"built {args.files:,} files (x2) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    settings.write_text(SETTINGS, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(ffs_cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"first FreeFileSync run (writes the databases): {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if not (right / ".sync.ffs_db").exists():
        print("FreeFileSync wrote no database on the server", file=sys.stderr)
        return 2
    touched = changed_files(left, args.changed)
    result = measure(job, ffs_cmd, settings, touched, args.repeat)
    if result is None:
        return 2
    report(args.files, len(touched), *result, where=", right over SFTP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
