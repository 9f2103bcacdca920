"""``ffs-tools generate`` end to end without FreeFileSync: goldens, --check, hand-edit protection, bad policies.

Goldens live in fixtures/golden/generate/<policy>/ffs<version>/ and are compared after two
normalisations: the temporary output folder becomes ``@OUT@`` and digests become zeros. Update them
only with FFS_TOOLS_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from generate_helpers import PROJECT_FILES, build_project, run_cli, snapshot, write

from ffs_tools.ffs.model import SyncJob
from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.filtering.engine import PathFilter, Semantics
from ffs_tools.filtering.traversal import disk_lister, synced_items
from ffs_tools.generate.plan import MANIFEST
from ffs_tools.policy.notes import exclusions_text
from ffs_tools.xml.parse import parse_bytes
from ffs_tools.xml.read import load

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "fixtures" / "policies"
GOLDEN = ROOT / "fixtures" / "golden" / "generate"
MIGRATIONS = ROOT / "fixtures" / "ffs14-migrations"
UPDATE = os.environ.get("FFS_TOOLS_UPDATE_GOLDEN") == "1"
DIGEST = re.compile(rb"ffs-tools digest [0-9a-f]{16}")


def normalize(data: bytes, out: Path) -> bytes:
    return DIGEST.sub(b"ffs-tools digest " + b"0" * 16, data.replace(str(out).encode(), b"@OUT@"))


def generate(cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str]:
    code, out, err = run_cli(["generate", *args], cwd, monkeypatch, capsys)
    assert out == "", "generate writes nothing to stdout"
    return code, err


@pytest.mark.parametrize("version", ["12", "14"])
@pytest.mark.parametrize("policy", sorted(p.name for p in POLICIES.glob("*.toml")))
def test_golden(policy: str, version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, err = generate(tmp_path, monkeypatch, capsys, "--policy", str(POLICIES / policy), "--out", str(out),
                         "--ffs-version", version)
    assert code == 0, err
    # the manifest holds hashes of the files before normalize(): tests/test_generate_manifest.py pins it
    got = {p.name: normalize(p.read_bytes(), out) for p in sorted(out.iterdir()) if p.name != MANIFEST}
    golden = GOLDEN / policy.removesuffix(".toml") / f"ffs{version}"
    if UPDATE:
        golden.mkdir(parents=True, exist_ok=True)
        for old in golden.iterdir():
            old.unlink()
        for name, data in got.items():
            (golden / name).write_bytes(data)
    assert got == {p.name: p.read_bytes() for p in sorted(golden.iterdir())}
    for path in out.iterdir():  # every generated config reads back without a problem FreeFileSync would report
        if path.suffix not in (".txt", ".json"):
            assert load(path).problems == ()


def _skeleton(data: bytes) -> list[tuple[int, str, tuple[str, ...]]]:
    """Element names, depths and attribute names in document order; repeated <Item>/<Pair> collapsed."""
    out: list[tuple[int, str, tuple[str, ...]]] = []

    def walk(el: object, depth: int) -> None:
        for child in el:  # type: ignore[attr-defined]
            if not isinstance(child.tag, str):
                continue
            entry = (depth, child.tag, tuple(child.attrib))
            if not (out and out[-1] == entry and child.tag in ("Item", "Pair")):
                out.append(entry)
            walk(child, depth + 1)

    walk(parse_bytes(data, "x").getroot(), 0)
    return out


@pytest.mark.parametrize(("conflict", "reference"), [("review", "twoway"), ("newer-wins", "custom-newer-wins")])
def test_format23_has_freefilesync_14_10s_layout(conflict: str, reference: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Acceptance 4: the default --ffs-version writes what 14.10 writes for the same settings."""
    (tmp_path / "ffs-policy.toml").write_text(
        f'[gpu]\npath = "{tmp_path.parent / "gpu"}"\n[sync]\nconflict = "{conflict}"\ndeletion = "recycle-bin"\n',
        encoding="utf-8")
    code, err = generate(tmp_path, monkeypatch, capsys)
    assert code == 0, err
    name = tmp_path.name
    for ext, ref in (("ffs_batch", f"{reference}.v23.ffs_batch"), ("ffs_gui", "twoway-gui.v23.ffs_gui")):
        data = (tmp_path / f"{name}.{ext}").read_bytes()
        expected = (MIGRATIONS / ref).read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n"), "CRLF only"
        if ext == "ffs_batch":
            assert _skeleton(data) == _skeleton(expected)
            assert data.split(b"<Filter>")[0].split(b"<Compare>")[1] == expected.split(b"<Filter>")[0].split(
                b"<Compare>")[1], "Compare and Synchronize blocks are byte-identical to 14.10's"
        assert data.split(b"<Errors")[1] == expected.split(b"<Errors")[1].replace(
            b"<LogFolder>logs</LogFolder>", b"<LogFolder/>"), "the tail is byte-identical to 14.10's"


