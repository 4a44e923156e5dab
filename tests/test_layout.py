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


# --- items that end with a parenthetical note -----------------------------------------------

# Department reports often close each item with who is responsible (（责任处室：法规处）,
# （牵头单位：区司法局）, （完成时限：全年）). Copied out of a web page, the whole body is one line.
NOTED = (
    "某市交通运输局2024年法治政府建设工作报告\n"
    "2024年，我局深入推进依法行政，现将有关情况报告如下。"
    "一、主要举措和成效（一）健全依法决策机制，落实公众参与、专家论证、风险评估、合法性审查和"
    "集体讨论决定程序，全年审查重大行政决策事项6件（责任处室：政策法规处）"
    "（二）规范行政执法行为，全面落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，"
    "开展执法案卷评查2次（责任处室：综合执法支队）"
    "（三）深化普法宣传，落实“谁执法谁普法”责任制，围绕群众关心的出行安全和道路运输管理，"
    "举办“宪法宣传周”等活动12场（牵头单位：办公室、法规处）"
    "二、存在的不足和原因执法人员专业素质有待提升，法治宣传的针对性不强（责任处室：人事处）"
    "三、2025年工作安排（一）加快推进交通运输领域地方立法（责任处室：政策法规处）"
    "（二）加强执法人员培训，年内轮训一遍（牵头单位：人事处；配合单位：各执法单位）"
)


def test_items_closed_by_a_parenthetical_note_are_cut_at_the_next_heading() -> None:
    lines = _logical(NOTED)
    assert any(
        ln.startswith("（二）规范行政执法行为") and ln.endswith("（责任处室：综合执法支队）")
        for ln in lines
    )
    assert "三、2025年工作安排" in lines
    found = analyse(NOTED)
    assert [s.marker for s in found.parts["achievements"].segments] == [
        "（一）",
        "（二）",
        "（三）",
    ]
    assert [s.marker for s in found.parts["plans"].segments] == ["（一）", "（二）"]
    assert "problems" in found.parts


def test_a_report_that_ends_on_a_parenthetical_note_is_not_truncated() -> None:
    assert analyse(NOTED).completeness.truncated is False
    cut = NOTED[: NOTED.rindex("年内轮训") + 2]  # stops mid-clause: truncated
    assert analyse(cut).completeness.truncated is True
