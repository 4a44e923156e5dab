"""Standard indicators found by code: sentences written the way real reports put them (other
districts, departments and provinces than the samples), the vocabulary as data, and the choice
among candidates when a clause names two indicators."""

from __future__ import annotations

import pytest

from summariser.figures.numbers import scan
from summariser.grounding.indicators import Candidate, IndicatorResult, find_indicators
from summariser.lexicon.indicators import indicator_names, indicators

ISSUE_NAMES = (
    "行政机关负责人出庭应诉率, 行政诉讼案件数, 行政诉讼败诉率, 行政复议案件数, 行政复议纠错率, "
    "规范性文件合法性审查数, 规范性文件备案数, 规范性文件清理数, 重大行政决策合法性审查数, "
    "行政合同合法性审查数, 行政执法案卷评查数, 行政执法人员培训人次, 法律顾问人数, 普法活动场次, "
    "人民调解纠纷数, 人民调解成功率, 法律援助案件数"
).split(", ")


def found(
    text: str,
    *,
    year: int = 2024,
    level: str = "县级",
    issuer: str = "临澧县人民政府",
    **kw: object,
) -> IndicatorResult:
    return find_indicators(text, scan(text)[0], year=year, level=level, issuer=issuer, **kw)  # type: ignore[arg-type]


def pairs(text: str, **kw: object) -> set[tuple[str, str]]:
    return {(v.name, v.text) for v in found(text, **kw).values}


def test_the_vocabulary_holds_the_seventeen_names_with_kinds_and_units() -> None:
    assert set(ISSUE_NAMES) <= set(indicator_names())
    for ind in indicators():
        assert ind.units, ind.name
        assert (ind.kind == "rate") == (ind.units == ("%",)), ind.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全年共收到行政复议申请215件，受理198件，审结187件。",
            {("行政复议案件数", "215件"), ("行政复议案件数", "198件"), ("行政复议案件数", "187件")},
        ),
        (
            "县政府作为被告的行政应诉案件41件，行政机关负责人出庭应诉率达100%。",
            {("行政诉讼案件数", "41件"), ("行政机关负责人出庭应诉率", "100%")},
        ),
        (
            "行政诉讼败诉率为3.4%，行政复议综合纠错率为9.8%。",
            {("行政诉讼败诉率", "3.4%"), ("行政复议纠错率", "9.8%")},
        ),
        (
            "合法性审核行政规范性文件42份，报送备案规范性文件12件。",
            {("规范性文件合法性审查数", "42份"), ("规范性文件备案数", "12件")},
        ),
        (
            "对全县现行有效的86件规范性文件开展集中清理，废止9件、修改5件。",
            {
                ("规范性文件清理数", "86件"),
                ("规范性文件清理数", "9件"),
                ("规范性文件清理数", "5件"),
            },
        ),
        (
            "对县政府重大行政决策事项开展合法性审查23件，审核政府合同67份。",
            {("重大行政决策合法性审查数", "23件"), ("行政合同合法性审查数", "67份")},
        ),
        ("组织开展行政执法案卷评查，共评查案卷312卷。", {("行政执法案卷评查数", "312卷")}),
        ("分两期培训全县行政执法人员1200余人次。", {("行政执法人员培训人次", "1200余人次")}),
        ("县政府聘请常年法律顾问6名。", {("法律顾问人数", "6名")}),
        (
            "落实“谁执法谁普法”责任制，开展“宪法进万家”等普法活动260余场次。",
            {("普法活动场次", "260余场次")},
        ),
        (
            "全县各级人民调解组织共调解矛盾纠纷4321件，调解成功率98.6%。",
            {("人民调解纠纷数", "4321件"), ("人民调解成功率", "98.6%")},
        ),
        ("县法律援助中心全年办理法律援助案件1045件。", {("法律援助案件数", "1045件")}),
    ],
)
def test_a_clause_names_its_indicator(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # next year's target, and a total since an earlier year
        "力争行政机关负责人出庭应诉率达到100%。",
        "2018年以来累计办理法律援助案件5620件。",
        "近三年共受理行政复议案件602件。",
        # another body's figure in a county's report
        "全市行政机关负责人出庭应诉率为96.5%。",
        "全省法律援助机构办理法律援助案件12.6万件。",
        # counts of something else: results, rounds of work, other reviews
        "开展规范性文件清理2次。",
        "开展公平竞争审查，审查政策措施文件52件，清理妨碍公平竞争的文件4件。",
        "清理后现行有效的规范性文件24件。",
        "律师为民营企业审查合同45份。",
        "全县320名行政执法人员全部通过执法资格考试。",
        "排查调处跨界水事矛盾纠纷12起。",
        "行政诉讼一审败诉案件6件。",
        "组织行政执法人员培训3次。",
        "胜诉率达92%。",
        "行政诉讼败诉率同比下降2.5%。",
    ],
)
def test_not_the_years_own_value(text: str) -> None:
    assert pairs(text) == set()


