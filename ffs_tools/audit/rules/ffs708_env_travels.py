"""A virtualenv on the GPU side that the config does not exclude.

What it does:
    With ``--config FILE``: for every virtualenv or conda env found in the
    audited (right-side) folder, asks the filter engine whether the env's
    folder or its marker (``pyvenv.cfg``, ``conda-meta/``) passes the config's
    filter. If it does, the env is part of the sync. Needs a config; without
    one there is nothing to judge.

Why is this bad?
    The next two-way run copies the GPU machine's environment to the local
    machine (thousands of files, interpreter links that point nowhere there),
    and later runs carry the local one back over it: both machines end up
    with environments built for the other one.

Example:
    ``work/venv_gpu/`` with a config whose exclude list names ``*/venv/`` but
    not ``*/venv_gpu/``.

Fix:
    Exclude the env: a usual name at every depth (``*/venv_gpu/``), any other
    at the place it was found, anchored at the base folder
    (``/miniforge/envs/train/``; its bare name at every depth would also drop
    tracked code of that name). ``--suggest`` prints the policy lines. Or keep
    environments outside the synced folder.
"""

from __future__ import annotations

from ffs_tools.audit.rules._hit import Hit
from ffs_tools.audit.rules.ffs703_env_copied import NAMES as ENV_MARKERS
from ffs_tools.findings import Severity

CODE = "FFS708"
NAME = "env-travels"
SEVERITY = Severity.ERROR
#: the entry names (upper-case) the walk must show this rule: the environment markers, as for FFS703
NAMES = ENV_MARKERS
SUFFIXES: frozenset[str] = frozenset()


def hit(rel: str, what: str, origin: str, right_only: str, item: str) -> Hit:
    """The environment at ``rel`` passes the filter of ``origin`` (a config), so it travels."""
    return Hit(CODE, rel, "dir", f"a {what} that the {origin} does not exclude: {right_only}",
               f"add '{item}' to the exclude list", item)
