"""Part names from the vocabulary, when the rules are unsure, and the model's heading labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summariser.errors import ModelError, TransportError
from summariser.lexicon.parts import (
    classify,
    closing_plans,
    is_leadership_subsection,
    unsure,
    valid_labels,
)
from summariser.model.door import Extraction, ModelDoor, Usage
from summariser.pipeline.labelling import ModelLabeller
from summariser.schema import PartLabels
from summariser.structure.sections import analyse
from tests.fakeserver import FakeServer, Reply, completion

DATA = Path(__file__).resolve().parent / "data" / "structure"
REPORTS = Path(__file__).resolve().parents[1] / "examples" / "reports"


def _names() -> list[tuple[str, str | None]]:
    rows = []
    for line in (DATA / "heading_names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words, key = line.split("\t")
            rows.append((words, None if key == "-" else key))
    return rows


@pytest.mark.parametrize(("words", "key"), _names())
def test_vocabulary_names_each_part_in_the_ways_reports_write_it(
    words: str, key: str | None
) -> None:
    assert classify(words, 2023) == key


def test_a_heading_dated_after_the_report_year_is_plans() -> None:
    assert classify("2025年重点任务", 2024) == "plans"
    assert classify("2024年重点任务", 2024) is None


def test_leadership_sub_section_is_the_duty_not_a_mention() -> None:
    assert is_leadership_subsection("党政主要负责人履行推进法治建设第一责任人职责情况")
    assert is_leadership_subsection("落实法治建设第一责任人职责")
    assert not is_leadership_subsection("加强组织领导，压实第一责任人责任")
    assert not is_leadership_subsection("组织开展主要负责人述法，压实“一把手”第一责任人职责")


def test_closing_plans_paragraph() -> None:
    assert closing_plans("下一步，我局将继续深化依法治校。")
    assert closing_plans("今后，我们要持续推进执法规范化。")
    assert not closing_plans("下一步工作中存在的困难较多。")  # no intention: 将/要/继续


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (["主要举措和成效", "存在的不足和原因", "2024年工作安排"], False),
        (["实施“法治护航”行动", "实施“法治筑基”行动", "存在的问题", "2024年工作安排"], False),
        (["主要举措和成效", "存在问题及下一步打算"], True),  # one heading, two parts
        (["主要举措和成效", "存在的问题", "强化队伍建设"], True),  # thematic after problems
        (["加强党的领导", "深化执法改革", "优化营商环境"], True),  # nothing named
        (["党政主要负责人履行第一责任人职责，推动法治建设工作情况", "存在的不足"], False),
    ],
)
def test_unsure(headings: list[str], expected: bool) -> None:
    assert unsure(headings, 2023) is expected


def test_samples_are_read_by_the_rules_alone() -> None:
    """The samples' headings each name one part (or are thematic before the first named part),
    so no labelling request is made for them and their recorded cassettes stay valid."""

    class Refuse:
        def label(self, headings: list[str]) -> list[str] | None:
            raise AssertionError(f"asked to label {headings}")

    for path in sorted(REPORTS.glob("*.txt")):
        found = analyse(path.read_text(encoding="utf-8"), labeller=Refuse())
        assert not found.labels_asked
        assert set(found.completeness.found_by.values()) == {"rule"}


AMBIGUOUS = (
    "青石县统计局2023年法治政府建设情况报告\n"
    "一、主要举措和成效\n（一）依法统计。检查企业46家。\n（二）统计普法。开展活动2次。\n"
    "二、正视短板，找准努力方向\n一是执法力量不足。二是持续加强执法培训。\n"
    "青石县统计局\n2024年1月15日\n"
)


class FakeDoor:
    """The door's label_headings with a scripted answer (or failure); records what it was sent."""

    def __init__(self, answer: list[str] | Exception, errors: list[str] | None = None) -> None:
        self.answer, self.errors = answer, errors or []
        self.sent: list[list[dict[str, str]]] = []

    def label_headings(self, messages: list[dict[str, str]], count: int) -> Extraction[PartLabels]:
        self.sent.append(messages)
        if isinstance(self.answer, Exception):
            raise self.answer
        value = PartLabels.model_construct(labels=self.answer)  # type: ignore[arg-type]
        return Extraction(value=value, usage=Usage(attempts=1), errors=self.errors)


def test_model_labels_headings_when_unsure_and_output_says_so() -> None:
    assert list(analyse(AMBIGUOUS).parts) == ["achievements", "problems"]  # the rules' guess
    door = FakeDoor(["achievements", "plans"])
    found = analyse(AMBIGUOUS, labeller=ModelLabeller(door))
    assert found.labels_asked and len(door.sent) == 1
    request = door.sent[0][-1]["content"]
    assert "1. 主要举措和成效" in request and "2. 正视短板，找准努力方向" in request
    assert "检查企业46家" not in request  # headings only, never the body
    assert found.completeness.found_by == {"achievements": "model", "plans": "model"}
    assert list(found.parts) == ["achievements", "plans"]


