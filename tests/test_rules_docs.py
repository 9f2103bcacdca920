"""Rule documentation: every rule documented, ``ffs-tools rules``, and the README table equal to the registry."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from lintutil import ROOT

from ffs_tools.cli import main
from ffs_tools.commands.rules import markdown_table
from ffs_tools.findings import Severity
from ffs_tools.lint.registry import REGISTRY

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix")


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda r: r.CODE)
def test_rule_module_contract(rule: object) -> None:
    code, name, severity, doc = (getattr(rule, a) for a in ("CODE", "NAME", "SEVERITY", "__doc__"))
    assert re.fullmatch(r"FFS\d{3}", code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert isinstance(severity, Severity)
    assert callable(getattr(rule, "check", None))
    positions = [doc.find(s) for s in SECTIONS]
    assert all(p > 0 for p in positions), f"{code}: docstring sections"
    assert positions == sorted(positions), f"{code}: docstring sections out of order"
    assert rule.__name__.rsplit(".", 1)[-1].startswith(code.lower() + "_")  # type: ignore[attr-defined]


def test_codes_and_names_are_unique_and_sorted() -> None:
    codes = [r.CODE for r in REGISTRY]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert len({r.NAME for r in REGISTRY}) == len(codes)


def test_readme_rule_table_equals_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "regenerate the README table with: ffs-tools rules --format markdown"


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    from ffs_tools.audit.registry import audit_rule_infos

    audit_codes = [r.code for r in audit_rule_infos()]
    assert audit_codes == [f"FFS70{i}" for i in range(1, 9)]
    assert [line.split()[0] for line in listing.splitlines()] == [r.CODE for r in REGISTRY] + audit_codes
    assert main(["rules", "ffs102"]) == 0
    doc = capsys.readouterr().out
    assert doc.startswith("FFS102 git-excluded-only-at-base (default: error)")
    assert "## Fix" in doc
    assert main(["rules", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(REGISTRY) + len(audit_codes)
    assert main(["rules", "FFS708"]) == 0
    assert capsys.readouterr().out.startswith("FFS708 env-travels (default: error)")
    assert main(["rules", "FFS999"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_lint_path_imports_nothing_heavy() -> None:
    """A clean lint (the pre-commit hook) must not import pydantic, xmlschema, jinja2 or rich."""
    clean = ROOT / "fixtures" / "lint" / "FFS001" / "ok_clean.ffs_batch"
    code = ("import sys; from ffs_tools.cli import main; rc = main(['lint', '--no-scan', sys.argv[1]]); "
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'xmlschema', 'jinja2', 'rich'}); "
            "print(rc, heavy)")
    out = subprocess.run([sys.executable, "-c", code, str(clean)], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "0 []"
