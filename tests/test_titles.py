"""Item titles and clipped texts are whole words: short topic titles from the report's heading,
else the model's checked title, else the rules' leading phrase; clause clipping never cuts a
word. Sentences are invented in the manner of real reports, not taken from the samples."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from summariser.grounding.checker import SourceIndex
from summariser.lexicon.sentences import clip_at_clause, clip_at_word, word_ends
from summariser.model.door import Extraction, Usage
from summariser.model.prompts import PromptTemplate, load
from summariser.pipeline.drafting import (
    TITLE_CHARS,
    ModelDrafter,
    RulesDrafter,
    fallback_title,
    model_title_problem,
    response_model,
    short_title,
)
from summariser.schema import SummaryDraft, TitledDraft
from summariser.structure.sections import Segment
from tests.wholewords import is_cut

# --- clipping at a clause -----------------------------------------------------------------------


def test_a_clip_ends_on_a_clause_mark_never_inside_a_word_or_a_quotation() -> None:
    text = "组织开展“法治进社区，服务到万家”主题活动，覆盖全镇18个行政村，发放资料3000余份，接受咨询600人次。"
    clipped = clip_at_clause(text, 40)
    assert clipped.endswith("，") and len(clipped) <= 40
    assert clipped.count("“") == clipped.count("”")  # the comma inside the slogan is no end
    assert not is_cut(clipped.rstrip("，") + "。", text)


def test_a_first_clause_longer_than_the_limit_is_kept_whole() -> None:
    text = "深入推进乡镇街道综合行政执法改革事项清单动态调整机制建设工作，成效明显。"
    assert (
        clip_at_clause(text, 20) == "深入推进乡镇街道综合行政执法改革事项清单动态调整机制建设工作，"
    )


def test_a_long_list_is_cut_after_a_whole_item_when_nothing_else_fits() -> None:
    text = "、".join(["开展执法检查", "案卷评查", "执法人员轮训", "证件年审"] * 4) + "。"
    clipped = clip_at_clause(text, 30)
    assert clipped.endswith("、") and len(clipped) <= 30
    assert not is_cut(clipped.rstrip("、"), text)


# --- word ends without a segmenter ----------------------------------------------------------


def test_the_source_shows_where_a_phrase_ends() -> None:
    heading = "乡镇综合执法队伍专业能力与执法任务需要不相适应"
    source = f"三是{heading}。部分乡镇综合执法队伍专业能力，仍有短板。"
    assert 12 in word_ends(heading, source)  # 乡镇综合执法队伍专业能力|与…
    assert 12 not in word_ends(heading)  # no source: only marks show ends
    assert clip_at_word(heading, 16, source) == "乡镇综合执法队伍专业能力"


def test_digits_are_no_evidence_of_a_word_end() -> None:
    heading = "组织开展2025年度全县领导干部述法评议工作"
    source = f"{heading}。2025年，全县推进述法全覆盖。"
    title = clip_at_word(heading, 12, source)
    assert title != "组织开展2025年"


def test_nothing_shown_gives_none_so_the_caller_says_it_otherwise() -> None:
    assert clip_at_word("完善重大行政决策合法性审查机制建设工作体系", 16, "") is None


# --- titles -------------------------------------------------------------------------------


HEADINGS = [
    # (heading, source, title)
    (
        "（二）持续深化行政复议体制改革，充分发挥行政复议化解行政争议主渠道作用",
        "持续深化行政复议体制改革。",
        "持续深化行政复议体制改革",
    ),
    ("3.强化府院联动", "", "强化府院联动"),
    (
        "二是基层司法所人员配备与承担职能不相匹配",
        "二是基层司法所人员配备与承担职能不相匹配。基层司法所人员配备，普遍偏少。",
        "基层司法所人员配备",
    ),
    (
        "一是开展“送法进企业、护航促发展”专项行动",
        "一是开展“送法进企业、护航促发展”专项行动。",
        "开展“送法进企业、护航促发展”",
    ),
]


@pytest.mark.parametrize(("heading", "source", "expected"), HEADINGS)
def test_a_heading_gives_a_short_topic_title_cut_where_a_word_ends(
    heading: str, source: str, expected: str
) -> None:
    title = short_title(heading, source)
    assert title == expected
    assert 4 <= len(title) <= TITLE_CHARS
    assert not is_cut(title, source or heading)


def test_the_rules_title_falls_back_to_the_leading_phrase_then_the_work_area() -> None:
    source = "一是邀请执业律师对全县规范性文件开展合法性审查和备案清理工作。全年审查文件42件。"
    seg = Segment("achievements", 0, len(source), "一是", None, None)
    title = fallback_title("achievements", seg, source)
    assert 4 <= len(title) <= TITLE_CHARS and not is_cut(title, source)
    # no word end shown within the limit: the work area the item belongs to
    bare = "完善重大行政决策合法性审查机制建设工作体系与制度规范。"
    seg = Segment("achievements", 0, len(bare), None, None, None)
    assert fallback_title("achievements", seg, bare) == "依法决策与法律顾问"


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("执法案卷评查", None),
        ("行政执法案卷评查", None),  # pieces of the segment, in another order
        ("案卷评查2024", "含有数字"),
        ("Case review", "不是中文"),
        ("评查", "长度2字，应为4到16字"),
        ("智慧司法新篇章", "用词不见于原文"),
    ],
)
def test_the_models_title_is_checked_like_any_model_act(title: str, problem: str | None) -> None:
    segment = "组织开展行政执法案卷评查，抽查执法案卷260卷，评查合格率达96%。"
    assert model_title_problem(title, segment) == problem


# --- the model's title in the pipeline ------------------------------------------------------


class TitleDoor:
    """Answers every request with ``title`` and a figure-free summary, as instructor would."""

    model = "fake"

    def __init__(self, title: str) -> None:
        self.title = title

    def extract(self, response_model: Any, messages: list[dict[str, str]], *, context: Any = None,
                reasks: int = 2, max_tokens: int = 800) -> Extraction[Any]:  # fmt: skip
        raw = {"summary": "组织开展行政执法案卷评查，规范执法行为。"}
        if "title" in response_model.model_fields:
            raw["title"] = self.title
        try:
            value = response_model.model_validate(raw, context=context)
        except ValidationError as err:  # pragma: no cover - the summary carries no figure
            raise AssertionError(err) from err
        return Extraction(value=value, usage=Usage(attempts=1))


BODY = (
    "一是组织开展行政执法案卷评查，从全县二十三个执法部门随机抽取行政处罚和行政许可案卷，"
    "邀请执业律师和法学专家集中评查，逐卷反馈问题并督促整改，执法规范化水平持续提升。"
)


def titled(template: PromptTemplate) -> PromptTemplate:
    """The items prompt with a title in every worked example (as it asks for one)."""
    shots = [
        shot.model_copy(update={"assistant": json.dumps({"title": "某项工作", **json.loads(shot.assistant)}, ensure_ascii=False)})
        if '"title"' not in shot.assistant else shot
        for shot in template.shots
    ]  # fmt: skip
    return template.model_copy(update={"shots": shots})


def untitled(template: PromptTemplate) -> PromptTemplate:
    """The items prompt with no title in its worked examples."""
    shots = []
    for shot in template.shots:
        shown = json.loads(shot.assistant)
        shown.pop("title", None)
        shots.append(shot.model_copy(update={"assistant": json.dumps(shown, ensure_ascii=False)}))
    return template.model_copy(update={"shots": shots})


def test_a_prompt_asks_for_a_title_when_its_examples_show_one() -> None:
    assert response_model(titled(load("items"))) is TitledDraft
    assert response_model(untitled(load("items"))) is SummaryDraft
    # the model is shown one schema name either way
    assert TitledDraft.model_json_schema()["title"] == SummaryDraft.model_json_schema()["title"]


def _draft(title: str, heading: str | None) -> tuple[str, list[str]]:
    source = BODY
    seg = Segment("achievements", 0, len(source), "一是", heading, None)
    drafter = ModelDrafter(TitleDoor(title), titled(load("items")))  # type: ignore[arg-type]
    drafted = drafter.draft("achievements", [seg], source, SourceIndex(source))
    return drafted.items[1].title, list(drafted.notes.values())


def test_without_a_heading_the_models_checked_title_is_used() -> None:
    assert _draft("执法案卷评查", None) == ("执法案卷评查", [])


def test_the_reports_own_heading_comes_before_the_models_title() -> None:
    title, _ = _draft("执法案卷评查", "规范执法行为")
    assert title == "规范执法行为"


def test_a_refused_title_gives_way_to_the_rules_title_and_says_so() -> None:
    title, notes = _draft("执法质量提升100%", None)
    rules = RulesDrafter().draft_one(
        "achievements", Segment("achievements", 0, len(BODY), "一是", None, None), BODY
    )
    assert title == rules.title and not is_cut(title, BODY)
    assert notes and "含有数字" in notes[0] and "标题取自原文" in notes[0]


def test_through_the_door_the_title_is_asked_for_and_read_from_the_answer() -> None:
    from summariser.model.door import ModelDoor
    from tests.fakeserver import FakeServer, Reply, completion

    def reply(request: dict[str, Any]) -> Reply:
        system = request["messages"][0]["content"]
        shown = {"summary": "组织开展行政执法案卷评查，规范执法行为。"}
        if '"title"' in system:  # the schema shown asks for a title
            shown["title"] = "执法案卷评查"
        return Reply(body=completion(json.dumps(shown, ensure_ascii=False)))

    seg = Segment("achievements", 0, len(BODY), "一是", None, None)
    with FakeServer(default=reply) as server:
        door = ModelDoor(server.base_url, "fake", "k", max_wait=2.0)
        drafted = ModelDrafter(door, titled(load("items"))).draft(
            "achievements", [seg], BODY, SourceIndex(BODY)
        )
        system = server.requests[0]["messages"][0]["content"]
    assert '"title"' in system and "小标题" in system
    assert drafted.items[1].title == "执法案卷评查"


def test_without_a_title_asked_the_rules_title_stands() -> None:
    source = BODY
    seg = Segment("achievements", 0, len(source), "一是", None, None)
    door = TitleDoor("执法案卷评查")
    drafter = ModelDrafter(door, untitled(load("items")))  # type: ignore[arg-type]
    drafted = drafter.draft("achievements", [seg], source, SourceIndex(source))
    rules = RulesDrafter().draft_one("achievements", seg, source)
    assert drafted.items[1].title == rules.title and not drafted.notes


def test_the_response_schema_asks_for_the_title_in_chinese() -> None:
    field = TitledDraft.model_json_schema()["properties"]["title"]
    assert "小标题" in field["description"] and "不含数字" in field["description"]
