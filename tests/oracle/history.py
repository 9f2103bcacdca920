"""Random, reproducible histories of one folder pair: the trees a user's two machines drift into.

A :class:`Case` is built from its seed alone: an initial tree (nested folders, empty folders,
names with case variants and non-ASCII letters, files of several sizes), how the pair started
(synced once so a database exists, never synced, or synced and then one side's database
deleted), and the changes made on both sides afterwards with controlled modification times
(nanosecond ``os.utime``): edits, edits inside FreeFileSync's 2 s tolerance, touches,
deletions of files and folders, renames, case-only renames, both-side edits, edit vs delete,
the same new file on both sides, file vs folder of the same name. Every step is recorded in
``Case.history`` so a disagreement can be read and replayed.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oracle.tree import SKIPPED

T0 = 1_704_880_800  # 2024-01-10 10:00 UTC: every time is in the past, seconds apart from this
SEC = 1_000_000_000
DAY = 86_400
FILE_NAMES = ("a.txt", "Readme.md", "café.txt", "数据.bin", "model.pt", "notes b.txt", "Ünïcode.cfg",
              "train.py", "log.jsonl", "B.TXT")
DIR_NAMES = ("src", "Data", "résultats", "sub dir", "nested", "ckpt")
STARTS = ("synced", "synced", "synced", "synced", "nosync", "db-deleted-left", "db-deleted-right")


@dataclass
class Case:
    """One folder pair's history; ``start`` says whether the first real sync runs before the changes."""

    seed: int
    start: str
    history: list[str] = field(default_factory=list)

    @property
    def first_sync(self) -> bool:
        return self.start != "nosync"


def make_case(seed: int) -> Case:
    return Case(seed, random.Random(seed).choice(STARTS))


def write(path: Path, data: bytes, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.name not in SKIPPED)


def _folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def _content(rng: random.Random) -> bytes:
    return rng.randbytes(rng.choice((0, 1, 7, 100, 1000, 4000)))


def _time(rng: random.Random, base: int) -> int:
    """A time in ns: ``base`` seconds plus a random offset, sometimes with a sub-second part."""
    return (base + rng.randrange(0, 5 * DAY)) * SEC + rng.choice((0, 0, rng.randrange(SEC)))


def build_initial(case: Case, left: Path, right: Path) -> None:
    """The trees before the first sync (or, for ``nosync``, the trees as first found)."""
    rng = random.Random(case.seed * 7919 + 1)
    left.mkdir(parents=True)
    right.mkdir(parents=True)
    for _ in range(rng.randint(3, 10)):
        depth = rng.choice((0, 0, 1, 1, 2))
        rel = "/".join([rng.choice(DIR_NAMES) for _ in range(depth)] + [rng.choice(FILE_NAMES)])
        if any(p == rel or p.startswith(rel + "/") or rel.startswith(p + "/") for p in _files(left)):
            continue
        data, t = _content(rng), _time(rng, T0)
        write(left / rel, data, t)
        roll = rng.random()
        if roll < 0.5:
            write(right / rel, data, t)
        elif roll < 0.6 and not case.first_sync:
            write(right / rel, _content(rng), _time(rng, T0))
            case.history.append(f"initial: {rel} differs on R")
    for _ in range(rng.randint(0, 2)):
        (left / rng.choice(DIR_NAMES) / "empty").mkdir(parents=True, exist_ok=True)
    if rng.random() < 0.4:
        rel = f"r-only/{rng.choice(FILE_NAMES)}"
        write(right / rel, _content(rng), _time(rng, T0))
    case.history.insert(0, f"start={case.start}; initial L={_files(left)} R={_files(right)} "
                           f"empty folders L={[f for f in _folders(left) if not any((left / f).iterdir())]}")


Mutation = Callable[[random.Random, Path, Path, str, int], str]


def mutate(case: Case, left: Path, right: Path) -> None:
    """The changes after the first sync: 2 to 6 random steps, each on one side or both."""
    rng = random.Random(case.seed * 104729 + 2)
    for step in range(rng.randint(2, 6)):
        name, fn = rng.choice(MUTATIONS)
        side = rng.choice("LR")
        base = T0 + 30 * DAY + step * DAY
        a, b = (left, right) if side == "L" else (right, left)
        try:
            case.history.append(f"{side} {name}: " + fn(rng, a, b, side, base))
        except OSError as exc:  # e.g. a parent that is a file on the other side: the snapshot shows what happened
            case.history.append(f"{side} {name}: stopped half-way ({exc.strerror})")


def _pick_file(rng: random.Random, root: Path) -> str | None:
    files = _files(root)
    return rng.choice(files) if files else None


def _new_name(rng: random.Random, *roots: Path) -> str:
    folders = [""] + [f + "/" for f in _folders(roots[0])]
    while True:
        rel = rng.choice(folders) + f"n{rng.randrange(1000)}-" + rng.choice(FILE_NAMES)
        parents = [rel.rsplit("/", 1)[0]] if "/" in rel else []
        if not any((r / rel).exists() or any((r / p).is_file() for p in parents) for r in roots):
            return rel


