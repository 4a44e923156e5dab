"""The briefing memo as Markdown: headings, the overview table, one bullet per entry."""

from __future__ import annotations

from collections.abc import Sequence

from summariser.memo.content import Flag, Memo, ThemeGroup
from summariser.memo.indicators import (
    INDICATOR_HEADER,
    INDICATORS_NOTE,
    IndicatorComparison,
    table_rows,
    unstated_line,
)
from summariser.memo.wording import (
    OVERVIEW_NOTE,
    REPORT_OVERVIEWS_HEAD,
    cn_index,
    entry_text,
    flag_groups,
    memo_sections,
    overview_cells,
    overview_header,
    theme_heading,
)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(memo: Memo) -> str:
    """The memo as Markdown: headings, a table, one bullet per entry with its source."""
    out: list[str] = [f"# {memo.title}", ""]
    out += [*memo.scope, ""]
    for key, heading in memo_sections(memo):
        out += [f"## {heading}", ""]
        if key == "overview":
            header = overview_header()
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join(["---"] * len(header)) + "|")
            for i, row in enumerate(memo.overview, start=1):
                out.append("| " + " | ".join(_md_cell(c) for c in overview_cells(i, row)) + " |")
            out += ["", OVERVIEW_NOTE, ""]
            if memo.report_overviews:
                out += [REPORT_OVERVIEWS_HEAD, ""]
                out += [f"- {o.text}〔{o.report}〕" for o in memo.report_overviews]
                out.append("")
        elif key == "indicators":
            out += indicators_markdown(memo.indicators)
        elif key == "synthesis" and memo.synthesis is not None:
            for sentence, reports in zip(
                memo.synthesis.sentences, memo.synthesis.reports, strict=True
            ):
                src = f"〔{'、'.join(reports)}〕" if reports else ""
                out.append(f"{sentence}{src}")
            out += ["", "（本段由模型根据上述摘要撰写，其中数字已逐一核对。）", ""]
        elif key in ("achievements", "problems", "plans"):
            groups: tuple[ThemeGroup, ...] = getattr(memo, key)
            if not groups:
                out += ["各报告均未述及。", ""]
            for i, g in enumerate(groups, start=1):
                out += [f"### {theme_heading(i, g, key)}", ""]
                out += [f"涉及报告：{'、'.join(g.reports)}。", ""]
                for e in g.entries:
                    title = f"**{e.title}**：" if e.title else ""
                    out.append(f"- {title}{entry_text(e, key)}〔{e.report}〕")
                out.append("")
        elif key == "notable":
            if not memo.notable:
                out += ["各报告未列出关键数字。", ""]
            for n in memo.notable:
                out.append(f"- **{n.text}**〔{n.report}〕：“{n.quote}”")
            if memo.notable_left_out:
                out.append(f"- 另有{memo.notable_left_out}项关键数字未列出，见各报告摘要。")
            out.append("")
        elif key == "flags":
            out += _flags_markdown(memo.flags)
    return "\n".join(out).rstrip() + "\n"


def _flags_markdown(flags: Sequence[Flag]) -> list[str]:
    if not flags:
        return ["未发现需要注意的问题。", ""]
    out: list[str] = []
    for i, (kind, items) in enumerate(flag_groups(flags), start=1):
        out += [f"### （{cn_index(i)}）{kind}", ""]
        out += [f"- 〔{f.report}〕{f.message}" for f in items]
        out.append("")
    return out


def indicators_markdown(comparisons: Sequence[IndicatorComparison]) -> list[str]:
    """The comparison of standard indicators as a Markdown table, its note and what is unstated."""
    out = ["| " + " | ".join(INDICATOR_HEADER) + " |", "|" + "|".join(["---"] * 6) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table_rows(comparisons)]
    out += ["", INDICATORS_NOTE]
    if line := unstated_line(comparisons):
        out.append(line)
    return [*out, ""]
