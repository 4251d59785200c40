"""The copy phase and provenance of a Spark job: boilerplate, candidates, verification on the
executors (`spark.copies`); stories and lineage on the driver, on the verified edges.

Stories (`copies.cluster_stories`) and provenance (`lineage.resolve`) are the local scan's
functions on the same records, read back in the store's order (`Store.articles`,
`Store.citations`, `Store.copy_edges`), so that their results are the local scan's too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from provenance import config_copies, lineage
from provenance.config import FingerprintParams, Thresholds
from provenance.copies import cluster_stories, published_time
from provenance.records import WHOLE_TEXT_KINDS, Article, Citation, CopyEdge, Story
from provenance.spark import candidates as spark_candidates
from provenance.spark import copies as spark_copies
from provenance.spark import tables
from provenance.store import rows


@dataclass
class CopyResult:
    """What the copy phase found: every current edge (ids in store order), the boilerplate
    learnt, the bucket statistics, the candidate pairs, how many edges are new."""

    edges: list[CopyEdge]
    boilerplate: dict[str, np.ndarray]
    buckets: spark_copies.Buckets
    candidates: int = 0
    verified: int = 0
    edges_by_kind: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    requeued: int = 0  # archived articles compared again (their boilerplate changed)


def find_copies(sc, by_id, new_current, old, params: FingerprintParams,
                thresholds: Thresholds, parts: int, old_keys=None) -> tuple[CopyResult, object]:
    """Compare the new current articles (and the archived ones a boilerplate change requeues)
    with every current article (`by_id`: keyed and partitioned by id); returns the copy result
    and the RDD of the new articles' index keys (for the `lsh_key` table). `old` is the
    archive of earlier jobs."""
    clock: dict[str, float] = {}
    current = by_id.values()
    t = time.perf_counter()
    incremental = bool(old.dirs)
    new_ids = set(new_current.map(lambda a: a.id).collect()) if incremental else set()
    outlets = (set(new_current.map(lambda a: a.publisher_id).filter(bool).distinct().collect())
               if incremental else None)
    before = old.boilerplate(spark_of(sc)) if incremental else {}
    learnt = spark_copies.outlet_boilerplate(current, outlets)
    learnt.update(spark_copies.site_boilerplate(current, outlets))
    learnt[spark_copies.ARCHIVE], holders = spark_copies.archive_boilerplate(current)
    again = (spark_copies.requeued(current, before, learnt, holders, new_ids) if incremental
             else set())
    learnt = {**before, **learnt}  # what the store holds after the local scan's step
    clock["boilerplate"] = time.perf_counter() - t
    t = time.perf_counter()
    new_keys = new_current.flatMap(spark_copies.index_keys)
    keys = new_keys if old_keys is None else new_keys.union(old_keys)
    grouped, buckets = spark_copies.grouped_keys(keys, parts)
    strong, promoted, light = spark_candidates.split(
        spark_candidates.pair_sums(grouped, current, parts), parts)
    promoted, light = promoted.cache(), light.cache()
    chosen = strong.union(promoted.keys()).cache()
    settings = sc.broadcast(spark_copies.VerifySettings(
        params, thresholds, learnt, config_copies.LIGHT_MIN_SHINGLES))
    old_edges = old.edges(spark_of(sc)) if incremental else []
    if incremental:  # archived articles whose pairs the new ones changed
        again |= spark_candidates.changed(
            sc, chosen, promoted, light, [(e.source_id, e.copy_id) for e in old_edges],
            new_ids | again, lambda pairs: spark_copies.joined_pairs(
                pairs.map(lambda p: (p, True)), by_id, parts).mapPartitions(
                lambda it: spark_copies.light_kept(it, settings.value)))
    pairs = chosen.map(lambda p: (p, False)).union(light.map(lambda p: (p, True)))
    if incremental:
        waiting = sc.broadcast(new_ids | again)
        pairs = pairs.filter(lambda kv: kv[0][0] in waiting.value or kv[0][1] in waiting.value)
    pairs = pairs.cache()
    candidates = pairs.filter(lambda kv: not kv[1]).count()
    clock["candidates"] = time.perf_counter() - t
    t = time.perf_counter()
    found = spark_copies.joined_pairs(pairs, by_id, parts).mapPartitions(
        lambda it: spark_copies.verify_partition(it, settings.value)).collect()
    clock["verify"] = time.perf_counter() - t
    for cached in (grouped, promoted, light, chosen, pairs):
        cached.unpersist()
    kinds: dict[str, int] = {}
    for edge in found:
        kinds[edge.kind] = kinds.get(edge.kind, 0) + 1
    kept = [e for e in old_edges if e.source_id not in again and e.copy_id not in again]
    return CopyResult(merged_edges(found, kept), learnt, buckets, candidates, len(found), kinds,
                      clock, len(again)), new_keys


def spark_of(sc):
    """The SparkSession of a SparkContext."""
    from pyspark.sql import SparkSession

    return SparkSession(sc)


def merged_edges(found: list[CopyEdge], old: list[CopyEdge], current_ids=None
                 ) -> list[CopyEdge]:
    """The archive's edges with the new ones (a new edge replaces an old one between the
    same two articles), in the store's order (source, copy), numbered from 1."""
    pairs = {frozenset((e.source_id, e.copy_id)) for e in found}
    kept = [e for e in old if frozenset((e.source_id, e.copy_id)) not in pairs
            and (current_ids is None or (e.source_id in current_ids and e.copy_id in current_ids))]
    ordered = sorted([*kept, *found], key=lambda e: (e.source_id, e.copy_id))
    return [replace(e, id=n, run_id=None) for n, e in enumerate(ordered, 1)]


