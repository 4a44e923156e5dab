"""What a reader sees is whole words: no title, summary, overview sentence or key-figure label
of the rules engine or the replayed model ends inside a word or on "…"/"，", over every sample
(the tune split) and every held-out report. Word boundaries are judged with jieba over the
source (tests/wholewords.py), not with a list of bad endings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.pipeline.drafting import RulesDrafter
from summariser.pipeline.replay import summarise_cases
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import ReportSummary
from tests.wholewords import Cut, ends_inside_a_word, is_cut, reader_texts

ROOT = Path(__file__).resolve().parent.parent
SPLITS = {
    "tune": (ROOT / "examples" / "reports", ROOT / "cassettes"),
    "heldout": (ROOT / "eval" / "heldout" / "reports", ROOT / "cassettes" / "heldout"),
}


# --- the judge itself: it must be able to say no -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("队伍素质参差不齐等问。", "部分乡镇执法队伍素质参差不齐等问题仍较突出。"),
        ("落实推进法治建设第…", "县长认真落实推进法治建设第一责任人职责。"),
        ("规范性文件制定和报。", "个别部门对规范性文件制定和报备工作重视不够。"),
        ("开展执法案卷评查，", "开展执法案卷评查，抽查案卷120卷。"),
        (
            "印发《关于全面推行行政规范性文",
            "印发《关于全面推行行政规范性文件合法性审核机制的通知》。",
        ),
    ],
)
def test_the_judge_finds_a_text_cut_inside_a_word_or_on_an_ellipsis(text: str, source: str) -> None:
    assert is_cut(text, source)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("队伍素质参差不齐。", "部分乡镇执法队伍素质参差不齐等问题仍较突出。"),
        ("执法案卷评查", "开展执法案卷评查，抽查案卷120卷。"),
        # jieba's best reading joins 率达; a boundary there costs it nothing: no cut
        ("报备率、及时率", "规范性文件报备率、及时率达100%。"),
        ("法律顾问全覆盖", "实现村（社区）法律顾问全覆盖。"),
        # the model's own words, not in the source: judged whole
        ("调解矛盾纠纷成效明显。", "全年调处各类纠纷312件。"),
    ],
)
def test_the_judge_passes_whole_words(text: str, source: str) -> None:
    assert not is_cut(text, source)


def test_a_word_cut_shows_wherever_the_end_occurs() -> None:
    # the same end is whole at one place of the source and cut at another: whole
    source = "建立法律顾问制度。聘请法律顾问团队。"
    assert not ends_inside_a_word("聘请法律顾问", source)
    assert ends_inside_a_word("聘请法律顾", source)


# --- the outputs ---------------------------------------------------------------------------


def _outputs() -> dict[str, dict[str, tuple[ReportSummary, str]]]:
    """engine -> "split/stem" -> (summary, source text), both engines over both splits."""
    out: dict[str, dict[str, tuple[ReportSummary, str]]] = {"rules": {}, "llm": {}}
    for split, (folder, cassettes) in SPLITS.items():
        reports = sorted(folder.glob("*.txt"))
        assert reports, folder
        replayed = summarise_cases(reports, cassettes)
        for report in reports:
            doc = read_document(report)
            key = f"{split}/{report.stem}"
            out["rules"][key] = (summarise(doc, RulesDrafter()), doc.text)
            got = replayed[report.stem]
            assert not isinstance(got, SummariserError), got.one_line()
            out["llm"][key] = (got, doc.text)
    return out


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, tuple[ReportSummary, str]]]:
    return _outputs()


@pytest.mark.parametrize("engine", ["rules", "llm"])
def test_no_reader_text_is_cut_inside_a_word(
    outputs: dict[str, dict[str, tuple[ReportSummary, str]]], engine: str
) -> None:
    seen = 0
    cuts: list[Cut] = []
    for key, (summary, source) in outputs[engine].items():
        for kind, text in reader_texts(summary):
            seen += 1
            if is_cut(text, source):
                cuts.append(Cut(engine, key, kind, text))
    assert seen > 400, "every title, summary, overview sentence and label was looked at"
    assert not cuts, "\n".join(map(str, cuts))


@pytest.mark.parametrize("engine", ["rules", "llm"])
def test_titles_are_short_topic_titles(
    outputs: dict[str, dict[str, tuple[ReportSummary, str]]], engine: str
) -> None:
    """4 to 16 characters; longer only when nothing shorter ends on a word the report shows
    and the item belongs to no work area: then the report's own clause whole (at most 20)."""
    odd = []
    for key, (summary, source) in outputs[engine].items():
        for items in summary.parts.values():
            for item in items:
                title = item.title
                if 2 <= len(title) <= 16:
                    continue
                whole = re.search(re.escape(title) + r"[，,；;。：:\n]", source)
                if whole is None or len(title) > 20:
                    odd.append(f"{key}: {title!r}")
    assert not odd, odd
