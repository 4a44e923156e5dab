"""Running the engines on the evaluation's cases: the rules, the model replayed, the model live."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from summariser.errors import InputError, SummariserError
from summariser.evaluation.data import Case, Result
from summariser.schema import ReportSummary

ENGINES = ("llm", "rules")


def stderr(message: str) -> None:
    """Progress goes to stderr, so stdout keeps the table."""
    print(message, file=sys.stderr, flush=True)


def _each(cases: list[Case], summarise_one: Callable[[Case], ReportSummary]) -> dict[str, Result]:
    """``summarise_one`` on every case; a case it fails on keeps the error that stopped it."""
    results: dict[str, Result] = {}
    for case in cases:
        try:
            results[case.stem] = summarise_one(case)
        except SummariserError as err:
            results[case.stem] = err
    return results


def run_rules(cases: list[Case], log: Callable[[str], None] = stderr) -> dict[str, Result]:
    """The rules engine on every case: no model at all."""
    from summariser.pipeline.drafting import RulesDrafter
    from summariser.pipeline.report import summarise
    from summariser.reading.documents import read_document

    return _each(cases, lambda case: summarise(read_document(case.report), RulesDrafter()))


def run_replay(
    cases: list[Case], cassette_dir: Path, log: Callable[[str], None] = stderr
) -> dict[str, Result]:
    """The model engine replayed from ``cassette_dir/<stem>.yaml``; no network, no model."""
    from summariser.pipeline.replay import summarise_cases

    results: dict[str, Result] = {}
    present = []
    for case in cases:
        if (cassette_dir / f"{case.report.stem}.yaml").is_file():
            present.append(case)
        else:
            results[case.stem] = SummariserError(
                f"{case.report.name}: no cassette {cassette_dir / (case.report.stem + '.yaml')}",
                hint="record it with `summariser record`, or run `summariser eval --live`",
            )
    if present:
        replayed = summarise_cases([c.report for c in present], cassette_dir)
        for case in present:
            results[case.stem] = replayed[case.report.stem]
    return results


def run_live(cases: list[Case], log: Callable[[str], None] = stderr) -> dict[str, Result]:
    """The model engine against the configured endpoint (the local model when none is set)."""
    import contextlib

    from summariser.config import resolve_endpoint
    from summariser.model.door import ModelDoor
    from summariser.model.prompts import load
    from summariser.pipeline.drafting import ModelDrafter
    from summariser.pipeline.report import summarise
    from summariser.reading.documents import read_document

    endpoint = resolve_endpoint()
    template = load("items")
    with contextlib.ExitStack() as stack:
        url = endpoint.base_url
        if endpoint.is_local:
            from summariser.model.local import serve

            log("starting the local model server...")
            url = stack.enter_context(serve()).base_url
        door = ModelDoor(url, endpoint.model, endpoint.api_key, mode=endpoint.mode)
        drafter = ModelDrafter(door, template)
        return _each(
            cases,
            lambda case: summarise(
                read_document(case.report),
                drafter,
                template=template,
                model=endpoint.model,
                progress=log,
            ),
        )


def run_engine(
    engine: str,
    cases: list[Case],
    *,
    live: bool,
    cassette_dir: Path,
    log: Callable[[str], None] = stderr,
) -> dict[str, Result]:
    """Outputs of one engine on every case, stem -> summary or the error that stopped it."""
    if engine == "rules":
        return run_rules(cases, log)
    if engine == "llm":
        return run_live(cases, log) if live else run_replay(cases, cassette_dir, log)
    raise InputError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")


# --- the evaluation --------------------------------------------------------------------------
