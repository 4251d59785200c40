"""The worker processes of a scan: per-article analysis (and the copy phase's tasks) in a pool.

The pool starts only when a stage has enough work for it, keeps results in input order, and keeps
a bounded number of batches in flight, so reading never runs far ahead of writing. Workers are
forked from the scan's process and inherit its registry and fingerprint parameters, with the
matchers that one warm-up analysis built there (`warm`).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from provenance import config
from provenance.analyse import Analysed, analyse, analyse_many
from provenance.citations import Registry, prepare_cues
from provenance.citations.registry_files import RegistryFile
from provenance.config import FingerprintParams, ScanConfig
from provenance.extract import ExtractionError
from provenance.inputs import FileDone, RawRecord
from provenance.records import InputProblem

log = logging.getLogger(__name__)

# What every process of a scan analyses with: {"registry": Registry, "params": FingerprintParams}.
_STATE: dict = {}


def prime(registry: Registry, params: FingerprintParams) -> None:
    """Set the registry and parameters of this process (forked workers inherit them)."""
    _STATE["registry"], _STATE["params"] = registry, params


# A short article of this module's own (credits, a quotation, a dateline, a source box), analysed
# once before the workers fork: the first article a process analyses builds the citation
# stage's name and cue matchers (a quarter of a second), and the workers inherit them built.
_WARM_TEXT = (
    "Warm start\n\nBERLIN (dpa) - The ministry said on Monday, according to Reuters, that the "
    "plan first reported by the BBC would go ahead. \"We expect it soon,\" a spokesman told "
    "the newspaper. Die Regierung hat laut einem Bericht der Zeitung neue Zahlen vorgelegt, "
    "wie das Ministerium am Montag mitteilte.\n\nSource: AFP, Reuters\n")


def warm() -> None:
    """Analyse `_WARM_TEXT` in this process (before the workers fork), so that the lazily built
    parts of the per-article stages are built once, here, not once in every worker."""
    if "registry" not in _STATE:
        return
    record = RawRecord("<warm-up>", "<warm-up>", None, "text", "text", _WARM_TEXT)
    try:
        analyse(record, _STATE["registry"], _STATE["params"])
        prepare_cues()  # the grammars of the languages the warm-up text is not in
    except Exception:  # noqa: BLE001 - a warm-up only: the workers build what it did not
        log.debug("warm-up analysis failed", exc_info=True)
    # trafilatura, which `analyse` loads on a page's first use: once here, not in each worker
    import provenance.extract.html  # noqa: F401, PLC0415


def _init_worker(outlets_files: list[str | RegistryFile], params: FingerprintParams) -> None:
    """Pool initializer: load the registry unless it was inherited through fork.

    Signals are the parent's business: Ctrl-C reaches the whole process group and the parent
    stops the pool, which ends the workers with SIGTERM (its default action, not the parent's
    handler that a forked worker would inherit).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if "registry" not in _STATE:
        _STATE["registry"] = Registry.load(extra=outlets_files)
    _STATE.setdefault("params", params)


Item = tuple[RawRecord, dict | None] | InputProblem | FileDone


def analyse_item(item: Item) -> Analysed | InputProblem | FileDone:
    """A record (with its manifest entry) analysed; problems and file ends pass through.

    A record that fails becomes an InputProblem: one bad page must not stop a scan of thousands.
    """
    if not isinstance(item, tuple):
        return item
    record, entry = item
    try:
        return analyse(record, _STATE["registry"], _STATE["params"], entry)
    except ExtractionError as exc:
        return InputProblem(record.path, record.record, exc.kind, str(exc))
    except Exception as exc:  # noqa: BLE001 - reported per record, the scan goes on
        log.exception("extraction crashed on %s %s", record.path, record.record or "")
        return InputProblem(record.path, record.record, "extraction_failed",
                            f"extraction failed: {type(exc).__name__}: {exc}")


