"""Exporting run summaries to an Excel workbook: sheets of reports, items, key figures, figures,
and the standard indicators (指标: one row per report, one column per indicator)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from summariser.errors import InputError
from summariser.lexicon.indicators import indicators
from summariser.output.files import write_atomic
from summariser.output.runs import LoadedReport, gather
from summariser.schema import PART_KEYS, PART_NAMES, SHORT_PART_NAMES, Figure, ReportSummary

SOURCE_STATUS = "source"
"""Status of a figure the code found in an item's source passage (not a figure the summary says)."""

ROOT_NAMES = {"metadata": "基本信息", "key_figures": "关键数字", "completeness": "完整性"}
"""What the 部分 column says for a checked figure outside the five parts."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, and how wide it may grow (long text wraps at ``cap``)."""

    header: str
    cap: int = 24
    wrap: bool = False


TEXT = 60
"""Width, in half-width characters, at which summaries, quotes and contexts wrap."""

ITEM_COLUMNS = [
    Column("报告"), Column("部分", 10), Column("序号", 6), Column("小标题", 30, True),
    Column("摘要", TEXT, True), Column("原因", 40, True), Column("原文依据", TEXT, True),
    Column("依据起", 8), Column("依据止", 8), Column("段落起", 8), Column("段落止", 8),
    Column("原文数字", 8), Column("提示", 40, True),
]  # fmt: skip
FIGURE_COLUMNS = [
    Column("报告"), Column("部分", 10), Column("序号", 6), Column("位置", 36), Column("数字", 16),
    Column("数值", 14), Column("单位", 8), Column("修饰语", 8), Column("核对结果", 18),
    Column("说明", 40, True), Column("原文上下文", TEXT, True), Column("原文起", 8),
    Column("原文止", 8),
]  # fmt: skip
KEY_FIGURE_COLUMNS = [
    Column("报告"), Column("数字", 16), Column("数值", 14), Column("单位", 8),
    Column("指标", 34), Column("部分", 50), Column("依据", 20), Column("原文短句", TEXT, True),
    Column("原文起", 8), Column("原文止", 8), Column("原话", TEXT, True),
]  # fmt: skip
REPORT_FIXED = [
    Column("报告"), Column("文件", 30), Column("主体", 30), Column("层级", 6), Column("类型", 8),
    Column("年度", 6), Column("发布日期", 12), Column("含有部分", 30), Column("缺少部分", 30),
    Column("截断", 6), Column("条目", 6), Column("引擎", 8), Column("模型", 24),
]  # fmt: skip


def run_export(run_dirs: Sequence[Path], out: Path) -> int:
    """Write the summaries found in RUN_DIRS as one workbook at OUT.

    Returns:
        0 once the workbook is written. A JSON file that is not a summary is skipped with a
        warning on stderr, as long as another one is.

    Raises:
        InputError: OUT is not .xlsx or cannot be written, a path is missing, or no summary
            is found.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{out}: the workbook must end in .xlsx")
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give the workbook's file name")
    got = gather(run_dirs)
    for path, reason in got.unreadable:
        print(f"summariser: warning: skipped {path}: {reason}", file=sys.stderr)
    try:
        # the write-only book streams into temporary files from its first row: build it only
        # once the output's temporary file exists, and save it at once
        write_atomic(out, lambda path: build_workbook(got.reports).save(path))
    except OSError as err:
        raise InputError(f"{out}: cannot write the workbook ({err.strerror or err})") from err
    return 0


def report_names(reports: Sequence[LoadedReport]) -> list[str]:
    """What the 报告 column calls each report: its file's stem, with its folder where stems repeat
    (two runs of the same report, say with the rules engine and with the model)."""
    stems = [r.path.stem for r in reports]
    return [
        r.path.stem if stems.count(r.path.stem) == 1 else f"{r.path.parent.name}/{r.path.stem}"
        for r in reports
    ]


def build_workbook(reports: Sequence[LoadedReport]) -> Workbook:
    """The four sheets, in write-only mode so that hundreds of reports stay within memory."""
    names = report_names(reports)
    count_keys = _count_columns([r.summary for r in reports])
    report_columns = REPORT_FIXED + [Column(header, 12) for header, _ in count_keys]
    report_rows, item_rows, key_rows, figure_rows = [], [], [], []
    for name, loaded in zip(names, reports, strict=True):
        summary = loaded.summary
        report_rows.append(_report_row(name, summary, count_keys))
        item_rows.extend(_item_rows(name, summary))
        key_rows.extend(_key_figure_rows(name, summary))
        figure_rows.extend(_figure_rows(name, summary))
    book = Workbook(write_only=True)
    _sheet(book, "报告", report_columns, report_rows)
    _sheet(book, "条目", ITEM_COLUMNS, item_rows)
    _sheet(book, "关键数字", KEY_FIGURE_COLUMNS, key_rows)
    _sheet(book, "数字", FIGURE_COLUMNS, figure_rows)
    _indicator_sheets(book, names, [r.summary for r in reports])
    return book


# --- the standard indicators -------------------------------------------------------------------

INDICATOR_VALUE_COLUMNS = [
    Column("报告"), Column("指标", 24), Column("数字", 14), Column("数值", 12), Column("单位", 6),
    Column("口径", 6), Column("比较采用", 8), Column("理由", 40, True),
    Column("原文分句", TEXT, True), Column("核对结果", 10), Column("原文起", 8), Column("原文止", 8),
]  # fmt: skip


def indicator_headers() -> list[str]:
    """The 指标 sheet's indicator columns: each name with its unit (行政复议案件数（件）)."""
    return [f"{ind.name}（{ind.unit_label}）" for ind in indicators()]


