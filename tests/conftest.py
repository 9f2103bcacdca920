from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sshd import SshServer

os.environ.setdefault("NO_COLOR", "1")
os.environ.pop("GITHUB_ACTIONS", None)
# generate, lint --policy and init detect the installed FreeFileSync (the 12.0 of the test machines); pin the
# answer so that a test gets the same files wherever it runs. Tests of the detection itself remove it.
os.environ["FFS_TOOLS_FFS_VERSION"] = "14"  # reporters pick "github" under Actions; tests choose explicitly


@pytest.fixture
def ffs() -> None:
    """Use in tests that run the real FreeFileSync: skips where missing, fails under CI=true."""
    from realffs import require_ffs

    require_ffs()


@pytest.fixture(scope="session")
def sshd() -> Iterator[SshServer]:
    """The test session's real OpenSSH server on 127.0.0.1 (tests/sshd.py): skips where sshd is missing, fails under
    CI=true."""
    from sshd import running_sshd

    with running_sshd() as server:
        yield server
