"""The renderer writes FreeFileSync's own bytes.

Golden files: fixtures/ffs14-migrations/ holds hand-written format-17 configs and the
format-23 files that the real FreeFileSync 14.10 wrote back for them. For each pair
we build the model by hand (from the settings, not by reading the file) and render it:

* format 23 must equal 14.10's output byte for byte (CRLF, indentation, order, escaping);
* format 17 must equal the hand-written file up to line endings (those use LF; FreeFileSync
  itself writes CRLF, and so do we) and one escape (they write ``&quot;`` in text).
"""

from __future__ import annotations

from dataclasses import replace
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
    CompareConfig,
    CompareVariant,
    ConfigKind,
    DeletionPolicy,
    Differences,
    Direction,
    ErrorDialog,
    ErrorsConfig,
    FilterConfig,
    FolderPair,
    PostSyncCondition,
    RealTimeConfig,
    SizeUnit,
    SymlinkHandling,
    SyncConfig,
    SyncJob,
    TimeSpanType,
    Versioning,
    VersioningStyle,
)
from ffs_tools.xml.write import RenderError, escape_attr, escape_text, legacy_sync, render

MIGRATIONS = Path(__file__).resolve().parent.parent / "fixtures" / "ffs14-migrations"
R, L, N = Direction.RIGHT, Direction.LEFT, Direction.NONE

BASE = SyncJob(
    kind=ConfigKind.BATCH,
    filter=FilterConfig(exclude=("*/.git", "*/venv/", "*/__pycache__/")),
    pairs=(FolderPair("L", "R"),),
    log_folder="logs",
    batch=BatchConfig(minimized=True, auto_close=True, error_dialog=ErrorDialog.CANCEL),
)
GUI = replace(BASE, kind=ConfigKind.GUI, batch=None)
SIZE = CompareConfig(variant=CompareVariant.SIZE)
CONTENT = CompareConfig(variant=CompareVariant.CONTENT)
ERRORS_POST = {
    "errors": ErrorsConfig(ignore=True, retry=2, delay=10),
    "post_sync_command": 'echo "failed" >> sync.log',
    "post_sync_condition": PostSyncCondition.ERRORS,
    "batch": BatchConfig(minimized=False, auto_close=True, error_dialog=ErrorDialog.SHOW),
}
VERSIONING = SyncConfig(TWO_WAY, DeletionPolicy.VERSIONING,
                        Versioning("versions", VersioningStyle.TIMESTAMP_FILE, max_age=30, min_count=2, max_count=10))
SFTP = "sftp://me@gpu-box.invalid:22/home/me/llm-distillery|keyfile=/home/me/.ssh/id_ed25519|chan=4"


def _two_pairs(pair_sync: SyncConfig) -> dict[str, object]:
    second = FolderPair(
        "L2", "R2",
        compare=CompareConfig(CompareVariant.SIZE, SymlinkHandling.DIRECT, "1"),
        sync=pair_sync,
        filter=FilterConfig(include=("models\\", "*.pt"), exclude=("*.tmp|*\\wandb\\",),
                            size_min=1, size_min_unit=SizeUnit.KB, size_max=500, size_max_unit=SizeUnit.MB,
                            time_span=7, time_span_type=TimeSpanType.LAST_DAYS),
    )
    return {"pairs": (FolderPair("L", "R"), second)}


