"""The evaluation's inputs on disk: splits, golden cases, and the JSON files beside them.

A split is a folder of golden cases with a ``split.toml`` naming its reports and cassettes
(``eval/golden/`` is the tune split, ``eval/heldout/`` the held-out one). Cases are data
(``<split>/<stem>.json``, each naming its report in the split's report folder); limits are data too (``eval/floors.json``, written by hand, and ``eval/baseline.json``, written
only by ``summariser eval --update-baseline``); ``compare`` reads earlier runs' report.json.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from summariser.errors import InputError, SummariserError
from summariser.schema import ReportSummary

Result = ReportSummary | SummariserError
"""What an engine gives back for one case: its summary, or the error that stopped it."""


@dataclass(frozen=True)
class GoldenIndicator:
    """One hand-read value of a standard indicator (``<split>/indicators.yaml``), located."""

    name: str
    text: str
    span: tuple[int, int]
    value: float


@dataclass(frozen=True)
class Case:
    """One golden summary and the report it was made from, with its golden indicators."""

    stem: str
    golden: ReportSummary
    report: Path
    indicators: tuple[GoldenIndicator, ...] | None = None
    """None when the split has no indicators.yaml (not scored), else the report's values."""


SPLITS = {"tune": Path("eval/golden"), "heldout": Path("eval/heldout")}
"""The evaluation's splits by name, each a folder with a ``split.toml``: tune (the samples
the prompts were developed on) and heldout (never tuned on, only measured)."""


@dataclass(frozen=True)
class Split:
    """A folder of golden cases: its name, where its reports are and where its cassettes are.

    Paths in ``split.toml`` are relative to the repository root, like every default path of
    the CLI (commands run from the root).
    """

    name: str
    cases_dir: Path
    reports_dir: Path
    cassette_dir: Path


def load_split(cases_dir: Path) -> Split:
    """The split in ``cases_dir``, from its ``split.toml``.

    Raises:
        InputError: the folder has no split.toml, or it lacks ``name``, ``reports`` or
            ``cassettes``.
    """
    path = cases_dir / "split.toml"
    if not path.is_file():
        raise InputError(f"{cases_dir} is not an evaluation split (no split.toml)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Split(str(data["name"]), cases_dir, Path(data["reports"]), Path(data["cassettes"]))
    except (tomllib.TOMLDecodeError, KeyError) as err:
        raise InputError(f"{path}: needs name, reports and cassettes ({err})") from err


def splits_named(name: str) -> list[Split]:
    """The splits ``tune``, ``heldout``, or ``all`` of them (in that order).

    Raises:
        InputError: an unknown name, or a split folder without its split.toml.
    """
    if name == "all":
        return [load_split(d) for d in SPLITS.values()]
    if name not in SPLITS:
        raise InputError(f"unknown split {name!r}: use {', '.join([*SPLITS, 'all'])}")
    return [load_split(SPLITS[name])]


def section(data: dict[str, Any], split: str | None) -> dict[str, Any]:
    """The part of floors.json or baseline.json that holds ``split``.

    Both files keep one section per split under ``"splits"``; a file without that key (or a
    run with no split) is one section for the whole file.
    """
    if split is None or "splits" not in data:
        return data
    found = data["splits"].get(split, {})
    return found if isinstance(found, dict) else {}


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
    table = cases_dir / INDICATORS_FILE
    if not table.is_file():
        return cases
    return [replace(c, indicators=golden_indicators(table, c)) for c in cases]


INDICATORS_FILE = "indicators.yaml"
"""A split's golden standard indicators, per report, hand-read (eval/README.md)."""


def golden_indicators(table: Path, case: Case) -> tuple[GoldenIndicator, ...]:
    """The case's entries of ``indicators.yaml``, each located by its ``at`` anchor.

    Raises:
        InputError: the file does not parse, or an anchor is not in the report exactly once or
            does not hold the figure's text.
    """
    try:
        data = yaml.safe_load(table.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise InputError(f"{table}: not YAML ({str(err).splitlines()[0]})") from err
    text = case.report.read_text(encoding="utf-8")
    out = []
    for entry in data.get(case.stem, []) or []:
        at, figure = str(entry["at"]), str(entry["text"])
        if text.count(at) != 1 or figure not in at:
            raise InputError(f"{table}: {case.stem}: “{at}” must occur once and hold “{figure}”")
        start = text.index(at) + at.index(figure)
        out.append(
            GoldenIndicator(
                str(entry["name"]), figure, (start, start + len(figure)), float(entry["value"])
            )
        )
    return tuple(out)


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
