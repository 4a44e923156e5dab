"""Exporting run summaries to an Excel workbook: sheets of reports, items, key figures, figures,
and the standard indicators (指标, 指标原文).

The book is written as the summaries are read, one at a time, into openpyxl's write-only mode
(rows streamed to disk, strings inline): a run of ten thousand reports takes the memory of one.
Headers and values are the reader's words (核实, 模型所写, 是/否); the JSON keeps the keys.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from summariser.errors import InputError
from summariser.output import indicator_sheets
from summariser.output.files import write_atomic
from summariser.output.runs import Unreadable, json_files, read_files
from summariser.schema import (
    ENGINE_NAMES,
    PART_KEYS,
    PART_NAMES,
    SHORT_PART_NAMES,
    STATUS_NAMES,
    STATUSES,
    ReportSummary,
)

SOURCE_STATUS = "source"
"""A figure the code found in an item's source passage (not one the summary says)."""
STATUS_CELLS = {**STATUS_NAMES, SOURCE_STATUS: "原文数字"}
QUALIFIER_NAMES = {"above": "以上", "below": "不足", "about": "约"}
"""The 修饰语 column: 余/多/超过 are 以上, 近/不足/未满 are 不足, 约/左右 are 约."""
ROOT_NAMES = {"metadata": "基本信息", "key_figures": "关键数字", "completeness": "完整性"}
"""What the 部分 column says for a checked figure outside the five parts."""
PLACE_NAMES = {
    "summary": "摘要", "quote": "原文依据", "title": "小标题", "cause": "原因",
    "context": "原文上下文", "text": "原文数字", "label": "指标", "issuer": "主体",
    "published": "发布日期", "overview": "总体情况",
}  # fmt: skip
"""Where in a summary a figure stands (the last step of its JSON pointer), for 出现在."""
WRITERS = {"llm": "模型所写", "golden": "人工所写"}
COPIED = "摘自原文"
ORIGIN_HEADS = {"written": "所写", "copied": "摘录"}
ORIGIN_COUNTS = {"checked": "核对", "verified": "核实", "derived": "推算", "flagged": "存疑"}
COUNTS: list[tuple[str, tuple[str, ...]]] = [(STATUS_NAMES[s], ("counts", s)) for s in STATUSES] + [
    (ORIGIN_HEADS[o] + ORIGIN_COUNTS[k], ("by_origin", o, k))
    for o in ORIGIN_HEADS
    for k in ORIGIN_COUNTS
]
"""(column head, path in ``verification``) of the counts every summary has; any other count
a summary holds goes, with its path, into the 其他计数 column (the columns must be fixed
before the first row is written)."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, its width in half-width characters, and whether its
    text wraps (summaries, quotes) or stays on one line (numbers, names)."""

    header: str
    width: int = 14
    wrap: bool = False


TEXT = 60
"""Width, in half-width characters, of the columns of long text (they wrap)."""

INDICATOR_COLUMNS = [Column("报告"), Column("主体", 30), Column("年度", 6)] + [
    Column(h, 14) for h in indicator_sheets.wide_headers()
]
INDICATOR_VALUE_COLUMNS = [Column(h, w, wrap) for h, w, wrap in indicator_sheets.VALUE_HEADERS]

