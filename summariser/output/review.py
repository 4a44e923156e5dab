"""The review pages: a report's text beside its summary, each span and figure marked, as HTML."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from summariser.output.files import fallback_items, write_atomic
from summariser.schema import OK_STATUSES, PART_KEYS, PART_NAMES, SHORT_NOTE, ReportSummary

ASSETS = files("summariser.output") / "review_assets"
"""The page's CSS and JavaScript: reviewed files, inlined into every page (no network)."""

STATUS_LABELS = {
    "verified": "核对通过",
    "derived": "推算",
    "qualifier_changed": "修饰语不符",
    "unit_mismatch": "单位不符",
    "context_mismatch": "语境不符",
    "not_found": "原文未见",
}
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
    label = STATUS_LABELS.get(check.status, check.status)
    return f"{label}（{check.status}）" + (f"：{check.note}" if check.note else "")


def _figure_mark(check: Check, inner: str) -> str:
    target = f' data-target="{_fig_id(check.spans[0])}"' if check.spans else ""
    mark = (
        f'<mark class="fig st-{_status_class(check.status)}" data-status="{escape(check.status)}"'
        f' data-path="{escape(check.path)}"{target} title="{escape(_tip(check))}">{inner}</mark>'
    )
    if check.status == "verified":
        return mark
    label = STATUS_LABELS.get(check.status, check.status)
    note = f"：{check.note}" if check.note else ""
    kind = "derived" if check.status == "derived" else "flagged"
    return f'{mark}<span class="fnote {kind}">{escape(label + note)}</span>'


def marked(text: str, checks: Sequence[Check]) -> str:
    """``text`` escaped, each checked figure in it marked with its status (and note)."""
    out: list[str] = []
    pos = 0
    for c in sorted(checks, key=lambda c: (c.start, -c.end)):
        if c.start < pos or c.end > len(text) or c.start >= c.end:
            continue  # overlapping or out of range: the figure still shows in the lists
        out.append(escape(text[pos : c.start]))
        out.append(_figure_mark(c, escape(text[c.start : c.end])))
        pos = c.end
    out.append(escape(text[pos:]))
    return "".join(out)


# --- the source, with nested marks ---------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    ident: str
    open: str  # the opening tag without its closing ">", id added on the first piece
    close: str


def _layers(marks: Iterable[_Mark]) -> list[list[_Mark]]:
    """Marks into layers of disjoint marks, first fit, in the order given."""
    layers: list[list[_Mark]] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        for layer in layers:
            if layer[-1].end <= m.start:
                layer.append(m)
                break
        else:
            layers.append([m])
    return layers


def _nest(
    text: str,
    layers: list[list[_Mark]],
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
        _nest(text, layers, pos, s, depth + 1, out, seen)
        ident = "" if m.ident in seen else f' id="{m.ident}"'
        seen.add(m.ident)
        out.append(f"{m.open}{ident}>")
        _nest(text, layers, s, e, depth + 1, out, seen)
        out.append(m.close)
        pos = e
    _nest(text, layers, pos, hi, depth + 1, out, seen)


def _source_html(summary: ReportSummary, source: str, checks: Sequence[Check]) -> str:
    n = len(source)

    def fits(span: Sequence[int] | None) -> bool:
        return span is not None and 0 <= span[0] < span[1] <= n

    segments: list[_Mark] = []
    quotes: list[_Mark] = []
    for key in PART_KEYS:
        for i, item in enumerate(summary.parts.get(key, [])):
            s, e = item.source_span
            if fits(item.source_span):
                segments.append(
                    _Mark(s, e, f"s-{key}-{i}",
                          f'<span class="seg p-{key}{" alt" if i % 2 else ""}" data-target="i-{key}-{i}" '
                          f'data-start="{s}" data-end="{e}"', "</span>")
                )  # fmt: skip
            if item.quote_span is not None and fits(item.quote_span):
                qs, qe = item.quote_span
                quotes.append(_Mark(qs, qe, f"q-{key}-{i}", '<span class="quote"', "</span>"))
    # one mark per place in the source, showing the worst status of the checks that point there
    worst: dict[tuple[int, int], Check] = {}
    for c in checks:
        for span in c.spans:
            if fits(span):
                old = worst.get(span)
                if old is None or STATUS_RANK.get(c.status, 2) > STATUS_RANK.get(old.status, 2):
                    worst[span] = c
    figures = [
        _Mark(s, e, _fig_id((s, e)),
              f'<mark class="fig st-{_status_class(c.status)}" data-status="{escape(c.status)}" '
              f'title="{escape(_tip(c))}"', "</mark>")
        for (s, e), c in worst.items()
    ]  # fmt: skip
    # segments outermost, then quotes, then figures
    layers = _layers(segments) + _layers(quotes) + _layers(figures)
    out: list[str] = []
    _nest(source, layers, 0, n, 0, out, set())
    return "".join(out)


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
        f'<h3><span class="n">{i + 1}</span>{marked(item.title, by_path.get(base + "/title", []))}</h3>',
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


def _header(summary: ReportSummary, by_path: dict[str, list[Check]]) -> str:
    meta, comp = summary.metadata, summary.completeness
    title = (
        meta.title
        or f"{meta.issuer or summary.source.name} {meta.year or ''}年法治政府建设年度报告"
    )
    verified, derived, flagged = _counts(summary)
    failed = fallback_items(summary)  # items whose model answer was unusable, named
    fell = f'<span class="st-flagged fig" title="{escape("、".join(failed))}">模型回答不可用 <b id="n-fallback">{len(failed)}</b></span>' if failed else ""  # noqa: E501  # fmt: skip
    engine = summary.run.engine + (f"，{summary.run.model}" if summary.run.model else "")
    out = [
        '<header class="top">',
        f"<h1>{marked(title, by_path.get('/metadata/title', []) if meta.title else [])}</h1>",
        '<p class="meta">'
        f"{_meta(meta.issuer, '/metadata/issuer', '主体未识别', by_path)}"
        f"（{escape(meta.level or '层级未识别')}，"
        f"{escape(meta.issuer_kind or '类型未识别')}）· 年度 {escape(str(meta.year or '未识别'))}"
        f" · 发布 {_meta(meta.published, '/metadata/published', '原文未注明', by_path)}"
        f" · 来源 {escape(summary.source.name)}"
        f" · 生成 {escape(engine)}</p>",
        '<p class="counts">'
        f'<span class="st-ok fig">核对通过 <b id="n-verified">{verified}</b></span>'
        f'<span class="st-derived fig" data-jump="derived" title="{_JUMP}">推算 '
        f'<b id="n-derived">{derived}</b></span>'
        f'<span class="st-flagged fig" data-jump="flagged" title="{_JUMP}">未通过 '
        f'<b id="n-flagged">{flagged}</b></span>{fell}</p>',
    ]
    alerts: list[str] = []
    if comp.missing:
        names = "、".join(PART_NAMES.get(k, k) for k in comp.missing)
        alerts.append(f'<li class="missing">缺少法定部分：{escape(names)}</li>')
    if comp.truncated:
        alerts.append('<li class="truncated">原文在结尾处被截断：最后一部分可能不完整</li>')
    shown = {f"缺少法定部分：{PART_NAMES.get(k, k)}" for k in comp.missing} | {"原文在结尾处被截断"}
    alerts += [f"<li>{escape(f)}</li>" for f in summary.flags if f not in shown]
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
        f"{_header(summary, by_path)}\n{_overview(summary, by_path)}\n{''.join(sections)}\n"
        f"{_key_figures(summary, by_path)}\n"
        '</main>\n<aside class="source-pane"><h2>原文 <small>'
        f"{escape(summary.source.name)} · {len(source)} 字符</small></h2>"
        f'<div id="source" class="source">{_source_html(summary, source, checks)}</div>'
        f"{end_note}</aside>\n</div>"
    )
    title = summary.metadata.title or summary.source.name
    return _page(title, body, "review.js")


