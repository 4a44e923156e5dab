"""A briefing memo's content across many run outputs: gathered, checked figures only, grouped.

The memo is built in two steps. `build_memo` turns report summaries into a `Memo` (plain data:
every body sentence carries the report it came from); `summariser.memo.markdown` and
`summariser.memo.word` lay that out, and `summariser.memo.command` writes the file. Only
figures whose verification status is verified or derived reach the body
(`summariser.memo.checks`): a sentence holding any other figure, or a digit the verifier never
looked at, is left out of the body and listed under flags with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from summariser.lexicon.themes import THEME_NAMES, classify
from summariser.memo.checks import (
    STATUS_NAMES,
    CheckedNumber,
    LeftOut,
    SourceChecker,
    Synthesis,
    checked_sentences,
    checked_synthesis,
    numbers_by_path,
    source_warnings,
)
from summariser.memo.indicators import IndicatorComparison, compare_indicators
from summariser.output.runs import LoadedReport
from summariser.schema import OK_STATUSES as GOOD_STATUSES
from summariser.schema import PART_KEYS, PART_NAMES, Item, ReportSummary

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

NOTABLE_LIMIT = 40
"""At most this many notable figures, taken round-robin across reports (first figure of every
report before anyone's second), so a large run still gives a memo a person can read."""

_RESTATED_FLAG = re.compile(
    r"^(原文)?缺少法定部分|^原文在结尾处被截断|^原文自身有\s*\d+\s*处数字|^\d+\s*个数字未通过核对"
)
"""Report flags that `summariser run` derives from completeness and verification; the memo
lists those from the structured fields, in detail, so these would only repeat them."""


# --- the memo's content model ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One body line: an item's checked sentences, with the report it came from."""

    report: str
    title: str
    text: str
    cause: str | None = None


@dataclass(frozen=True)
class ThemeGroup:
    """The entries of one theme, and the reports behind them, in report order."""

    theme: str
    reports: tuple[str, ...]
    entries: tuple[Entry, ...]


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


@dataclass(frozen=True)
class ReportOverview:
    """One report's overview (its sentence per part), checked sentences only."""

    report: str
    text: str


@dataclass(frozen=True)
class NotableFigure:
    """A figure worth quoting, with its report and the source sentence that holds it."""

    report: str
    part: str
    text: str
    quote: str


@dataclass(frozen=True)
class Flag:
    """Something the reader must know: `kind` is the flags subsection it is listed under."""

    kind: str
    report: str
    message: str


FLAG_KINDS: tuple[str, ...] = (
    "缺少法定部分",
    "原文截断",
    "未通过核对的数字",
    "原文不一致",
    "其他提示",
    "无法读取的文件",
)


@dataclass(frozen=True)
class Memo:
    """A briefing memo's content, ready to render."""

    title: str
    scope: tuple[str, ...]
    overview: tuple[OverviewRow, ...]
    achievements: tuple[ThemeGroup, ...]
    problems: tuple[ThemeGroup, ...]
    plans: tuple[ThemeGroup, ...]
    notable: tuple[NotableFigure, ...]
    notable_left_out: int
    flags: tuple[Flag, ...]
    synthesis: Synthesis | None = None
    report_overviews: tuple[ReportOverview, ...] = ()
    indicators: tuple[IndicatorComparison, ...] = ()

    def body_sentences(self) -> Iterable[tuple[str, str]]:
        """Every (report, text) pair in the body, for tracing and tests."""
        for o in self.report_overviews:
            yield o.report, o.text
        for groups in (self.achievements, self.problems, self.plans):
            for group in groups:
                for e in group.entries:
                    yield e.report, f"{e.title} {e.text} {e.cause or ''}"
        for n in self.notable:
            yield n.report, f"{n.text} {n.quote}"


def _with_labels(reports: list[LoadedReport]) -> list[LoadedReport]:
    def base(r: LoadedReport) -> str:
        m = r.summary.metadata
        return f"{m.issuer or r.path.stem}·{m.year}" if m.year else (m.issuer or r.path.stem)

    counts: dict[str, int] = {}
    for r in reports:
        counts[base(r)] = counts.get(base(r), 0) + 1
    out = []
    for r in reports:
        label = base(r) if counts[base(r)] == 1 else f"{base(r)}·{r.path.stem}"
        out.append(LoadedReport(r.path, r.summary, label))
    return out


# --- building the memo -----------------------------------------------------------------------


def _entries(
    r: LoadedReport, section: str, numbers: dict[str, list[CheckedNumber]], flags: list[Flag]
) -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    for part in BODY_PARTS[section]:
        for i, item in enumerate(r.summary.parts.get(part, [])):
            base = f"/parts/{part}/{i}"
            fields: dict[str, str] = {}
            for name in ("title", "summary", "cause"):
                value = getattr(item, name)
                if not value:
                    continue
                kept, problems = checked_sentences(value, numbers.get(f"{base}/{name}", []))
                fields[name] = kept
                for p in problems:
                    flags.append(_number_flag(r.label, part, item, p))
            if not fields.get("summary"):
                continue
            entry = Entry(r.label, fields.get("title", ""), fields["summary"], fields.get("cause"))
            theme = classify(item.title, f"{item.summary}{item.cause or ''}{item.quote}")
            out.append((theme, entry))
    return out


def _report_overview(
    r: LoadedReport, numbers: dict[str, list[CheckedNumber]], flags: list[Flag]
) -> ReportOverview | None:
    """The report's overview lines, each keeping only its sentences with checked figures."""
    overview = r.summary.overview
    if overview is None:
        return None
    kept_lines: list[str] = []
    for key, line in overview.parts.items():
        kept, problems = checked_sentences(line, numbers.get(f"/overview/parts/{key}", []))
        if kept:
            kept_lines.append(kept)
        for p in problems:
            reason = STATUS_NAMES.get(p.status, p.status)
            flags.append(
                Flag(
                    "未通过核对的数字",
                    r.label,
                    f"总体情况“{PART_NAMES[key]}”一句：“{_inner(p.sentence)}”中的“{p.figure}”"
                    f"{reason}，已从正文删去。",
                )
            )
    return ReportOverview(r.label, "".join(kept_lines)) if kept_lines else None


def _number_flag(report: str, part: str, item: Item, p: LeftOut) -> Flag:
    reason = STATUS_NAMES.get(p.status, p.status)
    note = f"（{p.note}）" if p.note else ""
    return Flag(
        "未通过核对的数字",
        report,
        f"“{PART_NAMES[part]}”中“{_inner(item.title)}”一条：“{_inner(p.sentence)}”中的"
        f"“{p.figure}”{reason}{note}，已从正文删去。",
    )


def _inner(text: str) -> str:
    """Quotation marks inside a quotation become single ones, as Chinese punctuation has it."""
    return text.replace("“", "‘").replace("”", "’")


def _group(pairs: list[tuple[str, Entry]], order: str) -> tuple[ThemeGroup, ...]:
    by_theme: dict[str, list[Entry]] = {}
    for theme, entry in pairs:
        by_theme.setdefault(theme, []).append(entry)
    groups = []
    for theme in THEME_NAMES:
        if theme in by_theme:
            entries = by_theme[theme]
            reports = tuple(dict.fromkeys(e.report for e in entries))
            groups.append(ThemeGroup(theme, reports, tuple(entries)))
    if order == "recurrence":
        # Problems most reports share come first; the table order breaks ties.
        groups.sort(key=lambda g: -len(g.reports))
    return tuple(groups)


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


def _overview_row(r: LoadedReport) -> OverviewRow:
    s = r.summary
    missing = set(s.completeness.missing)
    parts = {k: bool(s.completeness.parts.get(k, False)) and k not in missing for k in PART_KEYS}
    good, bad = _counts(s)
    return OverviewRow(
        r.label,
        s.metadata.issuer or r.path.stem,
        s.metadata.level or "—",
        s.metadata.year,
        parts,
        s.completeness.truncated,
        good,
        bad,
    )


def _notable(reports: list[LoadedReport]) -> tuple[list[NotableFigure], int]:
    per_report: list[list[NotableFigure]] = []
    for r in reports:
        bad_paths = {
            p.split("/")[2]
            for p, ns in numbers_by_path(r.summary).items()
            if p.startswith("/key_figures/") and any(n.status not in GOOD_STATUSES for n in ns)
        }
        # A figure the source itself makes doubtful (named in a source warning or a report
        # flag) is quoted correctly but should not be held up as notable; the flags say why.
        doubtful = " ".join([*source_warnings(r.summary), *r.summary.flags])
        per_report.append(
            [
                NotableFigure(r.label, k.part, k.figure.text, k.quote)
                for i, k in enumerate(r.summary.key_figures)
                if str(i) not in bad_paths
                and k.figure.text in k.quote
                and k.figure.text not in doubtful
            ]
        )
    total = sum(len(x) for x in per_report)
    chosen: list[NotableFigure] = []
    depth = 0
    while len(chosen) < min(total, NOTABLE_LIMIT):
        for figs in per_report:
            if depth < len(figs) and len(chosen) < NOTABLE_LIMIT:
                chosen.append(figs[depth])
        depth += 1
    return chosen, total - len(chosen)


def _report_flags(r: LoadedReport, row: OverviewRow) -> list[Flag]:
    flags: list[Flag] = []
    missing = [PART_NAMES[k] for k in REQUIRED_PARTS if not row.parts[k]]
    if missing:
        names = "、".join(f"“{m}”" for m in missing)
        flags.append(Flag("缺少法定部分", r.label, f"缺少{names}部分。"))
    if row.truncated:
        flags.append(Flag("原文截断", r.label, "原文在结尾处被截断，所述内容可能不全。"))
    flags += [
        Flag("原文不一致", r.label, w if w.endswith("。") else f"{w}。")
        for w in source_warnings(r.summary)
    ]
    for part, items in r.summary.parts.items():
        for item in items:
            if item.quote_span is None:
                flags.append(
                    Flag(
                        "其他提示",
                        r.label,
                        f"“{PART_NAMES.get(part, part)}”中“{item.title}”一条的依据原话未在原文中找到。",
                    )
                )
    flags += [Flag("其他提示", r.label, f) for f in r.summary.flags if not _RESTATED_FLAG.match(f)]
    return flags


def _scope(rows: list[OverviewRow], unreadable: int) -> tuple[str, tuple[str, ...]]:
    years = sorted({r.year for r in rows if r.year})
    issuers = sorted({r.issuer for r in rows})
    levels = {lv: sum(r.level == lv for r in rows) for lv in ("省级", "市级", "县级")}
    level_text = "、".join(f"{lv}{n}份" for lv, n in levels.items() if n)
    year_text = "、".join(f"{y}年度" for y in years) or "年度不详"
    if len(years) > 1:
        title_years = f"{years[0]}—{years[-1]}年度"
    elif years:
        title_years = f"{years[0]}年度"
    else:
        title_years = ""
    title = f"{title_years}法治政府建设年度报告综述"
    lines = [
        f"本综述汇总{len(rows)}份法治政府建设年度报告，涉及{len(issuers)}个报告主体"
        f"{'（' + level_text + '）' if level_text else ''}，所涉年度为{year_text}。"
    ]
    cut = sum(r.truncated for r in rows)
    lacking = sum(not all(r.parts[k] for k in REQUIRED_PARTS) for r in rows)
    facts = []
    if lacking:
        facts.append(f"{lacking}份报告缺少法定部分")
    if cut:
        facts.append(f"{cut}份报告原文不完整")
    if unreadable:
        facts.append(f"另有{unreadable}个文件无法读取")
    if facts:
        lines.append("其中" + "，".join(facts) + "，详见“需要注意的问题”。")
    lines.append(
        "正文所列数字均已与所据报告原文核对一致；未通过核对的内容不进入正文，列于“需要注意的问题”。"
    )
    return title, tuple(lines)


def synthesis_input(memo: Memo) -> list[tuple[str, str]]:
    """What the model reads for the synthesis: each report's overview, or, for a report
    without one (run JSON from before overviews), its body sentences. Across five reports the
    whole body was about 6,500 tokens, past the local model's context with the answer; their
    overviews are about a tenth of it."""
    with_overview = {o.report for o in memo.report_overviews}
    pairs = [(o.report, o.text) for o in memo.report_overviews]
    return pairs + [(r, t) for r, t in memo.body_sentences() if r not in with_overview]


def build_memo(
    reports: Sequence[LoadedReport],
    unreadable: Sequence[tuple[Path, str]] = (),
    *,
    synthesise: Callable[[str], str] | None = None,
    index_factory: Callable[[str], SourceChecker] | None = None,
) -> Memo:
    """Build the memo's content from loaded report summaries, deterministically.

    Args:
        reports: the loaded summaries, in the order they are presented.
        unreadable: (path, reason) for run JSON that could not be read; listed under flags.
        synthesise: optional; given the memo's checked sentences (each ending in 〔report〕:
            each report's overview, see `synthesis_input`), returns a synthesis paragraph. Its
            figures are checked against what it was given; sentences that fail are dropped
            and flagged.
        index_factory: builds the number checker over a source text; defaults to
            `summariser.grounding.checker.SourceIndex`.
    """
    labelled = _with_labels(list(reports))
    flags: list[Flag] = []
    rows = [_overview_row(r) for r in labelled]
    sections: dict[str, list[tuple[str, Entry]]] = {k: [] for k in BODY_PARTS}
    overviews: list[ReportOverview] = []
    for r, row in zip(labelled, rows, strict=True):
        flags += _report_flags(r, row)
        numbers = numbers_by_path(r.summary)
        if (overview := _report_overview(r, numbers, flags)) is not None:
            overviews.append(overview)
        for section in BODY_PARTS:
            sections[section] += _entries(r, section, numbers, flags)
    for path, reason in unreadable:
        flags.append(Flag("无法读取的文件", path.name, f"{path}：{reason}，未纳入本综述。"))
    notable, left_out = _notable(labelled)
    title, scope = _scope(rows, len(unreadable))
    memo = Memo(
        title=title,
        scope=scope,
        overview=tuple(rows),
        achievements=_group(sections["achievements"], "table"),
        problems=_group(sections["problems"], "recurrence"),
        plans=_group(sections["plans"], "table"),
        notable=tuple(notable),
        notable_left_out=left_out,
        flags=tuple(sorted(flags, key=lambda f: FLAG_KINDS.index(f.kind))),
        report_overviews=tuple(overviews),
        indicators=tuple(compare_indicators(labelled)),
    )
    if synthesise is None:
        return memo
    synthesis, left_out_figures = checked_synthesis(
        synthesis_input(memo), synthesise, index_factory
    )
    dropped = [
        Flag(
            "未通过核对的数字",
            "综合分析",
            f"“{d.sentence}”中的“{d.figure}”{STATUS_NAMES.get(d.status, d.status)}，"
            "已从综合分析中删去。",
        )
        for d in left_out_figures
    ]
    return replace(memo, synthesis=synthesis, flags=memo.flags + tuple(dropped))
