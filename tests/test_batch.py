"""The batch runner's own duties: names, containment, interruption, bounded parallelism, output."""

from __future__ import annotations

import _thread
import csv
import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import summariser.batch.runner as batch
from summariser.batch.runner import Job, run_batch
from summariser.model.door import ModelDoor
from summariser.model.prompts import load
from summariser.output.files import remove_stale_temps, summary_json
from summariser.pipeline.drafting import ModelDrafter, RulesDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document
from summariser.schema import ReportSummary
from tests.fakemodel import answer, write_minis
from tests.fakeserver import FakeServer, Reply

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "reports").glob("*.txt"))
QUIET = {"log": lambda _: None}


def model_job(url: str) -> Job:
    template = load("items")
    door = ModelDoor(url, "fake", "sk-test", timeout=5.0, transport_attempts=2, max_wait=0.5)
    return Job(ModelDrafter(door, template), "fake", template)


def statuses(outcomes: list[batch.Outcome]) -> list[tuple[str, str]]:
    return [(o.file, o.status) for o in outcomes]


def test_same_names_in_different_folders_get_distinct_outputs_stable_across_runs(
    tmp_path: Path,
) -> None:
    for folder, sample in zip("abc", SAMPLES, strict=False):
        (tmp_path / folder).mkdir()
        shutil.copy(sample, tmp_path / folder / "report.txt")
    (tmp_path / "a" / "REPORT.md").write_bytes(SAMPLES[3].read_bytes())
    paths = [tmp_path / f for f in "abc"]
    out = tmp_path / "out"
    first = run_batch(paths, out, Job(RulesDrafter()), **QUIET)
    assert [o.status for o in first] == ["ok"] * 4
    names = sorted(p.name for p in out.glob("*.json"))
    # names are compared case-insensitively: a/REPORT.md takes "report" on any file system
    assert names == ["REPORT.json", "report-txt-2.json", "report-txt-3.json", "report-txt.json"]
    shas = {json.loads((out / n).read_text(encoding="utf-8"))["source"]["sha256"] for n in names}
    assert len(shas) == 4  # nobody's output overwrote another's
    again = run_batch(paths, out, Job(RulesDrafter()), **QUIET)
    assert [o.status for o in again] == ["skipped"] * 4


def test_a_bug_in_one_report_fails_only_that_report_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_minis(tmp_path / "in", 3)

    def flaky(doc: Any, *args: Any, **kwargs: Any) -> ReportSummary:
        if doc.name == "r0001.txt":
            raise ZeroDivisionError("division by zero\nsecond line")
        return summarise(doc, *args, **kwargs)

    monkeypatch.setattr(batch, "summarise", flaky)
    outcomes = run_batch([tmp_path / "in"], tmp_path / "out", Job(RulesDrafter()), **QUIET)
    assert statuses(outcomes) == [("r0000.txt", "ok"), ("r0001.txt", "failed"), ("r0002.txt", "ok")]
    assert outcomes[1].reason == "internal error (ZeroDivisionError: division by zero second line)"


def test_a_reader_crash_fails_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_minis(tmp_path / "in", 2)

    def reader(path: Path) -> Any:
        if path.name == "r0000.txt":
            raise RuntimeError("decoder blew up")
        return read_document(path)

    monkeypatch.setattr(batch, "read_document", reader)
    outcomes = run_batch([tmp_path / "in"], tmp_path / "out", Job(RulesDrafter()), **QUIET)
    assert statuses(outcomes) == [("r0000.txt", "failed"), ("r0001.txt", "ok")]
    assert outcomes[0].reason == "cannot read (RuntimeError: decoder blew up)"


def test_temporary_files_left_by_a_killed_run_are_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / ".r0000.json.k3j_x9a1.tmp").write_text('{"half', encoding="utf-8")
    (tmp_path / ".index.csv.abc123.tmp").write_text("file,sta", encoding="utf-8")
    keep = [".notes.tmp", "r0000.json", ".hidden.json"]
    for name in keep:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert remove_stale_temps(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep)


def test_ctrl_c_cancels_the_queue_keeps_finished_outputs_and_marks_the_rest_pending(
    tmp_path: Path,
) -> None:
    write_minis(tmp_path / "in", 12)
    out = tmp_path / "out"
    count = 0
    lock = threading.Lock()

    def interrupting(request: dict[str, Any]) -> Reply:
        nonlocal count
        with lock:
            count += 1
            if count == 5:
                _thread.interrupt_main()
        return Reply(**{**answer(request).__dict__, "delay": 0.05})

    with FakeServer(default=interrupting) as srv:
        with pytest.raises(KeyboardInterrupt):
            run_batch([tmp_path / "in"], out, model_job(srv.base_url), jobs=2, **QUIET)
        asked = len(srv.requests)
    assert asked < 12
    rows = list(csv.DictReader((out / "index.csv").open(encoding="utf-8")))
    assert len(rows) == 12
    done = {p.stem for p in out.glob("*.json")}
    for row in rows:
        stem = row["file"].removesuffix(".txt")
        assert row["status"] == ("ok" if stem in done else "pending"), row
    for stem in done:
        ReportSummary.model_validate_json((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert "pending" in {r["status"] for r in rows}
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("jobs", [1, 3])
def test_requests_in_flight_never_exceed_jobs(tmp_path: Path, jobs: int) -> None:
    write_minis(tmp_path / "in", 9)
    live = peak = 0
    lock = threading.Lock()

    def counting(request: dict[str, Any]) -> Reply:
        nonlocal live, peak
        with lock:
            live += 1
            peak = max(peak, live)
        time.sleep(0.1)
        with lock:
            live -= 1
        return answer(request)

    with FakeServer(default=counting) as srv:
        outcomes = run_batch(
            [tmp_path / "in"], tmp_path / "out", model_job(srv.base_url), jobs=jobs, **QUIET
        )
    assert [o.status for o in outcomes] == ["ok"] * 9
    assert peak == jobs


def test_summary_json_is_the_plain_json_text() -> None:
    for path in SAMPLES:
        summary = summarise(read_document(path), RulesDrafter())
        expected = json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        assert summary_json(summary) == expected