# name -> (base, format-17 changes, format-23 changes): the same settings, in each format's terms
CASES: dict[str, tuple[SyncJob, dict[str, object], dict[str, object]]] = {
    "custom-newer-wins-gui.ffs_gui": (GUI, {"sync": SyncConfig(Differences(R, R, L, L, N, N))},
                                      {"sync": SyncConfig(NEWER_WINS)}),
    "custom-newer-wins.ffs_batch": (BASE, {"sync": SyncConfig(Differences(R, R, L, L, N, N))},
                                    {"sync": SyncConfig(NEWER_WINS)}),
    # Size comparison: 14.10 sets LeftNewer and RightNewer to the v17 Different direction
    # (docs/formats.md#how-1410-reads-format-17)
    "custom-size-compare.ffs_batch": (BASE, {"compare": SIZE, "sync": SyncConfig(Differences(R, R, L, L, R, L))},
                                      {"compare": SIZE, "sync": SyncConfig(Differences(R, R, R, L))}),
    "errors-ignore-post.ffs_batch": (BASE, ERRORS_POST, ERRORS_POST),
    "mirror-moved.ffs_batch": (BASE, {"sync": SyncConfig(MIRROR_MOVES, detect_moved_files=True)},
                               {"sync": SyncConfig(MIRROR_MOVES)}),
    "mirror.ffs_batch": (BASE, {"sync": SyncConfig(MIRROR)}, {"sync": SyncConfig(MIRROR)}),
    "permanent.ffs_batch": (BASE, {"sync": SyncConfig(MIRROR, DeletionPolicy.PERMANENT)},
                            {"sync": SyncConfig(MIRROR, DeletionPolicy.PERMANENT)}),
    "sftp-target.ffs_batch": (BASE, {"pairs": (FolderPair("L", SFTP, right_threads=4),)},
                              {"pairs": (FolderPair("L", SFTP, right_threads=4),)}),
    "two-pairs-overrides.ffs_batch": (
        BASE, _two_pairs(SyncConfig(UPDATE_LEGACY, DeletionPolicy.PERMANENT)),
        _two_pairs(SyncConfig(Differences(R, R, R, N), DeletionPolicy.PERMANENT))),
    "twoway-gui.ffs_gui": (GUI, {}, {}),
    "twoway.ffs_batch": (BASE, {}, {}),
    # Content comparison: the legacy Update also overwrites "different" right files (RightNewer=right)
    "update-content.ffs_batch": (BASE, {"compare": CONTENT, "sync": SyncConfig(UPDATE_LEGACY)},
                                 {"compare": CONTENT, "sync": SyncConfig(Differences(R, R, R, N))}),
    "update.ffs_batch": (BASE, {"sync": SyncConfig(UPDATE_LEGACY)}, {"sync": SyncConfig(UPDATE_LEGACY)}),
    "versioning.ffs_batch": (BASE, {"sync": VERSIONING}, {"sync": VERSIONING}),
}


def _file(name: str, fmt: int) -> Path:
    stem, ext = name.rsplit(".", 1)
    return MIGRATIONS / f"{stem}.v{fmt}.{ext}"


