"""Which sentences a memo may show: those whose every figure checked out, summaries and synthesis.

A summary's sentence is kept when every figure the verifier found in it is verified or derived
and it holds no digit the verifier never looked at. A sentence of the model-written synthesis
is kept when every figure in it is found in the memo's own body. What is left out comes back
as `LeftOut`, for the memo to list under its flags, as do the verifier's notes on the source's
own inconsistencies (`source_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from summariser.lexicon.sentences import sentence_pattern
from summariser.schema import OK_STATUSES as GOOD_STATUSES
from summariser.schema import ReportSummary

STATUS_NAMES: dict[str, str] = {
    "qualifier_changed": "修饰语与原文不符",
    "unit_mismatch": "单位与原文不符",
    "context_mismatch": "与原文语境不符",
    "not_found": "原文中找不到",
    "unchecked": "未经核对",
}
"""Why a figure was left out, in words, by its verification status."""

_SENTENCE = sentence_pattern()
_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


@dataclass(frozen=True)
class CheckedNumber:
    """One verification entry: a figure's text, its span in its string, status and note."""

    text: str
    start: int
    end: int
    status: str
    note: str | None


@dataclass(frozen=True)
class LeftOut:
    """A sentence left out for one of its figures, with the figure's status and note."""

    sentence: str
    figure: str
    status: str
    note: str | None


# --- the summaries' sentences -----------------------------------------------------------------


def numbers_by_path(summary: ReportSummary) -> dict[str, list[CheckedNumber]]:
    """Verification entries grouped by the JSON pointer of the string they were found in."""
    out: dict[str, list[CheckedNumber]] = {}
    numbers = summary.verification.get("numbers")
    if not isinstance(numbers, list):
        return out
    for n in numbers:
        if not isinstance(n, dict) or not isinstance(n.get("path"), str):
            continue
        try:
            num = CheckedNumber(
                str(n.get("text", "")),
                int(n["start"]),
                int(n["end"]),
                str(n["status"]),
                str(n["note"]) if n.get("note") else None,
            )
        except (KeyError, TypeError, ValueError):
            continue
        out.setdefault(n["path"], []).append(num)
    return out


def _is_year(text: str, m: re.Match[str]) -> bool:
    # A year ("2024年") is a date, not a figure; the verifier does not report it.
    digits = m.group(0)
    return len(digits) == 4 and digits[:2] in ("19", "20") and text[m.end() : m.end() + 1] == "年"


def checked_sentences(text: str, numbers: list[CheckedNumber]) -> tuple[str, list[LeftOut]]:
    """Split text into sentences; keep those whose figures are all verified or derived.

    Returns the kept text and, for each left-out sentence, the figure and the reason.
    """
    kept: list[str] = []
    problems: list[LeftOut] = []
    for s in _SENTENCE.finditer(text):
        s0, s1 = s.span()
        inside = [n for n in numbers if n.start < s1 and n.end > s0]
        bad = [n for n in inside if n.status not in GOOD_STATUSES]
        unchecked = [
            m
            for m in _DIGITS.finditer(text, s0, s1)
            if not _is_year(text, m) and not any(n.start <= m.start() < n.end for n in inside)
        ]
        if not bad and not unchecked:
            kept.append(s.group(0))
            continue
        sentence = s.group(0).strip()
        for n in bad:
            problems.append(LeftOut(sentence, n.text, n.status, n.note))
        for m in unchecked:
            problems.append(LeftOut(sentence, m.group(0), "unchecked", None))
    return "".join(kept).strip(), problems


def source_warnings(summary: ReportSummary) -> list[str]:
    """The verifier's notes on the source's own inconsistencies, as sentences.

    The verifier writes dicts (kind, text, spans, computation, note); plain strings are
    accepted too.
    """
    warnings = summary.verification.get("source_warnings")
    out: list[str] = []
    for w in warnings if isinstance(warnings, list) else []:
        if isinstance(w, dict):
            text = w.get("note") or " ".join(str(w[k]) for k in ("text", "computation") if w.get(k))
            out.append(str(text))
        elif w:
            out.append(str(w))
    return [w for w in out if w]


# --- the optional synthesis paragraph ---------------------------------------------------------


@dataclass(frozen=True)
class Synthesis:
    """The optional model-written paragraph: only sentences whose figures all checked out."""

    sentences: tuple[str, ...]
    reports: tuple[tuple[str, ...], ...]


class SourceChecker(Protocol):
    """What the synthesis check needs from `summariser.grounding.checker.SourceIndex`."""

    def check(self, text: str) -> list[Any]: ...


def _synthesis_source(body: Sequence[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for report, text in body:
        chunk = text + "\n"
        parts.append(chunk)
        spans.append((pos, pos + len(chunk), report))
        pos += len(chunk)
    return "".join(parts), spans


def checked_synthesis(
    body: Sequence[tuple[str, str]],
    synthesise: Callable[[str], str],
    index_factory: Callable[[str], SourceChecker] | None,
) -> tuple[Synthesis, list[LeftOut]]:
    """Ask for a synthesis of the memo's body and keep the sentences whose figures check out.

    Args:
        body: (report, text) for every body sentence of the memo, in order.
        synthesise: given the body sentences (each ending in 〔report〕), returns a paragraph.
        index_factory: builds the number checker over a source text; defaults to
            `summariser.grounding.checker.SourceIndex`.

    Returns:
        The kept sentences with the reports each one's figures were found in, and one
        `LeftOut` per figure of each dropped sentence.
    """
    if index_factory is None:
        from summariser.grounding.checker import SourceIndex

        index_factory = SourceIndex
    source, spans = _synthesis_source(body)
    prompt = "\n".join(f"{text.strip()}〔{report}〕" for report, text in body)
    paragraph = synthesise(prompt)  # the prompt lives in prompts/memo.yaml, rendered by the caller
    index = index_factory(source)
    kept: list[str] = []
    traced: list[tuple[str, ...]] = []
    dropped: list[LeftOut] = []
    for s in _SENTENCE.finditer(paragraph):
        sentence = s.group(0).strip()
        if not sentence:
            continue
        checks = index.check(sentence)
        bad = [c for c in checks if getattr(c, "status", None) not in GOOD_STATUSES]
        if bad:
            for c in bad:
                status = str(getattr(c, "status", "unchecked"))
                dropped.append(LeftOut(sentence, _check_text(c), status, None))
            continue
        kept.append(sentence)
        traced.append(_trace(checks, spans, source))
    return Synthesis(tuple(kept), tuple(traced)), dropped


def _check_text(check: Any) -> str:
    """The figure a check is about: grounding.NumberCheck keeps it on .quantity."""
    quantity = getattr(check, "quantity", None)
    return str(getattr(quantity, "text", None) or getattr(check, "text", "") or "")


def _trace(checks: list[Any], spans: list[tuple[int, int, str]], source: str) -> tuple[str, ...]:
    """The reports a synthesis sentence's figures were found in."""
    found: dict[str, None] = {}
    for c in checks:
        hits = [tuple(h) for h in getattr(c, "source_spans", None) or []]
        text = _check_text(c)
        if not hits and text:
            hits = [(m.start(), m.end()) for m in re.finditer(re.escape(text), source)]
        for h0, _h1 in hits:
            for s0, s1, report in spans:
                if s0 <= h0 < s1:
                    found[report] = None
    return tuple(found)
