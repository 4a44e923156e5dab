"""Key figures: what each counts (a label in the source's own words), and which are chosen.

The sentences below are written the way 法治政府建设年度报告 put their figures, not copied from
the sample reports; each expected label is what a reader would name as the thing counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summariser.figures.numbers import extract_quantities
from summariser.grounding.key_figures import LABEL_CHARS, key_figures, label, label_span
from summariser.pipeline.drafting import RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import PART_NAMES, Figure, Item, ReportSummary
from tests.conftest import figures_in

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "examples" / "reports").glob("*.txt")) + sorted(
    (ROOT / "eval" / "heldout" / "reports").glob("*.txt")
)


def figure(text: str, written: str) -> Figure:
    """The figure written ``written`` in ``text``, as the pipeline finds it."""
    q = next(q for q in extract_quantities(text) if q.text == written)
    return Figure(
        text=q.text, value=q.value, unit=q.unit, qualifier=q.qualifier,
        span=(q.start, q.end), context=text,
    )  # fmt: skip


CASES = [
    # (sentence, figure as written, what it counts)
    ("全年共办理行政复议案件86件，其中维持52件。", "86件", "办理行政复议案件"),
    ("全年共办理行政复议案件86件，其中维持52件。", "52件", "维持"),
    ("全年共调解矛盾纠纷2075起。", "2075起", "调解矛盾纠纷"),
    ("累计培训执法人员300余人次。", "300余人次", "培训执法人员"),
    ("行政机关负责人出庭应诉率达100%。", "100%", "行政机关负责人出庭应诉率"),
    ("2022年，全县新收行政诉讼案件47件，同比下降12.5%。", "47件", "新收行政诉讼案件"),
    ("2022年，全县新收行政诉讼案件47件，同比下降12.5%。", "12.5%", "同比下降"),
    ("全市共有人民调解员3200余名。", "3200余名", "人民调解员"),
    ("聘请法律顾问12名，出具法律意见书140份。", "12名", "聘请法律顾问"),
    ("聘请法律顾问12名，出具法律意见书140份。", "140份", "出具法律意见书"),
    ("各乡镇配备了45名专职人民调解员。", "45名", "专职人民调解员"),
    ("对辖区62家规模以上企业开展法治体检。", "62家", "规模以上企业"),
    ("组织开展“宪法进万家”活动120余场次，覆盖群众5万余人次。", "5万余人次", "覆盖群众"),
    (
        "组织开展“宪法进万家”活动120余场次，覆盖群众5万余人次。",
        "120余场次",
        "组织开展“宪法进万家”活动",
    ),
    ("行政执法案件办结率为97.6%。", "97.6%", "行政执法案件办结率"),
    ("一是全年审查各类合同及协议230份；", "230份", "审查各类合同及协议"),
    ("（三）累计发放法治宣传资料4.5万份。", "4.5万份", "发放法治宣传资料"),
    ("受理法律援助申请410件，其中，刑事案件128件。", "128件", "刑事案件"),
    ("线上法律知识竞赛参与人数超过2万人次。", "超过2万人次", "线上法律知识竞赛参与人数"),
    ("审结一审行政案件156件，判决行政机关败诉9件，败诉率5.8%。", "156件", "审结一审行政案件"),
    ("审结一审行政案件156件，判决行政机关败诉9件，败诉率5.8%。", "9件", "判决行政机关败诉"),
    ("审结一审行政案件156件，判决行政机关败诉9件，败诉率5.8%。", "5.8%", "败诉率"),
    ("规范性文件备案审查率、报备率均达100%。", "100%", "规范性文件备案审查率、报备率"),
    ("年内新增“法律明白人”1200名。", "1200名", "新增“法律明白人”"),
    ("全省共建成公共法律服务工作站1.8万个。", "1.8万个", "建成公共法律服务工作站"),
    ("办理法律援助案件3560件，为受援群众挽回损失2100余万元。", "2100余万元", "为受援群众挽回损失"),
    ("执法案卷合格率提高到93%。", "93%", "执法案卷合格率"),
    ("截至年底，全区累计注册志愿者8600人。", "8600人", "注册志愿者"),
    ("2023年度共受理群众来信来访326件次。", "326件次", "受理群众来信来访"),
    ("市司法局2023年共收到行政复议申请215件。", "215件", "收到行政复议申请"),
    ("减免诉讼费用、律师费用共计87.5万元。", "87.5万元", "律师费用"),
    ("全市行政许可事项压减至186项。", "186项", "行政许可事项"),
    ("涉企行政检查次数同比下降31.2%。", "31.2%", "涉企行政检查次数同比下降"),
    ("为12家民营企业出具法律意见书。", "12家", "民营企业"),
    # a comparison before the figure is not what it counts
    ("局属各处室执法证申领率不低于98%。", "98%", "局属各处室执法证申领率"),
    ("全市行政机关负责人出庭应诉率不少于90%。", "90%", "行政机关负责人出庭应诉率"),
    # a noun after its figure ends where the next figure's clause begins, and a stop inside a
    # word (公共) does not cut it
    ("全市58个公共法律服务中心受理咨询2.3万人次。", "58个", "公共法律服务中心"),
    ("全省4300个人民调解组织调解矛盾纠纷5.6万件。", "4300个", "人民调解组织"),
    ("组织行政执法人员培训12期，参训1500余人次。", "12期", "组织行政执法人员培训"),
]


@pytest.mark.parametrize(("sentence", "written", "expected"), CASES)
def test_label_names_what_the_figure_counts(sentence: str, written: str, expected: str) -> None:
    got = label(sentence, figure(sentence, written))
    assert got == expected
    assert got in sentence and written not in got and len(got) <= LABEL_CHARS


def test_a_figure_with_nothing_before_or_after_it_has_an_empty_label() -> None:
    text = "成效明显，2075起。"
    start, end = label_span(text, figure(text, "2075起"))
    assert start == end


FILLERS = ["", "全年", "2023年", "共", "全年共", "累计", "全市", "其中", "一是", "截至目前，共"]
NOUNS = ["调解矛盾纠纷", "办理行政复议案件", "培训行政执法人员", "审查规范性文件", "挽回经济损失",
         "发放宣传资料", "受理法律援助案件", "开展普法活动", "接待群众来访"]  # fmt: skip
COPULAS = ["", "达", "达到", "为", "共计"]
UNITS = ["件", "起", "人次", "场次", "份", "万元", "次", "余件"]
ENDS = ["。", "，", "；", "、"]


@given(
    st.sampled_from(["", "一年来，", "在上级指导下，", "（二）"]),
    st.sampled_from(FILLERS),
    st.sampled_from(NOUNS),
    st.sampled_from(COPULAS),
    st.integers(min_value=10, max_value=99999),
    st.sampled_from(UNITS),
    st.sampled_from(ENDS),
)
def test_label_is_the_counted_phrase_without_fillers_or_copulas(
    before: str, filler: str, noun: str, copula: str, n: int, unit: str, end: str
) -> None:
    written = f"{n}{unit}"
    text = f"{before}{filler}{noun}{copula}{written}{end}后续工作稳步推进。"
    fig = figure(text, written)
    assert label(text, fig) == noun


@given(
    st.text(
        alphabet="共计全年达为的了在对和中与、，。（）“”0123456789件名个%万元案件纠纷调解",
        max_size=60,
    )
)
def test_label_is_always_a_slice_of_the_source_near_its_figure(text: str) -> None:
    for q in extract_quantities(text):
        fig = Figure(
            text=q.text, value=q.value, unit=q.unit, qualifier=q.qualifier,
            span=(q.start, q.end), context="",
        )  # fmt: skip
        start, end = label_span(text, fig)
        assert 0 <= start <= end <= len(text)
        assert end - start <= LABEL_CHARS
        assert not (start < q.end and q.start < end), "a label never holds its own figure"


READER_REASONS = {"", "比率", "金额（数额大者优先）", "业务量（案件、纠纷、援助、普法等）"}


def _check_sample(summary: ReportSummary, source: str) -> None:
    assert summary.key_figures
    for kf in summary.key_figures:
        assert kf.label, kf.figure.text
        assert kf.label in source
        # the label is the source's words around this figure, not the same words elsewhere
        near = source[max(0, kf.figure.span[0] - 80) : kf.figure.span[1] + LABEL_CHARS + 1]
        assert kf.label in near, (kf.figure.text, kf.label)
        assert kf.figure.text not in kf.label
        # a reason a reader understands, or none: size alone is no reason (the figure shows it)
        assert kf.reason in READER_REASONS, kf.reason


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_every_key_figure_of_the_rules_engine_has_a_label_from_its_source(path: Path) -> None:
    doc = read_document(path)
    _check_sample(summarise(doc, RulesDrafter()), doc.text)


def test_every_key_figure_of_the_model_replay_has_a_label_from_its_source(
    replayed: dict[str, ReportSummary],
) -> None:
    for stem, summary in replayed.items():
        source = (ROOT / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
        _check_sample(summary, source)


def _item(source: str, figures: list[Figure]) -> Item:
    return Item(
        title="t", summary="s", quote=source, quote_span=(0, len(source)),
        source_span=(0, len(source)), figures=figures,
    )  # fmt: skip


def test_labels_are_copied_figures_and_reasons_are_not_checked() -> None:
    """A figure inside a label is the source's: it counts as copied, never as written."""
    from summariser.grounding.checker import SourceIndex, verify_strings
    from summariser.schema import checkable_strings

    source = "两次考试全区共271人通过，通过率达到96%。"
    figs = [figure(source, "271人"), figure(source, "96%")]
    chosen = key_figures(source, {"achievements": [_item(source, figs)]})
    data = {"key_figures": [k.model_dump() for k in chosen]}
    paths = [p for p, _ in checkable_strings(data)]
    assert any(p.endswith("/label") for p in paths)
    assert not any(p.endswith("/reason") for p in paths)
    result = verify_strings(list(checkable_strings(data)), SourceIndex(source), written=set())
    assert result.by_origin["written"]["checked"] == 0
    numbers = result.to_json()["numbers"]
    assert any(n["path"].endswith("/label") and n["origin"] == "copied" for n in numbers)


