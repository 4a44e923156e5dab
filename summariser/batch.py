"""Running many reports: inputs, resume, parallel jobs, per-report failure, index and table."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summariser.errors import InputError, SummariserError, TransportError
from summariser.output import index_row, write_index, write_summary
from summariser.pipeline import Drafter, RulesDrafter, summarise
from summariser.prompts import PromptTemplate, fingerprint
from summariser.reading import Document, find_inputs, read_document
from summariser.schema import PartDraft, ReportSummary


@dataclass
class Outcome:
    """What happened to one input."""

    file: str
    status: str  # ok | fallback | skipped | failed
    reason: str = ""
    summary: ReportSummary | None = None
    seconds: float = 0.0


@dataclass
class Job:
    """How to summarise: the drafter, and what identifies its output for resuming."""

    drafter: Drafter
    model: str | None = None
    template: PromptTemplate | None = None
    fallback: bool = True

    def fingerprint(self) -> str | None:
        if self.drafter.engine != "llm" or self.template is None:
            return None
        return fingerprint(self.template, PartDraft.model_json_schema())


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def _one(doc: Document, stem: str, out_dir: Path, job: Job, force: bool, log: Callable[[str], None]) -> Outcome:
    started = time.monotonic()
    if not force:
        old = _done_before(out_dir / f"{stem}.json", doc, job)
        if old is not None:
            return Outcome(doc.name, "skipped", "unchanged since the last run", old)
    try:
        summary = summarise(doc, job.drafter, template=job.template, model=job.model, progress=log)
        status, reason = "ok", ""
    except TransportError as err:
        if not job.fallback:
            raise
        reason = f"model unreachable, rules engine used: {err.one_line()}"
        log(f"{doc.name}: {reason}")
        summary = summarise(doc, RulesDrafter(), progress=log)
        summary.run.engine_note = f"fallback: {err.one_line()}"
        status = "fallback"
    write_summary(out_dir, stem, summary)
    return Outcome(doc.name, status, reason, summary, time.monotonic() - started)


def run_batch(
    paths: list[Path],
    out_dir: Path,
    job: Job,
    *,
    jobs: int = 1,
    force: bool = False,
    log: Callable[[str], None] = _stderr,
) -> list[Outcome]:
    """Summarise every report under ``paths`` into ``out_dir``; one failure never stops the rest.

    Raises:
        InputError: nothing to read at all (no such path, or no supported file).
    """
    files, skipped = find_inputs(paths)
    outcomes: list[Outcome] = [Outcome(p.name, "failed", why) for p, why in skipped]
    if not files and not outcomes:
        raise InputError("no report files found in " + ", ".join(map(str, paths)))
    out_dir.mkdir(parents=True, exist_ok=True)
    docs: list[tuple[Document, str]] = []
    seen_hash: dict[str, str] = {}
    used_stems: set[str] = set()
    for path in files:
        try:
            doc = read_document(path)
        except InputError as err:
            outcomes.append(Outcome(path.name, "failed", err.one_line()))
            continue
        if doc.sha256 in seen_hash:
            outcomes.append(Outcome(doc.name, "skipped", f"duplicate of {seen_hash[doc.sha256]}"))
            continue
        seen_hash[doc.sha256] = doc.name
        stem = doc.stem if doc.stem not in used_stems else f"{doc.stem}-{doc.path.suffix.lstrip('.')}"
        used_stems.add(stem)
        docs.append((doc, stem))

    def work(item: tuple[Document, str]) -> Outcome:
        doc, stem = item
        try:
            outcome = _one(doc, stem, out_dir, job, force, log)
        except SummariserError as err:
            outcome = Outcome(doc.name, "failed", err.one_line())
        log(f"{doc.name}: {outcome.status}{' — ' + outcome.reason if outcome.reason else ''}")
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        outcomes.extend(pool.map(work, docs))
    order = {p.name: i for i, p in enumerate(files)}
    outcomes.sort(key=lambda o: (order.get(o.file, -1), o.file))
    write_index(out_dir / "index.csv", [index_row(o.file, o.status, o.reason, o.summary) for o in outcomes])
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    """The final per-report table, for stderr."""
    rows = [("file", "status", "engine", "items", "figures ok/flagged", "seconds", "reason")]
    for o in outcomes:
        s = o.summary
        if s is not None:
            counts = s.verification.get("counts", {})
            assert isinstance(counts, dict)
            good = int(counts.get("verified", 0)) + int(counts.get("derived", 0))
            bad = sum(int(v) for v in counts.values()) - good
            rows.append((o.file, o.status, s.run.engine, str(sum(len(v) for v in s.parts.values())),
                         f"{good}/{bad}", f"{s.run.seconds:.1f}", o.reason))  # fmt: skip
        else:
            rows.append((o.file, o.status, "", "", "", "", o.reason))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1])
    return "\n".join(line.rstrip() for line in lines)
