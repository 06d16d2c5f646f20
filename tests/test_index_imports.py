"""Imports inside index/ run one way: two modules that import each other (even late, inside a function)
are one idea split badly (the guide's rule)."""
import ast

from tests.conftest import REPO_ROOT


def _imports(path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_no_two_index_modules_import_each_other():
    imports = {f"index.{p.stem}": _imports(p) for p in (REPO_ROOT / "index").glob("*.py")}
    both = sorted((a, b) for a in imports for b in imports if a < b and b in imports[a] and a in imports[b])
    assert both == []
    assert "index.milvus_store" in imports["index.stores"] and "index.store" in imports["index.stores"]
