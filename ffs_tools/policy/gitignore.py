"""The repository's committed ``.gitignore`` files, read the way git reads them.

Each non-blank, non-comment line becomes a :class:`Rule` (its file, line,
folder and pathspec's compiled pattern, ``gitignore`` flavour = git's
wildmatch). :class:`GitRules` then gives git's verdict for a path like
``git check-ignore -v`` restricted to these files: paths are decided from the
top down (below an ignored folder nothing can be re-included), a deeper
``.gitignore`` overrides a shallower one, and within a file the last matching
line wins. Only committed files count (``git ls-files``): the user's global
excludes and ``.git/info/exclude`` describe one person's machine, not the
project. Real git is the judge: ``tests/test_gitignore_git.py`` compares these
verdicts with ``git check-ignore`` on generated trees.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffs_tools.errors import UserError

#: the name git reads ignore rules from, in every folder of the work tree (case-sensitive, as git on Linux)
GITIGNORE = ".gitignore"


def _pattern_class() -> Callable[[str], Any]:
    """pathspec's gitignore pattern (``GitIgnoreBasicPattern``, git's wildmatch, since pathspec 1.0)."""
    import pathspec.util

    return pathspec.util.lookup_pattern("gitignore")


@dataclass(frozen=True)
class Rule:
    """One line of a ``.gitignore``: where it is, what it says, and its compiled pattern."""

    file: str  # ".gitignore" or "sub/.gitignore", relative to the repository's top
    line: int
    text: str  # the line as written (without the line break)
    folder: str  # the .gitignore's folder: "" or "sub" (POSIX, no trailing slash)
    negate: bool
    dir_only: bool
    regex: re.Pattern[str]
    below: bool  # ends in "/**": matches everything inside a folder (not the folder)
    everything: bool = False  # "**" alone

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def verbose(self) -> str:
        """The rule as ``git check-ignore -v`` names it: ``file:line:pattern`` (trailing spaces dropped)."""
        return f"{self.where}:{_strip_trailing_spaces(self.text)}"

    def relative(self, path: str) -> str | None:
        """``path`` relative to this rule's folder, or None when it is not strictly below it."""
        if not self.folder:
            return path
        return path[len(self.folder) + 1:] if path.startswith(self.folder + "/") else None

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether this line's pattern matches ``path`` itself (not because of a parent folder)."""
        if self.dir_only and not is_dir:
            return False
        rel = self.relative(path)
        if rel is None:
            return False
        if self.everything:
            return True
        if self.below:  # "x/**": strictly inside a folder that matches "x/" (pathspec's regex for it)
            parts = rel.split("/")
            return any(self.regex.fullmatch("/".join(parts[:i]) + "/") for i in range(1, len(parts)))
        # pathspec's regexes are made for prefixes ("a/" also matches "a/b"): a rule matches a path itself
        # when the regex matches all of it, the folder form ending in "/"
        return self.regex.fullmatch(rel + "/" if is_dir else rel) is not None


def parse_rules(text: str, file: str) -> list[Rule]:
    """The rules of one ``.gitignore`` (``file`` relative to the top, e.g. ``sub/.gitignore``)."""
    cls = _pattern_class()
    folder = file.rpartition("/")[0]
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        pattern = cls(raw)
        if pattern.include is None or pattern.regex is None:
            continue
        body = _strip_trailing_spaces(raw)
        negate = body.startswith("!")
        body = body[1:] if negate else body
        dir_only = body.endswith("/") and not body.endswith("\\/")
        core = body.rstrip("/")
        rules.append(Rule(file, number, raw, folder, negate, dir_only, pattern.regex,
                          core.endswith("/**"), core.lstrip("/") == "**"))
    return rules


def _strip_trailing_spaces(line: str) -> str:
    """Git drops trailing spaces unless the last one is escaped with a backslash."""
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped + " "
    return stripped


def _name_only(rule: Rule) -> bool:
    """A pattern without a slash (other than a trailing one) matches a name at any depth."""
    body = rule.text.strip(" ").lstrip("!").rstrip("/")
    return "/" not in body and "**" not in body


