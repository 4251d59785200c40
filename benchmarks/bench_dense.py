"""Dense reuse at scale: a provenance scan next to a datasketch-only baseline on the same texts.

The corpus comes from `../shared/tools/make_corpus.py N OUT --dense`: articles of 6-12 whole
real paragraphs drawn from a pool, so every paragraph recurs in about five articles (press-release
text reused everywhere) and copy edges are dense. Two phases on the same texts:

- provenance: `provenance.scan` of the JSONL into a new database (extraction, citations,
  fingerprints, copy phase, provenance resolution), `--workers` processes (default 0: one per
  core, as `provenance scan` runs by default);
- baseline: datasketch alone: word 5-shingles, `MinHash.update_batch` (128 permutations),
  `MinHashLSH(threshold=0.5)` insert and query of every text; its candidate pairs are its edges.

Each phase runs in its own forked child of this process, so its peak memory is its own
(`ru_maxrss` of the child, or the largest peak of the scan's phases: measuring a phase resets
the high-water mark that `ru_maxrss` reads; the baseline's child reads the texts itself, in its
time, so that the scan's child inherits no copy of them), and the memory of each scan phase.
Prints the time and peak-memory ratios (targets: time <= 3x the baseline; memory at 50k <= 2x
that at 10k) and edges.

Usage: python benchmarks/bench_dense.py [--articles 10000 50000] [--workers 0] [--keep DIR]
Needs ../shared/data and ../shared/tools (nothing of them is copied into the repository).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from provenance import ScanConfig, Store, lineage, scan
from provenance.scan import copy_phase
from provenance.scan.prints import Prints

MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "tools" / "make_corpus.py"
NUM_PERM = 128
SHINGLE = 5
LSH_THRESHOLD = 0.5


def make_corpus(n: int, folder: Path) -> Path:
    """The dense corpus of `n` articles as JSONL (built by the shared tool)."""
    out = folder / f"dense-{n}.jsonl"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(out), "--dense"], check=True)
    return out


def baseline(texts: list[str]) -> dict:
    """datasketch only: MinHash of word 5-shingles, LSH insert and query; candidate pairs."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    sketches = []
    for i, text in enumerate(texts):
        words = text.lower().split()
        shingles = {" ".join(words[j:j + SHINGLE]).encode()
                    for j in range(max(1, len(words) - SHINGLE + 1))}
        mh = MinHash(num_perm=NUM_PERM)
        mh.update_batch(list(shingles))
        lsh.insert(str(i), mh)
        sketches.append(mh)
    pairs = set()
    for i, mh in enumerate(sketches):
        for other in lsh.query(mh):
            j = int(other)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return {"edges": len(pairs)}


def baseline_of(corpus: Path) -> dict:
    """`baseline` on the texts of the corpus, read in this (the baseline's) process: texts read
    before the fork would count in the peak memory of the scan's child too."""
    with corpus.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    return baseline(texts)


def cpu_timed(module, name: str, into: dict) -> None:
    """Wrap `module.name` so that each call adds its CPU seconds to `into[name]` (in the
    benchmark's child process only)."""
    wrapped = getattr(module, name)

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return wrapped(*args, **kwargs)
        finally:
            into[name] = into.get(name, 0.0) + time.process_time() - started

    setattr(module, name, timed)


def _memory_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmHWM: peak resident since the
    last `_reset_peak`; VmRSS: resident now), in MiB; 0 where /proc is absent."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak() -> None:
    """Reset this process's VmHWM to its present resident memory (Linux clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


def phase_peaks(into: dict) -> None:
    """Record each scan phase's (resident memory at its start, its peak) in MiB in `into`:
    reading, the copy phase's steps and provenance resolution (in the child process only)."""
    @contextlib.contextmanager
    def measured(name: str):
        _reset_peak()
        start = _memory_mib("VmRSS")
        try:
            yield
        finally:
            into[name] = (round(start), round(max(_memory_mib("VmHWM"), start)))

    def wrapped(fn, name: str):
        def run(*args, **kwargs):
            with measured(name):
                return fn(*args, **kwargs)
        return run

    scan_module, clock = sys.modules["provenance.scan"], copy_phase._Clock.__call__
    for name in ("_read_inputs", "resolve_provenance"):
        setattr(scan_module, name, wrapped(getattr(scan_module, name), name.strip("_")))

    @contextlib.contextmanager
    def step(self, name: str):
        with measured(name), clock(self, name):
            yield

    copy_phase._Clock.__call__ = step


def cache_counts(into: dict) -> None:
    """Count, in `into`, what the copy phase asks of this process's fingerprint cache: the
    fingerprints a chunk's task finds made (`asked`, `held`), and those made (`made`: read and
    unpacked again when the cache dropped them; each article once at best)."""
    known, made = Prints.known, Prints.fingerprint

    def counted_known(self, article_ids, params):
        found = known(self, article_ids, params)
        into["asked"] = into.get("asked", 0) + len(article_ids)
        into["held"] = into.get("held", 0) + len(found)
        return found

    def counted_made(self, article, params, cited=frozenset()):
        if (article.id, params.recipe) not in self.entries:
            into["made"] = into.get("made", 0) + 1
        return made(self, article, params, cited)

    Prints.known, Prints.fingerprint = counted_known, counted_made


