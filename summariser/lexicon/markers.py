"""Heading and enumeration markers (第一部分, 一、, （一）, 1., （1）, ①, 一是, 首先) as patterns.

One home for the markers that the PDF line joiner, the layout, the heading finder, the
metadata finders and the truncation verdict all read: levels 1 (``一、``/``第一部分``), 2
(``（一）``), 3 (``1.``/``1、``/``（1）``/``①``) and the level-4 enumerations
(``一是``/``二是``, ``首先``/``其次``/``最后``, ``第一，``). How they nest is `summariser.layout.headings`'.
"""

from __future__ import annotations

import re

from summariser.lexicon.numerals import cn_int

CN_DIGITS = "一二三四五六七八九十"
"""The Chinese digits that headings (and a date's month and day) count with."""
_CN = rf"[{CN_DIGITS}]{{1,3}}"
LEVEL_1 = rf"{_CN}[、．.]"
"""A level-1 marker (``一、``, ``二．``), as pattern text."""

LINE_MARKERS = (
    (1, re.compile(rf"({_CN})[、．.]|第({_CN})部分[：:、.．\s\u3000]*")),
    (2, re.compile(rf"[（(]({_CN})[）)]")),
    (3, re.compile(r"(\d{1,2})[、．.](?![\d%％])|[（(](\d{1,2})[）)]|([①-⑳])")),
)
"""The markers of heading levels 1-3 at a line's start, each capturing the number it counts."""

ENUMERATION = re.compile(
    # at a sentence start, or a first 一是 run into its lead (下一步，我们将一是……；二是……)
    # when a 二是 opens a later clause of the same sentence run
    rf"(?:^|(?<=[。；：！？;:!?])|(?<=[将要，,])(?=一是[^。\n]*?[；;。]\s*二是))[ \t\u3000*]*"
    rf"(?P<m>(?P<shi>{_CN})是|首先|其次|再次|最后|第(?P<di>{_CN})(?=[，,、]))"
)
"""A level-4 enumeration marker (group ``m``), with its number in ``shi`` or ``di``."""

MARKER = re.compile(
    rf"第(?P<p>{_CN})部分|(?P<l1>{_CN})[、．.]|[（(](?P<l2>{_CN})[）)]"
    rf"|(?P<l3>\d{{1,2}})[、．.](?![\d%％])|[（(](?P<l3p>\d{{1,2}})[）)]"
    rf"|(?P<enum>一是|首先|第一(?=[，,、]))"
)
"""A heading or enumeration marker where a line may start, or a heading stand inline: 第一部分,
一、 / 一．, （一）, 1. / 1、, （1）, 一是, 首先, 第一，; the named group says which."""

LEAD_MARKER = re.compile(
    rf"^(?:[{CN_DIGITS}]+是|[（(][{CN_DIGITS}\d]+[）)]|\d+[.、．]|[{CN_DIGITS}]+、)"
)
"""The marker opening a segment's text or heading (``三是``, ``（二）``, ``3.``, ``一、``), which
titles and lead sentences drop."""

CLOSING_NOTE = re.compile(r"[（(][\u4e00-\u9fff]{2,8}[：:][^（）()\n]{1,80}[）)]$")
"""A labelled note closing an item or a sentence (``（责任处室：法规处）``, ``（牵头单位：区司法局；
配合单位：各街道）``, ``（完成时限：全年）``): department reports end each item with one, often
without a full stop, so it ends the item as a full stop would."""

MARKDOWN_PREFIX = re.compile(r"(?:#{1,6}[ \t]*|\*\*|__|>[ \t]*)*")
"""Markdown heading, emphasis and quote marks a heading line may open with (``## 一、``, ``**（一）``)."""

NUMBERED = re.compile(rf"{LEVEL_1}|[（(][{CN_DIGITS}\d]{{1,3}}[）)]|\d{{1,2}}[、．.](?!\d)")
"""A numbered line's start (``一、``, ``（一）``, ``（1）``, ``1.``): a heading, never a title."""


def ordinal(marker: str) -> int | None:
    """The number a heading marker counts (``（三）`` 3, ``2.`` 2, ``一是`` 1, ``首先`` 1)."""
    if marker in ("首先", "其次", "再次", "最后"):
        return {"首先": 1, "其次": 2, "再次": 3}.get(marker)
    digits = re.search(r"\d+", marker)
    if digits:
        return int(digits.group())
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩":
        return ord(marker[0]) - ord("①") + 1
    cn = re.search(rf"[{CN_DIGITS}]+", marker)
    return cn_int(cn.group()) if cn else None