def m_edit(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    data, t = _content(rng) + b"edit", _time(rng, base)
    write(a / rel, data, t)
    return f"{rel} -> {len(data)} B, t=T0+{t / SEC - T0:.3f}s"


def m_edit_tolerance(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    old = (a / rel).stat()
    same_size = rng.random() < 0.5
    data = rng.randbytes(old.st_size) if same_size else _content(rng) + b"tol"
    t = old.st_mtime_ns + rng.choice((0, SEC // 2, SEC, 19 * SEC // 10))
    write(a / rel, data, t)
    return f"{rel} -> {len(data)} B (was {old.st_size}), t moved by {(t - old.st_mtime_ns) / SEC:.1f}s"


def m_touch(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    t = _time(rng, base)
    os.utime(a / rel, ns=(t, t))
    return f"{rel} t=T0+{t / SEC - T0:.3f}s (content unchanged)"


def m_delete_file(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    (a / rel).unlink()
    return rel


def m_delete_folder(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    folders = _folders(a)
    if not folders:
        return m_delete_file(rng, a, b, side, base)
    rel = rng.choice(folders)
    shutil.rmtree(a / rel)
    return rel + "/"


def m_rename(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    new = _new_name(rng, a, b)
    (a / new).parent.mkdir(parents=True, exist_ok=True)
    os.rename(a / rel, a / new)
    return f"{rel} -> {new}"


def m_case_rename(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a)
    if rel is None:
        return m_new_file(rng, a, b, side, base)
    leaf = rel.rsplit("/", 1)[-1]
    other = leaf.upper() if leaf.upper() != leaf else leaf.lower()
    new = rel[: len(rel) - len(leaf)] + other
    if other == leaf or (a / new).exists():
        return m_edit(rng, a, b, side, base)
    os.rename(a / rel, a / new)
    return f"{rel} -> {new}"


def m_both_edit(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    common = sorted(set(_files(a)) & set(_files(b)))
    if not common:
        return m_same_new(rng, a, b, side, base)
    rel = rng.choice(common)
    da, ta = _content(rng) + b"A", _time(rng, base)
    kind = rng.choice(("different", "identical", "within-tolerance"))
    db = da if kind == "identical" else _content(rng) + b"B"
    tb = ta if kind == "identical" else ta + (SEC if kind == "within-tolerance" else rng.randrange(1, DAY) * SEC)
    write(a / rel, da, ta)
    write(b / rel, db, tb)
    return f"{rel} on both sides ({kind}): {len(da)} B vs {len(db)} B, dt={(tb - ta) / SEC:.3f}s"


def m_edit_vs_delete(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    common = sorted(set(_files(a)) & set(_files(b)))
    if not common:
        return m_edit(rng, a, b, side, base)
    rel = rng.choice(common)
    data, t = _content(rng) + b"e", _time(rng, base)
    write(a / rel, data, t)
    (b / rel).unlink()
    return f"{rel} edited here ({len(data)} B), deleted on the other side"


def m_same_new(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _new_name(rng, a, b)
    data, t = _content(rng) + b"new", _time(rng, base)
    kind = rng.choice(("same", "same-content-other-time", "different"))
    write(a / rel, data, t)
    write(b / rel, data if kind != "different" else data + b"x",
          t if kind == "same" else t + rng.choice((SEC, 3 * SEC, DAY * SEC)))
    return f"{rel} new on both sides ({kind})"


def m_file_vs_folder(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _pick_file(rng, a) if rng.random() < 0.5 else None
    if rel is None:
        rel = _new_name(rng, a, b)
        write(a / rel, _content(rng), _time(rng, base))
        if (b / rel).exists():
            return f"{rel} new file here"
    elif (b / rel).is_file():
        (b / rel).unlink()
    inner = rng.choice(("", "inner.txt"))
    (b / rel).mkdir(parents=True, exist_ok=True)
    if inner:
        write(b / rel / inner, _content(rng), _time(rng, base))
    return f"{rel} is a file here, a folder on the other side (with {inner or 'nothing'} inside)"


def m_new_file(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _new_name(rng, a, b)
    data, t = _content(rng), _time(rng, base)
    write(a / rel, data, t)
    return f"{rel} ({len(data)} B)"


def m_new_folder(rng: random.Random, a: Path, b: Path, side: str, base: int) -> str:
    rel = _new_name(rng, a, b).replace(".", "_")
    (a / rel).mkdir(parents=True)
    return rel + "/ (empty)"


MUTATIONS: tuple[tuple[str, Mutation], ...] = (
    ("edit", m_edit), ("edit-within-tolerance", m_edit_tolerance), ("touch", m_touch),
    ("delete-file", m_delete_file), ("delete-folder", m_delete_folder), ("rename", m_rename),
    ("case-rename", m_case_rename), ("both-edit", m_both_edit), ("edit-vs-delete", m_edit_vs_delete),
    ("same-new", m_same_new), ("file-vs-folder", m_file_vs_folder), ("new-file", m_new_file),
    ("new-folder", m_new_folder),
)
