"""The copy-detection phase of a scan: persistent-index candidates, verification, edges, stories.

Runs after the new articles of a scan are stored with their sketches (signature, LSH keys,
shingles):

1. boilerplate: for each outlet with new articles, the shingles it repeats under many of its
   articles are learnt from its latest articles and stored; its articles compared in earlier
   scans that hold a shingle whose status changed are compared again (results do not depend on
   the order or batching of the inputs);
2. candidates: the new articles' keys are added to the LSH index of the whole archive in
   sorted passes on a connection of its own: those this phase looks up while step 1 learns
   (step 1 only reads until it is done, and then stores what it learnt), then those only
   `check` reads (more than half) while this step and the first chunks of step 3 run (their
   edges are stored once that pass is done). Every bucket of the archive is read (those larger
   than `config.MAX_BUCKET` are skipped and counted: a key shared by that many articles is
   boilerplate or a stock phrase, not evidence of a copy), and each group of equal texts. A
   bucket of up to `config.PAIR_BUCKET` articles proposes all its pairs; a larger one (a
   syndication family, a press release in many articles) pairs each member with its earliest
   members only (`copies.bucket_pairs`), so that the family is joined through its likely
   origin. A pair is a candidate when its keys weigh enough, a key weighing less the more
   articles hold it, or when it is a pair of a family (`copies.candidates`): the pairs per
   article stay bounded however often the archive's quotes recur (a lighter pair is screened
   more strictly: it needs a verbatim passage). Archived articles whose
   pairs the archive's growth changed are compared again (`scan.candidates`), so the pairs are
   those of the archive as it is, whatever the order or batching of the inputs;
3. verification: each candidate pair is verified on the full texts (`copies.verification`), never
   taken from LSH alone; verified pairs are directed by publication time or by a credit line
   that names the other's publisher (`copies.orient`) and stored as `records.CopyEdge`s. New
   articles are taken in chunks of `config.MATCH_CHUNK` (a pair belongs to the chunk of its
   first new article). A pair that shares no text outside the boilerplate cannot verify, and
   is screened out; a worker that reads the database reads the fingerprints of a chunk's
   articles and screens and verifies its pairs in one pass, else the stored shingle sets
   screen the pairs and the texts of the rest are read for verification (`scan.pairs`); like
   step 1, this runs in the scan's worker processes;
4. stories: all current copy edges are clustered into `records.Story`s with the chaining guard
   of `copies.cluster_stories`, and each story records its origin and upstream outlet (kept as
   stored by a re-scan that read, changed and compared nothing: `_restory`). A scan with
   workers has one of them cluster the stories while it resolves provenance (`stories_task`),
   and stores them after.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from provenance import config
from provenance.config import KEY_BYTES, FingerprintParams, Thresholds
from provenance.copies import (
    cluster_stories,
    published_time,
)
from provenance.copies.stories import StoryEdge
from provenance.records import Story
from provenance.scan.boilerplate import Writes, learn_archive, learn_outlets, learn_sites
from provenance.scan.candidates import find_candidates
from provenance.scan.pairs import (
    PRINTS,
    ChunkReads,
    ScreenTask,
    Shared,
    match_task,
    reading,
    screen_task,
    screen_tasks,
    verify_task,
    verify_task_of,
    workers_read,
)
from provenance.scan.reuse import plan_reuse
from provenance.store.rows import EDGE_KIND

if TYPE_CHECKING:
    from provenance.store import Store
    from provenance.store.index import Indexing

Progress = Callable[[str, int, int], None]
# (fn, items, min_items) -> fn(item) for each item, in order; in worker processes when there
# are at least min_items items.
Mapper = Callable[[Callable, Iterable, int], Iterator]


@dataclass
class CopyCounts:
    """What the copy phase did, for the run's counts."""

    candidates: int = 0
    verified: int = 0
    edges: dict | None = None
    stories: int = 0
    boilerplate_outlets: int = 0
    # of the archive's LSH keys (every bucket is read): those held by more than
    # config.MAX_BUCKET articles (skipped), and those paired through their representatives
    hot_keys: int = 0
    represented_buckets: int = 0
    requeued: int = 0  # archived, compared again: the archive's growth changed their pairs
    requeued_by_boilerplate: int = 0  # archived, compared again: their boilerplate changed
    light_pairs: int = 0  # proposed, too light to be candidates: screened for a long passage
    promoted_pairs: int = 0  # of the candidates, pairs of a family that weigh less than that
    light_verified: int = 0  # light pairs verified all the same: they share a long passage
    timings: dict = field(default_factory=dict)  # wall-clock seconds per step
    restory: bool = True  # whether the stories are to be clustered again (`store_stories`)

    def as_dict(self) -> dict:
        """Plain data for the run record."""
        return {"candidate_pairs": self.candidates, "copy_edges": self.verified,
                "edges_by_kind": self.edges or {}, "stories": self.stories,
                "boilerplate_outlets": self.boilerplate_outlets, "hot_keys": self.hot_keys,
                "represented_buckets": self.represented_buckets,
                "requeued_by_buckets": self.requeued,
                "requeued_by_boilerplate": self.requeued_by_boilerplate,
                "light_pairs": self.light_pairs,
                "promoted_pairs": self.promoted_pairs, "light_verified": self.light_verified}


