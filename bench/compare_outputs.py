"""Compare two `summariser run` output folders, byte for byte apart from timing fields.

A refactor must leave the outputs on the samples unchanged. Capture before, change, capture
after, then compare:

    .venv/bin/summariser run examples/reports --engine rules --out /tmp/before
    ... change the code ...
    .venv/bin/summariser run examples/reports --engine rules --out /tmp/after
    .venv/bin/python bench/compare_outputs.py /tmp/before /tmp/after

Timing fields differ from run to run and are blanked before comparing: every JSON key named
`seconds` and the `seconds` column of index.csv. Everything else (json, md, csv, html) must be
identical. Exit 0 when it is, 1 with the differing files listed when not.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

TIMING_KEYS = frozenset({"seconds"})


def _blank_json(value: object) -> object:
    if isinstance(value, dict):
        return {k: (None if k in TIMING_KEYS else _blank_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_json(v) for v in value]
    return value


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".json":
        return json.dumps(_blank_json(json.loads(data)), ensure_ascii=False).encode()
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        if rows:
            drop = [i for i, name in enumerate(rows[0]) if name in TIMING_KEYS]
            for row in rows[1:]:
                for i in drop:
                    if i < len(row):
                        row[i] = ""
        return repr(rows).encode()
    return data


def compare(before: Path, after: Path) -> list[str]:
    """The relative paths that differ (or exist on one side only)."""
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    problems: list[str] = []
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.is_file() or not b.is_file():
            problems.append(f"{name}: only in {'after' if not a.is_file() else 'before'}")
        elif _normalised(a) != _normalised(b):
            problems.append(f"{name}: differs")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: compare_outputs.py BEFORE_DIR AFTER_DIR", file=sys.stderr)
        return 2
    before, after = Path(argv[0]), Path(argv[1])
    for folder in (before, after):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return 2
    problems = compare(before, after)
    count = sum(1 for p in before.rglob("*") if p.is_file())
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} of {count} files differ")
        return 1
    print(f"identical: {count} files (timing fields aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
