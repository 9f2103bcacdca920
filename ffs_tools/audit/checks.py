"""The checks of ``audit-gpu``: the visitor of the one streaming walk.

:class:`Auditor` sees only the entries whose name matters (``.git``,
environment markers, FreeFileSync leftovers, names the exclusions know,
symbolic links; every entry when the filter cannot be judged from names) and
turns them into :class:`Hit` objects. One hit per item, the most specific:
``.git`` (FFS701/702) before environments (FFS703/708) before leftovers
(FFS705) before exclusions (FFS704); below an excluded folder FFS704 reports
nothing more, and inside an environment it stays quiet (the environment is
the unit).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ffs_tools.audit.filter import AuditFilter
from ffs_tools.audit.rules import ffs703_env_copied as envs
from ffs_tools.audit.rules import ffs705_ffs_leftover as leftovers
from ffs_tools.audit.rules import ffs707_symlink_escape as links
from ffs_tools.audit.walk import Folder
from ffs_tools.ffs import never_travels as knowledge
from ffs_tools.filtering.engine import Decision
from ffs_tools.fsutil import display

#: folder flags (Folder.flags): excluded by the filter, decided when its own listing is done
CANDIDATE = 1
#: below an excluded or not-traversed folder, or inside an environment: no FFS704
QUIET = 2
#: inside a virtualenv or conda env: links to the system interpreter are expected
IN_ENV = 4

@dataclass(frozen=True)
class Hit:
    """One finding with what quarantine and ``--suggest`` need: the raw relative path and its kind."""

    code: str
    #: relative POSIX path with surrogate escapes for non-UTF-8 bytes ("" = the audited folder)
    rel: str
    #: "dir" | "file" | "link"
    kind: str
    message: str
    hint: str = ""
    #: an every-depth filter item that keeps the item off the machine ("" = none applies)
    suggest: str = ""


class Auditor:
    """The walk visitor. ``root_real`` is the audited folder's real path (the walk never follows
    links, so every folder's real path is ``root_real/rel``). What it keeps between calls lives for
    one folder's listing only, so folders may be walked in any order and in any process."""

    def __init__(self, root_real: str, filt: AuditFilter, now: float | None = None) -> None:
        self.root_real = root_real
        self.filt = filt
        self.now = now
        self.hits: list[Hit] = []
        fast = filt.names
        self.every_entry = fast is None
        wanted = {".GIT", envs.VENV_MARKER.upper(), envs.CONDA_MARKER.upper(), leftovers.LOCK_NAME.upper()}
        suffixes = {leftovers.TMP_SUFFIX.upper(), leftovers.PARTIAL_SUFFIX.upper()}
        if fast is not None:
            wanted |= fast.dir_names | fast.file_names
            suffixes |= set(fast.dir_suffixes) | set(fast.file_suffixes)
        self.names = frozenset(wanted)
        self.suffixes = tuple(sorted(suffixes))
        self._marker = ""
        self._pending: list[Hit] = []

    # -- the visitor protocol ---------------------------------------------------------------

    def entry(self, folder: Folder, de: os.DirEntry[str], key: str, is_dir: bool) -> int | None:
        name = de.name
        rel = folder.child_rel(name)
        if is_dir:
            return self._dir(folder, rel, name, key)
        # the folder's path, not de.path: in folders opened step by step (long paths) that is the bare name
        path = os.path.join(folder.path, name)
        if de.is_symlink():
            self._link(folder, rel, name, path)
        elif name == ".git":
            self._add(Hit("FFS702", rel, "file", _git_file_message(path), _HINT_GIT, knowledge.vcs_item(".git")))
        elif name == envs.VENV_MARKER:
            self._marker = "venv"
        elif leftovers.temporary(name):
            self._add(_tmp_hit(rel, "file"))
        elif name == leftovers.LOCK_NAME:
            self._lock(rel, de)
        elif not folder.flags & QUIET and self._wanted(key, False):
            hit = self._file_hit(rel, name)
            if hit:
                self._pending.append(hit)
        return None

    def folder_done(self, folder: Folder, listed: bool) -> int:
        marker, self._marker = self._marker, ""
        pending, self._pending = self._pending, []
        flags = folder.flags & (QUIET | IN_ENV)
        if marker and listed:
            self._env(folder, marker)
            return flags | QUIET | IN_ENV
        self.hits.extend(pending)
        # asked again, not remembered: the folder may be listed by another process than its parent
        decision = self.filt.excluded(folder.rel, True) if folder.flags & CANDIDATE else None
        if decision is not None:
            hit = self._excluded_hit(folder.rel, _basename(folder.rel), True, decision)
            if hit:
                self._add(hit)
        return flags

    def folder_error(self, folder: Folder, exc: OSError) -> None:
        what = exc.strerror or str(exc)
        self._add(Hit("FFS706", folder.rel, "dir", f"folder could not be read ({what}): nothing below it "
                      "was audited", "run the audit as a user who can read it, or fix its permissions; "
                      "FreeFileSync cannot read it either"))

    # -- entries ------------------------------------------------------------------------------

    def _dir(self, folder: Folder, rel: str, name: str, key: str) -> int | None:
        if name == ".git":
            self._add(Hit("FFS701", rel, "dir", "a .git folder: a repository on the GPU machine", _HINT_GIT,
                          knowledge.vcs_item(".git")))
            return None
        if name == envs.CONDA_MARKER:
            self._marker = "conda"
        if leftovers.temporary(name):
            self._add(_tmp_hit(rel, "dir"))
            return QUIET
        if folder.flags & QUIET or not self._wanted(key, True):
            return 0
        if self.every_entry and self.filt.flt.pass_dir(rel)[1]:
            return 0  # traversed: the question moves on to what lies below
        if self.filt.excluded(rel, True) is None:
            return QUIET if self.every_entry else 0  # not traversed, but not by an exclude item
        return CANDIDATE | QUIET

    def _wanted(self, key: str, is_dir: bool) -> bool:
        """Whether the name can be excluded at all (always True when the engine sees every entry)."""
        fast = self.filt.names
        if fast is None:
            return True
        if is_dir:
            return key in fast.dir_names or key.endswith(fast.dir_suffixes)
        return key in fast.file_names or key.endswith(fast.file_suffixes)

    def _file_hit(self, rel: str, name: str) -> Hit | None:
        if self.every_entry and self.filt.flt.pass_file(rel):
            return None
        d = self.filt.excluded(rel, False)
        return self._excluded_hit(rel, name, False, d) if d else None

    def _excluded_hit(self, rel: str, name: str, is_dir: bool, d: Decision) -> Hit | None:
        if d.mask is None:
            return None
        item = d.mask.text
        if self.filt.is_config and not self.filt.reasons:
            line = d.mask.source.line
            where = f"{self.filt.config_path}:{line}" if line else self.filt.origin
            why = f"the config's {d.mask.source.describe()} '{item}' ({where}) excludes it"
        else:
            why = f"'{item}' excludes it: {self.filt.reasons.get(item, 'it never travels')}"
        kind = "folder" if is_dir else "file"
        suggest = item if item.startswith("*") else _name_item(name, is_dir)
        return Hit("FFS704", rel, "dir" if is_dir else "file", f"a {kind} that never travels: {why}",
                   "if it came from the local machine, move it aside (--quarantine DIR --all); if it is "
                   "this machine's own, ignore it (--ignore FFS704)", suggest)

    def _link(self, folder: Folder, rel: str, name: str, path: str) -> None:
        if name == ".git":
            self._add(Hit("FFS702", rel, "link", f"a .git symbolic link ({_readlink(path)}), never followed",
                          _HINT_GIT, knowledge.vcs_item(".git")))
        parent_real = os.path.join(self.root_real, folder.rel) if folder.rel else self.root_real
        try:
            found = links.link_problem(path, parent_real, self.root_real)
        except FileNotFoundError:
            return  # vanished during the walk
        except OSError as exc:
            self._unreadable(rel, "link", exc)
            return
        if found is None or (found[0] == links.OUTSIDE and folder.flags & IN_ENV):
            return
        problem, target, _ = found
        verb = "leaves the tree" if problem == links.OUTSIDE else "loops"
        self._add(Hit("FFS707", rel, "link", f"a symbolic link that {verb} (-> {display(target)}: {problem}); "
                      "never followed", "keep FreeFileSync's Symlinks setting at Exclude or Direct, or replace "
                      "the link"))

    def _lock(self, rel: str, de: os.DirEntry[str]) -> None:
        try:
            mtime = de.stat(follow_symlinks=False).st_mtime
        except FileNotFoundError:
            return
        except OSError as exc:
            self._unreadable(rel, "file", exc)
            return
        days = leftovers.lock_age_days(mtime, self.now)
        if days is not None:
            self._add(Hit("FFS705", rel, "file", f"a FreeFileSync lock file {days:.0f} day(s) old: a sync "
                          "crashed or was killed", "make sure no sync is running, then move it aside "
                          "(--quarantine DIR --all)"))

    def _env(self, folder: Folder, marker: str) -> None:
        rel, path = folder.rel, folder.path
        name = _basename(rel) or os.path.basename(self.root_real)
        what = "virtualenv" if marker == "venv" else "conda env"
        try:
            reason = envs.venv_reason(path) if marker == "venv" else envs.conda_reason(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._unreadable(f"{rel}/{envs.VENV_MARKER}" if rel else envs.VENV_MARKER, "file", exc)
            reason = None
        item = knowledge.folder_item(_item_text(name))
        if reason:
            self._add(Hit("FFS703", rel, "dir", f"a {what} copied from another machine: {reason}",
                          f"move it aside (--quarantine DIR --all), create this machine's own environment, "
                          f"and exclude '{item}'", item))
        if self.filt.is_config and not folder.flags & IN_ENV and self._env_travels(rel, marker):
            self._add(Hit("FFS708", rel, "dir", f"a {what} that the {self.filt.origin} does not exclude: "
                          f"{self.filt.right_only}",
                          f"add '{item}' to the exclude list", item))

    def _env_travels(self, rel: str, marker: str) -> bool:
        if not rel:
            return True
        marker_rel = f"{rel}/{envs.VENV_MARKER if marker == 'venv' else envs.CONDA_MARKER}"
        return self.filt.travels(rel, True) or self.filt.travels(marker_rel, marker != "venv")

    def _unreadable(self, rel: str, kind: str, exc: OSError) -> None:
        self._add(Hit("FFS706", rel, kind, f"could not be inspected ({exc.strerror or exc})",
                      "run the audit as a user who can read it, or fix its permissions"))

    def _add(self, hit: Hit) -> None:
        self.hits.append(hit)


_HINT_GIT = ("exclude '*/.git' (every depth, folder and file) in the sync filter, then move it aside "
             "(--quarantine DIR; nothing is deleted)")


def _tmp_hit(rel: str, kind: str) -> Hit:
    what = "file" if kind == "file" else "folder"
    by_us = leftovers.temporary(_basename(rel)) == "ffs-tools"
    message = (f"a partial copy ({what}) from an interrupted ffs-tools restore" if by_us else
               f"a FreeFileSync temporary {what} from an interrupted copy")
    if by_us:
        return Hit("FFS705", rel, kind, message, "run that --restore again: it removes its partial copies")
    return Hit("FFS705", rel, kind, message,
               "make sure no sync is running, then move it aside (--quarantine DIR --all) or let the next "
               "complete run remove it")


def _git_file_message(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(512).decode("utf-8", "replace").strip()
    except OSError:
        head = ""
    if head.startswith("gitdir:"):
        target = head.splitlines()[0][len("gitdir:"):].strip()
        return f"a .git file (worktree or submodule link to '{display(target)}')"
    return "a .git file (worktree or submodule link)"


def _readlink(path: str) -> str:
    try:
        return "-> " + display(os.readlink(path))
    except OSError:
        return "unreadable"


def _item_text(name: str) -> str:
    """A name as filter text: characters a filter item cannot hold become ``?`` (one character)."""
    out = ["?" if (c in "|\\/" or not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF) else c for c in name]
    for i in (0, -1):
        if out and (out[i].isspace() or (i == -1 and out[i] == ":")):
            out[i] = "?"
    return "".join(out)


def _name_item(name: str, is_dir: bool) -> str:
    return knowledge.folder_item(_item_text(name)) if is_dir else f"*/{_item_text(name)}"


def _basename(rel: str) -> str:
    return rel.rsplit("/", 1)[-1]
