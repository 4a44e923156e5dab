"""Finding a report's structure without a model: statutory parts, segments, truncation.

Headings are found by :mod:`summariser.layout.headings` on the logical lines of
:mod:`summariser.layout.lines` (a heading inline in a flattened text starts a line too). Parts are
read from the top-level headings (the smallest level 1–3 present) and from unnumbered lines that
name a part (``推进法治政府建设的主要举措和成效`` where ``二、`` was left out), named by the
vocabulary of :mod:`summariser.lexicon.parts`; when its rules are unsure of the top-level headings, a
labeller (the model) may name them instead. Top-level headings that name no part
(``一、实施“法治护航”行动``) are achievements until a problems, plans or other part has begun,
and belong to the part they follow after that.

Two parts need no top-level heading of their own: a sub-section of the achievements that is
the leadership duty itself (``（一）党政主要负责人履行……职责情况``; a mention of 第一责任人 in a
paragraph or a thematic sub-heading is not), and a closing paragraph of plans without a heading
(``下一步，我局将……``) when no plans part was found. Truncation is judged by
:mod:`summariser.structure.truncation`, from the words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from summariser.layout.headings import (
    Heading,
    Node,
    enumerations,
    lead,
    line_heading,
    strip_span,
    tree,
    trim_markup,
)
from summariser.layout.lines import Layout, Line, clip, read_layout
from summariser.lexicon.parts import (
    Labeller,
    classify,
    closing_plans,
    is_leadership_subsection,
    label_refusal,
    unsure,
    vocabulary,
)
from summariser.schema import PART_KEYS, Completeness, Metadata
from summariser.structure.metadata import find_metadata, find_opening, find_title
from summariser.structure.truncation import truncated

_PART_TAIL = re.compile(r"(?:的?(?:和|及|与)?(?:原因|成效|情况|工作|计划|打算|安排))*")


@dataclass(frozen=True)
class Segment:
    """The smallest enumerated unit of a part: what becomes one summary item."""

    part: str
    start: int
    end: int
    marker: str | None
    heading: str | None
    group: str | None


@dataclass(frozen=True)
class Part:
    """One statutory part: its heading words (None when inferred), span and segments.

    ``lead_ins`` are the spans of short lead-in sentences (``…存在一些短板不足和困难：``) that come
    before an enumeration and are given to no segment, so that nothing is dropped silently.
    A part that resumes after another one is merged, its span then enclosing the other.
    """

    key: str
    heading: str | None
    start: int
    end: int
    segments: list[Segment]
    lead_ins: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Structure:
    """Everything found in a report without a model."""

    metadata: Metadata
    completeness: Completeness
    headings: list[Heading]
    parts: dict[str, Part]
    layout: Layout
    labels_asked: bool = False
    labels_refused: str | None = None
    """Why the model's heading labels were not used (the rules' reading stands); None when
    the model was not asked, or its labels were used."""

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: metadata, completeness, headings and parts with their segments."""
        return {
            "metadata": self.metadata.model_dump(),
            "completeness": self.completeness.model_dump(),
            "headings": [
                {"level": h.level, "marker": h.marker, "text": h.text, "span": [h.start, h.end]}
                for h in self.headings
            ],
            "parts": {
                key: {
                    "heading": p.heading,
                    "span": [p.start, p.end],
                    "segments": [
                        {
                            "span": [s.start, s.end],
                            "marker": s.marker,
                            "heading": s.heading,
                            "group": s.group,
                        }
                        for s in p.segments
                    ],
                    "lead_ins": [list(span) for span in p.lead_ins],
                }
                for key, p in self.parts.items()
            },
        }


def _classify(words: str, year: int | None) -> str | None:
    """The part a top-level heading names, or None for a thematic heading."""
    return classify(words, year)


# --- parts and segments -----------------------------------------------------------------------


def _substantial(s: str) -> bool:
    """Whether lead-in text carries content of its own (length, or a figure other than a year)."""
    return len(s) >= 60 or re.search(r"\d", re.sub(r"\d{4}\s*年", "", s)) is not None


