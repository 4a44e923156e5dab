"""One report, from its text to its summary: structure → drafts (model or rules) → checks.

The structure finder reads the parts and segments; a drafter (``pipeline.drafting``) writes each
part's items; code copies the quotes and figures with their spans; every string is checked
against the source; the overview, key figures and flags complete the summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from summariser.errors import InputError
from summariser.figures.numbers import Quantity
from summariser.grounding.checker import SourceIndex, verify_strings
from summariser.grounding.indicators import Chooser, IndicatorResult, find_indicators
from summariser.grounding.key_figures import key_figures
from summariser.grounding.quotes import best_quote
from summariser.lexicon.sentences import CLAUSE_MARKS
from summariser.model.prompts import PromptTemplate
from summariser.pipeline.drafting import (
    PARTIAL_NOTE,
    Drafter,
    ModelDrafter,
    RulesDrafter,
    fallback_title,
    prompt_fingerprint,
)
from summariser.pipeline.indicator_choice import ChoiceDoor, ModelChooser
from summariser.pipeline.labelling import ModelLabeller
from summariser.pipeline.overview import build_overview
from summariser.reading.documents import Document
from summariser.schema import (
    FALLBACK_NOTE,
    OK_STATUSES,
    PART_KEYS,
    PART_NAMES,
    SHORT_NOTE,
    Figure,
    Item,
    ItemDraft,
    PartRun,
    ReportSummary,
    RunInfo,
    SourceInfo,
    checkable_strings,
    item_scope,
    written_paths,
)
from summariser.structure.doctype import refusal
from summariser.structure.metadata import issuer_flag
from summariser.structure.sections import Segment, Structure, analyse

if TYPE_CHECKING:  # the door's types only: importing it would load openai for the rules engine
    from summariser.model.door import Usage


def _context(source: str, q: Quantity) -> str:
    lo = max(
        (m.end() for m in CLAUSE_MARKS.finditer(source, max(0, q.start - 60), q.start)),
        default=max(0, q.start - 30),
    )
    hi_match = CLAUSE_MARKS.search(source, q.end, min(len(source), q.end + 60))
    hi = hi_match.start() if hi_match else min(len(source), q.end + 30)
    return source[lo:hi].strip()


def _figure(source: str, q: Quantity) -> Figure:
    return Figure(
        text=q.text, value=q.value, unit=q.unit, qualifier=q.qualifier,
        span=(q.start, q.end), context=_context(source, q),
    )  # fmt: skip


def summarise(
    doc: Document,
    drafter: Drafter,
    *,
    template: PromptTemplate | None = None,
    model: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> ReportSummary:
    """Summarise one report into the standard template.

    The model drafter's door also labels the report's top-level headings when the structure
    rules are unsure of them (one short request; see summariser.lexicon.parts).

    Raises:
        InputError: not a 法治政府建设年度报告 (no statutory part found, or a plan, list, notice
            or 政府工作报告), with what the document looks like instead.
        ModelError / TransportError: from the door, when a part cannot be drafted at all.
    """
    started = time.monotonic()
    source = doc.text
    structure: Structure = analyse(source, labeller=getattr(drafter, "labeller", None))
    reason = refusal(structure, source)
    if reason:
        raise InputError(f"{doc.path}: {reason}")
    index = SourceIndex(source)
    quantities = [q for q in index.quantities if q.kind != "date"]
    parts: dict[str, list[Item]] = {key: [] for key in PART_KEYS}
    runs: list[PartRun] = []
    flags: list[str] = []
    labeller = getattr(drafter, "labeller", None)
    if structure.labels_asked and isinstance(labeller, ModelLabeller):
        # The one heading-labelling request is counted like the item requests (one attempt
        # when it got no answer at all: its own usage is lost with the error).
        used = labeller.last
        runs.append(
            PartRun(
                part="headings",
                attempts=used.attempts if used else 1,
                reasks=max(0, used.attempts - 1 - used.transport_retries) if used else 0,
                tokens_in=used.tokens_in if used else 0,
                tokens_out=used.tokens_out if used else 0,
                seconds=round(used.seconds, 2) if used else 0.0,
            )
        )
    for key in PART_KEYS:
        part = structure.parts.get(key)
        if part is None or not part.segments:
            continue
        progress(f"{doc.stem}: {key} ({len(part.segments)} items)")
        drafted = drafter.draft(key, part.segments, source, index)
        runs.append(drafted.run)
        # The model-facing re-ask messages stay in run.parts[].failed; readers get the
        # failing figures (below, from the final check) and which items fell back.
        for n in sorted(drafted.fallback | drafted.partial):
            said = FALLBACK_NOTE if n in drafted.fallback else PARTIAL_NOTE
            flags.append(f"{PART_NAMES[key]}第{n}条：{said}")
        for n, seg in enumerate(part.segments, start=1):
            note = (
                FALLBACK_NOTE if n in drafted.fallback
                else PARTIAL_NOTE if n in drafted.partial
                else SHORT_NOTE if n in drafted.short
                else None
            )  # fmt: skip
            if n in drafted.notes:
                note = f"{note}；{drafted.notes[n]}" if note else drafted.notes[n]
            parts[key].append(
                _item(source, key, seg, drafted.items.get(n), quantities, index, note)
            )
    missing = list(structure.completeness.missing)
    if isinstance(drafter, ModelDrafter):
        progress(f"{doc.stem}: overview")
        overview, overview_run = drafter.overview(parts, missing, index)
        if overview_run.attempts:
            runs.append(overview_run)
    else:
        overview = build_overview(parts, missing)
    flags.extend(f"总体情况：{f}" for f in overview.flags)
    chooser = _chooser(drafter)
    found = _indicators(source, structure, quantities, chooser)
    flags.extend(f"标准指标：{note}" for note in found.notes)
    if chooser is not None and chooser.used:
        runs.append(_choice_run(chooser.used))
    summary_dict = {
        "schema_version": "1",
        "source": SourceInfo(
            name=doc.name, sha256=doc.sha256, format=doc.format, encoding=doc.encoding,
            chars=len(source),
        ).model_dump(),
        "metadata": structure.metadata.model_dump(),
        "completeness": structure.completeness.model_dump(),
        "parts": {k: [i.model_dump() for i in v] for k, v in parts.items()},
        "key_figures": [k.model_dump() for k in key_figures(source, parts)],
        "indicators": [v.model_dump() for v in found.values],
        "overview": overview.model_dump(),
    }  # fmt: skip
    # Each item's strings are judged against its own segment first, as the re-asks were; the
    # counts keep the model's words apart from what code copied out of the source.
    pairs = list(checkable_strings(summary_dict))
    written = written_paths({**summary_dict, "run": {"engine": drafter.engine}})
    verification = verify_strings(
        pairs,
        index,
        scopes=[item_scope(summary_dict, p, len(source)) for p, _ in pairs],
        written=written,
        problems={p for p in written if p.startswith("/parts/problems/")},
    )
    for finding in verification.wording:
        flags.append(_wording_flag(summary_dict, finding))
    bad = [c.quantity.text for c in verification.checks if c.status not in OK_STATUSES]
    if bad:
        flags.append(f"{len(bad)} 个数字未通过核对：" + "、".join(bad[:8]))
    if structure.labels_refused:
        flags.append(f"各部分标题未能由模型可靠标注（{structure.labels_refused}），沿用规则的读法")
    for key in structure.completeness.missing:
        flags.append(f"缺少法定部分：{PART_NAMES[key]}")
    if structure.completeness.truncated:
        flags.append("原文在结尾处被截断")
    if note := issuer_flag(structure.metadata):
        flags.append(note)
    if verification.source_warnings:
        flags.append(f"原文自身有 {len(verification.source_warnings)} 处数字前后不一致")
    run = RunInfo(
        engine="llm" if drafter.engine == "llm" else "rules",
        model=model if drafter.engine == "llm" else None,
        prompt_version=template.version if template and drafter.engine == "llm" else None,
        prompt_sha256=prompt_fingerprint(template)
        if template and drafter.engine == "llm"
        else None,
        attempts=sum(r.attempts for r in runs),
        reasks=sum(r.reasks for r in runs),
        tokens_in=sum(r.tokens_in for r in runs),
        tokens_out=sum(r.tokens_out for r in runs),
        seconds=round(time.monotonic() - started, 2),
        parts=runs,
    )
    return ReportSummary.model_validate(
        {
            **summary_dict,
            "verification": verification.to_json(),
            "flags": flags,
            "run": run.model_dump(),
        }
    )


def _wording_flag(summary: dict[str, Any], finding: dict[str, object]) -> str:
    """A finding of `grounding.wording` as a report flag naming its item, also put on the
    item itself."""
    bits = str(finding.get("path") or "").split("/")
    note = str(finding["note"])
    if len(bits) >= 4 and bits[1] == "parts" and bits[3].isdigit():
        key, n = bits[2], int(bits[3])
        item = summary["parts"][key][n]
        item["flags"] = [*item.get("flags", []), note]
        return f"{PART_NAMES.get(key, key)}第{n + 1}条：{note}"
    if len(bits) >= 4 and bits[1] == "overview":
        return f"总体情况：{note}"
    return note


def _item(
    source: str,
    part: str,
    seg: Segment,
    draft: ItemDraft | None,
    quantities: list[Quantity],
    index: SourceIndex,
    note: str | None = None,
) -> Item:
    flags: list[str] = [note] if note else []
    if draft is None:
        flags.append("模型未给出这一条，标题和摘要取自原文")
        draft = RulesDrafter().draft_one(part, seg, source)
    # The drafter's title is final: the heading or the model's title shortened at a word end.
    title = draft.title.strip() or fallback_title(part, seg, source)
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
        title=title,
        summary=summary,
        cause=cause if part == "problems" else None,
        quote=source[q_start:q_end],
        quote_span=(q_start, q_end),
        source_span=(seg.start, seg.end),
        figures=figures,
        flags=flags,
    )


def _indicators(
    source: str, structure: Structure, quantities: list[Quantity], chooser: Chooser | None
) -> IndicatorResult:
    """The standard indicators the report states for its year: the plans part is skipped
    (next year's targets); the model is asked only for a clause that names two indicators."""
    plans = structure.parts.get("plans")
    skip = [(seg.start, seg.end) for seg in plans.segments] if plans else []
    if plans:
        skip.append((plans.start, plans.end))
    meta = structure.metadata
    return find_indicators(
        source, quantities, skip=skip, year=meta.year, level=meta.level, issuer=meta.issuer,
        chooser=chooser,
    )  # fmt: skip


def _chooser(drafter: Drafter) -> ModelChooser | None:
    """The model's chooser for unsure indicator clauses, when the drafter has a model door."""
    if isinstance(drafter, ModelDrafter) and isinstance(drafter.door, ChoiceDoor):
        return ModelChooser(drafter.door)
    return None


def _choice_run(used: list[Usage]) -> PartRun:
    """The indicator choices' requests, counted like the item requests."""
    return PartRun(
        part="indicators",
        attempts=sum(u.attempts for u in used),
        reasks=sum(max(0, u.attempts - 1 - u.transport_retries) for u in used),
        tokens_in=sum(u.tokens_in for u in used),
        tokens_out=sum(u.tokens_out for u in used),
        seconds=round(sum(u.seconds for u in used), 2),
    )
