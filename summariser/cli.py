"""The command line: a thin shell over the stage modules; errors become one line and an exit code."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

try:  # typer >= 0.20 carries its own copy of click; its exceptions are the ones raised
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on plain click
    from click import exceptions as click_errors  # type: ignore[no-redef]

from summariser.errors import SummariserError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # plain click help: rich would read "[env: X]" in a help text as markup and drop it,
    # and keep the docstrings' line breaks
    rich_markup_mode=None,
    help="Structured, figure-checked summaries of 法治政府建设年度报告.",
)


@app.command()
def verify(
    summary: Annotated[Path, typer.Argument(help="Summary: plain text, Markdown, or a run JSON.")],
    source: Annotated[
        Path, typer.Option("--source", help="The report the summary is checked against.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check every figure in SUMMARY against the report given by --source.

    Each figure gets a status: verified, qualifier_changed, unit_mismatch, context_mismatch,
    derived or not_found. For plain text and Markdown, start/end are character offsets into
    SUMMARY's text. For a run JSON (written by `summariser run`), every string in it is
    checked except the machine's bookkeeping under /source, /run, /verification and
    /schema_version, and its own remarks in any "flags" list; each number carries the JSON
    pointer of its string in "path", and start/end are offsets into that string. Strings of
    an item are judged against the passage its source_span names.

    Exit 0 when every figure is verified or derived, 1 when any is not, 2 for bad input.
    """
    from summariser.verify import run_verify

    raise typer.Exit(run_verify(source=source, summary=summary, as_json=as_json))


models_app = typer.Typer(
    no_args_is_help=True, help="The embedded local model (Qwen2.5-Coder-1.5B-Instruct, GGUF)."
)
app.add_typer(models_app, name="models")


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Report files and folders.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    model: Annotated[str | None, typer.Option(help="Model name [env: SUMMARISER_MODEL].")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint [env: OPENAI_BASE_URL].")
    ] = None,
    engine: Annotated[str, typer.Option(help="llm, or rules (no model at all).")] = "llm",
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Reports summarised at once.")] = 1,
    force: Annotated[bool, typer.Option(help="Redo reports whose output is up to date.")] = False,
    fallback: Annotated[
        bool,
        typer.Option(
            help="Use the rules engine for a report the model cannot serve (unreachable)."
        ),
    ] = True,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds to wait for one model answer before retrying.")
    ] = 120.0,
    retries: Annotated[
        int, typer.Option(min=1, max=10, help="Attempts per request on 429/5xx/timeouts.")
    ] = 4,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress; only the final table.")
    ] = False,
) -> None:
    """Summarise reports into DIR/<stem>.json, .md and .html (review page), DIR/index.csv and .html.

    With no endpoint configured, the embedded local model is started on a loopback port and
    stopped at the end. A report whose output exists for the same input, prompt and model is
    skipped (--force redoes it). Progress goes to stderr: a bar when it is a terminal, one
    line per report when not. Exit 0 when every report succeeded, 1 when any failed.
    """
    from summariser.batch.progress import for_stderr
    from summariser.batch.runner import Job, run_batch
    from summariser.batch.table import table, written_line
    from summariser.config import resolve_endpoint
    from summariser.errors import InputError
    from summariser.model.prompts import load
    from summariser.pipeline.drafting import ModelDrafter, RulesDrafter

    if engine not in ("llm", "rules"):
        raise InputError(f"unknown engine {engine!r}: use llm or rules")
    with contextlib.ExitStack() as stack:
        if engine == "rules":
            job = Job(drafter=RulesDrafter())
        else:
            from summariser.model.door import ModelDoor

            endpoint = resolve_endpoint(model, base_url)
            url = endpoint.base_url
            if endpoint.is_local:
                from summariser.model.local import serve

                if not quiet:
                    print("starting the local model server...", file=sys.stderr, flush=True)
                url = stack.enter_context(serve()).base_url
            door = ModelDoor(
                url, endpoint.model, endpoint.api_key,
                timeout=timeout, transport_attempts=retries, mode=endpoint.mode,
            )  # fmt: skip
            template = load("items")
            job = Job(ModelDrafter(door, template), endpoint.model, template, fallback)
        outcomes = run_batch(
            list(paths), out, job, jobs=jobs, force=force, progress=for_stderr(quiet),
            keep_summaries=False,
        )  # fmt: skip
    print(table(outcomes), file=sys.stderr)
    print(written_line(out, outcomes), file=sys.stderr)
    failed = sum(o.status == "failed" for o in outcomes)
    raise typer.Exit(1 if failed else 0)


