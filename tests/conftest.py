"""Shared fixtures: the five sample reports summarised by replaying the recorded local model."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.replay import summarise_cases
from summariser.schema import ReportSummary

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
