"""The sync variants the oracle runs, their batch files, and the two real FreeFileSyncs that run them.

Each variant is one ``<Synchronize>`` block (docs/formats.md#format-17-skeleton and
#the-format-23-synchronize-block): the presets a user picks, plus newer-wins as ``ffs-tools
generate`` writes it (``ffs_tools/policy/jobs.py``: format 17 ``Custom`` R R L L with
Different/Conflict none, format 23 ``Differences`` R R L L). The runs use
``DeletionPolicy=Permanent`` and ``Errors Ignore="true"`` with ``ErrorDialog=Cancel`` and
``AutoClose=true`` (C5 in docs/batch-unattended.md#combinations-and-how-to-read-a-cell) so that
they never stop or wait; the ``unattended`` variants use the generated settings
(docs/batch-unattended.md#the-combination-ffs-tools-writes-c7), which stop on a conflict or a
data-loss warning.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from realffs import require_ffs14, run_batch

_TWOWAY_23 = '<Changes><Left Create="right" Update="right" Delete="right"/>' \
             '<Right Create="left" Update="left" Delete="left"/></Changes>'


@dataclass(frozen=True)
class Variant:
    name: str
    fmt: int  # XmlFormat: 17 runs with FreeFileSync 12.0, 23 with 14.10
    sync: str  # what goes inside <Synchronize> before DeletionPolicy
    unattended: bool = False  # Errors Ignore="false": the batch stops on conflicts (exit 3)
    pairs_per_job: int = 100
    compare: str = "TimeAndSize"  # Compare/Variant

    @property
    def ffs_version(self) -> str:
        return "12" if self.fmt == 17 else "14"


def _v17(variant: str, moves: bool = False, custom: str = "") -> str:
    return f"<Variant>{variant}</Variant>{custom}<DetectMovedFiles>{str(moves).lower()}</DetectMovedFiles>"


_NEWER_WINS_17 = ("<CustomDirections><LeftOnly>right</LeftOnly><RightOnly>left</RightOnly><LeftNewer>right</LeftNewer>"
                  "<RightNewer>left</RightNewer><Different>none</Different><Conflict>none</Conflict></CustomDirections>")

VARIANTS_17 = (
    Variant("two-way", 17, _v17("TwoWay")),
    Variant("mirror", 17, _v17("Mirror")),
    Variant("mirror-moves", 17, _v17("Mirror", moves=True)),
    Variant("update", 17, _v17("Update")),
    Variant("newer-wins", 17, _v17("Custom", custom=_NEWER_WINS_17)),
)
VARIANTS_23 = (
    Variant("changes-two-way", 23, _TWOWAY_23),
    Variant("changes-mirror", 23, '<Changes><Left Create="right" Update="right" Delete="right"/>'
                                  '<Right Create="right" Update="right" Delete="right"/></Changes>'),
    Variant("changes-update", 23, '<Changes><Left Create="right" Update="right" Delete="none"/>'
                                  '<Right Create="none" Update="none" Delete="none"/></Changes>'),
    Variant("differences-mirror", 23, '<Differences LeftOnly="right" LeftNewer="right" RightNewer="right" '
                                      'RightOnly="right"/>'),
    Variant("differences-update", 23, '<Differences LeftOnly="right" LeftNewer="right" RightNewer="none" '
                                      'RightOnly="none"/>'),
    Variant("newer-wins", 23, '<Differences LeftOnly="right" LeftNewer="right" RightNewer="left" RightOnly="left"/>'),
)
#: beyond issue 8's list, in the full run only: the other comparison variants
EXTRAS_17 = (
    Variant("two-way-content", 17, _v17("TwoWay"), compare="Content"),
    Variant("mirror-size", 17, _v17("Mirror"), compare="Size"),
)
EXTRAS_23 = (
    Variant("changes-two-way-content", 23, _TWOWAY_23, compare="Content"),
    Variant("newer-wins-size", 23, '<Differences LeftOnly="right" LeftNewer="right" RightNewer="left" '
                                   'RightOnly="left"/>', compare="Size"),
)
UNATTENDED = (
    Variant("two-way-unattended", 17, _v17("TwoWay"), unattended=True, pairs_per_job=3),
    Variant("changes-two-way-unattended", 23, _TWOWAY_23, unattended=True, pairs_per_job=3),
)


#: how a right folder is written into the job: its path, or e.g. an sftp:// phrase for it (tests/sshd.py)
RightPhrase = Callable[[Path], str]


def batch_xml(variant: Variant, pairs: list[tuple[Path, Path]], log_folder: Path, ignore_errors: bool,
              right_phrase: RightPhrase = str) -> str:
    """A complete ``.ffs_batch`` in the variant's format with one folder pair per case."""
    pair_xml = "".join(f"<Pair><Left>{escape(str(left))}</Left><Right>{escape(right_phrase(right))}</Right></Pair>"
                       for left, right in pairs)
    head = "<Notes/>" if variant.fmt == 23 else ""
    grid = "<GridViewType>Action</GridViewType>" if variant.fmt == 23 else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<FreeFileSync XmlType="BATCH" XmlFormat="{variant.fmt}">{head}'
        f"<Compare><Variant>{variant.compare}</Variant><Symlinks>Exclude</Symlinks><IgnoreTimeShift/></Compare>"
        f"<Synchronize>{variant.sync}<DeletionPolicy>Permanent</DeletionPolicy>"
        '<VersioningFolder Style="Replace"/></Synchronize>'
        '<Filter><Include><Item>*</Item></Include><Exclude/><SizeMin Unit="None">0</SizeMin>'
        '<SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>'
        f"<FolderPairs>{pair_xml}</FolderPairs>"
        f'<Errors Ignore="{str(ignore_errors).lower()}" Retry="0" Delay="5"/>'
        f'<PostSyncCommand Condition="Completion"/><LogFolder>{escape(str(log_folder))}</LogFolder>'
        f'<EmailNotification Condition="Always"/>{grid}'
        '<Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>'
        "<PostSyncAction>None</PostSyncAction></Batch></FreeFileSync>\n"
    )


def run_ffs(variant: Variant, job: Path, workdir: Path, timeout: float = 300) -> tuple[int, str]:
    """Run ``job`` with the FreeFileSync the variant is for; its exit code and log text."""
    if variant.fmt == 17:
        result = run_batch(job, workdir, timeout=timeout)
        return result.returncode, result.log
    cmd = require_ffs14()
    env = dict(os.environ, FFS14_CONFIG_HOME=str(workdir / "ffs14-config"), FFS14_TIMEOUT=str(int(timeout)))
    proc = subprocess.run([cmd, str(job)], capture_output=True, text=True, cwd=workdir, env=env,
                          timeout=timeout + 60, check=False)
    logs = sorted((workdir / "logs").glob("*")) if (workdir / "logs").is_dir() else []
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs[-1:])
    return proc.returncode, log + proc.stdout


@dataclass(frozen=True)
class PlanRun:
    returncode: int
    stdout: str
    stderr: str


def run_plan(job: Path, variant: Variant) -> PlanRun:
    """``ffs-tools plan JOB --format json`` as the user runs it: a separate process."""
    proc = subprocess.run([sys.executable, "-m", "ffs_tools", "plan", str(job), "--format", "json",
                           "--ffs-version", variant.ffs_version],
                          capture_output=True, text=True, timeout=300, check=False)
    return PlanRun(proc.returncode, proc.stdout, proc.stderr)
