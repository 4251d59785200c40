"""The candidate pairs of a scan's copy phase (step 2 of `scan.copy_phase`).

Every LSH bucket of the archive proposes its pairs (`copies.bucket_pairs`: all pairs of a bucket
of up to `config.PAIR_BUCKET` articles; in a larger one, each member with its
`config.BUCKET_REPRESENTATIVES` earliest published members; none above `config.MAX_BUCKET`,
counted as hot keys), and so does each group of equal texts. The proposals are summed by pair
(`copies.candidates.PairWeights`) and the candidates chosen (`copies.candidates.candidates`).

Which pairs are candidates is a property of the whole archive: a key's weight falls as more
articles hold it, a bucket that grows large pairs its members with its representatives only, a
new article can make two archived ones a family. So every bucket is read, also in a scan of a
few new articles, and the archived articles whose pairs changed are compared again:

* both articles of a stored copy edge that is no longer a candidate (its keys now weigh too
  little, or its bucket now pairs it otherwise) and that screening would not verify as a
  light pair;
* one article of a pair of archived articles, without an edge, that a new article makes a
  family (both are strong with it): the pair had never been a candidate.

The pairs to compare are the candidates with an article awaiting comparison, by the chunk of the
first such article (``new_ids`` is sorted), as pair codes (`names` decodes them), with the
light pairs (proposed, too light to be candidates): screening verifies those only when their
shingle sets share `config_copies.LIGHT_MIN_SHINGLES` shingles outside the boilerplate (a
verbatim passage, `scan.pairs.screen_task`). An archived edge whose pair has turned light stays
when screening would verify it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from provenance import config, config_copies
from provenance.copies import bucket_pairs
from provenance.copies.candidates import (
    PairWeights,
    candidates,
    key_weight,
    needed_weight,
    pair_code,
    promoted,
    publication_rank,
    split_codes,
    strong_pairs,
)
from provenance.scan.boilerplate import noise_keys
from provenance.scan.pairs import Pair, ScreenTask, screen_task
from provenance.scan.reads import ChunkReads

if TYPE_CHECKING:
    from provenance.scan.copy_phase import CopyCounts
    from provenance.store import Store

_NO_PAIR = (1 << 64) - 1  # the code of an edge whose articles no bucket holds: no candidate


def find_candidates(store: Store, new_ids: list[str], counts: CopyCounts,
                    before_writing: Callable[[], None] = lambda: None
                    ) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], list[str], list[str]]:
    """The pairs to compare, by chunk: the sorted pair codes, and those of the light pairs
    among them; the names that decode the codes; the articles to compare (``new_ids`` and
    those compared again, after ``before_writing``: the index may hold the write lock)."""
    proposals = _Proposals(store, new_ids, counts)
    for size, members in store.shared_buckets(config.MAX_BUCKET):
        if size > config.MAX_BUCKET:
            counts.hot_keys += 1
        else:
            proposals.add(members)
    for members in store.same_text_groups():
        proposals.add(members, same_text=True)  # a family of exact copies is never hot
    proposals.flush()
    codes, sums = proposals.weights.summed()
    strong = strong_pairs(sums, proposals.needed, config_copies.CANDIDATE_KEYS)
    wanted, lifted = candidates(codes, strong)
    names, pending = proposals.names, len(new_ids)
    if pending < store.count("fingerprint"):
        again = _changed(store, codes, wanted, strong, names, pending)
        if again:
            counts.requeued = len(again)
            before_writing()
            store.requeue_matches(again)
            new_ids = store.pending_matches()
    first, second = split_codes(codes)
    new = set(new_ids)
    is_new = np.array([n in new for n in names], dtype=bool)
    touched = is_new[first] | is_new[second]
    counts.light_pairs = int((touched & ~wanted).sum())
    counts.promoted_pairs = int((touched & lifted).sum())
    return _by_chunk(codes[touched], ~wanted[touched], names, new_ids)


def _changed(store: Store, codes: np.ndarray, wanted: np.ndarray, strong: np.ndarray,
             names: list[str], pending: int) -> set[str]:
    """The archived articles to compare again (see the module): both of an edge that is no
    longer a candidate, and one of each pair of archived articles, without an edge, that a new
    article (a code below ``pending``) makes a family."""
    code_of = {name: n for n, name in enumerate(names)}
    edges = [(min(pair), max(pair)) for pair in store.copy_edge_pairs()]
    edge_codes = np.array([pair_code(code_of[a], code_of[b]) if a in code_of and b in code_of
                           else _NO_PAIR for a, b in edges], dtype=np.uint64)
    lapsed = (~np.isin(edge_codes, codes[wanted])).tolist()
    proposed = np.isin(edge_codes, codes).tolist()
    light = [edge for edge, gone, known in zip(edges, lapsed, proposed, strict=True)
             if gone and known]
    kept = light_pairs_kept(store, light, ChunkReads())  # verified again as a fresh scan would
    again = {article for edge, gone in zip(edges, lapsed, strict=True)
             if gone and edge not in kept for article in edge}
    first, second = split_codes(codes)
    archived = (first >= pending) & (second >= pending) & ~np.isin(codes, edge_codes)
    fresh = promoted(codes, strong, supporters=np.arange(len(names)) < pending, among=archived)
    again.update(min(names[a], names[b]) for a, b in zip(
        first[fresh].tolist(), second[fresh].tolist(), strict=True))
    return again


def _by_chunk(codes: np.ndarray, light: np.ndarray, names: list[str], new_ids: list[str]
              ) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], list[str], list[str]]:
    """The pair codes by chunk of ``new_ids`` (that of a pair's first article awaiting
    comparison), with those of its light pairs, the articles awaiting comparison coded first
    in their order."""
    pending = set(new_ids)
    ordered = list(new_ids) + [n for n in names if n not in pending]
    code_of = {name: n for n, name in enumerate(ordered)}
    recode = np.array([code_of[n] for n in names], dtype=np.uint64)
    first, second = split_codes(codes)
    first, second = recode[first.astype(np.intp)], recode[second.astype(np.intp)]
    chunk = np.minimum(first, second) // np.uint64(config.MATCH_CHUNK)
    recoded = first << np.uint64(32) | second
    if not len(chunk):
        return {}, ordered, new_ids
    order = np.lexsort((recoded, chunk))
    chunk, recoded, light = chunk[order], recoded[order], light[order]
    starts = np.flatnonzero(np.r_[True, chunk[1:] != chunk[:-1]])
    return ({int(chunk[at]): (part, part[weak]) for at, part, weak in zip(
        starts, np.split(recoded, starts[1:]), np.split(light, starts[1:]), strict=True)},
            ordered, new_ids)


class _Proposals:
    """The proposals of the buckets added, summed by pair (see `find_candidates`). Articles are
    coded in the order met, those awaiting comparison first. Large buckets wait until the
    publication times of their members are read (a batch at a time): their representatives
    are their earliest members, the likely origins."""

    def __init__(self, store: Store, new_ids: list[str], counts: CopyCounts):
        self.store, self.counts = store, counts
        self.codes = {article_id: n for n, article_id in enumerate(new_ids)}
        self.names = list(new_ids)
        self.needed = needed_weight(config_copies.CANDIDATE_WEIGHT)
        self.weights = PairWeights()
        self.ranks: dict[str, tuple] = {}
        self.waiting: list[tuple[list[str], int]] = []

    def add(self, members: list[str], same_text: bool = False) -> None:
        """Propose the pairs of one bucket (a large one waits for its members' times), or of
        a group of equal texts (strong whatever their keys)."""
        weight = self.needed if same_text else key_weight(len(members))
        if len(members) <= config.PAIR_BUCKET:
            self._propose(members, weight)
            return
        self.counts.represented_buckets += 1
        self.waiting.append((members, weight))
        if len(self.waiting) >= config.COPY_SLICE:
            self.flush()

    def flush(self) -> None:
        """Propose the pairs of the large buckets waiting."""
        unknown = {m for members, _ in self.waiting for m in members} - self.ranks.keys()
        for article_id, published in self.store.published_of(unknown).items():
            self.ranks[article_id] = publication_rank(article_id, published)
        for members, weight in self.waiting:
            self._propose(members, weight, self.ranks.get)
        self.waiting = []

    def _propose(self, members: list[str], weight: int, rank: Callable | None = None) -> None:
        codes, names, add = self.codes, self.names, self.weights.add
        # most buckets hold two articles: their one pair, without `bucket_pairs`
        pairs = [(min(members), max(members))] if len(members) == 2 else bucket_pairs(
            members, None, config.PAIR_BUCKET, config.BUCKET_REPRESENTATIVES, rank)
        for a, b in pairs:  # a < b
            code_a, code_b = codes.get(a), codes.get(b)
            if code_a is None:
                code_a = codes[a] = len(names)
                names.append(a)
            if code_b is None:
                code_b = codes[b] = len(names)
                names.append(b)
            add(code_a << 32 | code_b, weight)


def light_pairs_kept(store: Store, pairs: list[Pair], read: ChunkReads) -> set[Pair]:
    """The pairs, taken as light (proposed, too light to be candidates), that screening would
    leave to verification (in this process)."""
    if not pairs:
        return set()
    ids = sorted({i for pair in pairs for i in pair})
    publishers = read.publishers(store, ids)
    task = ScreenTask([], sorted(pairs), store.shingle_sets(ids), publishers,
                      read.boilerplate(store, noise_keys(publishers.values())),
                      light=frozenset(pairs))
    return set(screen_task(task).pairs)