class _PartBuilder:
    """Turns one part's span and the headings inside it into segments."""

    def __init__(self, text: str, lines: tuple[Line, ...], key: str, roots: list[Node]) -> None:
        self.text, self.lines, self.key, self.roots = text, lines, key, roots
        self.segments: list[Segment] = []
        self.lead_ins: list[tuple[int, int]] = []
        self.inferred: list[Heading] = []

    def add(self, start: int, end: int, node: Node | None, group: str | None) -> None:
        s, e = strip_span(self.text, start, end)
        if e > s:
            marker, words = (node.heading.marker, node.heading.text) if node else (None, None)
            self.segments.append(Segment(self.key, s, e, marker, words, group))

    def body(self, start: int, end: int, node: Node | None, outer: str | None) -> None:
        """Segments of the body from ``start`` to ``end`` under ``node`` (None: the part itself).

        ``outer`` is the group ``node`` itself belongs to.
        """
        children = node.children if node else self.roots
        group = node.heading.text if node else None
        if not children:  # only reached for a part without markers: a segment per paragraph
            for line in clip(self.text, self.lines, start, end):
                self.add(line.start, line.end, None, None)
            return
        i_start, i_end = strip_span(self.text, start, children[0].heading.start)
        intro = self.text[i_start:i_end]
        if not re.search(r"\w", intro):  # only the 。 closing an inline heading
            intro = ""
        first = children[0]
        if intro and first.ordinal == 2:  # the first item lost its marker
            w_start, w_end = lead(self.text, i_start, i_end)
            words = self.text[w_start:w_end] if w_end - w_start <= 30 else None
            if words:
                self.inferred.append(Heading(first.heading.level, None, words, w_start, w_end))
            self.segments.append(Segment(self.key, i_start, i_end, None, words, group))
        elif intro and _substantial(intro):
            self.add(node.heading.start if node else i_start, i_end, node, outer)
        elif intro:
            self.lead_ins.append((i_start, i_end))
        for child in children:
            if child.children:
                self.body(child.heading.end, child.end, child, group)
                continue
            s, e = strip_span(self.text, child.heading.start, child.end)
            if child.own_line and child.heading.level < 4 and e <= child.heading.end:
                continue  # a heading line with no body
            self.add(s, e, child, group)


def _part_segments(
    layout: Layout, key: str, start: int, end: int, nodes: list[Node]
) -> tuple[list[Segment], list[tuple[int, int]], list[Heading]]:
    builder = _PartBuilder(layout.text, layout.lines, key, tree(nodes, end))
    builder.body(start, end, None, None)
    return builder.segments, builder.lead_ins, builder.inferred


@dataclass
class _Run:
    key: str
    heading: Heading | None
    start: int
    body_start: int
    end: int = 0
    by: Literal["rule", "model"] = "rule"


def _runs(tops: list[Node], keys: list[str | None]) -> list[_Run]:
    runs: list[_Run] = []
    for node, key in zip(tops, keys, strict=True):
        if key is None:
            if runs and (
                runs[-1].key == "achievements"
                or any(r.key in ("problems", "plans", "other") for r in runs)
            ):
                continue  # a thematic heading inside the current part
            runs.append(_Run("achievements", None, node.heading.start, node.heading.start))
        elif runs and runs[-1].key == key:
            continue  # a second heading of the same part: a group inside it
        else:
            runs.append(_Run(key, node.heading, node.heading.start, node.heading.end))
    return runs


# --- the whole ------------------------------------------------------------------------------------


def _unnumbered_part_heading(text: str, line: Line, level: int, year: int | None) -> Node | None:
    """A short line without sentence punctuation that names a part (a heading lost its number)."""
    if len(line.text) > 40 or re.search("[。；;！？!?]", line.text):
        return None
    if not _classify(line.text, year):
        return None
    w_start, w_end = trim_markup(text, line.start, line.end)
    while w_end > w_start and text[w_end - 1] in "：:":
        w_end -= 1
    return Node(Heading(level, None, text[w_start:w_end], w_start, w_end), None, own_line=True)


@dataclass
class _Body:
    """The report between its front matter (title, chrome, opening) and its ending."""

    front_end: int  # where the opening paragraph or the first heading starts
    end: int
    opening: Line | None
    line_nodes: list[Node]  # headings of levels 1-3 and unnumbered part headings
    nodes: list[Node]  # the same with the enumerations (level 4)