def _serial(fn: Callable, items: Iterable, _min_items: int = 0) -> Iterator:
    """The in-process mapper: ``fn`` over ``items`` in order."""
    return map(fn, items)


def find_copies(store: Store, run_id: int, params: FingerprintParams, thresholds: Thresholds,
                progress: Progress | None = None, mapper: Mapper | None = None,
                restory: bool = True, stories: bool = True) -> CopyCounts:
    """Compare every article not yet compared with the archive, store the verified copy edges,
    then rebuild the stories (`_restory`; with ``stories`` False, the caller's: `store_stories`).
    An interrupted phase resumes with the next scan.

    ``mapper(fn, items, min_items)`` runs the per-outlet and per-chunk work, in order (the scan
    passes its worker processes); by default it runs in this process. ``progress`` hears
    ``("match", articles compared, articles to compare)`` after each chunk and
    ``("stories", n, n)`` when the phase is done.
    """
    mapper = mapper or _serial
    PRINTS.clear()  # what it holds of articles is of the archive as the last phase saw it
    counts = CopyCounts()
    clock = _Clock(counts.timings)
    new_ids = store.pending_matches()
    restory = restory or bool(new_ids)
    if new_ids:
        if progress:
            progress("boilerplate", 0, 0)
        # the new keys are indexed meanwhile (the learning only reads until it is done); the
        # keys only `check` reads, after the copy phase's own, while the candidates are found
        # and the first chunks verified (their edges wait for the write lock: `_verify_chunks`)
        writes = Writes(run_id)
        with store.indexing_pending_keys(KEY_BYTES) as indexing:
            with clock("boilerplate"):
                counts.boilerplate_outlets = learn_outlets(store, writes, new_ids, mapper)
                learn_sites(store, writes, new_ids, mapper)
                learn_archive(store, writes)
                indexing.match_keys()
            writes.apply(store)
            indexing.check_keys()
            queued = len(new_ids)
            new_ids = store.pending_matches()  # with those a boilerplate change requeued
            counts.requeued_by_boilerplate = len(new_ids) - queued
            if progress:
                progress("candidates", 0, 0)
            with clock("candidates"):
                by_chunk, names, new_ids = find_candidates(store, new_ids, counts, indexing.wait)
            with clock("verify"):
                if progress:
                    progress("match", 0, len(new_ids))
                if _in_process(mapper):  # this process's cache keeps what later chunks need
                    plan_reuse(PRINTS, ((k, codes) for k, (codes, _) in by_chunk.items()),
                               names)
                read = ChunkReads()
                chunks = screen_tasks(store, new_ids, by_chunk, names, (params, thresholds),
                                      _in_process(mapper), read)
                _verify_chunks(store, run_id, chunks, (params, thresholds), counts,
                               _Report(progress, len(new_ids)), mapper, read, indexing)
        counts.timings["index"] = indexing.seconds
        # this process's fingerprints (and their memos) have served every chunk: freed, the
        # stories and provenance resolution reuse their memory rather than add to it
        PRINTS.clear()
        PRINTS.budget = config.VERIFY_CACHE_BYTES
    counts.restory = restory
    if stories:
        _restory(store, run_id, restory, counts, progress)
    return counts


def _restory(store: Store, run_id: int, restory: bool, counts: CopyCounts,
             progress: Progress | None, clustered: Callable[[], list[Story]] | None = None
             ) -> None:
    """The stories, re-clustered unless ``restory`` is False: the scan knows that no article
    changed and that no earlier run was cut short, and no article was compared, so the edges,
    dates, credits and publishers the stories were clustered from are those stored (a re-scan
    of a dense archive spent a second re-clustering 100k edges into the same stories). With
    ``clustered``, they were clustered elsewhere (`stories_task`): it waits for them."""
    if progress:
        progress("stories", 0, 0)
    with _Clock(counts.timings)("stories"):
        if not restory:
            counts.stories = store.story_count()
        elif clustered is not None:
            made = clustered()
            store.replace_stories(made)
            counts.stories = len(made)
        else:
            counts.stories = rebuild_stories(store, run_id)
    if progress:
        progress("stories", counts.stories, counts.stories)


def store_stories(store: Store, run_id: int, counts: CopyCounts, progress: Progress | None,
                  clustered: Callable[[], list[Story]] | None = None) -> None:
    """The stories of a copy phase that left them to its caller (`find_copies` with
    ``stories`` False), stored: re-clustered as ``counts.restory`` says, by ``clustered``
    when given (the stories a worker clustered meanwhile: `stories_task`), else here."""
    _restory(store, run_id, counts.restory, counts, progress, clustered)


