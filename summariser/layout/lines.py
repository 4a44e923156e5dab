"""The text read once: its logical lines, each with its span, kind and level.

Every later stage reads these lines and no other: metadata (title, opening, chrome fields,
signature), the heading finder, the part finder, the truncation verdict and the document-kind
check. A line is one of

- ``heading``: a numbered heading of level 1 (``一、``/``第一部分``), 2 (``（一）``) or 3
  (``1.``/``（1）``/``①``) at the line's start, alone or as a paragraph's lead phrase;
- ``enumeration``: a line opening with a level-4 marker (``一是``, ``首先``, ``第一，``);
- ``signature``: the closing block's signer names, date or ``特此报告``;
- ``chrome``: web-page furniture (site name, breadcrumb, ``发布时间``, buttons, a dated publisher);
- ``paragraph``: everything else.

Text copied out of a web page or a PDF often arrives as one long line: ``…报告如下：一、主要举措
和成效（一）深化改革。…二、存在问题一是…``. Such a line is cut where its line breaks stood:

- the head of the first long line (title, chrome fields, up to the opening sentence's first
  comma) and the tail of the last one (after its last full stop: signature, date, chrome);
- at every heading standing inline: a cut inside a physical line is made only at a heading
  marker that stands after a sentence end (``。：；！？``) or straight after a heading's words
  (``二、存在问题一是…``), after a short unpunctuated phrase that names a statutory part, or, for
  the report's first heading, straight after its title (``…情况报告一、``), and that continues
  the numbering (``二、`` after ``一、``; a ``（一）`` inside a paragraph whose siblings are already
  counted is a list, not a heading).

Spans always index the text as read; nothing is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from summariser.lexicon.dates import DATE_CN_RE, DATE_NUM_RE, is_date_line, parse_date
from summariser.lexicon.issuers import looks_like_org, name_status, split_issuers
from summariser.lexicon.markers import (
    CLOSING_NOTE,
    ENUMERATION,
    LINE_MARKERS,
    MARKDOWN_PREFIX,
    MARKER,
    ordinal,
)
from summariser.lexicon.parts import classify
from summariser.reading.chrome import CHROME_MARK, HEAD_CUT, TAIL_CHROME, TAIL_CUT

LineKind = Literal["heading", "enumeration", "paragraph", "signature", "chrome"]
FURNITURE: frozenset[str] = frozenset({"chrome", "signature"})
"""The kinds of line that are no part of the report's own words."""


@dataclass(frozen=True)
class Line:
    """One non-blank line of a text: ``source[start:end] == text`` (surrounding blanks stripped)."""

    start: int
    end: int
    text: str
    kind: LineKind = "paragraph"
    level: int = 0
    """1-3 for a heading, 4 for an enumeration, 0 otherwise."""


def text_lines(text: str) -> list[Line]:
    """Split ``text`` into its non-blank lines, keeping each line's span in ``text``."""
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = body.strip()
        if stripped:
            start = pos + len(body) - len(body.lstrip())
            out.append(Line(start, start + len(stripped), stripped))
        pos += len(raw)
    return out


# A line this long that carries a title or a signature is a page whose line breaks were lost.
_FLAT_LINE = 150
# What follows a flattened page's last full stop: a signature, a date, a site's footer.
_FLAT_TAIL = 300


def _cut(line: Line, start: int, end: int, cuts: re.Pattern[str]) -> list[Line]:
    """``line`` cut at every match of ``cuts`` between offsets ``start`` and ``end`` (relative
    to the line), the pieces keeping their spans; blanks between pieces are dropped."""
    out: list[Line] = []
    pos = start
    for m in cuts.finditer(line.text, start, end):
        if piece := line.text[pos : m.start()].strip():
            first = pos + line.text[pos : m.start()].index(piece)
            out.append(Line(line.start + first, line.start + first + len(piece), piece))
        pos = m.end()
    rest = line.text[pos:].strip()
    if rest:
        first = pos + line.text[pos:].index(rest)
        out.append(Line(line.start + first, line.start + first + len(rest), rest))
    return out


def meta_lines(text: str) -> list[Line]:
    """``text_lines``, with a flattened page's lines cut where its line breaks stood.

    Only two places are cut, and only in a line of at least ``_FLAT_LINE`` characters: the head of
    the first such line (title, chrome fields, up to the opening sentence's first comma) and the
    tail of the last line (after its last full stop: a signature, a date, page chrome).
    """
    lines = text_lines(text)
    first_long = next((i for i, line in enumerate(lines) if len(line.text) >= _FLAT_LINE), None)
    comma = re.search("[，,。；;]", lines[first_long].text) if first_long is not None else None
    if first_long is not None and comma:  # a line of links and no sentence is left whole
        lines[first_long : first_long + 1] = _cut(lines[first_long], 0, comma.start(), HEAD_CUT)
    if lines and len(lines[-1].text) >= _FLAT_LINE:
        last = lines[-1]
        stops = [m.end() for m in re.finditer("[。！？；]", last.text)]
        if stops and len(last.text) - stops[-1] <= _FLAT_TAIL:
            body = Line(last.start, last.start + stops[-1], last.text[: stops[-1]])
            lines[-1:] = [body, *_cut(last, stops[-1], len(last.text), TAIL_CUT)]
    return lines


