"""Every third-party package the code imports is installed by the project's own files.

A package installed on a machine by hand once hid a missing install step (`hypothesis`): CI passed,
a fresh machine failed at collection. These tests read the imports with `ast`, map import names to
distributions with `importlib.metadata.packages_distributions()` and look for each distribution in
the requirement files (following `-r` includes), so the gap shows on any machine.
"""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("corpus", "index", "search", "ui", "bench", "tests")
LOCAL = set(PACKAGES)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def required(path: Path, seen=None) -> set[str]:
    """Distribution names a requirements file installs, with the files it includes by `-r`."""
    seen = set() if seen is None else seen
    if path in seen:
        return set()
    seen.add(path)
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            names |= required(path.parent / line.split(None, 1)[1], seen)
        elif m := re.match(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)", line):
            names.add(_norm(m[1]))
    return names


def imports(path: Path) -> set[str]:
    """Top-level names of absolute imports anywhere in a module (lazy ones inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def third_party(files) -> dict[str, Path]:
    out = {}
    for f in files:
        for name in imports(f):
            if name not in sys.stdlib_module_names and name not in LOCAL and name != "__future__":
                out.setdefault(name, f)
    return out


def unnamed(files, requirement_files, root: Path = ROOT) -> list[str]:
    """One line per imported package that no requirements file names."""
    wanted = set().union(*(required(r) for r in requirement_files))
    dists = packages_distributions()
    problems = []
    for name, where in sorted(third_party(files).items()):
        candidates = {_norm(d) for d in dists.get(name, [])}
        if not candidates:
            problems.append(f"{name} (imported in {where.relative_to(root)}) is not installed and no "
                            f"requirements file names it")
        elif not candidates & wanted:
            problems.append(f"{name} (imported in {where.relative_to(root)}; distribution "
                            f"{sorted(candidates)[0]}) is in no requirements file")
    return problems


def project_files() -> list[Path]:
    return sorted(f for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py") if "__pycache__" not in f.parts)


def test_every_imported_package_is_named_in_a_requirements_file():
    problems = unnamed(project_files(), sorted(ROOT.glob("requirements*.txt")))
    assert not problems, "add these to a requirements file:\n" + "\n".join(problems)


def test_the_test_requirements_include_the_product_requirements():
    assert required(ROOT / "requirements.txt") <= required(ROOT / "requirements-dev.txt")
    assert {"hypothesis", "playwright", "pytest"} <= required(ROOT / "requirements-dev.txt")


def test_the_check_catches_a_package_no_file_names(tmp_path):
    """The check itself: an import of an installed package that the given files omit is reported."""
    module = tmp_path / "uses_numpy.py"
    module.write_text("def f():\n    import numpy\n    from yaml import safe_load\n    import json\n")
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("# nothing but a comment\nPyYAML==6.0  # named\n")
    problems = unnamed([module], [reqs], root=tmp_path)
    assert len(problems) == 1 and problems[0].startswith("numpy (imported in uses_numpy.py")


@pytest.mark.parametrize("line, name", [("torch==2.13.0", "torch"), ("lxml_html_clean>=0.4 # x", "lxml-html-clean"),
                                        ("  PyStemmer", "pystemmer")])
def test_requirement_lines_are_read_as_distribution_names(tmp_path, line, name):
    (tmp_path / "r.txt").write_text(line + "\n")
    assert required(tmp_path / "r.txt") == {name}


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Run the tests"):]
    command = next(line.strip() for line in section.splitlines() if line.startswith("    "))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in [line.strip() for line in ci.splitlines()], command
    assert "python3 -m venv" in ci  # a fresh environment, not the machine's own packages
