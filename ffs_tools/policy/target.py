"""Which FreeFileSync the generated files are for: the one answer of generate, --check, lint --policy and init.

The first of these decides (:func:`resolve_target`):

1. ``--ffs-version`` (generate, lint);
2. the policy's ``[ffs] version``;
3. ``$FFS_TOOLS_FFS_VERSION`` (this machine's FreeFileSync, e.g. on a CI machine without one; the tests pin
   it so that they do not depend on what is installed);
4. the installed FreeFileSync (:mod:`ffs_tools.ffs.installed`: the program ``sync`` would run, its Debian
   package, its install folder's Changelog.txt, the version in the binary; else GlobalSettings.xml);
5. the default, :data:`DEFAULT_VERSION`: FreeFileSync 12 and XmlFormat 17, the one format that every
   FreeFileSync ffs-tools knows runs (11.3 - 14.10). A format-23 file is refused by 12.x (exit 4, nothing
   synced), while 13 and newer run a format-17 file and only rewrite it in place (then ``generate`` detects
   the newer FreeFileSync and says the files are out of date).

A version ffs-tools cannot write for (12.3 - 12.5, older than 11.3, newer than 14.x) is a one-line error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ffs_tools.errors import UserError
from ffs_tools.ffs.installed import Installed, detect
from ffs_tools.policy.jobs import FfsTarget, ffs_target
from ffs_tools.policy.model import Policy

#: the version assumed when nothing says which FreeFileSync runs the files (see the module docstring)
DEFAULT_VERSION = "12"
ENV_VAR = "FFS_TOOLS_FFS_VERSION"


@dataclass(frozen=True)
class Resolved:
    """The target and where it came from (completes "target: FreeFileSync 12.0, format 17, ...")."""

    target: FfsTarget
    source: str

    @property
    def line(self) -> str:
        return f"target: FreeFileSync {self.target.version}, format {self.target.xml_format}, {self.source}"


def resolve_target(option: str | None, policy: Policy | None, env: dict[str, str] | None = None) -> Resolved:
    """The FreeFileSync the files are for; :class:`UserError` (exit 2) for a version ffs-tools cannot serve."""
    environ = dict(os.environ) if env is None else env
    if option:
        return Resolved(ffs_target(option), "from --ffs-version")
    if policy is not None and policy.ffs_version:
        line = dict(policy.lines).get("ffs.version")
        where = f"{policy.file_name}:{line}" if line else policy.file_name
        try:
            return Resolved(ffs_target(policy.ffs_version, "ffs.version"), f"from {where} [ffs] version")
        except UserError as exc:
            raise policy.error("ffs.version", exc.message.removeprefix("ffs.version: ")) from None
    pinned = environ.get(ENV_VAR, "").strip()
    if pinned:
        return Resolved(ffs_target(pinned, ENV_VAR), f"from {ENV_VAR}")
    found = detect(environ, policy.ffs_command if policy is not None else "")
    if found is None:
        return Resolved(ffs_target(DEFAULT_VERSION), "the default: no installed FreeFileSync found (set [ffs] "
                                                     "version in the policy, or --ffs-version)")
    try:
        return Resolved(ffs_target(found.version, "detected"), f"detected from {found.source}")
    except UserError as exc:
        raise UserError(f"FreeFileSync {found.version} detected from {found.source}: "
                        f"{exc.message.split(': ', 1)[-1]}; set [ffs] version in the policy (or --ffs-version) "
                        "to the FreeFileSync that will run the files") from None


def notes(resolved: Resolved, option: str | None, policy: Policy | None,
          env: dict[str, str] | None = None) -> list[str]:
    """What ``generate`` adds to its ``target:`` line when the answer came from the option, the policy or the
    variable: that ``--ffs-version`` is not remembered (the hook and lint then target something else), and
    that the FreeFileSync installed here would not run the files as they are."""
    environ = dict(os.environ) if env is None else env
    out = []
    if option:
        without = resolve_target(None, policy, environ)
        if without.target.xml_format != resolved.target.xml_format:
            out.append(f"note: --ffs-version is not remembered: generate --check, lint --policy and the hooks "
                       f"target format {without.target.xml_format} ({without.source}); set [ffs] version = "
                       f'"{option}" in the policy')
    if resolved.source.startswith(("detected", "the default", f"from {ENV_VAR}")):
        return out
    pinned = environ.get(ENV_VAR, "").strip()  # it stands for the installed one: nothing is detected then
    found = Installed(pinned, ENV_VAR) if pinned else detect(environ, policy.ffs_command if policy else "")
    if found is None:
        return out
    try:
        installed = ffs_target(found.version, "detected")
    except UserError:
        installed = None
    if installed is None or installed.xml_format != resolved.target.xml_format:
        what = ("refuses format-23 files (exit code 4, nothing synced)" if resolved.target.xml_format == 23 and
                installed is not None and installed.xml_format == 17 else
                f"rewrites format-{resolved.target.xml_format} files in place when it loads them"
                if installed is not None else "is a version ffs-tools does not write for")
        out.append(f"note: the FreeFileSync installed here, {found.version} (detected from {found.source}), {what}")
    return out
