"""Drafting one part's items: the rules engine's words, or the model's summaries, checked.

The model writes only what only it can: a one-sentence summary of each segment the structure
finder has already split, read whole or in chunks of whole sentences. An item's title (the
segment's own heading) and, for problems, its stated cause are the report's own words, taken
by rules as in the rules engine. Every figure the model writes is checked against the source
inside the validator; a failure is re-asked naming the figure, and what still fails after the
last re-ask is kept and flagged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from summariser.errors import ModelError
from summariser.figures.numbers import extract_quantities
from summariser.grounding.checker import SourceIndex
from summariser.grounding.quotes import sentences
from summariser.grounding.wording import problem_dropped
from summariser.lexicon.markers import LEAD_MARKER
from summariser.lexicon.parts import Labeller
from summariser.lexicon.sentences import clause_cuts, clip_at_clause, clip_at_word, sentence_spans
from summariser.lexicon.themes import OTHER, classify
from summariser.model.prompts import PromptTemplate, fingerprint
from summariser.pipeline.labelling import LabelDoor, ModelLabeller
from summariser.pipeline.overview import REASKS as OVERVIEW_REASKS
from summariser.pipeline.overview import Asked, build_overview
from summariser.schema import (
    OK_STATUSES,
    PART_NAMES,
    Item,
    ItemDraft,
    Overview,
    PartRun,
    SummaryDraft,
    TitledDraft,
)
from summariser.structure.sections import Segment

if TYPE_CHECKING:  # the door's types only: importing it would load openai for the rules engine
    from summariser.model.door import Extraction

SEGMENT_CHARS = 300
"""A segment's body up to this long is read in one request."""
CHUNK_CHARS = 150
"""A longer body is read in chunks of whole sentences up to this long, one request each, and
their summaries joined: read whole (429 characters) or cut to its first 300, a long item's
summary carried none of its figures; in chunks of 150 it carried all four (bench/RESULTS.md)."""
SHORT_BODY = 70
"""A body up to this long (spaces collapsed) is its own summary: the rules engine's lead
sentence is kept and the model is not asked. Chosen on the tune split: over its 21 items this
short the lead scored higher ROUGE-L against the goldens than the model's paraphrase (0.67
against 0.63), over the longer ones lower (bench/RESULTS.md)."""
MAX_CHUNKS = 4
"""At most this many chunks of one item are read (a longer item's tail keeps its quote and
figures in the output, not in the summary)."""
TITLE_CHARS = 16
"""An item title is a short topic title a reader can scan: 4 to 16 characters."""
TITLE_SHORTEST = 4
SUMMARY_CHARS = 80
"""One request's summary is cut at a clause end beyond this; joined chunk summaries get this
much per chunk."""
MAX_SUMMARY_TOKENS = 120
ITEM_REASKS = 1
"""Re-asks of one item's answer, then what still fails is flagged. One: in the recorded runs of
both splits every second re-ask (4 of them) came back word for word as the first re-ask."""
_CJK = re.compile(r"[\u4e00-\u9fff]")
PARTIAL_NOTE = "部分段落模型回答不可用，摘要只概括了其余段落"
"""An item read in chunks, some of whose answers were unusable: a warning."""


Draft = TypeVar("Draft", bound="SummaryDraft | TitledDraft")


class Extractor(Protocol):
    """What the pipeline needs from the model door (a fake in tests)."""

    model: str

    def extract(
        self,
        response_model: type[Draft],
        messages: list[dict[str, str]],
        *,
        context: dict[str, Any] | None = None,
        reasks: int = 2,
        max_tokens: int = 800,
    ) -> Extraction[Draft]: ...


