"""Scoring one summary against its golden summary: small functions, each one metric family.

Everything here is pure: two `ReportSummary` objects in, numbers and differences out. No
pipeline, no model, no files; `summariser.evaluation.metrics` tallies and aggregates them.

Text is compared character by character (Chinese has no spaces to split on, and a word
tokenizer would drop or merge the characters that matter), after removing punctuation and
whitespace: only letters and digits (Unicode categories L* and N*) are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summariser.evaluation.data import GoldenIndicator
from summariser.schema import PART_KEYS, Figure, Item, ReportSummary

SPAN_IOU_MIN = 0.5
"""A predicted item matches a golden item when their source spans overlap this much (IoU)…"""
TEXT_ROUGE_MIN = 0.3
"""…or when their title + summary texts reach this character ROUGE-L F."""
PROSE_PATH = re.compile(r"^/parts/(?P<part>[^/]+)/(?P<index>\d+)/(?:title|summary|cause)$")
"""Where the engine wrote its own words: figures there are the ones worth checking."""


# --- text similarity -------------------------------------------------------------------------


def chars(text: str) -> str:
    """The letters and digits of ``text``, in order: punctuation and whitespace removed."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence of two strings (bit-parallel, O(len(b)) steps)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, ch in enumerate(a):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for ch in b:
        u = v & masks.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def rouge_l(predicted: str, golden: str) -> float:
    """Character-level ROUGE-L F1 of two texts (punctuation and whitespace ignored)."""
    p, g = chars(predicted), chars(golden)
    common = lcs_length(p, g)
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def span_iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two half-open character spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def item_text(item: Item) -> str:
    """What an item says: its title and summary."""
    return f"{item.title}{item.summary}"


# --- items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One golden item paired with one predicted item."""

    golden: int
    predicted: int
    iou: float
    rouge: float


def match_items(predicted: list[Item], golden: list[Item]) -> list[Match]:
    """Pair predicted with golden items one to one, best pairs first (greedy).

    A pair is admissible when the spans overlap by ``SPAN_IOU_MIN`` IoU or the texts reach
    ``TEXT_ROUGE_MIN`` ROUGE-L; admissible pairs are taken in order of max(IoU, ROUGE-L).
    """
    pairs: list[Match] = []
    for gi, g in enumerate(golden):
        for pi, p in enumerate(predicted):
            iou = span_iou(p.source_span, g.source_span)
            rouge = rouge_l(item_text(p), item_text(g))
            if iou >= SPAN_IOU_MIN or rouge >= TEXT_ROUGE_MIN:
                pairs.append(Match(gi, pi, iou, rouge))
    pairs.sort(key=lambda m: (-max(m.iou, m.rouge), m.golden, m.predicted))
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    chosen: list[Match] = []
    for m in pairs:
        if m.golden in taken_g or m.predicted in taken_p:
            continue
        taken_g.add(m.golden)
        taken_p.add(m.predicted)
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.golden)


@dataclass
class PartScore:
    """How one statutory part compares: counts, and which items were missed or added."""

    golden: int
    predicted: int
    matched: int
    rouge_sum: float
    matches: list[Match] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.matched / self.golden if self.golden else None

    @property
    def precision(self) -> float | None:
        if not self.golden:
            return None  # items in a part the golden has empty are "invented", scored apart
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def rouge_l(self) -> float | None:
        """Mean over golden items of ROUGE-L with the matched item (0 for a missed one)."""
        return self.rouge_sum / self.golden if self.golden else None

    @property
    def invented(self) -> int:
        return self.predicted if not self.golden else 0


def score_part(predicted: list[Item], golden: list[Item]) -> PartScore:
    """Item recall, precision and ROUGE-L of one part."""
    matches = match_items(predicted, golden)
    hit_g = {m.golden for m in matches}
    hit_p = {m.predicted for m in matches}
    return PartScore(
        golden=len(golden),
        predicted=len(predicted),
        matched=len(matches),
        rouge_sum=sum(m.rouge for m in matches),
        matches=matches,
        missed=[i for i in range(len(golden)) if i not in hit_g],
        extra=[i for i in range(len(predicted)) if i not in hit_p],
    )


