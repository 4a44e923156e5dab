"""Batch files: requests and results in the OpenAI batch format, and a batch's state in its folder.

The format is the one OpenAI's Batch API, the compatible APIs of other providers and
``vllm run-batch`` all read and write. A request line::

    {"custom_id": "...", "method": "POST", "url": "/v1/chat/completions", "body": {...}}

a result line::

    {"custom_id": "...", "response": {"status_code": 200, "body": {...}}, "error": null}

A request's ``custom_id`` is a hash of its body, so the same request has the same id in every
round and every report (two reports that send the same body share one answer, as they would
share it online), and an answer is kept against exactly the body that was asked.

Everything a batch needs to go on lives in its folder, each file written whole (through
``write_atomic``): ``state.json`` (the inputs, model, round, each report's status, the batch
in flight), ``round-N.jsonl`` (the requests of round N) and ``answers-N.jsonl`` (the answers
collected in round N).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summariser.errors import InputError
from summariser.output.files import write_atomic

URL = "/v1/chat/completions"
"""The one endpoint every request of a batch goes to."""
STATE = "state.json"
STATE_VERSION = 1


def canonical(body: dict[str, Any]) -> str:
    """A request body as one canonical JSON string (keys sorted): what identifies it."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def request_id(body: dict[str, Any]) -> str:
    """The ``custom_id`` of a request: the first 40 hex digits of its canonical body's SHA-256."""
    return "r" + hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()[:40]


def request_line(body: dict[str, Any]) -> str:
    """One line of a batch input file."""
    line = {"custom_id": request_id(body), "method": "POST", "url": URL, "body": body}
    return json.dumps(line, ensure_ascii=False)


@dataclass
class Answer:
    """One collected result: the HTTP status and body the endpoint gave (an error as 5xx)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status == 200

    def tokens(self) -> tuple[int, int]:
        """Tokens in and out as the answer's ``usage`` says (0 when it says nothing)."""
        usage = self.body.get("usage") if isinstance(self.body, dict) else None
        if not isinstance(usage, dict):
            return 0, 0
        return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except ValueError:
                raise InputError(f"{path}:{number}: not a JSON line") from None
            if not isinstance(value, dict):
                raise InputError(f"{path}:{number}: not a JSON object")
            yield number, value


def read_ids(path: Path) -> set[str]:
    """The custom_ids of a batch input file (the bodies are not kept)."""
    return {str(v["custom_id"]) for _, v in _lines(path)}


def read_results(path: Path) -> dict[str, Answer]:
    """A batch output (or error) file: custom_id -> the answer, an ``error`` line as a 500.

    Raises:
        InputError: the file cannot be read, or a line is not a result line.
    """
    results: dict[str, Answer] = {}
    for number, line in _lines(path):
        custom_id = line.get("custom_id")
        if not isinstance(custom_id, str):
            raise InputError(f"{path}:{number}: no custom_id (not a batch output file?)")
        response = line.get("response")
        if isinstance(response, dict) and "status_code" in response:
            answer = Answer(int(response["status_code"]), response.get("body"))
        elif isinstance(response, dict) and "choices" in response:  # the body alone (some engines)
            answer = Answer(200, response)
        else:
            answer = Answer(500, {"error": line.get("error") or "no response"})
        old = results.get(custom_id)
        if old is None or not old.ok:  # an answer beats an error for the same request
            results[custom_id] = answer
    return results


def result_line(custom_id: str, status: int, body: Any) -> str:
    """One line of a batch output file (what an engine writes; the tests' fake engine too)."""
    return json.dumps(
        {
            "id": f"batch_req_{custom_id}",
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": custom_id, "body": body},
            "error": None,
        },
        ensure_ascii=False,
    )


@dataclass
class ReportState:
    """Where one report stands: ``pending`` (waits for answers) or ``done``."""

    name: str
    status: str = "pending"
    requests: int = 0
    """Distinct requests the report has made so far (re-asks and overviews included)."""
    rounds: int = 0
    """The rounds in which it had requests."""
    reason: str = ""


@dataclass
class BatchState:
    """What a batch folder holds between rounds."""

    paths: list[str]
    model: str
    mode: str
    round: int = 1
    finished: bool = False
    reports: dict[str, ReportState] = field(default_factory=dict)
    """sha256 of the report's bytes -> its state."""
    failures: dict[str, list[int]] = field(default_factory=dict)
    """custom_id -> the rounds in which its result was an error."""
    submitted: dict[str, Any] | None = None
    """The batch in flight at the endpoint (``summariser batch submit``): round, ids."""
    version: int = STATE_VERSION

    def save(self, folder: Path) -> None:
        write_atomic(folder / STATE, json.dumps(asdict(self), ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, folder: Path) -> BatchState:
        """The state of the batch in ``folder``.

        Raises:
            InputError: no batch there, or a state file this version cannot read.
        """
        path = folder / STATE
        if not path.is_file():
            raise InputError(
                f"{folder}: no batch here (no {STATE})", hint="start one with `batch prepare`"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            reports = {k: ReportState(**v) for k, v in data.pop("reports", {}).items()}
            state = cls(**data, reports=reports)
        except (OSError, ValueError, TypeError) as err:
            raise InputError(f"{path}: unreadable batch state ({err})") from None
        if state.version != STATE_VERSION:
            raise InputError(f"{path}: batch state version {state.version} is not supported")
        return state


def round_path(folder: Path, n: int) -> Path:
    return folder / f"round-{n}.jsonl"


def answers_path(folder: Path, n: int) -> Path:
    return folder / f"answers-{n}.jsonl"


def load_answers(folder: Path, n: int | None = None) -> dict[str, Answer]:
    """Every answer collected so far, from every round's answers file (or round ``n``'s)."""
    answers: dict[str, Answer] = {}
    paths = sorted(folder.glob("answers-*.jsonl")) if n is None else [answers_path(folder, n)]
    for path in (p for p in paths if p.is_file()):
        for _, line in _lines(path):
            answers[str(line["custom_id"])] = Answer(int(line["status"]), line["body"])
    return answers


def write_answers(folder: Path, n: int, answers: dict[str, Answer]) -> None:
    """Write the answers collected in round ``n`` (all of them: the file is rewritten whole)."""
    lines = (
        json.dumps({"custom_id": k, "status": a.status, "body": a.body}, ensure_ascii=False)
        for k, a in answers.items()
    )
    write_atomic(answers_path(folder, n), "".join(line + "\n" for line in lines))
