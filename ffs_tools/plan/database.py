"""Read FreeFileSync's two-way database, the ``.sync.ffs_db`` file in the root of each base folder.

The format (docs/database.md has it byte by byte, with sources) as FreeFileSync 12.0 (file version 11,
stream version 4) and 14.10 (file version 11, stream version 5) write it: every base folder holds one
file; each file holds a map "session id -> (is lead stream, raw stream)"; the two files of a folder
pair share exactly one session id, and only the two halves of that session together give the
"last synchronous state": a tree of folders, files and symlinks with, for each item, what both sides
looked like when FreeFileSync last saw them in sync.

Public API (pure stdlib; it never writes anything):

``read_database_file(path) -> RawDb``
    One side's file: version and sessions, checksum verified. Raises ``DatabaseError``.
``load_last_synchronous_state(left_db_path, right_db_path, *, ffs_major=14) -> DbFolder | None``
    What ``loadLastSynchronousState`` (``FreeFileSync/Source/base/db_file.cpp``) yields for a folder pair:
    ``None`` where FreeFileSync silently behaves as if there were no database (either file missing,
    or the two files share no session), ``DatabaseError`` where FreeFileSync reports an error (and then
    also carries on without a database, see docs/comparison-and-sync.md), else the tree. ``ffs_major=12``
    applies FreeFileSync 12's rules (a stream written by FreeFileSync 13+ is an error there).
``db_key(name) -> str``
    The key FreeFileSync looks an item name up with (``ZstringNorm``: Unicode NFC, case-sensitive);
    the dicts of ``DbFolder`` are keyed by it.

Data model (``left``/``right`` refer to the folder pair as passed to ``load_last_synchronous_state``):

``DbFolder(name, files, symlinks, folders, status)``
    ``status`` is ``"in_sync"`` or ``"straw_man"`` for streams up to version 4 (FFS up to 12.5; 12.0 treats
    a straw-man folder as "no database entry"), ``None`` for stream version 5 (FFS 13.0 and later, which
    dropped the field and treats every stored folder as in sync).
``DbFile(name, left, right, cmp_var, file_size)`` with ``FileDescr(mod_time, file_print)``
    ``mod_time``: seconds since 1970 (int64); ``file_print``: FreeFileSync's ``AFS::FingerPrint``
    (uint64; on a local Linux folder the inode number; 0 = unknown).
``DbSymlink(name, left_mod_time, right_mod_time, cmp_var)``
``cmp_var``: ``"TimeAndSize"``, ``"Content"`` or ``"Size"`` (the compare variant active when the item was
    found in sync); an out-of-range stored number gives ``"Unknown(<n>)"``.

Not supported (``DatabaseError`` saying so, though FreeFileSync 12.0/14.10 still read them): file
version 9 and stream version 2, written by FreeFileSync before 2017.

Hostile input: every malformed file gives ``DatabaseError`` (never another exception); the input is
bounded by ``MAX_DB_FILE_SIZE`` and each decompressed buffer by ``MAX_UNCOMPRESSED_SIZE``, and the tree
cannot have more entries than those buffers have bytes for (at least 4 per name), so memory stays
proportional to them; parsing is iterative (no recursion).
"""

from __future__ import annotations

import errno
import os
import struct
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

__all__ = [
    "CMP_VARIANTS",
    "DB_FILE_NAME",
    "MAX_DB_FILE_SIZE",
    "MAX_UNCOMPRESSED_SIZE",
    "DatabaseError",
    "DbFile",
    "DbFolder",
    "DbSymlink",
    "FileDescr",
    "RawDb",
    "SessionInfo",
    "db_key",
    "last_synchronous_state",
    "load_last_synchronous_state",
    "parse_database_bytes",
    "read_database_file",
]

DB_FILE_NAME = ".sync.ffs_db"
DB_FILE_DESCR = b"FreeFileSync\x00"  # char[13] including the terminating NUL
FILE_VERSIONS_READ = (10, 11)  # FFS 12.0/14.10 also read 9 (pre-2017)
STREAM_VERSIONS_READ = (3, 4, 5)  # 3: FFS up to 11.6 (file ids as dev+ino blobs), 4: 11.7-12.5, 5: 13.0 on
CMP_VARIANTS = ("TimeAndSize", "Content", "Size")  # enum class CompareVariant {timeSize, content, size}
MAX_DB_FILE_SIZE = 1 << 30  # ffs-tools' own limit (FreeFileSync has none)
MAX_UNCOMPRESSED_SIZE = 1 << 28  # per zlib buffer; FFS's comment: 1 million files ~ 50 MB uncompressed

