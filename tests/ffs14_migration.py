"""Test oracle: what FreeFileSync 13+ turns a format-17 (or older) model into when it loads it.

docs/formats.md#how-1410-reads-format-17 has the mapping.

FreeFileSync rewrites an older file in place in its own format on load; this
is the model of that rewrite, checked against the files the real FreeFileSync
14.10 wrote (fixtures/ffs14-migrations). No command needs it, so it lives
with the tests (tests/test_reader.py).
"""

from __future__ import annotations

import dataclasses

from ffs_tools.ffs import model as m


def migrate_sync(sync: m.SyncConfig, compare: m.CompareVariant) -> m.SyncConfig:
    d = sync.directions
    by_content = compare in (m.CompareVariant.CONTENT, m.CompareVariant.SIZE)
    if isinstance(d, m.Differences):
        if d.different is None:  # Mirror, legacy Update
            if d == m.UPDATE_LEGACY and by_content:
                d = m.Differences(m.R, m.R, m.R, m.N)
        else:  # Custom
            newer = (d.different, d.different) if by_content else (d.left_newer, d.right_newer)
            d = m.Differences(d.left_only, newer[0], newer[1], d.right_only)
            if sync.detect_moved_files and d == m.MIRROR:
                d = m.MIRROR_MOVES
    return dataclasses.replace(sync, directions=d, detect_moved_files=False)


def migrate_to_23(job: m.SyncJob) -> m.SyncJob:
    """The model FreeFileSync 13.0-14.10 holds after loading ``job`` (no-op for format 23)."""
    if job.xml_format >= 23:
        return job
    pairs = []
    for pair in job.pairs:
        compare = (pair.compare or job.compare).variant
        psync = migrate_sync(pair.sync, compare) if pair.sync else None
        pairs.append(dataclasses.replace(pair, sync=psync))
    return dataclasses.replace(job, xml_format=23, sync=migrate_sync(job.sync, job.compare.variant),
                               pairs=tuple(pairs))
