"""Splitting text into sentences: the one splitter that checking, quotes and the memo share."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "CLAUSE_MARKS",
    "CLAUSE_STOPS",
    "clause_cuts",
    "clip_at_clause",
    "clip_at_word",
    "sentence_pattern",
    "sentence_spans",
    "word_ends",
]

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


PAUSES = "，,：:"
"""Marks inside a sentence after which a clause is complete (the list mark 、 is not: cut
there, a list is left half read)."""
OPENERS = "“‘「『（(《【〔"
CLOSERS = "”’」』）)》】〕"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ANY_MARK = re.compile(r"[，,。；;：:！？!?、\n\s“”‘’「」『』（）()《》【】〔〕]")


def clause_cuts(text: str, marks: str = CLAUSE_STOPS + PAUSES) -> list[int]:
    """Offsets just after each of ``marks`` that stands outside quotes and brackets: the places
    a text can stop and leave no quotation or bracket open."""
    cuts: list[int] = []
    depth = 0
    for at, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char in marks and depth == 0:
            cuts.append(at + 1)
    return cuts


def clip_at_clause(text: str, limit: int) -> str:
    """At most ``limit`` characters when a clause ends within them, never a cut inside one.

    Cut after the last sentence end (。；！？) in the last two thirds, else after the last
    pause (，：) there, else after the last clause end of any kind within ``limit``, else
    after the last list item (、) within it; a text whose first clause is longer than
    ``limit`` and holds no list keeps that whole clause (a long clause reads
    better than a broken word). Marks inside quotes and brackets are no ends.
    """
    if len(text) <= limit:
        return text
    for marks in (CLAUSE_STOPS, PAUSES):
        fits = [c for c in clause_cuts(text, marks) if limit // 3 <= c <= limit]
        if fits:
            return text[: fits[-1]]
    every = clause_cuts(text)
    for marks in (CLAUSE_STOPS + PAUSES, "、"):
        fits = [c for c in clause_cuts(text, marks) if c <= limit]
        if fits:
            return text[: fits[-1]]
    return text[: every[0]] if every else text


def word_ends(text: str, source: str = "", *, starts: bool = True) -> set[int]:
    """Offsets of ``text`` that are word boundaries by what the text and its source show,
    without a segmenter: beside a punctuation mark (a clause or list mark, a quote, a bracket),
    and where the source has the same four characters (fewer at the text's start; at least
    two of them Chinese) end right before a mark: a source that ends a clause on 法治思想 shows that a phrase
    ends there. With ``starts``, also where the source has the next three or four characters
    start right after a mark (a word starts there, but what comes before may be a phrase's
    first half: 坚持把 | 法治政府建设)."""
    ends = {0, len(text)}
    for at, char in enumerate(text):
        if _ANY_MARK.match(char):
            ends.update((at, at + 1))
    if not source:
        return ends
    for at in range(2, len(text) - 1):
        if at in ends:
            continue
        before = text[max(0, at - 4) : at]
        # A probe of digits is no evidence: 2024年， ends a phrase, 2024年度 does not.
        if len(_HAN.findall(before)) < 2:
            continue
        for found in re.finditer(re.escape(before), source):
            if found.end() < len(source) and _ANY_MARK.match(source[found.end()]):
                ends.add(at)
                break
        after = text[at : at + 4]
        if at in ends or not starts or len(_HAN.findall(after)) < 3:
            continue
        for found in re.finditer(re.escape(after), source):
            if found.start() > 0 and _ANY_MARK.match(source[found.start() - 1]):
                ends.add(at)
                break
    return ends


def clip_at_word(text: str, limit: int, source: str = "", shortest: int = 4) -> str | None:
    """A start of ``text`` of ``shortest`` to ``limit`` characters that ends on a word boundary
    (``word_ends``) outside quotes and brackets, its trailing marks dropped; None when there is
    none, so the caller can say it another way.

    A text with a clause mark (，；：) keeps to its first clause when that has ``shortest``
    Chinese characters: a title does not run on into the half of the next; a first clause of
    a date alone is dropped. Within it, the longest start ending where
    a phrase ends is taken, else the longest ending where the next word starts.
    """
    text = text.strip()
    first = clause_cuts(text)
    # a clause of a date alone (2025年，…) names no topic: the title starts after it
    while first and len(_HAN.findall(text[: first[0]])) < 2 and first[0] < len(text):
        text = text[first[0] :].strip()
        first = clause_cuts(text)
    if first and len(_HAN.findall(text[: first[0]])) >= shortest:
        text = text[: first[0]].rstrip(CLAUSE_STOPS + PAUSES)
    if len(text) <= limit:
        return text if len(_HAN.findall(text)) >= min(2, shortest) else None
    depth_at = [0] * (len(text) + 1)
    depth = 0
    for at, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        depth_at[at + 1] = depth
    for starts in (False, True):
        for end in sorted(word_ends(text, source, starts=starts), reverse=True):
            if end > limit or depth_at[end]:
                continue
            head = text[:end].rstrip(CLAUSE_STOPS + PAUSES + "、 ")
            if len(_HAN.findall(head)) >= shortest:
                return head
    return None
