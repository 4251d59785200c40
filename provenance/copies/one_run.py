"""Verdicts of the candidate pairs that share one diagonal run of shingles, found in columns.

Most candidates of dense reuse share one paragraph: ``batch._shared_runs`` finds one run of
shared shingles on one diagonal for each. For such a pair the steps that ``verify`` takes
(``batch._hopeless``, ``alignment.passages_of_runs``, ``verification.judge``) come down to a
few sums over the two ends of the run: the tokens it covers on either side, its text's body and
unquoted tokens under it (from the prefix sums each text's memo keeps), the Jaccard, the
coverage and the kind. ``judge_one_run`` computes them for all such pairs of a chunk at once,
and makes a ``CopyMatch`` for a pair only when it is a copy. The verdicts are those of
``verify``, number for number (`tests/test_fast_paths.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from provenance.config import DEFAULT_THRESHOLDS, Thresholds
from provenance.copies.alignment import Run
from provenance.copies.boilerplate import in_template_slots, may_sit_in_slots
from provenance.copies.minhash import Fingerprint, estimate_jaccard
from provenance.copies.verification import CopyMatch, unquoted_prefix
from provenance.records import Passage

# What `batch._outside` gives each side of a pair: its shingles outside the pair's noise (how
# many), the noise shingles it holds, and its body (`verification.body_of`).
Side = tuple[int, np.ndarray, tuple]
# A pair sharing one run: its two texts, the shingles they share, the run, and both sides.
OneRun = tuple[int, int, int, Run, Side, Side]

_KINDS = (None, "near_duplicate", "partial")


def judge_one_run(prints: Sequence[Fingerprint], pairs: Sequence[OneRun],
                  same_sites: Sequence[bool], thresholds: Thresholds = DEFAULT_THRESHOLDS,
                  ) -> list[CopyMatch | None]:
    """``verify`` of each pair ``(i, j, shared, run, side_a, side_b)`` of two different,
    non-empty texts ``prints[i]`` and ``prints[j]`` that share ``shared`` shingles outside
    the pair's noise, all on one diagonal ``run``; ``same_sites[p]``: the texts are two pages
    of one site (their shared text may be the site's template)."""
    results: list[CopyMatch | None] = [None] * len(pairs)
    if not pairs:
        return results
    t = thresholds
    col = _Columns(prints, pairs)
    jaccard = col.shared / (col.size_a + col.size_b - col.shared)
    covered = np.minimum(col.on_a, col.on_b)
    # `batch._hopeless` (and `judge`'s `_too_little`, the same test on one run)
    alive = np.flatnonzero((covered >= t.min_passage_tokens) & ~(
        (jaccard < t.near_dup_jaccard) & (covered < t.partial_min_tokens)
        & (np.maximum(col.on_a / col.body_a, col.on_b / col.body_b) < t.near_dup_coverage)))
    if not len(alive):
        return results
    cov_a = col.in_bodies(alive, 0) / col.body_a[alive]
    cov_b = col.in_bodies(alive, 1) / col.body_b[alive]
    unquoted = col.texts(unquoted_prefix, alive)
    kinds = _kind(np.maximum(cov_a, cov_b), covered[alive],
                  np.minimum(col.under(alive, 0, unquoted), col.under(alive, 1, unquoted)),
                  jaccard[alive], t)
    chosen = np.flatnonzero(kinds)
    if not len(chosen):
        return results
    rows = alive[chosen]
    measures = zip(rows.tolist(), kinds[chosen].tolist(), jaccard[rows].tolist(),
                   cov_a[chosen].tolist(), cov_b[chosen].tolist(), covered[rows].tolist(),
                   np.maximum(col.on_a[rows], col.on_b[rows]).tolist(),
                   col.passage_offsets(rows), col.estimates(rows), strict=True)
    for p, kind, jac, coverage_a, coverage_b, tokens, longer, span, estimate in measures:
        i, j, shared, _, side_a, side_b = pairs[p]
        similarity = round(min(1.0, tokens / max(longer, 1)), 4)
        passage = Passage(*span, tokens=tokens, similarity=similarity, revised=similarity < 1.0)
        if same_sites[p] and col.template(p, passage):
            continue
        results[p] = CopyMatch(
            kind=_KINDS[kind], jaccard=jac, jaccard_estimate=estimate,
            containment_a_in_b=shared / side_a[0], containment_b_in_a=shared / side_b[0],
            coverage_a=coverage_a, coverage_b=coverage_b, passages=(passage,),
            recipe=prints[i].recipe)
    return results


def _kind(coverage: np.ndarray, covered: np.ndarray, unquoted: np.ndarray,
          jaccard: np.ndarray, t: Thresholds) -> np.ndarray:
    """``verification._kind`` of each pair, as the index of its kind in ``_KINDS``."""
    near = (coverage >= t.near_dup_coverage) | (jaccard >= t.near_dup_jaccard)
    partial = ((coverage >= t.partial_min_coverage) & (covered >= t.partial_min_tokens)
               & (unquoted >= min(t.partial_min_framing_tokens, t.partial_min_tokens)))
    kinds = np.where(near, 1, np.where(partial, 2, 0))
    kinds[(covered < t.min_passage_tokens) & (jaccard < t.near_dup_jaccard)] = 0
    return kinds


# A table of every text of a chunk's pairs laid end to end, and where each text's part starts.
Flat = tuple[np.ndarray, np.ndarray]


class _Columns:
    """The pairs' texts, runs and sides as columns: the ends of each run in token positions
    (half-open, as `alignment._chain` makes them: a run's last shingle covers ``width``
    tokens), the tokens covered on either side, the shared shingles and the sides' sizes."""

    def __init__(self, prints: Sequence[Fingerprint], pairs: Sequence[OneRun]):
        self.prints, self.pairs = prints, pairs
        count = len(pairs)
        self.i = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=count)
        self.j = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=count)
        self.shared = np.fromiter((p[2] for p in pairs), dtype=np.int64, count=count)
        run = np.array([p[3] for p in pairs], dtype=np.int64).reshape(count, 4)
        sizes = np.array([(p[4][0], p[5][0], p[4][2][1], p[5][2][1]) for p in pairs],
                         dtype=np.int64).reshape(count, 4)
        self.size_a, self.size_b, self.body_a, self.body_b = sizes.T
        self.n = np.array([fp.token_count for fp in prints], dtype=np.int64)
        shingle = np.array([fp.params.shingle_size for fp in prints], dtype=np.int64)
        n_a, n_b = self.n[self.i], self.n[self.j]
        width = np.minimum(shingle[self.i], np.minimum(n_a, n_b))
        self.lo_a, self.lo_b = run[:, 0], run[:, 2]
        self.hi_a = np.minimum(run[:, 1] + width, n_a)
        self.hi_b = np.minimum(run[:, 3] + width, n_b)
        self.on_a, self.on_b = self.hi_a - self.lo_a, self.hi_b - self.lo_b

    def texts(self, table, rows: np.ndarray) -> Flat:
        """``table(fingerprint)`` of each text of the pairs ``rows``, end to end."""
        starts = np.zeros(len(self.prints), dtype=np.int64)
        used = np.unique(np.concatenate((self.i[rows], self.j[rows])))
        tables = [table(self.prints[k]) for k in used.tolist()]
        places = np.cumsum([0] + [len(found) for found in tables[:-1]])
        starts[used] = places
        return np.concatenate(tables), starts

    def under(self, rows: np.ndarray, side: int, flat: Flat) -> np.ndarray:
        """For each of ``rows``, the difference of one side's prefix sums (a `Flat` table of
        its text) across its end of the run: how many of the tokens it counts the run covers."""
        at, lo, hi = self._run_in(rows, side, flat[1])
        return flat[0][at + hi] - flat[0][at + lo]

    def _run_in(self, rows: np.ndarray, side: int, starts: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each of ``rows``, where one side's text starts in a `Flat` table (``starts``),
        and the run's half-open token range on that side."""
        at = starts[(self.i if side == 0 else self.j)[rows]]
        if side == 0:
            return at, self.lo_a[rows], self.hi_a[rows]
        return at, self.lo_b[rows], self.hi_b[rows]

    def in_bodies(self, rows: np.ndarray, side: int) -> np.ndarray:
        """The body tokens (`verification.body_of`) of one side under each row's run: the
        body of a text depends on the noise of its pair (its prefix sums are laid end to end
        once each)."""
        place: dict[int, int] = {}
        distinct: list[np.ndarray] = []
        at = np.empty(len(rows), dtype=np.int64)
        total = 0
        for k, p in enumerate(rows.tolist()):
            prefix = self.pairs[p][4 + side][2][2]
            found = place.get(id(prefix))
            if found is None:
                found = place[id(prefix)] = total
                distinct.append(prefix)
                total += len(prefix)
            at[k] = found
        values = np.concatenate(distinct)
        lo, hi = (self.lo_a, self.hi_a) if side == 0 else (self.lo_b, self.hi_b)
        return values[at + hi[rows]] - values[at + lo[rows]]

    def passage_offsets(self, rows: np.ndarray) -> list[tuple[int, int, int, int]]:
        """The character offsets of each row's passage: the start of the run's first token
        and the end of its last, in A and in B (`alignment._passage`)."""
        starts = self.texts(lambda fp: fp.token_starts, rows)
        ends = self.texts(lambda fp: fp.token_ends, rows)
        offsets = []
        for side in (0, 1):
            at, lo, hi = self._run_in(rows, side, starts[1])
            offsets.append(starts[0][at + lo])
            at, lo, hi = self._run_in(rows, side, ends[1])
            offsets.append(ends[0][at + hi - 1])
        return list(zip(*(column.tolist() for column in offsets), strict=True))

    def estimates(self, rows: np.ndarray) -> list[float]:
        """``minhash.estimate_jaccard`` of each row's texts, from their signatures at once
        (one by one where their lengths differ)."""
        used = np.unique(np.concatenate((self.i[rows], self.j[rows])))
        texts = [self.prints[k] for k in used.tolist()]
        lengths = {len(fp.signature) for fp in texts}
        if len(lengths) != 1 or not all(len(fp.shingles) for fp in texts):
            return [estimate_jaccard(self.prints[i], self.prints[j]) for i, j in zip(
                self.i[rows].tolist(), self.j[rows].tolist(), strict=True)]
        slot = np.zeros(len(self.prints), dtype=np.int64)
        slot[used] = np.arange(len(used))
        signatures = np.stack([fp.signature for fp in texts])
        equal = np.count_nonzero(signatures[slot[self.i[rows]]]
                                 == signatures[slot[self.j[rows]]], axis=1)
        return (equal / lengths.pop()).tolist()

    def template(self, p: int, passage: Passage) -> bool:
        """``in_template_slots`` of pair ``p`` of two pages of one site, sharing ``passage``;
        asked only where both pages may hold it in their slots (`may_sit_in_slots`)."""
        i, j = self.pairs[p][0], self.pairs[p][1]
        for fp, lo, hi in ((self.prints[i], self.lo_a[p], self.hi_a[p]),
                           (self.prints[j], self.lo_b[p], self.hi_b[p])):
            if fp.prose is None:
                before, after = lo, fp.token_count - hi
            else:
                before = np.count_nonzero(fp.prose[:lo])
                after = np.count_nonzero(fp.prose[hi:])
            if not may_sit_in_slots(hi - lo, before, after):
                return False
        return in_template_slots(self.prints[i], self.prints[j], (passage,))
