"""The copy phase as Spark stages: boilerplate, LSH buckets, candidate pairs, verification.

Each step reproduces a step of the local copy phase (`scan.copy_phase`, `scan.boilerplate`) on
the same pure functions of `provenance.copies`, so that the edges are the local scan's:

* boilerplate per outlet: the `config.BOILERPLATE_SAMPLE` latest articles of each outlet (the
  order of `Store.outlet_shingles`: published descending, undated last, then id), kept by a
  bounded top-k per key, learnt with `learn_boilerplate` on the executors;
* boilerplate of the archive: the `config.RECURRING_SAMPLE` latest articles (`takeOrdered`),
  learnt with `learn_recurring` on the driver (document frequencies need the whole sample);
* candidates: band and anchor-pair keys exploded, grouped by key with at most
  `config.MAX_BUCKET` + 1 members kept per key (a hot key is counted, never gathered, so it
  cannot skew a partition); the pairs chosen by `spark.candidates`;
* verification: each pair joined to both articles and screened, verified, directed and turned
  into a `CopyEdge` in `mapPartitions` (`no_common_text`, `verify`, `orient`, `copy_edge`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from provenance import config
from provenance.config import CONTENT_PREFIX, SINGLE_PREFIX, FingerprintParams, Thresholds
from provenance.copies import (
    copy_edge,
    fingerprint,
    in_sorted,
    learn_boilerplate,
    learn_recurring,
    learn_site_template,
    no_common_text,
    orient,
    site_of,
    verify,
)
from provenance.copies.batch import share_text
from provenance.records import Article, CopyEdge
from provenance.scan.boilerplate import pair_noise

# The boilerplate key of the archive's recurring passages (as `scan.boilerplate.ARCHIVE`).
ARCHIVE = "*archive*"
# The prefix of the boilerplate key of a site's template (as `scan.boilerplate.SITE`).
SITE = "*site*:"
_EMPTY = np.zeros(0, dtype=np.uint64)
_CHECK_ONLY = (SINGLE_PREFIX, CONTENT_PREFIX)  # key prefixes only `check` looks up


def latest_key(published: str | None, article_id: str) -> tuple:
    """Sort key of SQL ``ORDER BY published DESC, id`` (SQLite puts NULL last when descending):
    a string compared descending is its negated code points with a terminal larger than any."""
    if published is None:
        return (1, (), article_id)
    return (0, (*(-ord(c) for c in published), 1), article_id)


def _latest(k: int):
    """combineByKey functions that keep the k smallest items (by their first element)."""
    def create(item):
        return [item]

    def merge(kept: list, item) -> list:
        kept.append(item)
        return heapq.nsmallest(k, kept, key=lambda x: x[0]) if len(kept) > 2 * k else kept

    def combine(a: list, b: list) -> list:
        return heapq.nsmallest(k, a + b, key=lambda x: x[0])

    return create, merge, combine


def outlet_boilerplate(current, outlets: set[str] | None) -> dict[str, np.ndarray]:
    """The learnt boilerplate of every outlet with an article in `outlets` (all when None): an
    outlet with fewer than `BOILERPLATE_MIN_ARTICLES` articles learns nothing."""
    k = config.BOILERPLATE_SAMPLE
    create, merge, combine = _latest(k)
    latest = (current.filter(lambda a: a.publisher_id is not None
                             and (outlets is None or a.publisher_id in outlets))
              .map(lambda a: (a.publisher_id, (latest_key(a.published, a.id), a.sketch.shingles)))
              .combineByKey(create, merge, combine))

    def learn(item):
        outlet_id, kept = item
        kept = heapq.nsmallest(k, kept, key=lambda x: x[0])
        if len(kept) < config.BOILERPLATE_MIN_ARTICLES:
            return None
        return outlet_id, learn_boilerplate([s for _, s in kept])

    return dict(x for x in latest.map(learn).collect() if x is not None)


def site_key(publisher: str | None) -> str | None:
    """The boilerplate key of the template of a publisher's site (`scan.boilerplate.site_key`)."""
    site = site_of(publisher)
    return f"{SITE}{site}" if site else None


