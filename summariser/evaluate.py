"""Regression evaluation: run the engines on the golden cases, score, gate, write the report.

Cases are data (``eval/golden/<stem>.json``, each naming its report under examples/reports/);
the scorers live in `summariser.scoring`; limits are data too (``eval/floors.json``, written by
hand, and ``eval/baseline.json``, written only by ``summariser eval --update-baseline``).

Counts are summed over all cases before dividing (micro averages): a report with 28 items
weighs more than one with 13. Metadata metrics are shares of cases; cost metrics are means per
report. A case the engine could not summarise (for the model: a request its cassette does not
hold) counts as a failure and scores zero on recall-type metrics.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from summariser.errors import InputError, SummariserError
from summariser.output import summary_json, write_atomic
from summariser.schema import PART_KEYS, PART_NAMES, Item, ReportSummary
from summariser.scoring import (
    OK_STATUSES,
    SPAN_IOU_MIN,
    TEXT_ROUGE_MIN,
    PartScore,
    cost,
    figure_fidelity,
    key_figure_hits,
    metadata_exact,
    prose_numbers,
    score_parts,
    status_counts,
)

ENGINES = ("llm", "rules")
FIGURES_TOLERANCE = 0.02
"""The model "matches" the rules engine on figures verified when it is at most this far below."""
WEAK_ROUGE = TEXT_ROUGE_MIN
"""Matched items whose texts are below this ROUGE-L are listed in the report as weak."""

Result = ReportSummary | SummariserError


@dataclass(frozen=True)
class Metric:
    """One number the evaluation reports; gated metrics are held to floors and the baseline."""

    name: str
    better: Literal["higher", "lower"]
    gated: bool
    what: str


METRICS: tuple[Metric, ...] = (
    Metric("cases_ok", "higher", True, "share of cases summarised at all"),
    Metric("item_recall", "higher", True, "golden items matched one to one by a predicted item"),
    Metric(
        "item_precision",
        "higher",
        True,
        "predicted items matched, in parts the golden summary fills",
    ),
    Metric(
        "rouge_l",
        "higher",
        True,
        "character ROUGE-L F of title+summary, per golden item (0 if missed), averaged",
    ),
    Metric("invented_items", "lower", True, "items in parts the golden summary has empty"),
    Metric(
        "figures_verified",
        "higher",
        True,
        "figures in titles, summaries and causes that are verified or derived",
    ),
    Metric("figures_verified_all", "higher", False, "the same over every string of the summary"),
    Metric(
        "key_figure_recall",
        "higher",
        True,
        "golden key figures the summary carries (same span, or same value/unit/qualifier)",
    ),
    Metric(
        "key_figure_selection",
        "higher",
        False,
        "golden key figures among the summary's own key figures",
    ),
    Metric(
        "unit_fidelity",
        "higher",
        True,
        "written figures matching a golden figure by value that keep its unit",
    ),
    Metric(
        "qualifier_fidelity",
        "higher",
        True,
        "written figures matching a golden figure by value and unit that keep its qualifier",
    ),
    Metric("issuer_exact", "higher", True, "share of cases with the golden issuer"),
    Metric("year_exact", "higher", True, "share of cases with the golden year"),
    Metric(
        "completeness_exact",
        "higher",
        True,
        "share of cases with the golden completeness (parts, missing, truncated)",
    ),
    Metric(
        "first_attempt_valid",
        "higher",
        True,
        "model requests answered validly (schema, figure checks) without a re-ask",
    ),
    Metric("reasks_per_report", "lower", True, "re-asks per report"),
    Metric("tokens_in_per_report", "lower", False, "prompt tokens per report"),
    Metric("tokens_out_per_report", "lower", False, "completion tokens per report"),
    Metric("seconds_per_report", "lower", False, "pipeline seconds per report"),
)
METRIC = {m.name: m for m in METRICS}


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One golden summary and the report it was made from."""

    stem: str
    golden: ReportSummary
    report: Path


