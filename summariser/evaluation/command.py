"""The eval command: run the engines on each split's golden cases, score, gate, write reports.

The stages live beside it: `data` (splits, cases, floors, baseline), `engines`
(running), `metrics` over `scoring` (per case and per set), `gates`, `report`
(writing).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summariser.errors import InputError
from summariser.evaluation.data import (
    Case,
    Result,
    Split,
    load_cases,
    load_report,
    read_json,
    section,
)
from summariser.evaluation.engines import ENGINES, run_engine, stderr
from summariser.evaluation.gates import (
    FIGURES_TOLERANCE,
    baseline_from,
    check_baseline,
    check_engines,
    check_floors,
    llm_vs_rules,
    paired_lead,
)
from summariser.evaluation.metrics import METRICS, CaseResult, aggregate, score_case
from summariser.evaluation.report import compare_table, render_report, summary_table
from summariser.evaluation.scoring import SPAN_IOU_MIN, TEXT_ROUGE_MIN
from summariser.output.files import summary_json, write_atomic
from summariser.schema import ReportSummary


def evaluate(
    cases: list[Case],
    outputs: dict[str, dict[str, Result]],
    *,
    floors: dict[str, Any],
    baseline: dict[str, Any],
    seconds: dict[str, float] | None = None,
    mode: str = "replay",
    split: str | None = None,
) -> dict[str, Any]:
    """Score every engine's outputs and apply the gates; the whole report as one dict.

    ``floors`` is the split's section of floors.json with the shared ``margins``. Its
    ``gate_baseline`` and ``gate_engines`` (both true unless set false) say whether falling
    behind the baseline, and the model not beating the rules engine, fail the run; when
    false the findings are still reported (``reported``), only not gated.
    """
    engines: dict[str, Any] = {}
    scored_by: dict[str, list[CaseResult]] = {}
    for engine, results in outputs.items():
        scored = [score_case(case, engine, results[case.stem]) for case in cases]
        scored_by[engine] = scored
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
    drift: list[str] = []
    for engine, data in engines.items():
        failures += check_floors(engine, data["metrics"], floors.get("floors", {}))
        drift += check_baseline(engine, data["metrics"], baseline, margins)
    by_engine = {e: d["metrics"] for e, d in engines.items()}
    versus = check_engines(by_engine)
    reported: list[str] = []
    for gated, found in (
        (floors.get("gate_baseline", True), drift),
        (floors.get("gate_engines", True), versus),
    ):
        if gated:
            failures += found
        else:
            reported += found
    notes = [
        f"no baseline for {e}: write one with `summariser eval --update-baseline`"
        for e in engines
        if e not in baseline.get("metrics", {})
    ]
    return {
        "split": split,
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
        "llm_vs_rules": llm_vs_rules(by_engine),
        "llm_vs_rules_items": paired_lead(*_item_rouges(scored_by)),
        "passed": not failures,
        "failures": failures,
        "reported": reported,
        "notes": notes,
    }


def _item_rouges(scored_by: dict[str, list[CaseResult]]) -> tuple[list[float], list[float]]:
    """Per golden item ROUGE-L of the model and of the rules engine, case by case in the same
    order (empty when either engine was not run)."""
    if "llm" not in scored_by or "rules" not in scored_by:
        return [], []
    llm, rules = ([x for r in scored_by[e] for x in r.item_rouge] for e in ("llm", "rules"))
    return llm, rules


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
    split: str | None = None,
    log: Callable[[str], None] = stderr,
) -> int:
    """Run ``engines`` on the golden cases, write OUT/report.json and OUT/report.md, gate.

    The floors and the baseline are read from ``eval_dir`` (default: the parent of
    ``cases_dir``), as floors.json and baseline.json: the sections of ``split`` when the files
    hold one per split (see `data.section`). With ``update_baseline`` the baseline (that
    split's section) is rewritten from this run instead of being checked (refused when a case
    failed).

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
    floors_file = read_json(eval_dir / "floors.json")
    floors = {**section(floors_file, split), "margins": floors_file.get("margins", {})}
    baseline_path = eval_dir / "baseline.json"
    baseline = {} if update_baseline else section(read_json(baseline_path), split)
    outputs: dict[str, dict[str, Result]] = {}
    seconds: dict[str, float] = {}
    for engine in engines:
        where = f" of {split}" if split else ""
        log(
            f"eval: {engine} on {len(cases)} cases{where}{' (live)' if live and engine == 'llm' else ''}"
        )
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
        split=split,
    )
    if update_baseline:
        if any(c["error"] for d in report["engines"].values() for c in d["cases"]):
            report["failures"].append("baseline not written: some cases failed")
        else:
            whole = read_json(baseline_path)
            written = baseline_from(report, section(whole, split))
            if split is not None:
                written = {
                    "written_by": written.pop("written_by"),
                    "splits": {**whole.get("splits", {}), split: written},
                }
            text = json.dumps(written, ensure_ascii=False, indent=2) + "\n"
            write_atomic(baseline_path, text)
            report["notes"] = [f"baseline written to {baseline_path}"]
        report["passed"] = not report["failures"]
    write_atomic(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(out_dir / "report.md", render_report(report))
    if split:
        print(f"== split {split} ({len(cases)} cases) ==")
    print(summary_table(report))
    versus = report["llm_vs_rules"]
    if versus:
        print("llm - rules: " + ", ".join(f"{k} {v:+.4f}" for k, v in versus.items()))
    if paired := report.get("llm_vs_rules_items"):
        low, high = paired["ci95"]
        print(
            f"llm - rules, rouge_l item by item: {paired['mean']:+.4f} "
            f"[{low:+.4f}, {high:+.4f}] over {paired['items']} items, "
            f"higher on {paired['better']}, lower on {paired['worse']}"
        )
    for line in report["failures"]:
        print(f"FAIL  {line}")
    for line in report["reported"]:
        print(f"info  {line} (reported, not gated on this split)")
    for line in report["notes"]:
        print(f"note  {line}")
    if any(c["error"] for d in report["engines"].values() for c in d["cases"]):
        print(
            "hint  a replay miss means the prompt, schema or model changed: re-record with "
            "`summariser record` (every split), or run `summariser eval --live`"
        )
    print(f"{'passed' if report['passed'] else 'FAILED'}: {out_dir / 'report.md'}")
    return 0 if report["passed"] else 1


def run_splits(
    splits: list[Split],
    out_dir: Path,
    *,
    live: bool,
    engines: list[str],
    update_baseline: bool,
    eval_dir: Path = Path("eval"),
    log: Callable[[str], None] = stderr,
) -> int:
    """`run_eval` on each split in turn, writing OUT/<split>/; 1 when any split failed.

    Every split is run even after one fails, so one command shows all of them.
    """
    codes = [
        run_eval(
            s.cases_dir,
            out_dir / s.name,
            live=live,
            engines=engines,
            update_baseline=update_baseline,
            reports_dir=s.reports_dir,
            cassette_dir=s.cassette_dir,
            eval_dir=eval_dir,
            split=s.name,
            log=log,
        )
        for s in splits
    ]
    return max(codes, default=0)


# --- writing ---------------------------------------------------------------------------------


def run_compare(run_a: Path, run_b: Path) -> int:
    """Print two eval runs side by side (prompt A vs B, model A vs B); 0, or 2 for bad input.

    Each argument is an eval output folder or its report.json.
    """
    print(compare_table(load_report(run_a), load_report(run_b)))
    return 0
