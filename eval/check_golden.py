"""Check the golden summaries of every split against their reports and the output schema.

Run from the repository root::

    .venv/bin/python eval/check_golden.py            # every eval/golden/*.json and eval/heldout/*.json
    .venv/bin/python eval/check_golden.py eval/heldout                  # one split
    .venv/bin/python eval/check_golden.py eval/golden/hubin-2023.json   # one file

Each golden file must parse as ``summariser.schema.ReportSummary`` with engine "golden", and
every offset in it must point at the text it claims, in the report named by ``source.name``
in the folder its split's ``split.toml`` names (``reports``). The rules checked are listed in eval/README.md. Prints one line per
file (``ok`` or the errors) and exits 1 if any file has an error.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPLITS = (ROOT / "eval" / "golden", ROOT / "eval" / "heldout")
sys.path.insert(0, str(ROOT))

from summariser.schema import PART_KEYS, ReportSummary  # noqa: E402

LEVELS = {"省级", "市级", "县级"}
KINDS = {"政府", "部门"}
TITLE_MAX, SUMMARY_MAX = 15, 60
KEY_FIGURES_MIN, KEY_FIGURES_MAX = 8, 15

# Digit runs inside an item that are not figures (eval/README.md, "What is not a figure").
# Phrases whose digits are names or slogans, not quantities:
NOT_FIGURE_PHRASES = (
    "1+1+N",
    "1名‘即享’法律顾问、1名大学生志愿者、N名法律明白人",
    "12348",
)
CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ABOVE = ("余", "多", "超过", "逾", "以上", "至少")
# 以内/以下 after a time limit ("压缩至1个工作日以内") bound it from above: the figure is at most.
BELOW = ("近", "不足", "以内", "以下")
ABOUT = ("约", "左右")
FIGURE_RE = re.compile(
    r"^(?P<pre>近|约|超过|逾|不足|至少)?"
    r"(?P<num>\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)?"
    r"(?P<q1>余|多)?(?P<mult>万|亿)?(?P<q2>余|多)?(?P<rest>.*?)(?P<post>以上|以内|以下|左右)?$"
)
SUMMARY_NUMBER_RE = re.compile(r"(?:近|约|超过|逾)?\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:余|多)?")


def _cn_number(s: str) -> float:
    if s in CN_DIGITS:
        return CN_DIGITS[s]
    total, digit = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in "十百千":
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = 0
        else:
            raise ValueError(s)
    return total + digit


def parse_figure(text: str) -> tuple[float, str | None, str | None]:
    """Read a figure as written ("3万余份") into (value, unit, qualifier)."""
    plain = text.replace("“", "").replace("”", "")
    m = FIGURE_RE.match(plain)
    if not m or not (m["num"] or m["mult"]):
        raise ValueError(f"cannot read figure {text!r}")
    num = m["num"]
    if num is None:
        value: float = 1
    elif num[0].isdigit():
        value = float(num)
    else:
        value = _cn_number(num)
    value *= {"万": 10_000, "亿": 100_000_000, None: 1}[m["mult"]]
    unit = m["rest"] or None
    marks = [x for x in (m["pre"], m["q1"], m["q2"], m["post"]) if x]
    qualifier = None
    for mark in marks:
        qualifier = "above" if mark in ABOVE else "below" if mark in BELOW else "about"
    return value, unit, qualifier


def _not_a_figure(text: str, a: int, b: int) -> bool:
    """Whether the digit run text[a:b] is a date, ordinal, document number, hotline or slogan."""
    run, before, after = text[a:b], text[a - 1 : a] if a else "", text[b : b + 1]
    if before == "第":  # 第二届, 第9次: ordinals
        return True
    if len(run) == 4 and after in ("年", "-"):  # 2023年, 2025-03-31: calendar years
        return True
    if after in ("月", "日") or (before == "-" and re.match(r"\d{4}-", text[a - 5 : a])):
        return True  # 8月, 31日, the month and day of 2025-03-31
    if re.fullmatch(r"\d+·\d+", text[max(a - 3, 0) : b + 3].strip("“”")):
        return True
    if after == "·" or before == "·":  # “12·4” 宪法宣传日
        return True
    if before == "〔" or (after == "号" and "〕" in text[max(a - 8, 0) : a]):
        return True  # 〔2021〕4号: document numbers
    for phrase in NOT_FIGURE_PHRASES:
        for m in re.finditer(re.escape(phrase), text[max(a - len(phrase), 0) : b + len(phrase)]):
            start = m.start() + max(a - len(phrase), 0)
            if start <= a and b <= start + len(phrase):
                return True
    return False


def _covers(text: str, needle: str, span: tuple[int, int]) -> bool:
    """Whether some occurrence of ``needle`` in ``text`` contains ``span``."""
    return any(
        m.start() <= span[0] and span[1] <= m.start() + len(needle)
        for m in re.finditer(re.escape(needle), text)
    )


def check_file(path: Path) -> list[str]:
    errors: list[str] = []
    err = errors.append
    raw = json.loads(path.read_text(encoding="utf-8"))
    try:
        summary = ReportSummary.model_validate(raw)
    except Exception as exc:  # pydantic's ValidationError, reported as text
        return [f"does not parse as ReportSummary: {exc}"]
    if summary.run.engine != "golden":
        err(f"run.engine is {summary.run.engine!r}, not 'golden'")

    reports = _reports_dir(path.parent)
    if reports is None:
        return errors + [f"{path.parent} is not a split: it has no split.toml naming its reports"]
    src = reports / summary.source.name
    if not src.is_file():
        return errors + [f"source {summary.source.name!r} is not in {reports}"]
    data = src.read_bytes()
    text = data.decode("utf-8")
    s = summary.source
    if s.sha256 != hashlib.sha256(data).hexdigest():
        err("source.sha256 does not match the report's bytes")
    if s.chars != len(text):
        err(f"source.chars {s.chars} != {len(text)}")
    if (s.format, s.encoding) != ("txt", "utf-8"):
        err(f"source format/encoding {(s.format, s.encoding)} != ('txt', 'utf-8')")

    md = summary.metadata
    if md.title is not None and md.title not in text:
        err(f"metadata.title {md.title!r} is not in the report")
    if not md.issuer or md.issuer not in text:
        err(f"metadata.issuer {md.issuer!r} is not in the report")
    if md.level not in LEVELS:
        err(f"metadata.level {md.level!r} not in {sorted(LEVELS)}")
    if md.issuer_kind not in KINDS:
        err(f"metadata.issuer_kind {md.issuer_kind!r} not in {sorted(KINDS)}")
    if md.year is None or not 2000 <= md.year <= 2100:
        err(f"metadata.year {md.year!r} is not a year")
    if md.published is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", md.published):
        err(f"metadata.published {md.published!r} is not YYYY-MM-DD")

    if set(summary.parts) != set(PART_KEYS):
        err(f"parts keys {sorted(summary.parts)} != {sorted(PART_KEYS)}")
    comp = summary.completeness
    if set(comp.parts) != set(PART_KEYS):
        err(f"completeness.parts keys {sorted(comp.parts)} != {sorted(PART_KEYS)}")
    for key in PART_KEYS:
        if comp.parts.get(key) != bool(summary.parts.get(key)):
            err(
                f"completeness.parts[{key}] = {comp.parts.get(key)} but the part has "
                f"{len(summary.parts.get(key, []))} items"
            )
    expected_missing = [k for k in PART_KEYS if not summary.parts.get(k)]
    if comp.missing != expected_missing:
        err(f"completeness.missing {comp.missing} != empty parts {expected_missing}")
    if comp.truncated != any(f.startswith("truncated") or "截断" in f for f in summary.flags):
        err("completeness.truncated and the flags disagree (a truncated report needs a flag)")

    spans: list[tuple[int, int, str]] = []
    figures_by_part: dict[str, list] = {k: [] for k in PART_KEYS}
    for key, items in summary.parts.items():
        last_start = -1
        for n, item in enumerate(items, 1):
            where = f"{key}[{n}]"
            s0, s1 = item.source_span
            if not 0 <= s0 < s1 <= len(text):
                err(f"{where}: source_span {item.source_span} is not inside the report")
                continue
            body = text[s0:s1]
            if body != body.strip():
                err(f"{where}: source_span starts or ends with whitespace")
            if s0 < last_start:
                err(f"{where}: items are not in document order")
            last_start = s0
            spans.append((s0, s1, where))
            if len(item.title) > TITLE_MAX:
                err(f"{where}: title {item.title!r} is longer than {TITLE_MAX}")
            if len(item.summary) > SUMMARY_MAX:
                err(f"{where}: summary is {len(item.summary)} chars (> {SUMMARY_MAX})")
            if not item.summary.endswith("。") or re.search(r"[。！？!?]", item.summary[:-1]):
                err(f"{where}: summary is not one sentence ending in 。")
            for m in SUMMARY_NUMBER_RE.finditer(item.summary):
                token = m.group() + item.summary[m.end() : m.end() + 1]
                token = token.rstrip("，。、；）)")
                if token not in body:
                    err(f"{where}: summary figure {token!r} is not written so in the item")
            if item.cause is not None and key != "problems":
                err(f"{where}: cause outside the problems part")
            if item.quote_span is None:
                err(f"{where}: quote_span is missing")
            else:
                q0, q1 = item.quote_span
                if text[q0:q1] != item.quote:
                    err(f"{where}: quote is not at quote_span {item.quote_span}")
                if not (s0 <= q0 and q1 <= s1):
                    err(f"{where}: quote_span lies outside source_span")
            covered = []
            last = -1
            for fig in item.figures:
                f0, f1 = fig.span
                fw = f"{where} figure {fig.text!r}"
                if text[f0:f1] != fig.text:
                    err(f"{fw}: not at span {fig.span}")
                if not (s0 <= f0 and f1 <= s1):
                    err(f"{fw}: span outside the item")
                if f0 <= last:
                    err(f"{fw}: figures overlap or are out of order")
                last = f1 - 1
                covered.append((f0, f1))
                if fig.text not in fig.context or not _covers(text, fig.context, (f0, f1)):
                    err(f"{fw}: context {fig.context!r} is not the text around it")
                try:
                    value, unit, qualifier = parse_figure(fig.text)
                except ValueError as exc:
                    err(f"{fw}: {exc}")
                    continue
                if fig.value is None or abs(fig.value - value) > 1e-6 * max(1.0, abs(value)):
                    err(f"{fw}: value {fig.value} but the text reads {value}")
                if fig.unit != unit:
                    err(f"{fw}: unit {fig.unit!r} but the text reads {unit!r}")
                if fig.qualifier != qualifier:
                    lead = text[max(s0, f0 - 8) : f0]
                    if qualifier is not None or not any(w in lead for w in ABOVE + BELOW + ABOUT):
                        err(f"{fw}: qualifier {fig.qualifier!r} but the text reads {qualifier!r}")
                figures_by_part[key].append(fig)
            for m in re.finditer(r"\d+(?:\.\d+)?", body):
                a, b = m.start() + s0, m.end() + s0
                if not any(c0 <= a and b <= c1 for c0, c1 in covered) and not _not_a_figure(
                    text, a, b
                ):
                    err(f"{where}: {text[max(a - 6, s0) : b + 3]!r} has a number no figure covers")
    spans.sort()
    for (a0, a1, aw), (b0, b1, bw) in zip(spans, spans[1:], strict=False):
        if b0 < a1:
            err(f"items overlap: {aw} {[a0, a1]} and {bw} {[b0, b1]}")

    n_key = len(summary.key_figures)
    if not KEY_FIGURES_MIN <= n_key <= KEY_FIGURES_MAX:
        err(f"{n_key} key figures (want {KEY_FIGURES_MIN}-{KEY_FIGURES_MAX})")
    for n, kf in enumerate(summary.key_figures, 1):
        kw = f"key_figures[{n}] {kf.figure.text!r}"
        if kf.part not in PART_KEYS:
            err(f"{kw}: part {kf.part!r} is not a part key")
            continue
        if kf.figure not in figures_by_part[kf.part]:
            err(f"{kw}: not one of the {kf.part} items' figures")
        if kf.figure.text not in kf.quote or not _covers(text, kf.quote, tuple(kf.figure.span)):
            err(f"{kw}: quote {kf.quote!r} is not text around the figure")
    return errors


def _reports_dir(split: Path) -> Path | None:
    """The report folder named by the split's split.toml (relative to the root), if any."""
    meta = split / "split.toml"
    if not meta.is_file():
        return None
    reports = tomllib.loads(meta.read_text(encoding="utf-8")).get("reports")
    return ROOT / reports if isinstance(reports, str) else None


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or list(SPLITS)
    paths = [p for t in targets for p in (sorted(t.glob("*.json")) if t.is_dir() else [t])]
    if not paths:
        print(f"no golden files in {', '.join(map(str, targets))}", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        errors = check_file(path)
        if errors:
            failed += 1
            print(f"FAIL {path.parent.name}/{path.name}: {len(errors)} error(s)")
            for e in errors:
                print(f"  - {e}")
        else:
            raw = json.loads(path.read_text(encoding="utf-8"))
            counts = " ".join(f"{k}={len(v)}" for k, v in raw["parts"].items())
            n_fig = sum(len(i["figures"]) for v in raw["parts"].values() for i in v)
            print(
                f"ok   {path.parent.name}/{path.name}: {counts}; figures={n_fig} key_figures="
                f"{len(raw['key_figures'])}; missing={raw['completeness']['missing']} "
                f"truncated={raw['completeness']['truncated']}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