def load_cases(cases_dir: Path, reports_dir: Path) -> list[Case]:
    """Every ``cases_dir/*.json`` golden summary, with its report under ``reports_dir``.

    Raises:
        InputError: no cases, a golden file that does not parse, or a report that is missing
            or is not the text the golden summary was made from (its sha256 differs).
    """
    import hashlib

    paths = sorted(cases_dir.glob("*.json"))
    if not paths:
        raise InputError(f"no golden cases in {cases_dir}")
    cases = []
    for path in paths:
        try:
            golden = ReportSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as err:
            first = str(err).splitlines()[0]
            raise InputError(
                f"{path}: not a summary ({first})", hint="run eval/check_golden.py"
            ) from err
        report = reports_dir / golden.source.name
        if not report.is_file():
            raise InputError(f"{path.name}: its report {report} is missing")
        if hashlib.sha256(report.read_bytes()).hexdigest() != golden.source.sha256:
            raise InputError(
                f"{path.name}: {report} is not the text the golden summary was made from",
                hint="rebuild the golden with eval/golden/_build.py",
            )
        cases.append(Case(path.stem, golden, report))
    return cases


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
        return CaseResult(case.stem, engine, result.one_line(), failed, {}, {}, {})
    parts = score_parts(result, golden)
    prose = prose_numbers(result)
    every = result.verification.get("numbers", [])
    every = every if isinstance(every, list) else []
    carried, selected = key_figure_hits(result, golden)
    fidelity = figure_fidelity(result, golden)
    meta = metadata_exact(result, golden)
    spent = cost(result)
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
        "key_figures": len(golden.key_figures),
        "key_carried": sum(carried),
        "key_selected": sum(selected),
        "unit_checked": fidelity.unit_checked,
        "unit_same": fidelity.unit_same,
        "qualifier_checked": fidelity.qualifier_checked,
        "qualifier_same": fidelity.qualifier_same,
        "issuer_exact": int(meta["issuer"]),
        "year_exact": int(meta["year"]),
        "completeness_exact": int(meta["completeness"]),
        **spent,
    }
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
        _diffs(case, result, parts, prose, carried, fidelity.wrong, meta),
        status_counts(prose),
    )


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
        "key_figure_recall": _ratio(g("key_carried", 0), g("key_figures", 0)),
        "key_figure_selection": _ratio(g("key_selected", 0), g("key_figures", 0)),
        "unit_fidelity": _ratio(g("unit_same", 0), g("unit_checked", 0)),
        "qualifier_fidelity": _ratio(g("qualifier_same", 0), g("qualifier_checked", 0)),
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
        "parts": parts,
        "figure_statuses": dict(sorted(statuses.items())),
    }


# --- gates -----------------------------------------------------------------------------------


def check_floors(
    engine: str, metrics: dict[str, float | None], floors: dict[str, Any]
) -> list[str]:
    """Failures against ``floors[engine][metric] = {"min": x}`` or ``{"max": x}``."""
    failures = []
    for name, limit in floors.get(engine, {}).items():
        value = metrics.get(name)
        if value is None:
            continue
        if "min" in limit and value < limit["min"]:
            failures.append(f"{engine} {name} {value:g} is below its floor {limit['min']:g}")
        if "max" in limit and value > limit["max"]:
            failures.append(f"{engine} {name} {value:g} is above its ceiling {limit['max']:g}")
    return failures


def margin_for(name: str, margins: dict[str, float]) -> float:
    return float(margins.get(name, margins.get("default", 0.02)))


def check_baseline(
    engine: str,
    metrics: dict[str, float | None],
    baseline: dict[str, Any],
    margins: dict[str, float],
) -> list[str]:
    """Failures where a gated metric falls more than its margin behind the committed baseline."""
    failures = []
    base = baseline.get("metrics", {}).get(engine, {})
    for name, before in base.items():
        metric, value = METRIC.get(name), metrics.get(name)
        if metric is None or not metric.gated or value is None or before is None:
            continue
        margin = margin_for(name, margins)
        worse = value < before - margin if metric.better == "higher" else value > before + margin
        if worse:
            failures.append(
                f"{engine} {name} {value:g} fell more than {margin:g} "
                f"behind the baseline {before:g}"
            )
    return failures


