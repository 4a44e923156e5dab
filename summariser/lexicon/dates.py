"""Dates and years as reports write them: 2025年1月6日, 二〇二五年一月六日, 2025-03-31."""

from __future__ import annotations

import re

from summariser.lexicon.markers import CN_DIGITS
from summariser.lexicon.numerals import cn_int

# Years are also written with 〇-like glyphs (○, Ｏ, O, 0) that are no numerals anywhere else.
_ZERO_GLYPHS = str.maketrans("○ＯO0", "〇〇〇〇")
YEAR = r"(?:(?:19|20)\d{2}|二[〇零○Ｏ0][〇零○Ｏ0一二三四五六七八九]{2})"
YEAR_RE = re.compile(rf"({YEAR})\s*年")
_SMALL = rf"(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
DATE_CN_RE = re.compile(rf"({YEAR})\s*年\s*({_SMALL})\s*月\s*({_SMALL})\s*日")
DATE_NUM_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})(?!\d)"
)
_DATE_LINE_RE = re.compile(
    rf"[（(]?\s*(?:{DATE_CN_RE.pattern}|{DATE_NUM_RE.pattern}|{YEAR}\s*年\s*{_SMALL}\s*月)"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期.|周.)?\s*[）)]?"
)


def _small_int(s: str) -> int | None:
    """A month or day: ``"12"``, ``"十二"``, ``"六"``; None if malformed."""
    return int(s) if s.isdigit() else cn_int(s)


def year_of(s: str) -> int:
    """The year written as ``"2023"`` or ``"二〇二三"`` (``YEAR_RE`` admits four digits only)."""
    year = int(s) if s.isdigit() else cn_int(s.translate(_ZERO_GLYPHS))
    if year is None:
        raise ValueError(f"not a year: {s}")
    return year


def parse_date(s: str) -> str | None:
    """The first full date in ``s`` (``2025年1月6日``, ``二〇二五年一月六日``, ``2025-03-31``) as
    ``YYYY-MM-DD``, or None."""
    found = [m for m in (DATE_CN_RE.search(s), DATE_NUM_RE.search(s)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    y, mo, d = year_of(m.group(1)), _small_int(m.group(2)), _small_int(m.group(3))
    if mo is None or d is None or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_date_line(s: str) -> bool:
    """Whether the line is only a date (``2025年1月6日``, ``（2024-01-15 10:20）``)."""
    return _DATE_LINE_RE.fullmatch(s.strip()) is not None
