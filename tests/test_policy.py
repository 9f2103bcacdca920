"""The policy schema: what is accepted, and one precise message naming the key for everything else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ffs_tools.errors import UserError
from ffs_tools.policy.load import default_policy, find_policy, load_policy, parse_policy
from ffs_tools.policy.model import DEFAULTS_ORIGIN
from ffs_tools.policy.schema import TABLES

README = Path(__file__).resolve().parent.parent / "README.md"

ISSUE_EXAMPLE = """\
[project]
name = "llm-distillery"

[local]
path = "/home/me/llm-distillery"

[gpu]
path = "sftp://me@gpu-box/home/me/llm-distillery|keyfile=/home/me/.ssh/id_ed25519"

[sync]
compare = "time-and-size"      # time-and-size | content | size
conflict = "newer-wins"        # newer-wins | review
deletion = "versioning"        # recycle-bin | versioning | permanent
versioning_folder = "/home/me/.ffs-versions/llm-distillery"

[exclude]
extra = ["*/wandb/"]

[keep]
paths = ["datasets/", "models/", "results/"]
"""

GPU = '[gpu]\npath = "/srv/gpu/proj"\n'


def parse(text: str, name: str = "ffs-policy.toml") -> object:
    return parse_policy(text, Path("/home/me/proj") / name)


def test_the_issue_example_is_accepted_as_it_stands() -> None:
    policy = parse_policy(ISSUE_EXAMPLE, Path("/home/me/llm-distillery/ffs-policy.toml"))
    assert policy.name == "llm-distillery"
    assert policy.conflict == "newer-wins"
    assert policy.gpus[0].is_sftp
    assert policy.exclude_extra == ("*/wandb/",)
    assert policy.keep_paths == ("datasets/", "models/", "results/")
    assert policy.versioning_folder == "/home/me/.ffs-versions/llm-distillery"


def test_defaults() -> None:
    policy = parse_policy(GPU, Path("/home/me/proj/ffs-policy.toml"))
    assert (policy.name, policy.local_path, policy.conflict, policy.deletion, policy.compare) == (
        "proj", "/home/me/proj", "review", "versioning", "time-and-size")
    assert policy.scan_local is True


def test_several_gpus() -> None:
    policy = parse_policy('[[gpu]]\nname = "a100"\npath = "sftp://me@a/home/me/p|agent"\nthreads = 4\n\n'
                          '[[gpu]]\nname = "h100"\npath = "sftp://me@h/home/me/p|keyfile=~/.ssh/k"\n',
                          Path("/p/ffs-policy.toml"))
    assert [(g.name, g.threads, g.key) for g in policy.gpus] == [("a100", 4, "gpu[0]"), ("h100", None, "gpu[1]")]


def test_pyproject_tool_table(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.ffs-tools.gpu]\npath = "/srv/gpu/x"\n\n'
                         '[tool.ffs-tools.sync]\nconflict = "newest"\n', encoding="utf-8")
    assert find_policy(tmp_path) == pyproject
    with pytest.raises(UserError) as err:
        load_policy(pyproject)
    assert str(err.value) == f'{pyproject}:8: sync.conflict: expected "newer-wins" or "review", got "newest"'
    pyproject.write_text('[tool.ffs-tools.gpu]\npath = "/srv/gpu/x"\n', encoding="utf-8")
    assert load_policy(pyproject).name == tmp_path.name


def test_policy_file_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ffs-tools.gpu]\npath = "/x"\n', encoding="utf-8")
    (tmp_path / "ffs-policy.toml").write_text(GPU, encoding="utf-8")
    assert find_policy(tmp_path) == tmp_path / "ffs-policy.toml"
    (tmp_path / "ffs-policy.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_policy(tmp_path) is None


def test_default_policy_uses_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "My Project"
    folder.mkdir()
    policy = default_policy("/srv/gpu/p", folder)
    assert (policy.origin, policy.name, policy.local_path) == (DEFAULTS_ORIGIN, "My-Project", str(folder))


# (policy text, the exact message after "path:line: ")
BAD: list[tuple[str, str]] = [
    ("[sync]\nconflict = \"newest\"\n" + GPU, 'sync.conflict: expected "newer-wins" or "review", got "newest"'),
    ("[sync]\nconflcit = \"review\"\n" + GPU, 'sync.conflcit: unknown key in [sync] (did you mean "conflict"?)'),
    ("[synk]\nconflict = \"review\"\n" + GPU, 'synk: unknown table (did you mean "sync"?)'),
    ("[sync]\ncompare = 3\n" + GPU, "sync.compare: expected a string, got an integer (3)"),
    ("[local]\nscan = \"yes\"\n" + GPU, 'local.scan: expected true or false, got a string ("yes")'),
    ("[realtime]\ndelay = 0\n" + GPU, "realtime.delay: expected an integer >= 1, got 0"),
    ("[exclude]\nextra = \"*/wandb/\"\n" + GPU,
     'exclude.extra: expected an array of strings, got a string ("*/wandb/")'),
    ("[exclude]\nextra = [\"ok\", 5]\n" + GPU, "exclude.extra: item 1: expected a string, got an integer (5)"),
    ("[exclude]\nextra = [\"*/wandb/\", \"*.log;*.tmp\"]\n" + GPU,
     'exclude.extra[1]: "*.log;*.tmp": FreeFileSync does not split at ";": it is one item; write one item per '
     'string: extra = ["*/wandb/", "*.log", "*.tmp"]'),
    ("[exclude]\nextra = [\"*.log | *.tmp\"]\n" + GPU,
     'exclude.extra[0]: "*.log | *.tmp": FreeFileSync splits at "|": it is several items; write one item per '
     'string: extra = ["*.log", "*.tmp"]'),
    ("[exclude]\nextra = [\"*.log\\n*.tmp\"]\n" + GPU, "exclude.extra: item 0: expected one line, got a line break"),
    ("[project]\nname = \"x\"\n", "gpu.path: missing: say where the project lives on the GPU machine"),
    ("[gpu]\nname = \"a\"\n", "gpu.path: missing: the project's folder on the GPU machine"),
    ("[gpu]\npath = \"sftp://me:hunter2@box/home/me/p|agent\"\n", "gpu.path: contains a password"),
    ("[gpu]\npath = \"sftp://me@box/home/me/p|pass64=aHVudGVyMg==\"\n", "gpu.path: contains pass64="),
    ("[gpu]\npath = \"sftp://me@box/home/me/p|pwprompt\"\n", "gpu.path: pwprompt asks for a password at run time"),
    ("[gpu]\npath = \"sftp://me@box/home/me/p\"\npassword = \"hunter2\"\n",
     "gpu.password: a password does not belong in the policy"),
    ("[gpu]\npath = \"sftp://me@box/home/me/p\"\n", "gpu.path: an SFTP path needs |keyfile=PATH or |agent"),
    ("[gpu]\npath = \"sftp://me@box|agent\"\n", "gpu.path: no folder after the host"),
    ("[gpu]\npath = \"sftp://me@box/~/p|agent\"\n", 'gpu.path: FreeFileSync does not expand "~" over SFTP'),
    ("[gpu]\npath = \"sftp://me@box/~me/p|agent\"\n", 'gpu.path: FreeFileSync does not expand "~" over SFTP'),
    ("[gpu]\npath = \"sftp://me@box:2222//~|agent\"\n", 'gpu.path: FreeFileSync does not expand "~" over SFTP'),
    ("[gpu]\npath = \"sftp://me@corp.com@box/home/me/p|agent\"\n",
     'gpu.path: the user name has an "@": FreeFileSync takes everything before the first "@" as the user, so '
     "write it as %40: sftp://me%40corp.com@box/... (docs/sftp.md#the-phrase)"),
    ("[gpu]\npath = \"ftp://me@box/p\"\n", "gpu.path: ftp: is not supported for the GPU machine"),
    ("[gpu]\npath = \"sftp://me@box/p|agent\"\n[sync]\ndeletion = \"recycle-bin\"\n",
     'sync.deletion: "recycle-bin" is not available on an SFTP server'),
    ("[gpu]\npath = \"/srv/g\"\nthreads = 4\n", "gpu.threads: only for sftp:// paths"),
    ("[gpu]\npath = \"sub/gpu\"\n", 'gpu.path: "sub/gpu" and local.path "/home/me/proj" contain each other'),
    ("[local]\npath = \"sftp://me@box/p|agent\"\n" + GPU, "local.path: must be a folder on this machine"),
    ("[sync]\nversioning_folder = \".versions\"\n" + GPU, 'sync.versioning_folder: ".versions" is inside the local'),
    ("[batch]\nlog_folder = \"/home/me/proj/logs\"\n" + GPU, 'batch.log_folder: "/home/me/proj/logs" is inside'),
    ("[sync]\ndeletion = \"permanent\"\nversioning_folder = \"/v\"\n" + GPU,
     'sync.versioning_folder: only used with deletion = "versioning"'),
    ("[sync]\ncompare = \"content\"\nconflict = \"newer-wins\"\n" + GPU, 'sync.compare: "content" comparison has'),
    ("[keep]\npaths = [\"/abs/models\"]\n" + GPU, 'keep.paths[0]: expected a path relative to the project root'),
    ("[keep]\npaths = [\"../up\"]\n" + GPU, 'keep.paths[0]: expected a path relative to the project root'),
    ("[[gpu]]\npath = \"/a\"\n[[gpu]]\npath = \"/b\"\n", "gpu[0].name: missing: with several [[gpu]] machines"),
    ("[[gpu]]\nname = \"a\"\npath = \"/a\"\n[[gpu]]\nname = \"a\"\npath = \"/b\"\n", 'gpu[1].name: "a" names another'),
    ("[project]\nname = \"my project\"\n" + GPU, 'project.name: "my project" cannot be used in a file name'),
    ("[[folders]]\npath = \"models\"\n" + GPU, "folders[0].direction: missing"),
    ("[[folders]]\npath = \"models\"\ndirection = \"both\"\n" + GPU,
     'folders[0].direction: expected "push" or "pull", got "both"'),
    ("[[folders]]\npath = \"models\"\ndirection = \"pull\"\n[[folders]]\npath = \"models/ckpt\"\n"
     "direction = \"push\"\n" + GPU, 'folders[1].path: "models/ckpt" overlaps folders[0].path "models"'),
    ("[[folders]]\npath = \"*.pt\"\ndirection = \"pull\"\n" + GPU, "folders[0].path: expected a folder of the project"),
    ("[sync]\nconflict = \"review\"\nconflict = \"newer-wins\"\n" + GPU, "not valid TOML: Cannot overwrite a value"),
    ("[sync\n" + GPU, "not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(":")[0] + "-" + str(i) for i, (_, m) in
                                                         enumerate(BAD)])
def test_bad_policy_gives_one_message_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        parse(text)
    line = str(err.value)
    assert "\n" not in line
    assert line.startswith("/home/me/proj/ffs-policy.toml:"), line
    assert message in line


def test_passwords_are_never_echoed() -> None:
    for text in ('[gpu]\npath = "sftp://me:hunter2@box/p|agent"\n',
                 '[gpu]\npath = "sftp://me@box/p|pass64=aHVudGVyMg=="\n',
                 '[gpu]\npath = "sftp://me@box/p"\npassword = "hunter2"\n'):
        with pytest.raises(UserError) as err:
            parse(text)
        assert "hunter2" not in str(err.value)
        assert "aHVudGVyMg" not in str(err.value)
        assert "keyfile=" in str(err.value)


def test_message_points_at_the_line() -> None:
    with pytest.raises(UserError) as err:
        parse('[project]\nname = "p"\n\n[sync]\ndeletion = "recycle-bin"\ncompare = "bytes"\n' + GPU)
    assert err.value.line == 6
    with pytest.raises(UserError) as err:
        parse('[[gpu]]\nname = "a"\npath = "/a"\n\n[[gpu]]\nname = "b"\nthreads = "4"\npath = "/b"\n')
    assert str(err.value).endswith('gpu[1].threads: expected an integer, got a string ("4")')


def test_readme_documents_every_key() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The policy"):]
    for table, fields in TABLES.items():
        for key in fields:
            assert re.search(rf"`{table}\.{key}`", section), f"README does not document {table}.{key}"


def test_a_semicolon_list_in_exclude_extra_stops_generate_before_anything_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from ffs_tools.cli import main

    (tmp_path / "ffs-policy.toml").write_text('[gpu]\npath = "/srv/gpu/p"\n\n[exclude]\nextra = ["*.log;*.tmp"]\n',
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 2
    assert capsys.readouterr().err == (
        f'error: {tmp_path}/ffs-policy.toml:5: exclude.extra[0]: "*.log;*.tmp": FreeFileSync does not split at ";": '
        'it is one item; write one item per string: extra = ["*.log", "*.tmp"]\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ffs-policy.toml"]