def test_what_the_generated_filter_lets_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The filter engine's view of acceptance 1 (the real FreeFileSync checks it in test_generate_realffs)."""
    build_project(tmp_path / "p")
    (tmp_path / "p" / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "gpu"}"\n', encoding="utf-8")
    for version, semantics in (("12", Semantics.FFS12), ("14", Semantics.FFS14)):
        code, err = generate(tmp_path / "p", monkeypatch, capsys, "--ffs-version", version, "--out",
                             str(tmp_path / version))
        assert code == 0, err
        job = load(tmp_path / version / "p.ffs_batch").config
        assert isinstance(job, SyncJob)
        flt = PathFilter.from_configs(job.filter, job.pairs[0].filter, semantics)
        synced = {item.path for item in synced_items(flt, disk_lister(str(tmp_path / "p")))
                  if not item.path.endswith("/")}
        assert synced == set(PROJECT_FILES)  # the policy (inside the local folder) is ffs-tools' own: not synced


def test_check_then_policy_change_then_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Acceptance 5, first half: --check is 0 right after generate and 1 after the policy changes."""
    policy = tmp_path / "ffs-policy.toml"
    policy.write_text(f'[gpu]\npath = "{tmp_path.parent / "gpu"}"\n', encoding="utf-8")
    code, err = generate(tmp_path, monkeypatch, capsys, "--check")
    assert code == 1
    assert f"{tmp_path.name}.ffs_batch: would be created" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ffs-policy.toml"], "--check writes nothing"
    assert generate(tmp_path, monkeypatch, capsys)[0] == 0
    assert generate(tmp_path, monkeypatch, capsys, "--check")[0] == 0
    policy.write_text(policy.read_text() + '[exclude]\nextra = ["*/wandb/"]\n', encoding="utf-8")
    before = snapshot(tmp_path)
    code, err = generate(tmp_path, monkeypatch, capsys, "--check")
    assert code == 1
    assert f"{tmp_path.name}.ffs_batch: would be updated" in err
    assert snapshot(tmp_path) == before
    code, err = generate(tmp_path, monkeypatch, capsys)  # files we wrote ourselves are updated without --force
    assert code == 0, err
    assert b"<Item>*/wandb/</Item>" in (tmp_path / f"{tmp_path.name}.ffs_batch").read_bytes()
    assert generate(tmp_path, monkeypatch, capsys, "--check")[0] == 0


def test_hand_edited_file_is_not_overwritten_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Acceptance 5, second half: say which file and how it differs; --force replaces it."""
    (tmp_path / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path.parent / "gpu"}"\n', encoding="utf-8")
    assert generate(tmp_path, monkeypatch, capsys)[0] == 0
    batch = tmp_path / f"{tmp_path.name}.ffs_batch"
    edited = batch.read_bytes().replace(b'AutoClose="true"', b'AutoClose="false"')
    batch.write_bytes(edited)
    before = snapshot(tmp_path)
    code, err = generate(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert f"{batch}: edited by hand since ffs-tools generated it" in err
    assert '-        <ProgressDialog Minimized="true" AutoClose="false"/>' in err
    assert '+        <ProgressDialog Minimized="true" AutoClose="true"/>' in err
    assert err.strip().splitlines()[-1].startswith(f"error: {tmp_path}: {batch.name}: edited by hand")
    assert snapshot(tmp_path) == before, "nothing written, not even the unchanged files"
    assert generate(tmp_path, monkeypatch, capsys, "--check")[0] == 1
    code, err = generate(tmp_path, monkeypatch, capsys, "--force")
    assert code == 0, err
    assert b'AutoClose="true"' in batch.read_bytes()
    assert generate(tmp_path, monkeypatch, capsys, "--check")[0] == 0


def test_a_file_that_is_not_ours_is_protected_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path.parent / "gpu"}"\n', encoding="utf-8")
    (tmp_path / "FREEFILESYNC_EXCLUSIONS.txt").write_text("*/.git\n", encoding="utf-8")
    code, err = generate(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "FREEFILESYNC_EXCLUSIONS.txt: edited by hand" in err
    assert (tmp_path / "FREEFILESYNC_EXCLUSIONS.txt").read_text() == "*/.git\n"


# acceptance 6: (policy text, the key the one-line message names, a phrase it contains)
BAD_POLICIES = [
    ('[gpu]\npath = "/g"\ncolour = "blue"\n', "gpu.colour", "unknown key in [gpu]"),
    ('[gpu]\npath = "/g"\n[sync]\nconflict = 1\n', "sync.conflict", "expected a string, got an integer (1)"),
    ('[project]\nname = "p"\n', "gpu.path", "missing"),
    ('[gpu]\npath = "/g"\n[exclude]\nextra = ["*/models/"]\n[keep]\npaths = ["models/"]\n', "keep.paths[0]",
     '"models/" would not sync: exclude item "*/models/" (exclude.extra[0]) drops it'),
    ('[gpu]\npath = "/g"\n[keep]\npaths = ["datasets/", ".venv/"]\n', "keep.paths[1]",
     'exclude item "*/.venv/" (built in: virtualenvs never travel) drops it'),
    ('[gpu]\npath = "sftp://me:secret@box/home/me/p|agent"\n', "gpu.path", "contains a password"),
    ('[gpu]\npath = "sftp://me@box/home/me/p|keyfile=~/.ssh/k"\npassword = "secret"\n', "gpu.password",
     "a password does not belong in the policy"),
]


@pytest.mark.parametrize(("text", "key", "phrase"), BAD_POLICIES, ids=[k for _, k, _ in BAD_POLICIES])
def test_bad_policy_exit_2_one_line_nothing_written(text: str, key: str, phrase: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "ffs-policy.toml").write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    code, err = generate(project, monkeypatch, capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if not line.startswith(("scan: ", "target: "))]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {project / 'ffs-policy.toml'}:")
    assert f" {key}: " in lines[0], lines[0]
    assert phrase in lines[0], lines[0]
    assert "secret" not in err
    assert snapshot(tmp_path) == before


def test_keep_path_content_on_disk_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "models/best.pt", "w")
    write(tmp_path, "models/__pycache__/x.pyc", "")  # built-in exclusions below a keep path are fine
    (tmp_path / "ffs-policy.toml").write_text(
        f'[gpu]\npath = "{tmp_path.parent / "gpu"}"\n[exclude]\nextra = ["*.tmp", "*.pt"]\n'
        '[keep]\npaths = ["models/"]\n', encoding="utf-8")
    code, err = generate(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert ('keep.paths[0]: "models/best.pt" (in keep path "models/") would not sync: exclude item "*.pt" '
            "(exclude.extra[1]) drops it") in err


def test_keep_path_that_is_a_symlink_needs_follow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "big").mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "datasets").symlink_to(tmp_path / "big")
    (tmp_path / "p" / "ffs-policy.toml").write_text(
        f'[gpu]\npath = "{tmp_path / "gpu"}"\n[keep]\npaths = ["datasets/"]\n', encoding="utf-8")
    code, err = generate(tmp_path / "p", monkeypatch, capsys)
    assert code == 2
    assert 'keep.paths[0]: "datasets/" is a symbolic link' in err
    with (tmp_path / "p" / "ffs-policy.toml").open("a") as fh:
        fh.write('[sync]\nsymlinks = "follow"\n')
    assert generate(tmp_path / "p", monkeypatch, capsys)[0] == 0


