"""The copy-detection phase of a scan: persistent-index candidates, verification, edges, stories.

Runs after the new articles of a scan are stored with their fingerprints and LSH keys:

1. boilerplate: for each outlet with new articles, the shingles it repeats under many of its
   articles are learnt from its latest articles and stored (`boilerplate` table);
2. candidates: the new articles' keys are added to the `lsh_key` index of the whole archive in
   one sorted pass, and every bucket holding a new article's key is read (buckets larger than
   `config.MAX_BUCKET` are skipped: a key shared by that many articles is boilerplate or a
   stock phrase, not evidence of a copy); articles with the same text hash are paired too;
3. verification: each candidate pair is verified on the full texts (`match.verify`), never taken
   from LSH alone; verified pairs are directed by publication time (or by a credit line that
   names the other's publisher) and written as `copy_edge` rows. New articles are taken in
   chunks of `config.MATCH_CHUNK` (a pair belongs to the chunk of its first new article). A
   chunk's pairs are first screened with the stored shingle sets (a pair that shares no text
   outside the boilerplate cannot verify), then the rest are verified on the texts; both
   passes, like step 1, run in the scan's worker processes;
4. stories: all current copy edges are clustered into stories with the chaining guard of
   `match.cluster_stories`, and each story records its origin and upstream outlet.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from provenance import config
from provenance.copies.fingerprint import (
    KEY_BYTES,
    Fingerprint,
    FingerprintParams,
    fingerprint,
    unpack_shingles,
    unpack_signature,
)
from provenance.copies.match import (
    CopyMatch,
    Thresholds,
    cluster_stories,
    direct,
    learn_boilerplate,
    orient_known,
    verify,
)
from provenance.store.database import Store

log = logging.getLogger(__name__)

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
    timings: dict = field(default_factory=dict)  # wall-clock seconds per step

    def as_dict(self) -> dict:
        """Plain data for the run record."""
        return {"candidate_pairs": self.candidates, "copy_edges": self.verified,
                "edges_by_kind": self.edges or {}, "stories": self.stories,
                "boilerplate_outlets": self.boilerplate_outlets}


def parse_when(value: str | None) -> datetime | date | None:
    """A stored ISO date (`YYYY-MM-DD`) or UTC datetime (`...Z`) as a date or datetime."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _serial(fn: Callable, items: Iterable, _min_items: int = 0) -> Iterator:
    """The in-process mapper: ``fn`` over ``items`` in order."""
    return map(fn, items)


def find_copies(store: Store, run_id: int, params: FingerprintParams, thresholds: Thresholds,
                progress: Progress | None = None, mapper: Mapper | None = None) -> CopyCounts:
    """Compare every article not yet compared with the archive, store the verified copy edges,
    then rebuild the stories. An interrupted phase resumes with the next scan.

    ``mapper(fn, items, min_items)`` runs the per-outlet and per-chunk work, in order (the scan
    passes its worker processes); by default it runs in this process.
    """
    mapper = mapper or _serial
    counts = CopyCounts()
    clock = _Clock(counts.timings)
    new_ids = store.pending_matches()
    if new_ids:
        with clock("boilerplate"):
            counts.boilerplate_outlets = _learn_boilerplate(store, run_id, new_ids, params,
                                                            mapper)
        with clock("candidates"):
            store.index_pending_keys(KEY_BYTES)
            by_chunk, names = _candidates(store, new_ids)
        with clock("verify"):
            edges_by_kind: dict[str, int] = defaultdict(int)
            done = 0
            # Two passes per chunk, both in the workers: the stored shingle sets rule out most
            # pairs (those a footer or stock phrase proposed); the rest are verified on the texts.
            screened = mapper(_screen_task, _screen_tasks(store, new_ids, by_chunk, names),
                              config.MIN_CHUNKS_FOR_POOL)
            tasks = (_verify_task_of(store, *found, params, thresholds) for found in screened)
            for chunk, rows, pairs in mapper(_verify_task, tasks, config.MIN_CHUNKS_FOR_POOL):
                counts.candidates += pairs
                store.write_copy_edges(run_id, rows, chunk)
                for row in rows:
                    edges_by_kind[row["kind"]] += 1
                counts.verified += len(rows)
                done += len(chunk)
                if progress:
                    progress("match", done, len(new_ids))
            counts.edges = dict(edges_by_kind)
    with clock("stories"):
        counts.stories = rebuild_stories(store, run_id)
    return counts


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


def _learn_boilerplate(store: Store, run_id: int, new_ids: list[str],
                       params: FingerprintParams, mapper: Mapper) -> int:
    """Re-learn the boilerplate of every outlet that has new articles; returns how many."""
    def tasks() -> Iterator[tuple[str, list[bytes]]]:
        for outlet_id in store.publishers_of(new_ids):
            sets = store.outlet_shingles(outlet_id, config.BOILERPLATE_SAMPLE)
            if len(sets) >= config.BOILERPLATE_MIN_ARTICLES:
                yield outlet_id, sets

    learnt = 0
    for outlet_id, shingles in mapper(_boilerplate_task, tasks(), config.MIN_OUTLETS_FOR_POOL):
        store.replace_boilerplate(outlet_id, shingles, run_id)
        learnt += bool(shingles)
    return learnt


