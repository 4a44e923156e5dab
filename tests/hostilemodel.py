"""A model that answers the way bad models do, for the loopback fake server (tests/fakeserver.py).

Its lies are computed from whatever figures the request's passage holds, never from one
report's wording, so they fit any report:

- ``change``: two figures of one unit, their difference told as a change over time
  (X较上年增加N件), with no earlier year in the passage;
- ``total``: two figures summed and credited to the first one's subject and a third one's
  (A和C共计a+b件);
- ``rate``: a rate nobody computed (x/y as a 办结率 of y's subject);
- ``moved``: a figure written beside another figure's subject;
- ``growth``: a percentage change made up from a figure (X同比增长n%);
- ``copy``: the passage copied whole;
- ``broken``: malformed JSON.

Headings are labelled by spreading them over the five parts. Every figure it invented is kept
in ``lies`` (its sentence and figure text) so a test can look for it in the outputs.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

from summariser.figures.numbers import Quantity, extract_quantities
from tests.fakemodel import segments
from tests.fakeserver import Reply, completion

KINDS = ("change", "total", "rate", "moved", "growth", "copy", "broken")
SPREAD = ("achievements", "problems", "plans", "other", "leadership")


@dataclass(frozen=True)
class Lie:
    """One invented figure: the kind of lie, the sentence it stands in, the figure as written."""

    kind: str
    sentence: str
    figure: str


def _subject(passage: str, q: Quantity) -> str:
    """The words right before a figure, back to the clause start (at most 8 characters)."""
    before = re.split(r"[，,。；;：:、（）()\s]", passage[: q.start])[-1]
    before = re.sub(r"^(?:全年|共|累计|其中|一是|二是|三是|达|为)+", "", before)
    return before[-8:]


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _unit_text(q: Quantity) -> str:
    """The unit as the passage writes it after the digits (件, 万元, 人次)."""
    m = re.match(r"[0-9.]+(?:万|亿)?(.*)$", q.text)
    return m.group(1) if m else (q.unit or "")


@dataclass
class HostileModel:
    """Answers requests by lying, in turn, in each of ``KINDS``; records what it invented."""

    lies: list[Lie] = field(default_factory=list)
    asked: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: dict[str, Any]) -> Reply:
        system = next(
            (m.get("content") or "" for m in request.get("messages", [])
             if m.get("role") == "system"),
            "",
        )  # fmt: skip
        if '"labels"' in system:
            return self._labels(request)
        passage = "\n".join(segments(request).values())
        attempt = sum(1 for m in request.get("messages", []) if m.get("role") == "assistant")
        seed = zlib.crc32(passage.encode()) + attempt
        for k in range(len(KINDS)):
            kind = KINDS[(seed + k) % len(KINDS)]
            said = self._lie(kind, passage)
            if said is not None:
                with self.lock:
                    self.asked[kind] = self.asked.get(kind, 0) + 1
                if kind == "broken":
                    return Reply(body=completion('{"summary": "' + passage[:20]))
                return Reply(body=completion(json.dumps({"summary": said}, ensure_ascii=False)))
        return Reply(body=completion(json.dumps({"summary": "推进相关工作。"}, ensure_ascii=False)))

    def _labels(self, request: dict[str, Any]) -> Reply:
        user = [m.get("content") or "" for m in request["messages"] if m.get("role") == "user"]
        count = len(re.findall(r"^\d+\. ", user[-1], re.M))
        labels = [SPREAD[i % len(SPREAD)] for i in range(count)]
        with self.lock:
            self.asked["labels"] = self.asked.get("labels", 0) + 1
        return Reply(body=completion(json.dumps({"labels": labels})))

    def _keep(self, kind: str, sentence: str, figure: str) -> str:
        with self.lock:
            self.lies.append(Lie(kind, sentence, figure))
        return sentence

    def _lie(self, kind: str, passage: str) -> str | None:
        qs = [q for q in extract_quantities(passage)
              if q.kind != "date" and q.unit and q.qualifier is None and q.value > 0]  # fmt: skip
        counts = [q for q in qs if q.unit != "%"]
        by_unit: dict[str | None, list[Quantity]] = {}
        for q in counts:
            by_unit.setdefault(q.unit, []).append(q)
        pairs = [(a, b) for same in by_unit.values() for a in same for b in same
                 if a.value > b.value and _subject(passage, a) and _subject(passage, b)]  # fmt: skip
        if kind == "copy":
            return passage if len(passage) > 60 else None
        if kind == "broken":
            return passage
        if kind == "change" and pairs:
            a, b = pairs[0]
            fig = (
                f"{_fmt(a.value - b.value)}{_unit_text(b) if not _unit_text(a) else _unit_text(a)}"
            )
            return self._keep(kind, f"{_subject(passage, a)}较上年增加{fig}。", fig)
        if kind == "total" and pairs:
            a, b = pairs[-1]
            third = [c for c in by_unit[a.unit] if c not in (a, b) and c.value != b.value
                     and _subject(passage, c)]  # fmt: skip
            fig = f"{_fmt(a.value + b.value)}{_unit_text(a)}"
            # credited to a and a third figure's subject, or to a's alone
            others = f"和{_subject(passage, third[0])}" if third else ""
            return self._keep(kind, f"{_subject(passage, a)}{others}共计{fig}。", fig)
        if kind == "rate" and pairs:
            a, b = pairs[0]
            rate = round(b.value / a.value * 100, 1)
            fig = f"{_fmt(rate)}%"
            return self._keep(kind, f"{_subject(passage, a)}办结率{fig}。", fig)
        if kind == "moved" and pairs:
            a, b = pairs[0]
            fig = b.text
            return self._keep(kind, f"{_subject(passage, a)}{fig}。", fig)
        if kind == "growth" and counts:
            a = counts[0]
            fig = f"{_fmt(a.value % 37 + 3)}%"
            return self._keep(kind, f"{_subject(passage, a)}同比增长{fig}。", fig)
        return None
