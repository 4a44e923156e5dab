"""The review pages: a report's text beside its summary, each span and figure marked, as HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from summariser.figures.numbers import extract_quantities
from summariser.output.files import fallback_items, write_atomic
from summariser.output.indicator_views import indicators_html
from summariser.output.nesting import Mark, layers, nest
from summariser.schema import (
    ENGINE_NAMES,
    FLAGGED_NAME,
    OK_STATUSES,
    PART_KEYS,
    PART_NAMES,
    SHORT_NOTE,
    STATUS_NAMES,
    ReportSummary,
)

ASSETS = files("summariser.output") / "review_assets"
"""The page's CSS and JavaScript: reviewed files, inlined into every page (no network)."""

STATUS_LABELS = STATUS_NAMES
YEAR = re.compile(r"(?:19|20)[0-9]{2}年?度?")
"""A year in a title names the report's period: it is shown as text, not as a checked figure."""
STATUS_RANK = {"verified": 0, "derived": 1}
"""Where several checks point at one place in the source, the worst status shows there."""

# Content-Security-Policy: the page may load nothing at all; only its own inline style and script.
_HEAD = (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<link rel="icon" href="data:,">\n'
)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _page(title: str, body: str, script: str) -> str:
    return (
        f"{_HEAD}<title>{escape(title)}</title>\n<style>\n{_asset('review.css')}</style>\n"
        f"</head>\n{body}\n<script>\n{_asset(script)}</script>\n</body>\n</html>\n"
    )


@dataclass(frozen=True)
class Check:
    """One checked figure of the summary, read back from its ``verification`` JSON."""

    path: str
    start: int
    end: int
    text: str
    status: str
    spans: tuple[tuple[int, int], ...]
    note: str

    @property
    def flagged(self) -> bool:
        return self.status not in OK_STATUSES


def checks_of(summary: ReportSummary) -> list[Check]:
    """Every figure check of ``summary``, in the order of its ``verification.numbers``."""
    numbers = summary.verification.get("numbers", [])
    out: list[Check] = []
    for n in numbers if isinstance(numbers, list) else []:
        if not isinstance(n, dict):
            continue
        spans = tuple((int(s[0]), int(s[1])) for s in n.get("source_spans") or [] if len(s) == 2)
        note = n.get("formula") or n.get("note") or ""
        out.append(
            Check(
                path=str(n.get("path") or ""),
                start=int(n.get("start", 0)),
                end=int(n.get("end", 0)),
                text=str(n.get("text", "")),
                status=str(n.get("status", "not_found")),
                spans=spans,
                note=str(note),
            )
        )
    return out


def _status_class(status: str) -> str:
    return "ok" if status == "verified" else "derived" if status == "derived" else "flagged"


def _fig_id(span: tuple[int, int]) -> str:
    return f"f-{span[0]}-{span[1]}"


def _tip(check: Check) -> str:
    label = STATUS_LABELS.get(check.status, FLAGGED_NAME)
    return label + (f"：{check.note}" if check.note else "")


def _figure_mark(check: Check, inner: str) -> str:
    target = f' data-target="{_fig_id(check.spans[0])}"' if check.spans else ""
    mark = (
        f'<mark class="fig st-{_status_class(check.status)}" data-status="{escape(check.status)}"'
        f' data-path="{escape(check.path)}"{target} title="{escape(_tip(check))}">{inner}</mark>'
    )
    if check.status == "verified":
        return mark
    label = STATUS_LABELS.get(check.status, FLAGGED_NAME)
    note = f"：{check.note}" if check.note else ""
    kind = "derived" if check.status == "derived" else "flagged"
    return f'{mark}<span class="fnote {kind}">{escape(label + note)}</span>'


def unbroken(text: str) -> str:
    """``text`` escaped, each figure in it (100%, 300余人次) in a span no line break cuts."""
    out: list[str] = []
    pos = 0
    for q in extract_quantities(text):
        if q.start < pos:
            continue
        out.append(escape(text[pos : q.start]))
        out.append(f'<span class="nb">{escape(q.text)}</span>')
        pos = q.end
    out.append(escape(text[pos:]))
    return "".join(out)


def marked(text: str, checks: Sequence[Check], title: bool = False) -> str:
    """``text`` escaped, each checked figure in it marked with its status (and note); figures
    nobody checked kept whole. In a ``title``, a year that checked out is plain text: it names
    the report's period, it is not a figure the reader needs to see checked."""
    out: list[str] = []
    pos = 0
    for c in sorted(checks, key=lambda c: (c.start, -c.end)):
        if c.start < pos or c.end > len(text) or c.start >= c.end:
            continue  # overlapping or out of range: the figure still shows in the lists
        if title and not c.flagged and YEAR.fullmatch(c.text):
            continue
        out.append(unbroken(text[pos : c.start]))
        out.append(_figure_mark(c, escape(text[c.start : c.end])))
        pos = c.end
    out.append(unbroken(text[pos:]))
    return "".join(out)