def _boilerplate_task(task: tuple[str, list[bytes]]) -> tuple[str, list[int]]:
    """One outlet's boilerplate shingles, sorted, from the stored shingle sets of its latest
    articles (runs in a worker)."""
    outlet_id, sets = task
    return outlet_id, sorted(learn_boilerplate([unpack_shingles(s) for s in sets]))


class _Codes:
    """A set of pair codes kept in 8 bytes each: appended to a short list, merged into a sorted
    array whenever the list grows (a pair is often proposed by many keys)."""

    def __init__(self) -> None:
        self.merged = np.zeros(0, dtype=np.uint64)
        self.recent: list[int] = []

    def add(self, code: int) -> None:
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


def _screen_tasks(store: Store, new_ids: list[str], by_chunk: dict[int, _Codes],
                  names: list[str]) -> Iterator[dict]:
    """Per chunk of new articles: its candidate pairs with their stored shingle sets."""
    for index, chunk in enumerate(_chunks(new_ids, config.MATCH_CHUNK)):
        codes = by_chunk.pop(index, None)
        pairs = sorted((names[code >> 32], names[code & 0xFFFFFFFF])
                       for code in (codes.codes() if codes else ()))
        task = {"chunk": chunk, "pairs": pairs, "shingles": {}, "publishers": {},
                "boilerplate": {}}
        if pairs:
            ids = sorted({i for pair in pairs for i in pair})
            task["shingles"] = store.shingle_sets(ids)
            task["publishers"] = {r["id"]: r["publisher_id"] for r in store.article_meta(ids)}
            task["boilerplate"] = store.boilerplate(set(task["publishers"].values()))
        yield task


def _screen_task(task: dict) -> tuple[list[str], list[tuple[str, str]], int]:
    """The pairs of a chunk that `verify` could accept, judged from their shingle sets alone
    (runs in a worker): the chunk, those pairs and the number of pairs screened."""
    sets: dict[str, np.ndarray] = {}
    noises: dict[tuple, np.ndarray] = {}
    publishers, boiler = task["publishers"], task["boilerplate"]
    kept = []
    for a, b in task["pairs"]:
        for article_id in (a, b):
            if article_id not in sets:
                sets[article_id] = unpack_shingles(task["shingles"].get(article_id, b""))
        outlets = (publishers.get(a), publishers.get(b))
        if outlets not in noises:
            noises[outlets] = np.union1d(boiler.get(outlets[0], _EMPTY),
                                         boiler.get(outlets[1], _EMPTY))
        if not _no_common_text(sets[a], sets[b], noises[outlets]):
            kept.append((a, b))
    return task["chunk"], kept, len(task["pairs"])


def _verify_task_of(store: Store, chunk: list[str], pairs: list[tuple[str, str]], screened: int,
                    params: FingerprintParams, thresholds: Thresholds) -> dict:
    """A chunk's remaining candidate pairs with the texts and facts that verifying needs."""
    task = {"chunk": chunk, "pairs": pairs, "screened": screened, "params": params,
            "thresholds": thresholds, "docs": {}, "boilerplate": {}, "cited": {}}
    if pairs:
        ids = sorted({i for pair in pairs for i in pair})
        task["docs"] = {row["id"]: row for row in store.texts(ids)}
        task["boilerplate"] = store.boilerplate(
            {row["publisher_id"] for row in task["docs"].values()})
        task["cited"] = store.cited_outlets(ids)
    return task


def _verify_task(task: dict) -> tuple[list[str], list[dict], int]:
    """Verify one chunk's candidate pairs (runs in a worker): the chunk, its directed copy-edge
    rows and the number of candidate pairs it had."""
    return task["chunk"], _verify_pairs(task), task["screened"]


