"""Follow reports through the code and count how often the work moves between modules and stages.

Every Python call made inside the package is recorded (``sys.setprofile``, all threads) while
the reports are summarised by ``summariser run --engine rules`` from the batch entry down, or,
with ``--structure``, while their structure is read (``structure.sections.analyse``). Printed:

- *modules*: how many modules the work entered;
- *stays*: maximal runs of consecutive calls and returns inside one module;
- *crossings*: calls whose callee lives in another module than its caller;
- the same two counts between *stages* (a folder of ``summariser/``, or a top-level module).

Not a timed benchmark: the counts depend only on the code and the reports.

    .venv/bin/python bench/trace_report.py examples/reports/hubin-2023.txt
    .venv/bin/python bench/trace_report.py --structure examples/reports/*.txt eval/heldout/reports/*.txt
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

PACKAGE = "summariser"


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


def _record(run: Callable[[], object]) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event in ("call", "return"):
            name = frame.f_globals.get("__name__", "")
            if name.startswith(PACKAGE + ".") and name != f"{PACKAGE}.cli":
                events.append((event, name))

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    return events


def _counts(events: list[tuple[str, str]], key: Callable[[str], str]) -> tuple[int, int, int]:
    """(distinct, stays, crossings) of ``events`` with modules named by ``key``."""
    stays: list[str] = []
    crossings = 0
    stack: list[str] = []
    for event, module in events:
        name = key(module)
        if not stays or stays[-1] != name:
            stays.append(name)
        if event == "call":
            crossings += bool(stack) and stack[-1] != name
            stack.append(name)
        elif stack:
            stack.pop()
    return len(set(stays)), len(stays), crossings


def trace(reports: list[Path], structure: bool) -> list[tuple[str, str]]:
    """The call events of summarising (or structuring) ``reports``, after a warm-up run that
    loads every module and cache once."""
    import typer.testing

    from summariser.cli import app
    from summariser.structure.sections import analyse

    texts = [p.read_text(encoding="utf-8") for p in reports]
    runner = typer.testing.CliRunner()

    def run_all() -> None:
        if structure:
            for text in texts:
                analyse(text)
            return
        with tempfile.TemporaryDirectory() as out:
            args = ["run", *map(str, reports), "--engine", "rules", "--out", out, "--quiet"]
            result = runner.invoke(app, args)
            if result.exit_code:
                raise SystemExit(f"run failed ({result.exit_code}): {result.output[-300:]}")

    run_all()
    return _record(run_all)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--structure", action="store_true", help="trace the structure only")
    args = parser.parse_args()
    events = trace(args.reports, args.structure)
    calls = sum(1 for e, _ in events if e == "call")
    modules, stays, crossings = _counts(events, lambda m: m)
    stages, stage_stays, stage_crossings = _counts(events, _stage)
    print(f"{len(args.reports)} report(s), {calls} calls")
    print(f"modules: {modules} entered, {stays} stays, {crossings} crossings")
    print(f"stages:  {stages} entered, {stage_stays} stays, {stage_crossings} crossings")
    by_module = Counter(m for e, m in events if e == "call")
    for module, n in by_module.most_common(12):
        print(f"  {n:7d} calls  {module}")


if __name__ == "__main__":
    main()
