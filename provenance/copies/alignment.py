"""Passage alignment: the long runs of text two fingerprinted texts share, with offsets in both.

A passage is a long common run of shingles, merged across small gaps (a changed word breaks
``shingle_size`` shingles), reported as character offsets in both texts (``records.Passage``).
Runs shorter than ``Thresholds.min_passage_tokens`` are names and set phrases, not copied text.
A passage joined across gaps is ``revised``; its ``similarity`` is the share of its words
matched. ``revised_passages`` aligns on word pairs instead of shingles, so that a paragraph
with 10-30% of its words changed is still one passage (``check`` uses it on a candidate).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from provenance.config import (
    DEFAULT_THRESHOLDS,
    MAX_GAP_TOKENS,
    MAX_OPEN_PASSAGES,
    MAX_REPEATS,
    REVISION_MAX_GAP,
    REVISION_MIN_SIMILARITY,
    REVISION_MIN_TOKENS,
    REVISION_OPEN_PASSAGES,
    REVISION_PAIR,
    REVISION_SEED_TOKENS,
    Thresholds,
)
from provenance.copies.minhash import (
    Fingerprint,
    as_shingles,
    check_compatible,
    common_positions,
    in_sorted,
    shingle_hashes,
    shingle_places,
    unique_sorted,
)
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
    at_a, at_b = unique_positions(fa, common), unique_positions(fb, common)
    found = (_runs(*_matching_positions(fa, fb, common)) if at_a is None or at_b is None
             else _unique_runs(at_a, at_b))
    return passages_of_runs(fa, fb, found, thresholds)


def passages_of_runs(
    fa: Fingerprint, fb: Fingerprint, found: list[Run],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[Passage], list[Run]]:
    """``passages`` from the diagonal runs of common shingles, in A's order (`_runs`)."""
    n_a, n_b = fa.token_count, fb.token_count
    width = min(fa.params.shingle_size, n_a, n_b)
    result, kept_runs = [], []
    for a_lo, a_hi, b_lo, b_hi, runs in _chain(found, width, thresholds.max_gap_tokens):
        a_hi, b_hi = min(a_hi, n_a), min(b_hi, n_b)
        tokens = min(covered_tokens(runs, 0, n_a), covered_tokens(runs, 2, n_b))
        if tokens < thresholds.min_passage_tokens:
            continue
        kept_runs.extend(runs)
        result.append(_passage(fa, fb, (a_lo, a_hi, b_lo, b_hi), tokens))
    return sorted(result), kept_runs


def _passage(fa: Fingerprint, fb: Fingerprint, span: tuple[int, int, int, int],
             tokens: int) -> Passage:
    """The passage over token ranges ``[a_lo, a_hi)`` and ``[b_lo, b_hi)`` holding ``tokens``
    matched tokens: revised when edits lie between its runs (similarity below 1)."""
    a_lo, a_hi, b_lo, b_hi = span
    similarity = round(min(1.0, tokens / max(a_hi - a_lo, b_hi - b_lo, 1)), 4)
    return Passage(a_start=int(fa.token_starts[a_lo]), a_end=int(fa.token_ends[a_hi - 1]),
                   b_start=int(fb.token_starts[b_lo]), b_end=int(fb.token_ends[b_hi - 1]),
                   tokens=tokens, similarity=similarity, revised=similarity < 1.0)


def revised_passages(
    fa: Fingerprint, fb: Fingerprint, tokens_a: np.ndarray, tokens_b: np.ndarray,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    noise: Iterable[int] | np.ndarray = frozenset(),
) -> list[Passage]:
    """Passages of A and B found on word pairs instead of shingles, joined across edits.

    ``tokens_a`` and ``tokens_b`` are the token hashes of the two texts. Runs of shared word
    pairs on one diagonal are joined across gaps of up to ``REVISION_MAX_GAP`` tokens on both
    sides (a changed, dropped or added word, a merged or split sentence); a passage is kept when
    it holds ``REVISION_MIN_TOKENS`` matched tokens (a sentence), its similarity (matched share
    of its words on the sparser side) reaches ``REVISION_MIN_SIMILARITY``, and one of its runs
    is a shared ``REVISION_SEED_TOKENS``-word run (word pairs alone are stock phrases). Words
    that are not copy evidence take no part: outside prose (``Fingerprint.prose``, when set)
    or under a shingle of the ``noise`` (learnt boilerplate).
    """
    if len(tokens_a) != fa.token_count or len(tokens_b) != fb.token_count:
        raise ValueError("token hashes and fingerprint disagree on the number of tokens")
    if len(tokens_a) < REVISION_PAIR or len(tokens_b) < REVISION_PAIR:
        return []
    seq_a = _usable_pairs(fa, tokens_a, as_shingles(noise), _NOT_A)
    seq_b = _usable_pairs(fb, tokens_b, as_shingles(noise), _NOT_B)
    common = np.intersect1d(unique_sorted(seq_a), unique_sorted(seq_b), assume_unique=True)
    runs = _runs(*_positions(seq_a, seq_b, common))
    found = []
    for a_lo, a_hi, b_lo, b_hi, chained in _chain(runs, REVISION_PAIR, REVISION_MAX_GAP,
                                                 REVISION_OPEN_PASSAGES):
        if max(r[1] - r[0] for r in chained) < REVISION_SEED_TOKENS:
            continue
        tokens = min(int(np.count_nonzero(matched_tokens(chained, 0, len(tokens_a)))),
                     int(np.count_nonzero(matched_tokens(chained, 2, len(tokens_b)))))
        if tokens < min(REVISION_MIN_TOKENS, thresholds.min_passage_tokens):
            continue
        passage = _passage(fa, fb, (a_lo, min(a_hi, len(tokens_a)), b_lo,
                                    min(b_hi, len(tokens_b))), tokens)
        if passage.similarity >= REVISION_MIN_SIMILARITY:
            found.append(passage)
    return sorted(found)


