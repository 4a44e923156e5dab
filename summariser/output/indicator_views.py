"""A report's standard indicators as readers see them: a Markdown section and a review-page one.

Both list every value found (the one a comparison uses first marked 比较采用), with the figure as
written, its basis and the clause it stands in, so a reader can see why it counts the indicator.
"""

from __future__ import annotations

from html import escape

from summariser.schema import IndicatorValue, ReportSummary

HEAD = "标准指标"
NOTE = "原文写明的本年度数值，由程序按指标表认定并在原文处核对；同一指标有多个数值时只有一个用于跨报告比较。"
NONE = "原文未写明指标表中的指标。"


def _use(v: IndicatorValue) -> str:
    if v.status != "verified":
        return "未通过核对，不用于比较"
    return ("比较采用：" if v.used else "不采用：") + (v.reason or "—")


def _md_cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def indicators_markdown(summary: ReportSummary) -> str:
    """The ``## 标准指标`` section of a summary's Markdown view (a table, or one line)."""
    out = [f"## {HEAD}", ""]
    if not summary.indicators:
        return "\n".join([*out, NONE, "", ""])
    out += ["| 指标 | 数字 | 口径 | 比较 | 原文分句 |", "|---|---|---|---|---|"]
    for v in summary.indicators:
        cells = (
            v.name,
            v.text,
            v.basis or "—",
            _use(v),
            f"{v.clause}（字符 {v.span[0]}–{v.span[1]}）",
        )
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join([*out, "", NOTE, "", ""])


def indicators_html(summary: ReportSummary) -> str:
    """The review page's 标准指标 section (empty when the report states none)."""
    if not summary.indicators:
        return ""
    rows = "".join(
        f"<tr><td>{escape(v.name)}</td><td><b>{escape(v.text)}</b></td>"
        f"<td>{escape(v.basis or '—')}</td><td>{escape(_use(v))}</td>"
        f"<td>{escape(v.clause)} <small>字符 {v.span[0]}–{v.span[1]}</small></td></tr>"
        for v in summary.indicators
    )
    return (
        f'<section class="part" id="indicators"><h2>{HEAD} <small>{escape(NOTE)}</small></h2>'
        '<table class="kf"><thead><tr><th>指标</th><th>数字</th><th>口径</th><th>比较</th>'
        f"<th>原文分句</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
