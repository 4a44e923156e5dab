"""Which sentences a memo may show: those whose every figure checked out, summaries and synthesis.

A summary's sentence is kept when every figure the verifier found in it is verified or derived
and it holds no figure the verifier never looked at: the run's verdict is the memo's, so what
the number engine does not call a figure (a year, a programme name such as “1+1+N”) is not
held against a sentence the run passed. A sentence of the model-written synthesis
is kept when every figure in it is found in the memo's own body. What is left out comes back
as `LeftOut`, for the memo to list under its flags, as do the verifier's notes on the source's
own inconsistencies (`source_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from summariser.figures.numbers import extract_quantities
from summariser.lexicon.sentences import sentence_pattern
from summariser.memo.tracing import Tracer, Untraced
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


def _unchecked(text: str, s0: int, s1: int, inside: list[CheckedNumber]) -> list[str]:
    """Figures of text[s0:s1] that no verification entry covers.

    A digit the number engine does not read as a quantity (a year or date, a slogan or
    programme name, an ordinal) is no figure: the run's verifier passed it by the same rule.
    """
    if not _DIGITS.search(text, s0, s1):
        return []
    out = []
    for q in extract_quantities(text[s0:s1]):
        if q.kind == "date" or not _DIGITS.search(q.text):
            continue
        start = s0 + q.start
        end = s0 + q.end
        if not any(n.start < end and n.end > start for n in inside):
            out.append(q.text)
    return out


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
        unchecked = _unchecked(text, s0, s1, inside)
        if not bad and not unchecked:
            kept.append(s.group(0))
            continue
        sentence = s.group(0).strip()
        for n in bad:
            problems.append(LeftOut(sentence, n.text, n.status, n.note))
        for figure in unchecked:
            problems.append(LeftOut(sentence, figure, "unchecked", None))
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
    items: Sequence[tuple[str, str, str]] = (),
) -> tuple[Synthesis, list[LeftOut], list[Untraced]]:
    """Ask for a synthesis of the memo's body and keep the sentences that check out.

    A sentence is kept when every figure in it is found in what the model was given, and it
    is traced to the items it draws on, in the part it speaks in (`summariser.memo.tracing`):
    a report's problem written as an achievement is left out, whatever its figures.

    Args:
        body: (report, text) for every body sentence of the memo, in order.
        synthesise: given the body sentences (each ending in 〔report〕), returns a paragraph.
        index_factory: builds the number checker over a source text; defaults to
            `summariser.grounding.checker.SourceIndex`.
        items: (report, part, text) of what the model was given, part by part; without
            them (nothing to trace to) every sentence is left out.

    Returns:
        The kept sentences with the reports each draws on, one `LeftOut` per figure of each
        sentence dropped for its figures, and one `Untraced` per sentence dropped for what it
        says.

    Raises:
        SummariserError: the model call failed (the caller writes the memo without it).
    """
    if index_factory is None:
        from summariser.grounding.checker import SourceIndex

        index_factory = SourceIndex
    source, spans = _synthesis_source(body)
    prompt = "\n".join(f"{text.strip()}〔{report}〕" for report, text in body)
    paragraph = synthesise(prompt)  # the prompt lives in prompts/memo.yaml, rendered by the caller
    index = index_factory(source)
    tracer = Tracer(items)
    kept: list[str] = []
    traced: list[tuple[str, ...]] = []
    dropped: list[LeftOut] = []
    untraced: list[Untraced] = []
    for s in _SENTENCE.finditer(paragraph):
        sentence = s.group(0).strip()
        if not sentence or sentence in kept:
            continue  # a sentence said twice is shown once
        checks = index.check(sentence)
        bad = [c for c in checks if getattr(c, "status", None) not in GOOD_STATUSES]
        if bad:
            for c in bad:
                status = str(getattr(c, "status", "unchecked"))
                dropped.append(LeftOut(sentence, _check_text(c), status, None))
            continue
        reports, refused = tracer.trace(sentence)
        if refused is not None:
            untraced.append(refused)
            continue
        kept.append(sentence)
        traced.append(tuple(dict.fromkeys([*reports, *_trace(checks, spans, source)])))
    return Synthesis(tuple(kept), tuple(traced)), dropped, untraced


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
