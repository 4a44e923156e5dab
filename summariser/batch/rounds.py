"""Rounds of a batch: the real pipeline run over the answers collected so far, requests deferred.

Nothing here re-implements the pipeline. Each round runs ``pipeline.report.summarise`` with the
real model drafter and the real door (``model.door``) for every unfinished report; only the
door's HTTP transport is ours: it answers a request from the answers collected so far (keyed by
the exact request body), and a request it has no answer for is recorded as pending and fails
like an unreachable endpoint. The door's failure becomes :class:`Deferred` (a ``ModelError``),
so the drafter sets that item aside as it would an unusable answer and goes on with the others:
every independent request of a report is known in one round. What depends on an answer not yet
in waits: the overview (it reads the items' summaries) and, when the heading labels are
pending, the whole report (its parts depend on them). Re-asks appear by themselves: the answer
to the first request is collected, fails its check in the door, and the door's re-ask is the
next pending request. A report is written only when it has no pending request, by the same
code ``run`` uses (``batch.runner.run_batch``) over the same answers, so the outputs are the
same files with the same content: index and review pages included.

Rounds for a report that needs no heading labels: 1 the items and chunks, 2 their re-asks (if
any), 3 the overview, 4 its re-ask (if any).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2

from summariser.batch.files import Answer, BatchState, ReportState, request_id
from summariser.errors import InputError, ModelError, SummariserError
from summariser.grounding.checker import SourceIndex
from summariser.pipeline.drafting import Draft, ModelDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import Document, read_document
from summariser.reading.inputs import find_inputs
from summariser.schema import Item, Overview, PartLabels, PartRun

if TYPE_CHECKING:
    from summariser.model.door import Extraction, ModelDoor

BASE_URL = "http://batch.invalid/v1"
"""The base URL the batch door is given: its transport answers every request, nothing is sent."""


class Deferred(ModelError):
    """The answer to a request is not collected yet: the item waits for a later round."""


class _Blocked(Exception):
    """The report cannot go further this round (its labels or its items are pending)."""


@dataclass
class Session:
    """One report's pass: the requests it made, and those with no answer yet."""

    asked: set[str] = field(default_factory=set)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    missed: bool = False


