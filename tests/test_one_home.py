"""One home per FreeFileSync fact: each fact below lives in one module, and a copy elsewhere fails here.

The checks read the source (``ast``): string constants outside docstrings, dict literals, comparisons,
calls. They catch the simple copies (a second version regex, ``xml_format < 20``, ``"pyvenv.cfg"``,
``".ffs_batch"``, a hand-built pair filter ...); prose in messages and docstrings is not a copy.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import ffs_tools
from ffs_tools.audit.checks import Auditor
from ffs_tools.audit.filter import knowledge_filter
from ffs_tools.audit.registry import RULE_MODULES, prefilter
from ffs_tools.ffs.model import CONFIG_EXTENSIONS, ConfigKind, extension_kind
from ffs_tools.ffs.phrases import PathKind

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ffs_tools"
MODULES = sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@functools.cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def docstrings(module: ast.Module) -> set[int]:
    """ids of the docstring nodes (module, class, function)."""
    out = set()
    for node in ast.walk(module):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant of ``path`` that is not a docstring (f-string parts included)."""
    module = tree(path)
    skip = docstrings(module)
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def copies(home: str, found: Iterator[tuple[Path, int, str]]) -> list[str]:
    return [f"{rel(path)}:{line}: {what}" for path, line, what in found if rel(path) != home]


def string_copies(predicate: re.Pattern[str]) -> Iterator[tuple[Path, int, str]]:
    for path in MODULES:
        for line, text in strings(path):
            if predicate.search(text):
                yield path, line, text


def test_the_version_syntax_and_the_xml_format_map_live_in_ffs_versions() -> None:
    version_regex = re.compile(r"\\d\+\)\(\?:\\\.")  # (\d+)(?:\.(\d+))? in any spelling of a version regex
    assert copies("ffs/versions.py", string_copies(version_regex)) == []
    version_range = re.compile(r"^1[1-4]\.\d+-1[2-4]\.\d+$")  # "11.3-12.2": which versions write a format
    assert copies("ffs/versions.py", string_copies(version_range)) == []
    found = []
    formats = {17, 18, 19, 20, 23}
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Dict):  # {17: ..., 23: ...}: a format map
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, int)}
                if len(keys & formats) >= 2:
                    found.append((path, node.lineno, "a dict keyed by XmlFormats"))
            if isinstance(node, ast.Compare) and "format" in ast.unparse(node):  # fmt < 20: where 13.0 starts
                numbers = [c.value for c in (node.left, *node.comparators) if isinstance(c, ast.Constant)]
                if 20 in numbers:
                    found.append((path, node.lineno, "a comparison with 20"))
    assert copies("ffs/versions.py", iter(found)) == []


def test_environment_markers_live_in_never_travels() -> None:
    marker = re.compile(r"^(pyvenv\.cfg|conda-meta)(/.*)?$")
    assert copies("ffs/never_travels.py", string_copies(marker)) == []


def test_known_file_and_system_folder_names_live_in_known_names() -> None:
    """FFS144's names (``.directory`` is a file ...) and the file-system folders have one home (issue 10)."""
    from ffs_tools.ffs.known_names import CODE_TREE_FOLDERS, FILE_NAMES, FOLDER_NAMES
    from ffs_tools.ffs.never_travels import CACHE_NAMES, VENV_NAMES

    system = [n for n in FOLDER_NAMES if n not in CODE_TREE_FOLDERS + VENV_NAMES + CACHE_NAMES]
    names = re.compile("^(" + "|".join(re.escape(n) for n in (*FILE_NAMES, *system)) + ")$", re.IGNORECASE)
    assert copies("ffs/known_names.py", string_copies(names)) == []


def test_config_extensions_live_in_the_model_and_the_hook_matches_them_as_freefilesync_does() -> None:
    extension = re.compile(r"^\.ffs_(gui|batch|real)$|\\\.ffs_", re.IGNORECASE)
    assert copies("ffs/model.py", string_copies(extension)) == []
    assert extension_kind("Job.FFS_Batch") is ConfigKind.BATCH
    assert extension_kind("job.ffs_batch.bak") is None
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    [files] = re.findall(r"^  files: (\S+)", hooks, re.MULTILINE)
    hook = re.compile(files)  # pre-commit matches `files` with Python's re.search
    for ext in CONFIG_EXTENSIONS:
        for name in (f"a/job{ext}", f"a/JOB{ext.upper()}", f"a/Job{ext.title()}"):
            assert hook.search(name), name
    assert not hook.search("job.ffs_batch.bak")
    assert not hook.search("GlobalSettings.xml")


def test_recycle_bin_support_lives_with_the_path_kinds() -> None:
    """FreeFileSync has no recycle bin over SFTP, FTP and MTP, but Google Drive has its trash
    (FreeFileSync/Source/afs/{sftp,ftp,gdrive}.cpp at tag v12.0: createRecyclerSession)."""
    assert {k for k in PathKind if not k.has_recycle_bin} == {PathKind.SFTP, PathKind.FTP, PathKind.MTP}
    found = []
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
                kinds = {e.attr for e in node.elts if isinstance(e, ast.Attribute)
                         and isinstance(e.value, ast.Name) and e.value.id == "PathKind"}
                if {"SFTP", "FTP"} <= kinds:
                    found.append((path, node.lineno, f"PathKind set {sorted(kinds)}"))
    assert copies("ffs/phrases.py", iter(found)) == []


