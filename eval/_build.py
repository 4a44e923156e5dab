"""Build a split's golden summaries from the hand-written item lists in ``_items_<stem>.py``.

Everything a reader decides (which items, their titles, summaries, causes, quotes, which
figures and how they read) is written by hand in the item files. This script only *measures*:
it finds each hand-chosen string in the report to get character offsets, cuts the clause
around a figure for its ``context``, and writes ``<stem>.json``.

A split is a folder (``eval/golden``, ``eval/heldout``) holding the item files, the JSON
written from them and a ``split.toml`` that names the folder its reports are in.

Usage (from the repository root)::

    .venv/bin/python eval/_build.py                          # every split, every report
    .venv/bin/python eval/_build.py eval/heldout             # one split
    .venv/bin/python eval/_build.py eval/golden hubin-2023   # one report
    .venv/bin/python eval/_build.py --show eval/golden hubin-2023   # also print item edges

Any string that is missing, ambiguous, or outside its item stops the build with a message.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPLITS = (ROOT / "eval" / "golden", ROOT / "eval" / "heldout")
PART_KEYS = ("achievements", "problems", "leadership", "plans", "other")

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


def reports_dir(split: Path) -> Path:
    """The folder of the split's reports, from its split.toml (relative to the root)."""
    meta = tomllib.loads((split / "split.toml").read_text(encoding="utf-8"))
    return ROOT / meta["reports"]


def stems(split: Path) -> list[str]:
    """Every report of the split that has an item file."""
    return sorted(p.stem[len("_items_") :].replace("_", "-") for p in split.glob("_items_*.py"))


def _load_items(split: Path, stem: str):
    path = split / f"_items_{stem.replace('-', '_')}.py"
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def build(split: Path, stem: str, show: bool = False) -> dict:
    src = reports_dir(split) / f"{stem}.txt"
    data = src.read_bytes()
    text = data.decode("utf-8")
    m = _load_items(split, stem)

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


def uncovered_digits(split: Path, stem: str) -> list[str]:
    """Digit runs inside items that no figure covers (for the author to review)."""
    text = (reports_dir(split) / f"{stem}.txt").read_text(encoding="utf-8")
    out = json.loads((split / f"{stem}.json").read_text(encoding="utf-8"))
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
    args = [a for a in argv if not a.startswith("--")]
    folders = [Path(a).resolve() for a in args if Path(a).is_dir()]
    named = [a for a in args if not Path(a).is_dir()]
    if named and len(folders) != 1:
        print("error: name one split folder before the reports", file=sys.stderr)
        return 1
    for split in folders or list(SPLITS):
        if not (split / "split.toml").is_file():
            print(f"error: {split} has no split.toml", file=sys.stderr)
            return 1
        for stem in named or stems(split):
            try:
                out = build(split, stem, show=show)
            except (BuildError, OSError) as err:
                print(f"error: {err}", file=sys.stderr)
                return 1
            path = split / f"{stem}.json"
            text = json.dumps(out, ensure_ascii=False, indent=2) + "\n"
            path.write_text(text, encoding="utf-8")
            counts = {k: len(v) for k, v in out["parts"].items()}
            print(
                f"wrote {path.relative_to(ROOT)}: {counts}, key figures {len(out['key_figures'])}"
            )
            for row in uncovered_digits(split, stem):
                print(f"  not a figure: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
