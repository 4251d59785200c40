"""Boilerplate: the shingles one outlet repeats under many of its articles (footers, blurbs),
and the passages that recur across the archive under many unrelated stories.

Learnt per outlet from the shingle sets of its latest articles (``learn_boilerplate``), and
across the archive from the latest articles of all outlets (``learn_recurring``: a passage in
many articles of several outlets that share nothing else, such as a template of sister sites
or a banner of one CMS, which works with one page per site); ``copies.verification`` ignores
both, so that a newsletter blurb neither creates nor inflates a match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from provenance.config import (
    BOILERPLATE_MAX_DOC_SHARE,
    BOILERPLATE_MIN_DOCS,
    BOILERPLATE_MIN_FRACTION,
    RECURRING_MIN_DOCS,
    RECURRING_MIN_OUTLETS,
)
from provenance.copies.minhash import as_shingles


def learn_boilerplate(
    shingle_sets: Sequence[Iterable[int] | np.ndarray],
    min_docs: int = BOILERPLATE_MIN_DOCS,
    min_fraction: float = BOILERPLATE_MIN_FRACTION,
) -> np.ndarray:
    """Shingles found in at least ``min_docs`` and ``min_fraction`` of one outlet's articles,
    as a sorted ``uint64`` array.

    Shingles that occur in exactly the same articles form a group. A group is not boilerplate
    when, in the median of its articles, frequent shingles make up at least
    ``BOILERPLATE_MAX_DOC_SHARE`` of the article: those are versions of one story, not a footer.
    """
    sets = [as_shingles(s) for s in shingle_sets]
    needed = max(min_docs, math.ceil(min_fraction * len(sets)))
    if len(sets) < needed:
        return _none()
    values, counts = np.unique(np.concatenate(sets), return_counts=True)
    frequent = values[counts >= needed]
    if not len(frequent):
        return _none()
    presence = np.stack([np.isin(frequent, s) for s in sets])
    share = presence.sum(axis=1) / np.maximum(1, [len(s) for s in sets])
    groups: dict[bytes, list[int]] = {}
    for column in range(len(frequent)):
        groups.setdefault(np.packbits(presence[:, column]).tobytes(), []).append(column)
    learnt = [frequent[columns] for columns in groups.values()
              if np.median(share[presence[:, columns[0]]]) < BOILERPLATE_MAX_DOC_SHARE]
    return np.sort(np.concatenate(learnt)) if learnt else _none()


def learn_recurring(
    shingle_sets: Sequence[np.ndarray], publishers: Sequence[str | None],
    min_docs: int = RECURRING_MIN_DOCS, min_outlets: int = RECURRING_MIN_OUTLETS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingles that recur across unrelated stories of the archive, as a sorted ``uint64`` array,
    with the (shingle, article index) pairs of the frequent shingles, for finding the articles
    that hold a given shingle.

    A shingle recurs when at least ``min_docs`` articles of at least ``min_outlets`` publishers
    hold it, and the median of those articles shares only a small part of its text with any
    other article (below ``BOILERPLATE_MAX_DOC_SHARE``): unrelated stories under one banner or
    template. A wire story reprinted by many outlets, or a passage of it quoted in another
    story, is held by a family of copies, and stays copy evidence.
    """
    sets = [as_shingles(s) for s in shingle_sets]
    if not sets:
        return _none(), _none(), np.zeros(0, dtype=np.int64)
    lengths = np.array([len(s) for s in sets])
    values = np.concatenate(sets)
    docs = np.repeat(np.arange(len(sets)), lengths)
    order = np.argsort(values, kind="stable")
    values, docs = values[order], docs[order]
    unique, first, counts = np.unique(values, return_index=True, return_counts=True)
    frequent = np.flatnonzero(counts >= min_docs)
    if not len(frequent):
        return _none(), _none(), np.zeros(0, dtype=np.int64)
    entries = np.repeat(counts >= min_docs, counts)
    # the share of each article that any other article holds too: high for every member of a
    # family of copies, small for a story that only carries a banner or template text
    shared = np.repeat(counts >= 2, counts)
    share = np.bincount(docs[shared], minlength=len(sets)) / np.maximum(1, lengths)
    groups: dict[bytes, list[int]] = {}
    for i in frequent.tolist():
        groups.setdefault(docs[first[i]:first[i] + counts[i]].tobytes(), []).append(i)
    recurring = []
    for key, members in groups.items():
        holders = np.frombuffer(key, dtype=docs.dtype)
        if (len({publishers[h] for h in holders.tolist()}) >= min_outlets
                and np.median(share[holders]) < BOILERPLATE_MAX_DOC_SHARE):
            recurring.append(unique[members])
    learnt = np.sort(np.concatenate(recurring)) if recurring else _none()
    return learnt, values[entries], docs[entries]


def _none() -> np.ndarray:
    """No shingles."""
    return np.zeros(0, dtype=np.uint64)
