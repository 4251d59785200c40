"""The copy-detection phase of a scan: persistent-index candidates, verification, edges, stories.

Runs after the new articles of a scan are stored with their sketches (signature, LSH keys,
shingles):

1. boilerplate: for each outlet with new articles, the shingles it repeats under many of its
   articles are learnt from its latest articles and stored; its articles compared in earlier
   scans that hold a shingle whose status changed are compared again (results do not depend on
   the order or batching of the inputs);
2. candidates: the new articles' keys are added to the LSH index of the whole archive in one
   sorted pass, and every bucket holding a new article's key is read (buckets larger than
   `config.MAX_BUCKET` are skipped: a key shared by that many articles is boilerplate or a
   stock phrase, not evidence of a copy); articles with the same text hash are paired too;
3. verification: each candidate pair is verified on the full texts (`copies.verification`), never
   taken from LSH alone; verified pairs are directed by publication time or by a credit line
   that names the other's publisher (`copies.orient`) and stored as `records.CopyEdge`s. New
   articles are taken in chunks of `config.MATCH_CHUNK` (a pair belongs to the chunk of its
   first new article). A chunk's pairs are first screened with the stored shingle sets (a pair
   that shares no text outside the boilerplate cannot verify), then the rest are verified on
   the texts; both passes, like step 1, run in the scan's worker processes;
4. stories: all current copy edges are clustered into `records.Story`s with the chaining guard
   of `copies.cluster_stories`, and each story records its origin and upstream outlet.
"""

from __future__ import annotations

import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from provenance import config
from provenance.config import KEY_BYTES, FingerprintParams, Thresholds
from provenance.copies import (
    Fingerprint,
    cluster_stories,
    copy_edge,
    fingerprint,
    no_common_text,
    orient,
    published_time,
    verify,
)
from provenance.records import Article, CopyEdge
from provenance.scan.boilerplate import ARCHIVE, learn_archive, learn_outlets

if TYPE_CHECKING:
    from provenance.store import Store

Progress = Callable[[str, int, int], None]
# (fn, items, min_items) -> fn(item) for each item, in order; in worker processes when there
# are at least min_items items.
Mapper = Callable[[Callable, Iterable, int], Iterator]
Pair = tuple[str, str]

_EMPTY = np.zeros(0, dtype=np.uint64)


@dataclass
class CopyCounts:
    """What the copy phase did, for the run's counts."""

    candidates: int = 0
    verified: int = 0
    edges: dict | None = None
    stories: int = 0
    boilerplate_outlets: int = 0
    timings: dict = field(default_factory=dict)  # wall-clock seconds per step

    def as_dict(self) -> dict:
        """Plain data for the run record."""
        return {"candidate_pairs": self.candidates, "copy_edges": self.verified,
                "edges_by_kind": self.edges or {}, "stories": self.stories,
                "boilerplate_outlets": self.boilerplate_outlets}


def _serial(fn: Callable, items: Iterable, _min_items: int = 0) -> Iterator:
    """The in-process mapper: ``fn`` over ``items`` in order."""
    return map(fn, items)


