"""A process's cache of full fingerprints, for verifying the copy phase's chunks (`scan.pairs`).

An article's fingerprint is made from the token layout stored when it was analysed
(`copies.layout`: its text is not tokenised again, nor read); an article stored without one is
fingerprinted from its text. Each process keeps the fingerprints it made, up to a memory budget
(`config.VERIFY_CACHE_BYTES`), with what verifying computed once per text in their memos.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Set
from dataclasses import replace

import numpy as np

from provenance import config
from provenance.config import FingerprintParams
from provenance.copies import Fingerprint, fingerprint
from provenance.copies.layout import unpack as unpack_layout
from provenance.records import Article


class Prints:
    """Full fingerprints of articles by id, the most recently used kept, up to a memory budget.

    An article id is a hash of its text, so a fingerprint stays valid for as long as the
    process lives; one cache per process serves every chunk it verifies, so that an article is
    tokenised once per process however many pairs (and chunks) it takes part in. Token offsets
    are kept as 32-bit integers (a fingerprint then takes about 28 bytes per token). With each
    fingerprint the cache keeps what directing its pairs reads of the article (`held`): its
    metadata without the text, and the outlets it cites, which a scan does not change (the
    scan's process clears its cache when a copy phase starts and ends; workers are the scan's).
    The budget counts the fingerprints: what is kept with each (about 1 KB, a fingerprint takes
    ten times that or more) is not counted, so that as many fingerprints fit as before.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        # (article id, recipe) -> (fingerprint, bytes, whether it was made from the stored
        # layout: then its shingle set is the stored one, the article without its text and
        # sketch, the outlets it cites)
        self.entries: OrderedDict[tuple[str, str], tuple[Fingerprint, int, bool, Article,
                                                         frozenset[str]]] = OrderedDict()
        # which chunks need each article (`scan.reuse.ReusePlan`): the cache then drops first
        # what is needed latest; without one, the least recently used
        self.plan = None

    def known(self, article_ids: list[str], params: FingerprintParams) -> dict[str, Fingerprint]:
        """The fingerprints of these articles that the cache holds."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None:
                found[article_id] = entry[0]
        return found

    def held(self, article_ids: list[str], params: FingerprintParams
             ) -> dict[str, tuple[Article, frozenset[str]]]:
        """The articles (without text and sketch) and cited outlets that the cache holds with
        the fingerprints of these articles."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None:
                found[article_id] = entry[3], entry[4]
        return found

    def stored_shingles(self, article_ids: list[str], params: FingerprintParams
                        ) -> dict[str, np.ndarray]:
        """The stored shingle sets of these articles that the cache holds (with the layout
        its fingerprints were made from)."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None and entry[2]:
                found[article_id] = entry[0].shingles
        return found

    def clear(self) -> None:
        """Forget every fingerprint (as a new process would start)."""
        self.entries.clear()
        self.used = 0
        self.plan = None

    def fingerprint(self, article: Article, params: FingerprintParams,
                    cited: Set[str] = frozenset()) -> Fingerprint:
        """The full fingerprint of an article: from the token layout stored at analysis, or
        (an article stored without one) from its text with its stored signature; kept with
        the article's metadata and the outlets it cites (``cited``)."""
        key = (article.id, params.recipe)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            return found[0]
        stored = article.sketch
        made = None
        if stored is not None and stored.layout:  # made at analysis: no tokenising again
            made = unpack_layout(stored.layout, stored.shingles, stored.signature, params,
                                 np.int32)
        from_layout = made is not None
        if made is None:
            made = fingerprint(article.text, params,
                               stored.signature if stored is not None else None)
            made = replace(made, token_starts=made.token_starts.astype(np.int32),
                           token_ends=made.token_ends.astype(np.int32))
        size = sum(a.nbytes for a in (made.signature, made.shingles, made.shingle_seq,
                                      made.token_starts, made.token_ends, made.quoted)) + (
            0 if made.prose is None else made.prose.nbytes)
        self.entries[key] = (made, size, from_layout, _bare(article), frozenset(cited))
        self.used += size
        if self.used > self.budget and self.plan is not None:
            self.used -= self.plan.evict(self.entries, self.used - self.budget)
        while self.used > self.budget and len(self.entries) > 1:
            self.used -= self.entries.popitem(last=False)[1][1]
        return made


def _bare(article: Article) -> Article:
    """The article without its text and sketch, as the cache keeps it. A shallow copy whose two
    fields are set as `dataclasses.replace` would set them, without running the constructor
    again (a quarter of the time: an article is cached each time a worker reads it)."""
    held = copy.copy(article)
    object.__setattr__(held, "text", "")
    object.__setattr__(held, "sketch", None)
    return held


# This process's fingerprints.
PRINTS = Prints(config.VERIFY_CACHE_BYTES)
