"""ffs_tools.plan.database against databases written by the real FreeFileSync 12.0 and 14.10.

The fixtures (fixtures/ffs_db/, see its README) come with manifest.json: what was on disk right
after FreeFileSync wrote them. Hostile inputs are crafted with a small encoder of the format below.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import pytest

from ffs_tools.plan import database
from ffs_tools.plan.database import (
    MAX_UNCOMPRESSED_SIZE,
    DatabaseError,
    DbFile,
    DbFolder,
    FileDescr,
    FolderStatus,
    db_key,
    load_last_synchronous_state,
    read_database_file,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ffs_db"
VERSIONS = ["v12", "v14"]
STREAM_VERSION = {"v12": 4, "v14": 5}
T0 = 1704880800  # 2024-01-10 10:00:00 UTC, the base time of make_fixtures.py


def db(version: str, side: str) -> Path:
    return FIXTURES / version / f"{side}.sync.ffs_db"


def manifest(version: str) -> dict[str, dict[str, list[Any]]]:
    data = json.loads((FIXTURES / version / "manifest.json").read_text(encoding="utf-8"))
    sides: dict[str, dict[str, list[Any]]] = data["sides"]
    return sides


def flatten(folder: DbFolder, prefix: str = "") -> dict[str, object]:
    """rel path -> DbFile | DbSymlink | DbFolder, paths built from the stored names."""
    out: dict[str, object] = {}
    for f in folder.files.values():
        out[prefix + f.name] = f
    for s in folder.symlinks.values():
        out[prefix + s.name] = s
    for d in folder.folders.values():
        out[prefix + d.name] = d
        out.update(flatten(d, prefix + d.name + "/"))
    return out


# ---------------------------------------------------------------- the fixtures written by FreeFileSync

SMALL_FILES = {  # rel path (as stored: NFC) -> (size, mtime)
    "a.txt": (6, T0),
    "zero.bin": (0, T0 + 1),
    "sub/b.txt": (12, T0 + 2),
    "sub/deeper/c.txt": (700, T0 + 3),
    "café.txt": (6, T0 + 4),
    "résumé.txt": (7, T0 + 5),
    "Ünïcødé/日本語.txt": (10, T0 + 6),
    "Dup.txt": (6, T0 + 7),
    "dup.txt": (6, T0 + 8),
    "right_only.txt": (15, T0 + 12),
}
SMALL_LINKS = {"link.txt": T0 + 9, "link_dir": T0 + 10, "dangling": T0 + 11}
SMALL_FOLDERS = {"empty", "sub", "sub/deeper", "Ünïcødé"}


def disk_name(rel: str, side: dict[str, list[Any]]) -> str:
    """The manifest key of a database path (the disk may hold the NFD form)."""
    for key in side:
        if unicodedata.normalize("NFC", key) == rel:
            return key
    raise AssertionError(rel)


@pytest.mark.parametrize("version", VERSIONS)
def test_header_and_sessions(version: str) -> None:
    left, right = read_database_file(db(version, "small_L")), read_database_file(db(version, "small_R"))
    assert (left.version, right.version) == (11, 11)
    assert len(left.sessions) == 1
    assert len(right.sessions) == 2
    (sid,) = left.sessions
    assert len(sid) == 16
    assert left.sessions[sid].is_lead_stream
    assert not right.sessions[sid].is_lead_stream
    (other,) = set(right.sessions) - {sid}
    assert right.sessions[other].is_lead_stream
    assert not read_database_file(db(version, "content_R")).sessions[other].is_lead_stream
    for session in [*left.sessions.values(), *right.sessions.values()]:
        assert struct.unpack_from("<i", session.raw_stream)[0] == STREAM_VERSION[version]


@pytest.mark.parametrize("version", VERSIONS)
def test_small_pair_exact_tree(version: str) -> None:
    state = load_last_synchronous_state(db(version, "small_L"), db(version, "small_R"))
    assert state is not None
    items = flatten(state)
    # sizeclash.txt was a conflict (same time, different size): not in sync, so not in the database
    assert set(items) == set(SMALL_FILES) | set(SMALL_LINKS) | SMALL_FOLDERS
    disk = manifest(version)
    for rel, (size, mtime) in SMALL_FILES.items():
        entry = items[rel]
        assert isinstance(entry, DbFile)
        ino_l = disk["small_L"][disk_name(rel, disk["small_L"])][3]
        ino_r = disk["small_R"][disk_name(rel, disk["small_R"])][3]
        assert entry == DbFile(rel.rsplit("/", 1)[-1], FileDescr(mtime, ino_l), FileDescr(mtime, ino_r),
                               "TimeAndSize", size)
    for rel, mtime in SMALL_LINKS.items():
        link = state.symlinks[rel]
        assert (link.name, link.left_mod_time, link.right_mod_time, link.cmp_var) == (rel, mtime, mtime, "TimeAndSize")
        assert disk["small_L"][rel][:2] == disk["small_R"][rel][:2] == ["symlink", mtime]
    # stream version 5 dropped the folder status
    expected_status: FolderStatus | None = "in_sync" if version == "v12" else None
    assert {f.status for f in state.folders.values()} == {expected_status}
    assert state.folders["empty"] == DbFolder("empty", {}, {}, {}, expected_status)


@pytest.mark.parametrize("version", VERSIONS)
def test_names_are_stored_nfc_and_keyed_by_db_key(version: str) -> None:
    state = load_last_synchronous_state(db(version, "small_L"), db(version, "small_R"))
    assert state is not None
    nfd = "re\u0301sume\u0301.txt"
    assert nfd in manifest(version)["small_L"]  # on disk: decomposed ...
    stored = state.files[db_key(nfd)]  # ... in the database: composed
    assert stored.name == "r\u00e9sum\u00e9.txt" == db_key(nfd)
    assert "Dup.txt" in state.files
    assert "dup.txt" in state.files


@pytest.mark.parametrize("version", VERSIONS)
def test_many_files_match_the_disk(version: str) -> None:
    state = load_last_synchronous_state(db(version, "many_L"), db(version, "many_R"))
    assert state is not None
    disk = manifest(version)
    files = {k: v for k, v in flatten(state).items() if isinstance(v, DbFile)}
    on_disk = {k for k, v in disk["many_L"].items() if v[0] == "file"}
    assert set(files) == on_disk
    assert len(files) == 1200
    assert set(state.folders) == {f"dir{i:02d}" for i in range(30)}
    for rel, entry in files.items():
        _, mtime, size, ino_l = disk["many_L"][rel]
        ino_r = disk["many_R"][rel][3]
        assert (entry.file_size, entry.left, entry.right) == (size, FileDescr(mtime, ino_l), FileDescr(mtime, ino_r))
    # the shared stream is split in two halves, one per file
    left, right = read_database_file(db(version, "many_L")), read_database_file(db(version, "many_R"))
    (sl,), (sr,) = left.sessions.values(), right.sessions.values()
    assert abs(len(sl.raw_stream) - len(sr.raw_stream)) <= 1


@pytest.mark.parametrize("version", VERSIONS)
def test_second_session_content_and_side_flip(version: str) -> None:
    disk = manifest(version)
    state = load_last_synchronous_state(db(version, "small_R"), db(version, "content_R"))
    assert state is not None
    entry = state.folders["sub"].folders["deeper"].files["c.txt"]
    ino_sr, ino_cr = disk["small_R"]["sub/deeper/c.txt"][3], disk["content_R"]["sub/deeper/c.txt"][3]
    assert entry == DbFile("c.txt", FileDescr(T0 + 3, ino_sr), FileDescr(T0 + 3, ino_cr), "Content", 700)
    assert {f.cmp_var for f in flatten(state).values() if isinstance(f, DbFile)} == {"Content"}
    assert "sizeclash.txt" in state.files  # equal by content in the second job (small_R's copy on both sides)
    # the same pair given the other way round: left and right swap (the lead stream is then the right one)
    flipped = load_last_synchronous_state(db(version, "content_R"), db(version, "small_R"))
    assert flipped is not None
    assert flipped.folders["sub"].folders["deeper"].files["c.txt"].left == FileDescr(T0 + 3, ino_cr)


@pytest.mark.parametrize("version", VERSIONS)
def test_no_database_cases_return_none(version: str, tmp_path: Path) -> None:
    assert load_last_synchronous_state(db(version, "small_L"), tmp_path / "missing") is None
    assert load_last_synchronous_state(tmp_path / "missing", db(version, "small_R")) is None
    # no common session (foreign file), and a file paired with a copy of itself (same lead flag)
    assert load_last_synchronous_state(db(version, "small_L"), db(version, "content_R")) is None
    assert load_last_synchronous_state(db(version, "small_L"), db(version, "small_L")) is None
    with pytest.raises(FileNotFoundError):
        read_database_file(tmp_path / "missing")


def test_v12_and_v14_agree() -> None:
    def shape(version: str) -> dict[str, tuple[object, ...]]:
        state = load_last_synchronous_state(db(version, "small_L"), db(version, "small_R"))
        assert state is not None
        return {k: (v.file_size, v.left.mod_time, v.right.mod_time, v.cmp_var) if isinstance(v, DbFile) else ()
                for k, v in flatten(state).items()}

    assert shape("v12") == shape("v14")


# ---------------------------------------------------------------- an encoder, for crafted inputs

def ffs_compress(data: bytes) -> bytes:
    return struct.pack("<Q", len(data)) + zlib.compress(data, 3) if data else b""


def container(data: bytes) -> bytes:
    return struct.pack("<i", len(data)) + data


def file_bytes(sessions: list[tuple[bytes, bool, bytes]], version: int = 11) -> bytes:
    body = b"FreeFileSync\x00" + struct.pack("<iI", version, len(sessions))
    for sid, lead, raw in sessions:
        body += container(sid) + struct.pack("<b", lead) + container(raw)
    return body + struct.pack("<I", zlib.crc32(body))


def stream_pair(text: bytes, small: bytes, big: bytes, version: int = 5, raw: bool = False) -> tuple[bytes, bytes]:
    """The two halves (lead first) of a stream of the given uncompressed (or, with raw, ready) buffers."""
    bufs = (text, small, big) if raw else tuple(ffs_compress(b) for b in (text, small, big))
    buf = b"".join(container(b) for b in bufs)
    half = len(buf) // 2
    return (struct.pack("<iQ", version, half) + buf[:half], struct.pack("<iQ", version, len(buf) - half) + buf[half:])


def write_pair(tmp_path: Path, lead: bytes, other: bytes) -> tuple[Path, Path]:
    left, right = tmp_path / "L.ffs_db", tmp_path / "R.ffs_db"
    left.write_bytes(file_bytes([(b"S" * 16, True, lead)]))
    right.write_bytes(file_bytes([(b"S" * 16, False, other)]))
    return left, right


def one_file_tree(name: bytes = b"f.txt") -> tuple[bytes, bytes, bytes]:
    text = container(name)
    small = struct.pack("<IiQ", 1, 2, 42) + struct.pack("<II", 0, 0)  # 1 file (Size, 42 bytes), 0 links, 0 folders
    big = struct.pack("<qQqQ", 100, 7, 200, 8)
    return text, small, big


def test_encoder_round_trip_and_lead_on_the_right(tmp_path: Path) -> None:
    lead, other = stream_pair(*one_file_tree())
    left, right = write_pair(tmp_path, lead, other)
    state = load_last_synchronous_state(left, right)
    assert state == DbFolder("", {"f.txt": DbFile("f.txt", FileDescr(100, 7), FileDescr(200, 8), "Size", 42)}, {}, {})
    # the lead half stored in the right file: the first descriptor in the stream is the right side's
    right.write_bytes(file_bytes([(b"S" * 16, True, lead)]))
    left.write_bytes(file_bytes([(b"S" * 16, False, other)]))
    flipped = load_last_synchronous_state(left, right)
    assert flipped is not None
    assert flipped.files["f.txt"].left == FileDescr(200, 8)


def test_stream_version_3_file_ids_and_straw_man(tmp_path: Path) -> None:
    text = container(b"f") + container(b"d")
    # 1 file (cmp 0, 5 bytes), 0 links, 1 folder "d" with status 1 (straw man), empty
    small = struct.pack("<IiQ", 1, 0, 5) + struct.pack("<I", 0) + struct.pack("<Ii", 1, 1)
    small += struct.pack("<III", 0, 0, 0)
    dev_ino = struct.pack("<QQ", 66, 1234)
    big = struct.pack("<q", 10) + container(dev_ino) + struct.pack("<q", 11) + container(b"")
    left, right = write_pair(tmp_path, *stream_pair(text, small, big, version=3))
    state = load_last_synchronous_state(left, right)
    assert state is not None
    assert state.files["f"].left == FileDescr(10, 1234)
    assert state.files["f"].right == FileDescr(11, 0)
    assert state.folders["d"].status == "straw_man"
    assert state.status == "in_sync"


def test_duplicates_first_entry_wins_and_folders_merge(tmp_path: Path) -> None:
    text = b"".join(container(n) for n in (b"x", b"x", b"d", b"a", b"d", b"b"))
    small = (struct.pack("<I", 2) + struct.pack("<iQ", 0, 1) * 2 + struct.pack("<I", 0) + struct.pack("<I", 2)
             + struct.pack("<IiQ", 1, 0, 2) + struct.pack("<II", 0, 0)  # d: file a
             + struct.pack("<IiQ", 1, 0, 3) + struct.pack("<II", 0, 0))  # d again: file b
    big = struct.pack("<qQqQ", 1, 0, 1, 0) + struct.pack("<qQqQ", 9, 0, 9, 0) + struct.pack("<qQqQ", 2, 0, 2, 0) * 2
    left, right = write_pair(tmp_path, *stream_pair(text, small, big))
    state = load_last_synchronous_state(left, right)
    assert state is not None
    assert state.files["x"].left.mod_time == 1
    assert set(state.folders["d"].files) == {"a", "b"}


def test_a_folder_of_files_cut_short_in_any_stream(tmp_path: Path) -> None:
    """The files of a folder are read a run at a time: every cut of each stream is still the end-of-stream error,
    and the whole folder reads exactly (first entry of a name wins, unknown compare variant kept, non-ASCII key)."""
    names = (b"a", b"caf\xc3\xa9", b"a", b"\xff")
    text = b"".join(container(n) for n in names)
    small = struct.pack("<I", 4) + b"".join(struct.pack("<iQ", v, s) for v, s in ((0, 1), (1, 2), (2, 3), (7, 4)))
    small += struct.pack("<II", 0, 0)
    big = b"".join(struct.pack("<qQqQ", 10 + i, 20 + i, 30 + i, 40 + i) for i in range(4))
    state = load_last_synchronous_state(*write_pair(tmp_path, *stream_pair(text, small, big)))
    assert state is not None
    assert state.files == {
        "a": DbFile("a", FileDescr(10, 20), FileDescr(30, 40), "TimeAndSize", 1),
        "caf\u00e9": DbFile("caf\u00e9", FileDescr(11, 21), FileDescr(31, 41), "Content", 2),
        "\udcff": DbFile("\udcff", FileDescr(13, 23), FileDescr(33, 43), "Unknown(7)", 4),
    }
    eos = "File content is corrupted. (unexpected end of stream)"
    for cut in range(len(text)):
        assert_db_error(*write_pair(tmp_path, *stream_pair(text[:cut], small, big)), eos)
    for cut in range(4, len(small) - 8):  # the file count kept: the files' run is short
        assert_db_error(*write_pair(tmp_path, *stream_pair(text, small[:cut], big)), eos)
    for cut in range(len(big)):
        assert_db_error(*write_pair(tmp_path, *stream_pair(text, small, big[:cut])), eos)


def test_deep_nesting_needs_no_recursion(tmp_path: Path) -> None:
    depth = 20_000  # far beyond Python's recursion limit
    text = container(b"d") * depth
    small = struct.pack("<III", 0, 0, 1) + struct.pack("<III", 0, 0, 1) * (depth - 1) + struct.pack("<III", 0, 0, 0)
    left, right = write_pair(tmp_path, *stream_pair(text, small, b""))
    state = load_last_synchronous_state(left, right)
    assert state is not None
    for _ in range(depth):
        state = state.folders["d"]
    assert not state.folders


def assert_db_error(left: Path, right: Path, detail: str) -> None:
    with pytest.raises(DatabaseError) as info:
        load_last_synchronous_state(left, right)
    assert info.value.detail == detail, info.value.detail
    assert str(info.value).startswith("Cannot read database file")


@pytest.mark.parametrize(
    ("bufs", "detail"),
    [
        ((b"\x01\x02", b"", b""), "zlib error: stream size < 8"),
        ((struct.pack("<Q", 0) + b"xx", b"", b""), "zlib error: uncompressed size == 0"),
        ((struct.pack("<Q", 5) + b"garbage", b"", b""), "Z_DATA_ERROR [zlib uncompress]"),
        ((struct.pack("<Q", 3) + zlib.compress(b"abcdef"), b"", b""), "Z_BUF_ERROR [zlib uncompress]"),
        ((struct.pack("<Q", 9) + zlib.compress(b"abcdef"), b"", b""),
         "bytes written != uncompressed size. [zlib_decompress]"),
        ((struct.pack("<Q", 6) + zlib.compress(b"abcdef")[:-3], b"", b""), "Z_DATA_ERROR [zlib uncompress]"),
        ((struct.pack("<Q", 1 << 62) + zlib.compress(b"a"), b"", b""),
         f"zlib error: uncompressed size {1 << 62} exceeds the ffs-tools limit of {MAX_UNCOMPRESSED_SIZE} bytes."),
    ],
)
def test_bad_zlib_buffers(tmp_path: Path, bufs: tuple[bytes, bytes, bytes], detail: str) -> None:
    assert_db_error(*write_pair(tmp_path, *stream_pair(*bufs, raw=True)), detail)


def test_zlib_bomb_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 1 << 20
    monkeypatch.setattr(database, "MAX_UNCOMPRESSED_SIZE", limit)
    bomb = zlib.compress(b"\0" * (limit * 8), 9)  # 8 KB that inflate to 8 MB
    assert_db_error(*write_pair(tmp_path, *stream_pair(struct.pack("<Q", limit) + bomb, b"", b"", raw=True)),
                    "Z_BUF_ERROR [zlib uncompress]")
    assert_db_error(*write_pair(tmp_path, *stream_pair(struct.pack("<Q", limit + 1) + bomb, b"", b"", raw=True)),
                    f"zlib error: uncompressed size {limit + 1} exceeds the ffs-tools limit of {limit} bytes.")


def test_stream_errors(tmp_path: Path) -> None:
    lead, other = stream_pair(*one_file_tree())
    assert_db_error(*write_pair(tmp_path, lead, struct.pack("<i", 4) + other[4:]),
                    "File content is corrupted. (different stream formats)")
    assert_db_error(*write_pair(tmp_path, struct.pack("<i", 77) + lead[4:], struct.pack("<i", 77) + other[4:]),
                    "Unsupported data format. Version: 77")
    huge = struct.pack("<iQ", 5, 1 << 63) + lead[12:]
    assert_db_error(*write_pair(tmp_path, huge, other), "File content is corrupted. (unexpected end of stream)")
    text, small, big = one_file_tree()
    assert_db_error(*write_pair(tmp_path, *stream_pair(text, struct.pack("<I", 0xFFFFFFFF) + small[4:], big)),
                    "File content is corrupted. (unexpected end of stream)")
    assert_db_error(*write_pair(tmp_path, *stream_pair(struct.pack("<i", -1), small, big)),
                    "File content is corrupted. (unexpected end of stream)")


def test_multiple_common_sessions(tmp_path: Path) -> None:
    lead, other = stream_pair(*one_file_tree())
    left, right = tmp_path / "L", tmp_path / "R"
    left.write_bytes(file_bytes([(b"A" * 16, True, lead), (b"B" * 16, False, other)]))
    right.write_bytes(file_bytes([(b"A" * 16, False, other), (b"B" * 16, True, lead)]))
    with pytest.raises(DatabaseError) as info:
        load_last_synchronous_state(left, right)
    assert str(info.value) == (f'Cannot read database file "{left}", "{right}".\n\n'
                               "File content is corrupted. (multiple common sessions found)")


def test_file_errors(tmp_path: Path) -> None:
    good = db("v12", "small_L").read_bytes()
    bad = tmp_path / "x.sync.ffs_db"
    for data, detail in [
        (b"FreeFileSynk\x00" + good[13:], "File content is corrupted. (invalid header)"),
        (good[:-1] + bytes([good[-1] ^ 0x80]), "File content is corrupted. (invalid checksum)"),
        (good[:13] + struct.pack("<i", 99) + good[17:], "Unsupported data format. Version: 99"),
        (good[:10], "File content is corrupted. (unexpected end of stream)"),
        (b"", "File content is corrupted. (unexpected end of stream)"),
    ]:
        bad.write_bytes(data)
        with pytest.raises(DatabaseError) as info:
            read_database_file(bad)
        assert str(info.value) == f'Cannot read database file "{bad}".\n\n{detail}'
    # version 10: no checksum, else the same layout
    body = b"FreeFileSync\x00" + struct.pack("<iI", 10, 0)
    bad.write_bytes(body)
    assert read_database_file(bad).sessions == {}
    folder = tmp_path / "dir.sync.ffs_db"
    folder.mkdir()
    with pytest.raises(DatabaseError) as info:
        read_database_file(folder)
    assert str(info.value) == f'Cannot read file "{folder}".\n\nEISDIR: Is a directory [read]'


@pytest.mark.parametrize("version", VERSIONS)
def test_truncation_at_every_offset(version: str, tmp_path: Path) -> None:
    left_bytes, right_bytes = db(version, "small_L").read_bytes(), db(version, "small_R").read_bytes()
    left, right = tmp_path / "L", tmp_path / "R"
    right.write_bytes(right_bytes)
    for n in range(len(left_bytes)):
        left.write_bytes(left_bytes[:n])
        with pytest.raises(DatabaseError):
            load_last_synchronous_state(left, right)
        # the same with a valid checksum: the parser itself must notice
        cut = left_bytes[: max(n - 4, 0)]
        left.write_bytes(cut + struct.pack("<I", zlib.crc32(cut)))
        with contextlib.suppress(DatabaseError):
            load_last_synchronous_state(left, right)


@pytest.mark.parametrize("version", VERSIONS)
def test_bit_flips(version: str, tmp_path: Path) -> None:
    data = db(version, "small_L").read_bytes()
    left, right = tmp_path / "L", tmp_path / "R"
    right.write_bytes(db(version, "small_R").read_bytes())
    for i in range(len(data)):  # one bit per byte, a different bit position from byte to byte
        flipped = bytearray(data)
        flipped[i] ^= 1 << (i % 8)
        left.write_bytes(flipped)
        if flipped[13:17] == struct.pack("<i", 10):  # version 11 -> 10: no checksum in that version, and it parses
            assert load_last_synchronous_state(left, right) is not None
            continue
        with pytest.raises(DatabaseError):  # CRC-32 catches every single-bit error
            load_last_synchronous_state(left, right)
        # checksum repaired: whatever the parser makes of it, only DatabaseError may escape
        flipped[-4:] = struct.pack("<I", zlib.crc32(bytes(flipped[:-4])))
        left.write_bytes(flipped)
        try:
            result = load_last_synchronous_state(left, right)
        except DatabaseError:
            continue
        assert result is None or isinstance(result, DbFolder)


# ---------------------------------------------------------------- the real FreeFileSync 12.0, now

GLOBAL_SETTINGS = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<FreeFileSync XmlType="GLOBAL" XmlFormat="25"><LogFiles MaxAge="30" Format="Text"/></FreeFileSync>\n'
)
JOB = """<?xml version="1.0" encoding="utf-8"?>
<FreeFileSync XmlType="BATCH" XmlFormat="17">
    <Compare><Variant>TimeAndSize</Variant><Symlinks>Direct</Symlinks><IgnoreTimeShift/></Compare>
    <Synchronize><Variant>TwoWay</Variant><DetectMovedFiles>false</DetectMovedFiles>
        <DeletionPolicy>Permanent</DeletionPolicy><VersioningFolder Style="Replace"/></Synchronize>
    <Filter><Include><Item>*</Item></Include><Exclude/>
        <SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax><TimeSpan Type="None">0</TimeSpan></Filter>
    <FolderPairs><Pair><Left>{left}</Left><Right>{right}</Right></Pair></FolderPairs>
    <Errors Ignore="true" Retry="0" Delay="5"/>
    <PostSyncCommand Condition="Completion"/>
    <LogFolder>{log}</LogFolder>
    <EmailNotification Condition="Always"/>
    <Batch><ProgressDialog Minimized="true" AutoClose="true"/><ErrorDialog>Cancel</ErrorDialog>\
