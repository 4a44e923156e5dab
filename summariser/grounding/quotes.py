"""Locating evidence quotes in the source: sentences, exact and loose matches, best support."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.lexicon.sentences import CLAUSE_STOPS, sentence_spans

_LOOSE = re.compile(r"[\s，,、。；;：:“”\"'‘’（）()《》〈〉【】\[\]！!？?]")


@dataclass(frozen=True)
class Located:
    """A quote found in the source: its span, and whether the match was exact."""

    start: int
    end: int
    exact: bool


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text[start:end]``, trimmed of surrounding whitespace."""
    return sentence_spans(text, CLAUSE_STOPS + "\n", start, end, trim=True)


def _loose_index(text: str, start: int, end: int) -> tuple[str, list[int]]:
    chars, where = [], []
    for i in range(start, end):
        if not _LOOSE.match(text[i]):
            chars.append(text[i])
            where.append(i)
    return "".join(chars), where


def locate(quote: str, source: str, within: tuple[int, int] | None = None) -> Located | None:
    """Find ``quote`` in ``source``: exactly first, then ignoring spaces and punctuation.

    ``within`` prefers a span of the source (the item's passage); the whole source is searched
    when the quote is not there.
    """
    quote = quote.strip()
    if not quote:
        return None
    ranges = [within, (0, len(source))] if within else [(0, len(source))]
    for lo, hi in ranges:
        at = source.find(quote, lo, hi)
        if at >= 0:
            return Located(at, at + len(quote), True)
    needle, _ = _loose_index(quote, 0, len(quote))
    if not needle:
        return None
    for lo, hi in ranges:
        hay, where = _loose_index(source, lo, hi)
        at = hay.find(needle)
        if at >= 0:
            return Located(where[at], where[at + len(needle) - 1] + 1, False)
    return None


def _bigrams(text: str) -> set[str]:
    clean = _LOOSE.sub("", text)
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def best_quote(
    summary: str, source: str, span: tuple[int, int], max_chars: int = 120
) -> tuple[int, int]:
    """The sentence of ``source[span]`` that best supports ``summary`` (shared character pairs).

    Sentences that carry the summary's digits are preferred. Ties go to the earlier sentence.
    A long sentence is cut at a clause boundary so a quote stays quotable.
    """
    candidates = sentences(source, *span) or [span]
    wanted = _bigrams(summary)
    digits = set(re.findall(r"\d+(?:\.\d+)?", summary))

    def score(s: tuple[int, int]) -> tuple[float, int]:
        text = source[s[0] : s[1]]
        shared = len(wanted & _bigrams(text))
        carried = sum(1 for d in digits if d in text)
        return (shared + 5 * carried, -s[0])

    start, end = max(candidates, key=score)
    if end - start > max_chars:
        cut = max(
            (m.end() for m in re.finditer(r"[，,；;]", source[start : start + max_chars])),
            default=max_chars,
        )
        end = start + cut
    return start, end
