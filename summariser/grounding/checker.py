"""Checking a summary's figures against its source: value, unit, qualifier and context.

Every figure of the summary gets one status (see `summariser.schema.Status`):

- ``verified``: the source has the same value in a compatible unit with the same qualifier
  (余/多/超过 are one claim, 近/不足 another, 约/左右 a third), and its context fits;
- ``qualifier_changed``: the value is there but the hedge was dropped, added or flipped;
- ``unit_mismatch``: the value is there in another unit (430件 → 430人次, 5% → 5个百分点), or
  the same written digits with another magnitude (25.63万元 → 25.63元);
- ``context_mismatch``: the value is there, but belongs to something else;
- ``derived``: not in the source, but an exact sum, difference or rate of figures in one
  sentence of the passage the text is about (inside its segment when a scope is given), and
  the text states that arithmetic (合计/共计/总数…, 比上年增加/减少…, 未成功/其余…, a rate
  named 率/占/比例) over operands its own words name (or write out); a change over time only
  from a figure the source dates earlier. The formula is recorded. Otherwise ``not_found``;
- ``not_found``: none of the above.

The source is parsed once (`summariser.grounding.source_figures`); one figure is judged by
`summariser.grounding.judging`, where the rules on context, rounding and arithmetic are told; the
verdicts and their JSON are in `summariser.grounding.verdicts`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from summariser.figures.numbers import Quantity, scan, units_compatible
from summariser.grounding.arithmetic import value_key
from summariser.grounding.judging import FigureJudge
from summariser.grounding.source_figures import Context, contexts
from summariser.grounding.source_lint import source_warnings
from summariser.grounding.verdicts import NumberCheck, Verification
from summariser.grounding.wording import dropped_negations, problem_dropped
from summariser.lexicon.sentences import sentence_spans
from summariser.schema import OK_STATUSES, STATUSES, Status

__all__ = [
    "OK_STATUSES",
    "STATUSES",
    "NumberCheck",
    "SourceIndex",
    "Status",
    "Verification",
    "verify_strings",
]

_DIGITS = re.compile(r"[0-9０-９.．%％]+")


class SourceIndex(FigureJudge):
    """A source report parsed once, to check many summary texts against it."""

    def check(self, text: str, *, scope: tuple[int, int] | None = None) -> list[NumberCheck]:
        """Check every figure (and identifier) of ``text`` against the source.

        Args:
            text: A summary sentence, a paragraph or a whole summary.
            scope: The passage of the source ``text`` is about, as ``(start, end)``. Matches
                inside it are preferred; context rivals and derived figures are looked for
                in it. A match elsewhere still counts when its context fits.

        Returns:
            One `NumberCheck` per figure, in order of position in ``text``.
        """
        qs, identifiers = scan(text)
        checks = self._verbatim(text, qs, scope)
        if len(checks) < len(qs):
            done = {c.quantity.start for c in checks}
            ctxs = contexts(text, qs)
            checks += [
                self._check_one(text, q, c, scope)
                for q, c in zip(qs, ctxs, strict=True)
                if q.start not in done
            ]
        checks += [self._check_identifier(q) for q in identifiers]
        checks.sort(key=lambda c: c.quantity.start)
        return checks

    def check_aligned(self, text: str) -> list[NumberCheck]:
        """Check free text sentence by sentence, each against its best source passage.

        A summary sentence is about one passage of the report: the source sentence that holds
        most of its words (at least half of its character bigrams, and clearly more than any
        other sentence where its figures could belong: see `passage_of`). Its figures are then
        judged segment first, as a run judges an item; a sentence that aligns with no passage
        is checked against the whole report.
        """
        qs, identifiers = scan(text)  # once: contexts stop at sentence ends anyway
        ctxs = contexts(text, qs)
        checks: list[NumberCheck] = []
        k = 0
        for a, b in sentence_spans(text, "。；;！？!?\n"):
            mine = []
            while k < len(qs) and qs[k].start < b:
                mine.append(k)
                k += 1
            if not mine:
                continue
            # Only a figure with a possible rival (another figure of the report beside its
            # words) can be judged otherwise in its passage: the others need no alignment.
            # The candidate passages are the sentences of those rivals and of the figures' values.
            cands: set[int] = set()
            for i in mine:
                cands |= self._rival_sentences(qs[i], ctxs[i])
            scope = None
            if cands:
                for i in mine:
                    cands.update(
                        self._sent_of[j] for j in self._by_value.get(value_key(qs[i].value), ())
                    )
                # one candidate: the sentence holding the value and its rivals is the passage
                only = next(iter(cands)) if len(cands) == 1 else None
                scope = self._sent[only] if only is not None else self.passage_of(text[a:b], cands)
            copied = self._verbatim(text[a:b], [qs[i] for i in mine], scope, offset=a)
            done = {c.quantity.start for c in copied}
            checks += copied
            checks += [
                self._check_one(text, qs[i], ctxs[i], scope)
                for i in mine
                if qs[i].start not in done
            ]
        checks += [self._check_identifier(q) for q in identifiers]
        checks.sort(key=lambda c: c.quantity.start)
        return checks

    def _rival_sentences(self, q: Quantity, ctx: tuple[str, str, Context]) -> set[int]:
        """Source sentences holding another figure of the report, in a compatible unit, beside
        the words nearest to ``q``: where a context rival of it could stand."""
        grams = ctx[2]
        if not grams or q.unit is None:
            return set()
        nearest = max(grams, key=grams.__getitem__)
        beside = self._beside.get(nearest)
        if beside is None:  # (sentence, value, unit) of the figures beside these words, once
            src = self.quantities
            beside = self._beside[nearest] = [
                (self._sent_of[i], value_key(src[i].value), src[i].unit)
                for i in self._by_gram.get(nearest, ())
                if src[i].unit is not None
            ]
        key, unit = value_key(q.value), q.unit
        return {k for k, v, u in beside if k >= 0 and v != key and units_compatible(unit, u)}

    def passage_of(self, sentence: str, candidates: Iterable[int]) -> tuple[int, int] | None:
        """The source sentence, among ``candidates`` (sentence numbers), that a summary
        sentence is about; None when no one stands out: it must hold at least half of the
        summary sentence's character bigrams, and clearly more than any other."""
        # the words only: a figure's digits are what a swap changes
        mine = {g for w in _DIGITS.split(sentence) for g in map(str.__add__, w, w[1:])}
        if len(mine) < 4:
            return None
        scored = sorted(((len(mine & self._plain_bigrams(k)), k) for k in candidates), reverse=True)
        if not scored or scored[0][0] < 0.5 * len(mine):
            return None
        if len(scored) > 1 and scored[1][0] > 0.8 * scored[0][0]:
            return None  # two passages say much the same: no one of them to judge it by
        return self._sent[scored[0][1]]

    def _verbatim(
        self,
        text: str,
        qs: Sequence[Quantity],
        scope: tuple[int, int] | None,
        offset: int = 0,
    ) -> list[NumberCheck]:
        """Figures of a text copied verbatim from the source, verified where they stand.

        A quote or a figure's context is a substring of the source by construction; its
        figures are the source's figures at the same offsets. With a scope, only a copy from
        inside it counts. ``qs`` may come from a longer text of which ``text`` starts at
        ``offset``. A figure that does not line up
        exactly (a copy cut inside a number, say) is left to the full check.
        """
        if len(text) < 4 or not qs:
            return []
        # A text about one segment is a copy only of that segment: the same words copied from
        # another item (司法所占比95%, said there of other 司法所) get the full check.
        if scope is not None:
            at = self.source.find(text, scope[0], scope[1])
        else:
            at = self.source.find(text)
        if at < 0:
            return []
        out = []
        for q in qs:
            hit = self._at_span.get((at + q.start - offset, at + q.end - offset))
            if (
                hit is not None
                and value_key(hit.value) == value_key(q.value)
                and hit.unit == q.unit
                and hit.qualifier == q.qualifier
            ):
                out.append(NumberCheck(q, "verified", [(hit.start, hit.end)]))
        return out

    def warnings(self) -> list[dict[str, object]]:
        """The source's own arithmetic inconsistencies: rates that contradict their counts, and
        parts (其中 …) that add up to more than their total."""
        if self._warnings is None:
            self._warnings = source_warnings(self.source, self.quantities, self._ctx)
        return self._warnings


