"""What a memo takes from one report summary: its row, checked lines, figures and flags.

`read_report` turns one `LoadedReport` into a `ReportDigest`, plain data a memo keeps in
place of the summary: the overview row, the overview's checked sentences by part, every item's
checked text with its theme, the key figures worth quoting and the report's flags. The memo is
built from digests one at a time (`summariser.memo.content`), so a folder of thousands of
summaries never has to be held at once. Reports are named by `key` (the file) until every
report was read and the memo's labels can be made unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summariser.lexicon.sentences import CLAUSE_MARKS
from summariser.lexicon.themes import classify
from summariser.memo.checks import (
    STATUS_NAMES,
    CheckedNumber,
    LeftOut,
    checked_sentences,
    numbers_by_path,
    source_warnings,
)
from summariser.output.runs import LoadedReport, report_order
from summariser.schema import OK_STATUSES as GOOD_STATUSES
from summariser.schema import PART_KEYS, PART_NAMES, SHORT_PART_NAMES, Item, ReportSummary

REQUIRED_PARTS: tuple[str, ...] = ("achievements", "problems", "leadership", "plans")
"""Parts a report must have. "其他需要报告的情况" is only required when there is something to
report, so its absence is shown in the table but not flagged."""

BODY_PARTS: dict[str, tuple[str, ...]] = {
    "achievements": ("achievements", "leadership", "other"),
    "problems": ("problems",),
    "plans": ("plans",),
}
"""Which statutory parts feed each body section. The first-responsible-person part describes
what leaders did, so it is read as an achievement and grouped by theme with the rest."""

FLAG_KINDS: tuple[str, ...] = (
    "缺少法定部分",
    "原文截断",
    "未通过核对的数字",
    "综合分析删去的句子",
    "原文不一致",
    "其他提示",
    "无法读取的文件",
)

_RESTATED_FLAG = re.compile(
    r"^(原文)?缺少法定部分|^原文在结尾处被截断|^原文自身有\s*\d+\s*处数字|^\d+\s*个数字未通过核对"
)
"""Report flags that `summariser run` derives from completeness and verification; the memo
lists those from the structured fields, in detail, so these would only repeat them."""

_CLOSING = "。！？；"
_TRAILING_MARKS = "，、；：,;: "


@dataclass(frozen=True)
class Entry:
    """One body line: an item's checked sentences, with the report and part it came from."""

    report: str
    title: str
    text: str
    cause: str | None = None
    part: str = ""


@dataclass(frozen=True)
class OverviewRow:
    """One report in the overview table."""

    report: str
    issuer: str
    level: str
    year: int | None
    parts: dict[str, bool]
    truncated: bool
    verified: int
    flagged: int
    kind: str = ""


@dataclass(frozen=True)
class ReportOverview:
    """One report's overview: its checked sentence per part (`parts`), and all of them joined."""

    report: str
    text: str
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NotableFigure:
    """Figures worth quoting from one source sentence: what they count, and the sentence."""

    report: str
    part: str
    text: str
    quote: str
    label: str = ""


@dataclass(frozen=True)
class Flag:
    """Something the reader must know: `kind` is the flags subsection it is listed under."""

    kind: str
    report: str
    message: str
    figure: str = ""
    """For a figure left out: the figure, so that one figure is flagged once per report."""


@dataclass
class ReportDigest:
    """What the memo keeps of one report."""

    key: str
    base_label: str
    stem: str
    order: tuple[int, str, int, str]
    row: OverviewRow
    overview: ReportOverview | None
    entries: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict)
    """body section → (theme, entry) for each item with checked text."""
    themes: dict[str, set[str]] = field(default_factory=dict)
    """body section → the themes the report's items are about, checked text or not."""
    notable: list[NotableFigure] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def base_label(summary: ReportSummary, stem: str) -> str:
    """How the memo cites a report: issuer·year (the file name where the issuer is unknown)."""
    m = summary.metadata
    return f"{m.issuer or stem}·{m.year}" if m.year else (m.issuer or stem)


