"""``--quarantine DIR``: move findings aside, keeping their relative paths below DIR. Nothing is deleted.

DIR is locked for the whole run (a second quarantine or a restore waits),
the manifest ``DIR/ffs-quarantine.json`` journals every step (see
:mod:`ffs_tools.audit.manifest`), and each run first finishes or rolls back
what an interrupted run left (:func:`ffs_tools.audit.moves.recover`). How one
item moves: :mod:`ffs_tools.audit.moves`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ffs_tools.audit.manifest import (
    JOURNAL_NAME,
    MANIFEST_NAME,
    Echo,
    Manifest,
    check_private,
    join_rel,
    locked,
    root_identity,
)
from ffs_tools.audit.moves import move_out, prune_empty
from ffs_tools.audit.recover import recover
from ffs_tools.audit.rules._hit import Hit
from ffs_tools.audit.rules.ffs707_symlink_escape import within
from ffs_tools.errors import UserError
from ffs_tools.fsutil import display

__all__ = ["MANIFEST_NAME", "Manifest", "check_outside", "clean_temps", "join_rel", "quarantine"]


def check_outside(root_real: str, qdir: str) -> str:
    """DIR's real path; refuse a DIR inside the audited tree (the next sync would carry it back)."""
    q = os.path.realpath(qdir)
    if within(q, root_real) or within(root_real, q):
        raise UserError("--quarantine: DIR must lie outside the audited folder (a DIR inside it would travel "
                        "with the next sync; one that contains it would mix the two)", display(qdir))
    if os.path.lexists(q) and not os.path.isdir(q):
        raise UserError("--quarantine: DIR exists and is not a folder", display(qdir))
    return q


def quarantine(root_real: str, qdir: str, hits: Iterable[Hit], dry_run: bool, echo: Echo,
               copy: bool = False) -> int:
    """Move the hits' items from the tree into ``qdir``; return the number that could not be moved.
    ``copy`` forces the across-file-systems way (copy, verify, then remove), for tests."""
    q = check_outside(root_real, qdir)
    targets = list(hits)
    if dry_run:
        for h in targets:
            echo(f"would move {display(join_rel(root_real, h.rel))} -> {display(join_rel(q, h.rel))}")
        return 0
    try:
        os.makedirs(q, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--quarantine: cannot create DIR: {exc.strerror or exc}", display(qdir)) from None
    check_private(q, "--quarantine: DIR")
    failed = 0
    with locked(q, echo):
        manifest = _open_manifest(q, root_real)
        clean_temps(q)
        recover(manifest, echo)
        for h in targets:
            if not move_out(manifest, h, echo, copy):
                failed += 1
        prune_empty(manifest)
        manifest.save()  # the journal folded into the manifest
    echo(f"manifest: {display(manifest.path)} (restore with: ffs-tools audit-gpu --restore "
         f"{display(manifest.path)})")
    return failed


def _open_manifest(q: str, root_real: str) -> Manifest:
    path = os.path.join(q, MANIFEST_NAME)
    if not os.path.lexists(path):
        manifest = Manifest(path, root_real, [], root_identity(root_real))
        manifest.save()
        return manifest
    check_private(path, "--quarantine: the manifest")
    if os.path.lexists(os.path.join(q, JOURNAL_NAME)):
        check_private(os.path.join(q, JOURNAL_NAME), "--quarantine: the manifest's journal")
    manifest = Manifest.load(path)
    if manifest.root != root_real:
        raise UserError(f"--quarantine: DIR already holds items of another tree ({display(manifest.root)}); "
                        "choose another DIR", display(q))
    if manifest.root_id is None:
        manifest.root_id = root_identity(root_real)
    elif manifest.root_id != root_identity(root_real):
        raise UserError("--quarantine: DIR holds items of another folder that was at this path before; choose "
                        "another DIR", display(q))
    return manifest


def clean_temps(q: str) -> None:
    """Remove the manifest's own temporary files that a crash left (the manifest itself is intact)."""
    for name in os.listdir(q):
        if name.startswith(f".{MANIFEST_NAME}.") and name.endswith(".tmp"):
            os.unlink(os.path.join(q, name))
