"""Scan throughput: real HTML pages and a large JSONL corpus, against same-run baselines.

Prints articles/s for `provenance.scan` (1 worker and all cores) next to
- HTML: trafilatura `bare_extraction` alone on the same pages (the floor of any HTML scan);
- JSONL: `json.loads` + sha256 of each text (the floor of reading a feed at all).

Each scan also prints its CPU seconds (this process and its workers) and its stage timings: on
a machine that other work shares, articles per CPU second move far less than articles per second.

Usage: python benchmarks/bench_scan.py [--jsonl-articles 50000] [--html-limit 400]
Needs ../shared/data (real pages and texts); nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_corpus  # noqa: E402

from provenance import ScanConfig, Store, scan  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def html_pages(limit: int) -> list[Path]:
    """Real news pages from fundus, trafilatura-eval and readability (gzipped HTML)."""
    pages = sorted((DATA / "fundus-news-html" / "test_data").rglob("*.html.gz"))
    pages += sorted((DATA / "trafilatura-eval" / "eval").glob("*.gz"))
    pages += sorted((DATA / "readability-test-pages" / "test-pages").rglob("source.html.gz"))
    random.Random(7).shuffle(pages)
    return pages[:limit]


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished workers."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def timed_scan(paths: list[Path], workers: int, db: Path) -> tuple[float, dict]:
    if db.exists():
        db.unlink()
    start, cpu = time.perf_counter(), cpu_seconds()
    with Store(db) as store:
        result = scan(ScanConfig(paths=paths, workers=workers), store)
    secs, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    stages = "  ".join(f"{k} {v:.1f}" for k, v in result.counts["timings"].items()
                       if isinstance(v, float) and k != "total")
    print(f"      {workers} worker(s): {secs:.1f} s, {cpu:.1f} CPU s "
          f"({result.counts['read'] / cpu:.0f} articles per CPU s); stages (s): {stages}")
    return secs, result.counts


def bench_html(limit: int, tmp: Path) -> None:
    pages = html_pages(limit)
    folder = tmp / "html"
    folder.mkdir()
    for i, page in enumerate(pages):
        shutil.copy(page, folder / f"{i:05d}.html.gz")
    start = time.perf_counter()
    extracted = 0
    for page in pages:
        raw = gzip.open(page).read().decode("utf-8", errors="replace")
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
        extracted += doc is not None
    base = time.perf_counter() - start
    print(f"\nHTML: {len(pages)} real pages ({extracted} with text by trafilatura alone)")
    print(f"  baseline trafilatura.bare_extraction, 1 core : {len(pages) / base:8.1f} pages/s")
    for workers in (1, os.cpu_count() or 1):
        secs, counts = timed_scan([folder], workers, tmp / "h.db")
        print(f"  provenance scan, {workers} worker(s)           : "
              f"{counts['read'] / secs:8.1f} articles/s  ({counts['read']} read, "
              f"{counts['failed']} failed; ratio to baseline {base / secs:.2f})")


def bench_jsonl(n: int, tmp: Path) -> None:
    feed = tmp / "feed.jsonl"
    # distinct articles recombined from real texts, 15% syndicated copies (see scale_corpus.py)
    scale_corpus.write_corpus(feed, n, scale_corpus.real_pool())
    start = time.perf_counter()
    with feed.open(encoding="utf-8") as fh:
        for line in fh:
            hashlib.sha256(json.loads(line)["text"].encode()).digest()
    base = time.perf_counter() - start
    size = feed.stat().st_size / 1e6
    print(f"\nJSONL: {n} articles (scale_corpus: real sentences, 15% copies), "
          f"{size:.0f} MB")
    print(f"  baseline json.loads + sha256                : {n / base:8.0f} articles/s")
    for workers in (1, os.cpu_count() or 1):
        secs, counts = timed_scan([feed], workers, tmp / "j.db")
        print(f"  provenance scan, {workers} worker(s)           : {counts['read'] / secs:8.0f} "
              f"articles/s  (ratio to baseline {base / secs:.3f})")
        resumed, counts2 = time.perf_counter(), None
        with Store(tmp / "j.db") as store:
            counts2 = scan(ScanConfig(paths=[feed], workers=workers), store).counts
        print(f"  re-scan of the same feed (skipped as read)  : {time.perf_counter() - resumed:.2f}"
              f" s, {counts2['unchanged']} unchanged")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl-articles", type=int, default=50000)
    parser.add_argument("--html-limit", type=int, default=400)
    args = parser.parse_args()
    if not DATA.is_dir():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        bench_html(args.html_limit, Path(tmp))
        bench_jsonl(args.jsonl_articles, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
