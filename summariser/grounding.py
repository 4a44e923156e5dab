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
  named 率/占/比例); the formula is recorded. Without such a statement it is ``not_found``;
- ``not_found``: none of the above.

How context is judged. For each figure we take the words around it: up to 10 characters
before it and 8 after, cut at punctuation and at the neighbouring figures, with filler
characters (共, 达, 累计 …) dropped. Two contexts are compared by the character bigrams they
share, the nearest ones weighing most, as the share of the *summary's* bigrams found around the
source figure (so a verbatim copy scores 1, whatever else the source says nearby). A figure is a
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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from summariser.arithmetic import (
    derive,
    value_key,
)
from summariser.numbers import Quantity, scan, units_compatible
from summariser.schema import OK_STATUSES, STATUSES, Status
from summariser.sentences import sentence_spans
from summariser.source_lint import source_warnings

__all__ = ["NumberCheck", "SourceIndex", "Status", "Verification", "verify_strings"]

ORIGINS: tuple[str, ...] = ("written", "copied")

_LEFT, _RIGHT = 10, 8
_BOUNDARY = set("，。；：、！？,;:!?\n\r（）()【】[]|")
_DIGITS = re.compile(r"[0-9０-９.．%％]+")
_FILLER = set("共达累计约近余逾了的均已有为其中各 \t*#`>-_“”\"‘’'《》")
_SAME_OK = 0.9  # a context this close is the same thing, whatever else the source says
# A rival (another figure next to the summary's words) must be close, and clearly closer; or
# carry all of the summary's words while the figure's own occurrences do not.
_RIVAL_MIN, _RIVAL_MARGIN = 0.6, 0.35
_RIVAL_EXACT, _RIVAL_EXACT_MARGIN = 0.95, 0.12
# In its own segment a rival needs less: the text is about this segment and nothing else.
_SEG_MIN, _SEG_MARGIN = 0.5, 0.25
_REPLACED = 0.8  # the summary's words name this source figure: a changed figure, not a derived one


@dataclass
class NumberCheck:
    """The verdict on one figure of a summary.

    Attributes:
        quantity: The figure, with its span in the checked text.
        status: One of `STATUSES`.
        source_spans: Where the source has it (best match first); empty when not found.
        formula: For ``derived``, how it was computed, e.g. ``2075-1996=79``.
        note: A short reason in the source's words, e.g. ``原文为“3万余份”``.
    """

    quantity: Quantity
    status: str
    source_spans: list[tuple[int, int]]
    formula: str | None = None
    note: str | None = None

    def to_json(self, path: str | None = None, origin: str | None = None) -> dict[str, object]:
        """The ``--json`` form: text, start, end, value, unit, qualifier, status, source_spans,
        and formula, note, path and origin when they are set."""
        q = self.quantity
        out: dict[str, object] = {
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "value": q.value,
            "unit": q.unit,
            "qualifier": q.qualifier,
            "status": self.status,
            "source_spans": [[s, e] for s, e in self.source_spans],
        }
        if self.formula is not None:
            out["formula"] = self.formula
        if self.note is not None:
            out["note"] = self.note
        if path is not None:
            out["path"] = path
        if origin is not None:
            out["origin"] = origin
        return out


