"""The briefing memo: gathering, checked figures only, grouping, Markdown and Word output."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from summariser.errors import ConfigError, InputError
from summariser.lexicon.themes import OTHER, classify
from summariser.memo import checks as memo_checks
from summariser.memo import command as memo_command
from summariser.memo import reading as memo_reading
from summariser.memo.checks import checked_sentences
from summariser.memo.command import run_memo
from summariser.memo.content import GOOD_STATUSES, build_memo
from summariser.memo.markdown import render_markdown
from summariser.output.runs import LoadedReport, gather
from summariser.schema import ReportSummary

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "memo"
REPORTS = ROOT / "examples" / "reports"
STEMS = ["baicheng-2023", "heshan-2024", "hubin-2023", "huangzhong-2024", "zhengxiang-2024"]
UNVERIFIED = {"1亿元", "1789件", "300人次"}
FIGURE_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    d = tmp_path / "run"
    d.mkdir()
    for stem in STEMS:
        shutil.copy(FIXTURES / f"{stem}.json", d / f"{stem}.json")
    return d


@pytest.fixture(scope="module")
def summaries() -> dict[str, ReportSummary]:
    return {
        s: ReportSummary.model_validate_json((FIXTURES / f"{s}.json").read_bytes()) for s in STEMS
    }


@pytest.fixture(scope="module")
def labels(summaries: dict[str, ReportSummary]) -> dict[str, str]:
    """Memo label → stem."""
    return {memo_reading.base_label(summaries[s], s): s for s in STEMS}


def digits(text: str) -> str:
    return "".join(re.findall(r"[0-9.]", text))


def good_figures(summary: ReportSummary, source: str) -> set[str]:
    """Figure texts of a report that are verified or derived; a verified one's best source
    span holds the same digits (the unit may be worded differently: 5件 for 5个)."""
    out = set()
    for n in summary.verification["numbers"]:  # type: ignore[union-attr]
        if n["status"] not in GOOD_STATUSES:
            continue
        if n["status"] == "verified":
            s0, s1 = n["source_spans"][0]
            assert digits(source[s0:s1]) == digits(n["text"]), n
        out.add(n["text"])
    return out


def assert_traceable(
    line: str, label: str, summaries: dict[str, ReportSummary], labels: dict[str, str]
) -> None:
    """Every digit in a body line belongs to a checked figure (or source quote) of its report."""
    stem = labels[label]
    source = (REPORTS / f"{stem}.txt").read_text(encoding="utf-8")
    text = line.replace(f"〔{label}〕", "")
    quote = re.search(r"：“(.+)”$", text)
    if quote:
        # a notable figure: the quote must be the source's own words
        assert quote.group(1).replace("‘", "“").replace("’", "”") in source
        return
    good = good_figures(summaries[stem], source)
    for m in FIGURE_RE.finditer(text):
        if len(m.group(0)) == 4 and text[m.end() : m.end() + 1] == "年":
            continue
        assert any(m.group(0) in g and g in text for g in good), (label, m.group(0), line)


# --- fixtures --------------------------------------------------------------------------------


def test_fixtures_are_valid_run_json(summaries: dict[str, ReportSummary]) -> None:
    assert not summaries["zhengxiang-2024"].completeness.parts["problems"]
    assert summaries["baicheng-2023"].completeness.truncated
    statuses = {
        n["status"]
        for s in summaries.values()
        for n in s.verification["numbers"]  # type: ignore[union-attr]
    }
    assert {"verified", "derived", "qualifier_changed", "not_found"} <= statuses
    for s in summaries.values():
        source = (REPORTS / s.source.name).read_text(encoding="utf-8")
        for items in s.parts.values():
            for item in items:
                assert item.quote_span is not None
                assert source[slice(*item.quote_span)] == item.quote
                for f in item.figures:
                    assert source[slice(*f.span)] == f.text
        for k in s.key_figures:
            assert source[slice(*k.figure.span)] == k.figure.text


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_memo_sections_table_and_flags(
    run_dir: Path, tmp_path: Path, summaries: dict[str, ReportSummary], labels: dict[str, str]
) -> None:
    out = tmp_path / "memo.md"
    assert run_memo([run_dir], out) == 0
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 2023—2024年度法治政府建设年度报告综述\n")
    assert "汇总5份法治政府建设年度报告，涉及5个报告主体（市级1份、县级4份）" in md
    for heading in (
        "一、总体情况",
        "二、主要举措和成效",
        "三、存在的问题和原因",
        "四、下一年度工作安排",
        "五、值得关注的数字",
        "六、需要注意的问题",
    ):
        assert f"\n## {heading}\n" in md
    table = [r.split(" | ") for r in md.splitlines() if r.startswith("| ") and r[2].isdigit()]
    rows = {r[1]: r for r in table}
    assert len(rows) == 5
    zx, bc = rows["蒸湘区司法局·2024"], rows["白城市司法局·2023"]
    # columns: 序号 主体 层级 年度 成效 不足 履职 安排 其他 截断 数字核对
    assert zx[5] == "缺" and zx[9] == "否"
    assert bc[5] == "有" and bc[9] == "是" and bc[10] == "24/2 |"
    body, flags = md.split("## 六、需要注意的问题")
    for fig in UNVERIFIED:
        assert fig not in body
        assert fig in flags
    assert "〔蒸湘区司法局·2024〕缺少“存在的不足和原因”" in flags
    assert "〔白城市司法局·2023〕原文在结尾处被截断" in flags
    assert "苏尔吉村" in flags  # a report flag
    # report flags that restate completeness and verification are not repeated
    assert "个数字未通过核对" not in md and "原文自身有" not in md
    assert "缺少法定部分：" not in md
    assert "〔湟中区司法局·2024〕“调解成功率98.38%”与“1673件”“1646件”不符" in flags
    assert "552.61%" not in body  # a key figure the report's flags call into doubt
    traced = 0
    for line in body.splitlines():
        m = re.search(r"〔([^〕]+)〕", line)
        if line.startswith("- ") and m:
            assert_traceable(line, m.group(1), summaries, labels)
            traced += 1
    assert traced > 40


def test_themes_name_their_reports_and_problems_keep_causes(run_dir: Path) -> None:
    memo = build_memo(gather([run_dir]).reports)
    themes = {g.theme: g for g in memo.achievements}
    assert "人民调解与矛盾纠纷化解" in themes
    assert themes["人民调解与矛盾纠纷化解"].count == 5
    for g in memo.achievements:
        # a few examples, each from another report among those the theme names
        assert 1 <= len(g.entries) <= 3
        assert len({e.report for e in g.entries}) == len(g.entries)
        assert {e.report for e in g.entries} <= set(g.reports)
        assert len(g.reports) == min(g.count, 5)
    # recurring problems first
    counts = [g.count for g in memo.problems]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert all(e.report != "蒸湘区司法局·2024" for g in memo.problems for e in g.entries)
    causes = [e.cause for g in memo.problems for e in g.entries if e.cause]
    assert "村（社区）法律顾问工作补助筹措较为困难。" in causes
    assert memo.plans and memo.notable


def test_output_is_deterministic_and_independent_of_input_order(tmp_path: Path) -> None:
    files = [FIXTURES / f"{s}.json" for s in STEMS]
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    run_memo(files, a)
    run_memo(list(reversed(files)), b)
    assert a.read_bytes() == b.read_bytes()


def test_copies_get_distinct_labels(tmp_path: Path) -> None:
    for i in range(2):
        shutil.copy(FIXTURES / "hubin-2023.json", tmp_path / f"hubin-copy-{i}.json")
    memo = build_memo(gather([tmp_path]).reports)
    assert [r.report for r in memo.overview] == [
        "湖滨区司法局·2023·hubin-copy-0",
        "湖滨区司法局·2023·hubin-copy-1",
    ]
    assert "涉及1个报告主体" in memo.scope[0]


# --- which sentences may be shown ------------------------------------------------------------


def _n(text: str, start: int, status: str) -> memo_checks.CheckedNumber:
    return memo_checks.CheckedNumber(text, start, start + len(text), status, None)


def test_checked_sentences_drop_unverified_and_unchecked_figures() -> None:
    text = "受理12件。办结8件；2024年新建3个。无数字的句子。"
    nums = [_n("12件", 2, "verified"), _n("8件", 8, "not_found")]
    kept, problems = checked_sentences(text, nums)
    assert kept == "受理12件。无数字的句子。"
    assert [(p.figure, p.status) for p in problems] == [("8件", "not_found"), ("3个", "unchecked")]


def test_what_the_run_passed_is_not_flagged() -> None:
    # programme names and slogans are no figures: the verifier passed them, so does the memo
    for text in (
        "推行“1+1+N”专项行动，覆盖各乡镇。",
        "建立“3+X”联动机制，推进矛盾纠纷多元化解。",
        "落实“一村一法律顾问”，推进“十四五”规划任务。",
    ):
        kept, problems = checked_sentences(text, [])
        assert kept == text and not problems, text


def test_years_are_not_figures() -> None:
    kept, problems = checked_sentences("2024年完成清理。", [])
    assert kept == "2024年完成清理。" and not problems


def test_classify_uses_title_first_and_table_order_on_ties() -> None:
    assert classify("法律援助", "受理案件") == "法律援助"
    assert classify("无关", "无关内容") == OTHER
    # "执法" and "复议" once each: 行政执法 is listed first
    assert classify("x", "执法 复议") == "行政执法"


@pytest.mark.parametrize(
    ("title", "text", "theme"),
    [
        # the title names the work area: it decides
        (
            "法律顾问全覆盖",
            "为全县各行政执法单位配备法律顾问，执法部门实现全覆盖。",
            "依法决策与法律顾问",
        ),
        ("执法人员培训", "邀请政府法律顾问为行政执法人员授课3期。", "行政执法"),
        ("深化普法宣传", "面向行政执法人员开展宪法、民法典专题讲座6场。", "普法"),
        # no title word: the text decides, each stretch counted once (行政执法人员 is one
        # mention of law enforcement, not three)
        (
            "多措并举",
            "法律顾问列席常务会议，提出法律意见，规范行政执法人员行为。",
            "依法决策与法律顾问",
        ),
        ("强化监督", "开展行政执法案卷评查，抽查行政处罚卷宗58卷，法律顾问参与。", "行政执法"),
        ("健全机制", "县政府常年法律顾问审查政府合同21件，出具法律意见书。", "依法决策与法律顾问"),
    ],
)
def test_themes_follow_what_the_item_is_about(title: str, text: str, theme: str) -> None:
    assert classify(title, text) == theme


# --- Word ------------------------------------------------------------------------------------


def test_docx_headings_table_fonts_and_figures(
    run_dir: Path, tmp_path: Path, summaries: dict[str, ReportSummary], labels: dict[str, str]
) -> None:
    out = tmp_path / "memo.docx"
    assert run_memo([run_dir], out) == 0
    doc = Document(str(out))
    sec = doc.sections[0]
    page = [
        sec.page_width,
        sec.page_height,
        sec.top_margin,
        sec.bottom_margin,
        sec.left_margin,
        sec.right_margin,
    ]
    assert [round(x.mm) for x in page] == [210, 297, 37, 35, 28, 26]  # stored in twips
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"

    def east_asia(p) -> str:  # type: ignore[no-untyped-def]
        """The East Asian face a paragraph's text is set in (its style's, runs set none)."""
        assert all(r._element.rPr is None or r._element.rPr.rFonts is None for r in p.runs)
        return p.style.element.rPr.rFonts.get(qn("w:eastAsia"))

    paras = doc.paragraphs
    assert paras[0].text == "2023—2024年度法治政府建设年度报告综述"
    assert east_asia(paras[0]) == "方正小标宋简体" and paras[0].style.font.size == Pt(22)
    h1 = [p.text for p in paras if p.style.name == "Memo Heading 1"]
    assert h1 == [
        "一、总体情况",
        "二、主要举措和成效",
        "三、存在的问题和原因",
        "四、下一年度工作安排",
        "五、值得关注的数字",
        "六、需要注意的问题",
        "附件1：各报告情况一览",
    ]
    assert {east_asia(p) for p in paras if p.style.name == "Memo Heading 1"} == {"黑体"}
    h2 = [p for p in paras if p.style.name == "Memo Heading 2"]
    assert {east_asia(p) for p in h2} == {"楷体"}
    assert "（一）组织领导与学法述法（3份报告提及）" in [p.text for p in h2]
    assert "（二）原文截断" in [p.text for p in h2]
    body_style = doc.styles["Memo Body"]
    assert body_style.font.size == Pt(16)
    assert body_style.paragraph_format.line_spacing == Pt(29)

    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:6] == ["序号", "报告主体", "层级", "年度", "成效", "不足"]
    by_name = {r[1]: r for r in rows[1:]}
    assert len(by_name) == 5
    assert by_name["蒸湘区司法局·2024"][5] == "缺"
    assert by_name["白城市司法局·2023"][9] == "是"

    texts = [p.text for p in paras]
    flags_at = texts.index("六、需要注意的问题")
    body, flags = texts[:flags_at], "\n".join(texts[flags_at:])
    for fig in UNVERIFIED:
        assert all(fig not in t for t in body)
        assert fig in flags
    traced = 0
    for t in body:
        m = re.search(r"〔([^〕]+)〕", t)
        if m and m.group(1) in labels:
            assert_traceable(t, m.group(1), summaries, labels)
            traced += 1
    assert traced > 40
    font_table = out.read_bytes()  # the fallback entries are written
    assert b"fontTable" in font_table


# --- bad input and writing -------------------------------------------------------------------


def test_bad_input_is_a_one_line_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        run_memo([tmp_path / "missing"], tmp_path / "m.md")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no run JSON found"):
        run_memo([empty], tmp_path / "m.md")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON") as err:
        run_memo([bad], tmp_path / "m.md")
    assert "\n" not in err.value.one_line()
    (bad / "a.json").write_text(json.dumps({"schema_version": "1"}), encoding="utf-8")
    with pytest.raises(InputError, match="not a report summary"):
        run_memo([bad], tmp_path / "m.md")
    with pytest.raises(InputError, match=".md or .docx"):
        run_memo([FIXTURES], tmp_path / "m.txt")
    assert not list(tmp_path.glob("m.*"))


def test_one_bad_json_among_many_is_flagged_not_fatal(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (run_dir / "broken.json").write_text("[1, 2", encoding="utf-8")
    out = tmp_path / "memo.md"
    assert run_memo([run_dir], out) == 0
    err = capsys.readouterr().err
    assert "skipped" in err and "broken.json" in err
    md = out.read_text(encoding="utf-8")
    assert "无法读取的文件" in md and "broken.json" in md
    assert "另有1个文件无法读取" in md


def test_writes_atomically(run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "memo.md"
    out.write_text("old", encoding="utf-8")

    def boom(memo: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(memo_command, "render_markdown", boom)
    with pytest.raises(RuntimeError):
        run_memo([run_dir], out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["memo.md"]
    monkeypatch.undo()
    run_memo([run_dir], out)
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["memo.md"]


# --- the synthesis paragraph -----------------------------------------------------------------


def test_llm_without_a_model_is_a_config_error(run_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no model"):
        run_memo([run_dir], tmp_path / "m.md", llm=True)


@dataclass
class FakeCheck:
    text: str
    status: str


class FakeIndex:
    """Stands in for grounding.SourceIndex: a figure is verified when it occurs in the source."""

    def __init__(self, source: str) -> None:
        self.source = source

    def check(self, text: str) -> list[FakeCheck]:
        found = re.finditer(r"\d+(?:\.\d+)?(?:万元|件|起|%)", text)
        return [
            FakeCheck(m.group(0), "verified" if m.group(0) in self.source else "not_found")
            for m in found
        ]


def test_synthesis_keeps_only_checked_sentences_and_traces_them(run_dir: Path) -> None:
    prompts: list[str] = []

    def synthesise(prompt: str) -> str:
        prompts.append(prompt)
        return (
            "各地调解工作成效明显，白城调解各类纠纷9084件。法律援助共办理99999件。"
            "普法形式仍需创新。"
        )

    got = gather([run_dir])
    memo = build_memo(got.reports, synthesise=synthesise, index_factory=FakeIndex)
    assert "9084件" in prompts[0] and "1789件" not in prompts[0]
    assert memo.synthesis is not None
    assert memo.synthesis.sentences == (
        "各地调解工作成效明显，白城调解各类纠纷9084件。",
        "普法形式仍需创新。",
    )
    assert memo.synthesis.reports[0] == ("白城市司法局·2023",)
    assert any("99999件" in f.message and f.report == "综合分析" for f in memo.flags)
    md = render_markdown(memo)
    assert "## 二、综合分析" in md and "99999" not in md.split("需要注意的问题")[0]


def test_synthesis_with_the_real_number_check(run_dir: Path) -> None:
    grounding = pytest.importorskip("summariser.grounding.checker")

    def synthesise(prompt: str) -> str:
        return "白城调解各类纠纷9084件，湖滨调解矛盾纠纷2075起。全区受理法律援助案件1789件。"

    memo = build_memo(
        gather([run_dir]).reports, synthesise=synthesise, index_factory=grounding.SourceIndex
    )
    assert memo.synthesis is not None
    assert memo.synthesis.sentences == ("白城调解各类纠纷9084件，湖滨调解矛盾纠纷2075起。",)
    assert set(memo.synthesis.reports[0]) == {"白城市司法局·2023", "湖滨区司法局·2023"}
    assert any("1789件" in f.message and f.report == "综合分析" for f in memo.flags)


def test_overview_counts_only_written_figures(summaries: dict[str, ReportSummary]) -> None:
    summary = next(iter(summaries.values()))
    numbers = [
        {"text": "5件", "status": "verified", "origin": "written"},
        {"text": "13件", "status": "derived", "origin": "written"},
        {"text": "3件", "status": "not_found", "origin": "written"},
        *[{"text": f"{i}件", "status": "verified", "origin": "copied"} for i in range(40)],
    ]
    marked = summary.model_copy(update={"verification": {"numbers": numbers, "counts": {}}})
    assert memo_reading._counts(marked) == (2, 1)
    unmarked = summary.model_copy(
        update={"verification": {"numbers": [{"text": "5件", "status": "verified"}] * 3}}
    )
    assert memo_reading._counts(unmarked) == (3, 0)  # written before origins: all counted


def test_memo_says_what_it_wrote(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md, docx = tmp_path / "memo.md", tmp_path / "memo.docx"
    run_memo([run_dir], md)
    said = capsys.readouterr().out.strip()
    chars = len(md.read_text(encoding="utf-8"))
    assert said.startswith(f"已写出综述：{md}（{chars:,}字，其中正文")
    run_memo([run_dir], docx)
    said = capsys.readouterr().out.strip()
    text = sum(len(p.text) for p in Document(str(docx)).paragraphs)
    m = re.fullmatch(rf"已写出综述：{re.escape(str(docx))}（([0-9,]+)字）", said)
    assert m is not None and int(m.group(1).replace(",", "")) > text


def test_a_figure_is_flagged_once_and_each_overview_line_names_its_part(
    summaries: dict[str, ReportSummary],
) -> None:
    from summariser.schema import Overview

    s = summaries["hubin-2023"]
    bad = next(n for n in s.verification["numbers"] if n["status"] == "qualifier_changed")
    item = s.parts["achievements"][int(bad["path"].split("/")[3])]
    sentence = item.summary
    overview = Overview(
        text=sentence,
        parts={"achievements": sentence, "plans": "持续推进“一村（社区）一法律顾问”制度。"},
        by="model",
    )
    # the overview repeats the item's sentence, and the verifier its verdicts there
    numbers = [
        *s.verification["numbers"],
        *[
            {**n, "path": "/overview/parts/achievements"}
            for n in s.verification["numbers"]
            if n["path"] == bad["path"]
        ],
    ]
    summary = s.model_copy(
        update={"overview": overview, "verification": {**s.verification, "numbers": numbers}}
    )
    memo = build_memo([LoadedReport(Path("hubin-2023.json"), summary)])
    said = [f for f in memo.flags if bad["text"] in f.message]
    assert len(said) == 1 and "执法人员培训" in said[0].message
    md = render_markdown(memo)
    assert "〔湖滨区司法局·2023〕安排：持续推进" in md
