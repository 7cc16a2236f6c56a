"""The dependencies between the parts of the code point one way.

The import graph is read from the source with ``ast``, imports inside
functions included: an import moved into a function to dodge a cycle is still
a dependency, and these tests see it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANALYTICS = ROOT / "analytics"
UI = ROOT / "ui"  # the Streamlit code outside pages/, once split out of glue.py and signin.py

# The packages of analytics/ (and its few top-level modules) as nodes of the graph.
PACKAGES = ("access", "cli", "demo", "indicators", "ingest", "locale", "recovery", "reminders",
            "reports", "store")


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the code, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against this module's package
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # `from analytics.cli import admin` imports the module analytics.cli.admin.
            found.update(f"{module}.{alias.name}" for alias in node.names if _is_module(f"{module}.{alias.name}"))
    return found


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _node(module: str) -> str | None:
    """The part of the code a module belongs to: ``analytics.<package>`` or ``ui``."""
    parts = module.split(".")
    if parts[0] == "ui":
        return "ui"
    if parts[0] == "analytics" and len(parts) > 1:
        return f"analytics.{parts[1]}"
    return None


def _source_files() -> list[Path]:
    return _modules(ANALYTICS) + (_modules(UI) if UI.is_dir() else [])


def _graph() -> dict[str, dict[str, list[str]]]:
    """node -> imported node -> the modules that import it (for the failure message)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in _source_files():
        source = _node(_module_name(path))
        for module in _imported_modules(path):
            target = _node(module)
            if source and target and target != source:
                graph[source][target].append(f"{_module_name(path)} -> {module}")
    return graph


def _cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """One cycle of the graph as a list of nodes (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_every_package_of_analytics_is_listed():
    found = {p.name for p in ANALYTICS.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(PACKAGES)


def test_the_graph_sees_the_packages_and_imports_inside_functions():
    graph = _graph()
    # Every package is in the graph, so a cycle through any of them would show.
    assert {f"analytics.{p}" for p in PACKAGES} <= set(graph) | {t for ts in graph.values() for t in ts}
    # The CLI loads the report builders inside its command functions (start-up speed):
    # the graph has that edge all the same.
    assert any("analytics.cli.pack -> analytics.reports.deck" in w for w in graph["analytics.cli"]["analytics.reports"])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b": []}, "b": {"c": []}}) is None


def test_no_import_cycle_between_packages():
    graph = _graph()
    cycle = _cycle(graph)
    if cycle:
        steps = [f"  {a} -> {b}: {', '.join(sorted(set(graph[a][b]))[:3])}" for a, b in pairwise(cycle)]
        pytest.fail("import cycle between packages: " + " -> ".join(cycle) + "\n" + "\n".join(steps))


def test_analytics_never_imports_streamlit():
    offenders = [f"{_module_name(p)} imports {m}" for p in _modules(ANALYTICS)
                 for m in sorted(_imported_modules(p)) if m.split(".")[0] == "streamlit"]
    assert offenders == []


def test_analytics_never_imports_the_streamlit_app():
    app = {"ui", "glue", "signin", "dashboard", "pages"}
    offenders = [f"{_module_name(p)} imports {m}" for p in _modules(ANALYTICS)
                 for m in sorted(_imported_modules(p)) if m.split(".")[0] in app]
    assert offenders == []


# What each package may import, where the rule is simple to state.
ALLOWED = {
    # Words, formats, the clock: the bottom layer.
    "analytics.locale": set(),
    # Where data are kept; it knows nothing of what is done with them.
    "analytics.store": {"analytics.locale", "analytics.sqlfiles"},
}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_lower_packages_import_only_what_is_below_them(package):
    graph = _graph()
    extra = {t: w for t, w in graph.get(package, {}).items() if t not in ALLOWED[package]}
    assert extra == {}, f"{package} may import only {sorted(ALLOWED[package]) or 'nothing'}"


def test_nothing_imports_the_command_line():
    graph = _graph()
    importers = {s: w["analytics.cli"] for s, w in graph.items() if "analytics.cli" in w and s != "analytics.__main__"}
    assert importers == {}


def test_the_command_modules_do_not_import_main():
    # main imports them; an import back would be a cycle inside the package.
    offenders = [_module_name(p) for p in _modules(ANALYTICS / "cli")
                 if p.name != "main.py" and "analytics.cli.main" in _imported_modules(p)]
    assert offenders == []