def _read_body(layout: Layout, year: int | None) -> _Body:
    text, lines, body_end = layout.text, list(layout.lines), layout.ending.body_end
    title = find_title(lines)
    after_title = title.end if title else 0
    body_lines = [ln for ln in layout.between(0, body_end) if after_title <= ln.start]
    numbered = {
        ln.start: n for ln in body_lines if ln.kind == "heading" and (n := line_heading(text, ln))
    }
    opening = find_opening(body_lines, after=after_title)
    starts = [min(numbered)] if numbered else []
    # A report whose part headings are all unnumbered may open with one, before any paragraph
    # (``推进法治政府建设的主要举措和成效`` right after the title); without a title found, the
    # first line is the title, whatever its words.
    first = 0 if title else 1
    if not numbered and (lead := next(iter(body_lines[first:]), None)):
        if _unnumbered_part_heading(text, lead, 1, year) and (
            opening is None or lead.start < opening.start
        ):
            starts = [lead.start]
    front_end = min(starts + ([opening.start] if opening else []), default=after_title)
    line_nodes = [n for start, n in numbered.items() if start >= front_end]
    top = min((n.heading.level for n in line_nodes), default=1)
    for ln in body_lines:
        if ln.start >= front_end and ln.start not in numbered:
            if node := _unnumbered_part_heading(text, ln, top, year):
                line_nodes.append(node)
    line_nodes.sort(key=lambda n: n.heading.start)
    bounds = [n.heading.start for n in line_nodes] + [body_end]
    enums = enumerations(text, list(zip([front_end] + bounds[:-1], bounds, strict=True)), lines)
    nodes = sorted(line_nodes + enums, key=lambda n: n.heading.start)
    return _Body(front_end, body_end, opening, line_nodes, nodes)


def _part_heading(text: str, node: Node, key: str) -> Node:
    """A part heading that runs on into body text (line breaks lost) ends after its part words.

    ``三、2025年工作安排坚持党建引领，推动责任落实`` is the heading ``2025年工作安排`` followed
    by the first item's words; a heading on a line of its own is left as it is.
    """
    h = node.heading
    if node.own_line:
        return node
    m = vocabulary().parts[key].search(h.text)
    if not m:
        return node
    tail = _PART_TAIL.match(h.text, m.end())
    end = tail.end() if tail else m.end()
    if len(h.text) - end < 2:
        return node
    heading = Heading(h.level, h.marker, h.text[:end], h.start, h.end - (len(h.text) - end))
    return Node(heading, node.ordinal, True, node.end, node.children)


def _leadership_subsections(body: _Body, runs: list[_Run], top: int) -> list[_Run]:
    """The 第一责任人 sub-section of an achievements part becomes the leadership part."""
    if any(r.key == "leadership" for r in runs):
        return runs
    out: list[_Run] = []
    for i, run in enumerate(runs):
        end = runs[i + 1].start if i + 1 < len(runs) else body.end
        subs = [
            n
            for n in body.line_nodes
            if run.start <= n.heading.start < end and top < n.heading.level < 4
        ]
        level = min((n.heading.level for n in subs), default=0)
        hit = next(
            (
                n
                for n in subs
                if n.heading.level == level and is_leadership_subsection(n.heading.text)
            ),
            None,
        )
        if run.key != "achievements" or hit is None:
            out.append(run)
            continue
        after = [
            n for n in subs if n.heading.level <= level and n.heading.start > hit.heading.start
        ]
        out.append(run)
        # The sub-heading is the part's heading and its first item's words alike.
        out.append(_Run("leadership", hit.heading, hit.heading.start, hit.heading.start))
        if after:
            resume = after[0].heading.start
            out.append(_Run("achievements", None, resume, resume))
    return out


def _closing_plans(text: str, body: _Body, runs: list[_Run]) -> list[_Run]:
    """A closing paragraph without a heading that opens the plans (``下一步，我局将……``)."""
    if not runs or any(r.key == "plans" for r in runs):
        return runs
    last = runs[-1]
    after = max(
        [last.body_start] + [n.heading.start for n in body.nodes if n.heading.start >= last.start]
    )
    for m in re.finditer(r"(?:^|(?<=[。！？!?\n]))[ \t\u3000]*", text[after : body.end]):
        at = after + m.end()
        if at < body.end and closing_plans(text[at : body.end]):
            return [*runs, _Run("plans", None, at, at)]
    return runs


def _opening(text: str, start: int, end: int) -> str:
    """The first sentence of a heading's body (at most 80 characters)."""
    words = text[start:end].lstrip(" \t\u3000\n：:")
    cut = re.search(r"[。；;！？!?\n]", words)
    return words[: cut.start() if cut else 80][:80]


