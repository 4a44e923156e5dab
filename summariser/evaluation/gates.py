"""The evaluation's gates: floors, margins behind the baseline, and the model against the rules.

The floors are written by hand (``eval/floors.json``); the baseline is written only from a run
(``summariser eval --update-baseline``, through `baseline_from`).
"""

from __future__ import annotations

import random
from typing import Any

from summariser.evaluation.metrics import METRIC

FIGURES_TOLERANCE = 0.02
"""The model "matches" the rules engine on figures verified when it is at most this far below."""


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


VERSUS = ("rouge_l", "item_recall", "figures_verified", "key_figure_recall")
"""The metrics on which the model's lead over the rules engine is reported (llm minus rules)."""


def llm_vs_rules(by_engine: dict[str, dict[str, float | None]]) -> dict[str, float]:
    """The model's lead over the rules engine, metric by metric (negative: behind it)."""
    if "llm" not in by_engine or "rules" not in by_engine:
        return {}
    lead = {}
    for k in VERSUS:
        a, b = by_engine["llm"].get(k), by_engine["rules"].get(k)
        if a is not None and b is not None:
            lead[k] = round(a - b, 4)
    return lead


BOOTSTRAP_DRAWS = 2000


def paired_lead(
    llm: list[float], rules: list[float], draws: int = BOOTSTRAP_DRAWS
) -> dict[str, Any]:
    """The model's ROUGE-L lead item by item: the same golden items scored for both engines.

    Returns the number of items, the mean difference (the lead on ``rouge_l``), a 95% interval
    for it by resampling the items (seeded: the same input gives the same interval), and on
    how many items the model scored higher or lower (by more than 0.005). Empty when the lists
    do not pair up.
    """
    n = len(llm)
    if n == 0 or n != len(rules):
        return {}
    diffs = [a - b for a, b in zip(llm, rules, strict=True)]
    rng = random.Random(0)
    means = sorted(sum(rng.choices(diffs, k=n)) / n for _ in range(draws))
    low, high = means[int(0.025 * draws)], means[int(0.975 * draws) - 1]
    return {
        "items": n,
        "mean": round(sum(diffs) / n, 4),
        "ci95": [round(low, 4), round(high, 4)],
        "better": sum(d > 0.005 for d in diffs),
        "worse": sum(d < -0.005 for d in diffs),
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
