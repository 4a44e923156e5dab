"""`batch prepare` and `batch collect`: a batch's rounds, from the first requests to the outputs.

``prepare`` reads the reports, runs them over no answers at all (``batch.rounds``) and writes
round 1: every request the reports can make without an answer. ``collect`` stores a round's
results, runs the unfinished reports again over every answer collected, and writes the next
round, or, when no request is left, the outputs in DIR/out/ through ``batch.runner.run_batch``:
the same files ``run`` writes. A result that failed as the door would retry online (429, 5xx,
an error line) is asked again in the next round; after ``MAX_FAILURES`` rounds of failing it is
kept as the endpoint's answer, which the door then treats as online (a server that keeps
failing: the report goes to the rules engine). Any other status (a 400: the request refused)
is the answer at once, as online.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summariser.batch.files import (
    STATE,
    Answer,
    BatchState,
    answers_path,
    load_answers,
    read_ids,
    read_results,
    request_line,
    round_path,
    write_answers,
)
from summariser.batch.outcome import Outcome
from summariser.batch.progress import BatchProgress
from summariser.batch.rounds import advance, batch_door
from summariser.batch.runner import Job, run_batch
from summariser.errors import InputError
from summariser.model.prompts import load
from summariser.output.files import write_atomic
from summariser.pipeline.drafting import ModelDrafter
from summariser.reading.inputs import find_inputs

MAX_FAILURES = 3
"""Rounds a request may fail in before its error is kept as its answer."""

Log = Callable[[str], None]


@dataclass
class Collected:
    """What one results file brought: counts for the round's accounting line."""

    round: int
    requests: int
    answered: int
    new: int
    failed: int
    missing: int
    unknown: int
    tokens_in: int
    tokens_out: int


def _check_inputs(paths: list[Path]) -> None:
    """As ``run``: nothing to read at all is an error."""
    files, _ = find_inputs(paths)
    if files:
        return
    missing = [p for p in paths if not p.exists()]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(f"{missing[0]}: no such file or folder{more}")
    raise InputError("no report files found in " + ", ".join(map(str, paths)))


def _next_round(
    folder: Path,
    state: BatchState,
    answers: dict[str, Answer],
    log: Log,
    n: int,
    progress: BatchProgress | None,
) -> list[Outcome] | None:
    """Run the unfinished reports over ``answers``: write round ``n``, or finish."""
    template = load("items")
    path = round_path(folder, n)
    written = 0

    def write(temp: Path) -> None:
        nonlocal written
        with temp.open("w", encoding="utf-8") as handle:
            written = advance(
                state, answers, template, log, lambda body: handle.write(request_line(body) + "\n")
            )

    write_atomic(path, write)
    if written:
        waiting = sum(r.status == "pending" for r in state.reports.values())
        state.round = n
        state.submitted = None
        state.save(folder)
        log(f"next: {path} ({written} requests for {waiting} reports)")
        return None
    path.unlink()  # nothing left to ask: no round n
    return _finish(folder, state, answers, log, progress)


def _finish(
    folder: Path,
    state: BatchState,
    answers: dict[str, Answer],
    log: Log,
    progress: BatchProgress | None = None,
) -> list[Outcome]:
    """Write the outputs as ``run`` does, over the collected answers, and mark the batch done."""
    template = load("items")
    door, _ = batch_door(state.model, state.mode, answers)
    job = Job(ModelDrafter(door, template), state.model, template, fallback=True)
    outcomes = run_batch(
        [Path(p) for p in state.paths],
        folder / "out",
        job,
        force=True,
        log=None if progress else log,
        progress=progress,
        keep_summaries=False,
    )
    state.finished = True
    state.submitted = None
    state.save(folder)
    log(f"finished after {state.round if answers else 0} round(s): outputs in {folder / 'out'}")
    log(requests_line(state))
    return outcomes


def requests_line(state: BatchState) -> str:
    """Requests per report and rounds, over the reports that made any."""
    asked = [r for r in state.reports.values() if r.requests]
    if not asked:
        return "no report needed the model"
    counts = [r.requests for r in asked]
    rounds = [r.rounds for r in asked]
    return (
        f"{len(asked)} report(s) asked {sum(counts)} requests: per report "
        f"median {statistics.median(counts):g}, max {max(counts)}; rounds per report "
        f"median {statistics.median(rounds):g}, max {max(rounds)}"
    )