class AnswerTransport(httpx2.BaseTransport):
    """Answers the door's requests from collected answers; records the unanswered ones."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = answers
        self.session: Session | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read() or b"{}")
        key = request_id(body)
        answer = self.answers.get(key)
        if self.session is not None:
            self.session.asked.add(key)
        if answer is None:
            if self.session is not None:
                self.session.pending[key] = body
                self.session.missed = True
            raise httpx2.ConnectError("no answer collected yet", request=request)
        return httpx2.Response(answer.status, json=answer.body, request=request)


def batch_door(model: str, mode: str, answers: Mapping[str, Answer]) -> tuple[Any, AnswerTransport]:
    """The real door over an answering transport: one attempt per request (a miss waits)."""
    from summariser.model.door import ModelDoor

    transport = AnswerTransport(answers)
    door = ModelDoor(BASE_URL, model, mode=mode, transport_attempts=1, transport=transport)
    return door, transport


class _RoundDoor:
    """The door as the drafter sees it during a round: a missed answer becomes ``Deferred``."""

    def __init__(self, door: ModelDoor, transport: AnswerTransport) -> None:
        self.door = door
        self.model = door.model
        self.transport = transport

    def _session(self) -> Session:
        assert self.transport.session is not None
        return self.transport.session

    def extract(
        self,
        response_model: type[Draft],
        messages: list[dict[str, str]],
        *,
        context: dict[str, Any] | None = None,
        reasks: int = 2,
        max_tokens: int = 800,
    ) -> Extraction[Draft]:
        session = self._session()
        session.missed = False
        try:
            got = self.door.extract(
                response_model, messages, context=context, reasks=reasks, max_tokens=max_tokens
            )
        except SummariserError:
            if session.missed:
                raise Deferred("waiting for the answer") from None
            raise
        if session.missed:  # an answer that depended on a missing one is not the answer
            raise Deferred("waiting for the answer")
        return got

    def label_headings(self, messages: list[dict[str, str]], count: int) -> Extraction[PartLabels]:
        session = self._session()
        session.missed = False
        try:
            got = self.door.label_headings(messages, count)
        except SummariserError:
            if session.missed:
                raise _Blocked from None
            raise
        if session.missed:
            raise _Blocked
        return got


class _RoundDrafter(ModelDrafter):
    """The model drafter whose overview waits until every item request of the report is in."""

    def __init__(self, door: _RoundDoor, template: Any) -> None:
        super().__init__(door, template)
        self.round_door = door

    def overview(
        self, parts: dict[str, list[Item]], missing: list[str], index: SourceIndex
    ) -> tuple[Overview, PartRun]:
        if self.round_door._session().pending:
            raise _Blocked
        return super().overview(parts, missing, index)


def reports(paths: list[str]) -> tuple[list[Document], list[tuple[str, str]]]:
    """The reports ``run`` would summarise under ``paths`` (read, duplicates dropped), and the
    files it would fail (name, reason)."""
    files, _ = find_inputs([Path(p) for p in paths])
    docs: list[Document] = []
    bad: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in files:
        try:
            doc = read_document(path)
        except InputError as err:
            bad.append((path.name, err.one_line().removeprefix(f"{path}: ")))
            continue
        except Exception as err:  # a reader bug: `run` reports it too, and goes on
            bad.append((path.name, f"cannot read ({type(err).__name__}: {err})"))
            continue
        if doc.sha256 not in seen:
            seen.add(doc.sha256)
            docs.append(doc)
    return docs, bad


def advance(
    state: BatchState,
    answers: Mapping[str, Answer],
    template: Any,
    log: Callable[[str], None] = lambda _: None,
    sink: Callable[[dict[str, Any]], object] = lambda _: None,
) -> int:
    """Run every unfinished report over ``answers``; mark the finished ones ``done``.

    Each request no answer was collected for is given to ``sink`` as soon as its report has
    run (once, however many reports ask it), so a round of many thousand reports is written
    as it goes, never held.

    Returns:
        How many requests went to ``sink``.
    """
    door, transport = batch_door(state.model, state.mode, answers)
    drafter = _RoundDrafter(_RoundDoor(door, transport), template)
    docs, bad = reports(state.paths)
    for name, reason in bad if not answers else []:  # said once, when the batch starts
        log(f"{name}: failed — {reason}")
    sent: set[str] = set()
    seen = {doc.sha256 for doc in docs}
    for sha in [k for k, r in state.reports.items() if k not in seen and r.status == "pending"]:
        del state.reports[sha]  # the file changed or went away since: it waits for nothing
    for doc in docs:
        report = state.reports.setdefault(doc.sha256, ReportState(doc.name))
        if report.status == "done":
            continue
        session = Session()
        transport.session = session
        reason = ""
        try:
            summarise(doc, drafter, template=template, model=state.model)
        except _Blocked:
            pass
        except InputError as err:  # a refusal: no request needed, reported as `run` does
            reason = err.one_line().removeprefix(f"{doc.path}: ")
            log(f"{doc.name}: failed — {reason}")
        except SummariserError as err:  # the online run falls back or fails the same way
            reason = err.one_line()
        except Exception as err:  # a bug in one report: `run` reports it; the rest go on
            reason = f"internal error ({type(err).__name__}: {err})"
        finally:
            transport.session = None
        report.requests = len(session.asked)
        if session.pending:
            report.rounds += 1
            for key, body in session.pending.items():
                if key not in sent:
                    sent.add(key)
                    sink(body)
        else:
            report.status, report.reason = "done", reason
    return len(sent)
