"""Standard indicators found in a report by code: which figure counts which indicator.

A figure is a value of an indicator (``summariser/lexicon/indicators.yaml``) when its unit fits
the indicator's kind and its own clause names it: the words just before the figure (back to the
clause's start or the previous figure) or just after it name the subject (行政复议, 规范性文件 …);
when those words are only a verb (``审结187件``), the subject is the one the sentence named last
before it. A count also needs its act (受理, 审查, 清理 …) in the sentence, which gives its basis
(口径). A rate needs its 率 word to be the last one before the figure.

Never a value the year's text does not state for the report's own body: figures in the plans
part or after a target word (力争, 预计 …), totals since an earlier year (累计 without the year,
以来, 近三年), another body's figure (全省 in a city's report, 全市 in a district's), a
breakdown (其中 …) or an aside in brackets. When a clause names two subjects side by side
(办理行政复议和行政诉讼案件30件), the rules are unsure: a :class:`Chooser` (the model) may pick
one of those candidates, and its pick is kept only if it is one of them; without a chooser the
figure is left out. Every value is checked against the source at its span before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from summariser.figures.numbers import Quantity, scan
from summariser.lexicon.indicators import Indicator, indicators
from summariser.schema import IndicatorValue

__all__ = ["Candidate", "Chooser", "IndicatorResult", "find_indicators"]

_CLAUSE_MARKS = set("，,。；;：:！？!?\n")
_SENTENCE_MARKS = set("。；;！？!?\n")
_BRACKETED = re.compile(r"[（(][^（）()]{0,40}[）)]")
_FILLER = re.compile(r"[共已累计全年另再均各]|\d{4}年|^[、和及与]")
_SHORT = 4
"""Words before a figure this short (审结, 已办结, 二审案件) name no subject of their own: the
sentence's last subject carries over."""
_JOINED = re.compile(r"^[的]?(?:和|及|与|、|或|以及)")
_TARGET = re.compile(
    r"力争|预计|争取|目标(?:是|为)|计划(?:到|在|完成|开展)|将(?:达到|实现|力争|提高|提升)"
)
_SINCE = re.compile(r"(?:(\d{4})\s*年)?以来")
_RECENT = re.compile(r"近[一二三两四五六七八九十\d]+年|历年|多年来")
_CUMULATIVE = re.compile(r"累计")
_OWN_YEAR = r"(?:{year}\s*年|全年|年内|今年|本年度?)[^，。；]{{0,6}}累计"
_CHANGE = re.compile(r"同比|较上年|比上年|下降|上升|提高|增长|降低|减少|增加")
_HIGHER = {
    "省级": ("全国", "上级"),
    "市级": ("全国", "全省", "上级"),
    "县级": ("全国", "全省", "上级"),
}


@dataclass(frozen=True)
class Candidate:
    """A figure whose clause names more than one indicator, and those indicators' names."""

    clause: str
    figure: str
    names: tuple[str, ...]


class Chooser(Protocol):
    """Picks one indicator among a clause's candidates (the model); None when none fits."""

    def choose(self, candidate: Candidate) -> str | None:
        """The chosen name, or None."""
        ...


@dataclass(frozen=True)
class IndicatorResult:
    """What the finder read: the values, and the notes for readers (unsure clauses, refusals)."""

    values: list[IndicatorValue]
    notes: list[str]
    unsure: list[Candidate]


@dataclass(frozen=True)
class _Reading:
    lead: str  # the words before the figure, back to the clause start or the previous figure
    after: str  # the words after it, to the clause end or the next figure
    before: str  # the sentence before ``lead``
    sentence: str
    clause: str


def _blank_brackets(s: str) -> str:
    return _BRACKETED.sub(lambda m: " " * len(m.group()), s)


