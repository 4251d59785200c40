"""Which pairs of articles that share LSH keys are verified: the weight of their keys.

A key that only two articles hold is good evidence that they share text; a key that twenty hold
(a sentence quoted across an archive, a stock phrase) is weak evidence for each of its 190 pairs.
Quotes recur more the larger the archive grows, so counting every pair that shares a key makes
the pairs per article grow with the archive (`config_copies.CANDIDATE_WEIGHT` has the figures).

* **weight**: each key a pair shares, in a bucket of ``n`` articles that proposes the pair
  (`keys.bucket_pairs`), is worth ``1 / (n - 1)`` to it (``key_weight``), in units of
  ``WEIGHT_UNIT`` and rounded up: the sums are whole numbers, the same in any order;
* **strong**: a pair whose keys weigh ``needed_weight(CANDIDATE_WEIGHT)`` together, or that
  ``CANDIDATE_KEYS`` keys propose (a passage of two or three sentences holds that many anchor
  pairs, however many articles reuse it), or whose texts are equal;
* **candidate**: a strong pair, or a weaker one whose two articles are both strong with a third
  (``promoted``). Two copies of one original, one lightly revised and one trimmed, share few
  keys with each other but many with the original: they are a family, not two articles that
  quote the same sentence;
* the other pairs are **light**: the scan verifies them only when their stored shingle sets
  share a verbatim passage (`config_copies.LIGHT_MIN_SHINGLES`), which a re-worded quote does
  not.

Whether a pair is a candidate depends on the archive as a whole (how many articles hold each
key), never on the order the articles came in; `scan.candidates` compares again the articles
whose pairs an archive's growth changed.
"""

from __future__ import annotations

from array import array
from datetime import UTC, datetime

import numpy as np

from provenance.copies.direction import as_utc, published_time

WEIGHT_UNIT = 1 << 20  # the weight of a key that only the two articles of a pair hold
# A proposal adds its key's weight (at most 2**20) and one key at bit 44: a pair's sum holds
# both, up to 2**24 keys of weight and 2**19 keys (a text of the largest size the inputs take,
# 10 MB, has about 200,000).
_KEY_BIT = 44
_WEIGHT_BITS = np.int64((1 << _KEY_BIT) - 1)
_NEVER = datetime.min.replace(tzinfo=UTC)  # ranks an undated article after every dated one
_LOW = np.uint64(0xFFFFFFFF)
_HIGH = np.uint64(32)


def key_weight(size: int) -> int:
    """What one key of a bucket of ``size`` articles is worth to each pair the bucket proposes
    (one over the number of the other members, rounded up)."""
    return -(-WEIGHT_UNIT // (size - 1))


def needed_weight(share: float) -> int:
    """The weight a pair's shared keys need together to make it strong: ``share`` of one key
    that only the two articles hold."""
    return round(WEIGHT_UNIT * share)


def proposal(weight: int) -> int:
    """What one proposal by a key of this weight adds to a pair's sum (its weight, one key)."""
    return weight + (1 << _KEY_BIT)


def publication_rank(article_id: str, published: str | None) -> tuple:
    """An article's rank among a large bucket's members, whose earliest are its
    representatives (`keys.bucket_pairs`): dated first, earliest first, then by id."""
    when = as_utc(published_time(published))
    return (0, when, article_id) if when else (1, _NEVER, article_id)


def pair_code(a: int, b: int) -> int:
    """One int for a pair of article codes (below 2**32)."""
    return a << 32 | b


def split_codes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two article codes of each pair code."""
    return codes >> _HIGH, codes & _LOW


class PairWeights:
    """Pair codes with the summed weight of the keys that proposed them, and how many keys did
    (``weight_and_keys`` reads the two from a sum). Each proposal is
    appended (8 + 8 bytes); whenever ``limit`` are waiting they are sorted and summed by code
    into the arrays kept, so memory follows the distinct pairs, not the proposals (a pair is
    proposed by each key it shares)."""

    def __init__(self, limit: int = 1 << 21) -> None:
        self.limit = limit
        self.codes = np.zeros(0, dtype=np.uint64)
        self.weights = np.zeros(0, dtype=np.int64)
        self._codes = array("Q")
        self._weights = array("q")

    def add(self, code: int, weight: int) -> None:
        """One proposal of a pair, by a key of this weight."""
        self._codes.append(code)
        self._weights.append(proposal(weight))
        if len(self._codes) >= self.limit:
            self._compact()

    def _compact(self) -> None:
        codes = np.concatenate([self.codes, np.frombuffer(self._codes, dtype=np.uint64)])
        weights = np.concatenate([self.weights, np.frombuffer(self._weights, dtype=np.int64)])
        self._codes, self._weights = array("Q"), array("q")
        if not len(codes):
            return
        order = np.argsort(codes, kind="stable")
        codes, weights = codes[order], weights[order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        self.codes, self.weights = codes[starts], np.add.reduceat(weights, starts)

    def summed(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct pair codes, sorted, with their sums."""
        self._compact()
        return self.codes, self.weights


def weight_and_keys(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weight of the keys that proposed each pair, and how many keys did, from the sums
    of `PairWeights`."""
    return sums & _WEIGHT_BITS, sums >> np.int64(_KEY_BIT)


def strong_pairs(sums: np.ndarray, needed: int, keys: int) -> np.ndarray:
    """Which pairs are strong: their keys weigh ``needed``, or ``keys`` keys proposed them."""
    weight, count = weight_and_keys(sums)
    return (weight >= needed) | (count >= keys)


def candidates(codes: np.ndarray, strong: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs are candidates, and which of those are only ``promoted`` (boolean masks
    over ``codes``; ``strong`` from `strong_pairs`)."""
    lifted = promoted(codes, strong)
    return strong | lifted, lifted


def promoted(codes: np.ndarray, strong: np.ndarray, supporters: np.ndarray | None = None,
             among: np.ndarray | None = None) -> np.ndarray:
    """The pairs (of those ``among`` marks, when given) that are not ``strong`` but whose two
    articles are both strong with a third article (one whose code ``supporters`` marks, when
    given)."""
    first, second = split_codes(codes)
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(first[strong].tolist(), second[strong].tolist(), strict=True):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    found = np.zeros(len(codes), dtype=bool)
    weak = np.flatnonzero(~strong if among is None else ~strong & among)
    for i, a, b in zip(weak.tolist(), first[weak].tolist(), second[weak].tolist(), strict=True):
        of_a, of_b = neighbours.get(a), neighbours.get(b)
        if not of_a or not of_b:
            continue
        common = of_a & of_b
        if supporters is not None:
            common = {c for c in common if supporters[c]}
        found[i] = bool(common)
    return found