def test_a_verb_alone_carries_the_sentences_subject() -> None:
    """审结, 办结, 二审 carry the subject named before them; 其中 starts the parts of a total."""
    assert pairs("新收行政诉讼案件56件，审结49件。") == {
        ("行政诉讼案件数", "56件"),
        ("行政诉讼案件数", "49件"),
    }
    assert pairs("受理法律援助案件600件，其中刑事案件210件，民事案件390件。") == {
        ("法律援助案件数", "600件")
    }
    assert pairs("受理行政复议案件88件，其中维持52件、纠错11件。") == {("行政复议案件数", "88件")}
    assert pairs("审结行政复议案件73件，调解结案20件。") == {("行政复议案件数", "73件")}


def test_the_years_own_cumulative_total_counts() -> None:
    assert pairs("2024年累计开展各类普法活动320场。") == {("普法活动场次", "320场")}
    assert pairs("2024年以来，各调委会调解各类矛盾纠纷1873件。") == {("人民调解纠纷数", "1873件")}


def test_a_county_level_city_owns_its_quanshi_figures() -> None:
    text = "全市各级调解组织化解矛盾纠纷8600件。"
    assert pairs(text, issuer="醴陵市人民政府") == {("人民调解纠纷数", "8600件")}
    assert pairs(text, issuer="醴陵市渌口区人民政府") == set()


def test_plans_are_skipped() -> None:
    text = "一、成效\n受理行政复议案件50件。\n二、下一步安排\n受理行政复议案件将超过60件。"
    plans = text.index("二、")
    got = found(text, skip=[(plans, len(text))])
    assert [(v.name, v.text) for v in got.values] == [("行政复议案件数", "50件")]


def test_a_comparison_uses_the_caseload_received_and_says_why() -> None:
    got = found("全年新收行政复议案件264件，审结231件。").values
    used = [v for v in got if v.used]
    assert [v.text for v in used] == ["264件"]
    assert "收案" in used[0].reason
    other = next(v for v in got if not v.used)
    assert other.basis == "办结" and "264件" in other.reason


def test_values_are_checked_at_their_span() -> None:
    text = "县法律援助中心全年办理法律援助案件1045件。"
    (v,) = found(text).values
    assert text[v.span[0] : v.span[1]] == v.text == "1045件"
    assert v.value == 1045 and v.unit == "件" and v.status == "verified"
    assert v.clause == "县法律援助中心全年办理法律援助案件1045件"


class _Pick:
    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[Candidate] = []

    def choose(self, candidate: Candidate) -> str | None:
        self.asked.append(candidate)
        return self.answer


SIDE_BY_SIDE = "全年办理行政复议和行政诉讼案件共37件。"


def test_a_sure_clause_asks_no_one() -> None:
    pick = _Pick("行政复议案件数")
    found("受理行政复议案件60件，行政应诉案件12件。", chooser=pick)
    assert pick.asked == []


def test_two_subjects_side_by_side_are_unsure_and_left_out_without_a_chooser() -> None:
    got = found(SIDE_BY_SIDE)
    assert got.values == []
    assert [set(c.names) for c in got.unsure] == [{"行政复议案件数", "行政诉讼案件数"}]


def test_the_choice_is_kept_only_from_the_candidates() -> None:
    pick = _Pick("行政诉讼案件数")
    got = found(SIDE_BY_SIDE, chooser=pick)
    assert [(v.name, v.by) for v in got.values] == [("行政诉讼案件数", "model")]
    refused = found(SIDE_BY_SIDE, chooser=_Pick("法律援助案件数"))
    assert refused.values == []
    assert any("法律援助案件数" in n and "未采用" in n for n in refused.notes)
    assert found(SIDE_BY_SIDE, chooser=_Pick(None)).values == []


def test_the_markdown_view_and_review_page_show_the_indicators() -> None:
    """Both views list each value with its clause and whether a comparison uses it."""
    from summariser.output.files import render_markdown
    from summariser.output.review import render_review
    from summariser.pipeline.drafting import RulesDrafter
    from summariser.pipeline.report import summarise
    from summariser.reading.documents import read_document
    from tests.conftest import REPORTS_DIR

    doc = read_document(REPORTS_DIR / "hubin-2023.txt")
    summary = summarise(doc, RulesDrafter())
    md = render_markdown(summary)
    section = md.split("## 标准指标")[1].split("\n## ")[0]
    assert "| 人民调解纠纷数 | 2075起 |" in section and "调解矛盾纠纷2075起" in section
    assert "比较采用" in section
    page = render_review(summary, doc.text)
    assert 'id="indicators"' in page and "人民调解纠纷数" in page
