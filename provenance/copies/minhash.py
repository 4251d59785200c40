"""Shingles and MinHash signatures of a text (the only datasketch import): sketch and fingerprint.

The tokens of a text (``copies.tokens``) become overlapping word k-shingles hashed to 64-bit
integers, and the shingle set becomes a datasketch MinHash signature. Two views of a text:

* ``sketch(text)`` -> ``records.Sketch``: what the index stores (signature, LSH keys, shingles);
* ``fingerprint(text)`` -> ``Fingerprint``: the same plus the token offsets and quotation mask
  that verification and alignment need.

``sketch_many(texts)`` is ``[sketch(t) for t in texts]`` with the shingle hashes and MinHash
signatures of the whole list computed in a few array operations (a scan's worker batches).

Both carry the ``FingerprintParams`` recipe: values made with different recipes are never mixed
(``check_compatible``). How a sketch is packed into bytes is the store's business
(``provenance.store.rows``).

The default scheme, datasketch's affine32, is computed here in array operations from the
permutations datasketch draws (``_affine32``; a test holds the values to datasketch's own
``update_batch``), so no command imports datasketch unless a text is sketched with another scheme
or a signature is handed to datasketch (``to_minhash``): its package imports SciPy, a third of a
second before ``provenance check`` could start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from provenance.config import MINHASH_CHUNK, FingerprintParams
from provenance.copies.keys import lsh_keys
from provenance.copies.prose import all_prose, prose_mask, shingle_mask
from provenance.copies.retold import content_keys_of
from provenance.copies.tokens import (
    hashes_of,
    numbers_of,
    quoted_mask,
    raw_tokens,
    token_hashes,
    token_spans,
    unique_sorted,
    words_digest,
)
from provenance.errors import IncompatibleIndexError
from provenance.records import Sketch

if TYPE_CHECKING:
    from datasketch import MinHash

_MASK32 = np.uint64(0xFFFFFFFF)
# The place of a left-out (not prose) shingle in ``Fingerprint.shingle_seq``.
MASKED = np.uint64(2**64 - 1)


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """The shingles, signature and LSH keys of one text, with token offsets for alignment."""

    params: FingerprintParams
    digest: str  # tokens_digest of the text: equal for texts that differ only in layout or case
    signature: np.ndarray
    shingles: np.ndarray  # sorted unique shingle hashes
    shingle_seq: np.ndarray  # the shingle hash at each token position
    token_starts: np.ndarray
    token_ends: np.ndarray
    quoted: np.ndarray  # per token: inside a quotation
    band_keys: list[bytes] = field(default_factory=list)
    # per token: in a prose line (copies.prose); shingles over other tokens are left out and
    # their place in ``shingle_seq`` holds ``MASKED``, which is no shingle (and no anchor)
    prose: np.ndarray | None = None
    # what verifying many pairs of this text computes once (`memo`): see `positions_of`
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def recipe(self) -> str:
        """The recipe of the parameters that made this fingerprint (made once, in ``memo``:
        verifying compares recipes for every pair)."""
        found = self.memo.get("recipe")
        if found is None:
            found = self.memo["recipe"] = self.params.recipe
        return found

    @property
    def token_count(self) -> int:
        """Number of tokens in the text."""
        return len(self.token_starts)


# --- shingles and shingle sets ------------------------------------------------------------------


# MurmurHash3's finalisers: the shifts and the multipliers, as numbers of the width they work in.
_FMIX = {bits: (tuple(map(width, shifts)), tuple(map(width, multipliers)))
         for bits, shifts, multipliers, width in (
             (64, (33, 33, 33), (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53), np.uint64),
             (32, (16, 13, 16), (0x85EBCA6B, 0xC2B2AE35), np.uint32))}


def _fmix(h: np.ndarray, bits: int) -> np.ndarray:
    """MurmurHash3's ``bits``-bit finaliser, element-wise (unsigned arithmetic wraps on purpose;
    the 32-bit one is datasketch's pre-mix for affine32)."""
    return _fmix_in_place(h ^ (h >> _FMIX[bits][0][0]), bits, mixed=True)


