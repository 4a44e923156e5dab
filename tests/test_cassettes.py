"""The whole pipeline on the five sample reports, replaying recordings of the real local model.

Record mode is ``none``: a request the cassette does not hold fails; nothing reaches a network.
Re-record with ``summariser record examples/reports/*.txt`` (see README).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.output.files import counts_line, origin_counts
from summariser.pipeline.replay import summarise_cases
from summariser.schema import PART_KEYS, ReportSummary

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "examples" / "reports").glob("*.txt"))
CASSETTES = ROOT / "cassettes"

# Read off the reports by hand: who reports, on which year.
EXPECTED = {
    "baicheng-2023": ("白城市司法局", 2023),
    "heshan-2024": ("益阳市赫山区人民政府", 2024),
    "huangzhong-2024": ("湟中区司法局", 2024),
    "hubin-2023": ("湖滨区司法局", 2023),
    "zhengxiang-2024": ("蒸湘区司法局", 2024),
}


@pytest.fixture(scope="module")
def summaries(replayed: dict[str, ReportSummary]) -> dict[str, ReportSummary]:
    return replayed


def test_all_five_reports_are_summarised(summaries: dict[str, ReportSummary]) -> None:
    assert sorted(summaries) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_issuer_and_year(summaries: dict[str, ReportSummary], stem: str) -> None:
    meta = summaries[stem].metadata
    assert (meta.issuer, meta.year) == EXPECTED[stem]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_parts_present_and_absent(summaries: dict[str, ReportSummary], stem: str) -> None:
    summary = summaries[stem]
    assert summary.parts["achievements"], "every report has achievements"
    if stem == "zhengxiang-2024":
        assert summary.parts["problems"] == []
        assert "problems" in summary.completeness.missing
    else:
        assert summary.parts["problems"] and summary.parts["plans"]


def test_complete_reports_are_not_called_cut_off(summaries: dict[str, ReportSummary]) -> None:
    # baicheng stops after a whole sentence: nothing in its words shows a cut (issue 9)
    assert not summaries["baicheng-2023"].completeness.truncated
    assert not summaries["heshan-2024"].completeness.truncated


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_quote_is_verbatim_at_its_span(
    summaries: dict[str, ReportSummary], stem: str
) -> None:
    source = (ROOT / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
    for key in PART_KEYS:
        for item in summaries[stem].parts[key]:
            assert item.quote_span is not None
            start, end = item.quote_span
            assert source[start:end] == item.quote
            s0, s1 = item.source_span
            assert s0 <= start and end <= s1
            for fig in item.figures:
                assert source[fig.span[0] : fig.span[1]] == fig.text
    for key_figure in summaries[stem].key_figures:
        assert key_figure.quote in source and key_figure.figure.text in key_figure.quote


def test_model_wrote_the_titles_and_summaries(summaries: dict[str, ReportSummary]) -> None:
    """The model's words, not the source's first sentences: most summaries are not verbatim."""
    copied = total = 0
    for stem, summary in summaries.items():
        source = (ROOT / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
        assert summary.run.engine == "llm" and summary.run.attempts > 0
        assert summary.run.tokens_in > 0 and summary.run.tokens_out > 0
        for items in summary.parts.values():
            for item in items:
                total += 1
                copied += item.summary in source
    assert total and copied / total < 0.5


def test_at_least_95_percent_of_figures_verified(summaries: dict[str, ReportSummary]) -> None:
    good = total = 0
    for summary in summaries.values():
        counts = summary.verification["counts"]
        assert isinstance(counts, dict)
        total += sum(counts.values())
        good += counts.get("verified", 0) + counts.get("derived", 0)
    assert total > 100 and good / total >= 0.95


def test_flagged_figures_are_never_hidden(summaries: dict[str, ReportSummary]) -> None:
    for summary in summaries.values():
        numbers = summary.verification["numbers"]
        assert isinstance(numbers, list)
        bad = [n for n in numbers if n["status"] not in ("verified", "derived")]
        if bad:
            assert any("未通过核对" in flag for flag in summary.flags)


def test_cassettes_hold_no_credentials() -> None:
    for path in CASSETTES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)authorization|bearer |sk-[A-Za-z0-9]{8}", text), path


def test_a_changed_prompt_does_not_replay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching on the body: a recording answers only the exact request it was made for."""
    from summariser.model import prompts

    original = prompts.load("items")
    changed = original.model_copy(update={"system": original.system + "请简短。"})
    monkeypatch.setattr(prompts, "load", lambda name: changed)
    monkeypatch.setattr("summariser.pipeline.replay.load", lambda name: changed, raising=False)
    results = summarise_cases([ROOT / "examples" / "reports" / "hubin-2023.txt"], CASSETTES)
    result = results["hubin-2023"]
    assert isinstance(result, SummariserError)
    assert "re-record" in result.one_line()


def test_readme_counts_are_the_replayed_ones(summaries: dict[str, ReportSummary]) -> None:
    """The README's example counts (Markdown header and final table) match the recording."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"- 数字核对：{counts_line(summaries['hubin-2023'])}\n" in readme
    for stem, summary in summaries.items():
        by = origin_counts(summary)
        w, c = by["written"], by["copied"]
        row = re.search(rf"^{stem}\.txt\s+完成\s+模型\s+\d+\s+(\S+)\s+(\S+)", readme, flags=re.M)
        assert row is not None, stem
        assert row.groups() == (
            f"{w['verified']}/{w['derived']}/{w['flagged']}",
            f"{c['verified'] + c['derived']}/{c['flagged']}",
        )