def test_every_migration_pair_has_a_case() -> None:
    on_disk = {p.name.replace(".v23", "") for p in MIGRATIONS.glob("*.v23.*")}
    assert on_disk == set(CASES)
    assert all(_file(name, 17).exists() for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_format23_is_byte_identical_to_freefilesync_14_10(name: str) -> None:
    base, _, changes23 = CASES[name]
    job = replace(base, xml_format=23, **changes23)  # type: ignore[arg-type]
    assert render(job) == _file(name, 23).read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_format17_matches_freefilesync_12_layout(name: str) -> None:
    base, changes17, _ = CASES[name]
    job = replace(base, xml_format=17, **changes17)  # type: ignore[arg-type]
    data = render(job)
    assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF, as FreeFileSync writes"
    # the hand-written files escape '"' in element text as &quot;; FreeFileSync writes it as is (see the v23 files)
    expected = _file(name, 17).read_bytes().replace(b"&quot;", b'"')
    assert data.replace(b"\r\n", b"\n") == expected


def test_escaping_is_freefilesyncs() -> None:
    assert escape_text('a&b<c>"d\'e') == "a&amp;b&lt;c&gt;\"d'e"
    assert escape_attr('a&b<c>"d\'e') == "a&amp;b&lt;c&gt;&quot;d&apos;e"
    assert escape_text("x\ty\nz") == "x&#x09;y&#x0A;z"
    job = replace(BASE, xml_format=23, notes='say "hi" & <bye>', pairs=(FolderPair("/a b/ü", "/x&y"),))
    data = render(job)
    assert b'<Notes>say "hi" &amp; &lt;bye&gt;</Notes>' in data
    assert "<Left>/a b/ü</Left>".encode() in data
    assert b"<Right>/x&amp;y</Right>" in data


def test_realtime_layout() -> None:
    cfg = RealTimeConfig(directories=("/home/me/proj",), delay=10, command_line='FreeFileSync "/home/me/p.ffs_batch"')
    assert render(cfg) == (
        b'<?xml version="1.0" encoding="utf-8"?>\r\n'
        b'<FreeFileSync XmlType="REAL" XmlFormat="2">\r\n'
        b"    <Directories>\r\n"
        b"        <Item>/home/me/proj</Item>\r\n"
        b"    </Directories>\r\n"
        b"    <Delay>10</Delay>\r\n"
        b'    <Commandline>FreeFileSync "/home/me/p.ffs_batch"</Commandline>\r\n'
        b"</FreeFileSync>\r\n"
    )
    assert b"<Directories/>" in render(RealTimeConfig())


def test_comment_goes_after_the_declaration_and_cannot_break_out() -> None:
    data = render(replace(BASE, xml_format=17), comment="a -- b --> c")
    second = data.split(b"\r\n")[1]
    assert second == b"<!-- a - - b - -&gt; c -->"


def test_legacy_variants() -> None:
    assert legacy_sync(SyncConfig(TWO_WAY)).variant == "TwoWay"
    assert legacy_sync(SyncConfig(MIRROR)).variant == "Mirror"
    assert legacy_sync(SyncConfig(MIRROR_MOVES)).detect_moved is True
    assert legacy_sync(SyncConfig(UPDATE_LEGACY)).variant == "Update"
    custom = legacy_sync(SyncConfig(Differences(R, R, L, L, N, N)))
    assert (custom.variant, custom.custom) == ("Custom", Differences(R, R, L, L, N, N))


@pytest.mark.parametrize(("sync", "message"), [
    (SyncConfig(UPDATE), "cannot be expressed in format 17"),
    (SyncConfig(NEWER_WINS), "also needs Different and Conflict"),
    (SyncConfig(Differences(R, R, L, L, different=N)), "need both Different and Conflict"),
])
def test_format17_refuses_what_it_cannot_express(sync: SyncConfig, message: str) -> None:
    with pytest.raises(RenderError, match=message):
        render(replace(BASE, xml_format=17, sync=sync))


def test_format23_refuses_legacy_only_directions() -> None:
    with pytest.raises(RenderError, match="format 23 does not have"):
        render(replace(BASE, xml_format=23, sync=SyncConfig(Differences(R, R, L, L, N, N))))


def test_format17_has_no_notes() -> None:
    with pytest.raises(RenderError, match="no <Notes>"):
        render(replace(BASE, xml_format=17, notes="x"))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("fmt", [17, 23])
def test_hand_built_models_are_what_the_reader_reads(name: str, fmt: int) -> None:
    """The models above are what ffs_tools.xml.parse makes of the files, so rendering == round-tripping."""
    from ffs_tools.xml.read import load

    base, changes17, changes23 = CASES[name]
    job = replace(base, xml_format=fmt, **(changes17 if fmt == 17 else changes23))  # type: ignore[arg-type]
    loaded = load(_file(name, fmt))
    assert loaded.problems == ()
    assert loaded.config == job


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_then_render_gives_freefilesyncs_bytes_back(name: str) -> None:
    from ffs_tools.xml.read import load

    path = _file(name, 23)
    loaded = load(path)
    assert isinstance(loaded.config, SyncJob)
    assert render(loaded.config) == path.read_bytes()
