"""The safe reader: every real config loads or fails with a location; hostile input never crashes it."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from ffs14_migration import migrate_to_23
from lintutil import lint_path

from ffs_tools.ffs import model as m
from ffs_tools.xml.parse import MAX_BYTES, ConfigError, Loaded
from ffs_tools.xml.read import load, loads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = sorted(p for p in (FIXTURES / "corpus" / "real-configs").iterdir() if p.suffix not in (".md", ".tsv"))
MIGRATIONS = FIXTURES / "ffs14-migrations"


def _load_or_error(path: Path) -> Loaded | ConfigError:
    try:
        return load(path)
    except ConfigError as exc:
        return exc


def test_corpus_is_complete() -> None:
    assert len(CORPUS) == 159


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_real_config_loads_or_fails_with_a_location(path: Path) -> None:
    result = _load_or_error(path)
    if isinstance(result, ConfigError):
        assert result.code in ("FFS001", "FFS002")
        assert result.line is not None, str(result)
        assert "\n" not in str(result)
    else:
        assert result.kind in (m.ConfigKind.GUI, m.ConfigKind.BATCH, m.ConfigKind.REAL)
        assert result.source.get("root") is not None


def test_the_deliberately_broken_ones() -> None:
    merge_conflict = _load_or_error(FIXTURES / "corpus/real-configs/043-asafarim-site-SyncSettings.ffs_gui")
    assert isinstance(merge_conflict, ConfigError)
    assert (merge_conflict.code, merge_conflict.line) == ("FFS001", 31)
    gui_in_batch = _load_or_error(FIXTURES / "corpus/real-configs/133-ansible-SyncSettings.ffs_batch")
    assert isinstance(gui_in_batch, ConfigError)
    assert gui_in_batch.code == "FFS002"
    assert "XmlType='GUI'" in gui_in_batch.message


def test_corpus_counts() -> None:
    results = [_load_or_error(p) for p in CORPUS]
    loaded = [r for r in results if isinstance(r, Loaded)]
    errors = sorted((r.code, Path(r.path or "").name) for r in results if isinstance(r, ConfigError))
    assert len(loaded) == 152
    assert [c for c, _ in errors] == ["FFS001"] + ["FFS002"] * 6
    # the one file written by a Java generator says Ignore="False", which FreeFileSync rejects
    with_problems = [Path(r.path).name for r in loaded if r.problems]
    assert with_problems == ["029-FreeFileSync_Configurato-FreeFileSync.ffs_gui"]


def test_legacy_formats_map_onto_the_model() -> None:
    v5 = load(FIXTURES / "corpus/real-configs/004-fBackup-example_task.ffs_batch").config
    assert isinstance(v5, m.SyncJob)
    assert v5.sync.directions == m.MIRROR
    assert v5.sync.deletion_policy is m.DeletionPolicy.PERMANENT
    assert v5.errors.ignore is True
    assert v5.filter.exclude[:2] == ("\\System Volume Information\\", "\\$Recycle.Bin\\")
    assert v5.pairs[0].left == v5.pairs[0].right == "C:\\Windows\\Temp"


@pytest.mark.parametrize("v17", sorted(MIGRATIONS.glob("*.v17.*")), ids=lambda p: p.name)
def test_format_17_migrates_like_freefilesync_14(v17: Path) -> None:
    """migrate_to_23(read(v17)) equals read(what the real FreeFileSync 14.10 wrote back)."""
    old, new = load(v17), load(v17.with_name(v17.name.replace(".v17.", ".v23.")))
    assert old.problems == new.problems == ()
    assert old.xml_format == 17
    assert new.xml_format == 23
    assert isinstance(old.config, m.SyncJob)
    assert migrate_to_23(old.config) == new.config


def test_line_numbers_of_filter_items() -> None:
    loaded = load(MIGRATIONS / "two-pairs-overrides.v23.ffs_batch")
    text = (MIGRATIONS / "two-pairs-overrides.v23.ffs_batch").read_text(encoding="utf-8").splitlines()
    for key, expected in (("filter.exclude.0", "*/.git"), ("pair.1.filter.include.1", "*.pt"),
                          ("pair.1.filter.exclude.0", "*.tmp|*\\wandb\\")):
        line = loaded.source.line(key)
        assert line is not None
        assert f"<Item>{expected}</Item>" in text[line - 1]


BATCH17 = (MIGRATIONS / "mirror.v17.ffs_batch").read_bytes()


def _problems(data: bytes, kind: m.ConfigKind = m.ConfigKind.BATCH) -> list[tuple[str, str, int | None]]:
    return [(p.kind, p.key, p.line) for p in loads(data, "t.ffs_batch", kind).problems]


def test_enum_in_the_wrong_case_is_reported_like_freefilesync() -> None:
    data = BATCH17.replace(b"<Variant>Mirror</Variant>", b"<Variant>mirror</Variant>")
    loaded = loads(data, "t.ffs_batch", m.ConfigKind.BATCH)
    [problem] = loaded.problems
    assert problem.kind == "invalid"
    assert "case-sensitive" in problem.message
    assert isinstance(loaded.config, m.SyncJob)
    assert loaded.config.sync.directions == m.TWO_WAY  # FreeFileSync's default


def test_missing_element_and_bad_number() -> None:
    start = BATCH17.index(b"<Errors")
    end = BATCH17.index(b"\n", start)
    no_errors = BATCH17[:start] + BATCH17[end:]
    assert [(k, key) for k, key, _ in _problems(no_errors)] == [("missing", "errors")]
    bad_retry = BATCH17.replace(b'Retry="0"', b'Retry="3x"')
    [(kind, key, line)] = _problems(bad_retry)
    assert (kind, key) == ("number", "errors")
    assert line == BATCH17[:start].count(b"\n") + 1


def test_format_23_layout_in_a_format_17_file() -> None:
    v23 = (MIGRATIONS / "mirror.v23.ffs_batch").read_bytes().replace(b'XmlFormat="23"', b'XmlFormat="17"')
    kinds = {k for k, _, _ in _problems(v23)}
    assert "layout" in kinds


@pytest.mark.parametrize(("name", "data", "code"), [
    ("external entity", b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                        b'<FreeFileSync XmlType="BATCH" XmlFormat="17">&e;</FreeFileSync>', "FFS001"),
    ("billion laughs", b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                       + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                                  for i in range(1, 10))
                       + b']>\n<FreeFileSync XmlType="BATCH" XmlFormat="17">&lol9;</FreeFileSync>', "FFS001"),
    ("binary garbage", bytes(range(256)) * 64, "FFS001"),
    ("deep nesting", b'<?xml version="1.0"?>\n' + b"<a>" * 100_000 + b"</a>" * 100_000, "FFS001"),
    ("truncated", BATCH17[: len(BATCH17) // 2], "FFS001"),
    ("empty", b"", "FFS001"),
    ("undefined entity", b'<?xml version="1.0"?><FreeFileSync XmlType="BATCH" XmlFormat="17">&x;</FreeFileSync>',
     "FFS001"),
    ("not FreeFileSync", b'<?xml version="1.0"?><project/>', "FFS002"),
    ("no xml declaration", BATCH17[BATCH17.index(b"<FreeFileSync"):], "FFS002"),
])
def test_hostile_and_broken_input(name: str, data: bytes, code: str) -> None:
    with pytest.raises(ConfigError) as info:
        loads(data, "hostile.ffs_batch", m.ConfigKind.BATCH)
    assert info.value.code == code
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("hostile.ffs_batch")


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.ffs_batch"
    with big.open("wb") as fh:
        fh.write(BATCH17[:-20])
        fh.write(b"<!-- " + b"x" * (50 * 2**20) + b" -->")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        load(big)
    assert info.value.code == "FFS001"
    assert f"{MAX_BYTES // 2**20} MiB" in info.value.message
    assert time.perf_counter() - started < 30  # a guard against reading without bound, not a speed test


def test_missing_file_and_folder(tmp_path: Path) -> None:
    for target, words in ((tmp_path / "nope.ffs_gui", "no such file"), (tmp_path, "is a folder")):
        with pytest.raises(ConfigError, match=words):
            load(target, m.ConfigKind.GUI)


def test_realtimesync_config() -> None:
    real = load(FIXTURES / "corpus/real-configs/" / next(
        p.name for p in CORPUS if p.suffix == ".ffs_real")).config
    assert isinstance(real, m.RealTimeConfig)
    assert real.directories
    assert real.command_line


def test_models_are_values() -> None:
    a = load(MIGRATIONS / "twoway.v23.ffs_batch").config
    b = load(MIGRATIONS / "twoway.v23.ffs_batch").config
    assert a == b
    assert isinstance(a, m.SyncJob)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.notes = "x"  # type: ignore[misc]


def test_a_format_23_file_as_freefilesync_12_reads_it(tmp_path: Path) -> None:
    """FreeFileSync 12 cannot read the format-23 layout: lint's FFS004 says so for --ffs-version 12 only."""
    v23 = MIGRATIONS / "mirror.v23.ffs_batch"
    assert [f for f in lint_path(v23, tmp_path, scan=False, ffs_version="14.10") if f.code == "FFS004"] == []
    [finding] = [f for f in lint_path(v23, tmp_path, scan=False, ffs_version="12") if f.code == "FFS004"]
    assert (finding.severity.label, finding.line) == ("error", load(v23).source.line("root"))
    assert finding.message == "XmlFormat 23 is newer than FreeFileSync 12 can read: a batch run exits with code 4"
    v17 = MIGRATIONS / "mirror.v17.ffs_batch"
    assert [f for f in lint_path(v17, tmp_path, scan=False, ffs_version="12") if f.code == "FFS004"] == []