@dataclass
class Resolution:
    """Stories, original sources, verdicts (by edge id) and problems of the whole archive."""

    stories: list[Story]
    lineage: lineage.Lineage


def stories_and_lineage(current, edges: list[CopyEdge]) -> Resolution:
    """Cluster the edges into stories and resolve provenance, on the driver (the current
    articles' metadata and citations are collected, their texts stay on the executors)."""
    collected = current.map(lambda a: (tables.article_stub(a), _stored_citations(a))).collect()
    articles = sorted((a for a, _ in collected), key=lambda a: (
        a.published is None, a.published or "", a.external_id, a.id))
    citations = sorted((c for _, found in collected for c in found),
                       key=lambda c: (c.article_id, c.zone != "body", c.start))
    return Resolution(_stories(articles, citations, edges),
                      lineage.resolve(articles, citations, edges))


def _stored_citations(article: Article) -> list[Citation]:
    """An article's citations as the store reads them back (with the article's id)."""
    return [rows.citation_from_row({**rows.citation_row(c, article.id, tables.RUN), "id": None})
            for c in article.citations]


def _stories(articles: list[Article], citations: list[Citation], edges: list[CopyEdge]
             ) -> list[Story]:
    """The stories of the edges, with their origin and upstream outlets (`rebuild_stories`)."""
    involved = sorted({e.source_id for e in edges} | {e.copy_id for e in edges})
    meta = {a.id: a for a in articles if a.id in set(involved)}
    published = {i: published_time(a.published) for i, a in meta.items()}
    stories = cluster_stories(involved, edges, published, include_singletons=False)
    origins = {s.origin_article_id for s in stories}
    credits: dict[str, str] = {}
    whole = sorted((c for c in citations if c.article_id in origins and c.outlet_id
                    and c.kind in WHOLE_TEXT_KINDS), key=lambda c: c.start)
    for c in sorted(whole, key=lambda c: c.kind, reverse=True):
        credits.setdefault(c.article_id, c.outlet_id)
    found = []
    for story in stories:
        publisher = meta[story.origin_article_id].publisher_id
        found.append(replace(story, origin_outlet_id=publisher, run_id=tables.RUN,
                             upstream_outlet_id=credits.get(story.origin_article_id)
                             or publisher))
    return found
