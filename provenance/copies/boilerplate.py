"""Boilerplate: the shingles one outlet repeats under many of its articles (footers, blurbs).

Learnt per outlet from the shingle sets of its latest articles; ``copies.verification``
ignores them, so that a newsletter blurb neither creates nor inflates a match between two of
its articles.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from provenance.config import (
    BOILERPLATE_MAX_DOC_SHARE,
    BOILERPLATE_MIN_DOCS,
    BOILERPLATE_MIN_FRACTION,
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


def _none() -> np.ndarray:
    """No shingles."""
    return np.zeros(0, dtype=np.uint64)
