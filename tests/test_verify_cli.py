"""The `summariser verify` command: table, --json, exit codes, run JSON input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "examples" / "reports" / "zhengxiang-2024.txt"
runner = CliRunner()


def verify(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    p = tmp_path / "good.md"
    p.write_text(
        "# 蒸湘区\n\n- 派发资料30000余份，提供法律咨询400余次。\n- 线上观看超过1700次。\n",
        encoding="utf-8",
    )
    return p


@pytest.fixture()
def bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.txt"
    p.write_text("派发资料3万份，法律援助中心受理430人次，调解成功22起。", encoding="utf-8")
    return p


def test_all_verified_exits_0_with_a_table(good: Path) -> None:
    code, out, _ = verify("--source", str(REPORT), str(good))
    assert code == 0
    assert "30000余份" in out and "verified" in out
    assert "verified: 3" in out


def test_a_wrong_figure_exits_1(bad: Path) -> None:
    code, out, _ = verify("--source", str(REPORT), str(bad))
    assert code == 1
    for status in ("qualifier_changed", "unit_mismatch", "not_found"):
        assert status in out
    assert "原文为“3万余份”" in out


def test_json_is_one_object_with_offsets_into_the_summary(bad: Path) -> None:
    code, out, _ = verify("--source", str(REPORT), str(bad), "--json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"numbers", "counts", "by_origin", "source_warnings"}
    assert data["by_origin"]["written"]["flagged"] == 3  # free text: all of it is written
    text = bad.read_text(encoding="utf-8")
    src = REPORT.read_text(encoding="utf-8")
    for n in data["numbers"]:
        assert text[n["start"] : n["end"]] == n["text"]
        for a, b in n["source_spans"]:
            assert src[a:b]
        assert {
            "text",
            "start",
            "end",
            "value",
            "unit",
            "qualifier",
            "status",
            "source_spans",
        } <= set(n)
    assert [n["status"] for n in data["numbers"]] == [
        "qualifier_changed",
        "unit_mismatch",
        "not_found",
    ]
    assert data["counts"]["qualifier_changed"] == 1


def test_run_json_checks_its_strings_with_paths(tmp_path: Path) -> None:
    src = REPORT.read_text(encoding="utf-8")
    at = src.index("派发资料3万余份")
    summary = {
        "schema_version": "1",
        "source": {
            "name": "x.txt",
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "format": "txt",
            "encoding": "utf-8",
            "chars": 123,
        },
        "metadata": {"title": "蒸湘区司法局2024年法治建设年度报告", "published": "2025-03-31"},
        "parts": {
            "achievements": [
                {
                    "title": "普法宣传",
                    "summary": "派发资料3万份",
                    "quote": "派发资料3万余份",
                    "source_span": [at - 50, at + 50],
                    "flags": ["“3万份”未通过核对"],
                }
            ]
        },
        "verification": {"numbers": [{"text": "999件"}]},
        "run": {"engine": "rules", "tokens_in": 12345},
    }
    p = tmp_path / "run.json"
    p.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    code, out, _ = verify("--source", str(REPORT), str(p), "--json")
    assert code == 1
    numbers = json.loads(out)["numbers"]
    paths = {n["path"] for n in numbers}
    assert paths == {
        "/metadata/title",
        "/metadata/published",
        "/parts/achievements/0/summary",
        "/parts/achievements/0/quote",
    }
    bad = [n for n in numbers if n["status"] != "verified"]
    assert [(n["path"], n["text"], n["start"]) for n in bad] == [
        ("/parts/achievements/0/summary", "3万份", 4)
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("--source", "/no/such/report.txt", "{summary}"),
        ("--source", str(REPORT), "/no/such/summary.txt"),
    ],
)
def test_missing_files_exit_2_with_one_line(args: tuple[str, ...], good: Path) -> None:
    code, out, err = verify(*(a.replace("{summary}", str(good)) for a in args))
    assert code == 2
    assert err.startswith("summariser: error:") and err.count("\n") == 1
    assert "Traceback" not in out + err


def test_undecodable_and_broken_json_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = verify("--source", str(REPORT), str(junk))
    assert code == 2 and "UTF-8" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = verify("--source", str(REPORT), str(broken))
    assert code == 2 and "not valid JSON" in err


def test_missing_source_option_is_a_usage_error(good: Path) -> None:
    code, _, _ = verify(str(good))
    assert code == 2


def test_help_says_what_offsets_index() -> None:
    result = runner.invoke(app, ["verify", "--help"])
    assert result.exit_code == 0
    assert "/verification" in result.stdout and "start/end" in result.stdout


def test_source_warnings_are_reported_not_failed(tmp_path: Path) -> None:
    report = ROOT / "examples" / "reports" / "huangzhong-2024.txt"
    p = tmp_path / "s.txt"
    p.write_text("受理矛盾纠纷1673件，调处成功1646件。", encoding="utf-8")
    code, out, _ = verify("--source", str(report), str(p), "--json")
    assert code == 0
    warnings = json.loads(out)["source_warnings"]
    assert any(w["computation"] == "1646/1673=98.39%" for w in warnings)


def test_installed_entry_point(good: Path) -> None:
    import subprocess

    exe = ROOT / ".venv" / "bin" / "summariser"
    if not exe.exists():
        pytest.skip("no installed entry point")
    done = subprocess.run(
        [str(exe), "verify", "--source", str(REPORT), str(good), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["verified"] == 3


def test_its_own_markdown_view_is_checked_through_its_json(tmp_path: Path) -> None:
    """The view's counts (模型所写 8 个), spans (字符 243–311) and hash are not figures: checked
    as text they were dozens of not_found; the JSON beside it is what the view shows."""
    from summariser.batch.runner import Job, run_batch
    from summariser.pipeline.drafting import RulesDrafter

    run_batch([REPORT], tmp_path, Job(RulesDrafter()), log=lambda _: None)
    view = tmp_path / f"{REPORT.stem}.md"
    code, out, err = verify("--source", str(REPORT), str(view))
    assert code == 0, out
    assert "not_found: 0" in out
    assert err.strip() == (
        f"summariser: note: {view} is the Markdown view of {view.with_suffix('.json')}; "
        f"checking {view.with_suffix('.json')}"
    )
    # the same view alone: one line saying to give the JSON, exit 2
    alone = tmp_path / "copied" / "view.md"
    alone.parent.mkdir()
    alone.write_text(view.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = verify("--source", str(REPORT), str(alone))
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"summariser: error: {alone}: is the Markdown view `summariser run` writes; "
        "give its run JSON (view.json) instead"
    ]


def test_markdown_written_by_a_person_is_still_checked_as_text(good: Path) -> None:
    from summariser.output.files import is_markdown_view

    assert not is_markdown_view(good.read_text(encoding="utf-8"))
    code, out, err = verify("--source", str(REPORT), str(good))
    assert code == 0 and err == "" and "verified: 3" in out


def test_invented_arithmetic_and_a_figure_of_other_words_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(
        "2024年，本局办理行政复议案件20件，调解纠纷8件，审查规范性文件7件，办理信访事项5件，"
        "审查政府合同10件。\n",
        encoding="utf-8",
    )
    summary = tmp_path / "summary.txt"
    summary.write_text(
        "复议案件较上年减少12件。复议和审查文件共计13件。复议案件办结率25%。"
        "信访事项比上年增长3件。主要领导带头推动，完成10个。",
        encoding="utf-8",
    )
    code, out, _ = verify("--json", "--source", str(source), str(summary))
    assert code == 1
    got = {n["text"]: n["status"] for n in json.loads(out)["numbers"]}
    assert got == {
        "12件": "not_found", "13件": "not_found", "25%": "not_found", "3件": "not_found",
        "10个": "context_mismatch",
    }  # fmt: skip


def test_a_dropped_negation_exits_1_and_says_so(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text("县政府常务会议不定期听取法治政府建设工作汇报3次。\n", encoding="utf-8")
    summary = tmp_path / "summary.txt"
    summary.write_text("县政府常务会议定期听取法治政府建设工作汇报3次。", encoding="utf-8")
    code, out, _ = verify("--source", str(source), str(summary))
    assert code == 1 and "不定期听" in out
    summary.write_text("县政府常务会议不定期听取法治政府建设工作汇报3次。", encoding="utf-8")
    assert verify("--source", str(source), str(summary))[0] == 0
