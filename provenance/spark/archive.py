"""Earlier job outputs as the archive a job scans against (incremental, `--index DIR`).

Each output directory holds the articles that job stored, their band and anchor keys (the
`lsh_key` table: the persistent index, as Parquet), and the archive's copy edges as they were
after it. A later job reads them as the local scan reads its SQLite archive: the current
articles (the latest version of each source, over the directories in the order given), their
keys, the edges between them, and the registry files the archive was built with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from provenance.citations.registry_files import RegistryFile
from provenance.config import FingerprintParams
from provenance.errors import InputError
from provenance.records import CopyEdge
from provenance.spark import tables
from provenance.store import rows


@dataclass
class Archive:
    """Earlier outputs (oldest first) with the registry files and recipe they were made with."""

    dirs: list[Path] = field(default_factory=list)
    registry_files: tuple[RegistryFile, ...] = ()
    recipe: str | None = None

    def _table(self, spark, name: str):
        """The union of a table over the directories, with the directory's rank."""
        from pyspark.sql import functions as F

        frames = [spark.read.schema(tables.SCHEMAS[name]).parquet(str(d / name))
                  .withColumn("archive_rank", F.lit(rank)) for rank, d in enumerate(self.dirs)]
        found = frames[0]
        for frame in frames[1:]:
            found = found.unionByName(frame)
        return found

    def current_rows(self, spark):
        """The current article rows: per source, the current row of the latest directory."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        rows = self._table(spark, "article").where("is_current")
        latest = Window.partitionBy("source_key").orderBy(F.col("archive_rank").desc())
        return rows.withColumn("n", F.row_number().over(latest)).where("n = 1").drop("n")

    def versions(self, spark):
        """(source key, (article id, text hash)) of every current archived article."""
        return self.current_rows(spark).rdd.map(
            lambda r: (r["source_key"], (r["id"], r["text_hash"])))

    def articles(self, spark, params: FingerprintParams, retired):
        """The current archived articles not retired by a new version (RDD of Article)."""
        gone = retired

        def article(row):
            return tables.analysed_of(row.asDict(), params).article

        return self.current_rows(spark).rdd.filter(lambda r: r["id"] not in gone.value).map(
            article)

    def keys(self, spark, published):
        """(key, (article id, published)) of the index for the current archived articles
        (`published`: a broadcast dict of their publication times)."""
        return self._table(spark, "lsh_key").rdd.filter(
            lambda r: r["article_id"] in published.value).map(
            lambda r: (bytes(r["key"]), (r["article_id"], published.value[r["article_id"]])))

    def boilerplate(self, spark) -> dict:
        """The learnt boilerplate of the archive after its latest job, by outlet."""
        frame = spark.read.schema(tables.SCHEMAS["boilerplate"]).parquet(
            str(self.dirs[-1] / "boilerplate"))
        return {r["outlet_id"]: rows.unpack_shingles(r["shingles"]) for r in frame.collect()}

    def edges(self, spark) -> list[CopyEdge]:
        """The copy edges of the archive after its latest job."""
        frame = spark.read.schema(tables.SCHEMAS["copy_edge"]).parquet(
            str(self.dirs[-1] / "copy_edge"))
        return [tables.edge_of(r.asDict()) for r in frame.collect()]


def previous(spark, dirs: list[Path]) -> Archive:
    """The archive of earlier outputs `dirs` (oldest first); empty when there are none.

    Raises:
        InputError: a directory is not the output of a job.
    """
    if not dirs:
        return Archive()
    for d in dirs:
        if not (d / "run").is_dir() or not (d / "article").is_dir():
            raise InputError(f"{d} is not the output of `provenance spark` (pass the --out "
                             "directory of an earlier job)")
    run = spark.read.schema(tables.SCHEMAS["run"]).parquet(str(dirs[-1] / "run")).first()
    files = tuple(RegistryFile(n, t) for n, t in json.loads(run["registry_files"]))
    recipe = json.loads(run["parameters"])["fingerprint"]["recipe"]
    return Archive(list(dirs), files, recipe)
