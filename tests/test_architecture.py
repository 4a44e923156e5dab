"""The package's import graph: no cycles, and no module importing a layer above its own.

The layers are data here (LAYERS) and a table in ARCHITECTURE.md; a test keeps the two the
same. A module may import modules of its own layer and of the layers before it. Every
``summariser.*`` import counts, at the top of a file or inside a function: an import deferred
into a function to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "summariser"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "errors",
            "config",
            "schema",
            "numerals",
            "units",
            "exclusions",
            "numbers",
            "sentences",
            "markers",
            "themes",
        ),
    ),
    ("reading", ("reading", "html_reading", "chrome", "wrapping")),
    (
        "structure",
        (
            "structure",
            "metadata",
            "dates",
            "issuers",
            "divisions",
            "layout",
            "headings",
            "parts",
            "truncation",
            "doctype",
        ),
    ),
    ("prompts", ("prompts",)),
    ("model door", ("llm", "local_model", "cpu")),
    (
        "checking",
        (
            "grounding",
            "verdicts",
            "source_figures",
            "judging",
            "arithmetic",
            "source_lint",
            "quotes",
            "key_figures",
        ),
    ),
    ("pipeline", ("pipeline", "replay", "labelling", "overview")),
    ("writing", ("output", "review")),
    ("batch", ("batch", "inputs", "progress")),
    (
        "memo",
        (
            "memo",
            "memo_checks",
            "memo_text",
            "memo_markdown",
            "docx_writer",
            "memo_command",
            "memo_model",
            "export",
        ),
    ),
    (
        "evaluation",
        (
            "scoring",
            "eval_data",
            "eval_engines",
            "eval_metrics",
            "eval_gates",
            "eval_report",
            "structure_eval",
        ),
    ),
    ("evaluation command", ("evaluate",)),
    ("commands", ("verify", "cli")),
)
"""In order: a module may import its own layer and the layers before it, never one after."""

KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()
"""Cycles that exist today and are being removed. An entry that no longer matches a cycle
fails, so it is deleted with its fix."""

Graph = Mapping[str, frozenset[str]]


# --- the checker -----------------------------------------------------------------------------


def imported_modules(source: str, package: str = "summariser") -> frozenset[str]:
    """The package's modules that ``source`` imports, by their first name under the package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head, _, rest = alias.name.partition(".")
                if head == package and rest:
                    found.add(rest.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: ``from . import x`` or ``from .x import y``
                found |= {module.split(".")[0]} if module else {a.name for a in node.names}
            elif module == package:
                found |= {a.name for a in node.names}
            elif module.startswith(package + "."):
                found.add(module.split(".")[1])
    return frozenset(found)


def package_graph(folder: Path) -> dict[str, frozenset[str]]:
    """Module -> the package's modules it imports, for every ``*.py`` directly in ``folder``."""
    modules = {p.stem: p for p in folder.glob("*.py") if p.stem != "__init__"}
    return {
        name: imported_modules(path.read_text(encoding="utf-8")) & modules.keys() - {name}
        for name, path in sorted(modules.items())
    }


def cycles(graph: Graph) -> list[frozenset[str]]:
    """Every set of modules that import each other in a ring (strongly connected, size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, frozenset())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            ring = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                ring.add(top)
                if top == node:
                    break
            if len(ring) > 1:
                found.append(frozenset(ring))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_problems(graph: Graph, layers: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """One line per module no layer holds, and per import of a layer after the importer's."""
    rank = {m: i for i, (_, modules) in enumerate(layers) for m in modules}
    name = {m: layer for layer, modules in layers for m in modules}
    problems = [
        f"unknown module {m!r}: place it in a layer of ARCHITECTURE.md and of LAYERS in "
        "tests/test_architecture.py"
        for m in sorted(graph)
        if m not in rank
    ]
    for module, imports in sorted(graph.items()):
        for target in sorted(imports):
            if module in rank and target in rank and rank[target] > rank[module]:
                problems.append(
                    f"{module} ({name[module]}) imports {target} ({name[target]}), "
                    "a layer after its own"
                )
    return problems


def documented_layers(markdown: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The layering table of ARCHITECTURE.md: rows ``| n | layer | `mod`, `mod` | ... |``."""
    rows = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            rows.append((cells[1], tuple(re.findall(r"`([a-z_]+)`", cells[2]))))
    return tuple(rows)


# --- the package -----------------------------------------------------------------------------


def test_the_package_has_no_import_cycle_but_the_known_ones() -> None:
    found = set(cycles(package_graph(PACKAGE)))
    new = [sorted(c) for c in found - KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES - found]
    assert not gone, f"no longer cycles, delete them from KNOWN_CYCLES: {gone}"


def test_no_module_imports_a_layer_after_its_own_and_every_module_has_a_layer() -> None:
    problems = layer_problems(package_graph(PACKAGE), LAYERS)
    assert not problems, "\n".join(problems)


def test_every_layered_module_exists() -> None:
    modules = set(package_graph(PACKAGE))
    listed = {m for _, layer in LAYERS for m in layer}
    assert listed - modules == set(), "LAYERS names modules the package does not have"


def test_architecture_md_shows_the_same_layers() -> None:
    assert documented_layers(ARCHITECTURE.read_text(encoding="utf-8")) == LAYERS


# --- the checker on small graphs it must judge right -----------------------------------------


def test_imports_are_found_at_the_top_inside_functions_and_relative() -> None:
    source = (
        "import os\n"
        "import summariser.reading\n"
        "from summariser import schema, errors\n"
        "from summariser.numbers import find\n"
        "from .quotes import locate\n"
        "from . import llm\n"
        "from other.summariser import x\n"
        "def f():\n"
        "    from summariser.pipeline import summarise\n"
    )
    assert imported_modules(source) == {
        "reading",
        "schema",
        "errors",
        "numbers",
        "quotes",
        "llm",
        "pipeline",
    }


def test_a_ring_of_three_is_a_cycle_and_a_chain_is_not() -> None:
    ring = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(ring) == [frozenset({"a", "b", "c"})]
    chain = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset()}
    assert cycles(chain) == []


def test_two_separate_cycles_are_both_reported() -> None:
    graph = {
        "a": frozenset({"b"}),
        "b": frozenset({"a", "c"}),
        "c": frozenset({"d"}),
        "d": frozenset({"c"}),
    }
    assert set(cycles(graph)) == {frozenset({"a", "b"}), frozenset({"c", "d"})}


def test_an_import_of_a_later_layer_and_an_unknown_module_are_reported() -> None:
    layers = (("low", ("reading",)), ("high", ("pipeline",)))
    graph = {
        "reading": frozenset({"pipeline"}),
        "pipeline": frozenset({"reading"}),
        "review": frozenset({"pipeline"}),
    }
    problems = layer_problems(graph, layers)
    assert problems == [
        "unknown module 'review': place it in a layer of ARCHITECTURE.md and of LAYERS in "
        "tests/test_architecture.py",
        "reading (low) imports pipeline (high), a layer after its own",
    ]
    assert layer_problems({"pipeline": frozenset({"reading"})}, layers) == []


def test_the_real_package_graph_is_read_from_files(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text("from summariser.b import x\nimport json\n")
    (tmp_path / "b.py").write_text("def f():\n    from summariser import a\n")
    graph = package_graph(tmp_path)
    assert graph == {"a": frozenset({"b"}), "b": frozenset({"a"})}
    assert cycles(graph) == [frozenset({"a", "b"})]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "| 3 | structure | `structure`, `metadata` | headings |",
            ("structure", ("structure", "metadata")),
        ),
        ("| layer | name | modules |", None),
    ],
)
def test_the_markdown_table_is_read_row_by_row(
    row: str, expected: tuple[str, tuple[str, ...]] | None
) -> None:
    assert documented_layers(row) == ((expected,) if expected else ())
