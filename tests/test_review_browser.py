"""The review pages in a real headless Chromium: no console error, clicks scroll, the index sorts."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summariser.batch.runner import Job, run_batch
from summariser.output.index_page import render_index
from summariser.output.review import render_review
from summariser.pipeline.drafting import RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import PART_KEYS, ReportSummary
from tests import chromium
from tests.conftest import with_a_bent_figure
from tests.test_review import _year_in_title

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "examples" / "reports"

# Not a sample: a report whose text carries markup that would run if it were not escaped.
HOSTILE = """西城区人民政府关于2024年法治政府建设情况的报告

一、2024年法治政府建设主要举措和成效
（一）推进行政复议。全年共受理行政复议案件120件，办结100件。网页曾被植入<script>window.pwned=1</script><img src=x onerror="window.pwned=2">字样，已清除。

二、存在的不足和原因
一是执法人员专业能力不足，全年仅培训2期。

三、2025年主要安排
一是完善复议体制。

西城区人民政府
2025年3月1日
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium.require()
    with chromium.chromium() as session:
        yield session


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`summariser run --engine rules` over the five samples: the pages the command writes."""
    out = tmp_path_factory.mktemp("run")
    run_batch([REPORTS], out, Job(RulesDrafter()), log=lambda _: None)
    return out


def _summary(path: Path) -> ReportSummary:
    return ReportSummary.model_validate_json(path.read_text(encoding="utf-8"))


def _open(browser: Any, page: Path) -> None:
    chromium.errors(browser)  # drain what earlier pages said
    browser.get(chromium.url(page))
    assert browser.execute_script("return document.readyState") == "complete"


def _on_page(browser: Any) -> dict[str, Any]:
    return dict(
        browser.execute_script(
            """
            const marks = Array.from(document.querySelectorAll('main mark[data-path]'));
            return {
              items: Array.from(document.querySelectorAll('article.item')).map(a => a.id),
              figures: marks.map(m => [m.dataset.path, m.dataset.status, m.textContent]),
              source: document.getElementById('source').textContent,
            };
            """
        )
    )


def _check_page(browser: Any, page: Path, summary: ReportSummary, source: str) -> None:
    _open(browser, page)
    seen = _on_page(browser)
    assert chromium.errors(browser) == []
    assert seen["source"] == source
    assert seen["items"] == [f"i-{k}-{i}" for k in PART_KEYS for i in range(len(summary.parts[k]))]
    shown = {tuple(f) for f in seen["figures"]}
    for n in summary.verification["numbers"]:
        if _year_in_title(n):  # the report's period, shown as text
            continue
        assert (n["path"], n["status"], n["text"]) in shown, n


def test_every_sample_page_loads_clean_with_every_item_and_figure(
    browser: Any, run_dir: Path
) -> None:
    pages = sorted(run_dir.glob("*-*.html"))
    assert [p.stem for p in pages] == [p.stem for p in sorted(REPORTS.glob("*.txt"))]
    for page in pages:
        source = read_document(REPORTS / f"{page.stem}.txt").text
        _check_page(browser, page, _summary(run_dir / f"{page.stem}.json"), source)


def test_the_model_pages_show_the_flagged_figure(
    browser: Any, replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    bent = {}
    for stem, summary in replayed.items():
        source = read_document(REPORTS / f"{stem}.txt").text
        if stem == "hubin-2023":  # its recorded answers all check out: one figure is bent
            summary = with_a_bent_figure(summary, source)
        bent[stem] = summary
        page = tmp_path / f"{stem}.html"
        page.write_text(render_review(summary, source), encoding="utf-8")
        _check_page(browser, page, summary, source)
        flagged = [
            n for n in summary.verification["numbers"] if n["status"] not in ("verified", "derived")
        ]
        shown = browser.execute_script(
            "return Array.from(document.querySelectorAll('main mark.st-flagged[data-path]'))"
            ".map(m => [m.dataset.path, m.textContent, m.nextElementSibling.textContent])"
        )
        assert sorted((p, t) for p, t, _ in shown) == sorted(
            (n["path"], n["text"]) for n in flagged
        )
        for (_, _, note), n in zip(
            sorted(shown), sorted(flagged, key=lambda n: (n["path"], n["text"])), strict=True
        ):
            assert n["note"] in note
        if flagged:  # the count at the top leads to the flagged figure in the summary
            _click(browser, "[data-jump='flagged']")
            assert browser.execute_script(
                "const m = document.querySelector('main article .summary mark.st-flagged');"
                "const r = m.getBoundingClientRect(); return m.classList.contains('flash')"
                " && r.top >= 0 && r.bottom <= window.innerHeight;"
            )
    assert any(
        n["status"] == "qualifier_changed" for s in bent.values() for n in s.verification["numbers"]
    )


def _in_view(browser: Any, element_id: str) -> bool:
    return bool(
        browser.execute_script(
            """
            const el = document.getElementById(arguments[0]);
            const r = el.getBoundingClientRect();
            const pane = el.closest('.source-pane, .summary-pane').getBoundingClientRect();
            return r.height > 0 && r.top >= pane.top && r.bottom <= pane.bottom
              && r.top >= 0 && r.bottom <= window.innerHeight;
            """,
            element_id,
        )
    )


def _click(browser: Any, selector: str) -> None:
    from selenium.webdriver.common.by import By

    element = browser.find_element(By.CSS_SELECTOR, selector)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


@pytest.mark.parametrize("stem", ["huangzhong-2024", "baicheng-2023"])
def test_a_click_on_an_item_brings_its_span_into_view(
    browser: Any, run_dir: Path, stem: str
) -> None:
    summary = _summary(run_dir / f"{stem}.json")
    key = [k for k in PART_KEYS if summary.parts[k]][-1]
    last = len(summary.parts[key]) - 1
    _open(browser, run_dir / f"{stem}.html")
    assert not _in_view(browser, f"s-{key}-{last}")  # far down the source at first
    _click(browser, f"#i-{key}-{last} h3")
    assert _in_view(browser, f"s-{key}-{last}")
    assert "flash" in browser.find_element("id", f"s-{key}-{last}").get_attribute("class")
    # back to the top, then a figure of that item's quote: its place in the source comes into view
    browser.execute_script("document.querySelector('.source-pane').scrollTop = 0")
    target, item = browser.execute_script(
        "const m = Array.from(document.querySelectorAll('article.item blockquote mark[data-target]'))"
        ".pop(); return [m.dataset.target, m.closest('article').id];"
    )
    assert not _in_view(browser, target)
    _click(browser, f"#{item} blockquote mark[data-target='{target}']")
    assert _in_view(browser, target)
    # and a click in the source goes to its item
    browser.execute_script("document.querySelector('.summary-pane').scrollTop = 0")
    first = f"i-{PART_KEYS[0]}-0"
    _click(browser, f"#s-{key}-{last}")
    assert _in_view(browser, f"i-{key}-{last}") and not _in_view(browser, first)
    assert chromium.errors(browser) == []


def test_markup_in_a_report_shows_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "xicheng-2024.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    doc = read_document(path)
    page = tmp_path / "xicheng-2024.html"
    page.write_text(render_review(summarise(doc, RulesDrafter()), doc.text), encoding="utf-8")
    _open(browser, page)
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    text = browser.find_element("id", "source").text
    assert "<script>window.pwned=1</script>" in text and 'onerror="window.pwned=2"' in text
    assert chromium.errors(browser) == []


def _column(browser: Any, n: int) -> list[str]:
    return list(
        browser.execute_script(
            "return Array.from(document.querySelectorAll('#reports tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.cells[arguments[0]].textContent)",
            n,
        )
    )


def _head(browser: Any, label: str) -> int:
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#reports thead th')).map(t => t.textContent)"
    )
    return int(labels.index(label))


def test_the_run_index_sorts_by_a_click_on_a_column_head(browser: Any, run_dir: Path) -> None:
    _open(browser, run_dir / "index.html")
    assert chromium.errors(browser) == []
    items = {
        p.stem: sum(len(v) for v in json.loads(p.read_text(encoding="utf-8"))["parts"].values())
        for p in run_dir.glob("*.json")
    }
    col = _head(browser, "条目")
    _click(browser, f"#reports thead th:nth-child({col + 1})")
    assert [int(v) for v in _column(browser, col)] == sorted(items.values())
    _click(browser, f"#reports thead th:nth-child({col + 1})")
    assert [int(v) for v in _column(browser, col)] == sorted(items.values(), reverse=True)
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#reports tbody a')).map(a => a.getAttribute('href'))"
    )
    assert sorted(links) == sorted(f"{stem}.html" for stem in items)


def test_an_index_of_200_reports_sorts_and_filters_at_once(browser: Any, tmp_path: Path) -> None:
    rng = random.Random(11)
    rows: list[tuple[dict[str, object], str | None]] = []
    for n in range(200):
        failed = n % 17 == 0
        row: dict[str, object] = {
            "file": f"report-{n:03}.txt", "status": "failed" if failed else "ok",
            "reason": "cannot read" if failed else "", "issuer": f"第{n}县人民政府",
            "year": "" if failed else 2020 + n % 5,
            "items": "" if failed else rng.randint(1, 60),
            "figures_verified": "" if failed else rng.randint(0, 900),
            "figures_flagged": "" if failed else rng.randint(0, 12),
        }  # fmt: skip
        rows.append((row, None if failed else f"report-{n:03}.html"))
    page = tmp_path / "index.html"
    page.write_text(render_index(rows), encoding="utf-8")
    _open(browser, page)
    col = _head(browser, "核实")
    took = browser.execute_script(
        "const t = performance.now(); document.querySelectorAll('#reports thead th')[arguments[0]]"
        ".click(); return performance.now() - t;",
        col,
    )
    assert took < 500, f"sorting 200 rows took {took:.0f} ms"
    ok = sorted(int(str(r["figures_verified"])) for r, _ in rows if r["status"] == "ok")
    shown = _column(browser, col)
    assert shown[: len(rows) - len(ok)] == [""] * (len(rows) - len(ok))  # no number sorts first
    assert [int(v) for v in shown[len(rows) - len(ok) :]] == ok
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "filter").send_keys("失败")
    assert len(_column(browser, 0)) == sum(r["status"] == "failed" for r, _ in rows)
    assert chromium.errors(browser) == []


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    chromium.require()
    with chromium.chromium() as session:
        chromium.narrow(session, 400)
        yield session


def test_on_a_phone_the_panes_stack_and_an_item_leads_to_its_source(
    phone: Any, run_dir: Path
) -> None:
    stem = "huangzhong-2024"
    summary = _summary(run_dir / f"{stem}.json")
    key = [k for k in PART_KEYS if summary.parts[k]][-1]
    last = len(summary.parts[key]) - 1
    _open(phone, run_dir / f"{stem}.html")
    layout = phone.execute_script(
        """
        const main = document.querySelector('.summary-pane').getBoundingClientRect();
        const side = document.querySelector('.source-pane').getBoundingClientRect();
        return {width: window.innerWidth, scroll: document.documentElement.scrollWidth,
                mainRight: main.right, sideTop: side.top, mainBottom: main.bottom,
                sideWidth: side.width};
        """
    )
    assert layout["width"] <= 420, layout  # the window really is a phone's width
    assert layout["sideTop"] >= layout["mainBottom"] - 1, layout  # stacked, source below
    assert layout["mainRight"] <= layout["width"] and layout["sideWidth"] <= layout["width"]
    assert layout["scroll"] <= layout["width"], layout  # nothing wider than the screen
    assert not _in_view(phone, f"s-{key}-{last}")
    _click(phone, f"#i-{key}-{last} h3")
    assert _in_view(phone, f"s-{key}-{last}")
    assert chromium.errors(phone) == []


# Not a sample: figures with units that a narrow column tends to split.
NARROW = """南湖区人民政府关于2024年度法治政府建设情况的报告