def analyse_items(items: list[Item]) -> list[Analysed | InputProblem | FileDone]:
    """``analyse_item`` of each item, with the sketches of the batch's records made at once
    (``analyse.analyse_many``); a record that fails there is analysed again alone, so that it
    becomes the InputProblem ``analyse_item`` makes of it."""
    records = [item for item in items if isinstance(item, tuple)]
    if len(records) < 2:
        return [analyse_item(item) for item in items]
    made = iter(analyse_many(records, _STATE["registry"], _STATE["params"]))
    done: list[Analysed | InputProblem | FileDone] = []
    for item in items:
        result = next(made) if isinstance(item, tuple) else item
        done.append(analyse_item(item) if isinstance(result, Exception) else result)
    return done


class Workers:
    """The worker processes of one scan, started when a stage first has enough work for them.

    `map` keeps results in input order and at most `window` batches per worker in flight, so
    input is never read far ahead of what has been written: memory stays bounded however long
    the input.
    """

    def __init__(self, cfg: ScanConfig):
        self.size = cfg.workers or os.cpu_count() or 1
        primed = _STATE.get("registry")  # with the files the database keeps (scan.registry)
        files = list(primed.extra_files) if primed else [str(p) for p in cfg.outlets_files]
        self.initargs = (files, cfg.fingerprint)
        self.pool = None
        self.started = 0  # how many processes ran (0: everything ran in this process)

    def map(self, fn: Callable, items: Iterable, min_items: int, batch: int = 1,
            window: int = config.POOL_WINDOW) -> Iterator:
        """`fn` over `items` in order; in the workers when there are at least `min_items`."""
        items = iter(items)
        head = list(itertools.islice(items, min_items))
        rest = itertools.chain(head, items)
        if self.size <= 1 or len(head) < min_items:
            # in this process: records in batches (their sketches made at once), other work one
            # item at a time; what is analysed is written, even if interrupted
            for chunk in _batches(rest, batch if fn is analyse_item else 1):
                yield from _run_batch(fn, chunk)
            return
        if self.pool is None:
            if fn is analyse_item:
                warm()
            ctx = multiprocessing.get_context("fork")
            self.pool = ctx.Pool(self.size, initializer=_init_worker, initargs=self.initargs)
            self.started = self.size
        pending: deque = deque()
        for chunk in _batches(rest, batch):
            pending.append(self.pool.apply_async(_run_batch, (fn, chunk)))
            if len(pending) >= self.size * window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def submit(self, fn: Callable, item) -> Callable[[], object] | None:
        """``fn(item)`` started in a worker, when the workers run: the function that waits
        for its result (None: no worker runs; the caller does the work itself)."""
        if self.pool is None:
            return None
        pending = self.pool.apply_async(_run_batch, (fn, [item]))
        return lambda: pending.get()[0]

    def close(self) -> None:
        """Stop the workers (a scan ends, or is interrupted)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _batches(items: Iterator, size: int) -> Iterator[list]:
    """`items` in lists of at most `size`, a list closed early once the records in it hold
    `config.POOL_CHUNK_CHARS` characters (a few web pages, many short articles)."""
    chunk: list = []
    chars = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, tuple) and isinstance(item[0], RawRecord):
            chars += len(item[0].content)
        if len(chunk) >= size or chars >= config.POOL_CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _run_batch(fn: Callable, items: list) -> list:
    """One batch of work in a worker process (or one item in the scan's own process).

    Analysed records time their stages by the wall clock (cheap to read per stage); here those
    times are scaled to the CPU time the batch took, read once per batch from the thread's own
    clock (the process-wide CPU clock can take a millisecond to read in a busy VM), so that a
    process waiting for a core is not counted as working.
    """
    cpu, wall = time.thread_time(), time.perf_counter()
    done = analyse_items(items) if fn is analyse_item else [fn(item) for item in items]
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    if wall > 0:
        share = min(1.0, cpu / wall)
        for result in done:
            if isinstance(result, Analysed):
                for stage in result.timings:
                    result.timings[stage] *= share
    return done
