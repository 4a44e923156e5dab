"""Joining the lines a PDF wrapped at the page's width back into their paragraphs."""

from __future__ import annotations

from summariser.lexicon.markers import MARKER

_WRAP_FULL = 0.8
"""A line at least this share of the page's text width was wrapped, not ended, by the writer."""


def unwrap(text: str) -> str:
    """Join the lines a PDF wrapped at the page's width back into their paragraphs.

    A PDF's text layer breaks every paragraph into lines of the page's width. A line is taken
    as wrapped when it is nearly as long as the page's longest lines, does not end a sentence,
    and the next line does not start with a heading marker; short lines (headings, a
    paragraph's last line) keep their break.
    """
    lines = text.split("\n")
    lengths = sorted(len(s.strip()) for s in lines if s.strip())
    if len(lengths) < 5:
        return text
    width = lengths[int(0.95 * (len(lengths) - 1))]
    if width < 20:
        return text
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1].strip()
        wrapped = (
            len(prev) >= _WRAP_FULL * width
            and prev[-1] not in "。！？!?；;："
            and line.strip()
            and not MARKER.match(line.strip())
        )
        if wrapped:
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return "\n".join(out)
