"""What the next FreeFileSync run will do, as data: the public contract of ``ffs-tools plan``.

``plan`` fills these from FreeFileSync's own comparison and direction logic;
``sync`` guards on them, runs the real FreeFileSync and verifies the trees
against them; reporters print them. ``to_json`` is the JSON contract (version 1):

```json
{"version": 1, "stops": false, "stop_reason": null,
 "pairs": [{"index": 1, "left": "/home/me/proj", "right": "/mnt/gpu/proj",
            "actions": [{"op": "update-right", "path": "src/train.py", "kind": "file"},
                        {"op": "create-left", "path": "results/run3/", "kind": "folder"},
                        {"op": "move-right", "from": "data/a.jsonl", "path": "data/b.jsonl", "kind": "file"}],
            "conflicts": [{"path": "configs/large.yaml",
                           "reason": "Both sides have changed since last synchronization."}],
            "warnings": []}]}
```

- ``op``: the side named is the side that changes;
- paths are relative to the pair's base folders, POSIX ``/``, folders end in ``/``;
- ``actions`` are in the order that, applied to the two trees, gives exactly the
  trees the real FreeFileSync leaves (conflicting items untouched);
- when ``stops`` is true the run changes nothing (FreeFileSync stops before syncing).

Extra keys may be added; none of the above may change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JSON_VERSION = 1

Op = Literal["create-left", "create-right", "update-left", "update-right",
             "delete-left", "delete-right", "move-left", "move-right"]
Kind = Literal["file", "folder", "symlink"]
Side = Literal["left", "right"]

OPS: tuple[Op, ...] = ("create-left", "create-right", "update-left", "update-right",
                       "delete-left", "delete-right", "move-left", "move-right")


@dataclass(frozen=True)
class Action:
    """One change FreeFileSync will make to one side."""

    op: Op
    path: str  # relative, POSIX, folders end in "/"; for a move: the new path
    kind: Kind
    from_path: str | None = None  # moves only: the old path on the side that changes
    size: int = 0  # bytes copied (creates and updates of files), 0 otherwise
    #: deletes and updates: the item that goes away exists only on the changed side, or is newer
    #: there than what replaces it (what ``sync --max-delete`` counts with the deletions)
    loses_data: bool = False

    @property
    def side(self) -> Side:
        return "left" if self.op.endswith("left") else "right"

    @property
    def verb(self) -> str:
        return self.op.split("-")[0]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op}
        if self.from_path is not None:
            out["from"] = self.from_path
        out.update(path=self.path, kind=self.kind, size=self.size)
        if self.loses_data:
            out["loses_data"] = True
        return out


@dataclass(frozen=True)
class Conflict:
    """An item FreeFileSync leaves alone, with FreeFileSync's own reason text."""

    path: str
    reason: str
    kind: Kind = "file"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason, "kind": self.kind}


@dataclass(frozen=True)
class PlanWarning:
    """Something FreeFileSync does not warn about, or warns about before syncing (``code`` is stable)."""

    code: str  # e.g. "gpu-env-travels", "deletes-gpu-only", "significant-difference", "database"
    message: str
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.path is not None:
            out["path"] = self.path
        return out


@dataclass(frozen=True)
class PairPlan:
    index: int  # 1-based, as FreeFileSync's GUI counts folder pairs
    left: str  # the base folders as resolved (absolute)
    right: str
    actions: tuple[Action, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "left": self.left, "right": self.right,
                "actions": [a.to_json() for a in self.actions],
                "conflicts": [c.to_json() for c in self.conflicts],
                "warnings": [w.to_json() for w in self.warnings]}


@dataclass(frozen=True)
class Plan:
    pairs: tuple[PairPlan, ...]
    stops: bool = False
    stop_reason: str | None = None
    #: the FreeFileSync version whose behaviour was predicted ("12" or "14")
    ffs_version: str = "14"
    notes: tuple[str, ...] = field(default=())
    #: the run starts but ends at its first error (exit 3, or waiting for a click): ``actions`` are only
    #: those carried out before it (without ``Errors Ignore``, e.g. a file where the other side has a folder)
    aborts: bool = False

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for p in self.pairs for a in p.actions)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for p in self.pairs for c in p.conflicts)

    def to_json(self) -> dict[str, Any]:
        return {"version": JSON_VERSION, "stops": self.stops, "stop_reason": self.stop_reason,
                "ffs_version": self.ffs_version, "aborts": self.aborts, "notes": list(self.notes),
                "pairs": [p.to_json() for p in self.pairs]}
