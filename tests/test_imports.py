"""How the packages import one another.

Imports run one way only: ui -> search -> index -> corpus (bench, the measuring code, may import any of
them; none of them imports bench). Within a package, two modules that import each other (even late,
inside a function) are one idea split badly (the guide's rule).
"""
import ast

import pytest

from tests.conftest import REPO_ROOT

LAYERS = ("corpus", "index", "search", "ui")  # each may import only those before it (and itself)


def _imports(path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:  # relative: corpus uses `from .records import`
            base = path.parent.name
            names |= {f"{base}.{node.module}"} if node.module else {f"{base}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def _modules(package: str) -> dict:
    return {f"{package}.{p.stem}": _imports(p) for p in (REPO_ROOT / package).glob("*.py")}


@pytest.mark.parametrize("package", LAYERS + ("bench",))
def test_no_two_modules_of_a_package_import_each_other(package):
    imports = _modules(package)
    both = sorted((a, b) for a in imports for b in imports if a < b and b in imports[a] and a in imports[b])
    assert both == []


@pytest.mark.parametrize("package", LAYERS)
def test_imports_run_one_way(package):
    allowed = set(LAYERS[:LAYERS.index(package) + 1])
    wrong = sorted((module, name) for module, names in _modules(package).items() for name in names
                   if name.split(".")[0] in set(LAYERS) | {"bench"} and name.split(".")[0] not in allowed)
    assert wrong == []


def test_the_store_choice_sits_above_both_stores():
    imports = _modules("index")
    assert "index.milvus_store" in imports["index.stores"] and "index.store" in imports["index.stores"]
