"""A briefing memo's content across many run outputs: counted, checked figures only, exemplified.

The memo stays a briefing whatever the number of reports. Its body holds counts (reports by
level and kind of issuer, parts missing), and for every theme of each part the number of
reports that mention it with a few representative examples; the figures that matter; the flags
counted by kind. What is said report by report (the overview table, each report's overview,
every flag) goes to the appendices. `MemoBuilder` takes one report summary at a time
(`summariser.output.runs.stream`) and keeps only that: counters, a bounded set of examples and
figures, and one small row per report, so memory stays flat as the folder grows.

`summariser.memo.markdown` and `summariser.memo.word` lay out a `Memo` (plain data: its
sections, in the order `summariser.memo.wording.memo_sections` lists them). Only figures
whose verification status is verified or derived reach the body (`summariser.memo.checks`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from summariser.errors import SummariserError
from summariser.lexicon.themes import THEME_NAMES
from summariser.memo.checks import (
    STATUS_NAMES,
    SourceChecker,
    Synthesis,
    checked_synthesis,
)
from summariser.memo.choosing import CANDIDATES, Smallest, choose, distinct_quotes, example_rank
from summariser.memo.indicators import IndicatorComparison, Stated, comparisons, stated_in
from summariser.memo.reading import (
    BODY_PARTS,
    FLAG_KINDS,
    REQUIRED_PARTS,
    Entry,
    Flag,
    NotableFigure,
    OverviewRow,
    ReportDigest,
    ReportOverview,
    inner,
    read_report,
)
from summariser.output.runs import LEVEL_ORDER, LoadedReport, Unreadable
from summariser.schema import OK_STATUSES as GOOD_STATUSES

__all__ = [
    "BODY_PARTS",
    "FLAG_KINDS",
    "GOOD_STATUSES",
    "REQUIRED_PARTS",
    "Counts",
    "Entry",
    "Flag",
    "FlagCount",
    "Memo",
    "MemoBuilder",
    "NotableFigure",
    "OverviewRow",
    "ReportOverview",
    "ThemeGroup",
    "build_memo",
    "synthesis_input",
]

NAMED_REPORTS = 5
"""Reports named after a theme's count (“涉及12份报告：甲、乙、丙等”), in reader order."""

NOTABLE_LIMIT = 20
"""At most this many notable figures, taken round-robin across reports (first figure of every
report before anyone's second), so a large run still gives a memo a person can read."""


