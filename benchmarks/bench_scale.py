"""Scan throughput and memory at scale, next to a datasketch MinHash + MinHashLSH baseline.

Builds a JSONL corpus of N plain-text articles (default 100,000) with `scale_corpus.py`: distinct
texts recombined from real sentences of ../shared/data, a minority of syndicated copies, some
outlets with a footer under every article. With `--generator make_corpus`, the project's
realistic archive of `../shared/tools/make_corpus.py` instead: sentences re-worded at 25% recur
across distinct articles the way quotes do, 20% syndicated copies (no record of which article
copies which is kept, so the corpus check is left out).

Then, in one run and for each size, it prints:
- the baseline: datasketch `MinHash.update_batch` over word 5-shingles per article (num_perm=128)
  plus `MinHashLSH` query + insert, on the same texts, in articles/s (JSON parsing excluded);
- the provenance scan (in a fresh subprocess, all cores): articles/s per stage and for the whole
  scan with its ratio to the baseline, and the peak RSS of the scan process and of its workers;
- a check of the corpus: copy edges found between articles that share no text by construction.

Stages that run in the worker pool (extraction, citations, fingerprints, verification) are
summed over workers, so their articles/s is per core; the others are wall-clock in the main
process. Timings are wall-clock; nothing is asserted.

Usage: .venv/bin/python benchmarks/bench_scale.py [--articles 10000 100000] [--workers 0]
       [--generator scale|make_corpus] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_corpus import DATA, REPO, REWORD_RATE, real_pool, write_corpus  # noqa: E402

BASELINE_THRESHOLD = 0.5
MAKE_CORPUS = DATA.parent / "tools" / "make_corpus.py"
# Provenance resolution (lineage.py) enumerates copy paths and can take very long on dense
# copy clusters; past this many seconds the benchmark reports it unfinished and moves on.
RESOLUTION_LIMIT = 300
NUM_PERM = 128
SHINGLE = 5

_BASELINE_WORD = re.compile(r"\w+")


# ---- measurements (each in a fresh interpreter, so that peak RSS is its own) -------------------

def _peak_rss() -> dict:
    """Peak resident set size in MB of this process and of its (waited-for) children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_mb": round(own, 1), "children_rss_mb": round(children, 1)}


def _timed_baseline(feed: Path, query_and_insert) -> dict:
    """Time `query_and_insert(n, shingles)` (True when the index already held a candidate) over
    the word 5-shingles of every text of `feed`; JSON parsing is not timed."""
    spent, n, hits = 0.0, 0, 0
    with feed.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            started = time.perf_counter()
            words = _BASELINE_WORD.findall(record["text"].lower())
            shingles = [" ".join(words[i:i + SHINGLE])
                        for i in range(max(1, len(words) - SHINGLE + 1))]
            hits += query_and_insert(n, shingles)
            spent += time.perf_counter() - started
            n += 1
    return {"articles": n, "seconds": spent, "with_candidates": hits, **_peak_rss()}


def child_baseline(feed: Path) -> dict:
    """datasketch alone: word 5-shingles, MinHash.update_batch, MinHashLSH query + insert."""
    from datasketch import MinHash, MinHashLSH

    template = MinHash(num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=NUM_PERM)

    def query_and_insert(n: int, shingles: list[str]) -> bool:
        mh = MinHash(num_perm=NUM_PERM, permutations=template.permutations,
                     scheme=template.scheme)
        mh.update_batch([s.encode("utf-8") for s in shingles])
        found = bool(lsh.query(mh))
        lsh.insert(n, mh)
        return found
    return _timed_baseline(feed, query_and_insert)


def child_rensa(feed: Path) -> dict:
    """rensa (a MinHash in Rust) alone, the same shingles: RMinHash.update, RMinHashLSH query +
    insert; `{"missing": True}` when rensa (benchmark-only: `pip install rensa`) is absent."""
    try:
        from rensa import RMinHash, RMinHashLSH
    except ImportError:
        return {"missing": True}
    lsh = RMinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_PERM // 8)

    def query_and_insert(n: int, shingles: list[str]) -> bool:
        mh = RMinHash(num_perm=NUM_PERM, seed=1)
        mh.update(shingles)
        found = bool(lsh.query(mh))
        lsh.insert(n, mh)
        return found
    return _timed_baseline(feed, query_and_insert)


class _ResolutionTimeout(Exception):
    """Raised by the alarm when provenance resolution runs past its limit."""