def test_markdown_names_what_each_key_figure_counts_and_its_whole_part(
    replayed: dict[str, ReportSummary],
) -> None:
    from summariser.output.files import render_markdown

    md = render_markdown(replayed["hubin-2023"])
    table = md.split("## 关键数字", 1)[1].split("\n## ", 1)[0]
    assert "| 数字 | 指标 | 部分 | 依据 |" in table
    # 调解矛盾纠纷2075起 (hubin, 上一年度主要举措和成效), read off the report
    assert "| 2075起 | 调解矛盾纠纷 | 上一年度主要举措和成效 |" in table
    rows = [r for r in table.splitlines() if r.startswith("| ") and "---" not in r][1:]
    assert len(rows) == len(replayed["hubin-2023"].key_figures)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2] in PART_NAMES.values(), row


def test_review_page_names_what_each_key_figure_counts_and_its_whole_part(
    replayed: dict[str, ReportSummary],
) -> None:
    from summariser.output.review import render_review

    source = (ROOT / "examples" / "reports" / "hubin-2023.txt").read_text(encoding="utf-8")
    page = render_review(replayed["hubin-2023"], source)
    table = page.split('id="key-figures"', 1)[1]
    assert "<th>指标</th><th>部分</th><th>依据</th>" in table
    assert '<td class="kf-label">调解矛盾纠纷</td><td>上一年度主要举措和成效</td>' in table


