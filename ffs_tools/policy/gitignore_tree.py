"""The committed ``.gitignore`` rules as FreeFileSync exclude items, checked on the local tree.

For every positive rule (:mod:`ffs_tools.policy.gitignore`) the exact items of
:mod:`ffs_tools.policy.gitignore_items` are used as they are when, on every path
of the local tree (walked once), the filter engine excludes with them exactly
what git's rule excludes, counting parents, and nothing git keeps in the end.
Otherwise the rule is *expanded*: anchored items for the paths it makes git
ignore now, minus what a later ``!`` rule re-includes and minus ``[keep] paths``
(FreeFileSync's exclude always wins, so a re-included path can only be left
out). That happens when

* the rule has no exact items (``foo*bar``, ``\\*``, ``[!x]``, see gitignore_items);
* the filter engine disagrees with git on a path of the tree (case variants: git
  on Linux is case-sensitive, FreeFileSync never is);
* a later ``!`` rule (same file, or a ``.gitignore`` further down) could re-include
  something the rule matches;
* the rule drops a keep path or something git re-includes.

An expanded rule's items change when the tree grows new matches, so
``generate --check`` notices. When even the anchored items cannot be exact
(a name FreeFileSync's syntax cannot carry that collides with a kept name, or
more than :data:`MAX_EXPANDED` paths) the rule is reported as not translated,
with its file and line. Never silently more, never less.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.ffs.never_travels import Exclusion
from ffs_tools.filtering.engine import PathFilter, Semantics, normalize
from ffs_tools.policy.gitignore import GitRules, Rule, shadowed
from ffs_tools.policy.gitignore_items import translate

#: a rule that matches more paths than this on the tree is reported instead of expanded
MAX_EXPANDED = 1000

EXACT = "exact"
EXPANDED = "expanded"
NOT_TRANSLATED = "not translated"
NEGATION = "negation"


@dataclass(frozen=True)
class Translation:
    """What became of one ``.gitignore`` rule."""

    rule: Rule
    how: str  # EXACT | EXPANDED | NOT_TRANSLATED | NEGATION
    items: tuple[str, ...] = ()
    note: str = ""  # why expanded, why not translated


@dataclass(frozen=True)
class Node:
    """One walked path: git's final verdict and which rules match it (counting parents)."""

    path: str
    is_dir: bool
    ignored: bool  # what the exclude items must give: git ignores it and it is no keep path
    matched: frozenset[int]  # indexes of the rules that match it or a parent folder


@dataclass(frozen=True)
class GitignoreResult:
    """Every rule's translation, in the order of the files and lines."""

    translations: tuple[Translation, ...]

    def exclusions(self) -> list[Exclusion]:
        out = []
        for t in self.translations:
            how = (" (expanded against the local tree: the paths that match now; " + t.note + ")"
                   if t.how == EXPANDED else "")
            for item in t.items:
                out.append(Exclusion(item, f"{t.rule.where}: {t.rule.text.strip()}{how}", "gitignore"))
        return out

    def share_exact(self) -> tuple[int, int]:
        """(rules translated without expansion, positive rules)."""
        positive = [t for t in self.translations if t.how != NEGATION]
        return sum(t.how == EXACT for t in positive), len(positive)


def keep_related(path: str, keep: Sequence[str]) -> tuple[bool, bool]:
    """``(protected, ancestor)``: ``path`` is or lies in a keep path; ``path`` is a folder above one."""
    protected = any(path == k or path.startswith(k + "/") for k in keep)
    ancestor = any(k.startswith(path + "/") for k in keep)
    return protected, ancestor


def walk(root: Path, rules: GitRules, keep: Sequence[str]) -> list[Node]:
    """The local tree, walked once, below git-ignored folders only where a keep path lies."""
    nodes: list[Node] = []
    stack: list[tuple[str, bool, frozenset[int]]] = [("", False, frozenset())]
    while stack:
        folder, folder_ignored, folder_matched = stack.pop()
        for name, is_dir in _entries(root / folder if folder else root):
            path = f"{folder}/{name}" if folder else name
            matching = rules.matching(path, is_dir)
            own = frozenset(i for i in matching if not rules.rules[i].negate)
            ignored = folder_ignored
            if not ignored:
                rule = rules.deciding(matching)
                ignored = rule is not None and not rule.negate
            protected, ancestor = keep_related(path, keep)
            nodes.append(Node(path, is_dir, ignored and not (protected or ancestor), folder_matched | own))
            if is_dir and (not ignored or protected or ancestor):
                stack.append((path, ignored, folder_matched | own))
    return nodes