# --- the run's index -----------------------------------------------------------------------------

INDEX_HTML_COLUMNS = [
    ("file", "文件", "text"), ("status", "状态", "text"), ("issuer", "主体", "text"),
    ("level", "层级", "text"), ("year", "年度", "num"), ("items", "条目", "num"),
    ("figures_verified", "核对通过", "num"), ("figures_flagged", "未通过", "num"),
    ("missing_parts", "缺少部分", "text"), ("truncated", "截断", "text"),
    ("engine", "引擎", "text"), ("model_fallback", "模型回答不可用", "num"), ("reason", "说明", "text"),
]  # fmt: skip


PART_SHORT = {
    "achievements": "举措和成效", "problems": "不足和原因", "leadership": "第一责任人履职",
    "plans": "下一年度安排", "other": "其他",
}  # fmt: skip


def _index_cell(key: str, value: object) -> str:
    """An index.csv value as the page shows it: parts by their Chinese names, yes/no as 是/否."""
    text = str(value)
    if key == "missing_parts" and text:
        return "、".join(PART_SHORT.get(k, k) for k in text.split(";"))
    if key == "truncated":
        return {"yes": "是", "no": "否"}.get(text, text)
    return text


def render_index(rows: Iterable[tuple[dict[str, object], str | None]]) -> str:
    """The run's index page: one row per report (an ``files.index_row`` and the file name of its
    review page, or None when it has none), sortable by any column, with a filter box."""
    rows = list(rows)
    head = "".join(
        f'<th data-kind="{kind}" tabindex="0" aria-sort="none">{escape(label)}</th>'
        for _, label, kind in INDEX_HTML_COLUMNS
    )
    body = []
    for row, page in rows:
        cells = []
        for key, _, _ in INDEX_HTML_COLUMNS:
            value = escape(_index_cell(key, row.get(key, "")))
            if key == "file" and page:
                value = f'<a href="{escape(quote(page))}">{value}</a>'
            cls = f' class="{key}"'
            if key == "status":
                cls = f' class="{key} s-{escape(str(row.get("status", "")))}"'
            elif key in ("figures_flagged", "model_fallback") and str(row.get(key) or 0) != "0":
                cls = f' class="{key} bad"'
            cells.append(f"<td{cls}>{value}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    statuses: dict[str, int] = {}
    for row, _ in rows:
        status = str(row.get("status", ""))
        statuses[status] = statuses.get(status, 0) + 1
    said = "，".join(f"{escape(k)} {v}" for k, v in sorted(statuses.items()))
    content = (
        '<body class="index">\n<header class="top"><h1>本次运行的报告</h1>'
        f'<p class="meta">共 <b id="n-reports">{len(rows)}</b> 份：{said}。点击列名排序。</p>'
        '<input id="filter" type="search" placeholder="筛选（文件、主体、状态…）" '
        'aria-label="筛选"></header>\n'
        f'<table id="reports"><thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table>"
    )
    return _page("本次运行的报告", content, "index.js")


def write_review(path: Path, summary: ReportSummary, source: str) -> None:
    """Write the review page of one report (atomically)."""
    write_atomic(path, render_review(summary, source))


def write_review_index(path: Path, rows: Iterable[tuple[dict[str, object], str | None]]) -> None:
    """Write the run's index page (atomically)."""
    write_atomic(path, render_index(rows))