# --- the source, with nested marks ---------------------------------------------------------------


def _source_html(summary: ReportSummary, source: str, checks: Sequence[Check]) -> str:
    n = len(source)

    def fits(span: Sequence[int] | None) -> bool:
        return span is not None and 0 <= span[0] < span[1] <= n

    segments: list[Mark] = []
    quotes: list[Mark] = []
    for key in PART_KEYS:
        for i, item in enumerate(summary.parts.get(key, [])):
            s, e = item.source_span
            if fits(item.source_span):
                segments.append(
                    Mark(s, e, f"s-{key}-{i}",
                          f'<span class="seg p-{key}{" alt" if i % 2 else ""}" data-target="i-{key}-{i}" '
                          f'data-start="{s}" data-end="{e}"', "</span>")
                )  # fmt: skip
            if item.quote_span is not None and fits(item.quote_span):
                qs, qe = item.quote_span
                quotes.append(Mark(qs, qe, f"q-{key}-{i}", '<span class="quote"', "</span>"))
    # one mark per place in the source, showing the worst status of the checks that point there
    worst: dict[tuple[int, int], Check] = {}
    for c in checks:
        for span in c.spans:
            if fits(span):
                old = worst.get(span)
                if old is None or STATUS_RANK.get(c.status, 2) > STATUS_RANK.get(old.status, 2):
                    worst[span] = c
    figures = [
        Mark(s, e, _fig_id((s, e)),
              f'<mark class="fig st-{_status_class(c.status)}" data-status="{escape(c.status)}" '
              f'title="{escape(_tip(c))}"', "</mark>")
        for (s, e), c in worst.items()
    ]  # fmt: skip
    # the source's own inconsistencies: each figure a warning names, marked where it stands
    for w, (_, spans) in enumerate(_warnings(summary)):
        for k, (s, e) in enumerate(spans):
            if fits((s, e)):
                figures.append(Mark(s, e, f"w-{w}-{k}", '<mark class="fig srcwarn"', "</mark>"))
    taken = bytearray(n + 1)
    for m in figures:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    whole = [
        Mark(q.start, q.end, f"nb-{q.start}", '<span class="nb"', "</span>")
        for q in extract_quantities(source)
        if not any(taken[q.start : q.end])
    ]
    # segments outermost, then quotes, then figures; figures nobody checked kept whole
    stack = layers(segments) + layers(quotes) + layers(figures) + layers(whole)
    out: list[str] = []
    nest(source, stack, 0, n, 0, out, set())
    return "".join(out)


def _warnings(summary: ReportSummary) -> list[tuple[str, list[tuple[int, int]]]]:
    """(note, spans) of each inconsistency the source has in itself (a rate its own counts
    contradict, parts that add up to more than their total)."""
    found = summary.verification.get("source_warnings")
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for w in found if isinstance(found, list) else []:
        if isinstance(w, dict):
            spans = [(int(s[0]), int(s[1])) for s in w.get("spans") or [] if len(s) == 2]
            out.append((str(w.get("note") or w.get("text") or ""), spans))
    return out


def _warning_list(summary: ReportSummary, source: str) -> str:
    """Which figures the source contradicts itself on, each a link to its place."""
    rows = []
    for n, (note, spans) in enumerate(_warnings(summary)):
        if not spans:
            rows.append(f"<li>{escape(note)}</li>")
            continue
        start = spans[0][0]
        line = source.count("\n", 0, start) + 1
        rows.append(
            f'<li><span class="jump" data-target="w-{n}-0" tabindex="0">{escape(note)}'
            f'<span class="where">（第 {line} 行，字符 {start}–{spans[0][1]}）</span></span></li>'
        )
    return f'<ol class="srcwarns">{"".join(rows)}</ol>' if rows else ""


# --- the summary side ----------------------------------------------------------------------------


def _by_path(checks: Iterable[Check]) -> dict[str, list[Check]]:
    grouped: dict[str, list[Check]] = {}
    for c in checks:
        grouped.setdefault(c.path, []).append(c)
    return grouped


def _figure_chip(text: str, checks: Sequence[Check], span: tuple[int, int], path: str) -> str:
    check = checks[0] if checks else None
    status = check.status if check else "unchecked"
    tip = _tip(check) if check else "未核对"
    cls = _status_class(status) if check else "unchecked"
    return (
        f'<mark class="fig chip st-{cls}" data-status="{escape(status)}" data-path="{escape(path)}"'
        f' data-target="{_fig_id(span)}" title="{escape(tip)}">{escape(text)}</mark>'
    )


