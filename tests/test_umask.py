"""Every output is written with the mode the user's umask gives a new file, never 0600 by force."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from summariser.batch.runner import Job, run_batch
from summariser.memo.command import run_memo
from summariser.output.files import write_atomic
from summariser.output.workbook import run_export
from summariser.pipeline.drafting import RulesDrafter

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "reports" / "hubin-2023.txt"
MEMO_FIXTURE = ROOT / "tests" / "data" / "memo" / "hubin-2023.json"
UMASKS = [0o022, 0o077, 0o002, 0o027]


@pytest.fixture(params=UMASKS, ids=[f"umask-{m:03o}" for m in UMASKS])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    mask: int = request.param
    old = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_run_outputs_follow_the_umask(umask: int, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcomes = run_batch([SAMPLE], out, Job(RulesDrafter()), log=lambda _: None)
    assert [o.status for o in outcomes] == ["ok"]
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "hubin-2023.html",
        "hubin-2023.json",
        "hubin-2023.md",
        "index.csv",
        "index.html",
    ]
    for name in written:
        assert mode(out / name) == 0o666 & ~umask, name


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_memo_follows_the_umask(umask: int, suffix: str, tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(MEMO_FIXTURE, run / MEMO_FIXTURE.name)
    out = tmp_path / f"memo{suffix}"
    assert run_memo([run], out) == 0
    assert mode(out) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_workbook_follows_the_umask(umask: int, tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(MEMO_FIXTURE, run / MEMO_FIXTURE.name)
    out = tmp_path / "summaries.xlsx"
    assert run_export([run], out) == 0
    assert mode(out) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "summaries.xlsx"]


def test_a_callable_writer_that_fails_leaves_nothing(umask: int, tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")

    def half(path: Path) -> None:
        path.write_bytes(b"ha")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, half)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_the_umask_is_never_changed_while_writing(tmp_path: Path) -> None:
    """Parallel reports write from threads: reading the umask by setting it would race."""
    old = os.umask(0o027)
    try:
        threads = [
            threading.Thread(target=write_atomic, args=(tmp_path / f"{n}.json", "{}"))
            for n in range(16)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert os.umask(0o027) == 0o027
        assert {mode(p) for p in tmp_path.iterdir()} == {0o640}
    finally:
        os.umask(old)