def test_no_policy_uses_the_built_in_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "my-project"
    build_project(project)
    code, err = generate(project, monkeypatch, capsys, "--gpu", "sftp://me@gpu-box/home/me/my-project|agent")
    assert code == 0, err
    assert "scan: found tools/py311/ (pyvenv.cfg inside): excluded" in err
    assert "scan: found venv/ (pyvenv.cfg inside): already excluded by */venv/" in err
    names = {p.name for p in project.iterdir() if p.is_file() and p.suffix.startswith((".ffs", ".txt"))}
    assert names == {"my-project.ffs_gui", "my-project.ffs_batch", "my-project.ffs_real",
                     "FREEFILESYNC_EXCLUSIONS.txt"}
    batch = load(project / "my-project.ffs_batch").config
    assert isinstance(batch, SyncJob)
    assert batch.pairs[0].left == str(project)
    assert batch.pairs[0].right == "sftp://me@gpu-box/home/me/my-project|agent"
    assert "/tools/py311/" in batch.filter.exclude  # anchored at the place the scan found it
    assert "/envs/torch-cu121/" in batch.filter.exclude
    assert batch.xml_format == 23


def test_no_policy_and_no_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, err = generate(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "run ffs-tools init, or pass --gpu PATH" in err


def test_gpu_option_conflicts_with_a_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ffs-policy.toml").write_text('[gpu]\npath = "/g"\n', encoding="utf-8")
    code, err = generate(tmp_path, monkeypatch, capsys, "--gpu", "/other")
    assert code == 2
    assert "--gpu is for running without a policy file" in err


@pytest.mark.parametrize(("version", "message"), [
    ("12.4", "FreeFileSync 12.3 - 12.5 use XmlFormat 18/19"),
    ("10", "ffs-tools writes for FreeFileSync 11.3 - 14.10"),
    ("latest", "expected a FreeFileSync version"),
])
def test_unsupported_versions(version: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, err = generate(tmp_path, monkeypatch, capsys, "--gpu", "/g", "--ffs-version", version)
    assert code == 2
    assert message in err


def test_newer_wins_says_deletions_do_not_propagate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ffs-policy.toml").write_text(
        f'[gpu]\npath = "{tmp_path.parent / "g"}"\n[sync]\nconflict = "newer-wins"\n', encoding="utf-8")
    for version in ("12", "14"):
        assert generate(tmp_path, monkeypatch, capsys, "--ffs-version", version, "--out", version)[0] == 0
        for ext in ("ffs_gui", "ffs_batch"):
            assert b"Deletions do NOT propagate" in (tmp_path / version / f"{tmp_path.name}.{ext}").read_bytes()
    job = load(tmp_path / "14" / f"{tmp_path.name}.ffs_batch").config
    assert isinstance(job, SyncJob)
    assert "Deletions do NOT propagate" in job.notes
    assert job.batch is not None
    assert (job.batch.auto_close, job.batch.minimized, str(job.batch.error_dialog), job.errors.ignore) == (
        True, True, "Cancel", False)


def test_checked_in_exclusions_file_is_what_the_code_produces() -> None:
    path = ROOT / "FREEFILESYNC_EXCLUSIONS.txt"
    expected = exclusions_text(default_exclusions(), "ffs_tools/ffs/never_travels.py")
    if UPDATE:
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected
    items = [line for line in expected.splitlines() if line and not line.startswith("#")]
    assert items == [ex.item for ex in default_exclusions()]


def test_generate_refuses_to_write_what_does_not_lint_clean() -> None:
    """The last gate before writing: a config with a lint error (here: no .git exclusion) is refused."""
    from ffs_tools.errors import UserError
    from ffs_tools.lint.gate import check_generated

    data = (ROOT / "fixtures" / "ffs14-migrations" / "twoway.v23.ffs_batch").read_bytes().replace(
        b"<Item>*/.git</Item>", b"<Item>*.tmp</Item>")
    with pytest.raises(UserError, match=r"does not lint clean \(FFS101"):
        check_generated("job.ffs_batch", data)
