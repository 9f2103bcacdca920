from __future__ import annotations

import os

import pytest

os.environ.setdefault("NO_COLOR", "1")
os.environ.pop("GITHUB_ACTIONS", None)  # reporters pick "github" under Actions; tests choose explicitly


@pytest.fixture
def ffs() -> None:
    """Use in tests that run the real FreeFileSync: skips where missing, fails under CI=true."""
    from realffs import require_ffs

    require_ffs()
