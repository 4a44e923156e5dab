"""Arithmetic on a report's figures: the sums, differences and rates a summary states.

A figure of a summary that the source does not print is accepted as ``derived`` only when the
summary states the arithmetic and its operands are figures of the passage it is about (see
`derive`): a pure function of the source's figures, which `summariser.grounding.checker.SourceIndex`
parses once. The source's own sums and rates that do not add up are `summariser.grounding.source_lint`'s.

The summary must also say *which* figures it computed from: every operand is named by the
summary's own words (a word of the operand's source context stands in the clause of the
figure) or written in the summary's sentence, and a rate's part is named by the clause that
states the rate. Two same-unit figures of one sentence are no licence for any sum of them
(复议和审查文件共计13件 is not 8+5 when 8 and 5 are 调解纠纷 and 信访事项). A change over time
(较上年, 同比, 比2023年增长 …) is derived only from a figure the source dates earlier (上年为
132件, 2023年办理100件): without the earlier figure of the same thing there is nothing to
subtract.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from summariser.figures.numbers import Quantity, extract_quantities, units_compatible

Derivation = tuple[list[int], str]
"""The operands of a derived figure (indices into the source's figures) and its formula."""

# A figure not in the source is ``derived`` only when the summary states the arithmetic: a
# common character (和, 多, 增, 比 …) is no statement (多方协调3件 is not 8-5). A total says so
# (合计, 共计, 总数 …); a difference is a comparison (比/较/同比 …) with its direction
# (增长, 减少 …); a rate names itself (率, 占, 比例).
_SUM_CUES = ("合计", "共计", "总计", "总数", "总共", "一共", "总量", "之和")
_COMPARE_CUES = ("比", "较", "相比", "同比", "环比")
_CHANGE_CUES = ("增长", "增加", "减少", "下降", "上升", "提高", "降低", "增", "减", "多", "少")
_RATE_CUES = ("率", "占", "比例", "比重")
# A change over time: the earlier period named (上年, 同比 …, 比2023年), or a year with a
# change verb (2023年增长). Such a change needs the source's figure of that earlier period.
# 同比, not the 同 of 合同/共同/协同 … before a 比 (审查政府合同比规范性文件多24件)
_PAST = r"上年|去年|上一年|前一年|往年|同期|(?<![合共协相不如连会赞认陪])同比|环比"
_TEMPORAL = re.compile(rf"{_PAST}|(?:比|较|与|同)\s*(?:19|20)\d\d年")
_YEAR = re.compile(r"(?:19|20)\d\d年")
_CHANGE_VERBS = ("增长", "增加", "减少", "下降", "上升", "提高", "降低")
_EARLIER = re.compile(rf"{_PAST}|上年度|(?:19|20)\d\d年")
# Words around almost any count of a report: sharing one of them names no operand.
_GENERIC = frozenset(
    "办理 开展 完成 组织 工作 全年 全区 全市 全县 全省 全镇 本局 我局 本级 累计 共计 合计 "
    "总计 其中 以上 有关 相关 各类 全部 实现 推进 推动 年度 本年 今年 全面 进行 共有 "
    # and the words of the genre itself: nearly every clause of a 法治政府建设 report has them
    "法治 依法 行政 政府 建设 法律".split()
)
FILLER = "共达累计约近余逾了的均已有为其中各 \t*#`>-_“”\"‘’'《》"
"""Characters dropped from the words around a figure before they are compared (共, 达, 的 …):
`summariser.grounding.source_figures` drops them from the source's contexts, and the words of
a summary are compared with those contexts the same way."""
_FILLER_TABLE = str.maketrans(dict.fromkeys(FILLER))
CLAUSE_MARKS = "，,。；;！？!?\n：:"
SENTENCE_MARKS = "。；;！？!?\n"


def value_key(v: float) -> float:
    """A value as compared: rounded to six places, so 0.1+0.2 equals 0.3."""
    return round(v, 6)


def decimals(q: Quantity) -> int:
    """Decimal places of a figure as written (98.38% → 2)."""
    digits = re.sub(r"[^0-9０-９.．]", "", q.text.split("万")[0].split("亿")[0])
    _, _, frac = digits.replace("．", ".").partition(".")
    return len(frac)


def half_up(x: float, places: int) -> Decimal:
    """``x`` rounded half up to ``places`` decimals, as reports round."""
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def num(v: float) -> str:
    """A value as a formula shows it: 2075.0 → 2075."""
    return f"{v:.6f}".rstrip("0").rstrip(".")


def clause_before(text: str, pos: int) -> str:
    """The words before a figure back to the sentence start (at most 20 characters): where a
    summary states its arithmetic (合计…, 比上年增加…)."""
    lo = max(text.rfind(c, 0, pos) for c in "。；;！？!?\n") + 1
    return text[max(lo, pos - 20) : pos]


def listed_total(before: str) -> bool:
    """共 right before the figure, after the parts it totals (刑事和民事案件共348件); not 共同."""
    m = re.search(r"共(?:有|达|计|办理|受理|开展)?$", before)
    return m is not None and bool(re.search("[和及与、]", before[: m.start()]))


def _names(
    quantities: Sequence[Quantity],
    contexts: Sequence[tuple[str, str, dict[str, float]]],
    a: int,
    b: int,
    words: str,
) -> bool:
    """Whether the smaller of two figures is described by ``words`` (the part a rest is
    the rest of: 未成功 → 调解成功1996起); any words do for 其余/剩余."""
    part = a if quantities[a].value < quantities[b].value else b
    return words in contexts[part][0] + contexts[part][1]


_REACH = 400
"""How far either side of a figure its clause or sentence is looked for (a longer one is cut)."""


def span_around(text: str, start: int, end: int, marks: str) -> str:
    """The text around ``text[start:end]`` between the nearest of ``marks`` either side (at
    most ``_REACH`` characters away)."""
    floor, ceiling = max(0, start - _REACH), min(len(text), end + _REACH)
    last, first = _mark_patterns(marks)
    before = last.match(text, floor, start)
    after = first.search(text, end, ceiling)
    return text[before.end() if before else floor : after.start() if after else ceiling]


@lru_cache(maxsize=16)
def _mark_patterns(marks: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for the last of ``marks`` before a point (greedy) and the first after one."""
    cls = "[" + re.escape(marks) + "]"
    return re.compile(f"(?s).*{cls}"), re.compile(cls)


@lru_cache(maxsize=8192)
def content_grams(words: str) -> frozenset[str]:
    """The character bigrams of ``words`` that can name a subject, filler characters dropped
    (继续有效的 reads 继续效, as the source's contexts do): no digits, no generic verb."""
    words = words.translate(_FILLER_TABLE)
    return frozenset(
        g
        for g in map(str.__add__, words, words[1:])
        if "\u4e00" <= g[0] <= "\u9fff" and "\u4e00" <= g[1] <= "\u9fff" and g not in _GENERIC
    )


class _Naming:
    """What the summary's clause and sentence say about the source's figures."""

    def __init__(
        self,
        text: str,
        q: Quantity,
        quantities: Sequence[Quantity],
        contexts: Sequence[tuple[str, str, dict[str, float]]],
        source: str,
        sent_of: Sequence[int] = (),
    ) -> None:
        self.sent_of = sent_of
        self.clause = content_grams(span_around(text, q.start, q.end, CLAUSE_MARKS))
        sentence = span_around(text, q.start, q.end, SENTENCE_MARKS)
        self.written = {
            (value_key(w.value), w.unit) for w in extract_quantities(sentence) if w.text != q.text
        }
        self.quantities, self.contexts, self.source = quantities, contexts, source

    def _grams(self, i: int) -> frozenset[str]:
        left, right, _ = self.contexts[i]
        return content_grams(left) | content_grams(right)

    def by_words(self, i: int, *, distinct: bool = True) -> bool:
        """Whether the clause holds a word of the operand's source context; ``distinct``: a
        word that tells it from the other figures of its sentence in a compatible unit (五星级
        of 五星级司法所 beside 四星级司法所: 司法所 names both, so neither)."""
        own = self._grams(i)
        if distinct and self.sent_of:
            s = self.quantities[i]
            peers = [
                j
                for j, k in enumerate(self.sent_of)
                if k == self.sent_of[i] and j != i
                and self.quantities[j].kind != "date"
                and units_compatible(s.unit, self.quantities[j].unit)
            ]  # fmt: skip
            rest = own - set().union(*(self._grams(j) for j in peers))
            own = rest or own  # words no peer lacks tell nothing apart: any of them names it
        return bool(self.clause & own)

    def by_period(self, i: int) -> bool:
        """Whether operand ``i`` is an earlier period's figure with no subject of its own
        (上年为132件, 2023年办理365件): the same thing as the figure it is compared with."""
        left, right, _ = self.contexts[i]
        words = _EARLIER.sub(" ", left) + " " + _EARLIER.sub(" ", right)
        own = content_grams(words)
        return self.earlier(i) is not None and (not own or bool(self.clause & own))

    def named(self, i: int) -> bool:
        """Whether the summary names operand ``i``: by its words, or by writing it out."""
        s = self.quantities[i]
        if any(v == value_key(s.value) and units_compatible(u, s.unit) for v, u in self.written):
            return True
        return self.by_words(i)

    def earlier(self, i: int) -> str | None:
        """The earlier period the source dates operand ``i`` in (上年, 2023年), if any."""
        s = self.quantities[i]
        around = span_around(self.source, s.start, s.end, CLAUSE_MARKS) if self.source else ""
        m = _EARLIER.search(around)
        return m.group(0) if m else None

    def change_over_time(self, a: int, b: int) -> bool:
        """Whether one of two operands is the other's figure in an earlier period."""
        ea, eb = self.earlier(a), self.earlier(b)
        return (ea is not None or eb is not None) and ea != eb


def derive(
    text: str,
    q: Quantity,
    quantities: Sequence[Quantity],
    contexts: Sequence[tuple[str, str, dict[str, float]]],
    sent_of: Sequence[int],
    *,
    passage: Callable[[], set[int]],
    inside: Callable[[int], bool] | None,
    source: str = "",
) -> Derivation | None:
    """How ``q`` of ``text`` is computed from the source's figures, when the text says so.

    Args:
        text: The checked text; ``q`` is one of its figures, absent from the source.
        quantities: The source's figures.
        contexts: Their contexts (left words, right words, weighted bigrams).
        sent_of: The index of the source sentence each figure stands in.
        passage: The source sentences the figure may be computed from (called only when
            the text states an arithmetic).
        inside: Whether a source figure is the item's own (in its segment); None: any.
        source: The source text, to read the period an operand is dated in.

    Returns:
        The operands (indices into ``quantities``) and the formula, or None.
    """
    if q.unit is None or q.qualifier is not None or q.value <= 0:
        return None
    near = clause_before(text, q.start) + text[q.end : q.end + 4]
    before = clause_before(text, q.start)
    sum_cued = any(c in near for c in _SUM_CUES) or listed_total(before)
    changed = [c for c in _CHANGE_CUES if c in near]
    # 比上年增加3件: the comparison comes before its direction; 提高2个百分点 is one already
    # (比/较 need what is compared in between: 较少 is an adverb, 比较 no comparison)
    # the direction is the change word nearest the figure (减轻处罚比不予处罚多40次: 多, not
    # the 减 of 减轻)
    turn = max((near.rfind(c, 0, len(before)) for c in changed), default=-1)
    if turn < 0 and changed:
        turn = min(near.find(c) for c in changed)
    diff_cued = bool(changed) and any(
        0 <= near.find(c) < turn - (len(c) == 1) for c in _COMPARE_CUES
    )
    # 调解成功1996起，未成功79起: the rest of a total, named by the words it is the rest of
    # (or after it: 尚有20件未办结 → 办结100件)
    rest = re.search(r"(?:未|没有|尚未)([\u4e00-\u9fff]{2})[^，,]*$", before) or re.match(
        r"(?:未|没有|尚未)([\u4e00-\u9fff]{2})", text[q.end : q.end + 4]
    )
    complement = rest.group(1) if rest else None
    if complement is None and re.search(r"(?:其余|剩余|其他)[^，,]*$", before):
        complement = ""
    if q.unit == "个百分点":
        diff_cued = diff_cued or any(c in near for c in _CHANGE_CUES[:7])
    rate_cued = any(c in near for c in _RATE_CUES)
    temporal = bool(_TEMPORAL.search(near)) or (
        bool(_YEAR.search(near)) and any(c in near for c in _CHANGE_VERBS)
    )
    if temporal and q.unit == "%":
        return None  # a rate of change is no ratio of two counts of one period
    if q.unit == "%" and not rate_cued:
        return None  # a bare percentage is not read as a computed rate
    if q.unit == "个百分点" and not diff_cued:
        return None
    if not (sum_cued or diff_cued or complement is not None) and q.unit not in (
        "%",
        "个百分点",
    ):
        return None
    sentences = passage()
    says = _Naming(text, q, quantities, contexts, source, sent_of)

    def pair_named(a: int, b: int) -> bool:
        if not temporal:
            return says.named(a) and says.named(b)
        # a change over time: this period's figure named, the earlier one dated in the source
        if not says.change_over_time(a, b):
            return False
        return any(
            says.named(now) and (says.named(then) or says.by_period(then))
            for now, then in ((a, b), (b, a))
        )

    groups: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(sent_of):
        # the operands are the item's own: inside its segment, not a sentence spilling out
        if inside is not None and not inside(i):
            continue
        if k in sentences and quantities[i].kind != "date":
            if quantities[i].qualifier is None and quantities[i].unit is not None:
                groups[k].append(i)
    src = quantities
    target = value_key(q.value)
    for members in groups.values():
        if q.unit == "%":
            places = decimals(q)
            for a in members:
                for b in members:
                    x, y = src[a], src[b]
                    if a == b or x.unit == "%" or not units_compatible(x.unit, y.unit):
                        continue
                    if 0 < x.value < y.value:
                        rate = half_up(x.value / y.value * 100, places)
                        # the part a rate is of is named by the clause stating the rate
                        if rate == Decimal(repr(q.value)).quantize(rate) and (
                            says.by_words(a) and (says.named(b) or says.by_words(b, distinct=False))
                        ):
                            return ([a, b], f"{num(x.value)}/{num(y.value)}={rate}%")
            continue
        if q.unit == "个百分点":
            pct = [i for i in members if src[i].unit == "%"]
            for a in pct:
                for b in pct:
                    if (
                        a != b
                        and value_key(src[a].value - src[b].value) == target
                        and pair_named(a, b)
                    ):
                        return (
                            [a, b],
                            f"{num(src[a].value)}%-{num(src[b].value)}%={num(q.value)}个百分点",
                        )
            continue
        same_unit = [
            i
            for i in members
            if units_compatible(q.unit, src[i].unit) and src[i].unit not in ("%", "个百分点")
        ]
        for ai, a in enumerate(same_unit):
            for b in same_unit[ai + 1 :]:
                xv, yv = src[a].value, src[b].value
                if sum_cued and not temporal and value_key(xv + yv) == target:
                    if says.named(a) and says.named(b):
                        return ([a, b], f"{num(xv)}+{num(yv)}={num(q.value)}")
                is_rest = complement is not None and _names(quantities, contexts, a, b, complement)
                if (
                    (diff_cued and pair_named(a, b))
                    or (is_rest and (not temporal or says.change_over_time(a, b)))
                ) and value_key(abs(xv - yv)) == target:
                    hi, lo = (a, b) if xv > yv else (b, a)
                    return (
                        [hi, lo],
                        f"{num(src[hi].value)}-{num(src[lo].value)}={num(q.value)}",
                    )
        for n in range(3, min(len(same_unit), 10) + 1 if sum_cued and not temporal else 0):
            for s0 in range(len(same_unit) - n + 1):
                run = same_unit[s0 : s0 + n]
                if value_key(sum(src[i].value for i in run)) == target and all(
                    says.named(i) for i in run
                ):
                    formula = "+".join(num(src[i].value) for i in run) + f"={num(q.value)}"
                    return (run, formula)
    return None