def read_report(r: LoadedReport) -> ReportDigest:
    """What the memo keeps of one loaded summary; only checked sentences reach its lines."""
    key = str(r.path)
    row = _overview_row(key, r)
    digest = ReportDigest(
        key=key,
        base_label=base_label(r.summary, r.path.stem),
        stem=r.path.stem,
        order=report_order(r.summary, r.path),
        row=row,
        overview=None,
    )
    digest.flags += _report_flags(key, r.summary, row)
    numbers = numbers_by_path(r.summary)
    # The items first: a figure that fails in an item and again in the overview sentence
    # drawn from it is flagged once, where the item names it.
    for section, parts in BODY_PARTS.items():
        digest.entries[section], digest.themes[section] = _entries(
            key, r.summary, parts, numbers, digest.flags
        )
    digest.overview = _report_overview(key, r.summary, numbers, digest.flags)
    digest.notable = _notable(key, r.summary, numbers)
    digest.flags = _once(digest.flags)
    return digest


def _once(flags: list[Flag]) -> list[Flag]:
    """Each flag once, and each figure left out once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in dict.fromkeys(flags):
        if f.figure:
            if (f.kind, f.figure) in seen:
                continue
            seen.add((f.kind, f.figure))
        out.append(f)
    return out


def clean_sentence(text: str) -> str:
    """Text as a finished sentence: no dangling comma before its full stop (no "，。")."""
    text = text.strip().rstrip(_TRAILING_MARKS)
    return text if not text or text.endswith(tuple(_CLOSING)) else text + "。"


def inner(text: str) -> str:
    """Quotation marks inside a quotation become single ones, as Chinese punctuation has it."""
    return text.replace("“", "‘").replace("”", "’")


def _entries(
    key: str,
    summary: ReportSummary,
    parts: tuple[str, ...],
    numbers: dict[str, list[CheckedNumber]],
    flags: list[Flag],
) -> tuple[list[tuple[str, Entry]], set[str]]:
    out: list[tuple[str, Entry]] = []
    themes: set[str] = set()
    for part in parts:
        for i, item in enumerate(summary.parts.get(part, [])):
            base = f"/parts/{part}/{i}"
            theme = classify(item.title, f"{item.summary}{item.cause or ''}{item.quote}")
            themes.add(theme)
            fields: dict[str, str] = {}
            for name in ("title", "summary", "cause"):
                value = getattr(item, name)
                if not value:
                    continue
                kept, problems = checked_sentences(value, numbers.get(f"{base}/{name}", []))
                fields[name] = kept
                flags.extend(_number_flag(key, part, item, p) for p in problems)
            if not fields.get("summary"):
                continue
            cause = fields.get("cause")
            entry = Entry(
                key,
                fields.get("title", "").strip().rstrip(_TRAILING_MARKS + "。"),
                clean_sentence(fields["summary"]),
                clean_sentence(cause) if cause else None,
                part,
            )
            out.append((theme, entry))
    return out, themes


def _report_overview(
    key: str, summary: ReportSummary, numbers: dict[str, list[CheckedNumber]], flags: list[Flag]
) -> ReportOverview | None:
    """The report's overview lines, each keeping only its sentences with checked figures."""
    overview = summary.overview
    if overview is None:
        return None
    kept_lines: list[tuple[str, str]] = []
    for part, line in overview.parts.items():
        kept, problems = checked_sentences(line, numbers.get(f"/overview/parts/{part}", []))
        if kept:
            kept_lines.append((part, kept))
        for p in problems:
            reason = STATUS_NAMES.get(p.status, p.status)
            flags.append(
                Flag(
                    "未通过核对的数字",
                    key,
                    f"总体情况“{SHORT_PART_NAMES.get(part, part)}”一句：“{inner(p.sentence)}”"
                    f"中的“{p.figure}”{reason}，已从正文删去。",
                    p.figure,
                )
            )
    if not kept_lines:
        return None
    # The joined text is what the synthesis request reads; keep it exactly as it was.
    return ReportOverview(key, "".join(t for _, t in kept_lines), tuple(kept_lines))


def _number_flag(key: str, part: str, item: Item, p: LeftOut) -> Flag:
    reason = STATUS_NAMES.get(p.status, p.status)
    note = f"（{p.note}）" if p.note else ""
    return Flag(
        "未通过核对的数字",
        key,
        f"“{SHORT_PART_NAMES.get(part, part)}”中“{inner(item.title)}”一条：“{inner(p.sentence)}”中的"
        f"“{p.figure}”{reason}{note}，已从正文删去。",
        p.figure,
    )


