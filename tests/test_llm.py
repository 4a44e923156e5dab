"""The model door against a scripted loopback server: re-asks, transport retries, faults."""

from __future__ import annotations

import json
import time

import pytest

from summariser.errors import ConfigError, ModelError, TransportError
from summariser.model.door import ModelDoor
from summariser.model.local import free_port
from summariser.schema import SummaryDraft
from tests.fakeserver import FakeServer, Reply, completion

GOOD = json.dumps({"summary": "调解成功1996起。"}, ensure_ascii=False)
BAD = json.dumps({"summary": "调解成功2075起。"}, ensure_ascii=False)
SECRET = "sk-test-SECRETSECRETSECRET1234"


def rejects_2075(draft: SummaryDraft) -> list[str]:
    return ["第1条的“2075起”与原文不符"] if "2075" in draft.summary else []


def door(url: str, **kw: object) -> ModelDoor:
    return ModelDoor(url, "fake", SECRET, max_wait=2.0, **kw)  # type: ignore[arg-type]


MESSAGES = [
    {"role": "system", "content": "s"},
    {"role": "user", "content": "【1】调解矛盾纠纷2075起，调解成功1996起。"},
]


def test_valid_first_answer_counts_one_attempt_and_its_tokens() -> None:
    with FakeServer([Reply(body=completion(GOOD, tokens_in=120, tokens_out=30))]) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES, context={"check": rejects_2075})
    assert got.value.summary == "调解成功1996起。"
    assert (got.usage.attempts, got.usage.tokens_in, got.usage.tokens_out) == (1, 120, 30)
    assert got.errors == []


@pytest.mark.parametrize(
    ("mode", "response_format"), [("text", None), ("json", {"type": "json_object"})]
)
def test_the_default_mode_asks_without_a_json_grammar_and_json_mode_with_one(
    mode: str, response_format: dict[str, str] | None
) -> None:
    with FakeServer([Reply(body=completion(BAD)), Reply(body=completion(GOOD))]) as srv:
        got = door(srv.base_url, mode=mode).extract(
            SummaryDraft, MESSAGES, context={"check": rejects_2075}
        )
        sent = srv.requests
    assert [r.get("response_format") for r in sent] == [response_format] * 2
    assert '"summary"' in sent[0]["messages"][0]["content"]  # the schema, in the system message
    assert got.value.summary == "调解成功1996起。" and got.usage.attempts == 2


def test_a_free_answer_that_is_not_json_is_reasked() -> None:
    script = [Reply(body=completion("调解成功1996起。")), Reply(body=completion(GOOD))]
    with FakeServer(script) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
    assert got.value.summary == "调解成功1996起。" and got.usage.attempts == 2


def test_a_fenced_free_answer_is_read_without_a_reask() -> None:
    fenced = f"```json\n{GOOD}\n```"
    with FakeServer([Reply(body=completion(fenced))]) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
    assert got.value.summary == "调解成功1996起。" and got.usage.attempts == 1


def test_an_unknown_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown mode"):
        door("http://127.0.0.1:9/v1", mode="grammar")


def test_failed_check_is_reasked_naming_the_figure_on_the_same_short_messages() -> None:
    script = [Reply(body=completion(BAD)), Reply(body=completion(GOOD))]
    with FakeServer(script) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES, context={"check": rejects_2075})
        second = srv.requests[1]["messages"]
    assert got.value.summary == "调解成功1996起。"
    assert got.usage.attempts == 2 and got.usage.tokens_out == 40
    assert "2075起" in second[-1]["content"]
    assert second[1]["content"] == MESSAGES[1]["content"]  # only the part, never a whole report


def test_after_the_last_reask_the_answer_is_kept_and_the_failure_reported() -> None:
    with FakeServer([Reply(body=completion(BAD))] * 3) as srv:
        got = door(srv.base_url).extract(
            SummaryDraft, MESSAGES, context={"check": rejects_2075}, reasks=2
        )
        assert len(srv.requests) == 3
    assert got.value.summary == "调解成功2075起。"
    assert got.usage.attempts == 3
    assert any("2075起" in e for e in got.errors)