def child_scan(feed: Path, db: Path, workers: int, resolution_limit: int) -> dict:
    """`provenance scan` of the feed into a new database, with its counts and timings.

    Provenance resolution (the scan's last stage) gets at most `resolution_limit` seconds: the
    copy phase reports its end ("stories") through the scan's progress callback, which records
    the peak RSS so far and sets an alarm. If the alarm fires, the scan stops there (its run is
    stored as failed, with its counts) and the benchmark records that resolution did not finish.
    """
    sys.path.insert(0, str(REPO))
    from provenance import ScanConfig, Store, scan

    peaks: dict[str, float] = {}

    def on_alarm(*_args):
        raise _ResolutionTimeout

    def progress(event: str, _done: int, _total: int) -> None:
        if event == "stories":  # the copy phase is done: resolution is next
            peaks["before_resolution_mb"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            signal.signal(signal.SIGALRM, on_alarm)
            signal.alarm(resolution_limit)

    started = time.perf_counter()
    with Store(db) as store:
        try:
            counts = scan(ScanConfig(paths=[feed], workers=workers), store, progress).counts
        except _ResolutionTimeout:
            counts = store.runs()[-1].counts
            counts["provenance"] = {"unfinished_after_s": resolution_limit}
        finally:
            signal.alarm(0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": time.perf_counter() - started, "counts": counts,
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "workers_cpu_s": round(workers_cpu.ru_utime + workers_cpu.ru_stime, 1),
            "db_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6),
            **_peak_rss(), **peaks}


def run_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed (JSON)."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- the check of the corpus and the report -----------------------------------------------------

def corpus_check(db: Path, families: dict[str, str]) -> dict:
    """Copy edges between articles that share no text by construction, and copies found."""
    sys.path.insert(0, str(REPO))
    from provenance import Store

    with Store(db, create=False) as store:
        names = {a.id: a.external_id for a in store.articles()}
        rows = [(names[e.source_id], names[e.copy_id], e.kind) for e in store.copy_edges()]
    linked: set[str] = set()
    unexpected = []
    for source, copy, kind in rows:
        if families.get(source) == families.get(copy):
            for article in (source, copy):
                if article != families.get(article):
                    linked.add(article)
        else:
            unexpected.append((source, copy, kind))
    copies = [a for a, f in families.items() if a != f]
    return {"edges": len(rows), "unexpected": len(unexpected), "examples": unexpected[:5],
            "copies": len(copies), "copies_linked": len(linked)}


def rate(n: int, seconds: float) -> str:
    """Articles per second, printed."""
    return f"{n / seconds:9.0f}" if seconds > 0 else "        -"


def report(n: int, base: dict, run: dict, check: dict | None, kinds: dict[str, int],
           mb: float) -> None:
    """Print one size's figures."""
    counts, timings = run["counts"], run["counts"].get("timings", {})
    workers = timings.get("workers") or 1
    baseline = base["articles"] / base["seconds"]
    whole = counts["read"] / run["seconds"]
    print(f"\n== {n:,} articles ({mb:.0f} MB JSONL; "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())) + ")")
    print(f"baseline datasketch MinHash.update_batch + MinHashLSH query/insert : "
          f"{baseline:9.0f} articles/s  ({base['seconds']:.1f} s, "
          f"peak RSS {base['rss_mb']:.0f} MB)")
    rensa = base["rensa"]
    if rensa.get("missing"):
        print("baseline rensa: not installed (pip install rensa)")
    else:
        print(f"baseline rensa RMinHash.update + RMinHashLSH query/insert          : "
              f"{rensa['articles'] / rensa['seconds']:9.0f} articles/s  "
              f"({rensa['seconds']:.1f} s)  scan time / rensa time "
              f"{run['seconds'] / rensa['seconds']:.1f}")
    print(f"provenance scan, whole (wall clock, {workers} worker(s))             : "
          f"{whole:9.0f} articles/s  ({run['seconds']:.1f} s)  ratio to baseline "
          f"{whole / baseline:.2f} (scan time / datasketch time "
          f"{run['seconds'] / base['seconds']:.1f})")
    print("  stage                                        seconds   articles/s")
    rows = [("read (main process)", "read", 1),
            ("extract (per worker)", "extract", workers),
            ("citations (per worker)", "citations", workers),
            ("fingerprint (per worker)", "fingerprint", workers),
            ("DB write (main process)", "write", 1),
            ("copy: boilerplate (keys indexed alongside)", "boilerplate", 1),
            ("  of it: key index (its own thread)", "index", 1),
            ("copy: candidates (buckets)", "candidates", 1),
            ("copy: verification", "verify", 1),
            ("copy: stories", "stories", 1),
            ("provenance resolution", "provenance", 1)]
    for label, key, divide in rows:
        seconds = timings.get(key, 0.0)
        note = f"  (summed {seconds:.1f} s / {divide})" if divide > 1 else ""
        print(f"  {label:43s} {seconds / divide:8.1f}  {rate(counts['read'], seconds / divide)}"
              f"{note}")
    if isinstance(counts.get("provenance"), dict) and "unfinished_after_s" in counts["provenance"]:
        print(f"  provenance resolution did not finish within "
              f"{counts['provenance']['unfinished_after_s']} s (stopped; not in the ratio's "
              "favour: its time is counted)")
    copies = counts.get("copies", {})
    print(f"  copy phase: {copies.get('candidate_pairs', 0):,} candidate pairs "
          f"({copies.get('candidate_pairs', 0) / max(1, counts['read']):.2f} per article; "
          f"{copies.get('hot_keys', 0):,} hot keys skipped, "
          f"{copies.get('represented_buckets', 0):,} buckets joined through representatives), "
          f"{copies.get('copy_edges', 0):,} edges {copies.get('edges_by_kind', {})}, "
          f"{copies.get('stories', 0):,} stories")
    print("  copy phase CPU seconds (scan process): " + ", ".join(
        f"{step} {timings.get(step + '_cpu', 0.0):.1f}"
        for step in ("boilerplate", "candidates", "verify", "stories")))
    print(f"CPU seconds: scan process {run['cpu_s']:.1f}, workers {run['workers_cpu_s']:.1f} "
          f"({1000 * (run['cpu_s'] + run['workers_cpu_s']) / max(1, counts['read']):.2f} ms "
          "per article; CPU time does not grow with the load of the machine)")
    print(f"load average before / after: {run['load'][0]:.1f} / {run['load'][1]:.1f} "
          "(other work on the machine slows the scan more than the one-core baseline)")
    print(f"peak RSS: scan process {run['rss_mb']:.0f} MB "
          f"({run.get('before_resolution_mb', 0):.0f} MB up to provenance resolution), "
          f"largest worker {run['children_rss_mb']:.0f} MB; database {run['db_mb']} MB")
    if check is None:
        return
    print(f"corpus check: {check['unexpected']} of {check['edges']:,} edges join articles that "
          f"share no text by construction; {check['copies_linked']:,} of {check['copies']:,} "
          "synthetic copies are linked to their family")
    for example in check["examples"]:
        print(f"    unexpected: {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--workers", type=int, default=0, help="scan workers (0: one per core)")
    parser.add_argument("--reword", type=float, default=REWORD_RATE,
                        help="share of the words re-worded in each sentence of a distinct text")
    parser.add_argument("--generator", choices=("scale", "make_corpus"), default="scale",
                        help="the corpus: scale_corpus.py's, or make_corpus.py's realistic one")
    parser.add_argument("--workdir", type=Path, help="where to write the corpora and databases")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and databases")
    parser.add_argument("--resolution-limit", type=int, default=RESOLUTION_LIMIT,
                        help="seconds after which provenance resolution is reported unfinished")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind in ("baseline", "rensa"):
            result = (child_baseline if kind == "baseline" else child_rensa)(Path(rest[0]))
        else:
            result = child_scan(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]))
        print(json.dumps(result))
        return 0
    if not DATA.is_dir():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.workdir))
    started = time.perf_counter()
    pool = real_pool()
    print(f"real pool: {pool.documents:,} articles, "
          + ", ".join(f"{lang} {len(s):,} sentences" for lang, s in sorted(pool.sentences.items()))
          + f" ({time.perf_counter() - started:.1f} s); {os.cpu_count()} cores")
    try:
        for n in args.articles:
            feed, db = workdir / f"corpus-{n}.jsonl", workdir / f"scan-{n}.db"
            if args.generator == "scale":
                families, kinds = write_corpus(feed, n, pool, args.reword)
            else:
                subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(feed)], check=True)
                families, kinds = {}, {"make_corpus.py realistic archive": n}
            load = os.getloadavg()[0]
            base = run_child("baseline", str(feed))
            base["rensa"] = run_child("rensa", str(feed))
            run = run_child("scan", str(feed), str(db), str(args.workers),
                            str(args.resolution_limit))
            run["load"] = (load, os.getloadavg()[0])
            check = corpus_check(db, families) if families else None
            report(n, base, run, check, kinds, feed.stat().st_size / 1e6)
            if not args.keep:
                for path in workdir.glob(f"scan-{n}.db*"):
                    path.unlink()
                feed.unlink()
    finally:
        if not args.keep:
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
