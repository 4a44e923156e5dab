"""Speed of the whole pipeline with the embedded local model, per report and per part.

Not a test: needs `summariser models install`. Prints tokens read, tokens written and seconds
for every model call, then the mean seconds per report (the goal: <= 90 s on 2 cores).

    .venv/bin/python bench/bench_local_model.py examples/reports/*.txt
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from summariser.model.door import ModelDoor
from summariser.model.local import MODEL_NAME, serve
from summariser.model.prompts import load
from summariser.pipeline.drafting import ModelDrafter
from summariser.pipeline.report import summarise
from summariser.reading.documents import read_document


def main(paths: list[str]) -> None:
    template = load("items")
    per_report: list[float] = []
    with serve() as server:
        drafter = ModelDrafter(ModelDoor(server.base_url, MODEL_NAME), template)
        print(f"{'report':18} {'part':13} {'tries':>5} {'read':>6} {'written':>7} {'seconds':>8}")
        for path in paths:
            doc = read_document(Path(path))
            started = time.monotonic()
            summary = summarise(doc, drafter, template=template, model=MODEL_NAME)
            seconds = time.monotonic() - started
            per_report.append(seconds)
            for part in summary.run.parts:
                print(
                    f"{doc.stem:18} {part.part:13} {part.attempts:5} {part.tokens_in:6} "
                    f"{part.tokens_out:7} {part.seconds:8.1f}"
                )
            print(
                f"{doc.stem:18} {'TOTAL':13} {summary.run.attempts:5} {summary.run.tokens_in:6} "
                f"{summary.run.tokens_out:7} {seconds:8.1f}"
            )
    print(
        f"mean seconds per report: {statistics.mean(per_report):.1f} over {len(per_report)} reports"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or [str(p) for p in sorted(Path("examples/reports").glob("*.txt"))])
