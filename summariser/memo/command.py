"""`summariser memo`: gather run JSON, build the memo and write it as Markdown or Word."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from summariser.errors import ConfigError, InputError
from summariser.memo.content import build_memo
from summariser.memo.markdown import body_of, render_markdown
from summariser.memo.word import docx_chars, write_docx
from summariser.output.files import write_atomic
from summariser.output.runs import LoadedReport, Unreadable, stream


def run_memo(
    run_dirs: list[Path],
    out: Path,
    llm: bool = False,
    *,
    synthesise: Callable[[str], str] | None = None,
    strict_synthesis: bool = False,
) -> int:
    """Write a briefing memo over the run JSON in RUN_DIRS to OUT (.md or .docx).

    Args:
        run_dirs: folders written by `summariser run` (or run JSON files).
        out: the memo's path; the suffix picks the format.
        llm: add a model-written synthesis paragraph (its figures are checked too).
        synthesise: the model call behind `llm`: prompt in, paragraph out.
        strict_synthesis: a failed synthesis raises and nothing is written (replaying or
            recording the memo's exchange).

    The summaries are read one at a time; the memo keeps only what it shows. It prints the
    path it wrote and its size. A failed synthesis does not stop the memo: it is written
    without it, saying why, with one line on stderr.

    Returns:
        0 when the memo was written. Unreadable JSON among readable ones is listed in the
        memo's flags and on stderr, not fatal.

    Raises:
        InputError: unknown suffix, no run JSON found, or none of it readable.
        ConfigError: `llm` asked for with no model to call.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".md", ".docx"):
        raise InputError(f"{out}: the memo must end in .md or .docx")
    if llm and synthesise is None:
        raise ConfigError(
            "memo --llm has no model to call yet",
            hint="run without --llm for the deterministic memo",
        )

    def reports() -> Iterator[LoadedReport | Unreadable]:
        for r in stream(run_dirs):
            if isinstance(r, Unreadable):
                print(f"summariser: warning: skipped {r.path}: {r.reason}", file=sys.stderr)
            yield r

    memo = build_memo(
        reports(), synthesise=synthesise if llm else None, strict_synthesis=strict_synthesis
    )
    if memo.synthesis_failure is not None:
        print(
            f"summariser: warning: memo written without the synthesis ({memo.synthesis_failure})",
            file=sys.stderr,
        )
    if suffix == ".md":
        text = render_markdown(memo)
        write_atomic(out, text)
        print(f"已写出综述：{out}（{len(text):,}字，其中正文{len(body_of(text)):,}字）")
    else:
        write_atomic(out, lambda p: write_docx(memo, p))
        print(f"已写出综述：{out}（{docx_chars(out):,}字）")
    return 0
