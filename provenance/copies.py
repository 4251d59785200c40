"""The copy-detection phase of a scan: persistent-index candidates, verification, edges, stories.

Runs after the new articles of a scan are stored with their fingerprints and LSH keys:

1. boilerplate: for each outlet with new articles, the shingles it repeats under many of its
   articles are learnt from its latest articles and stored (`boilerplate` table);
2. candidates: every new article is looked up in the `lsh_key` index of the whole archive
   (buckets larger than `config.MAX_BUCKET` are skipped: a key shared by that many articles is
   boilerplate or a stock phrase, not evidence of a copy) and by exact text hash;
3. verification: each candidate pair is verified on the full texts (`match.verify`), never taken
   from LSH alone; verified pairs are directed by publication time (or by a credit line that
   names the other's publisher) and written as `copy_edge` rows;
4. stories: all current copy edges are clustered into stories with the chaining guard of
   `match.cluster_stories`, and each story records its origin and upstream outlet.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from . import config
from .fingerprint import Fingerprint, FingerprintParams, fingerprint
from .match import (
    CopyMatch,
    Thresholds,
    cluster_stories,
    direct,
    learn_boilerplate,
    orient_known,
    verify,
)
from .store import Store

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass
class CopyCounts:
    """What the copy phase did, for the run's counts."""

    candidates: int = 0
    verified: int = 0
    edges: dict | None = None
    stories: int = 0
    boilerplate_outlets: int = 0

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


class _Fingerprints:
    """A bounded cache of full fingerprints, recomputed from stored text on demand."""

    def __init__(self, store: Store, params: FingerprintParams, size: int):
        self.store, self.params, self.size = store, params, size
        self.cache: OrderedDict[str, Fingerprint] = OrderedDict()
        self.meta: dict[str, dict] = {}

    def load(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in self.cache]
        for row in self.store.texts(missing):
            self.meta[row["id"]] = row
            self._put(row["id"], fingerprint(row["text"], self.params))

    def _put(self, key: str, value: Fingerprint) -> None:
        self.cache[key] = value
        self.cache.move_to_end(key)
        while len(self.cache) > self.size:
            old, _ = self.cache.popitem(last=False)
            self.meta.pop(old, None)

    def get(self, key: str) -> Fingerprint:
        if key not in self.cache:
            self.load([key])
        self.cache.move_to_end(key)
        return self.cache[key]


def find_copies(store: Store, run_id: int, params: FingerprintParams, thresholds: Thresholds,
                progress: Progress | None = None) -> CopyCounts:
    """Compare every article not yet compared with the archive, store the verified copy edges,
    then rebuild the stories. An interrupted phase resumes with the next scan."""
    counts = CopyCounts()
    new_ids = store.pending_matches()
    if new_ids:
        counts.boilerplate_outlets = _learn_boilerplate(store, run_id, new_ids, params)
        edges_by_kind: dict[str, int] = defaultdict(int)
        fps = _Fingerprints(store, params, config.FINGERPRINT_CACHE)
        seen: set[tuple[str, str]] = set()
        done = 0
        for chunk in _chunks(sorted(new_ids), config.MATCH_CHUNK):
            pairs = [p for p in _candidates(store, chunk) if p not in seen]
            seen.update(pairs)
            counts.candidates += len(pairs)
            rows = _verify_pairs(store, pairs, fps, thresholds)
            store.write_copy_edges(run_id, rows, chunk)
            for row in rows:
                edges_by_kind[row["kind"]] += 1
            counts.verified += len(rows)
            done += len(chunk)
            if progress:
                progress("match", done, len(new_ids))
        counts.edges = dict(edges_by_kind)
    counts.stories = rebuild_stories(store, run_id)
    return counts


def _learn_boilerplate(store: Store, run_id: int, new_ids: list[str],
                       params: FingerprintParams) -> int:
    """Re-learn the boilerplate of every outlet that has new articles; returns how many."""
    learnt = 0
    for outlet_id in store.publishers_of(new_ids):
        texts = store.outlet_texts(outlet_id, config.BOILERPLATE_SAMPLE)
        if len(texts) < config.BOILERPLATE_MIN_ARTICLES:
            continue
        shingles = learn_boilerplate([fingerprint(t, params).shingles for t in texts])
        store.replace_boilerplate(outlet_id, sorted(shingles), run_id)
        learnt += bool(shingles)
    return learnt


def _candidates(store: Store, chunk: list[str]) -> list[tuple[str, str]]:
    """Candidate pairs (sorted ids) for the articles of `chunk`, from LSH keys and text hashes."""
    pairs: set[tuple[str, str]] = set()
    buckets: dict[bytes, list[str]] = defaultdict(list)
    for key, article_id in store.key_buckets(chunk, config.MAX_BUCKET):
        buckets[key].append(article_id)
    wanted = set(chunk)
    for members in buckets.values():
        mine = [m for m in members if m in wanted]
        for a in mine:
            for b in members:
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    for a, b in store.same_text_pairs(chunk):
        pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def _verify_pairs(store: Store, pairs: list[tuple[str, str]], fps: _Fingerprints,
                  thresholds: Thresholds) -> list[dict]:
    """Verified, directed copy-edge rows for candidate pairs."""
    if not pairs:
        return []
    ids = sorted({i for pair in pairs for i in pair})
    fps.load(ids)
    boiler = store.boilerplate({fps.meta[i]["publisher_id"] for i in ids if i in fps.meta})
    cited = store.cited_outlets(ids)
    rows = []
    for a, b in pairs:
        meta_a, meta_b = fps.meta.get(a) or store.texts([a])[0], fps.meta.get(b) or \
            store.texts([b])[0]
        noise = np.union1d(boiler.get(meta_a["publisher_id"], _EMPTY),
                           boiler.get(meta_b["publisher_id"], _EMPTY))
        match = verify(fps.get(a), fps.get(b), boilerplate=noise, thresholds=thresholds)
        if match is None:
            continue
        match = _orient(match, meta_a, meta_b, cited.get(a, set()), cited.get(b, set()))
        rows.append(_edge_row(a, b, match, meta_a, meta_b))
    return rows


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
