"""The tables a Spark job writes (`spark.tables`): from its RDDs and driver-side results.

Large tables (articles, citations, problems, files, index keys) are written from the executors;
the small ones (edges, stories, origins, boilerplate, the run) from the driver. Each table is a
directory of Parquet files under the job's output directory, replaced when the job runs again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from provenance.analyse import Analysed
from provenance.citations import Registry
from provenance.inputs import FileDone
from provenance.records import InputProblem
from provenance.spark import tables
from provenance.store import rows
from provenance.version import __version__


def write_tables(spark, cfg, registry: Registry, items, versions, walk_problems, copy,
                 resolution, new_keys, counts: dict) -> None:
    """Write every table of a job under `cfg.out`."""
    out = cfg.out
    out.mkdir(parents=True, exist_ok=True)

    def save(name: str, data) -> None:
        frame = spark.createDataFrame(data, tables.SCHEMAS[name])
        frame.write.mode("overwrite").parquet(str(out / name))

    stored = versions.filter(lambda v: v[1] != "unchanged")
    save("article", stored.map(lambda v: tables.article_values(v[0], v[2], v[1], v[3], v[4])))
    save("repeat", versions.filter(lambda v: v[1] == "unchanged").map(
        lambda v: tables.article_values(v[0], v[2], v[1], None, False)))
    save("citation", stored.flatMap(lambda v: [
        tables.values("citation", rows.citation_row(c, v[2].article.id, tables.RUN))
        for c in v[2].article.citations]))
    save("input_error", items.flatMap(_problems).union(spark.sparkContext.parallelize(
        [tables.problem_values(order, p, False) for order, p in walk_problems], 1)))
    save("input_file", items.filter(lambda kv: isinstance(kv[1], FileDone)).map(
        lambda kv: tables.values("input_file", {
            "order_section": kv[0][0], "order_file": kv[0][1], "order_seq": kv[0][2],
            "key": kv[1].key, "path": kv[1].file.path, "size": kv[1].file.size,
            "n_articles": kv[1].n_records, "run_id": tables.RUN,
            "content_key": kv[1].content_key})))
    registered = [tables.values("outlet", rows.outlet_row(o, "registry", registry.version))
                  for o in registry.outlets]
    known = {o.id for o in registry.outlets}
    save("outlet", versions.flatMap(_outlets).reduceByKey(
        lambda a, b: a if a[0] <= b[0] else b).filter(lambda kv: kv[0] not in known)
        .map(lambda kv: kv[1][1]).union(spark.sparkContext.parallelize(registered, 1)))
    save("lsh_key", new_keys.map(lambda kv: (kv[0], kv[1][0])))  # (key, article id)
    verdicts = resolution.lineage.verdicts
    save("copy_edge", [tables.edge_values(_with_verdict(e, verdicts.get(e.id)))
                       for e in copy.edges])
    save("story", [tables.story_values(s) for s in resolution.stories])
    save("story_member", [(s.id, m) for s in resolution.stories for m in s.members])
    save("article_source", [
        tables.values("article_source", rows.origin_row(o, tables.RUN))
        for article_id, found in sorted(resolution.lineage.original_sources.items())
        for o in _ranked(article_id, found)])
    save("provenance_problem", [(n, tables.RUN, m)
                                for n, m in enumerate(resolution.lineage.problems, 1)])
    save("boilerplate", [(k, rows.pack_shingles(v)) for k, v in sorted(copy.boilerplate.items())])
    save("run", [_run_row(spark, cfg, registry, counts)])


def _problems(kv) -> list[tuple]:
    """The `input_error` rows of one item: a problem, or the warnings of an article."""
    order, item = kv
    if isinstance(item, InputProblem):
        return [tables.problem_values(order, item, False)]
    if isinstance(item, Analysed):
        art = item.article
        return [tables.problem_values(order, InputProblem(art.path, art.record, kind, message,
                                                          severity="warning"), True)
                for kind, message in item.warnings]
    return []


def _outlets(v) -> list[tuple]:
    """(outlet id, (order, row)) of the outlets an analysed record brings (new or discovered)."""
    analysed = v[2]
    found = [o for o in (analysed.new_outlet, *analysed.discovered) if o is not None]
    return [(o.id, (v[0], tables.values("outlet", rows.outlet_row(o, o.origin or "input"))))
            for o in found]


def _with_verdict(edge, verdict):
    """An edge with its verdict and reason (if it has one)."""
    from dataclasses import replace

    if verdict is None:
        return edge
    return replace(edge, verdict=verdict.verdict, verdict_reason=verdict.reason)


def _ranked(article_id: str, found: list) -> list:
    """An article's origins with its id and their rank (as `scan.resolve` stores them)."""
    from dataclasses import replace

    return [replace(o, article_id=article_id, rank=rank) for rank, o in enumerate(found)]


def _run_row(spark, cfg, registry: Registry, counts: dict) -> tuple:
    """The `run` row: engine, Spark version, master, parameters, counts, registry files."""
    parameters = {**cfg.scan.parameters(), "engine": "spark", "spark_version": spark.version,
                  "master": cfg.master, "index": [str(p) for p in cfg.index]}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return ("spark", spark.version, cfg.master, __version__, registry.version,
            json.dumps([[f.name, f.text] for f in registry.extra_files], ensure_ascii=False),
            now, now, "completed", json.dumps(parameters, sort_keys=True, default=str),
            json.dumps(counts, sort_keys=True, default=str))
