"""The Excel export, read back with openpyxl: every item and figure of the JSON, with its status."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from summariser.batch.runner import Job, run_batch
from summariser.output.files import summary_json
from summariser.output.workbook import display_width, run_export
from summariser.pipeline.drafting import RulesDrafter
from summariser.reading.documents import read_document
from summariser.schema import PART_KEYS, PART_NAMES, STATUS_NAMES, ReportSummary
from tests.conftest import REPORTS_DIR, with_a_bent_figure

ROOT = Path(__file__).resolve().parent.parent
DATES = ("年月", "年月日")  # 2024-08, 2024-08-31: a date with a month is written as one
REPORTS = ROOT / "examples" / "reports"
SCRIPT = Path(sys.executable).parent / "summariser"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "summariser.cli"]


def rows(sheet: Worksheet) -> list[dict[str, Any]]:
    """The sheet's rows as dicts keyed by the header row."""
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def check_workbook(path: Path, summaries: dict[str, ReportSummary]) -> None:
    """Everything of each summary is in the workbook: items, checked figures, source figures."""
    book = load_workbook(path)
    assert book.sheetnames == ["报告", "条目", "关键数字", "数字", "指标", "指标原文"]
    reports = {r["报告"]: r for r in rows(book["报告"])}
    items = rows(book["条目"])
    key_rows = rows(book["关键数字"])
    figures = rows(book["数字"])
    assert set(reports) == set(summaries)
    for name, s in summaries.items():
        row = reports[name]
        assert (row["主体"], row["层级"], row["年度"]) == (
            s.metadata.issuer,
            s.metadata.level,
            s.metadata.year,
        )
        assert row["截断"] == ("是" if s.completeness.truncated else "否")
        assert row["条目"] == sum(len(v) for v in s.parts.values())
        assert row["引擎"] == {"llm": "模型", "rules": "规则"}[s.run.engine]
        assert row["总体情况"] == (s.overview.text if s.overview else None)
        for status, count in s.verification["counts"].items():
            assert row[STATUS_NAMES[status]] == count, (name, status)
        for origin, head in (("written", "所写"), ("copied", "摘录")):
            for key, word in (("checked", "核对"), ("verified", "核实"), ("flagged", "存疑")):
                assert row[head + word] == s.verification["by_origin"][origin][key]

        want_items = [
            (it.title, it.summary, it.quote, it.source_span[0], it.source_span[1])
            for key in PART_KEYS
            for it in s.parts[key]
        ]
        got_items = [
            (r["小标题"], r["摘要"], r["原文依据"], r["段落起"], r["段落止"])
            for r in items
            if r["报告"] == name
        ]
        assert got_items == want_items

        # every key figure, with what it counts (its label) and its part's full name
        want_keys = [
            (k.figure.text, k.label or None, PART_NAMES[k.part], k.figure.span[0], k.quote)
            for k in s.key_figures
        ]
        got_keys = [
            (r["数字"], r["指标"], r["部分"], r["原文起"], r["原话"])
            for r in key_rows
            if r["报告"] == name
        ]
        assert got_keys == want_keys

        mine = [r for r in figures if r["报告"] == name]
        numbers = s.verification["numbers"]
        # the summary's own words: one row per check, said as written by the model
        written = Counter(
            (n["path"], n["text"], STATUS_NAMES[n["status"]])
            for n in numbers
            if n["origin"] == "written"
        )
        got_written = Counter(
            (r["JSON路径"], r["数字"], r["核对结果"]) for r in mine if r["来源"] != "摘自原文"
        )
        assert got_written == written
        assert all(r["来源"] == "模型所写" for r in mine if r["来源"] != "摘自原文")
        # the source's figures: each place in the source once, whatever copies it, with the
        # places that copy it named; the worst status of its checks
        copied = [r for r in mine if r["来源"] == "摘自原文"]
        places = [(r["原文起"], r["原文止"], r["数字"]) for r in copied if r["原文起"] is not None]
        assert len(places) == len(set(places))
        for n in numbers:
            if n["origin"] == "written" or not n["source_spans"]:
                continue
            start, end = n["source_spans"][0]
            row = next(
                r
                for r in copied
                if (r["原文起"], r["原文止"], r["数字"]) == (start, end, n["text"])
            )
            if n["status"] not in ("verified", "derived"):
                assert row["核对结果"] == STATUS_NAMES[n["status"]]
        for key in PART_KEYS:
            for it in s.parts[key]:
                for f in it.figures:
                    assert (f.span[0], f.span[1], f.text) in places
        assert {r["核对结果"] for r in mine} <= {*STATUS_NAMES.values(), "原文数字"}
    # numbers are numbers, not text that looks like one
    assert all(isinstance(r["年度"], int) for r in reports.values() if r["年度"] is not None)
    values = [r["数值"] for r in figures if r["数值"] is not None and r["单位"] not in DATES]
    assert values and all(isinstance(v, int | float) for v in values)
    years = [r["数值"] for r in figures if r["单位"] == "年" and r["数字"].startswith("20")]
    assert years and all(isinstance(y, int) and 1990 <= y <= 2100 for y in years), years
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2"
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )


