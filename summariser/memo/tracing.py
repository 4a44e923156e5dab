"""A synthesis sentence traced to the items it draws on, in the same statutory part.

The model writing the memo's synthesis reads each report's overview, part by part. A sentence
it writes may keep every figure right and still say what no report said: a report's problem
(村(社区)调解员工作积极性不高) turned into an achievement (提高了调解员的工作积极性), a plan
presented as done. So every clause of a synthesis sentence is matched, by the rarer two-character
words it shares, against what each report said in each part; the part that supports it best must
be the part the clause speaks in (a problem, a plan, or else an achievement), and the sentence
must draw on at least one of them. Otherwise it is left out, with the reason in words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summariser.lexicon.sentences import CLAUSE_MARKS

STANCES: dict[str, tuple[str, ...]] = {
    "achievements": ("achievements", "leadership", "other"),
    "problems": ("problems",),
    "plans": ("plans",),
}
"""What a clause can speak of, and the statutory parts that may support it."""

STANCE_NAMES = {"achievements": "成效", "problems": "不足", "plans": "下一步安排"}

_PROBLEM = re.compile(
    r"不足|问题|短板|差距|有待|仍需|仍然|尚未|尚不|不高|不严|不精|不够|不强|不深|不到位|"
    r"不平衡|不匹配|不充分|不顺畅|不规范|不健全|薄弱|欠缺|滞后|困难|参差"
)
"""Words a clause uses to state a problem (a shortcoming, a gap, something still lacking)."""

_PLAN = re.compile(
    r"下一步|下一年|今后|明年|计划|拟|将(?=[要继持进加深着全强推进])|应(?=[当该加进继持强着深全])"
)
"""Words a clause uses to state what is to be done."""

_HAN = re.compile(r"[\u4e00-\u9fff]+")

MIN_SUPPORT = 3.0
"""A clause draws on an item when the words they share weigh at least this much: about two
words found in a few of the items, rather than in all of them (法治, 政府, 建设)."""

MIN_COVERAGE = 0.3
"""... and when they are this share of the clause's own words by weight: a clause of words no
report used (取得了显著成效, 共同促进了) draws on nothing, whatever two words it shares."""


@dataclass(frozen=True)
class Untraced:
    """A synthesis sentence left out, and why, in words for the reader."""

    sentence: str
    reason: str


def _words(text: str) -> set[str]:
    """The two-character words of a text (every adjacent pair of Chinese characters)."""
    out: set[str] = set()
    for run in _HAN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _stance(text: str) -> str | None:
    if _PROBLEM.search(text):
        return "problems"
    if _PLAN.search(text):
        return "plans"
    return None


def _group(part: str) -> str:
    return next((s for s, parts in STANCES.items() if part in parts), "achievements")


class Tracer:
    """What the synthesis was given, by report and part, ready to trace sentences to."""

    def __init__(self, items: Sequence[tuple[str, str, str]]) -> None:
        docs: dict[tuple[str, str], set[str]] = {}
        for report, part, text in items:
            docs.setdefault((report, _group(part)), set()).update(_words(text))
        self._docs = docs
        df: Counter[str] = Counter()
        for words in docs.values():
            df.update(words)
        n = max(len(docs), 1)
        # A word found in every item says nothing about which one a clause draws on; a word
        # found in none weighs as much as the rarest.
        self._weight = {w: math.log(n / c) for w, c in df.items()}
        self._unseen = math.log(n) if n > 1 else 1.0
        self._names = {report: report.split("·")[0] for report, _ in docs}

    def trace(self, sentence: str) -> tuple[tuple[str, ...], Untraced | None]:
        """The reports a sentence draws on, or why it must be left out."""
        named = {r for r, name in self._names.items() if name and name in sentence}
        docs = {k: v for k, v in self._docs.items() if not named or k[0] in named}
        found: dict[str, None] = {}
        stance = "achievements"  # until a clause says it speaks of a problem or a plan
        for clause in CLAUSE_MARKS.split(sentence):
            for name in self._names.values():
                clause = clause.replace(name, "")
            stance = _stance(clause) or stance
            words = _words(clause)
            scores = {
                k: sum(self._weight.get(w, 0.0) for w in words & doc) for k, doc in docs.items()
            }
            best = max(scores.values(), default=0.0)
            own = sum(self._weight.get(w, self._unseen) for w in words)
            if best < MIN_SUPPORT or best < MIN_COVERAGE * own:
                continue  # a connective or a generic clause: it draws on nothing in particular
            top = [k for k, v in scores.items() if v >= best - 1e-9]
            mine = [k for k in top if k[1] == stance]
            if not mine:
                report, said = top[0]
                return (), Untraced(
                    sentence,
                    f"所述见于〔{report}〕的“{STANCE_NAMES[said]}”部分，"
                    f"却写成了“{STANCE_NAMES[stance]}”",
                )
            found.update((k[0], None) for k in mine)
        if not found:
            return (), Untraced(sentence, "在所据各报告的内容中找不到出处")
        return tuple(found), None
