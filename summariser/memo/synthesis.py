"""The model's synthesis paragraph of a memo: the request, and its recording."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from summariser.config import MODEL_NAME
from summariser.errors import SummariserError, TransportError
from summariser.memo.command import run_memo
from summariser.model.door import ModelDoor
from summariser.model.prompts import load
from summariser.pipeline.replay import REPLAY_URL, cassette
from summariser.schema import SynthesisDraft

MEMO_MAX_TOKENS = 600
"""The paragraph's token allowance: a first recording was cut off at 400 (the JSON wrapper
and a 150-character paragraph of Chinese need about 300)."""

MEMO_N_CTX = 8192
"""The local server's context for a memo: the body of five reports is about 6,500 tokens,
beyond the server's default of 4,096."""

MEMO_CASSETTE = "memo.yaml"
"""The memo's recording, in the tune split's cassette folder beside the reports' own."""


def synthesiser(door: ModelDoor) -> Callable[[str], str]:
    """The model call behind `memo --llm`: the memo's checked sentences in, a paragraph out.

    The prompt is prompts/memo.yaml; the answer is a `SynthesisDraft`. Errors of the door
    (unreachable, truncated, unusable) propagate: `memo` then writes the memo without the
    synthesis and says why.
    """
    template = load("memo")

    def synthesise(body: str) -> str:
        messages = template.render(body=body)
        draft = door.extract(SynthesisDraft, messages, max_tokens=MEMO_MAX_TOKENS)
        return draft.value.paragraph

    return synthesise


def memo_through_cassette(
    run_dirs: Sequence[Path],
    out: Path,
    cassette_path: Path,
    *,
    record: bool = False,
    base_url: str | None = None,
) -> int:
    """Write the memo with its synthesis paragraph, the model's exchange replayed or recorded.

    Replaying (the default) needs no model and no network: the door points at `REPLAY_URL`,
    where nothing listens. ``record=True`` rewrites ``cassette_path`` from the endpoint at
    ``base_url`` (the embedded local model when none is given).

    Args:
        run_dirs: folders (or files) of run JSON, as `summariser.memo.command.run_memo` takes.
        out: the memo's path (.md or .docx).
        cassette_path: the recording to replay or rewrite.
        record: call the live model and record the exchange.
        base_url: the endpoint to record from; unused when replaying.

    Returns:
        0 when the memo was written.

    Raises:
        SummariserError: replaying, the cassette holds no recording of this request; any other
            error of `run_memo` or of the model door as it is.
    """
    with contextlib.ExitStack() as stack:
        if record and base_url is None:
            from summariser.model.local import serve

            base_url = stack.enter_context(serve(n_ctx=MEMO_N_CTX)).base_url
        url = base_url if record and base_url is not None else REPLAY_URL
        door = ModelDoor(url, MODEL_NAME, transport_attempts=4 if record else 1)
        try:
            with cassette(cassette_path, record=record):
                return run_memo(
                    list(run_dirs),
                    out,
                    llm=True,
                    synthesise=synthesiser(door),
                    strict_synthesis=True,
                )
        except TransportError as err:
            if record or "cannot reach" not in str(err):
                raise
            raise SummariserError(
                f"{cassette_path}: the cassette has no recording for this request "
                "(prompt, schema, model or the summaries changed?)",
                hint="re-record with `summariser record`",
            ) from None


def record_memo(
    reports: Sequence[Path], cassette_dir: Path, *, base_url: str | None = None
) -> Path:
    """Record ``<cassette_dir>/memo.yaml``: the memo over these reports' recorded summaries.

    The summaries are replayed from their cassettes in ``cassette_dir`` (record them first),
    as the tests replay them, so the memo's request is the one the tests will make.

    Returns:
        The cassette written.

    Raises:
        SummariserError: a report's cassette does not replay, or the model call failed.
    """
    import tempfile

    from summariser.output.files import write_summary
    from summariser.pipeline.replay import summarise_cases

    summaries = summarise_cases(list(reports), cassette_dir)
    broken = sorted(stem for stem, r in summaries.items() if isinstance(r, SummariserError))
    if broken:
        raise SummariserError(
            f"the memo was not recorded: {', '.join(broken)} did not replay",
            hint="record those reports first",
        )
    path = cassette_dir / MEMO_CASSETTE
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        for stem, summary in summaries.items():
            write_summary(run_dir, stem, summary)
        memo_through_cassette(
            [run_dir], Path(tmp) / "memo.md", path, record=True, base_url=base_url
        )
    return path
