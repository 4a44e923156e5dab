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