def find_copies(store: Store, run_id: int, params: FingerprintParams, thresholds: Thresholds,
                progress: Progress | None = None, mapper: Mapper | None = None) -> CopyCounts:
    """Compare every article not yet compared with the archive, store the verified copy edges,
    then rebuild the stories. An interrupted phase resumes with the next scan.

    ``mapper(fn, items, min_items)`` runs the per-outlet and per-chunk work, in order (the scan
    passes its worker processes); by default it runs in this process. ``progress`` hears
    ``("match", articles compared, articles to compare)`` after each chunk and
    ``("stories", n, n)`` when the phase is done.
    """
    mapper = mapper or _serial
    counts = CopyCounts()
    clock = _Clock(counts.timings)
    new_ids = store.pending_matches()
    if new_ids:
        with clock("boilerplate"):
            counts.boilerplate_outlets = learn_outlets(store, run_id, new_ids, mapper)
            learn_archive(store, run_id)
            new_ids = store.pending_matches()  # with those a boilerplate change requeued
        with clock("candidates"):
            store.index_pending_keys(KEY_BYTES)
            by_chunk, names = _candidates(store, new_ids)
        with clock("verify"):
            chunks = _screen_tasks(store, new_ids, by_chunk, names)
            _verify_chunks(store, run_id, chunks, params, thresholds, counts,
                           _Report(progress, len(new_ids)), mapper)
    with clock("stories"):
        counts.stories = rebuild_stories(store, run_id)
    if progress:
        progress("stories", counts.stories, counts.stories)
    return counts


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
    """Adds the wall-clock seconds of named steps to a dict."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - start


# --- candidates ---------------------------------------------------------------------------------


class _Codes:
    """A set of pair codes kept in 8 bytes each: appended to a short list, merged into a sorted
    array whenever the list grows (a pair is often proposed by many keys)."""

    def __init__(self) -> None:
        self.merged = np.zeros(0, dtype=np.uint64)
        self.recent: list[int] = []

    def add(self, code: int) -> None:
        """Add one pair code."""
        self.recent.append(code)
        if len(self.recent) >= config.PAIR_BUFFER:
            self._merge()

    def _merge(self) -> None:
        self.merged = np.union1d(self.merged, np.array(self.recent, dtype=np.uint64))
        self.recent = []

    def codes(self) -> list[int]:
        """The distinct codes, in order."""
        self._merge()
        return self.merged.tolist()

    def __len__(self) -> int:
        self._merge()
        return len(self.merged)


def _candidates(store: Store, new_ids: list[str]) -> tuple[dict[int, _Codes], list[str]]:
    """Candidate pairs from LSH buckets and text hashes, by the chunk that compares them: the
    chunk of the first of their articles awaiting comparison (`new_ids` is sorted).

    A pair is kept as one int, the codes of its ids in sorted order (`names` decodes them): a
    large archive proposes hundreds of thousands of pairs, most of them to be ruled out.
    """
    codes = {article_id: n for n, article_id in enumerate(new_ids)}  # pending: code = rank
    names = list(new_ids)
    pending = len(new_ids)
    by_chunk: dict[int, _Codes] = defaultdict(_Codes)

    def add(a: str, b: str) -> None:
        code_a, code_b = codes.get(a), codes.get(b)
        if code_b is None:
            code_b = codes[b] = len(names)
            names.append(b)
        first = code_a if code_b >= pending else min(code_a, code_b)
        low, high = (code_a, code_b) if a < b else (code_b, code_a)
        by_chunk[first // config.MATCH_CHUNK].add(low << 32 | high)

    scan_all = len(new_ids) >= config.FULL_SCAN_SHARE * store.count("fingerprint")
    for members in store.shared_buckets(KEY_BYTES, config.MAX_BUCKET, scan_all):
        mine = [m for m in members if m in codes and codes[m] < pending]
        for a in mine:
            for b in members:
                if a != b:
                    add(a, b)
    for a, b in store.pending_same_text_pairs():
        add(a, b)
    return by_chunk, names


# --- screening and verification -----------------------------------------------------------------


@dataclass(frozen=True)
class _ScreenTask:
    """A chunk's candidate pairs with the stored shingle sets and boilerplate they need."""

    chunk: list[str]
    pairs: list[Pair]
    shingles: dict[str, np.ndarray]
    publishers: dict[str, str | None]
    boilerplate: dict[str, np.ndarray]


@dataclass(frozen=True)
class _Screened:
    """The pairs of a chunk that screening left, and how many candidates there were."""

    chunk: list[str]
    pairs: list[Pair]
    candidates: int


@dataclass(frozen=True)
class _VerifyTask:
    """A chunk's pairs left by screening, with the articles (text, stored sketch) and facts
    that verifying and directing them needs."""

    screened: _Screened
    params: FingerprintParams
    thresholds: Thresholds
    articles: dict[str, Article]
    boilerplate: dict[str, np.ndarray]
    cited: dict[str, set[str]]


def _verify_chunks(store: Store, run_id: int, chunks: Iterator[_ScreenTask],
                   params: FingerprintParams, thresholds: Thresholds, counts: CopyCounts,
                   report: _Report, mapper: Mapper) -> None:
    """Screen and verify every chunk's candidates, storing each chunk's edges as it is done."""
    edges_by_kind: dict[str, int] = defaultdict(int)
    # Two passes per chunk, both in the workers: the stored shingle sets rule out most pairs
    # (those a footer or stock phrase proposed); the rest are verified on the texts.
    screened = mapper(_screen_task, chunks, config.MIN_CHUNKS_FOR_POOL)
    tasks = (_verify_task_of(store, found, params, thresholds) for found in screened)
    for found, edges in mapper(_verify_task, tasks, config.MIN_CHUNKS_FOR_POOL):
        counts.candidates += found.candidates
        store.write_copy_edges(run_id, edges, found.chunk)
        for edge in edges:
            edges_by_kind[edge.kind] += 1
        counts.verified += len(edges)
        report.compared(len(found.chunk))
    counts.edges = dict(edges_by_kind)


def _screen_tasks(store: Store, new_ids: list[str], by_chunk: dict[int, _Codes],
                  names: list[str]) -> Iterator[_ScreenTask]:
    """Per chunk of new articles: its candidate pairs with their stored shingle sets."""
    for index, chunk in enumerate(_chunks(new_ids, config.MATCH_CHUNK)):
        codes = by_chunk.pop(index, None)
        pairs = sorted((names[code >> 32], names[code & 0xFFFFFFFF])
                       for code in (codes.codes() if codes else ()))
        if not pairs:
            yield _ScreenTask(chunk, [], {}, {}, {})
            continue
        ids = sorted({i for pair in pairs for i in pair})
        publishers = {a.id: a.publisher_id for a in store.article_meta(ids)}
        yield _ScreenTask(chunk, pairs, store.shingle_sets(ids), publishers,
                          store.boilerplate({*publishers.values(), ARCHIVE}))


