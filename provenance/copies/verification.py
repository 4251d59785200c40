"""Verification of a candidate pair on the full texts: similarity, containment and kind.

``verify`` turns a candidate pair of fingerprints into a ``CopyMatch`` or ``None``:

* ``exact``: the same normalised text (layout and case aside);
* ``near_duplicate``: aligned passages cover most of one side, or the shingle Jaccard is high;
* ``partial``: passages cover a share of one side and hold enough matched words, a sentence
  of them outside quotation marks (independent reports often quote the same statement
  verbatim; a copy also shares the prose that frames the quote).

An outlet's learnt boilerplate (``copies.boilerplate``) is ignored, so that a shared footer
neither creates nor inflates a match; so is text that is not prose (``copies.prose``: menus,
table rows, notices and banners), which a fingerprint never shingles. Candidates come from LSH
keys; nothing is taken from LSH alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from provenance.config import DEFAULT_THRESHOLDS, Thresholds
from provenance.copies.alignment import covered_tokens, passages
from provenance.copies.boilerplate import in_template_slots
from provenance.copies.minhash import (
    Fingerprint,
    as_shingles,
    check_compatible,
    estimate_jaccard,
    in_sorted,
)
from provenance.records import Passage

Kind = Literal["exact", "near_duplicate", "partial"]
Direction = Literal["a_to_b", "b_to_a", "similar"]


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
    direction: Direction = "similar"  # set by copies.direction
    backdated: bool = False

    @property
    def source_side(self) -> Literal["a", "b"] | None:
        """Which side the other derives from, or None when undirected."""
        return {"a_to_b": "a", "b_to_a": "b"}.get(self.direction)


def verify(
    fa: Fingerprint,
    fb: Fingerprint,
    boilerplate: Iterable[int] | np.ndarray = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    same_site: bool = False,
) -> CopyMatch | None:
    """Verify a candidate pair; ``boilerplate`` (both outlets' learnt shingles) is ignored.
    Two pages of one site (``same_site``) that share text only in the slots of the site's
    template are no copy (``copies.boilerplate.in_template_slots``)."""
    check_compatible(fa.recipe, fb.recipe)
    if not fa.token_count or not fb.token_count:
        return None
    if fa.digest == fb.digest:
        return _exact(fa, fb, estimate_jaccard(fa, fb))
    noise = as_shingles(boilerplate)
    (sa, noise_a), (sb, noise_b) = noise_free(fa, noise), noise_free(fb, noise)
    common = np.intersect1d(sa, sb, assume_unique=True)
    if not len(common):
        return None
    found, runs = passages(fa, fb, common, thresholds)
    return judge(fa, fb, (len(common), len(sa), len(sb)), (noise_a, noise_b), (found, runs),
                 thresholds, same_site)


def judge(fa: Fingerprint, fb: Fingerprint, sizes: tuple[int, int, int],
          noises: tuple[np.ndarray, np.ndarray], aligned: tuple[list[Passage], list],
          thresholds: Thresholds = DEFAULT_THRESHOLDS, same_site: bool = False,
          bodies: tuple | None = None) -> CopyMatch | None:
    """The verdict of ``verify`` on a pair of different texts that share shingles outside the
    noise: ``sizes`` (shingles in common, in A and in B, all outside the noise), the noise
    shingles each holds, and the passages found with their runs (``alignment.passages``);
    ``bodies``, when given, are ``body_of`` of both texts with their noise shingles."""
    found, runs = aligned
    if not found:  # an edge stands on a shared passage: a Jaccard of a few shingles is none
        return None
    shared, size_a, size_b = sizes
    jaccard = shared / (size_a + size_b - shared)
    body_a, body_b = bodies or (body_of(fa, noises[0]), body_of(fb, noises[1]))
    on_a, on_b = covered_tokens(runs, 0, fa.token_count), covered_tokens(runs, 2, fb.token_count)
    if _too_little((on_a, on_b), (body_a[1], body_b[1]), jaccard, thresholds):
        return None
    if same_site and in_template_slots(fa, fb, found):
        return None
    spans_a, spans_b = _spans(runs, 0, fa.token_count), _spans(runs, 2, fb.token_count)
    cov_a, cov_b = _coverage(fa, spans_a, body_a), _coverage(fb, spans_b, body_b)
    unquoted = min(_count(spans_a, unquoted_prefix(fa)), _count(spans_b, unquoted_prefix(fb)))
    kind = _kind(max(cov_a, cov_b), min(on_a, on_b), unquoted, jaccard, thresholds)
    if kind is None:
        return None
    return CopyMatch(kind=kind, jaccard=jaccard, jaccard_estimate=estimate_jaccard(fa, fb),
                     containment_a_in_b=shared / size_a, containment_b_in_a=shared / size_b,
                     coverage_a=cov_a, coverage_b=cov_b, passages=tuple(found),
                     recipe=fa.recipe)


def _too_little(on: tuple[int, int], bodies: tuple[int, int], jaccard: float,
                t: Thresholds) -> bool:
    """Whether ``_kind`` is sure to find no copy in the matched runs, which cover ``on``
    tokens of A and of B (most candidates of dense reuse share one short paragraph): below the
    near-duplicate Jaccard, fewer matched tokens than a partial copy needs, and a coverage
    that cannot reach the near-duplicate share even if every matched token were body."""
    if jaccard >= t.near_dup_jaccard:
        return False
    return (min(on) < t.partial_min_tokens
            and max(on[0] / bodies[0], on[1] / bodies[1]) < t.near_dup_coverage)


def _spans(runs: list, side: int, n: int) -> list[tuple[int, int]]:
    """The tokens of one side (0 for A, 2 for B) inside the given runs, as sorted disjoint
    half-open ranges (``alignment.matched_tokens`` without the mask)."""
    if len(runs) == 1:  # most pairs: one run, one span
        lo, hi = runs[0][side], min(runs[0][side + 1], n)
        return [(lo, hi)] if hi > lo else []
    spans: list[tuple[int, int]] = []
    for lo, hi in sorted((run[side], min(run[side + 1], n)) for run in runs):
        if spans and lo <= spans[-1][1]:
            if hi > spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
        elif hi > lo:
            spans.append((lo, hi))
    return spans


def _count(spans: list[tuple[int, int]], prefix: np.ndarray) -> int:
    """How many tokens of a mask lie in ``spans``, from the mask's prefix sums."""
    total = 0
    for lo, hi in spans:
        total += int(prefix[hi] - prefix[lo])
    return total


def _prefix(mask: np.ndarray) -> np.ndarray:
    """The prefix sums of a token mask (``prefix[i]``: set tokens before token ``i``)."""
    prefix = np.zeros(len(mask) + 1, dtype=np.int32)
    np.cumsum(mask, out=prefix[1:])
    return prefix


def unquoted_prefix(fp: Fingerprint) -> np.ndarray:
    """``_prefix`` of the tokens of ``fp`` outside quotations (kept in its ``memo``)."""
    found = fp.memo.get("unquoted")
    if found is None:
        found = fp.memo["unquoted"] = _prefix(~fp.quoted)
    return found


def no_common_text(a: np.ndarray, b: np.ndarray, noise: np.ndarray) -> bool:
    """Whether ``verify`` is sure to reject a pair, seen from its shingle sets alone: the texts
    differ and share no shingle outside the boilerplate (most pairs a footer proposes)."""
    if np.array_equal(a, b):
        return False
    common = np.intersect1d(np.setdiff1d(a, noise, assume_unique=True),
                            np.setdiff1d(b, noise, assume_unique=True), assume_unique=True)
    return not len(common)


def noise_free(fp: Fingerprint, noise: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shingle set of ``fp`` without the ``noise``, and the noise shingles it holds (for
    its body, ``body_of``)."""
    inside = in_sorted(fp.shingles, noise) if len(noise) else None
    if inside is None or not inside.any():
        return fp.shingles, _NONE
    return fp.shingles[~inside], fp.shingles[inside]


def body_of(fp: Fingerprint, noise: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """``_body`` of ``fp`` outside the ``noise`` shingles it holds. Most texts hold none of
    the noise of a pair: their body, the same for every pair they are verified in, is made
    once and kept in the fingerprint's ``memo``."""
    if len(noise):
        return _body(fp, noise)
    plain = fp.memo.get("body")
    if plain is None:
        plain = fp.memo["body"] = _body(fp, _NONE)
    return plain


_NONE = np.zeros(0, dtype=np.uint64)


def _without(values: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """``np.setdiff1d(values, noise)`` of two sorted unique arrays, by binary search (faster)."""
    return values[~in_sorted(values, noise)] if len(noise) else values


def _exact(fa: Fingerprint, fb: Fingerprint, estimate: float) -> CopyMatch:
    """The match of two texts with the same normalised text."""
    passage = Passage(int(fa.token_starts[0]), int(fa.token_ends[-1]),
                      int(fb.token_starts[0]), int(fb.token_ends[-1]), fa.token_count)
    return CopyMatch("exact", 1.0, estimate, 1.0, 1.0, 1.0, 1.0, (passage,), fa.recipe)


def _token_mask(fp: Fingerprint, positions: np.ndarray) -> np.ndarray:
    """Tokens covered by the shingles starting at ``positions``."""
    n = fp.token_count
    width = min(fp.params.shingle_size, n)
    delta = np.bincount(positions, minlength=n + 1)[: n + 1]
    delta[: n + 1] -= np.bincount(positions + width, minlength=n + 1)[: n + 1]
    return np.cumsum(delta[:n]) > 0


def _coverage(fp: Fingerprint, spans: list[tuple[int, int]], body: tuple) -> float:
    """Share of the prose tokens of ``fp`` outside its boilerplate (``body``, from ``_body``)
    that lie in the matched ``spans`` (menus, rows and notices are not what a copy must
    cover)."""
    if not fp.token_count:
        return 0.0
    return float(_count(spans, body[2])) / body[1]


def _body(fp: Fingerprint, boilerplate: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """The prose tokens of ``fp`` outside its ``boilerplate`` shingles, how many (at least 1),
    and their prefix sums (``_prefix``)."""
    body = np.ones(fp.token_count, dtype=bool)
    if len(boilerplate):
        body = ~_token_mask(fp, np.flatnonzero(in_sorted(fp.shingle_seq, boilerplate)))
    if fp.prose is not None:
        body &= fp.prose
    return body, max(1, int(np.count_nonzero(body))), _prefix(body)


def _kind(coverage: float, covered: int, unquoted: int, jaccard: float,
          t: Thresholds = DEFAULT_THRESHOLDS) -> Kind | None:
    """The kind of a pair from coverage, matched tokens (all, outside quotes) and Jaccard: a
    partial copy shares a passage and the copier's framing of any quote in it, not a quote."""
    if covered < t.min_passage_tokens and jaccard < t.near_dup_jaccard:
        return None
    if coverage >= t.near_dup_coverage or jaccard >= t.near_dup_jaccard:
        return "near_duplicate"
    if (coverage >= t.partial_min_coverage and covered >= t.partial_min_tokens
            and unquoted >= min(t.partial_min_framing_tokens, t.partial_min_tokens)):
        return "partial"
    return None
