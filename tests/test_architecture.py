"""The package's rooms: one folder per stage, no import cycle, nothing imported from a later stage.

The stages are data here (STAGES) and the folder table of ARCHITECTURE.md; a test keeps the two
the same. A stage is a folder of ``summariser/`` (``lexicon/``, ``reading/`` …) or, for the
foundation and the commands, a few modules directly in ``summariser/``. A module may import
modules of its own stage and of the stages before it, never one after. Every ``summariser.*``
import counts, at the top of a file or inside a function: an import deferred into a function to
dodge a cycle is still a cycle.
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

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("errors", "config", "schema")),
    ("lexicon", ("lexicon/",)),
    ("reading", ("reading/",)),
    ("layout", ("layout/",)),
    ("structure", ("structure/",)),
    ("figures", ("figures/",)),
    ("grounding", ("grounding/",)),
    ("model", ("model/",)),
    ("pipeline", ("pipeline/",)),
    ("output", ("output/",)),
    ("batch", ("batch/",)),
    ("memo", ("memo/",)),
    ("evaluation", ("evaluation/",)),
    ("commands", ("verify", "cli", "__main__")),
)
"""In order: a module may import its own stage and the stages before it, never one after.
``name/`` is a folder (every module in it); a bare name is a module directly in the package."""

TOP_LEVEL_LIMIT = 12
"""At most this many modules stand directly in ``summariser/`` (``__init__`` included)."""

KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()
"""Cycles that exist today and are being removed. An entry that no longer matches a cycle
fails, so it is deleted with its fix."""

Graph = Mapping[str, frozenset[str]]


# --- the checker -----------------------------------------------------------------------------


def modules_of(folder: Path) -> dict[str, Path]:
    """Every module under ``folder`` by its dotted name below the package (``lexicon.numerals``;
    a folder's ``__init__`` is the folder's name, ``lexicon``)."""
    out: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            out[".".join(parts)] = path
    return out


def imported_modules(
    source: str, known: frozenset[str], here: str = "", package: str = "summariser"
) -> frozenset[str]:
    """The modules of ``known`` (dotted, below the package) that ``source`` imports.

    ``here`` is the importing module's dotted name, for relative imports. ``from P import n``
    names the module ``P.n`` when there is one, else ``P`` itself.
    """

    def resolve(dotted: str, names: list[str]) -> set[str]:
        found = set()
        for name in names:
            if (candidate := f"{dotted}.{name}".strip(".")) in known:
                found.add(candidate)
            elif dotted in known:
                found.add(dotted)
        return found

    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head, _, rest = alias.name.partition(".")
                while head == package and rest and rest not in known and "." in rest:
                    rest = rest.rpartition(".")[0]
                if head == package and rest in known:
                    found.add(rest)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [a.name for a in node.names]
            if node.level:  # relative to the importing module's package
                base = here.split(".")[: -node.level] if here else []
                found |= resolve(".".join([*base, *([module] if module else [])]), names)
            elif module == package:
                found |= resolve("", names)
            elif module.startswith(package + "."):
                found |= resolve(module.removeprefix(package + "."), names)
    return frozenset(found)


def package_graph(folder: Path) -> dict[str, frozenset[str]]:
    """Module -> the package's modules it imports, for every module under ``folder``."""
    modules = modules_of(folder)
    known = frozenset(modules)
    return {
        name: imported_modules(path.read_text(encoding="utf-8"), known, name) - {name}
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


def stage_of(module: str, stages: tuple[tuple[str, tuple[str, ...]], ...]) -> int | None:
    """The index of the stage that holds ``module`` (a folder holds all beneath it), or None."""
    for i, (_, members) in enumerate(stages):
        for member in members:
            if member.endswith("/"):
                folder = member.rstrip("/")
                if module == folder or module.startswith(folder + "."):
                    return i
            elif module == member:
                return i
    return None


def layer_problems(graph: Graph, stages: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """One line per module no stage holds, and per import of a stage after the importer's."""
    problems = [
        f"unknown module {m!r}: place it in a stage of ARCHITECTURE.md and of STAGES in "
        "tests/test_architecture.py"
        for m in sorted(graph)
        if stage_of(m, stages) is None
    ]
    for module, imports in sorted(graph.items()):
        rank = stage_of(module, stages)
        for target in sorted(imports):
            target_rank = stage_of(target, stages)
            if rank is not None and target_rank is not None and target_rank > rank:
                problems.append(
                    f"{module} ({stages[rank][0]}) imports {target} "
                    f"({stages[target_rank][0]}), a stage after its own"
                )
    return problems


def documented_stages(markdown: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The stage table of ARCHITECTURE.md: rows ``| n | stage | `folder/`, `module.py` | ... |``."""
    rows = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            members = re.findall(r"`([a-z_]+/|[a-z_]+)(?:\.py)?`", cells[2])
            rows.append((cells[1], tuple(members)))
    return tuple(rows)


# --- the package -----------------------------------------------------------------------------


def test_the_package_has_no_import_cycle_but_the_known_ones() -> None:
    found = set(cycles(package_graph(PACKAGE)))
    new = [sorted(c) for c in found - KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES - found]
    assert not gone, f"no longer cycles, delete them from KNOWN_CYCLES: {gone}"


def test_no_module_imports_a_stage_after_its_own_and_every_module_has_a_stage() -> None:
    problems = layer_problems(package_graph(PACKAGE), STAGES)
    assert not problems, "\n".join(problems)


def test_every_staged_folder_and_module_exists() -> None:
    for _, members in STAGES:
        for member in members:
            path = PACKAGE / member if member.endswith("/") else PACKAGE / f"{member}.py"
            assert path.exists(), f"STAGES names {member}, which the package does not have"


def test_few_modules_stand_directly_in_the_package_and_every_folder_is_a_stage() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    staged = {m.rstrip("/") for _, members in STAGES for m in members if m.endswith("/")}
    assert folders == staged


def test_no_file_name_prefix_stands_in_for_a_folder() -> None:
    """Three or more modules of one folder sharing a ``prefix_`` are a folder waiting to be made."""
    for folder in [PACKAGE, *(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())]:
        prefixes = [p.stem.split("_")[0] for p in folder.glob("*_*.py")]
        crowded = {p for p in prefixes if prefixes.count(p) >= 3}
        assert not crowded, f"{folder.name}: {sorted(crowded)}"


@pytest.mark.parametrize(
    "folder",
    sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()),
    ids=lambda p: p.name,
)
def test_every_stage_folder_says_its_job_and_what_it_may_import(folder: Path) -> None:
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{folder.name}/__init__.py has no docstring"
    assert "May import" in doc, f"{folder.name}/__init__.py does not say what it may import"
    rank = stage_of(folder.name, STAGES)
    assert rank is not None
    said = doc[doc.index("May import") :]
    later = [name for name, _ in STAGES[rank + 1 :] if name != "commands"]
    assert not [name for name in later if re.search(rf"\b{name}\b", said)], said


def test_architecture_md_shows_the_same_stages() -> None:
    assert documented_stages(ARCHITECTURE.read_text(encoding="utf-8")) == STAGES


def test_no_module_is_longer_than_500_lines() -> None:
    long = {
        name: n
        for name, path in modules_of(PACKAGE).items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, long


# --- the checker on small graphs it must judge right -----------------------------------------


def test_imports_are_found_at_the_top_inside_functions_and_relative() -> None:
    known = frozenset(
        {"reading", "reading.documents", "schema", "errors", "figures.numbers", "grounding"}
        | {"grounding.quotes", "model.door", "pipeline.report"}
    )
    source = (
        "import os\n"
        "import summariser.reading.documents\n"
        "from summariser import schema, errors\n"
        "from summariser.figures.numbers import find\n"
        "from .quotes import locate\n"
        "from ..model import door\n"
        "from other.summariser import x\n"
        "def f():\n"
        "    from summariser.pipeline.report import summarise\n"
    )
    assert imported_modules(source, known, here="grounding.checker") == {
        "reading.documents",
        "schema",
        "errors",
        "figures.numbers",
        "grounding.quotes",
        "model.door",
        "pipeline.report",
    }


def test_a_name_imported_from_a_folder_is_its_module_or_the_folder_itself() -> None:
    known = frozenset({"memo", "memo.checks"})
    assert imported_modules("from summariser.memo import checks", known) == {"memo.checks"}
    assert imported_modules("from summariser.memo import THING", known) == {"memo"}


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


def test_an_import_of_a_later_stage_and_an_unknown_module_are_reported() -> None:
    stages = (("low", ("reading/",)), ("high", ("pipeline/", "cli")))
    graph = {
        "reading.documents": frozenset({"pipeline.report"}),
        "pipeline.report": frozenset({"reading.documents"}),
        "cli": frozenset({"pipeline.report"}),
        "output.review": frozenset({"pipeline.report"}),
    }
    problems = layer_problems(graph, stages)
    assert problems == [
        "unknown module 'output.review': place it in a stage of ARCHITECTURE.md and of STAGES "
        "in tests/test_architecture.py",
        "reading.documents (low) imports pipeline.report (high), a stage after its own",
    ]
    assert layer_problems({"pipeline.report": frozenset({"reading.documents"})}, stages) == []


def test_the_real_package_graph_is_read_from_files(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text("from summariser.inner.b import x\nimport json\n")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "__init__.py").write_text("")
    (tmp_path / "inner" / "b.py").write_text("def f():\n    from summariser import a\n")
    graph = package_graph(tmp_path)
    assert graph == {"a": frozenset({"inner.b"}), "inner": frozenset(), "inner.b": frozenset({"a"})}
    assert cycles(graph) == [frozenset({"a", "inner.b"})]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "| 3 | structure | `structure/`, `metadata.py` | headings |",
            ("structure", ("structure/", "metadata")),
        ),
        ("| stage | name | folders |", None),
    ],
)
def test_the_markdown_table_is_read_row_by_row(
    row: str, expected: tuple[str, tuple[str, ...]] | None
) -> None:
    assert documented_stages(row) == ((expected,) if expected else ())