def is_chrome(s: str) -> bool:
    """Whether a line is web-page furniture (site name, breadcrumb, 发布时间, font switch, …)."""
    s = s.strip()
    if len(s) > 120:
        return False
    if CHROME_MARK.search(s) or is_date_line(s):
        return True
    signed = signature_line(s)  # a publishing body with a date; a bare name may be a title line
    return signed is not None and signed[1] is not None


def signature_line(s: str) -> tuple[list[str], str | None] | None:
    """The names and date of a line holding only organisations and/or a date, else None.

    ``益阳市赫山区人民政府``, ``2025年1月6日`` and ``宁远县司法局 2025-02-20 16:47`` all qualify.
    """
    if is_date_line(s):
        return [], parse_date(s)
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", "", DATE_NUM_RE.sub("", DATE_CN_RE.sub("", s)))
    names = rest.split()
    if names and all(looks_like_org(n, place_only=False) for n in names):
        return names, parse_date(s)
    return None


@dataclass(frozen=True)
class Ending:
    """How a text ends: where its body stops, and the signature after it, if any."""

    body_end: int
    closed: bool
    signers: list[str] = field(default_factory=list)
    date: str | None = None


_CLOSING_FORMULA = re.compile(r"特此报告[。.]?|[（(]此件.{2,6}[）)]")


def _closing_block(lines: list[Line]) -> tuple[int, Ending]:
    """Where the closing block starts (an index into ``lines``) and what it says."""
    signers: list[str] = []
    date: str | None = None
    closed = False
    i = len(lines) - 1
    while i >= 0:
        s = lines[i].text
        if (signed := signature_line(s)) is not None:
            names, day = signed
            signers[:0] = [n for name in names for n in split_issuers(name) if name_status(n)]
            date, closed = day or date, True
        elif _CLOSING_FORMULA.fullmatch(s):
            closed = True
        elif not is_chrome(s):
            break
        i -= 1
    body_end = lines[i].end if i >= 0 else 0
    return i + 1, Ending(body_end, closed, signers, date)


def find_ending(text: str, lines: list[Line] | None = None) -> Ending:
    """Read the closing block: signature names, a date, ``特此报告``, and trailing web chrome.

    The body ends before that block; ``closed`` says whether a signature, date or closing formula
    was seen (page chrome alone does not close a report).
    """
    return _closing_block(text_lines(text) if lines is None else lines)[1]


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
            after_end = bool(before) and (
                before[-1] in _SENTENCE_END or CLOSING_NOTE.search(before) is not None
            )
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


# --- the pass ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A report's text read once: its logical lines, in order, and how the text ends.

    ``ending.body_end`` is where the report's own words stop (before a signature, a date or page
    chrome, also one run into the last line); ``ending.closed`` says whether a signature, date
    or ``特此报告`` was seen.
    """

    text: str
    lines: tuple[Line, ...]
    ending: Ending

    def between(self, start: int, end: int) -> list[Line]:
        """The lines inside ``start:end``, each clipped to it (a line that crosses ``end`` keeps
        its head), blank pieces left out."""
        return clip(self.text, self.lines, start, end)


def clip(text: str, lines: tuple[Line, ...] | list[Line], start: int, end: int) -> list[Line]:
    """``lines`` inside ``start:end``, each clipped to it, blank pieces left out."""
    out = []
    for ln in lines:
        s, e = max(ln.start, start), min(ln.end, end)
        if s < e and text[s:e].strip():
            out.append(
                Line(s, e, text[s:e], ln.kind, ln.level) if (s, e) != (ln.start, ln.end) else ln
            )
    return out


def _line_kind(line: Line) -> tuple[LineKind, int]:
    """A body line's kind and level, from its own words."""
    prefix = MARKDOWN_PREFIX.match(line.text)
    skip = prefix.end() if prefix else 0
    for level, pattern in LINE_MARKERS:
        if pattern.match(line.text, skip):
            return "heading", level
    if ENUMERATION.match(line.text):
        return "enumeration", 4
    if is_chrome(line.text):
        return "chrome", 0
    return "paragraph", 0


def _closing_kind(line: Line) -> LineKind:
    """A closing-block line: the signature (names, date, ``特此报告``), or page chrome."""
    if signature_line(line.text) is not None or _CLOSING_FORMULA.fullmatch(line.text):
        return "signature"
    return "chrome"


def read_layout(text: str) -> Layout:
    """The one pass over a report's text: logical lines with their kinds, and its ending."""
    lines = logical_lines(text, meta_lines(text))
    closing, ending = _closing_block(lines)
    body_end, closed = inline_ending(text, ending.body_end, ending.closed)
    kinded: list[Line] = []
    for i, line in enumerate(lines):
        kind, level = _line_kind(line) if i < closing else (_closing_kind(line), 0)
        kinded.append(Line(line.start, line.end, line.text, kind, level))
    return Layout(text, tuple(kinded), Ending(body_end, closed, ending.signers, ending.date))