def site_boilerplate(current, outlets: set[str] | None) -> dict[str, np.ndarray]:
    """The template of every site with an article of `outlets` (all when None), learnt from
    the latest `BOILERPLATE_SAMPLE` articles of each of its outlets (`scan.boilerplate`)."""
    k = config.BOILERPLATE_SAMPLE
    create, merge, combine = _latest(k)
    sites = None if outlets is None else {site_key(o) for o in outlets}
    latest = (current.filter(lambda a: a.publisher_id is not None
                             and (sites is None or site_key(a.publisher_id) in sites))
              .map(lambda a: (a.publisher_id, (latest_key(a.published, a.id), a.sketch.shingles)))
              .combineByKey(create, merge, combine)
              .map(lambda item: (site_key(item[0]), [
                  s for _, s in heapq.nsmallest(k, item[1], key=lambda x: x[0])]))
              .reduceByKey(lambda a, b: a + b))
    return dict(latest.map(lambda item: (item[0], learn_site_template(item[1]))).collect())


def archive_boilerplate(current) -> tuple[np.ndarray, set]:
    """The passages that recur across the latest articles of the archive (learnt on the
    driver), and a function from shingles to the sampled articles that hold them."""
    sample = current.map(lambda a: (latest_key(a.published, a.id), a.id, a.publisher_id,
                                    a.sketch.shingles)).takeOrdered(
        config.RECURRING_SAMPLE, key=lambda x: x[0])
    learnt, values, docs = learn_recurring([x[3] for x in sample], [x[2] for x in sample])

    def holders(shingles: np.ndarray) -> set[str]:
        return {sample[i][1] for i in np.unique(docs[in_sorted(values, shingles)]).tolist()}

    return learnt, holders


def requeued(current, before: dict[str, np.ndarray], learnt: dict[str, np.ndarray], holders,
             new_ids: set[str]) -> set[str]:
    """Archived articles to compare again, as `scan.boilerplate` requeues them: those of an
    outlet whose learnt boilerplate changed that hold a changed shingle, then the sampled
    articles that hold a changed recurring passage of the archive."""
    changed = {o: np.setxor1d(before.get(o, _EMPTY), v, assume_unique=True)
               for o, v in learnt.items()
               if o != ARCHIVE and not np.array_equal(before.get(o, _EMPTY), v)}
    stale: set[str] = set()

    def holds_changed(a: Article) -> bool:
        return any(key in changed and len(np.intersect1d(a.sketch.shingles, changed[key],
                                                         assume_unique=True))
                   for key in (a.publisher_id, site_key(a.publisher_id)))

    if changed:
        stale = set(current.filter(lambda a: a.id not in new_ids and holds_changed(a))
                    .map(lambda a: a.id).collect())
    old, now = before.get(ARCHIVE, _EMPTY), learnt.get(ARCHIVE, _EMPTY)
    if not np.array_equal(old, now):
        stale |= holders(np.setxor1d(old, now, assume_unique=True)) - new_ids - stale
    return stale


@dataclass
class Buckets:
    """What grouping the keys found: buckets read, and the hot keys left out (boilerplate or
    stock phrases held by more than `MAX_BUCKET` articles)."""

    shared: int = 0
    represented: int = 0
    hot_keys: int = 0
    hot_entries: int = 0
    largest: int = 0


Member = tuple[str, str | None]  # a bucket member: article id, publication time


def _cap_create(member: Member):
    return (1, [member])


def _cap_merge(acc, member: Member):
    n, kept = acc
    if len(kept) <= config.MAX_BUCKET:
        kept.append(member)
    return n + 1, kept


def _cap_combine(a, b):
    kept = a[1] + b[1]
    return a[0] + b[0], kept[: config.MAX_BUCKET + 1]


def index_keys(article: Article) -> list[tuple[bytes, Member]]:
    """(key, (article id, published)) for each distinct band and anchor-pair key of an article
    (the keys of `check` only are left out, as the local scan's bucket query does)."""
    member = (article.id, article.published)
    return [(k, member) for k in sorted(set(article.sketch.band_keys)) if k[0] not in _CHECK_ONLY]


