"""The filter engine on the example table of docs/filter-semantics.md#examples and on its edge cases."""

from __future__ import annotations

import pytest

from ffs_tools.filtering.engine import Origin, PathFilter, Semantics, semantics_for, split_items


def excluded(item: str, path: str, semantics: Semantics = Semantics.FFS14) -> bool:
    """Whether an exclude ``item`` keeps ``path`` (a folder when it ends in "/") out of the sync."""
    flt = PathFilter.from_lists(["*"], [item], semantics)
    return not flt.explain(path.rstrip("/"), path.endswith("/")).synced


@pytest.mark.parametrize(("item", "hits", "misses"), [
    ("*.txt", ["a.txt", "A.TXT", "My Documents/file one.txt", "venv/bin/python.txt", "notes.txt/inner.bin"],
     ["Readme.MD", "a.txt.bak"]),
    ("readme.md", ["Readme.MD"], ["data/readme.md"]),
    ("*/readme.md", ["Readme.MD", "data/readme.md"], []),
    (".git/", [".git/", ".git/config", ".git/objects/ab/cdef"], ["proj/.git/HEAD", "wt/.git"]),
    ("\\.git\\", [".git/config"], ["proj/.git/HEAD"]),
    ("*/.git/", [".git/config", "proj/.git/HEAD", "deep/nested/repo/.git/HEAD"], ["wt/.git"]),
    ("*\\.git\\", [".git/config", "proj/.git/HEAD"], ["wt/.git"]),
    ("*/.git/*", [".git/config", "proj/.git/HEAD"], ["wt/.git"]),
    ("*/.git", [".git/config", "proj/.git/HEAD", "wt/.git"], ["wt/code.py", ".gitignore", ".github/x.yml"]),
    ("build/", ["Build/out.o"], ["src/build/x.o", "docs/build"]),
    ("*/build/", ["Build/out.o", "src/build/x.o"], ["docs/build"]),
    ("data", ["data/", "data/x/y.bin", "data"], ["x/data"]),
    ("data?file.bin", [], ["data/file.bin"]),
    ("data*file2.bin", ["data/sub/file2.bin"], ["data/file.bin"]),
    ("   My Documents/Sub Dir/   ", ["My Documents/Sub Dir/two words.md"], ["My Documents/file one.txt"]),
    ("?.txt", ["a.txt"], ["ab.txt", "sub/a.txt"]),
    ("sub/*.tmp", ["sub/a.tmp", "sub/x/b.tmp"], ["a.tmp"]),
    ("\\*\\venv\\", ["proj/venv/x", "x/y/venv/z"], ["venv/x"]),
    ("*/", ["a/", "a/b.txt"], ["top.txt"]),
    ("foo/*:", ["foo/a.txt", "foo/x/b.txt"], ["foo/", "foo/x/"]),
    ("\\", [], ["a.txt", "a/"]),
    ("*.ffs_db", [".sync.ffs_db"], []),
])
def test_example_table(item: str, hits: list[str], misses: list[str]) -> None:
    for path in hits:
        assert excluded(item, path), f"{item!r} should exclude {path!r}"
    for path in misses:
        assert not excluded(item, path), f"{item!r} should not exclude {path!r}"


def test_builtin_excludes_always_apply() -> None:
    flt = PathFilter.from_lists(["*"], [])
    assert not flt.pass_file("sub/.sync.ffs_db")
    assert not flt.pass_file("sync.ffs_lock")
    decision = flt.explain("x.ffs_db", False)
    assert decision.mask is not None
    assert decision.mask.source.origin is Origin.BUILTIN


def test_file_only_items_differ_between_12_and_14_8() -> None:
    assert excluded("*/.git:", "wt/.git", Semantics.FFS12)
    assert excluded("*/.git:", "wt/.git", Semantics.FFS14)
    assert excluded("*/.git:", "proj/.git/HEAD", Semantics.FFS12)
    assert not excluded("*/.git:", "proj/.git/HEAD", Semantics.FFS14)
    assert not excluded("*/.git:", "proj/.git/", Semantics.FFS12)


def test_includes_of_global_and_pair_filter_are_anded() -> None:
    from ffs_tools.ffs.model import FilterConfig

    flt = PathFilter.from_configs(FilterConfig(exclude=("*.bin",)), FilterConfig(include=("data\\",)))
    assert flt.pass_file("data/readme.md")
    assert not flt.pass_file("data/file.bin")
    assert not flt.pass_file("a.txt")
    both = PathFilter.from_configs(FilterConfig(include=("*.py",)), FilterConfig(include=("src\\",)))
    assert both.pass_file("src/a.py")
    assert not both.pass_file("src/a.txt")
    assert not both.pass_file("b.py")


def test_folder_traversal_without_include_match() -> None:
    flt = PathFilter.from_lists(["*.py"], [])
    assert flt.pass_dir("data") == (False, True)  # entered: a *.py could be below
    anchored = PathFilter.from_lists(["\\proj\\src\\"], [])
    assert anchored.pass_dir("proj") == (False, True)
    assert anchored.pass_dir("other") == (False, False)
    assert anchored.pass_dir("proj/src") == (True, True)


def test_explain_reports_the_deciding_item() -> None:
    flt = PathFilter.from_lists(["*"], ["*.tmp|*/.git", "cache/"])
    d = flt.explain("a/.git/objects/x", False)
    assert (d.synced, d.reason, d.via) == (False, "parent excluded", "a/.git/")
    assert d.mask is not None
    assert (d.mask.text, d.mask.source.index, d.mask.source.list_name) == ("*/.git", 0, "exclude")
    d2 = flt.explain("cache/", True)
    assert d2.mask is not None
    assert (d2.reason, d2.mask.source.index) == ("excluded", 1)


def test_split_items_keeps_item_indexes() -> None:
    assert split_items(["a|b", "  ", "c\n d "]) == [(0, "a"), (0, "b"), (2, "c"), (2, "d")]


@pytest.mark.parametrize(("version", "expected"), [
    ("12", Semantics.FFS12), ("11.3", Semantics.FFS12), ("13", Semantics.FFS12), ("14.7", Semantics.FFS12),
    ("14.8", Semantics.FFS14), ("14.10", Semantics.FFS14), ("14", Semantics.FFS14), ("15", Semantics.FFS14),
])
def test_semantics_for_versions(version: str, expected: Semantics) -> None:
    assert semantics_for(version) is expected


def test_bad_version() -> None:
    with pytest.raises(ValueError, match="not a FreeFileSync version"):
        semantics_for("latest")


def test_unicode_and_case() -> None:
    flt = PathFilter.from_lists(["*"], ["*/Straße/", "ÄRGER.txt"])
    assert not flt.pass_dir("x/STRAßE")[0]
    assert not flt.pass_file("ärger.TXT")