# FreeFileSync's message texts (English), zen/serialize.h, base/db_file.cpp, zen/zlib_wrap.cpp @ v12.0 = v14.10
MSG_CANNOT_READ = 'Cannot read database file "{}".'
MSG_CORRUPTED = "File content is corrupted."
MSG_EOS = MSG_CORRUPTED + " (unexpected end of stream)"
MSG_UNSUPPORTED = "Unsupported data format. Version: {}"


class DatabaseError(Exception):
    """A database FreeFileSync would report as an error (``message`` and ``detail`` are its own texts).

    ``str(error)`` is ``message + "\\n\\n" + detail`` like FreeFileSync's ``FileError::toString()``.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        self.message = message
        self.detail = detail
        super().__init__(message + ("\n\n" + detail if detail else ""))


class FileDescr(NamedTuple):
    """One side of a file's in-sync state (``InSyncDescrFile``); a named tuple: databases hold millions."""

    mod_time: int
    file_print: int


class DbFile(NamedTuple):
    """``InSyncFile``: the file was equal on both sides, with these attributes, at the last sync (a named tuple,
    like :class:`FileDescr`: built without a Python call per file, see :func:`_files`)."""

    name: str
    left: FileDescr
    right: FileDescr
    cmp_var: str
    file_size: int


class DbSymlink(NamedTuple):
    """``InSyncSymlink`` (a symlink handled as a link, i.e. Symlinks=Direct)."""

    name: str
    left_mod_time: int
    right_mod_time: int
    cmp_var: str


FolderStatus = Literal["in_sync", "straw_man"]


@dataclass(frozen=True)
class DbFolder:
    """``InSyncFolder``; the root folder has the name ``""``. Dicts are keyed by ``db_key(name)``."""

    name: str
    files: Mapping[str, DbFile] = field(default_factory=dict)
    symlinks: Mapping[str, DbSymlink] = field(default_factory=dict)
    folders: Mapping[str, DbFolder] = field(default_factory=dict)
    status: FolderStatus | None = None


@dataclass(frozen=True)
class SessionInfo:
    """One entry of a file's session map: the 16-byte session GUID and this side's half-stream."""

    session_id: bytes
    is_lead_stream: bool
    raw_stream: bytes = field(repr=False)


@dataclass(frozen=True)
class RawDb:
    """One ``.sync.ffs_db`` file. ``sessions`` keeps FreeFileSync's rule for duplicate ids: the last one wins."""

    path: str
    version: int
    sessions: Mapping[bytes, SessionInfo]


def db_key(name: str) -> str:
    """The key FreeFileSync uses for ``name`` in the database maps: ``ZstringNorm`` = Unicode NFC, case kept."""
    if name.isascii():
        return name  # already NFC
    try:
        return unicodedata.normalize("NFC", name)
    except ValueError:  # pragma: no cover - normalize() does not fail on str
        return name


class _Eos(Exception):
    """Unexpected end of stream (FreeFileSync: ``SysErrorUnexpectedEos``)."""


class _Corrupt(Exception):
    """A SysError with FreeFileSync's detail text."""


_STRUCTS: dict[str, struct.Struct] = {}
_CMP_SIZE = struct.Struct("<iQ")  # a file's compare variant and size (small stream)
_I32 = struct.Struct("<i")  # a container's size
_TWO_DESCR = struct.Struct("<qQqQ")  # a file's time and print on the lead side, then on the other (big stream)


