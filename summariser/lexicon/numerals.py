"""Reading numerals: Chinese integers and decimals, and Arabic ones in full-width digits."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "ANY_NUMERAL",
    "CN_DIGITS",
    "CN_NUMERALS",
    "FULLWIDTH",
    "MAGNITUDES",
    "ar_number",
    "cn_int",
    "cn_number",
    "read_number",
]

CN_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
"""Every character a Chinese numeral is written with."""
ANY_NUMERAL = re.compile(f"[0-9０-９{CN_NUMERALS}]")
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
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
MAGNITUDES = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 100,
}


def cn_int(s: str) -> int | None:
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


def cn_number(s: str) -> Decimal | None:
    whole, _, frac = s.partition("点")
    n = cn_int(whole)
    if n is None:
        return None
    if not frac:
        return Decimal(n)
    return Decimal(f"{n}.{''.join(str(CN_DIGITS[c]) for c in frac)}")


def ar_number(s: str) -> Decimal | None:
    try:
        return Decimal(s.translate(FULLWIDTH).replace(",", ""))
    except InvalidOperation:
        return None


def read_number(s: str) -> Decimal | None:
    return ar_number(s) if s[0] in "0123456789０１２３４５６７８９" else cn_number(s)