@dataclass(frozen=True)
class ThemeGroup:
    """One theme of a part: how many reports mention it, the first of them, a few examples."""

    theme: str
    count: int
    reports: tuple[str, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Counts:
    """The memo's counts: reports by level and kind, parts missing, cut-offs, figures."""

    reports: int
    issuers: int
    years: tuple[int, ...]
    by_level: tuple[tuple[str, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    missing: tuple[tuple[str, int], ...]
    lacking: int
    truncated: int
    unreadable: int
    verified: int
    flagged: int
    problems: int
    uncaused: int


@dataclass(frozen=True)
class FlagCount:
    """One kind of flag in the body: how many, in how many reports, the first reports."""

    kind: str
    count: int
    reports: int
    named: tuple[str, ...]


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
    counts: Counts | None = None
    flag_counts: tuple[FlagCount, ...] = ()
    synthesis_failure: str | None = None
    """Why the synthesis asked for is missing, in words for the reader."""
    bodies: tuple[tuple[str, str, str], ...] = ()
    """(report, part, text) of reports without an overview, kept for the synthesis only."""
    indicators: tuple[IndicatorComparison, ...] = ()
    """The standard indicators compared across the reports (checked values only)."""

    def body_sentences(self) -> Iterable[tuple[str, str]]:
        """Every (report, text) pair the memo shows from the summaries, for tracing and tests."""
        for o in self.report_overviews:
            yield o.report, o.text
        for groups in (self.achievements, self.problems, self.plans):
            for group in groups:
                for e in group.entries:
                    yield e.report, f"{e.title} {e.text} {e.cause or ''}"
        for n in self.notable:
            yield n.report, f"{n.text} {n.quote}"


# --- building the memo, one report at a time ---------------------------------------------------


class MemoBuilder:
    """The memo's content gathered from one report summary at a time, in bounded memory.

    What is kept per report is one table row, its overview's checked sentences and its flags
    (the appendices list them); examples and figures are bounded, and chosen by their own
    merits and the reports' reading order, so the memo does not depend on the files' order.
    """

    def __init__(self, *, keep_bodies: bool = False) -> None:
        self._keep_bodies = keep_bodies
        self._labels: dict[str, tuple[str, str]] = {}
        self._rows: list[tuple[tuple[int, str, int, str], OverviewRow]] = []
        self._overviews: list[tuple[tuple[int, str, int, str], ReportOverview]] = []
        self._bodies: list[tuple[tuple[int, str, int, str], str, str, str]] = []
        self._levels: dict[str, str] = {}
        self._theme_counts: dict[str, Counter[str]] = {s: Counter() for s in BODY_PARTS}
        self._named: dict[tuple[str, str], Smallest[str]] = {}
        # per level, so that reading order (provinces first) does not crowd out the others
        self._examples: dict[tuple[str, str, str], Smallest[Entry]] = {}
        self._notable: dict[str, Smallest[NotableFigure]] = {}
        self._notable_total = 0
        self._flags: list[tuple[int, tuple[int, str, int, str], Flag]] = []
        self._unreadable: list[tuple[Path, str]] = []
        self._problems = self._uncaused = 0
        self._stated: list[tuple[str, Stated]] = []

    def add(self, report: LoadedReport) -> None:
        """Read one report summary into the memo; the summary itself is not kept."""
        digest = read_report(report)
        self.add_digest(digest)
        self._stated += stated_in(report, label=digest.key)

    def add_unreadable(self, path: Path, reason: str) -> None:
        """A run JSON that could not be read: listed under the flags."""
        self._unreadable.append((path, reason))

    def add_digest(self, d: ReportDigest) -> None:
        """What the memo keeps of one report (see `summariser.memo.reading.read_report`)."""
        self._labels[d.key] = (d.base_label, d.stem)
        self._levels[d.key] = d.row.level
        self._rows.append((d.order, d.row))
        if d.overview is not None:
            self._overviews.append((d.order, d.overview))
        for section, themes in d.themes.items():
            for theme in themes:
                self._theme_counts[section][theme] += 1
                named = self._named.setdefault((section, theme), Smallest(NAMED_REPORTS))
                named.add(d.order, d.key)
        for section, pairs in d.entries.items():
            best: dict[str, Entry] = {}
            for theme, entry in pairs:
                if section == "problems":
                    self._problems += 1
                    self._uncaused += not entry.cause
                if theme not in best or example_rank(entry) < example_rank(best[theme]):
                    best[theme] = entry
                if self._keep_bodies and d.overview is None:
                    text = f"{entry.title} {entry.text} {entry.cause or ''}"
                    self._bodies.append((d.order, d.key, entry.part, text))
            for theme, entry in best.items():
                kept = self._examples.setdefault(
                    (section, theme, d.row.level), Smallest(CANDIDATES)
                )
                kept.add((*example_rank(entry), d.order), entry)
        for depth, figure in enumerate(d.notable):
            figures = self._notable.setdefault(d.row.level, Smallest(NOTABLE_LIMIT))
            figures.add((depth, d.order), figure)
        self._notable_total += len(d.notable)
        self._flags += [(FLAG_KINDS.index(f.kind), d.order, f) for f in d.flags]

    # -- the finished memo ----------------------------------------------------------------

    def _label_of(self) -> Callable[[str], str]:
        uses = Counter(base for base, _ in self._labels.values())

        def label(key: str) -> str:
            if key not in self._labels:
                return key
            base, stem = self._labels[key]
            return base if uses[base] == 1 else f"{base}·{stem}"

        return label

    def _notable_chosen(self) -> list[NotableFigure]:
        """Round-robin over reports (every report's first figure before anyone's second),
        the levels taking turns within a round, so that no level crowds out the others."""
        rounds: dict[object, dict[str, list[NotableFigure]]] = {}
        for level, kept in self._notable.items():
            for (depth, *_), figure in kept.items():
                rounds.setdefault(depth, {}).setdefault(level, []).append(figure)
        out: list[NotableFigure] = []
        for depth in sorted(rounds, key=lambda d: d if isinstance(d, int) else 0):
            lists = [rounds[depth][lv] for lv in sorted(rounds[depth], key=_level_order)]
            for i in range(max(len(x) for x in lists)):
                out += [x[i] for x in lists if i < len(x)]
        return out[:NOTABLE_LIMIT]

    def _groups(self, section: str, label: Callable[[str], str]) -> tuple[ThemeGroup, ...]:
        groups = []
        for theme in THEME_NAMES:
            count = self._theme_counts[section][theme]
            if not count:
                continue
            named = tuple(label(k) for k in self._named[(section, theme)].values())
            ranked = [
                pair
                for (s, t, _), kept in self._examples.items()
                if (s, t) == (section, theme)
                for pair in kept.items()
            ]
            ranked.sort(key=lambda pair: pair[0])
            chosen = choose([e for _, e in ranked], self._levels)
            entries = tuple(replace(e, report=label(e.report)) for e in chosen)
            groups.append(ThemeGroup(theme, count, named, entries))
        if section == "problems":
            # Problems most reports share come first; the table order breaks ties.
            groups.sort(key=lambda g: -g.count)
        return tuple(groups)

    def finish(
        self,
        synthesise: Callable[[str], str] | None = None,
        index_factory: Callable[[str], SourceChecker] | None = None,
        *,
        strict: bool = False,
    ) -> Memo:
        """The memo over every report added; with `synthesise`, its checked synthesis.

        A failed synthesis leaves the memo without it, saying why; ``strict`` raises instead
        (replaying a recording, where a missing answer is the recording's fault)."""
        label = self._label_of()
        rows = [
            replace(r, report=label(r.report)) for _, r in sorted(self._rows, key=lambda p: p[0])
        ]
        flags = [
            replace(f, report=label(f.report))
            for *_, f in sorted(self._flags, key=lambda t: (t[0], t[1]))
        ]
        for path, reason in self._unreadable:
            flags.append(Flag("无法读取的文件", path.name, f"{path}：{reason}，未纳入本综述。"))
        flags = list(dict.fromkeys(flags))
        notable = [replace(n, report=label(n.report)) for n in self._notable_chosen()]
        counts = _counts(rows, len(self._unreadable), self._problems, self._uncaused)
        title, scope = _scope(counts)
        memo = Memo(
            title=title,
            scope=scope,
            overview=tuple(rows),
            achievements=self._groups("achievements", label),
            problems=self._groups("problems", label),
            plans=self._groups("plans", label),
            notable=distinct_quotes(notable),
            notable_left_out=self._notable_total - len(notable),
            flags=tuple(flags),
            report_overviews=tuple(
                replace(o, report=label(o.report))
                for _, o in sorted(self._overviews, key=lambda p: p[0])
            ),
            counts=counts,
            flag_counts=_flag_counts(flags),
            bodies=tuple(
                (label(k), part, text)
                for _, k, part, text in sorted(self._bodies, key=lambda b: b[0])
            ),
            indicators=tuple(
                comparisons(
                    ((n, replace(s, report=label(s.report))) for n, s in self._stated),
                    len(self._rows),
                )
            ),
        )
        if synthesise is None:
            return memo
        return _with_synthesis(memo, synthesise, index_factory, strict)


def _level_order(level: str) -> int:
    return LEVEL_ORDER.get(level, len(LEVEL_ORDER))


def _flag_counts(flags: Sequence[Flag]) -> tuple[FlagCount, ...]:
    out = []
    for kind in FLAG_KINDS:
        of_kind = [f for f in flags if f.kind == kind]
        if not of_kind:
            continue
        reports = tuple(dict.fromkeys(f.report for f in of_kind))
        out.append(FlagCount(kind, len(of_kind), len(reports), reports[:NAMED_REPORTS]))
    return tuple(out)


def _counts(rows: list[OverviewRow], unreadable: int, problems: int, uncaused: int) -> Counts:
    levels = Counter(r.level for r in rows)
    kinds = Counter(r.kind or "未标明" for r in rows)
    return Counts(
        reports=len(rows),
        issuers=len({r.issuer for r in rows}),
        years=tuple(sorted({r.year for r in rows if r.year})),
        by_level=tuple((lv, levels[lv]) for lv in ("省级", "市级", "县级", "—") if levels[lv]),
        by_kind=tuple((k, kinds[k]) for k in ("政府", "部门", "未标明") if kinds[k]),
        missing=tuple((k, n) for k in REQUIRED_PARTS if (n := sum(not r.parts[k] for r in rows))),
        lacking=sum(not all(r.parts[k] for k in REQUIRED_PARTS) for r in rows),
        truncated=sum(r.truncated for r in rows),
        unreadable=unreadable,
        verified=sum(r.verified for r in rows),
        flagged=sum(r.flagged for r in rows),
        problems=problems,
        uncaused=uncaused,
    )


def _scope(c: Counts) -> tuple[str, tuple[str, ...]]:
    years = c.years
    year_text = "、".join(f"{y}年度" for y in years) or "年度不详"
    if len(years) > 1:
        title_years = f"{years[0]}—{years[-1]}年度"
    elif years:
        title_years = f"{years[0]}年度"
    else:
        title_years = ""
    title = f"{title_years}法治政府建设年度报告综述"
    level_text = "、".join(f"{lv}{n}份" for lv, n in c.by_level if lv != "—")
    if len(years) > 4:
        year_text = f"{years[0]}至{years[-1]}年度"
    lines = [
        f"本综述汇总{c.reports}份法治政府建设年度报告，涉及{c.issuers}个报告主体"
        f"{'（' + level_text + '）' if level_text else ''}，所涉年度为{year_text}。"
    ]
    facts = []
    if c.lacking:
        facts.append(f"{c.lacking}份报告缺少法定部分")
    if c.truncated:
        facts.append(f"{c.truncated}份报告原文不完整")
    if c.unreadable:
        facts.append(f"另有{c.unreadable}个文件无法读取")
    if facts:
        lines.append("其中" + "，".join(facts) + "，详见“需要注意的问题”。")
    lines.append(
        "正文所列数字均已与所据报告原文核对一致；未通过核对的内容不进入正文，列于“需要注意的问题”。"
    )
    return title, tuple(lines)


# --- the optional synthesis --------------------------------------------------------------------


def synthesis_input(memo: Memo) -> list[tuple[str, str]]:
    """What the model reads for the synthesis: each report's overview, or, for a report
    without one (run JSON from before overviews), its checked item sentences. Across five
    reports the whole body was about 6,500 tokens, past the local model's context with the
    answer; their overviews are about a tenth of it."""
    pairs = [(o.report, o.text) for o in memo.report_overviews]
    return pairs + [(report, text) for report, _, text in memo.bodies]


def _trace_items(memo: Memo) -> list[tuple[str, str, str]]:
    """(report, part, text) of everything the synthesis was given, part by part."""
    items = [(o.report, part, text) for o in memo.report_overviews for part, text in o.parts]
    return items + list(memo.bodies)


def failure_reason(err: SummariserError) -> str:
    """Why the model's synthesis is missing, in words a reader of the memo understands."""
    text = str(err)
    if "max_tokens" in text or "cut off" in text:
        return "模型的回答超出长度上限，被截断"
    if "reach" in text or "connect" in text or "timed out" in text:
        return "无法连接模型服务"
    return "模型的回答无法使用"


def _with_synthesis(
    memo: Memo,
    synthesise: Callable[[str], str],
    index_factory: Callable[[str], SourceChecker] | None,
    strict: bool,
) -> Memo:
    try:
        synthesis, left_out, untraced = checked_synthesis(
            synthesis_input(memo), synthesise, index_factory, _trace_items(memo)
        )
    except SummariserError as err:
        if strict:
            raise
        # A failed model step never costs the reader the memo: it is written without the
        # synthesis, and says why.
        return replace(memo, synthesis_failure=failure_reason(err))
    dropped = [
        Flag(
            "未通过核对的数字",
            "综合分析",
            f"“{inner(d.sentence)}”中的“{d.figure}”{STATUS_NAMES.get(d.status, d.status)}，"
            "已从综合分析中删去。",
        )
        for d in left_out
    ]
    dropped += [
        Flag("综合分析删去的句子", "综合分析", f"“{inner(u.sentence)}”{u.reason}，已删去。")
        for u in untraced
    ]
    flags = list(dict.fromkeys([*memo.flags, *dropped]))
    flags.sort(key=lambda f: FLAG_KINDS.index(f.kind))
    return replace(memo, synthesis=synthesis, flags=tuple(flags), flag_counts=_flag_counts(flags))


def build_memo(
    reports: Iterable[LoadedReport | Unreadable],
    unreadable: Sequence[tuple[Path, str]] = (),
    *,
    synthesise: Callable[[str], str] | None = None,
    index_factory: Callable[[str], SourceChecker] | None = None,
    strict_synthesis: bool = False,
) -> Memo:
    """Build the memo's content from report summaries, deterministically, one at a time.

    Args:
        reports: loaded summaries (and unreadable files), e.g. `summariser.output.runs.stream`;
            each is read and let go, so an iterator keeps memory flat.
        unreadable: (path, reason) for run JSON that could not be read; listed under flags.
        synthesise: optional; given each report's checked overview (each line ending in
            〔report〕, see `synthesis_input`), returns a synthesis paragraph. Its figures are
            checked against what it was given, and every sentence must be traced to the items
            it draws on, in the same part; sentences that fail are dropped and flagged. When
            the call fails, the memo is written without the synthesis and says why.
        index_factory: builds the number checker over a source text; defaults to
            `summariser.grounding.checker.SourceIndex`.
        strict_synthesis: raise the synthesis call's error instead of writing without it.
    """
    builder = MemoBuilder(keep_bodies=synthesise is not None)
    for r in reports:
        if isinstance(r, Unreadable):
            builder.add_unreadable(r.path, r.reason)
        else:
            builder.add(r)
    for path, reason in unreadable:
        builder.add_unreadable(path, reason)
    return builder.finish(synthesise, index_factory, strict=strict_synthesis)