class _Reader:
    """``MemoryStreamIn`` + ``readNumber``/``readContainer`` from zen/serialize.h (little endian)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def array(self, n: int) -> bytes:
        if n < 0 or n > len(self.data) - self.pos:
            raise _Eos
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def num(self, fmt: str) -> int:
        st = _STRUCTS.get(fmt) or _STRUCTS.setdefault(fmt, struct.Struct(fmt))
        pos = self.pos
        if pos + st.size > len(self.data):
            raise _Eos
        self.pos = pos + st.size
        value: int = st.unpack_from(self.data, pos)[0]  # no slice copy: databases of 1 million items
        return value

    def nums(self, st: struct.Struct) -> tuple[int, ...]:
        """Several numbers in a row, with one bounds check and one unpack."""
        pos = self.pos
        if pos + st.size > len(self.data):
            raise _Eos
        self.pos = pos + st.size
        return st.unpack_from(self.data, pos)

    def container(self) -> bytes:
        size = self.num("<i")  # int32: a negative size means corruption
        if size < 0:
            raise _Eos
        return self.array(size)


def _display(path: str | Path) -> str:
    return str(path)


def read_database_file(path: str | Path) -> RawDb:
    """Read one side's database file (FreeFileSync's ``loadStreams``).

    Raises ``FileNotFoundError`` when the file does not exist (FreeFileSync: ``FileErrorDatabaseNotExisting``,
    never reported) and ``DatabaseError`` for everything else that goes wrong.
    """
    shown = _display(path)
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_DB_FILE_SIZE:
                data, too_big = b"", True  # not even read
            else:
                data = fh.read(MAX_DB_FILE_SIZE + 1)
                too_big = len(data) > MAX_DB_FILE_SIZE
    except FileNotFoundError:
        raise
    except OSError as exc:  # FFS: the FileError of AFS::getInputStream (open) or tryRead (read)
        code = errno.errorcode.get(exc.errno or 0, "")
        what, func = ("read", "read") if isinstance(exc, IsADirectoryError) else ("open", "open")
        detail = f"{code}: {exc.strerror} [{func}]" if code else str(exc)
        raise DatabaseError(f'Cannot {what} file "{shown}".', detail) from None
    if too_big:
        limit = f"File is larger than {MAX_DB_FILE_SIZE} bytes (ffs-tools limit)."
        raise DatabaseError(MSG_CANNOT_READ.format(shown), limit)
    return parse_database_bytes(shown, data)


def parse_database_bytes(shown: str, data: bytes) -> RawDb:
    """One side's database file from its bytes (read elsewhere, e.g. over SFTP); ``shown`` names it in errors."""
    try:
        return _parse_file(shown, data)
    except _Eos:
        raise DatabaseError(MSG_CANNOT_READ.format(shown), MSG_EOS) from None
    except _Corrupt as exc:
        raise DatabaseError(MSG_CANNOT_READ.format(shown), str(exc)) from None


def _parse_file(shown: str, data: bytes) -> RawDb:
    rd = _Reader(data)
    if rd.array(len(DB_FILE_DESCR)) != DB_FILE_DESCR:
        raise _Corrupt(MSG_CORRUPTED + " (invalid header)")
    version = rd.num("<i")
    if version == 11:  # whole-file CRC-32 (standard, = zlib.crc32) over everything before it, uint32 LE
        if len(data) < 4 or struct.unpack_from("<I", data, len(data) - 4)[0] != zlib.crc32(data[:-4]):
            raise _Corrupt(MSG_CORRUPTED + " (invalid checksum)")
    elif version == 9:
        raise _Corrupt("Database file version 9 (FreeFileSync before 2017) is not supported by ffs-tools. Version: 9")
    elif version not in FILE_VERSIONS_READ:
        raise _Corrupt(MSG_UNSUPPORTED.format(version))
    sessions: dict[bytes, SessionInfo] = {}
    count = rd.num("<I")
    while count:
        count -= 1
        session_id = rd.container()
        is_lead = rd.num("<b") != 0
        raw = rd.container()
        sessions[session_id] = SessionInfo(session_id, is_lead, raw)  # output[sessionID] = ...: last one wins
    return RawDb(shown, version, sessions)


def _find_common_session(left: RawDb, right: RawDb) -> tuple[SessionInfo, SessionInfo] | None:
    """``findCommonSession``: ids present in both files with *different* lead flags; more than one is an error."""
    found: tuple[SessionInfo, SessionInfo] | None = None
    for sid, sess_l in left.sessions.items():
        sess_r = right.sessions.get(sid)
        if sess_r is not None and sess_l.is_lead_stream != sess_r.is_lead_stream:
            if found is not None:
                raise DatabaseError(
                    f'Cannot read database file "{left.path}", "{right.path}".',
                    MSG_CORRUPTED + " (multiple common sessions found)",
                )
            found = (sess_l, sess_r)
    return found


