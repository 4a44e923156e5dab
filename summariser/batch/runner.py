"""Running many reports: resume, parallel jobs, per-report failure, index and table (inputs: `inputs`).

One report's failure never stops the others, and never loses their work: every input ends with
a status and a one-line reason, in the final table and in index.csv. The index is rewritten as
reports finish (at most once a second), so after a crash it says what was done and what was not.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summariser.batch.outcome import Outcome
from summariser.batch.progress import BatchProgress, LineProgress
from summariser.batch.table import cells_of, finished_line
from summariser.errors import InputError, ModelError, SummariserError, TransportError
from summariser.model.prompts import PromptTemplate
from summariser.output.files import index_row, remove_stale_temps, write_index, write_summary
from summariser.output.index_page import PART_SHORT, write_review_index
from summariser.output.review import write_review
from summariser.pipeline.drafting import Drafter, RulesDrafter, prompt_fingerprint
from summariser.pipeline.report import summarise
from summariser.reading.documents import Document, read_document
from summariser.reading.inputs import find_inputs
from summariser.schema import FLAGGED_NAME, OK_STATUSES, PART_KEYS, ReportSummary

INDEX_EVERY = 1.0
"""Seconds between rewrites of index.csv while a batch runs, at least; over many reports the
pause grows to ten times the last rewrite, so rewriting stays a tenth of the run."""


@dataclass
class Job:
    """How to summarise: the drafter, and what identifies its output for resuming.

    ``fallback``: when the model is unreachable or its answers stay unusable, summarise that
    report with the rules engine (status ``fallback``) instead of failing it.
    """

    drafter: Drafter
    model: str | None = None
    template: PromptTemplate | None = None
    fallback: bool = True

    def fingerprint(self) -> str | None:
        if self.drafter.engine != "llm" or self.template is None:
            return None
        return prompt_fingerprint(self.template)


class _Stopped(Exception):
    """Raised at the next slice boundary of a report in flight once the batch is interrupted."""


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(err: SummariserError, path: Path) -> str:
    """The error's one line without the leading path: the table and index name the file already."""
    return err.one_line().removeprefix(f"{path}: ")


def notes(summary: ReportSummary) -> str:
    """What a reader should know about a finished summary, in one line ("" when nothing).

    In Chinese: index.html shows it as the report's 说明 (index.csv keeps the same words).
    """
    said: list[str] = []
    if summary.completeness.truncated:
        said.append("原文结尾被截断")
    missing = [k for k in PART_KEYS if k in summary.completeness.missing]
    if missing:
        said.append("缺少部分：" + "、".join(PART_SHORT[k] for k in missing))
    counts = summary.verification.get("counts", {})
    if isinstance(counts, dict):
        bad = sum(int(v) for k, v in counts.items() if k not in OK_STATUSES)
        if bad:
            said.append(f"{bad} 个数字{FLAGGED_NAME}")
    failed = sum(1 for part in summary.run.parts if part.failed)
    if failed:
        said.append(f"模型回答 {failed} 次不可用或未通过核对（已标出）")
    return "；".join(said)


def _done_before(path: Path, doc: Document, job: Job) -> ReportSummary | None:
    """The existing output when it was made from the same input, prompt, model and engine."""
    if not path.is_file():
        return None
    try:
        old = ReportSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None
    same = (
        old.source.sha256 == doc.sha256
        and old.run.engine == job.drafter.engine
        and old.run.model == (job.model if job.drafter.engine == "llm" else None)
        and old.run.prompt_sha256 == job.fingerprint()
    )
    return old if same else None


def _one(
    doc: Document, stem: str, out_dir: Path, job: Job, force: bool, progress: Callable[[str], None]
) -> Outcome:
    started = time.monotonic()
    if not force:
        old = _done_before(out_dir / f"{stem}.json", doc, job)
        if old is not None:
            said = "；".join(r for r in ("与上次运行相同，未重做", notes(old)) if r)
            if not (out_dir / f"{stem}.html").is_file():  # made before review pages existed
                write_review(out_dir / f"{stem}.html", old, doc.text)
            return Outcome(doc.name, "skipped", said, old)
    try:
        summary = summarise(
            doc, job.drafter, template=job.template, model=job.model, progress=progress
        )
        status, reason = "ok", ""
    except (TransportError, ModelError) as err:
        if not job.fallback:
            raise
        what = "模型无法连接" if isinstance(err, TransportError) else "模型回答不可用"
        reason = f"{what}，改用规则：{err.one_line()}"
        progress(f"{doc.name}：{reason}")
        summary = summarise(doc, RulesDrafter(), progress=progress)
        summary.run.engine_note = f"fallback: {err.one_line()}"
        status = "fallback"
    write_review(out_dir / f"{stem}.html", summary, doc.text)  # before the JSON that marks done
    write_summary(out_dir, stem, summary)
    said = "；".join(r for r in (reason, notes(summary)) if r)
    return Outcome(doc.name, status, said, summary, time.monotonic() - started)


def _passed_over(path: Path) -> str:
    """``skipped`` for what is never a report (hidden and lock files, subfolders), else ``failed``.

    A folder copied from a Mac or opened in Word holds .DS_Store or ~$ files; they must not make
    the whole batch fail, while a visible file we cannot read (a .doc report) must.
    """
    return "skipped" if path.name.startswith((".", "~$")) or path.is_dir() else "failed"


def _stem(doc: Document, used: set[str]) -> str:
    """An output name no other report of this batch has (case-insensitively), stable across runs."""
    candidate, n = doc.stem, 1
    while candidate.lower() in used:
        n += 1
        suffix = doc.path.suffix.lstrip(".")
        candidate = f"{doc.stem}-{suffix}" if n == 2 else f"{doc.stem}-{suffix}-{n - 1}"
    used.add(candidate.lower())
    return candidate


