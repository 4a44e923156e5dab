"""The memo's synthesis traced to what the reports said, part by part; a failed synthesis.

A model writing the synthesis can keep every figure right and still turn a report's problem
into an achievement, or a plan into something done. Each sentence must draw on items of the
part it speaks in, or it is left out and listed. The reports below are invented (other
districts, departments and wording than the samples); one test replays the samples' recorded
summaries with the sentences the recorded synthesis wrote about them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summariser.memo.command import run_memo
from summariser.memo.content import build_memo
from summariser.memo.synthesis import synthesiser
from summariser.memo.tracing import Tracer
from summariser.model.door import ModelDoor
from summariser.output.runs import LoadedReport
from summariser.schema import ReportSummary
from tests.fakeserver import FakeServer, Reply, completion
from tests.memo_corpus import write_corpus

ITEMS = [
    ("临川区司法局·2024", "achievements", "建成村级公共法律服务工作室126个，开展法治体检45次。"),
    ("临川区司法局·2024", "problems", "村级人民调解员队伍老化，调解员补贴偏低，工作积极性不高。"),
    ("临川区司法局·2024", "plans", "下一步将推进行政执法案卷评查常态化，提升执法规范化水平。"),
    ("雁塔区人民政府·2023", "achievements", "组织行政执法人员培训12期，推行行政裁量权基准制度。"),
    ("雁塔区人民政府·2023", "problems", "部分街道执法人员业务不精，行政执法监督手段单一。"),
    ("雁塔区人民政府·2023", "plans", "全面落实重大行政决策程序，健全法律顾问参与决策机制。"),
    ("南明区市场监督管理局·2024", "achievements", "办理行政复议案件37件，负责人出庭应诉率100%。"),
    ("南明区市场监督管理局·2024", "leadership", "主要负责人专题研究法治工作，带头述法。"),
    ("南明区市场监督管理局·2024", "problems", "法治宣传形式单一，普法针对性不强。"),
]


@pytest.fixture(scope="module")
def tracer() -> Tracer:
    return Tracer(ITEMS)


@pytest.mark.parametrize(
    "sentence",
    [
        "临川区司法局提高了村级人民调解员的工作积极性。",  # its problem, as an achievement
        "雁塔区人民政府加强执法监督，提升了街道执法人员的业务水平。",  # its problem, as done
        "临川区司法局已实现行政执法案卷评查常态化。",  # its plan, as done
        "雁塔区人民政府健全了法律顾问参与决策机制。",  # its plan, as done
        "南明区市场监督管理局普法宣传形式丰富，针对性强。",  # its problem, turned round
    ],
)
def test_a_problem_or_plan_written_as_an_achievement_is_left_out(
    tracer: Tracer, sentence: str
) -> None:
    reports, refused = tracer.trace(sentence)
    assert refused is not None and reports == ()
    assert "却写成了“成效”" in refused.reason


@pytest.mark.parametrize(
    ("sentence", "report"),
    [
        ("临川区司法局建成村级公共法律服务工作室126个。", "临川区司法局·2024"),
        ("雁塔区人民政府组织行政执法人员培训，推行裁量权基准制度。", "雁塔区人民政府·2023"),
        ("临川区司法局的村级调解员队伍老化、积极性不高。", "临川区司法局·2024"),
        ("南明区市场监督管理局存在普法针对性不强的问题。", "南明区市场监督管理局·2024"),
        ("下一步，雁塔区人民政府将落实重大行政决策程序。", "雁塔区人民政府·2023"),
    ],
)
def test_a_sentence_said_in_its_own_part_is_kept_and_traced(
    tracer: Tracer, sentence: str, report: str
) -> None:
    reports, refused = tracer.trace(sentence)
    assert refused is None and reports == (report,)


def test_a_sentence_that_draws_on_nothing_is_left_out(tracer: Tracer) -> None:
    reports, refused = tracer.trace("各地法治政府建设取得了显著成效，群众满意度明显上升。")
    assert refused is not None and "找不到出处" in refused.reason


def test_a_named_report_is_held_to_what_it_said(tracer: Tracer) -> None:
    # 复议 is 南明's achievement, not 临川's: named, the sentence must draw on 临川's items
    reports, refused = tracer.trace("临川区司法局办理行政复议案件，负责人出庭应诉。")
    assert refused is not None


# --- the synthesis in the memo ----------------------------------------------------------------


def test_the_recorded_samples_problems_are_not_presented_as_achievements(
    replayed: dict[str, ReportSummary],
) -> None:
    """The sentences the recorded synthesis wrote about the samples: two turn a report's
    problem into an achievement (积极性不高; 管理不严) and are left out; the others stay."""
    reports = [LoadedReport(Path(f"{stem}.json"), s) for stem, s in replayed.items()]
    lies = [
        "此外，湟中区司法局制定了学法清单，提高了村(社区)调解员的工作积极性。",
        "湖滨区司法局则深化人民调解，提升了基层行政执法人员的管理水平。",
    ]
    # drawn from 蒸湘区's recorded overview (the synthesis reads the reports' overviews)
    truths = ["蒸湘区司法局2024年新收行政复议案件99起。"]
    memo = build_memo(reports, synthesise=lambda prompt: "".join(lies + truths))
    assert memo.synthesis is not None
    assert memo.synthesis.sentences == tuple(truths)
    dropped = [f.message for f in memo.flags if f.kind == "综合分析删去的句子"]
    assert len(dropped) == 2
    assert all("“不足”部分，却写成了“成效”" in m for m in dropped)


def test_a_lying_synthesiser_never_reaches_the_body(tmp_path: Path) -> None:
    """Over a synthetic folder, a synthesiser that turns every problem into an achievement."""
    run = tmp_path / "run"
    corpus = write_corpus(run, 12)
    problems = {it.summary for s in corpus for it in s.summary.parts.get("problems", [])}
    lies = "".join(f"各地已解决{p.split('，')[0]}。" for p in sorted(problems))
    out = tmp_path / "memo.md"
    answer = json.dumps({"paragraph": lies}, ensure_ascii=False)
    with FakeServer(default=lambda request: Reply(body=completion(answer))) as srv:
        door = ModelDoor(srv.base_url, "fake", transport_attempts=1)
        assert run_memo([run], out, llm=True, synthesise=synthesiser(door)) == 0
    md = out.read_text(encoding="utf-8")
    synthesis = md.split("## 二、综合分析")[1].split("## 三、")[0]
    assert "各地已解决" not in synthesis
    assert "没有一句通过核对" in synthesis


def test_a_cut_off_synthesis_still_writes_the_memo_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    write_corpus(run, 5)
    out = tmp_path / "memo.md"
    cut = completion('{"paragraph": "各地持续推进', finish="length")
    with FakeServer(default=lambda request: Reply(body=cut)) as srv:
        door = ModelDoor(srv.base_url, "fake", transport_attempts=1)
        assert run_memo([run], out, llm=True, synthesise=synthesiser(door)) == 0
    md = out.read_text(encoding="utf-8")
    assert "## 二、综合分析" in md and "本次未能写出综合分析" in md
    assert "## 三、主要举措和成效" in md  # the rest of the memo is there
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "without the synthesis" in err[0]
