"""The scan on Apache Spark: the same stage code on a cluster, Parquet out, SQLite by a loader.

    session  the SparkSession (master, the driver's Python on the executors)
    read     the files of a scan dealt into partitions, read and analysed on the executors
    job      the job: versions per source, then the copy phase, stories and provenance
    copies   boilerplate, LSH buckets with hot keys capped, candidate pairs, verification
    phase    the copy phase's steps put together; stories and lineage on the driver
    archive  earlier outputs as the archive a later job scans against (--index)
    tables   the Parquet tables (SQLite's columns) and records <-> rows
    output   the tables written;  load  the tables written into a SQLite database

The only home of pyspark (tests/test_architecture.py): nothing outside this package imports it,
and `provenance.commands.spark` imports this package inside its command only.
"""

from provenance.spark.job import ENGINE, JobConfig, JobResult, run_job
from provenance.spark.load import load
from provenance.spark.session import running, start, version

__all__ = ["ENGINE", "JobConfig", "JobResult", "load", "run_job", "running", "start", "version"]
