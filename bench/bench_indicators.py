"""Benchmark: the code time of finding a report's standard indicators.

    .venv/bin/python bench/bench_indicators.py [--runs N]

For each of the nine reports (the five samples and the four held-out ones), the report is read,
its figures scanned and its structure found once, as the pipeline has them before it looks for
indicators; one run is `grounding.indicators.find_indicators(...)` over them, as
`pipeline/report.py` calls it (the plans part skipped, year, level and issuer from the
metadata, no chooser: no clause of these reports is unsure). The target (issue 21) is under
5 ms per report. The scan of the figures is shared with the rest of the pipeline and not
counted; it is printed once for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summariser.figures.numbers import clear_scan_cache, scan  # noqa: E402
from summariser.grounding.indicators import find_indicators  # noqa: E402
from summariser.lexicon.indicators import indicators  # noqa: E402
from summariser.structure.sections import analyse  # noqa: E402

REPORTS = sorted((ROOT / "examples" / "reports").glob("*.txt")) + sorted(
    (ROOT / "eval" / "heldout" / "reports").glob("*.txt")
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    indicators()  # the vocabulary is loaded once per process, before any report
    print(
        f"{'report':28} {'chars':>6} {'figures':>7} {'found':>5} {'median ms':>9} {'p90 ms':>7} {'scan ms':>7}"
    )
    medians = []
    for path in REPORTS:
        text = path.read_text(encoding="utf-8")
        clear_scan_cache()
        t0 = time.perf_counter()
        quantities = [q for q in scan(text)[0] if q.kind != "date"]
        scan_ms = (time.perf_counter() - t0) * 1000
        structure = analyse(text)
        plans = structure.parts.get("plans")
        skip = [(plans.start, plans.end)] if plans else []
        meta = structure.metadata
        times = []
        found = 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = find_indicators(
                text, quantities, skip=skip, year=meta.year, level=meta.level, issuer=meta.issuer
            )
            times.append((time.perf_counter() - t0) * 1000)
            found = len(result.values)
        times.sort()
        med = statistics.median(times)
        medians.append(med)
        p90 = times[int(0.9 * (len(times) - 1))]
        print(
            f"{path.stem:28} {len(text):>6} {len(quantities):>7} {found:>5} "
            f"{med:>9.2f} {p90:>7.2f} {scan_ms:>7.1f}"
        )
    print(
        f"largest median {max(medians):.2f} ms; mean of medians {statistics.mean(medians):.2f} ms"
    )


if __name__ == "__main__":
    main()
