"""Verification of many candidate pairs at once: the verdicts of ``verify``, found in one pass.

Dense reuse (a press release in many articles) makes hundreds of thousands of candidate pairs,
each sharing a paragraph or two. Verified one by one, a pair costs a few dozen small numpy
calls whatever it shares. ``verify_many`` takes a chunk's pairs together: each pair is joined
through one of its texts that many pairs share (its hub: a chunk's pairs form stars around
the chunk's new articles), the shingles of all the hub's partners are looked up in the hub's
set at once, and the shingles each pair shares, with their places in both texts, are cut
into the diagonal runs that alignment starts from (as `alignment._unique_runs` cuts them) in
a few array operations for the whole chunk. Each pair then goes on from its runs through the
very code ``verify`` runs (``alignment.passages_of_runs``, ``verification.judge``), so the
verdicts are the same (two pages of one site also leave out their site's template, which is
noise for them alone); most pairs share one run, and are judged in columns
(``one_run.judge_one_run``). Pairs the join does not describe go through ``verify`` itself: a
shared shingle repeated in a text (alignment pairs its places), exact copies, empty texts.
``screen_and_verify`` screens the pairs as ``share_text`` does in the same pass: the shingles a
pair shares outside its noise are those its runs are cut from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from provenance.config import DEFAULT_THRESHOLDS, Thresholds
from provenance.copies.alignment import Run, first_places, passages_of_runs
from provenance.copies.minhash import Fingerprint, check_compatible, in_sorted
from provenance.copies.one_run import OneRun, judge_one_run
from provenance.copies.verification import CopyMatch, body_of, judge, noise_free, verify

# A pair the join cannot describe exactly: verified by ``verify``.
_FALLBACK = None


def verify_many(
    prints: Sequence[Fingerprint], own: Sequence[np.ndarray], pairs: Sequence[tuple[int, int]],
    noises: Sequence[np.ndarray], same_sites: Sequence[bool],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[CopyMatch | None]:
    """``verify(prints[i], prints[j], noises[p], thresholds, same_sites[p])`` for each pair
    ``p = (i, j)`` of ``pairs``, in order.

    ``own[i]`` is the noise every pair of text ``i`` ignores (its outlet's boilerplate and the
    archive's recurring passages, sorted): the noise of a pair is its texts' own noise
    (and, for two pages of one site, the site's template: ``scan.boilerplate.pair_noise``).
    """
    return screen_and_verify(prints, own, pairs, noises, same_sites, None, thresholds)[0]


def screen_and_verify(
    prints: Sequence[Fingerprint], own: Sequence[np.ndarray], pairs: Sequence[tuple[int, int]],
    noises: Sequence[np.ndarray], same_sites: Sequence[bool], least: Sequence[int] | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[CopyMatch | None], list[bool]]:
    """For each pair: ``verify_many``'s verdict where screening leaves the pair, else None;
    and whether it does: ``share_text([fp.shingles for fp in prints], pairs, noises, least)``
    (all pass without ``least``). The shingles a pair shares outside its noise, which
    screening counts, are those verification finds anyway."""
    results: list[CopyMatch | None] = [None] * len(pairs)
    direct, joined = _split(prints, pairs)
    shared, counts = _shared_runs(prints, own, [pairs[p] for p in joined],
                                  [noises[p] if same_sites[p] else None for p in joined],
                                  thresholds.min_passage_tokens)
    passed = [True] * len(pairs)
    if least is not None:
        _screen(prints, pairs, noises, least, (direct, joined, counts), passed)
    for p in direct:
        if passed[p]:
            (i, j), noise = pairs[p], noises[p]
            results[p] = verify(prints[i], prints[j], noise, thresholds, same_sites[p])
    left = [(p, found) for p, found in zip(joined, shared, strict=True) if passed[p]]
    _verify_joined(prints, pairs, noises, same_sites, left, thresholds, results)
    return results, passed


def _split(prints: Sequence[Fingerprint], pairs: Sequence[tuple[int, int]]
           ) -> tuple[list[int], list[int]]:
    """The pairs ``verify`` itself takes (an empty text, an exact copy) and those joined
    through their shared shingles; the recipes of each pair's texts checked."""
    named: dict[int, str] = {}  # a recipe string is made once per parameters object
    for fp in prints:
        if id(fp.params) not in named:
            named[id(fp.params)] = fp.recipe
    recipes = [named[id(fp.params)] for fp in prints]
    if len(set(named.values())) > 1:  # texts of other parameters: each pair is checked
        for i, j in pairs:
            check_compatible(recipes[i], recipes[j])
    empty = [not fp.token_count for fp in prints]
    digests = [fp.digest for fp in prints]
    direct, joined = [], []
    for p, (i, j) in enumerate(pairs):
        if empty[i] or empty[j] or digests[i] == digests[j]:
            direct.append(p)
        else:
            joined.append(p)
    return direct, joined


def _screen(prints: Sequence[Fingerprint], pairs: Sequence[tuple[int, int]],
            noises: Sequence[np.ndarray], least: Sequence[int],
            found: tuple[list[int], list[int], list[int]], passed: list[bool]) -> None:
    """Mark in ``passed`` the pairs screening leaves (``share_text`` with ``least``): equal
    shingle sets, or at least ``least[p]`` (and one) shingles shared outside the noise; for
    the joined pairs, the shingles counted while their runs were found (``found``: the
    direct pairs, the joined, and the count of each joined)."""
    direct, joined, counts = found
    for p in direct:
        a, b = (prints[k].shingles for k in pairs[p])
        common = np.intersect1d(a, b, assume_unique=True)
        if len(noises[p]):
            common = common[~in_sorted(common, noises[p])]
        passed[p] = len(common) >= max(1, least[p]) or (
            len(a) == len(b) and np.array_equal(a, b))
    for p, count in zip(joined, counts, strict=True):
        if count < max(1, least[p]):
            a, b = (prints[k].shingles for k in pairs[p])
            passed[p] = len(a) == len(b) and np.array_equal(a, b)


def _verify_joined(prints: Sequence[Fingerprint], pairs: Sequence[tuple[int, int]],
                   noises: Sequence[np.ndarray], same_sites: Sequence[bool],
                   joined: list[tuple[int, tuple[int, list[Run]] | None]],
                   thresholds: Thresholds, results: list[CopyMatch | None]) -> None:
    """Set in ``results`` the verdicts of the joined pairs (each with what ``_shared_runs``
    found of it): through ``verify`` where a shared shingle repeats, in columns where the
    pair shares one run (``one_run.judge_one_run``), else from its runs one by one."""
    names = {key: _Named(noise) for key, noise in {id(n): n for n in noises}.items()}
    one_run: list[OneRun] = []
    one_run_at: list[int] = []
    for p, found in joined:
        (i, j), noise = pairs[p], noises[p]
        if found is _FALLBACK:
            results[p] = verify(prints[i], prints[j], noise, thresholds, same_sites[p])
            continue
        count, runs = found
        if not count:
            continue
        named = names[id(noise)]
        side_a, side_b = _outside(prints[i], named), _outside(prints[j], named)
        if len(runs) == 1:  # most pairs: judged together, below
            one_run.append((i, j, count, runs[0], side_a, side_b))
            one_run_at.append(p)
            continue
        (size_a, noise_a, body_a), (size_b, noise_b, body_b) = side_a, side_b
        if _hopeless(prints[i], prints[j], runs, count / (size_a + size_b - count),
                     (body_a[1], body_b[1]), thresholds):
            continue
        aligned = passages_of_runs(prints[i], prints[j], runs, thresholds)
        if not aligned[0]:
            continue
        results[p] = judge(prints[i], prints[j], (count, size_a, size_b), (noise_a, noise_b),
                           aligned, thresholds, same_sites[p], (body_a, body_b))
    judged = judge_one_run(prints, one_run, [same_sites[p] for p in one_run_at], thresholds)
    for p, match in zip(one_run_at, judged, strict=True):
        results[p] = match


def _hopeless(fa: Fingerprint, fb: Fingerprint, runs: list[Run], jaccard: float,
              bodies: tuple[int, int], t: Thresholds) -> bool:
    """Whether ``judge`` is sure to reject a pair whatever passages its ``runs`` make (most
    candidates of dense reuse share one short paragraph): the tokens under all the runs
    bound those under the passages kept, so too few of them for a passage, or for the
    matched tokens and coverage ``_too_little`` asks, settle it before any passage is made."""
    n_a, n_b = fa.token_count, fb.token_count
    width = min(fa.params.shingle_size, n_a, n_b)
    on_a, on_b = _reach(runs, 0, width, n_a), _reach(runs, 2, width, n_b)
    if min(on_a, on_b) < t.min_passage_tokens:
        return True  # no passage: `judge` finds none
    return (jaccard < t.near_dup_jaccard and min(on_a, on_b) < t.partial_min_tokens
            and max(on_a / bodies[0], on_b / bodies[1]) < t.near_dup_coverage)


def _reach(runs: list[Run], side: int, width: int, n: int) -> int:
    """How many tokens of one side (0 for A, 2 for B) the shingles of ``runs`` cover."""
    if len(runs) == 1:
        return min(runs[0][side + 1] + width, n) - runs[0][side]
    total, end = 0, 0
    for lo, hi in sorted((run[side], min(run[side + 1] + width, n)) for run in runs):
        if hi > end:
            total += hi - max(lo, end)
            end = hi
    return total


class _Named:
    """A pair's noise with a digest of its shingles: the name its texts' memos keep it under
    (the noises of a chunk are made anew for each chunk)."""

    def __init__(self, noise: np.ndarray):
        self.noise = noise
        self.key = _digest(noise)


def _digest(values: np.ndarray) -> bytes:
    """A digest of an array of shingles (128 bits: two different noises never share one)."""
    return hashlib.blake2b(values.tobytes(), digest_size=16).digest()


def _outside(fp: Fingerprint, named: _Named) -> tuple[int, np.ndarray, tuple]:
    """How many shingles of ``fp`` lie outside a pair's noise, the noise shingles it holds
    (``verification.noise_free``) and its body outside them (``verification.body_of``);
    kept in the fingerprint's ``memo`` per noise (a text meets the noises of a few outlet
    pairs, chunk after chunk)."""
    kept = fp.memo.get("outside")
    if kept is None:
        kept = fp.memo["outside"] = {}
    found = kept.get(named.key)
    if found is None:
        rest, inside = noise_free(fp, named.noise)
        found = kept[named.key] = len(rest), inside, body_of(fp, inside)
    return found


def _own_set(fp: Fingerprint, own: np.ndarray, key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The shingles of ``fp`` outside its ``own`` noise (named by ``key``, its digest),
    sorted, with the place of each: twice its first place in the text, plus 1 when it occurs
    more than once; kept in the fingerprint's ``memo`` (a text's own noise is its outlet's)."""
    found = fp.memo.get("own")
    if found is None or found[0] != key:
        at, again = first_places(fp)
        places = at * 2 + again
        shingles = fp.shingles
        if len(own):
            keep = ~in_sorted(shingles, own)
            shingles, places = shingles[keep], places[keep]
        found = fp.memo["own"] = key, shingles, places
    return found[1:]


def _hubs(pairs: list[tuple[int, int]]) -> list[int]:
    """For each pair, the text it is joined through: of its two, one that many pairs share
    (each pair's shared shingles are looked up in its hub's set)."""
    degree: dict[int, int] = {}
    for i, j in pairs:
        degree[i] = degree.get(i, 0) + 1
        degree[j] = degree.get(j, 0) + 1
    chosen: set[int] = set()
    hubs = []
    for i, j in pairs:
        if i not in chosen and j not in chosen:
            chosen.add(i if (degree[i], -i) >= (degree[j], -j) else j)
        hubs.append(i if i in chosen else j)
    return hubs


def _shared_runs(prints: Sequence[Fingerprint], own: Sequence[np.ndarray],
                 pairs: list[tuple[int, int]], extra: list[np.ndarray | None],
                 min_tokens: int = 0
                 ) -> tuple[list[tuple[int, list[Run]] | None], list[int]]:
    """For each pair ``(a, b)``: how many shingles outside their own noise (and outside the
    pair's ``extra`` noise, where it has one) the two texts share, and their diagonal runs in
    A's order (as ``alignment._unique_runs`` makes them); ``_FALLBACK`` where a shared shingle
    repeats in one of the texts (``verify`` then pairs every place of it). A pair whose runs
    cannot hold ``min_tokens`` tokens on either side (fewer than a passage needs: ``_hopeless``
    rejects it) comes out as sharing nothing, ``(0, [])``. Then, for each pair, how many
    shingles it shares outside its noise, whatever its runs."""
    if not pairs:
        return [], []
    keys = {id(o): _digest(o) for o in {id(o): o for o in own}.values()}
    sets = {}
    for k in {k for pair in pairs for k in pair}:
        sets[k] = _own_set(prints[k], own[k], keys[id(own[k])])
    by_hub: dict[int, list[int]] = {}
    for p, hub in enumerate(_hubs(pairs)):
        by_hub.setdefault(hub, []).append(p)
    found = [_hub_hits(hub, members, pairs, sets) for hub, members in by_hub.items()]
    pair_of, at_a, at_b, again, values = (np.concatenate(column)
                                          for column in zip(*found, strict=True))
    noisy = _in_extra(pair_of, values, extra)
    if noisy is not None:
        pair_of, at_a, at_b, again = pair_of[~noisy], at_a[~noisy], at_b[~noisy], again[~noisy]
    unsure = np.zeros(len(pairs), dtype=bool)
    unsure[pair_of[again]] = True
    counts = np.bincount(pair_of, minlength=len(pairs))
    shared = counts.tolist()
    order = np.argsort(pair_of << 32 | at_a)  # by pair, then place in A (below 2**31)
    pair_of, at_a, at_b = pair_of[order], at_a[order], at_b[order]
    steps = np.flatnonzero((pair_of[1:] != pair_of[:-1]) | (at_a[1:] - at_a[:-1] != 1)
                           | (at_b[1:] - at_b[:-1] != 1)) + 1
    starts = np.concatenate(([0], steps)).astype(np.int64)
    lasts = np.concatenate((steps - 1, [len(pair_of) - 1])).astype(np.int64)
    if not len(pair_of):
        starts = lasts = np.zeros(0, dtype=np.int64)
    runs = list(zip(at_a[starts].tolist(), at_a[lasts].tolist(), at_b[starts].tolist(),
                    at_b[lasts].tolist(), strict=True))
    bounds = np.searchsorted(pair_of[starts], np.arange(len(pairs) + 1)).tolist()
    # the tokens under a pair's runs (each run's shingles, on either side) bound its passages
    width = max(fp.params.shingle_size for fp in prints)
    reach = np.bincount(pair_of[starts], weights=at_a[lasts] - at_a[starts] + width,
                        minlength=len(pairs))
    counts[reach < min_tokens] = 0
    return [_FALLBACK if doubt else (count, runs[bounds[p]:bounds[p + 1]] if count else [])
            for p, (doubt, count) in enumerate(zip(unsure.tolist(), counts.tolist(),
                                                   strict=True))], shared


def _hub_hits(hub: int, members: list[int], pairs: list[tuple[int, int]], sets: dict
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shingles each pair of one hub shares (outside both texts' own noise): per shared
    shingle its pair, its places in A and in B, whether it repeats in either text, and the
    shingle. The partners' shingles are sifted through a bitmap of the hub's (their low
    bits) before the exact look-up: most of them are not the hub's."""
    hub_values, hub_places = sets[hub]
    others = [pair[1] if pair[0] == hub else pair[0] for pair in (pairs[p] for p in members)]
    values, found, where, member = _sift(hub_values, [sets[k][0] for k in others])
    places_other = np.concatenate([sets[k][1] for k in others])[found]
    places_hub = hub_places[where]
    again = ((places_other | places_hub) & 1).astype(bool)
    at_other, at_hub = places_other >> 1, places_hub >> 1
    hub_first = np.array([pairs[p][0] == hub for p in members])[member]
    return (np.array(members, dtype=np.int64)[member], np.where(hub_first, at_hub, at_other),
            np.where(hub_first, at_other, at_hub), again, values[found])


def _sift(hub: np.ndarray, arrays: list[np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The values of ``arrays`` (each sorted) that the sorted ``hub`` holds: all the values
    concatenated, the places of those found in it and in ``hub``, and the array each came
    from. They are sifted through a bitmap of the hub's low bits before the exact look-up:
    most of them are not the hub's."""
    values = np.concatenate(arrays)
    bitmap = np.zeros(int(_SIFT) + 1, dtype=bool)
    bitmap[hub & _SIFT] = True
    maybe = np.flatnonzero(bitmap[values & _SIFT])
    where = np.searchsorted(hub, values[maybe])
    where[where == len(hub)] = 0
    hit = hub[where] == values[maybe] if len(hub) else np.zeros(len(maybe), dtype=bool)
    found = maybe[hit]
    ends = np.cumsum([len(a) for a in arrays])
    return values, found, where[hit], np.searchsorted(ends, found, "right")


# The low bits of a shingle that the bitmap of a hub's shingles is indexed by.
_SIFT = np.uint64((1 << 16) - 1)


def share_text(sets: Sequence[np.ndarray], pairs: Sequence[tuple[int, int]],
               noises: Sequence[np.ndarray], least: Sequence[int] | None = None) -> list[bool]:
    """For each pair ``p = (i, j)``: ``not verification.no_common_text(sets[i], sets[j],
    noises[p])`` (the shingle sets differ and share no shingle outside the pair's noise:
    ``verify`` is sure to reject the pair), found for all the pairs at once through their
    hubs (see ``verify_many``); with ``least``, a pair of different sets must share at least
    ``least[p]`` shingles outside its noise."""
    if not pairs:
        return []
    pairs = list(pairs)
    by_hub: dict[int, list[int]] = {}
    for p, hub in enumerate(_hubs(pairs)):
        by_hub.setdefault(hub, []).append(p)
    pair_of, values = [], []
    for hub, members in by_hub.items():
        others = [pairs[p][1] if pairs[p][0] == hub else pairs[p][0] for p in members]
        found_values, found, _, member = _sift(sets[hub], [sets[k] for k in others])
        pair_of.append(np.array(members, dtype=np.int64)[member])
        values.append(found_values[found])
    noisy = _in_extra(np.concatenate(pair_of), np.concatenate(values), list(noises))
    hits = np.concatenate(pair_of)
    if noisy is not None:
        hits = hits[~noisy]
    shared = np.bincount(hits, minlength=len(pairs)) >= (
        1 if least is None else np.maximum(1, np.asarray(least, dtype=np.int64)))
    return [bool(both) or (len(sets[i]) == len(sets[j]) and np.array_equal(sets[i], sets[j]))
            for both, (i, j) in zip(shared.tolist(), pairs, strict=True)]


def _in_extra(pair_of: np.ndarray, values: np.ndarray, extra: list[np.ndarray | None]
              ) -> np.ndarray | None:
    """Which shared shingles lie in their pair's extra noise (None when no pair has any)."""
    groups: dict[int, int] = {}
    tables: list[np.ndarray] = []
    group_of = np.full(len(extra), -1, dtype=np.int64)
    for p, noise in enumerate(extra):
        if noise is not None and len(noise):
            if id(noise) not in groups:
                groups[id(noise)] = len(tables)
                tables.append(noise)
            group_of[p] = groups[id(noise)]
    if not tables:
        return None
    noisy = np.zeros(len(values), dtype=bool)
    group = group_of[pair_of]
    for number, noise in enumerate(tables):
        mine = np.flatnonzero(group == number)
        noisy[mine] = in_sorted(values[mine], noise)
    return noisy
