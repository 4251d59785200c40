"""Word shingles, MinHash signatures and LSH keys, with the recipe that makes them comparable.

A text becomes a sequence of normalised tokens (NFKC + casefold, Unicode words; scripts written
without spaces become overlapping character bigrams), the tokens become overlapping word
k-shingles hashed to 64-bit integers, and the shingle set becomes a datasketch MinHash signature.
Two kinds of LSH keys are derived for a persistent index:

* band keys: the signature cut into ``bands`` x ``rows``; catch whole-document copies down to a
  Jaccard of about 0.2 (``rows=2`` makes the S-curve shallow on purpose, see the constants);
* anchor keys: a content-defined sample of the shingles (one in ``anchor_rate``), and a key for
  each pair of consecutive anchors; catch a verbatim passage of a few sentences inside an
  otherwise unrelated text, where document-level Jaccard is far too low for any banding.

Every candidate must still be verified (``provenance.match.verify``); keys only propose pairs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

import numpy as np
from datasketch import MinHash

from provenance.config import (  # noqa: F401 - re-exported while the copies package is cut
    ANCHOR_PREFIX,
    ANCHOR_RATE,
    BANDS,
    KEY_BYTES,
    KEY_DIGEST_BYTES,
    MINHASH_CHUNK,
    NORMALISATION,
    NUM_PERM,
    ROWS,
    SCHEME,
    SEED,
    SHINGLE_HASHING,
    SHINGLE_SIZE,
    TEXT_HASH_BYTES,
    TOKEN_CACHE,
    TOKENISATION,
    FingerprintParams,
)
from provenance.errors import ProvenanceError

_MASK32 = np.uint64(0xFFFFFFFF)


class IncompatibleIndexError(ProvenanceError):
    """Signatures or LSH keys were made with different fingerprint parameters: never mixed."""


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """The shingles, signature and LSH keys of one text, with token offsets for alignment."""

    params: FingerprintParams
    text_hash: str
    signature: np.ndarray
    shingles: np.ndarray
    shingle_seq: np.ndarray
    token_starts: np.ndarray
    token_ends: np.ndarray
    quoted: np.ndarray
    band_keys: list[bytes] = field(default_factory=list)

    @property
    def recipe(self) -> str:
        """The recipe of the parameters that made this fingerprint."""
        return self.params.recipe

    @property
    def token_count(self) -> int:
        """Number of tokens in the text."""
        return len(self.token_starts)

    def shingle_span(self, index: int) -> tuple[int, int]:
        """Character span ``(start, end)`` of the shingle at ``index`` in the original text."""
        last = min(index + self.params.shingle_size, self.token_count) - 1
        return int(self.token_starts[index]), int(self.token_ends[last])


# --- tokenisation -------------------------------------------------------------------------------


def _mark_class() -> str:
    """A regex class body for the combining marks of the BMP (Devanagari vowel signs, accents)."""
    ranges = []
    start = None
    for cp in range(0x10000):
        is_mark = unicodedata.category(chr(cp)).startswith("M")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return "".join(ranges)


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, Han.
_NOSPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
# Quotations: text two articles share inside quotation marks may be the same source quoted twice
# independently, so match.verify does not count it as evidence of copying. Straight double
# quotes pair up within a paragraph; single quotes are left out (they double as apostrophes).
_QUOTE_RE = re.compile(
    r'“[^“”\n]{1,2000}”|„[^„“”\n]{1,2000}[“”]|«[^«»\n]{1,2000}»|»[^«»\n]{1,2000}«'
    r'|"[^"\n]{1,2000}"|「[^「」]{1,2000}」|『[^『』]{1,2000}』|‹[^‹›\n]{1,2000}›'
)
_MARKS = _mark_class()
_WORD_RE = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
# Splitting on a captured word gives [gap, word, gap, word, ..., gap]: words and offsets without
# a match object per token. In a text without underscores, combining marks and space-less
# scripts, a word is simply `\w+`, which `re` matches about twice as fast as `_WORD_RE`.
_PLAIN_WORD_RE = re.compile(r"\w+")
_PLAIN_WORD_SPLIT_RE = re.compile(r"(\w+)")
_WORD_SPLIT_RE = re.compile(f"((?:[^\\W_]|[{_MARKS}])+)")
_NOT_PLAIN_RE = re.compile(f"[_{_MARKS}{_NOSPACE}]")
_NOSPACE_RE = re.compile(f"[{_NOSPACE}]+")


def normalise_token(token: str) -> str:
    """NFKC-normalise and casefold one token (``Straße`` and ``STRASSE`` become ``strasse``)."""
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFKC", token).casefold()


def _split_nospace(word: str, offset: int) -> Iterable[tuple[str, int, int]]:
    """Split a word run into plain words and character bigrams of space-less scripts."""
    pos = 0
    for m in _NOSPACE_RE.finditer(word):
        if m.start() > pos:
            yield word[pos : m.start()], offset + pos, offset + m.start()
        run = m.group()
        if len(run) == 1:
            yield run, offset + m.start(), offset + m.end()
        for i in range(len(run) - 1):
            yield run[i : i + 2], offset + m.start() + i, offset + m.start() + i + 2
        pos = m.end()
    if pos < len(word):
        yield word[pos:], offset + pos, offset + len(word)


class _Cache(dict):
    """A dict that computes a missing value with ``make`` and is cleared when it is full."""

    def __init__(self, make: Callable, limit: int):
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


_NORMALISED = _Cache(normalise_token, TOKEN_CACHE)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens of ``text`` with their ``(start, end)`` character offsets in it."""
    words, starts, ends = _tokens(text)
    return list(zip(map(_NORMALISED.__getitem__, words), starts.tolist(), ends.tolist(),
                    strict=True))


