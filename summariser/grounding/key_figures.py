"""Key figures: which of a report's figures a reader would quote, what each counts, and why chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.lexicon.sentences import sentence_spans
from summariser.schema import Figure, Item, KeyFigure

KEY_FIGURES = 12
"""At most this many key figures per report."""
LABEL_CHARS = 16
"""A label is at most this long: the phrase a figure counts, not the sentence around it."""
QUOTE_CHARS = 160
"""A key figure's quote is its sentence, or this stretch around the figure when longer."""

# --- labels ------------------------------------------------------------------------------------

_STOPS = frozenset("，,；;。．！？!?：:、\n\r\t")
"""Clause punctuation: a label never crosses one (but see the parallel rates below)."""
_LEAD = re.compile(
    r"(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[.、．]|[一二三四五六七八九十]+、|其中|另外|此外|同时|并且|将|把)"
)
"""Enumeration markers and joining words that open a clause but are not what it counts."""
_FILLER = re.compile(
    r"(?:\d{4}|[一二〇零○]{4})年(?:度|以来|全年)?|全年|今年|去年|年内|本年度|当年|上半年|下半年"
    r"|截至目前|截止目前|截至年底|截至|截止|目前|至今"
    r"|共计|合计|总计|累计|一共|共有|共(?![享同识治]|建(?![成立设]))|先后|全市|全区|全县|全省|全州|全镇|全旗|全局|全系统"
    r"|我市|我区|我县|我省|我局|我委|我办|本局|本市|本区|本县|均|已经|已"
)
"""Words that open a clause without saying what is counted (全年共…, 2024年累计…)."""
_MID_FILLER = re.compile(
    r"(?:\d{4}|[一二〇零○]{4})年(?:度|以来)?|截至目前|截止目前|共计|合计|总计|累计"
    r"|(?<!公)共(?![享同识治]|建(?![成立设]))|先后"
    r"|我市|我区|我县|我省|我局"
)
"""Fillers that end a clause's subject (区法律援助中心2024年共受理… → 受理…)."""
_TRAILING = re.compile(
    r"(?:分别达到|分别达|分别为|均达到了|均达到|均到达|均达|均为|已达到|已达|达到了|达到|到达"
    r"|不低于|不少于|不高于|不超过|不足|超过|高于|低于|多于|少于"
    r"|(?:拓展|扩大|压减|压缩|增加|减少|提升|提高|降低|升|增|减|降)(?:至|到)"
    r"|保持|仅有|仅|达|为|是|有|计|约|共计|合计|总计|累计|共|均|已|至|到|(?<=数)的|等"
    r"|全市|全区|全县|全省|全州|全镇)$"
)
"""Copulas, comparisons and the like between what is counted and the figure (…率达到52% →
…率, …申办率不低于95% → …申办率)."""
_FIGURE_AHEAD = re.compile(
    r"[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?[余多]?"
    r"(?:人次|场次|件次|[个名件次人家条份项起场所年月日卷宗户批期处座元%])?"
)
"""An earlier figure inside the clause: the label starts after it (15个执法部门开展… → 执法部门…)."""
_VERBS = re.compile(
    r"开展|组织|举办|召开|办理|受理|审查|审核|提供|发放|培训|调解|排查|查处|评查|清理|办结|审结"
    r"|接待|接收|聘请|培育|创建|建成|化解|挽回|减免|完成"
)
"""Action verbs a long label may start at (…对在册对象协助开展个人心理矫治 → 开展个人心理矫治)."""
_AFTER_STOPS = re.compile(
    r"参加|参与|开展|进行|纳入|通过|实现|完成|全覆盖|覆盖|入驻|提供|接受|获得|签订|办理|受理|"
    r"组成|组建|成立|建立|建成|加入|落实|走进|深入|赋予|依法|予以|推行|全部|作为|提升|提高|"
    r"增加|增长|达到|晋升|出具|签署|提交|发出|开具|制定|出台|发布|[的和及与被等并均共]|[0-9０-９]"
)
"""Where a noun after its figure ends (35家民营企业开展… → 民营企业)."""
_NO_NOUN_AFTER = frozenset("的以左上下内外余多等之次")
"""A figure followed by one of these has no counted noun after it."""
_MEASURE_UNITS = ("%", "‰", "个百分点", "倍", "元")
"""Units that say what kind of figure it is but never precede what it counts."""
_PAIRS = (
    ("“", "”"),
    ("‘", "’"),
    ("《", "》"),
    ("（", "）"),
    ("(", ")"),
    ("【", "】"),
    ("「", "」"),
)


