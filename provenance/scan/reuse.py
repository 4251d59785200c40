"""The fingerprint cache's plan: which chunks of the copy phase verify each article, so that the
cache, when full, drops the fingerprints needed latest (or never again) instead of the least
recently used.

Dense reuse makes each article a partner in pairs of many chunks, spread over the whole run
(its copies came in at random places of the input); a cache that holds a fifth of the archive
then finds, by recency, a fifth of what a chunk needs. The copy phase knows every chunk's
candidate pairs before it verifies the first, so it knows when each article is needed next:
dropping the one needed latest (Belady's rule) keeps those that chunk after chunk come back.
The plan changes only what is kept, never a verdict.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

from provenance import config

# The next use of an article no later chunk needs.
_NEVER = np.iinfo(np.int64).max


class ReusePlan:
    """The chunks each article is verified in, as one sorted array of ``code << bits | chunk``
    (an article's code: its place in the copy phase's list of names), and the chunk being
    verified now (``now``: a chunk's pairs are fetched before it is verified, so an entry is
    worth keeping for the chunks after it)."""

    def __init__(self, chunk_codes: Iterable[tuple[int, np.ndarray]], names: list[str]):
        chunks = [(index, codes) for index, codes in chunk_codes]
        self.bits = max(1, max((index for index, _ in chunks), default=0).bit_length())
        wide = (len(names).bit_length() + self.bits) > 32
        dtype = np.uint64 if wide else np.uint32
        parts = []
        for index, codes in chunks:  # codes: pair codes, the two names' codes in 32 bits each
            ids = np.unique(np.concatenate((codes >> np.uint64(32),
                                            codes & np.uint64(0xFFFFFFFF))))
            parts.append(((ids << np.uint64(self.bits)) | np.uint64(index)).astype(dtype))
        self.keys = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=dtype)
        self.dtype = dtype
        self.code = {name: n for n, name in enumerate(names)}
        self.now = 0
        # the next use found for a cache entry: it holds until ``now`` reaches it
        self.known: dict = {}

    def nbytes(self) -> int:
        """About what the plan takes in memory (its array, and its dict of names)."""
        return self.keys.nbytes + 100 * len(self.code)

    def next_uses(self, article_ids: list[str]) -> np.ndarray:
        """For each article, the first chunk after ``now`` that verifies it (``_NEVER`` when
        none does, or the article is not in the plan)."""
        codes = np.array([self.code.get(a, -1) for a in article_ids], dtype=np.int64)
        known = codes >= 0
        found = np.full(len(codes), _NEVER, dtype=np.int64)
        if not known.any() or not len(self.keys):
            return found
        wanted = ((codes[known].astype(np.uint64) << np.uint64(self.bits))
                  | np.uint64(self.now + 1)).astype(self.dtype)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[at]
        mask = self.dtype((1 << self.bits) - 1)
        same = (hit >> self.dtype(self.bits)) == (wanted >> self.dtype(self.bits))
        same &= hit >= wanted
        found[known] = np.where(same, (hit & mask).astype(np.int64), _NEVER)
        return found

    def evict(self, entries: OrderedDict, excess: int) -> int:
        """Drop entries of a fingerprint cache (``(article id, recipe) -> (fingerprint,
        bytes, ...)``, least recently used first) whose next use is latest, until at least
        ``excess`` bytes (and a sixteenth of the cache more, so that the next misses do not
        sort again at once) are freed; returns the bytes freed."""
        keys = list(entries)
        sizes = np.fromiter((entries[k][1] for k in keys), dtype=np.int64, count=len(keys))
        goal = excess + int(sizes.sum()) // 16
        nexts = self._next_of(keys)
        order = np.argsort(-nexts, kind="stable")
        drop = order[: int(np.searchsorted(np.cumsum(sizes[order]), goal)) + 1]
        drop = drop[: max(0, len(keys) - 1)]  # one entry stays, as least-recent would
        for n in drop.tolist():
            del entries[keys[n]]
            self.known.pop(keys[n], None)
        return int(sizes[drop].sum())

    def _next_of(self, keys: list) -> np.ndarray:
        """``next_uses`` of the cache entries under ``keys``, found again only for those whose
        known next use ``now`` has reached (or that are new): until then it does not change."""
        known = self.known
        if len(known) > 2 * len(keys) + 1024:  # entries the cache dropped on its own
            self.known = known = {k: known[k] for k in keys if k in known}
        nexts = np.fromiter((known.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        stale = np.flatnonzero(nexts <= self.now)
        if len(stale):
            found = self.next_uses([keys[n][0] for n in stale.tolist()])
            nexts[stale] = found
            known.update(zip((keys[n] for n in stale.tolist()), found.tolist(), strict=True))
        return nexts

def plan_reuse(prints, chunk_codes: Iterable[tuple[int, np.ndarray]], names: list[str]) -> None:
    """Give a fingerprint cache (`scan.prints.Prints`) the plan of the chunks to verify (their
    pair codes by chunk index; ``names`` decodes them), its bytes taken from the cache's
    budget (`config.VERIFY_CACHE_BYTES`)."""
    plan = ReusePlan(chunk_codes, names)
    prints.plan = plan
    prints.budget = max(0, config.VERIFY_CACHE_BYTES - plan.nbytes())
