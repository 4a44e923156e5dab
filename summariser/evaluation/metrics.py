"""Per-case scoring and set-level aggregation: the metric table, each case's tally, their sums.

Counts are summed over all cases before dividing (micro averages): a report with 28 items
weighs more than one with 13. Metadata metrics are shares of cases; cost metrics are means per
report. A case the engine could not summarise (for the model: a request its cassette does not
hold) counts as a failure and scores zero on recall-type metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from summariser.errors import SummariserError
from summariser.evaluation.data import Case, Result
from summariser.evaluation.invention import unsupported_figures
from summariser.evaluation.scoring import (
    TEXT_ROUGE_MIN,
    PartScore,
    cost,
    coverage,
    figure_fidelity,
    item_rouges,
    key_figure_hits,
    metadata_exact,
    prose_numbers,
    score_indicators,
    score_parts,
    status_counts,
)
from summariser.reading.documents import read_document
from summariser.schema import OK_STATUSES, PART_KEYS, Item, ReportSummary

WEAK_ROUGE = TEXT_ROUGE_MIN
"""Matched items whose texts are below this ROUGE-L are listed in the report as weak."""


@dataclass(frozen=True)
class Metric:
    """One number the evaluation reports; gated metrics are held to floors and the baseline."""

    name: str
    what: str
    better: Literal["higher", "lower"] = "higher"
    gated: bool = True


METRICS: tuple[Metric, ...] = (
    Metric("cases_ok", "share of cases summarised at all"),
    Metric("item_recall", "golden items matched one to one by a predicted item"),
    Metric("item_precision", "predicted items matched, in parts the golden summary fills"),
    Metric(
        "rouge_l",
        "character ROUGE-L F of title+summary, per golden item (0 if missed), averaged",
    ),
    Metric("invented_items", "items in parts the golden summary has empty", "lower"),
    Metric(
        "figures_verified",
        "figures in titles, summaries and causes that are verified or derived",
    ),
    Metric("figures_verified_all", "the same over every string of the summary", gated=False),
    Metric(
        "invented_figures",
        "written figures shown as verified or derived that the source does not bear out "
        "(a second opinion: evaluation.invention)",
        "lower",
    ),
    Metric(
        "key_figure_recall",
        "golden key figures the summary carries (same span, or same value/unit/qualifier)",
    ),
    Metric(
        "key_figure_selection",
        "golden key figures among the summary's own key figures",
        gated=False,
    ),
    Metric(
        "unit_fidelity",
        "written figures matching a golden figure by value that keep its unit",
    ),
    Metric(
        "qualifier_fidelity",
        "written figures matching a golden figure by value and unit that keep its qualifier",
    ),
    Metric(
        "coverage",
        "of each item's source figures and measures (clauses ending in 。；), the share its summary "
        "mentions (the figure's digits; a measure: four consecutive characters in common)",
        gated=False,
    ),
    Metric("coverage_figures", "the same, figures only", gated=False),
    Metric("coverage_measures", "the same, measures only", gated=False),
    Metric(
        "indicator_precision",
        "standard-indicator values found that a hand-read golden value has (same name and span)",
    ),
    Metric("indicator_recall", "hand-read standard-indicator values found (same name and span)"),
    Metric("issuer_exact", "share of cases with the golden issuer"),
    Metric("year_exact", "share of cases with the golden year"),
    Metric(
        "completeness_exact",
        "share of cases with the golden completeness (parts, missing, truncated)",
    ),
    Metric(
        "first_attempt_valid",
        "model requests answered validly (schema, figure checks) without a re-ask",
    ),
    Metric("reasks_per_report", "re-asks per report", "lower"),
    Metric("tokens_in_per_report", "prompt tokens per report", "lower", gated=False),
    Metric("tokens_out_per_report", "completion tokens per report", "lower", gated=False),
    Metric("seconds_per_report", "pipeline seconds per report", "lower", gated=False),
)
METRIC = {m.name: m for m in METRICS}


# --- scoring one case ------------------------------------------------------------------------


@dataclass
class CaseResult:
    """An engine's output on one case: its tally (counts), and what differs, item by item."""

    stem: str
    engine: str
    error: str | None
    tally: dict[str, float]
    parts: dict[str, dict[str, float | None]]
    diffs: dict[str, list[Any]]
    statuses: dict[str, int]
    item_rouge: list[float] = field(default_factory=list)
    """ROUGE-L per golden item (``scoring.item_rouges``), for the paired comparison of engines."""

    def metrics(self) -> dict[str, float | None]:
        return metrics_from(self.tally)

    def score(self) -> float:
        """One number for ordering the report, worst first: the mean of recall, ROUGE-L, figures
        verified and key-figure recall (a failed case scores 0)."""
        if self.error:
            return 0.0
        m = self.metrics()
        values = [m[k] for k in ("item_recall", "rouge_l", "figures_verified", "key_figure_recall")]
        known = [v for v in values if v is not None]
        return sum(known) / len(known) if known else 0.0