def _reading(source: str, qs: Sequence[Quantity], i: int) -> _Reading:
    q = qs[i]
    c0 = q.start
    while c0 > 0 and source[c0 - 1] not in _CLAUSE_MARKS:
        c0 -= 1
    c1 = q.end
    while c1 < len(source) and source[c1] not in _CLAUSE_MARKS:
        c1 += 1
    s0 = c0
    while s0 > 0 and source[s0 - 1] not in _SENTENCE_MARKS:
        s0 -= 1
    s1 = c1
    while s1 < len(source) and source[s1] not in _SENTENCE_MARKS:
        s1 += 1
    lead0 = max([p.end for p in qs[:i] if p.end > c0 and p.end <= q.start], default=c0)
    after1 = min([p.start for p in qs[i + 1 :] if p.start < c1], default=c1)
    return _Reading(
        lead=source[lead0 : q.start],
        after=source[q.end : after1],
        before=source[s0:lead0],
        sentence=source[s0:s1],
        clause=source[c0:c1].strip(),
    )


def _last(pattern: re.Pattern[str], s: str) -> re.Match[str] | None:
    found = None
    for m in pattern.finditer(s):
        found = m
    return found


def _not_own(r: _Reading, year: int | None, level: str | None, issuer: str | None) -> bool:
    """A target, a total since an earlier year, another body's figure, a part or an aside."""
    said = r.before + r.lead
    if _TARGET.search(said) or _RECENT.search(said):
        return True
    for m in _SINCE.finditer(said):
        if not (year and m.group(1) and int(m.group(1)) == year):
            return True
    if _CUMULATIVE.search(said):
        own = re.compile(_OWN_YEAR.format(year=year or r"\d{4}"))
        if not own.search(said):
            return True
    higher = list(_HIGHER.get(level or "", ("全国", "上级")))
    if level == "县级" and issuer and re.search(r"[区县旗]", issuer):
        higher.append("全市")  # a district's or county's report: 全市 is the city above it
    if any(w in r.lead for w in higher):
        return True
    return r.clause.lstrip("“”\"' ").startswith("其中")


def _rate_fits(ind: Indicator, r: _Reading) -> bool:
    assert ind.rate is not None
    m = _last(ind.rate, r.lead)
    if m is None or "率" in r.lead[m.end() :] or _CHANGE.search(r.lead[m.end() :]):
        return False
    return not (ind.within and not ind.within.search(r.sentence))


def _short(lead: str) -> bool:
    words = _FILLER.sub("", lead.split("、")[-1]).strip()
    return len(words) <= _SHORT


def _subject_groups(vocab: Sequence[Indicator]) -> dict[str, list[Indicator]]:
    groups: dict[str, list[Indicator]] = {}
    for ind in vocab:
        if ind.subject is not None:
            groups.setdefault(ind.subject.pattern, []).append(ind)
    return groups


def _subjects(groups: dict[str, list[Indicator]], r: _Reading) -> tuple[list[str], bool]:
    """The subject groups the figure's clause names, and whether two stand side by side."""
    lead = _blank_brackets(r.lead)
    found = []
    for key, inds in groups.items():
        m = _last(inds[0].subject, lead)  # type: ignore[arg-type]
        if m:
            found.append((m.end(), m.start(), key))
    if found:
        found.sort()
        end, start, key = found[-1]
        joined = [k for e, _, k in found[:-1] if _JOINED.match(lead[e:start])]
        return [key, *joined], bool(joined)
    after = _blank_brackets(r.after)
    named = [
        (m.start(), key)
        for key, inds in groups.items()
        if (m := inds[0].subject.search(after))  # type: ignore[union-attr]
    ]
    if named:
        return [min(named)[1]], False
    if not _short(r.lead):
        return [], False
    before = _blank_brackets(r.before)
    carried = [
        (m.end(), key)
        for key, inds in groups.items()
        if (m := _last(inds[0].subject, before))  # type: ignore[arg-type]
    ]
    if not carried:
        return [], False
    end, key = max(carried)
    if "其中" in before[end:]:
        return [], False  # the clauses after 其中 are the parts of a total, not values
    return [key], False


