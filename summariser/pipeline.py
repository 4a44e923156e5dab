"""Wiring the stages for one report: structure → drafts (model or rules) → grounding → summary.

The model writes only what only it can: a short title, a one-sentence summary and, for
problems, the stated cause, for segments the structure finder has already split. Quotes and
figures are taken from the source by code, with their spans. Every figure the model writes goes
through the number engine inside the validator; a failure is re-asked naming the figure, and
what still fails after the last re-ask is kept and flagged.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from summariser.errors import InputError
from summariser.grounding import SourceIndex, verify_strings
from summariser.numbers import Quantity, extract_quantities
from summariser.prompts import PromptTemplate, fingerprint
from summariser.quotes import best_quote, sentences
from summariser.reading import Document
from summariser.schema import (
    PART_KEYS,
    PART_NAMES,
    Figure,
    Item,
    ItemDraft,
    KeyFigure,
    PartDraft,
    PartRun,
    ReportSummary,
    RunInfo,
    SourceInfo,
    checkable_strings,
)
from summariser.structure import Segment, Structure, analyse

OK_STATUSES = frozenset({"verified", "derived"})
SEGMENT_CHARS = 300
"""The model reads at most this much of a segment (cut at a sentence end): the lead carries it."""
SLICE_SEGMENTS = 6
SLICE_CHARS = 1400
TITLE_CHARS = 15
KEY_FIGURES = 12


class Extractor(Protocol):
    """What the pipeline needs from the model door (a fake in tests)."""

    model: str

    def extract(self, response_model, messages, *, context=None, reasks=2, max_tokens=800): ...  # type: ignore[no-untyped-def]  # noqa: E501


@dataclass
class Drafted:
    """Drafts for one slice of a part, and what making them cost."""

    items: dict[int, ItemDraft]
    run: PartRun
    errors: list[str] = field(default_factory=list)


class Drafter(Protocol):
    """Writes titles and summaries for numbered segments of one part."""

    engine: str

    def draft(self, part: str, segments: list[Segment], source: str, index: SourceIndex) -> Drafted: ...


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a sentence or clause end when there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for marks in ("。；;！？", "，,、"):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit // 3:
            return head[: cut + 1]
    return head


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """A title of at most ``limit`` characters, cut at a clause boundary, never inside a number."""
    title = re.sub(r"^[一二三四五六七八九十]+是|^[（(][一二三四五六七八九十\d]+[）)]|^\d+[.、]", "", title.strip())
    title = title.strip("。；;，, ")
    if len(title) <= limit:
        return title
    cuts = [m.start() for m in re.finditer(r"[，,、；;：:。]", title) if 4 <= m.start() <= limit]
    if cuts:
        return title[: cuts[-1]]
    end = limit
    while end > 4 and (title[end - 1].isdigit() or title[end].isdigit()):
        end -= 1
    return title[:end]


def segment_text(source: str, seg: Segment) -> str:
    return source[seg.start : seg.end]


class RulesDrafter:
    """The rules engine: the segment's own heading as title, its first sentence as summary."""

    engine = "rules"

    def draft_one(self, part: str, seg: Segment, source: str, n: int = 1) -> ItemDraft:
        """Title from the segment's heading (or first sentence), summary from its lead sentence."""
        spans = sentences(source, seg.start, seg.end)
        first = source[spans[0][0] : spans[0][1]] if spans else segment_text(source, seg)
        heading = (seg.heading or "").strip("。；; ")
        body = [s for s in spans if source[s[0] : s[1]].strip("。；; ") != heading]
        lead = source[body[0][0] : body[0][1]] if body else first
        cause = None
        if part == "problems":
            found = re.search(r"(?:原因|由于|主要是)[^。；;]*", segment_text(source, seg))
            cause = found.group(0) if found else None
        return ItemDraft(n=n, title=short_title(heading or first), summary=_clip(lead, 80), cause=cause)

    def draft(self, part: str, segments: list[Segment], source: str, index: SourceIndex) -> Drafted:
        items = {n: self.draft_one(part, seg, source, n) for n, seg in enumerate(segments, start=1)}
        return Drafted(items, PartRun(part=part, attempts=0, tokens_in=0, tokens_out=0, seconds=0.0))


