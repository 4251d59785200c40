"""Passage alignment: the long runs of text two fingerprinted texts share, with offsets in both.

A passage is a long common run of shingles, merged across small gaps (a changed word breaks
``shingle_size`` shingles), reported as character offsets in both texts (``records.Passage``).
Runs shorter than ``Thresholds.min_passage_tokens`` are names and set phrases, not copied text.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from provenance.config import (
    DEFAULT_THRESHOLDS,
    MAX_GAP_TOKENS,
    MAX_OPEN_PASSAGES,
    MAX_REPEATS,
    Thresholds,
)
from provenance.copies.minhash import Fingerprint, as_shingles, check_compatible, in_sorted
from provenance.records import Passage

# A run of shingles on one diagonal: (a_first, a_last, b_first, b_last) shingle positions.
Run = tuple[int, int, int, int]


def align(
    fa: Fingerprint,
    fb: Fingerprint,
    boilerplate: Iterable[int] | np.ndarray = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Passage]:
    """Shared passages of A and B (``min_passage_tokens`` matched at least), in A's order."""
    check_compatible(fa.recipe, fb.recipe)
    common = np.setdiff1d(np.intersect1d(fa.shingles, fb.shingles), as_shingles(boilerplate))
    return passages(fa, fb, common, thresholds)[0]


def passages(
    fa: Fingerprint, fb: Fingerprint, common: np.ndarray,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[Passage], list[Run]]:
    """Passages built from the shingles in ``common``, and the runs of shingles inside them."""
    if not len(common):
        return [], []
    width = min(fa.params.shingle_size, fa.token_count, fb.token_count)
    result, kept_runs = [], []
    chained = _chain(_runs(*_matching_positions(fa, fb, common)), width,
                     thresholds.max_gap_tokens)
    for a_lo, a_hi, b_lo, b_hi, runs in chained:
        a_hi, b_hi = min(a_hi, fa.token_count), min(b_hi, fb.token_count)
        tokens = min(
            int(np.count_nonzero(matched_tokens(runs, 0, fa.token_count))),
            int(np.count_nonzero(matched_tokens(runs, 2, fb.token_count))),
        )
        if tokens < thresholds.min_passage_tokens:
            continue
        kept_runs.extend(runs)
        result.append(Passage(a_start=int(fa.token_starts[a_lo]),
                              a_end=int(fa.token_ends[a_hi - 1]),
                              b_start=int(fb.token_starts[b_lo]),
                              b_end=int(fb.token_ends[b_hi - 1]), tokens=tokens))
    return sorted(result), kept_runs


def matched_tokens(runs: list[Run], side: int, n: int) -> np.ndarray:
    """Mask of the tokens of one side (0 for A, 2 for B) inside the given runs."""
    mask = np.zeros(n, dtype=bool)
    for run in runs:
        mask[run[side] : min(run[side + 1], n)] = True
    return mask


def _matching_positions(
    fa: Fingerprint, fb: Fingerprint, common: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(i, j)`` where A and B have the same common shingle."""
    ia = np.flatnonzero(in_sorted(fa.shingle_seq, common))
    ib = np.flatnonzero(in_sorted(fb.shingle_seq, common))
    ib = ib[np.argsort(fb.shingle_seq[ib], kind="stable")]
    hb = fb.shingle_seq[ib]
    ha = fa.shingle_seq[ia]
    left = np.searchsorted(hb, ha, "left")
    # A shingle repeated many times in one text pairs with a bounded number of positions.
    count = np.minimum(np.searchsorted(hb, ha, "right") - left, MAX_REPEATS)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(ia, count), ib[np.repeat(left, count) + offsets]


def _runs(pa: np.ndarray, pb: np.ndarray) -> list[Run]:
    """Maximal diagonal runs of matching shingles as ``(a_first, a_last, b_first, b_last)``."""
    if not len(pa):
        return []
    diag = pa - pb
    order = np.lexsort((pa, diag))
    pa, pb, diag = pa[order], pb[order], diag[order]
    breaks = np.flatnonzero((np.diff(diag) != 0) | (np.diff(pa) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(pa)])) - 1
    columns = (pa[starts], pa[ends], pb[starts], pb[ends])
    runs = zip(*(c.tolist() for c in columns), strict=True)
    return sorted(runs)


def _chain(runs: list[Run], width: int, max_gap: int = MAX_GAP_TOKENS) -> list[list]:
    """Join runs separated by small gaps on both sides into passages in token coordinates.

    Each passage is ``[a_lo, a_hi, b_lo, b_hi, runs]`` with half-open token ranges and the token
    ranges of the runs it joined (the gaps between them are edits, not shared text).
    """
    chained: list[list] = []
    for a_first, a_last, b_first, b_last in runs:
        run = (a_first, a_last + width, b_first, b_last + width)
        best, best_gap = None, None
        # Only the most recent open passages are candidates to join (bounds the work).
        for p in chained[-MAX_OPEN_PASSAGES:]:
            gap_a, gap_b = run[0] - p[1], run[2] - p[3]
            if -width < gap_a <= max_gap and -width < gap_b <= max_gap:
                gap = max(gap_a, gap_b)
                if best_gap is None or gap < best_gap:
                    best, best_gap = p, gap
        if best is None:
            chained.append([*run, [run]])
        else:
            best[1], best[3] = max(best[1], run[1]), max(best[3], run[3])
            best[4].append(run)
    return chained