<PostSyncAction>None</PostSyncAction></Batch>
</FreeFileSync>
"""


def run_ffs(tmp_path: Path, left: Path, right: Path) -> tuple[int, str]:
    if shutil.which("FreeFileSync") is None or shutil.which("xvfb-run") is None:
        reason = "FreeFileSync or xvfb-run is not installed (apt-get install -y freefilesync xvfb xauth)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    logs = tmp_path / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    job = tmp_path / "job.ffs_batch"
    job.write_text(JOB.format(left=left, right=right, log=logs), encoding="utf-8")
    settings = tmp_path / "GlobalSettings.xml"
    settings.write_text(GLOBAL_SETTINGS, encoding="utf-8")
    proc = subprocess.run(["xvfb-run", "-a", "timeout", "-k", "5", "120", "FreeFileSync", str(job), str(settings)],
                          capture_output=True, text=True, timeout=180, check=False)
    return proc.returncode, "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs.glob("*"))


@pytest.mark.ffs
def test_real_ffs12_database_matches_disk(tmp_path: Path) -> None:
    left, right = tmp_path / "L", tmp_path / "R"
    tree = [("a.txt", b"a", T0), ("sub/deep/b.bin", b"bb" * 50, T0 + 60), ("ß/€.txt", b"euro", T0 + 120),
            ("right.txt", b"r", T0 + 180)]
    for rel, data, mtime in tree:
        path = (right if rel == "right.txt" else left) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
    right.mkdir(exist_ok=True)
    os.symlink("a.txt", left / "ln")
    os.utime(left / "ln", (T0 + 240, T0 + 240), follow_symlinks=False)

    code, log = run_ffs(tmp_path, left, right)
    assert code == 1, log  # the first-run warning
    assert "Setting directions for first synchronization" in log
    state = load_last_synchronous_state(left / ".sync.ffs_db", right / ".sync.ffs_db")
    assert state is not None
    seen = set()
    for rel, entry in flatten(state).items():
        seen.add(rel)
        st_l, st_r = (left / rel).lstat(), (right / rel).lstat()
        if isinstance(entry, DbFile):
            assert entry.file_size == st_l.st_size == st_r.st_size
            assert entry.left == FileDescr(int(st_l.st_mtime), st_l.st_ino)
            assert entry.right == FileDescr(int(st_r.st_mtime), st_r.st_ino)
    assert seen == {"a.txt", "sub", "sub/deep", "sub/deep/b.bin", "ß", "ß/€.txt", "right.txt", "ln"}
    assert state.symlinks["ln"].left_mod_time == state.symlinks["ln"].right_mod_time == T0 + 240

    # a corrupted left database: FreeFileSync logs exactly our DatabaseError, then syncs as a first run
    corrupt = bytearray((left / ".sync.ffs_db").read_bytes())
    corrupt[20] ^= 0x10
    (left / ".sync.ffs_db").write_bytes(corrupt)
    with pytest.raises(DatabaseError) as info:
        load_last_synchronous_state(left / ".sync.ffs_db", right / ".sync.ffs_db")
    (right / "right.txt").unlink()  # with a usable database this deletion would reach the left side
    code, log = run_ffs(tmp_path, left, right)
    assert code == 2, log
    assert info.value.message in log
    assert info.value.detail in log
    assert "Setting directions for first synchronization" in log
    assert (right / "right.txt").exists()  # copied back from the left: first-run directions


def test_size_limit_and_both_files_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = tmp_path / "L", tmp_path / "R"
    left.write_bytes(b"garbage")
    right.write_bytes(b"FreeFileSynk\x00rubbish")
    with pytest.raises(DatabaseError) as info:
        load_last_synchronous_state(left, right)
    assert info.value.message == f'Cannot read database file "{left}".'  # both are read; the left error wins
    monkeypatch.setattr(database, "MAX_DB_FILE_SIZE", 100)
    big = tmp_path / "big"
    big.write_bytes(db("v12", "small_L").read_bytes())  # 242 bytes
    with pytest.raises(DatabaseError) as info:
        read_database_file(big)
    assert info.value.detail == "File is larger than 100 bytes (ffs-tools limit)."


def test_undecodable_name_round_trips(tmp_path: Path) -> None:
    raw = b"caf\xe9-latin1.txt"
    left, right = write_pair(tmp_path, *stream_pair(*one_file_tree(raw)))
    state = load_last_synchronous_state(left, right)
    assert state is not None
    (name,) = state.files
    assert os.fsencode(name) == raw


def uncompressed_sizes(version: str, pair: str) -> list[int]:
    """Declared uncompressed sizes of the text, small-number and big-number buffers of a fixture pair."""
    (sl,) = read_database_file(db(version, f"{pair}_L")).sessions.values()
    (sr,) = read_database_file(db(version, f"{pair}_R")).sessions.values()
    lead, other = (sl, sr) if sl.is_lead_stream else (sr, sl)
    size1, size2 = struct.unpack_from("<Q", lead.raw_stream, 4)[0], struct.unpack_from("<Q", other.raw_stream, 4)[0]
    buf = lead.raw_stream[12 : 12 + size1] + other.raw_stream[12 : 12 + size2]
    sizes, pos = [], 0
    for _ in range(3):
        (n,) = struct.unpack_from("<i", buf, pos)
        sizes.append(struct.unpack_from("<Q", buf, pos + 4)[0])
        pos += 4 + n
    assert pos == len(buf)
    return sizes


def test_stream_5_dropped_the_folder_status() -> None:
    text12, small12, big12 = uncompressed_sizes("v12", "many")
    text14, small14, big14 = uncompressed_sizes("v14", "many")
    assert (text12, big12) == (text14, big14) == (20670, 38400)  # 1200 files: 4 x int64/uint64 each = 38400
    assert small12 - small14 == 4 * 30  # one int32 status per folder (30 folders) in stream version 4 only


def test_ffs12_rejects_a_database_written_by_ffs14() -> None:
    left, right = db("v14", "small_L"), db("v14", "small_R")
    with pytest.raises(DatabaseError) as info:
        load_last_synchronous_state(left, right, ffs_major=12)
    # as FreeFileSync 12.0 logged it in run X24 (a pair synced by 14.10, then run by 12.0)
    assert str(info.value) == f'Cannot read database file "{left}", "{right}".\n\nUnsupported data format. Version: 5'
    assert load_last_synchronous_state(db("v12", "small_L"), db("v12", "small_R"), ffs_major=12) is not None
    assert load_last_synchronous_state(db("v12", "small_L"), db("v12", "small_R"), ffs_major=14) is not None
    with pytest.raises(ValueError, match="ffs_major=9"):
        load_last_synchronous_state(left, right, ffs_major=9)
