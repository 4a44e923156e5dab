"""Recorded model exchanges (cassettes): one configuration for tests, eval and re-recording.

Requests are matched on method, path and JSON body, so a changed prompt, schema or model name
no longer matches its recording: replay then fails loudly instead of answering stale text.
Credentials and server fingerprints are filtered out before anything is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPLAY_URL = "http://127.0.0.1:9/v1"
"""The base URL used while replaying: nothing listens there, so a miss can never reach a model."""

FILTER_HEADERS = [
    "authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
    "cookie", "set-cookie",
]  # fmt: skip
MATCH_ON = ["method", "path", "body"]


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for key in list(headers):
        if key.lower() in ("set-cookie", "server", "date", "x-request-id"):
            headers.pop(key)
    return response


def vcr_config() -> dict[str, Any]:
    """The settings every cassette is recorded and replayed with."""
    return {
        "filter_headers": FILTER_HEADERS,
        "match_on": MATCH_ON,
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
    }


@contextlib.contextmanager
def cassette(path: Path, record: bool = False) -> Iterator[None]:
    """Replay ``path`` (record mode ``none``), or record it afresh when ``record`` is true."""
    import vcr

    path.parent.mkdir(parents=True, exist_ok=True)
    if record:
        path.unlink(missing_ok=True)
    recorder = vcr.VCR(record_mode="all" if record else "none", **vcr_config())
    with recorder.use_cassette(str(path)):
        yield


def summarise_cases(
    reports: list[Path],
    cassette_dir: Path,
    *,
    record: bool = False,
    base_url: str | None = None,
    log: Any = None,
) -> dict[str, Any]:
    """Summarise each report with the model, through its cassette ``<cassette_dir>/<stem>.yaml``.

    Replaying (the default) needs no model and no network. ``record=True`` starts the embedded
    local model (or uses ``base_url``) and rewrites each cassette from a live run.

    Returns:
        stem -> ReportSummary, or stem -> the SummariserError that stopped that report.
    """
    from summariser.config import MODEL_NAME
    from summariser.errors import SummariserError
    from summariser.model.door import ModelDoor
    from summariser.model.local import serve
    from summariser.model.prompts import load
    from summariser.pipeline.drafting import ModelDrafter
    from summariser.pipeline.report import summarise
    from summariser.reading.documents import read_document

    template = load("items")
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        if record and base_url is None:
            base_url = stack.enter_context(serve()).base_url
        url = base_url if record else REPLAY_URL
        assert url is not None
        door = ModelDoor(url, MODEL_NAME, transport_attempts=1 if not record else 4)
        drafter = ModelDrafter(door, template)
        for report in reports:
            doc = read_document(report)
            try:
                with cassette(cassette_dir / f"{doc.stem}.yaml", record=record):
                    results[doc.stem] = summarise(
                        doc, drafter, template=template, model=MODEL_NAME,
                        progress=log or (lambda _: None),
                    )  # fmt: skip
            except SummariserError as err:
                if not record and "cannot reach" in str(err):
                    err = SummariserError(
                        f"{doc.name}: the cassette has no recording for this request "
                        "(prompt, schema or model changed?)",
                        hint="re-record with `summariser record`",
                    )
                results[doc.stem] = err
    return results