@dataclass
class Drafted:
    """Drafts for one slice of a part, and what making them cost."""

    items: dict[int, ItemDraft]
    run: PartRun
    errors: list[str] = field(default_factory=list)
    fallback: set[int] = field(default_factory=set)
    """Segment numbers whose summary is the rules engine's, the model's answer being unusable."""
    partial: set[int] = field(default_factory=set)
    """Segment numbers read in chunks, some of whose answers were unusable: the summary covers
    only the other chunks (`PARTIAL_NOTE`)."""
    short: set[int] = field(default_factory=set)
    """Segment numbers whose summary is the rules engine's because the body is short enough
    to be its own summary (``SHORT_BODY``); the model was not asked."""
    notes: dict[int, str] = field(default_factory=dict)
    """Segment number -> what the reader is told of it beyond its figures (a refused title)."""


class Drafter(Protocol):
    """Drafts the items (title, summary, cause) of numbered segments of one part."""

    engine: str

    def draft(
        self, part: str, segments: list[Segment], source: str, index: SourceIndex
    ) -> Drafted: ...


def response_model(template: PromptTemplate) -> type[SummaryDraft] | type[TitledDraft]:
    """The answer a prompt asks for: a title beside the summary when its worked examples show
    one. The prompt and the schema it shows change together (and their recordings with them)."""
    shown = [json.loads(shot.assistant) for shot in template.shots]
    titled = bool(shown) and all(isinstance(s, dict) and "title" in s for s in shown)
    return TitledDraft if titled else SummaryDraft


def prompt_fingerprint(template: PromptTemplate) -> str:
    """What identifies the prompt of an output: the template file and the schema shown (the
    overview asks through the same prompt)."""
    return fingerprint(template, response_model(template).model_json_schema())


def _as_sentence(text: str) -> str:
    """A summary ends as a sentence, not on the clause mark where it was clipped."""
    text = text.rstrip("；;，,、： ")
    return text + "。" if text and text[-1] not in "。！？!?”）)" else text


def _bare(text: str) -> str:
    """Text without its enumeration marker and closing marks, for comparing with a heading."""
    return LEAD_MARKER.sub("", text.strip()).strip("。；;，, ")


def short_title(title: str, source: str = "", limit: int = TITLE_CHARS) -> str | None:
    """The heading's words as a title: enumeration marker dropped, at most ``limit``
    characters, cut only where a word ends (``clip_at_word``: a clause or list mark, a quote
    or bracket, a boundary the ``source`` shows). None when no cut leaves at least
    ``TITLE_SHORTEST`` characters: the caller then says it another way."""
    title = LEAD_MARKER.sub("", " ".join(title.split())).strip("。；;，,、：: ")
    if not title:
        return None
    return clip_at_word(title, limit, source, TITLE_SHORTEST)


def model_title_problem(title: str, segment: str) -> str | None:
    """Why the model's title for ``segment`` is refused, or None when it is accepted.

    Accepted: Chinese, ``TITLE_SHORTEST`` to ``TITLE_CHARS`` characters, no figure (a title's
    figure would reach the reader unchecked), and its words taken from the segment: the title
    splits into pieces of two or more characters that each occur in the segment.
    """
    text = title.strip().strip("。；;，,、：: ")
    if not _CJK.search(text):
        return "不是中文"
    if not TITLE_SHORTEST <= len(text) <= TITLE_CHARS:
        return f"长度{len(text)}字，应为{TITLE_SHORTEST}到{TITLE_CHARS}字"
    if extract_quantities(text) or re.search(r"\d", text):
        return "含有数字"
    if not _covered(text, " ".join(segment.split())):
        return "用词不见于原文"
    return None


def _covered(text: str, segment: str) -> bool:
    """Whether ``text`` splits into pieces of at least two characters each found in
    ``segment`` (the model may leave out words between them, not bring its own)."""
    ok = [True] + [False] * len(text)
    for end in range(2, len(text) + 1):
        ok[end] = any(ok[start] and text[start:end] in segment for start in range(0, end - 1))
    return ok[len(text)]


