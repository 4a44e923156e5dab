"""Which few of many the memo shows: examples and figures chosen in bounded memory.

A memo over thousands of reports shows a few examples per theme and a few figures. They are
kept while the reports are read, at most a fixed number at a time, and chosen by their own
merits and the reports' reading order, never by the order the files came in.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from summariser.memo.reading import Entry, NotableFigure

EXAMPLES = 3
"""Representative examples per theme: from different reports, of different levels first."""

CANDIDATES = EXAMPLES
"""Examples kept per theme and level while reading: enough to choose among, bounded."""


T = TypeVar("T")


class Smallest(Generic[T]):
    """The k values with the smallest keys seen so far, whatever the order they came in."""

    def __init__(self, k: int) -> None:
        self.k = k
        self._items: list[tuple[tuple[object, ...], T]] = []

    def add(self, key: tuple[object, ...], value: T) -> None:
        self._items.append((key, value))
        if len(self._items) > 2 * self.k:
            self._trim()

    def _trim(self) -> None:
        self._items.sort(key=lambda kv: kv[0])
        del self._items[self.k :]

    def values(self) -> list[T]:
        """The values kept, smallest key first."""
        return [v for _, v in self.items()]

    def items(self) -> list[tuple[tuple[object, ...], T]]:
        """(key, value) kept, smallest key first."""
        self._trim()
        return list(self._items)


def example_rank(entry: Entry) -> tuple[int, int]:
    """Examples a reader learns most from first: a checked figure, then a middling length."""
    has_figure = any(c.isdigit() for c in entry.text)
    return (0 if has_figure else 1, abs(len(entry.text) - 45) // 15)


def choose(candidates: list[Entry], levels: dict[str, str]) -> list[Entry]:
    """A few examples from different reports, no text said twice: first of other levels and
    other titles (other kinds of work), then of other levels, then any."""
    chosen: list[Entry] = []
    for spread_levels, spread_titles in ((True, True), (True, False), (False, False)):
        for e in candidates:
            if len(chosen) == EXAMPLES:
                return chosen
            if e in chosen or any(c.report == e.report or c.text == e.text for c in chosen):
                continue
            if spread_levels and levels.get(e.report) in {levels.get(c.report) for c in chosen}:
                continue
            if spread_titles and e.title in {c.title for c in chosen}:
                continue
            chosen.append(e)
    return chosen


def distinct_quotes(notable: list[NotableFigure]) -> tuple[NotableFigure, ...]:
    seen: set[str] = set()
    out = []
    for n in notable:
        if n.quote not in seen:
            seen.add(n.quote)
            out.append(n)
    return tuple(out)