def check_engines(by_engine: dict[str, dict[str, float | None]]) -> list[str]:
    """The model must beat the rules engine on ROUGE-L, not fall below it on item recall, and
    match it on figures verified (within FIGURES_TOLERANCE).

    Item recall ties by construction while both engines share the structure finder's segments
    (matching is mostly by span), so "not below" is the honest form of "beat" there.
    """
    if "llm" not in by_engine or "rules" not in by_engine:
        return []
    llm, rules = by_engine["llm"], by_engine["rules"]
    failures = []

    def get(m: dict[str, float | None], k: str) -> float:
        return m.get(k) or 0.0

    if get(llm, "rouge_l") <= get(rules, "rouge_l"):
        failures.append(
            f"llm rouge_l {get(llm, 'rouge_l'):g} does not beat rules {get(rules, 'rouge_l'):g}"
        )
    if get(llm, "item_recall") < get(rules, "item_recall"):
        failures.append(
            f"llm item_recall {get(llm, 'item_recall'):g} is below rules "
            f"{get(rules, 'item_recall'):g}"
        )
    shares = (llm.get("figures_verified"), rules.get("figures_verified"))
    if (
        None not in shares
        and get(llm, "figures_verified") < get(rules, "figures_verified") - FIGURES_TOLERANCE
    ):
        failures.append(
            f"llm figures_verified {get(llm, 'figures_verified'):g} does not match rules "
            f"{get(rules, 'figures_verified'):g} (tolerance {FIGURES_TOLERANCE:g})"
        )
    return failures


# --- running the engines ---------------------------------------------------------------------


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_rules(cases: list[Case], log: Callable[[str], None] = _stderr) -> dict[str, Result]:
    """The rules engine on every case: no model at all."""
    from summariser.pipeline import RulesDrafter, summarise
    from summariser.reading import read_document

    results: dict[str, Result] = {}
    for case in cases:
        try:
            results[case.stem] = summarise(read_document(case.report), RulesDrafter())
        except SummariserError as err:
            results[case.stem] = err
    return results


def run_replay(
    cases: list[Case], cassette_dir: Path, log: Callable[[str], None] = _stderr
) -> dict[str, Result]:
    """The model engine replayed from ``cassette_dir/<stem>.yaml``; no network, no model."""
    from summariser.replay import summarise_cases

    results: dict[str, Result] = {}
    present = []
    for case in cases:
        if (cassette_dir / f"{case.report.stem}.yaml").is_file():
            present.append(case)
        else:
            results[case.stem] = SummariserError(
                f"{case.report.name}: no cassette {cassette_dir / (case.report.stem + '.yaml')}",
                hint="record it with `summariser record`, or run `summariser eval --live`",
            )
    if present:
        replayed = summarise_cases([c.report for c in present], cassette_dir)
        for case in present:
            results[case.stem] = replayed[case.report.stem]
    return results


def run_live(cases: list[Case], log: Callable[[str], None] = _stderr) -> dict[str, Result]:
    """The model engine against the configured endpoint (the local model when none is set)."""
    import contextlib

    from summariser.config import resolve_endpoint
    from summariser.llm import ModelDoor
    from summariser.pipeline import ModelDrafter, summarise
    from summariser.prompts import load
    from summariser.reading import read_document

    endpoint = resolve_endpoint()
    template = load("items")
    results: dict[str, Result] = {}
    with contextlib.ExitStack() as stack:
        url = endpoint.base_url
        if endpoint.is_local:
            from summariser.local_model import serve

            log("starting the local model server...")
            url = stack.enter_context(serve()).base_url
        drafter = ModelDrafter(ModelDoor(url, endpoint.model, endpoint.api_key), template)
        for case in cases:
            try:
                doc = read_document(case.report)
                results[case.stem] = summarise(
                    doc, drafter, template=template, model=endpoint.model, progress=log
                )
            except SummariserError as err:
                results[case.stem] = err
    return results


def run_engine(
    engine: str,
    cases: list[Case],
    *,
    live: bool,
    cassette_dir: Path,
    log: Callable[[str], None] = _stderr,
) -> dict[str, Result]:
    """Outputs of one engine on every case, stem -> summary or the error that stopped it."""
    if engine == "rules":
        return run_rules(cases, log)
    if engine == "llm":
        return run_live(cases, log) if live else run_replay(cases, cassette_dir, log)
    raise InputError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")


# --- the evaluation --------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise InputError(f"{path}: not JSON ({err})") from err
    return data if isinstance(data, dict) else {}


