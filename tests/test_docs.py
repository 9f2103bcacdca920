"""Every document the code cites is in the repository, and every cited section exists.

The code, templates, tests, scripts and fixture READMEs cite FreeFileSync facts as
``docs/<page>.md#<section>``; the docs pages link each other the same way. A renamed heading
or a page that is not in the tree fails here, not in a reader's browser.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
#: where citations live (fixtures only through their READMEs: the .jsonl cases quote arbitrary text)
CITING = [*(REPO / d for d in ("ffs_tools", "tests", "templates", "bench", "scripts")), REPO / "README.md",
          *sorted((REPO / "fixtures").rglob("README.md"))]
SUFFIXES = {".py", ".j2", ".xsd", ".md", ".sh", ".toml", ".yaml", ""}

_CITATION = re.compile(r"docs/(?P<page>[\w.-]+\.md)(?P<anchors>(?:#[\w-]+)?(?:\s+and\s+#[\w-]+)*)")
_LINK = re.compile(r"\]\((?P<page>[\w.-]+\.md)?(?P<anchors>#[\w-]+)?\)")
_UPPER_DOC = re.compile(r"\b[A-Z][A-Z0-9_-]+\.md\b")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, blanks as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The section anchors of a markdown page (headings inside code blocks do not count)."""
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"#{1,6} (.+)", line)):
            found.add(slug(m.group(1)))
    return found


def _files() -> list[Path]:
    out: list[Path] = []
    for root in CITING:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        out.extend(p for p in paths if p.suffix in SUFFIXES and "__pycache__" not in p.parts)
    return out


def _broken(page_name: str, anchor_text: str, where: str) -> list[str]:
    page = DOCS / page_name
    if not page.is_file():
        return [f"{where}: docs/{page_name} is not in the repository"]
    names = re.findall(r"#([\w-]+)", anchor_text)
    return [f"{where}: docs/{page_name}#{name} has no such section" for name in names if name not in anchors(page)]


def test_code_citations_point_at_existing_docs_sections() -> None:
    problems: list[str] = []
    cited = 0
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in _CITATION.finditer(text):
            cited += 1
            line = text.count("\n", 0, m.start()) + 1
            problems += _broken(m["page"], m["anchors"], f"{path.relative_to(REPO)}:{line}")
    assert problems == []
    assert cited >= 30  # the code does cite the docs (a regex that finds nothing would pass above)


def test_no_citation_of_a_document_outside_the_repository() -> None:
    """What the before-stop hook checks: every upper-case ``.md`` name the code mentions is a file here."""
    tracked = {p.name for p in REPO.rglob("*.md") if ".venv" not in p.parts}
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in _files()]
    cited = {name for text in texts for name in _UPPER_DOC.findall(text)}
    assert sorted(cited - tracked) == []


def test_links_between_docs_pages_resolve() -> None:
    problems: list[str] = []
    for page in sorted(DOCS.glob("*.md")):
        for m in _LINK.finditer(page.read_text(encoding="utf-8")):
            problems += _broken(m["page"] or page.name, m["anchors"] or "", f"docs/{page.name}")
    assert problems == []
