"""Showing a batch's progress on stderr: a live bar on a terminal, one line per report elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress(Protocol):
    """What a batch tells its watcher. Calls come from the batch's worker threads too."""

    def start(self, total: int) -> None:
        """``total`` reports are to be summarised."""

    def began(self, file: str) -> None:
        """A report was started."""

    def step(self, message: str) -> None:
        """A report moved on (a part drafted, a fallback taken)."""

    def finished(self, line: str) -> None:
        """A report is done; ``line`` says how, in one line ("[3/200] a.txt：完成")."""

    def warn(self, message: str) -> None:
        """Something the user must see even when progress is silenced (an interruption)."""

    def close(self) -> None:
        """The batch is over, done or interrupted."""


def _stderr(message: str) -> None:
    # one write per line: print() writes the newline separately, and lines from parallel
    # reports would run into each other
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


class LineProgress:
    """One line per finished report: for logs, pipes and CI, where a redrawn bar is noise."""

    def __init__(self, write: Callable[[str], None] = _stderr) -> None:
        self.write = write

    def start(self, total: int) -> None:
        pass

    def began(self, file: str) -> None:
        pass

    def step(self, message: str) -> None:
        pass

    def finished(self, line: str) -> None:
        self.write(line)

    def warn(self, message: str) -> None:
        self.write(message)

    def close(self) -> None:
        pass


class QuietProgress(LineProgress):
    """Nothing but warnings (`run --quiet`)."""

    def finished(self, line: str) -> None:
        pass


class BarProgress(LineProgress):
    """A live bar on a terminal: reports done of the total, time taken and left, current file.

    Finished reports are printed above the bar as they come, so a failure is seen at once; the
    bar itself is cleared at the end, leaving the final table to follow.
    """

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.bar = Progress(
            TextColumn("摘要"),
            BarColumn(),
            MofNCompleteColumn(),  # the [M/N] of the finished lines printed above it
            TextColumn("已用"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", markup=False),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("reports", total=None, current="")
        self.started = False

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        self.bar.start()
        self.started = True

    def began(self, file: str) -> None:
        self.bar.update(self.task, current=file)

    def step(self, message: str) -> None:
        self.bar.update(self.task, current=message)

    def finished(self, line: str) -> None:
        self._print(line)
        self.bar.advance(self.task)

    def warn(self, message: str) -> None:
        self._print(message)

    def _print(self, text: str) -> None:
        # file names are data: no markup, emoji codes or highlighting read into them
        self.bar.console.print(text, markup=False, emoji=False, highlight=False)

    def close(self) -> None:
        if self.started:
            self.bar.stop()
            self.started = False


def for_stderr(quiet: bool = False, console: Console | None = None) -> BatchProgress:
    """The watcher `summariser run` uses: a bar when stderr is a terminal, else plain lines.

    ``console`` stands for stderr in tests (``Console(force_terminal=True)``).
    """
    if quiet:
        return QuietProgress()
    target = console or Console(stderr=True)
    if target.is_terminal and not target.is_dumb_terminal:
        return BarProgress(target)
    if console is None:
        return LineProgress()
    file = console.file

    def write(line: str) -> None:
        file.write(line + "\n")
        file.flush()

    return LineProgress(write)