def evaluate(
    cases: list[Case],
    outputs: dict[str, dict[str, Result]],
    *,
    floors: dict[str, Any],
    baseline: dict[str, Any],
    seconds: dict[str, float] | None = None,
    mode: str = "replay",
) -> dict[str, Any]:
    """Score every engine's outputs and apply the gates; the whole report as one dict."""
    engines: dict[str, Any] = {}
    for engine, results in outputs.items():
        scored = [score_case(case, engine, results[case.stem]) for case in cases]
        agg = aggregate(scored)
        made = next((r for r in results.values() if isinstance(r, ReportSummary)), None)
        engines[engine] = {
            "model": made.run.model if made else None,
            "prompt_version": made.run.prompt_version if made else None,
            "prompt_sha256": made.run.prompt_sha256 if made else None,
            "wall_seconds": round((seconds or {}).get(engine, 0.0), 2),
            **agg,
            "cases": [
                {
                    "stem": r.stem,
                    "error": r.error,
                    "score": round(r.score(), 4),
                    "metrics": r.metrics(),
                    "parts": r.parts,
                    "figure_statuses": r.statuses,
                    "diffs": r.diffs,
                }
                for r in sorted(scored, key=lambda r: (r.score(), r.stem))
            ],
        }
    failures: list[str] = []
    for engine, data in engines.items():
        for case in data["cases"]:
            if case["error"]:
                failures.append(f"{engine} {case['stem']}: {case['error']}")
    margins = floors.get("margins", {})
    for engine, data in engines.items():
        failures += check_floors(engine, data["metrics"], floors.get("floors", {}))
        failures += check_baseline(engine, data["metrics"], baseline, margins)
    failures += check_engines({e: d["metrics"] for e, d in engines.items()})
    notes = [
        f"no baseline for {e}: write one with `summariser eval --update-baseline`"
        for e in engines
        if e not in baseline.get("metrics", {})
    ]
    return {
        "mode": mode,
        "cases": [c.stem for c in cases],
        "thresholds": {
            "span_iou_min": SPAN_IOU_MIN,
            "text_rouge_l_min": TEXT_ROUGE_MIN,
            "figures_tolerance": FIGURES_TOLERANCE,
            "margins": margins,
        },
        "metric_definitions": {
            m.name: {"better": m.better, "gated": m.gated, "what": m.what} for m in METRICS
        },
        "engines": engines,
        "passed": not failures,
        "failures": failures,
        "notes": notes,
    }


