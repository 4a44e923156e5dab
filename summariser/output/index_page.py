"""The run's index page: one row per report of a batch, in the reader's words, sortable."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from urllib.parse import quote

from summariser.output.files import write_atomic
from summariser.output.review import _page
from summariser.schema import ENGINE_NAMES, OUTCOME_NAMES

INDEX_HTML_COLUMNS = [
    ("file", "文件", "text"), ("status", "状态", "text"), ("issuer", "主体", "text"),
    ("level", "层级", "text"), ("year", "年度", "num"), ("items", "条目", "num"),
    ("figures_verified", "核实", "num"), ("figures_flagged", "存疑", "num"),
    ("missing_parts", "缺少部分", "text"), ("truncated", "截断", "text"),
    ("engine", "引擎", "text"), ("model_fallback", "模型回答不可用", "num"),
    ("reason", "说明", "text"),
]  # fmt: skip
"""(index.csv key, the page's column head, how it sorts): the CSV keeps the keys and values
for machines; the page says both in Chinese."""


PART_SHORT = {
    "achievements": "举措和成效", "problems": "不足和原因", "leadership": "第一责任人履职",
    "plans": "下一年度安排", "other": "其他",
}  # fmt: skip


def _index_cell(key: str, value: object) -> str:
    """An index.csv value as the page shows it: statuses, engines and parts by their Chinese
    names, yes/no as 是/否."""
    text = str(value)
    if key == "missing_parts" and text:
        return "、".join(PART_SHORT.get(k, k) for k in text.split(";"))
    if key == "truncated":
        return {"yes": "是", "no": "否"}.get(text, text)
    if key == "status":
        return OUTCOME_NAMES.get(text, text)
    if key == "engine":
        return ENGINE_NAMES.get(text, text)
    return text


def render_index(rows: Iterable[tuple[dict[str, object], str | None]]) -> str:
    """The run's index page: one row per report (an ``files.index_row`` and the file name of its
    review page, or None when it has none), sortable by any column, with a filter box."""
    rows = list(rows)
    head = "".join(
        f'<th data-kind="{kind}" tabindex="0" aria-sort="none">{escape(label)}</th>'
        for _, label, kind in INDEX_HTML_COLUMNS
    )
    body = []
    for row, page in rows:
        cells = []
        for key, _, _ in INDEX_HTML_COLUMNS:
            value = escape(_index_cell(key, row.get(key, "")))
            if key == "file" and page:
                value = f'<a href="{escape(quote(page))}">{value}</a>'
            cls = f' class="{key}"'
            if key == "status":
                cls = f' class="{key} s-{escape(str(row.get("status", "")))}"'
            elif key in ("figures_flagged", "model_fallback") and str(row.get(key, "")) not in (
                "",
                "0",
            ):
                cls = f' class="{key} bad"'
            cells.append(f"<td{cls}>{value}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    statuses: dict[str, int] = {}
    for row, _ in rows:
        status = str(row.get("status", ""))
        statuses[status] = statuses.get(status, 0) + 1
    order = list(OUTCOME_NAMES)
    said = "，".join(
        f"{escape(OUTCOME_NAMES.get(k, k))} {v} 份"
        for k, v in sorted(statuses.items(), key=lambda kv: (order + [kv[0]]).index(kv[0]))
    )
    content = (
        '<body class="index">\n<header class="top"><h1>本次运行的报告</h1>'
        f'<p class="meta">共 <b id="n-reports">{len(rows)}</b> 份：{said}。点击列名排序。</p>'
        '<input id="filter" type="search" placeholder="筛选：文件、主体、状态" '
        'aria-label="筛选"></header>\n'
        f'<table id="reports"><thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table>"
    )
    return _page("本次运行的报告", content, "index.js")


def write_review_index(path: Path, rows: Iterable[tuple[dict[str, object], str | None]]) -> None:
    """Write the run's index page (atomically)."""
    write_atomic(path, render_index(rows))
