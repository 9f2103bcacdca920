"""How ffs-tools reads the log-in of an ``sftp://`` phrase (no server needed: nothing here connects)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ffs_tools.errors import UserError
from ffs_tools.remote.sftp import DEFAULT_TIMEOUT, Login, display, login_of


@pytest.mark.parametrize(("options", "seconds"), [
    ("", DEFAULT_TIMEOUT), ("|timeout=5", 5), ("|timeout=0", 1), ("|timeout=-3", 1), ("|timeout=", 1),
    ("|timeout=abc", 1), ("|timeout=12s", 12), ("|timeout= 7", 7),
])
def test_timeout_is_read_as_freefilesync_reads_it(options: str, seconds: int) -> None:
    login, _ = login_of(f"sftp://me@gpu/data|agent{options}")
    assert login.timeout == seconds


def test_port_user_key_file_zlib_and_the_server_path() -> None:
    login, path = login_of("sftp://me%40corp.com@gpu-box:2222\\home\\me//proj/|keyfile=~/.ssh/id_ed25519|zlib")
    assert login == Login("gpu-box", 2222, "me@corp.com", os.path.expanduser("~/.ssh/id_ed25519"), False,
                          DEFAULT_TIMEOUT, True)
    assert path == "/home/me/proj"
    assert display("sftp://me%40corp.com@gpu-box:2222/home/me/proj|keyfile=/k") == \
        "sftp://me@corp.com@gpu-box:2222/home/me/proj"
    assert display("sftp://gpu:22/|agent") == "sftp://gpu"


def test_the_agent_without_a_key_file() -> None:
    login, path = login_of("sftp://gpu/x|agent")
    assert (login.host, login.port, login.user, login.keyfile, login.agent, path) == ("gpu", 22, "", None, True, "/x")


def test_a_secret_is_never_in_the_message() -> None:
    with pytest.raises(UserError) as err:
        login_of("sftp://me:hunter2@gpu/x|agent")
    assert str(err.value) == ("sftp://me@gpu/x: the phrase contains a password (user:password@host); ffs-tools never "
                              "uses a stored password: log in with |keyfile=PATH or |agent")
    with pytest.raises(UserError) as err:
        login_of("sftp://me@gpu/x|pwprompt")
    assert str(err.value) == ("sftp://me@gpu/x: the phrase pwprompt asks for a password at run time: an unattended "
                              "batch would wait for it forever; use |keyfile=PATH or |agent")


def test_the_ffs201_hint_proposes_only_log_ins_that_generate_and_sftp_accept() -> None:
    """The hint for a stored password names the way out: each ``|option`` it proposes is accepted by the policy
    (what generate writes) and by the SFTP log-in of plan/sync; ``|pwprompt`` is refused by both."""
    from ffs_tools.lint.rules.ffs201_password_in_path import HINT
    from ffs_tools.policy.load import parse_policy

    proposed = re.findall(r"`(\|[^`]+)`", HINT)
    assert proposed == ["|keyfile=/home/me/.ssh/id_ed25519", "|agent"]
    for option in proposed:
        phrase = f"sftp://me@gpu-box/home/me/proj{option}"
        policy = parse_policy(f'[gpu]\npath = "{phrase}"\n', Path("/home/me/proj/ffs-policy.toml"))
        assert policy.gpus[0].path == phrase
        assert login_of(phrase)[1] == "/home/me/proj"
    assert "pwprompt" not in HINT
