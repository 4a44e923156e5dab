"""Writing the evaluation's results: the stdout table, report.md, and two runs compared."""

from __future__ import annotations

from typing import Any

from summariser.evaluation.metrics import METRICS
from summariser.schema import PART_NAMES


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as text lines, each column padded to its widest cell."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def summary_table(report: dict[str, Any]) -> str:
    """Metric by metric, one column per engine: the short table printed to stdout."""
    names = list(report["engines"])
    rows = [["metric", *names]]
    for m in METRICS:
        rows.append([m.name, *[_fmt(report["engines"][e]["metrics"].get(m.name)) for e in names]])
    return "\n".join(_aligned(rows))


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items()) or "none written"


def render_report(report: dict[str, Any]) -> str:
    """report.md: the set table, the gates, then every case worst first with item differences."""
    engines = report["engines"]
    names = list(engines)
    split = f"split {report['split']}, " if report.get("split") else ""
    out = [f"# Evaluation ({split}{report['mode']}, {len(report['cases'])} cases)", ""]
    out.append(f"**{'Passed' if report['passed'] else 'FAILED'}.**")
    out += [f"- {f}" for f in report["failures"]]
    out += [f"- reported, not gated on this split: {r}" for r in report.get("reported", [])]
    out += [f"- note: {n}" for n in report["notes"]] + [""]
    if report.get("llm_vs_rules"):
        lead = ", ".join(f"{k} {v:+.4f}" for k, v in report["llm_vs_rules"].items())
        out += [f"Model minus rules engine: {lead}.", ""]
    if paired := report.get("llm_vs_rules_items"):
        out += [
            f"ROUGE-L item by item ({paired['items']} golden items): the model "
            f"{paired['mean']:+.4f} (95% interval {paired['ci95'][0]:+.4f} to "
            f"{paired['ci95'][1]:+.4f}, items resampled); higher on {paired['better']} items, "
            f"lower on {paired['worse']}.",
            "",
        ]
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
    out += _indicator_table(engines)
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
        ("Standard indicators missed", d.get("indicators_missed", [])),
        ("Standard indicators not in the golden", d.get("indicators_extra", [])),
    ]
    for title, lines in sections:
        if lines:
            out += ["", f"{title}:"] + [f"- {line}" for line in lines]
    return out + [""]


# --- comparing two runs ----------------------------------------------------------------------


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
    lines += _aligned(rows)
    return "\n".join(lines)


def _indicator_table(engines: dict[str, Any]) -> list[str]:
    """Precision and recall per standard indicator, hardest (lowest F) first."""
    rows = [(e, name, v) for e in engines for name, v in engines[e].get("indicators", {}).items()]
    if not rows:
        return []

    def f1(v: dict[str, Any]) -> float:
        p, r = v["precision"] or 0.0, v["recall"] or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    out = [
        "",
        "## Per standard indicator (hardest first)",
        "",
        "| engine | indicator | golden | found | matched | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for e, name, v in sorted(rows, key=lambda r: (r[0], f1(r[2]), r[1])):
        out.append(
            f"| {e} | {name} | {int(v['golden'])} | {int(v['predicted'])} | {int(v['matched'])} | "
            f"{_fmt(v['precision'])} | {_fmt(v['recall'])} |"
        )
    return out
