"""``ffs-tools plan CONFIG --format json`` without typer, and the planning both paths share.

Importing typer (0.2x also imports pydantic) costs a good part of a second, more than the rest of a
small plan; scripts and the benchmark call the JSON form. :func:`main` takes only plain arguments:
anything else (``--help``, an unknown or repeated option, a bad value, shell completion, a stdout that
is not UTF-8) returns None and typer parses it as before, with its usual help and usage messages.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ffs_tools.plan.model import Plan

_VALUED = ("--format", "--pair", "--ffs-version")


def main(argv: list[str]) -> int | None:
    """Run ``plan`` with ``argv`` (the arguments after ``plan``) and return the exit code, or None (see above)."""
    import codecs

    parsed = simple_json_args(argv)
    if parsed is None or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    if codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name != "utf-8":
        return None
    from ffs_tools.plan.report import exit_code

    plan = make_plan(*parsed)
    sys.stdout.write(plan_json(plan) + "\n")
    sys.stdout.flush()
    return exit_code(plan)


def simple_json_args(argv: list[str]) -> tuple[Path, int | None, str | None] | None:
    """(config, --pair, --ffs-version) when ``argv`` is one config, ``--format json`` and at most those options
    (``--all`` too: it only changes the text format), each once; else None."""
    values: dict[str, str] = {}
    config: list[str] = []
    it = iter(argv)
    for arg in it:
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        name = "--format" if name == "-f" else name
        if name in _VALUED and name not in values:
            values[name] = value if eq else next(it, "-")
            if values[name].startswith("-"):
                return None
        elif arg == "--all" and arg not in values:
            values[arg] = ""
        elif arg.startswith("-") or config:
            return None
        else:
            config.append(arg)
    pair = values.get("--pair")
    if not config or values.get("--format") != "json":
        return None
    if pair is not None and not (pair.isascii() and pair.isdigit() and int(pair) >= 1):
        return None
    return Path(config[0]), None if pair is None else int(pair), values.get("--ffs-version")


def make_plan(config: Path, pair: int | None, ffs_version: str | None) -> Plan:
    """The plan of ``config`` (all pairs, or pair number ``pair``); UserError for bad input."""
    from ffs_tools.errors import UserError
    from ffs_tools.plan.engine import plan_job
    from ffs_tools.preview.run import load_job

    _, job = load_job(config)
    version = _version(ffs_version, job.xml_format)
    if pair is not None and pair > len(job.pairs):
        raise UserError(f"--pair {pair}: the config has {len(job.pairs)} pair(s)", str(config))
    return plan_job(job, version, pair)


def plan_json(plan: Plan) -> str:
    """The public JSON contract, as printed (without the final newline)."""
    import json

    return json.dumps(plan.to_json(), indent=1, ensure_ascii=False)


def _version(given: str | None, xml_format: int) -> str:
    from ffs_tools.errors import UserError
    from ffs_tools.ffs.versions import before_13

    if given is None:
        return "12" if before_13(xml_format) else "14"
    major = given.strip().split(".")[0]
    if major not in ("12", "14"):
        raise UserError(f"--ffs-version: expected 12 or 14, got {given!r}")
    return major