def grouped_keys(keys, partitions: int):
    """(key, (size, members)) of each key, at most `config.MAX_BUCKET` + 1 members kept (a hot
    key is counted, never gathered, so it cannot skew a partition), with the bucket statistics.
    `keys` is an RDD of (key, (article id, published))."""
    grouped = keys.combineByKey(_cap_create, _cap_merge, _cap_combine, partitions).cache()
    stats = Buckets()
    # buckets by size: 0 all pairs, 1 paired through representatives, 2 hot (left out)
    counted = grouped.map(lambda kv: kv[1][0]).filter(lambda n: n >= 2).map(
        lambda n: (2 if n > config.MAX_BUCKET else int(n > config.PAIR_BUCKET), n)
    ).aggregateByKey((0, 0, 0), lambda acc, n: (acc[0] + 1, acc[1] + n, max(acc[2], n)),
                     lambda a, b: (a[0] + b[0], a[1] + b[1], max(a[2], b[2]))).collectAsMap()
    stats.represented = counted.get(1, (0, 0, 0))[0]
    stats.shared = counted.get(0, (0, 0, 0))[0] + stats.represented
    stats.hot_keys, stats.hot_entries, stats.largest = counted.get(2, (0, 0, 0))
    return grouped, stats


@dataclass(frozen=True)
class VerifySettings:
    """What verification needs besides the pair (broadcast once)."""

    params: FingerprintParams
    thresholds: Thresholds
    boilerplate: dict[str, np.ndarray]
    light_min: int = 1  # shingles a light pair shares outside the noise to be verified


def verify_partition(pairs: Iterable[tuple[tuple[Article, Article], bool]],
                     settings: VerifySettings) -> Iterator[CopyEdge]:
    """Screen and verify the candidate pairs of one partition (articles a < b by id, and
    whether the pair is light), with the boilerplate of both publishers and the archive
    ignored: the directed copy edges."""
    noises = _Noises(settings.boilerplate)
    for (a, b), light in pairs:
        noise = noises.of(a.publisher_id, b.publisher_id)
        if not _screened(a, b, noise, settings.light_min if light else 1):
            continue
        match = verify(fingerprint(a.text, settings.params, a.sketch.signature),
                       fingerprint(b.text, settings.params, b.sketch.signature),
                       boilerplate=noise, thresholds=settings.thresholds,
                       same_site=site_key(a.publisher_id) is not None
                       and site_key(a.publisher_id) == site_key(b.publisher_id))
        if match is None:
            continue
        match = orient(match, a, b, _cited(a), _cited(b))
        yield copy_edge(a, b, match)


def light_kept(pairs: Iterable[tuple[tuple[Article, Article], bool]], settings: VerifySettings
               ) -> Iterator[tuple[str, str]]:
    """The (light) pairs of one partition that screening leaves to verification."""
    noises = _Noises(settings.boilerplate)
    for (a, b), _light in pairs:
        if _screened(a, b, noises.of(a.publisher_id, b.publisher_id), settings.light_min):
            yield a.id, b.id


def _screened(a: Article, b: Article, noise: np.ndarray, least: int) -> bool:
    """Whether screening leaves a pair to verification, as `scan.pairs.screen_task` decides
    (`copies.batch.share_text`): the texts are equal, or share ``least`` shingles outside the
    noise."""
    if least <= 1:
        return not no_common_text(a.sketch.shingles, b.sketch.shingles, noise)
    return share_text([a.sketch.shingles, b.sketch.shingles], [(0, 1)], [noise], [least])[0]


class _Noises:
    """What the pairs of two publishers ignore (`scan.boilerplate.pair_noise`), memoised."""

    def __init__(self, learnt: dict[str, np.ndarray]):
        self.learnt = learnt
        self.seen: dict[tuple, np.ndarray] = {}

    def of(self, outlet_a: str | None, outlet_b: str | None) -> np.ndarray:
        key = (outlet_a, outlet_b)
        if key not in self.seen:
            self.seen[key] = pair_noise(self.learnt, outlet_a, outlet_b)
        return self.seen[key]


def _cited(article: Article) -> set[str]:
    """The outlets an article cites with citations that count (`Store.cited_outlets`)."""
    return {c.outlet_id for c in article.citations if c.counts and c.outlet_id}


def joined_pairs(pairs, by_id, partitions: int):
    """Each candidate pair ((a, b), light) as ((article a, article b), light), joined to both
    texts. `by_id` is partitioned by id into `partitions`: the pairs are moved to it (PySpark's
    join keeps a shared partitioner), the articles stay where they are."""
    by_a = pairs.map(lambda kv: (kv[0][0], (kv[0][1], kv[1]))).partitionBy(partitions).join(
        by_id, partitions).map(lambda kv: (kv[1][0][0], (kv[1][1], kv[1][0][1])))
    return by_a.partitionBy(partitions).join(by_id, partitions).map(
        lambda kv: ((kv[1][0][0], kv[1][1]), kv[1][0][1]))
