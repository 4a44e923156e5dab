"""Metadata on openings and closings written the way real reports vary, none of them a sample.

Each case is a report's head and tail around a neutral body: titles, 来源 lines, signatures,
joint 党委+政府 reports, county-level cities, departments at every level, openings whose first
clause is a directive (按照省委…), reports that never name their issuer, and pages flattened onto
one line with their chrome. Expected values were read off each text by hand.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from summariser.structure.metadata import find_metadata


class Expected(NamedTuple):
    issuer: str | None
    level: str | None
    kind: str | None
    year: int | None
    published: str | None
    status: str


MIDDLE = (
    "坚持以习近平法治思想为指导，深入推进依法行政，法治政府建设取得新成效。现将有关情况报告如下：\n"
    "一、主要举措和成效\n（一）健全依法决策机制。全年审查规范性文件12件，办理行政复议案件45件。\n"
    "二、存在的不足和原因\n一是法治队伍建设仍有短板。\n"
    "三、下一步工作安排\n持续加强行政执法监督，推动法治政府建设再上新台阶。\n"
)
CLOSE = "特此报告。\n"

CASES: list[tuple[str, str, Expected]] = [
    (
        "county-level city government in the title",
        "义乌市人民政府关于2023年度法治政府建设情况的报告\n2023年，义乌市" + MIDDLE,
        Expected("义乌市人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "county-level city department with a 发布时间 line",
        "四会市司法局2024年法治政府建设年度报告\n发布时间：2025-02-10 10:12\n"
        "2024年，四会市司法局" + MIDDLE,
        Expected("四会市司法局", "县级", "部门", 2024, "2025-02-10", "named"),
    ),
    (
        "county-level city named without its prefecture",
        "昆山市人民政府2023年法治政府建设工作报告\n2023年，昆山市" + MIDDLE + CLOSE,
        Expected("昆山市人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "prefecture-level city",
        "苏州市人民政府关于2023年法治政府建设情况的报告\n2023年，苏州市" + MIDDLE,
        Expected("苏州市人民政府", "市级", "政府", 2023, None, "named"),
    ),
    (
        "province, prefecture and county-level city prefixed to a department",
        "浙江省金华市义乌市市场监督管理局2024年度法治政府建设情况报告\n2024年，我局" + MIDDLE,
        Expected("浙江省金华市义乌市市场监督管理局", "县级", "部门", 2024, None, "named"),
    ),
    (
        "province and prefecture prefixed to a government",
        "广东省肇庆市人民政府关于2024年法治政府建设情况的报告\n2024年，肇庆市" + MIDDLE,
        Expected("广东省肇庆市人民政府", "市级", "政府", 2024, None, "named"),
    ),
    (
        "a prefecture-level city that shares its province's name",
        "吉林市人民政府2023年度法治政府建设情况报告\n2023年，吉林市" + MIDDLE,
        Expected("吉林市人民政府", "市级", "政府", 2023, None, "named"),
    ),
    (
        "a county-level city administered directly by its province",
        "仙桃市人民政府关于2023年法治政府建设工作情况的报告\n2023年，仙桃市" + MIDDLE,
        Expected("仙桃市人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "a prefecture-level city without districts",
        "东莞市司法局2024年法治政府建设年度报告\n2024年，市司法局" + MIDDLE,
        Expected("东莞市司法局", "市级", "部门", 2024, None, "named"),
    ),
    (
        "an autonomous prefecture written short",
        "湘西州人民政府关于2023年度法治政府建设情况的报告\n2023年，全州" + MIDDLE,
        Expected("湘西州人民政府", "市级", "政府", 2023, None, "named"),
    ),
    (
        "a county-level city that is the seat of an autonomous prefecture",
        "恩施市司法局2023年法治政府建设情况报告\n2023年，恩施市司法局" + MIDDLE,
        Expected("恩施市司法局", "县级", "部门", 2023, None, "named"),
    ),
    (
        "a prefecture-level city whose name is also a district of Beijing",
        "朝阳市人民政府2023年法治政府建设年度报告\n2023年，朝阳市" + MIDDLE,
        Expected("朝阳市人民政府", "市级", "政府", 2023, None, "named"),
    ),
    (
        "the district of Beijing",
        "北京市朝阳区人民政府2023年法治政府建设年度报告\n2023年，朝阳区" + MIDDLE,
        Expected("北京市朝阳区人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "an opening led by 按照省委 and no issuer anywhere",
        "关于2023年法治政府建设情况的报告\n2023年，按照省委、省政府部署要求，" + MIDDLE,
        Expected(None, None, None, 2023, None, "missing"),
    ),
    (
        "an opening led by 认真落实省委; the signature names the issuer",
        "2023年法治政府建设年度报告\n2023年，认真落实省委关于法治建设的部署，"
        + MIDDLE
        + CLOSE
        + "宁乡市司法局\n2024年1月26日\n",
        Expected("宁乡市司法局", "县级", "部门", 2023, "2024-01-26", "named"),
    ),
    (
        "an opening led by 全面贯彻落实市委 and no issuer anywhere",
        "法治政府建设年度报告\n2024年，全面贯彻落实市委全面依法治市工作部署，" + MIDDLE,
        Expected(None, None, None, 2024, None, "missing"),
    ),
    (
        "an opening led by 根据市委 with a partial subject",
        "关于2023年度法治政府建设工作情况的报告\n2023年，根据市委统一部署，市生态环境局" + MIDDLE,
        Expected("市生态环境局", None, "部门", 2023, None, "partial"),
    ),
    (
        "only a 来源 line naming the district's bureau without its place",
        "2023年法治政府建设年度报告\n发布时间：2024-01-30 来源：区司法局\n2023年，" + MIDDLE,
        Expected("区司法局", "县级", "部门", 2023, "2024-01-30", "partial"),
    ),
    (
        "only a 来源 line with 市局",
        "关于2024年法治政府建设情况的报告\n来源：市局 发布日期：2025-01-08\n2024年，" + MIDDLE,
        Expected("市局", None, "部门", 2024, "2025-01-08", "partial"),
    ),
    (
        "only a 来源 line with 本局",
        "法治政府建设年度报告（2023年度）\n信息来源：本局 浏览次数：57\n2023年，我局" + MIDDLE,
        Expected("本局", None, "部门", 2023, None, "partial"),
    ),
    (
        "joint party committee and government in the signature",
        "2024年，我市" + MIDDLE + CLOSE + "中共义乌市委员会\n义乌市人民政府\n2025年2月1日\n",
        Expected("义乌市人民政府", "县级", "政府", 2024, "2025-02-01", "named"),
    ),
    (
        "joint party committee and government in the title",
        "中共浏阳市委 浏阳市人民政府关于2023年度法治政府建设情况的报告\n2023年，市委、市政府"
        + MIDDLE,
        Expected("浏阳市人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "signature only, no title",
        "2023年，在市委、市政府的坚强领导下，我局"
        + MIDDLE
        + CLOSE
        + "醴陵市司法局\n2024年3月15日\n",
        Expected("醴陵市司法局", "县级", "部门", 2023, "2024-03-15", "named"),
    ),
    (
        "a provincial department",
        "江苏省司法厅2023年法治政府建设年度报告\n2023年，省司法厅" + MIDDLE,
        Expected("江苏省司法厅", "省级", "部门", 2023, None, "named"),
    ),
    (
        "a department of a municipality's new district",
        "上海市浦东新区司法局2024年法治政府建设情况报告\n2024年，区司法局" + MIDDLE,
        Expected("上海市浦东新区司法局", "县级", "部门", 2024, None, "named"),
    ),
    (
        "an autonomous county",
        "城步苗族自治县人民政府关于2023年法治政府建设情况的报告\n2023年，城步苗族自治县" + MIDDLE,
        Expected("城步苗族自治县人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "an autonomous banner",
        "鄂温克族自治旗人民政府2023年法治政府建设年度报告\n2023年，全旗" + MIDDLE,
        Expected("鄂温克族自治旗人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "a league's administrative office",
        "阿拉善盟行政公署2023年法治政府建设情况报告\n2023年，盟行政公署" + MIDDLE,
        Expected("阿拉善盟行政公署", "市级", "政府", 2023, None, "named"),
    ),
    (
        "a prefecture (地区)",
        "喀什地区行政公署关于2024年法治政府建设情况的报告\n2024年，喀什地区" + MIDDLE,
        Expected("喀什地区行政公署", "市级", "政府", 2024, None, "named"),
    ),
    (
        "no issuer at all",
        "关于2023年度法治政府建设情况的报告\n2023年，我们坚持依法行政，" + MIDDLE + CLOSE,
        Expected(None, None, None, 2023, None, "missing"),
    ),
    (
        "the bare 市政府 in the opening",
        "法治政府建设情况报告\n2024年，市政府" + MIDDLE,
        Expected("市政府", None, "政府", 2024, None, "partial"),
    ),
    (
        "a county-level city's rule-of-law office under its party committee",
        "中共宜兴市委全面依法治市委员会办公室2023年法治建设工作报告\n2023年，市委依法治市办"
        + MIDDLE,
        Expected("中共宜兴市委全面依法治市委员会办公室", "县级", "部门", 2023, None, "named"),
    ),
    (
        "a prefecture-level city named as a bare place after the year",
        "2024年度常州市法治政府建设情况报告\n2024年，常州市" + MIDDLE,
        Expected("常州市", "市级", "政府", 2024, None, "named"),
    ),
    (
        "a partial title; the signature gives the full name",
        "区司法局2023年法治政府建设情况报告\n2023年，区司法局"
        + MIDDLE
        + CLOSE
        + "长沙市开福区司法局\n2024年1月10日\n",
        Expected("长沙市开福区司法局", "县级", "部门", 2023, "2024-01-10", "named"),
    ),
    (
        "a 来源 line giving the full name of a county-level city's bureau",
        "关于2024年度法治政府建设工作的报告\n来源：江山市司法局 发布时间：2025-01-16\n2024年，"
        + MIDDLE,
        Expected("江山市司法局", "县级", "部门", 2024, "2025-01-16", "named"),
    ),
    (
        "a placeholder county not in any table: its unit decides",
        "某某县人民政府2023年法治政府建设年度报告\n2023年，某某县" + MIDDLE,
        Expected("某某县人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "a page flattened onto one line, with its chrome",
        "首页 > 政务公开 > 法治政府建设 四会市人民政府关于2023年法治政府建设情况的报告 "
        "发布时间：2024-01-18 来源：四会市司法局 浏览次数：356 字号：大 中 小 "
        "2023年，四会市"
        + MIDDLE.replace("\n", "")
        + CLOSE.strip()
        + " 四会市人民政府 2024年1月18日 【打印本页】 【关闭窗口】",
        Expected("四会市人民政府", "县级", "政府", 2023, "2024-01-18", "named"),
    ),
    (
        "a report flattened with no separators at all",
        "江山市司法局2024年法治政府建设年度报告2024年，江山市司法局"
        + MIDDLE.replace("\n", "")
        + CLOSE.strip()
        + "江山市司法局2025年1月20日",
        Expected("江山市司法局", "县级", "部门", 2024, "2025-01-20", "named"),
    ),
    (
        "a flattened joint report, signature names glued together",
        "2024年，全县"
        + MIDDLE.replace("\n", "")
        + CLOSE.strip()
        + "中共城步苗族自治县委员会城步苗族自治县人民政府2025年1月8日",
        Expected("城步苗族自治县人民政府", "县级", "政府", 2024, "2025-01-08", "named"),
    ),
    (
        "a flattened report whose opening is led by 按照省委",
        "关于2023年法治政府建设情况的报告 2023年，按照省委、省政府部署，"
        + MIDDLE.replace("\n", "")
        + CLOSE.strip(),
        Expected(None, None, None, 2023, None, "missing"),
    ),
]

# Written after the rules above were settled and run once as they stood (see the commit).
CASES += [
    (
        "an abbreviated autonomous prefecture's department",
        "海南州司法局2023年法治政府建设年度报告\n2023年，州司法局" + MIDDLE,
        Expected("海南州司法局", "市级", "部门", 2023, None, "named"),
    ),
    (
        "province, prefecture-level city of the same name, district",
        "吉林省吉林市丰满区人民政府关于2024年法治政府建设情况的报告\n2024年，丰满区" + MIDDLE,
        Expected("吉林省吉林市丰满区人民政府", "县级", "政府", 2024, None, "named"),
    ),
    (
        "a 来源 line with 县司法局 only",
        "关于2024年度法治政府建设情况的报告\n来源：县司法局  发布时间：2025-02-11\n2024年，"
        + MIDDLE,
        Expected("县司法局", "县级", "部门", 2024, "2025-02-11", "partial"),
    ),
    (
        "a government office signs, page chrome after the date",
        "2023年，在市委、市政府的坚强领导下，"
        + MIDDLE
        + CLOSE
        + "宜都市人民政府办公室\n2024年1月12日\n【打印】【关闭】\n",
        Expected("宜都市人民政府办公室", "县级", "部门", 2023, "2024-01-12", "named"),
    ),
    (
        "an opening led by 依照省委 and no issuer",
        "法治政府建设年度报告\n2023年，依照省委依法治省办的部署要求，全市" + MIDDLE,
        Expected(None, None, None, 2023, None, "missing"),
    ),
    (
        "joint title of a county-level city",
        "中共海城市委 海城市人民政府关于2023年度法治政府建设情况的报告\n2023年，海城市" + MIDDLE,
        Expected("海城市人民政府", "县级", "政府", 2023, None, "named"),
    ),
    (
        "a prefecture-level city's government",
        "遵义市人民政府2024年法治政府建设年度报告\n2024年，遵义市" + MIDDLE,
        Expected("遵义市人民政府", "市级", "政府", 2024, None, "named"),
    ),
    (
        "a county-level city's bureau under that prefecture",
        "赤水市司法局关于2024年度法治政府建设工作情况的报告\n2024年，赤水市司法局" + MIDDLE,
        Expected("赤水市司法局", "县级", "部门", 2024, None, "named"),
    ),
    (
        "a flattened information-disclosure page",
        "当前位置：首页 > 信息公开 > 法治政府建设年度报告 发布机构：瑞安市司法局 "
        "发布日期：2024-02-06 瑞安市司法局2023年法治政府建设年度报告 2023年，瑞安市司法局"
        + MIDDLE.replace("\n", "")
        + " 瑞安市司法局 2024年2月6日",
        Expected("瑞安市司法局", "县级", "部门", 2023, "2024-02-06", "named"),
    ),
    (
        "a municipality's new district",
        "天津市滨海新区人民政府2023年法治政府建设情况报告\n2023年，滨海新区" + MIDDLE,
        Expected("天津市滨海新区人民政府", "县级", "政府", 2023, None, "named"),
    ),
]

CASES += [
    (
        "a page flattened with no blanks at all, a site footer after the signature",
        "首页>政务公开>法治政府建设长沙县人民政府关于2023年度法治政府建设工作情况的报告"
        "发布时间：2024-01-10 09:30来源：长沙县司法局浏览次数：1024【字号：大中小】【打印本页】"
        "【关闭窗口】2023年，长沙县"
        + MIDDLE.replace("\n", "")
        + "特此报告。长沙县人民政府2024年1月9日【打印本页】【关闭窗口】版权所有：长沙县人民政府 "
        "主办单位：长沙县人民政府办公室 备案号：湘ICP备05000000号 联系我们 网站地图",
        Expected("长沙县人民政府", "县级", "政府", 2023, "2024-01-09", "named"),
    ),
    (
        "a vertically managed organ: national head office before the place",
        "国家税务总局义乌市税务局2023年法治税务建设情况报告\n2023年，义乌市税务局" + MIDDLE,
        Expected("国家税务总局义乌市税务局", "县级", "部门", 2023, None, "named"),
    ),
    (
        "a township government: a name, of none of the three levels",
        "宁乡市花明楼镇人民政府2023年法治政府建设工作报告\n2023年，花明楼镇" + MIDDLE,
        Expected("宁乡市花明楼镇人民政府", None, "政府", 2023, None, "named"),
    ),
    (
        "a department whose name holds 和 and 乡",
        "浏阳市住房和城乡建设局2023年法治政府建设工作报告\n2023年，市住房和城乡建设局" + MIDDLE,
        Expected("浏阳市住房和城乡建设局", "县级", "部门", 2023, None, "named"),
    ),
    (
        "a partial 来源 before a full 发布机构",
        "2024年法治政府建设年度报告\n来源：区司法局\n发布机构：雨花区司法局\n2024年，" + MIDDLE,
        Expected("雨花区司法局", "县级", "部门", 2024, None, "named"),
    ),
    (
        "no title; the opening sentence announces the report",
        "现将我局2023年法治政府建设工作情况报告如下：2023年，我局" + MIDDLE.replace("\n", ""),
        Expected(None, None, None, 2023, None, "missing"),
    ),
]

# A third set, written and run once before the rules for them were added (7 of 10 right then).
CASES += [
    (
        "issuer line below the title, dated",
        "2023年度法治政府建设情况报告\n中共汝城县委 汝城县人民政府\n（2024年1月20日）\n2023年，全县"
        + MIDDLE,
        Expected("汝城县人民政府", "县级", "政府", 2023, "2024-01-20", "named"),
    ),
    (
        "red-header document",
        "临湘市人民政府文件\n临政〔2024〕3号\n临湘市人民政府关于2023年度法治政府建设情况的报告\n岳阳市人民政府：\n2023年，我市"
        + MIDDLE
        + CLOSE
        + "临湘市人民政府\n2024年1月30日\n（此件公开发布）\n",
        Expected("临湘市人民政府", "县级", "政府", 2023, "2024-01-30", "named"),
    ),
    (
        "Chinese-numeral signature date",
        "2023年，我县" + MIDDLE + CLOSE + "桂东县人民政府\n二〇二四年一月十五日\n",
        Expected("桂东县人民政府", "县级", "政府", 2023, "2024-01-15", "named"),
    ),
    (
        "bare place title, government signature",
        "资兴市2023年法治政府建设年度报告\n2023年，资兴市"
        + MIDDLE
        + CLOSE
        + "资兴市人民政府\n2024年2月2日\n",
        Expected("资兴市人民政府", "县级", "政府", 2023, "2024-02-02", "named"),
    ),
    (
        "development zone committee",
        "长沙高新技术产业开发区管理委员会2023年法治政府建设年度报告\n2023年，高新区" + MIDDLE,
        Expected("长沙高新技术产业开发区管理委员会", "县级", "部门", 2023, None, "named"),
    ),
    (
        "opening led by 区委 区政府 named",
        "法治政府建设年度报告\n过去一年，天元区委、区政府坚持" + MIDDLE,
        Expected("天元区委", "县级", "政府", None, None, "named"),
    ),
    (
        "来源 names an office, title names the bureau",
        "宜章县司法局2024年法治政府建设年度报告\n来源：宜章县人民政府办公室 发布时间：2025-01-21\n2024年，县司法局"
        + MIDDLE,
        Expected("宜章县司法局", "县级", "部门", 2024, "2025-01-21", "named"),
    ),
    (
        "title in 《》 inside a notice of a county-level city",
        "关于印发《韶山市2023年法治政府建设年度报告》的通知\n各乡镇人民政府，市直各单位：\n现将《韶山市2023年法治政府建设年度报告》印发给你们。\n2023年，韶山市"
        + MIDDLE,
        Expected("韶山市", "县级", "政府", 2023, None, "named"),
    ),
    (
        "department's report signed by its party group",
        "2024年，在县委、县政府的正确领导下，县交通运输局"
        + MIDDLE
        + CLOSE
        + "中共炎陵县交通运输局党组\n2025年1月10日\n",
        Expected("中共炎陵县交通运输局党组", "县级", "部门", 2024, "2025-01-10", "named"),
    ),
    (
        "province's office with 来源 and flattened",
        "湖南省人民政府办公厅2023年法治政府建设年度报告 来源：省政府办公厅 发布时间：2024-03-01 2023年，省政府办公厅"
        + MIDDLE.replace("\n", ""),
        Expected("湖南省人民政府办公厅", "省级", "部门", 2023, "2024-03-01", "named"),
    ),
]


# The issuer's whole name in layouts copied from web pages: the title run together with the
# site's chrome on one line, the issuer on a line of its own above a 时间/来源 line, a district
# opening the first sentence; and words that read like a place but are none (市区两级, 新区).
CASES += [
    (
        "title run together with the site's name and address on one line",
        "江西省人民政府门户网站 每日更新www.jiangxi.gov.cn江西省人民政府关于2023年度法治政府建设情况的报告\n"
        "2023年，全省上下" + MIDDLE,
        Expected("江西省人民政府", "省级", "政府", 2023, None, "named"),
    ),
    (
        "title after a breadcrumb and an address on one line",
        "首页>政务公开>法治政府建设 www.xiangtan.gov.cn湘潭市生态环境局2024年法治政府建设工作报告\n"
        "2024年，我局" + MIDDLE,
        Expected("湘潭市生态环境局", "市级", "部门", 2024, None, "named"),
    ),
    (
        "issuer on its own line above a 时间/来源 line, title without issuer",
        "平江县市场监督管理局\n时间：2024-02-01 来源：本站\n2023年度法治政府建设工作报告\n"
        "2023年，我局" + MIDDLE,
        Expected("平江县市场监督管理局", "县级", "部门", 2023, "2024-02-01", "named"),
    ),
    (
        "issuer above a 来源 line that names only a partial body",
        "雨湖区人民政府\n来源：区司法局 发布时间：2024年3月1日\n2023年法治政府建设年度报告\n"
        "今年以来，在市委市政府的正确领导下，我区" + MIDDLE,
        Expected("雨湖区人民政府", "县级", "政府", 2023, "2024-03-01", "named"),
    ),
    (
        "a signature outranks a name standing above the title's chrome",
        "某某市人民政府\n发布时间：2024-03-05\n2023年度法治政府建设工作报告\n2023年，我局"
        + MIDDLE
        + CLOSE
        + "某某市司法局\n2024年3月1日\n",
        Expected("某某市司法局", "市级", "部门", 2023, "2024-03-01", "named"),
    ),
    (
        "a district opening the first sentence, no title",
        "天心区坚持以习近平法治思想为指导，深入推进依法行政，现将2023年法治政府建设情况报告如下：\n"
        + MIDDLE.split("\n", 1)[1],
        Expected("天心区", "县级", "政府", 2023, None, "named"),
    ),
    (
        "市区两级 opening the first sentence is no issuer",
        "2023年法治政府建设工作报告\n2023年，市区两级" + MIDDLE,
        Expected(None, None, None, 2023, None, "missing"),
    ),
    (
        "辖区 alone is no name; the signature gives the issuer",
        "2024年法治政府建设工作报告\n2024年，辖区各单位"
        + MIDDLE
        + CLOSE
        + "望城区人民政府\n2025年1月20日\n",
        Expected("望城区人民政府", "县级", "政府", 2024, "2025-01-20", "named"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_metadata_case(text: str, expected: Expected) -> None:
    meta = find_metadata(text)
    got = Expected(
        meta.issuer, meta.level, meta.issuer_kind, meta.year, meta.published, meta.issuer_status
    )
    assert got == expected


def test_an_announcing_sentence_is_no_title() -> None:
    text = next(t for name, t, _ in CASES if name.startswith("no title; the opening sentence"))
    assert find_metadata(text).title is None
