"""A password in a folder path (`pass64=` is base64, not encryption).

## What it does
Reports SFTP/FTP folder paths (pairs, versioning folder, log folder,
RealTimeSync folders) that carry a password: a ``pass64=`` option or a
``user:password@host`` part.

## Why is this bad?
``pass64=`` is the password in base64, which anyone can decode
(``echo UkVEQUNURUQ= | base64 -d``). A committed config leaks it to everyone
who can read the repository, and to its whole history.

## Example
```xml
<Right>sftp://gpu@gpu-box:22/home/gpu/proj|pass64=c2VjcmV0</Right>
```

## Fix
Use key authentication (``|keyfile=/home/me/.ssh/id_ed25519``, a key without a
passphrase, or ``|agent``; see docs/sftp.md), remove the password from the file,
rotate the password, and purge it from the repository history. Not ``|pwprompt``:
``generate`` refuses it, since an unattended batch would wait for the prompt forever.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ffs_tools.ffs.phrases import parse
from ffs_tools.findings import Finding, Place, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS201"
NAME = "password-in-path"
SEVERITY = Severity.ERROR
PROFILES = BOTH
#: never ``|pwprompt``: generate refuses it (an unattended batch waits for the prompt forever), see docs/sftp.md
HINT = ("log in with a key: `|keyfile=/home/me/.ssh/id_ed25519` (a key without a passphrase) or `|agent` "
        "(docs/sftp.md), then change the password: it is in the git history")


def _phrases(ctx: Context) -> Iterator[tuple[str, str, str, int | None]]:
    """``(model key, what, phrase, pair index)``: a pair's paths are named without the pair (the engine
    lists the pairs that share a finding)."""
    if ctx.real is not None:
        for i, d in enumerate(ctx.real.directories):
            yield f"real.directories.{i}", f"folder {i + 1}", d, None
        return
    job = ctx.job
    if job is None:
        return
    for i, p in enumerate(job.pairs):
        yield f"pair.{i}.left", "the left folder", p.left, i
        yield f"pair.{i}.right", "the right folder", p.right, i
        if p.sync is not None:
            yield f"pair.{i}.sync.versioning", "the versioning folder", p.sync.versioning.folder, i
    yield "sync.versioning", "the versioning folder", job.sync.versioning.folder, None
    yield "log_folder", "the log folder", job.log_folder, None


def _raw(ctx: Context) -> Iterator[Finding]:
    """A file that could not be read as a config still leaks its passwords: look at the bytes."""
    data = ctx.data or b""
    places = []
    for m in re.finditer(rb"\|\s*pass64\s*=", data, re.IGNORECASE):
        line = data.count(b"\n", 0, m.start()) + 1
        places.append(Place(line, m.start() - (data.rfind(b"\n", 0, m.start()) + 1) + 1))
    if places:  # one problem: each place is listed
        yield Finding(CODE, SEVERITY, "the file stores a `pass64=` password (base64, readable by anyone)", ctx.path,
                      places[0].line, places[0].column, HINT, places=tuple(places[1:]))


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.error is not None:
        yield from _raw(ctx)
        return
    for key, what, phrase, pair in _phrases(ctx):
        parsed = parse(phrase)
        pass64 = parsed.pass64
        if pass64 or parsed.password is not None:
            how = "a `pass64=` password (base64, readable by anyone)" if pass64 else "a password in `user:password@`"
            yield ctx.finding(CODE, SEVERITY, key, f"{what}: the path stores {how}", HINT, pairs=(pair,))
