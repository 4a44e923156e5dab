"""Spans of a text marked in nested layers: a mark that crosses an outer one is split in pieces.

The review page marks the source with item passages, quotes and figures, which overlap; HTML
elements must nest, so each layer's marks are cut where an outer layer's begin and end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Mark:
    """One span to mark: its place, the id of its first piece, and its tags."""

    start: int
    end: int
    ident: str
    open: str  # the opening tag without its closing ">", id added on the first piece
    close: str


def layers(marks: Iterable[Mark]) -> list[list[Mark]]:
    """Marks into layers of disjoint marks, first fit, in the order given."""
    out: list[list[Mark]] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        for layer in out:
            if layer[-1].end <= m.start:
                layer.append(m)
                break
        else:
            out.append([m])
    return out


def nest(
    text: str,
    layers: list[list[Mark]],
    lo: int,
    hi: int,
    depth: int,
    out: list[str],
    seen: set[str],
) -> None:
    """Render text[lo:hi] with the marks of layers[depth:], splitting a mark that crosses an
    outer one into pieces (the id goes on its first piece)."""
    if depth == len(layers):
        out.append(escape(text[lo:hi]))
        return
    pos = lo
    layer = layers[depth]
    # a layer's marks are disjoint and in order, so their ends are too: skip those before lo
    first = bisect_right(layer, lo, key=lambda m: m.end)
    for k in range(first, len(layer)):
        m = layer[k]
        s, e = max(m.start, lo), min(m.end, hi)
        if m.start >= hi:
            break
        if s >= e:
            continue
        nest(text, layers, pos, s, depth + 1, out, seen)
        ident = "" if m.ident in seen else f' id="{m.ident}"'
        seen.add(m.ident)
        out.append(f"{m.open}{ident}>")
        nest(text, layers, s, e, depth + 1, out, seen)
        out.append(m.close)
        pos = e
    nest(text, layers, pos, hi, depth + 1, out, seen)
