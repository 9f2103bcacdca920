"""Benchmark: ``ffs-tools preview`` against the real FreeFileSync on the same 200,000-file tree.

Builds a machine-learning-shaped tree (code, datasets, checkpoints, a .git, venvs, caches) of N files,
copies it to an identical right folder, then times in the same run:

* FreeFileSync 12.0 running a Mirror batch job from left to right (it scans both sides, compares,
  finds nothing to do), with the project's usual exclusions;
* ``ffs-tools preview`` of that job (JSON), which walks the left folder with the same filter.

Prints both times and the ratio preview / FreeFileSync (the aim is at most 0.5).
Usage: python bench/preview_bench.py [--files 200000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import time_command

EXCLUDES = ["*/.git", "*/venv/", "*/.venv/", "*/venv_gpu/", "*/__pycache__/", "*/.pytest_cache/", "*/wandb/"]


def build_tree(root: Path, files: int) -> None:
    """``files`` small files spread over a few thousand folders of an ML project."""
    made = 0
    shards = max(files // 100, 1)
    for i in range(shards):
        top = ("datasets", "models", "src", ".git/objects", "venv/lib", "results", "notebooks")[i % 7]
        folder = root / top / f"part{i // 7:05d}"
        if i % 13 == 0:
            folder = folder / "__pycache__"
        folder.mkdir(parents=True, exist_ok=True)
        for j in range(min(100, files - made)):
            (folder / f"f{j:03d}.bin").write_bytes(b"x" * (j % 7))
            made += 1
    (root / "train.py").write_text("print('train')\n")


def job_xml(left: Path, right: Path, logs: Path, variant: str = "Mirror",
            excludes: Sequence[str] = EXCLUDES) -> str:
    """A format-17 batch job of one folder pair (``variant``: Mirror here, TwoWay for the plan benchmark)."""
    items = "".join(f"<Item>{e}</Item>" for e in excludes)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Exclude</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>{variant}</Variant><DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy><VersioningFolder Style="Replace"/></Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude>{items}</Exclude><SizeMin Unit="None">0</SizeMin>
        <SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs><Pair><Left>{left}</Left><Right>{right}</Right></Pair></FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{logs}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>
        <PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the trees here and keep them")
    args = parser.parse_args()
    if shutil.which("FreeFileSync") is None or shutil.which("xvfb-run") is None:
        print("FreeFileSync and xvfb-run are needed (apt-get install -y freefilesync xvfb xauth)", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="ffs-preview-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        left, right = work / "L", work / "R"
        if not left.exists():
            started = time.perf_counter()
            build_tree(left, args.files)
            subprocess.run(["cp", "-a", str(left), str(right)], check=True)
            print(f"built {args.files:,} files (x2) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        job = work / "job.ffs_batch"
        job.write_text(job_xml(left, right, work / "logs"), encoding="utf-8")
        settings = work / "GlobalSettings.xml"
        settings.write_text('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" '
                            'XmlFormat="25"><LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n')
        env = dict(os.environ)
        ffs = time_command(["xvfb-run", "-a", "FreeFileSync", str(job), str(settings)], args.repeat, env=env)
        preview = time_command([sys.executable, "-m", "ffs_tools", "preview", str(job), "--format", "json",
                                "--ffs-version", "12"], args.repeat)
        print(f"files per side:         {args.files:,}")
        print(f"FreeFileSync mirror:    {ffs:.2f} s (best of {args.repeat})")
        print(f"ffs-tools preview:      {preview:.2f} s (best of {args.repeat})")
        print(f"ratio preview/FFS:      {preview / ffs:.2f}  (aim: <= 0.50)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
