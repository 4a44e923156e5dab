"""The report overview (one sentence per part) and long items read in chunks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser.memo.content import build_memo
from summariser.memo.markdown import render_markdown as memo_markdown
from summariser.output.files import render_markdown
from summariser.output.review import render_review
from summariser.output.runs import LoadedReport
from summariser.pipeline.drafting import (
    CHUNK_CHARS,
    MAX_CHUNKS,
    SEGMENT_CHARS,
    chunks,
    join_summaries,
)
from summariser.pipeline.overview import (
    INPUT_CHARS,
    INPUT_ITEMS,
    MISSING_NOTE,
    Asked,
    build_overview,
    cut_leads,
    joined_summaries,
    lead_clause,
    without_cut_tail,
)
from summariser.schema import (
    COPIED_SUMMARY_NOTE,
    PART_NAMES,
    Item,
    checkable_strings,
    item_scope,
    written_paths,
)
from tests.test_pipeline import run

REPORT = """某某县人民政府关于2025年度法治政府建设情况的报告

一、2025年度推进法治政府建设的主要举措和成效
（一）深化行政复议。全年收到行政复议申请312件，依法受理287件，审结265件，纠错率12.5%。
（二）加强执法监督。开展执法案卷评查，评查案卷460余卷，发现问题83个，全部整改到位。
（三）优化法律服务。建成公共法律服务站点45个，办理法律援助案件1200余件。
二、存在的不足和原因
（一）基层执法力量薄弱。部分乡镇执法人员不足，原因是编制有限。
（二）法治宣传针对性不强。普法形式较为单一。
三、党政主要负责人履行推进法治建设第一责任人职责情况
县政府主要负责同志召开常务会议专题研究法治政府建设4次。
四、2026年度推进法治政府建设的主要安排
（一）持续提升行政复议质效。
（二）加强基层执法队伍建设。

