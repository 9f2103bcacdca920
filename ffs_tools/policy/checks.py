"""Policy rules that involve several keys or the meaning of a path (run after the per-key checks).

Here live the refusals that protect the user: credentials in an SFTP path, a
GPU folder inside the local one, a versioning or log folder that RealTimeSync
would see, ``recycle-bin`` on SFTP, ``newer-wins`` without times to compare.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ffs_tools.policy.schema import CREDENTIAL_HINT

if TYPE_CHECKING:
    from ffs_tools.policy.model import Fail, GpuTarget, Policy

_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REMOTE = re.compile(r"^\s*(sftp|ftp|gdrive|mtp):", re.IGNORECASE)


def relative_path(text: str) -> str | None:
    """A clean relative POSIX path, or None when ``text`` is absolute, escapes the root or has wildcards."""
    rel = text.strip().strip("/")
    parts = rel.split("/")
    if not rel or text.strip().startswith(("/", "~")) or any(p in ("", ".", "..") for p in parts):
        return None
    return None if any(c in rel for c in "*?|\\:") else rel


def check_rules(policy: Policy, fail: Fail) -> None:
    """Rules that involve several keys or the meaning of a path."""
    explicit = dict(policy.lines)
    if not _SLUG.fullmatch(policy.name):
        raise fail("project.name", f'"{policy.name}" cannot be used in a file name (letters, digits, ".", "_", "-")')
    if policy.deletion != "versioning" and "sync.versioning_folder" in explicit:
        raise fail("sync.versioning_folder", f'only used with deletion = "versioning" (deletion is '
                                             f'"{policy.deletion}")')
    if policy.conflict == "newer-wins" and policy.compare != "time-and-size":
        raise fail("sync.compare", f'"{policy.compare}" comparison has no newer file, so conflict = "newer-wins" '
                                   'would never update anything: use compare = "time-and-size" or '
                                   'conflict = "review"')
    for i, keep in enumerate(policy.keep_paths):
        if relative_path(keep) is None:
            raise fail(f"keep.paths[{i}]", f'expected a path relative to the project root, like "models/", got '
                                           f'"{keep}"')
    if _REMOTE.match(policy.local_path):
        raise fail("local.path", "must be a folder on this machine (RealTimeSync watches it; RealTimeSync cannot "
                                 "watch sftp:, ftp:, gdrive: or mtp: folders)")
    local = _abs(policy, policy.local_path)
    for gpu in policy.gpus:
        _check_gpu(policy, gpu, local, fail)
    for key, phrase in (("sync.versioning_folder", policy.versioning_folder), ("batch.log_folder", policy.log_folder)):
        if phrase and _REMOTE.match(phrase) is None and _inside(_abs(policy, phrase), local):
            raise fail(key, f'"{phrase}" is inside the local folder: FreeFileSync would write into the folder it '
                            "syncs (and RealTimeSync, which watches it, would start the batch again); put it "
                            "outside, e.g. ~/.ffs-versions/" + policy.name)


def _check_gpu(policy: Policy, gpu: GpuTarget, local: str, fail: Fail) -> None:
    key = f"{gpu.key}.path"
    scheme = _REMOTE.match(gpu.path)
    if scheme and scheme.group(1).lower() != "sftp":
        raise fail(key, f"{scheme.group(1).lower()}: is not supported for the GPU machine; use sftp:// with "
                        "|keyfile= or |agent, or a mounted folder")
    if gpu.is_sftp:
        _check_sftp(gpu.path, key, fail)
        if policy.deletion == "recycle-bin":
            raise fail("sync.deletion", f'"recycle-bin" is not available on an SFTP server ({gpu.key}): FreeFileSync '
                                        'warns and the unattended batch stops; use "versioning" or "permanent"')
        return
    if gpu.threads is not None:
        raise fail(f"{gpu.key}.threads", "only for sftp:// paths (FreeFileSync shares Threads between all local "
                                         "folders of a device)")
    target = _abs(policy, gpu.path)
    if _inside(target, local) or _inside(local, target):
        raise fail(key, f'"{gpu.path}" and local.path "{policy.local_path}" contain each other: FreeFileSync would '
                        "sync a folder into itself")


def _check_sftp(phrase: str, key: str, fail: Fail) -> None:
    body = re.sub(r"^\s*sftp:[/\\]*", "", phrase, flags=re.IGNORECASE)
    location, _, options = body.partition("|")
    authority, _, folder = location.partition("/")
    if "@" in authority and ":" in authority.rsplit("@", 1)[0]:
        raise fail(key, f"contains a password (user:password@host): {CREDENTIAL_HINT}")
    names = [o.strip().split("=", 1)[0].strip().lower() for o in options.split("|") if o.strip()]
    if "pass64" in names:
        raise fail(key, f"contains pass64= (a base64-encoded password): {CREDENTIAL_HINT}")
    if "pwprompt" in names:
        raise fail(key, "pwprompt asks for a password at run time: an unattended batch would wait for it forever; "
                        "use |keyfile=PATH or |agent")
    if "keyfile" not in names and "agent" not in names:
        raise fail(key, "an SFTP path needs |keyfile=PATH or |agent (a key file or the SSH agent), so that no "
                        "password is ever stored")
    if not authority.strip():
        raise fail(key, "no host after sftp://")
    if not folder.strip("/ "):
        raise fail(key, "no folder after the host: give the project's folder on the GPU machine "
                        "(sftp://user@host/home/user/project|agent)")


def _abs(policy: Policy, phrase: str) -> str:
    return os.path.normpath(os.path.expanduser(policy.resolve_local(phrase)))


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (plain path comparison, both absolute)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")
