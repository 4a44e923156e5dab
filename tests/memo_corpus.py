# ruff: noqa: E501 - the templates are Chinese sentences, kept one per line
"""Synthetic, distinct report summaries for memo tests and benches, with what each one holds.

Every summary is built from a few sentence templates per work area, filled with varied issuers
(provinces, cities, counties; governments and departments), figures and wording, so that a run
folder of hundreds of distinct reports can be written without a model. Each `Synthetic` keeps
the themes its items were written for, so a test can count the reports per theme on its own
and compare with the memo, without asking the memo's classifier.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summariser.schema import (
    Completeness,
    Figure,
    Item,
    KeyFigure,
    Metadata,
    Overview,
    ReportSummary,
    RunInfo,
    SourceInfo,
)

PROVINCES = ["河北省", "山西省", "江西省", "湖南省", "四川省", "贵州省", "甘肃省", "福建省"]
CITIES = ["宜春市", "衡阳市", "绵阳市", "遵义市", "天水市", "泉州市", "邢台市", "长治市", "赣州市"]
COUNTIES = [
    "袁州区",
    "耒阳市",
    "江油市",
    "湄潭县",
    "秦安县",
    "晋江市",
    "临城县",
    "屯留区",
    "于都县",
    "祁东县",
    "平武县",
    "正安县",
]
DEPARTMENTS = [
    "司法局",
    "市场监督管理局",
    "生态环境局",
    "交通运输局",
    "应急管理局",
    "自然资源局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
]

# (theme, title, summary with {n}, unit, label): the theme is the work area the sentence is about.
ACHIEVEMENTS: list[tuple[str, str, str, str, str]] = [
    (
        "依法决策与法律顾问",
        "外聘法律顾问",
        "聘请常年法律顾问{n}名，出具法律意见书，参与重大合同谈判。",
        "名",
        "聘请常年法律顾问",
    ),
    (
        "依法决策与法律顾问",
        "重大行政决策程序",
        "将{n}项重大行政决策事项纳入目录管理，全部履行公众参与、专家论证程序。",
        "项",
        "重大行政决策事项",
    ),
    (
        "合法性审查与规范性文件",
        "规范性文件审核",
        "审核行政规范性文件{n}件，按时报送备案，备案审查无纠错。",
        "件",
        "审核行政规范性文件",
    ),
    (
        "合法性审查与规范性文件",
        "合法性审查",
        "对涉及群众切身利益的文件开展合法性审查{n}件次，提出修改意见。",
        "件次",
        "开展合法性审查",
    ),
    (
        "行政执法",
        "执法案卷评查",
        "组织行政执法案卷评查，抽查执法卷宗{n}卷，逐卷反馈问题并督促整改。",
        "卷",
        "抽查执法卷宗",
    ),
    (
        "行政执法",
        "执法人员培训",
        "举办行政执法人员专题培训{n}期，推行行政裁量权基准制度。",
        "期",
        "行政执法人员专题培训",
    ),
    (
        "行政复议与应诉",
        "行政复议办理",
        "办理行政复议案件{n}件，依法纠正违法或不当行政行为。",
        "件",
        "办理行政复议案件",
    ),
    (
        "行政复议与应诉",
        "负责人出庭应诉",
        "行政机关负责人出庭应诉{n}次，出庭应诉率保持较高水平。",
        "次",
        "负责人出庭应诉",
    ),
    (
        "普法",
        "法治宣传",
        "开展“八五”普法宣传活动{n}场，组织法治文化进社区、进企业。",
        "场",
        "普法宣传活动",
    ),
    (
        "普法",
        "法律明白人培养",
        "培养农村学法用法示范户和法律明白人{n}名，普法骨干覆盖各村。",
        "名",
        "培养法律明白人",
    ),
    (
        "法律援助",
        "法律援助",
        "办理法律援助案件{n}件，为受援群众挽回经济损失。",
        "件",
        "办理法律援助案件",
    ),
    (
        "人民调解与矛盾纠纷化解",
        "矛盾纠纷化解",
        "各级人民调解组织调解矛盾纠纷{n}起，坚持和发展新时代“枫桥经验”。",
        "起",
        "调解矛盾纠纷",
    ),
    (
        "社区矫正与安置帮教",
        "社区矫正",
        "在册社区矫正对象{n}人，落实分类管理，无脱管漏管。",
        "人",
        "在册社区矫正对象",
    ),
    (
        "公共法律服务",
        "公共法律服务",
        "建成村（社区）公共法律服务工作室{n}个，公证、律师服务进驻中心。",
        "个",
        "公共法律服务工作室",
    ),
    (
        "营商环境",
        "涉企服务",
        "为民营企业开展法治体检{n}次，清理妨碍公平竞争的做法。",
        "次",
        "开展法治体检",
    ),
]

PROBLEMS: list[tuple[str, str, str, str | None]] = [
    (
        "行政执法",
        "执法规范化不足",
        "基层执法人员法律素养参差不齐，执法文书制作不够规范。",
        "执法力量配备不足，培训覆盖不全",
    ),
    ("行政执法", "执法监督薄弱", "行政执法监督手段单一，事中事后监管有待加强。", None),
    (
        "依法决策与法律顾问",
        "法律顾问作用发挥不够",
        "部分单位法律顾问参与决策不深，作用发挥不充分。",
        "聘用机制不健全",
    ),
    (
        "合法性审查与规范性文件",
        "文件审核力量不足",
        "规范性文件合法性审核专业人员少，审核时间紧。",
        None,
    ),
    (
        "普法",
        "普法针对性不强",
        "普法宣传形式较为单一，针对性和实效性不强。",
        "普法队伍专业化程度不高",
    ),
    (
        "人民调解与矛盾纠纷化解",
        "调解队伍不稳定",
        "部分村级调解员年龄偏大，调解队伍稳定性不足。",
        "补贴标准偏低",
    ),
    ("公共法律服务", "法律服务资源不均", "律师等法律服务资源主要集中在城区，乡村供给不足。", None),
]

PLANS: list[tuple[str, str, str]] = [
    ("行政执法", "提升执法水平", "全面推行行政执法三项制度，开展执法人员轮训。"),
    ("普法", "深化普法", "落实“谁执法谁普法”责任制，推进法治文化阵地建设。"),
    ("依法决策与法律顾问", "规范依法决策", "严格执行重大行政决策程序，发挥法律顾问作用。"),
    ("合法性审查与规范性文件", "加强文件管理", "加强规范性文件备案审查，开展专项清理。"),
    ("人民调解与矛盾纠纷化解", "化解矛盾纠纷", "健全矛盾纠纷多元化解机制，加强调解员队伍建设。"),
]

LEADERSHIP = (
    "组织领导与学法述法",
    "主要负责人履职",
    "主要负责人履行推进法治建设第一责任人职责，召开党组会议专题研究法治工作{n}次。",
    "次",
)


@dataclass
class Synthetic:
    """One synthetic report: its file stem, its summary, and what its items were written for."""

    stem: str
    summary: ReportSummary
    themes: dict[str, set[str]] = field(default_factory=dict)
    """section (achievements, problems, plans) → the themes its items were written about."""
    bad_figures: list[str] = field(default_factory=list)
    """figure texts written with a failing status (the memo must leave them out)."""


def _issuers() -> list[tuple[str, str, str]]:
    """Every (issuer, level, kind) the corpus uses, levels interleaved."""
    by_level = []
    for level, places in (("省级", PROVINCES), ("市级", CITIES), ("县级", COUNTIES)):
        by_level.append(
            [
                (f"{place}{suffix}", level, "政府" if suffix == "人民政府" else "部门")
                for suffix in ["人民政府", *DEPARTMENTS]
                for place in places
            ]
        )
    out = []
    for i in range(max(len(x) for x in by_level)):
        out += [x[i] for x in by_level if i < len(x)]
    return out


ISSUERS = _issuers()


def _issuer(i: int) -> tuple[str, str, str]:
    """(issuer, level, kind): distinct for the first len(ISSUERS) reports, then again with
    other years."""
    return ISSUERS[i % len(ISSUERS)]


def _figure_entry(text: str, path: str, string: str, status: str) -> dict[str, Any]:
    start = string.index(text)
    return {
        "text": text,
        "start": start,
        "end": start + len(text),
        "status": status,
        "origin": "written",
        "source_spans": [[0, len(text)]] if status == "verified" else [],
        "path": path,
    }


def synthetic_report(i: int) -> Synthetic:
    """The i-th synthetic report summary (deterministic)."""
    rng = random.Random(i)
    issuer, level, kind = _issuer(i)
    year = 2021 + (i // len(ISSUERS) + i % len(ISSUERS)) % 4
    numbers: list[dict[str, Any]] = []
    themes: dict[str, set[str]] = {"achievements": set(), "problems": set(), "plans": set()}
    bad: list[str] = []
    parts: dict[str, list[Item]] = {}
    key_figures: list[KeyFigure] = []

    def item(part: str, title: str, summary: str, cause: str | None = None) -> Item:
        return Item(
            title=title,
            summary=summary,
            cause=cause,
            quote=summary.rstrip("。"),
            quote_span=(0, len(summary)),
            source_span=(0, len(summary)),
        )

    achievements = rng.sample(ACHIEVEMENTS, rng.randint(3, 6))
    for theme, title, template, unit, label in achievements:
        n = rng.choice([3, 5, 8, 12, 26, 45, 120, 368, 1250])
        text = f"{n}{unit}"
        summary = template.format(n=n)
        idx = len(parts.setdefault("achievements", []))
        path = f"/parts/achievements/{idx}/summary"
        status = "verified" if rng.random() > 0.12 else "not_found"
        numbers.append(_figure_entry(text, path, summary, status))
        if status != "verified":
            bad.append(text)
        themes["achievements"].add(theme)
        parts["achievements"].append(item("achievements", title, summary))
        if status == "verified" and len(key_figures) < 3:
            key_figures.append(
                KeyFigure(
                    part="achievements",
                    figure=Figure(
                        text=text,
                        value=float(n),
                        unit=unit,
                        qualifier=None,
                        span=(0, len(text)),
                        context=summary,
                    ),
                    quote=summary.rstrip("。"),
                    label=label,
                    reason="数量",
                )
            )
    has_leadership = rng.random() > 0.2
    if has_leadership:
        theme, title, template, unit = LEADERSHIP
        n = rng.randint(2, 12)
        summary = template.format(n=n)
        numbers.append(
            _figure_entry(f"{n}{unit}", "/parts/leadership/0/summary", summary, "verified")
        )
        parts["leadership"] = [item("leadership", title, summary)]
        themes["achievements"].add(theme)
    has_problems = rng.random() > 0.15
    if has_problems:
        for theme, title, summary, cause in rng.sample(PROBLEMS, rng.randint(1, 3)):
            parts.setdefault("problems", []).append(item("problems", title, summary, cause))
            themes["problems"].add(theme)
    has_plans = rng.random() > 0.1
    if has_plans:
        for theme, title, summary in rng.sample(PLANS, rng.randint(1, 3)):
            parts.setdefault("plans", []).append(item("plans", title, summary))
            themes["plans"].add(theme)
    present = {
        k: bool(parts.get(k)) for k in ("achievements", "problems", "leadership", "plans", "other")
    }
    missing = [k for k in ("achievements", "problems", "leadership", "plans") if not present[k]]
    overview_parts = {
        k: f"{issuer}{'、'.join(it.title for it in parts[k][:2])}等方面有所记述。"
        for k in ("achievements", "problems", "plans")
        if parts.get(k)
    }
    summary = ReportSummary(
        source=SourceInfo(
            name=f"report-{i:05d}.txt",
            sha256=hashlib.sha256(issuer.encode()).hexdigest(),
            format="txt",
            encoding="utf-8",
            chars=8000 + i,
        ),
        metadata=Metadata(
            title=f"{issuer}关于{year}年度法治政府建设情况的报告",
            issuer=issuer,
            level=level,
            issuer_kind=kind,
            year=year,
            published=None,
        ),
        completeness=Completeness(parts=present, missing=missing, truncated=rng.random() < 0.05),
        parts=parts,
        key_figures=key_figures,
        overview=Overview(text="".join(overview_parts.values()), parts=overview_parts, by="rules"),
        verification={"numbers": numbers},
        flags=[],
        run=RunInfo(engine="rules"),
    )
    return Synthetic(f"report-{i:05d}", summary, themes, bad)


def write_corpus(run_dir: Path, n: int, start: int = 0) -> list[Synthetic]:
    """Write n synthetic run JSON into run_dir; returns what each one holds."""
    run_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        s = synthetic_report(i)
        (run_dir / f"{s.stem}.json").write_text(
            s.summary.model_dump_json(indent=1), encoding="utf-8"
        )
        out.append(s)
    return out
