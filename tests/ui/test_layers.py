"""Dependencies point one way: pages → ui → analytics, and inside ui each
module imports only those listed before it. Read from the source (ast), so a
new import that closes a cycle, or a new ui module nobody placed, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Lowest first: a module may import only modules before it.
LAYERS = ("data", "state", "gate", "frame", "table_wire", "widgets", "uploads")


def imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def ui_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {name.split(".")[1] for name in imported_modules(tree)
            if name.startswith("ui.") and name.split(".")[1] in LAYERS}


def function_imports(path: Path) -> list[tuple[int, str]]:
    """Imports inside a function, with the comment line just above each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    found.append((inner.lineno, lines[inner.lineno - 2].strip()))
    return found


def test_every_ui_module_has_its_place_in_the_layers():
    modules = {p.stem for p in (ROOT / "ui").glob("*.py")} - {"__init__"}
    assert modules == set(LAYERS)


def test_ui_modules_import_only_the_layers_below_them():
    for i, name in enumerate(LAYERS):
        above = ui_imports(ROOT / "ui" / f"{name}.py") - set(LAYERS[:i])
        assert not above, f"ui/{name}.py imports {sorted(above)}, which come after it"


def test_the_layer_check_sees_an_import_of_a_later_module(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from ui.widgets import table\nimport ui.frame\n")
    assert ui_imports(probe) == {"widgets", "frame"}


def test_analytics_never_imports_streamlit_or_ui():
    for path in sorted((ROOT / "analytics").rglob("*.py")):
        tops = {name.split(".")[0] for name in imported_modules(ast.parse(path.read_text(encoding="utf-8")))}
        assert not tops & {"streamlit", "ui"}, path.relative_to(ROOT)


def test_imports_inside_functions_say_why():
    """No import hidden in a function to dodge a cycle; a heavy optional module
    imported late says so on the line above ("# Imported here: ...")."""
    files = [*sorted((ROOT / "ui").glob("*.py")), ROOT / "dashboard.py"]
    for path in files:
        for lineno, above in function_imports(path):
            assert above.startswith("# Imported here"), f"{path.relative_to(ROOT)}:{lineno}"
