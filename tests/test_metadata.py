"""Metadata found without a model: the five sample reports and web-page openings with chrome."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.layout.lines import find_ending, is_chrome, text_lines
from summariser.lexicon.dates import parse_date
from summariser.lexicon.issuers import admin_level, issuer_kind, split_issuers
from summariser.structure.metadata import find_metadata

REPORTS = Path(__file__).resolve().parents[1] / "examples" / "reports"

# Read off each report by hand: (title, issuer, level, issuer_kind, year, published).
SAMPLES = {
    "baicheng-2023": (
        "白城市司法局2023年度法治政府建设工作报告",
        "白城市司法局",
        "市级",
        "部门",
        2023,
        None,
    ),
    "heshan-2024": (None, "益阳市赫山区人民政府", "县级", "政府", 2024, "2025-01-06"),
    "huangzhong-2024": (
        "湟中区司法局2024年法治政府建设情况报告",
        "湟中区司法局",
        "县级",
        "部门",
        2024,
        None,
    ),
    "hubin-2023": (
        "湖滨区司法局关于2023年法治政府建设情况的报告",
        "湖滨区司法局",
        "县级",
        "部门",
        2023,
        None,
    ),
    "zhengxiang-2024": (
        "蒸湘区司法局2024年法治建设年度报告",
        "蒸湘区司法局",
        "县级",
        "部门",
        2024,
        "2025-03-31",
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reports(name: str) -> None:
    meta = find_metadata((REPORTS / f"{name}.txt").read_text(encoding="utf-8"))
    title, issuer, level, kind, year, published = SAMPLES[name]
    assert (meta.title, meta.issuer, meta.level, meta.issuer_kind, meta.year, meta.published) == (
        title,
        issuer,
        level,
        kind,
        year,
        published,
    )


BODY = (
    "坚持以习近平新时代中国特色社会主义思想为指导，"
    "深入学习贯彻习近平法治思想，扎实推进法治政府建设。"
)

# (opening text, issuer, year, published); the openings imitate pages as copied from sites.
OPENINGS = [
    (  # breadcrumb, 来源 naming another body, a later 发布时间
        "首页 > 政务公开 > 法治政府建设\n长沙县人民政府关于2023年度法治政府建设工作情况的报告\n"
        "发布时间：2024-01-10 09:30  来源：长沙县司法局  浏览次数：1024\n"
        "【字号：大 中 小】 【打印本页】 【关闭窗口】\n2023年，长沙县" + BODY,
        "长沙县人民政府",
        2023,
        "2024-01-10",
    ),
    (  # title split: issuer line, then 关于…的报告
        "株洲市司法局\n\n关于2023年法治政府建设情况的报告\n"
        "来源：株洲市人民政府网 发布时间：2024-02-05\n"
        "2023年，株洲市司法局在市委、市政府的坚强领导下，" + BODY,
        "株洲市司法局",
        2023,
        "2024-02-05",
    ),
    (  # XX市XX局2024年…年度报告
        "衡阳市生态环境局2024年法治政府建设年度报告\n发布日期：2025-03-12 阅读次数：88\n"
        "2024年，市生态环境局" + BODY,
        "衡阳市生态环境局",
        2024,
        "2025-03-12",
    ),
    (  # year before issuer; the text names the district government
        "2024年度雨花区法治政府建设情况报告\n发布时间：2025-01-20\n2024年，雨花区人民政府" + BODY,
        "雨花区人民政府",
        2024,
        "2025-01-20",
    ),
    (  # year before issuer; only the place is named
        "2024年度天心区法治政府建设情况报告\n信息来源：本站 发布时间：2025-01-22\n"
        "2024年，天心区" + BODY,
        "天心区",
        2024,
        "2025-01-22",
    ),
    (  # date and time in the chrome line before the title
        "字体：大 中 小  2025-01-10 14:22:03  来源：本站\n开福区司法局2024年法治政府建设年度报告\n"
        "2024年，开福区司法局" + BODY,
        "开福区司法局",
        2024,
        "2025-01-10",
    ),
    (  # page title with the site's name after an underscore
        "岳麓区2023年法治政府建设年度报告_长沙市岳麓区人民政府\n发布时间：2024-03-29\n"
        "2023年，岳麓区" + BODY,
        "岳麓区人民政府",
        2023,
        "2024-03-29",
    ),
    (  # year in Chinese numerals
        "二〇二三年度株洲市法治政府建设情况报告\n2023年，株洲市" + BODY,
        "株洲市",
        2023,
        None,
    ),
    (  # joint issuers on one line, in the title
        "中共攸县县委 攸县人民政府关于2023年度法治政府建设情况的报告\n发布时间：2024-02-18\n"
        "2023年，县委、县政府" + BODY,
        "攸县人民政府",
        2023,
        "2024-02-18",
    ),
    (  # joint issuers on two lines above the title
        "中共茶陵县委员会\n茶陵县人民政府\n关于2023年法治政府建设情况的报告\n2023年，我县" + BODY,
        "茶陵县人民政府",
        2023,
        None,
    ),
    (  # a province
        "湖南省人民政府关于2023年法治政府建设情况的报告\n2024-03-30 来源：省司法厅\n"
        "2023年，" + BODY,
        "湖南省人民政府",
        2023,
        "2024-03-30",
    ),
    (  # a municipality's department
        "北京市司法局2023年法治政府建设年度报告\n发布日期：2024年01月15日\n2023年，市司法局" + BODY,
        "北京市司法局",
        2023,
        "2024-01-15",
    ),
    (  # a new district of a municipality
        "上海市浦东新区人民政府2023年法治政府建设情况报告\n2023年，浦东新区" + BODY,
        "上海市浦东新区人民政府",
        2023,
        None,
    ),
    (  # an autonomous region's department
        "广西壮族自治区司法厅2023年度法治政府建设情况报告\n2023年，自治区司法厅" + BODY,
        "广西壮族自治区司法厅",
        2023,
        None,
    ),
    (  # an autonomous prefecture
        "湘西土家族苗族自治州人民政府关于2023年法治政府建设工作的报告\n2023年，州人民政府" + BODY,
        "湘西土家族苗族自治州人民政府",
        2023,
        None,
    ),
    (  # a banner
        "阿荣旗人民政府2023年法治政府建设年度报告\n浏览次数：300\n2023年，阿荣旗" + BODY,
        "阿荣旗人民政府",
        2023,
        None,
    ),
    (  # （全文） and a trailing date on the title line
        "开福区2023年法治政府建设年度报告（全文） 2024-03-01\n2023年，开福区人民政府" + BODY,
        "开福区人民政府",
        2023,
        None,
    ),
    (  # a breadcrumb that itself mentions 年度报告
        "当前位置：首页 > 法治政府建设 > 年度报告\n望城区司法局2023年度法治政府建设工作报告\n"
        "2023年，望城区司法局" + BODY,
        "望城区司法局",
        2023,
        None,
    ),
    (  # an information-disclosure table
        "索引号：000014349/2024-00123\n发布机构：芙蓉区司法局\n成文日期：2024-01-25\n"
        "标题：芙蓉区司法局2023年法治政府建设年度报告\n芙蓉区司法局2023年法治政府建设年度报告\n"
        "2023年，芙蓉区司法局" + BODY,
        "芙蓉区司法局",
        2023,
        "2024-01-25",
    ),
    (  # no title: the opening names the issuer
        "发布时间：2024-02-01\n来源：石峰区司法局\n"
        "2023年，石峰区司法局在区委、区政府的坚强领导下，" + BODY,
        "石峰区司法局",
        2023,
        "2024-02-01",
    ),
    (  # a title without issuer; the opening names it after a clause
        "关于2023年法治政府建设情况的报告\n发布时间：2024-01-12\n"
        "2023年，在区委、区政府的坚强领导下，芦淞区司法局" + BODY,
        "芦淞区司法局",
        2023,
        "2024-01-12",
    ),
    (  # only 市司法局 in the opening: kept as the text gives it (marked partial)
        "关于2023年度法治政府建设工作的报告\n2023年，市司法局党组" + BODY,
        "市司法局",
        2023,
        None,
    ),
    (  # a title broken in the middle of a phrase
        "湘潭市人民政府关于2023年度法治政府\n建设情况的报告\n2023年，湘潭市" + BODY,
        "湘潭市人民政府",
        2023,
        None,
    ),
    (  # a department whose name holds 市 (市场): still county level
        "雨湖区市场监督管理局2023年法治政府建设年度报告\n2023年，区市场监管局" + BODY,
        "雨湖区市场监督管理局",
        2023,
        None,
    ),
    (  # the site's name above the title is chrome
        "株洲市人民政府门户网站\n株洲市司法局2023年法治政府建设年度报告\n2023年，市司法局" + BODY,
        "株洲市司法局",
        2023,
        None,
    ),
    (  # 工作总结 instead of 报告
        "攸县司法局2023年法治政府建设工作总结\n2023年，县司法局" + BODY,
        "攸县司法局",
        2023,
        None,
    ),
    (  # a date line with the weekday; the opening starts with 今年以来
        "汉寿县2024年法治政府建设年度报告\n2025年02月14日 星期五\n今年以来，汉寿县人民政府" + BODY,
        "汉寿县人民政府",
        2024,
        "2025-02-14",
    ),
    (  # no title, no year in the opening: the dated heading gives it
        "分享到：微信 微博\n今年以来，全区" + BODY + "\n一、2023年法治政府建设主要举措和成效\n",
        None,
        2023,
        None,
    ),
    (  # title and chrome fields on one line
        "天元区司法局2023年法治政府建设年度报告 发布时间：2024-01-05 来源：区司法局\n"
        "2023年，天元区司法局" + BODY,
        "天元区司法局",
        2023,
        "2024-01-05",
    ),
    (  # a notice that carries the report
        "关于印发《鼎城区2023年法治政府建设年度报告》的通知\n2023年，" + BODY,
        "鼎城区",
        2023,
        None,
    ),
    (  # the issuer in brackets after the title
        "2023年法治政府建设年度报告（武陵区司法局）\n2023年，" + BODY,
        "武陵区司法局",
        2023,
        None,
    ),
    (  # the site's organisation above a title that names its own issuer
        "汉寿县人民政府办公室\n汉寿县司法局2023年法治政府建设年度报告\n2023年，" + BODY,
        "汉寿县司法局",
        2023,
        None,
    ),
    (  # the document date under a split title, then the addressee
        "安乡县人民政府\n关于2023年度法治政府建设情况的报告\n（2024年1月20日）\n常德市人民政府：\n"
        "2023年，我县" + BODY,
        "安乡县人民政府",
        2023,
        "2024-01-20",
    ),
    (  # 和 inside a department's name; the publishing body and the date on one line
        "芙蓉区城市管理和综合执法局2024年度法治政府建设情况报告\n"
        "芙蓉区城市管理和综合执法局 2025-02-11\n2024年，" + BODY,
        "芙蓉区城市管理和综合执法局",
        2024,
        "2025-02-11",
    ),
    (  # a title over three lines; no year in title or opening
        "湘潭县人民政府\n法治政府建设\n年度报告\n发布时间：2025-01-15\n过去的一年，湘潭县" + BODY,
        "湘潭县人民政府",
        2024,
        "2025-01-15",
    ),
    (  # a long line of site links before the title: no sentence in it, so it is left whole
        "网站首页 政务公开 政策文件 政府工作报告 统计数据 人事信息 规划计划 财政资金 重点领域 "
        "政务服务 办事指南 互动交流 领导信箱 在线访谈 征集调查 概况 历史 文化 旅游 交通 教育 医疗 "
        "网站首页 政务公开 政策文件 政府工作报告 统计数据 人事信息 规划计划 财政资金 重点领域 "
        "政务服务 办事指南 互动交流 领导信箱 在线访谈 征集调查 概况 历史 文化 旅游 交通 教育 医疗\n"
        "永兴县司法局2023年法治政府建设年度报告\n2023年，永兴县司法局" + BODY,
        "永兴县司法局",
        2023,
        None,
    ),
    (  # a government office is a department
        "长沙市人民政府办公厅关于2023年度法治政府建设情况的报告\n2023年，市政府办公厅" + BODY,
        "长沙市人民政府办公厅",
        2023,
        None,
    ),
]


@pytest.mark.parametrize(("text", "issuer", "year", "published"), OPENINGS)
def test_openings_with_web_chrome(
    text: str, issuer: str | None, year: int, published: str | None
) -> None:
    meta = find_metadata(text)
    assert (meta.issuer, meta.year, meta.published) == (issuer, year, published)


def test_split_title_is_joined() -> None:
    meta = find_metadata(OPENINGS[1][0])
    assert meta.title == "株洲市司法局关于2023年法治政府建设情况的报告"
    meta = find_metadata(OPENINGS[22][0])
    assert meta.title == "湘潭市人民政府关于2023年度法治政府建设情况的报告"


def test_chrome_lines_never_become_the_title() -> None:
    meta = find_metadata(OPENINGS[17][0])
    assert meta.title == "望城区司法局2023年度法治政府建设工作报告"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("湖滨区司法局", "县级"),  # a district of 三门峡市
        ("白城市司法局", "市级"),
        ("益阳市赫山区人民政府", "县级"),
        ("中共益阳市赫山区委员会、益阳市赫山区人民政府", "县级"),
        ("湖南省司法厅", "省级"),
        ("广西壮族自治区人民政府", "省级"),
        ("重庆市人民政府", "省级"),
        ("重庆市渝中区人民政府", "县级"),
        ("湘西土家族苗族自治州司法局", "市级"),
        ("锡林郭勒盟行政公署", "市级"),
        ("苏州市昆山市人民政府", "县级"),  # a county-level city named under its prefecture
        ("杭州市西湖区司法局", "县级"),
        ("长沙县城市管理和综合执法局", "县级"),
        ("市司法局", None),
        (None, None),
    ],
)
def test_admin_level(name: str | None, level: str | None) -> None:
    assert admin_level(name) == level


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("湖滨区司法局", "部门"),
        ("长沙县人民政府", "政府"),
        ("中共益阳市赫山区委员会、益阳市赫山区人民政府", "政府"),
        ("天心区", "政府"),
        ("长沙市人民政府办公厅", "部门"),
        ("长沙市卫生健康委员会", "部门"),
        ("中共长沙市委全面依法治市委员会办公室", "部门"),
        ("锡林郭勒盟行政公署", "政府"),
        (None, None),
    ],
)
def test_issuer_kind(name: str | None, kind: str | None) -> None:
    assert issuer_kind(name) == kind


def test_split_issuers() -> None:
    assert split_issuers("中共攸县县委 攸县人民政府") == ["中共攸县县委", "攸县人民政府"]
    assert split_issuers("中共茶陵县委员会茶陵县人民政府") == ["中共茶陵县委员会", "茶陵县人民政府"]
    assert split_issuers("湖滨区司法局") == ["湖滨区司法局"]
    assert split_issuers("长沙县城市管理和综合执法局") == ["长沙县城市管理和综合执法局"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2025年1月6日", "2025-01-06"),
        ("发布时间:2025-03-31", "2025-03-31"),
        ("二〇二五年一月十六日", "2025-01-16"),
        ("2024.12.30", "2024-12-30"),
        ("2024年13月1日", None),
        ("2024年", None),
    ],
)
def test_parse_date(text: str, date: str | None) -> None:
    assert parse_date(text) == date


def test_chrome_and_body_lines() -> None:
    assert is_chrome("蒸湘区人民政府门户网站  www.zhengxiang.gov.cn   发布时间:2025-03-31")
    assert is_chrome("【打印本页】【关闭窗口】")
    assert is_chrome("2025-01-10")
    assert is_chrome("宁远县司法局 2025-02-20 16:47")
    assert not is_chrome("湖滨区司法局")
    assert not is_chrome("关于2023年法治政府建设情况的报告")


def test_ending_reads_the_signature_and_skips_trailing_chrome() -> None:
    text = (
        "三是加强执法。\n中共某某县委员会\n某某县人民政府\n2025年1月6日\n【打印本页】【关闭窗口】\n"
    )
    ending = find_ending(text)
    assert ending.closed and ending.date == "2025-01-06"
    assert text[: ending.body_end] == "三是加强执法。"
    assert ending.signers == ["中共某某县委员会", "某某县人民政府"]
    ending = find_ending("三是加强执法。\n某某县司法局  2025年3月31日")
    assert (ending.closed, ending.signers, ending.date) == (True, ["某某县司法局"], "2025-03-31")


def test_text_lines_keep_spans() -> None:
    text = " 标题\r\n\r\n\u3000\u3000正文一句。 \n"
    lines = text_lines(text)
    assert [line.text for line in lines] == ["标题", "正文一句。"]
    assert all(text[line.start : line.end] == line.text for line in lines)


@pytest.mark.parametrize("joiner", ["", " "])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reports_flattened_give_the_same_metadata(name: str, joiner: str) -> None:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    flat = joiner.join(text.splitlines())
    assert "\n" not in flat
    assert find_metadata(flat) == find_metadata(text)


CHROME_HEAD = (
    "首页 > 政务公开 > 法治政府建设 来源：本站 发布时间：2025-04-01 09:30 浏览次数：1024 "
    "【字号：大 中 小】 "
)
CHROME_TAIL = " 【打印本页】 【关闭窗口】 扫一扫在手机打开当前页"


@pytest.mark.parametrize("joiner", ["", " "])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reports_flattened_inside_page_chrome(name: str, joiner: str) -> None:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    flat = CHROME_HEAD + joiner.join(text.splitlines()) + CHROME_TAIL
    original = find_metadata(text)
    # The page's 发布时间 stands in for a date only where the report is not dated itself.
    expected = original.model_copy(update={"published": original.published or "2025-04-01"})
    assert find_metadata(flat) == expected


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reports_saved_as_docx_and_html_give_the_same_metadata(
    name: str, tmp_path: Path
) -> None:
    import html

    from docx import Document as Docx

    from summariser.reading.documents import read_document

    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    docx = Docx()
    for paragraph in paragraphs:
        docx.add_paragraph(paragraph)
    docx.save(tmp_path / "r.docx")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    (tmp_path / "r.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    expected = find_metadata(text)
    for path in (tmp_path / "r.docx", tmp_path / "r.html"):
        assert find_metadata(read_document(path).text) == expected, path.suffix
