"""Finding quantities in Chinese text: value, unit, qualifier and character span of every figure.

A *quantity* is a figure a reader could get wrong: a count, a sum of money, a rate, a date, a
duration. Names and slogans that happen to contain numerals (党的二十大, “八五”普法, 一把手)
are not quantities, and identifiers (document numbers, hotlines, ordinals such as 第二届) are
recognised as identifiers: they are compared verbatim, never as amounts.

How a numeral is judged (the decision, in order):

1. Everything matched by `NAME_RULES` and `IDENTIFIER_RULES` (below, the one place where
   exclusions live) is taken out first; a numeral overlapping one of those spans is not a
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
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

import yaml

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


@dataclass(frozen=True)
class Exclusion:
    """A span that looks numeric but is a name, slogan or identifier, and why."""

    start: int
    end: int
    text: str
    reason: str


# --- the exclusions: the one place that says what is not a quantity --------------------------

_CN_DIGIT = "一二三四五六七八九十"
_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_HAN_WORD = rf"(?![{_NUMERAL}])[\u4e00-\u9fff]"
"""A Han character that is not a numeral."""
_MEASURE_HEADS = "个次件处名座栋间层批位项年月日天周季"
"""What after 一 makes a count or a span of time (一处, 一年), not the X of a 一X一Y slogan."""


def _word_lists() -> dict[str, str]:
    """The reviewed lists of ``number_words.yaml``, each as one alternation (longest first)."""
    raw = yaml.safe_load(
        resources.files("summariser").joinpath("number_words.yaml").read_text(encoding="utf-8")
    )
    if not isinstance(raw, dict):
        raise TypeError("number_words.yaml: expected lists under slogan, word and place")
    lists: dict[str, str] = {}
    for reason in ("slogan", "word", "place"):
        phrases = raw.get(reason)
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise TypeError(f"number_words.yaml: {reason} must be a list of phrases")
        lists[reason] = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: -len(p)))
    return lists


_WORDS = _word_lists()

NAME_RULES: tuple[tuple[str, str], ...] = (
    # Party congresses, plenums and five-year plans are names, not amounts.
    ("party_congress", rf"党的[{_CN_DIGIT}]+大"),
    ("plenum", rf"[{_CN_DIGIT}]+届(?:[{_CN_DIGIT}]+中[、和及与]?)*[{_CN_DIGIT}]*中全会"),
    ("plenum", rf"[{_CN_DIGIT}]+中全会"),
    ("five_year_plan", r"[“\"‘']?十[一二三四五六七八九]五[”\"’']?"),
    ("five_year_plan", r"[“\"‘'][一二三四五六七八九]五[”\"’']"),
    ("five_year_plan", r"[一二三四五六七八九]五(?=普法|规划|时期|期间)"),
    # Book titles name documents; the years and numbers inside are part of the name.
    ("title", r"《[^《》\n]{0,80}》"),
    # A short run of words in quotation marks with a Chinese numeral in it names a slogan,
    # campaign or system (“三个一”, “五大行动”, ‘一三三四’): reports quote their own names,
    # and a quoted figure is written in Arabic digits (so a digit keeps it a quantity).
    (
        "quoted_name",
        rf"[“‘「『](?=[\u4e00-\u9fff·•・]{{0,11}}[{_NUMERAL}])[\u4e00-\u9fff·•・]{{1,12}}[”’」』]",
    ),
    # Slogans and fixed terms built from numerals: the reviewed list, and patterns.
    ("slogan", _WORDS["slogan"]),
    ("slogan", r"[0-9０-９A-Za-z]+(?:[+＋][0-9０-９A-Za-z]+)+"),
    # 一X一Y / 一X两Y: one of each for each (一企一警, 一村一法律顾问, 一案一策, 一规划两纲要).
    # X is a thing, not a measure word or a span of time: 一处两层 and 一年两次 stay figures.
    (
        "slogan",
        rf"(?<![{_NUMERAL}])一(?![{_MEASURE_HEADS}]){_HAN_WORD}{{1,2}}[一两]{_HAN_WORD}{{1,2}}",
    ),
    (
        "slogan",
        r"一村(?:[（(][^）)]{0,6}[）)])?一(?:法律)?顾问|(?:执法)?“?三项制度”?|"
        r"[两三四五]个(?:确立|维护|意识|自信|全面|结合|大局|务必|代表|统筹|转变)|"
        r"[三四五六七八九]大(?:行动|活动|工程)|[一二三四五六七八九十]星级|"
        r"\d{1,2}[·•]\d{1,2}",
    ),
    # Words in which a numeral is not a number.
    ("word", _WORDS["word"]),
    (
        "word",
        r"(?:统|唯|同|单|逐|专|划|(?<!分)之|合|归|纯|整|如|周|星期|礼拜|不|其|任|每)一|"
        r"(?<![零〇一二两三四五六七八九十百千])万一(?![零〇一二两三四五六七八九十百千万亿])|"
        r"(?<![零〇一二两三四五六七八九十百千万])"
        r"一(?:体|步|线|致|般|律|些|切|直|定|同|并|贯|流|样|下|带|系列|方面|家人|部分|"
        r"起(?![案纠事])|时间)|"
        r"[两二]审|[一二三四五六七八九]等奖|(?<!第)[一两二三四五六七八九十]部分",
    ),
    # Place names that begin with a numeral.
    ("place", _WORDS["place"]),
    # Addresses and codes: digits run together with Latin letters or in a link.
    ("url", r"(?:https?://|www\.)[\w./?%&=:#~+-]+|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+"),
    ("code", r"[A-Za-z][A-Za-z0-9-]*[0-9][A-Za-z0-9]*|[0-9]+[A-Za-z][A-Za-z0-9]*"),
    ("clock", r"(?<![0-9])[0-2]?[0-9][:：][0-5][0-9](?![0-9])"),
    # List markers in headings and Markdown: 1. / 1、 / （1） / (一).
    (
        "list_marker",
        rf"(?m)^[ \t>#*-]*(?:[0-9０-９]{{1,2}}|[{_CN_DIGIT}]{{1,3}})[.．、)）](?![0-9０-９])",
    ),
    ("list_marker", rf"[（(](?:[0-9０-９]{{1,2}}|[{_CN_DIGIT}]{{1,3}})[)）]"),
)
"""Names, slogans and words with numerals in them: never quantities, never checked. The word
lists are data (``number_words.yaml``); the patterns here are what generalises across reports."""

_ORDINAL_CLASSIFIERS = (
    "季度|阶段|部分|届|次|期|批|轮|号|条|款|章|节|名|位|个|家|站|年|天|周|页|类|项|场|辑"
)

IDENTIFIER_RULES: tuple[tuple[str, str], ...] = (
    (
        "document_number",
        # the issuer's abbreviation before the bracket is added by find_exclusions()
        r"[〔［\[(（【]\s*(?:19|20)[0-9]{2}\s*[〕］\])）】]\s*第?\s*[0-9]+\s*号",
    ),
    ("ordinal", rf"第[0-9０-９零〇一二两三四五六七八九十百千]+(?:{_ORDINAL_CLASSIFIERS})"),
    ("ordinal_name", r"第[0-9０-９零〇一二两三四五六七八九十百千]+"),
    ("phone", r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|(?<![0-9.])1[3-9][0-9]{9}(?![0-9])"),
    ("hotline", r"(?<![0-9.])(?:12[0-9]{3}|96[0-9]{3}|110|119|120|122)(?![0-9.,%％万亿余多])"),
)
"""Identifiers: recognised as such and, except ordinal_name (第一责任人), compared verbatim."""

# First characters of each rule's matches: a leading look-ahead on them lets the regex engine
# skip most positions quickly (a seven-fold speed-up on a report; see bench/bench_verify.py).
_CN_FIRST = "零〇一二两三四五六七八九十百千万亿"
_ANY_NUMERAL = re.compile(f"[0-9０-９{_CN_FIRST}]")
_GUARDS = {
    "plenum": _CN_FIRST,
    "quoted_name": "“‘「『",
    "five_year_plan": _CN_FIRST + "“\"‘'",
    "slogan": _CN_FIRST + "最进0-9０-９A-Za-z",
    "word": _CN_FIRST + "统唯同单逐专划之合归纯整如周星礼不其任每独再",
    "place": _CN_FIRST + "双",
    "code": "A-Za-z0-9",
    "clock": "0-9",
    "phone": "0-9",
    "hotline": "0-9",
    "document_number": "〔［\\[(（【",
}


def _compile(reason: str, pattern: str) -> re.Pattern[str]:
    guard = _GUARDS.get(reason)
    return re.compile(f"(?=[{guard}])(?:{pattern})" if guard else pattern)


_NAME_RE = [(reason, _compile(reason, p)) for reason, p in NAME_RULES]
_IDENT_RE = [(reason, _compile(reason, p)) for reason, p in IDENTIFIER_RULES]
_HAN = re.compile(r"[\u4e00-\u9fff]{1,16}$")


# --- units -------------------------------------------------------------------------------------

# (as written, canonical unit, multiplier); longest spellings are tried first.
_UNIT_TABLE: tuple[tuple[str, str, int], ...] = (
    ("个百分点", "个百分点", 1),
    ("百分点", "个百分点", 1),
    ("%", "%", 1),
    ("％", "%", 1),
    ("‰", "‰", 1),
    ("件（次）", "件次", 1),
    ("件(次)", "件次", 1),
    ("个工作日", "工作日", 1),
    ("工作日", "工作日", 1),
    ("个多月", "个月", 1),
    ("个多小时", "小时", 1),
    ("个月", "个月", 1),
    ("年度", "年", 1),
    ("周年", "周年", 1),
    ("平方公里", "平方公里", 1),
    ("平方米", "平方米", 1),
    ("㎡", "平方米", 1),
    ("立方米", "立方米", 1),
    ("公里", "米", 1000),
    ("千米", "米", 1000),
    ("米", "米", 1),
    ("公斤", "千克", 1),
    ("千克", "千克", 1),
    ("吨", "吨", 1),
    ("亩", "亩", 1),
    ("小时", "小时", 1),
    ("分钟", "分钟", 1),
    ("人次", "人次", 1),
    ("户次", "户次", 1),
    ("件次", "件次", 1),
    ("场次", "场次", 1),
    ("批次", "批次", 1),
    ("车次", "车次", 1),
    ("班次", "班次", 1),
    ("项次", "项次", 1),
    ("课时", "课时", 1),
    ("学时", "学时", 1),
    ("元", "元", 1),
    ("倍", "倍", 1),
    ("岁", "岁", 1),
    ("年", "年", 1),
    ("月", "月", 1),
    ("日", "日", 1),
    ("天", "天", 1),
    ("周", "周", 1),
    ("人", "人", 1),
    ("名", "名", 1),
    ("位", "位", 1),
    ("个", "个", 1),
    ("件", "件", 1),
    ("起", "起", 1),
    ("宗", "宗", 1),
    ("次", "次", 1),
    ("场", "场", 1),
    ("份", "份", 1),
    ("家", "家", 1),
    ("篇", "篇", 1),
    ("条", "条", 1),
    ("期", "期", 1),
    ("所", "所", 1),
    ("项", "项", 1),
    ("部", "部", 1),
    ("本", "本", 1),
    ("卷", "卷", 1),
    ("户", "户", 1),
    ("批", "批", 1),
    ("类", "类", 1),
    ("处", "处", 1),
    ("座", "座", 1),
    ("台", "台", 1),
    ("辆", "辆", 1),
    ("张", "张", 1),
    ("册", "册", 1),
    ("套", "套", 1),
    ("支", "支", 1),
    ("组", "组", 1),
    ("块", "块", 1),
    ("间", "间", 1),
    ("栋", "栋", 1),
    ("幅", "幅", 1),
    ("首", "首", 1),
    ("集", "集", 1),
    ("节", "节", 1),
    ("轮", "轮", 1),
    ("封", "封", 1),
    ("单", "单", 1),
    ("片", "片", 1),
    ("堂", "堂", 1),
    ("只", "只", 1),
    ("种", "种", 1),
    ("页", "页", 1),
    ("笔", "笔", 1),
    ("枚", "枚", 1),
    ("棵", "棵", 1),
    ("株", "株", 1),
)
_UNITS = {written: (canon, mult) for written, canon, mult in _UNIT_TABLE}

UNIT_KINDS: dict[str, str] = {
    "%": "percent",
    "‰": "percent",
    "个百分点": "points",
    "元": "money",
    "倍": "ratio",
    "年": "duration",
    "个月": "duration",
    "天": "duration",
    "周": "duration",
    "工作日": "duration",
    "小时": "duration",
    "分钟": "duration",
    "米": "measure",
    "平方米": "measure",
    "平方公里": "measure",
    "立方米": "measure",
    "千克": "measure",
    "吨": "measure",
    "亩": "measure",
}
"""Kind of a figure by its canonical unit; any other unit is a ``count``."""

# Units a paraphrase may swap without changing the claim (件 and 起 both count cases).
_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"件", "起", "宗", "件次"}),  # cases
    frozenset({"件", "份", "卷", "本", "册", "篇"}),  # documents
    frozenset({"次", "场", "场次"}),  # events
    frozenset({"人", "名", "位"}),  # people (人次 is not people)
    frozenset({"家", "户"}),  # firms and households
    frozenset({"项", "条"}),  # measures, items
    frozenset({"天", "日", "工作日"}),
)
# 个 is the general classifier: 3个单位 may stand for 3家单位, but 份 never for 项.
_GE_OK = frozenset(
    {
        "家",
        "所",
        "处",
        "座",
        "项",
        "条",
        "件",
        "类",
        "种",
        "部",
        "篇",
        "本",
        "支",
        "只",
        "块",
        "间",
        "栋",
        "批",
        "组",
        "片",
        "期",
        "户",
        "台",
        "辆",
        "张",
        "套",
        "册",
        "份",
        "首",
        "集",
        "幅",
        "单",
    }
)


def units_compatible(a: str | None, b: str | None) -> bool:
    """Whether two canonical units can name the same thing (a bare number fits any unit)."""
    if a is None or b is None or a == b:
        return True
    if "个" in (a, b):
        return (b if a == "个" else a) in _GE_OK
    return any(a in f and b in f for f in _FAMILIES)


# --- numerals ----------------------------------------------------------------------------------

_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_MAGNITUDES = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 100,
}


def _cn_int(s: str) -> int | None:
    """Read a Chinese integer (三千, 两, 一万五千, 二〇二四 as digits); None if malformed."""
    if not s:
        return None
    if all(c in CN_DIGITS for c in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        if s[0] in "零〇":
            return None
        return int("".join(str(CN_DIGITS[c]) for c in s)) if len(s) == 4 else None
    total = section = 0
    digit: int | None = None
    last_small = 10**9
    for c in s:
        if c in CN_DIGITS:
            if digit not in (None, 0) and CN_DIGITS[c] != 0:
                return None  # two digits in a row: 十四五, 八五
            digit = CN_DIGITS[c]
        elif c in _CN_SMALL:
            unit = _CN_SMALL[c]
            if unit >= last_small:
                return None  # 十百千万 and the like
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        else:
            big = _CN_BIG[c]
            section += digit or 0
            if big == 10**8:
                total = (total + section) * big
            else:
                total += (section or (1 if total == 0 else 0)) * big
            section, digit, last_small = 0, None, 10**9
    return total + section + (digit or 0)


def _cn_number(s: str) -> Decimal | None:
    whole, _, frac = s.partition("点")
    n = _cn_int(whole)
    if n is None:
        return None
    if not frac:
        return Decimal(n)
    return Decimal(f"{n}.{''.join(str(CN_DIGITS[c]) for c in frac)}")


def _ar_number(s: str) -> Decimal | None:
    try:
        return Decimal(s.translate(_FW).replace(",", ""))
    except InvalidOperation:
        return None


def _number(s: str) -> Decimal | None:
    return _ar_number(s) if s[0] in "0123456789０１２３４５６７８９" else _cn_number(s)


# --- the scanner -------------------------------------------------------------------------------

_AR = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_UNIT_ALT = "|".join(re.escape(w) for w, _, _ in sorted(_UNIT_TABLE, key=lambda t: -len(t[0])))
_PRE = r"大约|约|将近|接近|近|超过|超|逾|不足|不到|未满|至少"

_UNIT_START_RE = re.compile(rf"(?:{_UNIT_ALT}|余|多|万|亿)")
_QUANTITY_RE = re.compile(
    rf"(?=[0-9０-９{_CN_FIRST}大约将接近超逾不未至])"
    rf"(?P<pre>{_PRE})?"
    r"(?:"
    rf"(?P<pctcn>百分之)(?P<pctnum>{_AR}|{_CN})"
    rf"|(?P<fden>{_AR}|{_CN})分之(?P<fnum>{_AR}|{_CN})"
    rf"|(?P<ar>{_AR})(?P<armag>万亿|千万|百万|十万|亿|万|千(?![米克瓦])|百(?!分))?"
    rf"|(?P<cn>{_CN})"
    r")"
    r"(?P<yu>余|多(?!元|样|方|种形式|部门|措|渠道|层|领域))?"
    r"(?P<mag2>万亿|亿|万)?"
    rf"(?P<unit>{_UNIT_ALT})?"
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


def find_exclusions(text: str) -> list[Exclusion]:
    """Every name, slogan and identifier span in ``text``, sorted by start.

    This is the one place that decides what is *not* a quantity; see `NAME_RULES` and
    `IDENTIFIER_RULES`.
    """
    found: list[Exclusion] = []
    for reason, rx in (*_NAME_RE, *_IDENT_RE):
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            start = m.start()
            if reason == "hotline" and _UNIT_START_RE.match(text, m.end()):
                continue  # 110件 is a count, 110 alone is the police
            if reason == "document_number":
                issuer = _HAN.search(text, max(0, start - 16), start)
                if issuer is None:
                    continue  # (2021)4号 alone is not a document number
                start = issuer.start()
            found.append(Exclusion(start, m.end(), text[start : m.end()], reason))
    found.sort(key=lambda e: (e.start, -e.end))
    return found


def _excluded_mask(text: str, exclusions: list[Exclusion]) -> bytearray:
    mask = bytearray(len(text) + 1)
    for e in exclusions:
        mask[e.start : e.end] = b"\x01" * (e.end - e.start)
    return mask


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
    unit, mult = _UNITS[written_unit] if written_unit else (None, 1)
    yu, mag2, post = m.group("yu"), m.group("mag2"), m.group("post")
    magnitude = 1
    kind: str | None = None
    if m.group("pctcn"):
        # 百分之九十八点三八, 百分之九十以上: after the number only 余 and a hedge are ours.
        number = _number(m.group("pctnum"))
        unit, kind, mult, mag2 = "%", "percent", 1, None
        end = m.end("yu") if yu else m.end("pctnum")
        if text[end : end + 2] in ("以上", "以下", "以内", "左右"):
            post, end = text[end : end + 2], end + 2
        else:
            post = None
    elif m.group("fden"):
        den, num = _number(m.group("fden")), _number(m.group("fnum"))
        if den is None or num is None or den == 0:
            return None
        end = m.end("fnum")
        share = _to_float(num / den)
        qualifier = _QUALIFIERS[pre] if pre else None
        return Quantity(text[start:end], start, end, share, "分之", qualifier, "fraction", share)
    elif m.group("ar"):
        number = _ar_number(m.group("ar"))
        if m.group("armag"):
            magnitude = _MAGNITUDES[m.group("armag")]
    else:
        cn = m.group("cn")
        if cn[0] in "万亿":
            if not pre:
                return None  # 近亿元 is a figure; 亿元 alone is not
            cn = "一" + cn
        if not written_unit:
            return None  # a Chinese numeral without a unit is a word, an ordinal or a marker
        number = _cn_number(cn)
    if number is None:
        return None
    qualifier = _QUALIFIERS[pre] if pre else None
    if yu or written_unit in ("个多月", "个多小时"):
        qualifier = qualifier or "above"
    if post:
        qualifier = qualifier or _QUALIFIERS[post]
    if mag2:
        magnitude *= _MAGNITUDES[mag2]
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
    if not _ANY_NUMERAL.search(text):
        return (), ()  # every figure and identifier has a numeral; most titles have none
    exclusions = find_exclusions(text)
    qs = _scan(text, _excluded_mask(text, exclusions))
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
            n = _number(m.group(1)) if m else None
            if m is None or n is None:
                continue
            value = _to_float(n)
            out.append(Quantity(e.text, e.start, e.end, value, m.group(2), None, "ordinal", value))
        elif e.reason in ("document_number", "hotline", "phone"):
            digits = re.findall(r"[0-9]+", e.text.translate(_FW))
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
