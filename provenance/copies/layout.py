"""The token layout of a fingerprint as compact bytes: a text fingerprinted once, at analysis.

Verification and alignment need more of a text than its sketch: the shingle at each token, the
token offsets, which tokens are prose and which are quoted, and the digest of its tokens.
``pack`` writes those into about 5 bytes per token, next to the shingle set and signature the
index stores anyway; ``unpack`` gives back the very ``Fingerprint`` that ``fingerprint(text)``
makes, without tokenising the text again (`tests/test_fingerprint.py` holds them equal).

Layout (little-endian): a header ``LAYOUT_MAGIC``, the token and shingle counts, the byte
widths of the three columns and the digest (`config.TEXT_HASH_BYTES`); then per shingle
position the index of its shingle in the sorted shingle set (the largest index + 1 for a
left-out shingle); per token the gap from the previous token's start and its length; then the
prose and quotation masks as bits.
"""

from __future__ import annotations

import struct

import numpy as np

from provenance.config import TEXT_HASH_BYTES, FingerprintParams
from provenance.copies.minhash import MASKED, Fingerprint

LAYOUT_MAGIC = b"TL1"
_HEADER = struct.Struct(f"<3sIIBBB{TEXT_HASH_BYTES}s")
_WIDTHS = (1, 2, 4, 8)


def _width(values: np.ndarray) -> int:
    """The fewest bytes (1, 2, 4 or 8) that hold every value."""
    top = int(values.max()) if len(values) else 0
    return next(w for w in _WIDTHS if top < 1 << (8 * w))


def _column(values: np.ndarray, width: int) -> bytes:
    """Values as little-endian unsigned integers of ``width`` bytes."""
    return values.astype(f"<u{width}").tobytes()


def pack(fp: Fingerprint) -> bytes:
    """The token layout of ``fp`` (its shingle set and signature are stored apart)."""
    n = fp.token_count
    index = fp.shingles.searchsorted(fp.shingle_seq)
    index[fp.shingle_seq == MASKED] = len(fp.shingles)
    starts = fp.token_starts.astype(np.int64, copy=False)
    gaps = starts.copy()
    gaps[1:] -= starts[:-1]  # np.diff(starts, prepend=0), without its overhead
    lengths = fp.token_ends.astype(np.int64, copy=False) - starts
    widths = _width(index), _width(gaps), _width(lengths)
    prose = fp.prose if fp.prose is not None else np.ones(n, dtype=bool)
    return b"".join((
        _HEADER.pack(LAYOUT_MAGIC, n, len(index), *widths, bytes.fromhex(fp.digest)),
        _column(index, widths[0]), _column(gaps, widths[1]), _column(lengths, widths[2]),
        np.packbits(prose).tobytes(), np.packbits(fp.quoted).tobytes()))


def unpack(layout: bytes, shingles: np.ndarray, signature: np.ndarray,
           params: FingerprintParams, offsets: type = np.int64) -> Fingerprint | None:
    """The fingerprint of a stored layout with its shingle set and signature (None for a
    layout this version cannot read: the text is then fingerprinted again); its token offsets
    of the integer type ``offsets``. The index of each position's shingle, which the layout
    holds, is kept in its ``memo`` (`minhash.shingle_places`)."""
    if len(layout) < _HEADER.size or layout[:3] != LAYOUT_MAGIC:
        return None
    _, n, n_seq, w_index, w_gap, w_length, digest = _HEADER.unpack_from(layout)
    data = memoryview(layout)[_HEADER.size:]
    columns = []
    for count, width in ((n_seq, w_index), (n, w_gap), (n, w_length)):
        columns.append(np.frombuffer(data[: count * width], dtype=f"<u{width}"))
        data = data[count * width:]
    bits = (n + 7) // 8
    masks = [np.unpackbits(np.frombuffer(data[k * bits: (k + 1) * bits], dtype=np.uint8),
                           count=n).astype(bool) for k in (0, 1)]
    index, gaps, lengths = columns
    index = index.astype(np.int64)
    table = np.append(shingles.astype(np.uint64), MASKED)
    starts = np.cumsum(gaps, dtype=np.int64)
    ends = starts + lengths.astype(np.int64)
    placed = np.flatnonzero(index != len(shingles))
    places = (placed.astype(np.int32), index[placed].astype(np.int32))
    return Fingerprint(params=params, digest=digest.hex(), signature=signature,
                       shingles=shingles, shingle_seq=table[index],
                       token_starts=starts.astype(offsets, copy=False),
                       token_ends=ends.astype(offsets, copy=False),
                       quoted=masks[1], prose=masks[0], memo={"index": places})
