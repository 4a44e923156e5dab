"""The review pages as HTML: escaping, every item and figure with its status, spans, the index."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from summariser.batch.runner import Job, run_batch
from summariser.grounding.checker import SourceIndex, verify_strings
from summariser.output.files import remove_stale_temps
from summariser.output.index_page import render_index
from summariser.output.review import STATUS_RANK, checks_of, render_review
from summariser.pipeline.drafting import RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import Document, read_document
from summariser.schema import MACHINE_FIELDS, PART_KEYS, ReportSummary, checkable_strings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "reports").glob("*.txt"))

# Not a sample report: markup in the text, a qualifier, a rate, no 落款 (so it reads as cut off).
REPORT = """东城县人民政府关于2024年法治政府建设情况的报告

2024年，东城县坚持以习近平法治思想为指引，扎实推进法治政府建设。现将有关情况报告如下。

一、2024年法治政府建设主要举措和成效
（一）推进行政复议。全年共受理行政复议案件120件，办结100件，纠错率达12%。网站公告栏曾显示<script>alert("x")</script>&amp;字样，已整改。
（二）加强普法宣传。开展普法活动3万余场次，覆盖群众近1.2亿人次。

二、存在的不足和原因
一是执法人员专业能力不足，原因是培训投入偏少，全年仅培训2期。

三、2025年主要安排
一是完善复议体制，力争办结率达到95%以上。
"""


def _summary(tmp_path: Path, text: str = REPORT) -> tuple[ReportSummary, str]:
    path = tmp_path / "dongcheng-2024.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    return summarise(doc, RulesDrafter()), doc.text


def _with_summary(
    summary: ReportSummary, source: str, part: str, n: int, text: str
) -> ReportSummary:
    """``summary`` with one item's summary replaced and every figure checked again."""
    data: dict[str, Any] = summary.model_dump(mode="json")
    data["parts"][part][n]["summary"] = text
    prose = {k: v for k, v in data.items() if k not in MACHINE_FIELDS}
    data["verification"] = verify_strings(
        list(checkable_strings(prose)), SourceIndex(source)
    ).to_json()
    return ReportSummary.model_validate(data)


def _tree(page: str) -> Any:
    return lxml.html.fromstring(page)


def test_markup_in_the_report_shows_as_text_never_as_markup(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path)
    summary = _with_summary(
        summary, source, "achievements", 0, '复议<script>alert("y")</script>案件120件。'
    )
    page = render_review(summary, source)
    tree = _tree(page)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text_content()
    assert '<script>alert("x")</script>&amp;' in tree.get_element_by_id("source").text_content()
    item = tree.get_element_by_id("i-achievements-0")
    assert '<script>alert("y")</script>' in item.text_content()
    assert "&lt;script&gt;" in page and '<script>alert("x")' not in page


def test_the_source_pane_is_the_source_and_every_span_marks_its_text(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path)
    tree = _tree(render_review(summary, source))
    assert tree.get_element_by_id("source").text_content() == source
    for key, items in summary.parts.items():
        for i, item in enumerate(items):
            s, e = item.source_span
            seg = tree.get_element_by_id(f"s-{key}-{i}")
            assert seg.text_content() == source[s:e]
            assert f"p-{key}" in seg.get("class")
            assert seg.get("data-target") == f"i-{key}-{i}"
            assert item.quote_span is not None
            assert tree.get_element_by_id(f"q-{key}-{i}").text_content() == item.quote


def _year_in_title(n: dict[str, Any]) -> bool:
    return (
        str(n["path"]).endswith("/title")
        and n["status"] in ("verified", "derived")
        and re.fullmatch(r"(?:19|20)[0-9]{2}年?度?", str(n["text"])) is not None
    )


