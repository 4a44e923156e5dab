"""Telling an issuer's name from a sentence fragment, and reading the name's level and kind.

An issuer is a place and an organ (``湖滨区司法局``, ``中共XX县委``, ``XX市人民政府``) or a bare
place (a title's ``2024年度XX区法治政府建设情况报告``). Openings start with directives that read
like one (``按照省委…``, ``认真落实省委…``, ``全面贯彻落实市委…``): the words before the unit
character are then a verb, not a place, and the candidate is rejected. A name whose place is only
a unit or 本 (``区司法局``, ``市局``, ``本局``, ``市政府``) is *partial*: kept as the text gives it,
and said to be partial, since only the reader knows which district's bureau wrote it.

Joint issuers (a party committee with its government) are reported as the government alone: the
法治政府建设 rules hold the government accountable for the report, and readers compare
governments. Other joint issuers (no government among them) are joined by ``、``.
"""

from __future__ import annotations

import re
from typing import Literal

from summariser.lexicon.divisions import CJK, UNIT, level_of, places

NameStatus = Literal["named", "partial"]

DEPT = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|委员会办公室|管理委员会|委员会"
    r"|管委会|办公室"
    r"|办公厅|行政公署|政府|党组|局|厅|委|办|院|中心|署)"
)
_ORG_RE = re.compile(rf"(?:中共)?[{CJK}（）()]{{1,30}}?(?:{DEPT}|{UNIT})")
# Words that open a directive or a clause; a place the table does not know that holds one of them
# (按照省, 认真落实省, 全面贯彻落实市, 根据市) is a sentence fragment. Known places never get here.
_DIRECTIVE_RE = re.compile(
    "按照|根据|依据|依照|遵照|认真|全面|贯彻|落实|坚持|围绕|深入|结合|推进|推动|加强|学习|召开"
    "|印发|制定|组织|协助|配合|会同|指导|督促|切实|积极|扎实|持续|不断|进一步|统筹|部署|通过|确保"
    "|严格|着力|大力|努力|关于|在|由|经|对|向|将|把|为|以|从|据|与|及|按|和|是|了|要|各|全|本|我"
)
# An organ named after a bare unit or 本: 区司法局, 市局, 本局, 市政府, 县市场监督管理局.
_PARTIAL_RE = re.compile(rf"(?:本|{UNIT})(?:(?![局委办厅府院署党组的、])[{CJK}]){{0,12}}?{DEPT}")
_PARTY_ONLY = ("委", "委员会", "党委")
# A township's government, office or party committee (某某镇人民政府, 某某街道办事处): a name,
# though of none of the three levels; its own name is not in the division table.
_TOWNSHIP_RE = re.compile(
    rf"(?:(?![局委办厅府院署党组的、])[{CJK}]){{1,12}}?(?:乡|镇|街道|苏木)"
    r"(?:人民政府|政府|街道办事处|办事处|党委|党工委)"
)
_DIRECTIVE_WORDS_RE = re.compile(r"按照|根据|依据|依照|认真|全面|贯彻|落实|坚持|深入|推进|加强")
# Vertically managed organs carry their national head before the place: 国家税务总局义乌市税务局.
_NATIONAL_RE = re.compile(rf"(?:中共)?国家[{CJK}]{{1,12}}?总局(?=[{CJK}]{{2}})")


def _core(name: str) -> str:
    """The name from its first place on: without 中共 or a national head office."""
    return _NATIONAL_RE.sub("", name, count=1).removeprefix("中共")


def split_issuers(s: str) -> list[str]:
    """Split a joint issuer (``中共XX县委 XX县人民政府``, ``…委员会、…政府``) into its names."""
    out: list[str] = []
    for piece in re.split(r"[\s、，,；;]+", s.strip()):
        m = re.fullmatch(rf"(中共.+?(?:委员会|委(?!员会)))((?:[{CJK}]+?){UNIT}.*政府)", piece)
        out.extend(m.groups() if m else [piece] if piece else [])
    return out


def looks_like_org(s: str, *, place_only: bool = True) -> bool:
    """Whether ``s`` has the shape of an organisation (``湖滨区司法局``) or, if allowed, a place."""
    if not 2 <= len(s) <= 40 or _ORG_RE.fullmatch(s) is None:
        return False
    return place_only or re.search(f"{DEPT}$", s) is not None


def name_status(name: str) -> NameStatus | None:
    """``named`` for a place with an organ or a bare place, ``partial`` for an organ under a bare
    unit (``区司法局``, ``本局``), None for anything else (``按照省委``, a sentence).

    Examples:
        >>> name_status("义乌市人民政府"), name_status("区司法局"), name_status("按照省委")
        ('named', 'partial', None)
    """
    if not 2 <= len(name) <= 40 or re.search(r"[\s，。；：、,;:！？!?]", name):
        return None
    core = _core(name)
    if _TOWNSHIP_RE.fullmatch(core):
        return None if _DIRECTIVE_WORDS_RE.search(core) else "named"
    found = places(core)
    if found:
        stems = [p.text[: -len(p.unit)] for p in found if not p.known]
        if any(_DIRECTIVE_RE.search(stem) for stem in stems):
            return None
        rest = core[sum(len(p.text) for p in found) :]
        return "named" if not rest or re.fullmatch(rf"[{CJK}（）()]{{0,24}}?{DEPT}", rest) else None
    if _PARTIAL_RE.fullmatch(core) and core[1:] not in _PARTY_ONLY:
        return "partial"
    return None


def partial_at(clause: str) -> str | None:
    """A partial name leading a clause (``市生态环境局坚持…`` gives ``市生态环境局``), else None."""
    m = _PARTIAL_RE.match(clause)
    return m.group() if m and name_status(m.group()) == "partial" else None


def accountable(issuers: list[str]) -> str | None:
    """The government when a party committee co-signs with it; else every name, joined by 、."""
    governments = [n for n in issuers if n.endswith("人民政府")]
    if len(issuers) > 1 and len(governments) == 1:
        return governments[0]
    return "、".join(issuers) or None


def _government_of(issuer: str) -> str:
    names = split_issuers(issuer)
    return next((n for n in names if n.endswith("政府")), names[0] if names else issuer)


def admin_level(issuer: str | None) -> str | None:
    """省级, 市级 or 县级 of the issuer's lowest place, read from the national division table.

    A department has its government's level; a joint issuer is read by its government. A partial
    name has the level its unit says when that is certain (区司法局 is 县级; 市局 may be either).
    A township (乡, 镇, 街道) is none of the three: its level is None.
    """
    if not issuer:
        return None
    government = _government_of(issuer)
    if _TOWNSHIP_RE.fullmatch(_core(government)):
        return None  # a township is below the three levels the summary reports
    found = places(_core(government))
    if found:
        return level_of(found)
    if name_status(government) == "partial":
        return {"省": "省级", "州": "市级", "盟": "市级"}.get(
            government[0], "县级" if government[0] in "区县旗" else None
        )
    return None


def issuer_kind(issuer: str | None) -> str | None:
    """政府 for a government, a party committee, a joint committee+government or a bare place;
    部门 for a department (局, 委, 办, 厅, …)."""
    if not issuer:
        return None
    for name in split_issuers(issuer):
        rest = _core(name)
        rest = rest[sum(len(p.text) for p in places(rest)) :]
        if rest.endswith(("政府", "行政公署")) or rest in ("", "委员会", "委"):
            return "政府"
    return "部门" if re.search(f"{DEPT}$", issuer) else None
