"""One figure of a summary judged against the source: value, unit, qualifier, context, rounding.

How context is judged (contexts as in `summariser.grounding.source_figures`). A figure is a
``context_mismatch`` only on positive evidence: no occurrence of the value has a close context
(score < 0.9), *and* a different figure in a compatible unit, in the same passage (the scope,
or else the paragraphs holding the value), sits next to the summary's words: its context
holds the words right beside the summary's figure and scores ≥ 0.6 and 0.35 above the best
occurrence (or ≥ 0.95 and 0.12 above). A paraphrase whose words match nothing stays
``verified``: the value is in the source and nothing shows it belongs elsewhere.

With a scope (a run's item, or a sentence of free text aligned to its passage) the segment is
judged first: when the value stands there only beside other words, or only elsewhere in the
report, and the segment has a different figure right beside the summary's words (score ≥ 0.5,
and 0.25 above the value's own occurrences there), the figure is a ``context_mismatch`` naming
both, however well the words fit elsewhere.

A figure the source does not print may be borne out by an exact source figure it rounds
(3385名 → 3000余名), or be ``derived``: arithmetic the text states on figures of its passage
(`summariser.grounding.arithmetic`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from summariser.figures.numbers import Quantity, units_compatible
from summariser.grounding.arithmetic import (
    CLAUSE_MARKS,
    SENTENCE_MARKS,
    content_grams,
    derive,
    span_around,
    value_key,
)
from summariser.grounding.source_figures import (
    Context,
    SourceFigures,
    bigrams,
    date_parts,
    similarity,
)
from summariser.grounding.verdicts import NumberCheck

_SAME_OK = 0.9  # a context this close is the same thing, whatever else the source says
# A rival (another figure next to the summary's words) must be close, and clearly closer; or
# carry all of the summary's words while the figure's own occurrences do not.
_RIVAL_MIN, _RIVAL_MARGIN = 0.6, 0.35
_RIVAL_EXACT, _RIVAL_EXACT_MARGIN = 0.95, 0.12
# In its own segment a rival needs less: the text is about this segment and nothing else.
_SEG_MIN, _SEG_MARGIN = 0.5, 0.25
_REPLACED = 0.8  # the summary's words name this source figure: a changed figure, not a rounded one


def _step(q: Quantity) -> float:
    """The size of the last significant digit as written (3万余 → 10000, 98.4 → 0.1)."""
    w = q.written if q.written else q.value
    scale = q.value / w if w else 1.0
    d = Decimal(repr(w)).normalize()
    exp = d.as_tuple().exponent
    return float(Decimal(1).scaleb(int(exp))) * scale if isinstance(exp, int) else scale


def _docvalue_key(q: Quantity) -> tuple[str, ...]:
    nums = re.findall(r"[0-9]+", q.text)
    return tuple(nums[-2:])


class FigureJudge(SourceFigures):
    """The source's figures (`SourceFigures`), with the judgement of one summary figure."""

    def _check_one(
        self, text: str, q: Quantity, ctx: tuple[str, str, Context], scope: tuple[int, int] | None
    ) -> NumberCheck:
        if q.kind == "date":
            return self._check_date(q)
        src = self.quantities
        same_value = list(self._by_value.get(value_key(q.value), []))
        if q.unit is None and q.value == int(q.value) and 1900 <= q.value <= 2100:
            hit = self._check_date(
                Quantity(q.text, q.start, q.end, q.value * 10000, "年", None, "date", q.value)
            )
            if hit.status == "verified":
                return NumberCheck(q, "verified", hit.source_spans)
        compat = [i for i in same_value if units_compatible(q.unit, src[i].unit)]
        same = [i for i in compat if src[i].qualifier == q.qualifier]
        if same:
            return self._belongs(text, q, self._judge_context(q, ctx, same, scope), same)
        if compat:
            i = self._best(compat, ctx[2], scope)
            return NumberCheck(
                q, "qualifier_changed", self._spans(compat, i), note=f"原文为“{src[i].text}”"
            )
        if same_value and q.unit is not None:
            i = self._best(same_value, ctx[2], scope)
            return NumberCheck(
                q, "unit_mismatch", self._spans(same_value, i), note=f"原文为“{src[i].text}”"
            )
        magnitude = [
            i
            for i in self._by_written.get(value_key(q.written or q.value), [])
            if q.unit is not None
            and src[i].unit == q.unit
            and value_key(src[i].value) != value_key(q.value)
        ]
        if magnitude:
            i = self._best(magnitude, ctx[2], scope)
            return NumberCheck(
                q, "unit_mismatch", self._spans(magnitude, i), note=f"原文为“{src[i].text}”"
            )
        rival = self._rival(q, ctx[2], scope, exclude=set())
        replaced = rival is not None and rival[1] >= _REPLACED
        approx = self._approximation(q, ctx[2], scope, rival if replaced else None)
        if approx is not None:
            return approx
        # A figure the summary's words name (a rival this close) is still derived when the
        # text states the arithmetic over operands it names (`arithmetic.derive`): 公示行政执法
        # 结果信息和行政执法决定事项共计1003项 names both of 521项 and 482项.
        derived = self._derived(text, q, scope)
        if derived is not None:
            return derived
        note = None
        if rival is not None and ctx[0]:
            note = f"原文“{self._ctx[rival[0]][0]}”为“{src[rival[0]].text}”"
        return NumberCheck(q, "not_found", [], note=note)

    def _judge_context(
        self,
        q: Quantity,
        ctx: tuple[str, str, Context],
        same: list[int],
        scope: tuple[int, int] | None,
    ) -> NumberCheck:
        grams = ctx[2]
        best = self._best(same, grams, scope)
        score = similarity(grams, self._ctx[best][2])
        spans = self._spans(same, best)
        if not grams or q.kind == "number":
            return NumberCheck(q, "verified", spans)
        nearest = max(grams, key=lambda g: grams[g])
        if scope is not None:
            mine = self._segment_first(q, ctx, same, scope, nearest)
            if mine is not None:
                return mine
        if score >= _SAME_OK:
            return NumberCheck(q, "verified", spans)
        rival = self._rival(q, grams, scope, exclude=set(same), near=same)
        if (
            rival is not None
            and nearest in self._ctx[rival[0]][2]
            and (
                (rival[1] >= _RIVAL_MIN and rival[1] - score >= _RIVAL_MARGIN)
                or (rival[1] >= _RIVAL_EXACT and rival[1] - score >= _RIVAL_EXACT_MARGIN)
            )
        ):
            r = self.quantities[rival[0]]
            words = ctx[0] or ctx[1]
            owner = self._ctx[best][0] or self._ctx[best][1]
            note = f"原文“{words}”为“{r.text}”；“{self.quantities[best].text}”属于“{owner}”"
            return NumberCheck(q, "context_mismatch", spans, note=note)
        return NumberCheck(q, "verified", spans)

    def _belongs(self, text: str, q: Quantity, check: NumberCheck, same: list[int]) -> NumberCheck:
        """A verified figure kept only where its words name what the source's figure counts.

        The summary's sentence must share a content word with the source clause of one
        occurrence of the value (主要领导带头推动，完成10个 shares none with 审查政府合同10件);
        an occurrence in a looser unit (个 for 件) needs the summary's own clause to share one.
        The source spans kept are those occurrences, in the unit of the best of them.
        """
        if check.status != "verified" or q.kind == "number":
            return check
        # the words only: a unit (人次, 场次) is no word the two clauses share
        lo = max(0, q.start - 500)
        bare = text[lo : q.start] + " " + text[q.end : q.end + 500]
        mid = q.start - lo
        sentence = content_grams(span_around(bare, mid, mid + 1, SENTENCE_MARKS))
        clause = content_grams(span_around(bare, mid, mid + 1, CLAUSE_MARKS))
        if not sentence:
            return check  # a bare figure: no words to hold against the source's
        src = self.quantities
        named = [
            i
            for i in same
            if (clause if src[i].unit != q.unit else sentence) & self._clause_grams(i)
        ]
        if not named:
            at = self._by_span(check.source_spans[0]) if check.source_spans else None
            i = same[0] if at is None else at
            words = span_around(self.source, src[i].start, src[i].end, CLAUSE_MARKS).strip()
            note = f"原文“{words}”与摘要所述无共同字词"
            return NumberCheck(q, "context_mismatch", check.source_spans, note=note)
        first = self._by_span(check.source_spans[0]) if check.source_spans else None
        best = first if first in named else named[0]
        keep = [i for i in named if src[i].unit == src[best].unit]
        return NumberCheck(q, check.status, self._spans(keep, best), check.formula, check.note)

    def _clause_grams(self, i: int) -> frozenset[str]:
        """The content words of the source clause holding figure ``i`` (the figure left out),
        found once per figure."""
        cache = self._clause_cache
        if i not in cache:
            s, src = self.quantities[i], self.source
            lo = max(src.rfind(c, 0, s.start) for c in CLAUSE_MARKS) + 1
            his = [h for h in (src.find(c, s.end, s.end + 200) for c in CLAUSE_MARKS) if h >= 0]
            hi = min(his, default=min(len(src), s.end + 200))
            cache[i] = content_grams(src[max(lo, s.start - 200) : s.start] + " " + src[s.end : hi])
        return cache[i]

    def _by_span(self, span: tuple[int, int]) -> int | None:
        return self._index_at.get(span)

    def _segment_first(
        self,
        q: Quantity,
        ctx: tuple[str, str, Context],
        same: list[int],
        scope: tuple[int, int],
        nearest: str,
    ) -> NumberCheck | None:
        """The figure judged in its own segment first; None to go on with the whole report.

        The text is about this segment (the model was shown only it), so the summary's words
        are looked up here first. When the segment has another figure of a compatible unit
        right beside those words, and the summary's value stands here only beside other words
        (or only elsewhere in the report), the summary took the wrong figure: the report's own
        95% about something else, where this item says 60%.
        """
        grams = ctx[2]
        mine = [i for i in same if self._in(i, scope)]
        score = max((similarity(grams, self._ctx[i][2]) for i in mine), default=0.0)
        if score >= _SAME_OK:
            return NumberCheck(q, "verified", self._spans(mine, self._best(mine, grams, scope)))
        rival = self._rival(q, grams, scope, exclude=set(same))
        if rival is None or nearest not in self._ctx[rival[0]][2]:
            return None
        margin = _SEG_MARGIN if mine else 0.0
        if rival[1] < _SEG_MIN or rival[1] - score < max(margin, 1e-9):
            return None
        r = self.quantities[rival[0]]
        words = ctx[0] or ctx[1]
        pool = mine or same
        best = self._best(pool, grams, None)
        owner = self._ctx[best][0] or self._ctx[best][1]
        where = "本条" if mine else "报告别处"
        note = (
            f"本条原文“{words}”为“{r.text}”；“{self.quantities[best].text}”在{where}属于“{owner}”"
        )
        return NumberCheck(q, "context_mismatch", self._spans(pool, best), note=note)

    def _rival(
        self,
        q: Quantity,
        grams: Context,
        scope: tuple[int, int] | None,
        exclude: set[int],
        near: list[int] | None = None,
    ) -> tuple[int, float] | None:
        """The different figure whose words best match the summary's words, and the score.

        Looked for in ``scope`` when given; else, when ``near`` names the occurrences of the
        summary's value, in the paragraphs that hold them (a swap is a local affair).
        """
        paragraphs = None
        if scope is None and near:
            paragraphs = {self._para_of[i] for i in near}
        seen: set[int] = set()
        best: tuple[int, float] | None = None
        for g in grams:
            for i in self._by_gram.get(g, ()):
                if i in seen or i in exclude:
                    continue
                seen.add(i)
                r = self.quantities[i]
                if scope is not None and not self._in(i, scope):
                    continue
                if paragraphs is not None and self._para_of[i] not in paragraphs:
                    continue
                if q.unit is None or r.unit is None or not units_compatible(q.unit, r.unit):
                    continue
                if value_key(r.value) == value_key(q.value):
                    continue
                s = similarity(grams, self._ctx[i][2])
                if best is None or s > best[1]:
                    best = (i, s)
        return best

    def _check_date(self, q: Quantity) -> NumberCheck:
        parts = date_parts(q)
        dated, years = self._dated()
        hits = []
        for i, sp in dated:
            # 2024年9月 is borne out by 9月 in a report that names the year 2024
            if sp[0] is None and parts[0] in years:
                sp = (parts[0], sp[1], sp[2])
            if all(a is None or a == b for a, b in zip(parts, sp, strict=True)):
                hits.append(i)
        if hits:
            return NumberCheck(q, "verified", self._spans(hits, hits[0]))
        return NumberCheck(q, "not_found", [])

    def _check_identifier(self, q: Quantity) -> NumberCheck:
        hits = []
        for s in self.identifiers:
            if s.kind != q.kind:
                continue
            if q.kind == "ordinal" and s.value == q.value and s.unit == q.unit:
                hits.append(s)
            elif q.kind == "document_number" and _docvalue_key(s) == _docvalue_key(q):
                hits.append(s)
            elif q.kind == "hotline" and s.value == q.value:
                hits.append(s)
        if hits:
            return NumberCheck(q, "verified", [(s.start, s.end) for s in hits[:5]])
        return NumberCheck(q, "not_found", [])

    def _approximation(
        self,
        q: Quantity,
        grams: Context,
        scope: tuple[int, int] | None,
        rival: tuple[int, float] | None,
    ) -> NumberCheck | None:
        """A hedged round figure that an exact source figure bears out: 3385名 → 3000余名."""
        if q.qualifier is None or q.unit is None:
            return None
        step = _step(q)
        hits = []
        for i, s in enumerate(self.quantities):
            if s.kind == "date" or s.qualifier is not None:  # only an exact figure rounds
                continue
            if s.unit is None or not units_compatible(q.unit, s.unit):
                continue
            v = s.value
            if (
                (q.qualifier == "above" and q.value < v < q.value + step)
                or (q.qualifier == "below" and q.value - step < v < q.value)
                or (q.qualifier == "about" and abs(v - q.value) <= step / 2)
            ):
                hits.append(i)
        if not hits:
            return None
        best = self._best(hits, grams, scope)
        score = similarity(grams, self._ctx[best][2]) if grams else 0.0
        if score < 0.5 or (rival is not None and rival[1] > score):
            return None  # a round figure is only borne out by the figure it rounds
        return NumberCheck(
            q, "verified", self._spans(hits, best), note=f"原文为“{self.quantities[best].text}”"
        )

    def _passage(self, text: str, q: Quantity, scope: tuple[int, int] | None) -> list[int]:
        """Sentence indices the figure may be computed from."""
        if scope is not None:
            return [k for k, (a, b) in enumerate(self._sent) if a < scope[1] and b > scope[0]]
        lo = max(text.rfind(c, 0, q.start) for c in "。；;！？!?\n") + 1
        hi_c = [text.find(c, q.end) for c in "。；;！？!?\n"]
        hi = min([h for h in hi_c if h >= 0], default=len(text))
        # the words only: the figures of a stated sum or rate are what the source lacks
        mine = {g for g in bigrams(text[lo:hi]) if not re.search(r"[0-9０-９.%％]", g)}
        if not mine:
            return []
        scored = sorted(
            ((len(mine & g) / len(mine), k) for k, g in enumerate(self._sent_grams())),
            reverse=True,
        )
        return [k for s, k in scored[:2] if s >= 0.25]

    def _derived(self, text: str, q: Quantity, scope: tuple[int, int] | None) -> NumberCheck | None:
        """A figure the text states as arithmetic on figures of its passage (`arithmetic`)."""
        found = derive(
            text,
            q,
            self.quantities,
            self._ctx,
            self._sent_of,
            passage=lambda: set(self._passage(text, q, scope)),
            inside=None if scope is None else lambda i: self._in(i, scope),
            source=self.source,
        )
        if found is None:
            return None
        idx, formula = found
        spans = [(self.quantities[i].start, self.quantities[i].end) for i in idx]
        return NumberCheck(q, "derived", spans, formula=formula)
