"""Naming statutory parts: the heading vocabulary, and when the rules are unsure of it.

The vocabulary (``part_names.yaml`` beside this module) lists the ways real reports name each
statutory part; a heading is classified by the parts whose patterns it matches. The rules are
*unsure* about a report when its top-level headings leave the reading open:

- a heading matches the words of two parts (``存在问题及下一步打算``, ``成效与不足``);
- a heading that names no part stands after a problems, plans or other part (the rules can only
  guess it continues that part);
- none of several top-level headings names a part (every heading is thematic, so where the
  achievements end is a guess).

A report whose headings each name one part, or whose thematic headings all come before the
first named part (the common ``一、实施……行动`` … ``六、存在的问题`` layout), is read by the rules
alone. Only when unsure is a :class:`Labeller` (the model, :mod:`summariser.pipeline.labelling`) asked,
once per report, to label the list of headings; its answer must give one of the five part keys
per heading and be borne out by the text (`label_refusal`: the vocabulary's own naming kept,
evidence in the words for every part but the achievements, the statutory order), else the
rules' reading stands and the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml

from summariser.schema import PART_KEYS


@dataclass(frozen=True)
class Vocabulary:
    """The part-naming patterns, compiled."""

    parts: dict[str, re.Pattern[str]]
    leadership_subsection: re.Pattern[str]
    closing_plans: re.Pattern[str]


def _compile(entries: list[dict[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e['pattern']})" for e in entries))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary in ``part_names.yaml``, loaded once."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("summariser.lexicon")
        .joinpath("part_names.yaml")
        .read_text(encoding="utf-8")
    )
    return Vocabulary(
        parts={key: _compile(raw[key]) for key in PART_KEYS},
        leadership_subsection=_compile(raw["leadership_subsection"]),
        closing_plans=_compile(raw["closing_plans"]),
    )


_PRIORITY = ("other", "leadership", "problems", "plans", "achievements")
"""Which part wins when a heading names several: the rarer, more specific part first."""


def named_parts(words: str, year: int | None = None) -> list[str]:
    """Every part a heading's words name, most specific first (empty for a thematic heading).

    A heading dated after the report's year (``2025年重点任务`` in a 2024 report) names plans.
    """
    vocab = vocabulary()
    found = [key for key in _PRIORITY if vocab.parts[key].search(words)]
    later = [int(y) for y in re.findall(r"(20\d{2})\s*年", words)]
    if year and later and max(later) > year and "plans" not in found:
        found.append("plans")
    return found


def classify(words: str, year: int | None = None) -> str | None:
    """The part a heading names by the rules, or None for a thematic heading."""
    found = named_parts(words, year)
    return found[0] if found else None


def unsure(headings: Sequence[str], year: int | None = None) -> bool:
    """Whether the rules' reading of these top-level headings is a guess (see module doc)."""
    named = [named_parts(h, year) for h in headings]
    if any(len(n) > 1 and not _leadership_with_achievements(n) for n in named):
        return True
    seen_later_part = False
    for n in named:
        if n and n[0] in ("problems", "plans", "other"):
            seen_later_part = True
        elif not n and seen_later_part:
            return True
    return len(headings) >= 2 and not any(named)


def _leadership_with_achievements(named: list[str]) -> bool:
    # The statute's leadership heading speaks of 履行…职责情况 and reports add 主要工作/成效
    # words to it; that pair is the leadership part, not two parts.
    return set(named) == {"leadership", "achievements"}


def is_leadership_subsection(words: str) -> bool:
    """Whether a sub-heading inside the achievements is the leadership part itself."""
    return vocabulary().leadership_subsection.search(words) is not None


def closing_plans(sentence: str) -> bool:
    """Whether a paragraph without a heading opens the plans (``下一步，我局将……``)."""
    return vocabulary().closing_plans.search(sentence) is not None


class Labeller(Protocol):
    """Labels a report's top-level headings with part keys; None when it cannot."""

    def label(self, headings: list[str]) -> list[str] | None: ...


_EVIDENCE = {
    "problems": re.compile("不足|问题|短板|差距|有待|薄弱|不够|不强|不高|欠缺|困难"),
    "plans": re.compile("下一步|计划|安排|打算|思路|将|今后|明年|下一年"),
    "leadership": re.compile("第一责任人|主要负责人|一把手|主要领导"),
    "other": re.compile("其他|其它"),
}
"""Words that show a heading's part, in the heading or its body's first sentence."""

_SHORT = {
    "achievements": "成效",
    "problems": "不足",
    "leadership": "主要负责人履职",
    "plans": "计划",
    "other": "其他",
}
"""Parts as a reason names them to the reader."""

_ORDER = {"achievements": 0, "leadership": 0, "problems": 1, "plans": 2, "other": 2}
"""The statutory order the parts come in: achievements (and the leadership duty, which reports
put first or third) before problems before plans and other."""


def label_refusal(
    labels: Sequence[str], headings: Sequence[str], openings: Sequence[str], year: int | None
) -> str | None:
    """Why a model's labels of the top-level headings cannot be trusted; None when they can.

    A model label is accepted only when the text bears it out:

    - a heading the vocabulary names as one part keeps that part (the rules found it by its
      words); one naming two parts takes one of them;
    - every label other than achievements has evidence in the heading or the first sentence of
      its body (``_EVIDENCE``: 不足/问题/短板/差距/有待 for problems; 下一步/将/计划/安排 or a
      later year for plans; 第一责任人/主要负责人 for leadership; 其他 for other);
    - the labels keep the statutory order: problems only after achievements, nothing goes back
      to achievements after problems, plans or other.

    Args:
        labels: The model's part key per heading (already `valid_labels`).
        headings: The headings' words.
        openings: The first sentence of each heading's body.
        year: The report's year (a heading or opening dated later speaks of plans).

    Returns:
        A short reason in Chinese, or None.
    """
    seen_achievements = False
    furthest = 0
    for label, heading, opening in zip(labels, headings, openings, strict=True):
        named = named_parts(heading, year)
        if (
            named
            and label not in named
            and not (label == "leadership" and _leadership_with_achievements(named))
        ):
            said = "或".join(_SHORT[k] for k in named)
            return f"“{heading}”按字面属于{said}，模型标为{_SHORT.get(label, label)}"
        evidence = _EVIDENCE.get(label)
        later = (
            label == "plans"
            and year is not None
            and any(int(y) > year for y in re.findall(r"(20\d{2})\s*年", heading + opening))
        )
        if evidence is not None and label not in named and not later:
            if not evidence.search(heading) and not evidence.search(opening):
                return f"“{heading}”的字面看不出属于{_SHORT.get(label, label)}"
        if label == "problems" and not seen_achievements:
            return f"“{heading}”标为问题，却在成效之前"
        if label == "achievements" and furthest > 0:
            return f"“{heading}”标为成效，却在问题、计划或其他之后"
        seen_achievements = seen_achievements or label in ("achievements", "leadership")
        furthest = max(furthest, _ORDER.get(label, 0))
    return None


def valid_labels(labels: Sequence[str], count: int) -> bool:
    """One of the five part keys per heading, and at least one achievements heading."""
    return (
        len(labels) == count
        and all(label in PART_KEYS for label in labels)
        and "achievements" in labels
    )
