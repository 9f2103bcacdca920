"""Helpers for the plan tests: write a job, snapshot trees, apply a plan's actions to snapshots, run plan.

The judge is the real FreeFileSync: a test syncs, changes both sides, asks ``plan``, syncs again with
the real program and checks that the trees it left equal the snapshots with the plan's actions applied.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from realffs import FfsRun, require_ffs14, run_batch

from ffs_tools.plan.engine import plan_job
from ffs_tools.plan.model import Plan
from ffs_tools.xml.read import load

T0 = 1_700_000_000  # a fixed, valid modification time

JOB = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>{compare}</Variant><Symlinks>{symlinks}</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>{variant}</Variant>{custom}<DetectMovedFiles>{detect}</DetectMovedFiles>
        <DeletionPolicy>{deletion}</DeletionPolicy><VersioningFolder Style="Replace"/></Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude>{excludes}</Exclude>
        <SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs><Pair><Left>{left}</Left><Right>{right}</Right></Pair></FolderPairs>
    <Errors Ignore="{ignore}" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{log}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>{dialog}</ErrorDialog>\
<PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""


def write_job(tmp: Path, variant: str = "TwoWay", *, compare: str = "TimeAndSize", symlinks: str = "Direct",
              detect: bool = False, custom: dict[str, str] | None = None, deletion: str = "Permanent",
              excludes: tuple[str, ...] = (), ignore: bool = True, dialog: str = "Cancel") -> Path:
    """A format-17 batch job for the pair ``tmp/L`` <-> ``tmp/R`` (logs in ``tmp/logs``)."""
    custom_xml = ""
    if custom:
        inner = "".join(f"<{k}>{v}</{k}>" for k, v in custom.items())
        custom_xml = f"<CustomDirections>{inner}</CustomDirections>"
    job = tmp / "job.ffs_batch"
    job.write_text(JOB.format(compare=compare, symlinks=symlinks, variant=variant, custom=custom_xml,
                              detect=str(detect).lower(), deletion=deletion,
                              excludes="".join(f"<Item>{e}</Item>" for e in excludes), left=tmp / "L",
                              right=tmp / "R", ignore=str(ignore).lower(), dialog=dialog, log=tmp / "logs"),
                   encoding="utf-8")
    return job


def put(root: Path, rel: str, data: bytes | str = b"x", mtime: int = T0) -> None:
    """Create (or rewrite) a file with content and modification time; parents as needed."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    os.utime(path, (mtime, mtime))


Tree = dict[str, Any]  # rel path (folders end in "/") -> bytes (file) | None (folder) | ("link", target)


def snapshot(root: Path) -> Tree:
    """Everything below ``root`` except FreeFileSync's own database and lock files."""
    out: Tree = {}
    if not root.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for d in list(dirnames):
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                out[prefix + d] = ("link", os.readlink(full))
                dirnames.remove(d)
            else:
                out[prefix + d + "/"] = None
        for f in filenames:
            full = os.path.join(dirpath, f)
            if f.endswith((".ffs_db", ".ffs_lock")):
                continue
            out[prefix + f] = ("link", os.readlink(full)) if os.path.islink(full) else Path(full).read_bytes()
    return out


def apply(pair: dict[str, Any], left: Tree, right: Tree) -> tuple[Tree, Tree]:
    """The two trees after the pair's actions (JSON contract), applied in order."""
    trees = {"left": dict(left), "right": dict(right)}
    for a in pair["actions"]:
        verb, side = a["op"].split("-")
        other = "left" if side == "right" else "right"
        tree, src = trees[side], trees[other]
        path = a["path"]
        if verb == "create" or verb == "update":
            tree[path] = None if path.endswith("/") else src[_source_path(src, path, a)]
        elif verb == "delete":
            for k in [k for k in tree if k == path or (path.endswith("/") and k.startswith(path))]:
                del tree[k]
        elif verb == "move":
            old = a["from"]
            for k in [k for k in tree if k == old or (old.endswith("/") and k.startswith(old))]:
                tree[path + k[len(old):]] = tree.pop(k)
    return trees["left"], trees["right"]


def _source_path(src: Tree, path: str, action: dict[str, Any]) -> str:
    if path in src:
        return path
    lowered = {k.lower(): k for k in src}
    found = lowered.get(path.lower())
    assert found is not None, f"no source for {action}"
    return found


def plan_of(job: Path, version: str = "12") -> Plan:
    loaded = load(job)
    return plan_job(loaded.config, version)  # type: ignore[arg-type]


def sync(job: Path, tmp: Path) -> FfsRun:
    logs = tmp / "logs"
    if logs.exists():
        for p in logs.iterdir():
            p.unlink()
    return run_batch(job, tmp)


def check_prediction(job: Path, tmp: Path, version: str = "12") -> tuple[Plan, FfsRun]:
    """Plan, run the real FreeFileSync, and assert the trees it left are the plan's prediction."""
    plan = plan_of(job, version)
    before_l, before_r = snapshot(tmp / "L"), snapshot(tmp / "R")
    data = plan.to_json()
    exp_l, exp_r = (before_l, before_r) if plan.stops else apply(data["pairs"][0], before_l, before_r)
    run = sync(job, tmp)
    got_l, got_r = snapshot(tmp / "L"), snapshot(tmp / "R")
    assert (got_l, got_r) == (exp_l, exp_r), (data, run.log)
    return plan, run


def ops(plan: Plan) -> list[tuple[str, str]]:
    """``(op, path)`` of every action, moves as ``(op, "from -> to")``."""
    return [(a.op, f"{a.from_path} -> {a.path}" if a.from_path else a.path) for a in plan.actions]


JOB23 = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="23">
    <Notes/>
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Direct</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize>{directions}<DeletionPolicy>Permanent</DeletionPolicy><VersioningFolder Style="Replace"/>
    </Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude/>
        <SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs><Pair><Left>{left}</Left><Right>{right}</Right></Pair></FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{log}</LogFolder>
    <EmailNotification Condition="Always"/>
    <GridViewType>Action</GridViewType>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>\
<PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""

UPDATE_CHANGES = ('<Changes><Left Create="right" Update="right" Delete="none"/>'
                  '<Right Create="none" Update="none" Delete="none"/></Changes>')


def write_job23(tmp: Path, directions: str) -> Path:
    job = tmp / "job.ffs_batch"
    job.write_text(JOB23.format(directions=directions, left=tmp / "L", right=tmp / "R", log=tmp / "logs"),
                   encoding="utf-8")
    return job


def sync14(job: Path, tmp: Path) -> int:
    import shutil
    import subprocess

    cmd = require_ffs14()
    copy = tmp / "run14.ffs_batch"  # 14.x rewrites what it loads
    shutil.copy(job, copy)
    settings = tmp / "GlobalSettings14.xml"
    settings.write_text('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="GLOBAL" XmlFormat="25">'
                        '<LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n', encoding="utf-8")
    proc = subprocess.run([*cmd.split(), str(copy), str(settings)], capture_output=True, text=True, timeout=600,
                          check=False)
    return proc.returncode
