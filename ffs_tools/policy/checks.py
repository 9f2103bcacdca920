"""Policy rules that involve several keys or the meaning of a path (run after the per-key checks).

Here live the refusals that protect the user: credentials in an SFTP path, a
GPU folder inside the local one, a versioning or log folder that RealTimeSync
would see, ``recycle-bin`` on SFTP, ``newer-wins`` without times to compare.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ffs_tools.errors import UserError
from ffs_tools.ffs.never_travels import WORKFLOW_CACHE_NAMES, default_exclusions
from ffs_tools.ffs.phrases import PathKind, Phrase, credential_problem, expand_macros, kind_of, parse
from ffs_tools.policy.schema import CREDENTIAL_HINT

if TYPE_CHECKING:
    from ffs_tools.policy.model import Fail, GpuTarget, Policy

_SLUG = re.compile(r"[^\W_][\w.-]*")  # as policy.load: letters of any script, digits, ".", "_", "-"
#: project name + GPU name: "<name>-<gpu>.ffs_batch" and the ".<file>.XXXXXXXX.tmp" written first fit in 255 bytes
MAX_NAME = 200


def relative_path(text: str) -> str | None:
    """A clean relative POSIX path, or None when ``text`` is absolute, escapes the root or has wildcards."""
    rel = text.strip().strip("/")
    parts = rel.split("/")
    if not rel or text.strip().startswith(("/", "~")) or any(p in ("", ".", "..") for p in parts):
        return None
    return None if any(c in rel for c in "*?|\\:") else rel


def _check_version(version: str, fail: Fail) -> None:
    """``[ffs] version``: one ffs-tools can write for (the same answer as ``--ffs-version``)."""
    from ffs_tools.policy.jobs import ffs_target

    try:
        ffs_target(version, "ffs.version")
    except UserError as exc:
        raise fail("ffs.version", exc.message.removeprefix("ffs.version: ")) from None


def check_rules(policy: Policy, fail: Fail) -> None:
    """Rules that involve several keys or the meaning of a path."""
    explicit = dict(policy.lines)
    if not _SLUG.fullmatch(policy.name):
        raise fail("project.name", f'"{policy.name}" cannot be used in a file name (letters, digits, ".", "_", "-")')
    longest = max((len(g.name.encode()) for g in policy.gpus), default=0)  # file names are limited in bytes
    own = len(policy.name.encode())
    if own + longest > MAX_NAME:
        raise fail("project.name" if own > MAX_NAME // 2 or not longest else "gpu.name",
                   f"too long for a file name: the name{' and the [[gpu]] name' if longest else ''} may have "
                   f"{MAX_NAME} bytes (UTF-8) together (file names end in .ffs_batch, at most 255 bytes)")
    if policy.deletion != "versioning" and "sync.versioning_folder" in explicit:
        raise fail("sync.versioning_folder", f'only used with deletion = "versioning" (deletion is '
                                             f'"{policy.deletion}")')
    if policy.conflict == "newer-wins" and policy.compare != "time-and-size":
        raise fail("sync.compare", f'"{policy.compare}" comparison has no newer file, so conflict = "newer-wins" '
                                   'would never update anything: use compare = "time-and-size" or '
                                   'conflict = "review"')
    if policy.ffs_version:
        _check_version(policy.ffs_version, fail)
    for i, keep in enumerate(policy.keep_paths):
        if relative_path(keep) is None:
            raise fail(f"keep.paths[{i}]", f'expected a path relative to the project root, like "models/", got '
                                           f'"{keep}"')
    _check_extra(policy, fail)
    _check_drop(policy, fail)
    for key, phrase, remote in path_keys(policy):
        check_phrase(key, phrase, remote, fail)
    local = real_path(policy, policy.local_path)
    for gpu in policy.gpus:
        _check_gpu(policy, gpu, local, fail)
    for key, phrase in (("sync.versioning_folder", policy.versioning_folder), ("batch.log_folder", policy.log_folder)):
        if phrase and not kind_of(phrase).remote and _inside(real_path(policy, phrase), local):
            raise fail(key, f'"{phrase}" is inside the local folder: FreeFileSync would write into the folder it '
                            "syncs (and RealTimeSync, which watches it, would start the batch again); put it "
                            "outside, e.g. ~/.ffs-versions/" + policy.name)


def _check_extra(policy: Policy, fail: Fail) -> None:
    """One ``exclude.extra`` string is one filter item. FreeFileSync does not split at ``;`` (``"*.log;*.tmp"``
    would exclude only a file of that very name), and it does split at ``|`` (docs/filter-semantics.md), so a
    string holding either is refused with the list it should be. (A line break is refused by the schema.)"""
    for i, item in enumerate(policy.exclude_extra):
        sep = ";" if ";" in item else "|" if "|" in item else None
        if sep is None:
            continue
        why = ('FreeFileSync does not split at ";": it is one item' if sep == ";" else
               'FreeFileSync splits at "|": it is several items')
        items = [p.strip() for x in policy.exclude_extra for p in re.split(r"[;|]", x) if p.strip()]
        fix = ", ".join(f'"{p}"' for p in items)
        raise fail(f"exclude.extra[{i}]", f'"{item}": {why}; write one item per string: extra = [{fix}]')


def _check_drop(policy: Policy, fail: Fail) -> None:
    """``exclude.drop`` names built-in cache items only: caches are rebuilt on each machine, so syncing one is
    only wasteful, while version control and environments must never travel (FFS101-FFS112 would fail). The
    workflow's own cache (``__pycache__``) stays too: lint's FFS121 makes its gap an error."""
    builtin = {ex.item: ex for ex in default_exclusions()}
    droppable = [ex.item for ex in builtin.values() if ex.group == "cache" and ex.item not in _workflow_items()]
    for i, item in enumerate(policy.exclude_drop):
        if item.strip() in droppable:
            continue
        ex = builtin.get(item.strip())
        why = ("version control and environments never travel" if ex is not None and ex.group != "cache" else
               "the workflow's own cache never travels (lint's FFS121)" if ex is not None else
               f"not one of the built-in cache items that can be ({', '.join(droppable)})")
        raise fail(f"exclude.drop[{i}]", f'"{item}" cannot be dropped: {why}')


def _workflow_items() -> set[str]:
    return {ex.item for ex in default_exclusions() if ex.item.strip("*/") in WORKFLOW_CACHE_NAMES}


def path_keys(policy: Policy) -> list[tuple[str, str, tuple[PathKind, ...]]]:
    """Every path phrase of the policy: (key, phrase, the remote kinds allowed there)."""
    anywhere = tuple(k for k in PathKind if k.remote)
    out: list[tuple[str, str, tuple[PathKind, ...]]] = [("local.path", policy.local_path, ())]
    out += [(f"{gpu.key}.path", gpu.path, (PathKind.SFTP,)) for gpu in policy.gpus]
    out += [("sync.versioning_folder", policy.versioning_folder, anywhere),
            ("batch.log_folder", policy.log_folder, anywhere)]
    return out


def check_phrase(key: str, phrase: str, remote: tuple[PathKind, ...], fail: Fail) -> None:
    """The one check every path key goes through: no credentials (never echoed), no remote phrase where
    only a local folder works, and an SFTP phrase that authenticates without a password."""
    problem = credential_problem(phrase)
    if problem:
        raise fail(key, problem + ("" if "pwprompt" in problem else f": {CREDENTIAL_HINT}"))
    parsed = parse(phrase)
    if parsed.kind.remote and parsed.kind not in remote:
        if not remote:
            raise fail(key, "must be a folder on this machine (RealTimeSync watches it; RealTimeSync cannot watch "
                            "sftp:, ftp:, gdrive: or mtp: folders)")
        raise fail(key, f"{parsed.kind.value}: is not supported for the GPU machine; use sftp:// with |keyfile= "
                        "or |agent, or a mounted folder")
    if parsed.kind is PathKind.SFTP:
        _check_sftp(parsed, key, fail)


def _check_gpu(policy: Policy, gpu: GpuTarget, local: str, fail: Fail) -> None:
    key = f"{gpu.key}.path"
    if gpu.is_sftp:
        if policy.deletion == "recycle-bin":
            raise fail("sync.deletion", f'"recycle-bin" is not available on an SFTP server ({gpu.key}): FreeFileSync '
                                        'warns and the unattended batch stops; use "versioning" or "permanent"')
        return
    if gpu.threads is not None:
        raise fail(f"{gpu.key}.threads", "only for sftp:// paths (FreeFileSync shares Threads between all local "
                                         "folders of a device)")
    target = real_path(policy, gpu.path)
    if _inside(target, local) or _inside(local, target):
        raise fail(key, f'"{gpu.path}" and local.path "{policy.local_path}" contain each other (after links and '
                        "macros are resolved): FreeFileSync would sync a folder into itself")


def _check_sftp(parsed: Phrase, key: str, fail: Fail) -> None:
    if not parsed.has_option("keyfile=") and not parsed.has_option("agent"):
        raise fail(key, "an SFTP path needs |keyfile=PATH or |agent (a key file or the SSH agent), so that no "
                        "password is ever stored")
    if not parsed.host.strip():
        raise fail(key, "no host after sftp://")
    if "@" in parsed.host:
        rest, _, host = parsed.host.rpartition("@")
        user = f"{parsed.user}@{rest}".replace("@", "%40")
        raise fail(key, f'the user name has an "@": FreeFileSync takes everything before the first "@" as the user, '
                        f"so write it as %40: sftp://{user}@{host}/... (docs/sftp.md#the-phrase)")
    folder = parsed.path.strip("/\\ ")
    if not folder:
        raise fail(key, "no folder after the host: give the project's folder on the GPU machine "
                        "(sftp://user@host/home/user/project|agent)")
    if folder.startswith("~"):
        raise fail(key, 'FreeFileSync does not expand "~" over SFTP: it would use a folder named "~" at the '
                        "server's root (/~/...); write the absolute path, e.g. sftp://user@host/home/user/project "
                        "(docs/sftp.md#home-and-relative-paths)")


def real_path(policy: Policy, phrase: str) -> str:
    """The folder a local phrase means, as FreeFileSync resolves it (macros, ``~``, relative to the policy),
    with symbolic links resolved: two phrases that reach the same folder compare equal."""
    text = expand_macros(policy.resolve_local(phrase)).strip()
    text = os.path.expanduser(text)
    if not os.path.isabs(text):
        text = str(policy.base_dir / text)
    return os.path.realpath(text)


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (plain path comparison, both absolute)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")
