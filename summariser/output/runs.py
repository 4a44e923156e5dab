"""Reading a run folder back: every summary JSON that parses, in the order readers list them.

The memo and the workbook read many reports at once; both take them from here, so a file that
is not a summary is named with its reason once, and the reports come in one order everywhere
(provinces before cities before counties, then issuer, year and file name). `gather` holds
them all, sorted; `stream` gives them one at a time in file order, so a reader of thousands
keeps only what it needs of each (`report_order` sorts what it kept).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summariser.errors import InputError
from summariser.schema import ReportSummary

LEVEL_ORDER = {"省级": 0, "市级": 1, "县级": 2}


@dataclass(frozen=True)
class LoadedReport:
    """A run JSON that parsed, with the label the memo cites it by."""

    path: Path
    summary: ReportSummary
    label: str = ""


@dataclass
class Gathered:
    reports: list[LoadedReport] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def json_files(run_dirs: Sequence[Path]) -> list[Path]:
    if not run_dirs:
        raise InputError("no run folder given")
    files: list[Path] = []
    for d in run_dirs:
        d = Path(d)
        if d.is_dir():
            found = sorted(d.glob("*.json"))
            if not found:
                raise InputError(f"{d}: no run JSON found (run `summariser run` on it first)")
            files.extend(found)
        elif d.is_file():
            files.append(d)
        else:
            raise InputError(f"{d}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def load_summary(path: Path) -> ReportSummary:
    """Parse one run JSON; raises ValueError with a short reason when it is not one."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ValueError(f"cannot read ({err.strerror})") from err
    try:
        return ReportSummary.model_validate_json(data)
    except ValidationError as err:
        first = err.errors()[0]
        if first["type"] == "json_invalid":
            raise ValueError(f"not valid JSON ({first['msg']})") from err
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        raise ValueError(
            f"not a report summary ({err.error_count()} schema errors, first at {where})"
        ) from err


@dataclass(frozen=True)
class Unreadable:
    """A file among the run JSON that is not a report summary, with the reason in words."""

    path: Path
    reason: str


def stream(run_dirs: Sequence[Path]) -> Iterator[LoadedReport | Unreadable]:
    """Every run JSON in the given folders (or files), parsed one at a time, in file order.

    Only one summary is held at a time: the caller keeps what it needs of each. The files are
    listed (and missing paths refused) before the first is read.

    Raises:
        InputError: a path is missing, a folder holds no JSON, or, once every file was read,
            none was a report summary.
    """
    return read_files(json_files(run_dirs))


def read_files(files: Sequence[Path]) -> Iterator[LoadedReport | Unreadable]:
    """``files`` parsed one at a time, in the order given (see `stream`).

    Raises:
        InputError: once every file was read, when none was a report summary.
    """
    first_bad: Unreadable | None = None
    bad = good = 0
    for f in files:
        try:
            summary = load_summary(f)
        except ValueError as err:
            first_bad = first_bad or Unreadable(f, str(err))
            bad += 1
            yield Unreadable(f, str(err))
            continue
        good += 1
        yield LoadedReport(f, summary)
    if not good and first_bad is not None:
        more = f" (and {bad - 1} more)" if bad > 1 else ""
        raise InputError(f"{first_bad.path}: {first_bad.reason}{more}")


def gather(run_dirs: Sequence[Path]) -> Gathered:
    """Read every run JSON in the given folders (or files), in a deterministic order.

    Raises:
        InputError: a path is missing, a folder holds no JSON, or no file is a report summary.
    """
    files = json_files(run_dirs)
    got = Gathered()
    for f in files:
        try:
            got.reports.append(LoadedReport(f, load_summary(f)))
        except ValueError as err:
            got.unreadable.append((f, str(err)))
    if not got.reports:
        path, reason = got.unreadable[0]
        more = f" (and {len(got.unreadable) - 1} more)" if len(got.unreadable) > 1 else ""
        raise InputError(f"{path}: {reason}{more}")
    got.reports.sort(key=lambda r: report_order(r.summary, r.path))
    return got


def report_order(summary: ReportSummary, path: Path) -> tuple[int, str, int, str]:
    """The key readers list reports by: level (province first), issuer, year, file name."""
    m = summary.metadata
    return (LEVEL_ORDER.get(m.level or "", 9), m.issuer or "", m.year or 0, path.stem)
