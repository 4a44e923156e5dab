"""The briefing memo as Markdown: headings, counts, a few examples per theme, appendices."""

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
    SYNTHESIS_NOTE,
    cn_index,
    entry_text,
    entry_title,
    flag_count_line,
    flag_groups,
    flags_in_appendix,
    memo_sections,
    notable_rest,
    notable_text,
    overview_cells,
    overview_header,
    overview_lines,
    report_overview_text,
    section_note,
    synthesis_failure_line,
    theme_heading,
    theme_reports,
)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(memo: Memo) -> str:
    """The memo as Markdown: the body (counts, themes with examples, figures, flags), then
    the appendices that list report by report."""
    out: list[str] = [f"# {memo.title}", ""]
    out += [*memo.scope, ""]
    for key, heading in memo_sections(memo):
        out += [f"## {heading}", ""]
        if key == "overview":
            out += [*overview_lines(memo), ""]
        elif key == "indicators":
            out += indicators_markdown(memo.indicators)
        elif key == "synthesis":
            out += _synthesis(memo)
        elif key in ("achievements", "problems", "plans"):
            out += _themes(memo, key)
        elif key == "notable":
            if not memo.notable:
                out += ["各报告未列出关键数字。", ""]
            for n in memo.notable:
                figures, rest = notable_text(n)
                out.append(f"- **{figures}**{rest}")
            if (more := notable_rest(memo)) is not None:
                out.append(f"- {more}")
            out.append("")
        elif key == "flags":
            if flags_in_appendix(memo):
                out += [f"- {flag_count_line(memo, fc)}" for fc in memo.flag_counts]
                out.append("")
            else:
                out += _flags_markdown(memo.flags)
        elif key == "appendix_reports":
            out += _reports_table(memo)
        elif key == "appendix_flags":
            out += _flags_markdown(memo.flags)
    return "\n".join(out).rstrip() + "\n"


def body_of(markdown: str) -> str:
    """The memo's body: everything before the first appendix."""
    at = markdown.find("\n## 附件")
    return markdown if at < 0 else markdown[: at + 1]


def _synthesis(memo: Memo) -> list[str]:
    if memo.synthesis is None:
        return [synthesis_failure_line(memo), ""]
    out = []
    for sentence, reports in zip(memo.synthesis.sentences, memo.synthesis.reports, strict=True):
        src = f"〔{'、'.join(reports)}〕" if reports else ""
        out.append(f"{sentence}{src}")
    if not memo.synthesis.sentences:
        out.append("模型所写的综合分析没有一句通过核对，已全部删去，见“需要注意的问题”。")
    return [*out, "", SYNTHESIS_NOTE, ""]


def _themes(memo: Memo, key: str) -> list[str]:
    groups: tuple[ThemeGroup, ...] = getattr(memo, key)
    if not groups:
        return ["各报告均未述及。", ""]
    out: list[str] = []
    if (note := section_note(memo, key)) is not None:
        out += [note, ""]
    for i, g in enumerate(groups, start=1):
        out += [f"### {theme_heading(i, g, key)}", "", theme_reports(g), ""]
        for e in g.entries:
            title = entry_title(e, key)
            lead = f"**{title}**：" if title else ""
            out.append(f"- {lead}{entry_text(e, key)}〔{e.report}〕")
        out.append("")
    return out


def _reports_table(memo: Memo) -> list[str]:
    header = overview_header()
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for i, row in enumerate(memo.overview, start=1):
        out.append("| " + " | ".join(_md_cell(c) for c in overview_cells(i, row)) + " |")
    out += ["", OVERVIEW_NOTE, ""]
    if memo.report_overviews:
        out += [REPORT_OVERVIEWS_HEAD, ""]
        out += [f"- 〔{o.report}〕{report_overview_text(o)}" for o in memo.report_overviews]
        out.append("")
    return out


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