def _fmix_in_place(h: np.ndarray, bits: int, mixed: bool = False) -> np.ndarray:
    """``_fmix`` computed in ``h`` itself (``mixed``: its first shift is applied already)."""
    (s1, s2, s3), (m1, m2) = _FMIX[bits]
    if not mixed:
        h ^= h >> s1
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    return h


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of the overlapping ``size``-token shingles, one per start position."""
    n = len(hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, n)
    count = n - width + 1
    h = np.full(count, np.uint64(width), dtype=np.uint64)
    for j in range(width):
        # fmix between steps makes the hash depend on token order, not just the token bag.
        h ^= hashes[j : j + count]
        _fmix_in_place(h, 64)
    return h


def as_shingles(shingles: Iterable[int] | np.ndarray) -> np.ndarray:
    """Shingle hashes as a sorted unique ``uint64`` array."""
    if isinstance(shingles, np.ndarray):
        values = shingles.astype(np.uint64, copy=False)
        # Fingerprints and learnt boilerplate are sorted and unique already; checking is much
        # cheaper than np.unique on every call of verify.
        if values.ndim == 1 and (len(values) < 2 or bool(np.all(values[1:] > values[:-1]))):
            return values
        return np.unique(values)
    return np.unique(np.fromiter((int(s) for s in shingles), dtype=np.uint64))


def in_sorted(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a sorted unique ``table``, by binary search (faster)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(table, values)
    at[at == len(table)] = 0
    return table[at] == values


def shingle_places(fp: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``fp.shingle_seq`` that hold a shingle, and the index of that shingle
    in ``fp.shingles``. A fingerprint unpacked from its stored layout has them from the start
    (`copies.layout.unpack`, in its ``memo`` under ``"index"``), and gives them up here: the
    memos made from them keep what they need, and a fingerprint cache counts no memo; else they
    are searched for."""
    found = fp.memo.pop("index", None)
    if found is None:
        placed = np.flatnonzero(fp.shingle_seq != MASKED)
        found = placed, np.searchsorted(fp.shingles, fp.shingle_seq[placed])
    return found


