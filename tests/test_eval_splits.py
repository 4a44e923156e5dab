"""The evaluation's splits: tune (the samples) and held-out, their data, gates and commands.

The held-out goldens are checked for being what their hand-written item files build and what
the independent checker accepts; the held-out reports for not being copies of the samples; the
held-out gates for failing on floors only, reporting the rest.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from summariser.errors import InputError
from summariser.evaluation import command as ev
from summariser.evaluation import data as eval_data
from summariser.evaluation import engines as eval_engines
from summariser.memo.synthesis import memo_through_cassette
from summariser.output.files import write_summary
from summariser.schema import ReportSummary
from tests.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "eval" / "heldout"
GOLDEN = ROOT / "eval" / "golden"
SAMPLES = ROOT / "examples" / "reports"


def _build_module() -> ModuleType:
    """eval/_build.py, imported as the item files import it (``from _build import F, I``)."""
    sys.path.insert(0, str(ROOT / "eval"))
    try:
        spec = importlib.util.spec_from_file_location("_build", ROOT / "eval" / "_build.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["_build"] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "eval"))


def test_the_named_splits_and_their_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    tune, heldout = eval_data.splits_named("all")
    assert (tune.name, tune.reports_dir, tune.cassette_dir) == (
        "tune",
        Path("examples/reports"),
        Path("cassettes"),
    )
    assert (heldout.name, heldout.cases_dir) == ("heldout", Path("eval/heldout"))
    assert [s.name for s in eval_data.splits_named("heldout")] == ["heldout"]
    with pytest.raises(InputError, match="unknown split"):
        eval_data.splits_named("test")


def test_a_folder_without_split_toml_is_not_a_split(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no split.toml"):
        eval_data.load_split(tmp_path)
    (tmp_path / "split.toml").write_text('name = "x"\n', "utf-8")
    with pytest.raises(InputError, match="needs name, reports and cassettes"):
        eval_data.load_split(tmp_path)


def test_every_heldout_case_has_its_report_and_its_cassette(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    (split,) = eval_data.splits_named("heldout")
    cases = eval_data.load_cases(split.cases_dir, split.reports_dir)
    assert len(cases) == 4
    for case in cases:
        assert (split.cassette_dir / f"{case.stem}.yaml").is_file(), case.stem
    # the held-out reports are not sample reports
    assert not {c.report.name for c in cases} & {p.name for p in SAMPLES.glob("*.txt")}


def test_the_heldout_reports_are_not_copied_from_the_samples() -> None:
    """No run of 30 characters is shared with a sample: what they share is the statutory part
    headings and stock phrases (23 characters at most when written)."""
    samples = [p.read_text("utf-8") for p in SAMPLES.glob("*.txt")]
    for path in (HELDOUT / "reports").glob("*.txt"):
        text = path.read_text("utf-8")
        assert 1500 <= len(text) <= 4000, path.name
        shared = [text[i : i + 30] for i in range(len(text) - 29)]
        assert not [s for s in shared if any(s in sample for sample in samples)], path.name


@pytest.mark.parametrize("stem", sorted(p.stem for p in HELDOUT.glob("*.json")))
def test_each_heldout_golden_is_what_its_item_file_builds(stem: str) -> None:
    build = _build_module()
    built = build.build(HELDOUT, stem)
    committed = json.loads((HELDOUT / f"{stem}.json").read_text("utf-8"))
    assert built == committed
    ReportSummary.model_validate(committed)


def test_the_golden_checker_accepts_both_splits_and_catches_a_bad_figure(tmp_path: Path) -> None:
    checker = [sys.executable, str(ROOT / "eval" / "check_golden.py")]
    ok = subprocess.run(checker, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "heldout/liuyang-2025.json" in ok.stdout and "golden/hubin-2023.json" in ok.stdout

    # a copy of a held-out split with one figure's value changed fails the check
    split = tmp_path / "heldout"
    split.mkdir()
    (split / "split.toml").write_text(f'reports = "{HELDOUT / "reports"}"\n', "utf-8")
    data = json.loads((HELDOUT / "jiangxi-shuili-2022.json").read_text("utf-8"))
    data["parts"]["achievements"][0]["figures"][0]["value"] = 60
    (split / "jiangxi-shuili-2022.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    bad = subprocess.run(
        [*checker, str(split)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert bad.returncode == 1 and "FAIL heldout/jiangxi-shuili-2022.json" in bad.stdout


# --- gates per split ---------------------------------------------------------------------------


@pytest.fixture
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    outputs: dict[str, dict[str, Any]] = {}

    def fake_run(engine: str, cases: list[eval_data.Case], **_: Any) -> dict[str, Any]:
        return {c.stem: outputs[engine][c.stem] for c in cases}

    monkeypatch.setattr(ev, "run_engine", fake_run)
    return outputs


def _golden(stem: str) -> ReportSummary:
    return ReportSummary.model_validate_json((HELDOUT / f"{stem}.json").read_text("utf-8"))


def _reworded(stem: str) -> ReportSummary:
    """The golden summary with every title and summary replaced by other words."""
    s = _golden(stem)
    for key, items in s.parts.items():
        s.parts[key] = [
            i.model_copy(update={"title": "工作", "summary": "推进工作。"}) for i in items
        ]
    return s


def test_heldout_gates_only_its_floors_and_reports_the_rest(
    tmp_path: Path, fake_engines: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    stem = "liuyang-2025"
    cases_dir = tmp_path / "eval" / "heldout"
    cases_dir.mkdir(parents=True)
    (cases_dir / f"{stem}.json").write_text((HELDOUT / f"{stem}.json").read_text("utf-8"))
    floors = {
        "splits": {
            "tune": {"floors": {"llm": {"rouge_l": {"min": 0.99}}}},
            "heldout": {
                "gate_baseline": False,
                "gate_engines": False,
                "floors": {"llm": {"rouge_l": {"min": 0.01}}},
            },
        }
    }
    (tmp_path / "eval" / "floors.json").write_text(json.dumps(floors), "utf-8")
    tune_section = {"cases": ["hubin-2023"], "metrics": {"llm": {"rouge_l": 0.5}}}
    (tmp_path / "eval" / "baseline.json").write_text(
        json.dumps({"written_by": "x", "splits": {"tune": tune_section}}), "utf-8"
    )
    run = dict(
        live=False,
        engines=["llm", "rules"],
        reports_dir=HELDOUT / "reports",
        split="heldout",
    )
    fake_engines["llm"] = {stem: _golden(stem)}
    fake_engines["rules"] = {stem: _golden(stem)}
    assert ev.run_eval(cases_dir, tmp_path / "a", update_baseline=True, **run) == 0
    baseline = json.loads((tmp_path / "eval" / "baseline.json").read_text("utf-8"))
    assert baseline["splits"]["tune"] == tune_section  # the other split is kept
    assert baseline["splits"]["heldout"]["metrics"]["llm"]["rouge_l"] == 1
    capsys.readouterr()

    # worse than the baseline and no better than rules, yet above the held-out floor (not the
    # tune one): reported, and the run passes
    fake_engines["llm"] = {stem: _reworded(stem)}
    assert ev.run_eval(cases_dir, tmp_path / "b", update_baseline=False, **run) == 0
    out = capsys.readouterr().out
    assert "behind the baseline" in out and "does not beat rules" in out
    assert "reported, not gated" in out and "FAIL" not in out
    report = json.loads((tmp_path / "b" / "report.json").read_text("utf-8"))
    assert report["split"] == "heldout" and report["passed"]
    assert report["llm_vs_rules"]["rouge_l"] < 0
    assert len(report["reported"]) == 2
    md = (tmp_path / "b" / "report.md").read_text("utf-8")
    assert "split heldout" in md and "Model minus rules engine: rouge_l -" in md

    # below the held-out floor: that fails
    floors["splits"]["heldout"]["floors"] = {"llm": {"rouge_l": {"min": 0.9}}}
    (tmp_path / "eval" / "floors.json").write_text(json.dumps(floors), "utf-8")
    assert ev.run_eval(cases_dir, tmp_path / "c", update_baseline=False, **run) == 1
    assert "below its floor 0.9" in capsys.readouterr().out


def test_run_splits_writes_one_report_per_split_and_fails_if_any_fails(
    tmp_path: Path, fake_engines: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    splits = eval_data.splits_named("all")
    fake_engines["rules"] = {
        **{p.stem: _golden(p.stem) for p in HELDOUT.glob("*.json")},
        **{
            p.stem: ReportSummary.model_validate_json(p.read_text("utf-8"))
            for p in GOLDEN.glob("*.json")
        },
    }
    eval_dir = tmp_path / "eval"
    eval_dir.mkdir()
    (eval_dir / "floors.json").write_text(json.dumps({}), "utf-8")
    code = ev.run_splits(
        splits, tmp_path / "out", live=False, engines=["rules"], update_baseline=False,
        eval_dir=eval_dir,
    )  # fmt: skip
    assert code == 0
    for name, n in (("tune", 5), ("heldout", 4)):
        report = json.loads((tmp_path / "out" / name / "report.json").read_text("utf-8"))
        assert report["split"] == name and len(report["cases"]) == n

    # one failed heldout case fails the whole run; the tune split is still reported
    fake_engines["rules"]["yueyang-2024"] = InputError("broken")
    code = ev.run_splits(
        splits, tmp_path / "out2", live=False, engines=["rules"], update_baseline=False,
        eval_dir=eval_dir,
    )  # fmt: skip
    assert code == 1
    assert json.loads((tmp_path / "out2" / "tune" / "report.json").read_text("utf-8"))["passed"]


def test_eval_cli_scores_one_split_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    from tests.test_cli import COMMAND

    run = subprocess.run(
        [*COMMAND, "eval", "--split", "heldout", "--engine", "rules", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "== split heldout (4 cases) ==" in run.stdout
    assert (tmp_path / "heldout" / "report.md").is_file()
    assert not (tmp_path / "tune").exists()

    bad = subprocess.run(
        [*COMMAND, "eval", "--split", "test", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=240,
    )  # fmt: skip
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [
        "summariser: error: unknown split 'test': use tune, heldout, all"
    ]


# --- recording every split ---------------------------------------------------------------------


SYNTHESIS = "各地持续推进依法行政。"


def _answer(request: dict[str, Any]) -> Reply:
    """A fake model: the first clause of the segment it is sent, as the summary; for the
    memo's synthesis (its schema asks for a paragraph), one figure-free sentence."""
    if '"paragraph"' in request["messages"][0]["content"]:
        return Reply(body=completion(json.dumps({"paragraph": SYNTHESIS}, ensure_ascii=False)))
    content = next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")
    segment = content.split("段落：", 1)[-1].strip()
    clause = segment.split("。", 1)[0][:20].rstrip("0123456789.,万亿余多")
    return Reply(body=completion(json.dumps({"summary": f"{clause or '推进工作'}。"})))


