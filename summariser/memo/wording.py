"""Wording both memo renderers share: section numbers and headings, counts, table cells, lines.

Each renderer walks `memo_sections` and asks here for the words of every line, so the Markdown
and the Word memo say the same thing; they differ only in layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from summariser.memo.content import (
    FLAG_KINDS,
    Entry,
    Flag,
    FlagCount,
    Memo,
    NotableFigure,
    OverviewRow,
    ReportOverview,
    ThemeGroup,
)
from summariser.memo.indicators import INDICATORS_HEAD
from summariser.memo.reading import clean_sentence, inner
from summariser.schema import PART_KEYS, SHORT_PART_NAMES

OVERVIEW_NOTE = (
    "注：“成效”“不足”“履职”“安排”“其他”依次指举措和成效、不足和原因、第一责任人履职情况、"
    "下一年度安排、其他需要报告的情况五个法定部分，“其他”无须报告时可以没有；"
    "“数字核对”为摘要所写数字中已核实（含推算）/存疑的个数，照录原文的数字不计。"
)

CN_NUMERALS = "一二三四五六七八九十"

FLAGS_IN_BODY = 30
"""Up to this many flags are listed in the body; more are counted there and listed in an
appendix, so the body stays a briefing whatever the number of reports."""

SYNTHESIS_NOTE = (
    "（本段由模型根据各报告概要撰写，其中数字已逐一核对，每句均可在所列报告的同一部分找到出处。）"
)

APPENDIX_REPORTS = "各报告情况一览"
APPENDIX_FLAGS = "需要注意的问题明细"


def cn_index(i: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for section and theme numbering)."""
    if i <= 10:
        return CN_NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def flags_in_appendix(memo: Memo) -> bool:
    """Whether the flags are only counted in the body and listed in an appendix."""
    return len(memo.flags) > FLAGS_IN_BODY


def memo_sections(memo: Memo) -> list[tuple[str, str]]:
    """(key, first-level heading) for the sections present, numbered in order; the
    appendices (keys starting with ``appendix``) follow the body, numbered on their own."""
    names = [
        ("overview", "总体情况"),
        ("indicators", INDICATORS_HEAD),
        ("synthesis", "综合分析"),
        ("achievements", "主要举措和成效"),
        ("problems", "存在的问题和原因"),
        ("plans", "下一年度工作安排"),
        ("notable", "值得关注的数字"),
        ("flags", "需要注意的问题"),
    ]
    has_synthesis = memo.synthesis is not None or memo.synthesis_failure is not None
    present = [(k, n) for k, n in names if k != "synthesis" or has_synthesis]
    present = [(k, n) for k, n in present if k != "indicators" or memo.indicators]
    out = [(k, f"{cn_index(i)}、{n}") for i, (k, n) in enumerate(present, start=1)]
    appendices = [("appendix_reports", APPENDIX_REPORTS)]
    if flags_in_appendix(memo):
        appendices.append(("appendix_flags", APPENDIX_FLAGS))
    out += [(k, f"附件{i}：{n}") for i, (k, n) in enumerate(appendices, start=1)]
    return out


def appendix_number(memo: Memo, key: str) -> int:
    """The number of the appendix with this key (for references from the body)."""
    keys = [k for k, _ in memo_sections(memo) if k.startswith("appendix")]
    return keys.index(key) + 1


REPORT_OVERVIEWS_HEAD = "各报告概要（按法定部分，每部分一句，数字已核对）："


def overview_lines(memo: Memo) -> list[str]:
    """The counts that open the body: reports by level and kind, parts missing, figures."""
    c = memo.counts
    if c is None:
        return []
    lines = []
    levels = "、".join(f"{lv if lv != '—' else '层级不详'}{n}份" for lv, n in c.by_level)
    kinds = "、".join(f"{k}{n}份" for k, n in c.by_kind)
    lines.append(f"按层级，{levels}；按报告主体，{kinds}。")
    if c.missing:
        missing = "、".join(f"缺“{SHORT_PART_NAMES[k]}”{n}份" for k, n in c.missing)
        lines.append(f"法定部分方面，{c.lacking}份报告有所缺少（{missing}）。")
    else:
        lines.append("各报告的法定部分齐全。")
    if c.truncated:
        lines.append(f"{c.truncated}份报告原文在结尾处被截断，所述可能不全。")
    lines.append(
        f"各摘要所写数字中，{c.verified}个已与原文核实（含推算），{c.flagged}个存疑，"
        "存疑的不进入正文。"
    )
    lines.append(f"各报告的逐项情况见附件{appendix_number(memo, 'appendix_reports')}。")
    return lines


