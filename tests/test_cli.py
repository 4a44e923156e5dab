"""The installed `summariser` command end to end: help, schema, inspect, run (rules), memo,
models status and verify; failures are one `summariser: error:` line and an exit code.

Everything runs the real entry point in a subprocess, with no endpoint configured and an empty
state directory, and only `--engine rules`: no model is started or reached.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from summariser.schema import ReportSummary

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "examples" / "reports"
STEMS = sorted(p.stem for p in REPORTS.glob("*.txt"))
SCRIPT = Path(sys.executable).parent / "summariser"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "summariser.cli"]


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def assert_one_error_line(self) -> str:
        """stderr is exactly one `summariser: error: ...` line; return it."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("summariser: error: "), self.err
        assert "Traceback" not in self.err + self.out
        return lines[0]


Invoke = Callable[..., Result]
"""Run `summariser ARGS...` (str or Path arguments) and return its Result."""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def cli(home: Path) -> Invoke:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARISER_MODEL")
    }
    env |= {"SUMMARISER_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}

    def invoke(*args: str | Path) -> Result:
        proc = subprocess.run(
            [*COMMAND, *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=240,
            cwd=ROOT,
            env=env,
        )
        return Result(proc)

    return invoke


@pytest.fixture(scope="module")
def rules_run(cli: Invoke, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    result = cli("run", REPORTS, "--engine", "rules", "--out", out)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return out


# --- help and schema --------------------------------------------------------------------------


def test_help_lists_every_command(cli: Invoke) -> None:
    result = cli("--help")
    assert result.code == 0
    listed = set(re.findall(r"^\W*([a-z]+)\s{2,}\S", result.out, flags=re.MULTILINE))
    assert {"run", "verify", "inspect", "memo", "record", "schema", "models"} <= listed


def _commands() -> list[tuple[str, ...]]:
    import typer

    from summariser.cli import app

    group = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        subs = getattr(command, "commands", None)
        out += [(name, sub) for sub in subs] if subs else [(name,)]
    return out


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_help_shows_every_options_text_whole(cli: Invoke, words: tuple[str, ...]) -> None:
    """ "Model name [env: SUMMARISER_MODEL]." was shown as "Model name ." (read as markup)."""
    import typer

    from summariser.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]
    result = cli(*words, "--help")
    assert result.code == 0, result.err
    shown = " ".join(result.out.split())
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            assert " ".join(text.split()) in shown, (param.name, text)
    doc = " ".join((command.help or "").split())
    assert doc in shown  # the docstring's sentences run on, not cut at its line breaks


def test_schema_prints_the_summary_json_schema(cli: Invoke) -> None:
    result = cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["type"] == "object"
    assert {"metadata", "parts", "completeness", "verification", "run"} <= set(schema["properties"])


# --- inspect ----------------------------------------------------------------------------------


def test_inspect_json_is_one_object_with_what_was_found(cli: Invoke) -> None:
    result = cli("inspect", REPORTS / "heshan-2024.txt", "--json")
    assert result.code == 0, result.err
    found = json.loads(result.out)  # the whole of stdout is one JSON value
    assert isinstance(found, dict)
    assert found["metadata"]["issuer"] == "益阳市赫山区人民政府"
    assert found["metadata"]["year"] == 2024
    assert found["metadata"]["published"] == "2025-01-06"
    assert found["completeness"]["missing"] == ["other"]


def test_inspect_without_json_prints_readable_lines(cli: Invoke) -> None:
    result = cli("inspect", REPORTS / "heshan-2024.txt")
    assert result.code == 0, result.err
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.out)
    fields = dict(
        line.split(maxsplit=1) for line in result.out.splitlines() if not line.startswith("[")
    )
    assert fields["issuer"] == "益阳市赫山区人民政府"
    assert fields["issuer_status"] == "named"
    assert fields["year"] == "2024"
    assert fields["published"] == "2025-01-06"
    assert fields["missing"] == "other"
    parts = [line for line in result.out.splitlines() if line.startswith("[")]
    assert any(line.startswith("[achievements]") for line in parts)


def test_inspect_a_missing_file_is_one_error_line(cli: Invoke) -> None:
    result = cli("inspect", "missing.txt")
    assert result.code == 2
    assert "missing.txt" in result.assert_one_error_line()
    assert result.out == ""


# --- run --------------------------------------------------------------------------------------


def test_run_rules_writes_json_md_html_and_the_index(rules_run: Path) -> None:
    pages = {f"{s}.html" for s in STEMS} | {"index.csv", "index.html"}
    expected = {f"{s}.json" for s in STEMS} | {f"{s}.md" for s in STEMS} | pages
    assert len(STEMS) == 5
    assert {p.name for p in rules_run.iterdir()} == expected
    lines = (rules_run / "index.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    rows = list(csv.DictReader(lines))
    assert sorted(row["file"] for row in rows) == [f"{s}.txt" for s in STEMS]
    assert {row["status"] for row in rows} == {"ok"}
    assert {row["engine"] for row in rows} == {"rules"}


@pytest.mark.parametrize("stem", STEMS)
def test_run_json_validates_against_the_schema(rules_run: Path, stem: str) -> None:
    summary = ReportSummary.model_validate_json((rules_run / f"{stem}.json").read_text("utf-8"))
    assert summary.parts
    assert (rules_run / f"{stem}.md").read_text(encoding="utf-8").strip()


def test_run_with_an_unknown_engine_is_one_error_line(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("run", REPORTS, "--engine", "bogus", "--out", out)
    assert result.code == 2
    assert "bogus" in result.assert_one_error_line()
    assert not out.exists()


def test_run_with_only_a_bogus_engine_is_one_error_line(cli: Invoke) -> None:
    result = cli("run", "--engine", "bogus")
    assert result.code == 2
    result.assert_one_error_line()


def test_run_on_a_path_that_does_not_exist_fails(cli: Invoke, tmp_path: Path) -> None:
    result = cli("run", "NOPE", "--engine", "rules", "--out", tmp_path / "out")
    assert result.code != 0
    assert "NOPE" in result.err
    assert "Traceback" not in result.err + result.out


def test_run_on_a_path_that_does_not_exist_is_one_error_line(cli: Invoke, tmp_path: Path) -> None:
    result = cli("run", "NOPE", "--engine", "rules", "--out", tmp_path / "out")
    assert result.code == 2
    assert "NOPE" in result.assert_one_error_line()


# --- memo -------------------------------------------------------------------------------------


def test_memo_from_the_rules_run(cli: Invoke, rules_run: Path, tmp_path: Path) -> None:
    memo = tmp_path / "memo.md"
    result = cli("memo", rules_run, "--out", memo)
    assert result.code == 0, result.err
    text = memo.read_text(encoding="utf-8")
    assert "蒸湘区司法局" in text
    assert "益阳市赫山区人民政府" in text


def test_memo_to_a_txt_file_is_one_error_line(cli: Invoke, rules_run: Path, tmp_path: Path) -> None:
    memo = tmp_path / "memo.txt"
    result = cli("memo", rules_run, "--out", memo)
    assert result.code == 2
    assert ".md" in result.assert_one_error_line()
    assert not memo.exists()


# --- models status ----------------------------------------------------------------------------


def test_models_status_with_an_empty_home_says_missing(cli: Invoke, home: Path) -> None:
    result = cli("models", "status")
    assert result.code == 1
    weights = next(line for line in result.out.splitlines() if line.startswith("weights"))
    assert "missing" in weights
    assert str(home) in weights


# --- verify on the run's own output -----------------------------------------------------------


def test_verify_agrees_with_the_run_json(cli: Invoke, rules_run: Path) -> None:
    summary = rules_run / "hubin-2023.json"
    result = cli("verify", "--source", REPORTS / "hubin-2023.txt", summary, "--json")
    assert result.code == 0, result.out[-2000:]
    printed = json.loads(result.out)
    recorded = json.loads(summary.read_text(encoding="utf-8"))["verification"]["counts"]
    assert printed["counts"] == recorded
    assert printed["counts"]["verified"] > 0
    assert all(n["status"] in ("verified", "derived") for n in printed["numbers"])


# --- the entry point's own handling -----------------------------------------------------------


def interrupt_inspect(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str]:
    """Run main() on `inspect` with Ctrl-C pressed mid-command; return (exit code, stderr)."""
    from summariser import cli as cli_module
    from summariser.structure import sections as structure

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(structure, "analyse", interrupted)
    monkeypatch.setattr(sys, "argv", ["summariser", "inspect", str(REPORTS / "heshan-2024.txt")])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    return exit_info.value.code, capsys.readouterr().err


def test_ctrl_c_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = interrupt_inspect(monkeypatch, capsys)
    assert code == 130
    assert "Traceback" not in err


def test_ctrl_c_says_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, err = interrupt_inspect(monkeypatch, capsys)
    assert err.strip().splitlines() == ["summariser: interrupted"]