@pytest.mark.parametrize(
    "answer",
    [
        ["achievements"],  # one label for two headings
        ["achievements", "solutions"],  # not a part key
        ModelError("unusable answer"),
        TransportError("cannot reach the endpoint"),
    ],
    ids=["count", "key", "model-error", "no-model"],
)
def test_the_rules_stand_when_the_answer_is_unusable(answer: list[str] | Exception) -> None:
    rules = analyse(AMBIGUOUS)
    found = analyse(AMBIGUOUS, labeller=ModelLabeller(FakeDoor(answer)))
    assert list(found.parts) == list(rules.parts)
    assert set(found.completeness.found_by.values()) == {"rule"}


def test_a_kept_answer_that_failed_validation_is_not_used() -> None:
    door = FakeDoor(["achievements", "plans"], errors=["共有2个标题，必须给出2个部分名"])
    found = analyse(AMBIGUOUS, labeller=ModelLabeller(door))
    assert set(found.completeness.found_by.values()) == {"rule"}


def test_valid_labels() -> None:
    assert valid_labels(["achievements", "plans"], 2)
    assert not valid_labels(["problems", "plans"], 2)  # a report has achievements
    assert not valid_labels(["achievements"], 2)


def test_door_label_headings_reasks_a_wrong_count_once() -> None:
    short = json.dumps({"labels": ["achievements"]})
    good = json.dumps({"labels": ["achievements", "problems"]})
    with FakeServer([Reply(body=completion(short)), Reply(body=completion(good))]) as srv:
        door = ModelDoor(srv.base_url, "fake", max_wait=1.0)
        labeller = ModelLabeller(door)
        got = labeller.label(["主要举措和成效", "正视短板，找准努力方向"])
        requests = srv.requests
    assert got == ["achievements", "problems"]
    assert len(requests) == 2
    assert "必须给出2个部分名" in json.dumps(requests[1], ensure_ascii=False)


# Not a sample: a city market regulator's report whose four headings are all thematic and
# whose plans are a closing 下一步 paragraph; the rules read achievements + plans.
THEMATIC = Path(__file__).resolve().parent / "data" / "hostile" / "qingshan-shichang-2023.txt"


@pytest.mark.parametrize(
    ("labels", "why"),
    [
        (["achievements", "problems", "plans", "other"], "看不出属于不足"),  # spread over parts
        (["achievements", "achievements", "achievements", "plans"], "看不出属于计划"),
        (["other", "achievements", "achievements", "achievements"], "看不出属于其他"),
        (["achievements", "achievements", "achievements", "problems"], "看不出属于不足"),
    ],
)
def test_labels_the_text_does_not_bear_out_are_refused_and_the_rules_stand(
    labels: list[str], why: str
) -> None:
    text = THEMATIC.read_text(encoding="utf-8")
    rules = analyse(text)
    assert list(rules.parts) == ["achievements", "plans"]
    found = analyse(text, labeller=ModelLabeller(FakeDoor(labels)))
    assert found.labels_asked and found.labels_refused is not None and why in found.labels_refused
    assert [(k, p.start, p.end) for k, p in found.parts.items()] == [
        (k, p.start, p.end) for k, p in rules.parts.items()
    ]
    assert set(found.completeness.found_by.values()) == {"rule"}


def test_labels_the_text_bears_out_are_used() -> None:
    text = THEMATIC.read_text(encoding="utf-8")
    # the first heading's body opens with the 第一责任人 duty: the leadership part
    labels = ["leadership", "achievements", "achievements", "achievements"]
    found = analyse(text, labeller=ModelLabeller(FakeDoor(labels)))
    assert found.labels_refused is None
    assert list(found.parts) == ["achievements", "leadership", "plans"]
    assert found.completeness.found_by["leadership"] == "model"
    assert found.completeness.found_by["plans"] == "rule"  # the closing 下一步 paragraph


ORDERED = (
    "白河县水利局2024年法治政府建设情况报告\n"
    "一、夯实依法行政基础\n全年审查水利工程合同18份，开展执法检查36次。\n"
    "二、着力补齐工作短板\n一是水行政执法力量有待加强，执法人员仅5名。\n"
    "三、持续推进河湖治理\n将全面推行河湖长制，巩固清四乱成果。\n"
    "四、强化执法队伍建设\n计划开展执法培训2期，提升办案水平。\n"
    "白河县水利局\n2025年1月10日\n"
)


@pytest.mark.parametrize(
    ("labels", "why"),
    [
        (["achievements", "problems", "plans", "plans"], None),
        (["achievements", "problems", "plans", "achievements"], "却在问题、计划或其他之后"),
        (["achievements", "problems", "achievements", "plans"], "却在问题、计划或其他之后"),
        (["problems", "achievements", "plans", "plans"], "看不出属于不足"),
        (["achievements", "achievements", "plans", "plans"], "按字面属于不足"),
    ],
)
def test_labels_keep_the_statutory_order_and_the_vocabulary(
    labels: list[str], why: str | None
) -> None:
    found = analyse(ORDERED, labeller=ModelLabeller(FakeDoor(labels)))
    assert found.labels_asked
    if why is None:
        assert found.labels_refused is None
        assert list(found.parts) == ["achievements", "problems", "plans"]
    else:
        assert found.labels_refused is not None and why in found.labels_refused
        assert list(found.parts) == list(analyse(ORDERED).parts)
