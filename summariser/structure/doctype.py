"""Telling a 法治政府建设年度报告 from the documents users drop into the folder by mistake.

A work plan (``工作要点``, ``工作计划``, ``实施方案``), a responsibility list (``普法责任清单``), a
notice or letter (``关于做好……的通知``, ``……的函``) and a 政府工作报告 all have numbered
headings, and plans and notices name the statutory parts too, so the structure alone does not
tell them apart. Their titles do, and a 政府工作报告 is also addressed to ``各位代表``. A title
that calls itself a report or a summary (``报告``, ``总结``) is never refused by these words.
"""

from __future__ import annotations

import re

from summariser.structure.sections import Structure

_REPORTISH = re.compile(r"报告|总结")
_KINDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "gov_work_report",
        re.compile(r"政府工作报告"),
        "a 政府工作报告 (the government's report to the people's congress)",
    ),
    (
        "notice",
        re.compile(r"^关于.{2,60}?的(?:通知|函|意见|批复|通报)|(?:通知|的函)$"),
        "a notice or letter (通知/函)",
    ),
    ("list", re.compile(r"清单"), "a list of duties (责任清单)"),
    (
        "plan",
        re.compile(r"工作要点|工作计划|工作方案|实施方案|行动方案|规划"),
        "a plan for the year ahead (工作要点/工作计划)",
    ),
)
_ADDRESS = re.compile(r"各位代表[：:]")
TITLE_CHARS = 60
"""How much of the first line is read as the title when none was found (flattened text)."""


def _title(structure: Structure, source: str) -> str:
    title = structure.metadata.title
    if title:
        return title
    first = next((line.text for line in structure.layout.lines if line.kind != "chrome"), "")
    return first[:TITLE_CHARS]


def document_kind(structure: Structure, source: str) -> str | None:
    """What the document is instead of a report (a key of the kinds above), or None."""
    title = _title(structure, source)
    if "政府工作报告" in title or _ADDRESS.search(source[:600]):
        return "gov_work_report"
    for kind, pattern, _ in _KINDS[1:]:
        m = pattern.search(title)
        if m and (kind == "notice" or not _REPORTISH.search(title[: m.start()] + title[m.end() :])):
            return kind
    return None


def refusal(structure: Structure, source: str) -> str | None:
    """A one-line reason the text is not a 法治政府建设年度报告, or None when it reads as one.

    The reason says what the document looks like instead, so a user sees at once which file
    was dropped in by mistake.
    """
    kind = document_kind(structure, source)
    if kind is not None:
        words = next(w for k, _, w in _KINDS if k == kind)
        title = _title(structure, source)
        return f"looks like {words}, not a 法治政府建设年度报告 (title: {title})"
    if not is_report(structure, source):
        return "no statutory parts found; is this a 法治政府建设年度报告?"
    return None


def is_report(structure: Structure, source: str) -> bool:
    """Whether the text reads as a 法治政府建设 report rather than any numbered document.

    Numbered sections alone are not enough (a 通知 has them): at least one statutory part must
    be named by its heading words, or the opening must speak of 法治/依法 work.
    """
    if not structure.parts:
        return False
    named = any(part.heading for part in structure.parts.values())
    opening = source[:600]
    return named or "法治" in opening or "依法" in opening