def _expect_every_check_on_the_page(summary: ReportSummary, source: str) -> None:
    tree = _tree(render_review(summary, source))
    numbers = summary.verification["numbers"]
    assert numbers
    worst: dict[tuple[int, int], str] = {}
    for n in numbers:
        # in the summary pane: the string's figure, marked with the JSON's status; a year in a
        # title that checked out is plain text (it names the period, it is not a figure)
        marks = tree.xpath(f'//main//mark[@data-path="{n["path"]}"]')
        if _year_in_title(n):
            assert not marks or all(m.text_content() != n["text"] for m in marks), n
            continue
        assert any(
            m.get("data-status") == n["status"] and m.text_content() == n["text"] for m in marks
        ), n
        for s, e in n["source_spans"]:
            old = worst.get((s, e))
            if old is None or STATUS_RANK.get(n["status"], 2) > STATUS_RANK.get(old, 2):
                worst[(s, e)] = n["status"]
    # in the source pane: each place a figure was found, with the worst status pointing there
    for (s, e), status in worst.items():
        mark = tree.get_element_by_id(f"f-{s}-{e}")
        assert mark.text_content() == source[s:e]
        assert mark.get("data-status") == status
    assert len(tree.xpath("//main//article[@class]")) == sum(len(v) for v in summary.parts.values())
    # every click leads somewhere: each target names an element of the page
    ids = set(tree.xpath("//@id"))
    assert ids >= set(tree.xpath("//@data-target"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_item_and_figure_of_a_sample_is_on_its_page_with_its_status(sample: Path) -> None:
    doc = read_document(sample)
    summary = summarise(doc, RulesDrafter())
    _expect_every_check_on_the_page(summary, doc.text)


def test_the_replayed_model_summaries_too(replayed: dict[str, ReportSummary]) -> None:
    for stem, summary in replayed.items():
        _expect_every_check_on_the_page(
            summary, read_document(ROOT / "examples" / "reports" / f"{stem}.txt").text
        )


def test_a_flagged_figure_and_a_derived_one_say_so_with_their_notes(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path)
    summary = _with_summary(
        summary, source, "achievements", 1, "开展普法活动3万场次，覆盖群众近1.2亿人次。"
    )
    summary = _with_summary(
        summary, source, "achievements", 0, "受理复议案件120件，办结100件，尚有20件未办结。"
    )
    by_text = {c.text: c for c in checks_of(summary) if c.path.endswith("/summary")}
    assert by_text["3万场次"].status == "qualifier_changed" and by_text["20件"].status == "derived"
    tree = _tree(render_review(summary, source))
    flagged = tree.xpath(
        '//main//mark[@data-path="/parts/achievements/1/summary"][@data-status="qualifier_changed"]'
    )
    assert [m.text_content() for m in flagged] == ["3万场次"]
    note = flagged[0].getnext()
    assert "fnote" in note.get("class") and by_text["3万场次"].note in note.text_content()
    derived = tree.xpath(
        '//main//mark[@data-path="/parts/achievements/0/summary"][@data-status="derived"]'
    )
    assert [m.text_content() for m in derived] == ["20件"]
    assert "推算" in derived[0].getnext().text_content()
    assert by_text["20件"].note in derived[0].getnext().text_content()  # the formula
    # the operands in the source carry the derived status; the counts at the top add up
    for s, e in by_text["20件"].spans:
        assert tree.get_element_by_id(f"f-{s}-{e}").get("data-status") in ("derived", "verified")
    assert tree.get_element_by_id("n-flagged").text_content() == "1"
    assert tree.get_element_by_id("n-derived").text_content() == "1"


def test_missing_parts_and_truncation_are_at_the_top(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path)
    assert summary.completeness.truncated and summary.completeness.missing == [
        "leadership",
        "other",
    ]
    tree = _tree(render_review(summary, source))
    top = tree.xpath("//header[@class='top']")[0]
    missing = top.xpath(".//li[@class='missing']")[0].text_content()
    assert (
        "党政主要负责人履行推进法治建设第一责任人职责情况" in missing
        and "其他需要报告的情况" in missing
    )
    assert top.xpath(".//li[@class='truncated']")
    signed = (
        REPORT
        + "\n党政主要负责人履行推进法治建设第一责任人职责情况\n县长带头学法。\n\n东城县人民政府\n2025年3月1日\n"
    )
    whole, whole_source = _summary(tmp_path, signed)
    assert not whole.completeness.truncated
    top = _tree(render_review(whole, whole_source)).xpath("//header[@class='top']")[0]
    assert not top.xpath(".//li[@class='truncated']")
    assert "党政主要负责人" not in "".join(top.xpath(".//li[@class='missing']/text()"))


def test_spans_outside_the_source_are_left_unmarked_not_an_error(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path)
    short = source[: len(source) // 2]
    tree = _tree(render_review(summary, short))
    assert tree.get_element_by_id("source").text_content() == short


def _row(file: str, status: str, items: object = "") -> dict[str, object]:
    return {
        "file": file,
        "status": status,
        "reason": "",
        "items": items,
        "issuer": "东城县人民政府",
    }


def test_the_index_links_each_page_and_escapes_names() -> None:
    page = render_index(
        [
            (_row("a<b>.txt", "ok", 3), "a<b>.html"),
            (_row("第1号#2.txt", "ok", 5) | {"missing_parts": "leadership;other"}, "第1号#2.html"),
            (_row("broken.doc", "failed"), None),
        ]
    )
    tree = _tree(page)
    rows = tree.xpath("//table[@id='reports']/tbody/tr")
    names = [r.xpath("./td[1]")[0].text_content() for r in rows]
    assert names == ["a<b>.txt", "第1号#2.txt", "broken.doc"]
    # a file name is a path, not a URL: '#' and '?' would cut the link short
    assert rows[0].xpath(".//a/@href") == ["a%3Cb%3E.html"]
    assert rows[1].xpath(".//a/@href") == ["%E7%AC%AC1%E5%8F%B7%232.html"]
    assert not rows[2].xpath(".//a")
    assert (
        "第一责任人履职、其他" in rows[1].text_content()
        and "leadership" not in page.split("<tbody>")[1]
    )
    assert "<b>" not in page.split("<tbody>")[1]
    assert tree.get_element_by_id("n-reports").text_content() == "3"
    heads = [th.get("data-kind") for th in tree.xpath("//thead//th")]
    assert heads.count("num") >= 4 and all(k in ("num", "text") for k in heads)


def test_run_writes_a_page_per_report_and_the_index_and_restores_a_missing_page(
    tmp_path: Path,
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "dongcheng-2024.txt").write_text(REPORT, encoding="utf-8")
    (src / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0 not a report")
    out = tmp_path / "out"
    run_batch([src], out, Job(RulesDrafter()), log=lambda _: None)
    assert (out / "dongcheng-2024.html").is_file()
    index = _tree((out / "index.html").read_text(encoding="utf-8"))
    links = index.xpath("//tbody//a/@href")
    assert links == ["dongcheng-2024.html"]
    (out / "dongcheng-2024.html").unlink()
    outcomes = run_batch([src], out, Job(RulesDrafter()), log=lambda _: None)
    assert {o.status for o in outcomes if o.file.endswith(".txt")} == {"skipped"}
    assert (out / "dongcheng-2024.html").is_file()
    assert not list(out.glob(".*.tmp"))


def test_a_killed_runs_temporary_page_is_cleaned_up(tmp_path: Path) -> None:
    (tmp_path / ".hubin-2023.html.k2x9_a.tmp").write_text("<!DOCTYPE html><ht", encoding="utf-8")
    (tmp_path / ".index.html.abc123.tmp").write_text("<!DOCTYPE", encoding="utf-8")
    (tmp_path / "notes.html").write_text("mine", encoding="utf-8")
    assert remove_stale_temps(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["notes.html"]


def test_a_page_is_rendered_for_a_document_as_read(tmp_path: Path) -> None:
    # the page indexes the text as read (here from GBK bytes), not the file's bytes
    path = tmp_path / "dongcheng-2024.txt"
    path.write_bytes(REPORT.encode("gbk"))
    doc: Document = read_document(path)
    summary = summarise(doc, RulesDrafter())
    tree = _tree(render_review(summary, doc.text))
    assert tree.get_element_by_id("source").text_content() == REPORT
    assert all(key in PART_KEYS for key in summary.parts)


# Not a sample: a report whose own figures disagree (a rate its counts contradict, parts that
# add up to more than their total), so the page must say which figures and where.
INCONSISTENT = """北岭县人民政府关于2023年度法治政府建设工作情况的报告

一、2023年度法治政府建设主要举措和成效
（一）化解矛盾纠纷。全县共调解矛盾纠纷1673件，调解成功1646件，调解成功率98.38%。
（二）办理复议案件。全年受理行政复议案件25件，其中维持14件、撤销8件、确认违法5件。

二、存在的不足和原因
一是基层法治力量薄弱。

三、2024年度主要安排
一是深化矛盾纠纷多元化解。

北岭县人民政府
2024年2月20日
"""


def test_the_page_speaks_chinese_names_its_report_and_keeps_figures_whole(
    tmp_path: Path,
) -> None:
    summary, source = _summary(tmp_path, INCONSISTENT)
    page = render_review(summary, source)
    tree = _tree(page)
    assert tree.xpath("//title")[0].text_content() == tree.xpath("//h1")[0].text_content()
    assert "北岭县" in tree.xpath("//title")[0].text_content()
    meta = tree.xpath("//p[@class='meta']")[0].text_content()
    assert "生成 规则" in meta and "rules" not in meta
    tips = tree.xpath("//mark/@title")
    assert tips and not any(re.search("[A-Za-z_]{4,}", t) for t in tips), tips
    counts = tree.xpath("//p[@class='counts']")[0].text_content()
    assert "核实" in counts and "存疑" in counts
    # a year in the title is its period, not a figure shown as checked
    assert not tree.xpath("//h1//mark") and "2023年度" in tree.xpath("//h1")[0].text_content()
    # every figure of the source nobody checked is still one unbreakable word
    whole = {e.text_content() for e in tree.xpath("//*[@id='source']//*[@class='nb' or mark]")}
    whole |= {e.text_content() for e in tree.xpath("//*[@id='source']//mark")}
    assert {"1673件", "1646件", "98.38%", "25件"} <= whole


def test_the_sources_own_inconsistencies_are_listed_with_their_places(tmp_path: Path) -> None:
    summary, source = _summary(tmp_path, INCONSISTENT)
    warnings = summary.verification["source_warnings"]
    assert len(warnings) == 2, warnings
    tree = _tree(render_review(summary, source))
    flag = next(
        li for li in tree.xpath("//ul[@class='alerts']/li") if "前后不一致" in li.text_content()
    )
    listed = flag.xpath(".//ol[@class='srcwarns']/li")
    assert len(listed) == 2
    for li, w in zip(listed, warnings, strict=True):
        assert w["note"] in li.text_content()
        start, end = w["spans"][0]
        line = source.count("\n", 0, start) + 1
        assert f"第 {line} 行" in li.text_content()
        target = li.xpath(".//*[@data-target]/@data-target")[0]
        assert tree.get_element_by_id(target).text_content() == source[start:end]


def test_the_index_says_statuses_and_engines_in_chinese() -> None:
    page = render_index(
        [
            (_row("a.txt", "ok", 3) | {"engine": "llm"}, "a.html"),
            (_row("b.txt", "fallback", 2) | {"engine": "rules"}, "b.html"),
            (_row("c.doc", "failed"), None),
        ]
    )
    tree = _tree(page)
    cells = [[td.text_content() for td in tr.xpath("./td")] for tr in tree.xpath("//tbody/tr")]
    assert [c[1] for c in cells] == ["完成", "改用规则", "失败"]
    assert cells[0][10] == "模型" and cells[1][10] == "规则"
    meta = tree.xpath("//p[@class='meta']")[0].text_content()
    assert "完成 1 份" in meta and "失败 1 份" in meta and "ok" not in meta
    heads = [th.text_content() for th in tree.xpath("//thead//th")]
    assert not any(re.search("[A-Za-z]", h) for h in heads)