ITEM_COLUMNS = [
    Column("报告", 26), Column("部分", 8), Column("序号", 6), Column("小标题", 30, True),
    Column("摘要", TEXT, True), Column("原因", 40, True), Column("原文依据", TEXT, True),
    Column("依据起", 8), Column("依据止", 8), Column("段落起", 8), Column("段落止", 8),
    Column("原文数字", 10), Column("提示", 40, True),
]  # fmt: skip
FIGURE_COLUMNS = [
    Column("报告", 26), Column("部分", 8), Column("序号", 6), Column("数字", 16),
    Column("数值", 14), Column("单位", 8), Column("修饰语", 8), Column("来源", 10),
    Column("核对结果", 12), Column("说明", 40, True), Column("出现在", 24, True),
    Column("原文上下文", TEXT, True), Column("原文起", 8), Column("原文止", 8),
    Column("JSON路径", 36),
]  # fmt: skip
KEY_FIGURE_COLUMNS = [
    Column("报告", 26), Column("数字", 16), Column("数值", 14), Column("单位", 8),
    Column("指标", 34, True), Column("部分", 30, True), Column("依据", 20, True),
    Column("原文短句", TEXT, True), Column("原文起", 8), Column("原文止", 8),
    Column("原话", TEXT, True),
]  # fmt: skip
REPORT_COLUMNS = [
    Column("报告", 26), Column("文件", 30), Column("主体", 30, True), Column("层级", 6),
    Column("类型", 8), Column("年度", 8), Column("发布日期", 12), Column("含有部分", 24, True),
    Column("缺少部分", 24, True), Column("截断", 6), Column("条目", 6), Column("引擎", 8),
    Column("模型", 24), Column("总体情况", TEXT, True),
    *(Column(head, 10) for head, _ in COUNTS), Column("其他计数", 30, True),
]  # fmt: skip


