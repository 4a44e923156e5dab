"""Batch throughput against a loopback fake model, our own time per report, and a re-run's calls.

    .venv/bin/python bench/bench_batch.py [--reports 200] [--serial-reports 40] [--latency 0.3]

1. `summariser run --jobs 8` over N small reports (one part, one segment: one model request
   each) against a fake OpenAI-compatible server that answers every request after LATENCY
   seconds; the ideal is requests x LATENCY / 8. The same with `--jobs 1` over M reports.
2. The same command again over the unchanged folder: the fake server counts its requests.
3. Our own time per report outside the model: read, structure, draft, verify, write, timed
   in-process over the five samples copied to 100 files (distinct bytes), once with the rules
   engine and once with the model path against an instant in-process fake door (so the
   checker's figure verification is timed too). Prints the median and p90 in ms.

Nothing leaves the machine: the fake server listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.figures.numbers import clear_scan_cache  # noqa: E402
from summariser.model.door import Extraction, Usage  # noqa: E402
from summariser.model.prompts import load  # noqa: E402
from summariser.output.files import write_summary  # noqa: E402
from summariser.pipeline.drafting import ModelDrafter, RulesDrafter  # noqa: E402
from summariser.pipeline.report import summarise  # noqa: E402
from summariser.reading.documents import read_document  # noqa: E402
from tests.fakemodel import SUMMARY, answering, write_minis  # noqa: E402
from tests.fakeserver import FakeServer  # noqa: E402

SUMMARISER = Path(sys.executable).parent / "summariser"
SAMPLES = sorted((ROOT / "examples" / "reports").glob("*.txt"))


class Timed(FakeServer):
    """The fake server, noting when the first request came and the last answer left."""

    def __init__(self, latency: float) -> None:
        super().__init__(default=self._answer)
        self._inner = answering(latency)
        self.first = self.last = 0.0

    def _answer(self, request: dict[str, Any]) -> Any:
        now = time.monotonic()
        self.first = self.first or now
        reply = self._inner(request)
        self.last = now + reply.delay
        return reply


def run_cli(folder: Path, out: Path, url: str, jobs: int) -> tuple[float, int, str]:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": "sk-bench",
        "SUMMARISER_MODEL": "fake",
    }
    started = time.monotonic()
    done = subprocess.run(
        [str(SUMMARISER), "run", str(folder), "--out", str(out), "--jobs", str(jobs)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return time.monotonic() - started, done.returncode, done.stderr


def throughput(root: Path, reports: int, jobs: int, latency: float) -> dict[str, float]:
    folder, out = root / f"in-{jobs}", root / f"out-{jobs}"
    write_minis(folder, reports)
    with Timed(latency) as srv:
        wall, code, stderr = run_cli(folder, out, srv.base_url, jobs)
        requests = len(srv.requests)
        span = srv.last - srv.first
        again_wall, again_code, _ = run_cli(folder, out, srv.base_url, jobs)
        again = len(srv.requests) - requests
    if code != 0 or again_code != 0:
        raise SystemExit(f"run failed ({code}/{again_code}):\n{stderr[-2000:]}")
    ideal = requests * latency / jobs
    return {
        "reports": reports, "jobs": jobs, "requests": requests, "ideal_s": ideal,
        "wall_s": wall, "span_s": span, "wall_ratio": wall / ideal, "span_ratio": span / ideal,
        "rerun_requests": again, "rerun_wall_s": again_wall,
    }  # fmt: skip


class InstantDoor:
    """The model door's interface, answering at once with a figure-free summary, validated."""

    model = "instant"

    def extract(self, response_model: Any, messages: Any, *, context: Any = None, **_: Any) -> Any:
        value = response_model.model_validate({"summary": SUMMARY}, context=context)
        return Extraction(value=value, usage=Usage(attempts=1))


def own_time(root: Path, copies: int) -> dict[str, dict[str, float]]:
    folder = root / "own"
    folder.mkdir()
    for i in range(copies):
        src = SAMPLES[i % len(SAMPLES)]
        (folder / f"{src.stem}-{i:03d}.txt").write_bytes(
            src.read_bytes() + b"\n" * (i // len(SAMPLES))
        )
    template = load("items")
    results = {}
    for engine, drafter in (
        ("rules", RulesDrafter()),
        ("llm (instant fake door)", ModelDrafter(InstantDoor(), template)),
    ):
        out = root / f"own-out-{engine.split()[0]}"
        times, stages = [], {"read": [], "summarise": [], "write": []}
        for path in sorted(folder.iterdir()):
            # The copies share their sentences; distinct reports would not share the scanner's
            # cache, so each report starts with it empty.
            clear_scan_cache()
            t0 = time.perf_counter()
            doc = read_document(path)
            t1 = time.perf_counter()
            summary = summarise(doc, drafter, template=template, model="instant")
            t2 = time.perf_counter()
            write_summary(out, path.stem, summary)
            t3 = time.perf_counter()
            times.append(t3 - t0)
            for key, value in (("read", t1 - t0), ("summarise", t2 - t1), ("write", t3 - t2)):
                stages[key].append(value)
        q = statistics.quantiles(times, n=10)
        results[engine] = {
            "median_ms": 1000 * statistics.median(times), "p90_ms": 1000 * q[8],
            **{f"{k}_median_ms": 1000 * statistics.median(v) for k, v in stages.items()},
        }  # fmt: skip
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--serial-reports", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for reports, jobs in ((args.reports, 8), (args.serial_reports, 1)):
            r = throughput(root, reports, jobs, args.latency)
            print(
                f"jobs {r['jobs']}: {r['reports']} reports, {r['requests']} requests at "
                f"{args.latency * 1000:.0f} ms; ideal {r['ideal_s']:.2f} s; "
                f"wall {r['wall_s']:.2f} s ({r['wall_ratio']:.2f}x, process start included); "
                f"first request to last answer {r['span_s']:.2f} s ({r['span_ratio']:.2f}x); "
                f"re-run: {r['rerun_requests']} requests, {r['rerun_wall_s']:.2f} s"
            )
        for engine, r in own_time(root, args.copies).items():
            print(
                f"own time per report, {engine}, {args.copies} reports: median {r['median_ms']:.1f} ms, "
                f"p90 {r['p90_ms']:.1f} ms (read {r['read_median_ms']:.1f}, "
                f"structure+draft+verify {r['summarise_median_ms']:.1f}, write {r['write_median_ms']:.1f})"
            )
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
