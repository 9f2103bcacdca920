#!/usr/bin/env python3
"""The filter oracle: what the real FreeFileSync syncs, case by case (docs/filter-semantics.md).

A case is one JSON object per line of a ``.jsonl`` file::

    {"id": "s101-0", "tree": ["a/b.txt", "a/.git/"], "include": ["*"], "exclude": ["*\\\\.git\\\\"]}

``tree`` lists the left folder's content as relative POSIX paths; an entry ending in ``/`` is a
(possibly empty) folder, any other entry a file, parents implied. ``include``/``exclude`` are the
``<Item>`` texts of the folder pair's own filter (the job's global filter is include ``*``).

Commands (stdlib only, so it runs without ffs-tools installed)::

    ffs_oracle.py gen N SEED [--kind random|file-only|realistic]   N new cases on stdout
    ffs_oracle.py run CASES.jsonl                                   {"id", "synced"} per case
    ffs_oracle.py record CASES.jsonl --field ffs12|ffs14            run, then store the field

``run`` mirrors every case's tree into an empty folder with the real FreeFileSync: one batch
job per chunk of cases, one folder pair per case, Mirror, Permanent deletion, unattended
(AutoClose, ErrorDialog=Cancel, Errors Ignore) and a private GlobalSettings.xml; what arrived
on the right is the result (folders end in ``/``, the ``.sync.ffs_db`` database is left out).
``FFS_ORACLE_CMD`` is the command that runs a batch job (default ``xvfb-run -a FreeFileSync``;
``/path/to/ffs14`` runs the FreeFileSync 14.10 build the same way).
``gen`` with kinds random and file-only and seeds 101 and 505 regenerates the trees and items
of fixtures/conformance/filter-random.jsonl and filter-file-only.jsonl exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

Case = dict[str, Any]

DEFAULT_COMMAND = "xvfb-run -a FreeFileSync"
FIELDS = ("ffs12", "ffs14")
#: cases per batch job: one FreeFileSync start (about a second) serves them all
CHUNK = 150
#: a chunk that takes longer than this is stuck (the unattended job never waits for a click)
RUN_TIMEOUT = 600

_JOB_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Exclude</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>Mirror</Variant><DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy><VersioningFolder Style="Replace"/></Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude/>
        <SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs>
"""
_JOB_TAIL = """    </FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{log}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>\
<PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""
#: a private settings file: FreeFileSync rewrites the one it is given, so the user's stays untouched
_GLOBAL_SETTINGS = ('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="25">'
                    '<LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n')


class OracleError(Exception):
    """FreeFileSync did not finish a chunk normally (exit code other than 0 or 1, or stuck)."""


def ffs_command() -> list[str]:
    """The command that runs one batch job: ``FFS_ORACLE_CMD`` split like a shell would."""
    return shlex.split(os.environ.get("FFS_ORACLE_CMD", DEFAULT_COMMAND))


def _items(items: Sequence[str]) -> str:
    return "".join(f"<Item>{escape(item)}</Item>" for item in items)


def _pair(left: Path, right: Path, case: Case) -> str:
    """One ``<Pair>`` whose own filter is the case's (sizes and times unlimited)."""
    return (f"        <Pair><Left>{escape(str(left))}</Left><Right>{escape(str(right))}</Right>"
            f"<Filter><Include>{_items(case.get('include', ['*']))}</Include>"
            f"<Exclude>{_items(case.get('exclude', []))}</Exclude>"
            '<SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan>'
            "</Filter></Pair>\n")


def _inside(root: Path, entry: str) -> Path:
    """``root / entry``, refusing entries that could reach outside ``root`` (absolute, ``..``, empty parts)."""
    parts = entry.rstrip("/").split("/")
    if entry.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"tree entry {entry!r} is not a plain relative path")
    return root.joinpath(*parts)


def build_tree(root: Path, tree: Sequence[str]) -> None:
    """Create ``tree`` under ``root``: folders for entries ending in ``/``, files (content = path) else."""
    for entry in tree:
        path = _inside(root, entry)
        if entry.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(entry, encoding="utf-8")


