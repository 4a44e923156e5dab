"""Finding quantities: the table of real phrases, the exclusions, and the forms of a figure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import summariser.figures.numbers as numbers_module
from summariser.figures.numbers import (
    IDENTIFIER_RULES,
    NAME_RULES,
    Quantity,
    extract_identifiers,
    extract_quantities,
    find_exclusions,
    units_compatible,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = {
    p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "examples" / "reports").glob("*.txt")
}
IDENTIFIER_KINDS = {"ordinal", "document_number", "hotline"}


def _rows() -> list[tuple[str, ...]]:
    rows = []
    path = Path(__file__).parent / "data" / "number_phrases.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("\t")
            cells[1] = cells[1].replace("\\n", "\n")
            rows.append(tuple(cells))
    return rows


ROWS = _rows()


def test_the_table_is_big_enough_and_real() -> None:
    assert len(ROWS) >= 150
    assert len({r[1] for r in ROWS}) >= 150
    missing = [r[1] for r in ROWS if r[1] not in REPORTS[r[0]]]
    assert not missing, f"not in their report: {missing}"


def _none(cell: str) -> str | None:
    return None if cell == "-" else cell


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}:{r[1][:14]}:{r[2]}" for r in ROWS])
def test_phrase(row: tuple[str, ...]) -> None:
    _, phrase, figure, *rest = row
    found = extract_quantities(phrase)
    if figure == "∅":
        assert found == [], [q.text for q in found]
        return
    value, unit, qualifier, kind = rest
    pool = extract_identifiers(phrase) if kind in IDENTIFIER_KINDS else found
    if kind in IDENTIFIER_KINDS:
        assert all(figure not in q.text for q in found), "an identifier read as a quantity"
    hits = [q for q in pool if q.text == figure]
    assert hits, f"{figure!r} not found in {[q.text for q in pool]}"
    q = hits[0]
    assert phrase[q.start : q.end] == q.text
    assert q.value == pytest.approx(float(value))
    assert q.unit == _none(unit)
    assert q.qualifier == _none(qualifier)
    assert q.kind == kind


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("304.62万元", 3046200, "元", None),
        ("3046200元", 3046200, "元", None),
        ("1.2亿元", 120000000, "元", None),
        ("5086万余元", 50860000, "元", "above"),
        ("３万余份", 30000, "份", "above"),
        ("30,000余份", 30000, "份", "above"),
        ("三万余份", 30000, "份", "above"),
        ("98.38％", 98.38, "%", None),
        ("９８．３８%", 98.38, "%", None),
        ("百分之九十八点三八", 98.38, "%", None),
        ("百分之百", 100, "%", None),
        ("5个百分点", 5, "个百分点", None),
        ("1.5百分点", 1.5, "个百分点", None),
        ("三千余人次", 3000, "人次", "above"),
        ("一千六百七十三件", 1673, "件", None),
        ("两万五千人", 25000, "人", None),
        ("约90%", 90, "%", "about"),
        ("90%左右", 90, "%", "about"),
        ("逾千人", 1000, "人", "above"),
        ("不足10人", 10, "人", "below"),
        ("未满3年", 3, "年", "below"),
        ("超1.2亿元", 120000000, "元", "above"),
        ("1000多人", 1000, "人", "above"),
        ("3个多月", 3, "个月", "above"),
        ("2次以上", 2, "次", "above"),
        ("3公里", 3000, "米", None),
        ("41艘", 41, "艘", None),
        ("三十架", 30, "架", None),
        ("三分之一", 1 / 3, "分之", None),
        ("二〇二四年", 20240000, "年", None),
        ("2025年3月31日", 20250331, "年月日", None),
        ("2025-03-31", 20250331, "年月日", None),
    ],
)
def test_forms(text: str, value: float, unit: str, qualifier: str | None) -> None:
    (q,) = extract_quantities(text)
    assert (q.text, q.unit, q.qualifier) == (text, unit, qualifier)
    assert q.value == pytest.approx(value)


def test_range_takes_the_unit_of_its_end() -> None:
    a, b = extract_quantities("3至5万元")
    assert (a.value, a.unit, b.value, b.unit) == (30000, "元", 50000, "元")


@pytest.mark.parametrize(
    "text",
    [
        "签约35家企业",  # 签约 is a word: no hedge
        "最近3年",
    ],
)
def test_word_before_a_number_is_not_a_hedge(text: str) -> None:
    (q,) = extract_quantities(text)
    assert q.qualifier is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("党的二十大", "party_congress"),
        ("二十届三中全会", "plenum"),
        ("“八五”普法", "five_year_plan"),
        ("十四五规划", "five_year_plan"),
        ("“十四五”时期", "five_year_plan"),
        ("一把手", "slogan"),
        ("一村一法律顾问", "slogan"),
        ("“1+1+N”", "slogan"),
        ("三门峡", "place"),
        ("统一部署", "word"),
        ("进一步", "word"),
        ("下一年度工作计划", "word"),  # the statutory parts' own names: no figure in them
        ("对照上一年度目标", "word"),
        ("《法治政府建设实施纲要（2021-2025年）》", "title"),
        ("衡蒸政办发〔2021〕4号", "document_number"),
        ("厅字〔2019〕28号", "document_number"),
        ("拨打12348热线", "hotline"),
        ("第二届", "ordinal"),
        ("第一责任人", "ordinal_name"),
        ("1. 调解纠纷", "list_marker"),
        ("（一）", "list_marker"),
        ("www.zhengxiang.gov.cn", "url"),
        ("5G基站", "code"),
    ],
)
def test_exclusions(text: str, reason: str) -> None:
    assert reason in {e.reason for e in find_exclusions(text)}
    assert extract_quantities(text) == []


def test_exclusions_live_in_one_table() -> None:
    reasons = {r for r, _ in NAME_RULES} | {r for r, _ in IDENTIFIER_RULES}
    assert {
        "party_congress",
        "plenum",
        "five_year_plan",
        "slogan",
        "document_number",
        "hotline",
        "ordinal",
    } <= reasons


def test_identifiers() -> None:
    ids = extract_identifiers("落实《意见》（厅字〔2019〕28号），第二届，拨打12348，受理110件")
    assert [(q.kind, q.value) for q in ids] == [
        ("document_number", 28),
        ("ordinal", 2),
        ("hotline", 12348),
    ]
    # 110件 is a count, not the police line
    assert [q.text for q in extract_quantities("受理110件")] == ["110件"]


def test_markdown_list_markers_are_not_figures() -> None:
    text = "## 2. 成效\n1. 调解纠纷2075起\n2) 成功率96%\n"
    assert [q.text for q in extract_quantities(text)] == ["2075起", "96%"]


def test_units_compatible() -> None:
    assert units_compatible("件", "起")
    assert units_compatible("个", "家")
    assert units_compatible(None, "人次")
    assert not units_compatible("件", "人次")
    assert not units_compatible("%", "个百分点")
    assert not units_compatible("份", "项")


def test_real_reports_spans_are_exact() -> None:
    for text in REPORTS.values():
        qs = extract_quantities(text)
        assert qs == sorted(qs, key=lambda q: q.start)
        for q in qs:
            assert text[q.start : q.end] == q.text


_CN = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """A plain Chinese reading of 0 < n < 100000, as a report writes it."""
    out, zero = "", False
    for value, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if (d == 1 and value == 10 and not out) else _CN[d]) + name
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["件", "人次", "份", "名"]))
def test_chinese_and_arabic_read_alike(n: int, unit: str) -> None:
    (a,) = extract_quantities(f"受理{n}{unit}")
    (b,) = extract_quantities(f"受理{_cn(n)}{unit}")
    assert (a.value, a.unit) == (b.value, b.unit) == (float(n), unit)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=99))
def test_wan_and_plain_digits_read_alike(whole: int, cents: int) -> None:
    wan = f"{whole}.{cents:02d}".rstrip("0").rstrip(".")
    (a,) = extract_quantities(f"涉及金额{wan}万元")
    (b,) = extract_quantities(f"涉及金额{whole * 10000 + cents * 100}元")
    assert a.value == b.value and a.unit == b.unit == "元"


def test_quantity_is_frozen() -> None:
    q = Quantity("3件", 0, 2, 3.0, "件", None, "count")
    with pytest.raises(AttributeError):
        q.value = 4.0  # type: ignore[misc]


# --- names found by rules, not by entries per report --------------------------------------------
# Phrases from other places' reports, none of them in examples/reports: the rules must generalise.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("开展“三个一”活动", "“三个一”"),
        ("落实“两学一做”学习教育", "“两学一做”"),
        ("推进“六稳六保”", "“六稳六保”"),
        ("坚持‘四下基层’制度", "‘四下基层’"),
        ("学习“千万工程”经验", "“千万工程”"),
        ("启动「五大行动」", "「五大行动」"),
        ("“三清一建·法治同行”主题活动", "“三清一建·法治同行”"),
    ],
)
def test_a_numeral_in_quotation_marks_names_something(text: str, name: str) -> None:
    assert (name, "quoted_name") in {(e.text, e.reason) for e in find_exclusions(text)}
    assert extract_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("群众反映“办结30件”", ["30件"]),  # a figure in Arabic digits stays a figure, quoted
        ("“三个一”活动覆盖12个村", ["12个"]),
        ("建成三个调解室", ["三个"]),  # unquoted, a count
        ("“依法行政”“公正司法”", []),  # quoted words without a numeral name nothing new
    ],
)
def test_quotation_marks_take_only_the_name(text: str, figures: list[str]) -> None:
    assert [q.text for q in extract_quantities(text)] == figures


@pytest.mark.parametrize(
    "text",
    ["推行一案一策", "实行一户一档", "建立一事一议机制", "构建一核两翼格局", "一轴两带发展"],
)
def test_one_x_one_y_is_a_slogan(text: str) -> None:
    assert "slogan" in {e.reason for e in find_exclusions(text)}
    assert extract_quantities(text) == []


def test_the_year_a_part_names_is_no_figure_but_a_year_still_is() -> None:
    assert extract_quantities("下一年度将完善执法监督") == []
    assert [q.text for q in extract_quantities("用一年时间完成，年度办案30件")] == ["一年", "30件"]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("督查一年一次", ["一年", "一次"]),  # a span of time and a count: still figures
        ("一年两次开展督查", ["一年", "两次"]),
        ("新建一处两层办公楼", ["一处"]),
    ],
)
def test_one_x_one_y_leaves_counts_and_spans_of_time(text: str, figures: list[str]) -> None:
    assert [q.text for q in extract_quantities(text)] == figures


@pytest.mark.parametrize("text", ["万花谷景区", "九字岭村", "千佛洞街道"])
def test_a_place_whose_numeral_has_no_unit_needs_no_entry(text: str) -> None:
    assert extract_quantities(text) == []


def test_the_word_lists_are_reviewed_data_not_sample_phrases() -> None:
    """Every listed phrase is a set term; none is one of the sample reports' own names."""
    import yaml

    raw = yaml.safe_load((Path(numbers_module.__file__).parent / "number_words.yaml").read_text())
    assert set(raw) == {"slogan", "word", "place"}
    listed = {p for phrases in raw.values() for p in phrases}
    assert {"一把手", "三门峡", "千家万户"} <= listed
    assert not listed & {"八字哨", "千紫缘", "一三三四", "三团一盟", "十百千万", "一科一调研"}
    for phrase in listed:
        assert phrase in "".join(e.text for e in find_exclusions(f"，{phrase}，")), phrase


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十二", 12), ("二十六", 26), ("两千", 2000), ("二〇二四", 2024), ("一一", None)],
)
def test_one_chinese_integer_reader_for_figures_headings_and_dates(
    text: str, value: int | None
) -> None:
    from summariser.lexicon.numerals import cn_int

    assert cn_int(text) == value
