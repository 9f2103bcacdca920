"""The filters audit-gpu asks: knowledge, configs, the name-set shortcut, and the suggested items."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from treebuilder import FIXTURES, build, listings, parse, unlock

from ffs_tools.audit.filter import AuditFilter, config_filter, knowledge_filter, name_sets, policy_filter
from ffs_tools.audit.run import audit, suggestions
from ffs_tools.errors import UserError
from ffs_tools.ffs.never_travels import env_item
from ffs_tools.filtering.engine import PathFilter, Semantics

CONFIG = FIXTURES / "trees" / "configs" / "gpu-twoway.ffs_batch"


def test_knowledge_filter_is_judged_from_names() -> None:
    sets = knowledge_filter().names
    assert sets is not None
    assert {"__PYCACHE__", ".PYTEST_CACHE", ".GIT", ".HG", "VENV"} <= sets.dir_names
    assert {".GIT", ".HG", ".SVN"} <= sets.file_names  # plain items: folder and file
    assert "__PYCACHE__" not in sets.file_names  # folder-only item
    assert sets.dir_suffixes == sets.file_suffixes == ()  # FreeFileSync's own *.ffs_db/*.ffs_lock are not asked


@pytest.mark.parametrize(("exclude", "semantics"), [
    (["*/ca?he/"], Semantics.FFS14),  # a wildcard in the name part
    (["*.p?c"], Semantics.FFS14),
    (["*/build:"], Semantics.FFS12),  # 12.0 file masks also match parent folders
])
def test_filters_that_need_every_entry(exclude: list[str], semantics: Semantics) -> None:
    assert name_sets(PathFilter.from_lists(["*"], exclude, semantics)) is None


def test_names_a_filter_can_exclude() -> None:
    sets = name_sets(PathFilter.from_lists(["*.py"], ["\\data\\", "sub/*.tmp", "\\*\\venv\\", "a?c/build",
                                                       "*a*b", "logs*/x.txt:"]))
    assert sets is not None
    assert sets.dir_names == {"DATA", "VENV", "BUILD"}
    assert sets.file_names == {"BUILD", "X.TXT"}  # the data and venv items are folder-only
    assert sets.dir_suffixes == (".TMP", "B")
    assert sets.file_suffixes == (".TMP", "B")


def test_name_local_config_items() -> None:
    sets = name_sets(PathFilter.from_lists(["*"], ["*/build:", "*.PYC", "*/node_modules/", "*"]))
    assert sets is not None
    assert sets.file_names == {"BUILD"}
    assert sets.dir_names == {"NODE_MODULES"}
    assert sets.file_suffixes == sets.dir_suffixes == ("", ".PYC")


_VOCAB = ["a", "src", "build", "Build", "venv", ".venv", "__pycache__", "x.pyc", "node_modules", "data",
          "notes.txt", "CACHE", "cache", "lib.so", ".git"]
_ITEMS = ["*/build", "*/build/", "*/build:", "*.pyc", "*/node_modules/", "*/CACHE", "*/venv/", "*.so",
          "*/__pycache__/", "*/data:", "\\data\\", "src/build", "\\*\\cache\\", "a/*.pyc", "*a*c", "venv",
          "*/src/*/", "build*"]
_INCLUDES = [["*"], ["*"], ["*.py", "*/src/"], ["\\a\\", "*.so"]]


def _random_tree(root: Path, rng: random.Random) -> None:
    for _ in range(60):
        parts = [rng.choice(_VOCAB) for _ in range(rng.randint(1, 4))]
        path = root.joinpath(*parts)
        try:
            if rng.random() < 0.5:
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():
                    path.write_text("x")
        except (FileExistsError, NotADirectoryError):
            continue


@pytest.mark.parametrize("seed", range(30))
def test_name_sets_give_exactly_what_asking_the_engine_about_every_entry_gives(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    _random_tree(tmp_path, rng)
    semantics = Semantics.FFS12 if seed % 2 else Semantics.FFS14
    # 12.0 file masks (x:) also match parent folders: those filters take the every-entry way (tested above)
    items = [i for i in _ITEMS if semantics is Semantics.FFS14 or not i.endswith(":")]
    flt = PathFilter.from_lists(rng.choice(_INCLUDES), rng.sample(items, rng.randint(1, 5)), semantics)
    fast = AuditFilter(flt, "test", True, names=name_sets(flt), config_path="cfg")
    assert fast.names is not None
    every = replace(fast, names=None)
    hits = audit(str(tmp_path), fast).hits
    assert hits == audit(str(tmp_path), every).hits
    assert any(h.code == "FFS704" for h in hits) or seed in _NO_HITS, [h.rel for h in hits]


#: seeds whose random filter happens to exclude nothing in their random tree (asserted, so the test notices)
_NO_HITS: set[int] = {27}


def test_config_filter_from_a_real_config() -> None:
    filt = config_filter(str(CONFIG), None, "/anywhere", None)
    assert filt.is_config
    assert filt.origin == f"config {CONFIG} (pair 1)"
    assert filt.names is not None
    assert filt.names.dir_names == {".GIT", "VENV", "__PYCACHE__", "DATA"}
    assert filt.flt.semantics is Semantics.FFS12  # XmlFormat 17
    assert filt.right_only == "the next run copies it to the local machine"
    d = filt.excluded("data", True)
    assert d is not None
    assert d.mask is not None
    assert (d.mask.text, d.mask.source.line) == ("\\data\\", 22)
    assert filt.excluded("sub/data", True) is None
    assert filt.excluded("x.ffs_db", False) is None  # FreeFileSync's own exclusion is not reported
    assert config_filter(str(CONFIG), None, "/x", "14.10").flt.semantics is Semantics.FFS14


def _two_pairs(tmp_path: Path, right_a: str, right_b: str, variant: str = "TwoWay") -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    pair = ("<Pair>\n            <Left>/home/alice/work</Left>\n            <Right>/home/gpu/work</Right>\n"
            "        </Pair>")
    assert pair in text
    pairs = (f"<Pair><Left>/l/a</Left><Right>{right_a}</Right></Pair>"
             f"<Pair><Left>/l/b</Left><Right>{right_b}</Right></Pair>")
    out = tmp_path / "two.ffs_batch"
    out.write_text(text.replace(pair, pairs).replace("<Variant>TwoWay</Variant>", f"<Variant>{variant}</Variant>"),
                   encoding="utf-8")
    return out


def test_pair_selection(tmp_path: Path) -> None:
    gpu = tmp_path / "gpu" / "work"
    gpu.mkdir(parents=True)
    cfg = _two_pairs(tmp_path, "sftp://me@gpu/data/other", "sftp://me@gpu/home/gpu/work", "Mirror")
    filt = config_filter(str(cfg), None, str(gpu), None)
    assert filt.origin.endswith("(pair 2)")
    assert filt.right_only == "the next run deletes it here (items only on this side are deleted)"
    assert config_filter(str(cfg), 1, str(gpu), None).origin.endswith("(pair 1)")
    with pytest.raises(UserError, match="--pair 3: the config has 2 folder pair"):
        config_filter(str(cfg), 3, str(gpu), None)
    ambiguous = _two_pairs(tmp_path, "/x/a", "/y/b")
    with pytest.raises(UserError, match="choose one with --pair N"):
        config_filter(str(ambiguous), None, str(gpu), None)
    same = _two_pairs(tmp_path, "/x/a", str(gpu))
    assert config_filter(str(same), None, str(gpu), None).origin.endswith("(pair 2)")


def test_not_a_sync_config(tmp_path: Path) -> None:
    real = tmp_path / "x.ffs_real"
    real.write_text('<?xml version="1.0" encoding="utf-8"?>\n<FreeFileSync XmlType="REAL" XmlFormat="2">'
                    "<Directories><Item>/a</Item></Directories><Delay>10</Delay><Commandline/></FreeFileSync>\n",
                    encoding="utf-8")
    with pytest.raises(UserError, match="not a sync config"):
        config_filter(str(real), None, ".", None)
    with pytest.raises(UserError):
        config_filter(str(tmp_path / "missing.ffs_batch"), None, ".", None)
    with pytest.raises(UserError, match="--ffs-version"):
        config_filter(str(CONFIG), None, ".", "twelve")


@pytest.mark.parametrize("path", [p for p in listings() if p.stem != "clean"], ids=lambda p: p.stem)
def test_every_suggested_item_really_excludes_its_finding(path: Path, tmp_path: Path) -> None:
    listing = parse(path)
    locked = build(listing, tmp_path)
    try:
        result = audit(str(tmp_path))
    finally:
        unlock(locked)
    items = suggestions(result.hits)
    assert items or {h.code for h in result.hits} <= {"FFS705", "FFS706", "FFS707"}
    for item, hits in items:
        # every depth; an environment at the place it was found (unless it has a usual venv name)
        assert item.startswith("*") or all(h.code in ("FFS703", "FFS708") and item == env_item(h.rel)
                                           for h in hits), item
        for semantics in Semantics:
            flt = PathFilter.from_lists(["*"], [item], semantics)
            for h in hits:
                assert not flt.explain(h.rel, h.kind == "dir").synced, (item, h.rel, semantics)
    covered = {h.rel for _, hits in items for h in hits}
    for h in result.hits:
        assert h.rel in covered or h.code in {"FFS705", "FFS706", "FFS707"}, h


def test_policy_filter(tmp_path: Path) -> None:
    filt = policy_filter(str(FIXTURES / "trees" / "configs" / "gpu-policy.toml"), "/anywhere", None)
    assert filt.is_config
    assert filt.origin.startswith("policy ")
    assert filt.names is not None  # knowledge and these extras are all every-depth items
    assert filt.reasons["*/scratch/"] == "from the policy (exclude.extra[0])"
    assert filt.right_only == "the next run copies it to the local machine"  # conflict = review: two-way
    assert filt.excluded("a/scratch", True) is not None
    two = tmp_path / "ffs-policy.toml"
    gpu = tmp_path / "b" / "work"
    gpu.mkdir(parents=True)
    two.write_text('[local]\npath = "/home/me/work"\n[[gpu]]\nname = "a"\npath = "sftp://me@a/home/me/work|agent"\n'
                   f'[[gpu]]\nname = "b"\npath = "{gpu}"\n', encoding="utf-8")
    assert policy_filter(str(two), str(gpu), None).origin == f"policy {two}"
    with pytest.raises(UserError, match="the policy names 2 GPU machines and none of their folders"):
        policy_filter(str(two), str(tmp_path), None)
