"""Plant wrong figures into real report sentences and measure what the number engine catches.

    .venv/bin/python bench/selfcheck_planted.py [--seed N] [--show]

For every sentence of the five sample reports that holds a figure, four kinds of summary text
are made and checked against the report as `summariser verify` checks free text (each
sentence against the source passage it aligns with):

- verbatim: the sentence, or the clause around one figure, copied as is (must verify);
- re-expressed: one figure written another equivalent way (3万余份 → 30000余份, 98.38% →
  百分之九十八点三八, 2次 → 两次, 304.62万元 → 3046200元; must verify);
- paraphrased: the clause around a figure shortened the way summaries shorten (only the
  last few words before the figure kept, 共计 put in front of it, or the clause's first words
  dropped; must verify);
- planted: one figure's digits changed to a value that does not occur in the source with that
  unit (must not verify);
- swapped: two different figures in one sentence, in compatible units, trade places (each
  must not verify);
- free-cross: a clause's figure replaced by a figure of another paragraph in the same unit
  (must not verify).

Then, as a run checks a model's summary (each text against its own item's segment, found by
`summariser.structure.sections`):

- in-segment: every clause with a figure, and its paraphrases, checked against its segment
  (must verify: a false alarm otherwise);
- unit-changed / qualifier-changed: one figure's unit swapped for an incompatible one (件 →
  人次, 万元 → 元, % → 个百分点), or a hedge added to an exact figure (528次 → 528余次), where
  the source never says that (must not verify);
- arithmetic: a clause whose figure is replaced by the sum or difference of two figures of its
  segment, behind a common word and no arithmetic statement (多方协调3件; must not verify);
- segment-swapped: two figures of one segment in compatible units trade places in a clause;
- cross-item: a figure of the clause replaced by a figure of another item of the same report,
  in a compatible unit (四星级以上司法所达到95% where the item says 60%; must not verify).

The same is then done to the hand-written golden summaries in eval/golden/ (paraphrases, as
a reader would write them; each string judged against its item's passage, as `summariser
verify` does for a run JSON): every figure as written must verify, a figure with one digit
changed must not, and two figures of one string that trade places must not.

It prints each kind's rate, then the three that matter: value/unit/qualifier errors caught,
context and cross-item swaps caught, false alarms on correct figures; --show lists the misses.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summariser.figures.numbers import Quantity, extract_quantities, units_compatible  # noqa: E402
from summariser.grounding.checker import OK_STATUSES, SourceIndex  # noqa: E402
from summariser.structure.sections import analyse  # noqa: E402
from summariser.verify import _summary_strings  # noqa: E402

REPORTS = sorted((ROOT / "examples" / "reports").glob("*.txt"))
_CN = "零一二三四五六七八九"


def _cn_small(n: int) -> str:
    if n == 2:
        return "两"
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return ""


def _cn_decimal(x: str) -> str:
    whole, _, frac = x.partition(".")
    w = int(whole)
    head = "百" if w == 100 else _cn_small(w) if w else "零"
    if not head:
        return ""
    return head + ("点" + "".join(_CN[int(c)] for c in frac) if frac else "")


def reexpress(q: Quantity) -> str | None:
    """An equivalent spelling of the figure, or None when there is none we trust."""
    t = q.text
    m = re.fullmatch(r"([0-9.]+)万(余|多)?([^0-9]*)", t)
    if m and q.kind != "date":
        whole = q.value
        if whole == int(whole):
            return f"{int(whole)}{m.group(2) or ''}{m.group(3)}"
    m = re.fullmatch(r"([0-9.]+)%", t)
    if m:
        cn = _cn_decimal(m.group(1))
        return f"百分之{cn}" if cn else None
    m = re.fullmatch(r"([0-9]+)([次名个件场人家项期份条])", t)
    if m and 1 < int(m.group(1)) < 100:
        cn = _cn_small(int(m.group(1)))
        return cn + m.group(2) if cn else None
    m = re.fullmatch(r"([0-9]{4,})([^0-9]+)", t)
    if m and q.kind == "count" and int(m.group(1)) % 10000 == 0:
        return f"{int(m.group(1)) // 10000}万{m.group(2)}"
    return None


def plant(q: Quantity, rng: random.Random, index: SourceIndex) -> str | None:
    """The figure with one digit changed so that the value is nowhere in the source."""
    digits = [i for i, c in enumerate(q.text) if c.isdigit()]
    if not digits:
        return None
    for _ in range(20):
        i = rng.choice(digits)
        new = str((int(q.text[i]) + rng.randint(1, 9)) % 10)
        if i == digits[0] and new == "0" and len(digits) > 1:
            continue
        text = q.text[:i] + new + q.text[i + 1 :]
        planted = extract_quantities(text)
        if len(planted) != 1:
            continue
        p = planted[0]
        clash = any(
            round(s.value, 6) == round(p.value, 6) and units_compatible(s.unit, p.unit)
            for s in index.quantities
        )
        if not clash:
            return text
    return None


def paraphrases(part: str, start: int, end: int) -> list[str]:
    """Shortened forms of a clause that keep its figure true (see the module docstring)."""
    left, fig, right = part[:start], part[start:end], part[end:]
    left = re.split(r"[、0-9]", left)[-1]  # never cut into a neighbouring figure
    right = re.split(r"[、0-9]", right)[0]
    out = []
    if len(left) > 4:
        out.append(left[-3:] + fig + right)
        out.append(left[len(left) // 2 :] + fig + right)
    if left and not left.endswith(("共", "达", "为", "计")) and fig[0].isdigit():
        out.append(left + "共计" + fig + right)
    if right:
        out.append(left + fig)
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"[。；\n]", text):
        if m.end() - start > 4:
            out.append((start, m.end()))
        start = m.end()
    return out


def clause(text: str, q: Quantity) -> tuple[int, int]:
    lo = max(text.rfind(c, 0, q.start) for c in "，。；\n,") + 1
    his = [h for h in (text.find(c, q.end) for c in "，。；\n,") if h >= 0]
    return lo, min(his, default=len(text))


def golden(rng: random.Random, record: Callable[[str, bool, str], None]) -> None:
    for path in sorted((ROOT / "eval" / "golden").glob("*.json")):
        report = ROOT / "examples" / "reports" / f"{path.stem}.txt"
        if not report.exists():
            continue
        src = report.read_text(encoding="utf-8")
        index = SourceIndex(src)
        text = path.read_text(encoding="utf-8")
        pairs, scopes, _ = _summary_strings(text, path, len(src))
        for (pointer, s), scope in zip(pairs, scopes, strict=True):
            checks = index.check(s, scope=scope)
            for c in checks:
                record(
                    "golden",
                    c.status in OK_STATUSES,
                    f"{path.stem}{pointer}: {c.quantity.text} {c.status} {c.note} in {s[:60]}",
                )
            qs = [q for q in extract_quantities(s) if q.kind != "date"]
            for q in qs:
                wrong = plant(q, rng, index)
                if wrong is None:
                    continue
                t = s[: q.start] + wrong + s[q.end :]
                res = [c for c in index.check(t, scope=scope) if c.quantity.start == q.start]
                caught = not res or res[0].status not in OK_STATUSES
                record("golden-planted", caught, f"{q.text}→{wrong} in {t[:60]}")
            for i, x in enumerate(qs):
                for y in qs[i + 1 : i + 4]:
                    if x.value == y.value or x.unit is None or x.unit != y.unit:
                        continue
                    t = s[: x.start] + y.text + s[x.end : y.start] + x.text + s[y.end :]
                    moved = {x.start, x.start + len(y.text) + (y.start - x.end)}
                    for c in index.check(t, scope=scope):
                        if c.quantity.start in moved:
                            record(
                                "golden-swapped",
                                c.status not in OK_STATUSES,
                                f"{x.text}<->{y.text}: {c.quantity.text} {c.status} in {t[:70]}",
                            )


_OTHER_UNIT = {"件": "人次", "人次": "件", "次": "人", "人": "件", "名": "件", "万元": "元",
               "元": "万元", "%": "个百分点", "个百分点": "%", "场": "人", "家": "人", "份": "人"}  # fmt: skip


def _clash(index: SourceIndex, p: Quantity) -> bool:
    """Whether the source says this figure somewhere (then the change is not an error)."""
    return any(
        round(s.value, 6) == round(p.value, 6)
        and units_compatible(s.unit, p.unit)
        and s.qualifier == p.qualifier
        for s in index.quantities
    )


def unit_changed(q: Quantity, index: SourceIndex) -> str | None:
    """The figure with its unit swapped for one that cannot name the same thing."""
    for old, new in sorted(_OTHER_UNIT.items(), key=lambda kv: -len(kv[0])):
        if q.text.endswith(old) and q.unit is not None:
            text = q.text[: -len(old)] + new
            got = extract_quantities(text)
            if len(got) == 1 and not units_compatible(got[0].unit, q.unit):
                return None if _clash(index, got[0]) else text
    return None


def qualifier_changed(q: Quantity, index: SourceIndex) -> str | None:
    """An exact count with 余 added (528次 → 528余次), where the source has no such hedge."""
    m = re.fullmatch(r"([0-9]+)([次名个件场人家项期份条起])", q.text)
    if m is None or q.qualifier is not None:
        return None
    text = f"{m.group(1)}余{m.group(2)}"
    got = extract_quantities(text)
    if len(got) != 1 or got[0].qualifier is None or _clash(index, got[0]):
        return None
    return text


def _caught(
    index: SourceIndex,
    record: Callable[[str, bool, str], None],
    kind: str,
    part: str,
    q: Quantity,
    scope: tuple[int, int],
    new: str,
    forms: int = 1,
) -> None:
    """Put ``new`` in the place of ``q`` in a clause of the segment (and, for swaps, in the
    shortened forms a summary would use): each must fail against the segment."""
    qlo = part.find(q.text)
    variants = [part, *paraphrases(part, qlo, qlo + len(q.text))][:forms]
    for v in variants:
        at = v.find(q.text)
        if at < 0 or len(re.sub(r"[^\u4e00-\u9fff]", "", v.replace(q.text, ""))) < 2:
            continue  # a bare figure has no words to belong to
        t = v[:at] + new + v[at + len(q.text) :]
        res = [c for c in index.check(t, scope=scope) if c.quantity.start == at]
        ok = not res or res[0].status not in OK_STATUSES
        info = f"{res[0].status} {res[0].formula or res[0].note or ''}" if res else ""
        record(kind, ok, f"{q.text}→{new}: {t} {info}")


def segments(src: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for part in analyse(src).parts.values() for s in part.segments]


def in_segments(
    src: str,
    index: SourceIndex,
    rng: random.Random,
    record: Callable[[str, bool, str], None],
) -> None:
    """Clauses checked against their own item's segment, as a run checks the model's words."""
    segs = segments(src)
    figs = [
        [q for q in index.quantities if a <= q.start and q.end <= b and q.kind != "date"]
        for a, b in segs
    ]
    for k, (a, b) in enumerate(segs):
        seg = src[a:b]
        qs = [q for q in extract_quantities(seg) if q.kind != "date"]
        for q in qs:
            lo, hi = clause(seg, q)
            part = seg[lo:hi]
            qlo = q.start - lo
            for variant in [part, *paraphrases(part, qlo, qlo + len(q.text))]:
                bad = [c for c in index.check(variant, scope=(a, b)) if c.status not in OK_STATUSES]
                record(
                    "in-segment",
                    not bad,
                    f"{variant} → {[(c.quantity.text, c.status, c.note) for c in bad]}",
                )

            for kind, new in (
                ("unit-changed", unit_changed(q, index)),
                ("qualifier-changed", qualifier_changed(q, index)),
            ):
                if new is not None:
                    _caught(index, record, kind, part, q, (a, b), new)
            # arithmetic on two figures of the segment, behind a common word, never stated
            same = [r for r in figs[k] if r.unit == q.unit and r.qualifier is None and q.unit]
            if len(same) >= 2 and q.qualifier is None and re.fullmatch(r"[0-9]+\D+", q.text):
                x, y = rng.sample(same, 2)
                for v in (x.value + y.value, abs(x.value - y.value)):
                    new = f"{int(v)}{q.text.lstrip('0123456789')}"
                    got = extract_quantities(new)
                    if v > 0 and v == int(v) and len(got) == 1 and not _clash(index, got[0]):
                        cue = rng.choice(["多方", "和", "新增", "两级", "及时", "比较"])
                        t = part[:qlo] + cue + new + part[qlo + len(q.text) :]
                        at = qlo + len(cue)
                        res = [c for c in index.check(t, scope=(a, b)) if c.quantity.start == at]
                        ok = not res or res[0].status not in OK_STATUSES
                        info = f"{res[0].status} {res[0].formula or ''}" if res else ""
                        record("arithmetic", ok, f"{q.text}→{cue}{new}: {t} {info}")
            # a figure of the same segment, or of another item, in its place
            for r in figs[k]:
                if r.start != a + q.start and r.value != q.value and r.unit == q.unit and q.unit:
                    _caught(index, record, "segment-swapped", part, q, (a, b), r.text, 5)
                    break
            others = [
                r
                for j, f in enumerate(figs)
                if j != k
                for r in f
                if q.unit and r.unit == q.unit and round(r.value, 6) != round(q.value, 6)
            ]
            if others:
                r = rng.choice(others)
                _caught(index, record, "cross-item", part, q, (a, b), r.text, 5)


GROUPS = {
    "value/unit/qualifier errors caught": (
        "planted", "golden-planted", "unit-changed", "qualifier-changed", "arithmetic",
    ),
    "context and cross-item swaps caught": (
        "swapped", "golden-swapped", "segment-swapped", "cross-item", "free-cross",
    ),
    "false alarms on correct figures": (
        "verbatim", "clause", "paraphrased", "reexpressed", "golden", "in-segment",
    ),
}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", action="store_true", help="list the misses and false alarms")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tally = {
        k: [0, 0]
        for k in (
            "verbatim",
            "clause",
            "paraphrased",
            "reexpressed",
            "planted",
            "swapped",
            "golden",
            "golden-planted",
            "golden-swapped",
            "in-segment",
            "unit-changed",
            "qualifier-changed",
            "arithmetic",
            "segment-swapped",
            "cross-item",
            "free-cross",
        )
    }
    misses: list[str] = []

    def record(kind: str, good: bool, what: str) -> None:
        tally[kind][0] += good
        tally[kind][1] += 1
        if not good:
            misses.append(f"[{kind}] {what}")

    for path in REPORTS:
        src = path.read_text(encoding="utf-8")
        index = SourceIndex(src)
        for a, b in sentences(src):
            sent = src[a:b]
            qs = [q for q in extract_quantities(sent) if q.kind != "date"]
            if not qs:
                continue
            checks = index.check_aligned(sent)
            bad = [c for c in checks if c.status not in OK_STATUSES]
            record(
                "verbatim",
                not bad,
                f"{sent.strip()[:60]} → {[(c.quantity.text, c.status) for c in bad]}",
            )
            for q in qs:
                lo, hi = clause(sent, q)
                part = sent[lo:hi]
                bad = [c for c in index.check_aligned(part) if c.status not in OK_STATUSES]
                record(
                    "clause",
                    not bad,
                    f"{part} → {[(c.quantity.text, c.status, c.note) for c in bad]}",
                )
                qlo = q.start - lo
                for variant in paraphrases(part, qlo, qlo + len(q.text)):
                    bad = [c for c in index.check_aligned(variant) if c.status not in OK_STATUSES]
                    record(
                        "paraphrased",
                        not bad,
                        f"{variant} → {[(c.quantity.text, c.status, c.note) for c in bad]}",
                    )
                alt = reexpress(q)
                if alt is not None:
                    text = sent[: q.start] + alt + sent[q.end :]
                    res = [c for c in index.check_aligned(text) if c.quantity.start == q.start]
                    ok = bool(res) and res[0].status in OK_STATUSES
                    record(
                        "reexpressed", ok, f"{q.text}→{alt}: {[(c.status, c.note) for c in res]}"
                    )
                # another paragraph's figure in this clause, as free text (aligned)
                far = [
                    r
                    for r in index.quantities
                    if r.unit == q.unit and q.unit and round(r.value, 6) != round(q.value, 6)
                    and src.count("\n", 0, r.start) != src.count("\n", 0, a + q.start)
                ]  # fmt: skip
                if far and len(re.sub(r"[^\u4e00-\u9fff]", "", part)) >= 4:
                    r = rng.choice(far)
                    t = part[:qlo] + r.text + part[qlo + len(q.text) :]
                    res = [c for c in index.check_aligned(t) if c.quantity.start == qlo]
                    ok = not res or res[0].status not in OK_STATUSES
                    record("free-cross", ok, f"{q.text}→{r.text}: {t}")
                wrong = plant(q, rng, index)
                if wrong is not None:
                    text = sent[: q.start] + wrong + sent[q.end :]
                    res = [c for c in index.check_aligned(text) if c.quantity.start == q.start]
                    caught = not res or res[0].status not in OK_STATUSES
                    if res and not caught:
                        info = f"{res[0].status} {res[0].formula or res[0].note or ''}"
                    else:
                        info = ""
                    record("planted", caught, f"{q.text}→{wrong} in {sent.strip()[:50]} {info}")
            for i, x in enumerate(qs):
                for y in qs[i + 1 : i + 4]:
                    if x.value == y.value or x.unit is None or x.unit != y.unit:
                        continue
                    text = sent[: x.start] + y.text + sent[x.end : y.start] + x.text + sent[y.end :]
                    moved = {x.start, x.start + len(y.text) + (y.start - x.end)}
                    res = [c for c in index.check_aligned(text) if c.quantity.start in moved]
                    for c in res:
                        record(
                            "swapped",
                            c.status not in OK_STATUSES,
                            f"{x.text}<->{y.text}: {c.quantity.text} {c.status} "
                            f"in {sent.strip()[:60]}",
                        )
        in_segments(src, index, rng, record)
    golden(rng, record)
    for kind, (good, n) in tally.items():
        label = "verified" if kind in GROUPS["false alarms on correct figures"] else "caught"
        print(f"{kind:17} {good}/{n} {label} ({100 * good / max(n, 1):.1f}%)")
    print()
    for name, kinds in GROUPS.items():
        good = sum(tally[k][0] for k in kinds)
        n = sum(tally[k][1] for k in kinds)
        rate = (n - good) / max(n, 1) if name.startswith("false") else good / max(n, 1)
        shown = n - good if name.startswith("false") else good
        print(f"{name}: {shown}/{n} ({100 * rate:.1f}%)")
    if args.show:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
