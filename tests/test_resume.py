"""Never lose work: resume after kill -9 or Ctrl-C, skip what is up to date, redo what is not."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summariser.batch.runner import Job, run_batch
from summariser.model.door import ModelDoor
from summariser.model.prompts import load
from summariser.pipeline.drafting import ModelDrafter
from summariser.schema import ReportSummary
from tests.fakemodel import SUMMARY, answering, mini_report, request_text, segments, write_minis
from tests.fakeserver import FakeServer, Reply

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "reports").glob("*.txt"))
SUMMARISER = Path(sys.executable).parent / "summariser"
SECRET = "sk-resume-SECRET-5e8d1c"


def start_cli(folder: Path, out: Path, url: str, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": SECRET,
        "SUMMARISER_MODEL": "fake",
    }
    return subprocess.Popen(
        [str(SUMMARISER), "run", str(folder), "--out", str(out), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def outputs(out: Path) -> dict[str, ReportSummary]:
    """Every visible JSON output, parsed: a half-written one would fail here."""
    return {
        p.stem: ReportSummary.model_validate_json(p.read_text(encoding="utf-8"))
        for p in out.glob("*.json")
    }


def wait_for(predicate: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def folder_of_reports(folder: Path) -> dict[str, str]:
    """The five samples under new names and three small reports: name -> whitespace-free text."""
    folder.mkdir()
    for i, sample in enumerate(SAMPLES):
        shutil.copy(sample, folder / f"{i}-{sample.stem}.txt")
    bodies = ["全年组织执法人员培训。", "全年开展普法宣传活动。", "全年推进复议应诉工作。"]
    for i, body in enumerate(bodies):
        report = mini_report(f"丙{'甲乙丙'[i]}县司法局", body=body)
        (folder / f"9-mini-{i}.txt").write_text(report, encoding="utf-8")
    return {p.stem: "".join(p.read_text(encoding="utf-8").split()) for p in folder.iterdir()}


def item_requests(
    requests: list[dict[str, Any]], texts: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The requests that summarise a segment of a report, not the overview of a part (whose
    text is the fake model's own summaries, or a short item's own lead, cut and joined): with
    ``texts`` (whitespace-free reports), those whose text is a passage of one of them."""
    kept = [r for r in requests if segments(r) and SUMMARY.rstrip("。") not in request_text(r)]
    if texts is None:
        return kept
    return [r for r in kept if any(_lead(r) in text for text in texts.values())]


def _lead(request: dict[str, Any]) -> str:
    return "".join(segments(request)[1].split())[:40]


def owner(request: dict[str, Any], texts: dict[str, str]) -> str:
    """Which report a request was made for, by its first segment's text."""
    first = _lead(request)
    found = [stem for stem, text in texts.items() if first in text]
    assert len(found) == 1, (first, found)
    return found[0]


def index(out: Path) -> dict[str, dict[str, str]]:
    return {r["file"]: r for r in csv.DictReader((out / "index.csv").open(encoding="utf-8"))}