def test_record_with_no_reports_rerecords_every_split_into_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summariser.cli import app

    splits = {}
    for name, report in (
        ("tune", SAMPLES / "hubin-2023.txt"),
        ("heldout", HELDOUT / "reports" / "yueyang-2024.txt"),
    ):  # noqa: E501
        folder = tmp_path / name
        (folder / "reports").mkdir(parents=True)
        (folder / "reports" / report.name).write_bytes(report.read_bytes())
        (folder / "split.toml").write_text(
            f'name = "{name}"\nreports = "{folder / "reports"}"\n'
            f'cassettes = "{tmp_path / "cassettes" / name}"\n',
            "utf-8",
        )
        splits[name] = folder
    monkeypatch.setattr(eval_data, "SPLITS", splits)
    with FakeServer(default=_answer) as srv:
        result = CliRunner().invoke(app, ["record", "--base-url", srv.base_url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cassettes" / "tune" / "hubin-2023.yaml").is_file()
    assert (tmp_path / "cassettes" / "heldout" / "yueyang-2024.yaml").is_file()
    # each split's recording replays offline from its own folder
    case = eval_data.load_cases(GOLDEN, SAMPLES)
    replayed = eval_engines.run_replay(
        [c for c in case if c.stem == "hubin-2023"], tmp_path / "cassettes" / "tune"
    )
    assert isinstance(replayed["hubin-2023"], ReportSummary)
    # and the memo over the tune split's summaries, into the tune folder only
    assert re.search(r"^memo: [0-9.]+ s$", result.stderr, flags=re.M), result.stderr
    memo_cassette = tmp_path / "cassettes" / "tune" / "memo.yaml"
    assert not (tmp_path / "cassettes" / "heldout" / "memo.yaml").exists()
    run = tmp_path / "run"
    write_summary(run, "hubin-2023", replayed["hubin-2023"])
    assert memo_through_cassette([run], tmp_path / "memo.md", memo_cassette) == 0
    assert SYNTHESIS in (tmp_path / "memo.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("split", [GOLDEN, HELDOUT])
def test_golden_indicators_name_the_vocabulary_and_hold_their_figures(split: Path) -> None:
    """Every report of the split has its hand-read indicators (possibly none), each a name of
    the vocabulary, located once in the report, its value the figure's own reading."""
    from summariser.figures.numbers import scan
    from summariser.lexicon.indicators import indicator_names

    s = eval_data.load_split(split)
    cases = eval_data.load_cases(s.cases_dir, s.reports_dir)
    table = yaml_load(split / eval_data.INDICATORS_FILE)
    assert set(table) == {c.stem for c in cases}
    for case in cases:
        assert case.indicators is not None
        text = case.report.read_text(encoding="utf-8")
        for g in case.indicators:
            assert g.name in indicator_names()
            assert text[g.span[0] : g.span[1]] == g.text
            (q,) = scan(g.text)[0]
            assert q.value == g.value, (case.stem, g)


def yaml_load(path: Path) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_golden_indicator_anchor_that_is_not_in_the_report_is_an_input_error(
    tmp_path: Path,
) -> None:
    s = eval_data.load_split(HELDOUT)
    (case, *_) = eval_data.load_cases(s.cases_dir, s.reports_dir)
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        f"{case.stem}:\n  - {{name: 法律援助案件数, text: 9件, at: 不在原文的9件, value: 9}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="must occur once"):
        eval_data.golden_indicators(bad, case)


def test_indicator_scores_match_by_name_span_and_value() -> None:
    from summariser.evaluation.scoring import score_indicators

    s = eval_data.load_split(GOLDEN)
    case = next(
        c for c in eval_data.load_cases(s.cases_dir, s.reports_dir) if c.stem == "hubin-2023"
    )
    assert case.indicators
    first = case.indicators[0]
    from summariser.schema import IndicatorValue

    right = IndicatorValue(
        name=first.name, text=first.text, value=first.value, unit=None, span=first.span,
        clause="", status="verified",
    )  # fmt: skip
    wrong_name = right.model_copy(update={"name": "法律援助案件数"})
    unchecked = right.model_copy(update={"status": "flagged"})
    for found, matched in (([right], 1), ([wrong_name], 0), ([unchecked], 0), ([right, right], 1)):
        summary = case.golden.model_copy(update={"indicators": found})
        score = score_indicators(summary, case.indicators)
        assert sum(score.matched.values()) == matched
        assert sum(score.predicted.values()) == len(found)
        assert len(score.missed) == len(case.indicators) - matched