def verify_strings(
    pairs: Iterable[tuple[str | None, str]],
    source: str | SourceIndex,
    *,
    scopes: Iterable[tuple[int, int] | None] | None = None,
    align: bool = False,
    written: Collection[str] | None = None,
    problems: Collection[str] = (),
) -> Verification:
    """Check every figure of several texts against one source.

    Args:
        pairs: ``(path, text)``; path is a JSON pointer such as
            ``/parts/achievements/0/summary``, or None for plain text.
        source: The source text, or a `SourceIndex` already built from it.
        scopes: Optionally, the source passage each text is about, in the order of ``pairs``.
        align: Check a text with no scope sentence by sentence, each against its best source
            passage (`SourceIndex.check_aligned`), as `summariser verify` does for free text.
        written: The paths of strings written for the summary (a model's or a person's
            words); the other strings were copied from the source by code. None: every text
            is written (free text, a summary of unknown making).
        problems: The paths of problems items' summaries: one that no longer says the
            problem is reported in ``wording``.

    Returns:
        A `Verification` with the checks (paired with their paths) and the source's warnings.
    """
    index = source if isinstance(source, SourceIndex) else SourceIndex(source)
    pairs = list(pairs)
    scope_list = list(scopes) if scopes is not None else [None] * len(pairs)
    if len(scope_list) != len(pairs):
        raise ValueError("scopes must be as many as pairs")
    checks: list[NumberCheck] = []
    paths: list[str | None] = []
    origins: list[str] = []
    words: list[dict[str, object]] = []
    for (path, text), scope in zip(pairs, scope_list, strict=True):
        origin = "written" if written is None or path is None or path in written else "copied"
        if origin == "written":
            words += wording_findings(
                path, text, index.source, scope, problems=path is not None and path in problems
            )
        found = (
            index.check_aligned(text) if align and scope is None else index.check(text, scope=scope)
        )
        for c in found:
            checks.append(c)
            paths.append(path)
            origins.append(origin)
    return Verification(
        checks=checks,
        source_warnings=index.warnings(),
        paths=paths,
        origins=origins,
        wording=words,
    )


def wording_findings(
    path: str | None,
    text: str,
    source: str,
    scope: tuple[int, int] | None,
    *,
    problems: bool = False,
) -> list[dict[str, object]]:
    """What the words of one written text turn over (`summariser.grounding.wording`): the
    negations of its passage it dropped and, for a problems item's summary (``problems``),
    the problem it no longer says."""
    passage = source if scope is None else source[scope[0] : scope[1]]
    out: list[dict[str, object]] = [
        {"path": path, "text": neg, "note": f"摘要删去了原文的否定：原文为“{neg}”"}
        for neg in dropped_negations(text, passage, source)
    ]
    if problems and scope is not None and problem_dropped(text, passage):
        out.append({"path": path, "text": text, "note": "存在的不足条目的摘要未写出问题"})
    return out
