"""What ``sync`` reads before it plans: the batch job (checked to run unattended) and the policy's settings.

A batch job that would wait for a click (``AutoClose="false"``, or ``ErrorDialog=Show``
with ``Errors Ignore="false"``, lint rule FFS401) would hang an unattended sync forever
while holding its lock; one that FreeFileSync cannot read cleanly ends in exit code 4.
Both are bad input here: one line naming the file, the line and the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.model import ConfigKind, ErrorDialog, SyncJob, extension_kind
from ffs_tools.ffs.phrases import PathKind, kind_of
from ffs_tools.plan.model import Plan
from ffs_tools.policy.load import find_policy, load_policy
from ffs_tools.sync.run import Planner


@dataclass(frozen=True)
class BatchFacts:
    """The facts of the batch job ``sync`` needs itself (the planner reads the job on its own)."""

    xml_format: int | None
    log_folder: str
    #: "pair N: the right folder is ftp" for each side plan cannot read (sync then runs unguarded)
    remote: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicySettings:
    max_delete: int = 50
    ffs_command: str = ""


def load_batch(path: Path) -> BatchFacts:
    """Read ``path`` as a batch job; refuse one FreeFileSync would not run, or not run unattended."""
    from ffs_tools.xml.read import load

    if extension_kind(path.name) is not ConfigKind.BATCH:
        raise UserError("sync runs a .ffs_batch job (FreeFileSync runs only those unattended)", str(path))
    if not path.is_file():
        raise UserError("no such file", str(path))
    loaded = load(path, ConfigKind.BATCH)
    if loaded.problems:
        first = loaded.problems[0]
        raise UserError(f"{first.message} (FreeFileSync would not run this job: exit code 4; ffs-tools lint "
                        "shows all)", str(path), first.line, first.column)
    job = loaded.config
    assert isinstance(job, SyncJob)
    _check_unattended(job, loaded.source.line, str(path))
    remote = tuple(f"pair {i}: the {side} folder is {kind_of(phrase).value}" for i, pair in enumerate(job.pairs, 1)
                   for side, phrase in (("left", pair.left), ("right", pair.right)) if _unplannable(phrase))
    return BatchFacts(loaded.xml_format, job.log_folder, remote)


def _unplannable(phrase: str) -> bool:
    """A remote folder plan cannot read: ftp://, mtp:, gdrive: (sftp:// is planned over SFTP)."""
    kind = kind_of(phrase)
    return kind.remote and kind is not PathKind.SFTP


def _check_unattended(job: SyncJob, line_of: Callable[[str], int | None], path: str) -> None:
    batch = job.batch
    if batch is None:
        return
    if not batch.auto_close:
        raise UserError('batch.progress_dialog: AutoClose="false": the results window would wait for a click '
                        "(FFS401; ffs-tools lint --fix)", path, line_of("batch.progress_dialog"))
    if batch.error_dialog is ErrorDialog.SHOW and not job.errors.ignore:
        raise UserError('batch.error_dialog: ErrorDialog=Show with Errors Ignore="false": the first warning would '
                        "wait for a click (FFS401; ffs-tools lint --fix)", path, line_of("batch.error_dialog"))


def load_policy_for(config: Path, policy: Path | None) -> PolicySettings:
    """``[sync] max_delete`` and ``[ffs] command`` from ``--policy`` or the policy next to the config."""
    found = policy if policy is not None else find_policy(config.resolve().parent)
    if found is None:
        return PolicySettings()
    loaded = load_policy(found)
    return PolicySettings(loaded.max_delete, loaded.ffs_command)


def planner(ffs_version: str) -> Planner:
    """The plan engine as ``sync`` calls it: batch file -> :class:`Plan`, as FreeFileSync ``ffs_version`` runs it."""
    from ffs_tools.plan.engine import plan_job
    from ffs_tools.preview.run import load_job

    def make(batch: Path) -> Plan:
        _, job = load_job(batch)
        return plan_job(job, ffs_version)

    return make
