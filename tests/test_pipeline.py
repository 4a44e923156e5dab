"""One report through the pipeline with a fake door: grounding, re-asks, flags, fallbacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summariser.errors import InputError, ModelError, TransportError
from summariser.model.door import Extraction, Usage
from summariser.model.prompts import load
from summariser.output.files import index_row, render_markdown
from summariser.output.review import render_review
from summariser.pipeline.drafting import SEGMENT_CHARS, ModelDrafter, RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import SHORT_NOTE

ROOT = Path(__file__).resolve().parent.parent
HUBIN = ROOT / "examples" / "reports" / "hubin-2023.txt"
ZHENGXIANG = ROOT / "examples" / "reports" / "zhengxiang-2024.txt"


class FakeDoor:
    """Answers each request from ``answer(segment_text, attempt)``, validating like instructor.

    ``answer`` returns the summary for that attempt, or raises (ModelError, TransportError).
    A failed validation is re-asked up to ``reasks`` times; after the last, the answer is kept
    and the validator's message returned in ``errors``, as the real door does.
    """

    model = "fake"

    def __init__(self, answer: Callable[[str, int], str]) -> None:
        self.answer = answer
        self.requests: list[list[dict[str, str]]] = []

    def extract(self, response_model: Any, messages: list[dict[str, str]], *, context: Any = None,
                reasks: int = 2, max_tokens: int = 800) -> Extraction[Any]:  # fmt: skip
        self.requests.append(messages)
        segment = messages[-1]["content"].split("段落：", 1)[1]
        usage = Usage()
        errors: list[str] = []
        value = None
        for attempt in range(reasks + 1):
            usage.attempts += 1
            usage.tokens_in += 100
            usage.tokens_out += 20
            raw = {"summary": self.answer(segment, attempt)}
            value = response_model.model_validate(raw)
            try:
                response_model.model_validate(raw, context=context)
                return Extraction(value=value, usage=usage)
            except ValidationError as err:
                errors = [str(e["msg"]).removeprefix("Value error, ") for e in err.errors()]
        assert value is not None
        return Extraction(value=value, usage=usage, errors=errors)


def run(path: Path, answer: Callable[[str, int], str]) -> tuple[Any, FakeDoor]:
    door = FakeDoor(answer)
    template = load("items")
    summary = summarise(
        read_document(path), ModelDrafter(door, template), template=template, model="fake"
    )
    return summary, door


def mediation(segment: str, wrong: str, attempt_ok: int | None) -> Callable[[str, int], str]:
    """Summaries without figures, except for the mediation segment of hubin-2023."""

    def answer(text: str, attempt: int) -> str:
        if "调解矛盾纠纷2075起" in text:
            good = attempt_ok is not None and attempt >= attempt_ok
            return "调解成功1996起，成功率达96%。" if good else wrong
        return "做好相关工作。"

    return answer


def test_a_correct_answer_is_kept_and_every_figure_verified() -> None:
    summary, door = run(HUBIN, mediation("", "", attempt_ok=0))
    items = summary.parts["achievements"]
    hit = [i for i in items if "1996起" in i.summary]
    assert len(hit) == 1 and hit[0].flags == []
    counts = summary.verification["counts"]
    assert counts.get("not_found", 0) == counts.get("qualifier_changed", 0) == 0
    assert summary.run.attempts == len(door.requests)


def test_a_wrong_figure_is_reasked_and_the_fix_kept() -> None:
    summary, door = run(HUBIN, mediation("", "调解成功2075起。", attempt_ok=1))
    hit = [i for i in summary.parts["achievements"] if "1996起" in i.summary]
    assert len(hit) == 1 and hit[0].flags == []
    assert summary.run.reasks == 1
    assert summary.run.attempts == len(door.requests) + 1


def test_a_figure_still_wrong_after_the_reasks_is_flagged_not_hidden() -> None:
    summary, _ = run(HUBIN, mediation("", "共开展矛盾纠纷排查528次。", attempt_ok=None))
    item = next(i for i in summary.parts["achievements"] if "528次" in i.summary)
    assert any("528次" in f and "qualifier_changed" in f for f in item.flags)
    assert any("528次" in f for f in summary.flags)
    bad = [n for n in summary.verification["numbers"] if n["status"] != "verified"]  # type: ignore[union-attr]
    assert [n["text"] for n in bad] == ["528次"]
    assert bad[0]["path"].startswith("/parts/achievements/")


def test_an_unusable_answer_falls_back_to_the_reports_words_for_that_item_only() -> None:
    def answer(text: str, attempt: int) -> str:
        if "调解矛盾纠纷2075起" in text:
            raise ModelError("the answer was cut off at max_tokens=120")
        return "做好相关工作。"

    summary, _ = run(HUBIN, answer)
    items = summary.parts["achievements"]
    fallen = [i for i in items if i.flags and "模型回答不可用" in i.flags[0]]
    assert len(fallen) == 1 and fallen[0].summary != "做好相关工作。"
    assert all(i.summary == "做好相关工作。" for i in items if i not in fallen)


def test_a_transport_failure_stops_the_report_so_the_batch_can_decide() -> None:
    def answer(text: str, attempt: int) -> str:
        raise TransportError("cannot reach the endpoint")

    with pytest.raises(TransportError):
        run(HUBIN, answer)


def test_a_missing_part_stays_empty_and_the_model_is_never_asked_for_it() -> None:
    summary, door = run(ZHENGXIANG, lambda text, attempt: "做好相关工作。")
    assert summary.parts["problems"] == []
    assert "problems" in summary.completeness.missing
    assert not any("不足" in r[-1]["content"].split("段落：")[0] for r in door.requests)
    assert any("缺少法定部分" in f and "不足" in f for f in summary.flags)


def test_the_model_reads_one_segment_at_a_time_never_the_report() -> None:
    _, door = run(HUBIN, lambda text, attempt: "做好相关工作。")
    source = HUBIN.read_text(encoding="utf-8")
    for messages in door.requests:
        segment = messages[-1]["content"].split("段落：", 1)[1]
        assert len(segment) <= SEGMENT_CHARS
        assert len(messages[-1]["content"]) < len(source) / 4


def test_quotes_and_figures_point_into_the_source() -> None:
    summary, _ = run(HUBIN, lambda text, attempt: "做好相关工作。")
    source = HUBIN.read_text(encoding="utf-8")
    figures = 0
    for items in summary.parts.values():
        for item in items:
            assert item.quote_span and source[item.quote_span[0] : item.quote_span[1]] == item.quote
            for fig in item.figures:
                figures += 1
                assert source[fig.span[0] : fig.span[1]] == fig.text
                assert fig.text in fig.context
    assert figures >= 20
    assert {k.figure.text for k in summary.key_figures} >= {"2075起", "25.63万元"}


def test_the_rules_engine_needs_no_model_and_says_so() -> None:
    summary = summarise(read_document(HUBIN), RulesDrafter())
    assert summary.run.engine == "rules" and summary.run.model is None and summary.run.attempts == 0
    assert all(item.summary for items in summary.parts.values() for item in items)
    assert summary.verification["counts"].get("verified", 0) > 20  # type: ignore[union-attr]


def test_text_that_is_not_a_report_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好，我们去公园散步。\n晚上吃了饺子。\n", encoding="utf-8")
    with pytest.raises(InputError, match="no statutory parts"):
        summarise(read_document(path), RulesDrafter())


def test_a_work_plan_is_refused_saying_what_it_looks_like(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "青河区2025年法治政府建设工作要点\n一、主要举措\n（一）深化行政执法改革。\n"
        "二、存在问题\n队伍不强。\n三、工作安排\n（一）加强学习。\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="looks like a plan for the year ahead") as err:
        summarise(read_document(path), RulesDrafter())
    assert "\n" not in str(err.value) and "工作要点" in str(err.value)


def test_an_answer_still_not_chinese_after_the_reasks_gives_way_to_the_reports_words() -> None:
    def answer(text: str, attempt: int) -> str:
        return "Mediated 1996 disputes." if "调解矛盾纠纷2075起" in text else "做好相关工作。"

    summary, _ = run(HUBIN, answer)
    item = next(
        i for i in summary.parts["achievements"] if "2075起" in i.quote or "湖滨模式" in i.summary
    )
    assert "Mediated" not in item.summary and any("模型回答不可用" in f for f in item.flags)
    assert summary.run.reasks >= 1


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("湖滨区司法局", None),
        ("区司法局", "原文只写了简称“区司法局”，未写明所属地方"),
        ("我局", "原文未写明报告主体（发布机关），主体留空"),
    ],
)
def test_a_partial_or_missing_issuer_is_flagged(
    tmp_path: Path, name: str, flag: str | None
) -> None:
    text = HUBIN.read_text(encoding="utf-8").replace("湖滨区司法局", name)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    summary = summarise(read_document(path), RulesDrafter())
    noted = [f for f in summary.flags if "主体" in f or "简称" in f]
    assert noted == ([flag] if flag else [])
    assert summary.metadata.issuer == (None if name == "我局" else name)


class LabellingDoor(FakeDoor):
    """The fake door that also labels headings, as the real door's ``label_headings`` does."""

    def __init__(self, answer: Callable[[str, int], str], labels: list[str]) -> None:
        super().__init__(answer)
        self.labels = labels
        self.label_requests: list[list[dict[str, str]]] = []

    def label_headings(self, messages: list[dict[str, str]], count: int) -> Extraction[Any]:
        from summariser.schema import PartLabels

        self.label_requests.append(messages)
        usage = Usage(attempts=1, tokens_in=90, tokens_out=15)
        return Extraction(value=PartLabels.model_validate({"labels": self.labels}), usage=usage)


