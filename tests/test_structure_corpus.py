"""The structure corpus: every tune layout read as a reader reads it; documents refused by kind.

The tune split (tests/data/structure/tune.yaml) is what the rules are developed against, so each
of its layouts is a test here. The held-out split (eval/structure_heldout/) is only measured,
by ``python -m summariser.evaluation.structure``; no test pins its cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.evaluation.structure import (
    Case,
    flatten,
    load_corpus,
    refused_as,
    score,
    unterminated,
)
from summariser.structure.doctype import refusal
from summariser.structure.sections import analyse

ROOT = Path(__file__).resolve().parents[1]
TUNE = load_corpus(ROOT / "tests" / "data" / "structure" / "tune.yaml")
HELD_OUT = ROOT / "eval" / "structure_heldout" / "cases.yaml"


def test_corpus_size_and_splits_are_apart() -> None:
    assert len(TUNE) >= 40  # layouts, flattened variants included
    held = load_corpus(HELD_OUT)
    assert held
    tune_texts = {c.text for c, _ in TUNE}
    assert not tune_texts & {c.text for c, _ in held}
    assert not {c.id for c, _ in TUNE} & {c.id for c, _ in held}


@pytest.mark.parametrize(
    ("case", "flat"), TUNE, ids=[c.id + ("-flat" if f else "") for c, f in TUNE]
)
def test_tune_layout(case: Case, flat: bool) -> None:
    text = flatten(case.text) if flat else case.text
    found = analyse(text)
    kind = refused_as(found, text)
    assert kind == case.refused
    if case.refused:
        return
    assert {k: len(p.segments) for k, p in found.parts.items()} == {
        k: n if n is not None else len(found.parts[k].segments) if k in found.parts else n
        for k, n in case.parts.items()
    }
    assert found.completeness.truncated is case.truncated
    # the same without the final line break, as .docx and .html give it
    assert analyse(unterminated(text)).completeness.truncated is case.truncated


def test_scorer_counts_missed_and_invented_parts() -> None:
    case = Case(
        id="x",
        text="某县司法局2023年法治政府建设情况报告\n一、主要举措和成效\n（一）培训。\n",
        parts={"problems": 1},
    )
    tally = score([(case, False)])
    assert (tally.found, tally.missed, tally.invented) == (0, 1, 1)
    assert tally.precision == 0.0 and tally.recall == 0.0


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("南岭区2025年法治政府建设工作要点", "a plan for the year ahead"),
        ("关于做好2024年度普法工作的通知", "a notice or letter"),
        ("关于商请报送法治政府建设年度报告的函", "a notice or letter"),
        ("市交通运输局普法责任清单", "a list of duties"),
        ("2025年政府工作报告", "a 政府工作报告"),
    ],
)
def test_refusal_says_what_the_document_looks_like(title: str, says: str) -> None:
    text = f"{title}\n一、主要举措和成效\n（一）依法行政。\n二、存在的问题\n队伍不强。\n"
    reason = refusal(analyse(text), text)
    assert reason is not None and reason.startswith(f"looks like {says}")
    assert title in reason and "\n" not in reason


@pytest.mark.parametrize(
    "title",
    [
        "关于2023年度法治政府建设情况的报告",
        "某县司法局2023年工作总结和2024年工作计划",  # a summary with its plan: a report
        "某县2023年法治政府建设年度报告",
    ],
)
def test_reports_are_not_refused_by_their_titles(title: str) -> None:
    text = f"{title}\n一、主要举措和成效\n（一）依法行政。\n二、存在的问题\n队伍不强。\n"
    assert refusal(analyse(text), text) is None
