"""The findings layer shared by ``lint`` and ``audit-gpu``.

A :class:`Finding` says what is wrong (message), what to do (hint) and where
(path, line, column). A :class:`Report` collects them for one run; reporters
(:mod:`ffs_tools.findings.reporters`) turn it into text, JSON, SARIF or GitHub
annotations; :func:`exit_code` turns it into the process exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True)
class RuleInfo:
    """What a reporter needs to know about a rule (SARIF rule metadata, ``rules`` output)."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""


class Rule(Protocol):
    """What every rule module of lint and audit-gpu declares (one convention): its code, kebab-case name and
    default severity, and as its docstring the documentation (summary line, then What it does / Why is
    this bad? / Example / Fix)."""

    CODE: str
    NAME: str
    SEVERITY: Severity


def rule_info(rule: Rule) -> RuleInfo:
    """The reporter-facing metadata of a rule module (summary = the docstring's first line)."""
    doc = "\n".join(line.rstrip() for line in (rule.__doc__ or "").strip().splitlines())
    summary = doc.splitlines()[0].strip() if doc else rule.NAME
    return RuleInfo(rule.CODE, rule.NAME, rule.SEVERITY, summary, doc)


@dataclass(frozen=True)
class Edit:
    """One change ``lint --fix`` makes to a config, addressed by model key, never by the hint's words.

    ``add``: append the filter item ``value`` to the list at ``key`` (``filter.exclude`` or
    ``pair.N.filter.exclude``). ``set``: set the setting at ``key`` (``batch.auto_close``,
    ``batch.error_dialog``, ``errors.ignore``) to ``value`` as FreeFileSync writes it. ``replace``:
    replace the ``<Item>`` at ``key`` (``filter.exclude.N``, ``pair.M.filter.include.N``) by one
    ``<Item>`` per line of ``value`` (FFS141 splits two fused items).
    """

    op: Literal["add", "set", "replace"]
    key: str
    value: str


@dataclass(frozen=True)
class Place:
    """One more place of a finding: where the same problem sits for other folder pairs (or again in the file,
    as a password stored twice in a broken file)."""

    line: int | None
    column: int | None = None


@dataclass(frozen=True)
class Finding:
    """One problem: what is wrong (message), what to do (hint), where (path, line, column).

    A problem several folder pairs share is one finding (:func:`group_pairs`): ``pairs`` lists them
    (1-based), the message starts with them (``pairs 1-145: ...``), ``line``/``column`` are the first
    pair's place and ``places`` the others' (SARIF reports each as a location of the one result).
    """

    code: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    hint: str = ""
    #: the safe fix, as edits (empty: no safe fix); ``--fix`` applies them and lints the result again
    fix: tuple[Edit, ...] = ()
    #: audit-gpu: the ``.gitignore`` rule git would ignore the path by, as ``git check-ignore -v`` names it
    #: (``sub/.gitignore:3:build/``); "" = not ignored or not judged (see :attr:`Report.gitignore`)
    git_ignored: str = ""
    #: the 1-based folder pairs this finding is about (empty: the whole file, or not yet grouped)
    pairs: tuple[int, ...] = ()
    #: where else the problem sits: for the other pairs of :attr:`pairs` (the first pair's is line/column)
    places: tuple[Place, ...] = ()
    #: what else, besides code and message, makes two pairs' findings the same problem (the effective
    #: filter or settings they come from); only for grouping, never shown
    group: str = field(default="", repr=False, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.code, self.message)

    def git_note(self) -> str:
        """The git verdict as words for the text reporters ("" when git would not ignore the path)."""
        return f"git would ignore it ({self.git_ignored})" if self.git_ignored else ""

    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def all_places(self) -> tuple[Place, ...]:
        """The finding's own place followed by :attr:`places` (one per pair for a grouped finding)."""
        return (Place(self.line, self.column), *self.places)


def pair_ranges(numbers: Iterable[int]) -> str:
    """``1, 2, 3, 5, 7, 8`` -> ``"1-3, 5, 7-8"``: pair numbers as compact ranges."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def pair_label(numbers: Sequence[int]) -> str:
    """``pair 3`` or ``pairs 1-145`` (ranges compressed)."""
    return f"pair{'s' if len(set(numbers)) > 1 else ''} {pair_ranges(numbers)}"


def group_pairs(findings: Iterable[Finding], n_pairs: int) -> list[Finding]:
    """One finding per problem: merge findings about single pairs that share code, severity, message,
    hint and :attr:`Finding.group` into one listing the pairs, with every pair's place and every fix edit.

    Rules report a pair's problem with ``pairs=(n,)`` and a message that does not name the pair; the
    pair label (``pair 3: `` / ``pairs 1-145: ``) is put in front here, and only when the file has more
    than one pair (with one pair there is nothing to tell apart).
    """
    out: list[Finding] = []
    groups: dict[tuple[str, Severity, str, str, str], list[Finding]] = {}
    for f in findings:
        if not f.pairs:
            out.append(f)
        else:
            groups.setdefault((f.code, f.severity, f.message, f.hint, f.group), []).append(f)
    for members in groups.values():
        members.sort(key=lambda f: f.pairs)
        first = members[0]
        numbers = sorted({n for f in members for n in f.pairs})
        places = tuple(dict.fromkeys(p for f in members for p in f.all_places()))[1:]  # distinct, in pair order
        fix = tuple(dict.fromkeys(e for f in members for e in f.fix))
        message = f"{pair_label(numbers)}: {first.message}" if n_pairs > 1 else first.message
        out.append(Finding(first.code, first.severity, message, first.path, first.line, first.column, first.hint,
                           fix, first.git_ignored, tuple(numbers), places, first.group))
    return out


@dataclass
class Report:
    """The findings of one run, sorted, with the number of files (or trees) looked at."""

    tool: str
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    #: True when git's verdict was judged for every finding (audit-gpu with ``.gitignore`` files in the tree)
    gitignore: bool = False
    #: True when findings can be about folder pairs (lint): the JSON report then gives each finding's
    #: ``pairs`` and ``locations``
    pairs: bool = False
    #: lint: per file, the profile it was judged by and why (``path -> (profile, reason)``)
    profiles: dict[str, tuple[str, str]] = field(default_factory=dict)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def profile_rows(self) -> list[dict[str, str]]:
        """lint: per file, the profile it was judged by and why, sorted by path (for the reporters)."""
        return [{"path": path, "profile": profile, "why": why}
                for path, (profile, why) in sorted(self.profiles.items())]

    def counts(self) -> dict[str, int]:
        out = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for f in self.findings:
            out[f.severity.label] += 1
        return out

    def summary(self) -> dict[str, object]:
        return {"checked": self.checked, "findings": len(self.findings), **self.counts()}


def exit_code(report: Report, threshold: Severity = Severity.ERROR) -> int:
    """0 when no finding reaches ``threshold``, else 1 (2 is for "could not run", raised elsewhere)."""
    return 1 if any(f.severity >= threshold for f in report.findings) else 0


@dataclass(frozen=True)
class Selection:
    """``--select`` / ``--ignore`` by code or prefix (``FFS1`` selects FFS101 ... FFS199)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
        return cls(_codes(select), _codes(ignore))

    def allows(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip().upper() for v in value.split(",") if v.strip())
    return tuple(out)


def validate_codes(codes: Sequence[str], known: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` for a code or prefix that matches no known code."""
    known_list = list(known)
    for c in codes:
        if c != "ALL" and not any(k.startswith(c) for k in known_list):
            raise ValueError(f"{what}: unknown rule code or prefix {c!r}")