def score_parts(predicted: ReportSummary, golden: ReportSummary) -> dict[str, PartScore]:
    """`score_part` for each of the five statutory parts."""
    return {
        key: score_part(predicted.parts.get(key, []), golden.parts.get(key, []))
        for key in PART_KEYS
    }


def item_rouges(parts: dict[str, PartScore]) -> list[float]:
    """ROUGE-L of each golden item with its matched item (0 when missed), part by part in
    ``PART_KEYS`` order, golden order within a part: the same list positions for every engine."""
    out: list[float] = []
    for key in PART_KEYS:
        score = parts.get(key)
        if score is None:
            continue
        by_golden = {m.golden: m.rouge for m in score.matches}
        out += [by_golden.get(i, 0.0) for i in range(score.golden)]
    return out


# --- figures ---------------------------------------------------------------------------------


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def norm_unit(unit: str | None) -> str | None:
    """A unit for comparison, brackets dropped: “件(次)” and “件（次）” read as 件次."""
    if unit is None:
        return None
    return re.sub(r"[（()）\s]", "", unit) or None


def _numbers(summary: ReportSummary) -> list[dict[str, Any]]:
    numbers = summary.verification.get("numbers", [])
    return [n for n in numbers if isinstance(n, dict)] if isinstance(numbers, list) else []


def prose_numbers(summary: ReportSummary) -> list[dict[str, Any]]:
    """The checked figures in the engine's own words (item titles, summaries and causes)."""
    return [n for n in _numbers(summary) if PROSE_PATH.match(str(n.get("path", "")))]


def status_counts(numbers: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in numbers:
        status = str(n.get("status", "unknown"))
        counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))


def all_figures(summary: ReportSummary) -> list[Figure]:
    """Every figure a summary carries: its items' figures and its key figures."""
    figures = [f for items in summary.parts.values() for item in items for f in item.figures]
    return figures + [k.figure for k in summary.key_figures]


def same_figure(a: Figure, b: Figure) -> bool:
    """Same place in the source, or the same value, unit and qualifier."""
    if tuple(a.span) == tuple(b.span):
        return True
    return (
        _same_value(a.value, b.value)
        and norm_unit(a.unit) == norm_unit(b.unit)
        and a.qualifier == b.qualifier
    )


def key_figure_hits(
    predicted: ReportSummary, golden: ReportSummary
) -> tuple[list[bool], list[bool]]:
    """For each golden key figure: carried anywhere in the prediction; chosen as a key figure."""
    carried = all_figures(predicted)
    chosen = [k.figure for k in predicted.key_figures]
    anywhere = [any(same_figure(k.figure, f) for f in carried) for k in golden.key_figures]
    selected = [any(same_figure(k.figure, f) for f in chosen) for k in golden.key_figures]
    return anywhere, selected


@dataclass
class Fidelity:
    """Qualifier and unit fidelity of the figures an engine wrote, judged by the golden figures."""

    unit_checked: int = 0
    unit_same: int = 0
    qualifier_checked: int = 0
    qualifier_same: int = 0
    wrong: list[str] = field(default_factory=list)


def _item_span(number: dict[str, Any], predicted: ReportSummary) -> tuple[int, int] | None:
    """The source span of the predicted item whose prose holds ``number``."""
    m = PROSE_PATH.match(str(number.get("path", "")))
    if not m:
        return None
    items = predicted.parts.get(m["part"], [])
    index = int(m["index"])
    if index >= len(items):
        return None
    start, end = items[index].source_span
    return start, end


