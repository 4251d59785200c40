"""The Spark job against the single-machine scan on the same texts: throughput, shuffle, partitions.

Builds a JSONL corpus of N articles with `scale_corpus.py` (real sentences from ../shared/data,
recombined, with syndicated copies and outlet footers), then runs, each in a fresh interpreter:

* `provenance scan` (the single-machine scan) with 1 and 2 worker processes;
* the Spark job (`provenance.spark.run_job`) on local[1] and local[2], and its loader into
  SQLite, reading the job's stages from the Spark UI's REST API for the shuffle bytes.

Prints articles per second of each, the job's time per step, the shuffle bytes per article,
records per analysis partition, hot keys left out, and whether the loaded database holds the
same numbers of articles, copy edges and stories as the scan's. `--partitions-sweep` also runs
local[2] with several shuffle partition counts (what partition sizes work).

    python benchmarks/bench_spark.py --articles 10000
    python benchmarks/bench_spark.py --articles 2000 --partitions-sweep 2,8,32
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_corpus import DATA, REPO, real_pool, write_corpus  # noqa: E402


def child_scan(feed: Path, db: Path, workers: int) -> dict:
    """The single-machine scan of the feed into a new database."""
    sys.path.insert(0, str(REPO))
    from provenance import ScanConfig, Store, scan

    started = time.perf_counter()
    with Store(db) as store:
        counts = scan(ScanConfig(paths=[feed], workers=workers), store).counts
        stories = store.count("story")
    return {"seconds": time.perf_counter() - started, "articles": counts["read"],
            "copy_edges": counts["copies"]["copy_edges"], "stories": stories}


def _stages(spark) -> list[dict]:
    """The finished stages of this application, from the Spark UI's REST API."""
    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    if not url:
        return []
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages") as response:
        return json.load(response)


def child_spark(feed: Path, out: Path, db: Path, master: str, partitions: int) -> dict:
    """The Spark job on `master`, then its loader; timings, shuffle bytes, partition sizes."""
    sys.path.insert(0, str(REPO))
    from provenance import ScanConfig, Store
    from provenance import spark as engine

    started = time.perf_counter()
    spark = engine.start(master)
    session = time.perf_counter() - started
    cfg = engine.JobConfig(ScanConfig(paths=[feed]), out, master, [], partitions)
    result = engine.run_job(spark, cfg)
    stages = _stages(spark)
    loading = time.perf_counter()
    engine.load(spark, out, db)
    loaded = time.perf_counter() - loading
    with Store(db, create=False) as store:
        counts = store.runs()[-1].counts
        stories = store.count("story")
    spark.stop()
    shuffle = sum(s.get("shuffleWriteBytes", 0) for s in stages)
    tasks = [s["numTasks"] for s in stages]
    return {"master": master, "session_s": session, "job_s": result.elapsed, "load_s": loaded,
            "articles": counts["read"], "copy_edges": counts["copies"]["copy_edges"],
            "stories": stories, "shuffle_bytes": shuffle, "stages": len(stages),
            "max_tasks_per_stage": max(tasks, default=0), "partitions": result.counts[
                "partitions"], "buckets": result.counts["buckets"],
            "timings": result.counts["timings"]}


def _run_child(*args: str) -> dict:
    """One measurement in a fresh interpreter (its own memory, its own JVM)."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Build the corpus, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--workers", default="1,2", help="worker counts of the local scan")
    parser.add_argument("--partitions", type=int, default=0)
    parser.add_argument("--partitions-sweep", default="", help="e.g. 2,8,32 (on local[2])")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "scan":
            found = child_scan(Path(rest[0]), Path(rest[1]), int(rest[2]))
        else:
            found = child_spark(Path(rest[0]), Path(rest[1]), Path(rest[2]), rest[3],
                                int(rest[4]))
        print(json.dumps(found, default=str))
        return
    if not DATA.is_dir():
        sys.exit("../shared/data is not present beside the checkout")
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
        _measure(Path(tmp), args)


def _measure(tmp: Path, args: argparse.Namespace) -> None:
    """Every measurement of one corpus size."""
    feed = tmp / "corpus.jsonl"
    write_corpus(feed, args.articles, real_pool())
    n = args.articles
    print(f"corpus: {n} articles, {feed.stat().st_size / 1e6:.1f} MB JSONL")
    for workers in [int(w) for w in args.workers.split(",") if w]:
        found = _run_child("scan", str(feed), str(tmp / f"scan{workers}.db"), str(workers))
        print(f"scan --workers {workers}: {found['seconds']:.1f}s, "
              f"{found['articles'] / found['seconds']:.1f} articles/s; "
              f"{found['copy_edges']} copy edges, {found['stories']} stories")
    runs = [(m, args.partitions) for m in args.masters.split(",") if m]
    runs += [("local[2]", int(p)) for p in args.partitions_sweep.split(",") if p]
    for n_run, (master, parts) in enumerate(runs):
        found = _run_child("spark", str(feed), str(tmp / f"out{n_run}"),
                           str(tmp / f"spark{n_run}.db"), master, str(parts))
        _print_spark(found, n)


def _print_spark(found: dict, n: int) -> None:
    """One Spark run's figures."""
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in found["timings"].items() if k != "total")
    print(f"spark {found['master']} (partitions {found['partitions']}): job "
          f"{found['job_s']:.1f}s = {n / found['job_s']:.1f} articles/s (+ session "
          f"{found['session_s']:.1f}s, load into SQLite {found['load_s']:.1f}s); "
          f"{found['copy_edges']} copy edges, {found['stories']} stories")
    print(f"  steps: {steps}")
    print(f"  shuffle written {found['shuffle_bytes'] / 1e6:.1f} MB = "
          f"{found['shuffle_bytes'] / max(1, n) / 1e3:.1f} kB per article over "
          f"{found['stages']} stages; {n / max(1, found['partitions']):.0f} articles per "
          f"analysis partition; hot keys left out {found['buckets']['hot_keys']} (largest "
          f"bucket {found['buckets']['largest']})")


if __name__ == "__main__":
    main()
