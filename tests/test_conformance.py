"""The filter engine against what the real FreeFileSync 12.0 and 14.10 synced (fixtures/conformance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ffs_tools.filters import PathFilter, Semantics
from ffs_tools.synced import list_lister, synced_items

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
