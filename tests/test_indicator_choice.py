"""The model's choice among candidate indicators, through the door, against the fake server:
asked only for a clause that names two indicators, kept only when it is one of them."""

from __future__ import annotations

import json

from summariser.figures.numbers import scan
from summariser.grounding.indicators import find_indicators
from summariser.model.door import ModelDoor
from summariser.pipeline.indicator_choice import ModelChooser
from tests.fakeserver import FakeServer, Reply, completion

SIDE_BY_SIDE = "2024年，全区办理行政复议和行政诉讼案件共53件，行政机关负责人出庭应诉率100%。"
SURE = "2024年，全区受理行政复议案件41件，审结38件，行政机关负责人出庭应诉率100%。"


def answer(name: str) -> Reply:
    return Reply(body=completion(json.dumps({"name": name}, ensure_ascii=False)))


def run(
    text: str, script: list[Reply]
) -> tuple[list[tuple[str, str, str]], list[dict], ModelChooser]:  # type: ignore[type-arg]
    with FakeServer(script) as srv:
        chooser = ModelChooser(ModelDoor(srv.base_url, "fake", transport_attempts=1, max_wait=0.5))
        got = find_indicators(text, scan(text)[0], year=2024, level="县级", chooser=chooser)
        sent = srv.requests
    return [(v.name, v.text, v.by) for v in got.values], sent, chooser


def test_a_sure_report_sends_nothing() -> None:
    values, sent, chooser = run(SURE, [])
    assert sent == [] and chooser.asked == 0
    assert ("行政复议案件数", "41件", "rule") in values


def test_an_unsure_clause_is_one_short_request_and_the_choice_is_kept() -> None:
    values, sent, chooser = run(SIDE_BY_SIDE, [answer("行政复议案件数")])
    assert len(sent) == 1 and chooser.asked == 1
    user = sent[0]["messages"][-1]["content"]
    assert "办理行政复议和行政诉讼案件共53件" in user and "53件" in user
    assert "行政复议案件数" in user and "行政诉讼案件数" in user
    assert "出庭应诉率" not in user  # the sure figure of the sentence is not asked about
    assert ("行政复议案件数", "53件", "model") in values
    assert ("行政机关负责人出庭应诉率", "100%", "rule") in values
    assert [u.attempts for u in chooser.used] == [1]


def test_an_answer_outside_the_candidates_is_reasked_once_then_refused() -> None:
    values, sent, _ = run(SIDE_BY_SIDE, [answer("法律援助案件数"), answer("法律援助案件数")])
    assert len(sent) == 2
    assert "候选之一" in sent[1]["messages"][-1]["content"]
    assert not any(text == "53件" for _, text, _ in values)


def test_an_empty_answer_leaves_the_total_out() -> None:
    values, sent, _ = run(SIDE_BY_SIDE, [answer("")])
    assert len(sent) == 1
    assert not any(text == "53件" for _, text, _ in values)


def test_an_unreachable_model_leaves_the_figure_out() -> None:
    values, _, chooser = run(SIDE_BY_SIDE, [Reply(status=500, body={"error": "down"})] * 3)
    assert chooser.used == []
    assert not any(text == "53件" for _, text, _ in values)
