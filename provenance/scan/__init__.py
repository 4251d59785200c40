"""The scan: inputs -> analysis -> store -> copy phase -> provenance. Returns data; never prints.

Reading and writing happen in the main process; per-article CPU work (`analyse.analyse`) runs in
a process pool when there is enough of it (`scan.workers`). Articles are written in transactions
(`scan.writer`); a file counts as read only when its last article is committed, so an
interrupted scan resumes from the first unfinished file. Then the copy phase
(`scan.copy_phase`) finds copies among new and archived articles, and `scan.resolve` traces each
article to its original sources. A resolution that fails leaves the articles, copies and the
previous resolution in place: the run is marked failed with the reason (`ScanResult.error`),
and the next scan resolves again.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from provenance import config
from provenance.config import ScanConfig
from provenance.copies import check_compatible
from provenance.errors import StoreError
from provenance.inputs import (
    Digest,
    FileDone,
    RawRecord,
    SourceFile,
    content_key,
    content_slot,
    discover,
    file_key,
    load_manifest,
)
from provenance.inputs import read as read_file
from provenance.records import SKIPPED, InputProblem, ReadFile
from provenance.scan import copy_phase, interrupts, pairs, workers
from provenance.scan.copy_phase import find_copies
from provenance.scan.lock import ScanLock
from provenance.scan.registry import registry_of, remember_registry
from provenance.scan.resolve import resolution_failed, resolve_provenance, stored_verdicts
from provenance.scan.writer import BatchWriter
from provenance.version import __version__

if TYPE_CHECKING:
    from provenance.store import Store

Progress = Callable[[str, int, int], None]  # (event, done, total)

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    """What a scan did: the run id, its status, counts, the input problems it met, and why it
    failed (`error`, a message for the user) when a step failed after the inputs were read."""

    run_id: int
    status: str
    counts: dict
    errors: list[InputProblem] = field(default_factory=list)
    elapsed: float = 0.0
    error: str | None = None

    @property
    def nothing_read(self) -> bool:
        """True when no article could be read or found unchanged: the scan failed as a whole."""
        return self.counts.get("read", 0) == 0 and self.counts.get("resumed", 0) == 0


def scan(cfg: ScanConfig, store: Store, progress: Progress | None = None) -> ScanResult:
    """Read every input under `cfg.paths` into `store` and return what happened.

    Holds the database's scan lock throughout (`lock.ScanLock`); runs that an earlier, killed
    scan left ``running`` are marked ``interrupted`` first.

    Raises:
        ScanBusyError: another scan is writing to the same database (nothing is written).
        StoreError: the database is read-only (nothing is written).
        InputError: a path does not exist or the manifest is malformed (nothing is written).
        IncompatibleIndexError: the fingerprint parameters differ from the archive's.
    """
    if store.readonly:
        raise StoreError(f"the database {store.path} is read-only (its file or its folder "
                         "cannot be written): make them writable, or copy the database to a "
                         "writable folder and use --db there")
    with ScanLock(store.path, cfg.lock_wait):
        store.close_stale_runs()
        return _scan(cfg, store, progress)


def _scan(cfg: ScanConfig, store: Store, progress: Progress | None) -> ScanResult:
    """`scan` under the lock."""
    started = time.perf_counter()
    registry = registry_of(store, cfg.outlets_files)
    manifest = load_manifest(cfg.manifest) if cfg.manifest else {}
    found = list(discover(cfg.paths, follow_hidden=cfg.follow_hidden))
    recipe = store.fingerprint_recipe()
    if recipe is not None:
        check_compatible(recipe, cfg.fingerprint.recipe)
    remember_registry(store, registry)
    store.sync_outlets(registry.outlets, registry.version)
    store.set_fingerprint_recipe(cfg.fingerprint.recipe)
    run_id = store.begin_run(__version__, cfg.parameters(), registry.version)
    workers.prime(registry, cfg.fingerprint)
    counts = _new_counts()
    pool = workers.Workers(cfg)
    status, error = "failed", None
    writer = BatchWriter(store, run_id, counts)
    try:
        _read_inputs(found, manifest, store, writer, pool, cfg, progress)
        error = _find_copies_and_resolve(store, run_id, counts, pool, cfg, progress)
        status = "failed" if error else "completed"
    except KeyboardInterrupt as exc:
        status = "interrupted"  # first: a second interrupt may cut the flush short
        interrupts.release(exc)  # the write lock of a statement it cut short goes
        writer.flush()
        raise
    finally:
        with interrupts.deferred():  # the run is recorded however it ended
            pool.close()
            counts["timings"]["total"] = time.perf_counter() - started
            store.finish_run(run_id, status, counts)
    return ScanResult(run_id, status, counts, store.errors(run_id), time.perf_counter() - started,
                      error)


def _new_counts() -> dict:
    """The counts of a run before it starts."""
    # timings: seconds per stage. read, write and the copy phase's steps are wall-clock in
    # this process; extract, fingerprint and citations are CPU seconds summed over the
    # articles, in the worker processes when there are any (`workers`: how many ran).
    return {"files": 0, "resumed": 0, "read": 0, "new": 0, "unchanged": 0, "updated": 0,
            "failed": 0, "warnings": 0, "by_format": {}, "by_language": {},
            "timings": {"read": 0.0, "extract": 0.0, "fingerprint": 0.0, "citations": 0.0,
                        "write": 0.0, "workers": 0}}


def _read_inputs(found: list[SourceFile | InputProblem], manifest: dict, store: Store,
                 writer: BatchWriter, pool: workers.Workers, cfg: ScanConfig,
                 progress: Progress | None) -> None:
    """Read, analyse and write every input file not read before in its present state."""
    counts = writer.counts
    settings = {str(Path(p).resolve()) for p in (cfg.manifest, *cfg.outlets_files) if p}
    for item in found:
        if isinstance(item, InputProblem) and not (
                item.kind == SKIPPED and str(Path(item.path).resolve()) in settings):
            writer.problem(item)
    files = [f for f in found if isinstance(f, SourceFile)]
    stream = _timed(_records(files, manifest, store, counts, cfg, progress), counts["timings"])
    records = 0  # for `progress`: records, not files (one JSONL feed may hold them all)
    for outcome in pool.map(workers.analyse_item, stream, config.MIN_DOCS_FOR_POOL,
                            config.POOL_CHUNKSIZE):
        if isinstance(outcome, FileDone):
            writer.file_done(outcome)
            if progress:
                progress("file", counts["files"], len(files))
        elif isinstance(outcome, InputProblem):
            writer.problem(outcome)
        else:
            writer.article(outcome)
            records += 1
            if progress:
                progress("record", records, len(files))
    writer.flush()
    counts["timings"]["workers"] = pool.started


def _find_copies_and_resolve(store: Store, run_id: int, counts: dict, pool: workers.Workers,
                             cfg: ScanConfig, progress: Progress | None) -> str | None:
    """The copy phase, then provenance resolution (reused when nothing changed).

    Returns None, or why resolution failed (also in `counts["error"]`): it is one transaction,
    so the previous resolution stays, and this run's failed status makes the next scan retry.
    """
    timings = counts["timings"]
    # Stories and resolution cover the whole archive; when this run changed nothing (a
    # re-scan) and the last completed run left them right (`_unsettled_runs`), the stored
    # ones are still right.
    read_changes = bool(counts["new"] or counts["updated"] or _unsettled_runs(store, run_id))
    copies = find_copies(store, run_id, cfg.fingerprint, cfg.thresholds, progress,
                         functools.partial(pool.map, window=config.COPY_WINDOW), read_changes,
                         stories=False)
    counts["copies"] = copies.as_dict()
    timings.update(copies.timings)
    # the stories are clustered in a worker while this process resolves provenance (neither
    # reads what the other writes), and stored after it; without workers, here
    database = pairs.shared_file(store)
    clustered = (pool.submit(copy_phase.stories_task, (database, run_id))
                 if copies.restory and database is not None else None)
    started = time.perf_counter()
    changed = read_changes or copies.candidates
    error = None
    if progress:
        progress("provenance", 0, 1)
    try:
        counts["provenance"] = (resolve_provenance(store, run_id) if changed
                                else stored_verdicts(store))
    except Exception as exc:  # any fault here fails the run, never the data read before it
        log.debug("provenance resolution failed", exc_info=True)
        error = counts["error"] = resolution_failed(exc)
    timings["provenance"] = time.perf_counter() - started
    copy_phase.store_stories(store, run_id, copies, progress, clustered)
    counts["copies"]["stories"] = copies.stories
    timings.update(copies.timings)
    return error


def _unsettled_runs(store: Store, run_id: int) -> bool:
    """True when a run after the last completed one (before `run_id`) did not complete (killed,
    interrupted, failed: it may have stored articles or copies it never clustered or resolved),
    or when the last completed one ran another version of the tool or the registry than
    `run_id` (its stories and resolution were made by other rules or outlets)."""
    runs = store.runs()
    current = next(run for run in runs if run.id == run_id)
    earlier = [run for run in runs if run.id != run_id]
    last = max((run for run in earlier if run.status == "completed"), key=lambda run: run.id,
               default=None)
    if last is not None and (last.tool_version, last.registry_version) != (
            current.tool_version, current.registry_version):
        return True
    return any(run.id > (last.id if last else 0) for run in earlier)


def _records(files: list[SourceFile], manifest: dict, store: Store, counts: dict,
             cfg: ScanConfig, progress: Progress | None
             ) -> Iterator[tuple[RawRecord, dict | None] | InputProblem | FileDone]:
    """Records of every file not already read in this state, each file closed by a FileDone."""
    for file, entry, key, (known, stored) in _looked_up(files, manifest, store):
        content, digest = None, None
        if known is None and stored is not None:  # its path was read before: hashed first, and
            content = content_key(file, entry)    # skipped when the bytes are those read then
            known = store.known_content(content, ReadFile(key, file.path, file.size, 0)) \
                if content == stored else None
        elif known is None:  # a new path: hashed by the reader as it reads
            digest = Digest()
        if known is not None:
            counts["files"] += 1
            counts["resumed"] += known
            counts["unchanged"] += known
            if progress:
                progress("file", counts["files"], len(files))
            continue
        n = 0
        for outcome in read_file(file, cfg.max_document_bytes, digest):
            if isinstance(outcome, RawRecord):
                n += 1
                yield outcome, entry
            else:
                yield outcome
        yield FileDone(file, n, key, digest.key(file, entry) if digest else content)


def _looked_up(files: list[SourceFile], manifest: dict, store: Store) -> Iterator[tuple]:
    """Each file with its manifest entry, state key and `Store.read_before` answer, looked up
    `config.WRITE_BATCH` files at a time."""
    for start in range(0, len(files), config.WRITE_BATCH):
        group = files[start:start + config.WRITE_BATCH]
        entries = [manifest.get(file.resolved) for file in group]
        keys = [file_key(file, entry) for file, entry in zip(group, entries, strict=True)]
        answers = store.read_before([(key, content_slot(file))
                                     for key, file in zip(keys, group, strict=True)])
        yield from zip(group, entries, keys, answers, strict=True)


_END = object()


def _timed(stream: Iterable, timings: dict) -> Iterator:
    """The items of `stream`, adding the time spent producing them to `timings["read"]`."""
    stream = iter(stream)
    while True:
        started = time.perf_counter()
        item = next(stream, _END)
        timings["read"] += time.perf_counter() - started
        if item is _END:
            return
        yield item


__all__ = ["Progress", "ScanResult", "scan"]
