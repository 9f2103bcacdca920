"""``audit-gpu sftp://...`` from the local machine: the same findings as on the GPU machine itself, read over SFTP from
the real SSH test server (tests/sshd.py), read-only, with the progress line.

Every fixture tree of fixtures/trees/ is built on the server side and audited twice as the real command: as the
folder itself and as its ``sftp://`` phrase. The findings must be the same, path for path. (The test server runs as
the test's account, root here: a mode-000 folder is readable to both runs alike.)
"""

from __future__ import annotations

import json
import os
import pty
from pathlib import Path

import pytest
from auditcli import Run, audit_cli
from sshd import SshServer
from treebuilder import FIXTURES, build, listings, parse, unlock

from ffs_tools.audit.filter import knowledge_filter
from ffs_tools.audit.run import audit_sftp
from ffs_tools.audit.walk import Progress
from ffs_tools.remote.sftp import connections

pytestmark = pytest.mark.sshd

_PYCACHE = ("a folder that never travels: '*/__pycache__/' excludes it: cache folder '__pycache__' at every depth: "
            "rebuilt on each machine")


@pytest.fixture
def known(sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> SshServer:
    monkeypatch.setenv("FFS_TOOLS_KNOWN_HOSTS", str(sshd.known_hosts))
    return sshd


def _findings(run: Run, prefix: str) -> list[tuple[str, str, str, str | None]]:
    """(code, path below the audited folder, message, git's verdict) of a ``--format json`` run."""
    assert run.returncode in (0, 1), run.stderr
    out = []
    for f in json.loads(run.stdout)["findings"]:
        path = f["path"]
        assert path == prefix or path.startswith(prefix + "/"), path
        # a foreign interpreter is told from the server's own /bin/sh over SFTP (this process's Python is
        # not on that machine): the one wording that differs
        message = f["message"].replace("like the server's /bin/sh", "like this machine's Python")
        out.append((f["code"], path[len(prefix) + 1:] or ".", message, f.get("git_ignored", "-")))
    return sorted(out)


@pytest.mark.parametrize("listing_path", listings(), ids=lambda p: p.stem)
def test_the_findings_over_sftp_are_those_on_the_machine(known: SshServer, listing_path: Path) -> None:
    listing = parse(listing_path)
    tree = known.folder(f"audit-{listing_path.stem}")
    locked = build(listing, tree)
    args = [a.replace("{fixtures}", str(FIXTURES)) for a in listing.args]
    try:
        here = audit_cli(str(tree), "--format", "json", "--jobs", "1", *args, cwd=tree)
        phrase = known.phrase(tree)
        remote = audit_cli(phrase, "--format", "json", *args, cwd=tree)
    finally:
        unlock(locked)
    shown = f"sftp://{known.user}@127.0.0.1:{known.port}{tree}"
    assert _findings(remote, shown) == _findings(here, str(tree))
    assert remote.returncode == here.returncode
    if not locked:  # without mode-000 folders the machine's own run has exactly the fixture's findings
        assert sorted((c, p) for c, p, _, _ in _findings(here, str(tree))) == sorted(listing.expect)


def test_gits_verdict_reads_the_gitignore_files_on_the_server(known: SshServer) -> None:
    tree = known.folder("audit-gitignore")
    (tree / "sub" / "__pycache__").mkdir(parents=True)
    (tree / "sub" / ".gitignore").write_text("__pycache__/\n")
    run = audit_cli(known.phrase(tree), "--format", "json", cwd=tree)
    shown = f"sftp://{known.user}@127.0.0.1:{known.port}{tree}"
    assert _findings(run, shown) == [("FFS704", "sub/__pycache__/", _PYCACHE, "sub/.gitignore:1:__pycache__/")]


def test_quarantine_is_refused_over_sftp(known: SshServer, tmp_path: Path) -> None:
    tree = known.folder("audit-quarantine")
    (tree / "a" / ".git").mkdir(parents=True)
    run = audit_cli(known.phrase(tree), "--quarantine", str(tmp_path / "q"), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == ("error: --quarantine moves items on the machine that holds them: over sftp:// audit-gpu only "
                          "reads; run `ffs-tools audit-gpu --quarantine DIR` on the GPU machine itself\n")
    assert (tree / "a" / ".git").is_dir()
    assert not (tmp_path / "q").exists()


def test_a_missing_remote_folder_is_one_line(known: SshServer, tmp_path: Path) -> None:
    missing = known.root / "audit-missing"
    run = audit_cli(known.phrase(missing), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"error: sftp://{known.user}@127.0.0.1:{known.port}{missing}: not a folder on the server "
                          "(or it cannot be read)\n")


def test_the_progress_line_over_sftp(known: SshServer) -> None:
    tree = known.folder("audit-progress")
    for i in range(30):
        (tree / f"d{i}" / "sub").mkdir(parents=True)
    (tree / "d7" / "sub" / ".git").mkdir()
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as tty, connections() as pool:
        result = audit_sftp(known.phrase(tree), knowledge_filter(), 4, Progress(tty, delay=0.0, interval=0.0), pool)
    data = b""
    try:
        while chunk := os.read(master, 65536):
            data += chunk
    except OSError:  # EIO: the other end is closed and everything was read
        pass
    finally:
        os.close(master)
    shown = data.decode()
    assert (result.stats.folders, result.stats.entries) == (61, 61)  # .git is reported, not entered
    assert f"audit-gpu: {result.stats.entries:,} entries in {result.stats.folders:,} folders" in shown
    assert shown.endswith("\r\x1b[K")
    assert [(h.code, h.rel) for h in result.hits] == [("FFS701", "d7/sub/.git")]
