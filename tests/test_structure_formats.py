"""Every sample report read as .txt, .docx, .html, .pdf and flattened gives the same structure.

The other formats are made here from the .txt, the way each arrives in a user's folder: a Word
file with one paragraph per line, a saved web page with one <p> per line inside an article, a
PDF whose paragraphs are wrapped into lines of a page's width (made with the reading tests'
minimal PDF writer, so no PDF library or font is needed), and the text with its line breaks lost.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from docx import Document as new_docx

from summariser.evaluation.structure import flatten
from summariser.reading.documents import read_document
from summariser.structure.sections import Structure, analyse
from tests.test_reading import make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "examples" / "reports"
SAMPLES = sorted(p.stem for p in REPORTS.glob("*.txt"))
PDF_WIDTH = 38
"""Characters per line of an A4 page in 12-point 宋体 within ordinary margins."""
PDF_LINES = 36


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def as_docx(text: str, path: Path) -> Path:
    doc = new_docx()
    for line in _lines(text):
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def as_html(text: str, path: Path) -> Path:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in _lines(text))
    page = (
        '<html><head><meta charset="utf-8"><title>报告</title></head><body>'
        '<div class="nav">首页 &gt; 政务公开</div>'
        f'<div class="article">{body}</div><div class="footer">版权所有</div></body></html>'
    )
    path.write_text(page, encoding="utf-8")
    return path


def as_pdf(text: str, path: Path) -> Path:
    wrapped = [
        line[i : i + PDF_WIDTH] for line in _lines(text) for i in range(0, len(line), PDF_WIDTH)
    ]
    pages = [wrapped[i : i + PDF_LINES] for i in range(0, len(wrapped), PDF_LINES)]
    path.write_bytes(make_pdf(pages))
    return path


def as_flat(text: str, path: Path) -> Path:
    path.write_text(flatten(text), encoding="utf-8")
    return path


def shape(found: Structure, text: str) -> dict[str, object]:
    """What must not change with the format: parts, their items (marker, heading, opening words)
    and truncation. Whitespace is left out, as a reader of each format would not see it."""

    def words(s: str) -> str:
        return re.sub(r"\s+", "", s)

    return {
        "parts": {
            key: [
                (s.marker, words(s.heading or ""), words(text[s.start : s.end])[:40])
                for s in part.segments
            ]
            for key, part in found.parts.items()
        },
        "truncated": found.completeness.truncated,
    }


MAKERS = {"docx": as_docx, "html": as_html, "pdf": as_pdf, "flattened": as_flat}


@pytest.mark.parametrize("fmt", sorted(MAKERS))
@pytest.mark.parametrize("stem", SAMPLES)
def test_sample_structure_is_the_same_in_every_format(tmp_path: Path, stem: str, fmt: str) -> None:
    source = (REPORTS / f"{stem}.txt").read_text(encoding="utf-8")
    expected = shape(analyse(source), source)
    suffix = "txt" if fmt == "flattened" else fmt
    doc = read_document(MAKERS[fmt](source, tmp_path / f"{stem}.{suffix}"))
    if fmt == "pdf":
        assert "\n" in doc.text.strip()  # the paragraphs did arrive wrapped
    got = shape(analyse(doc.text), doc.text)
    if fmt == "flattened":
        # A heading line without closing punctuation (zhengxiang's ``(一)…建设``) that loses
        # its line break runs on into its body's first sentence: nothing in the words marks its
        # end. The item is the same; its heading starts with the original heading's words.
        got, expected = _heading_prefixes(got, expected)
    assert got == expected


def _heading_prefixes(
    got: dict[str, object], expected: dict[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """``got`` with each item heading cut to the expected one's length when it starts with it."""
    parts_got, parts_expected = got["parts"], expected["parts"]
    assert isinstance(parts_got, dict) and isinstance(parts_expected, dict)
    fixed = {}
    for key, items in parts_got.items():
        want = parts_expected.get(key, [])
        fixed[key] = [
            (m, h[: len(w[1])] if i < len(want) and h.startswith(w[1]) else h, t)
            for i, (m, h, t) in enumerate(items)
            for w in [want[i] if i < len(want) else (None, "", "")]
        ]
    return {**got, "parts": fixed}, expected