def provenance_scan(corpus: Path, db: Path, workers: int) -> dict:
    """A provenance scan of the corpus into a new database; its counts (with the CPU seconds
    of provenance resolution: all of it, and the pure `lineage.resolve` inside it)."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)  # a kept folder's database of an earlier run
    resolution_cpu: dict = {}
    peaks: dict = {}
    cache: dict = {}
    phase_peaks(peaks)
    cache_counts(cache)
    cpu_timed(sys.modules["provenance.scan"], "resolve_provenance", resolution_cpu)
    cpu_timed(lineage, "resolve", resolution_cpu)
    with Store(db) as store:
        result = scan(ScanConfig(paths=[corpus], workers=workers), store)
        origins = origin_stats(store)
    copies = result.counts.get("copies", {})
    timings = {k: round(v, 1) for k, v in result.counts["timings"].items()
               if isinstance(v, float) and v >= 1}
    return {"edges": copies.get("copy_edges"), "status": result.status,
            "read": result.counts.get("read"), "error": result.error, "timings": timings,
            "resolution_s": result.counts["timings"].get("provenance"), "origins": origins,
            "resolution_cpu": {k: round(v, 1) for k, v in resolution_cpu.items()},
            "phase_peaks": peaks, "cache": cache,
            "pairs": {k: copies.get(k) for k in ("candidate_pairs", "hot_keys",
                                                 "represented_buckets")}}


def origin_stats(store: Store) -> dict:
    """Original sources per article: all of them and the text origins (mean and max)."""
    out = {}
    for name, where in (("all", ""), ("text", " WHERE reason = 'text_origin'")):
        row = store.query("SELECT avg(n) AS mean, max(n) AS top FROM (SELECT count(*) AS n "
                          f"FROM article_source{where} GROUP BY article_id)")[0]
        out[name] = (round(row["mean"] or 0, 2), row["top"] or 0)
    return out


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def in_child(fn, *args) -> dict:
    """Run `fn(*args)` in a forked child; its result with wall time and peak RSS (MiB)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, exit without running the parent's cleanup
        os.close(read_end)
        started, cpu = time.perf_counter(), _cpu_seconds()
        try:
            out = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            out = {"error": f"{type(exc).__name__}: {exc}"}
        out["seconds"] = time.perf_counter() - started
        out["cpu_s"] = _cpu_seconds() - cpu
        # each measured phase resets the high-water mark that ru_maxrss reads (`_reset_peak`):
        # the peak is the largest of the phases' peaks and what ru_maxrss saw since the last
        out["peak_mib"] = max([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
                              + [peak for _, peak in out.get("phase_peaks", {}).values()])
        # the scan's worker processes, ended with it: the largest one's peak
        out["worker_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with os.fdopen(write_end, "wb") as fh:
            pickle.dump(out, fh)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return pickle.loads(data) if data else {"error": "the child died"}


def bench(n: int, workers: int, folder: Path) -> dict:
    """Both phases at `n` articles; prints one block and returns the figures."""
    corpus = make_corpus(n, folder)
    base = in_child(baseline_of, corpus)
    prov = in_child(provenance_scan, corpus, folder / f"dense-{n}.db", workers)
    print(f"\n== dense corpus, {n} articles ({workers or os.cpu_count()} worker(s)) ==")
    for name, r in (("datasketch-only", base), ("provenance scan", prov)):
        print(f"{name:16s} {r.get('seconds', 0):8.1f} s  cpu {r.get('cpu_s', 0):8.1f} s  "
              f"peak {r.get('peak_mib', 0):7.0f} MiB  edges {r.get('edges')}"
              + (f"  largest worker's peak {r['worker_peak_mib']:.0f} MiB"
                 if r.get("worker_peak_mib") else "")
              + (f"  ERROR {r['error']}" if r.get("error") else ""))
    if prov.get("timings"):
        print("provenance stages (s, >= 1 s):", prov["timings"])
    if prov.get("origins"):
        print(f"provenance resolution {prov.get('resolution_s') or 0:.1f} s (cpu: "
              f"{prov.get('resolution_cpu')}); original sources "
              f"per article (mean, max): all {prov['origins']['all']}, "
              f"text origins {prov['origins']['text']}")
    if prov.get("phase_peaks"):
        print("memory per phase (MiB: resident at its start, its peak):", prov["phase_peaks"])
    if prov.get("cache", {}).get("asked"):
        c = prov["cache"]
        print(f"fingerprint cache (this process): {c['held']}/{c['asked']} of the chunks' "
              f"articles held ({c['held'] / c['asked']:.1%}), {c.get('made', 0)} made")
    if prov.get("pairs"):
        print("provenance candidates (pairs, hot keys skipped, buckets joined through "
              "representatives):", prov["pairs"])
    if base.get("seconds") and prov.get("seconds"):
        print(f"time ratio {prov['seconds'] / base['seconds']:.2f}x (target <= 3x; cpu "
              f"{prov['cpu_s'] / max(base['cpu_s'], 1e-9):.2f}x); "
              f"memory ratio {prov['peak_mib'] / base['peak_mib']:.2f}x")
    return {"n": n, "baseline": base, "provenance": prov}


def main() -> None:
    """Parse arguments, run each size, print the memory growth between the first and last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workers", type=int, default=0,
                        help="scan processes (0: one per core, the scan's default)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the corpora and databases here and keep them")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = [bench(n, args.workers, args.keep) for n in args.articles]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results = [bench(n, args.workers, Path(tmp)) for n in args.articles]
    if len(results) > 1:
        first, last = results[0]["provenance"], results[-1]["provenance"]
        growth = last.get("peak_mib", 0) / max(first.get("peak_mib", 1), 1)
        print(f"\nprovenance peak memory at {args.articles[-1]} vs {args.articles[0]} articles: "
              f"{growth:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