class ModelDrafter:
    """Drafts with a model through the door; validates figures against the segment's passage."""

    engine = "llm"

    def __init__(self, door: Extractor, template: PromptTemplate, reasks: int = 2) -> None:
        self.door = door
        self.template = template
        self.reasks = reasks

    def messages(self, part: str, segments: list[Segment], source: str) -> list[dict[str, str]]:
        lines = []
        for n, seg in enumerate(segments, start=1):
            body = " ".join(_clip(segment_text(source, seg), SEGMENT_CHARS).split())
            lines.append(f"【{n}】{body}")
        return self.template.render(part_name=PART_NAMES[part].removeprefix("上一年度"), segments="\n".join(lines))

    def checker(
        self, segments: list[Segment], source: str, index: SourceIndex
    ) -> Callable[[PartDraft], list[str]]:
        def check(draft: PartDraft) -> list[str]:
            problems: list[str] = []
            wanted = set(range(1, len(segments) + 1))
            got = [item.n for item in draft.items]
            if sorted(got) != sorted(wanted):
                missing = sorted(wanted - set(got))
                extra = sorted(set(got) - wanted)
                if missing:
                    problems.append(f"缺少第{'、'.join(map(str, missing))}条")
                if extra:
                    problems.append(f"没有第{'、'.join(map(str, extra))}条，不要新增")
            for item in draft.items:
                if item.n not in wanted:
                    continue
                seg = segments[item.n - 1]
                if not item.summary.strip():
                    problems.append(f"第{item.n}条摘要为空")
                for text in (item.title, item.summary, item.cause or ""):
                    for check in index.check(text, scope=(seg.start, seg.end)):
                        if check.status not in OK_STATUSES:
                            said = f"（{check.note}）" if check.note else ""
                            problems.append(
                                f"第{item.n}条的“{check.quantity.text}”与原文不符{said}，请照抄原文数字或删去"
                            )
            return problems

        return check

    def draft(self, part: str, segments: list[Segment], source: str, index: SourceIndex) -> Drafted:
        messages = self.messages(part, segments, source)
        extraction = self.door.extract(
            PartDraft,
            messages,
            context={"check": self.checker(segments, source, index)},
            reasks=self.reasks,
            max_tokens=80 + 90 * len(segments),
        )
        usage = extraction.usage
        run = PartRun(
            part=part,
            attempts=usage.attempts,
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            seconds=round(usage.seconds, 2),
            failed=list(extraction.errors),
        )
        items = {item.n: item for item in extraction.value.items if 1 <= item.n <= len(segments)}
        return Drafted(items, run, list(extraction.errors))


def slices(segments: list[Segment], source: str) -> list[list[Segment]]:
    """Consecutive groups small enough for one short model call."""
    groups: list[list[Segment]] = []
    size = 0
    for seg in segments:
        length = min(seg.end - seg.start, SEGMENT_CHARS)
        if groups and len(groups[-1]) < SLICE_SEGMENTS and size + length <= SLICE_CHARS:
            groups[-1].append(seg)
            size += length
        else:
            groups.append([seg])
            size = length
    return groups


_CLAUSE = re.compile(r"[，,。；;：:！？!?\n]")


def _context(source: str, q: Quantity) -> str:
    lo = max((m.end() for m in _CLAUSE.finditer(source, max(0, q.start - 60), q.start)), default=max(0, q.start - 30))
    hi_match = _CLAUSE.search(source, q.end, min(len(source), q.end + 60))
    hi = hi_match.start() if hi_match else min(len(source), q.end + 30)
    return source[lo:hi].strip()


def _figure(source: str, q: Quantity) -> Figure:
    return Figure(
        text=q.text, value=q.value, unit=q.unit, qualifier=q.qualifier,
        span=(q.start, q.end), context=_context(source, q),
    )  # fmt: skip


def _key_figures(source: str, parts: dict[str, list[Item]]) -> list[KeyFigure]:
    """The figures a reader would quote: money, rates and large counts, first of each value."""
    ranked: list[tuple[float, int, str, Figure]] = []
    for part, items in parts.items():
        for item in items:
            for fig in item.figures:
                if fig.value is None or fig.unit in (None, "年", "月", "日"):
                    continue
                weight = 3.0 if fig.unit and "元" in fig.unit else 2.0 if fig.unit in ("%",) else 1.0
                if fig.unit not in ("%",) and fig.value < 10:
                    continue
                ranked.append((weight * (1 + len(str(int(fig.value)))), -fig.span[0], part, fig))
    ranked.sort(reverse=True)
    chosen: list[KeyFigure] = []
    seen: set[tuple[float | None, str | None]] = set()
    for _, _, part, fig in ranked:
        if (fig.value, fig.unit) in seen:
            continue
        seen.add((fig.value, fig.unit))
        sent = next((s for s in sentences(source) if s[0] <= fig.span[0] and fig.span[1] <= s[1]), fig.span)
        start, end = sent
        if end - start > 160:
            start, end = max(start, fig.span[0] - 60), min(end, fig.span[1] + 60)
        chosen.append(KeyFigure(part=part, figure=fig, quote=source[start:end]))
        if len(chosen) >= KEY_FIGURES:
            break
    chosen.sort(key=lambda k: k.figure.span[0])
    return chosen


