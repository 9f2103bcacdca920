"""``[tool.ffs-tools.lint]`` in pyproject.toml (or ``[lint]`` in ffs-policy.toml): select, ignore,
per-file-ignores, ffs-version, profile, venv-names, cache-names, show-notes.

```toml
[tool.ffs-tools.lint]
select = ["FFS"]             # codes or prefixes (default: all)
ignore = ["FFS301"]
ffs-version = "12.0"         # judge every file for this FreeFileSync version
profile = "dev-gpu"          # judge every file as the workflow's (or "generic"; default: per file)
venv-names = ["venv", "env"] # virtualenv names whose gaps are errors (default: venv, .venv, venv_gpu)
cache-names = ["__pycache__"]  # cache names whose gaps are errors (default: __pycache__)
show-notes = true            # print notes (info findings) in text/concise/github too (default: json/sarif only)
[tool.ffs-tools.lint.per-file-ignores]
"backups/*.ffs_batch" = ["FFS302", "FFS303"]
```

The nearest file with such a table, from the current folder upwards, is
used; a malformed one is a user error (exit 2), never ignored silently.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ffs_tools.errors import UserError
from ffs_tools.fsutil import read_regular


@dataclass(frozen=True)
class FileConfig:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    ffs_version: str | None = None
    profile: str | None = None
    venv_names: tuple[str, ...] | None = None
    cache_names: tuple[str, ...] | None = None
    show_notes: bool = False
    root: Path = field(default_factory=Path.cwd)


def find_config(start: Path) -> tuple[Path, dict[str, object]] | None:
    """The nearest file with a lint table, from ``start`` upwards: ffs-policy.toml ``[lint]`` or
    pyproject.toml ``[tool.ffs-tools.lint]`` (in that order within one folder)."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name, keys in (("ffs-policy.toml", ("lint",)), ("pyproject.toml", ("tool", "ffs-tools", "lint"))):
            candidate = folder / name
            if candidate.is_file():
                table = _lookup(_read(candidate), keys, candidate)
                if table is not None:
                    return candidate, table
    return None


def _read(path: Path) -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(read_regular(path, 16 * 2**20).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read: {exc}", str(path)) from None


def _lookup(doc: dict[str, object], keys: tuple[str, ...], path: Path) -> dict[str, object] | None:
    node: object = doc
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    if not isinstance(node, dict):
        raise UserError(f"[{'.'.join(keys)}] must be a table", str(path))
    return node


def _codes(value: object, where: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{where}: expected a list of rule codes", str(path))
    return tuple(c.strip().upper() for v in value for c in v.split(",") if c.strip())


def _names(table: dict[str, object], key: str, path: Path) -> tuple[str, ...] | None:
    """A list of folder names (``venv-names``, ``cache-names``): plain names, no separators or wildcards."""
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"[tool.ffs-tools.lint] {key} must be a list of folder names", str(path))
    for name in value:
        if not name.strip() or any(c in name for c in "/\\*?|") or name.strip() in (".", ".."):
            raise UserError(f"[tool.ffs-tools.lint] {key}: {name!r} is not a folder name (no separators or "
                            "wildcards)", str(path))
    return tuple(dict.fromkeys(v.strip() for v in value))


def load(start: Path) -> FileConfig:
    """The lint table of the nearest configuration file (an empty config when there is none)."""
    found = find_config(start)
    if found is None:
        return FileConfig(root=start)
    path, table = found
    known = {"select", "ignore", "per-file-ignores", "ffs-version", "profile", "venv-names", "cache-names",
             "show-notes"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UserError(f"lint settings: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})",
                        str(path))
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise UserError("[tool.ffs-tools.lint] per-file-ignores must be a table of glob = [codes]", str(path))
    version = table.get("ffs-version")
    if version is not None and not isinstance(version, str):
        raise UserError("[tool.ffs-tools.lint] ffs-version must be a string such as \"12.0\"", str(path))
    profile = table.get("profile")
    if profile is not None and profile not in ("dev-gpu", "generic"):
        raise UserError("[tool.ffs-tools.lint] profile must be \"dev-gpu\" or \"generic\"", str(path))
    show_notes = table.get("show-notes", False)
    if not isinstance(show_notes, bool):
        raise UserError("[tool.ffs-tools.lint] show-notes must be true or false", str(path))
    return FileConfig(
        path=path,
        select=_codes(table.get("select", []), "select", path),
        ignore=_codes(table.get("ignore", []), "ignore", path),
        per_file_ignores=tuple(sorted((str(g), _codes(c, f"per-file-ignores {g!r}", path)) for g, c in pfi.items())),
        ffs_version=version,
        profile=profile,
        venv_names=_names(table, "venv-names", path),
        cache_names=_names(table, "cache-names", path),
        show_notes=show_notes,
        root=path.parent,
    )
