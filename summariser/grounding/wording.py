"""Words that lie without figures: a negation the summary dropped, a problem told as a success.

A figure is checked by `summariser.grounding.judging`; the words around it can still turn the
report's meaning over. Two such turns are caught here, from the words alone:

- a negation of the source dropped: 不定期听取汇报 written 定期听取汇报, 未按期办结 written
  按期办结. The summary's phrase must stand in the source only after its negation (a phrase the
  source also says plainly elsewhere is the source's own);
- a problem presented as an achievement: a summary of a 存在的不足 item that keeps none of the
  words saying what is wrong (不足, 不高, 薄弱, 有待 …) while its passage has them.
"""

from __future__ import annotations

import re

_NEGATION = re.compile(r"(?:没有|不|未|无|非)(?=[\u4e00-\u9fff]{3})")
# 不断, 不仅, 未来 … begin with a negation character and negate nothing
_NOT_NEGATING = frozenset(
    "不断 不仅 不但 不论 不管 不少 不同 不久 不懈 不移 不止 不忘 不乏 不时 不少于 非常 "
    "未来 无论 无缝 无偿 无纸 无证 非法 非诉 非公 非物".split()
)
_NEGATED = re.compile(r"(?:没有|不|未|无|非)[\u4e00-\u9fff]?$")
_PHRASE = 3  # Han characters after the negation that the summary must repeat to have dropped it

PROBLEM_WORDS = re.compile(
    "不足|问题|短板|差距|有待|不够|不高|不强|不严|不到位|不完善|不健全|不平衡|不规范|不充分|"
    "不明显|不深入|不及时|不扎实|欠缺|薄弱|滞后|缺乏|缺少|尚未|仍需|仍有|较弱|偏低|偏少|较少|"
    "困难|难以|瓶颈|弱项|风险|隐患|制约|不适应|参差不齐|亟待|需要进一步|仍然存在|存在"
)
"""Words that say something is wrong: an item of 存在的不足 is about them."""


def dropped_negations(summary: str, passage: str, source: str | None = None) -> list[str]:
    """The negated phrases of ``passage`` that ``summary`` repeats without their negation.

    Args:
        summary: The written text.
        passage: The source passage it is about (an item's segment, or the whole report).
        source: The whole report, when ``passage`` is a part of it: a phrase the report says
            plainly anywhere is not a dropped negation.

    Returns:
        The source's negated phrases (不定期听取), each once, in the order of the passage.
    """
    whole = passage if source is None else source
    out: list[str] = []
    for m in _NEGATION.finditer(passage):
        neg = m.group(0)
        if any(passage.startswith(w, m.start()) for w in _NOT_NEGATING):
            continue
        phrase = passage[m.end() : m.end() + _PHRASE]
        at = summary.find(phrase)
        if at < 0 or neg + phrase in out:
            continue
        # the summary keeps a negation of its own before the phrase (不够定期, 未能按期)
        if _NEGATED.search(summary[:at]):
            continue
        plain = [
            k for k in _occurrences(whole, phrase) if not _NEGATED.search(whole[max(0, k - 3) : k])
        ]
        if not plain:
            out.append(neg + phrase)
    return out


def _occurrences(text: str, phrase: str) -> list[int]:
    out, k = [], text.find(phrase)
    while k >= 0:
        out.append(k)
        k = text.find(phrase, k + 1)
    return out


def problem_dropped(summary: str, passage: str) -> bool:
    """Whether a summary of a problems item keeps none of its passage's words of a problem.

    Args:
        summary: The written summary of one 存在的不足 item.
        passage: The item's segment in the source.

    Returns:
        True when the passage says what is wrong (`PROBLEM_WORDS`) and the summary says
        nothing of it, nor any negation of its own.
    """
    if not PROBLEM_WORDS.search(passage):
        return False
    return not PROBLEM_WORDS.search(summary) and not re.search(
        "(?:没有|不|未|无|缺|弱|难|低)", summary
    )
