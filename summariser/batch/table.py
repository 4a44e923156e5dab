"""What `summariser run` prints at the end: one line per finished report and a table that fits
an 80-column terminal, in the same words as the progress bar and the index page."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from summariser.batch.outcome import Outcome
from summariser.output.files import origin_counts
from summariser.schema import ENGINE_NAMES, OUTCOME_NAMES

WIDTH = 80
"""Columns the table may take: a terminal's default width. A Chinese character takes two."""
FILE_WIDTH = 26
"""A longer file name gets a line of its own above its row."""
HEADS = ("文件", "状态", "引擎", "条目", "所写数字", "摘录数字", "秒")
LEGEND = "所写数字：摘要自己写的，核实/推算/存疑；摘录数字：摘自原文的，核实/存疑。"


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns``: broken after a clause mark in the second half of
    a line, else at a space there, else where the line is full."""
    lines: list[str] = []
    while width(text) > columns:
        used, cut, mark, space = 0, 0, 0, 0
        for i, c in enumerate(text):
            used += width(c)
            if used > columns:
                break
            cut = i + 1
            if used >= columns // 2:
                if c in "；;，,、。）)":
                    mark = i + 1
                elif c == " ":
                    space = i + 1
        end = mark or space or cut or 1
        lines.append(text[:end].rstrip())
        text = text[end:].lstrip()
    if text or not lines:
        lines.append(text)
    return lines


def status_name(status: str) -> str:
    return OUTCOME_NAMES.get(status, status)


def finished_line(outcome: Outcome) -> str:
    """A finished report as the progress shows it: "hubin-2023.txt：完成 — 缺少部分：其他"."""
    said = f" — {outcome.reason}" if outcome.reason else ""
    return f"{outcome.file}：{status_name(outcome.status)}{said}"


def cells_of(o: Outcome) -> tuple[str, ...]:
    """One outcome's row of the final table (reason apart: it goes on the lines below)."""
    s = o.summary
    if s is None:
        return (o.file, status_name(o.status), "", "", "", "", "")
    by = origin_counts(s)
    w, c = by["written"], by["copied"]
    return (
        o.file,
        status_name(o.status),
        ENGINE_NAMES.get(s.run.engine, s.run.engine),
        str(sum(len(v) for v in s.parts.values())),
        f"{w['verified']}/{w['derived']}/{w['flagged']}",
        f"{c['verified'] + c['derived']}/{c['flagged']}",
        f"{s.run.seconds:.1f}",
    )


def table(outcomes: Sequence[Outcome]) -> str:
    """The final per-report table, for stderr: every line at most WIDTH columns.

    A report's reason goes on the lines under its row, indented; a file name too long for its
    column goes on a line of its own; a line of totals and a legend close it.
    """
    rows = [o.cells or cells_of(o) for o in outcomes]
    file_col = min(FILE_WIDTH, max([width(HEADS[0])] + [width(r[0]) for r in rows]))
    cols = [file_col] + [max(width(r[k]) for r in [HEADS, *rows]) for k in range(1, len(HEADS))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(c, n) for c, n in zip(cells, cols, strict=True)).rstrip()

    lines = [line(HEADS)]
    for o, r in zip(outcomes, rows, strict=True):
        if width(r[0]) > file_col:
            lines.extend(wrap(r[0], WIDTH))
            r = ("", *r[1:])
        lines.append(line(r))
        if o.reason:
            lines.extend("    " + part for part in wrap(o.reason, WIDTH - 4))
    counted: dict[str, int] = {}
    for o in outcomes:
        counted[o.status] = counted.get(o.status, 0) + 1
    order = list(OUTCOME_NAMES)
    said = "，".join(
        f"{status_name(k)} {n}"
        for k, n in sorted(counted.items(), key=lambda kv: (order + [kv[0]]).index(kv[0]))
    )
    lines.extend(wrap(f"共 {len(outcomes)} 个文件：{said}。", WIDTH))
    lines.extend(wrap(LEGEND, WIDTH))
    return "\n".join(lines)


def written_line(out_dir: Path, outcomes: Sequence[Outcome]) -> str:
    """What `run` wrote, for the end of its output: what, then where (a path may be long)."""
    done = sum(o.page or o.summary is not None for o in outcomes)
    return (
        f"已写入 {done} 份报告的摘要（每份 .json、.md 与审阅页 .html）和 index.csv、index.html\n"
        f"  位置：{out_dir}"
    )