def fallback_title(part: str, seg: Segment, source: str) -> str:
    """The rules' title: the segment's own heading shortened at a word end, else the leading
    phrase of its first sentence, else the work area it belongs to (``classify``), else its
    heading's or first sentence's first clause whole."""
    spans = sentences(source, seg.start, seg.end)
    first = source[spans[0][0] : spans[0][1]] if spans else segment_text(source, seg)
    for text in (seg.heading or "", first):
        if title := short_title(text, source):
            return title
    theme = classify(seg.heading or "", segment_text(source, seg))
    if theme != OTHER:
        return theme
    lead = LEAD_MARKER.sub("", seg.heading or first).strip()
    return lead[: (clause_cuts(lead) or [len(lead)])[0]].strip("。；;，,、：: ")


def body_text(source: str, seg: Segment) -> str:
    """The segment without its heading sentence; the whole segment when that is all it has."""
    heading = _bare(seg.heading or "")
    if heading:
        for start, end in sentences(source, seg.start, seg.end):
            if _bare(source[start:end]) not in (heading, ""):
                return source[start : seg.end]
    return segment_text(source, seg)


def segment_text(source: str, seg: Segment) -> str:
    return source[seg.start : seg.end]


def chunks(body: str, window: int = SEGMENT_CHARS, size: int = CHUNK_CHARS) -> list[str]:
    """What the model reads of one body: whole when it fits ``window``, else whole sentences
    packed into chunks of at most ``size`` characters (a longer sentence is a chunk alone, cut
    at ``window``), at most ``MAX_CHUNKS`` of them."""
    body = " ".join(body.split())
    if len(body) <= window:
        return [body] if body else []
    out: list[str] = []
    current = ""
    for start, end in sentence_spans(body, trim=True):
        sentence = body[start:end]
        if current and len(current) + len(sentence) > size:
            out.append(current)
            current = ""
        current += sentence
    if current:
        out.append(current)
    return [clip_at_clause(c, window) for c in out[:MAX_CHUNKS]]


def join_summaries(parts: list[str]) -> str:
    """Chunk summaries as one summary: each cut at ``SUMMARY_CHARS``, joined by ；, repeats
    dropped."""
    kept: list[str] = []
    for part in parts:
        text = clip_at_clause(part.strip(), SUMMARY_CHARS).rstrip("。；;，,、： ")
        if text and text not in kept:
            kept.append(text)
    return _as_sentence("；".join(kept))


class RulesDrafter:
    """The rules engine: the segment's own heading as title, its first sentence as summary."""

    engine = "rules"

    def draft_one(self, part: str, seg: Segment, source: str, n: int = 1) -> ItemDraft:
        """Title from the segment's heading (or first sentence), summary from its lead sentence."""
        spans = sentences(source, seg.start, seg.end)
        first = source[spans[0][0] : spans[0][1]] if spans else segment_text(source, seg)
        heading = _bare(seg.heading or "")
        # The lead is the first sentence that is not the heading itself; a heading-only
        # segment keeps its heading as summary.
        body = [s for s in spans if _bare(source[s[0] : s[1]]) not in (heading, "")]
        lead = LEAD_MARKER.sub("", source[body[0][0] : body[0][1]] if body else first)
        cause = None
        if part == "problems":
            found = re.search(r"(?:原因|由于|主要是)[^。；;]*", segment_text(source, seg))
            cause = found.group(0) if found else None
        return ItemDraft(
            n=n,
            title=fallback_title(part, seg, source),
            summary=_as_sentence(clip_at_clause(" ".join(lead.split()), SUMMARY_CHARS)),
            cause=cause,
        )

    def draft(self, part: str, segments: list[Segment], source: str, index: SourceIndex) -> Drafted:
        items = {n: self.draft_one(part, seg, source, n) for n, seg in enumerate(segments, start=1)}
        return Drafted(
            items, PartRun(part=part, attempts=0, tokens_in=0, tokens_out=0, seconds=0.0)
        )


