"""Build the golden summaries from the hand-written item lists in ``_items_<stem>.py``.

Everything a reader decides (which items, their titles, summaries, causes, quotes, which
figures and how they read) is written by hand in the item files. This script only *measures*:
it finds each hand-chosen string in the report to get character offsets, cuts the clause
around a figure for its ``context``, and writes ``<stem>.json``.

Usage (from the repository root)::

    .venv/bin/python eval/golden/_build.py            # all reports
    .venv/bin/python eval/golden/_build.py hubin-2023  # one report
    .venv/bin/python eval/golden/_build.py --show hubin-2023   # also print item edges

Any string that is missing, ambiguous, or outside its item stops the build with a message.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "examples" / "reports"
GOLDEN = Path(__file__).resolve().parent
PART_KEYS = ("achievements", "problems", "leadership", "plans", "other")
STEMS = ("baicheng-2023", "heshan-2024", "huangzhong-2024", "hubin-2023", "zhengxiang-2024")

# A figure's context is the clause around it: cut at these marks (not at 、, which would leave
# fragments like "6名个人" without the verb that says what was counted).
CLAUSE_BREAKS = "，,。；;：:！？!?\n"


@dataclass
class F:
    """One hand-read figure: as written, its value in base units, unit and qualifier.

    ``at`` is a longer exact substring of the item containing ``text``, used only when
    ``text`` occurs more than once in the item.
    """

    text: str
    value: float | None
    unit: str | None
    qualifier: str | None = None
    at: str | None = None


@dataclass
class I:  # noqa: E742 - short on purpose: the item files are long lists of these
    """One hand-read item: where it starts and ends (exact strings) and what it says."""

    start: str
    end: str
    title: str
    summary: str
    quote: str
    figures: list[F] = field(default_factory=list)
    cause: str | None = None


class BuildError(Exception):
    pass


def _unique(text: str, needle: str, lo: int, hi: int, what: str) -> int:
    """Offset of the one occurrence of ``needle`` inside text[lo:hi]."""
    found = [m.start() + lo for m in re.finditer(re.escape(needle), text[lo:hi])]
    if len(found) != 1:
        raise BuildError(f"{what}: {needle!r} occurs {len(found)} times in [{lo},{hi})")
    return found[0]


def _clause(text: str, start: int, end: int) -> str:
    lo = start
    while lo > 0 and text[lo - 1] not in CLAUSE_BREAKS:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in CLAUSE_BREAKS:
        hi += 1
    return text[lo:hi].strip()


def _figure(text: str, f: F, lo: int, hi: int, where: str) -> dict:
    if f.at is None:
        s = _unique(text, f.text, lo, hi, f"{where} figure")
    else:
        a = _unique(text, f.at, lo, hi, f"{where} figure anchor")
        s = _unique(text, f.text, a, a + len(f.at), f"{where} figure in anchor")
    e = s + len(f.text)
    return {
        "text": f.text,
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "span": [s, e],
        "context": _clause(text, s, e),
    }


def _load_items(stem: str):
    path = GOLDEN / f"_items_{stem.replace('-', '_')}.py"
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def build(stem: str, show: bool = False) -> dict:
    src = REPORTS / f"{stem}.txt"
    data = src.read_bytes()
    text = data.decode("utf-8")
    m = _load_items(stem)

    parts: dict[str, list[dict]] = {k: [] for k in PART_KEYS}
    for key in PART_KEYS:
        for n, it in enumerate(m.PARTS.get(key, []), 1):
            where = f"{stem} {key}[{n}]"
            s = _unique(text, it.start, 0, len(text), f"{where} start")
            e = text.find(it.end, s)
            if e < 0:
                raise BuildError(f"{where}: end {it.end!r} not found after start")
            e += len(it.end)
            q = _unique(text, it.quote, s, e, f"{where} quote")
            item = {
                "title": it.title,
                "summary": it.summary,
                "cause": it.cause,
                "quote": it.quote,
                "quote_span": [q, q + len(it.quote)],
                "source_span": [s, e],
                "figures": [_figure(text, f, s, e, where) for f in it.figures],
                "flags": [],
            }
            item["figures"].sort(key=lambda fg: fg["span"][0])
            parts[key].append(item)
            if show:
                head, tail, after = text[s : s + 14], text[e - 14 : e], text[e : e + 8]
                print(f"{where} [{s},{e}) {head!r} … {tail!r} | next {after!r}")

    key_figures = []
    for key, ftext, at, quote in m.KEY_FIGURES:
        match = None
        for item in parts[key]:
            for fg in item["figures"]:
                if fg["text"] != ftext:
                    continue
                if at is not None:
                    a = text.find(at, item["source_span"][0], item["source_span"][1])
                    if a < 0 or not (a <= fg["span"][0] and fg["span"][1] <= a + len(at)):
                        continue
                if match is not None:
                    raise BuildError(f"{stem} key figure {ftext!r} ({at!r}) is ambiguous")
                match = fg
        if match is None:
            raise BuildError(f"{stem} key figure {ftext!r} ({at!r}) is not an item figure")
        q = quote if quote is not None else match["context"]
        fs, fe = match["span"]
        if not any(
            o.start() <= fs and fe <= o.start() + len(q) for o in re.finditer(re.escape(q), text)
        ):
            raise BuildError(f"{stem} key figure {ftext!r}: quote {q!r} does not contain it")
        key_figures.append({"part": key, "figure": dict(match), "quote": q})

    present = {k: bool(parts[k]) for k in PART_KEYS}
    out = {
        "schema_version": "1",
        "source": {
            "name": src.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": "txt",
            "encoding": "utf-8",
            "chars": len(text),
        },
        "metadata": m.METADATA,
        "completeness": {
            "parts": present,
            "missing": [k for k in PART_KEYS if not present[k]],
            "truncated": m.TRUNCATED,
        },
        "parts": parts,
        "key_figures": key_figures,
        "verification": {"numbers": [], "counts": {}, "source_warnings": []},
        "flags": m.FLAGS,
        "run": {"engine": "golden", "engine_note": "written by reading the report"},
    }
    return out


def uncovered_digits(stem: str) -> list[str]:
    """Digit runs inside items that no figure covers (for the author to review)."""
    text = (REPORTS / f"{stem}.txt").read_text(encoding="utf-8")
    out = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    rows = []
    for key, items in out["parts"].items():
        for n, item in enumerate(items, 1):
            s, e = item["source_span"]
            covered = [fg["span"] for fg in item["figures"]]
            for d in re.finditer(r"\d+(?:\.\d+)?", text[s:e]):
                a, b = d.start() + s, d.end() + s
                if not any(c0 <= a and b <= c1 for c0, c1 in covered):
                    rows.append(f"{key}[{n}] {text[max(a - 8, 0) : b + 4]!r}")
    return rows


def main(argv: list[str]) -> int:
    show = "--show" in argv
    stems = [a for a in argv if not a.startswith("--")] or list(STEMS)
    for stem in stems:
        try:
            out = build(stem, show=show)
        except BuildError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        path = GOLDEN / f"{stem}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        counts = {k: len(v) for k, v in out["parts"].items()}
        print(f"wrote {path.relative_to(ROOT)}: {counts}, key figures {len(out['key_figures'])}")
        for row in uncovered_digits(stem):
            print(f"  not a figure: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
