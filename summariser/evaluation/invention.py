"""Invented figures shown as checked: a second opinion on the verified and derived written figures.

The checker (`summariser.grounding`) says which figures of the engine's own words are verified
or derived; this scorer asks again, more simply and apart from it, whether the source bears
each of them out, so that a checker that lets an invention through is counted here:

- a *verified* figure must stand at its first source span with the same value (a hedged round
  figure within half of it: 3000余名 for 3385名), and its sentence in the summary must share
  at least two characters in a row with the source sentence holding that span;
- a *derived* figure's formula must hold on the values at its source spans and give the
  figure; a change over time (上年, 同比 …) needs one of those spans dated earlier in its source
  clause (上年为132件, 2023年办理365件).

Pure: a summary and its source text in, the unsupported figures out.
"""

from __future__ import annotations

import re
from typing import Any

from summariser.evaluation.scoring import prose_numbers
from summariser.figures.numbers import extract_quantities, scan
from summariser.lexicon.sentences import sentence_spans
from summariser.schema import ReportSummary

_CHANGE = re.compile(
    r"上年|去年|上一年|前一年|(?<![合共协相不如连会赞认陪])同比|环比|同期|(?:比|较)(?:19|20)\d\d年"
)
_EARLIER = re.compile(r"上年|去年|上一年|前一年|同期|(?:19|20)\d\d年")
_ENDS = "。；;！？!?\n"
_CLAUSE = "，,。；;！？!?\n"
_FORMULA = re.compile(r"^([\d.%+\-/]+)=([\d.]+)(%|个百分点)?$")


def _at(data: Any, pointer: str) -> str:
    for bit in pointer.split("/")[1:]:
        data = data[int(bit)] if isinstance(data, list) else data.get(bit, "")
    return str(data)


def _around(text: str, start: int, end: int, marks: str) -> str:
    lo = max(text.rfind(c, 0, start) for c in marks) + 1
    his = [h for h in (text.find(c, end) for c in marks) if h >= 0]
    return text[lo : min(his, default=len(text))]


def _grams(text: str) -> set[str]:
    words = re.sub(r"[\d.%％]", " ", text)
    return {words[i : i + 2] for i in range(len(words) - 1) if " " not in words[i : i + 2]}


def _value_at(source: str, span: list[int]) -> float | None:
    found = extract_quantities(source[span[0] : span[1]])
    return found[0].value if found else None


def _verified_ok(number: dict[str, Any], sentence: str, source: str) -> bool:
    spans = number.get("source_spans") or []
    if not spans:
        return False
    value, said = _value_at(source, spans[0]), float(number.get("value") or 0)
    if value is None:
        # an identifier (第二批, a document number, a hotline) is the source's as written
        return bool(scan(source[spans[0][0] : spans[0][1]])[1])
    if abs(value - said) > 1e-6 * max(1.0, abs(said)):
        if number.get("qualifier") is None or abs(value - said) > 0.5 * abs(said):
            return False
    a, b = spans[0]
    theirs = next((source[x:y] for x, y in sentence_spans(source, _ENDS) if x <= a < y), "")
    return bool(_grams(sentence) & _grams(theirs))


def _derived_ok(number: dict[str, Any], sentence: str, source: str) -> bool:
    spans = number.get("source_spans") or []
    formula = str(number.get("formula") or "").replace("%-", "-").replace("%/", "/")
    m = _FORMULA.match(formula.replace("个百分点", ""))
    if not spans or not m:
        return False
    values = [_value_at(source, s) for s in spans]
    if any(v is None for v in values):
        return False
    ops = re.findall(r"[\d.]+", m.group(1))
    if sorted(float(x) for x in ops) != sorted(float(v) for v in values if v is not None):
        return False
    said = float(number.get("value") or 0)
    x = [float(o) for o in ops]
    if "/" in m.group(1):
        result = x[0] / x[1] * 100 if x[1] else -1.0
        ok = abs(result - said) <= 0.5 * 10 ** -_places(str(number.get("text", ""))) + 1e-9
    elif "-" in m.group(1):
        ok = abs(abs(x[0] - x[1]) - said) < 1e-6
    else:
        ok = abs(sum(x) - said) < 1e-6
    if not ok:
        return False
    if _CHANGE.search(sentence):
        return any(_EARLIER.search(_around(source, s[0], s[1], _CLAUSE)) for s in spans)
    return True


def _places(text: str) -> int:
    digits = re.search(r"\d+(?:\.(\d+))?", text)
    return len(digits.group(1)) if digits and digits.group(1) else 0


def unsupported_figures(summary: ReportSummary, source: str) -> list[dict[str, Any]]:
    """The figures of the engine's own words shown as verified or derived that the source does
    not bear out (see the module docstring), each with its text, status and path."""
    data = summary.model_dump()
    out: list[dict[str, Any]] = []
    for number in prose_numbers(summary):
        status = number.get("status")
        if status not in ("verified", "derived") or number.get("origin") == "copied":
            continue
        unit = number.get("unit")
        if unit is None or str(unit).startswith("年"):
            continue  # dates and bare numbers: nothing of a count to invent
        text = _at(data, str(number.get("path", "")))
        start, end = int(number.get("start", 0)), int(number.get("end", 0))
        sentence = _around(text, start, end, _ENDS)
        ok = (
            _verified_ok(number, sentence, source)
            if status == "verified"
            else _derived_ok(number, sentence, source)
        )
        if not ok:
            out.append({"text": number.get("text"), "status": status, "path": number.get("path")})
    return out
