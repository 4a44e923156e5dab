"""The model's choice among candidate indicators, through the door, against the fake server:
asked only for a clause that names two indicators, kept only when it is one of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summariser.figures.numbers import scan
from summariser.grounding.indicators import find_indicators
from summariser.model.door import ModelDoor
from summariser.model.prompts import load
from summariser.pipeline.drafting import ModelDrafter
from summariser.pipeline.indicator_choice import ModelChooser
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from tests.fakemodel import answer as fake_answer
from tests.fakemodel import mini_report
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


def test_the_pipeline_asks_once_for_an_unsure_clause_and_counts_the_request(
    tmp_path: Path,
) -> None:
    """A whole run through the model drafter: the item request as always, one choice request
    for the clause that names two indicators, counted in run.parts, and the choice kept."""
    body = "全县办理行政复议和行政诉讼案件共53件，受理法律援助案件310件。"
    path = tmp_path / "report.txt"
    path.write_text(mini_report("甲县司法局", body=body), encoding="utf-8")

    def reply(request: dict[str, Any]) -> Reply:
        if "候选：" in request["messages"][-1]["content"]:
            return answer("行政诉讼案件数")
        return fake_answer(request)

    template = load("items")
    with FakeServer(default=reply) as srv:
        door = ModelDoor(srv.base_url, "fake", transport_attempts=1, max_wait=0.5)
        summary = summarise(read_document(path), ModelDrafter(door, template), template=template)
        sent = srv.requests
    asked = [r for r in sent if "候选：" in r["messages"][-1]["content"]]
    assert len(asked) == 1
    assert [(v.name, v.text, v.by) for v in summary.indicators] == [
        ("行政诉讼案件数", "53件", "model"),
        ("法律援助案件数", "310件", "rule"),
    ]
    (run_part,) = [p for p in summary.run.parts if p.part == "indicators"]
    assert run_part.attempts == 1 and run_part.tokens_in > 0
