"""Wording both memo renderers share: section numbers and headings, table cells, entry lines."""

from __future__ import annotations

from collections.abc import Sequence

from summariser.memo.content import (
    FLAG_KINDS,
    Entry,
    Flag,
    Memo,
    OverviewRow,
    ThemeGroup,
)
from summariser.memo.indicators import INDICATORS_HEAD
from summariser.schema import PART_KEYS, SHORT_PART_NAMES

OVERVIEW_NOTE = (
    "注：“成效”“不足”“履职”“安排”“其他”依次指举措和成效、不足和原因、第一责任人履职情况、"
    "下一年度安排、其他需要报告的情况五个法定部分，“其他”无须报告时可以没有；"
    "“数字核对”为摘要所写数字中已核实（含推算）/存疑的个数，照录原文的数字不计。"
)

CN_NUMERALS = "一二三四五六七八九十"


def cn_index(i: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for section and theme numbering)."""
    if i <= 10:
        return CN_NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def memo_sections(memo: Memo) -> list[tuple[str, str]]:
    """(key, first-level heading) for the sections present, numbered in order."""
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
    present = [(k, n) for k, n in names if k != "synthesis" or memo.synthesis is not None]
    present = [(k, n) for k, n in present if k != "indicators" or memo.indicators]
    return [(k, f"{cn_index(i)}、{n}") for i, (k, n) in enumerate(present, start=1)]


REPORT_OVERVIEWS_HEAD = "各报告概要（每个部分一句，数字已核对）："


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


def theme_heading(i: int, group: ThemeGroup, section: str) -> str:
    n = len(group.reports)
    tail = f"（{n}份报告提及）" if section == "problems" else ""
    return f"（{cn_index(i)}）{group.theme}{tail}"


def entry_text(e: Entry, section: str) -> str:
    """The entry as one line of body text, ending with its source."""
    text = e.text if e.text.endswith(("。", "！", "？", "；")) else e.text + "。"
    if section == "problems":
        cause = e.cause.rstrip("。") if e.cause else ""
        text += f"原因：{cause}。" if cause else "报告未说明原因。"
    return text


def flag_groups(flags: Sequence[Flag]) -> list[tuple[str, list[Flag]]]:
    """Flags by kind, in FLAG_KINDS order, leaving out kinds with none."""
    groups = [(k, [f for f in flags if f.kind == k]) for k in FLAG_KINDS]
    return [(k, items) for k, items in groups if items]
