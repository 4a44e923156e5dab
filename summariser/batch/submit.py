"""`batch submit`: a batch's rounds run at an endpoint's files and batches API, resumably.

The API is OpenAI's (and the compatible ones of other providers): ``POST /files`` with
``purpose=batch`` uploads a round's file, ``POST /batches`` starts it, ``GET /batches/{id}``
says how far it is, ``GET /files/{id}/content`` gives the output (and error) file. This module
and the model door are the only ones that talk to an endpoint; the batch API has no chat
answer to check, so it is plain HTTP here, and every answer is checked by the door when the
results are collected (``batch.collect``). The batch in flight is written to the folder's state
before it is polled, so an interrupted submit polls the same batch again instead of paying for
a second one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2

from summariser.batch.collect import Log, collect
from summariser.batch.files import URL, BatchState, round_path
from summariser.batch.outcome import Outcome
from summariser.batch.progress import BatchProgress
from summariser.errors import ConfigError, TransportError
from summariser.output.files import write_atomic

DONE = ("completed", "failed", "expired", "cancelled")
"""A batch's statuses after which it changes no more."""
EMPTY_TRIES = 3
"""Batches of one round in a row that may bring nothing back before submit gives up."""
WINDOW = "24h"


class BatchClient:
    """The files and batches API of one endpoint, over httpx2."""

    def __init__(
        self, base_url: str, api_key: str, transport: httpx2.BaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx2.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=120.0,
            transport=transport,
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx2.HTTPError as err:
            raise TransportError(
                f"cannot reach the batch endpoint at {self.base_url} ({type(err).__name__})",
                hint="run `batch submit` again to go on where it stopped",
            ) from None
        if response.status_code in (401, 403):
            raise ConfigError(
                f"the endpoint refused the credentials (HTTP {response.status_code})",
                hint="check OPENAI_API_KEY",
            )
        if response.status_code >= 400:
            raise TransportError(
                f"the batch endpoint answered HTTP {response.status_code} to {method} {path}",
                hint="run `batch submit` again to go on where it stopped",
            )
        return response

    def upload(self, path: Path) -> str:
        files = {"file": (path.name, path.read_bytes(), "application/jsonl")}
        got = self._call("POST", "/files", data={"purpose": "batch"}, files=files).json()
        return str(got["id"])

    def create(self, file_id: str) -> dict[str, Any]:
        payload = {"input_file_id": file_id, "endpoint": URL, "completion_window": WINDOW}
        got: dict[str, Any] = self._call("POST", "/batches", json=payload).json()
        return got

    def status(self, batch_id: str) -> dict[str, Any]:
        got: dict[str, Any] = self._call("GET", f"/batches/{batch_id}").json()
        return got

    def content(self, file_id: str) -> bytes:
        return self._call("GET", f"/files/{file_id}/content").content


def submit(
    folder: Path,
    base_url: str,
    api_key: str,
    log: Log,
    *,
    poll: float = 60.0,
    prices: tuple[float, float] | None = None,
    progress: BatchProgress | None = None,
    transport: httpx2.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome] | None:
    """Submit, poll, download and collect every round until the batch finishes.

    Returns:
        The outcomes (None when the batch had finished before).

    Raises:
        TransportError: the endpoint unreachable, or its batches kept bringing nothing back.
        ConfigError: the credentials refused.
    """
    client = BatchClient(base_url, api_key, transport)
    state = BatchState.load(folder)
    if state.finished:
        log(f"{folder}: the batch has finished; its outputs are in {folder / 'out'}")
        return None
    empty = 0
    while True:
        n = state.round
        flight = state.submitted
        if flight is None or flight.get("round") != n:
            file_id = client.upload(round_path(folder, n))
            batch = client.create(file_id)
            state.submitted = {"round": n, "batch_id": batch["id"], "input_file_id": file_id}
            state.save(folder)
            log(f"round {n}: submitted as batch {batch['id']}")
        else:
            log(f"round {n}: going on with batch {flight['batch_id']}")
        batch_id = str(state.submitted["batch_id"])  # type: ignore[index]
        batch = client.status(batch_id)
        while batch.get("status") not in DONE:
            sleep(poll)
            batch = client.status(batch_id)
        if batch.get("status") == "failed" and not batch.get("output_file_id"):
            state.submitted = None
            state.save(folder)
            raise TransportError(
                f"round {n}: the endpoint failed batch {batch_id}: {_errors(batch)}",
                hint="run `batch submit` again to send the round anew",
            )
        results = folder / f"results-{n}.jsonl"
        data = b"\n".join(
            client.content(str(batch[key]))
            for key in ("output_file_id", "error_file_id")
            if batch.get(key)
        )
        write_atomic(results, data)
        log(f"round {n}: batch {batch_id} {batch.get('status')}")
        _, outcomes = collect(folder, results, log, prices, progress)
        state = BatchState.load(folder)
        if state.finished:
            return outcomes
        if state.round == n:  # nothing came back: the same round goes again, a few times
            empty += 1
            if empty >= EMPTY_TRIES:
                raise TransportError(
                    f"round {n}: {EMPTY_TRIES} batches in a row brought no answer back",
                    hint="check the endpoint's batch page, then run `batch submit` again",
                )
            state.submitted = None
            state.save(folder)
        else:
            empty = 0


def _errors(batch: dict[str, Any]) -> str:
    """The first error a failed batch gives, in one line."""
    errors = batch.get("errors")
    data = errors.get("data") if isinstance(errors, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return " ".join(str(data[0].get("message") or data[0].get("code") or "").split())[:200]
    return "no reason given"
