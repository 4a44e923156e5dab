"""Linting the source: its own rates and totals that do not add up.

A report may print a rate its own counts contradict (…成功率98.38% beside counts giving 97.4%)
or parts (其中 …) that add up to more than their total. These are warnings about the source,
not about a summary: they are listed with the summary's checks so a reader does not take the
source's slip for the summary's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from summariser.figures.numbers import Quantity, units_compatible
from summariser.grounding.arithmetic import decimals, half_up, num, value_key
from summariser.lexicon.sentences import sentence_spans

__all__ = ["source_warnings"]


def source_warnings(
    source: str,
    quantities: Sequence[Quantity],
    contexts: Sequence[tuple[str, str, dict[str, float]]],
) -> list[dict[str, object]]:
    """Every warning about the source, in the order of their first span."""
    out = rate_warnings(source, quantities, contexts) + part_warnings(source, quantities)
    out.sort(key=first_start)
    return out


def first_start(warning: dict[str, object]) -> int:
    """Where a source warning's first span starts: the warnings are listed in that order."""
    spans = warning["spans"]
    assert isinstance(spans, list)
    return int(spans[0][0])


def rate_warnings(
    source: str,
    quantities: Sequence[Quantity],
    contexts: Sequence[tuple[str, str, dict[str, float]]],
) -> list[dict[str, object]]:
    """Rates the source states (…率98.38%) that its own counts in the sentence contradict."""
    src = quantities
    out: list[dict[str, object]] = []
    full = sentence_spans(source, "。！？!?\n")
    for p_i, p in enumerate(src):
        if p.unit != "%" or p.qualifier is not None or "率" not in contexts[p_i][0]:
            continue
        a0, _ = next(((a, b) for a, b in full if a <= p.start < b), (0, 0))
        counts = [
            i
            for i in range(p_i)
            if src[i].start >= a0 and src[i].kind == "count" and src[i].qualifier is None
        ][-4:]
        places = decimals(p)
        stated = Decimal(repr(p.value)).quantize(Decimal(1).scaleb(-places))
        exact, near = False, None
        for a in counts:
            for b in counts:
                x, y = src[a], src[b]
                if a == b or not units_compatible(x.unit, y.unit) or not 0 < x.value <= y.value:
                    continue
                rate = half_up(x.value / y.value * 100, places)
                if rate == stated:
                    exact = True
                elif abs(rate - stated) <= 1 and (near is None or b > near[1]):
                    near = (a, b, rate)
        if exact or near is None:
            continue
        a, b, rate = near
        x, y = src[a], src[b]
        out.append(
            {
                "kind": "rate",
                "text": p.text,
                "spans": [[p.start, p.end], [y.start, y.end], [x.start, x.end]],
                "computation": f"{num(x.value)}/{num(y.value)}={rate}%",
                "note": f"“{contexts[p_i][0]}{p.text}”与“{y.text}”“{x.text}”不符："
                f"{num(x.value)}/{num(y.value)}={rate}%",
            }
        )
    return out


def part_warnings(source: str, quantities: Sequence[Quantity]) -> list[dict[str, object]]:
    """Totals whose parts (其中 …) add up to more than the total."""
    src = quantities
    out: list[dict[str, object]] = []
    text = source
    full = sentence_spans(text, "。！？!?\n")
    for m in re.finditer("其中", text):
        sent = next(((a, b) for a, b in full if a <= m.start() < b), None)
        if sent is None:
            continue
        before = [i for i, q in enumerate(src) if sent[0] <= q.start and q.end <= m.start()]
        if not before:
            continue
        t = before[-1]
        total = src[t]
        if text[total.end : m.start()].strip("，,；;（( ") or total.qualifier or total.unit is None:
            continue
        parts = []
        for i in range(t + 1, len(src)):
            q = src[i]
            if q.start >= sent[1] or q.unit in ("%", "个百分点") or q.kind == "date":
                break
            if not units_compatible(total.unit, q.unit) or q.qualifier is not None:
                break
            if "）" in text[m.start() : q.start] or ")" in text[m.start() : q.start]:
                break
            parts.append(i)
        if len(parts) < 2:
            continue
        s = sum(src[i].value for i in parts)
        if value_key(s) > value_key(total.value):
            formula = "+".join(num(src[i].value) for i in parts) + f"={num(s)}"
            out.append(
                {
                    "kind": "parts",
                    "text": total.text,
                    "spans": [[total.start, total.end]]
                    + [[src[i].start, src[i].end] for i in parts],
                    "computation": f"{formula}>{num(total.value)}",
                    "note": f"“其中”各项之和{num(s)}大于总数“{total.text}”",
                }
            )
    return out
