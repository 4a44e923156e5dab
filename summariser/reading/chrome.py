"""Page chrome: the furniture of a government web page (buttons, breadcrumbs, field labels).

Reports arrive as saved pages or as text copied out of them, so the same furniture turns up in
the HTML reader, in the metadata finders and at a flattened report's tail. Its words are kept
here once; each pattern below is one way of meeting them.
"""

from __future__ import annotations

import re

BUTTONS = "打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|分享到|分享|收藏|字号|字体"
"""The page's buttons: print, close, back to top, share, bookmark, font size."""
NAVIGATION = "当前位置|您现在的位置|您的位置|当前的位置|所在位置|上一篇|下一篇"
"""A breadcrumb trail's label, and the links to the neighbouring articles."""
PUBLISHED = re.compile(r"发布时间|发布日期|發布時間|發佈時間|成文日期")
"""The label of a page's publication date."""
_CREDIT = r"(?:责任编辑|编辑|审核|校对|作者)[:：]"

BUTTON_LINE = re.compile(
    r"^[\s【】\[\]()（）|｜:：/、·>»]*"
    rf"(?:(?:{BUTTONS}|默认|大|中|小|微信|微博|QQ空间)[\s【】\[\]()（）|｜:：/、·]*)+$"
)
"""A line of buttons only (``【打印本页】【关闭窗口】``, ``字号：大 中 小``, ``分享到：微信 微博``)."""
BRACKETED_BUTTON = re.compile(rf"[【\[][^】\]]*(?:{BUTTONS})[^】\]]*[】\]]")
"""A button in brackets, as it stands beside a publication date: ``【打印】``."""
NAVIGATION_LINE = re.compile(rf"^\s*(?:{NAVIGATION})")
"""A line that is a breadcrumb trail or a link to the previous or next article."""
TAIL_CHROME = re.compile(
    rf"【[^】]{{0,12}}】|\[[^\]]{{0,12}}\]|{_CREDIT}\s*[\u4e00-\u9fff]{{1,4}}"
    rf"|扫一扫在手机打开当前页|{BUTTONS}|\s+"
)
"""What follows a report's last sentence on its line when line breaks were lost: bracketed
buttons, an editor's credit, print and close links (``责任编辑：王某【打印本页】``)."""
CHROME_MARK = re.compile(
    rf"{PUBLISHED.pattern}|发布机构|发布单位|发布者|信息来源|文章来源|来源[:：]|浏览|点击|阅读次数"
    rf"|阅读量|访问量|访问次数|{BUTTONS}|首页|{NAVIGATION}|索引号|主题分类|体裁分类|发文机关"
    rf"|发文字号|有效性|责任编辑|{_CREDIT}|网站|网址|https?://|www\.|[>›»]|扫一扫|二维码|版权所有"
    r"|主办单位|承办单位|ICP|备案号|联系我们|无障碍|繁體|English|登录|注册|搜索|相关链接"
    r"|^(?:日期|时间)[:：]"
)
"""Words that only page furniture has: a line of at most 120 characters holding one is chrome
(site name, breadcrumb, 发布时间, font switch, editor's credit, copyright …)."""
HEAD_CUT = re.compile(
    r"(?<![>›»/])\s+(?![>›»/])"  # a blank between words, not inside a breadcrumb
    r"|(?=发布时间|发布日期|发布机构|发布单位|信息来源|文章来源|来源[:：]|浏览|点击|阅读次数|字号|【)"
    r"|(?<=】)"
    r"|(?<=报告|总结)(?![》」”）)的，,。；;]|如下)(?=\S)"  # a title's end, the body glued on
)
"""Where a flattened page's head is cut into lines: between words, before a field label or a
bracket, after a bracket, after a title's last word with the body glued on."""
TAIL_CUT = re.compile(r"\s+|(?=【)|(?<=】)|(?<![【\s])(?=打印|关闭|分享到|扫一扫)")
"""Where a flattened page's tail (after its last full stop) is cut: between words, around
brackets, before a print, close or share link."""
