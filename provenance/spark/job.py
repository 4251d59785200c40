"""The scan as a Spark job: read and analyse, versions, copies, stories, provenance, Parquet.

    read       inputs/ + analyse (`scan.workers.analyse_item`) per file, in mapPartitions
    versions   per source: new, updated or unchanged, walked in the local scan's order
    copies     boilerplate, LSH buckets (hot keys capped and counted), pairs, verification
    stories    `copies.cluster_stories` and `lineage.resolve` on the driver (`spark.phase`)

`run_job` writes the tables of `spark.tables` under the output directory and returns the
counts of the run (the local scan's, with the job's own: engine, Spark version, master, the
hot keys left out, timings).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from provenance import config
from provenance.analyse import Analysed
from provenance.citations import Registry
from provenance.config import ScanConfig
from provenance.errors import IncompatibleIndexError
from provenance.spark import phase
from provenance.spark.archive import Archive, previous
from provenance.spark.output import write_tables
from provenance.spark.read import (
    Plan,
    Settings,
    analyse_partition,
    balanced,
    plan,
    read_partition,
)

ENGINE = "spark"


@dataclass
class JobConfig:
    """A Spark job: the scan's settings, where to write, the master, earlier outputs to scan
    against (oldest first), and the partitions of the shuffles (0: 2 per core)."""

    scan: ScanConfig
    out: Path
    master: str = "local[2]"
    index: list[Path] = field(default_factory=list)
    partitions: int = 0


@dataclass
class JobResult:
    """What a job did: its counts (timings included) and where it wrote them."""

    out: Path
    counts: dict
    elapsed: float


def run_job(spark, cfg: JobConfig) -> JobResult:
    """Run the scan of `cfg` on `spark` and write its tables under `cfg.out`.

    Raises:
        InputError: a path or an --index directory does not exist, or the manifest is bad.
        IncompatibleIndexError: the fingerprint parameters differ from the archive's.
    """
    from pyspark import StorageLevel

    started, clock = time.perf_counter(), {}
    sc = spark.sparkContext
    parts = cfg.partitions or max(2, 2 * sc.defaultParallelism)
    old = previous(spark, cfg.index)
    if old.recipe is not None and old.recipe != cfg.scan.fingerprint.recipe:
        raise IncompatibleIndexError(
            f"the archive in {old.dirs[-1]} was built with {old.recipe}, this job asks for "
            f"{cfg.scan.fingerprint.recipe}: pass the same parameters or scan without --index")
    registry = Registry.load(extra=[str(p) for p in cfg.scan.outlets_files],
                             stored=old.registry_files)
    found = plan(cfg.scan.paths, cfg.scan.manifest, cfg.scan.outlets_files,
                 cfg.scan.follow_hidden)
    t = time.perf_counter()
    items = _read(sc, found, registry, cfg, parts).persist(StorageLevel.MEMORY_AND_DISK)
    versions = _versions(sc, items, old, spark, parts)
    n_items = items.count()
    clock["read_analyse"] = time.perf_counter() - t
    by_id, new_current, retired = _current(sc, versions, old, spark, cfg, parts)
    old_keys = (old.keys(spark, sc.broadcast(old_published(by_id.values(), new_current)))
                if old.dirs else None)
    copy, new_keys = phase.find_copies(sc, by_id, new_current, old, cfg.scan.fingerprint,
                                       cfg.scan.thresholds, parts, old_keys)
    copy.edges = [e for e in copy.edges if e.source_id not in retired
                  and e.copy_id not in retired]
    clock.update(copy.timings)
    t = time.perf_counter()
    resolution = phase.stories_and_lineage(by_id.values(), copy.edges)
    clock["stories_lineage"] = time.perf_counter() - t
    counts = {"items": n_items, "files": len(found.files), "partitions": parts,
              "copies": {"candidate_pairs": copy.candidates, "copy_edges": copy.verified,
                         "edges_by_kind": copy.edges_by_kind,
                         "stories": len(resolution.stories), "requeued": copy.requeued,
                         "hot_keys": copy.buckets.hot_keys,
                         "represented_buckets": copy.buckets.represented,
                         "boilerplate_outlets": sum(1 for k, v in copy.boilerplate.items()
                                                    if len(v) and not k.startswith("*"))},
              "buckets": vars(copy.buckets), "timings": clock}
    t = time.perf_counter()
    write_tables(spark, cfg, registry, items, versions, found.problems, copy, resolution,
                 new_keys, counts)
    clock["write"] = time.perf_counter() - t
    clock["total"] = time.perf_counter() - started
    items.unpersist()
    by_id.unpersist()
    return JobResult(cfg.out, counts, time.perf_counter() - started)


def old_published(current, new_current) -> dict[str, str | None]:
    """The publication times of the current articles that come from the archive."""
    new = new_current.map(lambda a: (a.id, None))
    return dict(current.map(lambda a: (a.id, a.published)).subtractByKey(new).collect())


def _read(sc, found: Plan, registry: Registry, cfg: JobConfig, parts: int):
    """(order, Analysed | InputProblem | FileDone) of every input file: files dealt into
    partitions of about equal size and read, their records spread over `parts` partitions when
    the files are too few to spread the work, and analysed (the registry's files broadcast
    once)."""
    settings = sc.broadcast(Settings(tuple(registry.extra_files), cfg.scan.fingerprint,
                                     cfg.scan.max_document_bytes))
    slices = balanced(found.files, max(parts, sc.defaultParallelism))
    read = sc.parallelize(slices, max(1, len(slices))).mapPartitions(
        lambda it: read_partition([f for part in it for f in part], settings.value))
    if len(found.files) < config.SPARK_FILES_PER_PARTITION * parts:
        read = read.repartition(parts)  # few large files (a feed): spread their records
    return read.mapPartitions(lambda it: analyse_partition(it, settings.value))


def _versions(sc, items, old: Archive, spark, parts: int):
    """(order, status, Analysed, previous id, current at the end) of every analysed record:
    per source, walked in the scan's order from the archive's current version (as
    `Store.write_batch` decides new, updated and unchanged). Only ids and text hashes are
    shuffled; the sources read once and not archived (most) are new and current."""
    analysed = items.filter(lambda kv: isinstance(kv[1], Analysed))
    light = analysed.map(lambda kv: (kv[1].article.source_key,
                                     (kv[0], kv[1].article.id, kv[1].article.text_hash)))
    known = old.versions(spark) if old.dirs else sc.emptyRDD()
    walked = sc.broadcast(light.cogroup(known, parts).flatMap(
        lambda kv: _walk(list(kv[1][0]), list(kv[1][1]))
        if len(kv[1][0]) > 1 or len(kv[1][1]) else ()).collectAsMap())
    return analysed.map(lambda kv: (kv[0], *_status(walked.value.get(kv[0]), kv[1])))


def _status(walked: tuple | None, analysed: Analysed) -> tuple:
    """(status, Analysed, previous id, current) of one record."""
    status, previous_id, current = walked or ("new", None, True)
    return status, analysed, previous_id, current


def _walk(records: list, known: list) -> list[tuple]:
    """(order, (status, previous id, current)) of one source's records (see `_versions`):
    `records` are (order, id, text hash), `known` the archive's current (id, text hash)."""
    current = known[0] if known else None
    seen = {current[0]} if current else set()
    walked = []
    for order, article_id, text_hash in sorted(records):
        if article_id in seen or (current and current[1] == text_hash):
            walked.append([order, article_id, "unchanged", None])
            continue
        walked.append([order, article_id, "updated" if current else "new",
                       current[0] if current else None])
        seen.add(article_id)
        current = (article_id, text_hash)
    return [(order, (status, previous, status != "unchanged" and article_id == current[0]))
            for order, article_id, status, previous in walked]


def _current(sc, versions, old: Archive, spark, cfg: JobConfig, parts: int):
    """The current articles (archive and new) keyed by id and partitioned by it (the joins of
    candidate pairs then move the pairs, not the articles), the new ones, and the archived
    ids retired by a new version of their source."""
    from pyspark import StorageLevel

    new_current = versions.filter(lambda v: v[4]).map(lambda v: v[2].article)
    retired: set[str] = set()
    current = new_current
    if old.dirs:
        retired = set(versions.filter(lambda v: v[1] == "updated" and v[3] is not None)
                      .map(lambda v: v[3]).collect())
        current = old.articles(spark, cfg.scan.fingerprint, sc.broadcast(retired)).union(
            new_current)
    by_id = current.keyBy(lambda a: a.id).partitionBy(parts).persist(
        StorageLevel.MEMORY_AND_DISK)
    return by_id, new_current, retired


__all__ = ["ENGINE", "JobConfig", "JobResult", "run_job"]
