"""The checks of ``audit-gpu``: the visitor of the one streaming walk, dispatching to the rules.

:class:`Auditor` sees only the entries whose name matters (the names and
suffixes the rules declare, :func:`ffs_tools.audit.registry.prefilter`, plus
the names the filter's exclude items can match; symbolic links; every entry
when the filter cannot be judged from names) and hands each to its rule
module, which decides and words the :class:`Hit`. One hit per item, the most specific:
``.git`` (FFS701/702) before environments (FFS703/708) before leftovers
(FFS705) before exclusions (FFS704); below an excluded folder FFS704 reports
nothing more, and inside an environment it stays quiet (the environment is
the unit).
"""

from __future__ import annotations

import os

from ffs_tools.audit.filter import AuditFilter
from ffs_tools.audit.fs import LOCAL, Entry, FileSystem
from ffs_tools.audit.registry import prefilter
from ffs_tools.audit.rules import ffs701_git_folder as git_folder
from ffs_tools.audit.rules import ffs702_git_file as git_file
from ffs_tools.audit.rules import ffs703_env_copied as envs
from ffs_tools.audit.rules import ffs704_never_travels as never
from ffs_tools.audit.rules import ffs705_ffs_leftover as leftovers
from ffs_tools.audit.rules import ffs706_unreadable as unreadable
from ffs_tools.audit.rules import ffs707_symlink_escape as links
from ffs_tools.audit.rules import ffs708_env_travels as env_travels
from ffs_tools.audit.rules._hit import Hit, Kind, item_text
from ffs_tools.audit.walk import Folder
from ffs_tools.ffs import never_travels as knowledge
from ffs_tools.policy.gitignore import GITIGNORE

#: folder flags (Folder.flags): excluded by the filter, decided when its own listing is done
CANDIDATE = 1
#: below an excluded or not-traversed folder, or inside an environment: no FFS704
QUIET = 2
#: inside a virtualenv or conda env: links to the system interpreter are expected
IN_ENV = 4

__all__ = ["CANDIDATE", "IN_ENV", "QUIET", "Auditor", "Hit"]


class Auditor:
    """The walk visitor. ``root_real`` is the audited folder's real path (the walk never follows
    links, so every folder's real path is ``root_real/rel``). What it keeps between calls lives for
    one folder's listing only, so folders may be walked in any order and in any process."""

    def __init__(self, root_real: str, filt: AuditFilter, now: float | None = None, fs: FileSystem = LOCAL) -> None:
        self.root_real = root_real
        self.filt = filt
        self.now = now
        self.fs = fs  # the machine the tree is on: here, or the GPU machine over SFTP
        self.hits: list[Hit] = []
        #: the ``.gitignore`` files met on the walk (relative paths): git's verdict for the hits, without git
        self.gitignores: list[str] = []
        fast = filt.names
        self.every_entry = fast is None
        rule_names, rule_suffixes = prefilter()
        wanted = set(rule_names) | {GITIGNORE.upper()}
        suffixes = set(rule_suffixes)
        if fast is not None:
            wanted |= fast.dir_names | fast.file_names
            suffixes |= set(fast.dir_suffixes) | set(fast.file_suffixes)
        self.names = frozenset(wanted)
        self.suffixes = tuple(sorted(suffixes))
        self._marker = ""
        self._pending: list[Hit] = []

    # -- the visitor protocol ---------------------------------------------------------------

    def entry(self, folder: Folder, de: Entry, key: str, is_dir: bool) -> int | None:
        name = de.name
        rel = folder.child_rel(name)
        if is_dir:
            return self._dir(folder, rel, name, key)
        # the folder's path, not de.path: in folders opened step by step (long paths) that is the bare name
        path = os.path.join(folder.path, name)
        if name == GITIGNORE and not de.is_symlink():  # git does not follow a linked .gitignore (since 2.32)
            self.gitignores.append(rel)
        if de.is_symlink():
            self._link(folder, rel, name, path)
        elif name == git_folder.GIT:
            self._add(git_file.file_hit(rel, path, self.fs))
        elif name == envs.VENV_MARKER:
            self._marker = "venv"
        elif leftovers.temporary(name):
            self._add(leftovers.tmp_hit(rel, "file"))
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
            hit = never.hit(self.filt, folder.rel, _basename(folder.rel), True, decision)
            if hit:
                self._add(hit)
        return flags

    def folder_error(self, folder: Folder, exc: OSError) -> None:
        self._add(unreadable.folder_hit(folder.rel, exc))

    # -- entries ------------------------------------------------------------------------------

    def _dir(self, folder: Folder, rel: str, name: str, key: str) -> int | None:
        if name == git_folder.GIT:
            self._add(git_folder.hit(rel))
            return None
        if name == envs.CONDA_MARKER:
            self._marker = "conda"
        if leftovers.temporary(name):
            self._add(leftovers.tmp_hit(rel, "dir"))
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
        return never.hit(self.filt, rel, name, False, d) if d else None

    def _link(self, folder: Folder, rel: str, name: str, path: str) -> None:
        if name == git_folder.GIT:
            self._add(git_file.link_hit(rel, path, self.fs))
        parent_real = os.path.join(self.root_real, folder.rel) if folder.rel else self.root_real
        try:
            found = links.link_problem(path, parent_real, self.root_real, self.fs)
        except FileNotFoundError:
            return  # vanished during the walk
        except OSError as exc:
            self._unreadable(rel, "link", exc)
            return
        if found is None or (found[0] == links.OUTSIDE and folder.flags & IN_ENV):
            return
        problem, target, _ = found
        self._add(links.hit(rel, problem, target))

    def _lock(self, rel: str, de: Entry) -> None:
        try:
            mtime = de.stat(follow_symlinks=False).st_mtime
        except FileNotFoundError:
            return
        except OSError as exc:
            self._unreadable(rel, "file", exc)
            return
        days = leftovers.lock_age_days(mtime, self.now)
        if days is not None:
            self._add(leftovers.lock_hit(rel, days))

    def _env(self, folder: Folder, marker: str) -> None:
        rel, path = folder.rel, folder.path
        name = _basename(rel) or os.path.basename(self.root_real)
        what = "virtualenv" if marker == "venv" else "conda env"
        try:
            reason = envs.venv_reason(path, self.fs) if marker == "venv" else envs.conda_reason(path, self.fs)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._unreadable(f"{rel}/{envs.VENV_MARKER}" if rel else envs.VENV_MARKER, "file", exc)
            reason = None
        item = knowledge.env_item(rel) if rel else knowledge.folder_item(item_text(name))
        if reason:
            self._add(envs.hit(rel, what, reason, item))
        if self.filt.is_config and not folder.flags & IN_ENV and self._env_travels(rel, marker):
            self._add(env_travels.hit(rel, what, self.filt.origin, self.filt.right_only, item))

    def _env_travels(self, rel: str, marker: str) -> bool:
        if not rel:
            return True
        marker_rel = f"{rel}/{envs.VENV_MARKER if marker == 'venv' else envs.CONDA_MARKER}"
        return self.filt.travels(rel, True) or self.filt.travels(marker_rel, marker != "venv")

    def _unreadable(self, rel: str, kind: Kind, exc: OSError) -> None:
        self._add(unreadable.entry_hit(rel, kind, exc))

    def _add(self, hit: Hit) -> None:
        self.hits.append(hit)


def _basename(rel: str) -> str:
    return rel.rsplit("/", 1)[-1]
