"""A virtualenv or conda env copied from another machine.

What it does:
    Finds environments by their marker (``pyvenv.cfg`` for a virtualenv, a
    ``conda-meta/`` folder for a conda env) and decides whether they belong to
    this machine:

    * virtualenv: the ``home`` in ``pyvenv.cfg`` (the base interpreter's
      folder) does not exist here, or ``bin/python`` is a dangling link;
    * conda env: an env with Python in ``conda-meta/`` whose ``bin/python`` is
      missing or dangling, or which only has a Windows ``python.exe``;
    * both: an interpreter binary built for another system (an ELF for another
      CPU, a macOS or Windows executable);
    * both: the env believes it lives somewhere else than where it is: the
      ``VIRTUAL_ENV`` that ``bin/activate`` sets, or the interpreter named by
      the ``#!`` line of a script in ``bin/`` (``pip``, ...), is another
      folder. This catches a copy from a machine with the same OS image, where
      ``home`` exists on both machines. Run the audit on the GPU machine
      itself: through a mount, every env's own paths name another folder.

Why is this bad?
    An environment is tied to the machine and the path it was made on. A copy
    from the local machine looks fine until something runs it: scripts fail
    with "bad interpreter", or worse, import packages compiled for the other
    machine's CPU and CUDA. It also means the sync filter let it through once.

Example:
    ``work/.venv/pyvenv.cfg`` says ``home = /Users/alice/.pyenv/versions/3.11.7/bin``
    on a Linux GPU machine.

Fix:
    Move it aside (``--quarantine DIR --all``), create the GPU machine's own
    environment, and exclude it: a usual name at every depth (``*/.venv/``),
    any other at its place (``/miniforge/envs/train/``); ``--suggest`` prints
    the policy lines.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re

from ffs_tools.audit.fs import LOCAL, FileSystem
from ffs_tools.audit.rules._hit import Hit
from ffs_tools.ffs.never_travels import CONDA_MARKER_DIR, VENV_MARKER_FILE
from ffs_tools.findings import Severity
from ffs_tools.fsutil import display

CODE = "FFS703"
NAME = "env-copied"
SEVERITY = Severity.WARNING
#: the entry names (upper-case) the walk must show this rule: the environment markers
NAMES = frozenset({VENV_MARKER_FILE.upper(), CONDA_MARKER_DIR.upper()})
SUFFIXES: frozenset[str] = frozenset()

VENV_MARKER = VENV_MARKER_FILE
CONDA_MARKER = CONDA_MARKER_DIR


def hit(rel: str, what: str, reason: str, item: str) -> Hit:
    """The environment at ``rel`` (a ``what``: virtualenv or conda env) does not belong here, ``reason``."""
    return Hit(CODE, rel, "dir", f"a {what} copied from another machine: {reason}",
               f"move it aside (--quarantine DIR --all), create this machine's own environment, and exclude "
               f"'{item}'", item)
_MAX_CFG = 64 * 1024


def venv_reason(env: str, fs: FileSystem = LOCAL) -> str | None:
    """Why the virtualenv at ``env`` does not belong here, or ``None``. Raises ``OSError``
    when ``pyvenv.cfg`` cannot be read. ``fs``: the machine the tree is on ("here")."""
    text = fs.read_head(_join(fs, env, VENV_MARKER), _MAX_CFG).decode("utf-8", "replace")
    home = _cfg_value(text, "home")
    if home is not None and home and not fs.isdir(home):
        return f"its pyvenv.cfg home '{home}' does not exist here"
    return location_reason(env, fs) or interpreter_reason(env, required=False, fs=fs)


def conda_reason(env: str, fs: FileSystem = LOCAL) -> str | None:
    """Why the conda env at ``env`` does not belong here, or ``None``."""
    try:
        has_python = any(n.startswith("python-") and n.endswith(".json")
                         for n in fs.listdir(_join(fs, env, CONDA_MARKER)))
    except OSError:
        has_python = False
    if (fs.remote or os.name != "nt") and not fs.lexists(_join(fs, env, "bin", "python")) \
            and fs.lexists(_join(fs, env, "python.exe")):
        return "it is a Windows environment (python.exe, no bin/python)"
    return interpreter_reason(env, required=has_python, fs=fs) or location_reason(env, fs)


_ACTIVATE_HOME = re.compile(r"""^[ \t]*(?:export[ \t]+)?VIRTUAL_ENV=(["']?)(/[^"'$`\n]*)\1[ \t]*$""", re.MULTILINE)
#: ``#!/x/bin/python`` on the first line, or pip's form for long paths: ``#!/bin/sh`` then ``'''exec' "/x/bin/python"``
_SHEBANG = re.compile(r"""\A#!(/\S+)|^'''exec' (?:"(/[^"]+)"|(/\S+))""", re.MULTILINE)
_MAX_SCRIPTS = 32


def location_reason(env: str, fs: FileSystem = LOCAL) -> str | None:
    """Where the env believes it lives against where it is: the ``VIRTUAL_ENV`` of ``bin/activate``, then the
    interpreters of the ``#!`` lines of the scripts in ``bin/`` (a copy keeps the folder it was made in)."""
    here = fs.realpath(env)
    believed = _activate_home(env, fs)
    if believed is not None and not _same_folder(believed, here, fs):
        return f"its bin/activate sets VIRTUAL_ENV='{display(believed)}': it was made there and copied here"
    for script, interpreter in _shebangs(env, fs):
        owner = posixpath.dirname(posixpath.dirname(interpreter))
        if not _same_folder(owner, here, fs):
            return (f"its script bin/{display(script)} runs '{display(interpreter)}': it was made in "
                    f"'{display(owner)}' and copied here")
    return None


def _activate_home(env: str, fs: FileSystem) -> str | None:
    try:
        text = fs.read_head(_join(fs, env, "bin", "activate"), _MAX_CFG).decode("utf-8", "surrogateescape")
    except OSError:
        return None
    m = _ACTIVATE_HOME.search(text)
    return (m.group(2).rstrip("/") or "/") if m else None


def _shebangs(env: str, fs: FileSystem) -> list[tuple[str, str]]:
    """``[(script, interpreter)]`` for the scripts in ``bin/`` whose interpreter is a ``.../bin/python*`` (the
    interpreter links themselves start with a binary header, not ``#!``)."""
    folder = _join(fs, env, "bin")
    try:
        names = sorted(fs.listdir(folder))
    except OSError:
        return []
    out = []
    for name in names[:_MAX_SCRIPTS]:
        try:
            head = fs.read_head(_join(fs, folder, name), 1024).decode("utf-8", "surrogateescape")
        except OSError:
            continue
        for m in _SHEBANG.finditer(head):
            interpreter = m.group(1) or m.group(2) or m.group(3)
            if posixpath.basename(interpreter).startswith("python") and \
                    posixpath.basename(posixpath.dirname(interpreter)) == "bin":
                out.append((name, interpreter))
                break
    return out


def _same_folder(path: str, here: str, fs: FileSystem) -> bool:
    """Whether ``path`` (as the env names it) is the folder ``here`` (its real path)."""
    try:
        return path == here or fs.realpath(path) == here
    except OSError:
        return False


def _join(fs: FileSystem, *parts: str) -> str:
    """A path on the tree's machine: POSIX over SFTP, this system's form here."""
    return posixpath.join(*parts) if fs.remote else os.path.join(*parts)


def interpreter_reason(env: str, required: bool, fs: FileSystem = LOCAL) -> str | None:
    """Check ``bin/python``: missing (when ``required``), dangling, or built for another system."""
    rel = "Scripts/python.exe" if os.name == "nt" and not fs.remote else "bin/python"
    path = _join(fs, env, *rel.split("/"))
    if not fs.lexists(path):
        return f"its interpreter {rel} is missing" if required else None
    if not fs.exists(path):
        return f"its interpreter {rel} points to '{display(fs.readlink(path))}', which does not exist here"
    foreign = foreign_binary(path, fs)
    return f"its interpreter {rel} is {foreign}" if foreign else None


def foreign_binary(path: str, fs: FileSystem = LOCAL) -> str | None:
    """``"built for ..."`` when the executable at ``path`` cannot run on the tree's system, else ``None``."""
    mine = _own_format() if not fs.remote else _system_format(fs)
    try:
        head = fs.read_head(path, 64)
    except OSError:
        return None
    theirs = _binary_format(head)
    if mine is None or theirs is None or theirs == mine:
        return None
    system = "the server's /bin/sh" if fs.remote else "this machine's Python"
    return f"built for another system ({theirs[0]}, not {mine[0]} like {system})"


def _cfg_value(text: str, key: str) -> str | None:
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip().lower() == key:
            return value.strip()
    return None


_ELF_MACHINES = {3: "x86", 62: "x86-64", 40: "ARM", 183: "AArch64", 20: "PowerPC", 21: "PowerPC64",
                 243: "RISC-V", 22: "S390"}


def _binary_format(head: bytes) -> tuple[str, tuple[object, ...]] | None:
    """A description and a comparable key of an executable's format, or ``None`` (e.g. a script)."""
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        machine = int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")
        bits = 64 if head[4] == 2 else 32
        name = _ELF_MACHINES.get(machine, f"machine {machine}")
        return f"ELF {bits}-bit {name}", ("elf", head[4], head[5], machine)
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe"):
        return "macOS/Mach-O", ("macho",)
    if head[:2] == b"MZ":
        return "Windows/PE", ("pe",)
    return None


@functools.lru_cache(maxsize=1)
def _own_format() -> tuple[str, tuple[object, ...]] | None:
    return _system_format(LOCAL)


def _system_format(fs: FileSystem) -> tuple[str, tuple[object, ...]] | None:
    head = fs.system_head()
    return _binary_format(head) if head is not None else None