def _acts(inds: list[Indicator], r: _Reading) -> list[tuple[Indicator, str | None]]:
    """Which of a subject group's indicators the sentence's acts name, with their basis."""
    near = _blank_brackets(r.lead) + " " + _blank_brackets(r.after)
    out: list[tuple[Indicator, str | None]] = []
    for ind in inds:
        hits = [(m.end(), a.basis) for a in ind.acts if (m := _last(a.pattern, near))]
        if hits:
            out.append((ind, max(hits)[1]))
    if out or not any(i.acts for i in inds):
        return out or [(i, None) for i in inds]
    before = _blank_brackets(r.before)
    carried = [
        (m.end(), ind, a.basis) for ind in inds for a in ind.acts if (m := _last(a.pattern, before))
    ]
    if carried:
        end = max(c[0] for c in carried)
        # what a carried act says between it and the figure can make it another count too
        # (清理后……现行有效的 is what a clearance left, not what it cleared)
        return [
            (ind, basis)
            for e, ind, basis in carried
            if e == end and not (ind.exclude and ind.exclude.search(before[e - 2 :] + r.lead))
        ]
    return [(i, i.optional_act) for i in inds if i.optional_act]


def _count_fits(ind: Indicator, r: _Reading) -> bool:
    lead = _blank_brackets(r.lead)
    if ind.exclude and ind.exclude.search(lead):
        return False
    if ind.within and not ind.within.search(r.sentence):
        if not (ind.activity and ind.subject and ind.subject.search(lead + r.after)):
            return False
    if ind.body is not None and ind.subject is not None:
        m = _last(ind.subject, lead) or ind.subject.search(r.after)
        if m and "调解" not in m.group() and not ind.body.search(r.sentence):
            return False
    return True


def _activity(vocab: Sequence[Indicator], r: _Reading) -> list[Indicator]:
    """Indicators named by an activity in a sentence about their field (演出活动 in 法治文化)."""
    return [
        ind
        for ind in vocab
        if ind.activity and ind.within
        and ind.activity.search(r.lead) and ind.within.search(r.sentence)
    ]  # fmt: skip


def _check(source: str, q: Quantity, ind: Indicator) -> bool:
    """The source at the span is the figure, read again to the same value and a fitting unit."""
    if source[q.start : q.end] != q.text:
        return False
    again = scan(q.text)[0]
    return (
        len(again) == 1
        and again[0].value == q.value
        and again[0].unit == q.unit
        and ind.unit_fits(again[0].unit)
    )


def _value(
    q: Quantity, ind: Indicator, r: _Reading, basis: str | None, by: str, ok: bool
) -> IndicatorValue:
    return IndicatorValue(
        name=ind.name, text=q.text, value=q.value, unit=q.unit, span=(q.start, q.end),
        clause=r.clause, basis=basis if ind.kind == "count" and len(ind.acts) > 1 else None,
        used=True, reason="",
        status="verified" if ok else "flagged", by=by,  # type: ignore[arg-type]
    )  # fmt: skip


def _mark_used(values: list[IndicatorValue], vocab: Sequence[Indicator]) -> list[IndicatorValue]:
    """For each indicator stated more than once, the one value a comparison uses, and why."""
    by_name = {ind.name: ind for ind in vocab}
    out = list(values)
    for name in dict.fromkeys(v.name for v in values):
        idx = [i for i, v in enumerate(out) if v.name == name and v.status == "verified"]
        if not idx:
            continue
        ind = by_name[name]
        order = [a.basis for a in ind.acts]
        if len(idx) == 1:
            chosen, reason = idx[0], "本年度唯一写明的数值"
        elif ind.kind == "rate":
            chosen, reason = idx[0], "原文多处写明，取第一处"
        else:
            rank = {b: n for n, b in enumerate(order)}
            chosen = min(
                idx, key=lambda i: (rank.get(out[i].basis or "", len(rank)), -out[i].value)
            )
            basis = out[chosen].basis
            if len({out[i].value for i in idx}) == 1:
                reason = "原文多处写明同一数值，取第一处"
            elif len({out[i].basis for i in idx}) > 1 and basis:
                first = "" if basis == order[0] else f"原文未写{order[0]}数，"
                reason = f"{first}取{basis}数：{ind.prefer}"
            else:
                reason = "原文分项写明、未给合计，取其中最大的一项"
        for i in idx:
            if i == chosen:
                out[i] = out[i].model_copy(update={"used": True, "reason": reason})
            else:
                out[i] = out[i].model_copy(
                    update={"used": False, "reason": f"比较采用“{out[chosen].text}”（{reason}）"}
                )
    return out