def run_batch(
    paths: list[Path],
    out_dir: Path,
    job: Job,
    *,
    jobs: int = 1,
    force: bool = False,
    log: Callable[[str], None] | None = None,
    progress: BatchProgress | None = None,
    keep_summaries: bool = True,
) -> list[Outcome]:
    """Summarise every report under ``paths`` into ``out_dir``; one failure never stops the rest.

    ``jobs`` reports run at once, each making one model request at a time, so at most ``jobs``
    requests are in flight. On KeyboardInterrupt the reports not started are cancelled, those in
    flight stop at their next model call, index.csv marks the unfinished ones ``pending``, and
    the interrupt is re-raised; finished outputs stay (every write is atomic).

    ``progress`` is told of each report (a bar on a terminal, see summariser.batch.progress); by
    default each finished report is one line given to ``log`` (stderr when not given).

    ``keep_summaries=False`` lets each summary go once its files, index row and table cells are
    made, so memory stays flat however many reports there are (the outcomes then carry no
    summary).

    Raises:
        InputError: nothing to read at all (no such path, or no supported file).
    """
    files, skipped = find_inputs(paths)
    if not files:
        missing = [p for p in map(Path, paths) if not p.exists()]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise InputError(f"{missing[0]}: no such file or folder{more}")
        raise InputError("no report files found in " + ", ".join(map(str, paths)))
    entries = [Outcome(p.name, _passed_over(p), why) for p, why in skipped]
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)
    # Only the paths wait in the queue: each report is read again when its turn comes, so the
    # texts of thousands of reports are never held at once (memory flat over the count).
    todo: list[tuple[int, Path, str]] = []
    seen_hash: dict[str, str] = {}
    used_stems: set[str] = set()
    for path in files:
        try:
            doc = read_document(path)
        except InputError as err:
            entries.append(Outcome(path.name, "failed", _reason(err, path)))
            continue
        except Exception as err:  # a reader bug must not stop the batch; say what it was
            entries.append(
                Outcome(
                    path.name, "failed", _one_line(f"cannot read ({type(err).__name__}: {err})")
                )
            )
            continue
        if doc.sha256 in seen_hash:
            entries.append(Outcome(doc.name, "skipped", f"与 {seen_hash[doc.sha256]} 内容相同"))
            continue
        seen_hash[doc.sha256] = doc.name
        todo.append((len(entries), doc.path, _stem(doc, used_stems)))
        entries.append(Outcome(doc.name, "pending", "未完成"))

    watch = progress or (LineProgress(log) if log is not None else LineProgress())
    stop = threading.Event()
    total = len(todo)
    done = 0

    def step(message: str) -> None:
        if stop.is_set():
            raise _Stopped
        watch.step(message)

    def work(path: Path, stem: str) -> Outcome | None:
        try:
            watch.began(path.name)
            return _one(read_document(path), stem, out_dir, job, force, step)
        except _Stopped:
            return None
        except SummariserError as err:
            return Outcome(path.name, "failed", _reason(err, path))
        except Exception as err:  # a bug in one report's stages must not lose the others
            return Outcome(
                path.name, "failed", _one_line(f"internal error ({type(err).__name__}: {err})")
            )

    pages = {slot: f"{stem}.html" for slot, _, stem in todo}

    def save_index() -> float:
        started = time.monotonic()
        rows = [o.row or index_row(o.file, o.status, o.reason, o.summary) for o in entries]
        write_index(out_dir / "index.csv", rows)
        write_review_index(
            out_dir / "index.html",
            [
                (row, pages.get(i) if o.page or o.summary else None)
                for i, (row, o) in enumerate(zip(rows, entries, strict=True))
            ],
        )
        return time.monotonic() - started

    last_saved = time.monotonic()
    pause = INDEX_EVERY
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    futures: dict[Future[Outcome | None], int] = {}
    for early in entries:  # a report that could not be read is said before the bar starts
        if early.status == "failed":
            watch.finished(finished_line(early))
    watch.start(total)
    try:
        futures = {pool.submit(work, path, stem): slot for slot, path, stem in todo}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                if outcome is None:
                    continue
                settle(outcome, keep_summaries)
                entries[futures[future]] = outcome
                done += 1
                watch.finished(f"[{done}/{total}] {finished_line(outcome)}")
            if time.monotonic() - last_saved >= pause:
                pause = max(INDEX_EVERY, 10 * save_index())
                last_saved = time.monotonic()
    except BaseException:
        stop.set()
        watch.warn("interrupted: finishing the reports in flight...")
        pool.shutdown(wait=True, cancel_futures=True)
        for future, slot in futures.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                outcome = future.result()
                if outcome is not None:
                    settle(outcome, keep_summaries)
                    entries[slot] = outcome
        save_index()
        left = sum(o.status == "pending" for o in entries)
        watch.warn(
            f"interrupted: {left} report(s) not done, marked pending in index.csv; rerun to finish"
        )
        watch.close()
        raise
    pool.shutdown()
    watch.close()
    save_index()
    return entries


def settle(outcome: Outcome, keep: bool) -> None:
    """Make a finished outcome's index row and table cells; let its summary go unless ``keep``
    (a batch of thousands of reports then holds no summary once its files are written)."""
    outcome.row = index_row(outcome.file, outcome.status, outcome.reason, outcome.summary)
    outcome.cells = cells_of(outcome)
    outcome.page = outcome.summary is not None
    if not keep:
        outcome.summary = None
