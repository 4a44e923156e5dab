"""Reading a report whose line breaks were lost: headings inline, a signature run into the text.

Text copied out of a web page or a PDF often arrives as one long line: ``…报告如下：一、主要举措
和成效（一）深化改革。…二、存在问题一是…``. The structure finder reads headings at the start of
a line, so this module cuts such lines into *logical lines* at the headings standing inline.
The source's own line breaks stay a hint: every physical line is kept, and a cut inside one is
made only at a heading marker that

- stands after a sentence end (``。：；！？``) or straight after a heading's words (a heading
  runs into its first sub-heading: ``二、存在问题一是…``, ``一、主要举措和成效（一）…``), after
  a short unpunctuated phrase that names a statutory part (an unnumbered part heading), or, for
  the report's first heading, straight after its title (``…情况报告一、``), and
- continues the numbering: ``二、`` after ``一、``, ``（一）`` first under a new ``一、``; a
  ``（一）`` inside a paragraph whose siblings are already counted is a list, not a heading.

Spans always index the text as read; nothing is rewritten.
"""

from __future__ import annotations

import re

from summariser.chrome import TAIL_CHROME
from summariser.dates import DATE_CN_RE, DATE_NUM_RE
from summariser.markers import MARKER, ordinal
from summariser.metadata import Line
from summariser.parts import classify

_LEVEL = {"p": 1, "l1": 1, "l2": 2, "l3": 3, "l3p": 3, "enum": 4}
_SENTENCE_END = "。：:；;！？!?"
_TITLE_END = re.compile(r"(?:报告|总结|情况)$")
"""The last word of a report's title, which the first heading follows when line breaks are lost."""
_HEADING_END = "。；;！？!?"
HEADING_RUN = 50
"""The longest heading words that run straight into a sub-heading when line breaks are lost."""
PART_PHRASE = 40
"""The longest unnumbered part heading (``推进法治政府建设的主要举措和成效``)."""

_SIGNERS = re.compile(
    r"(?:特此报告[。.]?)?(?:(?:中共)?[\u4e00-\u9fff（）()]{2,30}?"
    r"(?:人民政府|委员会|管委会|办事处|政府|局|厅|委|办|中心|院|镇|乡|街道))*"
)


class _Counter:
    """The last number seen at each heading level, deeper levels reset by a higher heading."""

    def __init__(self) -> None:
        self.last = {1: 0, 2: 0, 3: 0}

    @property
    def seen(self) -> bool:
        return any(self.last.values())

    def fits(self, level: int, n: int) -> bool:
        # One number may be skipped: reports lose a marker (（一）…（三）（五）, or an unmarked
        # first item followed by （二）) and the headings after it still count.
        return self.last[level] < n <= self.last[level] + 2

    def see(self, level: int, n: int) -> None:
        self.last[level] = n
        for deeper in range(level + 1, 4):
            self.last[deeper] = 0


def _kind(m: re.Match[str]) -> tuple[int, int]:
    group = next(g for g in _LEVEL if m.group(g))
    return _LEVEL[group], ordinal(m.group()) or 0


def logical_lines(text: str, lines: list[Line], year: int | None = None) -> list[Line]:
    """The lines of ``text`` with every physical line also cut at its inline headings."""
    counter = _Counter()
    out: list[Line] = []
    for line in lines:
        cuts: list[int] = []
        heading_at: int | None = None  # where the last heading of this line started
        first = MARKER.match(text, line.start)
        if first:
            level, n = _kind(first)
            if level < 4:
                counter.see(level, n)
                heading_at = line.start
        for m in MARKER.finditer(text, line.start + 1, line.end):
            level, n = _kind(m)
            p = m.start()
            before = text[line.start : p].rstrip()
            after_end = bool(before) and before[-1] in _SENTENCE_END
            run_start = heading_at if heading_at is not None else -1
            in_heading = (
                run_start >= 0
                and p - run_start <= HEADING_RUN
                and not any(c in _HEADING_END for c in text[run_start:p])
            )
            if level == 4:  # an enumeration is read inline already; cut only off a heading
                if in_heading and n == 1:
                    cuts.append(p)
                    heading_at = None
                continue
            phrase_at = _part_phrase(text, line.start, p, year)
            after_title = not counter.seen and n == 1 and _TITLE_END.search(before) is not None
            if not (after_end or in_heading or after_title or phrase_at is not None):
                continue
            if not counter.fits(level, n):
                continue
            if phrase_at is not None and not (after_end or in_heading):
                cuts.append(phrase_at)
            counter.see(level, n)
            cuts.append(p)
            heading_at = p
        bounds = [line.start, *sorted(set(cuts)), line.end]
        for start, end in zip(bounds, bounds[1:], strict=False):
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                s = start + len(piece) - len(piece.lstrip())
                out.append(Line(s, s + len(stripped), stripped))
    return out


def _part_phrase(text: str, start: int, p: int, year: int | None) -> int | None:
    """Where a short unpunctuated phrase naming a part starts, right before ``p`` (else None)."""
    q = max(text.rfind(c, start, p) for c in _SENTENCE_END)
    begin = max(q + 1, start)
    phrase = text[begin:p].strip()
    if 2 <= len(phrase) <= PART_PHRASE and "，" not in phrase and classify(phrase, year):
        return begin + len(text[begin:p]) - len(text[begin:p].lstrip())
    return None


def inline_ending(text: str, body_end: int, closed: bool) -> tuple[int, bool]:
    """The body's end and whether the report is closed, seeing a signature run into the text.

    With line breaks lost, the signer and date (``…信息平台的应用。益阳市赫山区人民政府2025年1月6日``)
    and page chrome (``责任编辑：王某【打印本页】``) follow the last sentence on its line.
    """
    if closed:
        return body_end, closed
    last = max(text.rfind(c, 0, body_end) for c in "。！？!?")
    if last < 0:
        return body_end, closed
    tail = text[last + 1 : body_end]
    if not tail.strip() or len(tail) > 120:
        return body_end, closed
    rest = TAIL_CHROME.sub("", tail)
    if not rest:
        return last + 1, closed
    date = DATE_CN_RE.search(rest) or DATE_NUM_RE.search(rest)
    names = rest[: date.start()] if date else rest
    after = rest[date.end() :] if date else ""
    signed = _SIGNERS.fullmatch(names) is not None and (bool(date) or len(names) >= 4)
    if signed and not after.strip("）)"):
        return last + 1, True
    return body_end, closed
