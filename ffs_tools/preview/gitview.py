"""git's verdict beside FreeFileSync's, for ``ffs-tools explain``: ignored or not, by which ``.gitignore`` line.

The rules are the committed ``.gitignore`` files of the pair's left folder when it is a git work tree
(:mod:`ffs_tools.policy.gitignore`, the same reading ``generate`` translates). A disagreement is *on
purpose* when the path is one of the policy's ``[keep] paths`` (git ignores it, FreeFileSync syncs it:
the workflow moves data and models that stay out of git) or when one of ffs-tools' built-in exclusions or
FreeFileSync's own ``*.ffs_db``/``*.ffs_lock`` leaves it out (version control, environments, caches).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.ffs.never_travels import default_exclusions
from ffs_tools.filtering.engine import Decision, Origin
from ffs_tools.policy.gitignore import GitRules, load_rules, tracked_but_ignored


@dataclass(frozen=True)
class GitView:
    """What explain knows about git in the left folder."""

    rules: GitRules
    keep: tuple[str, ...]  # the policy's keep paths (no slashes around)
    #: files git tracks that a rule matches: git ignores no tracked file (``tracked_but_ignored``)
    tracked: frozenset[str] = frozenset()


def git_view(base: Path | None) -> GitView | None:
    """The committed rules and keep paths for the left folder ``base`` (None: no folder, no git, not a work tree)."""
    if base is None or not (base / ".git").exists():
        return None
    try:
        rules = load_rules(base)
    except UserError:
        return None
    return GitView(rules, _keep_paths(base), frozenset(tracked_but_ignored(base)))


def _keep_paths(base: Path) -> tuple[str, ...]:
    from ffs_tools.policy.load import find_policy, load_policy

    found = find_policy(base)
    if found is None:
        return ()
    try:
        policy = load_policy(found)
    except UserError:
        return ()
    return tuple(k.strip().strip("/") for k in policy.keep_paths if k.strip().strip("/"))


def git_verdict(view: GitView, rel: str, is_dir: bool, decision: Decision) -> dict[str, object]:
    """git's verdict for ``rel`` and whether it agrees with FreeFileSync's ``decision`` (JSON-ready)."""
    ignored, rule, via = view.rules.verdict(rel, is_dir)
    source = f"{rule.where}:{rule.text.strip()}" if rule is not None else None
    if ignored and not is_dir and rel in view.tracked:
        return {"ignored": False, "rule": source, "via": via, "agrees": decision.synced, "on_purpose": None,
                "tracked": True}
    purpose = None
    if ignored == decision.synced:
        purpose = _on_purpose(view, rel, decision)
    return {"ignored": ignored, "rule": source, "via": via, "agrees": ignored != decision.synced,
            "on_purpose": purpose}


def _on_purpose(view: GitView, rel: str, decision: Decision) -> str | None:
    if decision.synced and any(rel == k or rel.startswith(k + "/") or k.startswith(rel + "/") for k in view.keep):
        return "keep path: it must sync although git ignores it"
    mask = decision.mask
    if not decision.synced and mask is not None:
        if mask.source.origin is Origin.BUILTIN:
            return "FreeFileSync's built-in exclusion"
        if mask.text in {ex.item for ex in default_exclusions()}:
            return "built-in exclusion of ffs-tools: it never travels"
    return None


def describe_git(verdict: dict[str, object]) -> str:
    """One line: ``git: ignored (.gitignore:3:build/)``, and how it compares."""
    if verdict["ignored"]:
        text = f"git: ignored ({verdict['rule']}" + (f", via {verdict['via']})" if verdict["via"] else ")")
    elif verdict.get("tracked"):
        text = f"git: not ignored (tracked: git ignores no tracked file, although {verdict['rule']} matches it)"
    elif verdict["rule"]:
        text = f"git: not ignored (re-included by {verdict['rule']})"
    else:
        text = "git: not ignored"
    if verdict["agrees"]:
        return text + "; FreeFileSync agrees"
    if verdict["on_purpose"]:
        return text + f"; differs on purpose ({verdict['on_purpose']})"
    return text + "; DIFFERS (see exclude.gitignore in the README)"