def positions_of(fp: Fingerprint, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of the sorted ``hashes``, where its positions start in ``order`` and how many
    there are, with ``order``: the positions of ``fp.shingle_seq`` sorted by hash (stable, so
    one hash's positions are in text order). The sort is made once per fingerprint and kept in
    its ``memo``: a text verified against many candidates is indexed once."""
    index = fp.memo.get("order")
    if index is None:
        order = np.argsort(fp.shingle_seq, kind="stable")
        index = fp.memo["order"] = order, fp.shingle_seq[order]
    order, ordered = index
    left = np.searchsorted(ordered, hashes, "left")
    return order, left, np.searchsorted(ordered, hashes, "right") - left


def common_positions(fa: Fingerprint, fb: Fingerprint, common: np.ndarray, max_repeats: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(i, j)`` where A and B hold the same shingle of ``common``
    (sorted), each position of A paired with at most ``max_repeats`` of B (its first ones)."""
    order_a, left_a, count_a = positions_of(fa, common)
    order_b, left_b, count_b = positions_of(fb, common)
    count_b = np.minimum(count_b, max_repeats)
    first = np.repeat(left_a - (np.cumsum(count_a) - count_a), count_a)
    at_a = order_a[first + np.arange(len(first))]
    shingle = np.repeat(np.arange(len(common)), count_a)
    count = count_b[shingle]
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(at_a, count), order_b[np.repeat(left_b[shingle], count) + offsets]


# --- MinHash ------------------------------------------------------------------------------------


def _precomputed(value: int) -> int:
    """The identity: shingles are hashed already, datasketch only permutes them."""
    return value


@dataclass(frozen=True)
class _Affine32:
    """datasketch's affine32 scheme for one number of permutations and seed: the permutations
    ``h -> a * h + b`` on 32-bit values (``a`` odd), and the signature of an empty set."""

    a: np.ndarray  # uint32
    b: np.ndarray  # uint32
    empty: np.ndarray  # uint32, every value 2**32 - 1


@lru_cache(maxsize=8)
def _affine32(num_perm: int, seed: int) -> _Affine32:
    """The permutations as datasketch draws them for affine32: from ``RandomState(seed)``, first
    every ``a`` (an odd number below 2**32), then every ``b`` (below 2**32)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    scheme = _Affine32(a, b, np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32))
    for shared in (scheme.a, scheme.b, scheme.empty):  # cached: every signature reads them
        shared.setflags(write=False)
    return scheme


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int, scheme: str) -> MinHash:
    """An empty datasketch MinHash whose permutations are generated once and shared by every
    copy (datasketch is imported here, on first use)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme=scheme, hashfunc=_precomputed)


def minhash_signature(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """The MinHash signature (``uint64`` array of ``num_perm``) of a set of shingle hashes."""
    if params.scheme == "affine32":
        return _affine32_signature(shingles, _affine32(params.num_perm, params.seed))
    return _datasketch_signature(shingles, params)


def _datasketch_signature(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """The signature computed by datasketch's ``update_batch``."""
    mh = _template(params.num_perm, params.seed, params.scheme).copy()
    for start in range(0, len(shingles), MINHASH_CHUNK):
        chunk = shingles[start : start + MINHASH_CHUNK]
        # affine32 and legacy take 32-bit values, affine64 the whole hash.
        mh.update_batch((chunk if params.scheme == "affine64" else chunk & _MASK32).tolist())
    return mh.hashvalues.astype(np.uint64)


def _affine32_signature(shingles: np.ndarray, scheme: _Affine32) -> np.ndarray:
    """datasketch's affine32 signature (``update_batch``: each value pre-mixed by MurmurHash3's
    32-bit finaliser, then permuted) in one array operation per chunk: ``update_batch`` calls
    the hash function once per value from Python, which is half the cost of a signature; the
    arithmetic is the same (uint32 wraps around, as in datasketch)."""
    values = scheme.empty
    for start in range(0, len(shingles), MINHASH_CHUNK):
        hv = _fmix((shingles[start : start + MINHASH_CHUNK] & _MASK32).astype(np.uint32), 32)
        products = hv[:, None] * scheme.a
        products += scheme.b  # in place: one temporary array fewer
        values = np.minimum(values, products.min(axis=0))
    return values.astype(np.uint64)


def to_minhash(signature: np.ndarray, params: FingerprintParams) -> MinHash:
    """A datasketch MinHash carrying ``signature`` (for MinHashLSH and other datasketch tools)."""
    from datasketch import MinHash

    if params.scheme == "affine32":
        scheme = _affine32(params.num_perm, params.seed)
        permutations = np.array([scheme.a, scheme.b])
    else:
        permutations = _template(params.num_perm, params.seed, params.scheme).permutations
    return MinHash(seed=params.seed, hashvalues=signature, permutations=permutations,
                   scheme=params.scheme, hashfunc=_precomputed)


# --- the two views of a text --------------------------------------------------------------------


def fingerprint(
    text: str, params: FingerprintParams | None = None, signature: np.ndarray | None = None
) -> Fingerprint:
    """Tokenise, shingle and MinHash one text; the result carries its LSH keys.

    Only shingles of prose (``copies.prose``) count: the others are ``MASKED`` in ``shingle_seq``.
    Given the text's stored ``signature`` (to verify a candidate pair), the MinHash is not
    computed again and ``band_keys`` stays empty.
    """
    return _fingerprint(text, params or FingerprintParams(), signature)[0]


def _fingerprint(text: str, params: FingerprintParams, signature: np.ndarray | None
                 ) -> tuple[Fingerprint, np.ndarray, np.ndarray]:
    """``fingerprint(text)``, with the vocabulary numbers (``tokens.numbers_of``) and hashes
    of its tokens."""
    words, starts, ends = token_spans(text)
    numbers = numbers_of(words)
    hashes = hashes_of(numbers)
    seq = shingle_hashes(hashes, params.shingle_size)
    prose = prose_mask(text, starts)
    keep = shingle_mask(prose, len(seq), params.shingle_size)
    kept = seq[keep]
    shingles = unique_sorted(kept[kept != MASKED])
    keys: list[bytes] = []
    if signature is None:
        signature = minhash_signature(shingles, params)
        keys = lsh_keys(signature, kept, params)
    made = Fingerprint(params=params, digest=words_digest(words), signature=signature,
                       shingles=shingles, shingle_seq=np.where(keep, seq, MASKED),
                       token_starts=starts, token_ends=ends, quoted=quoted_mask(text, starts),
                       band_keys=keys, prose=prose)
    return made, numbers, hashes


def prose_shingles(text: str, params: FingerprintParams) -> np.ndarray:
    """The shingle hashes of the prose of ``text``, in text order (``fingerprint``'s kept
    shingles; a text of prose lines only is tokenised without offsets, which is faster)."""
    if all_prose(text):
        return shingle_hashes(token_hashes(raw_tokens(text)), params.shingle_size)
    words, starts, _ = token_spans(text)
    seq = shingle_hashes(token_hashes(words), params.shingle_size)
    return seq[shingle_mask(prose_mask(text, starts), len(seq), params.shingle_size)]


def sketch(text: str, params: FingerprintParams | None = None, content: bool = False) -> Sketch:
    """The signature, LSH keys and shingles of ``fingerprint(text)``, with its token layout
    (``copies.layout``): the text is tokenised once, and verification reads the layout. With
    ``content``, the text's content keys (``retold.content_keys``) follow its LSH keys."""
    from provenance.copies.layout import pack  # layout builds on this module

    made, numbers, hashes = _fingerprint(text, params or FingerprintParams(), None)
    keys = made.band_keys + content_keys_of(numbers, hashes) if content else made.band_keys
    return Sketch(made.params, made.signature, keys, made.shingles, len(made.shingles),
                  pack(made))


def sketch_many(texts: list[str], params: FingerprintParams | None = None,
                content: bool = False) -> list[Sketch]:
    """``[sketch(text, params, content) for text in texts]``, with the array work of the whole
    list done at once: the shingle hashes of all texts in one pass, the MinHash signatures of
    groups of texts in one (``_signatures``), so that numpy's per-call cost is paid per batch.
    The steps that look up the per-process vocabulary run text by text, at once after its
    numbering (it may be emptied before the next text is numbered)."""
    from provenance.copies.layout import pack  # layout builds on this module

    params = params or FingerprintParams()
    spans, numbers, hashes, extra = [], [], [], []
    for text in texts:
        spans.append(token_spans(text))
        numbers.append(numbers_of(spans[-1][0]))
        hashes.append(hashes_of(numbers[-1]))
        extra.append(content_keys_of(numbers[-1], hashes[-1]) if content else [])
    seqs = _shingle_seqs(hashes, params.shingle_size)
    prose, keep, kept, sets = [], [], [], []
    for text, (_, starts, _), seq in zip(texts, spans, seqs, strict=True):
        prose.append(prose_mask(text, starts))
        keep.append(shingle_mask(prose[-1], len(seq), params.shingle_size))
        kept.append(seq[keep[-1]])
        sets.append(unique_sorted(kept[-1][kept[-1] != MASKED]))
    signatures = _signatures(sets, params)
    made = []
    for i, text in enumerate(texts):
        words, starts, ends = spans[i]
        keys = lsh_keys(signatures[i], kept[i], params)
        fp = Fingerprint(params=params, digest=words_digest(words), signature=signatures[i],
                         shingles=sets[i], shingle_seq=np.where(keep[i], seqs[i], MASKED),
                         token_starts=starts, token_ends=ends, quoted=quoted_mask(text, starts),
                         band_keys=keys, prose=prose[i])
        made.append(Sketch(params, signatures[i], keys + extra[i], sets[i], len(sets[i]),
                           pack(fp)))
    return made


def _shingle_seqs(hashes: list[np.ndarray], size: int) -> list[np.ndarray]:
    """``shingle_hashes(h, size)`` of each token hash array, hashed in one pass over them all
    joined (the shingles that span two texts are left out; a text shorter than ``size`` is
    hashed alone, its one shingle being of its own length)."""
    lengths = [len(h) for h in hashes]
    joined = shingle_hashes(np.concatenate(hashes), size) if sum(lengths) >= size else None
    seqs, at = [], 0
    for h, n in zip(hashes, lengths, strict=True):
        seqs.append(joined[at : at + n - size + 1] if n >= size else shingle_hashes(h, size))
        at += n
    return seqs


def _signatures(sets: list[np.ndarray], params: FingerprintParams) -> list[np.ndarray]:
    """``minhash_signature`` of each shingle set: datasketch's affine32 permutations applied to
    a group of sets (at most ``MINHASH_CHUNK`` shingles in all) in one product, each set's
    minima taken by ``np.minimum.reduceat`` over its columns."""
    if params.scheme != "affine32":
        return [minhash_signature(s, params) for s in sets]
    scheme = _affine32(params.num_perm, params.seed)
    a, b = scheme.a[:, None], scheme.b[:, None]
    made: list[np.ndarray] = []
    at = 0
    while at < len(sets):
        group, total = [], 0
        while at < len(sets) and (not group or total + len(sets[at]) <= MINHASH_CHUNK):
            group.append(sets[at])
            total += len(sets[at])
            at += 1
        lengths = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        values = np.repeat(scheme.empty[None, :], len(group), axis=0)
        filled = np.flatnonzero(lengths)
        if total > MINHASH_CHUNK:  # one large set: chunked, as `minhash_signature` does
            values[0] = _affine32_signature(group[0], scheme)
        elif len(filled):
            products = a * _fmix((np.concatenate(group) & _MASK32).astype(np.uint32), 32)
            products += b
            starts = (np.cumsum(lengths) - lengths)[filled]
            values[filled] = np.minimum(np.minimum.reduceat(products, starts, axis=1).T,
                                        scheme.empty)
        made.extend(values.astype(np.uint64))
    return made


def shingle_set(text: str, params: FingerprintParams | None = None) -> np.ndarray:
    """The sorted unique shingle hashes of ``fingerprint(text)`` (for boilerplate learning)."""
    return unique_sorted(prose_shingles(text, params or FingerprintParams()))


def check_compatible(*recipes: str) -> None:
    """Raise ``IncompatibleIndexError`` unless all recipes are the same."""
    distinct = sorted(set(recipes))
    if len(distinct) > 1:
        raise IncompatibleIndexError(
            "cannot compare fingerprints made with different parameters "
            f"({' vs '.join(distinct)}): re-scan into a new --db or pass the same "
            "fingerprint parameters as the existing index"
        )


def estimate_jaccard(a: Fingerprint, b: Fingerprint) -> float:
    """Jaccard similarity estimated from the two MinHash signatures."""
    check_compatible(a.recipe, b.recipe)
    if not len(a.shingles) or not len(b.shingles):
        return 0.0
    return float(np.count_nonzero(a.signature == b.signature)) / len(a.signature)
