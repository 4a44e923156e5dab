"""A memo over hundreds of distinct reports stays a briefing, and counts every theme right.

The reports are synthetic (tests/memo_corpus.py): issuers of every level and kind, items
written about known work areas, some figures failing their check. The expected counts come
from what each report was written about, not from the memo's classifier.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from summariser.lexicon.themes import classify
from summariser.memo.command import run_memo
from summariser.memo.content import build_memo
from summariser.memo.markdown import body_of, render_markdown
from summariser.output.runs import LoadedReport, stream
from tests.memo_corpus import ACHIEVEMENTS, LEADERSHIP, PLANS, PROBLEMS, Synthetic, write_corpus

N = 240
BODY_LIMIT = 40_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Synthetic]]:
    run = tmp_path_factory.mktemp("scale") / "run"
    return run, write_corpus(run, N)


@pytest.fixture(scope="module")
def markdown(corpus: tuple[Path, list[Synthetic]], tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("memo") / "memo.md"
    assert run_memo([corpus[0]], out) == 0
    return out.read_text(encoding="utf-8")


def test_the_corpus_is_distinct_and_varied(corpus: tuple[Path, list[Synthetic]]) -> None:
    _, reports = corpus
    issuers = {s.summary.metadata.issuer for s in reports}
    assert len(issuers) == N
    assert {s.summary.metadata.level for s in reports} == {"省级", "市级", "县级"}
    assert {s.summary.metadata.issuer_kind for s in reports} == {"政府", "部门"}


def test_the_body_stays_a_briefing(markdown: str) -> None:
    body = body_of(markdown)
    assert len(body) < BODY_LIMIT, len(body)
    # the per-report detail is in the appendix, one row per report
    appendix = markdown[len(body) :]
    assert appendix.startswith("## 附件1：各报告情况一览")
    rows = [r for r in appendix.splitlines() if re.match(r"^\| \d+ \|", r)]
    assert len(rows) == N
    # a theme shows a few examples, not every report's line
    for block in re.split(r"^### ", body.split("## 五、")[0], flags=re.M)[1:]:
        assert len([line for line in block.splitlines() if line.startswith("- ")]) <= 5


def test_every_theme_count_is_right(corpus: tuple[Path, list[Synthetic]]) -> None:
    run, reports = corpus
    memo = build_memo(stream([run]))
    for section in ("achievements", "problems", "plans"):
        expected = Counter(t for s in reports for t in s.themes[section])
        got = {g.theme: g.count for g in getattr(memo, section)}
        assert got == dict(expected), section


def test_counts_by_level_kind_and_missing_parts(corpus: tuple[Path, list[Synthetic]]) -> None:
    run, reports = corpus
    memo = build_memo(stream([run]))
    c = memo.counts
    assert c is not None and c.reports == N
    assert dict(c.by_level) == dict(Counter(s.summary.metadata.level for s in reports))
    assert dict(c.by_kind) == dict(Counter(s.summary.metadata.issuer_kind for s in reports))
    missing = Counter(k for s in reports for k in s.summary.completeness.missing)
    assert dict(c.missing) == dict(missing)


def test_no_failed_figure_and_no_filler_in_the_body(
    corpus: tuple[Path, list[Synthetic]], markdown: str
) -> None:
    body = body_of(markdown).split("## 六、需要注意的问题")[0]
    bad = {f for s in corpus[1] for f in s.bad_figures}
    passed = {
        n["text"]
        for s in corpus[1]
        for n in s.summary.verification["numbers"]
        if n["status"] == "verified"
    }
    for figure in bad - passed:
        assert not re.search(rf"(?<![0-9]){re.escape(figure)}", body), figure
    assert "，。" not in markdown and "报告未说明原因" not in markdown
    lines = [line for line in body.splitlines() if line.startswith("- ")]
    sentences = [s for line in lines for s in re.findall(r"[^。：]+。", line.split("〔")[0])]
    assert len(sentences) == len(set(sentences)), "a sentence is quoted twice"


def test_the_memo_does_not_depend_on_file_order(
    corpus: tuple[Path, list[Synthetic]], tmp_path: Path
) -> None:
    files = sorted(corpus[0].glob("*.json"))
    a = render_markdown(build_memo(stream(files[:60])))
    b = render_markdown(build_memo(stream(list(reversed(files[:60])))))
    assert a == b


def test_the_templates_are_about_what_they_say() -> None:
    """The corpus's sentences belong to the themes they were written for (the memo's
    classifier, checked on its own against the corpus's intent)."""
    for theme, title, summary, *_ in ACHIEVEMENTS:
        assert classify(title, summary) == theme, title
    for theme, title, summary, _ in PROBLEMS:
        assert classify(title, summary) == theme, title
    for theme, title, summary in PLANS:
        assert classify(title, summary) == theme, title
    assert classify(LEADERSHIP[1], LEADERSHIP[2]) == LEADERSHIP[0]


def test_gather_and_stream_read_the_same(corpus: tuple[Path, list[Synthetic]]) -> None:
    from summariser.output.runs import gather

    files = sorted(corpus[0].glob("*.json"))[:20]
    streamed = [r for r in stream(files) if isinstance(r, LoadedReport)]
    assert sorted(r.path.name for r in streamed) == sorted(
        r.path.name for r in gather(files).reports
    )
