"""Batch files: prepare → an engine's answers → collect … to the end, against an online `run`.

The engine is the fake model of the other tests (``tests.fakemodel``) applied to each line of a
round's file; the online run calls the fake chat server with the same answers. Nothing leaves
the machine.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summariser.batch.collect import MAX_FAILURES, collect, prepare
from summariser.batch.files import BatchState, read_results, request_id, round_path
from summariser.batch.submit import submit
from summariser.errors import InputError, TransportError
from tests.fakebatch import FakeBatchServer, run_engine, well_behaved
from tests.fakemodel import answer_json, segments
from tests.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from compare_outputs import compare  # noqa: E402

SUMMARISER = str(Path(sys.executable).parent / "summariser")
QUIET = lambda _: None  # noqa: E731

REPORT = """{county}2024年法治政府建设年度报告

2024年，{county}深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关情况报告如下：
一、2024年推进法治政府建设的主要举措和成效
（一）深化行政执法体制改革。全{kind}梳理行政执法事项{n1}项，整合执法队伍12支，推行“{mode}”联合执法模式，全年开展联合检查148次，减少入企检查频次三成以上，企业对执法工作的满意度明显提升，执法扰企问题得到有效治理。
（二）规范行政决策程序。{kind}政府严格落实重大行政决策程序规定，全年审议重大行政决策事项{n2}件，均履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序，合法性审查率达到100%，决策质量和效率进一步提高。
（三）加强行政复议和应诉工作。全年收到行政复议申请{n3}件，受理211件，审结198件，纠错率为11.6%；行政机关负责人出庭应诉率达到100%，行政诉讼败诉率同比下降2.3个百分点。复议委员会召开案审会议14次，对重大疑难案件集体研究，复议办案质量不断提高，发挥了化解行政争议主渠道作用。同时，加强复议与信访、调解工作衔接，引导群众依法表达诉求，全年通过调解和解方式化解争议57件。
二、存在的不足和原因
（一）基层执法力量仍然薄弱。部分乡镇执法人员数量不足，有的乡镇仅有执法人员三四名，专业化水平不高，执法装备配备不到位，主要原因是编制资源有限、培训机制不健全，难以满足综合执法改革后的工作需要。
（二）法治宣传的针对性有待加强。普法工作形式较为单一，仍以发放资料、悬挂横幅为主，面向企业和新就业群体的宣传覆盖不够，主要原因是普法责任制落实不够到位，部门之间协同不足，宣传资源没有有效整合。
三、2025年工作安排
（一）提升基层执法能力。开展乡镇执法人员轮训，全年组织培训不少于4期，推动执法装备标准化配备，完善执法协作机制，切实提高基层综合执法水平和依法行政能力。
（二）创新普法宣传方式。落实“谁执法谁普法”责任制，围绕企业经营和群众关切开展精准普法，建设一批法治文化阵地，推动法治宣传进企业、进社区、进网络平台。

{county}人民政府
2025年1月20日
"""

PLAN = """南屏区2025年法治政府建设工作要点

为深入推进法治政府建设，现提出2025年工作要点如下：
一、深化行政执法改革
（一）全面推行行政执法三项制度，年内完成执法人员轮训。
（二）开展行政执法质量评查，重点检查市场监管、生态环境领域案卷。
二、加强行政复议工作
（一）畅通复议申请渠道，推行网上申请复议。
"""

MARK = "石门联查"
"""A phrase only the re-asked report has: the engine's first answer to it names a figure the
source does not have (办理案件999件), the re-ask gets a figure-free answer."""


def engine(body: dict[str, Any]) -> dict[str, Any] | None:
    """The fake model: the passage's first clause as its summary (so that each report's answers,
    and the overviews made of them, are its own), except a figure the source does not have in
    its first answer on ``MARK``; the heading-label requests get the fake model's answer."""
    last = body["messages"][-1]["content"]
    passage = segments(body).get(1)
    if "段落：" not in last or passage is None:  # a re-ask, or the labels
        return completion(answer_json(body), tokens_in=60, tokens_out=12)
    if MARK in last:
        bad = json.dumps({"summary": "推行联合执法，办理案件999件。"}, ensure_ascii=False)
        return completion(bad, tokens_in=70, tokens_out=15)
    clause = re.split(r"[，；。]", passage)[0]
    said = json.dumps({"summary": f"{clause}。"}, ensure_ascii=False)
    return completion(said, tokens_in=60, tokens_out=12)


def reply(request: dict[str, Any]) -> Reply:
    """The same model behind the online fake server."""
    return Reply(body=engine(request))