UNSURE = (
    "青石县统计局2023年法治政府建设情况报告\n"
    "一、主要举措和成效\n（一）依法统计。检查企业46家。\n（二）统计普法。开展活动2次。\n"
    "二、正视短板，找准努力方向\n一是执法力量不足。二是持续加强执法培训。\n"
    "青石县统计局\n2024年1月15日\n"
)


def test_unsure_headings_are_labelled_once_and_the_request_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "unsure.txt"
    path.write_text(UNSURE, encoding="utf-8")
    door = LabellingDoor(lambda text, attempt: "做好相关工作。", ["achievements", "plans"])
    template = load("items")
    summary = summarise(read_document(path), ModelDrafter(door, template), template=template)
    assert len(door.label_requests) == 1
    assert summary.completeness.found_by == {"achievements": "model", "plans": "model"}
    assert summary.parts["plans"] and not summary.parts["problems"]
    headings = next(r for r in summary.run.parts if r.part == "headings")
    assert (headings.attempts, headings.tokens_in, headings.tokens_out) == (1, 90, 15)
    assert summary.run.tokens_in == sum(r.tokens_in for r in summary.run.parts)


def test_the_samples_make_no_labelling_request() -> None:
    door = LabellingDoor(lambda text, attempt: "做好相关工作。", ["achievements"])
    template = load("items")
    summary = summarise(read_document(HUBIN), ModelDrafter(door, template), template=template)
    assert door.label_requests == []
    assert set(summary.completeness.found_by.values()) == {"rule"}


