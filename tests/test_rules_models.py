"""Rules against hand-built models: the probe semantics, sync directions and batch settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ffs_tools.ffs.model import (
    MIRROR,
    MIRROR_MOVES,
    NEWER_WINS,
    TWO_WAY,
    UPDATE,
    UPDATE_LEGACY,
    BatchConfig,
    Changes,
    CompareConfig,
    CompareVariant,
    ConfigKind,
    DeletionPolicy,
    Differences,
    ErrorDialog,
    ErrorsConfig,
    FilterConfig,
    FolderPair,
    Location,
    SourceMap,
    SyncConfig,
    SyncJob,
)
from ffs_tools.ffs.model import Direction as D
from ffs_tools.filtering.engine import Semantics
from ffs_tools.findings import Finding, group_pairs
from ffs_tools.lint.registry import by_code
from ffs_tools.lint.rules._context import Context, Options

PAIR = FolderPair("/nonexistent/local", "/nonexistent/gpu")


def job(exclude: tuple[str, ...] = ("*/.git",), include: tuple[str, ...] = ("*",), fmt: int = 23,
        pairs: tuple[FolderPair, ...] = (PAIR,), **kw: object) -> SyncJob:
    return SyncJob(xml_format=fmt, filter=FilterConfig(include=include, exclude=exclude), pairs=pairs,
                   **kw)  # type: ignore[arg-type]


def run(code: str, config: SyncJob, ffs_version: str | None = None) -> list[Finding]:
    source = SourceMap("job.ffs_batch", {"root": Location(2), "filter.exclude": Location(20),
                                         "pair.0.filter.exclude": Location(40), "errors": Location(50)})
    ctx = Context("job.ffs_batch", Options(ffs_version=ffs_version, scan_left=False, use_git=False,
                                           cwd=Path("/nonexistent")),
                  config=config, source=source, xml_format=config.xml_format)
    return group_pairs(by_code()[code].check(ctx), len(config.pairs))  # as the engine does


@pytest.mark.parametrize(("items", "code"), [
    (("*/.git",), None),
    (("*\\.git",), None),  # backslash = slash: plain item at every depth
    ((".git|*\\.git",), None),  # one <Item>, two items
    (("*/.git/", "*/.git:"), None),
    (("*/.git/",), "FFS103"),  # folder-only: worktree .git file travels
    (("*\\",), "FFS103"),  # a lone *\ excludes every folder, but not the base folder's .git file
    (("*/.git/*",), "FFS103"),  # x/* == x/
    ((".git/",), "FFS102"),
    (("\\.git\\",), "FFS102"),
    ((".*",), "FFS102"),  # dot-names at the base only
    (("\\*\\.git\\",), "FFS101"),  # leading separator: no base-level twin, base .git travels
    (("*.tmp",), "FFS101"),
    ((), "FFS101"),
    (("*/.GIT",), None),  # case-insensitive
])
def test_git_probes(items: tuple[str, ...], code: str | None) -> None:
    found = {f.code for c in ("FFS101", "FFS102", "FFS103") for f in run(c, job(exclude=items))}
    assert found == ({code} if code else set())


def test_file_only_git_item_depends_on_semantics() -> None:
    # 12.0: a file mask also matches files inside .git folders; 14.8+: only the .git file itself
    assert not run("FFS101", job(exclude=("*/.git:",), fmt=17))
    assert run("FFS101", job(exclude=("*/.git:",), fmt=23))
    assert run("FFS101", job(exclude=("*/.git:",), fmt=17), ffs_version="14.10")
    assert not run("FFS101", job(exclude=("*/.git:",), fmt=23), ffs_version="12.0")


def test_include_folder_is_probed_below() -> None:
    found = run("FFS102", job(include=("\\src\\",), exclude=(".git\\",)))
    assert found
    assert "src/.git" in found[0].message
    assert not run("FFS102", job(include=("\\src\\",), exclude=("*/.git",)))


def test_pair_filter_is_combined_with_global_filter() -> None:
    pair = FolderPair("/nonexistent/l", "/nonexistent/r", filter=FilterConfig(exclude=("*/.git",)))
    assert not run("FFS101", job(exclude=(), pairs=(pair,)))  # pair exclude ORed in
    narrow = FolderPair("/nonexistent/l", "/nonexistent/r", filter=FilterConfig(include=("\\docs\\",)))
    assert not run("FFS101", job(exclude=("*/.git",), pairs=(narrow,)))
    findings = run("FFS101", job(exclude=(), pairs=(PAIR, pair)))
    assert len(findings) == 1
    assert findings[0].message.startswith("pair 1:")
    assert findings[0].line == 20  # the global filter, where the fix belongs


def test_pairs_sharing_the_global_filter_get_one_finding() -> None:
    findings = run("FFS101", job(exclude=(), pairs=(PAIR, PAIR, PAIR)))
    assert len(findings) == 1
    assert findings[0].message.startswith("pairs 1-3:")


def test_venv_probes_find_include_leaks_and_depth() -> None:
    msg = run("FFS111", job(exclude=("*/.git", "venv\\")))[0].message
    assert "venv (below the base folder)" in msg
    assert ".venv (everywhere)" in msg
    # include *.py still copies site-packages/*.py: a venv without exclusion leaks
    assert run("FFS111", job(include=("*.py",)))
    every = tuple(f"*/{n}/" for n in ("venv", ".venv", "venv_gpu", ".venv_gpu", "venv-gpu", ".venv-gpu", "gpu_venv",
                                      ".conda"))
    assert not run("FFS111", job(exclude=("*/.git", *every)))
    assert not run("FFS111", job(exclude=("*/.git", "*\\")))  # every folder excluded


@pytest.mark.parametrize(("directions", "compare", "fmt", "bad"), [
    (MIRROR, CompareVariant.TIME_AND_SIZE, 23, True),
    (MIRROR_MOVES, CompareVariant.TIME_AND_SIZE, 23, True),
    (TWO_WAY, CompareVariant.TIME_AND_SIZE, 23, False),
    (UPDATE, CompareVariant.TIME_AND_SIZE, 23, False),
    (UPDATE, CompareVariant.CONTENT, 23, False),
    (UPDATE_LEGACY, CompareVariant.TIME_AND_SIZE, 17, False),
    (UPDATE_LEGACY, CompareVariant.CONTENT, 17, True),  # 12.0 overwrites "different" files on the right
    (UPDATE_LEGACY, CompareVariant.CONTENT, 23, False),  # 13+: a conflict, left alone
    (NEWER_WINS, CompareVariant.TIME_AND_SIZE, 23, False),
    (Differences(D.RIGHT, D.RIGHT, D.NONE, D.RIGHT), CompareVariant.TIME_AND_SIZE, 23, True),  # right-only deleted
    (Changes(D.RIGHT, D.RIGHT, D.RIGHT, D.LEFT, D.RIGHT, D.LEFT), CompareVariant.TIME_AND_SIZE, 23,
     True),  # items updated on the GPU side overwritten
])
def test_mirror_toward_gpu(directions: Differences | Changes, compare: CompareVariant, fmt: int, bad: bool) -> None:
    config = job(fmt=fmt, sync=SyncConfig(directions=directions), compare=CompareConfig(variant=compare))
    assert bool(run("FFS302", config)) is bad


def test_pair_override_sync_is_reported_at_the_pair() -> None:
    pair = FolderPair("/nonexistent/l", "/nonexistent/r", sync=SyncConfig(directions=MIRROR))
    findings = run("FFS302", job(pairs=(PAIR, pair)))
    assert [f.message.split(":")[0] for f in findings] == ["pair 2"]


def test_permanent_deletion_is_an_error_with_mirror() -> None:
    two_way = run("FFS303", job(sync=SyncConfig(deletion_policy=DeletionPolicy.PERMANENT)))
    mirror = run("FFS303", job(sync=SyncConfig(directions=MIRROR, deletion_policy=DeletionPolicy.PERMANENT)))
    assert [f.severity.label for f in two_way] == ["warning"]
    assert [f.severity.label for f in mirror] == ["error"]


@pytest.mark.parametrize(("dialog", "ignore", "auto_close", "waits"), [
    # docs/batch-unattended.md: only C1, C5 and C7 never hung
    (ErrorDialog.SHOW, True, True, False),  # C1
    (ErrorDialog.SHOW, True, False, True),  # C2
    (ErrorDialog.SHOW, False, True, True),  # C3
    (ErrorDialog.SHOW, False, False, True),  # C4
    (ErrorDialog.CANCEL, True, True, False),  # C5
    (ErrorDialog.CANCEL, True, False, True),  # C6
    (ErrorDialog.CANCEL, False, True, False),  # C7
    (ErrorDialog.CANCEL, False, False, True),  # C8
])
def test_unattended_matrix(dialog: ErrorDialog, ignore: bool, auto_close: bool, waits: bool) -> None:
    config = job(kind=ConfigKind.BATCH, errors=ErrorsConfig(ignore=ignore),
                 batch=BatchConfig(auto_close=auto_close, error_dialog=dialog))
    assert bool(run("FFS401", config)) is waits


def test_ignored_errors_matter_only_with_deletions() -> None:
    ignored = ErrorsConfig(ignore=True)
    assert run("FFS402", job(errors=ignored))  # two-way propagates deletions
    assert run("FFS402", job(errors=ignored, sync=SyncConfig(directions=MIRROR)))
    assert not run("FFS402", job(errors=ignored, sync=SyncConfig(directions=UPDATE)))
    assert not run("FFS402", job(sync=SyncConfig(directions=MIRROR)))


def test_gui_job_is_never_ffs401() -> None:
    assert not run("FFS401", job(kind=ConfigKind.GUI, batch=None))


def test_semantics_follow_xml_format_and_option() -> None:
    ctx = Context("x", Options(), xml_format=17)
    assert ctx.semantics is Semantics.FFS12
    ctx = Context("x", Options(), xml_format=23)
    assert ctx.semantics is Semantics.FFS14
    assert Context("x", Options(ffs_version="12.0"), xml_format=23).semantics is Semantics.FFS12
