"""``[tool.ffs-tools.lint]`` in pyproject.toml: select, ignore, per-file-ignores, ffs-version.

```toml
[tool.ffs-tools.lint]
select = ["FFS"]             # codes or prefixes (default: all)
ignore = ["FFS301"]
ffs-version = "12.0"         # judge every file for this FreeFileSync version
[tool.ffs-tools.lint.per-file-ignores]
"backups/*.ffs_batch" = ["FFS302", "FFS303"]
```

The nearest pyproject.toml from the current folder upwards is used; a
malformed one is a user error (exit 2), never ignored silently.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ffs_tools.errors import UserError


@dataclass(frozen=True)
class FileConfig:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    ffs_version: str | None = None
    root: Path = field(default_factory=Path.cwd)


def find_pyproject(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _codes(value: object, where: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{where}: expected a list of rule codes", str(path))
    return tuple(c.strip().upper() for v in value for c in v.split(",") if c.strip())


def load(start: Path) -> FileConfig:
    """The lint table of the nearest pyproject.toml (an empty config when there is none)."""
    path = find_pyproject(start)
    if path is None:
        return FileConfig(root=start)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read: {exc}", str(path)) from None
    table = doc.get("tool", {}).get("ffs-tools", {}).get("lint", {})
    if not isinstance(table, dict):
        raise UserError("[tool.ffs-tools.lint] must be a table", str(path))
    known = {"select", "ignore", "per-file-ignores", "ffs-version"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UserError(f"[tool.ffs-tools.lint]: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})",
                        str(path))
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise UserError("[tool.ffs-tools.lint] per-file-ignores must be a table of glob = [codes]", str(path))
    version = table.get("ffs-version")
    if version is not None and not isinstance(version, str):
        raise UserError("[tool.ffs-tools.lint] ffs-version must be a string such as \"12.0\"", str(path))
    return FileConfig(
        path=path,
        select=_codes(table.get("select", []), "select", path),
        ignore=_codes(table.get("ignore", []), "ignore", path),
        per_file_ignores=tuple(sorted((str(g), _codes(c, f"per-file-ignores {g!r}", path)) for g, c in pfi.items())),
        ffs_version=version,
        root=path.parent,
    )