def _candidates(
    number: dict[str, Any], predicted: ReportSummary, golden: ReportSummary
) -> list[Figure]:
    """The golden figures a written number stands for.

    Where the number was found in the source, the golden figures at those places (preferring
    places inside the item it was written for); none when the golden reading counts no figure
    there (三项制度 is a name). Where it was not found (a dropped 余, a changed unit), the golden
    figures with its value inside the item's span, else anywhere in the report.
    """
    figures = all_figures(golden)
    span = _item_span(number, predicted)

    def inside(s: int, e: int) -> bool:
        return span is not None and span[0] <= s and e <= span[1]

    found = [(int(s), int(e)) for s, e in number.get("source_spans") or []]
    if found:
        local = [(s, e) for s, e in found if inside(s, e)] or found
        return [f for f in figures if any(f.span[0] < e and s < f.span[1] for s, e in local)]
    same = [f for f in figures if _same_value(f.value, number.get("value"))]
    return [f for f in same if inside(*f.span)] or same


def figure_fidelity(predicted: ReportSummary, golden: ReportSummary) -> Fidelity:
    """Over the engine's written figures that match a golden figure by value, how many kept the
    unit; over those that match by value and unit, how many kept the qualifier (余/近/约…)."""
    result = Fidelity()
    for number in prose_numbers(predicted):
        candidates = _candidates(number, predicted, golden)
        if not candidates:
            continue  # no golden figure has this value: nothing to judge against
        unit = norm_unit(number.get("unit"))
        result.unit_checked += 1
        same_unit = [f for f in candidates if norm_unit(f.unit) == unit]
        if not same_unit:
            result.wrong.append(
                f"{number.get('text')}: unit {unit!r}, golden {candidates[0].text!r}"
            )
            continue
        result.unit_same += 1
        result.qualifier_checked += 1
        if any(f.qualifier == number.get("qualifier") for f in same_unit):
            result.qualifier_same += 1
        else:
            said = number.get("qualifier")
            result.wrong.append(
                f"{number.get('text')}: qualifier {said!r}, golden {same_unit[0].text!r}"
            )
    return result


# --- metadata and cost -----------------------------------------------------------------------


def metadata_exact(predicted: ReportSummary, golden: ReportSummary) -> dict[str, bool]:
    """Issuer and year exactly as in the golden summary; completeness exactly (parts, missing,
    truncated)."""
    return {
        "issuer": predicted.metadata.issuer == golden.metadata.issuer,
        "year": predicted.metadata.year == golden.metadata.year,
        # found_by says how the parts were found, not what a reader finds: not compared.
        "completeness": predicted.completeness.model_dump(exclude={"found_by"})
        == golden.completeness.model_dump(exclude={"found_by"}),
    }


def cost(summary: ReportSummary) -> dict[str, float | int]:
    """What making the summary cost, counted from ``run.parts``.

    The requests are those actually sent: each part's attempts less its re-asks, so a long
    item read in chunks counts each chunk, and a short item that was its own summary (the model
    never asked) counts nothing; re-asks are the pipeline's own count (transport retries
    excluded; a retried request counts once more, as it was sent again). ``first_attempt_valid_n``
    is requests minus re-asks: exact unless a request needed more than one re-ask, a lower
    bound then.
    """
    requests = reasks = 0
    for run in summary.run.parts:
        if run.attempts <= 0:
            continue  # the rules engine asks nothing
        requests += max(0, run.attempts - run.reasks)
        reasks += run.reasks
    return {
        "requests": requests,
        "first_attempt_valid_n": max(0, requests - reasks),
        "reasks": reasks,
        "tokens_in": summary.run.tokens_in,
        "tokens_out": summary.run.tokens_out,
        "seconds": summary.run.seconds,
    }


# --- coverage --------------------------------------------------------------------------------

