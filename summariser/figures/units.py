"""Units of figures: how reports write them, their canonical form, kind, and which may swap."""

from __future__ import annotations

import re

__all__ = ["UNIT_ALT", "UNIT_KINDS", "UNIT_START_RE", "UNITS", "UNIT_TABLE", "units_compatible"]

# (as written, canonical unit, multiplier); longest spellings are tried first.
UNIT_TABLE: tuple[tuple[str, str, int], ...] = (
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
    ("艘", "艘", 1),
    ("架", "架", 1),
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
UNITS = {written: (canon, mult) for written, canon, mult in UNIT_TABLE}

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
        "艘",
        "架",
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


UNIT_ALT = "|".join(re.escape(w) for w, _, _ in sorted(UNIT_TABLE, key=lambda t: -len(t[0])))
"""Every written unit, longest first, as one alternation."""
UNIT_START_RE = re.compile(rf"(?:{UNIT_ALT}|余|多|万|亿)")
"""What may follow a number to make it a figure (110件 is a count, 110 alone the police)."""