def _strip(source: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding space, and without a quote mark or bracket that lost its partner
    (an opening one left alone cuts the label there)."""
    changed = True
    while changed:
        changed = False
        while start < end and source[start].isspace():
            start += 1
        while end > start and source[end - 1].isspace():
            end -= 1
        for o, c in _PAIRS:
            text = source[start:end]
            depth, first_bad = 0, -1
            for i, ch in enumerate(text):
                if ch == o:
                    depth += 1
                elif ch == c:
                    if depth == 0:
                        start, changed = start + i + 1, True  # a closing mark with no opening
                        break
                    depth -= 1
            else:
                if depth > 0:
                    first_bad = text.rfind(o)
                    # an opening mark with no closing one: keep what comes before it, or what
                    # comes after it when the part before is too short to say anything
                    if first_bad >= 2:
                        end = start + first_bad
                    else:
                        start = start + first_bad + 1
                    changed = True
            if changed:
                break
        for ch in "\"'":
            if not changed and source[start:end].count(ch) % 2:
                if source[start:end].startswith(ch):
                    start, changed = start + 1, True
                elif source[start:end].endswith(ch):
                    end, changed = end - 1, True
    return start, end


def _clause_start(source: str, pos: int) -> int:
    start = pos
    while start > 0 and source[start - 1] not in _STOPS and pos - start < 80:
        start -= 1
    return start


def _open(source: str, start: int, end: int) -> int:
    """Past the markers and fillers that open a clause (一是、全年共…)."""
    moved = True
    while moved:
        moved = False
        for pattern in (_LEAD, _FILLER):
            m = pattern.match(source, start, end)
            if m and m.end() > start:
                start, moved = m.end(), True
    return start


def _before(source: str, figure_start: int) -> tuple[int, int]:
    """The words before a figure in its clause that say what it counts, as a span."""
    start, end = _clause_start(source, figure_start), figure_start
    for m in _FIGURE_AHEAD.finditer(source, start, end):
        if m.end() > m.start() and m.end() < end:
            start = m.end()
    changed = True
    while changed:
        changed = False
        start, end = _strip(source, start, end)
        opened = _open(source, start, end)
        if opened > start:
            start, changed = opened, True
        tail = _TRAILING.search(source, start, end)
        if tail and start <= tail.start() < end:
            end, changed = tail.start(), True
    # a filler in the middle (区法律援助中心2024年共受理…): what it counts comes after it
    for m in reversed(list(_MID_FILLER.finditer(source, start, end))):
        if end - m.end() >= 4:
            start = m.end()
            break
    # X、Y等Z: the Z
    cut = source.rfind("等", start, end)
    if cut >= 0 and end - (cut + 1) >= 2:
        start = cut + 1
    return _strip(source, start, end)


def _parallel(source: str, start: int, end: int) -> int:
    """Parallel rates written as a list (报备率、规范率、及时率达100%): the whole list."""
    if end - start < 2 or source[end - 1] != "率":
        return start
    while start >= 2 and source[start - 1] == "、":
        prev = start - 1
        first = prev
        while first > 0 and source[first - 1] not in _STOPS and end - first <= LABEL_CHARS:
            first -= 1
        if (
            prev - first < 2
            or source[prev - 1] != "率"
            or (first > 0 and source[first - 1] not in _STOPS)
            or end - first > LABEL_CHARS
            or re.search(r"\d", source[first:prev])
        ):
            break
        start = first
    return start


def _after(source: str, figure: Figure) -> tuple[int, int] | None:
    """The noun right after a figure that it counts (10名法律顾问 → 法律顾问), if there is one."""
    end = figure.span[1]
    if figure.unit is None or any(u in figure.unit for u in _MEASURE_UNITS):
        return None
    if end >= len(source) or source[end] in _STOPS or source[end] in _NO_NOUN_AFTER:
        return None
    if not re.match(r"[\u4e00-\u9fff“]", source[end]):
        return None
    stop = end
    while stop < len(source) and source[stop] not in _STOPS and stop - end < LABEL_CHARS:
        stop += 1
    m = _AFTER_STOPS.search(source, end, stop)
    if m and m.end() - m.start() == 1 and m.start() < end + 2:
        # a noun has two characters at least: a one-character stop inside them is part of it
        # (公共 is no 共)
        m = _AFTER_STOPS.search(source, end + 2, stop)
    if m:
        stop = m.start()
        if source[stop].isdigit():
            # the noun runs on into what the next figure counts (58个公共法律服务中心受理咨询
            # 2.3万人次): it ends where that clause's verb begins
            verbs = [v.start() for v in _VERBS.finditer(source, end + 4, stop)]
            stop = verbs[-1] if verbs else stop
    start, stop = _strip(source, end, stop)
    return (start, stop) if stop - start >= 2 else None


def label_span(source: str, figure: Figure) -> tuple[int, int]:
    """Where, in ``source``, the words are that say what ``figure`` counts: the noun after a
    measure word (10名法律顾问), else the clause before the figure without its fillers and
    copulas (全年共调解矛盾纠纷2075起 → 调解矛盾纠纷). Empty (start == end) when there are none."""
    after = _after(source, figure)
    if after is not None:
        return after
    start, end = _before(source, figure.span[0])
    if end - start <= 0:
        return (figure.span[0], figure.span[0])
    parallel = _parallel(source, start, end)
    if parallel < start:
        start = _open(source, parallel, end)
    if end - start > LABEL_CHARS:
        # too long: keep its end (the verb and noun nearest the figure), from the last action
        # verb, or after a 的, when there is one
        start = end - LABEL_CHARS
        verbs = list(_VERBS.finditer(source, start, end - 2))
        if verbs:
            start = verbs[-1].start()
        else:
            cut = source.find("的", start, end - 2)
            start = cut + 1 if cut >= 0 else start
        start, end = _strip(source, start, end)
    return (start, end)


def label(source: str, figure: Figure) -> str:
    """What ``figure`` counts, in the source's own words (a verbatim slice of ``source``)."""
    start, end = label_span(source, figure)
    return source[start:end]


# --- choosing ----------------------------------------------------------------------------------

WORKLOAD = re.compile(r"案件|案卷|纠纷|复议|诉讼|援助|调解|法律顾问|法律明白人|宣传|普法|培训")
"""What a 法治政府 report is judged by: cases, disputes, legal aid, advisers, enforcement
staff, publicity. A count of one of these (in its label) weighs more than another count."""
_SUB = re.compile(r"其中|[（(]含")
"""What opens a breakdown of the figure before it (受理430件，其中刑事案件213件)."""


@dataclass(frozen=True)
class _Candidate:
    part: str
    figure: Figure
    label: str
    reason: str


def _kind(figure: Figure, label_text: str) -> tuple[float, str] | None:
    """How much a figure of this kind weighs, and the reason a reader is given (empty when the
    only reason is its size, which the figure shows itself); None: never."""
    unit = figure.unit or ""
    if figure.value is None or not unit or unit in ("年", "月", "日"):
        return None
    size = 1 + len(str(int(figure.value)))
    if "元" in unit:
        return 3.0 * size, "金额（数额大者优先）"
    if unit == "%":
        return 4.5, "比率"
    if figure.value < 10:
        return None
    if WORKLOAD.search(label_text):
        return 1.5 * size, "业务量（案件、纠纷、援助、普法等）"
    return 1.0 * size, ""


def _sentence_start(source: str, pos: int) -> int:
    start = pos
    while start > 0 and source[start - 1] not in "。；;！？!?\n" and pos - start < 160:
        start -= 1
    return start


def _is_part_of(source: str, figure: Figure, earlier: list[Figure]) -> bool:
    """A breakdown of a figure before it: its clause opens with 其中, or a figure of the same
    unit comes before it in its sentence with 其中 (or 含) between them, or is larger
    (调解2075起，调解成功1996起)."""
    clause = _clause_start(source, figure.span[0])
    if source.startswith("其中", clause):
        return True
    start = _sentence_start(source, figure.span[0])
    for e in earlier:
        if e.span[0] < start or e.unit != figure.unit:
            continue
        if _SUB.search(source, e.span[1], figure.span[0]):
            return True
        if e.value is not None and figure.value is not None and e.value > figure.value:
            return True
    return False


def key_figures(
    source: str, parts: dict[str, list[Item]], limit: int = KEY_FIGURES
) -> list[KeyFigure]:
    """The figures a reader would quote: money, large counts of the work a report is judged by,
    rates, other large counts; first of each value. A breakdown of another figure weighs half."""
    candidates: list[tuple[float, int, _Candidate]] = []
    for part, items in parts.items():
        for item in items:
            for i, fig in enumerate(item.figures):
                text = label(source, fig)
                if len(text) < 2 or _VERBS.fullmatch(text):
                    continue  # a key figure says what it counts: none said, none chosen
                kind = _kind(fig, text)
                if kind is None:
                    continue
                weight, reason = kind
                if _is_part_of(source, fig, item.figures[:i]):
                    weight *= 0.5
                candidates.append((weight, -fig.span[0], _Candidate(part, fig, text, reason)))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen: list[KeyFigure] = []
    seen: set[tuple[float | None, str | None]] = set()
    all_sentences = sentence_spans(source, trim=True)
    for _, _, cand in candidates:
        fig = cand.figure
        if (fig.value, fig.unit) in seen:
            continue
        seen.add((fig.value, fig.unit))
        start, end = next(
            (s for s in all_sentences if s[0] <= fig.span[0] and fig.span[1] <= s[1]), fig.span
        )
        if end - start > QUOTE_CHARS:
            start, end = max(start, fig.span[0] - 60), min(end, fig.span[1] + 60)
        chosen.append(
            KeyFigure(
                part=cand.part, figure=fig, quote=source[start:end], label=cand.label,
                reason=cand.reason,
            )
        )  # fmt: skip
        if len(chosen) >= limit:
            break
    chosen.sort(key=lambda k: k.figure.span[0])
    return chosen
