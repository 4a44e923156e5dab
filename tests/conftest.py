"""Shared fixtures: the five sample reports summarised by replaying the recorded local model."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.pipeline.replay import summarise_cases
from summariser.schema import Figure, ReportSummary

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "examples" / "reports"
CASSETTES = ROOT / "cassettes"


@pytest.fixture(scope="session")
def replayed() -> dict[str, ReportSummary]:
    """stem -> the model's summary, replayed from cassettes/<stem>.yaml (record mode none)."""
    results = summarise_cases(sorted(REPORTS_DIR.glob("*.txt")), CASSETTES)
    errors = {stem: r.one_line() for stem, r in results.items() if isinstance(r, SummariserError)}
    assert not errors, errors
    return results


def figures_in(text: str, *, end: int | None = None, with_context: bool = False) -> list[Figure]:
    """Every quantity of ``text`` (ending by ``end``) as an item figure; its context is the
    figure's own text when asked for, else empty."""
    from summariser.figures.numbers import extract_quantities

    return [
        Figure(
            text=q.text,
            value=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            span=(q.start, q.end),
            context=text[q.start : q.end] if with_context else "",
        )  # fmt: skip
        for q in extract_quantities(text)
        if end is None or q.end <= end
    ]


def with_a_bent_figure(summary: ReportSummary, source: str) -> ReportSummary:
    """The summary with one model-written figure bent the way models bend them (300余人次 →
    300人次: the 余 dropped), its verification redone as the pipeline does it. The recorded
    answers may all check out; views and exports must still show what did not."""
    import re

    from summariser.grounding.checker import SourceIndex, verify_strings
    from summariser.schema import checkable_strings, item_scope, written_paths

    data = summary.model_dump()
    for items in data["parts"].values():
        for item in items:
            bent = re.sub(r"(\d+)余([^\d])", r"\1\2", item["summary"], count=1)
            if bent != item["summary"]:
                item["summary"] = bent
                break
        else:
            continue
        break
    else:
        raise AssertionError("no model-written figure with 余 to bend")
    pairs = list(checkable_strings(data))
    verification = verify_strings(
        pairs,
        SourceIndex(source),
        scopes=[item_scope(data, p, len(source)) for p, _ in pairs],
        written=written_paths(data),
    )
    data["verification"] = verification.to_json()
    return ReportSummary.model_validate(data)
