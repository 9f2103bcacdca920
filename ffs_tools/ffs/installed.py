"""Which FreeFileSync is installed on this machine: its version, and where that answer came from.

FreeFileSync has no ``--version`` option (``-h`` opens a dialog; ``FreeFileSync/Source/application.cpp``
at v12.0 and v14.10), so the version is read, in this order, from:

1. the Debian package that owns the program (``/var/lib/dpkg/info/<package>.list`` names its files, then
   ``dpkg-query -W``): Debian's ``freefilesync 12.0-2`` gives ``12.0``;
2. ``Changelog.txt`` of the install folder (the upstream tarball and the 14.10 build ship it beside
   ``Bin/``; its first line is ``FreeFileSync 14.10 [date]``), next to the program, one folder up, or in a
   ``FreeFileSync/`` folder beside a launcher script;
3. the version string compiled into the program (``ffsVersion`` in ``FreeFileSync/Source/version/version.h``;
   the only NUL-terminated ``NN.N`` string in the 12.0 and 14.10 binaries), read only from a program whose
   name says FreeFileSync;
4. the ``XmlFormat`` of the user's ``GlobalSettings.xml`` (what the FreeFileSync that ran last wrote;
   :data:`ffs_tools.ffs.versions.GLOBAL_FORMAT_WRITTEN_BY`), when no program was found.

Nothing here runs FreeFileSync itself. The program is the one ``ffs-tools sync`` would run:
``$FFS_COMMAND``, else the policy's ``[ffs] command``, else ``FreeFileSync`` on PATH.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ffs_tools.ffs import versions

PROGRAM = "FreeFileSync"
DPKG_INFO = "/var/lib/dpkg/info"
#: the version string inside the program: NUL, ``12.0`` / ``14.10``, NUL
_BINARY_VERSION = re.compile(rb"\x00(1\d\.\d{1,2})\x00")
_CHANGELOG = re.compile(r"FreeFileSync (\d+\.\d+)\b")
_ROOT_FORMAT = re.compile(rb"<FreeFileSync\b[^>]*\bXmlFormat=\"(\d+)\"")
_MAX_BINARY = 256 * 1024 * 1024


@dataclass(frozen=True)
class Installed:
    """A FreeFileSync version found on this machine and how (``source`` completes "detected from ...")."""

    version: str
    source: str


def program(env: dict[str, str], policy_command: str) -> tuple[str | None, str]:
    """The FreeFileSync program ``sync`` would run (absolute path, or None) and how it was named."""
    for origin, text in (("FFS_COMMAND", env.get("FFS_COMMAND", "")), ("[ffs] command", policy_command),
                         ("PATH", PROGRAM)):
        if text.strip():
            try:
                words = shlex.split(text)
            except ValueError:
                return None, origin
            found = shutil.which(words[0], path=env.get("PATH")) if words else None
            return (os.path.realpath(found) if found else None), origin
    return None, "PATH"  # pragma: no cover - the PATH entry is never empty


def detect(env: dict[str, str], policy_command: str = "") -> Installed | None:
    """The installed FreeFileSync's version, or None when nothing says which one is there."""
    path, origin = program(env, policy_command)
    if path is not None:
        named = f"{path} ({'on PATH' if origin == 'PATH' else origin})"
        for found in (_from_package(path), _from_changelog(path), _from_binary(path)):
            if found is not None:
                return Installed(found[0], f"{found[1]} of {named}")
    return from_global_settings(env)


def _from_package(path: str) -> tuple[str, str] | None:
    """The Debian package that owns ``path``: its upstream version (epoch and revision dropped)."""
    for listing in sorted(glob.glob(os.path.join(DPKG_INFO, "*freefilesync*.list"))):
        try:
            names = Path(listing).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        if path not in names and not any(os.path.realpath(n) == path for n in names if n.endswith(PROGRAM)):
            continue
        package = Path(listing).name.removesuffix(".list")
        dpkg = shutil.which("dpkg-query")
        if dpkg is None:
            return None
        proc = subprocess.run([dpkg, "-W", "-f=${Version}", package], capture_output=True, text=True,
                              check=False, timeout=30)
        full = proc.stdout.strip()
        upstream = full.split(":", 1)[-1].rsplit("-", 1)[0]
        if proc.returncode == 0 and versions.parse(upstream) is not None:
            return upstream, f"the Debian package {package.split(':')[0]} {full}"
    return None


def _from_changelog(path: str) -> tuple[str, str] | None:
    """The first line of the install folder's ``Changelog.txt``: ``FreeFileSync 14.10 [2026-06-28]``."""
    here = Path(path).parent
    for changelog in (here / "Changelog.txt", here.parent / "Changelog.txt", here / PROGRAM / "Changelog.txt"):
        try:
            with changelog.open(encoding="utf-8", errors="replace") as handle:
                first = handle.readline()
        except OSError:
            continue
        m = _CHANGELOG.match(first.lstrip("\ufeff"))
        if m:
            return m.group(1), f"{changelog} (\"{first.strip()}\")"
    return None


def _from_binary(path: str) -> tuple[str, str] | None:
    """The one version string compiled into a program whose file name says FreeFileSync."""
    if PROGRAM.lower() not in Path(path).name.lower():
        return None
    try:
        if os.path.getsize(path) > _MAX_BINARY:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if not data.startswith(b"\x7fELF"):
        return None
    found = set(_BINARY_VERSION.findall(data))
    if len(found) != 1:
        return None
    return found.pop().decode(), "the version string in the program"


def global_settings_file(env: dict[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/FreeFileSync/GlobalSettings.xml`` (default ``~/.config``)."""
    config = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(config) / PROGRAM / "GlobalSettings.xml"


def from_global_settings(env: dict[str, str]) -> Installed | None:
    """The version range whose FreeFileSync writes the user's GlobalSettings.xml's XmlFormat (None when the
    file is missing, unreadable, or its format was written by versions of different config formats)."""
    path = global_settings_file(env)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    m = _ROOT_FORMAT.search(head)
    if m is None:
        return None
    number = int(m.group(1))
    version = versions.version_for_global_format(number)
    if version is None:
        return None
    return Installed(version, f"{path} (XmlFormat {number}, written by FreeFileSync "
                              f"{versions.global_format_writers(number)})")
