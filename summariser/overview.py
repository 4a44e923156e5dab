"""A report's overview: one sentence per statutory part, from the items' summaries, checked.

The model writes it in one short request after the items (it reads the item titles and
summaries, never the report again). Each part's sentence is checked like an item summary:
its figures against that part's passage of the source, a failure re-asked naming the figure,
what still fails kept and flagged. The sentences in part order are the report's 总体情况.
With no model, or when its answer is unusable, each part's line lists its first item titles
(the report's own words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from summariser.errors import ModelError
from summariser.grounding import SourceIndex
from summariser.prompts import PromptTemplate
from summariser.schema import OK_STATUSES, PART_KEYS, PART_NAMES, Item, Overview, OverviewDraft

if TYPE_CHECKING:  # the door's types only: importing it would load openai
    from summariser.llm import Extraction

SHORT_NAMES: dict[str, str] = {
    "achievements": "举措和成效",
    "problems": "不足和原因",
    "leadership": "第一责任人履职",
    "plans": "下一年度安排",
    "other": "其他情况",
}
"""The parts as the overview prompt and the rules' lines name them."""
LIMITS: dict[str, int] = {"achievements": 70}
"""Characters asked for a part's sentence (the achievements part is the report's bulk)."""
LIMIT = 45
INPUT_ITEMS = 10
"""At most this many items of a part are shown to the model (the first ones, as reported)."""
INPUT_CHARS = 40
"""Each item's summary is shown cut to this many characters."""
KEEP_FACTOR = 1.6
"""A sentence longer than its limit by more than this factor is cut at a clause end."""
MAX_OVERVIEW_TOKENS = 320
RULES_TITLES = 3
MISSING_NOTE = "报告未写“{name}”部分。"
FALLBACK_NOTE = "模型未能写出总体情况，各部分取自原文小标题"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class OverviewDoor(Protocol):
    """What the overview needs from the model door (a fake in tests)."""

    def extract(
        self,
        response_model: type[OverviewDraft],
        messages: list[dict[str, str]],
        *,
        context: dict[str, Any] | None = None,
        reasks: int = 2,
        max_tokens: int = 800,
    ) -> Extraction[OverviewDraft]: ...


@dataclass
class OverviewRun:
    """The overview and what its request cost (zero for the rules' overview)."""

    overview: Overview
    attempts: int = 0
    reasks: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    for marks in ("。；;！？", "，,、"):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit // 3:
            return head[: cut + 1]
    return head


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip("；;，,、： ")
    return text + "。" if text and text[-1] not in "。！？!?”）)" else text


def part_span(items: list[Item]) -> tuple[int, int]:
    """From the part's first item start to its last item end."""
    return min(i.source_span[0] for i in items), max(i.source_span[1] for i in items)


def paragraph(lines: dict[str, str], missing: list[str]) -> str:
    """The 总体情况: the part lines in part order, then which main parts the report lacks."""
    text = "".join(lines[key] for key in PART_KEYS if key in lines)
    for key in ("achievements", "problems", "plans"):
        if key in missing:
            text += MISSING_NOTE.format(name=PART_NAMES[key])
    return text


def rules_overview(
    parts: dict[str, list[Item]], missing: list[str], flags: list[str] | None = None
) -> Overview:
    """Each part's line: its first item titles (the report's own headings)."""
    lines: dict[str, str] = {}
    for key in PART_KEYS:
        titles = [i.title for i in parts.get(key, []) if i.title]
        if not titles:
            continue
        more = "等" if len(titles) > RULES_TITLES else ""
        shown = "；".join(t.rstrip("…") for t in titles[:RULES_TITLES])
        lines[key] = f"{SHORT_NAMES[key]}：{shown}{more}。"
    return Overview(
        text=paragraph(lines, missing), parts=lines, by="rules", flags=list(flags or [])
    )