一、2024年度法治政府建设主要举措和成效
（一）开展执法培训。全年组织行政执法人员培训班12期，参训300余人次，考试合格率达100%，较上年提高3.5个百分点，投入培训经费12.6万元。
（二）化解矛盾纠纷。全区调解矛盾纠纷1673件，调解成功1646件，调解成功率98.38%。

二、存在的不足和原因
一是基层执法力量不足，部分乡镇执法人员不足5人。

三、2025年度主要安排
一是持续开展执法培训，全年培训不少于1000人次。

南湖区人民政府
2025年3月10日
"""


def _figures_on_one_line(browser: Any, selector: str) -> list[list[Any]]:
    """For each element matched: its text and how many lines its text boxes take."""
    return list(
        browser.execute_script(
            """
            return Array.from(document.querySelectorAll(arguments[0])).map(el => {
              const range = document.createRange();
              range.selectNodeContents(el);
              const tops = new Set(Array.from(range.getClientRects())
                .filter(r => r.width > 0).map(r => Math.round(r.top)));
              return [el.textContent, tops.size];
            });
            """,
            selector,
        )
    )


@pytest.mark.parametrize("width", [400, 520, 1440])
def test_a_figure_and_its_unit_never_break_across_lines(tmp_path: Path, width: int) -> None:
    chromium.require()
    path = tmp_path / "nanhu-2024.txt"
    path.write_text(NARROW, encoding="utf-8")
    doc = read_document(path)
    page = tmp_path / "nanhu-2024.html"
    page.write_text(render_review(summarise(doc, RulesDrafter()), doc.text), encoding="utf-8")
    with chromium.chromium() as browser:
        chromium.narrow(browser, width, 900)
        _open(browser, page)
        # squeeze the text so that some figure falls at a line's end whatever the fonts are
        for inset in range(0, 60, 3):
            browser.execute_script(
                "document.querySelectorAll('.source, .summary, blockquote').forEach("
                "e => e.style.paddingRight = arguments[0] + 'px')",
                inset,
            )
            seen = _figures_on_one_line(browser, "mark.fig, .nb")
            assert {t for t, _ in seen} >= {"300余人次", "100%", "98.38%", "12.6万元"}
            split = [t for t, lines in seen if lines != 1]
            assert split == [], (inset, split)
        assert chromium.errors(browser) == []


def test_the_part_bar_stands_before_the_first_character(browser: Any, run_dir: Path) -> None:
    _open(browser, run_dir / "huangzhong-2024.html")
    gaps = browser.execute_script(
        """
        return Array.from(document.querySelectorAll('#source .seg')).map(seg => {
          const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
          let node = walker.nextNode();
          while (node && !node.data.trim()) node = walker.nextNode();
          const range = document.createRange();
          range.setStart(node, 0); range.setEnd(node, 1);
          const bar = seg.getClientRects()[0];
          const width = parseFloat(getComputedStyle(seg).borderLeftWidth);
          return [width, range.getClientRects()[0].left - bar.left];
        });
        """
    )
    assert gaps
    for width, gap in gaps:
        assert width >= 2 and gap >= width, (width, gap)