def _item_row(part: str, item: Item) -> dict[str, Any]:
    return {
        "part": part,
        "title": item.title,
        "summary": item.summary,
        "span": list(item.source_span),
    }


def score_case(case: Case, engine: str, result: Result) -> CaseResult:
    """Score one engine's output (or its failure) against the case's golden summary."""
    golden = case.golden
    n_golden = sum(len(v) for v in golden.parts.values())
    if isinstance(result, SummariserError):
        failed: dict[str, float] = {
            "cases": 1,
            "golden_items": n_golden,
            "key_figures": len(golden.key_figures),
        }
        return CaseResult(
            case.stem, engine, result.one_line(), failed, {}, {}, {}, [0.0] * n_golden
        )
    parts = score_parts(result, golden)
    prose = prose_numbers(result)
    every = result.verification.get("numbers", [])
    every = every if isinstance(every, list) else []
    carried, selected = key_figure_hits(result, golden)
    fidelity = figure_fidelity(result, golden)
    meta = metadata_exact(result, golden)
    spent = cost(result)
    source = read_document(case.report).text
    covered = coverage(result, source)
    invented = unsupported_figures(result, source)
    tally: dict[str, float] = {
        "cases": 1,
        "cases_ok": 1,
        "golden_items": n_golden,
        "predicted_items": sum(p.predicted for p in parts.values() if p.golden),
        "matched_items": sum(p.matched for p in parts.values()),
        "rouge_sum": sum(p.rouge_sum for p in parts.values()),
        "invented_items": sum(p.invented for p in parts.values()),
        "prose_numbers": len(prose),
        "prose_ok": sum(n.get("status") in OK_STATUSES for n in prose),
        "all_numbers": len(every),
        "all_ok": sum(isinstance(n, dict) and n.get("status") in OK_STATUSES for n in every),
        "invented_figures": len(invented),
        "key_figures": len(golden.key_figures),
        "key_carried": sum(carried),
        "key_selected": sum(selected),
        "unit_checked": fidelity.unit_checked,
        "unit_same": fidelity.unit_same,
        "qualifier_checked": fidelity.qualifier_checked,
        "qualifier_same": fidelity.qualifier_same,
        "cover_figures": covered.figures,
        "cover_figures_said": covered.figures_said,
        "cover_measures": covered.measures,
        "cover_measures_said": covered.measures_said,
        "issuer_exact": int(meta["issuer"]),
        "year_exact": int(meta["year"]),
        "completeness_exact": int(meta["completeness"]),
        **spent,
    }
    diffs = _diffs(case, result, parts, prose, carried, fidelity.wrong, meta)
    if case.indicators is not None:
        found = score_indicators(result, case.indicators)
        tally.update(_indicator_tally(found.golden, found.predicted, found.matched))
        diffs.update(indicators_missed=found.missed, indicators_extra=found.extra)
    return CaseResult(
        case.stem,
        engine,
        None,
        tally,
        {
            k: {
                "recall": p.recall,
                "precision": p.precision,
                "rouge_l": p.rouge_l,
                "golden": p.golden,
                "predicted": p.predicted,
            }
            for k, p in parts.items()
        },
        {**diffs, "figures_invented": invented},
        status_counts(prose),
        item_rouges(parts),
    )