def _tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of ``text`` as written (not yet normalised) and their start and end offsets."""
    if _NOT_PLAIN_RE.search(text) is None:
        parts = _PLAIN_WORD_SPLIT_RE.split(text)
    elif _NOSPACE_RE.search(text) is None:
        parts = _WORD_SPLIT_RE.split(text)
    else:
        spans = _bigram_tokens(text)
        return ([w for w, _, _ in spans], np.array([s for _, s, _ in spans], dtype=np.int64),
                np.array([e for _, _, e in spans], dtype=np.int64))
    words = parts[1::2]
    ends = np.fromiter(accumulate(map(len, parts)), dtype=np.int64, count=len(parts))[1::2]
    starts = ends - np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    return words, starts, ends


def _raw_tokens(text: str) -> list[str]:
    """The tokens of ``text`` as written, without offsets (for signatures and shingle sets)."""
    if _NOT_PLAIN_RE.search(text) is None:
        return _PLAIN_WORD_RE.findall(text)
    if _NOSPACE_RE.search(text) is None:
        return _WORD_RE.findall(text)
    return [w for w, _, _ in _bigram_tokens(text)]


def _bigram_tokens(text: str) -> list[tuple[str, int, int]]:
    """Tokens with offsets of a text with space-less scripts, whose runs become bigrams."""
    tokens: list[tuple[str, int, int]] = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word.isascii() or not _NOSPACE_RE.search(word):
            tokens.append((word, m.start(), m.end()))
        else:
            tokens.extend(_split_nospace(word, m.start()))
    return tokens


def quoted_mask(text: str, starts: np.ndarray) -> np.ndarray:
    """For each token start offset, whether it lies inside a quotation."""
    mask = np.zeros(len(starts), dtype=bool)
    for m in _QUOTE_RE.finditer(text):
        lo, hi = np.searchsorted(starts, [m.start(), m.end()])
        mask[lo:hi] = True
    return mask


def text_hash(tokens: Sequence[str]) -> str:
    """Hash of the normalised token stream: equal for texts that differ only in layout or case."""
    digest = hashlib.blake2b(digest_size=TEXT_HASH_BYTES, person=b"prov-text")
    digest.update("\x1f".join(tokens).encode("utf-8"))
    return digest.hexdigest()


# --- shingle hashing ----------------------------------------------------------------------------


def _token_hash(token: str) -> int:
    """A stable 64-bit hash of one normalised token (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, person=b"prov-tok")
    return int.from_bytes(digest.digest(), "little")


# Tokens as written -> the hash of their normalised form.
_TOKEN_HASHES = _Cache(lambda word: _token_hash(normalise_token(word)), TOKEN_CACHE)


def token_hashes(words: Sequence[str]) -> np.ndarray:
    """The 64-bit hashes of tokens as written (each normalised first), in order."""
    return np.fromiter(map(_TOKEN_HASHES.__getitem__, words), dtype=np.uint64,
                       count=len(words))


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, element-wise (uint64 arithmetic wraps on purpose)."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d array by sorting (numpy 2's hash-based unique is slower here)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def shingle_hashes(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of the overlapping ``size``-token shingles, one per start position."""
    n = len(token_hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, n)
    count = n - width + 1
    h = np.full(count, np.uint64(width), dtype=np.uint64)
    for j in range(width):
        # fmix between steps makes the hash depend on token order, not just the token bag.
        h = _fmix64(h ^ token_hashes[j : j + count])
    return h


