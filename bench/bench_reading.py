"""Web-page article extraction measured: today's extractor against trafilatura and readability-lxml.

The pages: the saved government pages under tests/data/reading/, and each of the five sample
reports wrapped in one of three kinds of government page chrome (the templates below, the same
ones that wrote tests/data/reading/gov-page-{xxgk,br,styled}.htm*). For each page the article's
paragraphs are known, so each extractor is scored on

- recovered: the share of the article's characters whose paragraph is in the output;
- own line: the share of paragraphs (headings included) that stand as a line of their own;
- headings: the share of heading lines (一、 / （一） / 1.) that stand as a line of their own;
- chrome: chrome phrases left in (breadcrumbs, share/print bars, related links, footer), and
  the characters of output lines that belong to no paragraph.

Run: .venv/bin/python bench/bench_reading.py  (the libraries are optional: an extractor whose
library is not installed is skipped; PYTHONPATH may point at a scratch install of them).
`--write-fixtures` rewrites the three fixture pages from their templates.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "examples" / "reports"
DATA = ROOT / "tests" / "data" / "reading"

CHROME = (
    "首页",
    "当前位置",
    "您现在的位置",
    "索引号",
    "打印本页",
    "关闭窗口",
    "分享到",
    "上一篇",
    "下一篇",
    "相关链接",
    "相关稿件",
    "热点推荐",
    "扫一扫",
    "版权所有",
    "网站标识码",
    "ICP备",
    "字号",
    "无障碍",
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _e(s: str) -> str:
    return html.escape(s, quote=False)


def page_xxgk(title: str, paras: list[str], site: str) -> str:
    """A 政府信息公开 detail page: metadata table, article div, attachments, related, footer."""
    body = "\n".join(f'<p style="text-indent:2em;">{_e(p)}</p>' for p in paras)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}_{_e(site)}</title>
<link rel="stylesheet" href="/css/xxgk.css"></head>
<body>
<div class="top-bar"><a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">English</a></div>
<div class="header"><img src="/img/logo.png" alt="{_e(site)}"><div class="search"><input type="text"
placeholder="请输入关键字"><button>搜索</button></div></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt;
<a href="#">法定主动公开内容</a> &gt; <a href="#">法治政府建设</a></div>
<div class="main">
<table class="xxgk-info">
<tr><td>索引号：</td><td>11430000-2025-00021</td><td>分类：</td><td>法治政府建设</td></tr>
<tr><td>发布机构：</td><td>{_e(site)}</td><td>成文日期：</td><td>2025-03-28</td></tr>
<tr><td>标题：</td><td colspan="3">{_e(title)}</td></tr>
</table>
<h1 class="art-title">{_e(title)}</h1>
<div class="art-info">发布时间：2025-03-31 09:15　字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="zwnr">
{body}
</div>
<div class="fj">附件：<a href="#">附件1.docx</a></div>
<div class="xgwj"><h3>相关稿件</h3><ul><li><a href="#">关于印发2025年依法治区工作要点的通知</a></li>
<li><a href="#">2023年法治政府建设年度报告</a></li></ul></div>
<div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】 扫一扫在手机打开当前页</div>
</div>
<div class="footer"><p>主办：{_e(site)}办公室　网站标识码：4304080001　湘ICP备05001234号</p>
<p>版权所有 © {_e(site)}</p></div>
<script src="/js/jquery.min.js"></script><script>var _hmt=_hmt||[];</script>
</body></html>
"""


def page_br(title: str, paras: list[str], site: str) -> str:
    """An old CMS page: nested tables, <font>, paragraphs as &nbsp;-indented lines and <br>."""
    body = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{_e(p)}" for p in paras)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(site)}--{_e(title)}</title></head>