def load_last_synchronous_state(
    left_db_path: str | Path, right_db_path: str | Path, *, ffs_major: int = 14
) -> DbFolder | None:
    """The last synchronous state of a folder pair, from the database files of its left and right base folder.

    ``None``: a file is missing, or the files share no session (FreeFileSync: no error, "first
    synchronization" defaults). ``DatabaseError``: FreeFileSync reports an error for this pair (and also
    proceeds with first-synchronization defaults; see docs/comparison-and-sync.md). Both files are read
    before deciding, as FreeFileSync does; if both are broken, the left file's error is raised.

    ``ffs_major``: whose reading rules to apply. FreeFileSync 12 (and 11.7 on) reads stream versions up to 4
    only, so with ``ffs_major=12`` a database written by FreeFileSync 13 or 14 (stream version 5) gives
    ``DatabaseError`` ``Unsupported data format. Version: 5`` exactly as FreeFileSync 12.0 reports it.
    """
    if ffs_major < 11:
        raise ValueError(f"ffs_major={ffs_major}: only the rules of FreeFileSync 11.7 and later are known")
    try:
        left = read_database_file(left_db_path)
    except FileNotFoundError:
        left = None
    try:
        right = read_database_file(right_db_path)
    except FileNotFoundError:
        right = None
    return last_synchronous_state(left, right, ffs_major=ffs_major)


def last_synchronous_state(left: RawDb | None, right: RawDb | None, *, ffs_major: int = 14) -> DbFolder | None:
    """:func:`load_last_synchronous_state` of two files already read (``None``: that side has no file)."""
    if left is None or right is None:
        return None
    common = _find_common_session(left, right)
    if common is None:
        return None
    sess_l, sess_r = common
    both = f'Cannot read database file "{left.path}", "{right.path}".'
    try:
        return _parse_streams(sess_l.is_lead_stream, sess_l.raw_stream, sess_r.raw_stream, 5 if ffs_major >= 13 else 4)
    except _Eos:
        raise DatabaseError(both, MSG_EOS) from None
    except _Corrupt as exc:
        raise DatabaseError(both, str(exc)) from None


def _decompress(buf: bytes) -> bytes:
    """``zen::decompress``: uint64 uncompressed size + a zlib stream (``compress2``); empty maps to empty."""
    if not buf:
        return b""
    if len(buf) < 8:
        raise _Corrupt("zlib error: stream size < 8")
    size = struct.unpack_from("<Q", buf)[0]
    if size == 0:
        raise _Corrupt("zlib error: uncompressed size == 0")
    if size > MAX_UNCOMPRESSED_SIZE:
        raise _Corrupt(
            f"zlib error: uncompressed size {size} exceeds the ffs-tools limit of {MAX_UNCOMPRESSED_SIZE} bytes."
        )
    dec = zlib.decompressobj()
    try:
        out = dec.decompress(buf[8:], size)  # never more than the declared size
        if not dec.eof and dec.decompress(dec.unconsumed_tail, 1):
            raise _Corrupt("Z_BUF_ERROR [zlib uncompress]")  # more data than declared
    except zlib.error:
        raise _Corrupt("Z_DATA_ERROR [zlib uncompress]") from None
    if not dec.eof:  # input ended before the zlib stream did
        raise _Corrupt("Z_DATA_ERROR [zlib uncompress]")
    if len(out) != size:
        raise _Corrupt("bytes written != uncompressed size. [zlib_decompress]")
    return out  # bytes after the end of the zlib stream are ignored, as by zlib's uncompress()


def _cmp_var(n: int) -> str:
    return CMP_VARIANTS[n] if 0 <= n < len(CMP_VARIANTS) else f"Unknown({n})"


def _name(raw: bytes) -> str:
    # Zstring on Linux is UTF-8 bytes; keep undecodable bytes round-trippable like os.fsdecode()
    return raw.decode("utf-8", errors="surrogateescape")


def _parse_streams(lead_left: bool, stream_l: bytes, stream_r: bytes, newest: int) -> DbFolder:
    """``StreamParser::execute`` for stream versions 3-5."""
    in_l, in_r = _Reader(stream_l), _Reader(stream_r)
    version = in_l.num("<i")
    if in_r.num("<i") != version:
        raise _Corrupt(MSG_CORRUPTED + " (different stream formats)")
    if version == 2:
        raise _Corrupt("Database stream version 2 (FreeFileSync before 2017) is not supported by ffs-tools. Version: 2")
    if version not in STREAM_VERSIONS_READ or version > newest:
        raise _Corrupt(MSG_UNSUPPORTED.format(version))
    part1, part2 = (in_l, in_r) if lead_left else (in_r, in_l)
    size1 = part1.num("<Q")
    size2 = part2.num("<Q")
    both = _Reader(part1.array(size1) + part2.array(size2))
    text = _Reader(_decompress(both.container()))
    small = _Reader(_decompress(both.container()))
    big = _Reader(_decompress(both.container()))
    return _parse_tree(version, lead_left, text, small, big)


