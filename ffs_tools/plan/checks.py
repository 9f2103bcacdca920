"""What happens before FreeFileSync syncs, and what it does not warn about (docs/comparison-and-sync.md 10).

FreeFileSync's warnings (unresolved conflicts, significant difference, missing base folder,
recycle bin unavailable) and errors (a database it cannot read) stop a batch run before anything
changes when ``Errors Ignore="false"`` with ``ErrorDialog=Cancel`` (exit 3), and make it wait for a
click with ``ErrorDialog=Show``; with ``Ignore="true"`` they are only logged. The first-run message
never stops a run. Our own warnings: a Python environment on the GPU (right) side that this run
copies to the local side, and deletions or overwrites of files that exist only on the GPU side.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from ffs_tools.ffs.model import ErrorDialog, SyncJob
from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE
from ffs_tools.plan.compare import Row
from ffs_tools.plan.model import Action, PlanWarning

TXT_CONFLICTS = "The following items have unresolved conflicts and will not be synchronized:"
TXT_SIGNIFICANT = ("The following folders are significantly different. Please check that the correct folders "
                   "are selected for synchronization.")
TXT_NOT_EXISTING = "The following folders do not yet exist:"
TXT_RECYCLER = 'The recycle bin is not available for "{}".'


@dataclass(frozen=True)
class Counts:
    """FreeFileSync's per-pair statistics: creates per side, updates (moves count once), deletes, conflicts."""

    create_left: int = 0
    create_right: int = 0
    updates: int = 0
    deletes: int = 0
    conflicts: int = 0
    rows: int = 0


def counts(actions: Iterable[Action], conflicts: int, rows: int, failing_creates: Iterable[str] = ()) -> Counts:
    """``failing_creates``: the sides of creations FreeFileSync plans but will fail on (it counts them)."""
    failing = list(failing_creates)
    cl, cr = failing.count("left"), failing.count("right")
    up = de = 0
    for a in actions:
        if a.op == "create-left":
            cl += 1
        elif a.op == "create-right":
            cr += 1
        elif a.verb == "delete":
            de += 1
        elif a.verb == "update" or a.verb == "move":
            up += 1
    return Counts(cl, cr, up, de, conflicts, rows)


def significant_difference(n: Counts) -> bool:
    """``significantDifferenceDetected``: many creations/deletions relative to the rows of the pair."""
    if (n.create_left == 0 or n.create_right == 0) and n.updates == 0 and n.deletes == 0 and n.conflicts == 0:
        return False  # a pure one-directional initial copy
    changed = n.create_left + n.create_right + n.deletes
    return changed >= 10 and 2 * changed > n.rows


def stop_mode(job: SyncJob) -> str | None:
    """How a FreeFileSync warning or error ends this job: ``"stops"``, ``"waits"`` or ``None`` (logged only)."""
    if job.batch is None or job.errors.ignore:
        return None
    return "stops" if job.batch.error_dialog == ErrorDialog.CANCEL else "waits"


def env_roots(rows: list[Row]) -> list[tuple[str, Row]]:
    """Folders on the right side that are a virtualenv (``pyvenv.cfg``) or a conda env (``conda-meta/``)."""
    out: list[tuple[str, Row]] = []
    stack: list[tuple[str, list[Row]]] = [("", rows)]
    while stack:
        parent, level = stack.pop()
        for row in level:
            if row.kind != "folder" or row.right is None:
                continue
            path = f"{parent}/{row.name_r}" if parent else str(row.name_r)
            names = {(ch.kind, ch.name_r) for ch in row.children if ch.right is not None}
            if ("file", VENV_MARKER_FILE) in names or ("folder", CONDA_MARKER_DIR) in names:
                out.append((path + "/", row))
            else:
                stack.append((path, row.children))
    return out


def gpu_warnings(rows: list[Row], actions: list[Action]) -> list[PlanWarning]:
    """Our warnings for one pair: GPU environments that travel to local, GPU-only data deleted or overwritten."""
    out: list[PlanWarning] = []
    to_left = [a for a in actions if a.op in ("create-left", "update-left")]
    for root, _ in env_roots(rows):
        moving = [a for a in to_left if a.path.startswith(root)]
        if moving:
            out.append(PlanWarning("gpu-env-travels", f"the Python environment {root} on the GPU side would be "
                                   f"copied to the local side ({len(moving)} items); exclude it", root))
    lost = [a for a in actions if a.side == "right" and a.loses_data and a.verb in ("delete", "update")]
    for a in lost:
        what = "deleted" if a.verb == "delete" else "overwritten by an older version"
        out.append(PlanWarning("deletes-gpu-only", f"{a.path} exists only on the GPU side and would be {what}",
                               a.path))
    return out


def trash_available(folder: str) -> bool:
    """Whether GLib's trash (what FreeFileSync's recycle bin is on Linux) works for items in ``folder``.

    On the file system of the user's home trash it does; elsewhere GLib needs a mount that is not
    "system internal" (``tmpfs``, ``overlay``, ``/``, ``/tmp`` ...) with a usable top-level trash folder.
    """
    path = _existing(folder)
    home_trash = os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"))
    try:
        if os.stat(path).st_dev == os.stat(_existing(home_trash)).st_dev:
            return True
    except OSError:
        return False
    mount, fstype = _mount_of(path)
    if fstype in _SYSTEM_FS or mount in _SYSTEM_PATHS:
        return False
    return os.access(mount, os.W_OK) or os.path.isdir(os.path.join(mount, ".Trash"))


def _existing(path: str) -> str:
    while path and not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path or "/"


def _mount_of(path: str) -> tuple[str, str]:
    real = os.path.realpath(path)
    best, fstype = "/", ""
    try:
        with open("/proc/self/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 3:
                    continue
                mnt = parts[1].replace("\\040", " ")
                if (real == mnt or real.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                    best, fstype = mnt, parts[2]
    except OSError:
        pass
    return best, fstype


_SYSTEM_FS = frozenset({"autofs", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "fusectl",
                        "hugetlbfs", "mqueue", "overlay", "proc", "pstore", "rootfs", "securityfs", "sysfs",
                        "tmpfs", "tracefs"})
_SYSTEM_PATHS = frozenset({"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/opt", "/proc", "/root",
                           "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var"})