IND = "indicator:"
"""Tally keys ``indicator:<name>:golden|predicted|matched`` hold per-indicator counts."""


def _indicator_tally(
    golden: dict[str, int], predicted: dict[str, int], matched: dict[str, int]
) -> dict[str, float]:
    out: dict[str, float] = {
        "ind_golden": sum(golden.values()),
        "ind_predicted": sum(predicted.values()),
        "ind_matched": sum(matched.values()),
    }
    for kind, counts in (("golden", golden), ("predicted", predicted), ("matched", matched)):
        out.update({f"{IND}{name}:{kind}": n for name, n in counts.items()})
    return out


def per_indicator(tally: dict[str, float]) -> dict[str, dict[str, float | None]]:
    """Precision and recall of each standard indicator, from a (summed) tally."""
    names = sorted({k.split(":")[1] for k in tally if k.startswith(IND)})
    out = {}
    for name in names:
        g, p, m = (tally.get(f"{IND}{name}:{k}", 0) for k in ("golden", "predicted", "matched"))
        out[name] = {
            "golden": g,
            "predicted": p,
            "matched": m,
            "precision": _ratio(m, p),
            "recall": _ratio(m, g),
        }
    return out


def _said(item: Item) -> str:
    return f"{item.title}：{item.summary}"


def _diffs(
    case: Case,
    result: ReportSummary,
    parts: dict[str, PartScore],
    prose: list[dict[str, Any]],
    carried: list[bool],
    fidelity_wrong: list[str],
    meta: dict[str, bool],
) -> dict[str, list[Any]]:
    golden = case.golden
    missed: list[dict[str, Any]] = []
    extra: list[dict[str, Any]] = []
    invented: list[dict[str, Any]] = []
    weak: list[dict[str, Any]] = []
    for key, score in parts.items():
        g_items, p_items = golden.parts.get(key, []), result.parts.get(key, [])
        missed += [_item_row(key, g_items[i]) for i in score.missed]
        rows = [_item_row(key, p_items[i]) for i in score.extra]
        (extra if score.golden else invented).extend(rows)
        for m in score.matches:
            if m.rouge < WEAK_ROUGE:
                weak.append(
                    {
                        "part": key,
                        "rouge_l": round(m.rouge, 3),
                        "iou": round(m.iou, 3),
                        "golden": _said(g_items[m.golden]),
                        "predicted": _said(p_items[m.predicted]),
                    }
                )
    weak.sort(key=lambda w: w["rouge_l"])
    mismatched = []
    if not meta["issuer"]:
        mismatched.append(f"issuer {result.metadata.issuer!r}, golden {golden.metadata.issuer!r}")
    if not meta["year"]:
        mismatched.append(f"year {result.metadata.year!r}, golden {golden.metadata.year!r}")
    if not meta["completeness"]:
        got, want = result.completeness.model_dump(), golden.completeness.model_dump()
        mismatched.append(f"completeness {got}, golden {want}")
    return {
        "missed_items": missed,
        "extra_items": extra,
        "invented_items": invented,
        "weak_items": weak,
        "figures_not_verified": [
            {
                "text": n.get("text"),
                "status": n.get("status"),
                "note": n.get("note"),
                "path": n.get("path"),
            }
            for n in prose
            if n.get("status") not in OK_STATUSES
        ],
        "figure_fidelity": fidelity_wrong,
        "key_figures_missed": [
            k.figure.text for k, hit in zip(golden.key_figures, carried, strict=True) if not hit
        ],
        "metadata": mismatched,
    }


# --- aggregation -----------------------------------------------------------------------------

