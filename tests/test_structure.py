"""Structure found without a model: parts, segments, headings and truncation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summariser.schema import PART_KEYS
from summariser.structure.sections import Structure, analyse

REPORTS = Path(__file__).resolve().parents[1] / "examples" / "reports"


def _read(name: str) -> str:
    return (REPORTS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def samples() -> dict[str, tuple[str, Structure]]:
    out = {}
    for name in (
        "baicheng-2023",
        "heshan-2024",
        "huangzhong-2024",
        "hubin-2023",
        "zhengxiang-2024",
    ):
        text = _read(name)
        out[name] = (text, analyse(text))
    return out


# Counted by hand: the smallest enumerated units of each part.
SEGMENT_COUNTS = {
    # 一、…五、 thematic sections of three 一是…三是 each; 六是 problems; plans (一)…(四), cut off.
    "baicheng-2023": {"achievements": 15, "problems": 6, "plans": 4},
    # (一)…(四) of three 一是 each; leadership (一)…(三); 一是…三是 problems and plans.
    "heshan-2024": {"achievements": 12, "leadership": 3, "problems": 3, "plans": 3},
    # (一) 八项, (二) 三项, (三) 五项, (四) 三项; plans: an unnumbered first item and (二)…(六).
    "huangzhong-2024": {"achievements": 19, "problems": 3, "plans": 6},
    # 一、 is the leadership part; the unnumbered achievements heading has (一)(二)(三)(五).
    "hubin-2023": {"leadership": 3, "achievements": 4, "problems": 3, "plans": 3},
    # (一) one, (二) 一是…四是, (三) 一是…五是; plans (一), (二) 一是…三是, (三)…(五); no problems.
    "zhengxiang-2024": {"achievements": 10, "plans": 7},
}
# baicheng-2023 stops after a complete last sentence with no signature: nothing in its words shows
# a cut (the missing final line break was the only sign, and no .docx or .html has one), so it
# is read as complete; see eval/README.md.
TRUNCATED = {
    "baicheng-2023": False,
    "heshan-2024": False,
    "huangzhong-2024": False,
    "hubin-2023": False,
    "zhengxiang-2024": False,
}


@pytest.mark.parametrize("name", sorted(SEGMENT_COUNTS))
def test_samples_parts_and_segments(samples, name: str) -> None:
    text, found = samples[name]
    counts = {key: len(part.segments) for key, part in found.parts.items()}
    assert counts == SEGMENT_COUNTS[name]
    assert found.completeness.parts == {k: k in SEGMENT_COUNTS[name] for k in PART_KEYS}
    assert found.completeness.missing == [k for k in PART_KEYS if k not in SEGMENT_COUNTS[name]]
    assert found.completeness.truncated is TRUNCATED[name]


@pytest.mark.parametrize("name", sorted(SEGMENT_COUNTS))
def test_samples_spans_are_consistent(samples, name: str) -> None:
    text, found = samples[name]
    for h in found.headings:
        assert text[h.start : h.end].startswith(h.marker or h.text)
        assert h.text in text[h.start : h.end]
    previous_end = 0
    for part in sorted(found.parts.values(), key=lambda p: p.start):
        assert part.start >= previous_end
        assert text[part.start : part.end] == text[part.start : part.end].strip()
        previous_end = part.end
        last = part.start
        for seg in part.segments:
            assert part.start <= seg.start < seg.end <= part.end
            assert seg.start >= last
            last = seg.end
            body = text[seg.start : seg.end]
            assert body == body.strip()
            assert body.startswith(seg.marker or seg.heading or body[:1])
            if seg.heading:
                assert seg.heading in body


def test_heshan(samples) -> None:
    text, found = samples["heshan-2024"]
    first = found.parts["achievements"].segments[0]
    assert (first.marker, first.heading, first.group) == (
        "一是",
        "严格把关重大行政决策",
        "紧抓制度建设,全方位夯实法治根基",
    )
    leadership = found.parts["leadership"].heading
    assert leadership.startswith("党政主要负责人履行推进法治建设第一责任人职责")
    plans = found.parts["plans"]
    assert text[: plans.end].endswith("信息平台的应用。")  # the signature stays out
    assert "人民政府" not in text[plans.segments[-1].start : plans.segments[-1].end]


def test_hubin_unnumbered_heading_and_lead_in(samples) -> None:
    text, found = samples["hubin-2023"]
    unnumbered = [h for h in found.headings if h.marker is None]
    assert [(h.level, h.text) for h in unnumbered] == [(1, "推进法治政府建设的主要举措和成效")]
    achievements = found.parts["achievements"]
    assert achievements.heading == "推进法治政府建设的主要举措和成效"
    assert [s.marker for s in achievements.segments] == ["（一）", "（二）", "（三）", "（五）"]
    problems = found.parts["problems"]
    assert [s.marker for s in problems.segments] == ["一是", "二是", "三是"]
    (lead_in,) = problems.lead_ins
    assert text[slice(*lead_in)].endswith("但也存在一些短板不足和困难：")


def test_huangzhong_missing_first_marker(samples) -> None:
    text, found = samples["huangzhong-2024"]
    plans = found.parts["plans"]
    first = plans.segments[0]
    assert (first.marker, first.heading) == (None, "坚持党建引领，推动责任落实")
    assert text[first.start : first.end].endswith("应对风险的能力。")
    assert [s.marker for s in plans.segments[1:]] == [
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
    ]
    fifth = plans.segments[4]
    assert text[fifth.start : fifth.end].endswith("预防和减少重新违法犯罪。")
    inferred = [h for h in found.headings if h.marker is None]
    assert [(h.level, h.text) for h in inferred] == [(2, "坚持党建引领，推动责任落实")]


def test_zhengxiang_nested_enumeration_and_leadership_mention(samples) -> None:
    text, found = samples["zhengxiang-2024"]
    segs = found.parts["achievements"].segments
    assert [s.marker for s in segs] == [
        "(一)",
        "一是",
        "二是",
        "三是",
        "四是",
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
    ]
    third = segs[7]
    assert third.heading == "做优做好矛盾纠纷化解"
    assert "一是坚持做好矛盾纠纷排查化解工作" in text[third.start : third.end]
    assert third.group == "多措升级公共法律服务,用心用情为群众办实事"
    # 第一责任人 is mentioned in (一) of the achievements: no leadership part for that.
    assert "第一责任人" in text[segs[0].start : segs[0].end]
    assert "leadership" not in found.parts
    assert "蒸湘区司法局\n" not in text[found.parts["plans"].start : found.parts["plans"].end]


def test_baicheng_thematic_sections_are_achievements(samples) -> None:
    text, found = samples["baicheng-2023"]
    achievements = found.parts["achievements"]
    assert achievements.heading is None
    assert text[achievements.start :].startswith("一、实施“法治护航”行动")
    groups = sorted({s.group for s in achievements.segments})
    assert len(groups) == 5 and all(g.startswith("实施“法治") for g in groups)
    assert len(achievements.lead_ins) == 5  # 对标对表,主动作为,… before each 一是
    assert found.parts["problems"].heading == "在法治政府建设工作中存在的问题"


def test_to_json_round_trips(samples) -> None:
    _, found = samples["heshan-2024"]
    data = json.loads(json.dumps(found.to_json(), ensure_ascii=False))
    assert set(data) == {"metadata", "completeness", "headings", "parts"}
    assert data["metadata"]["issuer"] == "益阳市赫山区人民政府"
    assert list(data["parts"]) == ["achievements", "problems", "leadership", "plans"]
    seg = data["parts"]["problems"]["segments"][0]
    assert set(seg) == {"span", "marker", "heading", "group"} and seg["marker"] == "一是"
    assert {"level", "marker", "text", "span"} == set(data["headings"][0])


# --- synthetic reports ------------------------------------------------------------------------

OPENING = "2024年，某某县司法局坚持以习近平法治思想为指导，扎实推进法治政府建设。现报告如下：\n"
SIGNED = "\n某某县司法局\n2025年1月6日"
ACHIEVE = "一、主要举措和成效\n（一）加强制度建设。审查文件12件。\n（二）规范执法。培训300人次。\n"
PROBLEMS = "二、存在的不足\n一是学法不够深入。二是执法不够规范。\n"
PLANS = "三、下一步工作打算\n一是加强学习。二是规范执法。"


def test_inline_headings_and_levels() -> None:
    text = (
        OPENING
        + "一、主要举措和成效\n"
        + "（一）紧抓制度建设，夯实法治根基。"
        + "一是严格把关决策。审查10件。二是强化文件监督。备案5件。\n"
        + "（二）加强执法监督\n1.开展案卷评查。评查64本。\n"
        + "2.开展专项整治：首先，清理证件。其次，培训人员。\n"
        + PROBLEMS
        + PLANS
        + "。"
        + SIGNED
    )
    found = analyse(text)
    levels = [(h.level, h.marker, h.text) for h in found.headings][:6]
    assert levels == [
        (1, "一、", "主要举措和成效"),
        (2, "（一）", "紧抓制度建设，夯实法治根基"),
        (4, "一是", "严格把关决策"),
        (4, "二是", "强化文件监督"),
        (2, "（二）", "加强执法监督"),
        (3, "1.", "开展案卷评查"),
    ]
    segs = found.parts["achievements"].segments
    assert [(s.marker, s.group) for s in segs] == [
        ("一是", "紧抓制度建设，夯实法治根基"),
        ("二是", "紧抓制度建设，夯实法治根基"),
        ("1.", "加强执法监督"),
        ("首先", "开展专项整治"),
        ("其次", "开展专项整治"),
    ]
    assert text[segs[0].start : segs[0].end] == "一是严格把关决策。审查10件。"


def test_problems_paragraph_with_enumeration_gives_one_segment_each() -> None:
    problems = "二、存在的问题和不足\n主要是：一是甲不足。二是乙不足。三是丙不足。\n"
    text = OPENING + ACHIEVE + problems + PLANS + SIGNED
    problems = analyse(text).parts["problems"]
    assert [text[s.start : s.end] for s in problems.segments] == [
        "一是甲不足。",
        "二是乙不足。",
        "三是丙不足。",
    ]
    assert [text[slice(*span)] for span in problems.lead_ins] == ["主要是："]


def test_part_without_markers_gives_a_segment_per_paragraph() -> None:
    text = OPENING + ACHIEVE + "二、存在的问题\n学习不够深入。\n\n执法不够规范。\n" + PLANS + SIGNED
    problems = analyse(text).parts["problems"]
    texts = [text[s.start : s.end] for s in problems.segments]
    assert texts == ["学习不够深入。", "执法不够规范。"]
    assert all(s.marker is None for s in problems.segments)


def test_all_five_parts_and_a_heading_line_without_body() -> None:
    text = (
        OPENING
        + ACHIEVE
        + PROBLEMS
        + "三、党政主要负责人履行推进法治建设第一责任人职责情况\n（一）带头学法。学法4次。\n"
        + "四、2025年工作安排\n（一）加强学习\n（二）规范执法。开展评查。\n"
        + "五、其他需要报告的情况\n无。"
        + SIGNED
    )
    found = analyse(text)
    assert list(found.parts) == list(PART_KEYS)
    assert found.completeness.missing == []
    # （一）加强学习 has no body before （二）: it is no segment
    assert [s.marker for s in found.parts["plans"].segments] == ["（二）"]
    assert found.metadata.year == 2024


def test_leadership_sub_section_inside_achievements_becomes_the_part() -> None:
    text = (
        OPENING
        + "一、主要举措和成效\n（一）落实第一责任人职责。主要负责人述法1次。\n"
        + "（二）规范执法。培训人员。\n"
        + PROBLEMS
        + PLANS
        + SIGNED
    )
    found = analyse(text)
    assert [text[s.start : s.end] for s in found.parts["leadership"].segments] == [
        "（一）落实第一责任人职责。主要负责人述法1次。"
    ]
    assert [s.marker for s in found.parts["achievements"].segments] == ["（二）"]


def test_leadership_mentioned_in_a_sub_heading_opens_no_part() -> None:
    text = (
        OPENING
        + "一、主要举措和成效\n（一）加强组织领导，压实第一责任人责任。主要负责人述法1次。\n"
        + "（二）规范执法。培训人员。\n"
        + PROBLEMS
        + PLANS
        + SIGNED
    )
    found = analyse(text)
    assert "leadership" not in found.parts
    assert len(found.parts["achievements"].segments) == 2


def test_parts_under_second_level_headings() -> None:
    text = (
        OPENING
        + "（一）主要举措和成效\n1.审查文件12件。\n2.培训执法人员。\n（二）存在的问题\n"
        + "队伍不强。\n（三）下一步打算\n1.加强学习。\n2.规范执法。"
        + SIGNED
    )
    found = analyse(text)
    assert {k: len(p.segments) for k, p in found.parts.items()} == {
        "achievements": 2,
        "problems": 1,
        "plans": 2,
    }


def test_items_before_a_lost_first_heading_are_achievements() -> None:
    text = OPENING + ACHIEVE.removeprefix("一、主要举措和成效\n") + PROBLEMS + PLANS + SIGNED
    found = analyse(text)
    achievements = found.parts["achievements"]
    assert achievements.heading is None
    assert [s.marker for s in achievements.segments] == ["（一）", "（二）"]


def test_a_later_year_in_a_thematic_heading_means_plans() -> None:
    plans = "三、2025年将重点抓好四件事\n一是学习。二是执法。"
    text = OPENING + ACHIEVE + PROBLEMS + plans + SIGNED
    assert "plans" in analyse(text).parts


def test_no_headings_at_all_reads_as_achievements() -> None:
    text = OPENING + "全年审查文件12件，培训执法人员300人次。\n\n开展评查64本。\n"
    found = analyse(text)
    assert list(found.parts) == ["achievements"]
    assert len(found.parts["achievements"].segments) == 2


def test_spans_index_the_exact_input_with_crlf_and_indents() -> None:
    text = (OPENING + ACHIEVE + PROBLEMS + PLANS + SIGNED).replace("\n", "\r\n")
    text = text.replace("（二）规范", "\u3000\u3000（二）规范")
    found = analyse(text)
    segs = found.parts["achievements"].segments
    assert text[segs[1].start : segs[1].end] == "（二）规范执法。培训300人次。"
    assert [len(p.segments) for p in found.parts.values()] == [2, 2, 2]


def test_markdown_headings() -> None:
    text = (
        OPENING
        + "## 一、主要举措和成效\n\n### （一）加强制度建设\n\n审查文件12件。\n\n"
        + "## 二、存在的问题\n\n**一是**学法不深。**二是**执法不严。\n\n"
        + "## 三、下一步打算\n\n一是加强学习。二是规范执法。\n"
    )
    found = analyse(text)
    assert [(h.marker, h.text) for h in found.headings[:3]] == [
        ("一、", "主要举措和成效"),
        ("（一）", "加强制度建设"),
        ("二、", "存在的问题"),
    ]
    problems = found.parts["problems"].segments
    assert [(s.marker, s.heading) for s in problems] == [("一是", "学法不深"), ("二是", "执法不严")]
    assert found.completeness.truncated is False


def test_preamble_is_not_a_segment() -> None:
    found = analyse(OPENING + ACHIEVE + PROBLEMS + PLANS + SIGNED)
    first = found.parts["achievements"]
    assert first.start == len(OPENING)
    assert found.parts["achievements"].segments[0].start > len(OPENING)


# --- truncation -------------------------------------------------------------------------------

WHOLE = OPENING + ACHIEVE + PROBLEMS + PLANS


@pytest.mark.parametrize(
    ("text", "truncated"),
    [
        (WHOLE + SIGNED, False),  # signed and dated
        (WHOLE + "\n特此报告。", False),  # the closing formula
        (WHOLE + SIGNED + "\n【打印本页】【关闭窗口】\n", False),  # page chrome after the signature
        (WHOLE + "\n", False),  # ends with a full stop and a line break (hubin, huangzhong)
        (WHOLE + "\n\n\n", False),
        (WHOLE, False),  # no final line break says nothing: .docx and .html never have one
        (WHOLE[:-4] + "\n", True),  # stops mid-sentence
        (WHOLE + "\n四、其他需要报告的情况\n", True),  # stops on a bare heading
        (OPENING + ACHIEVE + PROBLEMS, False),  # no plans, but a whole last sentence: unsure
        (OPENING + ACHIEVE + PROBLEMS + "三、下一步工作打算", True),  # a part heading, no body
        (OPENING + ACHIEVE + "二、存在的问题\n一是学法不深；二是执法", True),  # mid-clause
        (OPENING + ACHIEVE + "二、存在的问题\n主要有以下问题：", True),  # enumeration announced
        (OPENING + ACHIEVE + PROBLEMS + "三、下一步工作打算\n一是加强学习。\n", True),  # lone 一是
        (
            OPENING
            + ACHIEVE
            + PROBLEMS
            + "三、下一步工作打算\n重点做好以下三个方面工作：\n"
            + "一是加强学习。\n二是规范执法。\n",
            True,
        ),  # promises three items, gives two
        (
            OPENING
            + ACHIEVE
            + PROBLEMS
            + "三、下一步工作打算\n重点做好以下两个方面工作：\n"
            + "一是加强学习。\n二是规范执法。\n",
            False,
        ),
        (WHOLE[:-4] + SIGNED, False),  # signed: a cut sentence inside is not truncation
    ],
)
def test_truncation(text: str, truncated: bool) -> None:
    assert analyse(text).completeness.truncated is truncated


def test_empty_and_opening_only_texts_do_not_fail() -> None:
    assert analyse("").parts == {}
    found = analyse("湖滨区司法局\n\n关于2023年法治政府建设情况的报告\n")
    assert found.parts == {} and found.metadata.issuer == "湖滨区司法局"
    assert found.completeness.missing == list(PART_KEYS)
    assert analyse(OPENING).parts == {}


def test_unnumbered_part_heading_right_after_the_title() -> None:
    text = (
        "某区应急管理局2024年法治政府建设情况报告\n主要举措和成效\n"
        "全年检查企业320家次，立案处罚21起。\n存在的不足\n执法装备不足。\n"
        "2025年工作安排\n推进执法规范化建设。\n"
    )
    found = analyse(text)
    assert list(found.parts) == ["achievements", "problems", "plans"]
    assert found.parts["achievements"].heading == "主要举措和成效"


def test_a_title_line_that_names_a_part_is_not_a_heading_when_no_title_was_found() -> None:
    text = "2023年工作总结\n今年以来，我局认真推进法治建设，全年培训执法人员300人次。\n"
    found = analyse(text)
    assert all(part.heading != "2023年工作总结" for part in found.parts.values())
