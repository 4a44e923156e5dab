"""`memo --llm`: the synthesis request, its figures checked, replayed from cassettes/memo.yaml.

Only the first test needs the recording (`summariser record` writes it); it is skipped until
the cassette exists, except under CI=true, where a missing cassette fails. The others answer
from the loopback fake server or replay an empty cassette, and need no model.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summariser.errors import SummariserError
from summariser.memo.command import run_memo
from summariser.memo.synthesis import memo_through_cassette, synthesiser
from summariser.model.door import ModelDoor
from summariser.model.prompts import load
from summariser.output.files import write_summary
from summariser.schema import ReportSummary
from tests.conftest import CASSETTES
from tests.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "memo"
FIGURE = re.compile(r"\d+(?:\.\d+)?")
OK = ("verified", "derived")
SYNTHESIS_HEAD = "、综合分析"
MODEL_NOTE = "（本段由模型"


# --- helpers ---------------------------------------------------------------------------------


def paragraph_answer(paragraph: str) -> Callable[[dict[str, Any]], Reply]:
    """A fake model that answers every request with this synthesis paragraph."""
    body = json.dumps({"paragraph": paragraph}, ensure_ascii=False)
    return lambda request: Reply(body=completion(body))


def fixture_run(tmp_path: Path) -> Path:
    """The hand-checked run JSON of the five samples (tests/data/memo), as a run folder."""
    run = tmp_path / "run"
    run.mkdir()
    for path in FIXTURES.glob("*.json"):
        shutil.copy(path, run / path.name)
    return run


def sections(md: str) -> dict[str, str]:
    """Second-level heading (without its number) -> the text under it."""
    out: dict[str, str] = {}
    for chunk in re.split(r"^## ", md, flags=re.M)[1:]:
        head, _, text = chunk.partition("\n")
        out[head.split("、", 1)[-1].strip()] = text
    return out


def synthesis_sentences(md: str) -> list[str]:
    """The synthesis paragraph's sentences as the memo shows them, trace marks removed."""
    text = sections(md).get("综合分析", "")
    return [
        re.sub(r"〔[^〕]*〕$", "", line.strip())
        for line in text.splitlines()
        if line.strip() and not line.startswith(MODEL_NOTE)
    ]


def figures(text: str) -> list[str]:
    """Digit runs that are figures: a four-digit run before 年 is a year."""
    return [
        m.group(0)
        for m in FIGURE.finditer(text)
        if not (len(m.group(0)) == 4 and text[m.end() : m.end() + 1] == "年")
    ]


def user_message(request: dict[str, Any]) -> str:
    return str(next(m["content"] for m in request["messages"] if m["role"] == "user"))


# --- the recording ---------------------------------------------------------------------------


@pytest.mark.skipif(
    not (CASSETTES / "memo.yaml").exists() and os.environ.get("CI") != "true",
    reason="cassettes/memo.yaml is not recorded yet (`summariser record` writes it)",
)
def test_the_recorded_synthesis_replays_with_only_checked_figures(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    run = tmp_path / "run"
    for stem, summary in replayed.items():
        write_summary(run, stem, summary)
    out = tmp_path / "memo.md"
    assert memo_through_cassette([run], out, CASSETTES / "memo.yaml") == 0
    md = out.read_text(encoding="utf-8")
    said = synthesis_sentences(md)
    assert said, "the memo has no synthesis paragraph"
    # every sentence kept is traced to the reports it draws on
    lines = [
        line.strip()
        for line in sections(md)["综合分析"].splitlines()
        if line.strip() and not line.startswith(MODEL_NOTE)
    ]
    assert all(re.search(r"〔[^〕]+〕$", line) for line in lines), lines
    # The memo's checked sentences: every section but the synthesis, before the flags.
    body = "\n".join(
        text for head, text in sections(md).items() if head not in ("综合分析", "需要注意的问题")
    )
    body_figures = set(figures(body))
    verified = {
        f
        for summary in replayed.values()
        for n in summary.verification["numbers"]
        if n["status"] in OK
        for f in FIGURE.findall(n["text"])
    }
    quotes = "".join(k.quote for s in replayed.values() for k in s.key_figures)
    for sentence in said:
        for figure in figures(sentence):
            assert figure in body_figures, (figure, sentence)
            assert figure in verified or figure in quotes, (figure, sentence)


# --- the request, against the fake server -----------------------------------------------------


def test_the_synthesiser_sends_the_memo_prompt_and_returns_the_paragraph() -> None:
    paragraph = "各地持续推进依法行政，复议应诉工作仍需加强。"
    body = "推进依法行政 全年组织执法培训。〔甲县司法局·2024〕"
    with FakeServer(default=paragraph_answer(paragraph)) as srv:
        door = ModelDoor(srv.base_url, "fake", transport_attempts=1)
        assert synthesiser(door)(body) == paragraph
    (request,) = srv.requests
    template = load("memo")
    assert request["messages"][0]["role"] == "system"
    assert request["messages"][0]["content"].startswith(template.system)
    assert '"paragraph"' in request["messages"][0]["content"]  # the SynthesisDraft schema
    assert body in user_message(request) and "不超过150字" in user_message(request)
    assert request["max_tokens"] == 600


def test_a_synthesis_figure_the_memo_does_not_carry_is_dropped_and_flagged(
    tmp_path: Path,
) -> None:
    kept = "白城调解各类纠纷9084件。"
    dropped = "全区受理法律援助案件1789件。"  # a figure the fixtures mark as not verified
    plain = "普法形式仍需创新。"
    out = tmp_path / "memo.md"
    with FakeServer(default=paragraph_answer(kept + dropped + plain)) as srv:
        door = ModelDoor(srv.base_url, "fake", transport_attempts=1)
        assert run_memo([fixture_run(tmp_path)], out, llm=True, synthesise=synthesiser(door)) == 0
    (request,) = srv.requests
    assert "9084件" in user_message(request) and "1789件" not in user_message(request)
    md = out.read_text(encoding="utf-8")
    assert synthesis_sentences(md) == [kept, plain]
    flags = sections(md)["需要注意的问题"]
    assert any("综合分析" in line and "1789件" in line for line in flags.splitlines())
    assert "1789件" not in md.split("需要注意的问题")[0]


@pytest.mark.parametrize("content", [None, "", "interactions: []\nversion: 1\n"])
def test_replaying_without_a_recording_is_one_line_and_reaches_no_endpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    path = tmp_path / "cassettes" / "memo.yaml"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "memo.md"
    with FakeServer(default=paragraph_answer("不应被调用。")) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        with pytest.raises(SummariserError) as caught:
            memo_through_cassette([fixture_run(tmp_path)], out, path, base_url=srv.base_url)
    assert srv.requests == []
    line = caught.value.one_line()
    assert "\n" not in line
    assert "no recording" in line and "summariser record" in line
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert not out.exists()
    assert path.exists() == (content is not None)
    if content is not None:
        assert path.read_text(encoding="utf-8") == content


def test_the_memo_command_with_llm_writes_the_synthesis(tmp_path: Path) -> None:
    from summariser.cli import app

    paragraph = "白城调解各类纠纷9084件。"
    out = tmp_path / "memo.md"
    args = ["memo", str(fixture_run(tmp_path)), "--out", str(out), "--llm"]
    with FakeServer(default=paragraph_answer(paragraph)) as srv:
        result = CliRunner().invoke(app, [*args, "--base-url", srv.base_url, "--model", "fake"])
    assert result.exit_code == 0, result.output
    assert [r["model"] for r in srv.requests] == ["fake"]
    assert synthesis_sentences(out.read_text(encoding="utf-8")) == [paragraph]
