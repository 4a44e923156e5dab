"""Judging from the text alone whether a report was cut off before its end.

Only what the words show counts, so the verdict is the same whether the report was read from
.txt, .docx, .html or .pdf, or arrived with its line breaks lost. A report is cut off when:

- its last sentence stops mid-clause (no final punctuation: ``…并对全县``, ``…如下：``, or a
  part heading standing last with nothing after it); a labelled note closing an item
  (``…年内轮训一遍（牵头单位：人事处）``) ends it as a full stop would;
- its last part promises more items than it has (``做好以下三个方面工作：一是……``) or ends on a
  lone first item (``一是……`` and nothing after it).

A report that ends with a signature, a date or ``特此报告`` is complete. Anything else (a last
sentence that ends properly, parts missing, no signature) is not evidence of a cut: when unsure,
the report is taken as complete. Whether a file ends with a line break says nothing: a .txt saved
by hand may lack it, and .docx or .html readers never give one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from summariser.lexicon.markers import CLOSING_NOTE, CN_DIGITS, ordinal

_FINAL = "。！？!?…."
_CLOSERS = "”’」』）)】》\"' \t\u3000"
_PROMISE_RE = re.compile(rf"以下([{CN_DIGITS}两]|\d)[个项点]?(?:方面|项|点|件|个)")


class _Segment(Protocol):
    @property
    def marker(self) -> str | None: ...


class _Part(Protocol):
    """What the verdict reads of the part the body ends in (a :class:`structure.Part`)."""

    @property
    def heading(self) -> object | None: ...
    @property
    def segments(self) -> Sequence[_Segment]: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def truncated(text: str, body_end: int, closed: bool, last: _Part | None) -> bool:
    """Whether the report was cut off; ``last`` is the part the body ends in."""
    if closed:
        return False
    body = text[:body_end].rstrip()
    if not body:
        return False
    if body.rstrip(_CLOSERS)[-1:] not in _FINAL and not CLOSING_NOTE.search(body):
        return True
    if last and last.heading and not last.segments:
        return True  # a part heading with nothing under it
    if last and last.segments:
        tail = last.segments[-1]
        if tail.marker and ordinal(tail.marker) == 1:
            return True
        promise = _PROMISE_RE.search(text, last.start, last.end)
        if promise and _promised(promise.group(1)) > len(last.segments):
            return True
    return False


def _promised(s: str) -> int:
    return int(s) if s.isdigit() else 2 if s == "两" else ordinal(s) or 0
