"""Verification of candidate pairs: similarity, containment, aligned passages, direction, stories.

Pure functions over ``provenance.fingerprint.Fingerprint`` objects: no database, no I/O.

* ``verify`` turns a candidate pair into a ``CopyMatch`` (``exact``, ``near_duplicate`` or
  ``partial``) or ``None``. Passages are long common runs of shingles, merged across small gaps
  (a changed word breaks ``shingle_size`` shingles), reported as character offsets in both texts.
* ``learn_boilerplate`` finds the shingles one outlet repeats under many of its articles
  (footers, newsletter blurbs); ``verify`` ignores them so they neither create nor inflate matches.
* ``direct`` orients a match from publication times (the later text derives from the earlier).
* ``cluster_stories`` groups articles through strong verified edges only, with a guard against
  chaining (see its docstring).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal, Protocol

import numpy as np

from provenance.config import (  # noqa: F401 - re-exported while the copies package is cut
    BOILERPLATE_MAX_DOC_SHARE,
    BOILERPLATE_MIN_DOCS,
    BOILERPLATE_MIN_FRACTION,
    DEFAULT_THRESHOLDS,  # noqa: E402,F401
    DIRECTION_TIE,
    MAX_GAP_TOKENS,
    MAX_OPEN_PASSAGES,
    MAX_REPEATS,
    MIN_PASSAGE_TOKENS,
    NEAR_DUP_COVERAGE,
    NEAR_DUP_JACCARD,
    PARTIAL_MIN_COVERAGE,
    PARTIAL_MIN_TOKENS,
    STORY_ID_BYTES,
    STORY_MIN_LINK_FRACTION,
    STORY_PARTIAL_MIN_COVERAGE,
    Thresholds,
)
from provenance.copies.fingerprint import Fingerprint, check_compatible, estimate_jaccard

Kind = Literal["exact", "near_duplicate", "partial"]
Direction = Literal["a_to_b", "b_to_a", "similar"]
STRONG_KINDS = ("exact", "near_duplicate")


class HasFingerprint(Protocol):
    """Anything that carries a fingerprint (a ``Doc``, a store row, a pipeline record)."""

    fingerprint: Fingerprint


@dataclass(frozen=True, eq=False)
class Doc:
    """A text with its fingerprint, as ``verify`` takes it."""

    text: str
    fingerprint: Fingerprint
    id: str = ""


@dataclass(frozen=True, order=True)
class Passage:
    """A shared passage: character spans ``[a_start, a_end)`` in A and ``[b_start, b_end)`` in B."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    tokens: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The spans as ``(a_start, a_end, b_start, b_end)``."""
        return self.a_start, self.a_end, self.b_start, self.b_end


@dataclass(frozen=True)
class CopyMatch:
    """A verified pair of texts: how similar, how much of each is in the other, and where."""

    kind: Kind
    jaccard: float
    jaccard_estimate: float
    containment_a_in_b: float
    containment_b_in_a: float
    coverage_a: float
    coverage_b: float
    passages: tuple[Passage, ...]
    recipe: str
    direction: Direction = "similar"
    backdated: bool = False

    @property
    def source_side(self) -> Literal["a", "b"] | None:
        """Which side the other derives from, or None when undirected."""
        return {"a_to_b": "a", "b_to_a": "b"}.get(self.direction)

    @property
    def strength(self) -> float:
        """One number for ordering edges: the largest of Jaccard and the two coverages."""
        return max(self.jaccard, self.coverage_a, self.coverage_b)


@dataclass(frozen=True)
class Story:
    """Articles that are copies of one another, with the earliest as origin."""

    id: str
    origin: str
    members: tuple[str, ...]


# --- verification -------------------------------------------------------------------------------


def _fingerprint(doc: HasFingerprint | Fingerprint) -> Fingerprint:
    """The fingerprint of a doc, or the fingerprint itself."""
    return doc if isinstance(doc, Fingerprint) else doc.fingerprint


def _as_array(shingles: Iterable[int] | np.ndarray) -> np.ndarray:
    """Shingle hashes as a sorted unique ``uint64`` array."""
    if isinstance(shingles, np.ndarray):
        values = shingles.astype(np.uint64, copy=False)
        # Fingerprints and learnt boilerplate are sorted and unique already; checking is much
        # cheaper than np.unique on every call of verify.
        if values.ndim == 1 and (len(values) < 2 or bool(np.all(values[1:] > values[:-1]))):
            return values
        return np.unique(values)
    return np.unique(np.fromiter((int(s) for s in shingles), dtype=np.uint64))