某某县人民政府
2026年1月20日
"""


def item(title: str, summary: str, span: tuple[int, int], flags: list[str] | None = None) -> Item:
    return Item(
        title=title, summary=summary, quote=summary, quote_span=None, source_span=span,
        flags=flags or [],
    )  # fmt: skip


PARTS = {
    "achievements": [
        item("深化行政复议", "受理行政复议申请287件，审结265件。", (10, 60)),
        item("加强执法监督", "评查案卷460余卷，问题全部整改。", (60, 110)),
        item("优化法律服务", "建成公共法律服务站点45个。", (110, 150)),
        item("推进依法决策", "审查重大决策事项。", (150, 170)),
    ],
    "problems": [
        item("基层执法力量薄弱", "乡镇执法人员不足。", (200, 230)),
        item("宣传针对性不强", "普法形式单一。", (230, 250)),
    ],
    "leadership": [item("主要负责同志履职", "专题研究4次。", (260, 290))],
    "plans": [item("提升复议质效", "提升行政复议质效。", (300, 320))],
}


class Recorder:
    """The model as a callable: records what it was asked, answers from a table."""

    def __init__(self, answers: dict[str, Asked]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str, tuple[int, int]]] = []

    def __call__(self, part: str, text: str, span: tuple[int, int]) -> Asked:
        self.asked.append((part, text, span))
        return self.answers.get(part, Asked(f"{part}的概括。"))


def test_without_a_model_each_line_lists_the_parts_first_titles() -> None:
    overview = build_overview(PARTS, missing=["other"])
    assert overview.by == "rules" and overview.written == []
    assert list(overview.parts) == ["achievements", "problems", "leadership", "plans"]
    line = overview.parts["achievements"]
    assert "深化行政复议" in line and "加强执法监督" in line and "优化法律服务" in line
    assert "推进依法决策" not in line and line.endswith("等。")  # the first three, then 等
    assert overview.text == "".join(overview.parts.values())


def test_the_model_writes_the_main_parts_from_their_summaries_only() -> None:
    ask = Recorder({})
    overview = build_overview(PARTS, missing=[], ask=ask)
    # achievements and problems have several items: one request each; plans has one item, so
    # its line is that item's summary; leadership lists its titles, never asked.
    assert [a[0] for a in ask.asked] == ["achievements", "problems"]
    part, text, span = ask.asked[0]
    assert span == (10, 170)
    for i in PARTS["achievements"][:INPUT_ITEMS]:
        assert lead_clause(i.summary) in text  # each summary's lead, never the source
    assert text.startswith("受理行政复议申请287件；评查案卷460余卷；")
    assert overview.parts["achievements"] == "achievements的概括。"
    assert overview.parts["plans"] == "提升行政复议质效。"
    assert overview.parts["leadership"].startswith("第一责任人履职：")
    assert overview.written == ["achievements", "problems", "plans"]
    assert overview.by == "model"


def test_the_input_is_short_even_for_a_long_part() -> None:
    many = [
        item(f"第{n}项", "开展依法行政示范创建活动，推动各项工作落实。" * 3, (n, n + 1))
        for n in range(20)
    ]
    text = joined_summaries(many)
    assert len(text) <= INPUT_ITEMS * (INPUT_CHARS + 1) + 1


def test_each_summary_is_given_by_its_whole_first_clause_not_a_cut_word() -> None:
    long_first = "组织编印全县乡镇街道综合行政执法事项清单汇编，明确执法主体和权限。"
    assert lead_clause(long_first) == "组织编印全县乡镇街道综合行政执法事项清单汇编"
    assert lead_clause("  开展普法讲座 120场，覆盖群众3万余人。") == "开展普法讲座 120场"
    # a first clause past the cap is cut where a list item ends, never inside a word
    listed = "开展执法检查、案卷评查、执法人员培训考核、行政复议案件审理和诉讼应诉，后文。"
    assert lead_clause(listed) == "开展执法检查、案卷评查、执法人员培训考核"
    # with no such end within the cap it is given whole
    over = "推进" + "行政执法" * 10 + "，后文。"
    assert lead_clause(over) == over.split("，")[0]


def test_an_unusable_answer_keeps_the_titles_and_says_so() -> None:
    overview = build_overview(PARTS, missing=[], ask=Recorder({"problems": Asked(None)}))
    assert overview.parts["problems"].startswith("不足和原因：基层执法力量薄弱")
    assert "problems" not in overview.written
    assert any(PART_NAMES["problems"] in f and "小标题" in f for f in overview.flags)


def test_a_figure_still_failing_is_flagged() -> None:
    failing = Asked("受理申请300件。", ["“300件”未通过核对（not_found）"])
    overview = build_overview(PARTS, missing=[], ask=Recorder({"achievements": failing}))
    assert overview.parts["achievements"] == "受理申请300件。"
    assert any("300件" in f for f in overview.flags)


def test_a_single_item_copied_from_the_source_is_not_counted_as_written() -> None:
    parts = {
        "plans": [item("安排", "原文的话。", (0, 5), [f"模型回答不可用，{COPIED_SUMMARY_NOTE}"])]
    }
    overview = build_overview(parts, missing=["achievements", "problems"], ask=Recorder({}))
    assert overview.written == []
    for key in ("achievements", "problems"):
        assert MISSING_NOTE.format(name=PART_NAMES[key]) in overview.text


def test_the_overview_lines_are_checked_once_and_against_their_part() -> None:
    overview = build_overview(PARTS, missing=[], ask=Recorder({}))
    data = {
        "parts": {k: [i.model_dump() for i in v] for k, v in PARTS.items()},
        "overview": overview.model_dump(),
        "run": {"engine": "llm"},
    }
    paths = [p for p, _ in checkable_strings(data)]
    assert "/overview/text" not in paths  # the paragraph restates the lines
    assert "/overview/parts/achievements" in paths
    assert {"/overview/parts/achievements", "/overview/parts/plans"} <= written_paths(data)
    assert "/overview/parts/leadership" not in written_paths(data)
    assert item_scope(data, "/overview/parts/problems", 1000) == (200, 250)


# --- through the pipeline: the same door, the same checks ------------------------------------


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "mou-2025.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def overview_says_300(text: str, attempt: int) -> str:
    """The achievements overview (its three items' summaries joined; the items are short enough
    to be their own summaries): a figure the source does not bear out (it says 287件); any other
    request: a figure-free summary."""
    if "行政复议申请312件" in text and "；" in text:
        return "全年受理复议申请300件。"
    return "推进相关工作。"


def test_a_wrong_figure_in_the_overview_is_reasked_then_flagged(report: Path) -> None:
    summary, _ = run(report, overview_says_300)
    overview = summary.overview
    assert overview is not None and overview.by == "model"
    assert overview.parts["achievements"] == "全年受理复议申请300件。"
    numbers = [
        n for n in summary.verification["numbers"] if n["path"] == "/overview/parts/achievements"
    ]  # type: ignore[index]
    assert [(n["text"], n["origin"]) for n in numbers] == [("300件", "written")]
    assert numbers[0]["status"] != "verified"
    assert any("总体情况" in f and "300件" in f for f in summary.flags)
    # it was re-asked once, naming the figure
    overview_runs = [p for p in summary.run.parts if p.part == "overview"]
    assert overview_runs and overview_runs[0].reasks == 1
    assert any("300件" in f for f in overview_runs[0].failed)


def test_the_overview_is_in_every_view(report: Path) -> None:
    summary, _ = run(report, lambda text, attempt: "依法推进相关工作。")
    source = report.read_text(encoding="utf-8")
    md = render_markdown(summary)
    assert "## 总体情况" in md and summary.overview is not None
    assert summary.overview.text in md
    page = render_review(summary, source)
    assert 'id="overview"' in page and "依法推进相关工作" in page
    memo = build_memo([LoadedReport(Path("mou.json"), summary, "某某县·2025")])
    text = memo_markdown(memo)
    assert f"{summary.overview.parts['achievements']}" in text
    # each report's overview is listed, labelled by part, in the appendix of reports
    assert "〔某某县人民政府·2025〕成效：" in text.split("## 附件1")[1]


def test_a_memo_drops_an_overview_sentence_whose_figure_failed(report: Path) -> None:
    summary, _ = run(report, overview_says_300)
    memo = build_memo([LoadedReport(Path("mou.json"), summary, "某某县·2025")])
    assert "300件" not in memo_markdown(memo).split("## 六、")[0]
    assert any("总体情况" in f.message and "300件" in f.message for f in memo.flags)


# --- long items in chunks ---------------------------------------------------------------------


def test_a_body_that_fits_the_window_is_read_whole() -> None:
    body = "开展执法检查，发现问题12个。" * 10
    assert len(body) <= SEGMENT_CHARS and chunks(body) == [body]


def test_a_long_body_is_read_in_whole_sentences_and_nothing_is_skipped() -> None:
    sentences = [f"开展第{n}项专项整治，办理案件{n * 7}件，挽回损失{n}万元。" for n in range(1, 13)]
    body = "".join(sentences)
    assert SEGMENT_CHARS < len(body) <= CHUNK_CHARS * MAX_CHUNKS
    got = chunks(body)
    assert len(got) > 1 and all(len(c) <= CHUNK_CHARS for c in got)
    assert "".join(got) == body  # every sentence, in order, once
    assert all(c.endswith("。") for c in got)


def test_a_very_long_body_is_capped_and_a_long_sentence_stands_alone() -> None:
    long_sentence = "推进" + "、".join(f"第{n}个乡镇的执法规范化建设" for n in range(30)) + "。"
    body = long_sentence + "完成培训200人次。" * 100
    got = chunks(body)
    assert len(got) == MAX_CHUNKS
    assert got[0] == long_sentence[: len(got[0])] and len(got[0]) <= SEGMENT_CHARS


def test_chunk_summaries_are_joined_once_each() -> None:
    joined = join_summaries(["开展执法检查12次。", "办理案件84件；", "开展执法检查12次。"])
    assert joined == "开展执法检查12次；办理案件84件。"


def test_a_long_item_is_asked_in_chunks_and_its_figures_reach_the_summary(tmp_path: Path) -> None:
    sentences = [f"开展第{n}项专项整治，办理案件{n * 7}件，挽回损失{n}万元。" for n in range(1, 13)]
    text = REPORT.replace(
        "（三）优化法律服务。建成公共法律服务站点45个，办理法律援助案件1200余件。",
        "（三）开展专项整治。" + "".join(sentences),
    )
    path = tmp_path / "long-2025.txt"
    path.write_text(text, encoding="utf-8")

    def answer(segment: str, attempt: int) -> str:
        first = segment.split("，")[0]
        found = [s for s in sentences if s.startswith(first)]
        return found[0].split("，")[1] + "。" if found else "依法推进相关工作。"

    summary, door = run(path, answer)
    long_item = summary.parts["achievements"][2]
    asked = [r[-1]["content"].split("段落：")[1] for r in door.requests]
    starts = [int(m.group(1)) for a in asked if (m := re.match(r"开展第(\d+)项", a))]
    assert len(starts) > 1 and max(starts) > 6  # the item's tail was read too
    for n in starts:  # each chunk's answer reached the joined summary
        assert f"办理案件{n * 7}件" in long_item.summary
    assert long_item.flags == []


def test_a_model_sentence_ending_on_a_lead_cut_mid_word_loses_that_clause() -> None:
    leads = ["基层综合执法队伍人员流动频繁业务培训覆盖面窄专业化水平偏"]
    said = "行政复议规范化建设有待加强，" + leads[0] + "。"
    assert without_cut_tail(said, leads) == "行政复议规范化建设有待加强，"
    assert without_cut_tail(leads[0] + "。", leads) is None  # nothing whole is left
    whole = "行政复议规范化建设有待加强，执法队伍专业化水平偏低。"
    assert without_cut_tail(whole, leads) == whole


LONG_LEAD = "基层综合执法队伍人员流动频繁业务培训覆盖面窄专业化水平偏低等问题仍较突出，需要加强。"


def test_a_lead_is_cut_when_it_stops_inside_its_clause_not_after_a_list_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import summariser.pipeline.overview as overview

    items = [
        item("执法队伍", LONG_LEAD, (10, 60)),
        item("复议应诉", "行政复议规范化建设有待加强。", (60, 110)),
        item(
            "清单",
            "开展执法检查、案卷评查、执法人员培训考核、行政复议案件审理和诉讼应诉。",
            (110, 160),
        ),
    ]
    monkeypatch.setattr(
        overview, "lead_clause", lambda s: s[:26] if s != items[2].summary else s[:20]
    )
    # the third stops after a list item (执法人员培训考核|、): a word end, no cut
    assert cut_leads(items) == [LONG_LEAD[:26]]


def test_the_overview_says_when_it_cut_the_models_sentence_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import summariser.pipeline.overview as overview

    monkeypatch.setattr(overview, "lead_clause", lambda summary: summary[:INPUT_CHARS])
    parts = {
        "problems": [
            item("执法队伍", LONG_LEAD, (10, 60)),
            item("复议应诉", "行政复议规范化建设有待加强。", (60, 110)),
        ]
    }

    def ask(part: str, text: str, span: tuple[int, int]) -> Asked:
        return Asked("行政复议规范化建设有待加强，" + LONG_LEAD[:INPUT_CHARS] + "。")

    got = build_overview(parts, [], ask)
    assert got.parts["problems"] == "行政复议规范化建设有待加强。"
    assert any("半个词" in f for f in got.flags)