def _item_html(key: str, i: int, item: Any, by_path: dict[str, list[Check]]) -> str:
    base = f"/parts/{key}/{i}"
    s, e = item.source_span
    parts = [
        f'<article class="item p-{key}" id="i-{key}-{i}" data-target="s-{key}-{i}" '
        f'data-start="{s}" data-end="{e}">',
        f'<h3><span class="n">{i + 1}</span>{marked(item.title, by_path.get(base + "/title", []), title=True)}</h3>',
        f'<p class="summary">{marked(item.summary, by_path.get(base + "/summary", []))}</p>',
    ]
    if item.cause:
        parts.append(
            f'<p class="cause"><b>原因</b>{marked(item.cause, by_path.get(base + "/cause", []))}</p>'
        )
    where = f"字符 {item.quote_span[0]}–{item.quote_span[1]}" if item.quote_span else "未定位"
    qtarget = f' data-target="q-{key}-{i}"' if item.quote_span else ""
    parts.append(
        f'<blockquote class="quote"{qtarget}>{marked(item.quote, by_path.get(base + "/quote", []))}'
        f' <span class="where">（{where}）</span></blockquote>'
    )
    if item.figures:
        rows = "".join(
            f"<li>{_figure_chip(f.text, by_path.get(f'{base}/figures/{j}/text', []), f.span, f'{base}/figures/{j}/text')}"
            f"{marked(f.context, by_path.get(f'{base}/figures/{j}/context', []))}</li>"
            for j, f in enumerate(item.figures)
        )
        parts.append(
            f'<details class="figs"><summary>原文数字 {len(item.figures)} 个</summary><ul>{rows}</ul></details>'
        )
    for flag in item.flags:
        if flag == SHORT_NOTE:  # a note, not a warning
            parts.append(f'<p class="note">{escape(flag)}</p>')
        else:
            parts.append(f'<p class="flag">⚠ {escape(flag)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _counts(summary: ReportSummary) -> tuple[int, int, int]:
    """(verified, derived, flagged) over the summary's checked figures."""
    counts = summary.verification.get("counts", {})
    if not isinstance(counts, dict):
        return 0, 0, 0
    verified, derived = int(counts.get("verified", 0)), int(counts.get("derived", 0))
    return verified, derived, sum(int(v) for v in counts.values()) - verified - derived


_JUMP = "点击依次跳到摘要中的这类数字"


def _meta(value: str | None, path: str, absent: str, by_path: dict[str, list[Check]]) -> str:
    return marked(value, by_path.get(path, [])) if value else escape(absent)


def report_title(summary: ReportSummary) -> str:
    """The report's own title, or one made of its issuer and year."""
    meta = summary.metadata
    year = f"{meta.year}年" if meta.year else ""
    return meta.title or f"{meta.issuer or summary.source.name}{year}法治政府建设年度报告"


def _header(summary: ReportSummary, by_path: dict[str, list[Check]], source: str) -> str:
    meta, comp = summary.metadata, summary.completeness
    title = report_title(summary)
    verified, derived, flagged = _counts(summary)
    failed = fallback_items(summary)  # items whose model answer was unusable, named
    fell = f'<span class="st-flagged fig" title="{escape("、".join(failed))}">模型回答不可用 <b id="n-fallback">{len(failed)}</b></span>' if failed else ""  # noqa: E501  # fmt: skip
    engine = ENGINE_NAMES.get(summary.run.engine, summary.run.engine)
    engine += f"（{summary.run.model}）" if summary.run.model else ""
    out = [
        '<header class="top">',
        f"<h1>{marked(title, by_path.get('/metadata/title', []) if meta.title else [], True)}</h1>",
        '<p class="meta">'
        f"{_meta(meta.issuer, '/metadata/issuer', '主体未识别', by_path)}"
        f"（{escape(meta.level or '层级未识别')}，"
        f"{escape(meta.issuer_kind or '类型未识别')}）· 年度 {escape(str(meta.year or '未识别'))}"
        f" · 发布 {_meta(meta.published, '/metadata/published', '原文未注明', by_path)}"
        f" · 来源 {escape(summary.source.name)}"
        f" · 生成 {escape(engine)}</p>",
        '<p class="counts">'
        f'<span class="st-ok fig">{STATUS_NAMES["verified"]} <b id="n-verified">{verified}</b></span>'
        f'<span class="st-derived fig" data-jump="derived" title="{_JUMP}">推算 '
        f'<b id="n-derived">{derived}</b></span>'
        f'<span class="st-flagged fig" data-jump="flagged" title="{_JUMP}">{FLAGGED_NAME} '
        f'<b id="n-flagged">{flagged}</b></span>{fell}</p>',
    ]
    alerts: list[str] = []
    if comp.missing:
        names = "、".join(PART_NAMES.get(k, k) for k in comp.missing)
        alerts.append(f'<li class="missing">缺少法定部分：{escape(names)}</li>')
    if comp.truncated:
        alerts.append('<li class="truncated">原文在结尾处被截断：最后一部分可能不完整</li>')
    shown = {f"缺少法定部分：{PART_NAMES.get(k, k)}" for k in comp.missing} | {"原文在结尾处被截断"}
    for flag in summary.flags:
        if flag in shown:
            continue
        listed = _warning_list(summary, source) if flag.startswith("原文自身有") else ""
        alerts.append(f"<li>{escape(flag)}{listed}</li>")
    if alerts:
        out.append(f'<ul class="alerts">{"".join(alerts)}</ul>')
    out.append("</header>")
    return "\n".join(out)


def _key_figures(summary: ReportSummary, by_path: dict[str, list[Check]]) -> str:
    if not summary.key_figures:
        return ""
    rows = []
    for n, kf in enumerate(summary.key_figures):
        path = f"/key_figures/{n}/figure"
        chip = _figure_chip(
            kf.figure.text, by_path.get(path + "/text", []), kf.figure.span, path + "/text"
        )
        context = marked(kf.figure.context, by_path.get(path + "/context", []))
        quote = marked(kf.quote, by_path.get(f"/key_figures/{n}/quote", []))
        # the label is the source's words: a figure in it is checked (copied) and marked
        label = marked(kf.label, by_path.get(f"/key_figures/{n}/label", [])) if kf.label else "—"
        rows.append(
            f'<tr><td>{chip}</td><td class="kf-label">{label}</td>'
            f"<td>{escape(PART_NAMES.get(kf.part, kf.part))}</td>"
            f"<td>{escape(kf.reason or '—')}</td>"
            f"<td>{context}<details><summary>原话</summary>{quote}</details></td></tr>"
        )
    return (
        '<section class="part" id="key-figures"><h2>关键数字</h2><table class="kf">'
        "<thead><tr><th>数字</th><th>指标</th><th>部分</th><th>依据</th><th>原文短句</th></tr>"
        "</thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _overview(summary: ReportSummary, by_path: dict[str, list[Check]]) -> str:
    """The 总体情况: each part's sentence, its figures marked as checked (a model's) or copied."""
    overview = summary.overview
    if overview is None:
        return ""
    lines = "".join(
        f'<p class="ov-line p-{key}"><a href="#part-{key}"><i class="swatch"></i></a>'
        f"{marked(line, by_path.get(f'/overview/parts/{key}', []))}</p>"
        for key, line in overview.parts.items()
    )
    by = "模型据各条摘要概括，数字已核对" if overview.by == "model" else "取自原文小标题"
    flags = "".join(f'<p class="flag">⚠ {escape(f)}</p>' for f in overview.flags)
    return (
        f'<section class="part overview" id="overview"><h2>总体情况 <small>{by}</small></h2>'
        f"{lines}{flags}</section>"
    )


def render_review(summary: ReportSummary, source: str) -> str:
    """The review page of one report: its summary beside ``source`` (the text as read, which
    every span indexes), self-contained (inline CSS and JavaScript, nothing loaded)."""
    checks = checks_of(summary)
    by_path = _by_path(checks)
    sections = []
    for key in PART_KEYS:
        items = summary.parts.get(key, [])
        if items:
            body = "\n".join(_item_html(key, i, item, by_path) for i, item in enumerate(items))
        else:
            said = "原文无此部分" if key in summary.completeness.missing else "无"
            body = f'<p class="none">（{said}）</p>'
        sections.append(
            f'<section class="part p-{key}" id="part-{key}"><h2><i class="swatch"></i>'
            f"{escape(PART_NAMES[key])} <small>{len(items)} 条</small></h2>\n{body}</section>"
        )
    end_note = '<p class="cut">⚠ 原文到此为止（截断）</p>' if summary.completeness.truncated else ""
    body = (
        '<body class="review">\n<div class="panes">\n<main class="summary-pane">\n'
        f"{_header(summary, by_path, source)}\n{_overview(summary, by_path)}\n{''.join(sections)}\n"
        f"{_key_figures(summary, by_path)}{indicators_html(summary)}\n"
        '</main>\n<aside class="source-pane"><h2>原文 <small>'
        f"{escape(summary.source.name)} · {len(source)} 字符</small></h2>"
        f'<div id="source" class="source">{_source_html(summary, source, checks)}</div>'
        f"{end_note}</aside>\n</div>"
    )
    return _page(report_title(summary), body, "review.js")


def write_review(path: Path, summary: ReportSummary, source: str) -> None:
    """Write the review page of one report (atomically)."""
    write_atomic(path, render_review(summary, source))