def test_kill_9_mid_run_then_the_same_command_finishes_only_the_rest(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    texts = folder_of_reports(folder)
    with FakeServer(default=answering(delay=0.05)) as srv:
        proc = start_cli(folder, out, srv.base_url)
        try:
            wait_for(lambda: len(list(out.glob("*.json"))) >= 2)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        first_run = len(srv.requests)
        done = outputs(out)  # every visible output parses: nothing half-written
        assert 2 <= len(done) < len(texts)
        assert not [
            p
            for p in out.iterdir()
            if not p.name.startswith(".") and p.suffix not in (".json", ".md", ".csv", ".html")
        ]
        for page in out.glob("*.html"):  # review pages and index.html: whole, or not there
            assert page.read_text(encoding="utf-8").endswith("</html>\n"), page
        assert {p.stem for p in out.glob("*.html")} >= set(done)

        again = start_cli(folder, out, srv.base_url)
        _, stderr = again.communicate(timeout=120)
        second = item_requests(srv.requests[first_run:], texts)
    assert again.returncode == 0, stderr
    assert "Traceback" not in stderr and SECRET not in stderr
    asked = {owner(r, texts) for r in second}
    assert asked == set(texts) - set(done)  # only the unfinished reports, each of them
    final = outputs(out)
    assert set(final) == set(texts)
    for stem in done:  # finished work was kept as it was, not redone
        assert final[stem].run.seconds == done[stem].run.seconds
    rows = index(out)
    assert {rows[f"{s}.txt"]["status"] for s in done} == {"skipped"}
    assert {rows[f"{s}.txt"]["status"] for s in set(texts) - set(done)} == {"ok"}
    assert not list(out.glob(".*.tmp"))  # the killed run's temporary files were cleared


def test_ctrl_c_stops_soon_keeps_finished_work_and_marks_the_rest_pending(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    write_minis(folder, 30)
    with FakeServer(default=answering(delay=0.2)) as srv:
        proc = start_cli(folder, out, srv.base_url, "--jobs", "2")
        try:
            wait_for(lambda: len(list(out.glob("*.json"))) >= 4)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=20)
        finally:
            proc.kill()
        asked = len(item_requests(srv.requests))
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr
        done = outputs(out)
        rows = index(out)
        said = [line for line in stderr.splitlines() if "not done" in line]
        assert said and said[-1].startswith(f"interrupted: {30 - len(done)} report(s) not done")
        assert stderr.rstrip().splitlines()[-1] == "summariser: interrupted"
        assert len(rows) == 30
        assert {r["status"] for r in rows.values()} <= {"ok", "pending"}
        assert {n.removesuffix(".txt") for n, r in rows.items() if r["status"] == "ok"} == set(done)
        assert asked < 30  # the queued reports were cancelled, not run

        again = start_cli(folder, out, srv.base_url, "--jobs", "2")
        _, stderr = again.communicate(timeout=60)
        assert len(item_requests(srv.requests)) - asked == 30 - len(done)
    assert again.returncode == 0, stderr
    assert len(outputs(out)) == 30


# --- what counts as up to date -------------------------------------------------------------------


def make_job(url: str, model: str = "fake", **template_changes: str) -> Job:
    template = load("items")
    if template_changes:
        template = template.model_copy(update=template_changes)
    door = ModelDoor(url, model, SECRET, timeout=5.0, transport_attempts=2, max_wait=0.5)
    return Job(ModelDrafter(door, template), model, template)


@pytest.fixture
def served(tmp_path: Path) -> Any:
    write_minis(tmp_path / "in", 3)
    with FakeServer(default=answering()) as srv:
        run_batch([tmp_path / "in"], tmp_path / "out", make_job(srv.base_url), log=lambda _: None)
        srv.requests.clear()
        yield srv


def rerun(tmp_path: Path, srv: FakeServer, job: Job | None = None, **kw: Any) -> list[str]:
    outcomes = run_batch(
        [tmp_path / "in"], tmp_path / "out", job or make_job(srv.base_url), log=lambda _: None, **kw
    )
    return [o.status for o in outcomes]


def test_an_unchanged_folder_makes_no_model_call(tmp_path: Path, served: FakeServer) -> None:
    assert rerun(tmp_path, served) == ["skipped"] * 3
    assert served.requests == []


def test_force_redoes_everything(tmp_path: Path, served: FakeServer) -> None:
    assert rerun(tmp_path, served, force=True) == ["ok"] * 3
    assert len(item_requests(served.requests)) == 3


def test_a_changed_input_is_redone_alone(tmp_path: Path, served: FakeServer) -> None:
    (tmp_path / "in" / "r0001.txt").write_text(mini_report("改过县司法局"), encoding="utf-8")
    assert rerun(tmp_path, served) == ["skipped", "ok", "skipped"]


def test_a_changed_prompt_or_model_redoes_all(tmp_path: Path, served: FakeServer) -> None:
    assert rerun(tmp_path, served, make_job(served.base_url, sha256="another prompt")) == ["ok"] * 3
    assert rerun(tmp_path, served, make_job(served.base_url, model="other")) == ["ok"] * 3
    assert len(item_requests(served.requests)) == 6


def test_a_fallback_summary_is_retried_with_the_model_next_time(tmp_path: Path) -> None:
    write_minis(tmp_path / "in", 2)
    down = Reply(status=503, body={"error": "down"}, headers={"retry-after": "0"})
    with FakeServer(default=lambda _: down) as srv:
        assert rerun(tmp_path, srv) == ["fallback"] * 2
    with FakeServer(default=answering()) as srv:
        assert rerun(tmp_path, srv) == ["ok"] * 2
        assert rerun(tmp_path, srv) == ["skipped"] * 2


def test_an_unreadable_output_is_redone_not_trusted(tmp_path: Path, served: FakeServer) -> None:
    (tmp_path / "out" / "r0000.json").write_text('{"schema_version": "1", "sou', encoding="utf-8")
    data = json.loads((tmp_path / "out" / "r0002.json").read_text(encoding="utf-8"))
    data["schema_version"] = "0"
    (tmp_path / "out" / "r0002.json").write_text(json.dumps(data), encoding="utf-8")
    assert rerun(tmp_path, served) == ["ok", "skipped", "ok"]
