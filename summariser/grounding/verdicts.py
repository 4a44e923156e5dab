"""The verdicts of checking: one figure's (`NumberCheck`), a summary's (`Verification`), as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from summariser.figures.numbers import Quantity
from summariser.schema import OK_STATUSES, STATUSES

__all__ = ["ORIGINS", "NumberCheck", "Verification"]

ORIGINS: tuple[str, ...] = ("written", "copied")


@dataclass
class NumberCheck:
    """The verdict on one figure of a summary.

    Attributes:
        quantity: The figure, with its span in the checked text.
        status: One of `STATUSES`.
        source_spans: Where the source has it (best match first); empty when not found.
        formula: For ``derived``, how it was computed, e.g. ``2075-1996=79``.
        note: A short reason in the source's words, e.g. ``原文为“3万余份”``.
    """

    quantity: Quantity
    status: str
    source_spans: list[tuple[int, int]]
    formula: str | None = None
    note: str | None = None

    def to_json(self, path: str | None = None, origin: str | None = None) -> dict[str, object]:
        """The ``--json`` form: text, start, end, value, unit, qualifier, status, source_spans,
        and formula, note, path and origin when they are set."""
        q = self.quantity
        out: dict[str, object] = {
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "value": q.value,
            "unit": q.unit,
            "qualifier": q.qualifier,
            "status": self.status,
            "source_spans": [[s, e] for s, e in self.source_spans],
        }
        if self.formula is not None:
            out["formula"] = self.formula
        if self.note is not None:
            out["note"] = self.note
        if path is not None:
            out["path"] = path
        if origin is not None:
            out["origin"] = origin
        return out


@dataclass
class Verification:
    """All checks of a summary, and the source's own arithmetic problems.

    ``paths`` pairs each check with the JSON pointer of the string it came from (None for
    plain text); it is empty or as long as ``checks``.
    """

    checks: list[NumberCheck]
    source_warnings: list[dict[str, object]]
    paths: list[str | None] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    """Per check, ``written`` (words written for the summary, by a model or a person) or
    ``copied`` (quotes and figure contexts that code copied from the source: they pass by
    construction and say nothing about the writer); empty or as long as ``checks``."""
    wording: list[dict[str, object]] = field(default_factory=list)
    """Words that turn the source over without a figure (`summariser.grounding.wording`): each
    ``{"path", "text", "note"}``, the note in Chinese."""

    @property
    def counts(self) -> dict[str, int]:
        """How many figures have each status (every status listed, zeros included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for c in self.checks:
            counts[c.status] = counts.get(c.status, 0) + 1
        return counts

    @property
    def by_origin(self) -> dict[str, dict[str, int]]:
        """Counts a reader can trust, apart for written and copied figures: checked,
        verified, derived (推算, with a stated arithmetic) and flagged (every other status)."""
        origins = self.origins or ["written"] * len(self.checks)
        out = {o: dict.fromkeys(("checked", "verified", "derived", "flagged"), 0) for o in ORIGINS}
        for c, origin in zip(self.checks, origins, strict=True):
            row = out[origin]
            row["checked"] += 1
            row[c.status if c.status in OK_STATUSES else "flagged"] += 1
        return out

    @property
    def ok(self) -> bool:
        """True when every figure is verified or derived and no words turn the source over."""
        return all(c.status in OK_STATUSES for c in self.checks) and not self.wording

    def to_json(self) -> dict[str, object]:
        """Exactly ``{"numbers": [...], "counts": {...}, "by_origin": {...},
        "source_warnings": [...]}``: ``counts`` over every figure by status, ``by_origin`` the
        written and copied figures apart (see `by_origin`); each number says its origin.
        ``wording`` is added when the words turn the source over (`wording`)."""
        paths = self.paths or [None] * len(self.checks)
        origins: list[str | None] = list(self.origins) or [None] * len(self.checks)
        extra: dict[str, object] = {"wording": list(self.wording)} if self.wording else {}
        return {
            "numbers": [
                c.to_json(p, o) for c, p, o in zip(self.checks, paths, origins, strict=True)
            ],
            "counts": self.counts,
            "by_origin": self.by_origin,
            "source_warnings": list(self.source_warnings),
            **extra,
        }
