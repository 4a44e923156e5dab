"""Reports whose line breaks were lost or added: inline headings, run-on signatures, PDF wraps."""

from __future__ import annotations

from summariser.layout.lines import inline_ending, logical_lines, text_lines
from summariser.reading.wrapping import unwrap
from summariser.structure.sections import analyse


def _logical(text: str) -> list[str]:
    return [ln.text for ln in logical_lines(text, text_lines(text))]


def test_inline_headings_are_cut_where_they_continue_the_numbering() -> None:
    text = (
        "某县林业局2024年法治政府建设情况报告一、主要举措和成效（一）加强执法。查处案件22起。"
        "（二）规范审批。审核项目18个。二、存在问题一是力量不足；二是装备落后。"
    )
    assert _logical(text) == [
        "某县林业局2024年法治政府建设情况报告",
        "一、主要举措和成效",
        "（一）加强执法。查处案件22起。",
        "（二）规范审批。审核项目18个。",
        "二、存在问题",
        "一是力量不足；二是装备落后。",
    ]


def test_a_list_inside_a_paragraph_is_not_a_heading() -> None:
    # （一）（二） are counted already under 一、: a later （一） inside a paragraph is a list.
    text = (
        "一、主要举措和成效\n（一）加强执法。查处案件22起。\n"
        "（二）规范审批。主要做法：（一）精简材料；（二）压缩时限。\n"
    )
    assert _logical(text) == [
        "一、主要举措和成效",
        "（一）加强执法。查处案件22起。",
        "（二）规范审批。主要做法：（一）精简材料；（二）压缩时限。",
    ]


def test_line_broken_text_keeps_its_lines() -> None:
    text = "一、主要举措和成效\n（一）加强执法。查处1、2类案件。\n二、存在问题\n队伍不强。\n"
    assert _logical(text) == [ln.text for ln in text_lines(text)]


def test_an_unnumbered_part_heading_inline_is_found() -> None:
    text = (
        "某区司法局2023年法治政府建设情况报告一、履行第一责任人职责情况局长带头述法。"
        "主要举措和成效（一）推进依法决策。审查文件12件。（二）加强普法。开展活动9场。"
    )
    assert "主要举措和成效" in _logical(text)
    found = analyse(text)
    assert [s.marker for s in found.parts["achievements"].segments] == ["（一）", "（二）"]


def test_a_signature_run_into_the_last_sentence_closes_the_report() -> None:
    text = "三、下一步打算加强执法培训。临江县人民政府2024年1月18日"
    end, closed = inline_ending(text, len(text), False)
    assert (text[:end], closed) == ("三、下一步打算加强执法培训。", True)


def test_page_chrome_after_the_last_sentence_is_not_body() -> None:
    text = "加强执法培训。责任编辑：王某【打印本页】【关闭窗口】"
    end, closed = inline_ending(text, len(text), False)
    assert (text[:end], closed) == ("加强执法培训。", False)


def test_a_cut_clause_is_not_a_signature() -> None:
    text = "核发取水许可证46套，并对全县"
    assert inline_ending(text, len(text), False) == (len(text), False)


def test_unwrap_joins_pdf_lines_but_keeps_headings_and_paragraph_ends() -> None:
    width = "推进法治政府建设取得新成效全年办理案件"  # 19 characters: a full line
    text = "\n".join(
        [
            "一、主要举措和成效",
            width + width[:1],
            width + width[:1],
            "审查文件12件。",
            width + width[:1],
            "（二）加强普法。",
            "二、存在问题",
        ]
    )
    assert unwrap(text).split("\n") == [
        "一、主要举措和成效",
        (width + width[:1]) * 2 + "审查文件12件。",
        width + width[:1],
        "（二）加强普法。",
        "二、存在问题",
    ]
