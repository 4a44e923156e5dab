"""The memo's comparison of standard indicators across reports: counts, ranges, medians, ends.

Per indicator: how many reports state it, the range and median of their values, and the
reports with the highest and the lowest value. Only a value a report's summary marks as the
one a comparison uses, and that passed its check at the source, is counted; each report gives
at most one value per indicator. Plain data here; `table_rows` gives the cells both renderers
lay out, in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from summariser.lexicon.indicators import indicators
from summariser.output.runs import LoadedReport

INDICATORS_HEAD = "主要指标比较"
INDICATORS_NOTE = (
    "注：每份报告每项指标只取一个数值（同一指标写明多个数值时按口径择一，理由见各报告摘要的"
    "“标准指标”）；只计原文写明、已核对的本年度数值，下一年目标、历年累计和上级数字不计。"
)
INDICATOR_HEADER = ["指标", "写明的报告", "范围", "中位数", "最高", "最低"]


@dataclass(frozen=True)
class Stated:
    """One report's value of an indicator: its label, issuer, value and the figure as written."""

    report: str
    issuer: str
    value: float
    text: str


@dataclass(frozen=True)
class IndicatorComparison:
    """One indicator across the reports that state it, in report order."""

    name: str
    unit: str
    stated: tuple[Stated, ...]
    reports: int

    @property
    def low(self) -> Stated:
        return min(self.stated, key=lambda s: s.value)

    @property
    def high(self) -> Stated:
        return max(self.stated, key=lambda s: s.value)

    def at(self, value: float) -> list[Stated]:
        """The reports whose value is ``value`` (ties at the top or bottom), in report order."""
        return [s for s in self.stated if s.value == value]

    @property
    def median(self) -> float:
        return float(median(s.value for s in self.stated))


def stated_in(report: LoadedReport, label: str | None = None) -> list[tuple[str, Stated]]:
    """(indicator name, value) for each checked value a comparison uses in one report."""
    issuer = report.summary.metadata.issuer or report.label or report.path.stem
    out = []
    for ind in indicators():
        value = next(
            (
                v
                for v in report.summary.indicators
                if v.name == ind.name and v.used and v.status == "verified"
            ),
            None,
        )
        if value is not None:
            out.append(
                (ind.name, Stated(label or report.label or issuer, issuer, value.value, value.text))
            )
    return out


def comparisons(stated: Iterable[tuple[str, Stated]], total: int) -> list[IndicatorComparison]:
    """Each standard indicator that at least one of ``total`` reports states, in the
    vocabulary's order, from the (name, value) pairs of `stated_in`."""
    by_name: dict[str, list[Stated]] = {}
    for name, value in stated:
        by_name.setdefault(name, []).append(value)
    return [
        IndicatorComparison(ind.name, ind.unit_label, tuple(by_name[ind.name]), total)
        for ind in indicators()
        if ind.name in by_name
    ]


def compare_indicators(reports: Sequence[LoadedReport]) -> list[IndicatorComparison]:
    """Each standard indicator that at least one report states, in the vocabulary's order."""
    return comparisons((pair for r in reports for pair in stated_in(r)), len(reports))


def unstated(comparisons: Sequence[IndicatorComparison]) -> list[str]:
    """The indicators no report states."""
    named = {c.name for c in comparisons}
    return [ind.name for ind in indicators() if ind.name not in named]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


_NAMED = 3
"""At most this many issuers are named in a cell where reports tie; the rest are counted."""


def _end(c: IndicatorComparison, value: float) -> str:
    tied = c.at(value)
    if len(tied) > 1 and len({s.text for s in tied}) == 1:
        names = "、".join(s.issuer for s in tied[:_NAMED])
        more = f"等{len(tied)}份" if len(tied) > _NAMED else ""
        return f"{tied[0].text}（{names}{more}）"
    shown = "；".join(f"{s.text}（{s.issuer}）" for s in tied[:_NAMED])
    return shown + (f"等{len(tied)}份" if len(tied) > _NAMED else "")


def table_rows(comparisons: Sequence[IndicatorComparison]) -> list[list[str]]:
    """The comparison table's cells (`INDICATOR_HEADER`), one row per indicator: the highest
    and lowest as the report wrote them, with their issuers (all of them where reports tie)."""
    rows = []
    for c in comparisons:
        low, high = c.low.value, c.high.value
        same = low == high
        span = f"{_number(low)}{c.unit}" if same else f"{_number(low)}～{_number(high)}{c.unit}"
        rows.append(
            [
                c.name,
                f"{len(c.stated)}/{c.reports}",
                f"均为{span}" if same and len(c.stated) > 1 else span,
                f"{_number(c.median)}{c.unit}",
                _end(c, high),
                "—" if same else _end(c, low),
            ]
        )
    return rows


def unstated_line(comparisons: Sequence[IndicatorComparison]) -> str:
    """One sentence naming the indicators no report states (empty when every one is stated)."""
    names = unstated(comparisons)
    return f"各报告均未写明的指标：{'、'.join(names)}。" if names else ""