batch_app = typer.Typer(
    no_args_is_help=True,
    help="Batch files for a provider's Batch API or `vllm run-batch`: prepare, collect, submit.",
)
app.add_typer(batch_app, name="batch")


@batch_app.command("prepare")
def batch_prepare(
    paths: Annotated[list[Path], typer.Argument(help="Report files and folders.")],
    folder: Annotated[Path, typer.Option("--dir", help="The batch folder (state, rounds, out/).")],
    model: Annotated[str | None, typer.Option(help="Model name [env: SUMMARISER_MODEL].")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the final table.")] = False,
) -> None:
    """Read the reports and write DIR/round-1.jsonl: one line per model request (OpenAI batch format).

    Run the file with a provider's Batch API or `vllm run-batch`, then `batch collect DIR
    --results FILE`; or let `batch submit DIR` do the rounds. Bad inputs and refused documents
    are reported as `run` reports them.
    """
    from summariser.batch.collect import prepare
    from summariser.batch.progress import for_stderr
    from summariser.batch.table import table
    from summariser.config import resolve_endpoint

    endpoint = resolve_endpoint(model)
    outcomes = prepare(list(paths), folder, endpoint.model, endpoint.mode, _say, for_stderr(quiet))
    if outcomes is not None:
        print(table(outcomes), file=sys.stderr)
        raise typer.Exit(1 if any(o.status == "failed" for o in outcomes) else 0)


@batch_app.command("collect")
def batch_collect(
    folder: Annotated[Path, typer.Argument(help="The batch folder made by `batch prepare`.")],
    results: Annotated[Path, typer.Option("--results", help="The round's batch output file.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the final table.")] = False,
) -> None:
    """Check a round's answers as `run` does; write the next round, or the outputs in DIR/out/.

    Prints the round's requests and tokens (and the cost when SUMMARISER_PRICE_IN and
    SUMMARISER_PRICE_OUT give the price of a million tokens). Failed or missing results are
    asked again in the next round. Exit 1 when the batch finished with a failed report.
    """
    from summariser.batch.collect import collect
    from summariser.batch.progress import for_stderr
    from summariser.batch.table import table
    from summariser.config import token_prices

    _, outcomes = collect(folder, results, _say, token_prices(), for_stderr(quiet))
    if outcomes is not None:
        print(table(outcomes), file=sys.stderr)
        raise typer.Exit(1 if any(o.status == "failed" for o in outcomes) else 0)


@batch_app.command("submit")
def batch_submit(
    folder: Annotated[Path, typer.Argument(help="The batch folder made by `batch prepare`.")],
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint [env: OPENAI_BASE_URL].")
    ] = None,
    poll: Annotated[float, typer.Option(min=0, help="Seconds between status checks.")] = 60.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the final table.")] = False,
) -> None:
    """Run the rounds at the endpoint's files and batches API: upload, poll, download, collect.

    The batch in flight is kept in DIR, so an interrupted submit goes on where it stopped.
    """
    from summariser.batch.progress import for_stderr
    from summariser.batch.submit import submit
    from summariser.batch.table import table
    from summariser.config import resolve_endpoint, token_prices

    endpoint = resolve_endpoint(None, base_url)
    if endpoint.is_local:
        from summariser.errors import ConfigError

        raise ConfigError(
            "no batch endpoint configured", hint="set OPENAI_BASE_URL or pass --base-url"
        )
    outcomes = submit(
        folder, endpoint.base_url, endpoint.api_key, _say,
        poll=poll, prices=token_prices(), progress=for_stderr(quiet),
    )  # fmt: skip
    if outcomes is not None:
        print(table(outcomes), file=sys.stderr)
        raise typer.Exit(1 if any(o.status == "failed" for o in outcomes) else 0)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@app.command()