# --- aggregation -----------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def metrics_from(t: dict[str, float]) -> dict[str, float | None]:
    """The metrics of a tally (one case's, or the sum over cases)."""
    g = t.get
    ok = g("cases_ok", 0)
    return {
        "cases_ok": _ratio(ok, g("cases", 0)),
        "item_recall": _ratio(g("matched_items", 0), g("golden_items", 0)),
        "item_precision": _ratio(g("matched_items", 0), g("predicted_items", 0)) if ok else None,
        "rouge_l": _ratio(g("rouge_sum", 0), g("golden_items", 0)),
        "invented_items": g("invented_items", 0) if ok else None,
        "figures_verified": _ratio(g("prose_ok", 0), g("prose_numbers", 0)),
        "figures_verified_all": _ratio(g("all_ok", 0), g("all_numbers", 0)),
        "invented_figures": g("invented_figures", 0) if ok else None,
        "key_figure_recall": _ratio(g("key_carried", 0), g("key_figures", 0)),
        "key_figure_selection": _ratio(g("key_selected", 0), g("key_figures", 0)),
        "unit_fidelity": _ratio(g("unit_same", 0), g("unit_checked", 0)),
        "qualifier_fidelity": _ratio(g("qualifier_same", 0), g("qualifier_checked", 0)),
        "coverage": _ratio(
            g("cover_figures_said", 0) + g("cover_measures_said", 0),
            g("cover_figures", 0) + g("cover_measures", 0),
        ),
        "coverage_figures": _ratio(g("cover_figures_said", 0), g("cover_figures", 0)),
        "coverage_measures": _ratio(g("cover_measures_said", 0), g("cover_measures", 0)),
        "indicator_precision": _ratio(g("ind_matched", 0), g("ind_predicted", 0)),
        "indicator_recall": _ratio(g("ind_matched", 0), g("ind_golden", 0)),
        "issuer_exact": _ratio(g("issuer_exact", 0), g("cases", 0)),
        "year_exact": _ratio(g("year_exact", 0), g("cases", 0)),
        "completeness_exact": _ratio(g("completeness_exact", 0), g("cases", 0)),
        "first_attempt_valid": _ratio(g("first_attempt_valid_n", 0), g("requests", 0)),
        "reasks_per_report": _ratio(g("reasks", 0), ok) if g("requests", 0) else None,
        "tokens_in_per_report": _ratio(g("tokens_in", 0), ok) if g("requests", 0) else None,
        "tokens_out_per_report": _ratio(g("tokens_out", 0), ok) if g("requests", 0) else None,
        "seconds_per_report": _ratio(g("seconds", 0), ok),
    }


def aggregate(results: list[CaseResult]) -> dict[str, Any]:
    """Set-level metrics, per-part breakdown and status counts for one engine's cases."""
    total: dict[str, float] = {}
    statuses: dict[str, int] = {}
    part_totals = {
        k: {"golden": 0.0, "predicted": 0.0, "matched": 0.0, "rouge_sum": 0.0} for k in PART_KEYS
    }
    for r in results:
        for key, value in r.tally.items():
            total[key] = total.get(key, 0) + value
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
        for key, p in r.parts.items():
            pt = part_totals[key]
            pt["golden"] += p["golden"] or 0
            pt["predicted"] += p["predicted"] or 0
            pt["matched"] += (p["recall"] or 0) * (p["golden"] or 0)
            pt["rouge_sum"] += (p["rouge_l"] or 0) * (p["golden"] or 0)
    parts = {
        key: {
            "golden": int(pt["golden"]),
            "predicted": int(pt["predicted"]),
            "recall": _ratio(pt["matched"], pt["golden"]),
            "precision": _ratio(pt["matched"], pt["predicted"]) if pt["golden"] else None,
            "rouge_l": _ratio(pt["rouge_sum"], pt["golden"]),
        }
        for key, pt in part_totals.items()
    }
    return {
        "metrics": metrics_from(total),
        "indicators": per_indicator(total),
        "parts": parts,
        "figure_statuses": dict(sorted(statuses.items())),
    }