def _in_sorted(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a sorted unique ``table``, by binary search (faster)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(table, values)
    at[at == len(table)] = 0
    return table[at] == values


def _token_mask(fp: Fingerprint, positions: np.ndarray) -> np.ndarray:
    """Tokens covered by the shingles starting at ``positions``."""
    n = fp.token_count
    width = min(fp.params.shingle_size, n)
    delta = np.zeros(n + 1, dtype=np.int64)
    np.add.at(delta, positions, 1)
    np.add.at(delta, positions + width, -1)
    return np.cumsum(delta[:n]) > 0


def _matching_positions(
    fa: Fingerprint, fb: Fingerprint, common: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(i, j)`` where A and B have the same common shingle."""
    ia = np.flatnonzero(_in_sorted(fa.shingle_seq, common))
    ib = np.flatnonzero(_in_sorted(fb.shingle_seq, common))
    ib = ib[np.argsort(fb.shingle_seq[ib], kind="stable")]
    hb = fb.shingle_seq[ib]
    ha = fa.shingle_seq[ia]
    left = np.searchsorted(hb, ha, "left")
    count = np.minimum(np.searchsorted(hb, ha, "right") - left, MAX_REPEATS)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(ia, count), ib[np.repeat(left, count) + offsets]


def _runs(pa: np.ndarray, pb: np.ndarray) -> list[tuple[int, int, int, int]]:
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


def _chain(runs: list[tuple[int, int, int, int]], width: int,
           max_gap: int = MAX_GAP_TOKENS) -> list[list]:
    """Join runs separated by small gaps on both sides into passages in token coordinates.

    Each passage is ``[a_lo, a_hi, b_lo, b_hi, runs]`` with half-open token ranges and the token
    ranges of the runs it joined (the gaps between them are edits, not shared text).
    """
    passages: list[list] = []
    for a_first, a_last, b_first, b_last in runs:
        run = (a_first, a_last + width, b_first, b_last + width)
        best, best_gap = None, None
        for p in passages[-MAX_OPEN_PASSAGES:]:
            gap_a, gap_b = run[0] - p[1], run[2] - p[3]
            if -width < gap_a <= max_gap and -width < gap_b <= max_gap:
                gap = max(gap_a, gap_b)
                if best_gap is None or gap < best_gap:
                    best, best_gap = p, gap
        if best is None:
            passages.append([*run, [run]])
        else:
            best[1], best[3] = max(best[1], run[1]), max(best[3], run[3])
            best[4].append(run)
    return passages


def _matched(runs: list[tuple[int, int, int, int]], side: int, n: int) -> np.ndarray:
    """Mask of the tokens of one side (0 for A, 2 for B) inside the given runs."""
    mask = np.zeros(n, dtype=bool)
    for run in runs:
        mask[run[side] : min(run[side + 1], n)] = True
    return mask


def align(
    a: HasFingerprint | Fingerprint,
    b: HasFingerprint | Fingerprint,
    boilerplate: Iterable[int] | np.ndarray = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Passage]:
    """Shared passages of A and B (``min_passage_tokens`` matched at least), in A's order."""
    fa, fb = _fingerprint(a), _fingerprint(b)
    check_compatible(fa.recipe, fb.recipe)
    common = np.setdiff1d(np.intersect1d(fa.shingles, fb.shingles), _as_array(boilerplate))
    return _passages(fa, fb, common, thresholds)[0]


def _passages(
    fa: Fingerprint, fb: Fingerprint, common: np.ndarray,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[Passage], list[tuple[int, int, int, int]]]:
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
            int(np.count_nonzero(_matched(runs, 0, fa.token_count))),
            int(np.count_nonzero(_matched(runs, 2, fb.token_count))),
        )
        if tokens < thresholds.min_passage_tokens:
            continue
        kept_runs.extend(runs)
        result.append(
            Passage(
                a_start=int(fa.token_starts[a_lo]),
                a_end=int(fa.token_ends[a_hi - 1]),
                b_start=int(fb.token_starts[b_lo]),
                b_end=int(fb.token_ends[b_hi - 1]),
                tokens=tokens,
            )
        )
    return sorted(result), kept_runs


def _coverage(fp: Fingerprint, matched: np.ndarray, boilerplate: np.ndarray) -> float:
    """Share of the non-boilerplate tokens of ``fp`` that are in matched shingles."""
    if not fp.token_count:
        return 0.0
    body = ~_token_mask(fp, np.flatnonzero(_in_sorted(fp.shingle_seq, boilerplate)))
    return float(np.count_nonzero(matched & body)) / max(1, int(np.count_nonzero(body)))


def _kind(coverage: float, covered: int, unquoted: int, jaccard: float,
          t: Thresholds = DEFAULT_THRESHOLDS) -> Kind | None:
    """The kind of a pair from coverage, matched tokens (all, outside quotes) and Jaccard."""
    if covered < t.min_passage_tokens and jaccard < t.near_dup_jaccard:
        return None
    if coverage >= t.near_dup_coverage or jaccard >= t.near_dup_jaccard:
        return "near_duplicate"
    if coverage >= t.partial_min_coverage and unquoted >= t.partial_min_tokens:
        return "partial"
    return None


def _exact(fa: Fingerprint, fb: Fingerprint, estimate: float) -> CopyMatch:
    """The match of two texts with the same normalised text."""
    passage = Passage(
        int(fa.token_starts[0]),
        int(fa.token_ends[-1]),
        int(fb.token_starts[0]),
        int(fb.token_ends[-1]),
        fa.token_count,
    )
    return CopyMatch("exact", 1.0, estimate, 1.0, 1.0, 1.0, 1.0, (passage,), fa.recipe)


def verify(
    a: HasFingerprint | Fingerprint,
    b: HasFingerprint | Fingerprint,
    boilerplate: Iterable[int] | np.ndarray = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> CopyMatch | None:
    """Verify a candidate pair; ``boilerplate`` (both outlets' learned shingles) is ignored."""
    fa, fb = _fingerprint(a), _fingerprint(b)
    check_compatible(fa.recipe, fb.recipe)
    if not fa.token_count or not fb.token_count:
        return None
    estimate = estimate_jaccard(fa, fb)
    if fa.text_hash == fb.text_hash:
        return _exact(fa, fb, estimate)
    noise = _as_array(boilerplate)
    sa = np.setdiff1d(_as_array(fa.shingles), noise, assume_unique=True)
    sb = np.setdiff1d(_as_array(fb.shingles), noise, assume_unique=True)
    common = np.intersect1d(sa, sb, assume_unique=True)
    if not len(common):
        return None
    jaccard = len(common) / (len(sa) + len(sb) - len(common))
    passages, runs = _passages(fa, fb, common, thresholds)
    matched_a = _matched(runs, 0, fa.token_count)
    matched_b = _matched(runs, 2, fb.token_count)
    cov_a, cov_b = _coverage(fa, matched_a, noise), _coverage(fb, matched_b, noise)
    covered = int(min(np.count_nonzero(matched_a), np.count_nonzero(matched_b)))
    unquoted = int(
        min(np.count_nonzero(matched_a & ~fa.quoted), np.count_nonzero(matched_b & ~fb.quoted))
    )
    kind = _kind(max(cov_a, cov_b), covered, unquoted, jaccard, thresholds)
    if kind is None:
        return None
    return CopyMatch(
        kind=kind,
        jaccard=jaccard,
        jaccard_estimate=estimate,
        containment_a_in_b=len(common) / len(sa),
        containment_b_in_a=len(common) / len(sb),
        coverage_a=cov_a,
        coverage_b=cov_b,
        passages=tuple(passages),
        recipe=fa.recipe,
    )


# --- boilerplate --------------------------------------------------------------------------------


def learn_boilerplate(
    shingle_sets: Sequence[Iterable[int] | np.ndarray],
    min_docs: int = BOILERPLATE_MIN_DOCS,
    min_fraction: float = BOILERPLATE_MIN_FRACTION,
) -> frozenset[int]:
    """Shingles found in at least ``min_docs`` and ``min_fraction`` of one outlet's articles.

    Shingles that occur in exactly the same articles form a group. A group is not boilerplate
    when, in the median of its articles, frequent shingles make up at least
    ``BOILERPLATE_MAX_DOC_SHARE`` of the article: those are versions of one story, not a footer.
    """
    sets = [_as_array(s) for s in shingle_sets]
    needed = max(min_docs, math.ceil(min_fraction * len(sets)))
    if len(sets) < needed:
        return frozenset()
    values, counts = np.unique(np.concatenate(sets), return_counts=True)
    frequent = values[counts >= needed]
    if not len(frequent):
        return frozenset()
    presence = np.stack([np.isin(frequent, s) for s in sets])
    share = presence.sum(axis=1) / np.maximum(1, [len(s) for s in sets])
    groups: dict[bytes, list[int]] = {}
    for column in range(len(frequent)):
        groups.setdefault(np.packbits(presence[:, column]).tobytes(), []).append(column)
    learned = []
    for columns in groups.values():
        docs = presence[:, columns[0]]
        if np.median(share[docs]) < BOILERPLATE_MAX_DOC_SHARE:
            learned.extend(frequent[columns].tolist())
    return frozenset(learned)


# --- direction ----------------------------------------------------------------------------------


def _utc(when: datetime | date | None) -> datetime | None:
    """A timezone-aware datetime (naive values and bare dates are taken as UTC)."""
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def direct(
    match: CopyMatch, published_a: datetime | date | None, published_b: datetime | date | None
) -> CopyMatch:
    """Orient a match: the later text derives from the earlier; ties or undated are "similar"."""
    ta, tb = _utc(published_a), _utc(published_b)
    if ta is None or tb is None or abs(ta - tb) <= DIRECTION_TIE:
        return replace(match, direction="similar", backdated=False)
    return replace(match, direction="a_to_b" if ta < tb else "b_to_a", backdated=False)


def orient_known(
    match: CopyMatch,
    copy: Literal["a", "b"],
    published_a: datetime | date | None,
    published_b: datetime | date | None,
) -> CopyMatch:
    """Orient a match whose copy is known (a credit line says so); flag a copy dated earlier."""
    ta, tb = _utc(published_a), _utc(published_b)
    copy_time, source_time = (ta, tb) if copy == "a" else (tb, ta)
    backdated = (
        copy_time is not None and source_time is not None
        and source_time - copy_time > DIRECTION_TIE
    )
    return replace(match, direction="b_to_a" if copy == "a" else "a_to_b", backdated=backdated)


# --- stories ------------------------------------------------------------------------------------


def is_strong(match: CopyMatch) -> bool:
    """Whether an edge may join a story: a full copy, or a partial covering much of one side."""
    if match.kind in STRONG_KINDS:
        return True
    return max(match.coverage_a, match.coverage_b) >= STORY_PARTIAL_MIN_COVERAGE


def story_id(origin: str) -> str:
    """A story's id, from its origin's id (stable while copies are added)."""
    digest = hashlib.blake2b(origin.encode("utf-8"), digest_size=STORY_ID_BYTES).hexdigest()
    return f"story-{digest}"


def _origin_key(
    article_id: str, published: Mapping[str, datetime | date | None]
) -> tuple[int, datetime, str]:
    """Sort key for origins: dated before undated, earliest first, then by id."""
    when = _utc(published.get(article_id))
    if when is None:
        return 1, datetime.min.replace(tzinfo=UTC), article_id
    return 0, when, article_id


def cluster_stories(
    article_ids: Iterable[str],
    edges: Iterable[tuple[str, str, CopyMatch]],
    published: Mapping[str, datetime | date | None] | None = None,
    include_singletons: bool = True,
) -> list[Story]:
    """Group articles into stories through strong verified edges, refusing chained merges.

    Edges are taken in order of shared neighbours (edges inside dense groups before bridges),
    then strength. Two groups merge only when their origins are linked by a
    strong edge, or when more than ``STORY_MIN_LINK_FRACTION`` of the pairs between them are;
    so a text that shares a passage with one member of a story, but not with its origin or most
    of it, does not pull its own group in (A~B and B~C with A, C unrelated stay two stories).
    """
    published = published or {}
    ids = sorted(set(article_ids))
    strength = {}
    for u, v, m in edges:
        if u != v and is_strong(m):
            key = (min(u, v), max(u, v))
            strength[key] = max(strength.get(key, 0.0), m.strength)
    linked: dict[str, set[str]] = {i: set() for i in ids}
    for u, v in strength:
        linked.setdefault(u, set()).add(v)
        linked.setdefault(v, set()).add(u)
    # Edges inside dense groups (many shared neighbours) first, bridges last, then by strength.
    strong = sorted((-len(linked[u] & linked[v]), -w, u, v) for (u, v), w in strength.items())
    group = {i: i for i in linked}
    members = {i: [i] for i in linked}
    origin = {i: i for i in linked}

    for _, _, u, v in strong:
        gu, gv = group[u], group[v]
        if gu == gv:
            continue
        small, large = sorted((members[gu], members[gv]), key=len)
        large_set = set(large)
        links = sum(len(linked[x] & large_set) for x in small)
        origins_linked = origin[gv] in linked[origin[gu]]
        if not origins_linked and links <= STORY_MIN_LINK_FRACTION * len(small) * len(large):
            continue
        keep, drop = (gu, gv) if len(members[gu]) >= len(members[gv]) else (gv, gu)
        for x in members[drop]:
            group[x] = keep
        members[keep].extend(members.pop(drop))
        origin[keep] = min(origin[keep], origin.pop(drop), key=lambda i: _origin_key(i, published))

    stories = []
    for root in sorted(members):
        if len(members[root]) == 1 and not include_singletons:
            continue
        stories.append(Story(story_id(origin[root]), origin[root], tuple(sorted(members[root]))))
    return sorted(stories, key=lambda s: s.members)