def _indicator_sheets(book: Workbook, names: list[str], summaries: list[ReportSummary]) -> None:
    """指标: per report the value each indicator's comparison uses, as a number (checked values
    only); 指标原文: every value found, with its clause, basis and why it is or is not used."""
    wide: list[list[object]] = []
    long: list[list[object]] = []
    for name, summary in zip(names, summaries, strict=True):
        used = {v.name: v for v in summary.indicators if v.used and v.status == "verified"}
        meta = summary.metadata
        wide.append(
            [name, meta.issuer, meta.year]
            + [_number(used[i.name].value) if i.name in used else None for i in indicators()]
        )
        for v in summary.indicators:
            long.append([
                name, v.name, v.text, _number(v.value), v.unit, v.basis,
                "是" if v.used else "否", v.reason, v.clause,
                "已核对" if v.status == "verified" else "未通过", v.span[0], v.span[1],
            ])  # fmt: skip
    columns = [Column("报告"), Column("主体", 30), Column("年度", 6)]
    columns += [Column(h, 14) for h in indicator_headers()]
    _sheet(book, "指标", columns, wide)
    _sheet(book, "指标原文", INDICATOR_VALUE_COLUMNS, long)


# --- rows --------------------------------------------------------------------------------------


def _count_columns(summaries: Sequence[ReportSummary]) -> list[tuple[str, tuple[str, ...]]]:
    """(header, path) for every count the summaries' verification holds.

    Read from the JSON rather than a fixed list, so that a new kind of count gets its own
    columns unasked: every whole number in ``verification``, at any depth of nested mappings
    (``by_origin.written.checked``), is a count; ``counts`` itself is named by its keys alone.
    """
    seen: dict[tuple[str, ...], None] = {}
    for summary in summaries:
        for path in _count_paths(summary.verification):
            seen.setdefault(path, None)
    return [(".".join(p[1:] if p[0] == "counts" else p), p) for p in seen]


def _count_paths(value: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, dict):
        return [p for key, v in value.items() for p in _count_paths(v, (*path, str(key)))]
    return [path] if path and _is_count(value) else []


def _count_at(verification: dict[str, object], path: tuple[str, ...]) -> object:
    """The count at ``path``; None where this summary has no such count."""
    value: object = verification
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if _is_count(value) else None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _report_row(
    name: str, summary: ReportSummary, count_keys: list[tuple[str, tuple[str, ...]]]
) -> list[object]:
    meta, comp = summary.metadata, summary.completeness
    present = [k for k in PART_KEYS if comp.parts.get(k)]
    counts = [_count_at(summary.verification, path) for _, path in count_keys]
    return [
        name, summary.source.name, meta.issuer, meta.level, meta.issuer_kind, meta.year,
        meta.published, "、".join(SHORT_PART_NAMES[k] for k in present),
        "、".join(SHORT_PART_NAMES.get(k, k) for k in comp.missing),
        "是" if comp.truncated else "否", sum(len(v) for v in summary.parts.values()),
        summary.run.engine, summary.run.model, *counts,
    ]  # fmt: skip