<body topmargin="0">
<table width="1000" align="center"><tr><td><img src="/images/top.jpg"></td></tr>
<tr><td class="menu"><a href="/">首页</a> | <a href="#">机构概况</a> | <a href="#">政务公开</a> |
<a href="#">法律服务</a> | <a href="#">普法宣传</a></td></tr></table>
<table width="1000" align="center"><tr>
<td width="220" valign="top"><table><tr><td class="lm">栏目导航</td></tr>
<tr><td><a href="#">工作动态</a></td></tr><tr><td><a href="#">通知公告</a></td></tr>
<tr><td><a href="#">法治政府建设</a></td></tr><tr><td><a href="#">公共法律服务</a></td></tr></table></td>
<td valign="top"><table width="100%"><tr><td>您现在的位置：<a href="/">首页</a> &gt;&gt; 通知公告</td></tr>
<tr><td align="center"><font size="5" color="#c00000"><b>{_e(title)}</b></font></td></tr>
<tr><td align="center"><font color="#666">发布时间：2024-02-05　浏览次数：1024　【字号 大 中 小】</font></td></tr>
<tr><td id="fontzoom" class="content"><font style="font-size:16px;line-height:30px">
{body}
</font></td></tr>
<tr><td align="right">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</td></tr>
<tr><td>上一篇：<a href="#">市司法局召开全市司法行政工作会议</a><br>
下一篇：<a href="#">市司法局开展法律援助进社区活动</a></td></tr>
</table></td></tr></table>
<table width="1000" align="center"><tr><td class="bottom">版权所有：{_e(site)}　技术支持：某某网络科技有限公司<br>
吉ICP备12003456号</td></tr></table>
</body></html>
"""


def page_styled(title: str, paras: list[str], site: str) -> str:
    """A modern page: each paragraph in <p><span style>, headings in <strong>, a long sidebar."""

    def para(p: str) -> str:
        if _HEADING.match(p):
            return f'<p style="text-align:left"><strong><span style="font-family:黑体">{_e(p)}</span></strong></p>'
        return f'<p style="text-indent:2em"><span style="font-size:16px;font-family:仿宋">{_e(p)}</span></p>'

    body = "\n".join(para(p) for p in paras)
    hot = "\n".join(
        f'<li><a href="#">{t}</a><span>2024-12-{10 + i}</span></li>'
        for i, t in enumerate(
            [
                "区委全面依法治区委员会召开第五次会议",
                "我区开展“民法典进万家”主题宣传活动",
                "区司法局组织开展行政执法人员培训",
                "区人民调解委员会化解一起邻里纠纷",
                "区法律援助中心开展农民工欠薪专项行动",
                "我区召开行政复议工作推进会",
            ]
        )
    )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{_e(title)}-{_e(site)}</title></head>
<body>
<header class="site-header"><div class="logo">{_e(site)}</div>
<nav><a href="/">首页</a><a href="#">新闻中心</a><a href="#">政务公开</a><a href="#">政务服务</a></nav></header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> / <a href="#">新闻中心</a> / 工作动态</div>
<main class="container"><div class="row">
<div class="col-8"><div class="detail">
<h2 class="detail-title">{_e(title)}</h2>
<div class="detail-meta"><span>发布时间：2025-01-10 16:02</span><span>来源：{_e(site)}</span>
<span class="share">分享到：<a>微信</a><a>微博</a></span></div>
<div class="detail-content">
{body}
</div>
<div class="detail-tools"><a>【打印本页】</a><a>【关闭窗口】</a></div>
<div class="prev-next"><p>上一篇：<a href="#">区司法局开展年终述职评议</a></p>
<p>下一篇：<a href="#">区司法局召开党组理论学习中心组学习会</a></p></div>
</div></div>
<aside class="col-4"><div class="panel"><h3>热点推荐</h3><ul>
{hot}
</ul></div><div class="panel"><h3>相关链接</h3><ul><li><a href="#">中国政府网</a></li>
<li><a href="#">司法部</a></li><li><a href="#">省司法厅</a></li></ul></div></aside>
</div></main>
<footer><p>版权所有：{_e(site)}　网站标识码：6301220003</p><p>青ICP备09000123号-1</p></footer>
</body></html>
"""


# (fixture file, template, report, site, paragraphs kept): three realistic pages for the tests.
FIXTURES: tuple[tuple[str, Callable[[str, list[str], str], str], str, str, int], ...] = (
    ("gov-page-xxgk.html", page_xxgk, "zhengxiang-2024", "衡阳市蒸湘区人民政府", 8),
    ("gov-page-br.htm", page_br, "baicheng-2023", "白城市司法局", 6),
    ("gov-page-styled.html", page_styled, "huangzhong-2024", "西宁市湟中区人民政府", 8),
)
TEMPLATES = {
    "baicheng-2023": page_br,
    "heshan-2024": page_xxgk,
    "huangzhong-2024": page_styled,
    "hubin-2023": page_br,
    "zhengxiang-2024": page_styled,
}
SITES = {
    "baicheng-2023": "白城市司法局",
    "heshan-2024": "益阳市赫山区人民政府",
    "huangzhong-2024": "西宁市湟中区人民政府",
    "hubin-2023": "三门峡市湖滨区人民政府",
    "zhengxiang-2024": "衡阳市蒸湘区人民政府",
}


def article(report: str, keep: int | None = None) -> tuple[str, list[str]]:
    """A sample report's title and its body paragraphs (the lines after the title)."""
    lines = paragraphs((REPORTS / f"{report}.txt").read_text(encoding="utf-8"))
    title, body = lines[0], lines[1:]
    body = [p for p in body if "发布时间" not in p and "门户网站" not in p]
    return title, body[:keep] if keep else body


