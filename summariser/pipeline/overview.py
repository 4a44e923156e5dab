"""A report's overview: one sentence per statutory part, from the items' summaries, checked.

For the parts a reader asks about first (achievements, problems, plans) the model compresses
the part's item summaries into one sentence: the same prompt and the same checks as an item
(the summaries joined stand for the 段落), so the request shares the items' cached prompt and
never reads the report again. Its figures are checked against the part's passage of the
source, a failure re-asked naming the figure, what still fails kept and flagged. A part of one
item takes that item's summary. The other parts (leadership, other), and every part when there
is no model or its answer is unusable, list their first item titles: the report's own words.
The sentences in part order, with a note for each main part the report lacks, are its 总体情况.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from summariser.lexicon.sentences import (
    CLAUSE_MARKS,
    clause_cuts,
    clip_at_clause,
    clip_at_word,
    word_ends,
)
from summariser.schema import COPIED_SUMMARY_NOTE, PART_KEYS, PART_NAMES, Item, Overview

SHORT_NAMES: dict[str, str] = {
    "achievements": "举措和成效",
    "problems": "不足和原因",
    "leadership": "第一责任人履职",
    "plans": "下年度安排",
    "other": "其他情况",
}
"""The parts as the titles' lines name them."""
MODEL_PARTS = ("achievements", "problems", "plans")
"""The parts whose line the model writes; the others list their item titles."""
INPUT_ITEMS = 5
"""At most this many of a part's items are given (the first ones, as the report orders them)."""
INPUT_CHARS = 26
"""Each item's summary is given as its first clause (its lead carries the measure), cut at
this many characters when longer. Given eight summaries cut at 30, the model copied them out
(a re-ask each, 56 s for one report's three parts); cut at a fixed 18 characters, words were
split (理论中心组学法清单 → 理论中心) and the model wrote the fragments into its sentence."""
REASKS = 1
"""Re-asks of a part's sentence: one, then its figures are flagged, as an item's are."""
LINE_CHARS = 80
"""A part's line is cut at a clause end beyond this."""
RULES_TITLES = 3
MISSING_NOTE = "报告未写“{name}”部分。"
_END = "。；;，,、：: "


@dataclass
class Asked:
    """The model's sentence for one part (None when its answer was unusable), and the check
    messages that still failed after the last re-ask."""

    text: str | None
    errors: list[str] = field(default_factory=list)


Ask = Callable[[str, str, tuple[int, int]], Asked]
"""(part, the joined summaries, the part's source span) -> the model's sentence."""


def _sentence(text: str) -> str:
    """One sentence: clause marks at the end dropped, a full stop added when it has none (a
    closing quote or bracket ends it only after one: “三项制度” still needs its 。)."""
    text = " ".join(text.split()).rstrip(_END)
    bare = text.rstrip("”’」』）)")
    return text if not text or bare.endswith(("。", "！", "？", "!", "?")) else text + "。"


def part_span(items: list[Item]) -> tuple[int, int]:
    """From the part's first item start to its last item end."""
    return min(i.source_span[0] for i in items), max(i.source_span[1] for i in items)


def lead_clause(summary: str) -> str:
    """A summary's first clause; one longer than ``INPUT_CHARS`` is cut where a list item or a
    quotation ends within them (the model copies what it is given, so a cut word would come
    back in its sentence: 素质参差不齐等问), else given whole."""
    text = " ".join(summary.split())
    clause = CLAUSE_MARKS.split(text, maxsplit=1)[0]
    return (clip_at_word(clause, INPUT_CHARS) or clause).rstrip(_END)


def cut_leads(items: list[Item]) -> list[str]:
    """The leads the model was given that stop inside a word of their clause (a clause longer
    than ``INPUT_CHARS`` with no list item or quotation ending within them)."""
    cut = []
    for item in items[:INPUT_ITEMS]:
        clause = CLAUSE_MARKS.split(" ".join(item.summary.split()), maxsplit=1)[0].rstrip(_END)
        lead = lead_clause(item.summary)
        if lead and len(lead) < len(clause) and len(lead) not in word_ends(clause):
            cut.append(lead)
    return cut


def without_cut_tail(line: str, leads: list[str]) -> str | None:
    """The model's sentence without a last clause that ends as one of the cut ``leads`` does
    (the model copies what it is given: 素质参差不齐等问); None when that clause is all of it.
    A sentence that does not end so comes back as it is."""
    body = line.rstrip(_END + "。！？!?")
    for lead in leads:
        if body.endswith(lead[-4:]):
            cuts = [c for c in clause_cuts(body) if c < len(body)]
            return body[: cuts[-1]] if cuts else None
    return line


def joined_summaries(items: list[Item]) -> str:
    """What the model reads for a part: its first items' lead clauses, joined."""
    leads = [lead_clause(i.summary) for i in items]
    text = "；".join(lead for lead in leads[:INPUT_ITEMS] if lead)
    return text + "。" if text and text[-1] not in "。！？!?”）)" else text


def titles_line(key: str, items: list[Item]) -> str:
    """A part's line in the report's own words: its first item titles."""
    titles = [i.title for i in items if i.title]
    if not titles:
        return ""  # no placeholder line (第一责任人履职：……): the part says nothing readable
    more = "等" if len(titles) > RULES_TITLES else ""
    return f"{SHORT_NAMES[key]}：{'；'.join(titles[:RULES_TITLES])}{more}。"


def paragraph(lines: dict[str, str], missing: list[str]) -> str:
    """The 总体情况: the part lines in part order, then which main parts the report lacks."""
    text = "".join(lines[key] for key in PART_KEYS if key in lines)
    for key in MODEL_PARTS:
        if key in missing:
            text += MISSING_NOTE.format(name=PART_NAMES[key])
    return text


def _copied(item: Item) -> bool:
    return any(COPIED_SUMMARY_NOTE in f for f in item.flags)


def build_overview(
    parts: dict[str, list[Item]], missing: list[str], ask: Ask | None = None
) -> Overview:
    """The overview of a summarised report; ``ask`` is the model (None: titles only)."""
    lines: dict[str, str] = {}
    written: list[str] = []
    flags: list[str] = []
    for key in PART_KEYS:
        items = parts.get(key, [])
        if not items:
            continue
        if ask is None or key not in MODEL_PARTS:
            lines[key] = titles_line(key, items)
            continue
        if len(items) == 1:
            lines[key] = _sentence(items[0].summary)
            if not _copied(items[0]):
                written.append(key)
            continue
        got = ask(key, joined_summaries(items), part_span(items))
        if got.text is None:
            lines[key] = titles_line(key, items)
            flags.append(f"{PART_NAMES[key]}：模型未写出概括，取自原文小标题")
            continue
        line = without_cut_tail(clip_at_clause(got.text.strip(), LINE_CHARS), cut_leads(items))
        if line is None:
            lines[key] = titles_line(key, items)
            flags.append(f"{PART_NAMES[key]}：模型概括止于半个词，取自原文小标题")
            continue
        if line != clip_at_clause(got.text.strip(), LINE_CHARS):
            flags.append(f"{PART_NAMES[key]}：模型概括末尾止于半个词，已删去这半句")
        lines[key] = _sentence(line)
        written.append(key)
        flags.extend(f"{PART_NAMES[key]}：{e}" for e in got.errors)
    return Overview(
        text=paragraph(lines, missing),
        parts=lines,
        by="model" if written else "rules",
        written=written,
        flags=flags,
    )
