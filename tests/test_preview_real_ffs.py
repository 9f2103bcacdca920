"""preview agrees with what the real FreeFileSync copies, on random trees and filters made here.

One batch job holds every case as a folder pair (global filter + pair filter, some with size limits);
FreeFileSync mirrors each left folder into an empty right folder; ``preview --ffs-version 12`` reads
the very same job file and must list exactly what arrived.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from realffs import run_batch

from ffs_tools.cli import main

NAMES = [".git", "venv", ".venv", "venv_gpu", "__pycache__", "src", "data", "models", "a", "Sub", "x.py",
         "b.txt", "model.pt", "README.md", "d e.txt", "pyvenv.cfg", "build", "notes.TXT", "ab", "results"]
ITEMS = ["*/.git", ".git\\", "*\\.git\\", "*/.git:", "*.pyc", "*\\__pycache__\\", "venv\\", "*/venv/", "*.txt",
         "*.TXT:", "src\\", "*\\models\\*.pt", "?.py", "a\\*\\x.py", "*/b.txt", "a", "sub\\*", "*\\d e*",
         "results", "*/results/", "*\\", "*:", "\\*\\*", "data/", "*b*", "build", "*/build:", "models/*.pt"]
GLOBAL_EXCLUDES = [[], [], ["*/.git"], ["*.tmp", "*/__pycache__/"], ["data\\"], ["*:"]]
GLOBAL_INCLUDES = [["*"], ["*"], ["*"], ["*.py", "*.pt", "*/src/"]]


def _tree(rng: random.Random, root: Path, depth: int = 0) -> None:
    for _ in range(rng.randint(1, 4 if depth == 0 else 3)):
        name = rng.choice(NAMES)
        path = root / name
        if path.exists():
            continue
        if depth < 3 and rng.random() < 0.45:
            path.mkdir()
            _tree(rng, path, depth + 1)
        else:
            path.write_bytes(os.urandom(rng.choice([0, 10, 999, 1000, 1001, 5000])))


def _items(items: list[str]) -> str:
    return "".join(f"<Item>{escape(i)}</Item>" for i in items)


def _filter(include: list[str], exclude: list[str], size_min: int | None = None) -> str:
    unit = "Byte" if size_min is not None else "None"
    return (f"<Filter><Include>{_items(include)}</Include><Exclude>{_items(exclude)}</Exclude>"
            f'<SizeMin Unit="{unit}">{size_min or 0}</SizeMin><SizeMax Unit="None">0</SizeMax>'
            '<TimeSpan Type="None">0</TimeSpan></Filter>')


def _job(pairs: str, global_filter: str, log: Path) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Exclude</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>Mirror</Variant><DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy><VersioningFolder Style="Replace"/></Synchronize>
    {global_filter}
    <FolderPairs>{pairs}</FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{escape(str(log))}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>
        <PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""


def _arrived(root: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        out += [(rel / d).as_posix() + "/" for d in dirnames]
        out += [(rel / f).as_posix() for f in filenames if f != ".sync.ffs_db"]
    return sorted(p[2:] if p.startswith("./") else p for p in out)


@pytest.mark.ffs
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_preview_lists_exactly_what_freefilesync_copied(ffs: None, tmp_path: Path, seed: int,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    pairs = []
    for k in range(40):
        left, right = tmp_path / f"L{k}", tmp_path / f"R{k}"
        left.mkdir()
        right.mkdir()
        _tree(rng, left)
        include = ["*"] if rng.random() < 0.6 else rng.sample(ITEMS, rng.randint(1, 3))
        exclude = rng.sample(ITEMS, rng.randint(0, 3))
        size_min = 1000 if rng.random() < 0.15 else None
        pairs.append(f"<Pair><Left>{left}</Left><Right>{right}</Right>{_filter(include, exclude, size_min)}</Pair>")
    global_filter = _filter(rng.choice(GLOBAL_INCLUDES), rng.choice(GLOBAL_EXCLUDES))
    job = tmp_path / "job.ffs_batch"
    job.write_text(_job("".join(pairs), global_filter, tmp_path / "logs"), encoding="utf-8")

    assert main(["preview", str(job), "--ffs-version", "12", "--format", "json"]) == 0
    predicted = {p["index"]: p["synced"] for p in json.loads(capsys.readouterr().out)["pairs"]}

    result = run_batch(job, tmp_path)
    assert result.returncode in (0, 1), result.stderr
    for k in range(40):
        assert predicted[k + 1] == _arrived(tmp_path / f"R{k}"), f"pair {k + 1}"


@pytest.mark.ffs
def test_preview_and_explain_judge_a_format_17_file_as_the_freefilesync_that_wrote_it(
        ffs: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No ``--ffs-version``: the file's format decides, as in lint and audit-gpu. A format-17 file comes from
    FreeFileSync 12, whose file-only item ``*/models:`` also drops files inside a folder named models; preview
    used to predict the 14.8+ answer (models/m.pt copied) for it."""
    left, right = tmp_path / "L", tmp_path / "R"
    for rel in ("models/m.pt", "src/a.py"):
        (left / rel).parent.mkdir(parents=True, exist_ok=True)
        (left / rel).write_bytes(b"x")
    right.mkdir()
    pair = f"<Pair><Left>{left}</Left><Right>{right}</Right>{_filter(['*'], [])}</Pair>"
    job = tmp_path / "job.ffs_batch"
    job.write_text(_job(pair, _filter(["*"], ["*/models:"]), tmp_path / "logs"), encoding="utf-8")

    assert main(["preview", str(job), "--format", "json"]) == 0
    predicted = json.loads(capsys.readouterr().out)["pairs"][0]["synced"]
    assert main(["explain", "models/m.pt", "-c", str(job)]) == 0
    assert capsys.readouterr().out.startswith("not synced  models/m.pt  (excluded by global filter exclude item 1 "
                                              "'*/models:'")
    result = run_batch(job, tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert predicted == _arrived(right) == ["models/", "src/", "src/a.py"]
