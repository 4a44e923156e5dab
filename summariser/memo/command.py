"""`summariser memo`: gather run JSON, build the memo and write it as Markdown or Word."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from summariser.errors import ConfigError, InputError
from summariser.memo.content import build_memo
from summariser.memo.markdown import render_markdown
from summariser.memo.word import write_docx
from summariser.output.files import write_atomic
from summariser.output.runs import gather


def run_memo(
    run_dirs: list[Path],
    out: Path,
    llm: bool = False,
    *,
    synthesise: Callable[[str], str] | None = None,
) -> int:
    """Write a briefing memo over the run JSON in RUN_DIRS to OUT (.md or .docx).

    Args:
        run_dirs: folders written by `summariser run` (or run JSON files).
        out: the memo's path; the suffix picks the format.
        llm: add a model-written synthesis paragraph (its figures are checked too).
        synthesise: the model call behind `llm`: prompt in, paragraph out.

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
    got = gather(run_dirs)
    for path, reason in got.unreadable:
        print(f"summariser: warning: skipped {path}: {reason}", file=sys.stderr)
    memo = build_memo(got.reports, got.unreadable, synthesise=synthesise if llm else None)
    if suffix == ".md":
        text = render_markdown(memo)
        write_atomic(out, text)
    else:
        write_atomic(out, lambda p: write_docx(memo, p))
    return 0