def covered_tokens(runs: list, side: int, n: int) -> int:
    """How many tokens of one side (0 for A, 2 for B) lie inside the given runs (the count of
    ``matched_tokens``, without making the mask)."""
    if len(runs) == 1:
        return min(runs[0][side + 1], n) - runs[0][side]
    total, reach = 0, 0
    for lo, hi in sorted((run[side], min(run[side + 1], n)) for run in runs):
        if hi > reach:
            total += hi - max(lo, reach)
            reach = hi
    return total


def unique_positions(fp: Fingerprint, common: np.ndarray) -> np.ndarray | None:
    """The position in ``fp.shingle_seq`` of each of the sorted ``common`` shingles when none
    of them occurs more than once in the text (most pairs); None when one repeats. Where each
    shingle stands, and which repeat, is found once per fingerprint and kept in its ``memo``."""
    found = fp.memo.get("at")
    if found is None:
        at, again = first_places(fp)
        found = fp.memo["at"] = at, fp.shingles[again]
    at, repeated = found
    if len(repeated) and in_sorted(common, repeated).any():
        return None
    return at[np.searchsorted(fp.shingles, common)]


def first_places(fp: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
    """For each shingle of ``fp.shingles``, its first position in ``fp.shingle_seq``, and
    whether it occurs there more than once."""
    placed, index = shingle_places(fp)
    at = np.empty(len(fp.shingles), dtype=np.int64)
    at[index[::-1]] = placed[::-1]  # the first place of each (the last write wins)
    return at, np.bincount(index, minlength=len(fp.shingles)) > 1


def _unique_runs(pa: np.ndarray, pb: np.ndarray) -> list[Run]:
    """``_runs`` of matching positions in which no position repeats on either side (the
    shingles of both texts are unique): ordered by A's position, a run goes on where both
    positions step by one (the same diagonal), and the runs come out in A's order."""
    if not len(pa):
        return []
    order = np.argsort(pa)
    pa, pb = pa[order], pb[order]
    breaks = np.flatnonzero((pa[1:] - pa[:-1] != 1) | (pb[1:] - pb[:-1] != 1)) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks - 1, [len(pa) - 1]))
    return list(zip(pa[first].tolist(), pa[last].tolist(), pb[first].tolist(),
                    pb[last].tolist(), strict=True))


def matched_tokens(runs: list[Run], side: int, n: int) -> np.ndarray:
    """Mask of the tokens of one side (0 for A, 2 for B) inside the given runs."""
    mask = np.zeros(n, dtype=bool)
    for run in runs:
        mask[run[side] : min(run[side + 1], n)] = True
    return mask


def _matching_positions(
    fa: Fingerprint, fb: Fingerprint, common: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(i, j)`` where A and B have the same common shingle (each
    fingerprint's positions are indexed once, for all the pairs it is verified in)."""
    return common_positions(fa, fb, common, MAX_REPEATS)


# The place of a word pair that is not copy evidence, in A and in B (never equal).
_NOT_A, _NOT_B = np.uint64(2**64 - 2), np.uint64(2**64 - 3)


def _usable_pairs(fp: Fingerprint, tokens: np.ndarray, noise: np.ndarray,
                  blank: np.uint64) -> np.ndarray:
    """Word-pair hashes of a text; ``blank`` where a word is not prose or is boilerplate."""
    pairs = shingle_hashes(tokens, REVISION_PAIR)
    usable = np.ones(len(tokens), dtype=bool)
    prose = getattr(fp, "prose", None)
    if prose is not None and len(prose) == len(tokens):
        usable &= prose
    if len(noise):
        width = min(fp.params.shingle_size, len(tokens))
        for at in np.flatnonzero(in_sorted(fp.shingle_seq, noise)).tolist():
            usable[at : at + width] = False
    ok = usable[:-1] & usable[1:]
    return np.where(ok[: len(pairs)], pairs, blank)


def _positions(seq_a: np.ndarray, seq_b: np.ndarray, common: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(i, j)`` where two hash sequences hold the same common hash."""
    ia = np.flatnonzero(in_sorted(seq_a, common))
    ib = np.flatnonzero(in_sorted(seq_b, common))
    ib = ib[np.argsort(seq_b[ib], kind="stable")]
    hb = seq_b[ib]
    ha = seq_a[ia]
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


def _chain(runs: list[Run], width: int, max_gap: int = MAX_GAP_TOKENS,
           open_passages: int = MAX_OPEN_PASSAGES) -> list[list]:
    """Join runs separated by small gaps on both sides into passages in token coordinates.

    Each passage is ``[a_lo, a_hi, b_lo, b_hi, runs]`` with half-open token ranges and the token
    ranges of the runs it joined (the gaps between them are edits, not shared text).
    """
    chained: list[list] = []
    for a_first, a_last, b_first, b_last in runs:
        run = (a_first, a_last + width, b_first, b_last + width)
        best, best_gap = None, None
        # Only the most recent open passages are candidates to join (bounds the work).
        for p in chained[-open_passages:]:
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