def _find_runs(
    text: str, body: _Body, year: int | None, labeller: Labeller | None
) -> tuple[list[_Run], bool, str | None]:
    """The parts in reading order, each from its top-level heading to the next one.

    Returns the runs, whether the model labelled the top-level headings, and why its labels
    were refused (None when it was not asked, or its labels were used). A model's labels are
    used only when `label_refusal` finds them borne out by the text, and never to take the
    plans away from a closing 下一步 paragraph the rules found.
    """
    top = min((n.heading.level for n in body.line_nodes), default=None)
    tops = [n for n in body.line_nodes if n.heading.level == top]
    keys: list[str | None] = [_classify(n.heading.text, year) for n in tops]
    labelled = False
    refused: str | None = None
    if labeller is not None and tops and unsure([n.heading.text for n in tops], year):
        headings = [n.heading.text for n in tops]
        labels = labeller.label(headings)
        if labels is None:
            refused = "模型未给出可用的标注"
        else:
            ends = [n.heading.start for n in tops[1:]] + [body.end]
            openings = [_opening(text, n.heading.end, e) for n, e in zip(tops, ends, strict=True)]
            refused = label_refusal(labels, headings, openings, year)
            closing = _closing_plans(text, body, _runs(tops, keys))
            if refused is None and "plans" in labels and "plans" not in keys:
                if any(r.key == "plans" and r.heading is None for r in closing):
                    refused = "原文结尾的“下一步”段落已是计划部分"
            if refused is None:
                keys, labelled = list(labels), True
    tops = [_part_heading(text, n, k) if k else n for n, k in zip(tops, keys, strict=True)]
    runs = _runs(tops, keys)
    for run in runs if labelled else []:
        run.by = "model"
    if tops and (tops[0].ordinal or 1) > 1:  # the first top heading was lost, not its items
        orphans = [n for n in body.line_nodes if n.heading.start < tops[0].heading.start]
        if orphans:
            start = orphans[0].heading.start
            runs.insert(0, _Run("achievements", None, start, start))
    opening = body.opening
    if not runs and not body.line_nodes and opening and text[opening.end : body.end].strip():
        runs = [_Run("achievements", None, opening.end, opening.end)]  # no headings at all
    if top is not None:
        runs = _leadership_subsections(body, runs, top)
    runs = _closing_plans(text, body, runs)
    for i, run in enumerate(runs):
        run.end = runs[i + 1].start if i + 1 < len(runs) else body.end
    return runs, labelled, refused


def _build_parts(
    layout: Layout, runs: list[_Run], nodes: list[Node]
) -> tuple[dict[str, Part], list[Heading]]:
    """Segment each run; a part that resumes after another one is merged into one Part."""
    parts: dict[str, Part] = {}
    inferred: list[Heading] = []
    for run in runs:
        inside = [
            n
            for n in nodes
            if run.body_start <= n.heading.start < run.end and n.heading is not run.heading
        ]
        segments, lead_ins, found = _part_segments(layout, run.key, run.body_start, run.end, inside)
        inferred += found
        start, end = strip_span(layout.text, run.start, run.end)
        if run.key in parts:
            old = parts[run.key]
            parts[run.key] = Part(
                run.key,
                old.heading,
                old.start,
                end,
                old.segments + segments,
                old.lead_ins + lead_ins,
            )
        else:
            words = run.heading.text if run.heading else None
            parts[run.key] = Part(run.key, words, start, end, segments, lead_ins)
    return {k: parts[k] for k in PART_KEYS if k in parts}, inferred


def analyse(text: str, labeller: Labeller | None = None) -> Structure:
    """Find a report's metadata, headings, statutory parts and segments, and whether it is whole.

    Args:
        text: the report exactly as read; every span indexes this string.
        labeller: asked to label the top-level headings when the rules are unsure of them
            (:func:`summariser.lexicon.parts.unsure`); None reads by the rules alone.

    Returns:
        The structure. ``parts`` holds the parts found, in ``PART_KEYS`` order; the others are
        listed in ``completeness.missing``.
    """
    layout = read_layout(text)
    metadata = find_metadata(text, layout)
    body = _read_body(layout, metadata.year)
    runs, labelled, refused = _find_runs(text, body, metadata.year, labeller)
    found_by: dict[str, Literal["rule", "model"]] = {}
    for run in runs:
        found_by.setdefault(run.key, run.by)
    parts, inferred = _build_parts(layout, runs, body.nodes)
    headings = sorted([n.heading for n in body.nodes] + inferred, key=lambda h: h.start)
    last = parts.get(runs[-1].key) if runs else None
    completeness = Completeness(
        parts={k: k in parts for k in PART_KEYS},
        missing=[k for k in PART_KEYS if k not in parts],
        truncated=truncated(text, layout.ending.body_end, layout.ending.closed, last),
        found_by={k: found_by.get(k, "rule") for k in parts},
    )
    return Structure(
        metadata, completeness, headings, parts, layout, labelled or refused is not None, refused
    )