def find_indicators(
    source: str,
    quantities: Sequence[Quantity],
    *,
    skip: Sequence[tuple[int, int]] = (),
    year: int | None = None,
    level: str | None = None,
    issuer: str | None = None,
    chooser: Chooser | None = None,
) -> IndicatorResult:
    """The standard indicators the report states for its year and its own body.

    Args:
        source: The report's text.
        quantities: Its figures (``figures.numbers.scan``), in order.
        skip: Spans whose figures are not the year's values (the plans part).
        year: The year reported on (``2024年累计`` is that year's total).
        level: The issuer's level (省级/市级/县级): which bodies are above it.
        issuer: The issuer's name (a 区 or 县 report's 全市 is the city above it).
        chooser: Picks among the candidates of a clause that names two indicators; None
            leaves such a figure out (no model request when the rules are sure).

    Returns:
        The values in source order, each checked at its span, with the one a comparison uses
        marked per indicator; notes for readers; the unsure clauses.
    """
    vocab = indicators()
    groups = _subject_groups(vocab)
    qs = [q for q in quantities if q.kind != "date"]
    values: list[IndicatorValue] = []
    notes: list[str] = []
    unsure: list[Candidate] = []
    for i, q in enumerate(qs):
        fits = [ind for ind in vocab if ind.unit_fits(q.unit)]
        if not fits or any(s <= q.start < e for s, e in skip):
            continue
        if _BRACKETED.search(source, max(0, q.start - 40), q.end + 40) and _in_brackets(source, q):
            continue
        r = _reading(source, qs, i)
        if _not_own(r, year, level, issuer):
            continue
        found: list[tuple[Indicator, str | None]] = [
            (ind, None) for ind in fits if ind.kind == "rate" and _rate_fits(ind, r)
        ]
        keys, side_by_side = _subjects(groups, r)
        for key in keys:
            inds = [ind for ind in groups[key] if ind in fits]
            found += [(ind, b) for ind, b in _acts(inds, r) if _count_fits(ind, r)]
        if not keys:
            found += [(ind, None) for ind in _activity(fits, r) if _count_fits(ind, r)]
        by = "rule"
        if side_by_side and len({ind.name for ind, _ in found}) > 1:
            candidate = Candidate(r.clause, q.text, tuple(dict.fromkeys(i.name for i, _ in found)))
            unsure.append(candidate)
            pick = chooser.choose(candidate) if chooser else None
            if pick is not None and pick not in candidate.names:
                notes.append(f"“{q.text}”：模型所选指标“{pick}”不在候选之列，未采用")
                pick = None
            found = [(ind, b) for ind, b in found if ind.name == pick]
            by = "model"
        for ind, basis in found:
            values.append(_value(q, ind, r, basis, by, _check(source, q, ind)))
    for v in values:
        if v.status != "verified":
            notes.append(f"指标“{v.name}”的数值“{v.text}”未通过核对")
    return IndicatorResult(_mark_used(values, vocab), notes, unsure)


def _in_brackets(source: str, q: Quantity) -> bool:
    """Whether the figure stands inside a bracketed aside (含上年结转12件)."""
    for m in _BRACKETED.finditer(source, max(0, q.start - 40), min(len(source), q.end + 40)):
        if m.start() < q.start and q.end < m.end():
            return True
    return False
