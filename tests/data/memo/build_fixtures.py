"""Rebuild the memo fixtures: run JSON in the shape `summariser run` writes, for the sample reports.

The summaries are hand-written (fixture_specs.py), a few with figures that depart from the
source on purpose (a dropped 余, a transposed number, a sum) so the memo has flags to show.
Quotes, spans and figures are located in the source by code, and the verification block is
what `summariser.grounding.checker.verify_strings` reports for every title, summary and cause.

    .venv/bin/python tests/data/memo/build_fixtures.py
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from summariser.grounding.checker import verify_strings
from summariser.schema import PART_KEYS, PART_NAMES, ReportSummary

ROOT = Path(__file__).resolve().parents[3]
REPORTS = ROOT / "examples" / "reports"
HERE = Path(__file__).resolve().parent

FIGURE = re.compile(
    r"(?P<pre>近|约|超过|超|不足)?(?P<num>\d+(?:\.\d+)?)(?P<mag>万|亿)?(?P<post>余|多)?"
    r"(?P<unit>个百分点|人次|场次|万元|亿元|余份|[件份次人名个条家场起项本篇期卷部%元]|)"
)


def figures_in(text: str) -> list[re.Match[str]]:
    """Figures in text, leaving out years (they are dates, not figures)."""
    found = []
    for m in FIGURE.finditer(text):
        num = m.group("num")
        after = text[m.end("num") : m.end("num") + 1]
        if len(num) == 4 and num[:2] in ("19", "20") and after == "年":
            continue
        found.append(m)
    return found


def qualifier(m: re.Match[str]) -> str | None:
    if m.group("post") or m.group("pre") in ("超过", "超"):
        return "above"
    if m.group("pre") in ("近", "不足"):
        return "below"
    if m.group("pre") == "约":
        return "about"
    return None


def value(m: re.Match[str]) -> float:
    v = float(m.group("num"))
    return v * {"万": 1e4, "亿": 1e8}.get(m.group("mag") or "", 1)


def unit(m: re.Match[str]) -> str | None:
    u = m.group("unit") or ""
    if u.startswith("余"):
        u = u[1:]
    if u in ("万元", "亿元"):
        return "元"
    return u or None


def figure_json(m: re.Match[str], source: str, offset: int) -> dict[str, object]:
    start, end = offset + m.start(), offset + m.end()
    line_start = source.rfind("。", 0, start) + 1
    line_end = source.find("。", end)
    line_end = len(source) if line_end < 0 else line_end + 1
    return {
        "text": m.group(0),
        "value": value(m),
        "unit": unit(m),
        "qualifier": qualifier(m),
        "span": [start, end],
        "context": source[max(line_start, start - 30) : min(line_end, end + 30)].strip(),
    }


def paragraph_span(source: str, start: int, end: int) -> list[int]:
    p0 = source.rfind("\n", 0, start) + 1
    p1 = source.find("\n", end)
    return [p0, len(source) if p1 < 0 else p1]


def build(stem: str, spec: dict[str, object]) -> dict[str, object]:
    path = REPORTS / f"{stem}.txt"
    source = path.read_text(encoding="utf-8")
    parts: dict[str, list[dict[str, object]]] = {k: [] for k in PART_KEYS}
    pairs: list[tuple[str, str]] = []
    scopes: list[tuple[int, int]] = []
    for part, rows in spec["parts"].items():  # type: ignore[union-attr]
        for i, row in enumerate(rows):
            title, summary, quote, cause = row + (None,) * (4 - len(row))
            q0 = source.find(quote)
            assert q0 >= 0, (stem, quote)
            q1 = q0 + len(quote)
            item = {
                "title": title,
                "summary": summary,
                "cause": cause,
                "quote": quote,
                "quote_span": [q0, q1],
                "source_span": paragraph_span(source, q0, q1),
                "figures": [figure_json(m, source, q0) for m in figures_in(quote)],
                "flags": [],
            }
            for field in ("title", "summary", "cause"):
                if item[field]:
                    pairs.append((f"/parts/{part}/{i}/{field}", item[field]))  # type: ignore[arg-type]
                    scopes.append(tuple(item["source_span"]))  # type: ignore[arg-type]
            parts[part].append(item)
    verification = verify_strings(pairs, source, scopes=scopes).to_json()
    for n in verification["numbers"]:  # type: ignore[union-attr]
        if n["status"] not in ("verified", "derived"):
            _, _, part, i, _ = n["path"].split("/")
            parts[part][int(i)]["flags"].append(f"{n['text']}：{n.get('note') or n['status']}")
    key_figures = []
    for part, text, quote in spec["key"]:  # type: ignore[union-attr]
        q0 = source.find(quote)
        assert q0 >= 0, (stem, quote)
        m = next(m for m in figures_in(quote) if m.group(0) == text)
        key_figures.append({"part": part, "figure": figure_json(m, source, q0), "quote": quote})
    present = {k: bool(parts[k]) for k in PART_KEYS}
    # report flags in the words `summariser run` uses
    bad = [n for n in verification["numbers"] if n["status"] not in ("verified", "derived")]  # type: ignore[union-attr]
    flags = [f"{len(bad)} 个数字未通过核对：" + "、".join(n["text"] for n in bad)] if bad else []
    flags += [f"缺少法定部分：{PART_NAMES[k]}" for k in PART_KEYS if not present[k]]
    if spec.get("truncated"):
        flags.append("原文在结尾处被截断")
    if verification["source_warnings"]:
        flags.append(f"原文自身有 {len(verification['source_warnings'])} 处数字前后不一致")  # type: ignore[arg-type]
    flags += spec.get("notes", [])  # type: ignore[arg-type]
    data = {
        "schema_version": "1",
        "source": {
            "name": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "format": "text",
            "encoding": "utf-8",
            "chars": len(source),
        },
        "metadata": spec["metadata"],
        "completeness": {
            "parts": present,
            "missing": [k for k in PART_KEYS if not present[k]],
            "truncated": bool(spec.get("truncated")),
        },
        "parts": parts,
        "key_figures": key_figures,
        "verification": verification,
        "flags": flags,
        "run": {"engine": "golden", "engine_note": "hand-written fixture for the memo tests"},
    }
    ReportSummary.model_validate(data)
    return data


def main() -> None:
    from fixture_specs import SPECS  # noqa: PLC0415 - a sibling data module

    for stem, spec in SPECS.items():
        data = build(stem, spec)
        out = HERE / f"{stem}.json"
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(out.relative_to(ROOT))


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE))
    main()
