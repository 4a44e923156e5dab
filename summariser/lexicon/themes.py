"""The theme table: which work area an item belongs to, by keywords, in a fixed order.

An item goes to the theme whose keywords it mentions most (title counted twice, since the title
names what the item is about); ties go to the theme listed first, so grouping never depends on
input order. Items that match nothing go to OTHER. Edit the table, not the code, to tune it.
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


def classify(title: str, text: str) -> str:
    """The theme of an item, from its title and its text (summary, cause, quote)."""
    best, best_score = OTHER, 0
    for name, keywords in THEMES:
        score = sum(2 * title.count(k) + text.count(k) for k in keywords)
        if score > best_score:
            best, best_score = name, score
    return best
