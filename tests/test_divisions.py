"""Levels from the national division table, and issuer names told from sentence fragments."""

from __future__ import annotations

import pytest

from summariser.lexicon.divisions import level_of, lookup, places
from summariser.lexicon.issuers import admin_level, issuer_kind, name_status, partial_at


def test_the_table_holds_county_level_cities_with_their_type() -> None:
    for name in ("义乌市", "四会市", "昆山市", "仙桃市", "宁乡市"):
        assert [d.type for d in lookup(name)] == ["县级市"], name
    assert [d.type for d in lookup("吉林市")] == ["地级市"]
    assert {d.parents for d in lookup("朝阳区")} == {("北京市",), ("吉林省", "长春市")}


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("义乌市人民政府", "县级"),  # 县级市 of 金华市: its last character says nothing
        ("四会市司法局", "县级"),
        ("金华市人民政府", "市级"),
        ("浙江省金华市义乌市市场监督管理局", "县级"),  # 省 + 市 + 市: the lowest decides
        ("广东省肇庆市四会市人民政府", "县级"),
        ("吉林市司法局", "市级"),  # a prefecture-level city named like its province
        ("吉林省司法厅", "省级"),
        ("吉林省吉林市丰满区人民政府", "县级"),
        ("东莞市人民政府", "市级"),  # prefecture-level, no districts under it
        ("儋州市人民政府", "市级"),
        ("仙桃市人民政府", "县级"),  # under its province directly
        ("神农架林区人民政府", "县级"),
        ("恩施市人民政府", "县级"),  # the seat of 恩施州
        ("恩施州人民政府", "市级"),  # 恩施土家族苗族自治州, abbreviated
        ("海南州人民政府", "市级"),  # 海南藏族自治州, not 海南省
        ("海南省人民政府", "省级"),
        ("城步县人民政府", "县级"),  # 城步苗族自治县, abbreviated
        ("朝阳市人民政府", "市级"),  # 辽宁's city, not Beijing's district
        ("北京市朝阳区司法局", "县级"),
        ("上海市人民政府", "省级"),
        ("某某省某某市某某区司法局", "县级"),  # names no table holds: their units decide
        ("某某市某某市人民政府", "县级"),  # a 市 under a city is a county-level city
        ("某某市人民政府", "市级"),
        ("雄安新区管理委员会", "县级"),
        ("国家税务总局义乌市税务局", "县级"),  # vertically managed: the place after the head
        ("国家税务总局浙江省税务局", "省级"),
    ],
)
def test_level_from_the_table(name: str, level: str) -> None:
    assert admin_level(name) == level


def test_places_stop_at_the_organ() -> None:
    found = places("白城市市场监督管理局")
    assert [(p.text, bool(p.known)) for p in found] == [("白城市", True)]
    found = places("中共宜兴市委全面依法治市委员会办公室")
    assert [p.text for p in found] == ["宜兴市"]
    assert places("市司法局") == []
    assert level_of([]) is None


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("湖滨区司法局", "named"),
        ("中共义乌市委员会", "named"),
        ("常州市", "named"),  # a bare place, as titles give it
        ("某某县人民政府", "named"),
        ("区司法局", "partial"),
        ("市局", "partial"),
        ("本局", "partial"),
        ("市政府", "partial"),
        ("县市场监督管理局", "partial"),
        ("按照省", None),  # 按照省委、省政府部署…
        ("按照省委", None),
        ("认真落实省", None),
        ("全面贯彻落实市委", None),
        ("根据市委", None),
        ("依照省委依法治省办", None),
        ("市委", None),  # a party committee alone is no partial issuer of a government report
        ("湖滨区司法局，", None),
        ("本站", None),
        ("国家税务总局义乌市税务局", "named"),
        ("国家税务总局", None),  # no place: not this report's issuer by itself
        ("花明楼镇人民政府", "named"),  # a township: its name is in no table
        ("宁乡市花明楼镇人民政府", "named"),
        ("望城区白沙洲街道办事处", "named"),
        ("认真落实镇人民政府", None),
    ],
)
def test_name_status(name: str, status: str | None) -> None:
    assert name_status(name) == status


@pytest.mark.parametrize("name", ["花明楼镇人民政府", "宁乡市花明楼镇人民政府", "某某乡政府"])
def test_a_township_is_a_government_of_none_of_the_three_levels(name: str) -> None:
    assert (admin_level(name), issuer_kind(name)) == (None, "政府")


def test_partial_names_lead_clauses() -> None:
    assert partial_at("市生态环境局坚持以习近平法治思想为指导") == "市生态环境局"
    assert partial_at("市司法局党组坚持") == "市司法局"
    assert partial_at("市政府办公室牵头") == "市政府办公室"
    assert partial_at("市委高度重视") is None


@pytest.mark.parametrize(
    ("name", "level", "kind"),
    [
        ("区司法局", "县级", "部门"),
        ("县司法局", "县级", "部门"),
        ("省司法厅", "省级", "部门"),
        ("市局", None, "部门"),  # 地级 or 县级市: the unit cannot say
        ("本局", None, "部门"),
        ("市政府", None, "政府"),
    ],
)
def test_partial_names_level_and_kind(name: str, level: str | None, kind: str) -> None:
    assert (admin_level(name), issuer_kind(name)) == (level, kind)