COVERAGE_RUN = 4
"""A measure counts as mentioned when the summary shares this many consecutive letters/digits
with it (four Chinese characters: a term such as 行政复议 or 执法检查)."""
_MEASURE_STOPS = re.compile(r"[。；;！？!?\n]")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Coverage:
    """What of an item's source segment its summary mentions: figures and measures, counted."""

    figures: int
    figures_said: int
    measures: int
    measures_said: int

    @property
    def units(self) -> int:
        return self.figures + self.measures

    @property
    def said(self) -> int:
        return self.figures_said + self.measures_said


def measures(segment: str) -> list[str]:
    """The measures of a segment: its clauses ending in 。；！？ (or a line end), as letters and
    digits, those shorter than `COVERAGE_RUN` dropped. The heading sentence counts as one."""
    parts = (chars(p) for p in _MEASURE_STOPS.split(segment))
    return [p for p in parts if len(p) >= COVERAGE_RUN]


def _shares_run(a: str, b: str, n: int = COVERAGE_RUN) -> bool:
    return any(a[i : i + n] in b for i in range(len(a) - n + 1))


def figure_said(figure: Figure, summary: str) -> bool:
    """The figure's written digits (the 3 of 3万余份, the 98.5 of 98.5%) stand in the summary as a
    whole number, not inside a longer one."""
    found = _DIGITS.search(figure.text)
    if found is None:
        return figure.text in summary
    digits = re.escape(found.group())
    return re.search(rf"(?<![\d.]){digits}(?![\d]|\.\d)", summary) is not None


def item_coverage(item: Item, source: str) -> Coverage:
    """Coverage of one item: of the figures in its source segment (``item.figures``) and of the
    segment's measures (`measures`), how many its summary mentions (`figure_said`; a measure is
    mentioned when the summary shares `COVERAGE_RUN` consecutive characters with it)."""
    said = chars(item.summary)
    segment = source[item.source_span[0] : item.source_span[1]]
    ms = measures(segment)
    return Coverage(
        figures=len(item.figures),
        figures_said=sum(figure_said(f, item.summary) for f in item.figures),
        measures=len(ms),
        measures_said=sum(_shares_run(m, said) for m in ms),
    )


def coverage(summary: ReportSummary, source: str) -> Coverage:
    """`item_coverage` summed over every item of the summary."""
    total = Coverage(0, 0, 0, 0)
    for items in summary.parts.values():
        for item in items:
            c = item_coverage(item, source)
            total = Coverage(
                total.figures + c.figures,
                total.figures_said + c.figures_said,
                total.measures + c.measures,
                total.measures_said + c.measures_said,
            )
    return total


# --- standard indicators ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    """Per indicator name: golden values, predicted values, and those that match one to one."""

    golden: dict[str, int]
    predicted: dict[str, int]
    matched: dict[str, int]
    missed: list[str]
    extra: list[str]


def score_indicators(predicted: ReportSummary, golden: Sequence[GoldenIndicator]) -> IndicatorScore:
    """A predicted value matches a golden one of the same indicator at the same span with the
    same value (each used once); values that failed their check count as predicted, unmatched."""
    want = {(g.name, g.span): g for g in golden}
    got: dict[str, int] = {}
    hit: dict[str, int] = {}
    extra = []
    used: set[tuple[str, tuple[int, int]]] = set()
    for v in predicted.indicators:
        got[v.name] = got.get(v.name, 0) + 1
        key = (v.name, (v.span[0], v.span[1]))
        g = want.get(key)
        if g is not None and key not in used and v.status == "verified" and v.value == g.value:
            used.add(key)
            hit[v.name] = hit.get(v.name, 0) + 1
        else:
            extra.append(f"{v.name} {v.text}：{v.clause}")
    counts: dict[str, int] = {}
    for g in golden:
        counts[g.name] = counts.get(g.name, 0) + 1
    missed = [f"{g.name} {g.text}" for g in golden if (g.name, g.span) not in used]
    return IndicatorScore(counts, got, hit, missed, extra)