def _screen_task(task: _ScreenTask) -> _Screened:
    """The pairs of a chunk that `verify` could accept, judged from their shingle sets alone
    (runs in a worker)."""
    noises = _Noise(task.boilerplate)
    kept = []
    for a, b in task.pairs:
        sets = task.shingles.get(a, _EMPTY), task.shingles.get(b, _EMPTY)
        if not no_common_text(*sets, noises.of(task.publishers.get(a), task.publishers.get(b))):
            kept.append((a, b))
    return _Screened(task.chunk, kept, len(task.pairs))


def _verify_task_of(store: Store, screened: _Screened, params: FingerprintParams,
                    thresholds: Thresholds) -> _VerifyTask:
    """A chunk's remaining candidate pairs with the articles and facts that verifying needs."""
    task = _VerifyTask(screened, params, thresholds, {}, {}, {})
    if not screened.pairs:
        return task
    ids = sorted({i for pair in screened.pairs for i in pair})
    articles = {a.id: a for a in store.texts(ids, params)}
    return replace(task, articles=articles, cited=store.cited_outlets(ids),
                   boilerplate=store.boilerplate({*(a.publisher_id for a in articles.values()),
                                                  ARCHIVE}))


def _verify_task(task: _VerifyTask) -> tuple[_Screened, list[CopyEdge]]:
    """Verify one chunk's candidate pairs (runs in a worker): the chunk and its directed copy
    edges (the texts stay in the worker)."""
    return task.screened, _verify_pairs(task)


def _verify_pairs(task: _VerifyTask) -> list[CopyEdge]:
    """Verified, directed copy edges for the candidate pairs of a task."""
    noises = _Noise(task.boilerplate)
    edges = []
    for a, b in task.screened.pairs:
        article_a, article_b = task.articles[a], task.articles[b]
        match = verify(_PRINTS.fingerprint(article_a, task.params),
                       _PRINTS.fingerprint(article_b, task.params),
                       boilerplate=noises.of(article_a.publisher_id, article_b.publisher_id),
                       thresholds=task.thresholds)
        if match is None:
            continue
        match = orient(match, article_a, article_b, task.cited.get(a, set()),
                       task.cited.get(b, set()))
        edges.append(copy_edge(article_a, article_b, match))
    return edges


class _Noise:
    """The boilerplate of a pair of publishers (both outlets' learnt shingles), memoised."""

    def __init__(self, boilerplate: dict[str, np.ndarray]):
        self.boilerplate = boilerplate
        self.seen: dict[tuple[str | None, str | None], np.ndarray] = {}

    def of(self, outlet_a: str | None, outlet_b: str | None) -> np.ndarray:
        """The union of the two outlets' boilerplate shingles and the archive's recurring
        passages (sorted)."""
        key = (outlet_a, outlet_b)
        if key not in self.seen:
            self.seen[key] = np.union1d(
                np.union1d(self.boilerplate.get(outlet_a, _EMPTY),
                           self.boilerplate.get(outlet_b, _EMPTY)),
                self.boilerplate.get(ARCHIVE, _EMPTY))
        return self.seen[key]


class _Prints:
    """Full fingerprints of articles by id, the most recently used kept.

    An article id is a hash of its text, so an entry stays valid for as long as the process
    lives; one cache per process serves every chunk it verifies.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple[str, str], Fingerprint] = OrderedDict()

    def fingerprint(self, article: Article, params: FingerprintParams) -> Fingerprint:
        """The full fingerprint of an article (its stored signature is not computed again)."""
        key = (article.id, params.recipe)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            return found
        stored = article.sketch.signature if article.sketch is not None else None
        found = self.entries[key] = fingerprint(article.text, params, stored)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return found


_PRINTS = _Prints(config.VERIFY_CACHE)


# --- stories ------------------------------------------------------------------------------------


def rebuild_stories(store: Store, run_id: int) -> int:
    """Re-cluster all current copy edges into stories; returns the number of stories."""
    edges = store.copy_edges()
    involved = sorted({e.source_id for e in edges} | {e.copy_id for e in edges})
    meta = {a.id: a for a in store.article_meta(involved)}
    published = {i: published_time(a.published) for i, a in meta.items()}
    stories = cluster_stories(involved, edges, published, include_singletons=False)
    credits = store.wire_credits([s.origin_article_id for s in stories])
    outlets = []
    for story in stories:
        publisher = meta[story.origin_article_id].publisher_id
        outlets.append(replace(story, origin_outlet_id=publisher, run_id=run_id,
                               upstream_outlet_id=credits.get(story.origin_article_id)
                               or publisher))
    store.replace_stories(outlets)
    return len(outlets)


def _chunks(items: list, size: int) -> Iterable[list]:
    """Consecutive slices of ``items`` of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
