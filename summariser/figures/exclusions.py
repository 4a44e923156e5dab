"""What is not a quantity: names, slogans, words and identifiers with numerals in them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml

from summariser.figures.units import UNIT_START_RE
from summariser.lexicon.numerals import CN_NUMERALS

__all__ = ["Exclusion", "IDENTIFIER_RULES", "NAME_RULES", "excluded_mask", "find_exclusions"]


@dataclass(frozen=True)
class Exclusion:
    """A span that looks numeric but is a name, slogan or identifier, and why."""

    start: int
    end: int
    text: str
    reason: str


_CN_DIGIT = "一二三四五六七八九十"
_HAN_WORD = rf"(?![{CN_NUMERALS}])[\u4e00-\u9fff]"
"""A Han character that is not a numeral."""
_MEASURE_HEADS = "个次件处名座栋间层批位项年月日天周季"
"""What after 一 makes a count or a span of time (一处, 一年), not the X of a 一X一Y slogan."""


def _word_lists() -> dict[str, str]:
    """The reviewed lists of ``number_words.yaml``, each as one alternation (longest first)."""
    raw = yaml.safe_load(
        resources.files("summariser.figures")
        .joinpath("number_words.yaml")
        .read_text(encoding="utf-8")
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
        rf"[“‘「『](?=[\u4e00-\u9fff·•・]{{0,11}}[{CN_NUMERALS}])[\u4e00-\u9fff·•・]{{1,12}}[”’」』]",
    ),
    # Slogans and fixed terms built from numerals: the reviewed list, and patterns.
    ("slogan", _WORDS["slogan"]),
    ("slogan", r"[0-9０-９A-Za-z]+(?:[+＋][0-9０-９A-Za-z]+)+"),
    # 一X一Y / 一X两Y: one of each for each (一企一警, 一村一法律顾问, 一案一策, 一规划两纲要).
    # X is a thing, not a measure word or a span of time: 一处两层 and 一年两次 stay figures.
    (
        "slogan",
        rf"(?<![{CN_NUMERALS}])一(?![{_MEASURE_HEADS}]){_HAN_WORD}{{1,2}}[一两]{_HAN_WORD}{{1,2}}",
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
_GUARDS = {
    "plenum": CN_NUMERALS,
    "quoted_name": "“‘「『",
    "five_year_plan": CN_NUMERALS + "“\"‘'",
    "slogan": CN_NUMERALS + "最进0-9０-９A-Za-z",
    "word": CN_NUMERALS + "统唯同单逐专划之合归纯整如周星礼不其任每独再上下",
    "place": CN_NUMERALS + "双",
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
            if reason == "hotline" and UNIT_START_RE.match(text, m.end()):
                continue  # 110件 is a count, 110 alone is the police
            if reason == "document_number":
                issuer = _HAN.search(text, max(0, start - 16), start)
                if issuer is None:
                    continue  # (2021)4号 alone is not a document number
                start = issuer.start()
            found.append(Exclusion(start, m.end(), text[start : m.end()], reason))
    found.sort(key=lambda e: (e.start, -e.end))
    return found


def excluded_mask(text: str, exclusions: list[Exclusion]) -> bytearray:
    mask = bytearray(len(text) + 1)
    for e in exclusions:
        mask[e.start : e.end] = b"\x01" * (e.end - e.start)
    return mask