def _depth(folder: str) -> int:
    return folder.count("/") + 1 if folder else 0


class GitRules:
    """All committed ``.gitignore`` rules of a repository and git's verdict for paths."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        folders: dict[str, list[Rule]] = {}
        for rule in self.rules:
            folders.setdefault(rule.folder, []).append(rule)
        # deepest folder first (folders of one depth never both hold a path); within a file, the last line first
        self._order = [list(reversed(folders[f])) for f in sorted(folders, key=_depth, reverse=True)]
        self._by_folder = {rules[0].folder: rules for rules in self._order}
        #: precedence of each rule (higher decides): the order above, reversed
        flat = [rule for rules in self._order for rule in rules]
        self.rank = {id(rule): len(flat) - i for i, rule in enumerate(flat)}
        # a top-level rule without a slash depends on the name alone: matched once per name
        self._by_name = [i for i, r in enumerate(self.rules) if not r.folder and _name_only(r)]
        self._by_path = [i for i, r in enumerate(self.rules) if i not in set(self._by_name)]
        self._name_cache: dict[tuple[str, bool], list[int]] = {}

    def matching(self, path: str, is_dir: bool) -> list[int]:
        """Indexes of every rule (negations too) that matches ``path`` itself."""
        name = path.rpartition("/")[2]
        key = (name, is_dir)
        by_name = self._name_cache.get(key)
        if by_name is None:
            by_name = [i for i in self._by_name if self.rules[i].matches(name, is_dir)]
            if len(self._name_cache) < 100_000:
                self._name_cache[key] = by_name
        return by_name + [i for i in self._by_path if self.rules[i].matches(path, is_dir)]

    def deciding(self, indexes: Sequence[int]) -> Rule | None:
        """Of the rules matching one path, the one git goes by."""
        return max((self.rules[i] for i in indexes), key=lambda r: self.rank[id(r)], default=None)

    def decide(self, path: str, is_dir: bool) -> Rule | None:
        """The rule that decides ``path`` itself (a negation re-includes), ignoring its parents."""
        # only the files in the path's own ancestor folders can match it, the deepest first (a tree with
        # hundreds of .gitignore files asks a handful of them, not all)
        parts = path.split("/")
        for depth in range(len(parts) - 1, -1, -1):
            for rule in self._by_folder.get("/".join(parts[:depth]), ()):
                if rule.matches(path, is_dir):
                    return rule
        return None

    def verdict(self, path: str, is_dir: bool) -> tuple[bool, Rule | None, str | None]:
        """``(ignored, rule, via)``: git's verdict, the deciding rule and the ignored parent folder (if any)."""
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            rule = self.decide(folder, True)
            if rule is not None and not rule.negate:
                return True, rule, folder + "/"
        rule = self.decide("/".join(parts), is_dir)
        return rule is not None and not rule.negate, rule, None


def shadowed(rule: Rule, rules: GitRules) -> str:
    """Why a later ``!`` rule could re-include something this rule matches ("" if none can)."""
    for other in rules.rules:
        if not other.negate:
            continue
        later_here = other.file == rule.file and other.line > rule.line
        deeper = other.folder != rule.folder and (not rule.folder or other.folder.startswith(rule.folder + "/"))
        prefix = _literal_prefix(rule)
        inside = (other.folder == prefix or other.folder.startswith(prefix + "/")
                  or prefix.startswith(other.folder + "/"))
        if deeper and prefix and not inside:
            continue  # the rule matches only inside prefix/, the ! rule only elsewhere
        if (later_here or deeper) and _may_share_a_name(rule, other):
            return f"{other.where} ({other.text.strip()}) may re-include what it matches"
    return ""


def _literal_prefix(rule: Rule) -> str:
    """For an anchored rule whose first segment is a plain name: the folder all its matches lie in, else ""."""
    body = rule.text.strip(" ").rstrip("/")
    if "/" not in body:
        return ""
    first = body.lstrip("/").split("/")[0]
    if not first or any(c in first for c in "*?[\\"):
        return ""
    return f"{rule.folder}/{first}" if rule.folder else first


