"""exclude.gitignore through the real FreeFileSync 12.0: what arrives on the other side is what git does not ignore.

A sample of the differential cases (tests/gitignore_trees.py): generate --ffs-version 12 with
``exclude.gitignore = true`` and a keep path, run the batch headless, and compare the other side, files
and folders, with ``git check-ignore`` minus the keep paths, minus what never travels (version control,
environments, caches: ffs-tools' built-in exclusions), and with what ``ffs-tools preview`` says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitignore_trees import expected_synced, generate_case, git_ignored, policy_case, preview_synced, tree_of
from realffs import run_batch

pytestmark = [pytest.mark.ffs, pytest.mark.slow]


@pytest.mark.parametrize("seed", [2, 16, 19, 47])
def test_what_arrives_is_what_git_does_not_ignore(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    gpu, work, out = tmp_path / "gpu", tmp_path / "work", tmp_path / "out"
    gpu.mkdir()
    work.mkdir()
    case, keep = policy_case(seed, tmp_path, gpu, work)
    err = generate_case(case, out, monkeypatch, capsys)
    assert "0 not translated" in err, err  # these seeds translate every rule: the comparison is exact
    assert any(git_ignored(case).values()), "the sample ignores something"
    previewed = preview_synced(case, out, monkeypatch, capsys)
    result = run_batch(out / "p.ffs_batch", work, timeout=60)
    assert result.returncode in (0, 1), result.log
    assert tree_of(gpu) == expected_synced(case, keep) == previewed
