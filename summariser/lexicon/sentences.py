"""Splitting text into sentences: the one splitter that checking, quotes and the memo share."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["CLAUSE_MARKS", "CLAUSE_STOPS", "clip_at_clause", "sentence_pattern", "sentence_spans"]

CLAUSE_STOPS = "。！？!?；;"
CLAUSE_MARKS = re.compile(r"[，,。；;：:！？!?\n]")
"""Any mark that ends a clause (a comma, colon or line break too): where a figure's context or
a summary's first clause ends."""
"""What ends a sentence or a clause of equal weight (；): the default stops."""


@lru_cache(maxsize=16)
def sentence_pattern(stops: str = CLAUSE_STOPS) -> re.Pattern[str]:
    """A sentence: one or more characters that are not stops, then the stop that ends it (if
    any). A stop right after another ends nothing, so it belongs to no sentence."""
    s = re.escape(stops)
    return re.compile(f"[^{s}]+[{s}]?")


def sentence_spans(
    text: str,
    stops: str = CLAUSE_STOPS + "\n",
    start: int = 0,
    end: int | None = None,
    *,
    trim: bool = False,
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, its stop included; with ``trim``,
    without the whitespace around it (a sentence of whitespace alone is dropped)."""
    end = len(text) if end is None else end
    spans = [m.span() for m in sentence_pattern(stops).finditer(text, start, end)]
    if not trim:
        return spans
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def clip_at_clause(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a sentence or clause end when there is one in
    the last two thirds (else cut at ``limit``)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for marks in ("。；;！？", "，,、"):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit // 3:
            return head[: cut + 1]
    return head
