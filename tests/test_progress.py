"""Progress on stderr: a live bar on a terminal, one line per report elsewhere, nothing with -q."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from summariser.batch.progress import BarProgress, LineProgress, QuietProgress, for_stderr
from summariser.batch.runner import Job, run_batch
from summariser.pipeline.drafting import RulesDrafter

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "reports").glob("*.txt"))[:3]
SCRIPT = Path(sys.executable).parent / "summariser"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "summariser.cli"]
LINE = re.compile(r"\[(\d)/3\] (\S+\.txt)：完成( — .*)?")


def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, folder / sample.name)
    (folder / ".DS_Store").write_bytes(b"\0")  # passed over: not counted in the total
    return folder


def test_plain_mode_is_one_line_per_report(tmp_path: Path) -> None:
    lines: list[str] = []
    run_batch([reports(tmp_path)], tmp_path / "out", Job(RulesDrafter()), log=lines.append)
    matches = [LINE.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert [m.group(1) for m in matches if m] == ["1", "2", "3"]
    assert sorted(m.group(2) for m in matches if m) == [p.name for p in SAMPLES]


def test_terminal_gets_a_bar_with_counts_eta_and_current_file(tmp_path: Path) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=150, color_system=None)
    watch = for_stderr(console=console)
    assert isinstance(watch, BarProgress)
    run_batch([reports(tmp_path)], tmp_path / "out", Job(RulesDrafter()), progress=watch)
    shown = screen.getvalue()
    assert "\x1b[?25l" in shown  # a live display: the cursor is hidden while the bar is drawn
    assert "3/3" in shown and "已用" in shown and "剩余" in shown
    assert any(f"{p.stem}: " in shown for p in SAMPLES)  # the part a report is at
    for sample in SAMPLES:
        assert re.search(rf"\[\d/3\] {re.escape(sample.name)}：完成", shown), shown


def test_a_console_that_is_not_a_terminal_gets_lines() -> None:
    screen = io.StringIO()
    watch = for_stderr(console=Console(file=screen, force_terminal=False))
    assert type(watch) is LineProgress
    watch.start(2)
    watch.began("a.txt")
    watch.step("a: achievements (3 items)")
    watch.finished("[1/2] a.txt：完成")
    watch.close()
    assert screen.getvalue() == "[1/2] a.txt：完成\n"


def test_quiet_says_only_warnings(tmp_path: Path) -> None:
    lines: list[str] = []
    watch = for_stderr(quiet=True)
    assert isinstance(watch, QuietProgress)
    watch.write = lines.append
    run_batch([reports(tmp_path)], tmp_path / "out", Job(RulesDrafter()), progress=watch)
    assert lines == []
    watch.warn("interrupted: 1 report(s) not done")
    assert lines == ["interrupted: 1 report(s) not done"]


def run_cli(folder: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, "run", str(folder), "--out", str(out), "--engine", "rules", *flags],
        capture_output=True, text=True, encoding="utf-8", timeout=240, cwd=ROOT,
    )  # fmt: skip


def test_cli_piped_stderr_gets_lines_and_the_table_and_quiet_only_the_table(
    tmp_path: Path,
) -> None:
    folder = reports(tmp_path)
    loud = run_cli(folder, tmp_path / "a")
    quiet = run_cli(folder, tmp_path / "b", "--quiet")
    assert loud.returncode == quiet.returncode == 0, loud.stderr + quiet.stderr
    loud_lines = loud.stderr.splitlines()
    assert sum(bool(LINE.fullmatch(line)) for line in loud_lines) == 3
    assert "\x1b" not in loud.stderr  # no escape codes in a log
    table = quiet.stderr.splitlines()
    assert table[0].split()[:2] == ["文件", "状态"]
    rows = [line for line in table if line.split() and line.split()[0].endswith(".txt")]
    assert [r.split()[:2] for r in rows] == [[p.name, "完成"] for p in SAMPLES]
    assert "共 4 个文件：完成 3，跳过 1。" in table  # .DS_Store passed over, not counted by the bar
    # The same table both times, but for the seconds column (each run times itself).
    # and both end by saying what they wrote, and where
    assert (
        loud_lines[-1] == f"  位置：{tmp_path / 'a'}" and table[-1] == f"  位置：{tmp_path / 'b'}"
    )
    assert [untimed(line) for line in loud_lines[-len(table) : -1]] == [
        untimed(x) for x in table[:-1]
    ]


def untimed(row: str) -> str:
    return re.sub(r"\s\d+\.\d(\s|$)", " <s> ", row)


def test_cli_on_a_terminal_draws_the_bar(tmp_path: Path) -> None:
    folder = reports(tmp_path)
    leader, follower = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="150")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [*COMMAND, "run", str(folder), "--out", str(tmp_path / "out"), "--engine", "rules"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT, env=env,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    text = seen.decode("utf-8", "replace")
    assert "\x1b[?25l" in text and "摘要" in text and "/3" in text
    assert "文件" in text and "状态" in text  # the final table follows the bar
