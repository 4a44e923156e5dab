"""Invent figures the way bad models do and count how many the checks show as checked.

    .venv/bin/python bench/selfcheck_invented.py [--seed N] [--show KIND] [--split tune|heldout|all]

From every sentence of a report's segments (found by `summariser.structure.sections`) that
holds two or more figures of one unit, summary clauses are made from the sentence's own figures
and the words right before each (its subject):

invented (each must NOT be shown as verified or derived):

- change: two figures' difference told as a change over time (A较上年增加a-b件), the source
  giving no earlier figure of A;
- total: two figures' sum credited to the first one's subject and a third one's, or to the
  first one's alone (A和C共计a+b件);
- rate: a rate nobody computed, x/y named after y's subject alone (Y办结率x/y%);
- moved: a figure written beside another figure's subject (A b件);
- unbound: a figure in a clause that names nothing of its source clause, in a looser unit
  where there is one (主要领导带头推动，完成10个 for 审查政府合同10件);

legitimate (each must pass as 推算, derived):

- sum: A和B共计a+b件; difference: A比B多a-b件; share: B占A的b/a%.

Each clause is checked twice, as a run checks an item (against its segment) and as
`summariser verify` checks free text (aligned to its source sentence); an invention counts as
shown when either check shows it verified or derived; a legitimate one passes when the run's
check calls it derived (reported for the run alone, and for both). A clause whose value the source prints anyway (in any unit) is skipped (it is no test of
arithmetic). Samples: the tune split (examples/reports) and the test suite's own reports
(tests/data/hostile), and the held-out split, measured only.

It prints, per kind, how many were made and how many were shown as checked (invented) or passed
(legitimate); --show KIND lists one kind's cases.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summariser.figures.numbers import Quantity, units_compatible  # noqa: E402
from summariser.grounding.checker import OK_STATUSES, SourceIndex  # noqa: E402
from summariser.lexicon.sentences import sentence_spans  # noqa: E402
from summariser.reading.documents import read_document  # noqa: E402
from summariser.structure.sections import analyse  # noqa: E402

SPLITS = {
    "tune": [
        *sorted((ROOT / "examples" / "reports").glob("*.txt")),
        *sorted((ROOT / "tests" / "data" / "hostile").glob("*.txt")),
    ],
    "heldout": sorted((ROOT / "eval" / "heldout" / "reports").glob("*")),
}
INVENTED = ("change", "total", "rate", "moved", "unbound")
LEGIT = ("sum", "difference", "share")
LOOSE = {"件": "个", "项": "个", "本": "个", "份": "个", "家": "个"}
_GENERIC = set("办理 开展 完成 组织 工作 全年 全区 全市 全县 全省 全镇 本局 我局 推进 推动 法治 "
               "依法 行政 政府 建设 法律".split())  # fmt: skip
_MARKS = "，,。；;！？!?\n：:"


def content_grams(words: str) -> set[str]:
    """Han bigrams of ``words`` less the words of almost any clause of these reports (kept
    here, apart from the checker's own list, so that the bench measures the checker)."""
    grams = {words[i : i + 2] for i in range(len(words) - 1)}
    return {g for g in grams if re.fullmatch("[\u4e00-\u9fff]{2}", g) and g not in _GENERIC}


def clause_of(source: str, q: Quantity) -> str:
    """The source clause holding ``q``, the figure itself left out."""
    lo = max(source.rfind(c, 0, q.start) for c in _MARKS) + 1
    his = [h for h in (source.find(c, q.end) for c in _MARKS) if h >= 0]
    return source[lo : q.start] + " " + source[q.end : min(his, default=len(source))]


PER_KIND = 400
UNBOUND = (
    "主要领导带头推动，完成", "多措并举抓落实，累计达到", "坚持问题导向，全年实现",
    "强化宣传引导，覆盖", "聚焦群众关切，推动解决", "压紧压实责任，落实",
)  # fmt: skip
"""Clauses that name nothing of a report's work, before a figure moved into them."""
_LEAD = re.compile(r"^(?:全年|共|累计|其中|一是|二是|三是|四是|五是|达|为|并|和|及|已|均)+")


def subject(source: str, q: Quantity) -> str:
    """The words right before a figure, back to its clause start (at most 10 characters, as
    many as a figure's context holds); empty when they name nothing (全市, 我市)."""
    before = re.split(r"[，,。；;：:、（）()\s\d]", source[: q.start])[-1]
    words = _LEAD.sub("", before)[-10:]
    return words if len(content_grams(words)) >= 2 else ""


def fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def unit_text(q: Quantity) -> str:
    m = re.match(r"[0-9.]+(?:万|亿)?(.*)$", q.text)
    return m.group(1) if m else ""


def in_source(index: SourceIndex, value: float, unit: str | None) -> bool:
    """Whether the source prints the value, in any unit (then it is judged as printed)."""
    return any(round(s.value, 6) == round(value, 6) for s in index.quantities)


def cases(path: Path) -> dict[str, list[tuple[str, tuple[int, int], str]]]:
    """(clause, segment span, figure text) per kind, for one report."""
    source = read_document(path).text
    index = SourceIndex(source)
    out: dict[str, list[tuple[str, tuple[int, int], str]]] = defaultdict(list)
    for part in analyse(source).parts.values():
        for seg in part.segments:
            for a, b in sentence_spans(source[seg.start : seg.end], "。；;！？!?\n"):
                lo, hi = seg.start + a, seg.start + b
                qs = [q for q in index.quantities if lo <= q.start and q.end <= hi
                      and q.kind == "count" and q.unit and q.qualifier is None
                      and q.value > 0 and len(subject(source, q)) >= 2]  # fmt: skip
                by_unit: dict[str, list[Quantity]] = defaultdict(list)
                for q in qs:
                    by_unit[q.unit or ""].append(q)
                for same in by_unit.values():
                    _make(source, index, (seg.start, seg.end), same, out)
    return out


def _make(
    source: str,
    index: SourceIndex,
    span: tuple[int, int],
    same: list[Quantity],
    out: dict[str, list[tuple[str, tuple[int, int], str]]],
) -> None:
    earlier = re.compile(r"上年|去年|同期|上一年|(?:19|20)\d\d年")
    for x in same:
        for y in same:
            if x is y or x.value <= y.value:
                continue
            sx, sy, u = subject(source, x), subject(source, y), unit_text(x) or unit_text(y)
            if not u or sx == sy:
                continue
            dated = any(earlier.search(source[max(0, q.start - 12) : q.start]) for q in (x, y))
            diff, total = x.value - y.value, x.value + y.value
            d, t = f"{fmt(diff)}{u}", f"{fmt(total)}{u}"
            if not dated and not in_source(index, diff, x.unit):
                for cue in ("较上年增加", "同比增加", "比去年多", "比上一年度增长"):
                    out["change"].append((f"{sx}{cue}{d}", span, d))
                for said in (f"{sx}比{sy}多{d}", f"{sx}较{sy}多{d}", f"{sy}比{sx}少{d}"):
                    out["difference"].append((said, span, d))
            if not in_source(index, total, x.unit):
                for cue in ("共计", "合计", "总计"):
                    out["sum"].append((f"{sx}和{sy}{cue}{t}", span, t))
                out["sum"].append((f"{sy}与{sx}共计{t}", span, t))
                thirds = [c for c in same if c is not x and c is not y and c.value != y.value
                          and subject(source, c) not in ("", sx, sy)]  # fmt: skip
                for cue in ("共计", "合计"):
                    for credited in [sx] + [f"{sx}和{subject(source, c)}" for c in thirds[:1]]:
                        out["total"].append((f"{credited}{cue}{t}", span, t))
            rate = round(y.value / x.value * 100, 1)
            r = f"{rate:g}%"
            if not in_source(index, rate, "%"):
                out["share"].append((f"{sy}占{sx}的{r}", span, r))
                out["share"].append((f"{sy}占{sx}总数的{r}", span, r))
                if "结" not in sy:  # 受理…办结: a 办结率 of them would be true
                    for name in ("办结率", "化解率", "完成率", "占比"):
                        out["rate"].append((f"{sx}{name}{r}", span, r))
            if units_compatible(x.unit, y.unit) and x.value != y.value:
                out["moved"].append((f"{sx}{y.text}", span, y.text))
                out["moved"].append((f"{sy}{x.text}", span, x.text))
        # in a clause that shares no word with any clause of the source holding the value
        theirs = set().union(*(
            content_grams(clause_of(source, s))
            for s in index.quantities if round(s.value, 6) == round(x.value, 6)
        ))  # fmt: skip
        lead = next((w for w in UNBOUND if not content_grams(w) & theirs), None)
        if lead is not None and unit_text(x):
            said = f"{fmt(x.value)}{LOOSE.get(unit_text(x)) or unit_text(x)}"
            out["unbound"].append((f"{lead}{said}", span, said))


def judge(index: SourceIndex, text: str, span: tuple[int, int], figure: str) -> tuple[str, str]:
    """The figure's status as a run checks it (in its segment) and as verify checks free text."""
    run = [c for c in index.check(text, scope=span) if c.quantity.text == figure]
    free = [c for c in index.check_aligned(text) if c.quantity.text == figure]
    return (run[0].status if run else "absent", free[0].status if free else "absent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", default="")
    parser.add_argument("--split", default="all", choices=("tune", "heldout", "all"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    splits = SPLITS if args.split == "all" else {args.split: SPLITS[args.split]}
    for name, paths in splits.items():
        pooled: dict[str, list[tuple[SourceIndex, str, tuple[int, int], str]]] = defaultdict(list)
        for path in paths:
            index = SourceIndex(read_document(path).text)
            for kind, made in cases(path).items():
                pooled[kind] += [(index, *c) for c in made]
        print(f"== {name} ({len(paths)} reports) ==")
        for kind in INVENTED + LEGIT:
            made = pooled.get(kind, [])
            if len(made) > PER_KIND:
                made = rng.sample(made, PER_KIND)
            hits = in_run = 0
            for index, text, span, figure in made:
                run, free = judge(index, text, span, figure)
                hit = (
                    run in OK_STATUSES or free in OK_STATUSES
                    if kind in INVENTED
                    else run == free == "derived"
                )
                hits += hit
                in_run += run == "derived"
                if kind == args.show and (hit if kind in INVENTED else not hit):
                    print(f"   {text}  [{figure}] run={run} verify={free}")
            n = len(made) or 1
            if kind in INVENTED:
                print(f"{kind:<11} {hits:>4}/{len(made):<4} shown as checked ({hits / n:.1%})")
            else:
                print(
                    f"{kind:<11} {in_run:>4}/{len(made):<4} pass as 推算 in a run "
                    f"({in_run / n:.1%}); {hits} also in verify ({hits / n:.1%})"
                )


if __name__ == "__main__":
    main()