def pages() -> list[tuple[str, str, str, list[str]]]:
    """(name, markup, title, the article's paragraphs) for every page measured."""
    out: list[tuple[str, str, str, list[str]]] = []
    for name, _, report, _, keep in FIXTURES:
        title, body = article(report, keep)
        out.append((name, (DATA / name).read_text(encoding="utf-8"), title, body))
    gbk = (DATA / "gov-page-gbk.htm").read_bytes().decode("gb18030")
    out.append(
        (
            "gov-page-gbk.htm",
            gbk,
            "赫山区2024年法治政府建设年度报告",
            _article_of(gbk, "TRS_Editor"),
        )
    )
    h5 = (DATA / "gov-page-html5.html").read_text(encoding="utf-8")
    out.append(
        ("gov-page-html5.html", h5, "关于2023年法治政府建设情况的报告", _article_of(h5, "box-r"))
    )
    for report in sorted(SITES):
        title, body = article(report)
        out.append(
            (f"{report} (sample)", TEMPLATES[report](title, body, SITES[report]), title, body)
        )
    return out


def _article_of(markup: str, css_class: str) -> list[str]:
    """The <p>/<td> texts inside the element of this class: the existing fixtures' article."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(markup)
    (node,) = tree.xpath(f"//*[contains(concat(' ', @class, ' '), ' {css_class} ')]")
    for br in node.iter("br"):
        br.tail = "¶" + (br.tail or "")  # a line break; the source's own newlines are spaces
    out = []
    for el in node.iter("p"):
        for line in el.text_content().split("¶"):
            text = re.sub(r"\s+", "", line)
            if text and not any(c in text for c in ("打印", "分享", "上一篇", "下一篇", "发布")):
                out.append(text)
    return out


# --- the extractors ---------------------------------------------------------------------------


def today(markup: str) -> str:
    from summariser.reading.web_pages import html_to_text

    return html_to_text(markup)


def with_trafilatura(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup, include_tables=True, include_comments=False) or ""


def with_readability(markup: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = lxml_html.fromstring(Document(markup).summary(html_partial=True))
    for br in summary.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = []
    for el in summary.iter("p", "h1", "h2", "h3", "h4", "li", "tr", "div", "td"):
        if any(child.tag in ("p", "div", "tr", "li", "td") for child in el):
            continue
        lines.extend(el.text_content().split("\n"))
    return "\n".join(line.strip() for line in lines if line.strip())


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "today": today,
    "trafilatura": with_trafilatura,
    "readability": with_readability,
}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def score(output: str, title: str, body: list[str]) -> dict[str, float]:
    out_lines = [_norm(line) for line in output.split("\n") if line.strip()]
    flat = "".join(out_lines)
    paras = [_norm(p) for p in body]
    total = sum(len(p) for p in paras)
    recovered = sum(len(p) for p in paras if p in flat)
    own = sum(p in out_lines for p in paras)
    heads = [p for p in paras if _HEADING.match(p)]
    chrome = sum(word in output for word in CHROME)
    joined = "".join(paras)
    # the title and the 发布时间 line are kept on purpose (metadata reads them): not chrome
    extra = sum(
        len(line)
        for line in out_lines
        if line not in joined and line != _norm(title) and not re.search("发布(?:时间|日期)", line)
    )
    return {
        "recovered": recovered / total if total else 1.0,
        "own_line": own / len(paras) if paras else 1.0,
        "headings": sum(h in out_lines for h in heads) / len(heads) if heads else 1.0,
        "chrome": chrome,
        "extra_chars": extra,
        "chars": total,
    }


def main(argv: list[str]) -> int:
    if "--write-fixtures" in argv:
        for name, template, report, site, keep in FIXTURES:
            title, body = article(report, keep)
            (DATA / name).write_text(template(title, body, site), encoding="utf-8")
            print(f"wrote {DATA / name}")
        return 0
    sys.path.insert(0, str(ROOT))
    rows = []
    available = {}
    for name, fn in EXTRACTORS.items():
        try:
            fn("<html><body><p>试</p></body></html>")
        except ImportError as e:
            print(f"{name}: skipped ({e})", file=sys.stderr)
            continue
        available[name] = fn
    totals: dict[str, dict[str, float]] = {n: {} for n in available}
    print(f"{'page':30} {'extractor':12} recovered own_line headings chrome extra_chars")
    for page, markup, title, body in pages():
        for name, fn in available.items():
            s = score(fn(markup), title, body)
            rows.append((page, name, s))
            print(
                f"{page:30} {name:12} {s['recovered']:9.3f} {s['own_line']:8.3f} "
                f"{s['headings']:8.3f} {int(s['chrome']):6d} {int(s['extra_chars']):11d}"
            )
            t = totals[name]
            for key in ("recovered", "own_line", "headings", "chrome", "extra_chars"):
                t[key] = t.get(key, 0.0) + s[key]
    n = len(pages())
    print("\nall pages (recovered/own_line/headings: mean; chrome/extra_chars: sum)")
    for name, t in totals.items():
        print(
            f"{name:12} recovered {t['recovered'] / n:.3f}  own_line {t['own_line'] / n:.3f}  "
            f"headings {t['headings'] / n:.3f}  chrome {int(t['chrome'])}  "
            f"extra_chars {int(t['extra_chars'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
