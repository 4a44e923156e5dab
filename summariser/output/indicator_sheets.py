"""The workbook's sheets of standard indicators: 指标 (one row per report, one column per
indicator, numbers as numbers with the unit in the header) and 指标原文 (every value found, with
its clause, basis and why a comparison uses it or not)."""

from __future__ import annotations

from summariser.lexicon.indicators import indicators
from summariser.schema import STATUS_NAMES, ReportSummary


def number(value: float) -> int | float:
    """A value as a number cell: whole values as integers (no stray ".0" in Excel)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def wide_headers() -> list[str]:
    """The 指标 sheet's indicator columns: each name with its unit (行政复议案件数（件）)."""
    return [f"{ind.name}（{ind.unit_label}）" for ind in indicators()]


VALUE_HEADERS: list[tuple[str, int, bool]] = [
    ("报告", 14, False), ("指标", 24, False), ("数字", 14, False), ("数值", 12, False),
    ("单位", 6, False), ("口径", 6, False), ("比较采用", 8, False), ("理由", 40, True),
    ("原文分句", 60, True), ("核对结果", 10, False), ("原文起", 8, False), ("原文止", 8, False),
]  # fmt: skip
"""The 指标原文 sheet's columns: (header, width in half-width characters, wraps)."""


def wide_row(name: str, summary: ReportSummary) -> list[object]:
    """One report's row of the 指标 sheet: the checked value each comparison uses, else empty."""
    used = {v.name: v for v in summary.indicators if v.used and v.status == "verified"}
    meta = summary.metadata
    return [name, meta.issuer, meta.year] + [
        number(used[i.name].value) if i.name in used else None for i in indicators()
    ]


def value_rows(name: str, summary: ReportSummary) -> list[list[object]]:
    """Every indicator value one report states, a row each, for the 指标原文 sheet."""
    return [
        [
            name,
            v.name,
            v.text,
            number(v.value),
            v.unit,
            v.basis,
            "是" if v.used else "否",
            v.reason,
            v.clause,
            STATUS_NAMES.get(v.status, v.status),
            v.span[0],
            v.span[1],
        ]  # fmt: skip
        for v in summary.indicators
    ]