def _item_rows(name: str, summary: ReportSummary) -> list[list[object]]:
    rows: list[list[object]] = []
    for key in PART_KEYS:
        for n, item in enumerate(summary.parts.get(key, []), start=1):
            quote_span = item.quote_span or (None, None)
            rows.append([
                name, SHORT_PART_NAMES[key], n, item.title, item.summary, item.cause,
                item.quote, *quote_span, *item.source_span, len(item.figures),
                "；".join(item.flags) or None,
            ])  # fmt: skip
    return rows


def _key_figure_rows(name: str, summary: ReportSummary) -> list[list[object]]:
    """One row per key figure: what it counts (its label, the source's words), its part's
    full name, why it was chosen, and where it stands in the source."""
    return [
        [
            name,
            k.figure.text,
            _number(k.figure.value),
            k.figure.unit,
            k.label or None,
            PART_NAMES.get(k.part, k.part),
            k.reason or None,
            k.figure.context,
            *k.figure.span,
            k.quote,
        ]
        for k in summary.key_figures
    ]


def _figure_rows(name: str, summary: ReportSummary) -> list[list[object]]:
    """Every figure the summary's text says, with its check; then every figure of the source
    passages the items stand on (status ``source``), so that none of the JSON's is left out."""
    by_span: dict[tuple[int, int], Figure] = {}
    for items in summary.parts.values():
        for item in items:
            for figure in item.figures:
                by_span.setdefault((figure.span[0], figure.span[1]), figure)
    rows: list[list[object]] = []
    numbers = summary.verification.get("numbers")
    for number in numbers if isinstance(numbers, list) else []:
        if not isinstance(number, dict):
            continue
        path = str(number.get("path", ""))
        part, n = _where(summary, path)
        span = _first_span(number.get("source_spans"))
        found = by_span.get(span) if span else None
        rows.append([
            name, part, n, path, number.get("text"), _number(number.get("value")),
            number.get("unit"), number.get("qualifier"), number.get("status"),
            number.get("note") or number.get("formula"), found.context if found else None, *(span or (None, None)),
        ])  # fmt: skip
    for key in PART_KEYS:
        for n, item in enumerate(summary.parts.get(key, []), start=1):
            for i, figure in enumerate(item.figures):
                rows.append([
                    name, SHORT_PART_NAMES[key], n, f"/parts/{key}/{n - 1}/figures/{i}",
                    figure.text, _number(figure.value), figure.unit, figure.qualifier,
                    SOURCE_STATUS, None, figure.context, *figure.span,
                ])  # fmt: skip
    return rows


def _first_span(spans: object) -> tuple[int, int] | None:
    """Where in the source a checked figure was found first (None when it was not found)."""
    if isinstance(spans, list) and spans and isinstance(spans[0], list | tuple):
        first = spans[0]
        if len(first) == 2 and all(_is_count(v) for v in first):
            return int(first[0]), int(first[1])
    return None


def _where(summary: ReportSummary, path: str) -> tuple[str, int | None]:
    """(部分, item number from 1) for a JSON pointer into the summary."""
    steps = path.strip("/").split("/")
    if len(steps) >= 3 and steps[0] == "parts" and steps[2].isdigit():
        return SHORT_PART_NAMES.get(steps[1], steps[1]), int(steps[2]) + 1
    if len(steps) >= 2 and steps[0] == "key_figures" and steps[1].isdigit():
        index = int(steps[1])
        if index < len(summary.key_figures):
            part = summary.key_figures[index].part
            return SHORT_PART_NAMES.get(part, part), None
    return ROOT_NAMES.get(steps[0], steps[0]), None


def _number(value: Any) -> int | float | None:
    """A figure's value as a number cell: whole values as integers (no stray ".0" in Excel)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# --- sheets ------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: a Chinese character is as wide as two digits."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet(book: Workbook, title: str, columns: list[Column], rows: list[list[object]]) -> None:
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    # A write-only sheet has column_dimensions and auto_filter (set up by Worksheet._setup),
    # which the type stubs do not declare.
    layout: Any = sheet
    for i, column in enumerate(columns, start=1):
        longest = max(
            [display_width(column.header)]
            + [display_width(str(r[i - 1])) for r in rows if r[i - 1] is not None]
        )
        width = min(max(longest, 4), column.cap) + 2
        layout.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    layout.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        out: list[object] = []
        for value, column in zip(row, columns, strict=True):
            if column.wrap and isinstance(value, str) and display_width(value) > column.cap:
                cell = WriteOnlyCell(sheet, value)
                cell.alignment = wrap
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