def _counts(summary: ReportSummary) -> tuple[int, int]:
    numbers = summary.verification.get("numbers")
    statuses: list[str] = []
    if isinstance(numbers, list):
        rows = [n for n in numbers if isinstance(n, dict)]
        # Figures copied from the source pass by construction: only the written ones say
        # whether the summary can be trusted (a summary without origins counts them all).
        if any("origin" in n for n in rows):
            rows = [n for n in rows if n.get("origin") == "written"]
        statuses = [str(n.get("status")) for n in rows]
    else:
        counts = summary.verification.get("counts")
        if isinstance(counts, dict):
            for k, v in counts.items():
                statuses += [str(k)] * int(v) if isinstance(v, int) else []
    good = sum(s in GOOD_STATUSES for s in statuses)
    return good, len(statuses) - good


def _overview_row(key: str, r: LoadedReport) -> OverviewRow:
    s = r.summary
    missing = set(s.completeness.missing)
    parts = {k: bool(s.completeness.parts.get(k, False)) and k not in missing for k in PART_KEYS}
    good, bad = _counts(s)
    return OverviewRow(
        key,
        s.metadata.issuer or r.path.stem,
        s.metadata.level or "—",
        s.metadata.year,
        parts,
        s.completeness.truncated,
        good,
        bad,
        s.metadata.issuer_kind or "",
    )


def _figure_label(label: str, figure: str, quote: str) -> str:
    """What a figure counts: the key figure's label, else the clause before it in its quote
    when that clause is short enough to read as a label (never cut)."""
    if label.strip():
        return label.strip()
    at = quote.find(figure)
    if at <= 0:
        return ""
    clause = CLAUSE_MARKS.split(quote[:at])[-1].strip()
    return clause if 2 <= len(clause) <= 24 else ""


def _notable(
    key: str, summary: ReportSummary, numbers: dict[str, list[CheckedNumber]]
) -> list[NotableFigure]:
    """The report's key figures that passed, those of one source sentence on one line."""
    bad_paths = {
        p.split("/")[2]
        for p, ns in numbers.items()
        if p.startswith("/key_figures/") and any(n.status not in GOOD_STATUSES for n in ns)
    }
    # A figure the source itself makes doubtful (named in a source warning or a report
    # flag) is quoted correctly but should not be held up as notable; the flags say why.
    doubtful = " ".join([*source_warnings(summary), *summary.flags])
    by_quote: dict[str, list[tuple[str, str, str]]] = {}
    for i, k in enumerate(summary.key_figures):
        if str(i) in bad_paths or k.figure.text not in k.quote or k.figure.text in doubtful:
            continue
        label = _figure_label(k.label, k.figure.text, k.quote)
        by_quote.setdefault(k.quote, []).append((k.part, k.figure.text, label))
    out = []
    for quote, figs in by_quote.items():
        texts = "、".join(dict.fromkeys(f"{label}{text}" for _, text, label in figs))
        out.append(NotableFigure(key, figs[0][0], texts, quote, figs[0][2]))
    return out


def _report_flags(key: str, summary: ReportSummary, row: OverviewRow) -> list[Flag]:
    flags: list[Flag] = []
    missing = [PART_NAMES[k] for k in REQUIRED_PARTS if not row.parts[k]]
    if missing:
        names = "、".join(f"“{m}”" for m in missing)
        flags.append(Flag("缺少法定部分", key, f"缺少{names}部分。"))
    if row.truncated:
        flags.append(Flag("原文截断", key, "原文在结尾处被截断，所述内容可能不全。"))
    flags += [Flag("原文不一致", key, clean_sentence(w)) for w in source_warnings(summary)]
    for part, items in summary.parts.items():
        for item in items:
            if item.quote_span is None:
                flags.append(
                    Flag(
                        "其他提示",
                        key,
                        f"“{SHORT_PART_NAMES.get(part, part)}”中“{inner(item.title)}”"
                        "一条的依据原话未在原文中找到。",
                    )
                )
    flags += [
        Flag("其他提示", key, clean_sentence(f))
        for f in summary.flags
        if not _RESTATED_FLAG.match(f)
    ]
    return flags