def run_export(run_dirs: Sequence[Path], out: Path) -> int:
    """Write the summaries found in RUN_DIRS as one workbook at OUT, and say what it holds.

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
    files = json_files(run_dirs)
    counted: dict[str, int] = {}

    def write(path: Path) -> None:
        # the write-only book streams into temporary files from its first row: build it only
        # once the output's temporary file exists, and save it at once
        book, rows = build_workbook(files)
        book.save(path)
        counted.update(rows)

    try:
        write_atomic(out, write)
    except OSError as err:
        raise InputError(f"{out}: cannot write the workbook ({err.strerror or err})") from err
    said = "，".join(f"{sheet} {n} 行" for sheet, n in counted.items())
    print(f"已写入 {out}：{len(counted)} 张表，{said}")
    return 0


def report_names(paths: Sequence[Path]) -> list[str]:
    """What the 报告 column calls each report: its file's stem, with its folder where stems repeat
    (two runs of the same report, say with the rules engine and with the model)."""
    stems = Counter(p.stem for p in paths)
    return [p.stem if stems[p.stem] == 1 else f"{p.parent.name}/{p.stem}" for p in paths]


def each_summary(files: Sequence[Path]) -> Iterator[tuple[Path, ReportSummary]]:
    """The summaries among ``files``, read one at a time, in the order given; a file that is not
    one is passed over, and named on stderr once the rest are read.

    Raises:
        InputError: once the files are read, when none was a summary (then the error alone
            names the first file and why).
    """
    unreadable: list[Unreadable] = []
    for got in read_files(files):
        if isinstance(got, Unreadable):
            unreadable.append(got)
        else:
            yield got.path, got.summary
    for bad in unreadable:
        print(f"summariser: warning: skipped {bad.path}: {bad.reason}", file=sys.stderr)


def build_workbook(files: Sequence[Path]) -> tuple[Workbook, dict[str, int]]:
    """The four sheets, written as each summary is read; with the rows each sheet got.

    The reports come in the order of ``files`` (by folder and file name): the sheets have filters
    to sort them any other way.
    """
    names = dict(zip(files, report_names(files), strict=True))
    stream = each_summary(files)
    item = next(stream, None)  # no summary at all: the error comes before any sheet is begun
    book = Workbook(write_only=True)
    sheets = {
        "报告": _Sheet(book, "报告", REPORT_COLUMNS),
        "条目": _Sheet(book, "条目", ITEM_COLUMNS),
        "关键数字": _Sheet(book, "关键数字", KEY_FIGURE_COLUMNS),
        "数字": _Sheet(book, "数字", FIGURE_COLUMNS),
        "指标": _Sheet(book, "指标", INDICATOR_COLUMNS),
        "指标原文": _Sheet(book, "指标原文", INDICATOR_VALUE_COLUMNS),
    }
    try:
        while item is not None:
            path, summary = item
            item = None  # a summary is held no longer than its rows take to write
            name = names[path]
            sheets["报告"].add(_report_row(name, summary))
            for row in _item_rows(name, summary):
                sheets["条目"].add(row)
            for row in _key_figure_rows(name, summary):
                sheets["关键数字"].add(row)
            for row in _figure_rows(name, summary):
                sheets["数字"].add(row)
            sheets["指标"].add(indicator_sheets.wide_row(name, summary))
            for row in indicator_sheets.value_rows(name, summary):
                sheets["指标原文"].add(row)
            item = next(stream, None)
    finally:  # closed even on an error, so the half-written sheets end quietly
        for sheet in sheets.values():
            sheet.close()
    return book, {title: sheet.rows for title, sheet in sheets.items()}


# --- rows --------------------------------------------------------------------------------------


def _count_at(verification: dict[str, object], path: tuple[str, ...]) -> int | None:
    """The count at ``path``; None where this summary has no such count."""
    value: object = verification
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count_paths(value: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, dict):
        return [p for key, v in value.items() for p in _count_paths(v, (*path, str(key)))]
    return [path] if path and _is_count(value) else []


def _other_counts(verification: dict[str, object]) -> str | None:
    """Counts outside COUNTS, as "by_reviewer.model=3；…": a new kind of count is not lost."""
    known = {path for _, path in COUNTS}
    other = [p for p in _count_paths(verification) if p not in known]
    said = "；".join(f"{'.'.join(p)}={_count_at(verification, p)}" for p in other)
    return said or None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _report_row(name: str, summary: ReportSummary) -> list[object]:
    meta, comp = summary.metadata, summary.completeness
    present = [k for k in PART_KEYS if comp.parts.get(k)]
    counts = [_count_at(summary.verification, path) for _, path in COUNTS]
    overview = summary.overview.text if summary.overview is not None else None
    return [
        name, summary.source.name, meta.issuer, meta.level, meta.issuer_kind, meta.year,
        meta.published, "、".join(SHORT_PART_NAMES[k] for k in present),
        "、".join(SHORT_PART_NAMES.get(k, k) for k in comp.missing),
        "是" if comp.truncated else "否", sum(len(v) for v in summary.parts.values()),
        ENGINE_NAMES.get(summary.run.engine, summary.run.engine), summary.run.model, overview,
        *counts, _other_counts(summary.verification),
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
            cell_value(k.figure.value, k.figure.unit),
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


_RANK = {"verified": 0, "derived": 1}


def _figure_rows(name: str, summary: ReportSummary) -> list[list[object]]:
    """Each figure the summary's own words say, one row per check; then each figure of the
    source the summary copies or its items stand on, once, with every place it appears
    (出现在): a quote, a context and a figure list repeat one figure, not three."""
    contexts: dict[tuple[int, int], str] = {}
    for items in summary.parts.values():
        for item in items:
            for figure in item.figures:
                contexts.setdefault((figure.span[0], figure.span[1]), figure.context)
    writer = WRITERS.get(summary.run.engine, "摘要所写")
    written: list[list[object]] = []
    # one row per figure of the source: its place and its words (a span may verify another
    # wording of the figure there, 10项 for 10条)
    copied: dict[tuple[tuple[int, int], str], list[object]] = {}
    worst: dict[tuple[tuple[int, int], str], str] = {}
    numbers = summary.verification.get("numbers")
    for number in numbers if isinstance(numbers, list) else []:
        if not isinstance(number, dict):
            continue
        path = str(number.get("path", ""))
        part, n = _where(summary, path)
        span = _first_span(number.get("source_spans"))
        status = str(number.get("status"))
        place = _place(path)
        at = (span or (-1, -1), str(number.get("text")))
        if span is not None and number.get("origin") != "written" and at in copied:
            row = copied[at]
            if place not in str(row[10]).split("、"):
                row[10] = f"{row[10]}、{place}"
            if _RANK.get(status, 2) > _RANK.get(worst[at], 2):
                row[8], row[9] = STATUS_CELLS.get(status, status), _note(number)
                worst[at] = status
            continue
        row = [
            name, part, n, number.get("text"), cell_value(number.get("value"), number.get("unit")),
            number.get("unit"), QUALIFIER_NAMES.get(str(number.get("qualifier")), None),
            writer if number.get("origin") == "written" else COPIED,
            STATUS_CELLS.get(status, status), _note(number), place,
            contexts.get(span) if span else None, *(span or (None, None)), path,
        ]  # fmt: skip
        if span is not None and number.get("origin") != "written":
            copied[at], worst[at] = row, status
        else:
            written.append(row)
    source: list[list[object]] = []
    for key in PART_KEYS:
        for n, item in enumerate(summary.parts.get(key, []), start=1):
            for i, figure in enumerate(item.figures):
                at = ((figure.span[0], figure.span[1]), figure.text)
                if at in copied:
                    continue
                copied[at] = []
                source.append([
                    name, SHORT_PART_NAMES[key], n, figure.text,
                    cell_value(figure.value, figure.unit), figure.unit,
                    QUALIFIER_NAMES.get(str(figure.qualifier), None), COPIED,
                    STATUS_CELLS[SOURCE_STATUS], None, PLACE_NAMES["text"], figure.context,
                    *figure.span, f"/parts/{key}/{n - 1}/figures/{i}",
                ])  # fmt: skip
    return written + [row for row in copied.values() if row] + source


def _note(number: dict[str, Any]) -> str | None:
    note = number.get("note") or number.get("formula")
    return str(note) if note else None


def _place(path: str) -> str:
    """Where a JSON pointer points, in the reader's words (摘要, 原文依据, 总体情况…)."""
    steps = path.strip("/").split("/")
    if steps[0] == "overview":
        return PLACE_NAMES["overview"]
    words = [s for s in steps if not s.isdigit()]
    return PLACE_NAMES.get(words[-1], words[-1]) if words else path


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
    if steps[0] == "overview" and len(steps) >= 3 and steps[1] == "parts":
        return SHORT_PART_NAMES.get(steps[2], steps[2]), None
    return ROOT_NAMES.get(steps[0], PLACE_NAMES.get(steps[0], steps[0])), None