def test_a_pairs_filter_with_item_lines_is_built_in_one_place() -> None:
    """Every filter of a sync job's pair comes from filtering/pairs.pair_filter (global AND pair, item lines)."""
    found = []
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "from_configs" and node.args
                    and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "filter"):
                found.append((path, node.lineno, "PathFilter.from_configs(job.filter, ...)"))
    assert copies("filtering/pairs.py", iter(found)) == []


def test_synced_counting_parents_is_one_function() -> None:
    """Walking a path's parents through pass_dir happens only in PathFilter.closed_parent."""
    found = []
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.For) and isinstance(node.iter, ast.Call) and any(
                    isinstance(n, ast.Attribute) and n.attr == "pass_dir" for n in ast.walk(node)) and any(
                    isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Slice) for n in ast.walk(node)):
                found.append((path, node.lineno, "a loop over a path's parents calling pass_dir"))
    assert copies("filtering/engine.py", iter(found)) == []


def test_unattended_batch_settings_live_in_the_model() -> None:
    """generate writes ffs/model.UNATTENDED, lint --fix sets it (the reader builds BatchConfig from XML)."""
    found = []
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "BatchConfig", "ErrorsConfig") and node.keywords:
                found.append((path, node.lineno, "BatchConfig/ErrorsConfig with settings"))
    assert copies("ffs/model.py", iter(f for f in found if rel(f[0]) != "xml/read.py")) == []


def test_the_package_version_lives_in_init() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert re.search(r'^\[tool\.hatch\.version\]\npath = "ffs_tools/__init__.py"', pyproject, re.MULTILINE)
    assert not re.search(r'^version\s*=', pyproject, re.MULTILINE)
    assert re.fullmatch(r"\d+\.\d+\.\d+", ffs_tools.__version__)
    assert copies("__init__.py", string_copies(re.compile(rf"^{re.escape(ffs_tools.__version__)}$"))) == []


@pytest.mark.parametrize("rule", RULE_MODULES, ids=lambda m: m.CODE)
def test_the_walk_shows_each_audit_rule_the_names_it_declares(rule: object) -> None:
    auditor = Auditor("/nonexistent", knowledge_filter())
    names, suffixes = prefilter()
    assert rule.NAMES <= names <= auditor.names  # type: ignore[attr-defined]
    assert rule.SUFFIXES <= suffixes <= set(auditor.suffixes)  # type: ignore[attr-defined]


def test_the_walk_visitor_names_no_entry_itself() -> None:
    """audit/checks.py dispatches; the names it reacts to come from the rule modules."""
    names = set(prefilter()[0] | prefilter()[1])
    literal = [f"{line}: {text}" for line, text in strings(PACKAGE / "audit" / "checks.py")
               if text.upper() in names or text in (".git", "pyvenv.cfg", "conda-meta")]
    assert literal == []


def test_the_exclusion_item_of_a_found_environment_is_one_function() -> None:
    """never_travels.env_item decides the item for a found environment; folder_item (a name at every depth) is
    called only where a usual name, never a found environment, becomes an item."""
    callers = set()
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "folder_item", "literal_item"):
                callers.add(rel(path))
    assert callers == {
        "ffs/never_travels.py",  # the defaults, and env_item for the usual venv names
        "lint/rules/_tiers.py",  # FFS111/FFS121: the usual venv and cache names
        "audit/rules/_hit.py",  # FFS704: the name of an item that must never travel
        "audit/checks.py",  # an environment that is the audited folder itself: no place to anchor at
        "policy/jobs.py",  # [[folders]]: a one-way folder taken out of the main pair (not an environment)
    }


