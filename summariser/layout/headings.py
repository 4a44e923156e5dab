"""Finding headings in a report's lines: numbered markers, enumerations, and how they nest.

Headings come in four levels: ``一、``/``第一部分`` (1), ``（一）``/``(一)`` (2),
``1.``/``1、``/``（1）``/``①`` (3) and the enumerations ``一是``/``二是``,
``首先``/``其次``/``最后`` and ``第一，`` (4). Levels 1–3 are read at the start of a line, as a
line of their own or as the lead phrase of a paragraph (``（一）紧抓制度建设。一是…``);
level 4 at the start of any sentence, and only in sequence (``一是``, ``二是``, ``三是``… counted
afresh under each heading of levels 1–3, restarting only at the start of a line), so that a
stray ``一是`` inside ``三是…`` stays part of ``三是``. The lines are the logical lines of
:mod:`summariser.layout.lines`, so a heading inline in a flattened text starts a line too. The
markers themselves, as patterns, are :mod:`summariser.lexicon.markers`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summariser.layout.lines import Line, clip
from summariser.lexicon.markers import ENUMERATION, LINE_MARKERS, MARKDOWN_PREFIX
from summariser.lexicon.numerals import cn_int

_MARKUP = "*_# \t\u3000"
_LEAD_END = re.compile("[。！？!?：:；;]")


@dataclass(frozen=True)
class Heading:
    """A heading: level (1 ``一、``, 2 ``（一）``, 3 ``1.``, 4 ``一是``), marker, words, span.

    ``marker`` is None for an unnumbered heading line; ``text`` is the heading words, or the lead
    phrase up to the first ``。`` for a heading inline at the start of a paragraph; ``start:end``
    spans the marker and the words.
    """

    level: int
    marker: str | None
    text: str
    start: int
    end: int


@dataclass
class Node:
    heading: Heading
    ordinal: int | None
    own_line: bool  # a heading on a line of its own (no body after it on that line)
    end: int = 0
    children: list[Node] = field(default_factory=list)


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def lead(text: str, start: int, limit: int) -> tuple[int, int]:
    """The lead phrase from ``start``: up to the first sentence end or ``limit``."""
    m = _LEAD_END.search(text, start, limit)
    return strip_span(text, start, m.start() if m else limit)


def trim_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past Markdown emphasis and heading marks around heading words."""
    while start < end and text[start] in _MARKUP:
        start += 1
    while end > start and text[end - 1] in _MARKUP:
        end -= 1
    return start, end


def line_heading(text: str, line: Line) -> Node | None:
    prefix = MARKDOWN_PREFIX.match(line.text)
    skip = prefix.end() if prefix else 0
    for level, pattern in LINE_MARKERS:
        m = pattern.match(line.text, skip)
        if not m:
            continue
        number = next(g for g in m.groups() if g)
        ordinal = (
            cn_int(number)
            if level < 3
            else (int(number) if number.isdigit() else ord(number) - ord("①") + 1)
        )
        w_start, w_end = trim_markup(text, *lead(text, line.start + m.end(), line.end))
        own_line = not text[w_end : line.end].strip("。：:；;*_ \u3000")
        heading = Heading(level, m.group(), text[w_start:w_end], line.start + skip, w_end)
        return Node(heading, ordinal, own_line)
    return None


def enumerations(text: str, blocks: list[tuple[int, int]], lines: list[Line]) -> list[Node]:
    """Level-4 headings (``一是`` …) inside each block, kept only when they run in sequence."""
    out: list[Node] = []
    for start, end in blocks:
        kind, last = None, 0
        for line in clip(text, lines, start, end):
            for m in ENUMERATION.finditer(line.text):
                word = m["m"]
                k = "shi" if m["shi"] else "di" if m["di"] else "xian"
                n = (
                    (cn_int(m["shi"] or m["di"]) or 0)  # 0: malformed, never in sequence
                    if k != "xian"
                    else {"首先": 1, "其次": 2, "再次": 3}.get(word, last + 1)
                )
                at_line_start = not line.text[: m.start("m")].strip(_MARKUP)
                if kind not in (None, k) or not (n == last + 1 or (n == 1 and at_line_start)):
                    continue
                if word == "最后" and kind != "xian":
                    continue
                kind, last = k, n
                m_start = line.start + m.start("m")
                line_end = line.end
                w_start, w_end = lead(text, m_start + len(word), line_end)
                w_start, w_end = trim_markup(text, strip_punct(text, w_start, w_end), w_end)
                heading = Heading(4, word, text[w_start:w_end], m_start, w_end)
                out.append(Node(heading, n, own_line=False))
    return out


def strip_punct(text: str, start: int, end: int) -> int:
    while start < end and text[start] in "，,、*_ \u3000":
        start += 1
    return start


def tree(nodes: list[Node], end: int) -> list[Node]:
    """Nest nodes by level; a node ends where the next node of its level or above starts."""
    roots: list[Node] = []
    stack: list[Node] = []
    for node in nodes:
        while stack and stack[-1].heading.level >= node.heading.level:
            stack.pop().end = node.heading.start
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    for node in stack:
        node.end = end
    return roots
