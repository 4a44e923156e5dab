"""Finding quantities in Chinese text: value, unit, qualifier and character span of every figure.

A *quantity* is a figure a reader could get wrong: a count, a sum of money, a rate, a date, a
duration. Names and slogans that happen to contain numerals (党的二十大, “八五”普法, 一把手)
are not quantities, and identifiers (document numbers, hotlines, ordinals such as 第二届) are
recognised as identifiers: they are compared verbatim, never as amounts.

How a numeral is judged (the decision, in order):

1. Everything matched by `NAME_RULES` and `IDENTIFIER_RULES` (`summariser.figures.exclusions`, the
   one place where exclusions live) is taken out first; a numeral overlapping one of those spans is not a
   quantity. The rules are patterns that hold across reports (a numeral in quotation marks or
   《》 names something; 一X一Y is a slogan) and reviewed word lists (``number_words.yaml``).
2. An Arabic number is a quantity, with or without a unit (a bare number is still a claim).
3. A Chinese numeral is a quantity only when a unit follows it (两次, 三千余人次, 百余条), or
   in 百分之… and …分之… forms. Chinese numerals without a unit are ordinals, list markers or
   parts of words (一是, 十分, 统一), and malformed ones (十四五, 八五) are names.

Kinds (`Quantity.kind`): ``count`` (件, 人次, 个 …), ``money`` (元), ``percent`` (% ‰),
``points`` (个百分点), ``date``, ``duration`` (3年, 2个月, 15天), ``measure`` (米, 亩, 吨),
``ratio`` (倍), ``fraction`` (三分之一), ``number`` (bare); identifiers, from
`extract_identifiers`: ``ordinal``, ``document_number``, ``hotline``.

Dates carry their parts in the value, ``yyyymmdd`` with absent parts as zero (2024年8月 is
20240800, unit ``年月``; 8月 alone is 800, unit ``月``), so that equal dates compare equal
however they are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from summariser.figures.exclusions import (
    IDENTIFIER_RULES,
    NAME_RULES,
    Exclusion,
    excluded_mask,
    find_exclusions,
)
from summariser.figures.units import UNIT_ALT, UNIT_KINDS, UNITS, units_compatible
from summariser.lexicon.numerals import (
    ANY_NUMERAL,
    CN_DIGITS,
    CN_NUMERALS,
    FULLWIDTH,
    MAGNITUDES,
    ar_number,
    cn_number,
    read_number,
)

__all__ = [
    "Exclusion",
    "IDENTIFIER_RULES",
    "NAME_RULES",
    "Quantity",
    "CN_DIGITS",
    "UNIT_KINDS",
    "clear_scan_cache",
    "extract_identifiers",
    "extract_quantities",
    "find_exclusions",
    "scan",
    "units_compatible",
]


@dataclass(frozen=True)
class Quantity:
    """One figure in a text.

    Attributes:
        text: ``source_text[start:end]``, the whole figure with its qualifier words and unit.
        start: Offset of the first character.
        end: Offset after the last character.
        value: The value in the base unit (304.62万元 → 3046200.0, unit 元).
        unit: Canonical unit ('元', '件', '人次', '%', '个百分点', '年月' …); None when bare.
        qualifier: 'above' (余/多/超过/逾/以上/超), 'below' (近/不足/未满) or 'about' (约/左右).
        kind: What sort of figure it is; see the module docstring.
        written: The number as written, before 万/亿 (304.62万元 → 304.62): 万元 read as 元
            shows up as the same written number with another magnitude.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str | None
    kind: str
    written: float | None = None


# --- the scanner -------------------------------------------------------------------------------

_AR = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_PRE = r"大约|约|将近|接近|近|超过|超|逾|不足|不到|未满|至少"