DATE_UNITS = frozenset({"年", "年月", "年月日"})


def cell_value(value: Any, unit: object = None) -> int | float | str | None:
    """A figure's value as a cell: whole values as integers (no stray ".0" in Excel), and a
    date as a reader writes it: 2024 for 2024年 (the JSON's 20240000), 2024-08 and 2024-08-31
    for a month and a day."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if unit in DATE_UNITS and value >= 1_000_000 and float(value).is_integer():
        year, month, day = int(value) // 10000, int(value) // 100 % 100, int(value) % 100
        if not month:
            return year
        return f"{year}-{month:02}" + (f"-{day:02}" if day else "")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# --- sheets ------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: a Chinese character is as wide as two digits."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Sheet:
    """A write-only sheet: widths, frozen header row and first column set before the first row;
    the filter, which needs the last row, after the last."""

    def __init__(self, book: Workbook, title: str, columns: list[Column]) -> None:
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.columns = columns
        self.rows = 0
        # A write-only sheet has column_dimensions and auto_filter (set up by
        # Worksheet._setup), which the type stubs do not declare.
        layout: Any = self.sheet
        for i, column in enumerate(columns, start=1):
            width = max(column.width, display_width(column.header)) + 2
            layout.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "B2"  # the header row and the report's name stay in sight
        # every wrapped cell shares one style: set once on a model cell and copied (setting
        # the alignment on each cell looks it up in the book's table, half the export's time)
        model: Any = WriteOnlyCell(self.sheet, "")  # _style: the stubs omit it
        model.alignment = Alignment(wrap_text=True, vertical="top")
        self.wrap = model._style
        bold = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, column.header)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def add(self, row: Sequence[Any]) -> None:
        out: list[object] = []
        for value, column in zip(row, self.columns, strict=True):
            if column.wrap and value is not None:
                cell: Any = WriteOnlyCell(self.sheet, value)
                cell._style = copy(self.wrap)
                out.append(cell)
            else:
                out.append(value)
        self.sheet.append(out)
        self.rows += 1

    def close(self) -> None:
        layout: Any = self.sheet
        last = get_column_letter(len(self.columns))
        layout.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        if sys.exc_info()[0] is not None:  # the book will not be saved: end its streams now
            self.sheet.close()
