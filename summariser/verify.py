"""The `summariser verify` command: check every figure of a summary file against its report."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser.errors import InputError
from summariser.grounding.checker import SourceIndex, Verification, verify_strings
from summariser.output.files import is_markdown_view
from summariser.reading.documents import read_document
from summariser.schema import STATUSES, checkable_strings, item_scope, written_paths

SKIPPED_PATHS = frozenset({"/schema_version"})
"""Strings outside `schema.MACHINE_FIELDS` that are still bookkeeping, not prose."""
SKIPPED_KEYS = frozenset({"flags"})
"""Fields, at any depth, that the machine writes about the summary (“3万份”未通过核对…):
checking them again would count each bad figure twice and read section numbers as figures."""


def run_verify(source: Path, summary: Path, as_json: bool) -> int:
    """Check ``summary`` against ``source`` and print the result.

    Returns:
        0 when every figure is verified or derived and no words turn the source over (a
        dropped negation, a problem told as a success), 1 otherwise, 2 for bad input (a
        one-line message on stderr, no traceback).
    """
    try:
        src = read_document(source).text
        text = _read_summary(summary)
        if summary.suffix.lower() != ".json" and is_markdown_view(text):
            summary, text = _json_of_view(summary)
        pairs, scopes, written = _summary_strings(text, summary, len(src))
    except InputError as err:
        print(f"summariser: error: {err.one_line()}", file=sys.stderr)
        return 2
    # Free text, and strings outside an item, are aligned sentence by sentence to their passage.
    problems = {
        p for p, _ in pairs if p and p.startswith("/parts/problems/") and p.endswith("/summary")
    }
    result = verify_strings(
        pairs, SourceIndex(src), scopes=scopes, align=True, written=written, problems=problems
    )
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(render_table(result, src))
    return 0 if result.ok else 1


def _json_of_view(view: Path) -> tuple[Path, str]:
    """The run JSON beside a Markdown view `run` wrote: its figures are the ones to check, with
    the passage each item stands on; the view's counts and character spans are not figures.

    Raises:
        InputError: the JSON is not beside it (one line saying to give the JSON).
    """
    data = view.with_suffix(".json")
    if not data.is_file():
        raise InputError(
            f"{view}: is the Markdown view `summariser run` writes; give its run JSON "
            f"({data.name}) instead"
        )
    print(f"summariser: note: {view} is the Markdown view of {data}; checking {data}",
          file=sys.stderr)  # fmt: skip
    return data, _read_summary(data)


def _read_summary(path: Path) -> str:
    """A run JSON is read as UTF-8 here; anything else the way reports are read."""
    if path.suffix.lower() != ".json":
        return read_document(path).text
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: a summary JSON must be UTF-8") from err


def _summary_strings(
    text: str, path: Path, source_len: int
) -> tuple[Sequence[tuple[str | None, str]], list[tuple[int, int] | None], set[str] | None]:
    """The texts to check, the source passage each is about when the summary says so, and
    which of them are written words (None for free text: all of it is)."""
    data: Any = None
    looks_json = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    if looks_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            if path.suffix.lower() == ".json":
                raise InputError(f"{path}: not valid JSON ({err.msg}, line {err.lineno})") from err
    if data is None or isinstance(data, str | int | float | bool):
        return [(None, text)], [None], None
    pairs = [
        (p, s)
        for p, s in checkable_strings(data)
        if p not in SKIPPED_PATHS and not SKIPPED_KEYS & set(p.split("/"))
    ]
    scopes = [item_scope(data, p, source_len) for p, _ in pairs]
    return pairs, scopes, written_paths(data)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _where(src: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return "-"
    start, end = spans[0]
    line = src.count("\n", 0, start) + 1
    more = f" (+{len(spans) - 1})" if len(spans) > 1 else ""
    return f"{start}-{end} L{line}{more}"


def render_table(result: Verification, src: str) -> str:
    """The readable form: one row per figure (figure, status, where in the source, note),
    then the counts and the source's own warnings."""
    paths = result.paths or [None] * len(result.checks)
    rows = [("path", "figure", "status", "source", "note")] if any(paths) else []
    if not rows:
        rows = [("", "figure", "status", "source", "note")]
    for c, p in zip(result.checks, paths, strict=True):
        note = c.formula or c.note or ""
        rows.append((p or "", c.quantity.text, c.status, _where(src, c.source_spans), note))
    show_path = any(paths)
    widths = [max(_width(r[k]) for r in rows) for k in range(5)]
    lines = []
    for r in rows:
        cells = [_pad(r[k], widths[k]) for k in range(4)] + [r[4]]
        lines.append("  ".join(cells if show_path else cells[1:]).rstrip())
    if not result.checks:
        lines = ["(no figures)"]
    counts = result.counts
    lines.append("")
    lines.append("  ".join(f"{s}: {counts[s]}" for s in STATUSES))
    for origin, row in result.by_origin.items():
        if row["checked"]:
            lines.append(f"{origin}: " + "  ".join(f"{k} {v}" for k, v in row.items()))
    for w in result.wording:
        lines.append(f"wording: {w['path'] or ''} {w['note']}".replace("  ", " "))
    for w in result.source_warnings:
        lines.append(f"source warning: {w['note']}")
    return "\n".join(lines)
