"""What ``generate`` writes for a policy: policy -> models -> XML -> schema -> read back, all in memory.

This part is below both ``generate`` and ``lint`` (FFS501 asks it what the policy gives); the lint gate
(:func:`ffs_tools.lint.gate.check_generated`) and the writing (:mod:`ffs_tools.generate.write`) are
composed by the command. Nothing is written unless every file of the run passed every check:

1. the models are rendered (:mod:`ffs_tools.xml.write`);
2. each XML file validates against its XSD (:mod:`ffs_tools.xml.schema`);
3. each parses back with :func:`ffs_tools.xml.parse.loads` into exactly the model it
   came from, with no problem FreeFileSync would report;
4. each file carries a digest of its own content ("ffs-tools digest ..." in
   ``<Notes>``, in an XML comment, or in a ``#`` line). A file on disk whose
   digest no longer matches was edited by hand (or saved by FreeFileSync with
   changes, or is not ours): it is only replaced with ``--force``, and the
   message says which file and shows how it differs.

``--check`` runs the same steps, writes nothing and reports (exit 1) every file
that would be created or changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import ConfigKind, FilterConfig, RealTimeConfig, SyncJob, config_file_name
from ffs_tools.ffs.never_travels import MANIFEST as MANIFEST
from ffs_tools.ffs.never_travels import PRUNED, env_item
from ffs_tools.filtering.engine import PathFilter
from ffs_tools.generate.marker import DIGEST
from ffs_tools.policy.envscan import ScanResult, scan_envs
from ffs_tools.policy.gitignore import tracked_but_ignored
from ffs_tools.policy.gitignore_tree import GitignoreResult, summary_lines, translate_repo
from ffs_tools.policy.jobs import (
    FfsTarget,
    JobSet,
    build_jobs,
    builtin_exclusions,
    exclusions,
    local_root,
    own_files,
    stems,
)
from ffs_tools.policy.keepcheck import check_keep_paths
from ffs_tools.policy.model import Policy
from ffs_tools.policy.notes import EXCLUSIONS_FILE, exclusions_text, realtime_notes

PLACEHOLDER = "0" * 16
MAX_DIFF_LINES = 40

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    name: str  # file name inside the output folder
    data: bytes


#: a generated file against the disk: not there yet, identical, ours but out of date, or changed by hand
State = Literal["new", "unchanged", "updated", "edited"]


@dataclass(frozen=True)
class Status:
    output: Output
    state: State
    diff: str = ""


# --------------------------------------------------------------------------- digests


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def has_valid_digest(data: bytes) -> bool:
    """Whether ``data`` still is exactly what ffs-tools wrote (its embedded digest matches its content)."""
    m = DIGEST.search(data)
    if m is None:
        return False
    blanked = data[: m.start(1)] + PLACEHOLDER.encode() + data[m.end(1):]
    return _digest(blanked) == m.group(1).decode()


def _sealed(make: Callable[[str], bytes]) -> tuple[bytes, str]:
    """Render with a placeholder digest, hash that, render again with the real digest."""
    digest = _digest(make(PLACEHOLDER))
    data = make(digest)
    if not has_valid_digest(data):  # pragma: no cover - would be a bug in a template
        raise AssertionError("digest does not verify")
    return data, digest


# --------------------------------------------------------------------------- planning


def plan(policy: Policy, target: FfsTarget, out_dir: Path, echo: Echo) -> list[Output]:
    """Every file of the run, rendered and checked; raises UserError before anything is written."""
    root = local_root(policy)
    scan = ScanResult(str(root), root.is_dir())
    if policy.scan_local:
        base = FilterConfig(exclude=tuple(ex.item for ex in builtin_exclusions(policy)) + policy.exclude_extra)
        scan = scan_envs(root, PathFilter.from_configs(base, None, target.semantics))
        _report_scan(scan, echo)
        _report_links(scan, policy.symlinks, echo)
    gitignore = _gitignore(policy, root, target, echo)
    own = own_files(policy, out_dir, output_names(policy))
    items = exclusions(policy, scan, gitignore.exclusions() if gitignore else (), own)
    jobsets = build_jobs(policy, target, items, out_dir)
    check_keep_paths(policy, jobsets[0].batch, items, target.semantics, root if root.is_dir() else None)
    outputs: list[Output] = []
    for js in jobsets:
        outputs += _sync_outputs(js)
        outputs.append(_real_output(js, policy))
    text = exclusions_text(items, policy.file_name, summary_lines(gitignore) if gitignore else ())
    data, _ = _sealed(lambda d: text.replace("\n", f"\n# ffs-tools digest {d}\n", 1).encode())
    outputs.append(Output(EXCLUSIONS_FILE, data))
    _report_gpu_folders(policy, echo)
    return outputs


def output_names(policy: Policy) -> list[str]:
    """The names of every file ``generate`` writes for ``policy`` (the manifest included)."""
    kinds = (ConfigKind.GUI, ConfigKind.BATCH, ConfigKind.REAL)
    return [config_file_name(stem, kind) for stem in stems(policy) for kind in kinds] + [EXCLUSIONS_FILE, MANIFEST,
                                                                                         PRUNED + "/"]


def _gitignore(policy: Policy, root: Path, target: FfsTarget, echo: Echo) -> GitignoreResult | None:
    """``[exclude] gitignore``: the committed .gitignore rules translated for the local tree (None when off)."""
    if not policy.exclude_gitignore:
        return None
    if policy.folders:
        raise policy.error("exclude.gitignore", "is not supported together with [[folders]] yet (their pairs "
                                                "would need their own translation); set it to false")
    if not root.is_dir():
        raise policy.error("exclude.gitignore", f"the local folder {root} is not reachable: the .gitignore rules "
                                                "are translated and checked on its tree")
    # files git tracks are never ignored by git: kept like keep paths (the lint hook's FFS131 checks them)
    result = translate_repo(root, (*policy.keep_paths, *tracked_but_ignored(root)), target.semantics)
    for line in summary_lines(result):
        echo(line)
    return result


def _report_gpu_folders(policy: Policy, echo: Echo) -> None:
    """A local or mounted GPU folder that is not there yet: what the generated batch and ``sync`` will do
    (docs/batch-unattended.md#the-combination-ffs-tools-writes-c7: FreeFileSync's warning stops the batch,
    exit 3, nothing changed; ``sync``'s plan sees the same stop and refuses). An sftp:// folder is not
    looked at from here."""
    from ffs_tools.plan.checks import TXT_NOT_EXISTING
    from ffs_tools.policy.checks import real_path

    for gpu in policy.gpus:
        if gpu.is_sftp:
            continue
        path = real_path(policy, gpu.path)
        if os.path.isdir(path):
            continue
        where = f"{gpu.key}.path: {path}"
        if os.path.lexists(path):
            echo(f"{where} exists but is not a folder: FreeFileSync cannot sync into it; move it away or point "
                 "gpu.path at a folder")
            continue
        echo(f"{where} does not exist yet: the generated batch stops before changing anything (FreeFileSync's "
             f"warning \"{TXT_NOT_EXISTING}\", exit code 3) and ffs-tools sync refuses to run it (exit 3); "
             "create the folder (or mount the GPU machine's folder there) before the first sync")


def _report_scan(scan: ScanResult, echo: Echo) -> None:
    if not scan.reachable:
        echo(f"scan: {scan.root} is not reachable from here: virtualenvs with unusual names were not looked for "
             "(the usual names are excluded anyway)")
        return
    if not scan.envs:
        echo(f"scan: no virtualenv or conda env in {scan.root}")
    for env in scan.envs:
        how = f"already excluded by {env.covered_by}" if env.covered_by else f"excluded ({env_item(env.path)})"
        echo(f"scan: found {env.path}/ ({env.marker} inside): {how}")
    for folder in scan.unreadable:
        echo(f"scan: could not read {folder}: not searched")


def _report_links(scan: ScanResult, symlinks: str, echo: Echo) -> None:
    """Symbolic links in the local tree and what ``sync.symlinks`` does with them (links inside keep paths are
    refused under ``exclude`` by the keep-path check)."""
    if not scan.links:
        return
    what = {"exclude": "FreeFileSync skips them (sync.symlinks = \"exclude\")",
            "direct": "they travel as links (sync.symlinks = \"direct\"): their targets must exist on the GPU machine",
            "follow": "FreeFileSync copies what they point to (sync.symlinks = \"follow\")"}[symlinks]
    shown = ", ".join(f"{path} -> {target}" for path, target in scan.links[:3])
    more = f" and {len(scan.links) - 3} more" if len(scan.links) > 3 else ""
    echo(f"scan: {len(scan.links)} symbolic link(s): {shown}{more}: {what}")


def _mark(text: str, digest: str) -> str:
    return f"{text} (ffs-tools digest {digest})"


def _sync_outputs(js: JobSet) -> list[Output]:
    return [_sync_output(config_file_name(js.stem, ConfigKind.GUI), js.gui, js.notes),
            _sync_output(config_file_name(js.stem, ConfigKind.BATCH), js.batch, js.notes)]


def _sync_output(name: str, job: SyncJob, notes: str) -> Output:
    """Format 23 carries the notes (and the digest) in <Notes>; format 17 in an XML comment."""
    def with_notes(digest: str) -> SyncJob:
        return replace(job, notes=_mark(notes, digest)) if job.xml_format >= 18 else job

    def make(digest: str) -> bytes:
        return _render(with_notes(digest), "" if job.xml_format >= 18 else _mark(notes, digest))

    data, digest = _sealed(make)
    _verify(name, data, with_notes(digest))
    return Output(name, data)


def _real_output(js: JobSet, policy: Policy) -> Output:
    name = config_file_name(js.stem, ConfigKind.REAL)
    data, _ = _sealed(lambda d: _render(js.real, _mark(realtime_notes(policy, js.stem), d)))
    _verify(name, data, js.real)
    return Output(name, data)


def _render(config: SyncJob | RealTimeConfig, comment: str = "") -> bytes:
    from ffs_tools.xml.write import RenderError, render

    try:
        return render(config, comment)
    except RenderError as exc:
        raise UserError(f"cannot write this setup in XmlFormat {config.xml_format}: {exc}") from None


def _verify(name: str, data: bytes, model: SyncJob | RealTimeConfig) -> None:
    """Schema-valid, and reads back into the same model with no problem (else: a bug, reported, nothing written)."""
    from ffs_tools.xml import read, schema
    schema.validate(data, str(model.kind), model.xml_format, name)
    kind = ConfigKind.REAL if isinstance(model, RealTimeConfig) else model.kind
    loaded = read.loads(data, name, kind)
    if loaded.problems:
        raise UserError(f"internal check failed: FreeFileSync would report {loaded.problems[0].message}; "
                        "nothing was written (please report this)", name, loaded.problems[0].line)
    if loaded.config != model:
        differing = [f.name for f in fields(model) if getattr(model, f.name) != getattr(loaded.config, f.name, None)]
        raise UserError(f"internal check failed: the file does not read back into the model it was made from "
                        f"(differs in: {', '.join(differing)}); nothing was written (please report this)", name)
