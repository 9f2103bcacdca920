"""The mark ``generate`` leaves in every file it writes: ``ffs-tools digest <16 hex digits>``.

It sits in ``<Notes>`` (format 23), in an XML comment (format 17) or in a ``#`` line, and holds a digest
of the file's own content (:func:`ffs_tools.generate.plan.has_valid_digest`). Kept apart from the plan
so that ``lint`` can recognise a generated file (its ``dev-gpu`` profile) without importing the
generator.
"""

from __future__ import annotations

import re

DIGEST = re.compile(rb"ffs-tools digest ([0-9a-f]{16})")


def generated(data: bytes) -> bool:
    """Whether ``data`` carries the mark (whether or not it was edited since: the purpose stays)."""
    return DIGEST.search(data) is not None
