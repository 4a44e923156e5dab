"""Time `summariser memo` for the five sample summaries and for 500 (copies with distinct stems).

    .venv/bin/python bench/bench_memo.py [--sizes 5 500] [--repeat 3]

Prints the best wall-clock seconds of each size and format; nothing touches the network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from summariser.memo.command import run_memo

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "data" / "memo"


def make_run_dir(root: Path, n: int) -> Path:
    """A folder holding n run JSON, cycling through the fixtures with distinct stems."""
    sources = sorted(FIXTURES.glob("*.json"))
    run = root / f"run-{n}"
    run.mkdir()
    for i in range(n):
        src = sources[i % len(sources)]
        name = src.name if n <= len(sources) else f"{src.stem}-{i:04d}.json"
        shutil.copy(src, run / name)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'reports':>8} {'format':>6} {'seconds':>8} {'size':>10}")
        for n in args.sizes:
            run = make_run_dir(root, n)
            for suffix in (".md", ".docx"):
                out = root / f"memo-{n}{suffix}"
                best = min(_timed(run, out) for _ in range(args.repeat))
                print(f"{n:>8} {suffix[1:]:>6} {best:>8.2f} {out.stat().st_size:>10,}")
    return 0


def _timed(run: Path, out: Path) -> float:
    t0 = time.perf_counter()
    run_memo([run], out)
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
