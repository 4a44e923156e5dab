"""A source parsed once for checking: its figures, the words around each, sentences, lookups.

A figure's context is the words around it: up to 10 characters before it and 8 after, cut at
punctuation and at the neighbouring figures, with filler characters (共, 达, 累计 …) dropped,
kept as character bigrams that weigh more the nearer they stand. Two contexts are compared by
the share of the *summary's* bigram weight found around the source figure (`similarity`), so a
verbatim copy scores 1, whatever else the source says nearby.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence

from summariser.figures.numbers import Quantity, scan
from summariser.grounding.arithmetic import FILLER, value_key
from summariser.lexicon.sentences import sentence_spans

_LEFT, _RIGHT = 10, 8
_BOUNDARY = set("，。；：、！？,;:!?\n\r（）()【】[]|")
_FILLER = set(FILLER)

Context = dict[str, float]  # bigram -> weight, nearest weighs most


_FILLER_TABLE = str.maketrans(dict.fromkeys("".join(_FILLER)))


def _clean(s: str) -> str:
    return s.translate(_FILLER_TABLE)


_DECAY = [1 / (1 + 0.1 * d) for d in range(4096)]


def _grams(s: str, *, reverse: bool, scale: float) -> Context:
    """Bigrams of an already cleaned string, weighted by distance from the figure."""
    if len(s) == 1:
        return {s: scale}
    grams = [s[i : i + 2] for i in range(len(s) - 1)]
    if reverse:
        grams.reverse()
    out: Context = {}
    for d, g in enumerate(grams[: len(_DECAY)]):
        if g not in out:  # the nearest occurrence weighs most
            out[g] = scale * _DECAY[d]
    return out


def bigrams(s: str) -> set[str]:
    """The character bigrams of ``s`` with its filler characters dropped."""
    s = _clean(s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def contexts(text: str, qs: Sequence[Quantity]) -> list[tuple[str, str, Context]]:
    """(left words, right words, weighted bigrams) for each quantity of ``text``."""
    out = []
    for i, q in enumerate(qs):
        lo = max(q.start - _LEFT, qs[i - 1].end if i else 0)
        left = text[lo : q.start]
        for j in range(len(left) - 1, -1, -1):
            if left[j] in _BOUNDARY:
                left = left[j + 1 :]
                break
        hi = min(q.end + _RIGHT, qs[i + 1].start if i + 1 < len(qs) else len(text))
        right = text[q.end : max(hi, q.end)]
        for j, c in enumerate(right):
            if c in _BOUNDARY:
                right = right[:j]
                break
        left, right = _clean(left), _clean(right)
        grams = _grams(left, reverse=True, scale=1.0)
        for g, w in _grams(right, reverse=False, scale=0.8).items():
            if w > grams.get(g, 0.0):
                grams[g] = w
        out.append((left, right, grams))
    return out


def similarity(summary: Context, source: Context) -> float:
    """The share of the summary context's weight that the source context holds (0 to 1)."""
    total = sum(summary.values())
    if not total:
        return 0.0
    return sum(w for g, w in summary.items() if g in source) / total


DateParts = tuple[int | None, int | None, int | None]


def date_parts(q: Quantity) -> DateParts:
    """A date figure's year, month and day (None where it names none)."""
    v = int(q.value)
    y, m, d = v // 10000, v // 100 % 100, v % 100
    return (y or None, m or None, d or None)


class SourceFigures:
    """The source's figures and identifiers, their contexts, sentences and lookups, built once."""

    def __init__(self, source: str) -> None:
        """Parse ``source``: its quantities, their contexts, sentences and identifiers."""
        self.source = source
        self.quantities, self.identifiers = scan(source)
        self._ctx = contexts(source, self.quantities)
        self._by_value: dict[float, list[int]] = defaultdict(list)
        self._by_written: dict[float, list[int]] = defaultdict(list)
        self._by_gram: dict[str, list[int]] = defaultdict(list)
        self._dates: list[int] = []
        for i, q in enumerate(self.quantities):
            if q.kind == "date":
                self._dates.append(i)
                continue
            self._by_value[value_key(q.value)].append(i)
            if q.written is not None:
                self._by_written[value_key(q.written)].append(i)
            for g in self._ctx[i][2]:
                self._by_gram[g].append(i)
        self._sent = sentence_spans(source, "。；;！？!?\n")
        self._sent_of = [self._sentence_index(q.start) for q in self.quantities]
        newlines = [m.start() for m in re.finditer("\n", source)]
        self._para_of = [bisect_right(newlines, q.start) for q in self.quantities]
        self._sent_grams_cache: list[set[str]] | None = None
        self._warnings: list[dict[str, object]] | None = None
        self._at_span = {(q.start, q.end): q for q in self.quantities}
        self._index_at = {(q.start, q.end): i for i, q in enumerate(self.quantities)}
        self._clause_cache: dict[int, frozenset[str]] = {}  # the words of a figure's clause
        self._plain_bigram_cache: dict[int, set[str]] = {}
        self._beside: dict[str, list[tuple[int, float, str | None]]] = {}
        self._date_cache: tuple[list[tuple[int, DateParts]], set[int | None]] | None = None

    def _sent_grams(self) -> list[set[str]]:
        if self._sent_grams_cache is None:  # only derived figures need them
            self._sent_grams_cache = [bigrams(self.source[a:b]) for a, b in self._sent]
        return self._sent_grams_cache

    def _dated(self) -> tuple[list[tuple[int, DateParts]], set[int | None]]:
        """The source's dates, each split into its parts, and the years they name (parsed once)."""
        if self._date_cache is None:
            dated = [(i, date_parts(self.quantities[i])) for i in self._dates]
            self._date_cache = (dated, {sp[0] for _, sp in dated})
        return self._date_cache

    def _plain_bigrams(self, k: int) -> set[str]:
        """The character bigrams of source sentence ``k``, as written (built on first use)."""
        grams = self._plain_bigram_cache.get(k)
        if grams is None:
            a, b = self._sent[k]
            words = self.source[a:b]
            grams = self._plain_bigram_cache[k] = set(map(str.__add__, words, words[1:]))
        return grams

    def _in(self, i: int, scope: tuple[int, int] | None) -> bool:
        q = self.quantities[i]
        return scope is not None and scope[0] <= q.start and q.end <= scope[1]

    def _spans(self, idx: list[int], best: int) -> list[tuple[int, int]]:
        order = [best] + [i for i in idx if i != best]
        return [(self.quantities[i].start, self.quantities[i].end) for i in order[:5]]

    def _best(self, idx: list[int], grams: Context, scope: tuple[int, int] | None) -> int:
        return max(idx, key=lambda i: (similarity(grams, self._ctx[i][2]), self._in(i, scope), -i))

    def _sentence_index(self, pos: int) -> int:
        lo, hi = 0, len(self._sent) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            a, b = self._sent[mid]
            if pos < a:
                hi = mid - 1
            elif pos >= b:
                lo = mid + 1
            else:
                return mid
        return -1