def overview_header() -> list[str]:
    return ["序号", "报告主体", "层级", "年度", *SHORT_PART_NAMES.values(), "截断", "数字核对"]


def overview_cells(i: int, row: OverviewRow) -> list[str]:
    marks = [("有" if row.parts[k] else ("无" if k == "other" else "缺")) for k in PART_KEYS]
    return [
        str(i),
        row.report,
        row.level,
        str(row.year or "—"),
        *marks,
        "是" if row.truncated else "否",
        f"{row.verified}/{row.flagged}",
    ]


def report_overview_text(o: ReportOverview) -> str:
    """A report's overview, each sentence labelled by its part; a sentence shown cut off
    (ending in “…”) is left out rather than shown broken."""
    parts = [(k, t) for k, t in o.parts if "…" not in t] if o.parts else [("", o.text)]
    return "".join(
        f"{SHORT_PART_NAMES[k]}：{clean_sentence(t)}"
        if k in SHORT_PART_NAMES
        else clean_sentence(t)
        for k, t in parts
        if "…" not in t
    )


def theme_heading(i: int, group: ThemeGroup, section: str) -> str:
    return f"（{cn_index(i)}）{group.theme}（{group.count}份报告提及）"


def theme_reports(group: ThemeGroup) -> str:
    """“涉及报告：甲、乙。” or, past the names shown, “涉及报告：甲、乙、丙等12份。”"""
    names = "、".join(group.reports)
    if group.count > len(group.reports):
        return f"涉及报告：{names}等{group.count}份。"
    return f"涉及报告：{names}。"


def section_note(memo: Memo, section: str) -> str | None:
    """A line under a section's heading: for problems, how many give no cause (said once,
    not after every line)."""
    c = memo.counts
    if section == "problems" and c is not None and c.uncaused:
        return f"各报告所列{c.problems}条问题中，{c.uncaused}条未说明原因。"
    return None


def entry_title(e: Entry, section: str) -> str:
    """The entry's title, with its part where the section draws on more than one."""
    part = ""
    if section == "achievements" and e.part in ("leadership", "other"):
        name = SHORT_PART_NAMES[e.part]
        part = "" if name in e.title else f"（{name}）"
    return f"{e.title}{part}" if e.title else part


def entry_text(e: Entry, section: str) -> str:
    """The entry as one line of body text (its cause where the report gives one)."""
    text = clean_sentence(e.text)
    if section == "problems" and e.cause:
        text += f"原因：{clean_sentence(e.cause)}"
    return text


def notable_text(n: NotableFigure) -> tuple[str, str]:
    """(the figures with what they count, the rest of the line: source and quote)."""
    return n.text, f"〔{n.report}〕：“{inner(n.quote.strip())}”"


def notable_rest(memo: Memo) -> str | None:
    if not memo.notable_left_out:
        return None
    return f"另有{memo.notable_left_out}项关键数字未列出，见各报告的摘要或工作簿。"


def flag_count_line(memo: Memo, fc: FlagCount) -> str:
    named = "、".join(fc.named)
    more = "等" if fc.reports > len(fc.named) else ""
    where = f"，详见附件{appendix_number(memo, 'appendix_flags')}"
    return f"{fc.kind}：{fc.count}处，涉及{fc.reports}份报告（{named}{more}）{where}。"


def synthesis_failure_line(memo: Memo) -> str:
    return f"本次未能写出综合分析：{memo.synthesis_failure}。本综述其余各部分不受影响。"


def flag_groups(flags: Sequence[Flag]) -> list[tuple[str, list[Flag]]]:
    """Flags by kind, in FLAG_KINDS order, leaving out kinds with none."""
    groups = [(k, [f for f in flags if f.kind == k]) for k in FLAG_KINDS]
    return [(k, items) for k, items in groups if items]