def inspect(
    report: Annotated[Path, typer.Argument(help="A report file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show what is found without any model: metadata, completeness, headings and parts."""
    import json

    from summariser.reading.documents import read_document
    from summariser.structure.sections import analyse

    doc = read_document(report)
    structure = analyse(doc.text)
    if as_json:
        print(json.dumps(structure.to_json(), ensure_ascii=False, indent=2))
        return
    meta, comp = structure.metadata, structure.completeness
    for key in ("title", "issuer", "issuer_status", "level", "issuer_kind", "year", "published"):
        print(f"{key:12} {getattr(meta, key)}")
    print(f"{'missing':12} {', '.join(comp.missing) or '-'}")
    print(f"{'truncated':12} {comp.truncated}")
    for key, part in structure.parts.items():
        print(f"[{key}] {part.heading or ''} ({len(part.segments)} items)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the summary that `run` writes."""
    import json

    from summariser.schema import ReportSummary

    print(json.dumps(ReportSummary.model_json_schema(), ensure_ascii=False, indent=2))


@models_app.command("install")
def models_install(
    skip_server: Annotated[bool, typer.Option(help="Only fetch the weights.")] = False,
) -> None:
    """Build llama-cpp-python's server for this CPU and fetch and hash-check the weights.

    The build uses the instruction sets /proc/cpuinfo lists (AVX2 and AVX-512 only where the
    CPU has them), never the AMX kernels (they crash), and never -march=native.
    """
    from summariser.model.local import install

    install(log=lambda m: print(m, file=sys.stderr, flush=True), skip_server=skip_server)


@models_app.command("status")
def models_status() -> None:
    """Say whether the local server and weights are installed, and where."""
    from summariser.model.local import model_installed, model_path, server_installed

    print(f"server   {'installed' if server_installed() else 'missing'}")
    print(f"weights  {'installed' if model_installed() else 'missing'}  {model_path()}")
    raise typer.Exit(0 if server_installed() and model_installed() else 1)


@app.command()
def memo(
    run_dirs: Annotated[
        list[Path], typer.Argument(help="Folders (or JSON files) written by `run`.")
    ],
    out: Annotated[Path, typer.Option("--out", help="memo.md or memo.docx.")],
    llm: Annotated[
        bool, typer.Option("--llm", help="Add a synthesis paragraph written by the model.")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model name [env: SUMMARISER_MODEL].")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint [env: OPENAI_BASE_URL].")
    ] = None,
) -> None:
    """Write a briefing memo (简报/综述) across many reports' summaries, as Markdown or Word.

    Only verified figures appear in the body; the flags section lists the rest, with missing
    statutory parts, cut-off reports and source inconsistencies.
    """
    from summariser.memo.command import run_memo

    if not llm:
        raise typer.Exit(run_memo(list(run_dirs), out))
    from summariser.config import resolve_endpoint
    from summariser.memo.synthesis import MEMO_N_CTX, synthesiser
    from summariser.model.door import ModelDoor

    with contextlib.ExitStack() as stack:
        endpoint = resolve_endpoint(model, base_url)
        url = endpoint.base_url
        if endpoint.is_local:
            from summariser.model.local import serve

            url = stack.enter_context(serve(n_ctx=MEMO_N_CTX)).base_url
        door = ModelDoor(url, endpoint.model, endpoint.api_key, mode=endpoint.mode)
        synthesise = synthesiser(door)
        raise typer.Exit(run_memo(list(run_dirs), out, llm=True, synthesise=synthesise))


@app.command()
def export(
    run_dirs: Annotated[
        list[Path], typer.Argument(help="Folders (or JSON files) written by `run`.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The workbook: summaries.xlsx.")],
) -> None:
    """Write the summaries as an Excel workbook: sheets of reports, items and figures.

    报告 has one row per report (issuer, level, year, parts present and missing, truncation,
    总体情况, figure counts); 条目 one row per item (part, title, summary, quote, spans); 关键数字
    one row per key figure; 数字 one row per figure the summaries' own words say (模型所写), with
    its check, then each figure of the source once (摘自原文, with where it appears). The
    summaries are read one at a time, so memory stays flat however many there are. Prints the
    workbook's path and the rows of each sheet. Exit 2 when no summary is found.
    """
    from summariser.output.workbook import run_export

    raise typer.Exit(run_export(list(run_dirs), out))


@app.command("eval")
def evaluate(
    split: Annotated[
        str, typer.Option(help="Which golden split: tune (the samples), heldout, or all.")
    ] = "all",
    cases: Annotated[
        Path | None, typer.Option(help="A folder of golden summaries instead of --split.")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Where each split's report.json and report.md go.")
    ] = Path("out/eval"),
    live: Annotated[
        bool, typer.Option("--live", help="Call the configured model instead of the cassettes.")
    ] = False,
    engine: Annotated[
        list[str] | None, typer.Option(help="Engines to score (repeatable): llm, rules.")
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Make this run eval/baseline.json.")
    ] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="Show two earlier runs (folders or report.json) side by side."),
    ] = None,
) -> None:
    """Score the pipeline against the golden summaries, the rules engine beside the model.

    Each split (tune: eval/golden, heldout: eval/heldout) is scored and reported on its own, in
    OUT/<split>/. By default the model's answers are replayed from cassettes (offline,
    deterministic). Exit 1 when a case fails, a metric is below its floor, or (where the split
    gates it) falls more than its margin below eval/baseline.json or the model does not beat
    the rules engine.
    """
    from summariser.evaluation.command import run_compare, run_eval, run_splits
    from summariser.evaluation.data import load_split, splits_named

    if compare:
        raise typer.Exit(run_compare(*compare))
    engines = engine or ["llm", "rules"]
    if cases is not None and not (cases / "split.toml").is_file():
        code = run_eval(cases, out, live=live, engines=engines, update_baseline=update_baseline)
        raise typer.Exit(code)
    chosen = [load_split(cases)] if cases is not None else splits_named(split)
    code = run_splits(chosen, out, live=live, engines=engines, update_baseline=update_baseline)
    raise typer.Exit(code)


@app.command()
def record(
    reports: Annotated[
        list[Path] | None,
        typer.Argument(help="Report files to record (default: every split's reports)."),
    ] = None,
    cassettes: Annotated[
        Path | None, typer.Option(help="Cassette folder for REPORTS (default: cassettes).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Record from this endpoint instead of the local model.")
    ] = None,
) -> None:
    """Re-record the cassettes (recorded model exchanges) that tests and eval replay.

    Runs the pipeline live on each report and rewrites CASSETTES/<stem>.yaml. With no REPORTS,
    re-records every evaluation split: each split's reports into its own cassette folder
    (examples/reports/ into cassettes/, eval/heldout/reports/ into cassettes/heldout/), then
    the memo's synthesis over the tune split's replayed summaries into cassettes/memo.yaml.
    Review the diff.
    """
    import time

    from summariser.evaluation.data import splits_named
    from summariser.memo.synthesis import MEMO_N_CTX, record_memo
    from summariser.model.local import serve
    from summariser.pipeline.replay import summarise_cases

    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    splits = [] if reports else splits_named("all")
    if reports:
        jobs = [(list(reports), cassettes or Path("cassettes"))]
    else:
        jobs = [(sorted(s.reports_dir.glob("*.txt")), s.cassette_dir) for s in splits]
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        if base_url is None:  # one local server for every split and the memo
            base_url = stack.enter_context(serve(n_ctx=MEMO_N_CTX)).base_url
        for files, folder in jobs:
            results.update(summarise_cases(files, folder, record=True, base_url=base_url, log=log))
        tune = next((s for s in splits if s.name == "tune"), None)
        if tune is not None:  # the memo over the tune split's fresh summaries
            started = time.monotonic()
            try:
                record_memo(
                    sorted(tune.reports_dir.glob("*.txt")), tune.cassette_dir, base_url=base_url
                )
                results["memo"] = f"{time.monotonic() - started:.1f} s"
            except SummariserError as err:
                results["memo"] = err
    failed = [stem for stem, r in results.items() if isinstance(r, SummariserError)]
    for stem, result in results.items():
        if isinstance(result, SummariserError):
            status = result.one_line()
        elif isinstance(result, str):
            status = result
        else:
            status = f"{result.run.seconds:.1f} s"
        print(f"{stem}: {status}", file=sys.stderr)
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    """Entry point: every failure is one line on stderr and an exit code, never a traceback.

    Usage errors exit 2, a SummariserError with its own code, Ctrl-C with 130.
    """
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError:
        sys.exit(2)  # the help is already printed; nothing else to say
    except click_errors.UsageError as err:
        hint = f" (see `{err.ctx.command_path} --help`)" if err.ctx else ""
        print(f"summariser: error: {err.format_message()}{hint}", file=sys.stderr)
        sys.exit(2)
    except SummariserError as err:
        print(f"summariser: error: {err.one_line()}", file=sys.stderr)
        sys.exit(err.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        print("summariser: interrupted", file=sys.stderr)
        sys.exit(130)
    except click_errors.ClickException as err:
        print(f"summariser: error: {err.format_message()}", file=sys.stderr)
        sys.exit(err.exit_code)
    if code == 130:  # typer turns Ctrl-C into Exit(130) before it reaches us
        print("summariser: interrupted", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