# --- MinHash ------------------------------------------------------------------------------------


def _precomputed(value: int) -> int:
    """The identity: shingles are hashed already, datasketch only permutes them."""
    return value


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int, scheme: str) -> MinHash:
    """An empty MinHash whose permutations are generated once and shared by every copy."""
    return MinHash(num_perm=num_perm, seed=seed, scheme=scheme, hashfunc=_precomputed)


def _minhash_input(shingles: np.ndarray, scheme: str) -> list[int]:
    """Shingle hashes in the width the scheme expects (affine32 and legacy take 32 bits)."""
    if scheme == "affine64":
        return shingles.tolist()
    return (shingles & _MASK32).tolist()


def minhash_signature(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """The MinHash signature (``uint64`` array of ``num_perm``) of a set of shingle hashes."""
    if _vectorised(params.num_perm, params.seed, params.scheme):
        return _affine32_signature(shingles, _template(params.num_perm, params.seed,
                                                       params.scheme))
    return _datasketch_signature(shingles, params)


def _datasketch_signature(shingles: np.ndarray, params: FingerprintParams) -> np.ndarray:
    """The signature computed by datasketch's ``update_batch``."""
    mh = _template(params.num_perm, params.seed, params.scheme).copy()
    for start in range(0, len(shingles), MINHASH_CHUNK):
        mh.update_batch(_minhash_input(shingles[start : start + MINHASH_CHUNK], params.scheme))
    return mh.hashvalues.astype(np.uint64)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, element-wise: datasketch's pre-mix for affine32."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _affine32_signature(shingles: np.ndarray, template: MinHash) -> np.ndarray:
    """datasketch's affine32 permutations applied to the shingles in one array operation.

    ``update_batch`` calls the hash function once per value from Python, which is half the cost
    of a signature; the arithmetic is the same (uint32 wraps around, as in datasketch).
    """
    a, b = template.permutations
    values = template.hashvalues
    for start in range(0, len(shingles), MINHASH_CHUNK):
        hv = _fmix32((shingles[start : start + MINHASH_CHUNK] & _MASK32).astype(np.uint32))
        values = np.minimum(values, (hv[:, None] * a + b).min(axis=0))
    return values.astype(np.uint64)


@lru_cache(maxsize=8)
def _vectorised(num_perm: int, seed: int, scheme: str) -> bool:
    """Whether ``_affine32_signature`` gives datasketch's own values here (checked once)."""
    if scheme != "affine32":
        return False
    params = FingerprintParams(num_perm=num_perm, seed=seed, scheme=scheme,
                               bands=1, rows=1)
    template = _template(num_perm, seed, scheme)
    if template.permutations.dtype != np.uint32 or template.hashvalues.dtype != np.uint32:
        return False
    sample = _fmix64(np.arange(1, 2 * MINHASH_CHUNK + 100, dtype=np.uint64))
    return all(np.array_equal(_affine32_signature(s, template), _datasketch_signature(s, params))
               for s in (sample, sample[:7], sample[:0]))


def to_minhash(signature: np.ndarray, params: FingerprintParams) -> MinHash:
    """A datasketch MinHash carrying ``signature`` (for MinHashLSH and other datasketch tools)."""
    template = _template(params.num_perm, params.seed, params.scheme)
    return MinHash(
        seed=params.seed,
        hashvalues=signature,
        permutations=template.permutations,
        scheme=params.scheme,
        hashfunc=_precomputed,
    )


def pack_signature(signature: np.ndarray, params: FingerprintParams) -> bytes:
    """Compact little-endian bytes of a signature (4 bytes a value for 32-bit schemes)."""
    dtype = "<u8" if params.scheme == "affine64" else "<u4"
    return signature.astype(dtype).tobytes()


def pack_shingles(shingles: np.ndarray) -> bytes:
    """Sorted shingle hashes as little-endian 8-byte values."""
    return shingles.astype("<u8").tobytes()


def unpack_shingles(data: bytes) -> np.ndarray:
    """The ``uint64`` shingle hashes stored by ``pack_shingles``."""
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def unpack_signature(data: bytes, params: FingerprintParams) -> np.ndarray:
    """The ``uint64`` signature stored by ``pack_signature``."""
    dtype = "<u8" if params.scheme == "affine64" else "<u4"
    values = np.frombuffer(data, dtype=dtype)
    if len(values) != params.num_perm:
        raise IncompatibleIndexError(
            f"a stored signature has {len(values)} values but the parameters ask for "
            f"{params.num_perm}: re-scan into a new --db or pass the same parameters"
        )
    return values.astype(np.uint64)


# --- LSH keys -----------------------------------------------------------------------------------


def _empty_value(params: FingerprintParams) -> np.uint64:
    """The value of every slot of a signature of the empty set (no key is made for it)."""
    return np.uint64(2**64 - 1) if params.scheme == "affine64" else np.uint64(2**32 - 1)


_KEY_HASH = hashlib.blake2b(digest_size=KEY_DIGEST_BYTES, person=b"prov-lsh")
_PREFIX_BYTES = [bytes((i,)) for i in range(256)]


def _digest(prefix: int, payload: bytes) -> bytes:
    """A key: one prefix byte and ``KEY_DIGEST_BYTES`` of blake2b over ``payload``."""
    # Copying a keyed hasher is cheaper than building one with its parameters each time.
    digest = _KEY_HASH.copy()
    digest.update(payload)
    return _PREFIX_BYTES[prefix] + digest.digest()


def _digests(prefix: int | None, data: bytes, width: int) -> list[bytes]:
    """Keys of consecutive ``width``-byte slices of ``data``: ``prefix``, or the slice index."""
    keys = []
    for i, at in enumerate(range(0, len(data), width)):
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
    if len(anchors) < 2:
        return []
    pairs = np.stack([anchors[:-1], anchors[1:]], axis=1).astype("<u8")
    return sorted(set(_digests(ANCHOR_PREFIX, pairs.tobytes(), 16)))


# --- fingerprints -------------------------------------------------------------------------------


def fingerprint(
    text: str, params: FingerprintParams | None = None, signature: np.ndarray | None = None
) -> Fingerprint:
    """Tokenise, shingle and MinHash one text; the result carries its LSH keys.

    Given the text's stored ``signature`` (to verify a candidate pair), the MinHash is not
    computed again and ``band_keys`` stays empty.
    """
    params = params or FingerprintParams()
    words, starts, ends = _tokens(text)
    seq = shingle_hashes(token_hashes(words), params.shingle_size)
    shingles = _unique(seq)
    keys: list[bytes] = []
    if signature is None:
        signature = minhash_signature(shingles, params)
        keys = band_keys(signature, params) + anchor_keys(seq, params) if len(seq) else []
    return Fingerprint(
        params=params,
        text_hash=text_hash(list(map(_NORMALISED.__getitem__, words))),
        signature=signature,
        shingles=shingles,
        shingle_seq=seq,
        token_starts=starts,
        token_ends=ends,
        quoted=quoted_mask(text, starts),
        band_keys=keys,
    )


@dataclass(frozen=True, eq=False)
class Sketch:
    """What the index stores of a text: its signature, LSH keys and shingle count."""

    params: FingerprintParams
    signature: np.ndarray
    band_keys: list[bytes]
    shingles: np.ndarray
    n_shingles: int

    @property
    def recipe(self) -> str:
        """The recipe of the parameters that made this sketch."""
        return self.params.recipe


def sketch(text: str, params: FingerprintParams | None = None) -> Sketch:
    """The signature and LSH keys of ``fingerprint(text)``, without token offsets (faster)."""
    params = params or FingerprintParams()
    seq = shingle_hashes(token_hashes(_raw_tokens(text)), params.shingle_size)
    shingles = _unique(seq)
    signature = minhash_signature(shingles, params)
    keys = band_keys(signature, params) + anchor_keys(seq, params) if len(seq) else []
    return Sketch(params, signature, keys, shingles, len(shingles))


def shingle_set(text: str, params: FingerprintParams | None = None) -> np.ndarray:
    """The sorted unique shingle hashes of ``fingerprint(text)`` (for boilerplate learning)."""
    params = params or FingerprintParams()
    return _unique(shingle_hashes(token_hashes(_raw_tokens(text)), params.shingle_size))


def fingerprint_many(
    texts: Iterable[str], params: FingerprintParams | None = None
) -> list[Fingerprint]:
    """Fingerprints of many texts, in order, sharing one set of MinHash permutations."""
    params = params or FingerprintParams()
    return [fingerprint(text, params) for text in texts]


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