class _Prints:
    """Full fingerprints of articles by id, the most recently used kept.

    An article id is a hash of its text, so an entry stays valid for as long as the process
    lives; one cache per process serves every chunk it verifies.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple[str, str], list] = OrderedDict()

    def _entry(self, article_id: str, params: FingerprintParams) -> list:
        key = (article_id, params.recipe)
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = [None]
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        return entry

    def fingerprint(self, article_id: str, doc: dict, params: FingerprintParams) -> Fingerprint:
        """The full fingerprint of an article (its stored signature is not computed again)."""
        entry = self._entry(article_id, params)
        if entry[0] is None:
            stored = doc.get("signature")
            entry[0] = fingerprint(doc["text"], params,
                                   unpack_signature(stored, params) if stored else None)
        return entry[0]


_PRINTS = _Prints(config.VERIFY_CACHE)


def _verify_pairs(task: dict) -> list[dict]:
    """Verified, directed copy-edge rows for the candidate pairs of a task."""
    params, docs, boiler = task["params"], task["docs"], task["boilerplate"]
    noises: dict[tuple, np.ndarray] = {}
    rows = []
    for a, b in task["pairs"]:
        meta_a, meta_b = docs[a], docs[b]
        outlets = (meta_a["publisher_id"], meta_b["publisher_id"])
        if outlets not in noises:
            noises[outlets] = np.union1d(boiler.get(outlets[0], _EMPTY),
                                         boiler.get(outlets[1], _EMPTY))
        noise = noises[outlets]
        match = verify(_PRINTS.fingerprint(a, meta_a, params),
                       _PRINTS.fingerprint(b, meta_b, params), boilerplate=noise,
                       thresholds=task["thresholds"])
        if match is None:
            continue
        match = _orient(match, meta_a, meta_b, task["cited"].get(a, set()),
                        task["cited"].get(b, set()))
        rows.append(_edge_row(a, b, match, meta_a, meta_b))
    return rows


def _no_common_text(a: np.ndarray, b: np.ndarray, noise: np.ndarray) -> bool:
    """Whether `verify` is sure to reject a pair, seen from the shingle sets alone: the texts
    differ and share no shingle outside the boilerplate (most pairs proposed by a footer)."""
    if np.array_equal(a, b):
        return False
    common = np.intersect1d(np.setdiff1d(a, noise, assume_unique=True),
                            np.setdiff1d(b, noise, assume_unique=True), assume_unique=True)
    return not len(common)


_EMPTY = np.zeros(0, dtype=np.uint64)


def _orient(match: CopyMatch, meta_a: dict, meta_b: dict, cites_a: set[str],
            cites_b: set[str]) -> CopyMatch:
    """Direct a match: by a credit that names the other's publisher, else by publication time."""
    when_a, when_b = parse_when(meta_a["published"]), parse_when(meta_b["published"])
    a_credits_b = meta_b["publisher_id"] in cites_a and meta_b["publisher_id"] != \
        meta_a["publisher_id"]
    b_credits_a = meta_a["publisher_id"] in cites_b and meta_a["publisher_id"] != \
        meta_b["publisher_id"]
    timed = direct(match, when_a, when_b)
    if a_credits_b != b_credits_a:
        known = orient_known(match, "a" if a_credits_b else "b", when_a, when_b)
        # Publication time decides when it agrees or is missing; a credit line that contradicts
        # the dates keeps the credited direction and flags the copy as backdated.
        if timed.direction in ("similar", known.direction) or known.backdated:
            return known
    return timed


def _edge_row(a: str, b: str, match: CopyMatch, meta_a: dict, meta_b: dict) -> dict:
    """A copy_edge row with the source first (or ids in order for undirected pairs)."""
    a_is_source = match.direction != "b_to_a"
    source, copy = (a, b) if a_is_source else (b, a)
    passages = [[p.a_start, p.a_end, p.b_start, p.b_end, p.tokens] if a_is_source
                else [p.b_start, p.b_end, p.a_start, p.a_end, p.tokens]
                for p in match.passages]
    passages.sort()
    if match.direction != "similar":
        basis = "published"
    elif meta_a["published"] and meta_b["published"]:
        basis = "tie"
    else:
        basis = "undated"
    return {
        "source_id": source, "copy_id": copy,
        "relation": "similar" if match.direction == "similar" else "derived_from",
        "kind": match.kind, "jaccard": round(match.jaccard, 4),
        "jaccard_estimate": round(match.jaccard_estimate, 4),
        "containment_copy_in_source": round(match.containment_b_in_a if a_is_source
                                            else match.containment_a_in_b, 4),
        "containment_source_in_copy": round(match.containment_a_in_b if a_is_source
                                            else match.containment_b_in_a, 4),
        "coverage_copy": round(match.coverage_b if a_is_source else match.coverage_a, 4),
        "coverage_source": round(match.coverage_a if a_is_source else match.coverage_b, 4),
        "passages": json.dumps(passages), "direction_basis": basis,
        "backdated": match.backdated,
    }


def edge_match(row: dict) -> CopyMatch:
    """A stored copy edge as the CopyMatch that `cluster_stories` weighs (source = side a)."""
    return CopyMatch(row["kind"], row["jaccard"], row["jaccard_estimate"],
                     row["containment_source_in_copy"], row["containment_copy_in_source"],
                     row["coverage_source"], row["coverage_copy"], (), "")


def rebuild_stories(store: Store, run_id: int) -> int:
    """Re-cluster all current copy edges into stories; returns the number of stories."""
    edges = store.copy_edges()
    involved = sorted({e["source_id"] for e in edges} | {e["copy_id"] for e in edges})
    meta = {row["id"]: row for row in store.article_meta(involved)}
    published = {i: parse_when(m["published"]) for i, m in meta.items()}
    stories = cluster_stories(involved, [(e["source_id"], e["copy_id"], edge_match(e))
                                         for e in edges], published, include_singletons=False)
    credits = store.wire_credits([s.origin for s in stories])
    rows, members = [], []
    for story in stories:
        origin = meta[story.origin]
        rows.append({"id": story.id, "origin_article_id": story.origin,
                     "origin_outlet_id": origin["publisher_id"],
                     "upstream_outlet_id": credits.get(story.origin) or origin["publisher_id"],
                     "size": len(story.members), "run_id": run_id})
        members += [{"story_id": story.id, "article_id": m} for m in story.members]
    store.replace_stories(rows, members)
    return len(rows)


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
