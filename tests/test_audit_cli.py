"""The audit-gpu command line: shared report options, exit codes, suggestions, rule docs, README."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from auditcli import REPO, audit_cli
from treebuilder import FIXTURES, build, parse

from ffs_tools.audit.registry import RULES, audit_rule_infos
from ffs_tools.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture
def stray(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    build(parse(FIXTURES / "trees" / "stray_git.tree"), tree)
    build(parse(FIXTURES / "trees" / "caches.tree"), tree)
    return tree


def test_sarif_carries_the_rule_metadata(stray: Path) -> None:
    run = audit_cli(".", "--format", "sarif", cwd=stray)
    assert run.returncode == 1
    sarif = json.loads(run.stdout)["runs"][0]
    rules = {r["id"]: r for r in sarif["tool"]["driver"]["rules"]}
    assert set(rules) == set(RULES)
    assert rules["FFS701"]["name"] == "git-folder"
    assert rules["FFS707"]["defaultConfiguration"] == {"level": "note"}
    assert rules["FFS702"]["fullDescription"]["text"].startswith(
        "A `.git` file (or link) on the GPU machine.\n\nWhat it does:")
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
               for r in sarif["results"]}
    assert ("FFS701", "proj/.git") in results
    assert ("FFS704", "src/__pycache__") in results


@pytest.mark.slow
def test_select_and_ignore(stray: Path) -> None:
    only = audit_cli(".", "--format", "json", "--select", "FFS702", cwd=stray)
    assert {c for c, _ in only.findings()} == {"FFS702"}
    none = audit_cli(".", "--format", "json", "--ignore", "FFS70", cwd=stray)
    assert (none.returncode, none.findings()) == (0, [])
    warnings_only = audit_cli(".", "--format", "concise", "--ignore", "FFS701,FFS702", cwd=stray)
    assert warnings_only.returncode == 0
    assert "FFS704" in warnings_only.stdout
    bad = audit_cli(".", "--select", "FFS799", cwd=stray)
    assert (bad.returncode, bad.stderr) == (2, "error: --select/--ignore: unknown rule code or prefix 'FFS799'\n")


def test_text_and_github_formats(stray: Path) -> None:
    text = audit_cli(".", cwd=stray)
    assert text.stdout.endswith("1 tree checked: 7 errors, 8 warnings\n")
    assert "    hint: exclude '*/.git' (every depth, folder and file)" in text.stdout
    github = audit_cli(".", "--format", "github", cwd=stray)
    assert "::error file=proj/.git/,title=FFS701::FFS701 a .git folder" in github.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["missing"], "error: missing: cannot read the folder: No such file or directory\n"),
    (["a-file"], "error: a-file: not a folder\n"),
    ([".", "--all"], "error: --all and --dry-run go with --quarantine DIR\n"),
    ([".", "--dry-run"], "error: --all and --dry-run go with --quarantine DIR\n"),
    ([".", "--pair", "1"], "error: --pair goes with --config FILE\n"),
    ([".", "--ffs-version", "12"], "error: --ffs-version goes with --config FILE or --policy FILE\n"),
    ([".", "--config", "a.ffs_batch", "--policy", "p.toml"], "error: --config and --policy: choose one\n"),
    (["--restore", "q", "."], "error: --restore MANIFEST works alone (no PATH, --quarantine, --config, "
                              "--policy or --suggest)\n"),
    ([".", "--policy", "missing.toml"], "error: missing.toml: policy file not found\n"),
    (["--restore", "nowhere"], "error: nowhere/ffs-quarantine.json: no such manifest\n"),
    ([".", "--config", "a-file"], "error: a-file: not a FreeFileSync config extension (expected .ffs_gui, "
                                  ".ffs_batch or .ffs_real)\n"),
    ([".", "--config", "broken.ffs_batch"], None),
])
def test_could_not_run_is_exit_2_with_one_line(args: list[str], message: str | None, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "broken.ffs_batch").write_text("<?xml version='1.0'?><FreeFileSync")
    (tmp_path / "nowhere").mkdir()
    run = audit_cli(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    if message is None:
        assert re.fullmatch(r"error: broken\.ffs_batch:1(:\d+)?: not well-formed XML: .*\n", run.stderr), run.stderr
    else:
        assert run.stderr == message


def test_suggest_prints_policy_lines_without_the_items_the_configs_have(stray: Path, tmp_path: Path) -> None:
    """The way to add an exclusion is the policy: --suggest prints [exclude] extra lines (the policy's own items
    first), never ffs-tools' built-in items (generate writes them anyway) nor the ones the policy has."""
    env = stray / "miniforge" / "envs" / "train"
    (env / "conda-meta").mkdir(parents=True)
    (env / "conda-meta" / "python-3.11.5-h1.json").write_text("{}", encoding="utf-8")  # no bin/python: FFS703
    run = audit_cli(".", "--suggest", cwd=stray)
    assert run.returncode == 1
    assert run.stdout.splitlines() == ["[exclude]", "extra = [", '    "/miniforge/envs/train/",', "]"]
    assert ("# */.git: built in: generate writes it for every project: .git/ (FFS701), deep/a/b/c/repo/.git/ "
            "(FFS701), libs/vendored/.git (FFS702), linked/.git (FFS702), odd/.git (FFS702) and 2 more"
            ) in run.stderr.splitlines()
    assert "# /miniforge/envs/train/: miniforge/envs/train/ (FFS703)" in run.stderr.splitlines()
    policy = tmp_path / "local" / "ffs-policy.toml"
    policy.parent.mkdir()
    policy.write_text(f'[gpu]\npath = "{stray}"\n[exclude]\nextra = ["*/wandb/"]\n', encoding="utf-8")
    run = audit_cli(".", "--suggest", "--policy", str(policy), cwd=stray)
    assert run.stdout.splitlines() == ["[exclude]", "extra = [", '    "*/wandb/",', '    "/miniforge/envs/train/",',
                                       "]"]
    assert tomllib.loads(run.stdout)["exclude"]["extra"] == ["*/wandb/", "/miniforge/envs/train/"]
    policy.write_text(f'[gpu]\npath = "{stray}"\n[exclude]\nextra = ["/miniforge/envs/train/"]\n',
                      encoding="utf-8")
    run = audit_cli(".", "--suggest", "--policy", str(policy), cwd=stray)
    assert run.stdout == ""
    assert (f"# /miniforge/envs/train/: already in the policy {policy}: miniforge/envs/train/ (FFS703)"
            in run.stderr.splitlines())
    assert run.stderr.splitlines()[-1] == "# nothing to add to the policy"


