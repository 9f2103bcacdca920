"""The package's shape: folders by pipeline, and no import cycle between modules.

Imports are read with :mod:`ast`, counting the ones inside functions: a lazy
import is still a dependency, and a cycle through one is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ffs_tools"

#: the top level of the package: pipeline folders and a few entry modules
TOP_FOLDERS = {"ffs", "xml", "filtering", "findings", "policy", "generate", "lint", "audit", "preview", "plan",
               "remote", "sync", "commands"}
TOP_MODULES = {"__init__.py", "__main__.py", "cli.py", "errors.py", "fsutil.py", "resources.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(imported: str, modules: dict[str, Path]) -> str | None:
    """The project module an import names (``a.b.c`` may be a module or a name inside ``a.b``)."""
    while imported:
        if imported in modules:
            return imported
        imported = imported.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{a.name}" for a in node.names] or [prefix]
            for target in targets:
                if not target.startswith("ffs_tools"):
                    continue
                found = _resolve(target, modules)
                if found and found != name:
                    deps.add(found)
        graph[name] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _parent_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first: count those edges too."""
    full = {name: set(deps) for name, deps in graph.items()}
    for name, deps in graph.items():
        for dep in deps:
            parts = dep.split(".")
            for i in range(2, len(parts)):
                parent = ".".join(parts[:i])
                if parent in graph and parent != name:
                    full[name].add(parent)
    return full


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(_parent_packages(import_graph()))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_counts_imports_inside_functions() -> None:
    graph = import_graph()
    # commands/lint.py imports its worker inside the command function only
    assert "ffs_tools.commands._lint_run" in graph["ffs_tools.commands.lint"]


def test_top_level_holds_pipeline_folders_and_a_few_entry_modules() -> None:
    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")}
    folders = {e for e in entries if (PACKAGE / e).is_dir()}
    modules = entries - folders
    assert folders <= TOP_FOLDERS, sorted(folders - TOP_FOLDERS)
    assert modules <= TOP_MODULES, sorted(modules - TOP_MODULES)
    for folder in folders:
        init = PACKAGE / folder / "__init__.py"
        assert init.is_file(), folder
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{folder}/__init__.py: one-line purpose"
