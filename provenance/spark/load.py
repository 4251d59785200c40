"""The loader: a Spark job's tables written into a provenance SQLite database.

The articles, problems and files are fed, in the local scan's order, to the local scan's writer
(`scan.writer.BatchWriter`), so that statuses, versions, counts and rows are what the scan would
have written; then the copy index is built (`Store.index_pending_keys`), and the edges,
boilerplate, stories and the resolution are stored with the store's own methods. `show`,
`report`, `graph` and `check` then work on the database as on one built by `scan`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from provenance.citations import Registry
from provenance.citations.registry_files import RegistryFile
from provenance.config import KEY_BYTES, FingerprintParams
from provenance.copies import check_compatible
from provenance.errors import InputError
from provenance.inputs import FileDone, SourceFile
from provenance.records import Verdict
from provenance.scan import ScanResult, interrupts
from provenance.scan.lock import ScanLock
from provenance.scan.registry import remember_registry
from provenance.scan.resolve import verdict_counts
from provenance.scan.writer import BatchWriter
from provenance.spark import tables
from provenance.store import Store, rows
from provenance.version import __version__


def load(spark, out: Path, db: Path) -> ScanResult:
    """Write the tables of the job in `out` into the database `db` (created when missing) as
    one run; returns the run as a scan's result.

    Raises:
        InputError: `out` is not the output of a job.
        IncompatibleIndexError: the database was built with other fingerprint parameters.
        ScanBusyError: a scan is writing to the database.
    """
    started = time.perf_counter()
    if not (out / "run").is_dir():
        raise InputError(f"{out} is not the output of `provenance spark` (no run table)")
    run = _read(spark, out, "run")[0]
    parameters = json.loads(run["parameters"])
    params = FingerprintParams(**{k: v for k, v in parameters["fingerprint"].items()
                                  if k != "recipe"})
    with Store(db) as store, ScanLock(store.path):
        store.close_stale_runs()
        recipe = store.fingerprint_recipe()
        if recipe is not None:
            check_compatible(recipe, params.recipe)
        files = [RegistryFile(n, t) for n, t in json.loads(run["registry_files"])]
        registry = Registry.load(stored=files)
        remember_registry(store, registry)
        store.sync_outlets(registry.outlets, registry.version)
        store.set_fingerprint_recipe(params.recipe)
        run_id = store.begin_run(__version__, parameters, registry.version)
        counts = _new_counts()
        status = "failed"
        try:
            _write_inputs(spark, out, store, BatchWriter(store, run_id, counts), params)
            _write_copies(spark, out, store, run_id, counts)
            status = "completed"
        except KeyboardInterrupt as exc:  # as a scan: the run is recorded as interrupted
            status = "interrupted"
            interrupts.release(exc)
            raise
        finally:
            with interrupts.deferred():
                job = json.loads(run["counts"])
                counts.update(engine="spark", spark_version=run["spark_version"],
                              master=run["master"], job=job)
                counts["copies"] = job.get("copies", {})
                counts["timings"].update(job.get("timings", {}))
                store.finish_run(run_id, status, counts)
        errors = store.errors(run_id)
    return ScanResult(run_id, status, counts, errors, time.perf_counter() - started)


def _new_counts() -> dict:
    """The counts of a run before it starts (as `scan._new_counts`)."""
    return {"files": 0, "resumed": 0, "read": 0, "new": 0, "unchanged": 0, "updated": 0,
            "failed": 0, "warnings": 0, "by_format": {}, "by_language": {},
            "timings": {"read": 0.0, "extract": 0.0, "fingerprint": 0.0, "citations": 0.0,
                        "write": 0.0, "workers": 0}}


def _read(spark, out: Path, name: str) -> list[dict]:
    """Every row of a table as dicts (small tables)."""
    frame = spark.read.schema(tables.SCHEMAS[name]).parquet(str(out / name))
    return [r.asDict() for r in frame.collect()]


def _ordered(spark, out: Path, name: str):
    """The rows of an ordered table, in the scan's order, streamed to the driver."""
    frame = spark.read.schema(tables.SCHEMAS[name]).parquet(str(out / name))
    ordered = frame.orderBy("order_section", "order_file", "order_seq")
    return ((tuple((r["order_section"], r["order_file"], r["order_seq"])), name, r.asDict())
            for r in ordered.toLocalIterator())


def _write_inputs(spark, out: Path, store: Store, writer: BatchWriter,
                  params: FingerprintParams) -> None:
    """Articles (and repeats), problems and files, merged in the scan's order, to the writer."""
    import heapq

    streams = [_ordered(spark, out, name)
               for name in ("article", "repeat", "input_error", "input_file")]
    for _, name, row in heapq.merge(*streams, key=lambda x: (x[0], x[1] == "input_file")):
        if name in ("article", "repeat"):
            writer.article(tables.analysed_of(row, params))
        elif name == "input_error":
            if not row["attached"]:
                writer.problem(tables.problem_of(row))
        else:
            writer.file_done(FileDone(SourceFile(row["path"], "", "", row["size"], 0, False),
                                      row["n_articles"], row["key"], row["content_key"]))
    writer.flush()


def _write_copies(spark, out: Path, store: Store, run_id: int, counts: dict) -> None:
    """The index, boilerplate, copy edges, stories and resolution of the job."""
    for row in _read(spark, out, "boilerplate"):
        store.replace_boilerplate(row["outlet_id"], rows.unpack_shingles(row["shingles"]),
                                  run_id)
    store.index_pending_keys(KEY_BYTES)
    edges = sorted((tables.edge_of(r) for r in _read(spark, out, "copy_edge")),
                   key=lambda e: e.id)
    # the job's edges are all of the archive's: an edge it no longer holds was withdrawn (its
    # articles were compared again), so its articles' edges are replaced by the job's
    kept = {(e.source_id, e.copy_id) for e in edges}
    stale = {(e.source_id, e.copy_id) for e in store.copy_edges()} - kept
    if stale:
        store.requeue_matches({article_id for pair in stale for article_id in pair})
    store.write_copy_edges(run_id, edges, store.pending_matches())
    members: dict[str, list[str]] = {}
    for row in _read(spark, out, "story_member"):
        members.setdefault(row["story_id"], []).append(row["article_id"])
    stories = [rows.story_from_row({**r, "run_id": run_id}, sorted(members.get(r["id"], ())))
               for r in _read(spark, out, "story")]
    store.replace_stories(sorted(stories, key=lambda s: s.members))
    ids = {(e.source_id, e.copy_id): e.id for e in store.copy_edges()}
    verdicts = {ids[(e.source_id, e.copy_id)]: Verdict(e.verdict, e.verdict_reason or "")
                for e in edges if e.verdict and (e.source_id, e.copy_id) in ids}
    origins = sorted((rows.origin_from_row(r) for r in _read(spark, out, "article_source")),
                     key=lambda o: (o.article_id, o.rank))
    problems = [r["message"] for r in sorted(_read(spark, out, "provenance_problem"),
                                             key=lambda r: r["id"])]
    store.replace_lineage(run_id, verdicts, origins, problems)
    counts["provenance"] = verdict_counts(store, len(problems))