def stories_task(task: tuple[Shared, int]) -> list[Story]:
    """The stories of the whole archive as `rebuild_stories` makes them, clustered in a worker
    that reads the database (``task``: the database, and the run's id) beside the scan's
    process, which resolves provenance meanwhile (neither reads what the other writes). The
    worker's fingerprint cache is emptied first: the copy phase is over."""
    database, run_id = task
    PRINTS.clear()
    with reading(database) as store:
        return story_records(store, run_id)


@dataclass
class _Report:
    """Tells `progress` how many of the pending articles have been compared."""

    progress: Progress | None
    total: int
    done: int = 0

    def compared(self, n: int) -> None:
        """Count ``n`` more articles compared."""
        self.done += n
        if self.progress:
            self.progress("match", self.done, self.total)


class _Clock:
    """Adds the wall-clock seconds of named steps to a dict, and this process's CPU seconds
    as ``<step>_cpu`` (the machine's load does not inflate them)."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            for name, spent in ((step, time.perf_counter() - start),
                                (f"{step}_cpu", time.process_time() - cpu)):
                self.seconds[name] = self.seconds.get(name, 0.0) + spent


# --- screening and verification -----------------------------------------------------------------


def _verify_chunks(store: Store, run_id: int, chunks: Iterator[ScreenTask],
                   settings: tuple[FingerprintParams, Thresholds], counts: CopyCounts,
                   report: _Report, mapper: Mapper, read: ChunkReads,
                   indexing: Indexing) -> None:
    """Screen and verify every chunk's candidates, storing the edges of the chunks done once
    they are `config.EDGE_WRITE_BATCH` (and held while the keys only `check` reads are being
    indexed: ``indexing`` has the lock)."""
    edges_by_kind: dict[str, int] = defaultdict(int)
    local = _in_process(mapper)
    if workers_read(store, local):  # one pass per chunk: its pairs' articles read, verified
        done = mapper(match_task, chunks, config.MIN_CHUNKS_FOR_POOL)
    else:
        # two passes per chunk: the stored shingle sets rule out the pairs that share no text
        # outside the boilerplate; the texts of the rest are read, and they are verified
        screened = mapper(screen_task, chunks, config.MIN_CHUNKS_FOR_POOL)
        tasks = (verify_task_of(store, found, *settings, local, read) for found in screened)
        done = mapper(verify_task, tasks, config.MIN_CHUNKS_FOR_POOL)
    held: list[tuple[list[tuple], list[str]]] = []  # edges (their rows' values), chunk
    for found, edges in done:
        counts.candidates += found.candidates
        counts.light_verified += found.light
        held.append((edges, found.chunk))
        if sum(len(e) for e, _ in held) >= config.EDGE_WRITE_BATCH and indexing.finished():
            _write_edges(store, run_id, held)
        for edge in edges:
            edges_by_kind[edge[EDGE_KIND]] += 1
        counts.verified += len(edges)
        report.compared(len(found.chunk))
        if PRINTS.plan is not None:  # the next chunk is verified next
            PRINTS.plan.now += 1
    indexing.wait()
    _write_edges(store, run_id, held)
    counts.edges = dict(edges_by_kind)


def _write_edges(store: Store, run_id: int, held: list[tuple[list[tuple], list[str]]]
                 ) -> None:
    """Store the held chunks' edges (their rows' values) in one transaction, their articles
    marked compared, and forget them."""
    if held:
        store.write_copy_edge_values(run_id, [e for edges, _ in held for e in edges],
                                     [article for _, chunk in held for article in chunk])
    held.clear()


def _in_process(mapper: Mapper) -> bool:
    """Whether ``mapper`` runs every task in this process: the default, or the map of a pool of
    one process (`scan.workers.Workers` with ``size`` 1)."""
    owner = getattr(getattr(mapper, "func", None), "__self__", None)
    return mapper is _serial or getattr(owner, "size", 0) == 1


# --- stories ------------------------------------------------------------------------------------


def rebuild_stories(store: Store, run_id: int) -> int:
    """Re-cluster all current copy edges into stories; returns the number of stories."""
    made = story_records(store, run_id)
    store.replace_stories(made)
    return len(made)


def story_records(store: Store, run_id: int) -> list[Story]:
    """All current copy edges clustered into stories, each with its origin and upstream
    outlet (as `rebuild_stories` stores them)."""
    def published(ids: list[str]) -> dict:
        """The publication times of the articles in strong edges."""
        return {i: published_time(p) for i, p in store.published_of(ids).items()}

    # the edges are streamed: only the strong ones and the pairs of weak ones are kept
    stories = cluster_stories((), map(StoryEdge._make, store.story_edges()), published,
                              include_singletons=False)
    origins = [s.origin_article_id for s in stories]
    credits, publishers = store.wire_credits(origins), store.publishers(origins)
    outlets = []
    for story in stories:
        publisher = publishers.get(story.origin_article_id)
        outlets.append(replace(story, origin_outlet_id=publisher, run_id=run_id,
                               upstream_outlet_id=credits.get(story.origin_article_id)
                               or publisher))
    return outlets
