"""Writing outputs: atomic files, the readable Markdown view, and the batch's index.csv."""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from summariser.output.indicator_views import indicators_markdown
from summariser.schema import (
    ENGINE_NAMES,
    FALLBACK_NOTE,
    PART_KEYS,
    PART_NAMES,
    SHORT_NOTE,
    ReportSummary,
)

INDEX_COLUMNS = [
    "file", "status", "reason", "engine", "issuer", "level", "year", "published",
    "missing_parts", "truncated", "items", "figures_verified", "figures_flagged",
    "written_checked", "written_verified", "written_derived", "written_flagged",
    "copied_checked", "copied_flagged", "model_fallback", "model_fallback_items",
    "attempts", "tokens_in", "tokens_out", "seconds",
]  # fmt: skip
"""figures_verified/figures_flagged count every checked figure (verified or derived / the
rest); written_* count only the figures of the summary's own words (the model's, or a
person's), derived (推算) apart; copied_* the figures of quotes and contexts copied from the
source, which pass by construction. model_fallback counts the items whose model answer was
unusable (their summary is the report's own words), model_fallback_items names them."""


_TEMP = re.compile(r"\..+\.(?:json|md|csv|html)\.[A-Za-z0-9_]+\.tmp")
"""The names ``write_atomic`` gives its temporary files (hidden, never taken for outputs)."""


