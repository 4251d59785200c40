"""The boilerplate step of the copy phase: what outlets, and the archive, repeat under articles.

* per outlet: the shingles it repeats under many of its latest articles (footers, promos);
* across the archive: the passages that recur under unrelated stories of several outlets
  (templates of sister sites, banners of one CMS), stored as the boilerplate of ``ARCHIVE``.

When either changes, the articles compared in earlier scans that hold a changed shingle are
queued to be compared again (their edges dropped), so that the edges of an archive do not
depend on the order or batching of its inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from provenance import config
from provenance.copies import in_sorted, learn_boilerplate, learn_recurring

if TYPE_CHECKING:
    from provenance.store import Store

# (fn, items, min_items) -> fn(item) for each item, in order (the copy phase's mapper).
Mapper = Callable[[Callable, Iterable, int], Iterator]
# The boilerplate key of the passages learnt across the whole archive (no outlet has it).
ARCHIVE = "*archive*"
_EMPTY = np.zeros(0, dtype=np.uint64)


def learn_outlets(store: Store, run_id: int, new_ids: list[str], mapper: Mapper) -> int:
    """Re-learn the boilerplate of every outlet that has new articles; returns how many."""
    def tasks() -> Iterator[tuple[str, list[np.ndarray]]]:
        for outlet_id in store.publishers_of(new_ids):
            sets = store.outlet_shingles(outlet_id, config.BOILERPLATE_SAMPLE)
            if len(sets) >= config.BOILERPLATE_MIN_ARTICLES:
                yield outlet_id, sets

    learnt = 0
    for outlet_id, shingles in mapper(_boilerplate_task, tasks(), config.MIN_OUTLETS_FOR_POOL):
        _requeue_changed(store, outlet_id, shingles)
        store.replace_boilerplate(outlet_id, shingles, run_id)
        learnt += bool(len(shingles))
    return learnt


def _requeue_changed(store: Store, outlet_id: str, shingles: np.ndarray) -> None:
    """Compare again the outlet's compared articles that hold a shingle whose boilerplate
    status changes: an edge must not depend on whether a footer's articles came in one scan
    or several (scanning feed A, then B, gives the edges of A and B together)."""
    before = store.boilerplate([outlet_id]).get(outlet_id, _EMPTY)
    if np.array_equal(before, shingles):
        return
    changed = np.setxor1d(before, shingles, assume_unique=True)
    stale = [article_id for article_id, own in store.outlet_compared_shingles(outlet_id).items()
             if len(np.intersect1d(own, changed, assume_unique=True))]
    if stale:
        store.requeue_matches(stale)


def learn_archive(store: Store, run_id: int) -> None:
    """Learn the passages that recur across outlets under unrelated stories (stored as the
    boilerplate of ``ARCHIVE``, which every pair ignores); compare again the compared articles
    that hold a shingle whose status changed."""
    sample = store.recent_shingles(config.RECURRING_SAMPLE)
    learnt, values, docs = learn_recurring([s for _, _, s in sample], [p for _, p, _ in sample])
    before = store.boilerplate([ARCHIVE]).get(ARCHIVE, _EMPTY)
    if np.array_equal(before, learnt):
        return
    changed = np.setxor1d(before, learnt, assume_unique=True)
    holders = {sample[i][0] for i in np.unique(docs[in_sorted(values, changed)]).tolist()}
    stale = holders - set(store.pending_matches())
    if stale:
        store.requeue_matches(stale)
    store.replace_boilerplate(ARCHIVE, learnt, run_id)


def _boilerplate_task(task: tuple[str, list[np.ndarray]]) -> tuple[str, np.ndarray]:
    """One outlet's boilerplate shingles, from the shingle sets of its latest articles (runs
    in a worker)."""
    outlet_id, sets = task
    return outlet_id, learn_boilerplate(sets)
