"""Issue 14, items 6, 8, 9 and 14: secrets in path keys, one phrase parser, refusals that cannot be walked
around, and messages that name the policy key (never a secret, never a raw terminal escape)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from generate_helpers import run_cli, snapshot


def _project(tmp_path: Path, policy: str) -> Path:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "train.py").write_text("print(1)\n", encoding="utf-8")
    (project / "ffs-policy.toml").write_text(policy, encoding="utf-8")
    return project


def _generate(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    before = snapshot(project)
    code, out, err = run_cli(["generate"], project, monkeypatch, capsys)
    assert out == ""
    if code == 2:
        assert snapshot(project) == before, "a refused policy writes nothing"
        lines = err.splitlines()
        assert lines[-1].startswith("error: "), err
        assert not any(x.startswith("error") for x in lines[:-1]), err
        assert "Traceback" not in err
    return code, err


GPU = '[gpu]\npath = "sftp://me@gpu-box/home/me/proj|agent"\n'


# --------------------------------------------------------------------------- item 6: every path key, one check


@pytest.mark.parametrize(("table", "value", "key", "says"), [
    ("[sync]\nversioning_folder", "sftp://me:S3CRET@gpu-box/v|agent", "sync.versioning_folder", "password"),
    ("[sync]\nversioning_folder", "ftp://user:S3CRET@nas/v", "sync.versioning_folder", "password"),
    ("[sync]\nversioning_folder", "sftp://me@gpu-box/v|agent|pass64=UzNDUkVU", "sync.versioning_folder", "pass64="),
    ("[sync]\nversioning_folder", "sftp://me@gpu-box/v|pwprompt", "sync.versioning_folder", "pwprompt"),
    ("[batch]\nlog_folder", "ftp://user:S3CRET@nas/logs", "batch.log_folder", "password"),
    ("[batch]\nlog_folder", "sftp://me@gpu-box/logs|keyfile=/k|PASS64=UzNDUkVU", "batch.log_folder", "pass64="),
    ("[local]\npath", "sftp://me@gpu-box/home/me/proj|agent", "local.path", "must be a folder on this machine"),
])
def test_every_path_key_refuses_credentials_and_remote_where_local_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        table: str, value: str, key: str, says: str) -> None:
    project = _project(tmp_path, f'{GPU}{table} = "{value}"\n')
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert f"ffs-policy.toml:4: {key}: " in err
    assert says in err
    assert "S3CRET" not in err
    assert "UzNDUkVU" not in err


# --------------------------------------------------------------------------- item 8: the parser, as FreeFileSync


def test_parser_splits_userinfo_at_the_first_at_sign_like_freefilesync() -> None:
    from ffs_tools.ffs.phrases import PathKind, credential_problem, has_password, parse

    p = parse("sftp://me:S3/CRET@h:2222/x/y|agent|timeout=5")
    assert (p.kind, p.user, p.password, p.host, p.port, p.path) == (PathKind.SFTP, "me", "S3/CRET", "h", 2222, "/x/y")
    assert p.options == (("agent", None), ("timeout=", "5"))
    assert p.has_option("agent")
    assert p.option("timeout=") == "5"
    assert not p.has_option("keyfile=")
    q = parse("  SFTP:\\\\[fe80::1]:22\\srv|keyfile=~/.ssh/id")
    assert (q.user, q.password, q.host, q.port, q.path, q.option("keyfile=")) == ("", None, "fe80::1", 22, "\\srv",
                                                                                  "~/.ssh/id")
    assert parse("ftp://anon@nas/pub").password is None
    assert parse("/home/me:x@y/proj") == parse("/home/me:x@y/proj")
    assert not has_password("/home/me:x@y/proj")
    assert has_password("sftp://me:S3/CRET@h/x|agent")
    assert has_password("ftp://h/x|pass64=eA==")
    assert credential_problem("sftp://me@h/x|agent") is None


def test_init_never_writes_a_password_with_a_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["init", "--gpu", "sftp://me:S3/CRET@h/x|agent"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert not (tmp_path / "ffs-policy.toml").exists()
    assert err == f"error: --gpu: contains a password (user:password@host): {err.split('@host): ', 1)[1]}"
    assert "CRET" not in err + out


# --------------------------------------------------------------------------- item 9: links and macros


def test_gpu_folder_reaching_the_local_folder_through_a_link_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mnt").mkdir()
    project = _project(tmp_path, "")
    (tmp_path / "mnt" / "gpu").symlink_to(project)
    (project / "ffs-policy.toml").write_text(f'[gpu]\npath = "{tmp_path / "mnt" / "gpu" / "copy"}"\n',
                                             encoding="utf-8")
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert "ffs-policy.toml:2: gpu.path: " in err
    assert "contain each other" in err


def test_versioning_folder_inside_the_project_through_a_macro_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f'{GPU}[sync]\nversioning_folder = "%FFS_TEST_ROOT%/proj/.versions"\n')
    monkeypatch.setenv("FFS_TEST_ROOT", str(tmp_path))
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert "ffs-policy.toml:4: sync.versioning_folder: " in err
    assert "is inside the local folder" in err


# --------------------------------------------------------------------------- item 14: messages


def test_control_characters_are_reported_at_the_policy_key_and_never_echoed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f'{GPU}[exclude]\nextra = ["*.tmp", "a\\u001b]0;owned\\u0007b"]\n')
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert err == ("error: " + str(project / "ffs-policy.toml") + ":4: exclude.extra: item 1: contains the control "
                   "character U+001B, which no FreeFileSync path or item can hold\n")


def test_a_raw_terminal_escape_in_an_error_is_printed_escaped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f'{GPU}[project]\nname = "x\\u001b[2Jy"\n')
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert "\x1b" not in err
    assert ":4: project.name: contains the control character U+001B" in err
    from ffs_tools.cli import _printable

    assert _printable("a\x1b[2Jb\x9b") == "a\\x1b[2Jb\\x9b"


def test_realtime_delay_out_of_range_is_a_message_by_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f"{GPU}[realtime]\ndelay = 9223372036854775807\n")
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert err.endswith(":4: realtime.delay: expected an integer <= 86400 (one day), got 9223372036854775807\n")


def test_keep_folder_not_on_disk_is_still_checked_against_the_filter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f'{GPU}[exclude]\nextra = ["*.pt"]\n[keep]\npaths = ["results/"]\n')
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 2
    assert err.endswith(':6: keep.paths[0]: a file like "results/example.pt" (in keep path "results/") would not '
                        'sync: exclude item "*.pt" (exclude.extra[0]) drops it\n')
    (project / "ffs-policy.toml").write_text(f'{GPU}[exclude]\nextra = ["*.pt"]\n[keep]\npaths = ["models/"]\n'
                                             '[sync]\nversioning_folder = "' + str(tmp_path / "v") + '"\n',
                                             encoding="utf-8")
    (project / "models").mkdir()  # on disk and without a .pt file: the files there are what is checked
    code, err = _generate(project, monkeypatch, capsys)
    assert code == 0, err
    assert os.path.isfile(project / "proj.ffs_batch")


@pytest.mark.parametrize(("port", "expected"), [("22", 22), ("65535", 65535), ("0", None), ("65536", None),
                                                ("9" * 5000, None), ("\u0663", None), ("", None)])
def test_a_port_that_is_not_a_port_is_none_never_a_crash(port: str, expected: int | None) -> None:
    """Found by the lint fuzz test: a 4,400-digit port made int() raise inside FFS141."""
    from ffs_tools.ffs.phrases import parse

    assert parse(f"sftp://me@host:{port}/x|agent").port == expected
    assert parse(f"sftp://me@[fe80::1]:{port}/x|agent").port == expected


@pytest.mark.parametrize(("phrase", "login"), [
    ("sftp://me%40corp.com@gpu-box/home/p|agent", "me@corp.com"),
    ("sftp://a%3Ab%3ac@h/p|agent", "a:b:c"),
    ("sftp://100%2540@h/p|agent", "100%40"),  # %25 last: "%2540" is a literal "%40", not an "@"
    ("sftp://plain@h/p|agent", "plain"),
    ("sftp://h/p|agent", ""),
])
def test_the_login_name_is_decoded_like_freefilesync(phrase: str, login: str) -> None:
    from ffs_tools.ffs.phrases import parse

    assert parse(phrase).login_name == login
