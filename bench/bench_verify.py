"""Benchmark: verify a 5,000-character summary against a 10,000-character source.

    .venv/bin/python bench/bench_verify.py [--runs N]

The source is the sample reports run together and cut to 10,000 characters; the summary is
5,000 characters of clauses taken from it, about one in five with a figure re-expressed
(30000余份 for 3万余份) or changed, so every path of the checker is taken. One run is the whole
of `verify_strings(...)`: parsing the source, finding and checking every figure, the source's
own warnings; the summary aligned sentence by sentence to its passages, as `summariser
verify` does for free text. The target (issue: number engine) is a median of at most 20 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summariser.figures.numbers import clear_scan_cache  # noqa: E402
from summariser.grounding.checker import verify_strings  # noqa: E402


def texts(seed: int = 1) -> tuple[str, str]:
    """The 10,000-character source and the 5,000-character summary."""
    reports = sorted((ROOT / "examples" / "reports").glob("*.txt"))
    source = "\n".join(p.read_text(encoding="utf-8") for p in reports)[:10_000]
    rng = random.Random(seed)
    clauses = [c for c in re.split(r"[，。；\n,;]", source) if re.search(r"[0-9]", c)]
    parts: list[str] = []
    while sum(map(len, parts)) < 5_000:
        c = rng.choice(clauses)
        roll = rng.random()
        if roll < 0.1:
            c = re.sub(r"([0-9]+)万", lambda m: str(int(m.group(1)) * 10000), c, count=1)
        elif roll < 0.2:
            c = re.sub(r"[0-9]", lambda m: str((int(m.group()) + 1) % 10), c, count=1)
        parts.append(c + rng.choice("，。；"))
    summary = "".join(parts)[:5_000]
    return source, summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    source, summary = texts()
    result = verify_strings([(None, summary)], source, align=True)  # warm up; what was checked
    times = []
    for _ in range(args.runs):
        clear_scan_cache()  # each run parses as a first sight would
        t0 = time.perf_counter()
        verify_strings([(None, summary)], source, align=True)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(
        f"source {len(source)} chars, summary {len(summary)} chars, "
        f"{len(result.checks)} figures checked {result.counts}"
    )
    print(
        f"median {statistics.median(times):.1f} ms  p90 {p90:.1f} ms  "
        f"min {times[0]:.1f} ms  ({args.runs} runs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
