"""The project policy (``ffs-policy.toml`` or ``[tool.ffs-tools]`` in pyproject.toml): loading and validation.

The policy says *what* the user wants (which machines, how conflicts are
settled, what must always sync); :mod:`ffs_tools.policy.jobs` turns it into models.
Validation is strict: an unknown key, a wrong type or a bad value is one
:class:`~ffs_tools.errors.UserError` that names the key and, where it can be
found, its line -- e.g. ``sync.conflict: expected "newer-wins" or "review",
got "newest"``. The keys themselves are described in
:mod:`ffs_tools.policy.schema`.

Credentials never go into a policy: SFTP targets authenticate with a key file
(``|keyfile=``) or the SSH agent (``|agent``); a password, ``pass64=`` or
``pwprompt`` is refused with the reason (and never echoed back).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from ffs_tools.errors import UserError
from ffs_tools.ffs.never_travels import POLICY_FILE as POLICY_FILE
from ffs_tools.fsutil import NotRegularError, read_regular
from ffs_tools.policy.checks import check_rules, relative_path
from ffs_tools.policy.model import DEFAULTS_ORIGIN, Fail, FolderRule, GpuTarget, Policy, line_key
from ffs_tools.policy.schema import TABLES, Field, check_value, unknown_key_message

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

#: a policy is a few hundred bytes; this bounds what a wrong --policy (a huge file) can cost
MAX_POLICY_BYTES = 16 * 2**20
PYPROJECT = "pyproject.toml"

#: a name for file names: letters (any script: "données-ML"), digits, ".", "_", "-"; a letter or digit first
_SLUG = re.compile(r"[^\W_][\w.-]*")

# --------------------------------------------------------------------------- loading


def find_policy(folder: Path) -> Path | None:
    """``ffs-policy.toml`` in ``folder``, else a ``pyproject.toml`` there with a ``[tool.ffs-tools]`` table."""
    candidate = folder / POLICY_FILE
    if candidate.is_file():
        return candidate
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        try:
            data = tomllib.loads(read_regular(pyproject, MAX_POLICY_BYTES).decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        if isinstance(data.get("tool"), dict) and "ffs-tools" in data["tool"]:
            return pyproject
    return None


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file (its ``[tool.ffs-tools]`` table when it is a pyproject.toml)."""
    try:
        text = read_regular(path, MAX_POLICY_BYTES).decode("utf-8")
    except FileNotFoundError as exc:
        raise UserError("policy file not found", str(path)) from exc
    except NotRegularError as exc:
        raise UserError(f"cannot read the policy: {exc.strerror}", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the policy: {exc}", str(path)) from exc
    return parse_policy(text, path)


def parse_policy(text: str, path: Path) -> Policy:
    """Validate policy ``text`` as if it were the file ``path`` (which need not exist)."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise UserError(f"not valid TOML: {message}", str(path), int(m.group(1)) if m else None,
                        int(m.group(2)) if m else None) from exc
    prefix = ""
    if path.name == PYPROJECT:
        tool = data.get("tool")
        if not isinstance(tool, dict) or "ffs-tools" not in tool:
            raise UserError("no [tool.ffs-tools] table in this pyproject.toml", str(path))
        if not isinstance(tool["ffs-tools"], dict):
            raise UserError("tool.ffs-tools: expected a table", str(path))
        data, prefix = tool["ffs-tools"], "tool.ffs-tools."
    return validate(data, str(path), path.resolve().parent, locate_keys(text, prefix))


def default_policy(gpu_path: str, folder: Path) -> Policy:
    """The built-in policy of ``generate --gpu PATH`` without a policy file: local = ``folder``."""
    folder = folder.resolve()
    return validate({"gpu": {"path": gpu_path}}, DEFAULTS_ORIGIN, folder, {}, default_name=slugify(folder.name))


def slugify(name: str) -> str:
    """A file-name-safe project name from a folder name: letters of any script and digits stay ("données ML"
    gives "données-ML", NFC as Linux and FreeFileSync keep it), other runs of characters become "-"."""
    import unicodedata

    slug = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name)).strip("-.") or "project"
    return slug if slug[0].isalnum() else "p" + slug


def locate_keys(text: str, prefix: str = "") -> dict[str, int]:
    """Best-effort line numbers of ``table`` and ``table.key`` in a TOML text, for error messages."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?", line)
        if header:
            table = header.group(1).replace('"', "")
            table = table[len(prefix):] if prefix and table.startswith(prefix) else table
            lines.setdefault(table, number)
            continue
        m = re.match(r"([A-Za-z0-9_\-]+)\s*=", line)
        if m:
            lines.setdefault(f"{table}.{m.group(1)}" if table else m.group(1), number)
    return lines


