"""The layout is the pipeline: import directions, one home per third-party library, small modules.

These rules are what docs/architecture.md promises a newcomer; breaking one fails here, with the
module and line to look at.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "provenance"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60

# Third-party libraries and the only modules (or packages) allowed to import them.
HOMES = {
    "trafilatura": ("extract/html.py",),
    "warcio": ("inputs/warc.py",),
    "datasketch": ("copies/",),
    "sqlalchemy": ("store/",),
    "sqlmodel": ("store/",),
    "typer": ("cli.py", "commands/"),
    "pyspark": ("spark/",),
    "networkx": ("outputs/graph",),
    "rich": ("cli.py", "commands/", "outputs/"),
    "ahocorasick": ("citations/names.py", "copies/notices.py"),
}
# Pure stages: they never reach for the store, the scan, the CLI or the outputs.
PURE = ("records.py", "config.py", "presentation.py", "errors.py", "lineage.py", "analyse.py",
        "extract/", "citations/", "copies/", "inputs/")
FORBIDDEN_FOR_PURE = ("provenance.store", "provenance.scan", "provenance.cli",
                      "provenance.commands", "provenance.outputs", "provenance.check",
                      "provenance.spark")


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_module_is_small_and_says_its_job(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{_rel(path)} has {lines} lines"
    assert ast.get_docstring(_parse(path)), f"{_rel(path)} has no module docstring"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_functions_fit_a_screen(path):
    long = [f"{node.name} (line {node.lineno}, {node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(_parse(path))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{_rel(path)}: " + ", ".join(long)


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_third_party_libraries_have_one_home(path):
    rel = _rel(path)
    for name, line in _imports(_parse(path)):
        top = name.split(".")[0]
        if top in HOMES:
            assert rel.startswith(HOMES[top]), f"{rel}:{line} imports {top}"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_pure_stages_import_neither_store_nor_cli(path):
    rel = _rel(path)
    if not rel.startswith(PURE):
        return
    for name, line in _imports(_parse(path)):
        assert not name.startswith(FORBIDDEN_FOR_PURE), f"{rel}:{line} imports {name}"


@pytest.mark.parametrize("leaf", ["config.py", "config_copies.py", "config_citations.py",
                                  "presentation.py"])
def test_config_is_the_leaf(leaf):
    names = [n for n, _ in _imports(_parse(PACKAGE / leaf))]
    # config.py records the tunables of its config_* leaves (it has no room for them)
    allowed = ("provenance.config_",) if leaf == "config.py" else ()
    assert not [n for n in names if n.startswith("provenance") and not n.startswith(allowed)], \
        names


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_sql_stays_in_the_store(path):
    rel = _rel(path)
    if rel.startswith("store/"):
        return
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in ("query", "exec_driver_sql", "execute"), \
                f"{rel}:{node.lineno} runs SQL ({node.func.attr}) outside the store"