def overview_prompt(parts: dict[str, list[Item]]) -> tuple[str, list[str]]:
    """The parts block the model reads (titles and summaries), and the keys it must answer."""
    lines: list[str] = []
    keys: list[str] = []
    for key in PART_KEYS:
        items = parts.get(key, [])
        if not items:
            continue
        keys.append(key)
        lines.append(f"【{SHORT_NAMES[key]}】（{key}）")
        for item in items[:INPUT_ITEMS]:
            summary = _clip(" ".join(item.summary.split()), INPUT_CHARS)
            lines.append(f"- {item.title}：{summary}" if item.title else f"- {summary}")
    return "\n".join(lines), keys


class ModelOverviewer:
    """Asks the model for one sentence per part, checked against the source."""

    def __init__(self, door: OverviewDoor, template: PromptTemplate, reasks: int = 2) -> None:
        self.door = door
        self.template = template
        self.reasks = reasks

    def checker(
        self, keys: list[str], spans: dict[str, tuple[int, int]], index: SourceIndex
    ) -> Callable[[OverviewDraft], list[str]]:
        def check(draft: OverviewDraft) -> list[str]:
            problems: list[str] = []
            for key in keys:
                line = (getattr(draft, key) or "").strip()
                if not _CJK.search(line):
                    problems.append(f"缺少 {key}（{SHORT_NAMES[key]}）的中文概括")
                    continue
                for result in index.check(line, scope=spans[key]):
                    if result.status not in OK_STATUSES:
                        said = f"（{result.note}）" if result.note else ""
                        problems.append(
                            f"{key}中“{result.quantity.text}”与原文不符{said}，请照抄原文数字或删去"
                        )
            return problems

        return check

    def write(
        self, parts: dict[str, list[Item]], missing: list[str], index: SourceIndex
    ) -> OverviewRun:
        """The model's overview; the rules' one, flagged, when the answer is unusable.

        Raises:
            TransportError: from the door, as for the items.
        """
        block, keys = overview_prompt(parts)
        if not keys:
            return OverviewRun(rules_overview(parts, missing))
        spans = {key: part_span(parts[key]) for key in keys}
        limit = (
            "，".join(f"{k}不超过{LIMITS[k]}字" for k in keys if k in LIMITS)
            + ("，其余" if any(k in LIMITS for k in keys) else "")
            + f"不超过{LIMIT}字"
        )
        messages = self.template.render(parts=block, keys="、".join(keys), limit=limit)
        try:
            got = self.door.extract(
                OverviewDraft,
                messages,
                context={"check": self.checker(keys, spans, index)},
                reasks=self.reasks,
                max_tokens=MAX_OVERVIEW_TOKENS,
            )
        except ModelError as err:
            flag = f"{FALLBACK_NOTE}（{err.one_line()}）"
            return OverviewRun(rules_overview(parts, missing, [flag]), attempts=1)
        lines: dict[str, str] = {}
        flags: list[str] = []
        fallback = rules_overview(parts, missing).parts
        for key in keys:
            line = (getattr(got.value, key) or "").strip()
            if not _CJK.search(line):
                lines[key] = fallback[key]
                flags.append(f"{PART_NAMES[key]}：模型未写出概括，取自原文小标题")
                continue
            limit_chars = int(LIMITS.get(key, LIMIT) * KEEP_FACTOR)
            lines[key] = _sentence(_clip(line, limit_chars))
            for result in index.check(lines[key], scope=spans[key]):
                if result.status not in OK_STATUSES:
                    flags.append(f"{PART_NAMES[key]}：“{result.quantity.text}”未通过核对")
        by: Literal["model", "rules"] = (
            "rules" if all(lines[key] == fallback[key] for key in keys) else "model"
        )
        usage = got.usage
        return OverviewRun(
            Overview(text=paragraph(lines, missing), parts=lines, by=by, flags=flags),
            attempts=usage.attempts,
            reasks=max(0, usage.attempts - 1 - usage.transport_retries),
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            seconds=round(usage.seconds, 2),
        )