def _chosen(source: str, limit: int) -> list[tuple[str, str]]:
    figs = figures_in(source)
    chosen = key_figures(source, {"achievements": [_item(source, figs)]}, limit=limit)
    return [(k.figure.text, k.reason) for k in chosen]


def test_a_breakdown_gives_way_to_a_figure_of_its_own() -> None:
    source = "全年受理矛盾纠纷860件，其中婚姻家庭纠纷320件。开展普法讲座350场次。"
    assert [t for t, _ in _chosen(source, 2)] == ["860件", "350场次"]
    source = "调解矛盾纠纷2075起，调解成功1996起。开展普法讲座1500场次。"
    assert [t for t, _ in _chosen(source, 2)] == ["2075起", "1500场次"]


def test_the_work_a_report_is_judged_by_comes_before_other_counts() -> None:
    source = "新建文化广场480平方米。受理行政复议案件360件。"
    assert _chosen(source, 1) == [("360件", "业务量（案件、纠纷、援助、普法等）")]


def test_money_first_and_every_choice_says_why() -> None:
    source = "受理法律援助案件1200件，挽回经济损失35万元，调解成功率达98%。"
    got = dict(_chosen(source, 3))
    assert list(got) == ["1200件", "35万元", "98%"]
    assert got["35万元"].startswith("金额") and got["98%"] == "比率"
    assert _chosen(source, 1)[0][0] == "35万元"


def test_a_figure_that_says_nothing_of_what_it_counts_is_no_key_figure() -> None:
    source = "成效明显，2075起。全县新增执业律师35名。"
    assert [t for t, _ in _chosen(source, 3)] == ["35名"]


def test_size_alone_is_no_reason_a_reader_is_given() -> None:
    source = "全县新登记市场主体5600户，办理行政许可事项3200件。"
    got = _chosen(source, 2)
    assert {t for t, _ in got} == {"5600户", "3200件"}
    assert all(reason == "" for _, reason in got)


def test_readme_key_figure_rows_are_the_replayed_ones(replayed: dict[str, ReportSummary]) -> None:
    import re

    from summariser.output.files import render_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```markdown\n\| 数字 \| 指标 \| 部分 \| 依据 \|\n(.+?)```", readme, re.S)
    assert block is not None
    rows = [r for r in block.group(1).splitlines() if r.startswith("| ") and "---" not in r]
    assert rows
    md = render_markdown(replayed["hubin-2023"])
    for row in rows:
        assert row + "\n" in md, row