def folder_of_reports(root: Path) -> Path:
    folder = root / "reports"
    folder.mkdir()
    counties = [
        ("清溪县", "县", "综合查一次", 1286, 9, 236),
        ("白沙市", "市", "进一次门", 2310, 14, 402),
    ]
    for county, kind, mode, n1, n2, n3 in counties:
        text = REPORT.format(county=county, kind=kind, mode=mode, n1=n1, n2=n2, n3=n3)
        (folder / f"{county}.txt").write_text(text, encoding="utf-8")
    text = REPORT.format(county="石门区", kind="区", mode=MARK, n1=904, n2=6, n3=118)
    (folder / "石门区.txt").write_text(text, encoding="utf-8")
    (folder / "南屏区工作要点.txt").write_text(PLAN, encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"this is not a Word file at all")
    return folder


def online_run(reports: Path, out: Path) -> int:
    """`summariser run` against the fake chat server; the number of requests it made."""
    with FakeServer(default=reply) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "SUMMARISER_MODEL": "fake"}
        env.pop("SUMMARISER_MODE", None)
        proc = subprocess.run(
            [SUMMARISER, "run", str(reports), "--out", str(out), "-q"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stderr  # the bad input and the plan fail
        return len(server.requests)


def drive(batch: Path, answer: Any = engine, limit: int = 8) -> list[int]:
    """Run the engine over each round and collect, to the end; the requests of each round."""
    sizes = []
    for _ in range(limit):
        state = BatchState.load(batch)
        if state.finished:
            return sizes
        requests = round_path(batch, state.round).read_text(encoding="utf-8")
        sizes.append(len(requests.splitlines()))
        results = batch / f"results-{state.round}.jsonl"
        results.write_text(run_engine(requests, answer), encoding="utf-8")
        collect(batch, results, QUIET)
    raise AssertionError(f"not finished after {limit} rounds")


def test_rounds_to_the_end_give_the_online_runs_outputs(tmp_path: Path) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    said: list[str] = []
    assert prepare([reports], batch, "fake", "json", said.append) is None
    assert any(s.startswith("broken.docx: failed") for s in said)
    sizes = drive(batch)
    asked_online = online_run(reports, tmp_path / "online")

    assert compare(tmp_path / "online", batch / "out") == []
    # 1 the items and the plan's labels; 2 the overviews, the item's re-ask and the labels'
    # re-ask (the plan is refused after it, as online); 3 the re-asked report's overview
    assert len(sizes) == 3, sizes
    state = BatchState.load(batch)
    per_report = {r.name: (r.requests, r.rounds) for r in state.reports.values()}
    assert per_report["南屏区工作要点.txt"] == (2, 2)
    assert per_report["石门区.txt"][1] == 3
    assert per_report["清溪县.txt"][1] == per_report["白沙市.txt"][1] == 2
    # each report asked what it asked online; a request two reports share (the same passage)
    # is sent once
    assert sum(r.requests for r in state.reports.values()) == asked_online
    assert sum(sizes) < asked_online
    shimen = json.loads((batch / "out" / "石门区.json").read_text(encoding="utf-8"))
    assert shimen["run"]["reasks"] == 1
    assert "999" not in json.dumps(shimen["parts"], ensure_ascii=False)
    with (batch / "out" / "index.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row["status"] for row in csv.DictReader(handle)}
    assert rows["broken.docx"] == "failed" and rows["南屏区工作要点.txt"] == "failed"
    assert rows["石门区.txt"] == "ok"


def test_collecting_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    results = batch / "results-1.jsonl"
    results.write_text(run_engine(round_path(batch, 1).read_text(encoding="utf-8"), engine))
    collect(batch, results, QUIET)
    files = {p.name: p.read_bytes() for p in batch.iterdir() if p.is_file()}
    said: list[str] = []
    counts, outcomes = collect(batch, results, said.append)
    assert outcomes is None and counts is not None and counts.new == 0
    assert any("nothing new" in s for s in said)
    assert {p.name: p.read_bytes() for p in batch.iterdir() if p.is_file()} == files


def test_a_collect_stopped_after_storing_the_answers_goes_on_when_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summariser.batch.collect as collecting

    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    results = batch / "results-1.jsonl"
    results.write_text(run_engine(round_path(batch, 1).read_text(encoding="utf-8"), engine))
    real_advance = collecting.advance

    def stopped(*args: Any, **kwargs: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(collecting, "advance", stopped)
    with pytest.raises(KeyboardInterrupt):
        collect(batch, results, QUIET)
    assert BatchState.load(batch).round == 1 and not round_path(batch, 2).exists()
    monkeypatch.setattr(collecting, "advance", real_advance)
    said: list[str] = []
    collect(batch, results, said.append)
    assert "round 1: going on from the answers already collected" in said
    assert BatchState.load(batch).round == 2 and round_path(batch, 2).is_file()
    drive(batch)
    online_run(reports, tmp_path / "online")
    assert compare(tmp_path / "online", batch / "out") == []


def test_missing_and_failed_results_are_asked_again_and_the_end_is_the_same(
    tmp_path: Path,
) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    first = round_path(batch, 1).read_text(encoding="utf-8").splitlines()
    dropped = {json.loads(line)["custom_id"] for line in first[:3]}
    failed = {json.loads(line)["custom_id"] for line in first[3:5]}

    def flaky(body: dict[str, Any]) -> dict[str, Any] | None:
        key = request_id(body)
        if key in dropped:
            return None
        if key in failed:
            return {"error": {"code": "server_error", "message": "try again"}}
        return engine(body)

    results = batch / "results-1.jsonl"
    results.write_text(run_engine("\n".join(first), flaky), encoding="utf-8")
    said: list[str] = []
    collect(batch, results, said.append)
    counted = f"round 1: {len(first)} requests, {len(first) - 5} answered, 2 failed, 3 missing"
    assert counted in said[0]
    second = {
        json.loads(line)["custom_id"]
        for line in round_path(batch, 2).read_text(encoding="utf-8").splitlines()
    }
    assert dropped | failed <= second
    drive(batch)
    online_run(reports, tmp_path / "online")
    assert compare(tmp_path / "online", batch / "out") == []


def test_a_request_that_keeps_failing_ends_as_the_endpoint_said(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    text = REPORT.format(county="清溪县", kind="县", mode="综合查一次", n1=1286, n2=9, n3=236)
    (reports / "清溪县.txt").write_text(text, encoding="utf-8")
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    doomed = json.loads(round_path(batch, 1).read_text(encoding="utf-8").splitlines()[0])

    def refusing(body: dict[str, Any]) -> dict[str, Any] | None:
        if request_id(body) == doomed["custom_id"]:
            return {"error": {"code": "server_error", "message": "always"}}
        return engine(body)

    sizes = drive(batch, refusing)
    # asked in three rounds, then kept as the endpoint's answer: no overview is asked after it
    assert len(sizes) == MAX_FAILURES and sizes[1:] == [1] * (MAX_FAILURES - 1)
    summary = json.loads((batch / "out" / "清溪县.json").read_text(encoding="utf-8"))
    # online, a server that keeps failing sends the whole report to the rules engine
    assert summary["run"]["engine"] == "rules"
    assert summary["run"]["engine_note"].startswith("fallback")


def test_the_cli_prepares_and_collects_with_token_accounting(tmp_path: Path) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    env = {**os.environ, "SUMMARISER_MODEL": "fake", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    env |= {"SUMMARISER_PRICE_IN": "0.075", "SUMMARISER_PRICE_OUT": "0.30"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [SUMMARISER, "batch", *args], env=env, capture_output=True, text=True, timeout=300
    )
    proc = run("prepare", str(reports), "--dir", str(batch))
    assert proc.returncode == 0, proc.stderr
    lines = round_path(batch, 1).read_text(encoding="utf-8").splitlines()
    assert f"round-1.jsonl ({len(lines)} requests for 4 reports)" in proc.stderr
    first = json.loads(lines[0])
    assert set(first) == {"custom_id", "method", "url", "body"}
    assert first["body"]["model"] == "fake" and first["url"] == "/v1/chat/completions"
    results = tmp_path / "out-1.jsonl"
    results.write_text(run_engine("\n".join(lines), well_behaved), encoding="utf-8")
    proc = run("collect", str(batch), "--results", str(results))
    assert proc.returncode == 0, proc.stderr
    tokens_in = 50 * len(lines)  # the fake server's completion() usage: 50 in, 20 out
    cost = (tokens_in * 0.075 + 20 * len(lines) * 0.30) / 1e6
    assert f"tokens in {tokens_in:,}, out {20 * len(lines):,}; cost {cost:,.4f}" in proc.stderr
    again = run("prepare", str(reports), "--dir", str(batch))
    assert again.returncode == 2 and "already holds a batch" in again.stderr
    assert "Traceback" not in again.stderr
    bad = run("collect", str(batch), "--results", str(reports / "清溪县.txt"))
    assert bad.returncode == 2 and "not a JSON line" in bad.stderr
    assert "Traceback" not in bad.stderr
    nobatch = run("collect", str(tmp_path), "--results", str(results))
    assert nobatch.returncode == 2 and "no batch here" in nobatch.stderr


def test_results_read_answers_before_errors_and_error_lines_as_failures(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"custom_id": "a", "response": null, "error": {"code": "x", "message": "m"}}\n'
        '{"custom_id": "a", "response": {"status_code": 200, "body": {"k": 1}}, "error": null}\n'
        '{"custom_id": "b", "response": {"status_code": 400, "body": {"e": 1}}, "error": null}\n'
        "\n",
        encoding="utf-8",
    )
    got = read_results(path)
    assert got["a"].ok and got["a"].body == {"k": 1}
    assert got["b"].status == 400 and not got["b"].ok
    path.write_text('{"response": {}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="no custom_id"):
        read_results(path)


def test_submit_runs_the_rounds_at_a_batches_api_and_resumes_after_an_interruption(
    tmp_path: Path,
) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)

    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    with FakeBatchServer(engine, polls=2) as server:
        with pytest.raises(KeyboardInterrupt):
            submit(batch, server.base_url, "sk-test", QUIET, poll=0, sleep=interrupt)
        state = BatchState.load(batch)
        assert state.submitted is not None and state.submitted["batch_id"] == "batch-1"
        assert server.created == 1
        said: list[str] = []
        outcomes = submit(batch, server.base_url, "sk-test", said.append, poll=0, sleep=QUIET)
        assert outcomes is not None
        assert "round 1: going on with batch batch-1" in said
        assert server.created == server.uploads == 3  # one batch per round, none twice
    assert BatchState.load(batch).finished
    online_run(reports, tmp_path / "online")
    assert compare(tmp_path / "online", batch / "out") == []


def test_submit_says_in_one_line_when_the_key_is_refused(tmp_path: Path) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    with FakeBatchServer() as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-wrong"}
        proc = subprocess.run(
            [SUMMARISER, "batch", "submit", str(batch), "--poll", "0"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2 and "refused the credentials" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_recorded_model_answers_give_the_replayed_summaries(tmp_path: Path) -> None:
    """The real model's recorded answers (cassettes, re-asks included) as the batch engine:
    every request a round holds was recorded by an online run, and the summaries equal the
    summaries replayed from the same recordings."""
    import yaml

    from summariser.config import MODEL_NAME
    from summariser.output.files import summary_json
    from summariser.pipeline.replay import summarise_cases

    recorded: dict[str, dict[str, Any]] = {}
    for path in (ROOT / "cassettes").glob("*.yaml"):
        for exchange in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            body = json.loads(exchange["request"]["body"])
            recorded[request_id(body)] = json.loads(exchange["response"]["body"]["string"])
    reports = sorted((ROOT / "examples" / "reports").glob("*.txt"))
    batch = tmp_path / "batch"
    prepare(reports, batch, MODEL_NAME, "text", QUIET)
    asked: list[str] = []

    def from_recordings(body: dict[str, Any]) -> dict[str, Any] | None:
        asked.append(request_id(body))
        return recorded.get(request_id(body))

    sizes = drive(batch, from_recordings)
    assert set(asked) <= set(recorded), "a round asked what the online run never asked"
    assert 2 <= len(sizes) <= 4, sizes  # re-asks recorded: more than items and overview
    replayed = summarise_cases(reports, ROOT / "cassettes")
    for stem, summary in replayed.items():
        online = json.loads(summary_json(summary))
        ours = json.loads((batch / "out" / f"{stem}.json").read_text(encoding="utf-8"))
        for side in (online, ours):
            side["run"]["seconds"] = None
            for part in side["run"]["parts"]:
                part["seconds"] = None
        assert ours == online, stem


def test_a_failed_batch_is_said_in_one_line_and_sent_anew_on_the_next_submit(
    tmp_path: Path,
) -> None:
    reports = folder_of_reports(tmp_path)
    batch = tmp_path / "batch"
    prepare([reports], batch, "fake", "json", QUIET)
    with FakeBatchServer(engine, polls=0, fail=1) as server:
        with pytest.raises(TransportError, match="failed batch batch-1: line 3"):
            submit(batch, server.base_url, "sk-test", QUIET, poll=0, sleep=QUIET)
        assert BatchState.load(batch).submitted is None
        assert submit(batch, server.base_url, "sk-test", QUIET, poll=0, sleep=QUIET) is not None
        assert server.created == 4  # the failed one, then one per round
    assert BatchState.load(batch).finished
