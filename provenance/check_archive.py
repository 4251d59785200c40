"""What `check` reads of the archive: the candidates a draft's keys find, and what comparing
with them needs (texts, stored fingerprints, text origins, outlet names, boilerplate).

Every query reads only the candidates (the archive is never loaded whole). A candidate's
fingerprint comes from the token layout its scan stored (`copies.layout`), so a check does not
tokenise and hash the archive texts again; an article stored without one is fingerprinted anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from provenance import config
from provenance.copies import fingerprint
from provenance.copies.layout import unpack
from provenance.copies.retold import (
    content_of,
    content_words,
    possible_overlap,
    rank_by_rare_keys,
    word_keys,
)

if TYPE_CHECKING:
    from provenance.config import FingerprintParams
    from provenance.copies import Fingerprint
    from provenance.records import Article, Sketch
    from provenance.store import Store


@dataclass
class Archive:
    """What a check reads of its candidate articles."""

    texts: dict[str, str]  # article id -> text
    publishers: dict[str, str | None]
    info: dict[str, dict]  # article id -> the article as shown in the result
    origins: dict[str, list[str]]  # article id -> outlets its text came from
    names: dict[str, str]  # outlet id -> name
    boilerplate: dict[str, np.ndarray]  # outlet id -> its boilerplate shingles
    sketches: dict[str, Sketch | None]  # article id -> its stored sketch and token layout

    def update(self, other: Archive) -> None:
        """Add what `other` read (of more candidates)."""
        for mine, theirs in zip(self._parts(), other._parts(), strict=True):
            mine.update(theirs)

    def _parts(self) -> tuple[dict, ...]:
        """Every mapping held, in field order."""
        return (self.texts, self.publishers, self.info, self.origins, self.names,
                self.boilerplate, self.sketches)

    def fingerprint(self, article_id: str, params: FingerprintParams) -> Fingerprint:
        """The fingerprint of a candidate (from its stored token layout when it has one)."""
        return fingerprint_of(self.texts[article_id], self.sketches.get(article_id), params)


    def content_words(self, article_id: str, params: FingerprintParams) -> np.ndarray:
        """``retold.content_words`` of a candidate's text: the words its stored layout marks
        prose (the tokens of the prose lines: lines end between words), unless it marks none
        (a text of notices and short lines: then its content words are read from the text)."""
        text = self.texts[article_id]
        made = self.fingerprint(article_id, params)
        if made.prose is None or not made.prose.any():
            return content_words(text)
        starts = made.token_starts[made.prose].tolist()
        return content_of([text[a:b] for a, b in zip(starts, made.token_ends[made.prose].tolist(),
                                                     strict=True)])


def fingerprint_of(text: str, sketch: Sketch | None, params: FingerprintParams
                   ) -> Fingerprint:
    """``fingerprint(text)``, unpacked from the token layout of ``sketch`` when it holds one
    (the same value: `tests/test_fingerprint.py`), else made from the text."""
    if sketch is not None and sketch.layout:
        made = unpack(sketch.layout, sketch.shingles, sketch.signature, params)
        if made is not None:
            return made
    return fingerprint(text, params, sketch.signature if sketch is not None else None)


def candidates(store: Store, keys: list[bytes], digest: str) -> list[str]:
    """Archive articles to verify: same text first, then by LSH keys shared, at most a cap."""
    shared = store.articles_sharing_keys(keys, config.MAX_BUCKET)
    for article_id in store.articles_with_text_hash(digest):
        shared[article_id] = len(keys)
    return sorted(shared, key=lambda a: (-shared[a], a))[:config.MAX_CANDIDATES]


def retold_candidates(store: Store, words: np.ndarray, articles: int) -> list[str]:
    """Archive articles sharing the draft's rarest content words (a retelling keeps names,
    numbers and rare words): the best ``RETOLD_CANDIDATES`` by summed inverse frequency (out
    of ``articles``), less those whose possible overlap (from the index) is below the
    threshold."""
    if len(words) < config.RETOLD_MIN_WORDS:
        return []
    counts, read, holders = store.rare_key_holders(word_keys(words), config.RETOLD_MAX_BUCKET,
                                                   config.RETOLD_QUERY_KEYS)
    return [a for a in rank_by_rare_keys(counts, read, holders, articles,
                                         config.RETOLD_CANDIDATES)
            if possible_overlap(words, counts, read, holders[a])
            >= config.RETOLD_MIN_SCORE * len(words)]


def read_archive(store: Store, ranked: list[str], cited: set[str],
                 params: FingerprintParams) -> Archive:
    """The texts, stored sketches, metadata, text origins, outlet names and boilerplate of the
    candidates."""
    metas = {a.id: a for a in store.texts(ranked, params)}
    texts = {a: metas[a].text for a in ranked}
    publishers = {a: metas[a].publisher_id for a in ranked}
    origins = _text_origins(store, ranked)
    names = store.outlet_names(cited | set(publishers.values())
                               | {o for found in origins.values() for o in found})
    info = {a: _article_info(metas[a], names) for a in ranked}
    boilerplate = store.boilerplate({p for p in publishers.values() if p})
    return Archive(texts, publishers, info, origins, names, boilerplate,
                   {a: metas[a].sketch for a in ranked})


def _text_origins(store: Store, article_ids: list[str]) -> dict[str, list[str]]:
    """Outlets each archive article's text came from (wire credits, copied sources)."""
    found: dict[str, list[str]] = {}
    for origin in store.original_sources(article_ids):
        if origin.reason == "text_origin":
            found.setdefault(origin.article_id, []).append(origin.outlet_id)
    for article_id, outlet in store.wire_credits(article_ids).items():
        found.setdefault(article_id, [])
        if outlet not in found[article_id]:
            found[article_id].append(outlet)
    return found


def _article_info(article: Article, names: dict[str, str]) -> dict:
    """An archive article as the result shows it."""
    return {"id": article.id, "external_id": article.external_id, "title": article.title,
            "url": article.url, "publisher_id": article.publisher_id,
            "outlet_name": names.get(article.publisher_id or ""), "published": article.published}