def summarise(
    doc: Document,
    drafter: Drafter,
    *,
    template: PromptTemplate | None = None,
    model: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> ReportSummary:
    """Summarise one report into the standard template.

    Raises:
        InputError: no statutory part was found (not a 法治政府建设年度报告).
        ModelError / TransportError: from the door, when a part cannot be drafted at all.
    """
    started = time.monotonic()
    source = doc.text
    structure: Structure = analyse(source)
    if not structure.parts:
        raise InputError(f"{doc.path}: no statutory parts found; is this a 法治政府建设年度报告?")
    index = SourceIndex(source)
    quantities = [q for q in extract_quantities(source) if q.kind != "date"]
    parts: dict[str, list[Item]] = {key: [] for key in PART_KEYS}
    runs: list[PartRun] = []
    flags: list[str] = []
    for key in PART_KEYS:
        part = structure.parts.get(key)
        if part is None or not part.segments:
            continue
        for group in slices(part.segments, source):
            progress(f"{doc.stem}: {key} ({len(group)} items)")
            drafted = drafter.draft(key, group, source, index)
            runs.append(drafted.run)
            for msg in drafted.errors:
                flags.append(f"{key}: 重问后仍未通过核对：{msg}")
            for n, seg in enumerate(group, start=1):
                parts[key].append(_item(source, key, seg, drafted.items.get(n), quantities, index))
    summary_dict = {
        "schema_version": "1",
        "source": SourceInfo(
            name=doc.name, sha256=doc.sha256, format=doc.format, encoding=doc.encoding,
            chars=len(source),
        ).model_dump(),
        "metadata": structure.metadata.model_dump(),
        "completeness": structure.completeness.model_dump(),
        "parts": {k: [i.model_dump() for i in v] for k, v in parts.items()},
        "key_figures": [k.model_dump() for k in _key_figures(source, parts)],
    }  # fmt: skip
    verification = verify_strings(list(checkable_strings(summary_dict)), index)
    bad = [n for n in verification.to_json()["numbers"] if n["status"] not in OK_STATUSES]
    if bad:
        flags.append(f"{len(bad)} 个数字未通过核对：" + "、".join(n["text"] for n in bad[:8]))
    for key in structure.completeness.missing:
        flags.append(f"缺少法定部分：{PART_NAMES[key]}")
    if structure.completeness.truncated:
        flags.append("原文在结尾处被截断")
    warnings = verification.to_json()["source_warnings"]
    if warnings:
        flags.append(f"原文自身有 {len(warnings)} 处数字前后不一致")
    run = RunInfo(
        engine=drafter.engine,  # type: ignore[arg-type]
        model=model if drafter.engine == "llm" else None,
        prompt_version=template.version if template and drafter.engine == "llm" else None,
        prompt_sha256=fingerprint(template, PartDraft.model_json_schema())
        if template and drafter.engine == "llm"
        else None,
        attempts=sum(r.attempts for r in runs),
        reasks=sum(max(0, r.attempts - 1) for r in runs),
        tokens_in=sum(r.tokens_in for r in runs),
        tokens_out=sum(r.tokens_out for r in runs),
        seconds=round(time.monotonic() - started, 2),
        parts=runs,
    )
    return ReportSummary.model_validate(
        {**summary_dict, "verification": verification.to_json(), "flags": flags, "run": run.model_dump()}
    )


def _item(
    source: str,
    part: str,
    seg: Segment,
    draft: ItemDraft | None,
    quantities: list[Quantity],
    index: SourceIndex,
) -> Item:
    flags: list[str] = []
    if draft is None:
        flags.append("模型未给出这一条，标题和摘要取自原文")
        draft = RulesDrafter().draft_one(part, seg, source)
        title = draft.title
    else:
        title = short_title(draft.title)
    summary = draft.summary.strip()
    cause = (draft.cause or "").strip() or None
    for text in (title, summary, cause or ""):
        for check in index.check(text, scope=(seg.start, seg.end)):
            if check.status not in OK_STATUSES:
                said = f"：{check.note}" if check.note else ""
                flags.append(f"“{check.quantity.text}”未通过核对（{check.status}{said}）")
    q_start, q_end = best_quote(summary, source, (seg.start, seg.end))
    figures = [_figure(source, q) for q in quantities if seg.start <= q.start and q.end <= seg.end]
    return Item(
        title=title or short_title(source[q_start:q_end]),
        summary=summary,
        cause=cause if part == "problems" else None,
        quote=source[q_start:q_end],
        quote_span=(q_start, q_end),
        source_span=(seg.start, seg.end),
        figures=figures,
        flags=flags,
    )

