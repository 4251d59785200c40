"""LSH keys of a text for the persistent index: band keys and anchor keys.

* band keys: the MinHash signature cut into ``bands`` x ``rows``; catch whole-document copies down
  to a Jaccard of about 0.2 (``rows=2`` makes the S-curve shallow on purpose, see config);
* anchor keys: a content-defined sample of the shingles (one in ``anchor_rate``), and a key for
  each pair of consecutive anchors; catch a verbatim passage of a few sentences inside an
  otherwise unrelated text, where document-level Jaccard is far too low for any banding;
* single-anchor keys: a key for each anchor shingle alone; survive light revision, where few
  pairs of consecutive anchors stay intact. Only `check` looks them up (the scan skips them:
  too many pairs share one).

Every key is ``config.KEY_BYTES`` long: a prefix byte (the band index, ``ANCHOR_PREFIX`` or
``SINGLE_PREFIX``) and a digest. Keys only propose pairs (``bucket_pairs``: every pair of a
small bucket, the members of a large one paired with its representatives), weighed by how many
articles hold each key (``copies.candidates``); every candidate is verified
(``copies.verification``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from provenance.config import (
    ANCHOR_PREFIX,
    BUCKET_REPRESENTATIVES,
    KEY_DIGEST_BYTES,
    PAIR_BUCKET,
    SINGLE_PREFIX,
    SINGLE_RATE,
    FingerprintParams,
)
from provenance.copies.tokens import unique_sorted
from provenance.errors import IncompatibleIndexError

_KEY_HASH = hashlib.blake2b(digest_size=KEY_DIGEST_BYTES, person=b"prov-lsh")
_PREFIX_BYTES = [bytes((i,)) for i in range(256)]


def _empty_value(params: FingerprintParams) -> np.uint64:
    """The value of every slot of a signature of the empty set (no key is made for it)."""
    return np.uint64(2**64 - 1) if params.scheme == "affine64" else np.uint64(2**32 - 1)


def _digests(prefix: int | None, data: bytes, width: int) -> list[bytes]:
    """Keys of consecutive ``width``-byte slices of ``data``: ``prefix``, or the slice index."""
    keys = []
    for i, at in enumerate(range(0, len(data), width)):
        # Copying a keyed hasher is cheaper than building one with its parameters each time.
        digest = _KEY_HASH.copy()
        digest.update(data[at : at + width])
        keys.append(_PREFIX_BYTES[i if prefix is None else prefix] + digest.digest())
    return keys


def band_keys(signature: np.ndarray, params: FingerprintParams) -> list[bytes]:
    """One key per LSH band: the band index byte, then a digest of the band's rows."""
    if len(signature) != params.num_perm:
        raise IncompatibleIndexError(
            f"signature has {len(signature)} values, parameters {params.recipe} expect "
            f"{params.num_perm}: re-scan into a new --db or pass the same parameters"
        )
    if np.all(signature == _empty_value(params)):
        return []
    dtype = np.dtype("<u8" if params.scheme == "affine64" else "<u4")
    data = signature[: params.bands * params.rows].astype(dtype).tobytes()
    return _digests(None, data, params.rows * dtype.itemsize)


def anchor_positions(shingle_seq: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """Positions of the anchor shingles: those whose hash falls in a 1/anchor_rate slice."""
    rate = np.uint64(params.anchor_rate)
    # The high bits select anchors; the low 32 bits feed MinHash, so the two stay independent.
    return np.flatnonzero((shingle_seq >> np.uint64(32)) % rate == 0)


def anchor_keys(
    shingle_seq: np.ndarray, params: FingerprintParams, exclude: Iterable[int] = ()
) -> list[bytes]:
    """Keys for each pair of consecutive anchor shingles (sorted, unique); skip ``exclude``."""
    anchors = shingle_seq[anchor_positions(shingle_seq, params)]
    excluded = np.fromiter(exclude, dtype=np.uint64)
    if len(excluded):
        anchors = anchors[~np.isin(anchors, excluded)]
    return _pair_keys(anchors)


def _pair_keys(anchors: np.ndarray) -> list[bytes]:
    """The anchor-pair keys of a run of anchors: the digest of each pair of consecutive ones
    (their 16 little-endian bytes, which the anchors' own bytes hold one after the other)."""
    if len(anchors) < 2:
        return []
    data = anchors.astype("<u8").tobytes()
    prefix = _PREFIX_BYTES[ANCHOR_PREFIX]
    keys = set()
    for at in range(0, len(data) - 8, 8):
        digest = _KEY_HASH.copy()
        digest.update(data[at : at + 16])
        keys.add(prefix + digest.digest())
    return sorted(keys)


def single_keys(shingle_seq: np.ndarray, params: FingerprintParams) -> list[bytes]:
    """A key for each distinct anchor shingle (sorted): candidates for a revised draft.

    One anchor in ``SINGLE_RATE`` has a key; its shingle hash is mixed already, so the key is
    the prefix and the hash itself (no digest: this is the cheapest key of a sketch).
    """
    return _single_keys(shingle_seq[anchor_positions(shingle_seq, params)])


def _single_keys(anchors: np.ndarray) -> list[bytes]:
    """The single-anchor keys of a run of anchors (``single_keys``)."""
    if SINGLE_RATE > 1:
        anchors = anchors[(anchors >> np.uint64(40)) % np.uint64(SINGLE_RATE) == 0]
    data = unique_sorted(anchors).astype(">u8").tobytes()
    prefix = _PREFIX_BYTES[SINGLE_PREFIX]
    return [prefix + data[at : at + KEY_DIGEST_BYTES]
            for at in range(0, len(data), KEY_DIGEST_BYTES)]


def lsh_keys(signature: np.ndarray, shingle_seq: np.ndarray,
             params: FingerprintParams) -> list[bytes]:
    """All LSH keys of a text: its band keys, its anchor-pair keys, then its single-anchor keys
    (none for an empty text)."""
    if not len(shingle_seq):
        return []
    anchors = shingle_seq[anchor_positions(shingle_seq, params)]
    return band_keys(signature, params) + _pair_keys(anchors) + _single_keys(anchors)


def bucket_pairs(members: Sequence[str], is_new: Callable[[str], bool] | None = None,
                 pair_bucket: int = PAIR_BUCKET, representatives: int = BUCKET_REPRESENTATIVES,
                 rank: Callable[[str], Any] | None = None) -> Iterator[tuple[str, str]]:
    """The candidate pairs one bucket proposes (smaller id first), each with a new article.

    ``members`` are the distinct articles holding one key (or one text hash), and ``is_new``
    tells those awaiting comparison (None: all of them). A bucket of at most ``pair_bucket``
    articles proposes every pair. A larger one is a passage or a story that many articles share
    (a syndication family, a press release): each member is paired with the bucket's
    ``representatives`` first members by ``rank`` (by id when not given; the scan ranks by
    publication time, so that they are the likely origins, as a story's origin is its earliest
    member) and not with every other member, so that the pairs grow with the bucket, not with
    its square.
    """
    ordered = sorted(members)
    if is_new is None:
        is_new = _every
    if len(ordered) <= pair_bucket:
        for i, a in enumerate(ordered):
            new_a = is_new(a)
            for b in ordered[i + 1:]:
                if new_a or is_new(b):
                    yield a, b
        return
    heads = sorted(ordered, key=rank)[:representatives] if rank else ordered[:representatives]
    for i, head in enumerate(heads):
        new_head = is_new(head)
        for other in ordered:
            if other not in heads[: i + 1] and (new_head or is_new(other)):
                yield min(head, other), max(head, other)


def _every(_article_id: str) -> bool:
    return True
