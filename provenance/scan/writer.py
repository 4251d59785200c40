"""The scan's writer: analysed articles, problems and finished files, written in transactions.

A transaction holds `config.WRITE_BATCH` articles with everything read since the last one; a file
counts as read only in the transaction after its last article, so an interrupted scan loses at
most one batch and resumes from the first unfinished file.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from provenance import config
from provenance.records import SKIPPED, Article, InputProblem, Outlet, ReadFile

if TYPE_CHECKING:
    from provenance.analyse import Analysed
    from provenance.inputs import FileDone
    from provenance.store import Store


class BatchWriter:
    """Collects analysed articles, problems and finished files; writes them in transactions."""

    def __init__(self, store: Store, run_id: int, counts: dict):
        self.store, self.run_id, self.counts = store, run_id, counts
        self.articles: list[Article] = []
        self.problems: list[InputProblem] = []
        self.files: list[ReadFile] = []
        self.outlets: dict[str, Outlet] = {}

    def article(self, analysed: Analysed) -> None:
        """Queue one article with its warnings and new outlet; write when a batch is full."""
        art = analysed.article
        self.articles.append(art)
        timings = self.counts["timings"]
        for stage, seconds in analysed.timings.items():
            timings[stage] += seconds
        if analysed.new_outlet is not None:
            self.outlets.setdefault(analysed.new_outlet.id, analysed.new_outlet)
        for outlet in analysed.discovered:  # cited, not in the registry: stored as discovered
            self.outlets.setdefault(outlet.id, outlet)
        self.problems += [InputProblem(art.path, art.record, kind, message, severity="warning")
                          for kind, message in analysed.warnings]
        if len(self.articles) >= config.WRITE_BATCH:
            self.flush()

    def problem(self, problem: InputProblem) -> None:
        """Queue an input problem."""
        self.problems.append(problem)

    def file_done(self, done: FileDone) -> None:
        """Queue a completely read file (a later scan skips it while unchanged)."""
        self.counts["files"] += 1
        self.files.append(ReadFile(done.key, done.file.path, done.file.size, done.n_records))
        if done.content_key:  # its bytes too: touched later, it is hashed, not read again
            self.files.append(ReadFile(done.content_key, done.file.path, done.file.size,
                                       done.n_records))

    def flush(self) -> None:
        """Write everything queued in one transaction and count it."""
        if not (self.articles or self.problems or self.files or self.outlets):
            return
        started = time.perf_counter()
        statuses = self.store.write_batch(self.run_id, self.articles, self.problems, self.files,
                                          list(self.outlets.values()))
        self.counts["timings"]["write"] += time.perf_counter() - started
        self._count(statuses)
        self.articles, self.problems, self.files, self.outlets = [], [], [], {}

    def _count(self, statuses: list[str]) -> None:
        """Add the written batch to the run's counts."""
        c = self.counts
        for art, status in zip(self.articles, statuses, strict=True):
            c["read"] += 1
            c[status] += 1
            fmt = c["by_format"].setdefault(art.format, {"read": 0, "new": 0})
            fmt["read"] += 1
            fmt["new"] += status in ("new", "updated")
            lang = art.language or "unknown"
            c["by_language"][lang] = c["by_language"].get(lang, 0) + 1
        for problem in self.problems:
            if problem.kind == SKIPPED:  # a file beside the articles that is not one
                c["skipped"] = c.get("skipped", 0) + 1
            else:
                c["failed" if problem.severity == "error" else "warnings"] += 1
