"""Whether a text a reader sees ends inside a word: judged with a Chinese segmenter (jieba)
over the source the text was taken from, never with a list of bad endings.

jieba is a test dependency only: the tool itself cannot rely on it at run time, so the tests
judge with it what the tool produced with its own clause marks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

BAD_ENDINGS = ("…", "，", ",", "、", "……")
"""Ends that are no end at all, whatever the words before them."""
_CLOSERS = "。！？!?；;：:”’」』）)》"
_MARKS = re.compile(r"[。！？!?；;，,、：:\n\s“”‘’「」『』（）()《》]")
PROBE = 8
"""The longest stretch of a text's end looked up in the source."""


PENALTY = 1.0
"""How much less likely (natural log) the segmenter finds the clause when a word boundary is
forced at the text's end than its best reading: above this, the end splits a word. A margin,
not any boundary jieba happens to prefer: its best reading joins words across a boundary now
and then (及时率达 read as 及时/率达), and that is no cut."""


@lru_cache(maxsize=8192)
def _best(text: str) -> float:
    """The log probability of jieba's best dictionary reading of ``text`` (no HMM guesses)."""
    if not text:
        return 0.0
    tokenizer = jieba.dt
    tokenizer.check_initialized()
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(text, tokenizer.get_DAG(text), route)
    return float(route[0][0])


def boundary_penalty(clause: str, at: int) -> float:
    """What forcing a word boundary at offset ``at`` of ``clause`` costs the best reading."""
    return _best(clause) - (_best(clause[:at]) + _best(clause[at:]))


def _sentence_around(source: str, start: int, end: int) -> tuple[str, int]:
    """The clause of ``source`` holding ``source[start:end]`` (clause marks are always word
    boundaries, so segmenting the clause alone loses nothing), and its offset."""
    left = start
    while left > 0 and not _MARKS.match(source[left - 1]):
        left -= 1
    right = end
    while right < len(source) and not _MARKS.match(source[right]):
        right += 1
    return source[left:right], left


def bare_end(text: str) -> str:
    """The text without the closing marks a finished sentence or quote may end on."""
    return text.rstrip().rstrip(_CLOSERS).rstrip()


def ends_inside_a_word(text: str, source: str) -> bool:
    """True when ``text`` (closing marks aside) ends where the source shows no word boundary.

    The longest end of the text (up to ``PROBE`` characters, at least two) found in the source
    is segmented there in its clause (see ``PENALTY``); the text is whole when any place it occurs ends on a
    boundary. An end the source does not hold (the model's own words) counts as whole: the
    segmenter over the text alone always ends on a boundary.
    """
    core = bare_end(text)
    if not core:
        return False
    for size in range(min(PROBE, len(core)), 1, -1):
        tail = core[-size:]
        if _MARKS.search(tail):
            tail = _MARKS.split(tail)[-1]
            if len(tail) < 2:
                return False  # the end is a clause mark's neighbour: a boundary
        found = [m.end() for m in re.finditer(re.escape(tail), source)]
        if not found:
            continue
        for end in found:
            clause, offset = _sentence_around(source, end - len(tail), end)
            if boundary_penalty(clause, end - offset) <= PENALTY:
                return False
        return True
    return False


def is_cut(text: str, source: str) -> bool:
    """A reader-facing text that stops short: on "…"/"，" or inside a word of the source."""
    stripped = text.rstrip()
    if not stripped:
        return False
    if stripped.rstrip("。").endswith(BAD_ENDINGS) or stripped.endswith("，。"):
        return True
    return ends_inside_a_word(stripped, source)


@dataclass(frozen=True)
class Cut:
    """One cut text: which engine and report, what kind of text, the text."""

    engine: str
    stem: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.engine} {self.stem} {self.kind}: {self.text}"


def overview_sentences(text: str) -> list[str]:
    """The overview's sentences, each with its stop."""
    return [s for s in re.findall(r"[^。！？]+[。！？]?", text) if s.strip()]


def reader_texts(summary: object) -> Iterator[tuple[str, str]]:
    """(kind, text) of every title, summary, overview sentence and key-figure label."""
    from summariser.schema import ReportSummary

    assert isinstance(summary, ReportSummary)
    for items in summary.parts.values():
        for item in items:
            yield "title", item.title
            yield "summary", item.summary
    if summary.overview is not None:
        for sentence in overview_sentences(summary.overview.text):
            yield "overview", sentence
    for key in summary.key_figures:
        yield "label", key.label
