"""The coverage metric on hand-made items: figures and measures of a segment its summary says."""

from __future__ import annotations

from summariser.evaluation.scoring import coverage, figure_said, item_coverage, measures
from summariser.schema import Figure, Item, ReportSummary
from tests.conftest import figures_in

SOURCE = (
    "一是深化行政复议改革。全年办结复议案件86件，纠错率12.5%；开展执法检查32次。二是加强普法宣传。"
)
SEGMENT = (0, SOURCE.index("二是"))


def _figures(text: str, end: int) -> list[Figure]:
    return figures_in(text, end=end, with_context=True)


def _item(summary: str) -> Item:
    return Item(
        title="深化行政复议改革", summary=summary, quote=SOURCE[: SEGMENT[1]],
        quote_span=SEGMENT, source_span=SEGMENT, figures=_figures(SOURCE, SEGMENT[1]),
    )  # fmt: skip


def test_measures_are_the_clauses_of_the_segment() -> None:
    assert measures(SOURCE[: SEGMENT[1]]) == [
        "一是深化行政复议改革",
        "全年办结复议案件86件纠错率125",
        "开展执法检查32次",
    ]


def test_a_summary_saying_everything_covers_everything() -> None:
    c = item_coverage(
        _item("深化行政复议改革，办结复议案件86件，纠错率12.5%，开展执法检查32次。"), SOURCE
    )
    assert (c.figures, c.figures_said) == (3, 3)
    assert (c.measures, c.measures_said) == (3, 3)


def test_a_summary_of_the_lead_only_misses_the_rest() -> None:
    c = item_coverage(_item("深化行政复议改革。"), SOURCE)
    assert (c.figures_said, c.measures_said) == (0, 1)
    assert c.said / c.units == 1 / 6


def test_a_figure_inside_a_longer_number_is_not_said() -> None:
    fig = _item("").figures[0]
    assert fig.text.startswith("86")
    assert figure_said(fig, "共86件")
    assert not figure_said(fig, "共186件")
    assert not figure_said(fig, "共8.6件")
    rate = next(f for f in _item("").figures if f.text.startswith("12.5"))
    assert not figure_said(rate, "纠错率12%")


def test_coverage_sums_over_the_items_of_a_summary() -> None:
    data = {
        "metadata": {},
        "completeness": {"parts": {}, "missing": [], "truncated": False},
        "parts": {
            "achievements": [
                _item("办结复议案件86件。").model_dump(),
                _item("开展执法检查32次。").model_dump(),
            ]
        },
        "key_figures": [],
        "source": {"name": "x.txt", "sha256": "0", "format": "txt", "encoding": None, "chars": 1},
        "run": {"engine": "rules"},
        "verification": {},
    }
    summary = ReportSummary.model_validate(data)
    c = coverage(summary, SOURCE)
    assert (c.figures, c.figures_said, c.measures, c.measures_said) == (6, 2, 6, 2)