def write_run(folder: Path, summaries: dict[str, ReportSummary]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, s in summaries.items():
        (folder / f"{stem}.json").write_text(summary_json(s), encoding="utf-8")
    return folder


def test_model_summaries_are_all_in_the_workbook(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    # one figure bent as models bend them (the recorded answers may all check out): a status
    # other than verified must survive into the workbook
    source = read_document(REPORTS_DIR / "hubin-2023.txt").text
    summaries = {**replayed, "hubin-2023": with_a_bent_figure(replayed["hubin-2023"], source)}
    run = write_run(tmp_path / "run", summaries)
    assert run_export([run], tmp_path / "s.xlsx") == 0
    check_workbook(tmp_path / "s.xlsx", summaries)
    statuses = {n["status"] for s in summaries.values() for n in s.verification["numbers"]}
    assert statuses - {"verified"}, statuses


def test_key_figures_say_what_they_count(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    """The 关键数字 sheet names what a figure counts and its part in full: hubin's 2075起 are
    矛盾纠纷 mediated (“调解矛盾纠纷2075起”), under 上一年度主要举措和成效."""
    run = write_run(tmp_path / "run", {"hubin-2023": replayed["hubin-2023"]})
    assert run_export([run], tmp_path / "s.xlsx") == 0
    got = {r["数字"]: r for r in rows(load_workbook(tmp_path / "s.xlsx")["关键数字"])}
    assert got["2075起"]["指标"] == "调解矛盾纠纷"
    assert got["2075起"]["部分"] == "上一年度主要举措和成效"
    assert got["2075起"]["依据"]


def test_indicator_sheet_has_one_row_per_report_and_numbers_as_numbers(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    """指标: hubin states 调解矛盾纠纷2075起 and 受理指派援助案件405件 (read by hand), as numbers
    under headers that carry the unit; 指标原文 keeps each value's clause."""
    run = write_run(tmp_path / "run", {k: replayed[k] for k in ("hubin-2023", "heshan-2024")})
    assert run_export([run], tmp_path / "s.xlsx") == 0
    book = load_workbook(tmp_path / "s.xlsx")
    wide = {r["报告"]: r for r in rows(book["指标"])}
    assert set(wide) == {"hubin-2023", "heshan-2024"}
    hubin = wide["hubin-2023"]
    assert hubin["人民调解纠纷数（件）"] == 2075
    assert hubin["法律援助案件数（件）"] == 405
    assert hubin["人民调解成功率（%）"] == 96
    assert hubin["行政复议案件数（件）"] is None  # hubin states no reconsideration caseload
    long = [r for r in rows(book["指标原文"]) if r["报告"] == "hubin-2023"]
    mediated = next(r for r in long if r["指标"] == "人民调解纠纷数")
    assert "调解矛盾纠纷2075起" in mediated["原文分句"]
    assert mediated["比较采用"] == "是" and mediated["核对结果"] == "核实"


def test_rules_engine_run_is_all_in_the_workbook(tmp_path: Path) -> None:
    run = tmp_path / "run"
    outcomes = run_batch(
        sorted(REPORTS.glob("*.txt")), run, Job(RulesDrafter()), log=lambda _: None
    )
    assert {o.status for o in outcomes} == {"ok"}
    summaries = {
        p.stem: ReportSummary.model_validate_json(p.read_bytes()) for p in run.glob("*.json")
    }
    assert run_export([run], tmp_path / "s.xlsx") == 0
    check_workbook(tmp_path / "s.xlsx", summaries)


def _variant(summary: ReportSummary) -> ReportSummary:
    """A summary with a kind of count the export has never seen, and a figure flagged."""
    data = json.loads(summary_json(summary))
    numbers = data["verification"]["numbers"]
    numbers[0] = dict(numbers[0], status="qualifier_changed", note="原文为“余”，摘要未保留")
    data["verification"]["counts"]["qualifier_changed"] += 1
    data["verification"]["counts"]["verified"] -= 1
    data["verification"]["by_reviewer"] = {"model": 3, "copied": len(numbers) - 3}
    return ReportSummary.model_validate(data)


def test_counts_follow_the_json_and_same_stems_get_their_folder(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    stem = "hubin-2023"
    first = write_run(tmp_path / "llm", {stem: replayed[stem]})
    second = write_run(tmp_path / "other", {stem: _variant(replayed[stem])})
    assert run_export([first, second], tmp_path / "s.xlsx") == 0
    book = load_workbook(tmp_path / "s.xlsx")
    reports = {r["报告"]: r for r in rows(book["报告"])}
    assert set(reports) == {"llm/hubin-2023", "other/hubin-2023"}
    variant = reports["other/hubin-2023"]
    copied = len(replayed[stem].verification["numbers"]) - 3
    assert variant["其他计数"] == f"by_reviewer.model=3；by_reviewer.copied={copied}"
    assert reports["llm/hubin-2023"]["其他计数"] is None  # that run has no such count
    # nested counts get one column each, with the numbers of the JSON
    written = replayed[stem].verification["by_origin"]["written"]
    assert reports["llm/hubin-2023"]["所写核对"] == written["checked"] > 0
    assert reports["llm/hubin-2023"]["核实"] == replayed[stem].verification["counts"]["verified"]
    flagged = [
        r for r in rows(book["数字"])
        if r["报告"] == "other/hubin-2023" and r["核对结果"] == "修饰语不符"
    ]  # fmt: skip
    assert any(r["说明"] == "原文为“余”，摘要未保留" for r in flagged)


def test_column_widths_count_chinese_characters_double() -> None:
    assert display_width("法治政府") == 8
    assert display_width("2023年") == 6
    assert display_width("ABC") == 3


def test_wide_columns_fit_chinese_text(replayed: dict[str, ReportSummary], tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", replayed)
    run_export([run], tmp_path / "s.xlsx")
    sheet = load_workbook(tmp_path / "s.xlsx")["报告"]
    header = [c.value for c in sheet[1]]
    issuer = sheet.column_dimensions[chr(ord("A") + header.index("主体"))].width
    longest = max(display_width(s.metadata.issuer or "") for s in replayed.values())
    assert issuer >= longest  # 白城市司法局 is 12 wide, not 6


def export_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, "export", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_bad_run_folders_are_one_line_and_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    not_summary = tmp_path / "other"
    not_summary.mkdir()
    (not_summary / "config.json").write_text('{"a": 1}', encoding="utf-8")
    out = tmp_path / "s.xlsx"
    for args, says in [
        ([tmp_path / "missing"], "no such file or folder"),
        ([empty], "no run JSON found"),
        ([not_summary], "not a report summary"),
    ]:
        done = export_cli(*args, "--out", out)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2, done.stderr
        assert len(lines) == 1 and lines[0].startswith("summariser: error: ") and says in lines[0]
        assert not out.exists()
    done = export_cli(empty, "--out", tmp_path / "s.csv")
    assert done.returncode == 2 and "must end in .xlsx" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "other"]


def test_export_cli_writes_the_workbook_with_the_umask(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    run = write_run(tmp_path / "run", replayed)
    out = tmp_path / "s.xlsx"
    old = os.umask(0o027)
    try:
        done = export_cli(run, "--out", out)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    check_workbook(out, replayed)


def test_a_folder_as_out_is_an_error(replayed: dict[str, ReportSummary], tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", {"hubin-2023": replayed["hubin-2023"]})
    (tmp_path / "s.xlsx").mkdir()
    done = export_cli(run, "--out", tmp_path / "s.xlsx")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("summariser: error: ")
    shutil.rmtree(tmp_path / "s.xlsx")


def test_a_stray_json_beside_summaries_is_a_warning(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    run = write_run(tmp_path / "run", {"hubin-2023": replayed["hubin-2023"]})
    (run / "notes.json").write_text("[1, 2", encoding="utf-8")
    done = export_cli(run, "--out", tmp_path / "s.xlsx")
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"summariser: warning: skipped {run / 'notes.json'}: not valid JSON")
    assert [r["报告"] for r in rows(load_workbook(tmp_path / "s.xlsx")["报告"])] == ["hubin-2023"]


def test_an_analyst_reads_it_without_resizing_anything(
    replayed: dict[str, ReportSummary], tmp_path: Path
) -> None:
    run = write_run(tmp_path / "run", replayed)
    assert run_export([run], tmp_path / "s.xlsx") == 0
    book = load_workbook(tmp_path / "s.xlsx")
    for sheet in book.worksheets:
        heads = [c.value for c in sheet[1]]
        for name in ("摘要", "原文依据", "原文上下文", "总体情况", "原话"):
            if name not in heads:
                continue
            column = heads.index(name) + 1
            letter = sheet.cell(1, column).column_letter
            assert 40 <= sheet.column_dimensions[letter].width <= 80, (sheet.title, name)
            cells = [sheet.cell(r, column) for r in range(2, sheet.max_row + 1)]
            filled = [c for c in cells if c.value]
            assert filled and all(c.alignment.wrap_text for c in filled), (sheet.title, name)
        # no header, sheet name or value in English: the JSON keeps the keys
        assert not [h for h in heads if h != "JSON路径" and any("a" <= ch <= "z" for ch in h)]
    reports = rows(book["报告"])
    assert all(r["总体情况"] for r in reports)
    figures = rows(book["数字"])
    assert {r["来源"] for r in figures} == {"模型所写", "摘自原文"}
    assert {r["修饰语"] for r in figures} <= {None, "以上", "不足", "约"}


def test_export_says_what_it_wrote(
    replayed: dict[str, ReportSummary], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = write_run(tmp_path / "run", replayed)
    out = tmp_path / "s.xlsx"
    assert run_export([run], out) == 0
    said = capsys.readouterr().out.strip()
    book = load_workbook(out)
    counts = "，".join(f"{s.title} {s.max_row - 1} 行" for s in book.worksheets)
    assert said == f"已写入 {out}：{len(book.worksheets)} 张表，{counts}"


def test_summaries_are_read_one_at_a_time(
    replayed: dict[str, ReportSummary], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat over a large run: a summary is let go once its rows are written."""
    import gc
    import weakref

    from summariser.output import runs

    run = tmp_path / "run"
    for n in range(12):
        stem = sorted(replayed)[n % len(replayed)]
        write_run(run / f"batch{n:02}", {stem: replayed[stem]})
    alive: list[weakref.ref[ReportSummary]] = []
    most = 0
    real = runs.load_summary

    def load(path: Path) -> ReportSummary:
        nonlocal most
        gc.collect()
        most = max(most, sum(r() is not None for r in alive))
        summary = real(path)
        alive.append(weakref.ref(summary))
        return summary

    monkeypatch.setattr(runs, "load_summary", load)
    assert run_export(sorted(run.iterdir()), tmp_path / "s.xlsx") == 0
    assert len(alive) == 12 and most <= 1
    assert len(rows(load_workbook(tmp_path / "s.xlsx")["报告"])) == 12