def _entries(folder: Path) -> Iterator[tuple[str, bool]]:
    """Names and kinds in a folder; links count as files (git does not follow them); ``.git`` is skipped."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in it)
    except OSError:
        return
    for name, is_dir in entries:
        if name != ".git":
            yield name, is_dir


def translate_tree(rules: GitRules, nodes: Sequence[Node], semantics: Semantics) -> GitignoreResult:
    """Every rule's :class:`Translation` for this tree."""
    builtin = PathFilter.from_lists(["*"], [], semantics)  # *.ffs_db, *.ffs_lock: never synced, no item decides
    candidates = [item for r in rules.rules if not r.negate for item in translate(r.text, r.folder).items]
    checked = _Checked(normed([n for n in nodes if not excluded_by(builtin, n)]), candidates, semantics)
    out = []
    for index, rule in enumerate(rules.rules):
        if rule.negate:
            out.append(Translation(rule, NEGATION, note="FreeFileSync cannot re-include: the rules it overrides "
                                                        "are expanded without the paths it keeps"))
            continue
        out.append(_translate_rule(index, rule, rules, checked, semantics))
    return GitignoreResult(tuple(out))


class _Checked:
    """The walked nodes, prepared for one filter check per rule.

    A node that no candidate item of any rule excludes cannot be excluded by one rule's items either,
    so there a rule disagrees with git exactly where it matches: only the other ("hot") nodes need the
    filter engine, once per rule.
    """

    def __init__(self, nodes: list[Normed], candidates: Sequence[str], semantics: Semantics) -> None:
        self.nodes = nodes
        self.semantics = semantics
        flags = list(_exclusions(candidates, nodes, semantics))
        self.hot = [nn for nn, flag in zip(nodes, flags, strict=True) if flag]
        self.position = {nn[0].path: i for i, nn in enumerate(nodes)}
        self.cold_first: dict[int, Node] = {}
        for (node, _, _), flag in zip(nodes, flags, strict=True):
            if not flag:
                for index in node.matched:
                    self.cold_first.setdefault(index, node)

    def first_difference(self, index: int, items: Sequence[str]) -> Node | None:
        """The first node where ``items`` exclude other than rule ``index`` does in git."""
        hot = _first_difference(items, self.hot, lambda n: index in n.matched, self.semantics)
        found = [n for n in (hot, self.cold_first.get(index)) if n is not None]
        return min(found, key=lambda n: self.position[n.path], default=None)


def _translate_rule(index: int, rule: Rule, rules: GitRules, checked: _Checked,
                    semantics: Semantics) -> Translation:
    syntax = translate(rule.text, rule.folder)
    reason = syntax.problem
    if not reason:
        reason = shadowed(rule, rules)
    if not reason:
        kept = next((n for n, _, _ in checked.nodes if index in n.matched and not n.ignored), None)
        if kept is not None:
            reason = f"git keeps {_shown(kept)} in the end (a ! rule or a keep path)"
    if not reason:
        differs = checked.first_difference(index, syntax.items)
        if differs is None:
            return Translation(rule, EXACT, syntax.items)
        reason = f"FreeFileSync would decide {_shown(differs)} differently (it ignores case)"
    return _expand(index, rule, checked.nodes, semantics, reason)


def _expand(index: int, rule: Rule, nodes: Sequence[Normed], semantics: Semantics, reason: str) -> Translation:
    """Anchored items for the paths the rule makes git ignore now, verified with the filter engine."""
    targets = [n for n, _, _ in nodes if index in n.matched and n.ignored]
    if len(targets) > MAX_EXPANDED:
        return Translation(rule, NOT_TRANSLATED, note=f"{reason}; it matches {len(targets)} paths here, more than "
                                                      f"{MAX_EXPANDED} anchored items")
    top = {n.path for n in targets}  # git does not descend below them: no walked path lies inside one
    items = tuple(anchored_item(n.path, n.is_dir) for n in targets)
    differs = _first_difference(items, nodes, lambda n: n.path in top, semantics)
    if differs is not None:
        return Translation(rule, NOT_TRANSLATED, note=f"{reason}; anchored items would also drop "
                                                      f"{_shown(differs)}")
    return Translation(rule, EXPANDED, items, reason)