def _files(files: dict[str, DbFile], n: int, lead_left: bool, text: _Reader, small: _Reader, big: _Reader) -> None:
    """The ``n`` files of one folder (stream versions 4 and 5), read a folder at a time: the 12 bytes of each in
    the small stream and the 32 in the big one are each one contiguous run (read with ``iter_unpack``), the names
    a run of containers in the text stream. The same fields, in the same order, as one file at a time; a run
    that is cut short is the same ``_Eos`` (its length is checked before anything is made from it)."""
    cmp_sizes = _CMP_SIZE.iter_unpack(small.array(12 * n))
    descrs = _TWO_DESCR.iter_unpack(big.array(32 * n))
    new, variants = tuple.__new__, CMP_VARIANTS
    for raw, (var_no, size), (t1, p1, t2, p2) in zip(_containers(text, n), cmp_sizes, descrs, strict=True):
        name = raw.decode("utf-8", "surrogateescape")  # _name()
        key = name if name.isascii() else db_key(name)
        if key in files:
            continue  # emplace(): the first one wins
        lead, other = new(FileDescr, (t1, p1)), new(FileDescr, (t2, p2))
        left, right = (lead, other) if lead_left else (other, lead)
        var = variants[var_no] if 0 <= var_no < 3 else _cmp_var(var_no)
        files[key] = new(DbFile, (name, left, right, var, size))  # DbFile(...) without a Python call


def _containers(rd: _Reader, n: int) -> list[bytes]:
    """``n`` containers in a row (:meth:`_Reader.container` ``n`` times, in one loop)."""
    data, pos, end = rd.data, rd.pos, len(rd.data)
    unpack = _I32.unpack_from
    out: list[bytes] = []
    append = out.append
    for _ in range(n):
        if pos + 4 > end:
            raise _Eos
        size: int = unpack(data, pos)[0]
        pos += 4
        if size < 0 or size > end - pos:  # int32: a negative size means corruption
            raise _Eos
        append(data[pos : pos + size])
        pos += size
    rd.pos = pos
    return out


def _parse_tree(version: int, lead_left: bool, text: _Reader, small: _Reader, big: _Reader) -> DbFolder:
    """``StreamParser::recurse``: a pre-order walk; per folder its files, its symlinks, then each sub folder's
    name (+ status up to stream version 4) followed at once by that sub folder's own content."""

    def descr() -> FileDescr:
        mod_time = big.num("<q")
        if version == 3:  # dev_t + ino_t blob (16 bytes on Linux); the print is the trailing ino_t, else 0
            blob = big.container()
            file_print = struct.unpack_from("<Q", blob, 8)[0] if len(blob) == 16 else 0
        else:
            file_print = big.num("<Q")
        return FileDescr(mod_time, file_print)

    def content(folder: DbFolder) -> int:
        files, links = folder.files, folder.symlinks
        assert isinstance(files, dict)
        assert isinstance(links, dict)
        n_files = small.num("<I")
        if version > 3:
            _files(files, n_files, lead_left, text, small, big)
        for _ in range(n_files if version == 3 else 0):
            name = _name(text.container())
            var_no, size = small.nums(_CMP_SIZE)
            lead, other = descr(), descr()
            left, right = (lead, other) if lead_left else (other, lead)
            files.setdefault(db_key(name),  # emplace(): the first one wins
                             DbFile(name, left, right, _cmp_var(var_no), size))
        for _ in range(small.num("<I")):
            name = _name(text.container())
            cmp_var = _cmp_var(small.num("<i"))
            t_lead, t_other = big.num("<q"), big.num("<q")
            t_left, t_right = (t_lead, t_other) if lead_left else (t_other, t_lead)
            links.setdefault(db_key(name), DbSymlink(name, t_left, t_right, cmp_var))
        return small.num("<I")

    root = DbFolder("", {}, {}, {}, "in_sync" if version <= 4 else None)
    stack: list[tuple[DbFolder, int]] = [(root, content(root))]  # (folder, sub folders still to read)
    while stack:
        folder, remaining = stack[-1]
        if remaining == 0:
            stack.pop()
            continue
        stack[-1] = (folder, remaining - 1)
        name = _name(text.container())
        status: FolderStatus | None = None
        if version <= 4:
            status = "straw_man" if small.num("<i") == 1 else "in_sync"  # DIR_STATUS_IN_SYNC = 0, STRAW_MAN = 1
        subs = folder.folders
        assert isinstance(subs, dict)
        # emplace()/try_emplace(): a duplicate name reuses the existing folder; its children merge into it
        child = subs.setdefault(db_key(name), DbFolder(name, {}, {}, {}, status))
        stack.append((child, content(child)))
    return root
