"""The command line: a thin shell over the stage modules; errors become one line and an exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from summariser.errors import SummariserError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Structured, figure-checked summaries of 法治政府建设年度报告.",
)


@app.command()
def verify(
    summary: Annotated[Path, typer.Argument(help="Summary: plain text, Markdown, or a run JSON.")],
    source: Annotated[Path, typer.Option("--source", help="The report the summary is checked against.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check every figure in SUMMARY against the report given by --source.

    Each figure gets a status: verified, qualifier_changed, unit_mismatch, context_mismatch,
    derived or not_found. For plain text and Markdown, start/end are character offsets into
    SUMMARY's text. For a run JSON, every string in it is checked, each number carries the
    JSON pointer of its string in "path", and start/end are offsets into that string.

    Exit 0 when every figure is verified or derived, 1 when any is not, 2 for bad input.
    """
    from summariser.verify import run_verify

    raise typer.Exit(run_verify(source=source, summary=summary, as_json=as_json))


def main() -> None:
    """Entry point: run the app; a SummariserError prints one line and exits with its code."""
    try:
        app()
    except SummariserError as err:
        print(f"summariser: error: {err.one_line()}", file=sys.stderr)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        print("summariser: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