def baseline_from(report: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The baseline file's content: the gated metrics of every engine in this run, keeping
    ``previous`` entries for engines this run did not evaluate."""
    previous = previous or {}
    engines = dict(previous.get("engines", {}))
    metrics = dict(previous.get("metrics", {}))
    for e, d in report["engines"].items():
        engines[e] = {k: d[k] for k in ("model", "prompt_version", "prompt_sha256")}
        metrics[e] = {k: v for k, v in d["metrics"].items() if METRIC[k].gated and v is not None}
    return {
        "written_by": "summariser eval --update-baseline",
        "mode": report["mode"],
        "cases": report["cases"],
        "engines": dict(sorted(engines.items())),
        "metrics": dict(sorted(metrics.items())),
    }


def run_eval(
    cases_dir: Path,
    out_dir: Path,
    *,
    live: bool,
    engines: list[str],
    update_baseline: bool,
    reports_dir: Path = Path("examples/reports"),
    cassette_dir: Path = Path("cassettes"),
    eval_dir: Path | None = None,
    log: Callable[[str], None] = _stderr,
) -> int:
    """Run ``engines`` on the golden cases, write OUT/report.json and OUT/report.md, gate.

    The floors and the baseline are read from ``eval_dir`` (default: the parent of
    ``cases_dir``), as floors.json and baseline.json. With ``update_baseline`` the baseline is
    rewritten from this run instead of being checked (refused when a case failed).

    Returns:
        0 when every case ran and no gate failed, 1 otherwise.

    Raises:
        InputError: no cases, an unknown engine, or a broken floors/baseline file.
    """
    eval_dir = eval_dir or cases_dir.parent
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        raise InputError(f"unknown engine(s) {unknown}: use {', '.join(ENGINES)}")
    cases = load_cases(cases_dir, reports_dir)
    floors = _read_json(eval_dir / "floors.json")
    baseline_path = eval_dir / "baseline.json"
    baseline = {} if update_baseline else _read_json(baseline_path)
    outputs: dict[str, dict[str, Result]] = {}
    seconds: dict[str, float] = {}
    for engine in engines:
        log(f"eval: {engine} on {len(cases)} cases{' (live)' if live and engine == 'llm' else ''}")
        started = time.monotonic()
        outputs[engine] = run_engine(engine, cases, live=live, cassette_dir=cassette_dir, log=log)
        seconds[engine] = time.monotonic() - started
        for stem, result in outputs[engine].items():
            if isinstance(result, ReportSummary):
                write_atomic(out_dir / engine / f"{stem}.json", summary_json(result))
    report = evaluate(
        cases,
        outputs,
        floors=floors,
        baseline=baseline,
        seconds=seconds,
        mode="live" if live else "replay",
    )
    if update_baseline:
        if any(c["error"] for d in report["engines"].values() for c in d["cases"]):
            report["failures"].append("baseline not written: some cases failed")
        else:
            text = (
                json.dumps(
                    baseline_from(report, _read_json(baseline_path)), ensure_ascii=False, indent=2
                )
                + "\n"
            )
            write_atomic(baseline_path, text)
            report["notes"] = [f"baseline written to {baseline_path}"]
        report["passed"] = not report["failures"]
    write_atomic(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(out_dir / "report.md", render_report(report))
    print(summary_table(report))
    for line in report["failures"]:
        print(f"FAIL  {line}")
    for line in report["notes"]:
        print(f"note  {line}")
    if any(c["error"] for d in report["engines"].values() for c in d["cases"]):
        print(
            "hint  a replay miss means the prompt, schema or model changed: re-record with "
            "`summariser record examples/reports/*.txt`, or run `summariser eval --live`"
        )
    print(f"{'passed' if report['passed'] else 'FAILED'}: {out_dir / 'report.md'}")
    return 0 if report["passed"] else 1


# --- writing ---------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def summary_table(report: dict[str, Any]) -> str:
    """Metric by metric, one column per engine: the short table printed to stdout."""
    names = list(report["engines"])
    rows = [["metric", *names]]
    for m in METRICS:
        rows.append([m.name, *[_fmt(report["engines"][e]["metrics"].get(m.name)) for e in names]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items()) or "none written"


def render_report(report: dict[str, Any]) -> str:
    """report.md: the set table, the gates, then every case worst first with item differences."""
    engines = report["engines"]
    names = list(engines)
    out = [f"# Evaluation ({report['mode']}, {len(report['cases'])} cases)", ""]
    out.append(f"**{'Passed' if report['passed'] else 'FAILED'}.**")
    out += [f"- {f}" for f in report["failures"]] + [f"- note: {n}" for n in report["notes"]] + [""]
    for e in names:
        d = engines[e]
        made = ", ".join(f"{k} {d[k]}" for k in ("model", "prompt_version") if d.get(k))
        out.append(f"- **{e}**: {made or 'no model'}; {d['wall_seconds']} s for the set")
    out += ["", "| metric | " + " | ".join(names) + " | better |", "|---" * (len(names) + 2) + "|"]
    for m in METRICS:
        vals = " | ".join(_fmt(engines[e]["metrics"].get(m.name)) for e in names)
        out.append(f"| {m.name}{'' if m.gated else ' (info)'} | {vals} | {m.better} |")
    t = report["thresholds"]
    out += [
        "",
        f"Items match one to one (greedy on max(IoU, ROUGE-L)) when source spans overlap "
        f"≥ {t['span_iou_min']} IoU or title+summary reach ≥ {t['text_rouge_l_min']} character "
        "ROUGE-L. The model must beat rules on ROUGE-L, not fall below it on item recall, and "
        f"stay within {t['figures_tolerance']} of it on figures verified.",
        "",
        "## Per part",
        "",
        "| engine | part | golden | predicted | recall | precision | ROUGE-L |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in names:
        for key, p in engines[e]["parts"].items():
            if p["golden"] or p["predicted"]:
                out.append(
                    f"| {e} | {key} | {p['golden']} | {p['predicted']} | {_fmt(p['recall'])} | "
                    f"{_fmt(p['precision'])} | {_fmt(p['rouge_l'])} |"
                )
    out += [
        "",
        "Figure statuses (titles, summaries, causes): "
        + "; ".join(f"{e}: {_statuses(engines[e]['figure_statuses'])}" for e in names),
    ]
    for e in names:
        out += ["", f"## {e}: cases, worst first", ""]
        for case in engines[e]["cases"]:
            out += _render_case(case)
    return "\n".join(out).rstrip() + "\n"


def _render_case(case: dict[str, Any]) -> list[str]:
    m = case["metrics"]
    out = [f"### {case['stem']} — score {case['score']:.3f}", ""]
    if case["error"]:
        return out + [f"Failed: {case['error']}", ""]
    out.append(
        f"recall {_fmt(m['item_recall'])}, precision {_fmt(m['item_precision'])}, ROUGE-L "
        f"{_fmt(m['rouge_l'])}, figures verified {_fmt(m['figures_verified'])}, key figures "
        f"{_fmt(m['key_figure_recall'])}, invented {_fmt(m['invented_items'])}"
    )
    d = case["diffs"]

    def item(row: dict[str, Any]) -> str:
        return f"{PART_NAMES[row['part']][:6]} {row['span']} {row['title']}：{row['summary']}"

    sections = [
        ("Missed golden items", [item(r) for r in d["missed_items"]]),
        ("Unmatched predicted items", [item(r) for r in d["extra_items"]]),
        ("Invented items (part empty in the golden)", [item(r) for r in d["invented_items"]]),
        (
            "Weak matches",
            [
                f"{w['part']} ROUGE-L {w['rouge_l']}: golden “{w['golden']}” / "
                f"predicted “{w['predicted']}”"
                for w in d["weak_items"][:5]
            ],
        ),
        (
            "Figures not verified",
            [
                f"{f['text']} ({f['status']}{'：' + f['note'] if f.get('note') else ''}) "
                f"at {f['path']}"
                for f in d["figures_not_verified"]
            ],
        ),
        ("Figure fidelity", d["figure_fidelity"]),
        ("Key figures missed", d["key_figures_missed"]),
        ("Metadata", d["metadata"]),
    ]
    for title, lines in sections:
        if lines:
            out += ["", f"{title}:"] + [f"- {line}" for line in lines]
    return out + [""]


# --- comparing two runs ----------------------------------------------------------------------


def _load_report(path: Path) -> dict[str, Any]:
    file = path / "report.json" if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"{path}: no report.json", hint="run `summariser eval --out DIR` first")
    return _read_json(file)


def compare_table(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Two runs side by side, metric by metric, per engine, with B − A and which way is better."""
    lines = []
    for label, r in (("A", a), ("B", b)):
        for e, d in r.get("engines", {}).items():
            sha = (d.get("prompt_sha256") or "")[:12]
            lines.append(
                f"{label} {e}: {r.get('mode')}, {d.get('model') or 'no model'}"
                f"{', prompt ' + sha if sha else ''}"
            )
    rows = [["engine", "metric", "A", "B", "B-A", ""]]
    for e in sorted(set(a.get("engines", {})) | set(b.get("engines", {}))):
        ma = a.get("engines", {}).get(e, {}).get("metrics", {})
        mb = b.get("engines", {}).get(e, {}).get("metrics", {})
        for m in METRICS:
            va, vb = ma.get(m.name), mb.get(m.name)
            delta, verdict = "", ""
            if va is not None and vb is not None:
                diff = vb - va
                delta = f"{diff:+.3f}" if diff else "0"
                if diff:
                    verdict = "better" if (diff > 0) == (m.better == "higher") else "worse"
            rows.append([e, m.name, _fmt(va), _fmt(vb), delta, verdict])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def run_compare(run_a: Path, run_b: Path) -> int:
    """Print two eval runs side by side (prompt A vs B, model A vs B); 0, or 2 for bad input.

    Each argument is an eval output folder or its report.json.
    """
    print(compare_table(_load_report(run_a), _load_report(run_b)))
    return 0