def test_429_honours_retry_after_then_recovers() -> None:
    script = [
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"retry-after": "1"}),
        Reply(body=completion(GOOD)),
    ]
    with FakeServer(script) as srv:
        started = time.monotonic()
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
        elapsed = time.monotonic() - started
    assert got.usage.transport_retries == 1 and got.usage.attempts == 2
    assert elapsed >= 0.9


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(status: int) -> None:
    script = [
        Reply(status=status, body={"error": "boom"}, headers={"retry-after": "0"}),
        Reply(body=completion(GOOD)),
    ]
    with FakeServer(script) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
    assert got.usage.transport_retries == 1


def test_persistent_5xx_fails_with_one_line_after_all_attempts() -> None:
    with FakeServer(
        default=lambda _: Reply(status=503, body={"error": "down"}, headers={"retry-after": "0"})
    ) as srv:
        with pytest.raises(TransportError, match="HTTP 503") as info:
            door(srv.base_url, transport_attempts=3).extract(SummaryDraft, MESSAGES)
        assert len(srv.requests) == 3
    assert "\n" not in info.value.one_line()


@pytest.mark.parametrize(("status", "error"), [(401, ConfigError), (400, ModelError)])
def test_client_errors_are_never_retried(status: int, error: type[Exception]) -> None:
    with FakeServer(
        default=lambda _: Reply(status=status, body={"error": {"message": "no"}})
    ) as srv:
        with pytest.raises(error) as info:
            door(srv.base_url).extract(SummaryDraft, MESSAGES)
        assert len(srv.requests) == 1
    assert SECRET not in str(info.value)


def test_refused_connection_is_a_transport_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(TransportError, match="cannot reach"):
        door(url, transport_attempts=2).extract(SummaryDraft, MESSAGES)


def test_timeouts_are_retried_then_reported() -> None:
    with FakeServer(default=lambda _: Reply(body=completion(GOOD), delay=1.0)) as srv:
        with pytest.raises(TransportError, match="timed out"):
            door(srv.base_url, timeout=0.3, transport_attempts=2).extract(SummaryDraft, MESSAGES)
        assert len(srv.requests) == 2


def test_malformed_json_is_reasked_and_recovers() -> None:
    with FakeServer(
        [Reply(body=completion('{"summary": "调解')), Reply(body=completion(GOOD))]
    ) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
    assert got.usage.attempts == 2 and got.value.summary == "调解成功1996起。"


def test_json_that_never_parses_is_a_model_error() -> None:
    with FakeServer(default=lambda _: Reply(body=completion("我无法完成这个任务。"))) as srv:
        with pytest.raises(ModelError):
            door(srv.base_url).extract(SummaryDraft, MESSAGES, reasks=1)


def test_schema_violation_is_reasked() -> None:
    wrong = json.dumps({"summary": ["调解成功1996起。"], "extra": 1}, ensure_ascii=False)
    with FakeServer([Reply(body=completion(wrong)), Reply(body=completion(GOOD))]) as srv:
        got = door(srv.base_url).extract(SummaryDraft, MESSAGES)
    assert got.usage.attempts == 2


def test_truncated_output_is_a_model_error() -> None:
    with FakeServer(
        default=lambda _: Reply(body=completion('{"summary": "调', finish="length"))
    ) as srv:
        with pytest.raises(ModelError, match="cut off"):
            door(srv.base_url).extract(SummaryDraft, MESSAGES, max_tokens=5)


def test_empty_choices_is_a_model_error() -> None:
    body = completion(GOOD)
    body["choices"] = []
    with FakeServer(default=lambda _: Reply(body=body)) as srv:
        with pytest.raises(ModelError):
            door(srv.base_url).extract(SummaryDraft, MESSAGES, reasks=0)


def test_a_200_that_is_not_a_completion_is_a_model_error() -> None:
    with FakeServer(default=lambda _: Reply(body={"error": {"message": "upstream failed"}})) as srv:
        with pytest.raises(ModelError):
            door(srv.base_url).extract(SummaryDraft, MESSAGES, reasks=0)
