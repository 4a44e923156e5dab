"""Checking figures against a source: every status, the source's own arithmetic, and the
properties that equivalent forms verify and changed digits never do."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from summariser.figures.numbers import Quantity, extract_quantities, units_compatible
from summariser.grounding.checker import (
    OK_STATUSES,
    STATUSES,
    NumberCheck,
    SourceIndex,
    Verification,
    verify_strings,
)
from summariser.grounding.wording import dropped_negations, problem_dropped

ROOT = Path(__file__).resolve().parent.parent
REPORTS = {
    p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "examples" / "reports").glob("*.txt")
}


@cache
def index(name: str) -> SourceIndex:
    return SourceIndex(REPORTS[name])


def statuses(summary: str, source: str | SourceIndex) -> list[tuple[str, str]]:
    idx = source if isinstance(source, SourceIndex) else SourceIndex(source)
    return [(c.quantity.text, c.status) for c in idx.check(summary)]


# (summary, source report or text, expected [(figure, status)])
PAIRS: list[tuple[str, str, list[tuple[str, str]]]] = [
    # verified, in the source's own form and in equivalent forms
    ("派发资料3万余份", "zhengxiang-2024", [("3万余份", "verified")]),
    ("派发资料30000余份", "zhengxiang-2024", [("30000余份", "verified")]),
    ("派发资料三万余份", "zhengxiang-2024", [("三万余份", "verified")]),
    ("医疗纠纷涉及金额3046200元", "zhengxiang-2024", [("3046200元", "verified")]),
    ("调解成功率达百分之九十八点三八", "huangzhong-2024", [("百分之九十八点三八", "verified")]),
    (
        "组织2次行政执法考试，共271人通过",
        "zhengxiang-2024",
        [("2次", "verified"), ("271人", "verified")],
    ),
    ("2024年8月组织执法考试", "zhengxiang-2024", [("2024年8月", "verified")]),
    ("报告落款为2025-03-31", "zhengxiang-2024", [("2025-03-31", "verified")]),
    ("标的额近1.2亿元", "baicheng-2023", [("近1.2亿元", "verified")]),
    (
        "刑事案件345件、民事案件415件",
        "huangzhong-2024",
        [("345件", "verified"), ("415件", "verified")],
    ),
    (
        "民事案件415件，刑事案件345件",
        "huangzhong-2024",
        [("415件", "verified"), ("345件", "verified")],
    ),
    ("化解纠纷2075起", "hubin-2023", [("2075起", "verified")]),
    ("干部职工3000余名参加学法考法", "zhengxiang-2024", [("3000余名", "verified")]),
    # qualifier_changed: hedge dropped, added or flipped
    ("派发资料3万份", "zhengxiang-2024", [("3万份", "qualifier_changed")]),
    ("标的额1.2亿元", "baicheng-2023", [("1.2亿元", "qualifier_changed")]),
    ("标的额超1.2亿元", "baicheng-2023", [("超1.2亿元", "qualifier_changed")]),
    ("约60件行政复议案件", "baicheng-2023", [("约60件", "qualifier_changed")]),
    # unit_mismatch
    ("区法律援助中心共受理430人次", "zhengxiang-2024", [("430人次", "unit_mismatch")]),
    ("公证案件同比增长552.61个百分点", "baicheng-2023", [("552.61个百分点", "unit_mismatch")]),
    ("减免费用25.63元", "hubin-2023", [("25.63元", "unit_mismatch")]),
    # context_mismatch
    ("调解成功2075起", "hubin-2023", [("2075起", "context_mismatch")]),
    (
        "受理矛盾纠纷1646件，调处成功1673件",
        "huangzhong-2024",
        [("1646件", "context_mismatch"), ("1673件", "context_mismatch")],
    ),
    ("四星级司法所50个", "baicheng-2023", [("50个", "context_mismatch")]),
    # derived
    ("调解成功1996起，未成功79起", "hubin-2023", [("1996起", "verified"), ("79起", "derived")]),
    ("刑事和民事案件共348件", "zhengxiang-2024", [("348件", "derived")]),
    ("调解成功率96.2%", "hubin-2023", [("96.2%", "derived")]),
    # not_found
    ("调解成功1896起", "hubin-2023", [("1896起", "not_found")]),
    ("派发资料4万余份", "zhengxiang-2024", [("4万余份", "not_found")]),
    ("2022年组织执法考试", "zhengxiang-2024", [("2022年", "not_found")]),
    ("开展第七次全面清理", "huangzhong-2024", [("第七次", "not_found")]),
]


@pytest.mark.parametrize(("summary", "source", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_status(summary: str, source: str, expected: list[tuple[str, str]]) -> None:
    assert statuses(summary, index(source)) == expected


def test_every_status_is_covered() -> None:
    covered = {s for _, _, exp in PAIRS for _, s in exp}
    assert covered == set(STATUSES)


def test_the_small_example_of_the_issue() -> None:
    source = "2023年，共开展矛盾纠纷排查528余次，调解矛盾纠纷2075起，调解成功1996起，成功率达96%。"
    assert statuses("调解成功2075起", source) == [("2075起", "context_mismatch")]
    assert statuses("调解矛盾纠纷2075起，调解成功1996起", source) == [
        ("2075起", "verified"),
        ("1996起", "verified"),
    ]
    assert statuses("共排查528余次", source) == [("528余次", "verified")]
    assert statuses("共排查528次", source) == [("528次", "qualifier_changed")]
    assert statuses("提高5个百分点", "成功率提高5%。") == [("5个百分点", "unit_mismatch")]


def test_a_rest_named_after_its_figure_is_derived_only_from_its_counterpart() -> None:
    source = "全年共受理行政复议案件120件，办结100件，纠错率达12%。"
    assert statuses("受理复议案件120件，尚有20件未办结", source) == [
        ("120件", "verified"),
        ("20件", "derived"),
    ]
    # the rest of 办结 is 120-100; 未受理 names the total, not the part it would be the rest of
    assert statuses("另有20件未受理", source) == [("20件", "not_found")]


def test_notes_say_what_the_source_says() -> None:
    (c,) = index("zhengxiang-2024").check("派发资料3万份")
    assert c.note == "原文为“3万余份”"
    (c,) = index("hubin-2023").check("调解成功2075起")
    assert "1996起" in (c.note or "")
    (c,) = index("hubin-2023").check("调解成功1996起，未成功79起")[1:]
    assert c.formula == "2075-1996=79"


def test_spans_point_into_both_texts() -> None:
    src = REPORTS["zhengxiang-2024"]
    summary = "蒸湘区派发资料3万余份。"
    (c,) = index("zhengxiang-2024").check(summary)
    assert summary[c.quantity.start : c.quantity.end] == "3万余份"
    assert [src[a:b] for a, b in c.source_spans] == ["3万余份"]


def test_scope_prefers_the_passage() -> None:
    src = REPORTS["zhengxiang-2024"]
    # 100% occurs several times; the scope picks the occurrence in its passage
    at = src.index("出庭率达100%")
    scope = (at - 40, at + 20)
    (c,) = index("zhengxiang-2024").check("负责人出庭率100%", scope=scope)
    assert c.status == "verified"
    assert scope[0] <= c.source_spans[0][0] < scope[1]
    # a match outside the scope still counts when its words fit
    (c,) = index("zhengxiang-2024").check("派发资料3万余份", scope=scope)
    assert c.status == "verified"


def test_verbatim_report_verifies_against_itself() -> None:
    for name, text in REPORTS.items():
        bad = [
            (c.quantity.text, c.status)
            for c in index(name).check(text)
            if c.status not in OK_STATUSES
        ]
        assert not bad, name


def test_source_warnings() -> None:
    warnings = index("huangzhong-2024").warnings()
    rate = [w for w in warnings if w["kind"] == "rate"]
    assert [w["computation"] for w in rate] == ["1646/1673=98.39%"]
    parts = [w for w in warnings if w["kind"] == "parts"]
    assert [w["computation"] for w in parts] == ["1+2+14+5+1+3=26>25"]
    # consistent rates are not reported: 1996/2075 rounds to 96%, 15/60 is 25%
    assert index("hubin-2023").warnings() == []
    assert index("baicheng-2023").warnings() == []


def test_verification_json_shape() -> None:
    v = verify_strings(
        [("/parts/achievements/0/summary", "派发资料3万份"), (None, "调解成功1996起")],
        REPORTS["zhengxiang-2024"],
    )
    out = v.to_json()
    assert set(out) == {"numbers", "counts", "by_origin", "source_warnings"}
    first = out["numbers"][0]  # type: ignore[index]
    assert set(first) == {
        "text",
        "start",
        "end",
        "value",
        "unit",
        "qualifier",
        "status",
        "source_spans",
        "note",
        "path",
        "origin",
    }
    assert first["path"] == "/parts/achievements/0/summary"
    assert out["counts"]["qualifier_changed"] == 1  # type: ignore[index]
    assert not v.ok
    assert Verification([], []).ok
    c = NumberCheck(Quantity("3件", 0, 2, 3.0, "件", None, "count"), "verified", [(5, 7)])
    assert c.to_json() == {
        "text": "3件",
        "start": 0,
        "end": 2,
        "value": 3.0,
        "unit": "件",
        "qualifier": None,
        "status": "verified",
        "source_spans": [[5, 7]],
    }


# --- properties --------------------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def _cn_int(n: int) -> str:
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if (d == 1 and value == 10 and not out) else _CN[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def equivalents(q: Quantity) -> list[str]:
    """Other ways to write the figure ``q.text`` that mean exactly the same."""
    t, out = q.text, []
    m = re.fullmatch(r"([^0-9]*)([0-9]+(?:\.[0-9]+)?)(万|亿)?(余|多)?(万)?(.*)", t)
    if not m or q.kind == "date":
        return out
    pre, num, mag, yu, mag2, unit = m.groups()
    mag = mag or mag2
    yu = yu or ""
    if unit == "%":
        out.append(f"{pre}{num}％")
        whole, _, frac = num.partition(".")
        if 0 < int(whole) < 10000:
            cn = "百" if whole == "100" else _cn_int(int(whole))
            if cn:
                out.append(
                    pre
                    + "百分之"
                    + cn
                    + ("点" + "".join(_CN[int(c)] for c in frac) if frac else "")
                )
        return out
    out.append(
        pre
        + num.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
        + (mag or "")
        + yu
        + unit
    )
    if mag:
        full = q.value / (1 if unit not in ("元", "份", "人次") else 1)
        if full == int(full) and not yu:
            out.append(f"{pre}{int(full)}{unit}")
        if yu and full == int(full):
            out.append(f"{pre}{int(full)}{yu}{unit}")
    elif "." not in num and 1 <= int(num) < 10000 and q.unit is not None:
        n = int(num)
        out.append(pre + ("两" if n == 2 else _cn_int(n)) + yu + unit)
        if n >= 10000 and n % 10000 == 0:
            out.append(f"{pre}{n // 10000}万{yu}{unit}")
        if n >= 1000:
            out.append(f"{pre}{n:,}{yu}{unit}")
    return out


def _clause(text: str, q: Quantity) -> tuple[int, int]:
    lo = max(text.rfind(c, 0, q.start) for c in "，。；\n,;") + 1
    his = [h for h in (text.find(c, q.end) for c in "，。；\n,;") if h >= 0]
    return lo, min(his, default=len(text))


CASES = [
    (name, q)
    for name, text in sorted(REPORTS.items())
    for q in extract_quantities(text)
    if q.kind != "date" and any(ch.isdigit() for ch in q.text)
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.data())
def test_equivalent_forms_verify(case: tuple[str, Quantity], data: st.DataObject) -> None:
    name, q = case
    forms = equivalents(q)
    assume(forms)
    form = data.draw(st.sampled_from(forms))
    text = REPORTS[name]
    lo, hi = _clause(text, q)
    summary = text[lo : q.start] + form + text[q.end : hi]
    checks = [c for c in index(name).check(summary) if c.quantity.start == q.start - lo]
    assert checks, (summary, form)
    assert checks[0].status == "verified", (summary, checks[0])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.integers(min_value=0, max_value=20), st.integers(1, 9))
def test_changed_digits_never_verify(case: tuple[str, Quantity], pos: int, bump: int) -> None:
    name, q = case
    digits = [i for i, ch in enumerate(q.text) if ch.isdigit()]
    i = digits[pos % len(digits)]
    new_digit = str((int(q.text[i]) + bump) % 10)
    changed = q.text[:i] + new_digit + q.text[i + 1 :]
    text = REPORTS[name]
    lo, hi = _clause(text, q)
    summary = text[lo : q.start] + changed + text[q.end : hi]
    found = [c for c in index(name).check(summary) if c.quantity.start == q.start - lo]
    assume(len(found) == 1)
    new = found[0].quantity
    # the new value must really be new: nowhere in the source in a compatible unit
    assume(
        not any(
            round(s.value, 6) == round(new.value, 6) and units_compatible(s.unit, new.unit)
            for s in index(name).quantities
        )
    )
    assert found[0].status not in OK_STATUSES, (summary, found[0])


@pytest.mark.parametrize(
    ("summary", "source", "expected"),
    [
        ("2024年9月组织大讲堂", "zhengxiang-2024", "verified"),  # 9月 in a report on 2024
        ("2024年11月组织大讲堂", "zhengxiang-2024", "not_found"),
        ("2021年9月组织大讲堂", "zhengxiang-2024", "not_found"),
        ("审查合同25份", "zhengxiang-2024", "verified"),  # 件 and 份 both count documents
        ("开展普法讲座360余次", "huangzhong-2024", "verified"),
        ("在100家企业建立联系点", "baicheng-2023", "verified"),
        ("接待来访咨询482次", "zhengxiang-2024", "unit_mismatch"),  # 人次 is not 次
    ],
)
def test_paraphrased_units_and_dates(summary: str, source: str, expected: str) -> None:
    assert [s for _, s in statuses(summary, index(source))] == [expected]


# --- derived only with a stated arithmetic; the wrong figure of the report's own -------------

# Not a sample report: a small county bureau's paragraph with four counts of one unit.
ARITH = (
    "一、主要举措\n"
    "（一）行政复议。全年受理行政复议案件5件，办结8件。\n"
    "（二）矛盾调解。开展矛盾纠纷排查20件，化解重大纠纷7件。\n"
)


@pytest.mark.parametrize(
    "summary",
    [
        "多方协调办理复议案件3件",  # 8-5 behind 多
        "和企业共同化解纠纷13件",  # 5+8 behind 和 and 共同
        "新增调解纠纷2件",  # 7-5 behind 增
        "两级联动办结12件",  # 5+7 behind 两
        "及时化解纠纷27件",  # 20+7 behind 及
        "比较排查案件13件",  # 20-7 behind 比, no direction
        "较少复议案件3件",  # 8-5: 较少 is no comparison of two figures
        "累计排查28件",  # 20+8 across two segments' figures, no total named
    ],
)
def test_invented_arithmetic_is_not_found(summary: str) -> None:
    idx = SourceIndex(ARITH)
    one, two = ARITH.index("（一）"), ARITH.index("（二）")
    for scope in (None, (one, len(ARITH)), (one, two), (two, len(ARITH))):
        (c,) = idx.check(summary, scope=scope)
        assert c.status == "not_found", (scope, c.status, c.formula)


def test_stated_arithmetic_is_derived_with_its_formula() -> None:
    idx = SourceIndex(ARITH)
    seg = (ARITH.index("（一）"), ARITH.index("（二）"))
    (c,) = idx.check("受理和办结复议案件合计13件", scope=seg)
    assert (c.status, c.formula) == ("derived", "5+8=13")
    (c,) = idx.check("办结数比受理数增加3件", scope=seg)
    assert (c.status, c.formula) == ("derived", "8-5=3")
    # operands in another item's segment: the same arithmetic is not this item's
    other = (ARITH.index("（二）"), len(ARITH))
    (c,) = idx.check("受理和办结复议案件合计13件", scope=other)
    assert c.status == "not_found"
    # a rate with its counts
    (c,) = SourceIndex("调解矛盾纠纷20件，调解成功7件。").check("调解成功率35%")
    assert (c.status, c.formula) == ("derived", "7/20=35%")


# --- the figure of another item, segment first -------------------------------------------------

STARS = (
    "一、基层建设\n"
    "（一）司法所建设。全区共有司法所20个，四星级以上司法所占比60%。\n"
    "（二）公共法律服务。群众满意度达95%，法律援助覆盖率100%。\n"
)


def test_the_report_s_own_figure_in_the_wrong_item_is_a_context_mismatch() -> None:
    idx = SourceIndex(STARS)
    seg = (STARS.index("（一）"), STARS.index("（二）"))
    (c,) = idx.check("四星级以上司法所占比95%", scope=seg)
    assert c.status == "context_mismatch"
    assert c.note is not None and "60%" in c.note and "95%" in c.note
    (c,) = idx.check("四星级以上司法所占比60%", scope=seg)
    assert c.status == "verified"
    # the summary's words belong to nothing in its segment: the report's figure stands
    (c,) = idx.check("群众满意度95%", scope=seg)
    assert c.status == "verified"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["四星级以上", "三星级", "示范", "规范化", "新建"]),
        min_size=2,
        max_size=2,
        unique=True,
    ),
    st.sampled_from(["司法所", "调解组织", "法律顾问", "普法阵地"]),
    st.sampled_from(["达到", "占比", "共", "为"]),
    st.integers(1, 99),
    st.integers(1, 99),
    st.sampled_from(["%", "个", "件"]),
)
def test_a_figure_moved_from_another_item_never_verifies(
    kinds: list[str], thing: str, verb: str, own: int, moved: int, unit: str
) -> None:
    # The other item says almost the same words about its own figure: only the segment can
    # tell which figure this item's words belong to.
    assume(own != moved)
    source = (
        f"一、工作情况\n（一）基层建设。全区{kinds[0]}{thing}{verb}{own}{unit}，运行良好。\n"
        f"（二）服务成效。全市{kinds[1]}{thing}{verb}{moved}{unit}，较好完成任务。\n"
    )
    seg = (source.index("（一）"), source.index("（二）"))
    idx = SourceIndex(source)
    for summary in (
        f"全区{kinds[0]}{thing}{verb}{moved}{unit}",
        f"{kinds[0]}{thing}{moved}{unit}",
        f"{thing}{verb}{moved}{unit}",  # the other item's very words, copied
    ):
        (c,) = idx.check(summary, scope=seg)
        assert c.status not in OK_STATUSES, (summary, c.status)


def test_free_text_is_aligned_sentence_by_sentence() -> None:
    source = (
        "全区四星级以上司法所占比60%，规范化建设全面完成。\n"
        "全市三星级司法所占比95%，群众满意度稳步提升。\n"
    )
    text = "司法所占比95%，规范化建设全面完成。群众满意度稳步提升，三星级司法所占比95%。"
    checks = SourceIndex(source).check_aligned(text)
    assert [(c.quantity.text, c.status) for c in checks] == [
        ("95%", "context_mismatch"),
        ("95%", "verified"),
    ]
    # offsets are the text's own, not the sentence's
    assert [text[c.quantity.start : c.quantity.end] for c in checks] == ["95%", "95%"]
    assert checks[1].quantity.start == text.rindex("95%")
    # unaligned, the copied words pass: the reason free text is aligned
    assert SourceIndex(source).check(text)[0].status == "verified"


def test_written_and_copied_figures_are_counted_apart() -> None:
    src = REPORTS["hubin-2023"]
    quote = "调解矛盾纠纷2075起，调解成功1996起"
    v = verify_strings(
        [
            ("/parts/achievements/0/summary", "调解成功2075起，未成功79起"),
            ("/parts/achievements/0/quote", quote),
        ],
        src,
        written={"/parts/achievements/0/summary"},
    )
    assert v.by_origin == {
        "written": {"checked": 2, "verified": 0, "derived": 1, "flagged": 1},
        "copied": {"checked": 2, "verified": 2, "derived": 0, "flagged": 0},
    }
    assert [n["origin"] for n in v.to_json()["numbers"]] == [  # type: ignore[union-attr]
        "written",
        "written",
        "copied",
        "copied",
    ]
    # without a list of written paths, every text is written (free text)
    assert verify_strings([(None, quote)], src).by_origin["written"]["checked"] == 2


def test_a_short_sentence_aligns_by_its_words_not_its_digits() -> None:
    source = (
        "（一）规范性文件备案审查，报备率、规范率、及时率达100%。\n"
        "（二）调解矛盾纠纷2075起，调解成功1996起，成功率达96%。\n"
    )
    (c,) = SourceIndex(source).check_aligned("全区成功率达100%。")
    assert c.status == "context_mismatch"
    assert c.note is not None and "96%" in c.note
    (c,) = SourceIndex(source).check_aligned("全区成功率达96%。")
    assert c.status == "verified"


# --- derived only when the summary says how: its operands named, a change dated -------------

# Not a sample: a district justice bureau's one-sentence tally of four kinds of work.
TALLY = "2024年，本局办理行政复议案件20件，调解纠纷8件，审查规范性文件7件，办理信访事项5件。"


@pytest.mark.parametrize(
    "summary",
    [
        "复议案件较上年减少12件",  # 20-8, but no earlier year anywhere in the source
        "复议和审查文件共计13件",  # 8+5: the operands named are 20 and 7
        "复议案件办结率25%",  # 5/20: 5 is 信访事项, nothing 办结
        "信访事项比上年增长3件",  # 8-5: no figure of 上年
        "信访事项同比减少2件",  # 7-5: 同比 without an earlier figure
        "调解纠纷较2023年增加3件",  # 8-5, a year named but not in the source
        "规范性文件审查率35%",  # 7/20: the part named, the whole not
    ],
)
def test_arithmetic_the_summary_does_not_name_is_not_found(summary: str) -> None:
    idx = SourceIndex(TALLY)
    for scope in (None, (0, len(TALLY))):
        checks = [c for c in idx.check(summary, scope=scope) if c.quantity.kind != "date"]
        assert [(c.status, c.formula) for c in checks] == [("not_found", None)], (summary, scope)


@pytest.mark.parametrize(
    ("summary", "formula"),
    [
        ("复议和审查文件共计27件", "20+7=27"),
        ("调解纠纷和信访事项合计13件", "8+5=13"),
        ("行政复议案件比调解纠纷多12件", "20-8=12"),
        ("信访事项占复议案件的25%", "5/20=25%"),
        ("复议、调解、审查文件和信访事项共40件", "20+8+7+5=40"),
        ("办理行政复议案件20件、审查规范性文件7件，合计27件", "20+7=27"),
    ],
)
def test_arithmetic_over_named_operands_is_derived(summary: str, formula: str) -> None:
    idx = SourceIndex(TALLY)
    derived = [c for c in idx.check(summary, scope=(0, len(TALLY))) if c.status == "derived"]
    assert [c.formula for c in derived] == [formula]


@pytest.mark.parametrize(
    ("source", "summary", "formula"),
    [
        ("全年受理行政复议案件156件，上年为132件；办结148件。", "受理复议案件较上年增加24件",
         "156-132=24"),
        ("全年受理行政复议案件156件，上年为132件；办结148件。", "复议案件同比增加24件",
         "156-132=24"),
        ("2024年办理法律援助案件420件，2023年办理365件。", "法律援助案件比2023年增加55件",
         "420-365=55"),
        ("（二）应诉。行政诉讼败诉率为8.5%，上年为10.2%。", "败诉率同比下降1.7个百分点",
         "10.2%-8.5%=1.7个百分点"),
    ],
)  # fmt: skip
def test_a_change_over_time_is_derived_from_the_earlier_figure_the_source_states(
    source: str, summary: str, formula: str
) -> None:
    derived = [
        c for c in SourceIndex(source).check(summary, scope=(0, len(source)))
        if c.status == "derived"
    ]  # fmt: skip
    assert [c.formula for c in derived] == [formula]
    # the same change of a thing the earlier figure is not about: nothing to subtract
    other = source.replace("上年为", "接待来访").replace("2023年办理", "2023年办理公证")
    assert not [
        c for c in SourceIndex(other).check(summary, scope=(0, len(other)))
        if c.status == "derived"
    ]  # fmt: skip


# --- a figure belongs to its words ---------------------------------------------------------

# Not a sample: a county government office's paragraph, two counts in a loose unit pair.
CONTRACTS = (
    "（三）合法性审查。全年审查政府合同10件，出具法律意见书5本，"
    "办理行政复议案件5件，建成五个片区调解室5个。"
)


def test_a_figure_whose_words_name_nothing_of_its_source_clause_is_a_context_mismatch() -> None:
    idx = SourceIndex(CONTRACTS)
    for scope in (None, (0, len(CONTRACTS))):
        (c,) = idx.check("主要领导带头推动，完成10个", scope=scope)
        assert c.status == "context_mismatch", scope
        assert c.note is not None and "审查政府合同10件" in c.note
        # the same figure with a word of its clause is the report's
        (c,) = idx.check("审查合同10个", scope=scope)
        assert c.status == "verified", scope


def test_a_loose_unit_needs_its_own_clause_to_match() -> None:
    idx = SourceIndex(CONTRACTS)
    # 个 for 件: the sentence names 合同, but not the clause that carries 10个
    (c,) = idx.check("审查合同工作扎实推进，完成10个", scope=(0, len(CONTRACTS)))
    assert c.status == "context_mismatch"
    (c,) = idx.check("审查合同工作扎实推进，完成10件", scope=(0, len(CONTRACTS)))
    assert c.status == "verified"  # the unit as written: the sentence's words suffice


def test_extra_source_spans_are_of_the_same_unit_and_subject() -> None:
    idx = SourceIndex(CONTRACTS)
    (c,) = idx.check("出具法律意见书5本", scope=(0, len(CONTRACTS)))
    assert c.status == "verified"
    assert [CONTRACTS[a:b] for a, b in c.source_spans] == ["5本"]
    (c,) = idx.check("办理复议案件5件")
    assert [CONTRACTS[a:b] for a, b in c.source_spans] == ["5件"]


# --- words that lie without figures --------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "passage", "dropped"),
    [
        ("局党组定期听取法治工作汇报", "局党组不定期听取法治工作汇报。", ["不定期听"]),
        ("全部案件按期办结", "仍有3件案件未按期办结。", ["未按期办"]),
        ("公开执法全过程记录", "部分单位未公开执法全过程记录。", ["未公开执"]),
        ("局党组不定期听取汇报", "局党组不定期听取法治工作汇报。", []),  # kept
        ("全局未能按期办结的案件3件", "仍有3件案件未按期办结。", []),  # a negation of its own
        ("不断完善执法制度", "不断完善执法制度。", []),  # 不断 negates nothing
        ("定期听取汇报", "不定期听取汇报，每季度定期听取法治工作情况", []),  # said plainly too
    ],
)
def test_a_dropped_negation_is_found(summary: str, passage: str, dropped: list[str]) -> None:
    assert dropped_negations(summary, passage) == dropped


def test_a_problem_told_as_a_success_is_found() -> None:
    passage = (
        "（二）基层法治力量较为薄弱。乡镇司法所平均仅有工作人员2名，难以适应基层法治建设需要。"
    )
    assert problem_dropped("乡镇司法所配备工作人员2名，有力保障基层法治建设。", passage)
    assert not problem_dropped("基层法治力量薄弱，司法所平均仅2名工作人员。", passage)
    assert not problem_dropped("司法所人员难以适应需要。", passage)
    assert not problem_dropped("开展普法活动。", "全年开展普法活动12场。")  # no problem to drop
