"""exclude.gitignore through the real FreeFileSync 12.0: what arrives on the other side is what git does not ignore.

A sample of the differential cases (tests/gitignore_trees.py): generate --ffs-version 12 with
``exclude.gitignore = true`` and a keep path, run the batch headless, and compare the other side, files
and folders, with ``git check-ignore`` minus the keep paths, minus what never travels (version control,
environments, caches: ffs-tools' built-in exclusions).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from generate_helpers import run_cli
from gitignore_trees import Case, git_ignored, make_case, pool_rules
from realffs import run_batch

from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.policy.gitignore_tree import Node, excluded_by, keep_related

pytestmark = [pytest.mark.ffs, pytest.mark.slow]


def _tree(root: Path) -> set[str]:
    """Files and folders (folders end in /) below ``root``, without FreeFileSync's database."""
    out = set()
    for dirpath, dirs, names in os.walk(root):
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        out |= {prefix + d + "/" for d in dirs}
        out |= {prefix + n for n in names if n != ".sync.ffs_db"}
    return out


def _expected(case: Case, keep: list[str]) -> set[str]:
    verdicts = git_ignored(case)
    dirs = set(case.dirs)
    defaults = PathFilter.from_lists(["*"], [ex.item for ex in default_exclusions()], Semantics.FFS12)
    out = set()
    for path in verdicts:
        chain = path.split("/")
        ancestors = ["/".join(chain[:i]) for i in range(1, len(chain))]
        gone = [p for p in [*ancestors, path] if verdicts.get(p) and not any(keep_related(p, keep))]
        node = Node(path, path in dirs, False, frozenset())
        if not gone and not excluded_by(defaults, node):
            out.add(path + ("/" if path in dirs else ""))
    return out


@pytest.mark.parametrize("seed", [2, 16, 19, 47])
def test_what_arrives_is_what_git_does_not_ignore(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    case = make_case(seed, tmp_path, pool_rules())
    keep = [d for d in case.dirs if re.fullmatch(r"[\w.-]+(/[\w.-]+)*", d)][:1]  # keep paths are plain paths
    gpu, work, out = tmp_path / "gpu", tmp_path / "work", tmp_path / "out"
    gpu.mkdir()
    work.mkdir()
    policy = case.root / "ffs-policy.toml"
    policy.write_text(f'[project]\nname = "p"\n[gpu]\npath = "{gpu}"\n[batch]\nlog_folder = "{work / "logs"}"\n'
                      f'[exclude]\ngitignore = true\n[keep]\npaths = {keep!r}\n'.replace("'", '"'), encoding="utf-8")
    case = Case(case.root, (*case.files, "ffs-policy.toml"), case.dirs, case.gitignores)
    code, _, err = run_cli(["generate", "--ffs-version", "12", "--out", str(out)], case.root, monkeypatch, capsys)
    assert code == 0, err
    assert "0 not translated" in err, err  # these seeds translate every rule: the comparison is exact
    assert any(git_ignored(case).values()), "the sample ignores something"
    result = run_batch(out / "p.ffs_batch", work, timeout=60)
    assert result.returncode in (0, 1), result.log
    assert _tree(gpu) == _expected(case, keep)
