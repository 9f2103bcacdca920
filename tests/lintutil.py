"""Helpers shared by the lint tests: run the engine in-process on files or bytes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE
from ffs_tools.findings import Finding, Selection
from ffs_tools.lint.rules._context import Options, Profile
from ffs_tools.lint.run import Settings, lint_bytes, lint_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
LINT_FIXTURES = FIXTURES / "lint"
CORPUS = FIXTURES / "corpus" / "real-configs"


def settings(cwd: Path, select: tuple[str, ...] = (), ffs_version: str | None = None, scan: bool = True,
             policy: Path | None = None, profile: str | None = "dev-gpu") -> Settings:
    """Run settings; the rule tests judge by ``dev-gpu`` (every rule) unless they pass ``profile``
    (None: chosen per file, as the command does)."""
    options = Options(ffs_version=ffs_version, scan_left=scan, use_git=scan, cwd=cwd, policy=policy,
                      profile=Profile.parse(profile) if profile else None,
                      profile_origin="the test" if profile else "")
    return Settings(Selection.of(select), (), cwd, options)


def lint_path(path: Path, cwd: Path | None = None, **kw: object) -> list[Finding]:
    return lint_file(str(path), settings(cwd or path.parent, **kw)).findings  # type: ignore[arg-type]


def lint_text(text: str | bytes, name: str = "job.ffs_batch", cwd: Path | None = None, **kw: object) -> list[Finding]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return lint_bytes(data, name, settings(cwd or Path("/nonexistent"), **kw)).findings  # type: ignore[arg-type]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


#: files of the test set-up, not of the project a fixture stands for: never tracked
TEST_FILES = ("expected.tsv",)


def environments(folder: Path) -> list[Path]:
    """The virtualenvs (``pyvenv.cfg``) and conda envs (``conda-meta/``) below ``folder``."""
    found = {p.parent for p in folder.rglob(VENV_MARKER_FILE)} | {p.parent for p in folder.rglob(CONDA_MARKER_DIR)
                                                                    if p.is_dir()}
    return sorted(found)


def git_repo(folder: Path) -> None:
    """Make ``folder`` a git work tree with the project's files staged (what ``git ls-files`` lists), as a
    real project has them: environments are not committed (a project never tracks its venv), and the
    test's own files (``expected.tsv``) are not the project's."""
    git = shutil.which("git")
    assert git, "git is needed for the FFS131 tests"
    subprocess.run([git, "init", "-q", str(folder)], check=True)
    subprocess.run([git, "add", "-A"], cwd=folder, check=True)
    untracked = [str(p.relative_to(folder)) for p in environments(folder)]
    untracked += [name for name in TEST_FILES if (folder / name).exists()]
    if untracked:
        # --ignore-unmatch: an environment the project's .gitignore already keeps out is not in the index
        subprocess.run([git, "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", *untracked], cwd=folder,
                       check=True)
