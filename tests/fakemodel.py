"""Pipeline-aware answers for the loopback fake server, and small reports to feed the pipeline.

The pipeline's last user message (before any re-ask) carries the report's text: either one
segment after ``段落：`` or numbered segments ``【1】…【k】``. The answer's shape follows the
response schema the request shows in its system message: ``{"summary": ...}`` for one segment,
``{"summaries": [...]}`` or ``{"items": [...]}`` for numbered ones. The default summary carries
no figure, so the number checks always pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakeserver import Reply, completion

SEGMENT = re.compile(r"【(\d+)】")
ONE_SEGMENT = re.compile(r"^段落：(.*)$", re.S | re.M)
SUMMARY = "推进相关工作，取得积极成效。"
TITLE = "推进相关工作"


def segments(request: dict[str, Any]) -> dict[int, str]:
    """The segments of the request's last user message that has any: n -> text."""
    for message in reversed(request.get("messages", [])):
        content = message.get("content")
        if message.get("role") != "user" or not isinstance(content, str):
            continue
        marks = list(SEGMENT.finditer(content))
        if marks:
            texts = {}
            for mark, following in zip(marks, [*marks[1:], None], strict=True):
                end = following.start() if following else len(content)
                texts[int(mark.group(1))] = content[mark.end() : end].strip()
            return texts
        one = ONE_SEGMENT.search(content)
        if one:
            return {1: one.group(1).strip()}
    return {}


def request_text(request: dict[str, Any]) -> str:
    """All the segment text of a request, to decide a scripted fault by a marker in it."""
    return "\n".join(segments(request).values())


def _schema(request: dict[str, Any]) -> str:
    """Which answer shape the system message's schema asks for: summary, summaries or items."""
    system = next(
        (m.get("content") or "" for m in request.get("messages", []) if m.get("role") == "system"),
        "",
    )
    if '"summaries"' in system:
        return "summaries"
    return "items" if '"items"' in system else "summary"


def answer_json(request: dict[str, Any], summary: str = SUMMARY, count: int | None = None) -> str:
    """A valid answer: one figure-free summary per segment (``count`` to get the number wrong)."""
    k = len(segments(request)) if count is None else count
    shape = _schema(request)
    if shape == "summary":
        return json.dumps({"summary": summary if k else ""}, ensure_ascii=False)
    if shape == "summaries":
        return json.dumps({"summaries": [summary] * k}, ensure_ascii=False)
    items = [{"n": n, "title": TITLE, "summary": summary, "cause": None} for n in range(1, k + 1)]
    return json.dumps({"items": items}, ensure_ascii=False)


def answer(request: dict[str, Any], delay: float = 0.0) -> Reply:
    """The well-behaved model."""
    return Reply(body=completion(answer_json(request)), delay=delay)


def answering(delay: float = 0.0) -> Callable[[dict[str, Any]], Reply]:
    """A default for FakeServer: the well-behaved model, answering after ``delay`` seconds."""
    return lambda request: answer(request, delay)


MINI = """{issuer}{year}年法治政府建设年度报告

{year}年，{issuer}扎实推进法治政府建设。现将有关情况报告如下：
一、主要举措和成效
（一）推进依法行政。{body}

{issuer}
{next_year}年1月10日
"""


MINI_BODY = "全年组织执法人员培训，提升依法行政水平。"
LONG_ENOUGH = (
    "建立行政执法案卷评查制度，推行执法全过程记录，完善行政执法公示制度，"
    "加强执法监督检查，规范行政裁量权的行使，落实行政执法责任制。"
)
"""Added to every mini report's segment, so that its body is longer than ``SHORT_BODY`` and the
model is asked (a shorter body is its own summary)."""


def mini_report(issuer: str, body: str = MINI_BODY, year: int = 2024) -> str:
    """A minimal report: one part with one segment, so the pipeline makes exactly one request."""
    return MINI.format(issuer=issuer, year=year, next_year=year + 1, body=body + LONG_ENOUGH)


def write_minis(folder: Path, count: int, prefix: str = "r") -> list[Path]:
    """``count`` distinct minimal reports (different issuers, so different hashes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}{i:04d}.txt"
        path.write_text(mini_report(f"第{i + 1}区司法局"), encoding="utf-8")
        paths.append(path)
    return paths
