"""The `spark` command: the scan as an Apache Spark job, and the loader of its tables.

Needs the optional extra (`pip install 'provenance[spark]'`) and Java 17; pyspark is imported
inside the commands only (through `provenance.spark`), so `provenance --help` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from provenance.commands.common import fail, out, reporting_errors

_NEEDS = ("the Spark engine needs pyspark and Java 17 (pip install 'provenance[spark]'; "
          "apt-get install openjdk-17-jre-headless)")


def _engine():
    """The `provenance.spark` package, or a one-line error when pyspark is missing."""
    try:
        import provenance.spark as engine
    except ImportError as exc:
        raise fail(f"{_NEEDS}: {exc}") from None
    return engine


def _session(engine, master: str):
    """A Spark session on `master` and whether this command started it (a session already
    running in this process, as in tests, is used and left running), or a one-line error
    when Java or the master fails."""
    running = engine.running()
    try:
        return engine.start(master), not running
    except Exception as exc:  # noqa: BLE001 - the JVM's failures have no common class
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise fail(f"cannot start Spark on {master} ({first}); {_NEEDS}") from None


def register(app: typer.Typer) -> None:
    """Add `spark` to `app`."""

    @app.command("spark")
    @reporting_errors
    def spark_cmd(
        paths: Annotated[list[Path] | None, typer.Argument(
            help="Files or folders of articles (as for `scan`).")] = None,
        out_dir: Annotated[Path, typer.Option("--out", help="Directory for the Parquet tables "
                                              "(with --load: of an earlier job).",
                                              file_okay=False)] = Path("provenance-parquet"),
        master: Annotated[str, typer.Option(help="Spark master: local[N], spark://host:7077, "
                                            "yarn, k8s://...")] = "local[2]",
        db: Annotated[Path | None, typer.Option(
            "--db", help="Also load the result into this SQLite database.",
            dir_okay=False)] = None,
        load: Annotated[bool, typer.Option(
            "--load", help="Only load the tables in --out into --db (no job).")] = False,
        index: Annotated[list[Path] | None, typer.Option(
            "--index", help="Output directory of an earlier job to scan against (repeat, "
            "oldest first).", file_okay=False)] = None,
        manifest: Annotated[Path | None, typer.Option(
            help="CSV or JSONL mapping paths to url, outlet, published.")] = None,
        outlets: Annotated[list[Path] | None, typer.Option(
            "--outlets", help="Extra outlet registry file(s).")] = None,
        partitions: Annotated[int, typer.Option(
            help="Partitions of the shuffles (0 = 2 per core).", min=0)] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    ) -> None:
        """Scan on Apache Spark: same stages and results as `scan`, Parquet tables out."""
        from provenance.config import ScanConfig

        if load:
            if db is None or paths:
                raise fail("--load takes no inputs and needs --db FILE (it writes the tables "
                           "in --out into that database)", 2)
            _load_only(out_dir, db, master)
            return
        if not paths:
            raise fail("give the files or folders to scan (or --load with --out and --db)", 2)
        cfg = ScanConfig(paths=list(paths), manifest=manifest, outlets_files=list(outlets or []))
        _run(cfg, out_dir, master, db, list(index or []), partitions, as_json)


def _load_only(out_dir: Path, db: Path, master: str) -> None:
    """Load the tables of an earlier job into `db` and print the run."""
    if not (out_dir / "run").is_dir():
        raise fail(f"{out_dir} is not the output of `provenance spark` (give the --out "
                   "directory of an earlier job)")
    engine = _engine()
    spark, owned = _session(engine, master)
    try:
        loaded = engine.load(spark, out_dir, db)
    finally:
        if owned:
            spark.stop()
    _print_loaded(loaded, db)


def _run(cfg, out_dir: Path, master: str, db: Path | None, index: list[Path],
         partitions: int, as_json: bool) -> None:
    """Run the job (and the loader with `db`), then print what they did."""
    import json

    engine = _engine()
    job = engine.JobConfig(cfg, out_dir, master, index, partitions)
    spark, owned = _session(engine, master)
    try:
        result = engine.run_job(spark, job)
        loaded = engine.load(spark, out_dir, db) if db is not None else None
    finally:
        if owned:
            spark.stop()
    summary = {"out": str(out_dir), "engine": engine.ENGINE, "master": master,
               "spark_version": spark.version, "elapsed": round(result.elapsed, 2),
               "counts": result.counts, "db": str(db) if db else None}
    if as_json:
        typer.echo(json.dumps(summary, default=str))
    else:
        _print_job(summary)
    if loaded is not None:
        if not as_json:
            _print_loaded(loaded, db)
        elif loaded.nothing_read:
            raise fail("no article could be read from the given paths.")


def _print_job(summary: dict) -> None:
    """One paragraph on what the job did."""
    c = summary["counts"]
    copies, buckets = c["copies"], c["buckets"]
    out.print(f"Spark job ({summary['engine']} {summary['spark_version']}, "
              f"{summary['master']}) -> {summary['out']}")
    out.print(f"  {c['items']} records and problems from {c['files']} files; "
              f"{copies['candidate_pairs']} candidate pairs, {copies['copy_edges']} copy "
              f"edges, {copies['stories']} stories; {buckets['hot_keys']} hot keys left out "
              f"(largest bucket {buckets['largest']}); {summary['elapsed']:.1f}s")


def _print_loaded(result, db: Path) -> None:
    """The scan summary of the loaded run (as `scan` prints it)."""
    from provenance.outputs import terminal as report

    report.print_scan_summary(result, str(db), out.console)
    if result.nothing_read:
        raise fail("no article could be read from the given paths (see the input problems "
                   "above, or check the paths and formats).")
