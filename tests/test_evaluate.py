"""The evaluation's scorers and gates, on the golden summaries and hand-made variants of them.

A golden summary scored against itself must be perfect; each variant breaks one thing (an item
removed, a part emptied, a qualifier dropped, an item invented) and must move exactly the
metric that measures it. No model and no pipeline run here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summariser.errors import SummariserError
from summariser.evaluation import command as ev
from summariser.evaluation import data as eval_data
from summariser.evaluation import engines as eval_engines
from summariser.evaluation import gates as eval_gates
from summariser.evaluation import metrics as eval_metrics
from summariser.evaluation.scoring import (
    chars,
    lcs_length,
    match_items,
    rouge_l,
    score_part,
    span_iou,
)
from summariser.schema import PartRun, ReportSummary
from tests.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "eval" / "golden"
REPORTS = ROOT / "examples" / "reports"
STEMS = sorted(p.stem for p in GOLDEN.glob("*.json"))


def golden(stem: str) -> ReportSummary:
    return ReportSummary.model_validate(json.loads((GOLDEN / f"{stem}.json").read_text("utf-8")))


def case(stem: str) -> eval_data.Case:
    g = golden(stem)
    return eval_data.Case(stem, g, REPORTS / g.source.name)


def variant(stem: str) -> ReportSummary:
    """A deep copy of the golden summary, to break by hand."""
    return golden(stem).model_copy(deep=True)


def scored(stem: str, predicted: ReportSummary | SummariserError) -> eval_metrics.CaseResult:
    return eval_metrics.score_case(case(stem), "llm", predicted)


def number(
    text: str,
    value: float,
    unit: str | None,
    qualifier: str | None,
    *,
    status: str,
    path: str,
    spans: list[list[int]] | None = None,
) -> dict[str, Any]:
    """One entry of verification["numbers"], as the grounding stage writes it."""
    return {
        "text": text,
        "start": 0,
        "end": len(text),
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "status": status,
        "source_spans": spans or [],
        "path": path,
    }


# --- text similarity -------------------------------------------------------------------------


def _lcs_dp(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ch in a:
        prev = 0
        for j, other in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if ch == other else max(row[j], row[j - 1])
    return row[-1]


@given(
    st.text(alphabet="依法行政治国年度报告12%", max_size=40),
    st.text(alphabet="依法行政治国年度报告12%", max_size=40),
)
def test_bit_parallel_lcs_agrees_with_the_textbook_table(a: str, b: str) -> None:
    assert lcs_length(a, b) == _lcs_dp(a, b)


def test_chinese_characters_are_compared_one_by_one_and_punctuation_is_ignored() -> None:
    assert chars("依法行政，“八五”普法 100%。") == "依法行政八五普法100"
    assert rouge_l("依法行政", "依法行政") == 1.0
    assert rouge_l("依法行政。", "依法 行政") == 1.0
    assert rouge_l("依法行政", "依法治国") == pytest.approx(0.5)
    assert rouge_l("", "依法行政") == 0.0
    assert rouge_l("，。", "依法行政") == 0.0


def test_span_iou() -> None:
    assert span_iou((0, 10), (0, 10)) == 1.0
    assert span_iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert span_iou((0, 10), (10, 20)) == 0.0


# --- items -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_a_golden_summary_scores_perfectly_against_itself(stem: str) -> None:
    m = scored(stem, golden(stem)).metrics()
    assert m["cases_ok"] == 1
    assert m["item_recall"] == m["item_precision"] == m["rouge_l"] == 1
    assert m["invented_items"] == 0
    assert m["key_figure_recall"] == m["key_figure_selection"] == 1
    assert m["issuer_exact"] == m["year_exact"] == m["completeness_exact"] == 1


def test_a_removed_item_lowers_recall_only_and_is_listed_as_missed() -> None:
    pred = variant("hubin-2023")
    gone = pred.parts["achievements"].pop(1)
    r = scored("hubin-2023", pred)
    total = sum(len(v) for v in golden("hubin-2023").parts.values())
    assert r.metrics()["item_recall"] == pytest.approx(round((total - 1) / total, 4))
    assert r.metrics()["item_precision"] == 1
    assert [row["title"] for row in r.diffs["missed_items"]] == [gone.title]
    assert r.parts["achievements"]["recall"] == pytest.approx(3 / 4)


def test_an_emptied_part_misses_all_its_items() -> None:
    pred = variant("heshan-2024")
    n = len(pred.parts["problems"])
    pred.parts["problems"] = []
    r = scored("heshan-2024", pred)
    assert r.parts["problems"]["recall"] == 0
    assert r.parts["problems"]["precision"] == 0
    assert len(r.diffs["missed_items"]) == n
    assert r.metrics()["invented_items"] == 0


def test_items_in_a_part_the_golden_has_empty_are_invented_not_imprecise() -> None:
    pred = variant("zhengxiang-2024")  # the report has no problems part
    assert pred.parts["problems"] == []
    pred.parts["problems"] = [pred.parts["achievements"][0].model_copy()]
    r = scored("zhengxiang-2024", pred)
    assert r.metrics()["invented_items"] == 1
    assert r.metrics()["item_precision"] == 1
    assert r.diffs["invented_items"][0]["part"] == "problems"


def test_a_misplaced_item_still_matches_on_its_words() -> None:
    g = golden("hubin-2023").parts["problems"]
    moved = [item.model_copy(update={"source_span": (0, 5)}) for item in g]
    score = score_part(moved, g)
    assert score.matched == len(g)
    assert all(m.iou == 0 and m.rouge == 1 for m in score.matches)


def test_a_rewritten_item_matches_on_its_span_and_shows_as_weak() -> None:
    pred = variant("hubin-2023")
    item = pred.parts["plans"][0]
    pred.parts["plans"][0] = item.model_copy(update={"title": "其他", "summary": "无。"})
    r = scored("hubin-2023", pred)
    assert r.metrics()["item_recall"] == 1
    assert r.metrics()["rouge_l"] < 1
    assert r.diffs["weak_items"][0]["part"] == "plans"


def test_matching_is_one_to_one() -> None:
    g = golden("hubin-2023").parts["problems"]
    twice = [g[0], g[0].model_copy()]
    matches = match_items(twice, g[:1])
    assert len(matches) == 1
    assert score_part(twice, g[:1]).extra == [1]


# --- figures ---------------------------------------------------------------------------------


def test_a_dropped_qualifier_is_caught_by_qualifier_fidelity() -> None:
    pred = variant("hubin-2023")  # golden: 先后培训行政执法人员300余人次, at [848, 854]
    path = "/parts/achievements/0/summary"
    pred.verification = {
        "numbers": [
            number("300人次", 300, "人次", None, status="qualifier_changed", path=path),
            number("10名", 10, "名", None, status="verified", path=path, spans=[[625, 628]]),
        ]
    }
    r = scored("hubin-2023", pred)
    m = r.metrics()
    assert m["qualifier_fidelity"] == 0.5
    assert m["unit_fidelity"] == 1
    assert m["figures_verified"] == 0.5
    assert "300人次" in r.diffs["figure_fidelity"][0]
    assert r.diffs["figures_not_verified"][0]["status"] == "qualifier_changed"


def test_a_dropped_unit_is_caught_by_unit_fidelity() -> None:
    pred = variant("hubin-2023")  # golden: 减免费用25.63万元
    path = "/parts/achievements/3/summary"
    pred.verification = {
        "numbers": [number("25.63万", 256300, None, None, status="unit_mismatch", path=path)]
    }
    m = scored("hubin-2023", pred).metrics()
    assert m["unit_fidelity"] == 0
    assert m["qualifier_fidelity"] is None


def test_a_number_the_golden_counts_as_no_figure_is_not_judged() -> None:
    pred = variant("hubin-2023")
    # found in the source at a place where the golden has no figure (say, part of a name)
    pred.verification = {
        "numbers": [
            number(
                "3",
                3,
                None,
                None,
                status="verified",
                path="/parts/achievements/0/summary",
                spans=[[0, 1]],
            )
        ]
    }
    m = scored("hubin-2023", pred).metrics()
    assert m["unit_fidelity"] is None
    assert m["figures_verified"] == 1


def test_figures_outside_the_prose_do_not_count_as_written() -> None:
    pred = variant("hubin-2023")
    pred.verification = {
        "numbers": [
            number("10名", 10, "名", None, status="verified", path="/parts/achievements/0/quote"),
            number("9名", 9, "名", None, status="not_found", path="/key_figures/0/quote"),
        ]
    }
    m = scored("hubin-2023", pred).metrics()
    assert m["figures_verified"] is None
    assert m["figures_verified_all"] == 0.5


def test_a_key_figure_dropped_everywhere_is_missed() -> None:
    pred = variant("hubin-2023")
    target = pred.key_figures[0].figure  # 10名 at [625, 628]
    pred.key_figures = pred.key_figures[1:]
    for items in pred.parts.values():
        for item in items:
            item.figures = [f for f in item.figures if f != target]
    r = scored("hubin-2023", pred)
    n = len(golden("hubin-2023").key_figures)
    assert r.metrics()["key_figure_recall"] == pytest.approx(round((n - 1) / n, 4))
    assert r.diffs["key_figures_missed"] == [target.text]


def test_a_key_figure_carried_by_an_item_but_not_chosen_counts_for_recall_only() -> None:
    pred = variant("hubin-2023")
    pred.key_figures = pred.key_figures[1:]
    m = scored("hubin-2023", pred).metrics()
    assert m["key_figure_recall"] == 1
    assert m["key_figure_selection"] < 1


# --- metadata and cost -----------------------------------------------------------------------


def test_metadata_and_completeness_must_be_exact() -> None:
    pred = variant("baicheng-2023")
    pred.metadata.issuer = "白城市人民政府"
    pred.completeness.truncated = not pred.completeness.truncated
    r = scored("baicheng-2023", pred)
    assert r.metrics()["issuer_exact"] == 0
    assert r.metrics()["year_exact"] == 1
    assert r.metrics()["completeness_exact"] == 0
    assert len(r.diffs["metadata"]) == 2


def test_cost_counts_the_requests_actually_sent_and_the_reasks_beyond_them() -> None:
    # achievements: 4 items, one read in 3 chunks, so 6 requests, all valid at once;
    # problems: 3 items, one short enough to be its own summary (never asked), 2 requests
    # re-asked twice between them
    pred = variant("hubin-2023")
    pred.run.parts = [
        PartRun(part="achievements", attempts=6, tokens_in=100, tokens_out=20, seconds=1.0),
        PartRun(part="problems", attempts=4, reasks=2, tokens_in=300, tokens_out=60, seconds=3.0),
    ]
    pred.run.tokens_in, pred.run.tokens_out = 400, 80
    m = scored("hubin-2023", pred).metrics()
    assert m["first_attempt_valid"] == round((8 - 2) / 8, 4)
    assert m["reasks_per_report"] == 2
    assert m["tokens_in_per_report"] == 400
    assert scored("hubin-2023", golden("hubin-2023")).metrics()["first_attempt_valid"] is None


# --- failures, aggregation and gates ---------------------------------------------------------


def test_a_failed_case_scores_zero_and_fails_the_run() -> None:
    miss = SummariserError(
        "hubin-2023.txt: no recording", hint="re-record with `summariser record`"
    )
    cases = [case("hubin-2023"), case("heshan-2024")]
    report = ev.evaluate(
        cases,
        {"llm": {"hubin-2023": miss, "heshan-2024": golden("heshan-2024")}},
        floors={},
        baseline={},
    )
    m = report["engines"]["llm"]["metrics"]
    assert m["cases_ok"] == 0.5
    assert 0 < m["item_recall"] < 1
    assert m["item_precision"] == 1
    assert not report["passed"]
    assert "summariser record" in report["failures"][0]
    worst = report["engines"]["llm"]["cases"][0]
    assert worst["stem"] == "hubin-2023" and worst["score"] == 0


def test_aggregation_sums_counts_over_cases() -> None:
    a, b = variant("hubin-2023"), golden("huangzhong-2024")
    a.parts["achievements"] = []
    results = [scored("hubin-2023", a), scored("huangzhong-2024", b)]
    agg = eval_metrics.aggregate(results)
    n_a = sum(len(v) for v in golden("hubin-2023").parts.values())
    n_b = sum(len(v) for v in b.parts.values())
    assert agg["metrics"]["item_recall"] == pytest.approx(round((n_a - 4 + n_b) / (n_a + n_b), 4))
    assert agg["parts"]["achievements"]["golden"] == 4 + len(b.parts["achievements"])


def test_floors_and_ceilings() -> None:
    floors = {"rules": {"rouge_l": {"min": 0.3}, "invented_items": {"max": 0}}}
    assert eval_gates.check_floors("rules", {"rouge_l": 0.35, "invented_items": 0}, floors) == []
    fails = eval_gates.check_floors("rules", {"rouge_l": 0.2, "invented_items": 2}, floors)
    assert len(fails) == 2 and "floor" in fails[0] and "ceiling" in fails[1]
    assert eval_gates.check_floors("llm", {"rouge_l": 0.0}, floors) == []


def test_baseline_margin_by_direction() -> None:
    base = {"metrics": {"llm": {"rouge_l": 0.5, "invented_items": 0, "tokens_in_per_report": 10}}}
    margins = {"default": 0.02, "invented_items": 0}
    assert (
        eval_gates.check_baseline("llm", {"rouge_l": 0.49, "invented_items": 0}, base, margins)
        == []
    )
    fails = eval_gates.check_baseline("llm", {"rouge_l": 0.47, "invented_items": 1}, base, margins)
    assert [f.split()[1] for f in fails] == ["rouge_l", "invented_items"]
    # ungated metrics are reported, never held to the baseline
    assert eval_gates.check_baseline("llm", {"tokens_in_per_report": 99}, base, margins) == []


def test_the_model_must_beat_rules_on_rouge_and_match_it_on_figures() -> None:
    rules = {"rouge_l": 0.35, "item_recall": 1.0, "figures_verified": 1.0}
    good = {"rouge_l": 0.5, "item_recall": 1.0, "figures_verified": 0.99}
    assert eval_gates.check_engines({"llm": good, "rules": rules}) == []
    bad = {"rouge_l": 0.35, "item_recall": 0.9, "figures_verified": 0.9}
    assert len(eval_gates.check_engines({"llm": bad, "rules": rules})) == 3
    # a share that cannot be computed (no figures written) is not compared
    assert (
        len(eval_gates.check_engines({"llm": {**bad, "figures_verified": None}, "rules": rules}))
        == 2
    )
    assert eval_gates.check_engines({"llm": bad}) == []


# --- the run, the files, the comparison ------------------------------------------------------


@pytest.fixture
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """run_engine answering from hand-made outputs instead of the pipeline."""
    outputs: dict[str, dict[str, Any]] = {}

    def fake(engine: str, cases: list[eval_data.Case], **_: Any) -> dict[str, Any]:
        return {c.stem: outputs[engine][c.stem] for c in cases}

    monkeypatch.setattr(ev, "run_engine", fake)
    return outputs


def _eval_tree(tmp_path: Path, stems: list[str], floors: dict[str, Any]) -> Path:
    cases_dir = tmp_path / "eval" / "golden"
    cases_dir.mkdir(parents=True)
    for stem in stems:
        (cases_dir / f"{stem}.json").write_text(
            (GOLDEN / f"{stem}.json").read_text("utf-8"), "utf-8"
        )
    (tmp_path / "eval" / "floors.json").write_text(json.dumps(floors), "utf-8")
    return cases_dir


def test_run_eval_writes_both_reports_gates_and_updates_the_baseline(
    tmp_path: Path, fake_engines: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    stems = ["hubin-2023", "zhengxiang-2024"]
    cases_dir = _eval_tree(tmp_path, stems, {"floors": {"llm": {"rouge_l": {"min": 0.95}}}})
    weaker = variant("hubin-2023")
    weaker.parts["plans"] = [
        i.model_copy(update={"summary": "无。", "title": "无"}) for i in weaker.parts["plans"]
    ]
    fake_engines["llm"] = {s: golden(s) for s in stems}
    fake_engines["rules"] = {"hubin-2023": weaker, "zhengxiang-2024": golden("zhengxiang-2024")}
    run = dict(live=False, engines=["llm", "rules"], reports_dir=REPORTS)

    assert ev.run_eval(cases_dir, tmp_path / "a", update_baseline=True, **run) == 0
    baseline = json.loads((tmp_path / "eval" / "baseline.json").read_text("utf-8"))
    assert baseline["metrics"]["llm"]["rouge_l"] == 1
    assert "tokens_in_per_report" not in baseline["metrics"]["llm"]
    report = json.loads((tmp_path / "a" / "report.json").read_text("utf-8"))
    assert report["passed"] and set(report["engines"]) == {"llm", "rules"}
    md = (tmp_path / "a" / "report.md").read_text("utf-8")
    assert md.index("### hubin-2023") < md.index("### zhengxiang-2024", md.index("## rules"))
    assert "Weak matches" in md
    assert "rouge_l" in capsys.readouterr().out

    # a worse model: below its floor, behind the baseline and no better than rules
    fake_engines["llm"] = fake_engines["rules"]
    assert ev.run_eval(cases_dir, tmp_path / "b", update_baseline=False, **run) == 1
    out = capsys.readouterr().out
    assert (
        "below its floor" in out and "behind the baseline" in out and "does not beat rules" in out
    )

    assert ev.run_compare(tmp_path / "a", tmp_path / "b" / "report.json") == 0
    table = capsys.readouterr().out
    assert "worse" in table and "rouge_l" in table


def test_a_failed_case_blocks_a_baseline_update(
    tmp_path: Path, fake_engines: dict[str, dict[str, Any]]
) -> None:
    cases_dir = _eval_tree(tmp_path, ["hubin-2023"], {})
    fake_engines["llm"] = {"hubin-2023": SummariserError("no recording")}
    code = ev.run_eval(
        cases_dir,
        tmp_path / "out",
        live=False,
        engines=["llm"],
        update_baseline=True,
        reports_dir=REPORTS,
    )
    assert code == 1
    assert not (tmp_path / "eval" / "baseline.json").exists()


def test_a_replay_without_cassettes_fails_each_case_with_what_to_do(tmp_path: Path) -> None:
    results = eval_engines.run_replay([case("hubin-2023")], tmp_path / "none")
    err = results["hubin-2023"]
    assert isinstance(err, SummariserError)
    assert "summariser record" in err.one_line() and "--live" in err.one_line()


def test_unknown_engines_and_missing_cases_are_input_errors(tmp_path: Path) -> None:
    from summariser.errors import InputError

    with pytest.raises(InputError):
        ev.run_eval(GOLDEN, tmp_path, live=False, engines=["gpt"], update_baseline=False)
    with pytest.raises(InputError):
        eval_data.load_cases(tmp_path, REPORTS)


def test_the_committed_floors_and_baseline_name_known_metrics() -> None:
    floors = json.loads((ROOT / "eval" / "floors.json").read_text("utf-8"))
    baseline = json.loads((ROOT / "eval" / "baseline.json").read_text("utf-8"))
    assert set(floors["splits"]) == set(baseline["splits"]) == set(eval_data.SPLITS)
    for split in eval_data.SPLITS:
        for engine, limits in floors["splits"][split]["floors"].items():
            assert engine in eval_engines.ENGINES
            for name, limit in limits.items():
                assert eval_metrics.METRIC[name].gated, name
                assert set(limit) <= {"min", "max"}
                want = "min" if eval_metrics.METRIC[name].better == "higher" else "max"
                assert want in limit, f"{split} {engine} {name} should have a {want}"
        for engine, metrics in baseline["splits"][split]["metrics"].items():
            assert engine in eval_engines.ENGINES
            assert all(eval_metrics.METRIC[name].gated for name in metrics)
    # the tune split is gated in full; the held-out one is never gated on its lead over rules
    assert floors["splits"]["tune"].get("gate_engines", True)
    assert floors["splits"]["heldout"]["gate_engines"] is False


# --- the model engine end to end, against a loopback fake model ------------------------------

MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)])")


def _extractive(request: dict[str, Any], broken: bool = False) -> Reply:
    """A fake model that sums up the segment it is sent (``段落：…``) with its first clause,
    figures copied; ``broken``, it answers the same empty words for every segment."""
    content = next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")
    segment = content.split("段落：", 1)[-1]
    clause = re.split(r"[，。；]", MARKER.sub("", segment).strip(), maxsplit=1)[0]
    if len(clause) > 30:  # cut short, but never inside a figure
        clause = clause[:30].rstrip("0123456789.,万亿余多")
    summary = "无。" if broken else f"{clause or '推进工作'}。"
    return Reply(body=completion(json.dumps({"summary": summary}, ensure_ascii=False)))


def test_a_changed_prompt_misses_its_recordings_and_a_broken_model_trips_the_gates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summariser.model import prompts
    from summariser.pipeline.replay import summarise_cases

    stems = ["hubin-2023", "zhengxiang-2024"]
    # the floor lies between the broken model (0.32: the short items keep the report's words)
    # and the extractive one (0.44)
    cases_dir = _eval_tree(tmp_path, stems, {"floors": {"llm": {"rouge_l": {"min": 0.38}}}})
    cassettes = tmp_path / "cassettes"
    reports = [REPORTS / f"{s}.txt" for s in stems]
    with FakeServer(default=_extractive) as srv:
        recorded = summarise_cases(reports, cassettes, record=True, base_url=srv.base_url)
    assert all(isinstance(r, ReportSummary) for r in recorded.values()), recorded
    llm_only = dict(engines=["llm"], reports_dir=REPORTS, cassette_dir=cassettes)

    # replayed from the recordings, offline; the baseline is taken from this run
    assert (
        ev.run_eval(cases_dir, tmp_path / "ok", live=False, update_baseline=True, **llm_only) == 0
    )
    report = json.loads((tmp_path / "ok" / "report.json").read_text("utf-8"))
    llm = report["engines"]["llm"]["metrics"]
    assert llm["cases_ok"] == llm["item_recall"] == llm["first_attempt_valid"] == 1
    assert llm["tokens_in_per_report"] > 0
    capsys.readouterr()

    # a deliberately broken prompt: every request differs from its recording
    real_load = prompts.load

    def broken_load(name: str) -> prompts.PromptTemplate:
        return real_load(name).model_copy(update={"system": "随便写点什么。"})

    monkeypatch.setattr(prompts, "load", broken_load)
    assert (
        ev.run_eval(cases_dir, tmp_path / "miss", live=False, update_baseline=False, **llm_only)
        == 1
    )
    out = capsys.readouterr().out
    assert "summariser record" in out and "--live" in out
    monkeypatch.setattr(prompts, "load", real_load)

    # live, against a model that answers badly: floor, baseline and the rules engine catch it
    both = {**llm_only, "engines": ["llm", "rules"]}
    with FakeServer(default=lambda request: _extractive(request, broken=True)) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARISER_MODEL", "fake")
        code = ev.run_eval(cases_dir, tmp_path / "live", live=True, update_baseline=False, **both)
    assert code == 1
    out = capsys.readouterr().out
    assert "llm rouge_l" in out and "below its floor" in out and "behind the baseline" in out
    assert "does not beat rules" in out
    live = json.loads((tmp_path / "live" / "report.json").read_text("utf-8"))
    assert live["mode"] == "live"
    paired = live["llm_vs_rules_items"]  # every golden item of both cases, both engines
    golden_items = sum(
        len(v) for s in stems for v in ReportSummary.model_validate_json(
            (cases_dir / f"{s}.json").read_text("utf-8")).parts.values()
    )  # fmt: skip
    assert paired["items"] == golden_items and paired["mean"] < 0 and paired["worse"] > 0
    assert "item by item" in out


# --- the model against the rules engine, item by item ---------------------------------------


def test_paired_lead_counts_items_and_brackets_the_mean() -> None:
    llm, rules = [0.5, 0.6, 0.2, 0.9, 0.7], [0.4, 0.6, 0.3, 0.5, 0.7]
    got = eval_gates.paired_lead(llm, rules)
    assert got["items"] == 5 and got["mean"] == pytest.approx(0.08)
    assert (got["better"], got["worse"]) == (2, 1)
    low, high = got["ci95"]
    assert low <= got["mean"] <= high and low < high
    assert eval_gates.paired_lead(llm, rules) == got  # seeded: the same interval every run
    assert eval_gates.paired_lead(llm, rules[:-1]) == {} and eval_gates.paired_lead([], []) == {}


def test_a_clear_lead_has_an_interval_above_zero_and_a_mixed_one_does_not() -> None:
    clear = eval_gates.paired_lead([0.6] * 30 + [0.5] * 10, [0.4] * 30 + [0.55] * 10)
    assert clear["ci95"][0] > 0
    mixed = eval_gates.paired_lead([0.6, 0.4] * 20, [0.4, 0.6] * 20)
    assert mixed["ci95"][0] < 0 < mixed["ci95"][1]


def test_item_rouges_keep_the_golden_positions_and_score_a_missed_item_zero() -> None:
    from summariser.evaluation.scoring import Match, PartScore, item_rouges

    parts = {
        "achievements": PartScore(3, 2, 2, 1.3, [Match(0, 1, 0.9, 0.8), Match(2, 0, 0.7, 0.5)]),
        "problems": PartScore(1, 0, 0, 0.0, []),
    }
    assert item_rouges(parts) == [0.8, 0.0, 0.5, 0.0]


# --- invented figures shown as checked ---------------------------------------------------------


def test_a_figure_shown_as_checked_that_the_source_does_not_bear_out_is_counted(
    replayed: dict[str, ReportSummary],
) -> None:
    pred = replayed["huangzhong-2024"].model_copy(deep=True)
    assert scored("huangzhong-2024", pred).metrics()["invented_figures"] == 0
    numbers = pred.verification["numbers"]
    assert isinstance(numbers, list)
    prose = [n for n in numbers if str(n.get("path", "")).endswith("/summary")
             and n.get("status") == "verified" and n.get("origin") == "written"
             and n.get("unit") and not str(n["unit"]).startswith("年")]  # fmt: skip
    other = next(n for n in prose if n["value"] != prose[0]["value"])
    # a verified figure whose source span holds another value; a derived one whose formula
    # does not give it; one without any source span
    prose[0]["source_spans"] = other["source_spans"][:1]
    prose[1].update(status="derived", formula="1+1=3")
    prose[2].update(source_spans=[])
    r = scored("huangzhong-2024", pred)
    assert r.metrics()["invented_figures"] == 3
    assert [f["text"] for f in r.diffs["figures_invented"]] == [n["text"] for n in prose[:3]]