def prepare(
    paths: list[Path],
    folder: Path,
    model: str,
    mode: str,
    log: Log,
    progress: BatchProgress | None = None,
) -> list[Outcome] | None:
    """Start a batch in ``folder``: write round 1 (or, when nothing needs the model, the outputs).

    Raises:
        InputError: nothing to read, or ``folder`` already holds a batch.
    """
    if (folder / STATE).exists():
        raise InputError(
            f"{folder}: already holds a batch",
            hint="go on with `batch collect` or `batch submit`, or choose another --dir",
        )
    _check_inputs(paths)
    folder.mkdir(parents=True, exist_ok=True)
    state = BatchState(paths=[str(p.resolve()) for p in paths], model=model, mode=mode)
    return _next_round(folder, state, {}, log, 1, progress)


def collect(
    folder: Path,
    results: Path,
    log: Log,
    prices: tuple[float, float] | None = None,
    progress: BatchProgress | None = None,
) -> tuple[Collected | None, list[Outcome] | None]:
    """Store a round's results and go on: the next round, or the outputs.

    Collecting a file whose answers are all stored already changes nothing.

    Returns:
        What the file brought (None when the batch had finished), and the outcomes when the
        batch finished now.

    Raises:
        InputError: no batch in ``folder``, or ``results`` is not a batch output file.
    """
    state = BatchState.load(folder)
    if state.finished:
        log(f"{folder}: the batch has finished; its outputs are in {folder / 'out'}")
        return None, None
    n = state.round
    current = read_ids(round_path(folder, n))
    asked = current.union(*(read_ids(p) for p in folder.glob("round-*.jsonl")))
    got = read_results(results)
    answers = load_answers(folder)
    this_round = load_answers(folder, n)
    counts = Collected(n, len(current), 0, 0, 0, len(current - set(got)), 0, 0, 0)
    changed = False
    for key, answer in got.items():
        if key not in asked:
            counts.unknown += 1
            continue
        if answer.ok:
            counts.answered += 1
            tokens_in, tokens_out = answer.tokens()
            counts.tokens_in += tokens_in
            counts.tokens_out += tokens_out
        else:
            counts.failed += 1
        if key in answers and answers[key].ok:
            continue
        if not answer.ok and _transient(answer.status):
            rounds = state.failures.setdefault(key, [])
            if key in current and n not in rounds:
                rounds.append(n)
                changed = True
            if len(rounds) < MAX_FAILURES:
                continue
        if key not in answers or answers[key] != answer:
            answers[key] = this_round[key] = answer
            counts.new += 1
            changed = True
    log(accounting_line(counts, prices))
    if counts.unknown:
        log(f"{counts.unknown} result(s) answer no request of this batch; ignored")
    if not changed and not answers_path(folder, n).is_file():
        log(f"nothing new in {results}: round {n} stays as it was")
        return counts, None
    if changed:
        write_answers(folder, n, this_round)
        state.save(folder)  # the failures counted
    else:  # this round's answers are stored but the collect that stored them was stopped
        log(f"round {n}: going on from the answers already collected")
    return counts, _next_round(folder, state, answers, log, n + 1, progress)


def _transient(status: int) -> bool:
    """A status the door would retry online (429, 5xx, an error line): asked again next round.
    Any other (a 400: the request refused) is the answer, as online."""
    return status == 429 or status >= 500


def accounting_line(counts: Collected, prices: tuple[float, float] | None) -> str:
    """One round's requests, answers and tokens; the cost when prices are configured."""
    line = (
        f"round {counts.round}: {counts.requests} requests, {counts.answered} answered, "
        f"{counts.failed} failed, {counts.missing} missing; tokens in {counts.tokens_in:,}, "
        f"out {counts.tokens_out:,}"
    )
    if prices is not None:
        cost = (counts.tokens_in * prices[0] + counts.tokens_out * prices[1]) / 1_000_000
        line += f"; cost {cost:,.4f}"
    return line