def write_atomic(path: Path, data: str | bytes | Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary file and a rename: never half-written.

    ``data`` is the content, or a function that writes the file at the path it is given
    (openpyxl, python-docx). The file gets the mode a plain ``open()`` would give it under
    the user's umask (0644 under 022, 0600 under 077). It is flushed to disk before the rename,
    so a kill or a power cut leaves ``path`` with its old content or the new, never a part.
    The folder itself is not synced: after a power cut the newest outputs may be missing (and
    are redone by the next run), never torn; syncing it would double the cost of every write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(Path(tmp))  # writes by name; the file keeps the mode it was created with
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_temp(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path``, created with mode 0o666 so the kernel applies the umask.

    tempfile.mkstemp would make it 0600 whatever the umask. Reading the umask to chmod
    afterwards means setting it (os.umask has no getter), which races with the other threads of
    a parallel run; creating the file with the mode lets the kernel do it without a race.
    """
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files a killed run left in ``folder``; returns how many.

    Only one run may write to a folder at a time: a live run's temporary files would go too.
    """
    removed = 0
    for path in folder.glob(".*.tmp"):
        if _TEMP.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def summary_json(summary: ReportSummary) -> str:
    """The summary as indented UTF-8 JSON (pydantic's serialiser: the same text as
    ``json.dumps(model_dump(mode="json"), ensure_ascii=False, indent=2)``, ten times faster)."""
    return summary.model_dump_json(indent=2) + "\n"


_ROW = ("checked", "verified", "derived", "flagged")


def origin_counts(summary: ReportSummary) -> dict[str, dict[str, int]]:
    """Written and copied figures apart: checked, verified, derived, flagged.

    From ``verification.by_origin``; a summary written before it existed has every figure
    counted as copied, since nothing says which were written.
    """
    by_origin = summary.verification.get("by_origin")
    out = {o: dict.fromkeys(_ROW, 0) for o in ("written", "copied")}
    if isinstance(by_origin, dict):
        for origin, row in by_origin.items():
            if origin in out and isinstance(row, dict):
                out[origin].update({k: int(row.get(k, 0)) for k in _ROW})
        return out
    good, bad = figure_counts(summary)
    out["copied"].update(checked=good + bad, verified=good, flagged=bad)
    return out


def derived_notes(summary: ReportSummary) -> dict[str, list[str]]:
    """JSON pointer -> "13件＝5+8=13" for each derived (推算) figure of a written string."""
    out: dict[str, list[str]] = {}
    numbers = summary.verification.get("numbers")
    for n in numbers if isinstance(numbers, list) else []:
        if isinstance(n, dict) and n.get("status") == "derived" and n.get("path"):
            out.setdefault(str(n["path"]), []).append(f"{n.get('text')}＝{n.get('formula', '')}")
    return out


def fallback_items(summary: ReportSummary) -> list[str]:
    """The items whose model answer was unusable, so that their summary is the report's own
    words, by name (存在的不足和原因第2条): a failure the counts of figures do not show."""
    return [
        f"{PART_NAMES[key]}第{n}条"
        for key in PART_KEYS
        for n, item in enumerate(summary.parts.get(key, []), start=1)
        if FALLBACK_NOTE in item.flags
    ]


def figure_counts(summary: ReportSummary) -> tuple[int, int]:
    """(verified or derived, everything else) over the summary's checked figures."""
    counts = summary.verification.get("counts", {})
    assert isinstance(counts, dict)
    good = int(counts.get("verified", 0)) + int(counts.get("derived", 0))
    return good, sum(int(v) for v in counts.values()) - good


def counts_line(summary: ReportSummary) -> str:
    """What the reader needs: the figures of the summary's own words (核实、推算、存疑) apart
    from those copied from the source, which pass by construction."""
    c = origin_counts(summary)
    w, k = c["written"], c["copied"]
    writer = {"llm": "模型所写", "golden": "人工所写"}.get(summary.run.engine, "摘要所写")
    return (
        f"{writer} {w['checked']} 个（核实 {w['verified']}，推算 {w['derived']}，"
        f"存疑 {w['flagged']}）；摘自原文 {k['checked']} 个（核实 {k['verified'] + k['derived']}，"
        f"存疑 {k['flagged']}）"
    )


MARKDOWN_MARKS = ("- 来源：", "- 生成：", "- 数字核对：")
"""Lines every Markdown view opens with: `verify` knows its own view by them (its counts and
character spans are bookkeeping, not figures of the report)."""


def is_markdown_view(text: str) -> bool:
    """Whether ``text`` is a Markdown view `render_markdown` wrote."""
    lines = text.splitlines()[:12]
    return all(any(line.startswith(mark) for line in lines) for mark in MARKDOWN_MARKS)


def render_markdown(summary: ReportSummary) -> str:
    """A readable one-page view of a summary, every item with its quote and span."""
    meta = summary.metadata
    out = io.StringIO()
    title = (
        meta.title
        or f"{meta.issuer or summary.source.name} {meta.year or ''}年法治政府建设年度报告"
    )
    out.write(f"# {title}\n\n")
    out.write(
        f"- 主体：{meta.issuer or '未识别'}（{meta.level or '层级未识别'}，{meta.issuer_kind or '类型未识别'}）\n"
    )
    out.write(f"- 年度：{meta.year or '未识别'}；发布：{meta.published or '原文未注明'}\n")
    out.write(f"- 来源：{summary.source.name}（sha256 前12位 {summary.source.sha256[:12]}）\n")
    engine = ENGINE_NAMES.get(summary.run.engine, summary.run.engine)
    if summary.run.engine_note:  # the reason stays in the JSON's run.engine_note
        engine += "（模型不可用，改用规则）"
    out.write(f"- 生成：{engine}，{summary.run.model or '无模型'}\n")
    out.write(f"- 数字核对：{counts_line(summary)}\n")
    if failed := fallback_items(summary):
        out.write(f"- ⚠ 模型回答不可用 {len(failed)} 条，摘要取自原文：{'、'.join(failed)}\n")
    out.write("\n")
    overview = summary.overview
    if overview is not None:
        by = "模型据各条摘要概括，数字已核对" if overview.by == "model" else "取自原文小标题"
        out.write(f"## 总体情况\n\n{overview.text}\n\n（{by}）\n\n")
    missing = [PART_NAMES[k] for k in summary.completeness.missing]
    out.write("## 完整性\n\n")
    out.write(f"- 缺少的法定部分：{'、'.join(missing) if missing else '无'}\n")
    out.write(f"- 原文截断：{'是' if summary.completeness.truncated else '否'}\n\n")
    for key in PART_KEYS:
        out.write(f"## {PART_NAMES[key]}\n\n")
        items = summary.parts.get(key, [])
        if not items:
            out.write(
                "（原文无此部分）\n\n" if key in summary.completeness.missing else "（无）\n\n"
            )
            continue
        derived = derived_notes(summary)
        if overview is not None and key in overview.parts:
            out.write(f"> {overview.parts[key]}\n\n")
        for n, item in enumerate(items, start=1):
            out.write(f"{n}. **{item.title}**：{item.summary}\n")
            for note in derived.get(f"/parts/{key}/{n - 1}/summary", []):
                out.write(f"   - 推算：{note}（原文未直接写出，由本条原文数字算得）\n")
            if item.cause:
                out.write(f"   - 原因：{item.cause}\n")
            span = f"{item.quote_span[0]}–{item.quote_span[1]}" if item.quote_span else "未定位"
            out.write(f"   - 原文：“{item.quote}”（字符 {span}）\n")
            for flag in item.flags:
                out.write(f"   - {flag}\n" if flag == SHORT_NOTE else f"   - ⚠ {flag}\n")
        out.write("\n")
    if summary.key_figures:
        out.write("## 关键数字\n\n| 数字 | 指标 | 部分 | 依据 |\n|---|---|---|---|\n")
        for key_figure in summary.key_figures:
            cells = (
                key_figure.figure.text,
                key_figure.label or "—",
                PART_NAMES.get(key_figure.part, key_figure.part),
                key_figure.reason or "—",
            )
            out.write("| " + " | ".join(_cell(c) for c in cells) + " |\n")
        out.write("\n")
    out.write(indicators_markdown(summary))
    if summary.flags:
        out.write("## 提示\n\n")
        for flag in summary.flags:
            out.write(f"- {flag}\n")
        out.write("\n")
    return out.getvalue()


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return text.replace("|", "｜").replace("\n", " ")


def index_row(
    file: str, status: str, reason: str, summary: ReportSummary | None
) -> dict[str, object]:
    """One row of index.csv: a report's outcome, whether it succeeded or not."""
    row: dict[str, object] = {c: "" for c in INDEX_COLUMNS}
    row.update(file=file, status=status, reason=reason)
    if summary is not None:
        good, bad = figure_counts(summary)
        by = origin_counts(summary)
        row.update(
            {f"written_{k}": v for k, v in by["written"].items()},
            copied_checked=by["copied"]["checked"],
            copied_flagged=by["copied"]["flagged"],
        )
        failed = fallback_items(summary)
        row.update(model_fallback=len(failed), model_fallback_items="；".join(failed))
        row.update(
            engine=summary.run.engine,
            issuer=summary.metadata.issuer or "",
            level=summary.metadata.level or "",
            year=summary.metadata.year or "",
            published=summary.metadata.published or "",
            missing_parts=";".join(summary.completeness.missing),
            truncated="yes" if summary.completeness.truncated else "no",
            items=sum(len(v) for v in summary.parts.values()),
            figures_verified=good,
            figures_flagged=bad,
            attempts=summary.run.attempts,
            tokens_in=summary.run.tokens_in,
            tokens_out=summary.run.tokens_out,
            seconds=summary.run.seconds,
        )
    return row


def write_index(path: Path, rows: Iterable[dict[str, object]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    write_atomic(path, buffer.getvalue())


def write_summary(out_dir: Path, stem: str, summary: ReportSummary) -> None:
    """DIR/<stem>.md first, then DIR/<stem>.json: the JSON's presence marks the report done."""
    write_atomic(out_dir / f"{stem}.md", render_markdown(summary))
    write_atomic(out_dir / f"{stem}.json", summary_json(summary))