class ModelDrafter:
    """Drafts summaries with a model through the door, one segment per request.

    One segment per request keeps each answer tied to its segment (a list of summaries for
    several segments came back merged and misaligned) and makes a re-ask name one figure of
    one segment. The shared system prompt and examples stay in the server's prompt cache.
    Titles and causes are the report's own words (as in the rules engine). A segment whose
    answer stays unusable (cut off, not JSON) keeps the rules engine's words, flagged; a
    transport failure propagates so the batch can decide for the whole report.
    """

    engine = "llm"

    def __init__(
        self,
        door: Extractor,
        template: PromptTemplate,
        reasks: int = ITEM_REASKS,
    ) -> None:
        self.door = door
        self.template = template
        self.response_model = response_model(template)
        self.reasks = reasks
        self.rules = RulesDrafter()
        # The same door labels headings when the structure rules are unsure; a door without
        # that method (a test fake) leaves the rules' reading as it is.
        self.labeller: Labeller | None = (
            ModelLabeller(door) if isinstance(door, LabelDoor) else None
        )

    def messages(self, part: str, text: str) -> list[dict[str, str]]:
        # The title already carries the heading: shown the heading, the model restates it.
        name = PART_NAMES[part].removeprefix("上一年度")
        return self.template.render(part_name=name, segment=text)

    def checker(
        self, span: tuple[int, int], index: SourceIndex, read: int
    ) -> Callable[[SummaryDraft | TitledDraft], list[str]]:
        """The source checks of one answer: its figures against ``span`` of the source (the
        segment, or the part); ``read`` is how many characters it summarises."""

        def check(draft: SummaryDraft | TitledDraft) -> list[str]:
            text = draft.summary.strip()
            if not _CJK.search(text):
                return ["必须用中文概括"]
            problems: list[str] = []
            if len(text) > 60 and len(text) >= 0.8 * read:
                problems.append("照抄了原文，请压缩为一句话")
            for result in index.check(text, scope=span):
                if result.status not in OK_STATUSES:
                    said = f"（{result.note}）" if result.note else ""
                    problems.append(
                        f"“{result.quantity.text}”与原文不符{said}，请照抄原文数字或删去"
                    )
            return problems

        return check

    def ask(
        self,
        part: str,
        text: str,
        span: tuple[int, int],
        index: SourceIndex,
        run: PartRun,
        reasks: int | None = None,
    ) -> tuple[str | None, list[str], str]:
        """One request: ``text`` summarised in one sentence, checked against ``span``.

        Returns the summary (None when it is not Chinese), the check messages that still
        failed after the last re-ask, and the title the model wrote (unchecked: see
        ``model_title_problem``); the cost is added to ``run``.

        Raises:
            ModelError: the answer is unusable (one attempt is counted).
        """
        try:
            got = self.door.extract(
                self.response_model,
                self.messages(part, text),
                context={"check": self.checker(span, index, len(text))},
                reasks=self.reasks if reasks is None else reasks,
                max_tokens=MAX_SUMMARY_TOKENS,
            )
        except ModelError:
            run.attempts += 1
            raise
        run.attempts += got.usage.attempts
        run.reasks += max(0, got.usage.attempts - 1 - got.usage.transport_retries)
        run.tokens_in += got.usage.tokens_in
        run.tokens_out += got.usage.tokens_out
        run.seconds = round(run.seconds + got.usage.seconds, 2)
        summary = got.value.summary.strip()
        title = got.value.title.strip() if isinstance(got.value, TitledDraft) else ""
        return (summary if _CJK.search(summary) else None), got.errors, title

    def overview(
        self, parts: dict[str, list[Item]], missing: list[str], index: SourceIndex
    ) -> tuple[Overview, PartRun]:
        """The report's overview (see summariser.pipeline.overview) and what its requests cost."""
        run = PartRun(part="overview", attempts=0, tokens_in=0, tokens_out=0, seconds=0.0)

        def ask(part: str, text: str, span: tuple[int, int]) -> Asked:
            try:
                said, errors, _ = self.ask(part, text, span, index, run, OVERVIEW_REASKS)
            except ModelError as err:
                run.failed.append(f"{PART_NAMES[part]}：{err.one_line()}")
                return Asked(None)
            run.failed.extend(f"{PART_NAMES[part]}：{e}" for e in errors)
            if said is None:
                return Asked(None)
            line = _as_sentence(said)
            failed = [
                f"“{c.quantity.text}”未通过核对（{c.status}）"
                for c in index.check(line, scope=span)
                if c.status not in OK_STATUSES
            ]
            return Asked(line, failed)

        return build_overview(parts, missing, ask), run

    def draft(self, part: str, segments: list[Segment], source: str, index: SourceIndex) -> Drafted:
        rules = self.rules.draft(part, segments, source, index)
        run = PartRun(part=part, attempts=0, tokens_in=0, tokens_out=0, seconds=0.0)
        items: dict[int, ItemDraft] = {}
        errors: list[str] = []
        fallback: set[int] = set()
        short: set[int] = set()
        notes: dict[int, str] = {}
        partial: set[int] = set()
        for n, seg in enumerate(segments, start=1):
            said: list[str] = []
            titles: list[str] = []
            failure: ModelError | None = None
            pieces = chunks(body_text(source, seg))
            if len(pieces) == 1 and len(pieces[0]) <= SHORT_BODY:
                short.add(n)
                items[n] = rules.items[n]
                continue
            for text in pieces:
                try:
                    summary, failed, title = self.ask(part, text, (seg.start, seg.end), index, run)
                except ModelError as err:
                    failure = err
                    continue
                run.failed.extend(f"第{n}条：{e}" for e in failed)
                errors.extend(f"第{n}条：{e}" for e in failed)
                if summary is not None:
                    said.append(summary)
                if title:
                    titles.append(title)
            if failure is not None and said:
                run.failed.append(f"第{n}条部分段落模型回答不可用（{failure.one_line()}）")
                partial.add(n)
            if failure is not None and not said:
                reason = f"第{n}条模型回答不可用（{failure.one_line()}），摘要取自原文"
                run.failed.append(reason)
                errors.append(reason)
                fallback.add(n)
                items[n] = rules.items[n]
                continue
            if not said:
                # Still not Chinese after the re-asks: the report's own words serve the reader
                # better than a kept English sentence.
                fallback.add(n)
                items[n] = rules.items[n]
                continue
            summary = (
                join_summaries(said)
                if len(said) > 1
                else _as_sentence(clip_at_clause(said[0].strip(), SUMMARY_CHARS))
            )
            if part == "problems" and problem_dropped(summary, segment_text(source, seg)):
                # a problem told as a success: the report's own words say what is wrong
                reason = f"第{n}条模型摘要未写出问题，摘要取自原文"
                run.failed.append(reason)
                errors.append(reason)
                fallback.add(n)
                items[n] = rules.items[n]
                continue
            chosen, note = self.title(seg, source, titles)
            if note:
                notes[n] = note
                run.failed.append(f"第{n}条：{note}")
            items[n] = rules.items[n].model_copy(
                update={"summary": summary, "title": chosen or rules.items[n].title}
            )
        return Drafted(
            items, run, errors, fallback, partial=partial - fallback, short=short, notes=notes
        )

    def title(self, seg: Segment, source: str, said: list[str]) -> tuple[str | None, str | None]:
        """An item's title: the report's own heading shortened at a word end where it has one,
        else the first title the model wrote for it that passes ``model_title_problem``.

        Returns the title (None: the rules' title stands) and, when the model's titles were
        needed and all refused, the note that says so.
        """
        if seg.heading and (own := short_title(seg.heading, source)):
            return own, None
        if not said:
            return None, None
        segment = segment_text(source, seg)
        refused = []
        for title in said:
            problem = model_title_problem(title, segment)
            if problem is None:
                return title.strip().strip("。；;，,、：: "), None
            refused.append(f"“{title}”{problem}")
        return None, f"模型所拟标题未采用（{'；'.join(refused[:2])}），标题取自原文"