def anchored_item(path: str, is_dir: bool) -> str:
    """An item for exactly this relative path; characters FreeFileSync cannot match literally become ``?``."""
    text = re.sub(r"[*?|\\]", "?", path)
    if not is_dir and (text.endswith(":") or text[-1:].isspace()):
        text = text[:-1] + "?"
    return "/" + text + ("/" if is_dir else "")


def excluded_by(flt: PathFilter, node: Node) -> bool:
    """Whether FreeFileSync with this filter leaves ``node`` out (itself or through a parent folder)."""
    return not flt.pass_dir(node.path)[0] if node.is_dir else not flt.pass_file(node.path)


#: a walked node with its path and its parent's path normalised for the filter engine
Normed = tuple[Node, str, str]


def normed(nodes: Sequence[Node]) -> list[Normed]:
    out = []
    for n in nodes:
        p = normalize(n.path)
        out.append((n, p, p[: p.rfind("/")] if "/" in p else ""))
    return out


def _first_difference(items: Sequence[str], nodes: Sequence[Normed], wanted: Callable[[Node], bool],
                      semantics: Semantics) -> Node | None:
    """The first path where the items exclude other than ``wanted(node)`` says (None: they agree).

    The exclude half of :meth:`PathFilter.pass_dir` / :meth:`PathFilter.pass_file` (the include list is
    ``*``), on paths normalised once: this runs once per rule over the whole tree.
    """
    for (node, _, _), excluded in zip(nodes, _exclusions(items, nodes, semantics), strict=False):
        if excluded != wanted(node):
            return node
    return None


def _exclusions(items: Sequence[str], nodes: Sequence[Normed], semantics: Semantics) -> Iterator[bool]:
    """For each node: whether the items exclude it (a folder's verdict is computed once for all its files)."""
    ex = PathFilter.from_lists(["*"], list(items), semantics).exclude
    parents = semantics is Semantics.FFS12
    folders: dict[str, bool] = {}
    for node, p, parent in nodes:
        if node.is_dir:
            yield ex.folder_matches(p)
            continue
        excluded = ex.file_matches(p, parents)
        if not excluded and parent:
            verdict = folders.get(parent)
            if verdict is None:
                verdict = folders[parent] = ex.folder_matches(parent)
            excluded = verdict
        yield excluded


def _shown(node: Node) -> str:
    return node.path + ("/" if node.is_dir else "")


def translate_repo(root: Path, keep_paths: Sequence[str], semantics: Semantics) -> GitignoreResult:
    """The committed ``.gitignore`` files of the git work tree at ``root``, translated for its current tree."""
    from ffs_tools.policy.gitignore import load_rules

    rules = load_rules(root)
    keep = [k.strip().strip("/") for k in keep_paths if k.strip().strip("/")]
    return translate_tree(rules, walk(root, rules, keep), semantics)


def summary_lines(result: GitignoreResult) -> list[str]:
    """What generate says about the translation: counts, then each rule not translated exactly."""
    exact, positive = result.share_exact()
    counts: dict[str, int] = {}
    for t in result.translations:
        counts[t.how] = counts.get(t.how, 0) + 1
    lines = [f"gitignore: {len(result.translations)} rules: {exact} of {positive} translated exactly, "
             f"{counts.get(EXPANDED, 0)} expanded against the local tree, {counts.get(NOT_TRANSLATED, 0)} not "
             f"translated, {counts.get(NEGATION, 0)} negations"]
    for t in result.translations:
        if t.how == EXPANDED:
            lines.append(f"gitignore: {t.rule.where}: {t.rule.text.strip()}: expanded into {len(t.items)} "
                         f"anchored item(s): {t.note}")
        elif t.how == NOT_TRANSLATED:
            lines.append(f"gitignore: {t.rule.where}: {t.rule.text.strip()}: NOT translated (what it ignores "
                         f"syncs): {t.note}")
    return lines