def list_tree(root: Path) -> list[str]:
    """Everything under ``root`` as sorted relative paths, folders with a trailing ``/``, minus the database."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        out.extend(f"{(rel / name).as_posix()}/" for name in dirnames)
        out.extend((rel / name).as_posix() for name in filenames if name != ".sync.ffs_db")
    return sorted(out)


def _run(cmd: Sequence[str], cwd: Path) -> tuple[int, str]:
    """Run ``cmd`` in its own process group; a stuck run is killed with its children (Xvfb too)."""
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    except OSError as exc:
        raise OracleError(f"cannot start {shlex.join(cmd[:-2])}: {exc}") from exc
    try:
        _, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise OracleError(f"{shlex.join(cmd[:-2])} did not finish within {RUN_TIMEOUT} s") from exc
    return proc.returncode, stderr


def _run_chunk(cases: Sequence[Case], workdir: Path, command: Sequence[str]) -> list[list[str]]:
    """One batch job for ``cases`` in ``workdir``; what arrived on the right, per case."""
    pairs = []
    for k, case in enumerate(cases):
        left, right = workdir / f"L{k}", workdir / f"R{k}"
        left.mkdir()
        right.mkdir()
        build_tree(left, case["tree"])
        pairs.append(_pair(left, right, case))
    job, settings = workdir / "job.ffs_batch", workdir / "GlobalSettings.xml"
    job.write_text(_JOB_HEAD + "".join(pairs) + _JOB_TAIL.format(log=escape(str(workdir / "logs"))), encoding="utf-8")
    settings.write_text(_GLOBAL_SETTINGS, encoding="utf-8")
    returncode, stderr = _run([*command, str(job), str(settings)], workdir)
    if returncode not in (0, 1):
        tail = " ".join(stderr.split())[-300:]
        raise OracleError(f"{shlex.join(command)} exited {returncode}: {tail}")
    if not any((workdir / "logs").glob("*")):  # exit 0/1 from something that is not FreeFileSync
        raise OracleError(f"{shlex.join(command)} wrote no FreeFileSync log: is it FreeFileSync?")
    return [list_tree(workdir / f"R{k}") for k in range(len(cases))]


def run_cases(cases: Sequence[Case], command: Sequence[str] | None = None, chunk: int = CHUNK) -> list[list[str]]:
    """What the real FreeFileSync synced for each case, in the order of ``cases``."""
    cmd = list(command) if command is not None else ffs_command()
    results: list[list[str]] = []
    for start in range(0, len(cases), chunk):
        with tempfile.TemporaryDirectory(prefix="ffs-oracle-") as tmp:
            results.extend(_run_chunk(cases[start:start + chunk], Path(tmp), cmd))
    return results


def load_cases(path: Path) -> list[Case]:
    """The cases of a ``.jsonl`` file (blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def record(path: Path, field: str, command: Sequence[str] | None = None) -> int:
    """Run every case of ``path`` and store the results in ``field``; the file is replaced atomically.

    Returns how many cases changed their recorded result.
    """
    cases = load_cases(path)
    results = run_cases(cases, command)
    changed = sum(1 for case, synced in zip(cases, results, strict=True) if case.get(field) != synced)
    for case, synced in zip(cases, results, strict=True):
        case[field] = synced
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    os.replace(tmp, path)
    return changed


# --- generators -------------------------------------------------------------------------------
# The pools and the order of the random draws are part of the recorded files: changing either
# changes what `gen` gives for a seed (filter-random.jsonl = random 101, filter-file-only = 505).

NAMES = [".git", ".GIT", "venv", ".venv", "venv_gpu", "env", "__pycache__", "node_modules", "src", "data",
         "models", "a", "sub", "Scripts", "b.txt", "c.py", "x.pyc", "train.py", "README.md", "d e.txt",
         ".gitignore", "model.pt", "pyvenv.cfg", "notes.TXT", "git", "a.b", ".git.bak", "ab"]
DIR_NAMES = [".git", "venv", ".venv", "venv_gpu", "__pycache__", "node_modules", "src", "data", "models",
             "a", "sub", "Scripts", "d e", "ab", "git", "results", "x"]
ITEMS = [".git", ".git\\", "\\.git\\", "*\\.git\\", "*/.git", "*/.git/", "*\\.git", "/.git", ".git:", "*\\.git:",
         "*.pyc", "*\\__pycache__\\", "__pycache__\\", "venv*\\", "*\\venv*\\", "*venv*", "\\data\\*", "data\\*\\",
         "*.txt:", "*.TXT", "src\\", "*\\models\\*.pt", "?.py", "a\\*\\c.py", "*/b.txt", "a", "a\\", "sub\\*",
         "*\\sub\\*\\", "*\\d e*", "results", "*/results/", "x/*/", "**/*.py", "*.py|*.txt", "a?", "*\\a\\*",
         "\\*\\*", "*\\", "*:", "node_modules", "*\\node_modules\\", ".venv\\", "*\\.venv\\", "*\\*\\.git\\", "git\\",
         "\\a\\sub\\", "a/sub", "*b*", "*.b", "ab*", "Scripts\\*", "*\\Scripts\\"]
FILE_ONLY_ITEMS = ["*/.git:", "*\\.git:", ".git:", "*.txt:", "*/build:", "a:", "*/a:", "sub:", "*\\sub:",
                   "*.py:", "*/x.pyc:", "*b*:", "*/venv:", "git:", "*\\models:", "data:", "*/data:"]


def _random_tree(rng: random.Random, depth: int = 0, prefix: str = "") -> list[str]:
    out: list[str] = []
    for _ in range(rng.randint(1, 5 if depth == 0 else 3)):
        if depth < 3 and rng.random() < 0.45:
            folder = prefix + rng.choice(DIR_NAMES) + "/"
            sub = _random_tree(rng, depth + 1, folder)
            out.extend(sub if sub and rng.random() < 0.85 else [folder])
        else:
            out.append(prefix + rng.choice(NAMES))
    return out


def clean_tree(tree: Sequence[str]) -> list[str]:
    """Sorted, unique, without files whose path is also a folder (impossible on disk)."""
    folders: set[str] = set()
    for entry in tree:
        parts = entry.rstrip("/").split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if entry.endswith("/"):
            folders.add(entry.rstrip("/"))
    return sorted({e for e in tree if e.endswith("/") or e not in folders})


def gen_random(n: int, seed: int, file_only: bool = False) -> list[Case]:
    """Random trees with random (often odd) items; ``file_only`` weights file-only ``x:`` items."""
    rng = random.Random(seed)
    pool = ITEMS + FILE_ONLY_ITEMS * 3 if file_only else ITEMS
    cases: list[Case] = []
    for k in range(n):
        include = ["*"] if rng.random() < 0.7 else rng.sample(pool, rng.randint(1, 3))
        exclude = rng.sample(pool, rng.randint(0, 4))
        cases.append({"id": f"s{seed}-{k}", "tree": clean_tree(_random_tree(rng)), "include": include,
                      "exclude": exclude})
    return cases


ML_TREE = [".DS_Store", ".env", ".ffs_lock", ".git/HEAD", ".git/config", ".git/objects/ab/cdef",
           ".git/refs/heads/main", ".gitattributes", ".github/workflows/ci.yml", ".gitignore",
           ".pytest_cache/v/cache/nodeids", ".venv/bin/activate", ".venv/pyvenv.cfg", "FREEFILESYNC_EXCLUSIONS.txt",
           "README.md", "Venv/readme.txt", "conda_env/bin/python", "conda_env/conda-meta/history", "data.GIT/x",
           "datasets/big.parquet", "datasets/my_dataset.jsonl", "datasets/raw/part-0001.jsonl", "docs/Git Notes.md",
           "external/lib/.git/HEAD", "external/lib/setup.py", "logs/train.log", "models/.git_keep",
           "models/ckpt/model.safetensors", "models/my_model.pt", "node_modules/left-pad/index.js",
           "notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb", "notebooks/explore.ipynb", "pyproject.toml",
           "requirements.txt", "results/metrics.json", "results/report.md", "scripts/Thumbs.db",
           "scripts/__pycache__/train.cpython-311.pyc", "scripts/create_dataset.py", "scripts/train.py",
           "src/pkg/.mypy_cache/3.11/x.json", "src/pkg/__init__.py",
           "training/__pycache__/train_model.cpython-311.pyc", "training/configs/base.yaml", "training/train_model.py",
           "vendor/sub/.git", "vendor/sub/mod.py", "venv/bin/python",
           "venv/lib/python3.11/site-packages/x/__init__.py", "venv/pyvenv.cfg", "venv_gpu/bin/python",
           "venv_gpu/pyvenv.cfg", "wandb/run-1/files/output.log"]
ML_EXCLUDES = ["*\\node_modules\\", "*\\.mypy_cache\\", "~$*", "*.ffs_lock", "*/.git/", "*.git", "*\\venv\\", "*.tmp",
               "\\$Recycle.Bin\\", "*\\__pycache__\\", "*\\venv_*\\", "*.pt", "conda_env\\", "*\\.git\\",
               "datasets\\raw\\", "*\\thumbs.db", "*/.git", "wandb/", "*.pyc", "*\\.git", "\\venv\\", "\\Recovery\\",
               "\\System Volume Information\\", "*\\.pytest_cache\\", "__pycache__/", ".git\\", ".env", ".venv/",
               "*\\.venv", ".git", "models\\ckpt\\*", "*\\.DS_Store", "*.ipynb_checkpoints\\", "*.log", ".DS_Store",
               "*\\.ipynb_checkpoints\\", "*\\venv*\\", ".pytest_cache/", "*\\conda-meta\\", "\\RECYCLE?\\", "*/.venv/",
               "logs\\", "venv/", "*/__pycache__", ".git/", "*.env:", "venv*/", "\\.git\\", "node_modules\\"]
ML_INCLUDES = ["src\\*", "notebooks\\*.ipynb", "results\\", "training\\", "*.md", "*.jsonl", "*", "models\\",
               "datasets\\", "*.py", "scripts\\"]


def gen_realistic(n: int, seed: int) -> list[Case]:
    """Machine-learning project trees with the items people write (some upper-cased, some joined by ``|``).

    Same pools as fixtures/conformance/filter-realistic.jsonl (r404), whose own generator was not kept:
    these cases are new ones of the same kind, not a regeneration of that file.
    """
    rng = random.Random(seed)
    cases: list[Case] = []
    for k in range(n):
        tree = clean_tree(rng.sample(ML_TREE, rng.randint(20, len(ML_TREE))))
        include = ["*"] if rng.random() < 0.8 else [rng.choice(ML_INCLUDES)]
        exclude = rng.sample(ML_EXCLUDES, rng.randint(1, 12))
        if rng.random() < 0.2:
            exclude = [item.upper() for item in exclude]
        if rng.random() < 0.15:
            exclude = [" | ".join(exclude)]
        cases.append({"id": f"ml{seed}-{k}", "tree": tree, "include": include, "exclude": exclude})
    return cases


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ffs_oracle.py", description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("gen", help="print N new cases (no results) as JSON lines")
    gen.add_argument("n", type=int)
    gen.add_argument("seed", type=int)
    gen.add_argument("--kind", choices=("random", "file-only", "realistic"), default="random")
    run = sub.add_parser("run", help='print {"id", "synced"} per case, as the real FreeFileSync synced it')
    run.add_argument("cases", type=Path)
    rec = sub.add_parser("record", help="run the cases and store the results in a field of the same file")
    rec.add_argument("cases", type=Path)
    rec.add_argument("--field", choices=FIELDS, required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry; problems end as one ``error:`` line and exit code 2."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "gen":
            cases = gen_realistic(args.n, args.seed) if args.kind == "realistic" else (
                gen_random(args.n, args.seed, file_only=args.kind == "file-only"))
            sys.stdout.write("".join(json.dumps(case) + "\n" for case in cases))
        elif args.command == "run":
            cases = load_cases(args.cases)
            for case, synced in zip(cases, run_cases(cases), strict=True):
                print(json.dumps({"id": case["id"], "synced": synced}), flush=True)
        else:
            changed = record(args.cases, args.field)
            print(f"{args.cases}: {args.field} recorded, {changed} case(s) changed")
    except (OSError, ValueError, KeyError, OracleError) as exc:
        print(f"error: {getattr(args, 'cases', 'gen')}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
