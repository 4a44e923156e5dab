"""The evaluation's inputs on disk: golden cases, and the JSON files beside them.

Cases are data (``eval/golden/<stem>.json``, each naming its report under examples/reports/);
limits are data too (``eval/floors.json``, written by hand, and ``eval/baseline.json``, written
only by ``summariser eval --update-baseline``); ``compare`` reads earlier runs' report.json.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.errors import InputError, SummariserError
from summariser.schema import ReportSummary

Result = ReportSummary | SummariserError
"""What an engine gives back for one case: its summary, or the error that stopped it."""


@dataclass(frozen=True)
class Case:
    """One golden summary and the report it was made from."""

    stem: str
    golden: ReportSummary
    report: Path


def load_cases(cases_dir: Path, reports_dir: Path) -> list[Case]:
    """Every ``cases_dir/*.json`` golden summary, with its report under ``reports_dir``.

    Raises:
        InputError: no cases, a golden file that does not parse, or a report that is missing
            or is not the text the golden summary was made from (its sha256 differs).
    """
    paths = sorted(cases_dir.glob("*.json"))
    if not paths:
        raise InputError(f"no golden cases in {cases_dir}")
    cases = []
    for path in paths:
        try:
            golden = ReportSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as err:
            first = str(err).splitlines()[0]
            raise InputError(
                f"{path}: not a summary ({first})", hint="run eval/check_golden.py"
            ) from err
        report = reports_dir / golden.source.name
        if not report.is_file():
            raise InputError(f"{path.name}: its report {report} is missing")
        if hashlib.sha256(report.read_bytes()).hexdigest() != golden.source.sha256:
            raise InputError(
                f"{path.name}: {report} is not the text the golden summary was made from",
                hint="rebuild the golden with eval/golden/_build.py",
            )
        cases.append(Case(path.stem, golden, report))
    return cases


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object file; ``{}`` when the file is absent (or holds something else)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise InputError(f"{path}: not JSON ({err})") from err
    return data if isinstance(data, dict) else {}


def load_report(path: Path) -> dict[str, Any]:
    """An earlier run's report.json, given it or its eval output folder."""
    file = path / "report.json" if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"{path}: no report.json", hint="run `summariser eval --out DIR` first")
    return read_json(file)
