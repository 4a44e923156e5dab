"""The output template: pydantic models whose descriptions are written for readers and models.

Two families live here:
- the *report summary* that `summariser run` writes (one JSON file per report), and
- the small *drafts*: an item's words before grounding (title and cause by rules, summary by
  the model or the rules engine), and what the model fills: one segment's summary, heading
  labels, a memo paragraph (quotes and figures are located in the source by code, never
  generated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

PART_KEYS: tuple[str, ...] = ("achievements", "problems", "leadership", "plans", "other")
"""The five statutory parts, in the order the rules list them."""

PART_NAMES: dict[str, str] = {
    "achievements": "上一年度主要举措和成效",
    "problems": "存在的不足和原因",
    "leadership": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "下一年度主要安排",
    "other": "其他需要报告的情况",
}

SHORT_PART_NAMES: dict[str, str] = {
    "achievements": "成效",
    "problems": "不足",
    "leadership": "履职",
    "plans": "安排",
    "other": "其他",
}
"""Two-character column heads for the overview table; the memo's OVERVIEW_NOTE spells them out."""

MACHINE_FIELDS: frozenset[str] = frozenset({"source", "run", "verification", "schema_version"})
"""Top-level fields written by the machine (hashes, counters): never checked as prose."""
OVERVIEW_TEXT = "/overview/text"
"""The overview's paragraph is its part lines joined: checking it would count each figure twice."""
FLAG_FIELD = "flags"
"""Flags restate failed figures in the machine's words; checking them would count each twice."""
INDICATOR_FIELD = "indicators"
"""The standard indicators restate figures the items already carry, each checked at its own span
when it is found (``IndicatorValue.status``); checking them again would count each twice."""
REASON_FIELD = "reason"
"""A key figure's reason names the rule that chose it: the machine's words, neither copied from
the source nor written about it, so never checked."""

Span = tuple[int, int]
Status = Literal[
    "verified", "qualifier_changed", "unit_mismatch", "context_mismatch", "derived", "not_found"
]
STATUSES: tuple[str, ...] = (
    "verified",
    "qualifier_changed",
    "unit_mismatch",
    "context_mismatch",
    "derived",
    "not_found",
)
"""Every status a figure's check can end in, best first."""
OK_STATUSES = frozenset({"verified", "derived"})
"""The statuses that count as checked: found in the source, or derived from figures that are."""

STATUS_NAMES: dict[str, str] = {
    "verified": "核实",
    "derived": "推算",
    "qualifier_changed": "修饰语不符",
    "unit_mismatch": "单位不符",
    "context_mismatch": "语境不符",
    "not_found": "原文未见",
}
"""What a reader sees for each check status (JSON and CSV keep the English keys). Any status
outside OK_STATUSES is 存疑 (FLAGGED_NAME) where only good and bad are told apart."""
FLAGGED_NAME = "存疑"
ENGINE_NAMES: dict[str, str] = {"llm": "模型", "rules": "规则", "golden": "人工"}
"""Who wrote a summary, in the reader's words (the JSON's run.engine keeps the key)."""
OUTCOME_NAMES: dict[str, str] = {
    "ok": "完成",
    "fallback": "改用规则",
    "skipped": "跳过",
    "failed": "失败",
    "pending": "未完成",
}
"""A batch report's status (index.csv keeps the key) as the index page and the final table say it."""