def _may_share_a_name(rule: Rule, negation: Rule) -> bool:
    """Whether both rules could match one path itself (a ``!`` rule cannot re-include below an ignored folder,
    so only paths the rule matches itself count); judged on the last segments, where both must match."""
    mine, theirs = _last_segment(rule), _last_segment(negation)
    if mine is None or theirs is None or "\\" in mine + theirs:
        return True  # escapes: not judged here
    mine, theirs = mine.replace("[^", "[!"), theirs.replace("[^", "[!")  # fnmatch's classes are git's otherwise
    if any(c in mine for c in "*?["):
        return any(c in theirs for c in "*?[") or fnmatch.fnmatchcase(theirs, mine)
    return fnmatch.fnmatchcase(mine, theirs)


def _last_segment(rule: Rule) -> str | None:
    """The last segment of the rule's pattern, None for "**" (it matches any name)."""
    body = rule.text.strip(" ").lstrip("!").rstrip("/")
    last = body.rpartition("/")[2]
    return None if last == "**" or not last else last


def committed_gitignores(root: Path) -> list[str]:
    """The ``.gitignore`` files git tracks in the work tree at ``root`` (relative POSIX paths, sorted).

    Raises UserError when ``root`` is not inside a git work tree or git is missing.
    """
    import subprocess  # here: audit-gpu reads .gitignore files without git and need not load it

    git = shutil.which("git")
    if git is None:
        raise UserError("exclude.gitignore: git is not installed, so the committed .gitignore files cannot be "
                        "listed; install git or set exclude.gitignore = false")
    proc = subprocess.run([git, "-C", str(root), "ls-files", "-z", "--", GITIGNORE, f"*/{GITIGNORE}"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["git ls-files failed"])[0]
        raise UserError(f"exclude.gitignore: {root} is not a git work tree ({first}); "
                        "set exclude.gitignore = false")
    return sorted(p for p in proc.stdout.split("\0") if p == GITIGNORE or p.endswith(f"/{GITIGNORE}"))


def tracked_but_ignored(root: Path) -> list[str]:
    """Files git tracks below ``root`` that the committed ``.gitignore`` rules match (a force-added
    ``data/.gitkeep`` with ``data/`` ignored). Git's rules apply to untracked files only, so these are not
    ignored: ``exclude.gitignore`` keeps them as it keeps ``[keep] paths`` (without that, the hook's FFS131
    rejects what generate wrote). Sorted relative POSIX paths; empty where git cannot tell."""
    import subprocess

    git = shutil.which("git")
    if git is None:
        return []
    proc = subprocess.run([git, "-C", str(root), "ls-files", "-z", "--cached", "--ignored",
                           f"--exclude-per-directory={GITIGNORE}"], capture_output=True, check=False)
    if proc.returncode != 0:
        return []
    return sorted(p.decode("utf-8", "surrogateescape") for p in proc.stdout.split(b"\0") if p)


def load_rules(root: Path) -> GitRules:
    """Every rule of the committed ``.gitignore`` files below ``root`` (their current content, as git reads it)."""
    return load_files(root, committed_gitignores(root))


def load_files(root: Path, files: Iterable[str], read: Callable[[str], bytes] | None = None) -> GitRules:
    """The rules of the ``.gitignore`` files ``files`` (POSIX paths relative to ``root``), each relative to its
    own folder. Where there is no git (the GPU machine) the caller lists the files it found on disk; a file
    that cannot be read contributes nothing, as for git. ``read``: how to read a file by its relative path
    (default: from ``root`` on this machine; the GPU machine over SFTP for ``audit-gpu sftp://``)."""
    rules: list[Rule] = []
    for rel in sorted(files):
        try:
            data = read(rel) if read is not None else (root / rel).read_bytes()
            text = data.decode("utf-8", errors="surrogateescape")
        except OSError:
            continue  # deleted from the work tree but still in the index, or unreadable: git reads nothing either
        rules += parse_rules(text, rel)
    return GitRules(rules)
