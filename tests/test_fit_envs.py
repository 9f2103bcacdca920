"""Issue 9 items 2 and 3 without FreeFileSync: generate's lint gate with the local scan switched off."""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_helpers import run_cli, snapshot, write


def test_with_the_scan_off_the_gate_runs_ffs112_as_the_hook_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`[local] scan = false`: generate does not look for environments, but the lint hook does (FFS112): generate
    refuses with the hook's finding and the item of the place it was found, instead of writing what fails."""
    local = tmp_path / "proj"
    write(local, "src/mlproj/train/model.py", "")
    write(local, "miniforge/envs/train/conda-meta/history", "")
    (local / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n[local]\nscan = false\n',
                                           encoding="utf-8")
    before = snapshot(local)
    code, out, err = run_cli(["generate"], local, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
                   f"error: {local / 'ffs-policy.toml'}: the generated proj.ffs_batch would fail the lint hook: "
                   "FFS112 pair 1: conda env `miniforge/envs/train` (conda-meta) in the left folder is not excluded; "
                   "add the exclude item `/miniforge/envs/train/`; nothing was written")
    assert snapshot(local) == before
    with (local / "ffs-policy.toml").open("a", encoding="utf-8") as fh:
        fh.write('[exclude]\nextra = ["/miniforge/envs/train/"]\n')
    assert run_cli(["generate"], local, monkeypatch, capsys)[0] == 0
    assert run_cli(["lint"], local, monkeypatch, capsys)[0] == 0


def test_a_venv_copied_from_the_local_machine_is_found_when_its_home_exists_on_both(tmp_path: Path) -> None:
    """Item 10: a real venv (python -m venv), copied as a sync would copy it: its pyvenv.cfg home exists here too,
    but its bin/activate names the folder it was made in. The original, at its own place, is not reported."""
    import json
    import shutil
    import subprocess
    import sys

    from auditcli import audit_cli

    made = tmp_path / "local" / "proj"
    made.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(made / "envx")], check=True)
    shutil.copytree(made, tmp_path / "gpu" / "proj", symlinks=True)
    assert audit_cli(".", "--format", "json", cwd=made).findings() == []
    run = audit_cli(".", "--format", "json", cwd=tmp_path / "gpu" / "proj")
    [finding] = json.loads(run.stdout)["findings"]
    assert (finding["code"], finding["path"], finding["message"], finding["hint"]) == (
        "FFS703", "envx/", f"a virtualenv copied from another machine: its bin/activate sets "
        f"VIRTUAL_ENV='{made / 'envx'}': it was made there and copied here",
        "move it aside (--quarantine DIR --all), create this machine's own environment, and exclude '/envx/'")


def test_exclude_gitignore_keeps_tracked_files_a_rule_matches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`data/` ignored, `data/.gitkeep` force-added: git does not ignore a tracked file, so neither does the filter
    (main's generate excluded /data/ and the lint hook then failed with FFS131 on the written file)."""
    from lintutil import git_repo

    local = tmp_path / "proj"
    write(local, ".gitignore", "data/\n")
    write(local, "data/x/a.csv", "a\n")
    write(local, "data/.gitkeep", "")
    write(local, "src/a.py", "")
    (local / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n[exclude]\ngitignore = true\n',
                                           encoding="utf-8")
    git_repo(local)  # data/ is ignored: git add -A leaves it out
    import subprocess
    subprocess.run(["git", "add", "-f", "data/.gitkeep"], cwd=local, check=True)
    code, _, err = run_cli(["generate", "--ffs-version", "12"], local, monkeypatch, capsys)
    assert code == 0, err
    assert "gitignore: .gitignore:1: data/: expanded into 1 anchored item(s): git keeps data/ in the end (a ! rule " \
           "or a keep path)" in err.splitlines()
    assert run_cli(["lint"], local, monkeypatch, capsys)[0] == 0
    code, out, _ = run_cli(["explain", "data/.gitkeep", "data/x/a.csv", "-c", "proj.ffs_batch"], local, monkeypatch,
                           capsys)
    verdicts = [line.split("  (")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert verdicts == ["synced      data/.gitkeep", "not synced  data/x/a.csv"]
    assert [line.strip() for line in out.splitlines() if line.startswith(" ")] == [
        "git: not ignored (tracked: git ignores no tracked file, although .gitignore:1:data/ matches it); "
        "FreeFileSync agrees",
        "git: ignored (.gitignore:1:data/, via data/); FreeFileSync agrees"]
