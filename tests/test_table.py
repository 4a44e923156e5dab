"""The end of `summariser run`: the finished lines and the final table, 80 columns wide."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.batch.outcome import Outcome
from summariser.batch.table import WIDTH, finished_line, table, width, wrap
from summariser.pipeline.drafting import RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import ReportSummary

# Not a sample: a county report with one part missing, so its outcome has a reason to say.
REPORT = """清河县人民政府关于2024年度法治政府建设情况的报告

一、2024年度法治政府建设主要举措和成效
（一）规范行政执法。全年开展执法案卷评查2次，评查案卷186卷，发现问题37个，已全部整改。

二、存在的不足和原因
一是执法人员培训不足，全年仅培训3期。

清河县人民政府
2025年2月28日
"""


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> ReportSummary:
    path = tmp_path_factory.mktemp("in") / "qinghe-2024.txt"
    path.write_text(REPORT, encoding="utf-8")
    return summarise(read_document(path), RulesDrafter())


def test_width_counts_wide_characters_twice() -> None:
    assert width("abc") == 3 and width("清河县") == 6 and width("a，b") == 4


def test_every_line_of_the_table_fits_80_columns(summary: ReportSummary) -> None:
    long_reason = (
        "模型无法连接，改用规则：cannot reach the model at http://127.0.0.1:8080/v1 after 4 "
        "attempts (connection refused); start the server or set OPENAI_BASE_URL；缺少部分：第一"
        "责任人履职、下一年度安排、其他；12 个数字存疑；原文结尾被截断"
    )
    outcomes = [
        Outcome("qinghe-2024.txt", "ok", "缺少部分：第一责任人履职", summary, 3.2),
        Outcome("河北省石家庄市长安区人民政府关于2024年度法治政府建设情况的报告.docx", "fallback",
                long_reason, summary, 128.4),
        Outcome("a-very-long-english-file-name-from-a-crawler-0001234567.html", "failed",
                "cannot read (not valid UTF-8, GB18030 or UTF-16)"),
        Outcome(".DS_Store", "skipped", "hidden file"),
        Outcome("清河县2024.txt", "pending", "未完成"),
    ]  # fmt: skip
    text = table(outcomes)
    lines = text.splitlines()
    too_wide = [(width(line), line) for line in lines if width(line) > WIDTH]
    assert too_wide == []
    assert lines[0].split() == ["文件", "状态", "引擎", "条目", "所写数字", "摘录数字", "秒"]
    # nothing is lost to the width: every file name and every word of every reason is there
    joined = "".join(text.split())
    for o in outcomes:
        assert "".join(o.file.split()) in joined
        assert "".join(o.reason.split()) in joined
    assert "共 5 个文件：完成 1，改用规则 1，跳过 1，失败 1，未完成 1。" in text


def test_the_finished_line_says_the_status_as_the_table_does(summary: ReportSummary) -> None:
    line = finished_line(Outcome("qinghe-2024.txt", "fallback", "模型回答不可用", summary))
    assert line == "qinghe-2024.txt：改用规则 — 模型回答不可用"
    row = next(r for r in table([Outcome("qinghe-2024.txt", "fallback", "", summary)]).splitlines()
               if r.startswith("qinghe"))  # fmt: skip
    assert row.split()[1] == "改用规则" and row.split()[2] == "规则"


@pytest.mark.parametrize("columns", [20, 40, 76])
def test_wrap_keeps_every_character_and_breaks_after_a_clause_mark(columns: int) -> None:
    text = "全年开展执法案卷评查2次，评查案卷186卷；发现问题37个，已全部整改，another clause here"
    lines = wrap(text, columns)
    assert all(width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    if columns == 40:
        assert lines[0].endswith(("，", "；"))


def test_a_run_prints_its_read_failures_before_the_bar(tmp_path: Path) -> None:
    from summariser.batch.runner import Job, run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "qinghe-2024.txt").write_text(REPORT, encoding="utf-8")
    (folder / "broken.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    lines: list[str] = []
    outcomes = run_batch([folder], tmp_path / "out", Job(RulesDrafter()), log=lines.append)
    assert lines[0].startswith("broken.doc：失败 — ")
    assert lines[1].startswith("[1/1] qinghe-2024.txt：完成")
    assert len(lines) == len(outcomes)


def test_run_ends_by_saying_what_it_wrote(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "qinghe-2024.txt").write_text(REPORT, encoding="utf-8")
    (folder / "broken.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "summariser.cli", "run", str(folder), "--out", str(out),
         "--engine", "rules"],
        capture_output=True, text=True, encoding="utf-8", timeout=240,
    )  # fmt: skip
    assert done.returncode == 1  # the .doc failed
    *lines, said, where = done.stderr.strip().splitlines()
    assert said.startswith("已写入 1 份报告的摘要") and where == f"  位置：{out}"
    assert all(width(line) <= WIDTH for line in [*lines, said])
    assert (out / "qinghe-2024.json").is_file() and (out / "index.html").is_file()