def test_rule_docs_are_complete() -> None:
    infos = audit_rule_infos()
    assert [i.code for i in infos] == [f"FFS70{n}" for n in range(1, 9)]
    for info in infos:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", info.name), info.name
        for section in ("What it does:", "Why is this bad?", "Example:", "Fix:"):
            assert section in info.doc, (info.code, section)
    severities = {i.code: i.severity for i in infos}
    assert {c for c, s in severities.items() if s is Severity.ERROR} == {"FFS701", "FFS702", "FFS708"}
    assert severities["FFS707"] is Severity.INFO


def test_readme_table_matches_the_registry() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## `ffs-tools audit-gpu`"):]
    rows = re.findall(r"^\| (FFS7\d\d) \| `([a-z-]+)` \| (\w+) \| (.+?) \|$", section, re.M)
    assert [(c, n, s) for c, n, s, _ in rows] == [(i.code, i.name, i.severity.label) for i in audit_rule_infos()]


def test_importing_the_cli_stays_cheap() -> None:
    code = ("import sys, ffs_tools.cli; print(sorted(m for m in sys.modules if m.startswith("
            "('ffs_tools.audit.run', 'ffs_tools.audit.walk', 'ffs_tools.audit.quarantine', 'lxml', 'jinja2', "
            "'xmlschema'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


def test_audit_findings_carry_the_suggested_item_as_a_structured_fix(stray: Path) -> None:
    """The same finding type as lint: a hit with a suggestion becomes a finding whose fix adds that item."""
    from ffs_tools.audit.run import audit, suggestions, to_report
    from ffs_tools.findings import Edit, Selection

    result = audit(str(stray))
    report = to_report(result, Selection())
    by_path = {(f.code, f.path.removeprefix(str(stray) + "/")): f.fix for f in report.findings}
    assert by_path[("FFS701", "proj/.git/")] == (Edit("add", "filter.exclude", "*/.git"),)
    assert by_path[("FFS704", "src/__pycache__/")] == (Edit("add", "filter.exclude", "*/__pycache__/"),)
    fixed = sorted({e.value for f in report.findings for e in f.fix})
    assert fixed == [item for item, _ in suggestions(result.hits)]
