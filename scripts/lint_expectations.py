#!/usr/bin/env python3
"""The reviewed expectations of ``lint`` on the corpus of real configs (fixtures/corpus/real-configs).

For every corpus file, ``fixtures/corpus-expectations.json`` holds the profile lint chooses for it
and, under each profile (``dev-gpu``, ``generic``), the line of every finding by rule code; ``per_rule``
sums them up (findings and files per rule). ``tests/test_lint_corpus.py`` compares a fresh run with
the file exactly, so any change in what lint says about a real config shows up as a diff to review.

    python scripts/lint_expectations.py            print the per-rule table; exit 1 when the file is stale
    python scripts/lint_expectations.py --update   rewrite the file (review the diff!), print the table

The table is the one in README.md ("lint on real configs"). The corpus is linted as the pre-commit
hook sees a config from elsewhere: no left folder scanned, no git, relative folders resolved against
a folder that does not exist (so the chosen profile does not depend on where the repository lies).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ffs_tools.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus" / "real-configs"
EXPECTATIONS = ROOT / "fixtures" / "corpus-expectations.json"
PROFILES = ("dev-gpu", "generic")
NOWHERE = Path("/nonexistent")


def corpus_files() -> list[Path]:
    """The real configs of the corpus (not its manifest and notes)."""
    return sorted(p for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv" and p.suffix != ".md")


def lint_corpus_file(path: Path, profile: str | None) -> tuple[str, list[Finding]]:
    """The profile lint judged ``path`` by and its findings; ``profile`` None: lint chooses, as it does for
    a config from elsewhere."""
    from ffs_tools.findings import Selection
    from ffs_tools.lint.rules._context import Options, Profile
    from ffs_tools.lint.run import Settings, lint_file

    options = Options(scan_left=False, use_git=False, cwd=NOWHERE,
                      profile=Profile.parse(profile) if profile else None, profile_origin="the expectations")
    result = lint_file(str(path), Settings(Selection(), (), NOWHERE, options))
    return result.ctx.profile.value, result.findings


def run_file(path: Path) -> tuple[str, dict[str, list[Finding]]]:
    """The profile lint chooses for ``path``, and its findings under each profile."""
    chosen, findings = lint_corpus_file(path, None)
    per_profile = {chosen: findings}
    for profile in PROFILES:
        if profile != chosen:
            per_profile[profile] = lint_corpus_file(path, profile)[1]
    return chosen, per_profile


def entry(chosen: str, per_profile: dict[str, list[Finding]]) -> dict[str, object]:
    """One file's expectations: the chosen profile, and per profile the lines of the findings by code."""
    out: dict[str, object] = {"profile": chosen}
    for profile in PROFILES:
        lines: dict[str, list[int]] = {}
        for f in per_profile[profile]:
            lines.setdefault(f.code, []).append(f.line or 0)
        out[profile] = {code: sorted(found) for code, found in sorted(lines.items())}
    return out


def compute() -> dict[str, object]:
    """The expectations as a fresh run gives them."""
    files = {path.name: entry(*run_file(path)) for path in corpus_files()}
    return expectations(files)


def expectations(files: dict[str, dict[str, object]]) -> dict[str, object]:
    """The whole document for the files' entries."""
    return {
        "about": "lint on fixtures/corpus/real-configs; regenerate with scripts/lint_expectations.py --update "
                 "and review the diff",
        "files": files,
        "per_rule": per_rule(files),
    }


def per_rule(files: dict[str, dict[str, object]]) -> dict[str, dict[str, dict[str, int]]]:
    """Per profile and rule: how many findings and in how many files."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for profile in PROFILES:
        findings: Counter[str] = Counter()
        in_files: Counter[str] = Counter()
        for entry in files.values():
            codes = entry[profile]
            assert isinstance(codes, dict)
            for code, lines in codes.items():
                findings[code] += len(lines)
                in_files[code] += 1
        out[profile] = {code: {"findings": findings[code], "files": in_files[code]} for code in sorted(findings)}
    return out


def table(expectations: dict[str, object]) -> str:
    """The README table: findings (files) per rule under each profile, and the profiles lint chooses."""
    rules = expectations["per_rule"]
    files = expectations["files"]
    assert isinstance(rules, dict)
    assert isinstance(files, dict)
    chosen = Counter(str(entry["profile"]) for entry in files.values())
    codes = sorted({code for profile in PROFILES for code in rules[profile]})
    lines = [f"| rule | {' | '.join(PROFILES)} |", "|---|" + "---:|" * len(PROFILES)]
    for code in codes:
        cells = []
        for profile in PROFILES:
            row = rules[profile].get(code)
            cells.append(f"{row['findings']} ({row['files']})" if row else "-")
        lines.append(f"| {code} | {' | '.join(cells)} |")
    totals = [sum(r["findings"] for r in rules[p].values()) for p in PROFILES]
    lines.append(f"| all | {' | '.join(str(t) for t in totals)} |")
    lines.append("")
    lines.append(f"{len(files)} files; the profile lint chooses: "
                 + ", ".join(f"{chosen[p]} {p}" for p in PROFILES) + ".")
    return "\n".join(lines) + "\n"


def dump(expectations: dict[str, object]) -> str:
    """The file's text: one line per corpus file, so that a review diff shows the files that changed."""
    files = expectations["files"]
    assert isinstance(files, dict)
    body = ",\n".join(f"    {json.dumps(name)}: {json.dumps(entry, sort_keys=True)}" for name, entry in files.items())
    return ("{\n"
            f'  "about": {json.dumps(expectations["about"])},\n'
            f'  "files": {{\n{body}\n  }},\n'
            f'  "per_rule": {json.dumps(expectations["per_rule"], sort_keys=True)}\n'
            "}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help=f"rewrite {EXPECTATIONS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    fresh = compute()
    text = dump(fresh)
    if args.update:
        EXPECTATIONS.write_text(text, encoding="utf-8")
    sys.stdout.write(table(fresh))
    if not args.update and (not EXPECTATIONS.exists() or EXPECTATIONS.read_text(encoding="utf-8") != text):
        print(f"{EXPECTATIONS.relative_to(ROOT)} is out of date: review, then run with --update", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
