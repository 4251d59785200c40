"""The scan's progress on stderr: one line per phase, in records (not files), with rate and ETA.

The scan reports events `(event, done, total)` (`scan.Progress`); `ScanProgress` turns them into
a rich progress display (when stderr is a terminal) and into INFO log lines when a phase ends
(`-v`): how long it took and how much it did. Events:

* ``record``: records read so far (``total`` = files to read); ``file``: files done of total;
* ``boilerplate``, ``candidates``: copy-detection steps that report no count;
* ``match``: articles compared for copies of those to compare;
* ``stories``: stories clustered; ``provenance``: tracing provenance (done = 1 when finished).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

log = logging.getLogger("provenance.progress")

# What each phase is called on the progress line and in the log.
PHASES = {
    "record": "reading", "file": "reading", "boilerplate": "learning boilerplate",
    "candidates": "finding candidate pairs", "match": "comparing for copies",
    "stories": "clustering stories", "provenance": "tracing provenance",
}
# Seconds between two redraws of the same phase (records arrive thousands a second).
REDRAW_SECONDS = 0.1


class ScanProgress:
    """A scan's `progress` callback: a live display on `console` (optional) and phase logs."""

    def __init__(self, console: Console | None = None):
        self.bar: Progress | None = _progress(console) if console is not None else None
        self.phase: str | None = None
        self.task: TaskID | None = None
        self.started = time.perf_counter()
        self.drawn = 0.0
        self.records = self.files = self.files_total = 0
        self.last: tuple[int, int] = (0, 0)

    def __enter__(self) -> ScanProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.end_phase()
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, event: str, done: int, total: int) -> None:
        """One event from the scan."""
        phase = PHASES.get(event, event)
        if phase != self.phase:
            self.end_phase()
            self.begin_phase(phase)
        if event == "record":
            self.records, self.files_total = done, max(self.files_total, total)
        elif event == "file":
            self.files, self.files_total = done, total
        else:
            self.last = (done, total)
        now = time.perf_counter()
        if now - self.drawn >= REDRAW_SECONDS or (total and done >= total):
            self.drawn = now
            self.draw(event, done, total)

    def begin_phase(self, phase: str) -> None:
        """Start a phase: a new line (its own rate and ETA)."""
        self.phase, self.started, self.last = phase, time.perf_counter(), (0, 0)
        if self.bar is not None:
            self.task = self.bar.add_task(phase, total=None, detail="")

    def end_phase(self) -> None:
        """Log how long the current phase took and what it did; hide its line."""
        if self.phase is None:
            return
        seconds = time.perf_counter() - self.started
        log.info("%s: %s in %.1f s", self.phase, self.summary(), seconds)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, visible=False)
        self.phase = self.task = None

    def summary(self) -> str:
        """What the current phase did, in words."""
        done, total = self.last
        if self.phase == PHASES["record"]:
            return f"{self.records} records from {self.files} of {self.files_total} files"
        if self.phase == PHASES["match"]:
            return f"{done} of {total} articles compared"
        if self.phase == PHASES["stories"] and total:
            return f"{total} stories"
        return "done"

    def draw(self, event: str, done: int, total: int) -> None:
        """Redraw the current phase's line."""
        if self.bar is None or self.task is None:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        if event in ("record", "file"):
            rate = self.records / elapsed
            detail = (f"{self.records:,} records ({rate:,.0f}/s), "
                      f"{self.files}/{self.files_total} files")
            # one feed file: no bar to fill (records have no total), the count moves
            self.bar.update(self.task, completed=self.files,
                            total=self.files_total if self.files_total > 1 else None,
                            detail=detail)
        elif total:
            self.bar.update(self.task, completed=done, total=total,
                            detail=f"{done:,}/{total:,}")
        else:
            self.bar.update(self.task, detail="")


def _progress(console: Console) -> Progress:
    """The rich display: phase, bar, detail (counts and rate), elapsed, remaining."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                    TextColumn("eta"), TimeRemainingColumn(), console=console, transient=True)
