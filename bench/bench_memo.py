"""Time and measure `summariser memo` over the five samples and over synthetic distinct reports.

    .venv/bin/python bench/bench_memo.py [--sizes 200 1000 5000] [--repeat 3]

For the five sample summaries (tests/data/memo) and for N synthetic distinct reports
(tests/memo_corpus.py: issuers of every level and kind, items about known work areas), prints
the best wall-clock seconds of each format, the Markdown's size (all, and the body before the
appendices), and the peak memory Python allocated while the Markdown memo was built and
written (tracemalloc, measured in a run of its own so it does not slow the timed ones).
Memory should stay flat as N grows: the summaries are read one at a time. Nothing touches the
network.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.memo.command import run_memo  # noqa: E402
from tests.memo_corpus import write_corpus  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "memo"


def sample_run(root: Path) -> Path:
    run = root / "run-samples"
    run.mkdir()
    for src in sorted(FIXTURES.glob("*.json")):
        shutil.copy(src, run / src.name)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        runs = [("5 samples", sample_run(root))]
        for n in args.sizes:
            run = root / f"run-{n}"
            write_corpus(run, n)
            runs.append((f"{n} synthetic", run))
        print(
            f"{'reports':>15} {'md s':>6} {'docx s':>7} {'md chars':>10} {'body chars':>10} {'peak MiB':>9}"
        )
        for name, run in runs:
            md, docx = root / "memo.md", root / "memo.docx"
            t_md = min(_timed(run, md) for _ in range(args.repeat))
            t_docx = min(_timed(run, docx) for _ in range(args.repeat))
            text = md.read_text(encoding="utf-8")
            at = text.find("\n## 附件")
            body = len(text) if at < 0 else at + 1
            tracemalloc.start()
            _timed(run, md)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"{name:>15} {t_md:>6.2f} {t_docx:>7.2f} {len(text):>10,} {body:>10,}"
                f" {peak / 2**20:>9.1f}"
            )
    return 0


def _timed(run: Path, out: Path) -> float:
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the command's "written" line
        run_memo([run], out)
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
