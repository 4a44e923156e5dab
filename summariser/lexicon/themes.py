"""The theme table: which work area an item belongs to, by keywords, in a fixed order.

An item goes to the theme its title names most (the title says what the item is about), the
text deciding between equals or when the title names none; each stretch of text counts once,
for its longest keyword; ties go to the theme listed first, so grouping never depends on input
order. Items that match nothing go to OTHER. Edit the table, not the code, to tune it.
"""

from __future__ import annotations

OTHER = "其他工作"

THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "组织领导与学法述法",
        (
            "习近平法治思想",
            "第一责任人",
            "述法",
            "学法",
            "党组",
            "理论学习",
            "中心组",
            "领导干部",
            "组织领导",
            "二十大",
            "考法",
        ),
    ),
    ("法治督察与示范创建", ("督察", "示范创建", "示范市", "考核", "考评", "法治建设品牌")),
    (
        "依法决策与法律顾问",
        (
            "重大行政决策",
            "决策",
            "法律顾问",
            "法律专家",
            "法律意见",
            "政府合同",
        ),
    ),
    (
        "合法性审查与规范性文件",
        (
            "合法性审查",
            "合法性审核",
            "规范性文件",
            "备案",
            "报备",
            "清理",
            "公平竞争",
            "发文",
        ),
    ),
    (
        "行政执法",
        (
            "行政执法",
            "执法",
            "案卷",
            "卷宗",
            "执法人员",
            "三项制度",
            "裁量",
            "柔性执法",
            "涉企检查",
            "执法监督",
            "执法资格",
        ),
    ),
    ("行政复议与应诉", ("行政复议", "复议", "应诉", "出庭", "行政诉讼", "纠错")),
    ("普法", ("普法", "法治宣传", "宣传", "法律明白人", "法治文化", "微视频", "讲座", "法律九进")),
    ("法律援助", ("法律援助", "法援", "援助案件", "受援")),
    (
        "人民调解与矛盾纠纷化解",
        (
            "人民调解",
            "调解",
            "矛盾纠纷",
            "纠纷",
            "枫桥",
            "调委会",
            "调解员",
            "排查",
        ),
    ),
    ("社区矫正与安置帮教", ("社区矫正", "矫正", "安置帮教", "刑满释放", "脱管", "戒毒")),
    ("公共法律服务", ("公共法律服务", "公证", "仲裁", "律师", "法律服务", "司法所", "先锋岗")),
    ("营商环境", ("营商环境", "企业", "涉企", "法治体检", "白名单", "助企", "民营")),
)
"""(theme, keywords), in the order themes are presented."""

THEME_NAMES: tuple[str, ...] = tuple(name for name, _ in THEMES) + (OTHER,)


def _hits(text: str) -> dict[str, int]:
    """Keyword hits per theme, each stretch of text counted once, for its longest keyword.

    Counting every keyword that occurs would count 行政执法人员 three times (行政执法, 执法,
    执法人员) against one 法律顾问 beside it: a theme with many overlapping keywords would win
    by the shape of its word list, not by what the text says.
    """
    hits: dict[str, int] = {}
    i = 0
    while i < len(text):
        length, theme = 0, ""
        for keyword, owner in _KEYWORDS.get(text[i], ()):
            if len(keyword) > length and text.startswith(keyword, i):
                length, theme = len(keyword), owner
        if length:
            hits[theme] = hits.get(theme, 0) + 1
            i += length
        else:
            i += 1
    return hits


def _keyword_index() -> dict[str, tuple[tuple[str, str], ...]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for name, keywords in THEMES:
        for k in keywords:
            index.setdefault(k[0], []).append((k, name))
    return {c: tuple(v) for c, v in index.items()}


_KEYWORDS = _keyword_index()


def classify(title: str, text: str) -> str:
    """The theme of an item, from its title and its text (summary, cause, quote).

    The title names what the item is about, so a theme its title names wins; the text decides
    between the themes the title names equally, or alone when the title names none. Ties go to
    the theme listed first.
    """
    in_title, in_text = _hits(title), _hits(text)
    best, best_score = OTHER, (0, 0)
    for name, _ in THEMES:
        score = (in_title.get(name, 0), in_text.get(name, 0))
        if score > best_score:
            best, best_score = name, score
    return best
