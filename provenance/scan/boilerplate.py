"""The boilerplate step of the copy phase: what outlets, and the archive, repeat under articles.

* per outlet: the shingles it repeats under many of its latest articles (footers, promos);
* per site (a registrable domain: all hosts of ``yahoo.com`` are one site): the text three or
  more of its pages share under different stories (banners, "most read" boxes), stored under
  the site's key (``site_key``) and ignored only between two pages of that site, where it is
  the site's template; between sites it is still evidence (a reprint of the site's article);
* across the archive: the passages that recur under unrelated stories of several outlets
  (templates of sister sites, banners of one CMS), stored as the boilerplate of ``ARCHIVE``.

When either changes, the articles compared in earlier scans that hold a changed shingle are
queued to be compared again (their edges dropped), so that the edges of an archive do not
depend on the order or batching of its inputs.

The step only reads the database: what it learns and requeues is kept in `Writes` and stored
after it (`Writes.apply`), so that it runs while the new keys are indexed on another connection
(`Store.indexing_pending_keys`), which holds the write lock. Requeueing an article twice (by
its outlet, then by its site) is the same as once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from provenance import config
from provenance.copies import (
    in_sorted,
    learn_boilerplate,
    learn_recurring,
    learn_site_template,
    site_of,
)
from provenance.copies.boilerplate import TEMPLATE_MIN_PAGES

if TYPE_CHECKING:
    from provenance.store import Store

# (fn, items, min_items) -> fn(item) for each item, in order (the copy phase's mapper).
Mapper = Callable[[Callable, Iterable, int], Iterator]
# The boilerplate key of the passages learnt across the whole archive (no outlet has it).
ARCHIVE = "*archive*"
# The boilerplate key of a site's template is this prefix and the site (`site_key`).
SITE = "*site*:"
_EMPTY = np.zeros(0, dtype=np.uint64)


class Writes:
    """What the boilerplate step stores, kept in order until `apply`."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        # ("boilerplate", key, shingles) or ("requeue", article ids), in the order made
        self.steps: list[tuple] = []

    def replace_boilerplate(self, key: str, shingles: np.ndarray) -> None:
        """Store `shingles` as the boilerplate of `key`, replacing what was learnt before."""
        self.steps.append(("boilerplate", key, shingles))

    def requeue_matches(self, article_ids: list[str]) -> None:
        """Queue compared articles for comparison again, without their copy edges."""
        self.steps.append(("requeue", article_ids))

    def apply(self, store: Store) -> None:
        """Store what was kept, in the order it was kept."""
        for what, *values in self.steps:
            if what == "requeue":
                store.requeue_matches(*values)
            else:
                store.replace_boilerplate(*values, self.run_id)
        self.steps = []


def learn_outlets(store: Store, writes: Writes, new_ids: list[str], mapper: Mapper) -> int:
    """Re-learn the boilerplate of every outlet that has new articles; returns how many."""
    publishers = store.publishers_of(new_ids)
    befores = store.boilerplate(publishers)  # what each learnt before, read in one pass

    def tasks() -> Iterator[tuple[str, list[np.ndarray]]]:
        for outlet_id in publishers:
            sets = store.outlet_shingles(outlet_id, config.BOILERPLATE_SAMPLE)
            if len(sets) >= config.BOILERPLATE_MIN_ARTICLES:
                yield outlet_id, sets

    learnt = 0
    for outlet_id, shingles in mapper(_boilerplate_task, tasks(), config.MIN_OUTLETS_FOR_POOL):
        _requeue_changed(store, writes, outlet_id, befores.get(outlet_id, _EMPTY), shingles)
        writes.replace_boilerplate(outlet_id, shingles)
        learnt += bool(len(shingles))
    return learnt


def _requeue_changed(store: Store, writes: Writes, outlet_id: str, before: np.ndarray,
                     shingles: np.ndarray) -> None:
    """Compare again the outlet's compared articles that hold a shingle whose boilerplate
    status changes (``before``: what was learnt until now): an edge must not depend on whether
    a footer's articles came in one scan or several (scanning feed A, then B, gives the edges
    of A and B together)."""
    if np.array_equal(before, shingles):
        return
    changed = np.setxor1d(before, shingles, assume_unique=True)
    stale = [article_id for article_id, own in store.outlet_compared_shingles(outlet_id).items()
             if len(np.intersect1d(own, changed, assume_unique=True))]
    if stale:
        writes.requeue_matches(stale)