IssuerStatus = Literal["named", "partial", "missing"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metadata(_Strict):
    """报告的基本信息，全部取自原文（标题、开头、落款），不靠模型。"""

    title: str | None = Field(None, description="报告标题原文；没有标题时为空")
    issuer: str | None = Field(None, description="报告主体（发布机关）全称，如“湖滨区司法局”")
    level: str | None = Field(None, description="主体层级：省级、市级或县级")
    issuer_kind: str | None = Field(None, description="主体类型：政府（含党委政府联合）或部门")
    issuer_status: IssuerStatus | None = Field(
        None,
        description="主体名称是否完整：named（写明地名）、partial（只有“区司法局”“本局”这类简称）"
        "、missing（原文未写明主体）",
    )
    year: int | None = Field(None, description="报告所总结的年度（不是发布年份）")
    published: str | None = Field(None, description="发布或落款日期，YYYY-MM-DD；原文没有则为空")


class Completeness(_Strict):
    """法定五部分在原文中是否出现，以及原文是否被截断。"""

    parts: dict[str, bool] = Field(description="每个法定部分是否在原文中出现")
    missing: list[str] = Field(description="原文缺少的法定部分")
    truncated: bool = Field(description="原文是否在结尾处被截断")
    found_by: dict[str, Literal["rule", "model"]] = Field(
        default_factory=dict,
        description="每个找到的法定部分是怎样认定的：rule 按标题用语规则，model 规则拿不准时由模型给标题归类",
    )


class Figure(_Strict):
    """原文中的一个数字，连同单位、修饰语和它在原文中的位置。"""

    text: str = Field(description="数字在原文中的写法，如“3万余份”")
    value: float | None = Field(description="换算后的数值，如 30000")
    unit: str | None = Field(description="单位，如“份”“元”“%”“个百分点”")
    qualifier: str | None = Field(
        description="修饰语类别：above（余/多/超过）、below（近/不足）、about（约/左右）"
    )
    span: Span = Field(description="在原文中的字符位置 [start, end)")
    context: str = Field(description="数字所在的原文短句")


class Item(_Strict):
    """一条举措、成效、问题或安排。"""

    title: str = Field(description="不超过15个字的小标题")
    summary: str = Field(
        description="一句话中文概括，数字必须与原文完全一致（含“余”“近”等修饰语和单位）"
    )
    cause: str | None = Field(None, description="仅用于“不足”部分：原文所述原因；原文未说明则为空")
    quote: str = Field(description="原文中的一句原话，作为依据")
    quote_span: Span | None = Field(description="依据原话在原文中的位置；找不到时为空")
    source_span: Span = Field(description="这一条在原文中对应的段落位置")
    figures: list[Figure] = Field(default_factory=list, description="这一条原文中的数字")
    flags: list[str] = Field(default_factory=list, description="未通过核对的内容说明")


class KeyFigure(_Strict):
    """值得引用的关键数字，附原文原话。"""

    part: str = Field(description="所在法定部分")
    figure: Figure
    quote: str = Field(description="包含该数字的原文原话")
    label: str = Field("", description="这个数字计的是什么，照录原文紧邻的词语，如“调解矛盾纠纷”")
    reason: str = Field("", description="选为关键数字的依据（程序的选择规则），如“金额”“比率”")


class IndicatorValue(_Strict):
    """报告中一项标准指标（如“行政复议案件数”）的一个数值：由代码在原文中找到并核对。"""

    name: str = Field(description="标准指标名称，取自指标表（如“行政机关负责人出庭应诉率”）")
    text: str = Field(description="数字在原文中的写法，含余、近、超过和单位，如“215件”")
    value: float = Field(description="换算后的数值，如“3.2万件”为 32000")
    unit: str | None = Field(description="单位，如“件”“%”“人次”")
    span: Span = Field(description="在原文中的字符位置 [start, end)")
    clause: str = Field(description="数字所在的原文分句：它计的是什么，照录原文")
    basis: str | None = Field(
        None, description="口径，如“受理”“办结”“废止”；原文未说明或指标只有一种口径时为空"
    )
    used: bool = Field(
        True, description="跨报告比较是否采用这一数值：同一指标有多个数值时只采用一个"
    )
    reason: str = Field("", description="采用或不采用这一数值的理由")
    status: Literal["verified", "flagged"] = Field(
        description="核对结果：verified 原文此处正是这个数字、单位合乎指标；flagged 未通过"
    )
    by: Literal["rule", "model"] = Field(
        "rule",
        description="谁认定它属于这项指标：rule 规则确定；model 分句可归多项指标时由模型在候选中选定",
    )


class PartRun(_Strict):
    """One model exchange (a part or a slice of it), for cost accounting."""

    part: str
    attempts: int
    reasks: int = 0
    tokens_in: int
    tokens_out: int
    seconds: float
    failed: list[str] = Field(default_factory=list)


class RunInfo(_Strict):
    """How this summary was made, so a result can be traced and its cost read."""

    engine: Literal["llm", "rules", "golden"]
    engine_note: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    prompt_sha256: str | None = None
    attempts: int = 0
    reasks: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    parts: list[PartRun] = Field(default_factory=list)


class SourceInfo(_Strict):
    """The input file as read."""

    name: str
    sha256: str
    format: str
    encoding: str | None
    chars: int


class Overview(_Strict):
    """报告总体情况：每个法定部分一句话，合起来是全文概要。"""

    text: str = Field(description="总体情况：各部分的一句话按部分顺序连成的一段")
    parts: dict[str, str] = Field(
        description="每个有条目的法定部分一句话概括（键同 parts）；模型所写时数字经过核对"
    )
    by: Literal["model", "rules"] = Field(
        description="model：至少一句由模型据各条摘要所写；rules：全部取自原文小标题"
    )
    written: list[str] = Field(
        default_factory=list, description="由模型所写（数字经过核对）的部分；其余取自原文小标题"
    )
    flags: list[str] = Field(default_factory=list, description="未通过核对的内容说明")


class ReportSummary(_Strict):
    """一份法治政府建设年度报告的标准化摘要。"""

    schema_version: Literal["1"] = "1"
    source: SourceInfo
    metadata: Metadata
    completeness: Completeness
    parts: dict[str, list[Item]] = Field(
        description="五个法定部分：achievements 举措和成效、problems 不足和原因、leadership 第一责任人履职、plans 下一年度安排、other 其他"
    )
    key_figures: list[KeyFigure] = Field(default_factory=list)
    indicators: list[IndicatorValue] = Field(
        default_factory=list,
        description="标准指标：原文写明的本年度、本主体的数值，每个数值一条（下一年目标、历年累计、其他主体的数字如区县报告中的全市数字不计）",
    )
    overview: Overview | None = Field(None, description="报告总体情况和每部分一句话")
    verification: dict[str, Any] = Field(
        description=(
            "对摘要中全部数字的核对结果（与 summariser verify --json 相同）：numbers 每个数字的"
            "状态，其 origin 为 written（为摘要所写的文字中的数字，模型或人所写）或 copied（代码"
            "从原文照录的原话、数字语境，照录即通过，不反映写作质量）；counts 全部数字按状态"
            "计数；by_origin 分别给出 written 与 copied 的 checked（核对）、verified（核实）、"
            "derived（推算：摘要写明合计、增减或比率且运算数在本条原文中）、flagged（存疑）个数"
        )
    )
    flags: list[str] = Field(default_factory=list, description="需要读者注意的问题")
    run: RunInfo


# --- the drafts: an item's words, and what the model fills, one request at a time ---------


class ItemDraft(_Strict):
    """One item's words before grounding: title and cause by rules, summary by the model or
    the rules engine."""

    n: int
    title: str
    summary: str
    cause: str | None = None


def _checked(draft: _Strict, info: ValidationInfo) -> None:
    """The source checks of a draft, passed in through the validation context, so this module
    needs no grounding code; without a context (a kept last answer) only the shape is checked."""
    check: Callable[[Any], list[str]] | None = (info.context or {}).get("check")
    if check is not None:
        problems = check(draft)
        if problems:
            raise ValueError("；".join(problems))


class SummaryDraft(_Strict):
    """原文段落的一句话概括。"""

    summary: str = Field(
        description="一句话概括，不超过45字，写出主要做法和表示成果的主要数字；数字照抄原文写法，保留“余”“近”“超过”等字和单位"
    )

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> SummaryDraft:
        _checked(self, info)
        return self


class TitledDraft(_Strict):
    """原文段落的小标题和一句话概括。"""

    # The model is shown the same schema name as for a summary alone: one answer, one name.
    model_config = ConfigDict(extra="forbid", title="SummaryDraft")

    title: str = Field(
        "",
        description="这一段的小标题，4到16个字，点明这一段讲的工作（如“行政复议”“法律明白人培养”）；只用原文中的词语，不含数字",
    )
    summary: str = Field(
        description="一句话概括，不超过45字，写出主要做法和表示成果的主要数字；数字照抄原文写法，保留“余”“近”“超过”等字和单位"
    )

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> TitledDraft:
        _checked(self, info)
        return self


class PartLabels(_Strict):
    """报告各个一级标题分别属于哪个法定部分。"""

    labels: list[Literal["achievements", "problems", "leadership", "plans", "other"]] = Field(
        description="按标题顺序，每个标题一个部分名：achievements 举措和成效（含专题工作标题）、problems 不足和原因、leadership 主要负责人履行第一责任人职责、plans 下一年度安排、other 其他情况"
    )

    @model_validator(mode="after")
    def _one_per_heading(self, info: ValidationInfo) -> PartLabels:
        count: int | None = (info.context or {}).get("count")
        if count is not None and len(self.labels) != count:
            raise ValueError(
                f"共有{count}个标题，必须给出{count}个部分名，现在给了{len(self.labels)}个"
            )
        return self


class IndicatorChoice(_Strict):
    """一个分句中的数字计的是哪一项标准指标：只能在给出的候选指标中选。"""

    name: str = Field(description="候选指标名之一，照抄；数字是几项的合计或都不是时为空字符串")

    @model_validator(mode="after")
    def _one_of_the_candidates(self, info: ValidationInfo) -> IndicatorChoice:
        candidates: list[str] | None = (info.context or {}).get("candidates")
        if candidates is not None and self.name and self.name not in candidates:
            raise ValueError(f"指标名必须是候选之一：{'、'.join(candidates)}；都不是时给空字符串")
        return self


class SynthesisDraft(_Strict):
    """多份报告的综合分析段落。"""

    paragraph: str = Field(description="不超过150字的一段综合分析；数字只能照抄给出内容中的写法")


COPIED_SUMMARY_NOTE = "摘要取自原文"
"""Part of the item flag that says its summary is the report's own words (the model's answer
was unusable or missing): such a summary is copied, not written."""
FALLBACK_NOTE = f"模型回答不可用，{COPIED_SUMMARY_NOTE}"
"""An item whose model answer was unusable: a warning."""
SHORT_NOTE = f"原文简短，{COPIED_SUMMARY_NOTE}"
"""An item short enough to be its own summary: a note for the reader, not a warning."""


def written_paths(data: Any) -> set[str]:
    """JSON pointers of a summary's written words: each item's summary, unless the rules
    engine made it or the item says it was taken from the source (`COPIED_SUMMARY_NOTE`).
    Titles, causes, quotes and figure contexts are the report's own words."""
    if not isinstance(data, dict):
        return set()
    run = data.get("run")
    if isinstance(run, dict) and run.get("engine") == "rules":
        return set()
    parts = data.get("parts")
    out: set[str] = set()
    if not isinstance(parts, dict):
        return out
    for key, items in parts.items():
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            flags = item.get("flags", []) if isinstance(item, dict) else []
            if not any(COPIED_SUMMARY_NOTE in str(f) for f in flags or []):
                out.add(f"/parts/{key}/{i}/summary")
    overview = data.get("overview")
    if isinstance(overview, dict) and isinstance(overview.get("written"), list):
        out.update(f"/overview/parts/{key}" for key in overview["written"])
    return out


def item_scope(data: Any, pointer: str, source_len: int) -> tuple[int, int] | None:
    """For strings inside ``/parts/<part>/<i>/…``, the item's ``source_span``: the passage of
    the source they are about."""
    bits = pointer.split("/")
    if len(bits) == 4 and bits[1] == "overview" and bits[2] == "parts":
        return part_scope(data, bits[3], source_len)
    if len(bits) < 4 or bits[1] != "parts" or not isinstance(data, dict):
        return None
    try:
        span = data["parts"][bits[2]][int(bits[3])]["source_span"]
        start, end = int(span[0]), int(span[1])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if 0 <= start < end <= source_len:
        return (start, end)
    return None


def part_scope(data: Any, part: str, source_len: int) -> tuple[int, int] | None:
    """The passage a part's items cover, from its first item's start to its last item's end."""
    try:
        spans = [(int(i["source_span"][0]), int(i["source_span"][1])) for i in data["parts"][part]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return (start, end) if 0 <= start < end <= source_len else None


def checkable_strings(obj: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON pointer, text) for every string of a summary, skipping the machine-written fields."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if (not path and key in (*MACHINE_FIELDS, INDICATOR_FIELD)) or key in (
                FLAG_FIELD,
                REASON_FIELD,
            ):
                continue
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            if f"{path}/{escaped}" == OVERVIEW_TEXT:
                continue
            yield from checkable_strings(value, f"{path}/{escaped}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from checkable_strings(value, f"{path}/{i}")
    elif isinstance(obj, str):
        yield path, obj