# --- honest counts: the model's figures apart from those copied from the source ----------------


def test_a_stated_arithmetic_is_kept_as_derived_and_shown_with_its_formula() -> None:
    summary, door = run(HUBIN, mediation("", "调解成功1996起，未成功79起。", None))
    assert summary.run.reasks == 0
    by = summary.verification["by_origin"]
    assert by["written"] == {"checked": 2, "verified": 1, "derived": 1, "flagged": 0}
    assert by["copied"]["checked"] > 50 and by["copied"]["flagged"] == 0
    md = render_markdown(summary)
    assert "推算：79起＝2075-1996=79" in md
    assert "- 数字核对：模型所写 2 个（核实 1，推算 1，存疑 0）；摘自原文" in md
    row = index_row("hubin-2023.txt", "ok", "", summary)
    assert (row["written_checked"], row["written_derived"], row["written_flagged"]) == (2, 1, 0)


def test_unstated_arithmetic_is_re_asked_and_flagged() -> None:
    # 79 = 2075-1996, but nothing says so: an invented figure, whatever its arithmetic
    summary, door = run(HUBIN, mediation("", "多方化解纠纷79起。", None))
    assert summary.run.reasks == 1 and any("79起" in f for p in summary.run.parts for f in p.failed)
    by = summary.verification["by_origin"]["written"]
    assert (by["derived"], by["flagged"]) == (0, 1)
    assert any("“79起”未通过核对（not_found" in f for i in summary.parts["achievements"]
               for f in i.flags)  # fmt: skip


def test_another_items_figure_is_a_context_mismatch_naming_both() -> None:
    # 100% is the report's own figure (报备率、规范率、及时率达100%), not this item's 96%
    summary, _ = run(HUBIN, mediation("", "调解成功1996起，成功率达100%。", None))
    flags = [f for i in summary.parts["achievements"] for f in i.flags]
    bad = [f for f in flags if "100%" in f]
    assert bad and "context_mismatch" in bad[0] and "96%" in bad[0]
    assert summary.verification["by_origin"]["written"]["flagged"] == 1


def test_the_rules_engine_writes_no_figure() -> None:
    summary = summarise(read_document(HUBIN), RulesDrafter())
    by = summary.verification["by_origin"]
    assert by["written"]["checked"] == 0 and by["copied"]["checked"] > 100
    assert "- 数字核对：摘要所写 0 个" in render_markdown(summary)


# --- a short item is its own summary ----------------------------------------------------------

SHORT_AND_LONG = """某某县司法局2024年法治政府建设年度报告

一、主要举措和成效
（一）推进复议应诉。全年办理行政复议案件52件，纠错率9.6%。
（二）加强执法监督。开展行政执法案卷评查，评查案卷460余卷，发现问题83个，全部整改到位；组织执法人员培训12期，培训1100人次，考试合格率98%，执法规范化水平进一步提升。
二、存在的不足和原因
（一）执法力量薄弱。部分乡镇执法人员不足，原因是编制有限。

某某县司法局
2025年1月10日
"""