def site_key(publisher: str | None) -> str | None:
    """The boilerplate key of the template of a publisher's site (None without a publisher)."""
    site = site_of(publisher)
    return f"{SITE}{site}" if site else None


def same_site(outlet_a: str | None, outlet_b: str | None) -> bool:
    """Whether two publishers are one site (their site's template is no copy evidence)."""
    site = site_of(outlet_a)
    return site is not None and site == site_of(outlet_b)


def noise_keys(publishers: Iterable[str | None]) -> set[str]:
    """The boilerplate keys the pairs of these publishers' articles may need: the outlets',
    their sites' and the archive's."""
    found = {p for p in publishers if p}
    return found | {site_key(p) for p in found} | {ARCHIVE}


def pair_noise(boilerplate: dict[str, np.ndarray], outlet_a: str | None,
               outlet_b: str | None) -> np.ndarray:
    """What a pair of articles of these publishers ignores (sorted): both outlets' learnt
    boilerplate, the archive's recurring passages, and their site's template when both are
    pages of one site."""
    parts = [boilerplate.get(outlet_a, _EMPTY), boilerplate.get(outlet_b, _EMPTY),
             boilerplate.get(ARCHIVE, _EMPTY)]
    if same_site(outlet_a, outlet_b):
        parts.append(boilerplate.get(site_key(outlet_a), _EMPTY))
    return union_sorted(parts)


def union_sorted(arrays: list[np.ndarray]) -> np.ndarray:
    """``np.union1d`` of sorted unique arrays, without sorting the largest again: the others
    (an outlet's few dozen shingles) are merged into it (the archive's recurring passages can
    be tens of thousands, and a chunk's pairs join dozens of outlet pairs)."""
    arrays = sorted(arrays, key=len)
    largest, rest = arrays[-1], [a for a in arrays[:-1] if len(a)]
    if not rest:
        return largest
    extra = np.unique(np.concatenate(rest))
    extra = extra[~in_sorted(extra, largest)]
    return np.insert(largest, np.searchsorted(largest, extra), extra) if len(extra) else largest


def learn_sites(store: Store, writes: Writes, new_ids: list[str], mapper: Mapper) -> int:
    """Re-learn the template of every site with new articles, from the latest pages of all
    its outlets; compare again the compared pages of the site that hold a shingle whose status
    changed. Returns how many sites have a template."""
    publishers = store.publishers_of(new_ids)
    outlets: dict[str, set[str]] = defaultdict(set)
    for outlet_id in [o.id for o in store.outlets()] + publishers:
        outlets[site_key(outlet_id)].add(outlet_id)

    keys = sorted({site_key(p) for p in publishers})
    befores = store.boilerplate(keys)  # the templates learnt before, read in one pass

    def tasks() -> Iterator[tuple[str, list[np.ndarray]]]:
        for key in keys:
            sets = [s for outlet_id in sorted(outlets[key])
                    for s in store.outlet_shingles(outlet_id, config.BOILERPLATE_SAMPLE)]
            if len(sets) >= TEMPLATE_MIN_PAGES or key in befores:  # else: none now, none before
                yield key, sets

    learnt = 0
    for key, shingles in mapper(_site_task, tasks(), config.MIN_OUTLETS_FOR_POOL):
        before = befores.get(key, _EMPTY)
        if not np.array_equal(before, shingles):
            changed = np.setxor1d(before, shingles, assume_unique=True)
            stale = [article_id for outlet_id in sorted(outlets[key])
                     for article_id, own in store.outlet_compared_shingles(outlet_id).items()
                     if len(np.intersect1d(own, changed, assume_unique=True))]
            if stale:
                writes.requeue_matches(stale)
            writes.replace_boilerplate(key, shingles)
        learnt += bool(len(shingles))
    return learnt


def learn_archive(store: Store, writes: Writes) -> None:
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
        writes.requeue_matches(sorted(stale))
    writes.replace_boilerplate(ARCHIVE, learnt)


def _site_task(task: tuple[str, list[np.ndarray]]) -> tuple[str, np.ndarray]:
    """One site's template shingles, from the shingle sets of its latest pages (runs in a
    worker)."""
    key, sets = task
    return key, learn_site_template(sets)


def _boilerplate_task(task: tuple[str, list[np.ndarray]]) -> tuple[str, np.ndarray]:
    """One outlet's boilerplate shingles, from the shingle sets of its latest articles (runs
    in a worker)."""
    outlet_id, sets = task
    return outlet_id, learn_boilerplate(sets)