# --------------------------------------------------------------------------- validation


def validate(data: dict[str, Any], origin: str, base_dir: Path, lines: dict[str, int],
             default_name: str | None = None) -> Policy:
    """Check ``data`` against the schema and build a :class:`Policy`; raise UserError naming the key."""
    path = None if origin == DEFAULTS_ORIGIN else origin

    def fail(key: str, message: str) -> UserError:
        return UserError(f"{key}: {message}", path, lines.get(line_key(key)) if path else None)

    values: dict[str, Any] = {}
    for table, raw in data.items():
        if table == "lint":
            continue  # [lint] / [tool.ffs-tools.lint] belongs to ffs-tools lint (ffs_tools/lint/config.py)
        if table not in TABLES:
            raise fail(table, unknown_key_message(table, TABLES, "table"))
        if table in ("gpu", "folders"):
            continue  # tables that may repeat, below
        if not isinstance(raw, dict):
            raise fail(table, f"expected a table ([{table}]), got a value")
        for key, value in _check_table(table, raw, TABLES[table], fail).items():
            values[TABLES[table][key].attr] = value
    policy = Policy(
        origin=origin, base_dir=base_dir,
        name=values.pop("name", None) or default_name or slugify(base_dir.name),
        local_path=values.pop("local_path", None) or str(base_dir),
        gpus=_gpus(data.get("gpu"), fail), folders=_folders(data.get("folders"), fail),
        lines=tuple(sorted(lines.items())), **values,
    )
    check_rules(policy, fail)
    return policy


def _check_table(table: str, raw: dict[str, Any], fields: dict[str, Field], fail: Fail) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in fields:
            raise fail(f"{table}.{key}", unknown_key_message(key, fields, "key", table))
        problem = check_value(fields[key], value)
        if problem:
            raise fail(f"{table}.{key}", problem)
        out[key] = tuple(v.strip() for v in value) if isinstance(value, list) else value
    return out


def _gpus(raw: Any, fail: Fail) -> tuple[GpuTarget, ...]:
    if raw is None:
        raise fail("gpu.path", "missing: say where the project lives on the GPU machine, e.g. [gpu] "
                               'path = "sftp://me@gpu-box/home/me/project|agent"')
    entries = [raw] if isinstance(raw, dict) else raw
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise fail("gpu", "expected a [gpu] table or [[gpu]] tables")
    out: list[GpuTarget] = []
    for i, entry in enumerate(entries):
        key = f"gpu[{i}]" if isinstance(raw, list) else "gpu"
        vals = _check_table(key, entry, TABLES["gpu"], fail)
        if not vals.get("path", "").strip():
            raise fail(f"{key}.path", "missing: the project's folder on the GPU machine "
                                      '(a mounted path or "sftp://user@host/path|agent")')
        name = vals.get("name", "")
        if len(entries) > 1 and not name:
            raise fail(f"{key}.name", "missing: with several [[gpu]] machines each needs a name (used in file names)")
        if name and not _SLUG.fullmatch(name):
            raise fail(f"{key}.name", f'"{name}" cannot be used in a file name (letters, digits, ".", "_", "-")')
        if name and name in [g.name for g in out]:
            raise fail(f"{key}.name", f'"{name}" names another [[gpu]] too')
        threads = vals.get("threads")
        out.append(GpuTarget(name, vals["path"].strip(), None if threads in (None, 1) else threads, key))
    return tuple(out)


def _folders(raw: Any, fail: Fail) -> tuple[FolderRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise fail("folders", "expected [[folders]] tables, each with path and direction")
    out: list[FolderRule] = []
    for i, entry in enumerate(raw):
        key = f"folders[{i}]"
        vals = _check_table(key, entry, TABLES["folders"], fail)
        for required in ("path", "direction"):
            if required not in vals:
                raise fail(f"{key}.{required}", "missing")
        rel = relative_path(vals["path"])
        if rel is None:
            raise fail(f"{key}.path", f'expected a folder of the project relative to its root, like "models/", '
                                      f'got "{vals["path"]}"')
        for other in out:
            if rel == other.path or rel.startswith(other.path + "/") or other.path.startswith(rel + "/"):
                raise fail(f"{key}.path", f'"{rel}" overlaps {other.key}.path "{other.path}": each file must '
                                          "belong to one folder pair")
        out.append(FolderRule(rel, vals["direction"], key))
    return tuple(out)