def test_a_short_item_keeps_the_reports_words_and_the_model_reads_only_the_long_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mou-2024.txt"
    path.write_text(SHORT_AND_LONG, encoding="utf-8")
    summary, door = run(path, lambda text, attempt: "开展案卷评查，评查案卷460余卷。")
    sent = [m[-1]["content"].split("段落：", 1)[1] for m in door.requests]
    # one item request, for the long item; then the achievements' overview, from both summaries
    assert len(sent) == 2 and "发现问题83个" in sent[0]
    assert sent[1].startswith("全年办理行政复议案件52件；开展案卷评查")
    short, long_ = summary.parts["achievements"]
    assert short.summary == "全年办理行政复议案件52件，纠错率9.6%。"
    assert short.flags == [SHORT_NOTE] and long_.flags == []
    assert summary.parts["problems"][0].flags == [SHORT_NOTE]
    assert long_.summary == "开展案卷评查，评查案卷460余卷。"
    # the short items' figures are the report's own words, not the model's
    written = {n["text"] for n in summary.verification["numbers"] if n["origin"] == "written"}
    assert "52件" not in written and "460余卷" in written
    assert not any(SHORT_NOTE in f for f in summary.flags)  # a choice, not a failure
    md = render_markdown(summary)  # shown as a note, not a warning
    assert f"   - {SHORT_NOTE}\n" in md and f"⚠ {SHORT_NOTE}" not in md
    page = render_review(summary, SHORT_AND_LONG)
    assert f'<p class="note">{SHORT_NOTE}</p>' in page and f"⚠ {SHORT_NOTE}" not in page


# --- words that lie without figures, in a run -----------------------------------------------

LANXI = ROOT / "tests" / "data" / "hostile" / "lanxi-sifa-2024.txt"


def test_a_problem_told_as_a_success_falls_back_to_the_reports_words_and_says_so() -> None:
    def answer(text: str, attempt: int) -> str:
        if "基层法治力量" in text:  # the problem turned into an achievement
            return "乡镇司法所配备工作人员2名，有力保障了基层法治建设。"
        if "不定期听取" in text:
            return "定期听取基层法治工作汇报。"
        return "扎实推进相关工作。"

    summary, _ = run(LANXI, answer)
    problems = summary.parts["problems"]
    assert "难以适应" in problems[1].summary and "有力保障" not in problems[1].summary
    assert any("模型回答不可用" in f for f in problems[1].flags)
    assert any(f.startswith("存在的不足和原因第2条") for f in summary.flags)


# Not a sample: a township's long item, read in chunks, one of whose answers is unusable.
LONG_ITEM = (
    "青禾镇人民政府2024年法治政府建设工作报告\n"
    "一、主要举措和成效\n"
    "（一）推进基层依法治理。全镇12个村（社区）全部完成村规民约修订，培育法律明白人96名，"
    "创建市级民主法治示范村2个，村（社区）法律顾问实现全覆盖，全年开展法治讲座36场。"
    "全年排查调处矛盾纠纷164起，调处成功158起，开展重点人群帮扶教育21人次，"
    "组织村干部参加依法行政培训4期，督促落实村务公开和财务公开制度，推进基层议事协商规范化。"
    "镇综合行政执法队全年开展联合执法检查31次，查处违法建设案件9件，办理行政处罚案件18件，"
    "执法案卷评查合格率100%，行政执法人员全部持证上岗，执法全过程记录实现全覆盖。"
    "镇政府常务会议全年审议重大行政决策事项5项，均经合法性审查和集体讨论决定，"
    "聘请法律顾问1名，为镇政府提供法律意见17条，审查各类合同22份，有效防范了法律风险。\n"
    "二、存在的不足和原因\n一是部分村干部法治意识不强。二是执法力量不足。\n"
    "三、2025年工作安排\n一是加强法治宣传。二是强化执法队伍建设。\n"
    "青禾镇人民政府\n2025年1月12日\n"
)


def test_an_item_read_in_chunks_with_an_unusable_answer_says_so(tmp_path: Path) -> None:
    path = tmp_path / "qinghe-2024.txt"
    path.write_text(LONG_ITEM, encoding="utf-8")

    def answer(text: str, attempt: int) -> str:
        if "综合行政执法队" in text:
            raise ModelError("the answer was cut off at max_tokens=120")
        return "推进基层依法治理。"

    summary, door = run(path, answer)
    item = summary.parts["achievements"][0]
    assert len([r for r in door.requests if "综合行政执法队" in r[-1]["content"]]) >= 1
    assert item.summary == "推进基层依法治理。"  # the other chunks' summaries kept
    assert any("部分段落模型回答不可用" in f for f in item.flags)
    assert any(f.startswith("上一年度") and "部分段落模型回答不可用" in f for f in summary.flags)
    assert "⚠ 部分段落模型回答不可用" in render_markdown(summary)