@dataclass
class Verification:
    """All checks of a summary, and the source's own arithmetic problems.

    ``paths`` pairs each check with the JSON pointer of the string it came from (None for
    plain text); it is empty or as long as ``checks``.
    """

    checks: list[NumberCheck]
    source_warnings: list[dict[str, object]]
    paths: list[str | None] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    """Per check, ``written`` (words written for the summary, by a model or a person) or
    ``copied`` (quotes and figure contexts that code copied from the source: they pass by
    construction and say nothing about the writer); empty or as long as ``checks``."""

    @property
    def counts(self) -> dict[str, int]:
        """How many figures have each status (every status listed, zeros included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for c in self.checks:
            counts[c.status] = counts.get(c.status, 0) + 1
        return counts

    @property
    def by_origin(self) -> dict[str, dict[str, int]]:
        """Counts a reader can trust, apart for written and copied figures: checked,
        verified, derived (推算, with a stated arithmetic) and flagged (every other status)."""
        origins = self.origins or ["written"] * len(self.checks)
        out = {o: dict.fromkeys(("checked", "verified", "derived", "flagged"), 0) for o in ORIGINS}
        for c, origin in zip(self.checks, origins, strict=True):
            row = out[origin]
            row["checked"] += 1
            row[c.status if c.status in OK_STATUSES else "flagged"] += 1
        return out

    @property
    def ok(self) -> bool:
        """True when every figure is verified or derived."""
        return all(c.status in OK_STATUSES for c in self.checks)

    def to_json(self) -> dict[str, object]:
        """Exactly ``{"numbers": [...], "counts": {...}, "by_origin": {...},
        "source_warnings": [...]}``: ``counts`` over every figure by status, ``by_origin`` the
        written and copied figures apart (see `by_origin`); each number says its origin."""
        paths = self.paths or [None] * len(self.checks)
        origins: list[str | None] = list(self.origins) or [None] * len(self.checks)
        return {
            "numbers": [
                c.to_json(p, o) for c, p, o in zip(self.checks, paths, origins, strict=True)
            ],
            "counts": self.counts,
            "by_origin": self.by_origin,
            "source_warnings": list(self.source_warnings),
        }


# --- contexts ----------------------------------------------------------------------------------

Context = dict[str, float]  # bigram -> weight, nearest weighs most


_FILLER_TABLE = str.maketrans(dict.fromkeys("".join(_FILLER)))


def _clean(s: str) -> str:
    return s.translate(_FILLER_TABLE)


_DECAY = [1 / (1 + 0.1 * d) for d in range(4096)]


def _grams(s: str, *, reverse: bool, scale: float) -> Context:
    """Bigrams of an already cleaned string, weighted by distance from the figure."""
    if len(s) == 1:
        return {s: scale}
    grams = [s[i : i + 2] for i in range(len(s) - 1)]
    if reverse:
        grams.reverse()
    out: Context = {}
    for d, g in enumerate(grams[: len(_DECAY)]):
        if g not in out:  # the nearest occurrence weighs most
            out[g] = scale * _DECAY[d]
    return out


def _bigrams(s: str) -> set[str]:
    s = _clean(s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _contexts(text: str, qs: Sequence[Quantity]) -> list[tuple[str, str, Context]]:
    """(left words, right words, weighted bigrams) for each quantity of ``text``."""
    out = []
    for i, q in enumerate(qs):
        lo = max(q.start - _LEFT, qs[i - 1].end if i else 0)
        left = text[lo : q.start]
        for j in range(len(left) - 1, -1, -1):
            if left[j] in _BOUNDARY:
                left = left[j + 1 :]
                break
        hi = min(q.end + _RIGHT, qs[i + 1].start if i + 1 < len(qs) else len(text))
        right = text[q.end : max(hi, q.end)]
        for j, c in enumerate(right):
            if c in _BOUNDARY:
                right = right[:j]
                break
        left, right = _clean(left), _clean(right)
        grams = _grams(left, reverse=True, scale=1.0)
        for g, w in _grams(right, reverse=False, scale=0.8).items():
            if w > grams.get(g, 0.0):
                grams[g] = w
        out.append((left, right, grams))
    return out


def _similarity(summary: Context, source: Context) -> float:
    total = sum(summary.values())
    if not total:
        return 0.0
    return sum(w for g, w in summary.items() if g in source) / total


# --- helpers -----------------------------------------------------------------------------------


def _step(q: Quantity) -> float:
    """The size of the last significant digit as written (3万余 → 10000, 98.4 → 0.1)."""
    w = q.written if q.written else q.value
    scale = q.value / w if w else 1.0
    d = Decimal(repr(w)).normalize()
    exp = d.as_tuple().exponent
    return float(Decimal(1).scaleb(int(exp))) * scale if isinstance(exp, int) else scale


def _date_parts(q: Quantity) -> tuple[int | None, int | None, int | None]:
    v = int(q.value)
    y, m, d = v // 10000, v // 100 % 100, v % 100
    return (y or None, m or None, d or None)


def _docvalue_key(q: Quantity) -> tuple[str, ...]:
    nums = re.findall(r"[0-9]+", q.text)
    return tuple(nums[-2:])


class SourceIndex:
    """A source report parsed once, to check many summary texts against it."""

    def __init__(self, source: str) -> None:
        """Parse ``source``: its quantities, their contexts, sentences and identifiers."""
        self.source = source
        self.quantities, self.identifiers = scan(source)
        self._ctx = _contexts(source, self.quantities)
        self._by_value: dict[float, list[int]] = defaultdict(list)
        self._by_written: dict[float, list[int]] = defaultdict(list)
        self._by_gram: dict[str, list[int]] = defaultdict(list)
        self._dates: list[int] = []
        for i, q in enumerate(self.quantities):
            if q.kind == "date":
                self._dates.append(i)
                continue
            self._by_value[value_key(q.value)].append(i)
            if q.written is not None:
                self._by_written[value_key(q.written)].append(i)
            for g in self._ctx[i][2]:
                self._by_gram[g].append(i)
        self._sent = sentence_spans(source, "。；;！？!?\n")
        self._sent_of = [self._sentence_index(q.start) for q in self.quantities]
        newlines = [m.start() for m in re.finditer("\n", source)]
        self._para_of = [bisect_right(newlines, q.start) for q in self.quantities]
        self._sent_grams_cache: list[set[str]] | None = None
        self._warnings: list[dict[str, object]] | None = None
        self._at_span = {(q.start, q.end): q for q in self.quantities}
        self._plain_bigram_cache: dict[int, set[str]] = {}
        self._beside: dict[str, list[tuple[int, float, str | None]]] = {}
        DateParts = tuple[int | None, int | None, int | None]
        self._date_cache: tuple[list[tuple[int, DateParts]], set[int | None]] | None = None

    def _sent_grams(self) -> list[set[str]]:
        if self._sent_grams_cache is None:  # only derived figures need them
            self._sent_grams_cache = [_bigrams(self.source[a:b]) for a, b in self._sent]
        return self._sent_grams_cache

    # -- public --------------------------------------------------------------------------

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
            ctxs = _contexts(text, qs)
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
        ctxs = _contexts(text, qs)
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

    def _plain_bigrams(self, k: int) -> set[str]:
        """The character bigrams of source sentence ``k``, as written (built on first use)."""
        grams = self._plain_bigram_cache.get(k)
        if grams is None:
            a, b = self._sent[k]
            words = self.source[a:b]
            grams = self._plain_bigram_cache[k] = set(map(str.__add__, words, words[1:]))
        return grams

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

    # -- one figure ------------------------------------------------------------------------

    def _in(self, i: int, scope: tuple[int, int] | None) -> bool:
        q = self.quantities[i]
        return scope is not None and scope[0] <= q.start and q.end <= scope[1]

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
            return self._judge_context(q, ctx, same, scope)
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
        if not replaced:
            derived = self._derived(text, q, scope)
            if derived is not None:
                return derived
        note = None
        if rival is not None and ctx[0]:
            note = f"原文“{self._ctx[rival[0]][0]}”为“{src[rival[0]].text}”"
        return NumberCheck(q, "not_found", [], note=note)

    def _spans(self, idx: list[int], best: int) -> list[tuple[int, int]]:
        order = [best] + [i for i in idx if i != best]
        return [(self.quantities[i].start, self.quantities[i].end) for i in order[:5]]

    def _best(self, idx: list[int], grams: Context, scope: tuple[int, int] | None) -> int:
        return max(idx, key=lambda i: (_similarity(grams, self._ctx[i][2]), self._in(i, scope), -i))

    def _judge_context(
        self,
        q: Quantity,
        ctx: tuple[str, str, Context],
        same: list[int],
        scope: tuple[int, int] | None,
    ) -> NumberCheck:
        grams = ctx[2]
        best = self._best(same, grams, scope)
        score = _similarity(grams, self._ctx[best][2])
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
        score = max((_similarity(grams, self._ctx[i][2]) for i in mine), default=0.0)
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
                s = _similarity(grams, self._ctx[i][2])
                if best is None or s > best[1]:
                    best = (i, s)
        return best

    def _check_date(self, q: Quantity) -> NumberCheck:
        parts = _date_parts(q)
        if self._date_cache is None:  # the source's dates, parsed once
            dated = [(i, _date_parts(self.quantities[i])) for i in self._dates]
            self._date_cache = (dated, {sp[0] for _, sp in dated})
        dated, years = self._date_cache
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
        score = _similarity(grams, self._ctx[best][2]) if grams else 0.0
        if score < 0.5 or (rival is not None and rival[1] > score):
            return None  # a round figure is only borne out by the figure it rounds
        return NumberCheck(
            q, "verified", self._spans(hits, best), note=f"原文为“{self.quantities[best].text}”"
        )

    # -- derived figures --------------------------------------------------------------------

    def _passage(self, text: str, q: Quantity, scope: tuple[int, int] | None) -> list[int]:
        """Sentence indices the figure may be computed from."""
        if scope is not None:
            return [k for k, (a, b) in enumerate(self._sent) if a < scope[1] and b > scope[0]]
        lo = max(text.rfind(c, 0, q.start) for c in "。；;！？!?\n") + 1
        hi_c = [text.find(c, q.end) for c in "。；;！？!?\n"]
        hi = min([h for h in hi_c if h >= 0], default=len(text))
        mine = _bigrams(text[lo:hi])
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
        )
        if found is None:
            return None
        idx, formula = found
        spans = [(self.quantities[i].start, self.quantities[i].end) for i in idx]
        return NumberCheck(q, "derived", spans, formula=formula)

    # -- the source's own arithmetic ----------------------------------------------------------

    def _sentence_index(self, pos: int) -> int:
        lo, hi = 0, len(self._sent) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            a, b = self._sent[mid]
            if pos < a:
                hi = mid - 1
            elif pos >= b:
                lo = mid + 1
            else:
                return mid
        return -1


def verify_strings(
    pairs: Iterable[tuple[str | None, str]],
    source: str | SourceIndex,
    *,
    scopes: Iterable[tuple[int, int] | None] | None = None,
    align: bool = False,
    written: Collection[str] | None = None,
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
    for (path, text), scope in zip(pairs, scope_list, strict=True):
        origin = "written" if written is None or path is None or path in written else "copied"
        found = (
            index.check_aligned(text) if align and scope is None else index.check(text, scope=scope)
        )
        for c in found:
            checks.append(c)
            paths.append(path)
            origins.append(origin)
    return Verification(
        checks=checks, source_warnings=index.warnings(), paths=paths, origins=origins
    )
