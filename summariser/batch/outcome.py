"""What happened to one input of a batch: its status, a one-line reason, its summary."""

from __future__ import annotations

from dataclasses import dataclass

from summariser.schema import ReportSummary


@dataclass
class Outcome:
    """What happened to one input."""

    file: str
    status: str  # ok | fallback | skipped | failed | pending (interrupted before it was done)
    reason: str = ""
    summary: ReportSummary | None = None
    seconds: float = 0.0
    row: dict[str, object] | None = None
    """Its index.csv row and its cells of the final table, made when it finished: a batch
    that does not keep the summaries still writes both."""
    cells: tuple[str, ...] | None = None
    page: bool = False
    """Whether it has a review page (a summary was written or kept)."""