_QUANTITY_RE = re.compile(
    rf"(?=[0-9０-９{CN_NUMERALS}大约将接近超逾不未至])"
    rf"(?P<pre>{_PRE})?"
    r"(?:"
    rf"(?P<pctcn>百分之)(?P<pctnum>{_AR}|{_CN})"
    rf"|(?P<fden>{_AR}|{_CN})分之(?P<fnum>{_AR}|{_CN})"
    rf"|(?P<ar>{_AR})(?P<armag>万亿|千万|百万|十万|亿|万|千(?![米克瓦])|百(?!分))?"
    rf"|(?P<cn>{_CN})"
    r")"
    r"(?P<yu>余|多(?!元|样|方|种形式|部门|措|渠道|层|领域))?"
    r"(?P<mag2>万亿|亿|万)?"
    rf"(?P<unit>{UNIT_ALT})?"
    r"(?P<post>以上|以下|以内|左右)?"
)
_ISO_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})([-/.])(0?[1-9]|1[0-2])\2(0?[1-9]|[12][0-9]|3[01])(?![0-9])"
)
_QUALIFIERS = {
    "大约": "about",
    "约": "about",
    "左右": "about",
    "将近": "below",
    "接近": "below",
    "近": "below",
    "不足": "below",
    "不到": "below",
    "未满": "below",
    "以下": "below",
    "以内": "below",
    "超过": "above",
    "超": "above",
    "逾": "above",
    "至少": "above",
    "以上": "above",
    "余": "above",
    "多": "above",
}
# A prefix qualifier is part of a word when one of these comes before it (签约, 最近, 赶超).
_PRE_WORD_BEFORE = {
    "约": set("签预合履节契违条邀相特制婚赴集盟缔践信守解毁租承隐简俭公失爽初密定成之要"),
    "近": set("最附亲靠贴就邻相晚浅平遥"),
    "超": set("高赶追"),
}
_CONNECTORS = {"-", "—", "–", "~", "～", "至", "到"}


def _kind(unit: str | None) -> str:
    if unit is None:
        return "number"
    return UNIT_KINDS.get(unit, "count")


def _to_float(d: Decimal) -> float:
    return float(d.normalize()) if d == d.to_integral_value() else float(d)


def _scan(text: str, mask: bytearray) -> list[Quantity]:
    out: list[Quantity] = []
    taken = bytearray(len(text) + 1)
    for m in _ISO_DATE_RE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if any(mask[m.start() : m.end()]):
            continue
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        out.append(
            Quantity(
                m.group(),
                m.start(),
                m.end(),
                float(y * 10000 + mo * 100 + d),
                "年月日",
                None,
                "date",
                float(y * 10000 + mo * 100 + d),
            )
        )
    for m in _QUANTITY_RE.finditer(text):
        q = _quantity(text, m, mask, taken)
        if q is not None:
            out.append(q)
    out.sort(key=lambda q: q.start)
    return out


def _quantity(text: str, m: re.Match[str], mask: bytearray, taken: bytearray) -> Quantity | None:
    start, end = m.start(), m.end()
    pre = m.group("pre")
    core_start = m.end("pre") if pre else m.start()
    if pre and start and text[start - 1] in _PRE_WORD_BEFORE.get(pre, ()):
        start, pre = core_start, None  # 签约, 最近: part of a word, not a hedge
    if core_start and text[core_start - 1] in "0123456789０１２３４５６７８９":
        return None
    if any(mask[core_start:end]) or any(taken[core_start:end]):
        return None
    written_unit = m.group("unit")
    unit, mult = UNITS[written_unit] if written_unit else (None, 1)
    yu, mag2, post = m.group("yu"), m.group("mag2"), m.group("post")
    magnitude = 1
    kind: str | None = None
    if m.group("pctcn"):
        # 百分之九十八点三八, 百分之九十以上: after the number only 余 and a hedge are ours.
        number = read_number(m.group("pctnum"))
        unit, kind, mult, mag2 = "%", "percent", 1, None
        end = m.end("yu") if yu else m.end("pctnum")
        if text[end : end + 2] in ("以上", "以下", "以内", "左右"):
            post, end = text[end : end + 2], end + 2
        else:
            post = None
    elif m.group("fden"):
        den, num = read_number(m.group("fden")), read_number(m.group("fnum"))
        if den is None or num is None or den == 0:
            return None
        end = m.end("fnum")
        share = _to_float(num / den)
        qualifier = _QUALIFIERS[pre] if pre else None
        return Quantity(text[start:end], start, end, share, "分之", qualifier, "fraction", share)
    elif m.group("ar"):
        number = ar_number(m.group("ar"))
        if m.group("armag"):
            magnitude = MAGNITUDES[m.group("armag")]
    else:
        cn = m.group("cn")
        if cn[0] in "万亿":
            if not pre:
                return None  # 近亿元 is a figure; 亿元 alone is not
            cn = "一" + cn
        if not written_unit:
            return None  # a Chinese numeral without a unit is a word, an ordinal or a marker
        number = cn_number(cn)
    if number is None:
        return None
    qualifier = _QUALIFIERS[pre] if pre else None
    if yu or written_unit in ("个多月", "个多小时"):
        qualifier = qualifier or "above"
    if post:
        qualifier = qualifier or _QUALIFIERS[post]
    if mag2:
        magnitude *= MAGNITUDES[mag2]
    value = number * magnitude * mult
    if kind is None:
        kind = _kind(unit)
    integral = number == number.to_integral_value() and magnitude == 1
    # Years, months and days are dates; _dates() joins 2024年 + 8月 + 31日.
    if unit == "年" and integral and 1900 <= number <= 2100 and not yu and not qualifier:
        kind, value = "date", number * 10000
    elif unit == "月":
        if not (integral and 1 <= number <= 12 and not qualifier and not yu):
            return None
        kind, value = "date", number * 100
    elif unit == "日":
        if integral and 1 <= number <= 31 and not qualifier and not yu:
            kind = "date"
        else:
            kind, unit = "duration", "天"
    return Quantity(
        text[start:end], start, end, _to_float(value), unit, qualifier, kind, _to_float(number)
    )


