"""The filter engine against what the real FreeFileSync 12.0 and 14.10 synced (fixtures/conformance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.filtering.traversal import list_lister, synced_items

CASES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "conformance"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


CASES = _cases()


def test_all_cases_are_there() -> None:
    assert len(CASES) == 2900


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("semantics", "field"), [(Semantics.FFS12, "ffs12"), (Semantics.FFS14, "ffs14")])
def test_engine_matches_real_freefilesync(case: dict[str, Any], semantics: Semantics, field: str) -> None:
    flt = PathFilter.from_lists(case["include"], case["exclude"], semantics)
    got = sorted(item.path for item in synced_items(flt, list_lister(case["tree"])))
    assert got == sorted(case[field])


def _items(items: list[str]) -> str:
    from xml.sax.saxutils import escape

    return "".join(f"<Item>{escape(i)}</Item>" for i in items)


@pytest.mark.slow
def test_preview_command_on_disk_gives_the_real_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The acceptance check literally: every case as a folder pair on disk, through `ffs-tools preview`."""
    from ffs_tools.cli import main

    cases = [p.values[0] for p in CASES]
    pairs = []
    for k, case in enumerate(cases):
        left = tmp_path / f"L{k}"
        left.mkdir()
        for entry in case["tree"]:
            target = left / entry
            if entry.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(entry)
        pairs.append(f"<Pair><Left>{left}</Left><Right>{tmp_path / f'R{k}'}</Right><Filter>"
                     f"<Include>{_items(case['include'])}</Include><Exclude>{_items(case['exclude'])}</Exclude>"
                     '<SizeMin Unit="None">0</SizeMin><SizeMax Unit="None">0</SizeMax>'
                     '<TimeSpan Type="None">0</TimeSpan></Filter></Pair>')
    job = (CASES_DIR.parent / "ffs14-migrations" / "mirror.v23.ffs_batch").read_text(encoding="utf-8")
    ex_start, ex_end = job.index("<Exclude>"), job.index("</Exclude>") + len("</Exclude>")
    job = job[:ex_start] + "<Exclude/>" + job[ex_end:]  # the global filter of the cases: include *, no excludes
    start, end = job.index("<FolderPairs>"), job.index("</FolderPairs>")
    (tmp_path / "all.ffs_batch").write_text(job[:start] + "<FolderPairs>" + "".join(pairs) + job[end:],
                                            encoding="utf-8")
    for version, field in (("12", "ffs12"), ("14", "ffs14")):
        assert main(["preview", str(tmp_path / "all.ffs_batch"), "--ffs-version", version, "--format", "json"]) == 0
        result = json.loads(capsys.readouterr().out)["pairs"]
        assert len(result) == len(cases)
        mismatches = [case["id"] for case, got in zip(cases, result, strict=True)
                      if got["synced"] != sorted(case[field])]
        assert mismatches == []