def test_generate_lint_fix_suggest_and_the_hints_give_one_item_per_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """miniforge/envs/train is excluded at that place (never as */train/, which drops src/mlproj/train/), .venv
    by its usual name at every depth: by generate, lint's FFS112 hint and --fix, audit-gpu's FFS703/FFS708
    hints and --suggest."""
    import json

    from auditcli import audit_cli

    from ffs_tools.cli import main
    from ffs_tools.ffs.never_travels import env_item

    local, gpu = tmp_path / "proj", tmp_path / "gpu"
    for root in (local, gpu):
        for rel_path, text in {"src/mlproj/train/model.py": "", "miniforge/envs/train/conda-meta/python-3.11-h1.json":
                               "{}", "tools/py311/pyvenv.cfg": "home = /nonexistent/bin\n",
                               ".venv/pyvenv.cfg": "home = /nonexistent/bin\n"}.items():
            (root / rel_path).parent.mkdir(parents=True, exist_ok=True)
            (root / rel_path).write_text(text, encoding="utf-8")
    expected = {"miniforge/envs/train": "/miniforge/envs/train/", "tools/py311": "/tools/py311/",
                ".venv": "*/.venv/"}
    assert {k: env_item(k) for k in expected} == expected
    monkeypatch.chdir(local)
    assert main(["generate", "--gpu", str(gpu)]) == 0
    capsys.readouterr()
    exclusions = (local / "FREEFILESYNC_EXCLUSIONS.txt").read_text(encoding="utf-8").splitlines()
    assert {"/miniforge/envs/train/", "/tools/py311/", "*/.venv/"} <= set(exclusions)
    assert not [line for line in exclusions if "train" in line and line.startswith("*")]
    # lint: the generated batch without the scan's items: FFS112's hints and --fix give the same items
    batch = local / "proj.ffs_batch"
    text = batch.read_text(encoding="utf-8")
    for item in ("/miniforge/envs/train/", "/tools/py311/"):
        text = text.replace(f"<Item>{item}</Item>", "")
    hand = local / "hand.ffs_batch"
    hand.write_text(text, encoding="utf-8")
    assert main(["lint", "--no-scan", "-f", "json", str(hand)]) == 0  # FFS501-free, FFS112 needs the scan
    capsys.readouterr()
    main(["lint", "-f", "json", "--select", "FFS112", str(hand)])
    hints = sorted(f["hint"] for f in json.loads(capsys.readouterr().out)["findings"])
    assert hints == ["add the exclude item `/miniforge/envs/train/`", "add the exclude item `/tools/py311/`"]
    assert main(["lint", "--fix", "--select", "FFS112", str(hand)]) == 0
    fixed = hand.read_text(encoding="utf-8")
    assert "<Item>/miniforge/envs/train/</Item>" in fixed
    assert "<Item>/tools/py311/</Item>" in fixed
    # audit-gpu on the GPU side, with the hand config (FFS708) and without (FFS703)
    (tmp_path / "bare.ffs_batch").write_text(text, encoding="utf-8")
    run = audit_cli(".", "--format", "json", "--config", str(tmp_path / "bare.ffs_batch"), cwd=gpu)
    found = {(f["code"], f["path"]): f["hint"] for f in json.loads(run.stdout)["findings"]}
    # one finding per environment: the copies the config lets through are FFS708 (with FFS703's evidence)
    assert found[("FFS703", ".venv/")].endswith("and exclude '*/.venv/'"), found
    assert [code for code, _ in found] == ["FFS703", "FFS708", "FFS708"]
    then = ", then move it aside (--quarantine DIR --all) and create this machine's own environment"
    assert found[("FFS708", "miniforge/envs/train/")] == "add '/miniforge/envs/train/' to the exclude list" + then
    assert found[("FFS708", "tools/py311/")] == "add '/tools/py311/' to the exclude list" + then
    suggested = audit_cli(".", "--suggest", cwd=gpu).stdout.splitlines()
    assert suggested == ["[exclude]", "extra = [", '    "/miniforge/envs/train/",', '    "/tools/py311/",', "]"]


def calls(name: str) -> set[str]:
    """The modules that call ``name(...)`` (as a plain name or an attribute)."""
    out = set()
    for path in MODULES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called == name:
                    out.add(rel(path))
    return out


def test_the_target_freefilesync_has_one_answer_in_policy_target() -> None:
    """Issue 9 item 1: generate (and --check, the ffs-generate-check hook), lint --policy (FFS501) and init all
    ask policy/target.py; the version -> format check is called by it, by the policy's [ffs] version check and
    by audit-gpu's policy filter (the GPU machine's filter semantics, not the files' format); the installed
    FreeFileSync is looked at only in ffs/installed.py."""
    assert calls("resolve_target") == {"commands/generate.py", "commands/init.py", "lint/rules/_policy.py",
                                       "policy/target.py"}  # the last: generate's notes ask what a plain run gives
    assert calls("ffs_target") == {"policy/target.py", "policy/checks.py", "audit/filter.py"}
    assert calls("detect") >= {"policy/target.py"}
    assert copies("ffs/installed.py", string_copies(re.compile(r"dpkg|Changelog\.txt"))) == []
    from ffs_tools.policy.init import pre_commit_snippet

    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    snippet = pre_commit_snippet()
    for entry in ("entry: ffs-tools lint\n", "entry: ffs-tools generate --check\n"):
        assert entry in hooks
        assert entry in snippet
    files = re.search(r"files: (\S+)", hooks)
    assert files is not None
    assert f"files: {files.group(1)}\n" in snippet


def test_the_filter_semantics_of_a_config_have_one_rule_in_semantics_of() -> None:
    """Issue 9 item 12: lint, audit-gpu, preview and explain judge a config by the same rule: ``--ffs-version``
    when given, else the file's XmlFormat (filtering/engine.semantics_of). A version alone is mapped only by that
    rule, by the policy's target (the GPU machine's FreeFileSync) and by lint's check of its option."""
    assert calls("semantics_of") == {"lint/rules/_context.py", "audit/filter.py", "commands/_common.py"}
    assert calls("parse_semantics") == {"commands/preview.py", "commands/explain.py"}
    assert calls("semantics_for") == {"filtering/engine.py", "policy/jobs.py", "commands/_lint_run.py"}