def _dates(text: str, qs: list[Quantity]) -> list[Quantity]:
    """Join 2024年 + 8月 + 31日 written together into one date."""
    out: list[Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and q.kind == "date"
            and prev.kind == "date"
            and prev.end == q.start
            and q.unit in ("月", "日")
            and prev.unit is not None
            and prev.unit in (("年",) if q.unit == "月" else ("年月", "月"))
        ):
            unit = prev.unit + q.unit
            value = prev.value + q.value
            out[-1] = Quantity(
                text[prev.start : q.end], prev.start, q.end, value, unit, None, "date", value
            )
            continue
        out.append(q)
    return out


def _ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """In 3至5年 and 2021-2025年 the first number takes the unit of the second."""
    out = list(qs)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.unit is None and b.unit is not None and text[a.end : b.start] in _CONNECTORS:
            if b.kind == "date" and b.unit == "年" and 1900 <= a.value <= 2100:
                out[i] = Quantity(
                    a.text, a.start, a.end, a.value * 10000, "年", a.qualifier, "date", a.written
                )
            elif b.kind != "date" and b.written:
                factor = b.value / b.written  # 3至5万元: the 万 and the 元 belong to both
                out[i] = Quantity(
                    a.text, a.start, a.end, a.value * factor, b.unit, a.qualifier, b.kind, a.written
                )
    return out


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, sorted by start; names, slogans and identifiers excluded.

    Args:
        text: Any Chinese text (a report, a summary sentence).

    Returns:
        The quantities, each with its span, value in the base unit, unit, qualifier and kind.
    """
    return scan(text)[0]


def scan(text: str) -> tuple[list[Quantity], list[Quantity]]:
    """`extract_quantities` and `extract_identifiers` at once (the exclusions found once)."""
    quantities, identifiers = _scan_cached(text)
    return list(quantities), list(identifiers)


def clear_scan_cache() -> None:
    """Forget memoised scans (benchmarks measuring unrelated reports start from empty)."""
    _scan_cached.cache_clear()


@lru_cache(maxsize=8192)
def _scan_cached(text: str) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
    # A pure function of the text, and the pipeline checks the same strings more than once
    # (in the validator, for the item's flags, in the final verification).
    if not ANY_NUMERAL.search(text):
        return (), ()  # every figure and identifier has a numeral; most titles have none
    exclusions = find_exclusions(text)
    qs = _scan(text, excluded_mask(text, exclusions))
    return tuple(_ranges(text, _dates(text, qs))), tuple(_identifiers(exclusions))


def extract_identifiers(text: str) -> list[Quantity]:
    """Identifiers that a summary may repeat and that must then match the source verbatim.

    Ordinals (第二届, 第9次), document numbers (厅字〔2019〕28号) and hotlines (12348), as
    `Quantity` with kind ``ordinal`` (value: the ordinal, unit: its classifier),
    ``document_number`` or ``hotline`` (value: the last number in it, unit None). An ordinal
    that is a name (第一责任人, 第三方) is not returned.
    """
    return scan(text)[1]


def _identifiers(exclusions: list[Exclusion]) -> list[Quantity]:
    out: list[Quantity] = []
    for e in exclusions:
        if e.reason == "ordinal":
            m = re.match(r"第([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)(.*)", e.text)
            n = read_number(m.group(1)) if m else None
            if m is None or n is None:
                continue
            value = _to_float(n)
            out.append(Quantity(e.text, e.start, e.end, value, m.group(2), None, "ordinal", value))
        elif e.reason in ("document_number", "hotline", "phone"):
            digits = re.findall(r"[0-9]+", e.text.translate(FULLWIDTH))
            value = float(digits[-1])
            kind = "hotline" if e.reason == "phone" else e.reason
            out.append(Quantity(e.text, e.start, e.end, value, None, None, kind, value))
    # 〔2021〕4号 holds no hotline, but a long document number might look as if it did
    out.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for q in out:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept
