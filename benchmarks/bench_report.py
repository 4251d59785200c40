"""The report site at scale: time to write it, the largest page, the overview's size.

Builds an archive of N articles (benchmarks/scale_corpus.py: real sentences from ../shared/data,
recombined, with syndicated copies), scans it, then writes `provenance report --html DIR` and
prints the figures the issue sets targets for (40k articles: written in under a minute, no page
over 2 MB, a small overview). `--single` also writes the old one-file report of the same archive
in the same process, as the baseline. `--db` reuses an archive already scanned.

    python benchmarks/bench_report.py                      # 40,000 articles
    python benchmarks/bench_report.py --articles 5000      # while iterating
    python benchmarks/bench_report.py --db archive.db --single
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_corpus import DATA, real_pool, write_corpus  # noqa: E402

from provenance import ScanConfig, Store, scan  # noqa: E402
from provenance.outputs.site import write_site  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_PAGE_BYTES = 2_000_000


def build_archive(n: int, folder: Path, workers: int) -> Path:
    """Write and scan an archive of n articles; returns the database."""
    feed, db = folder / f"corpus-{n}.jsonl", folder / f"archive-{n}.db"
    started = time.perf_counter()
    write_corpus(feed, n, real_pool())
    print(f"corpus of {n:,} articles written in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    with Store(db) as store:
        scan(ScanConfig(paths=[feed], workers=workers), store)
    print(f"scanned in {time.perf_counter() - started:.1f}s -> {db}")
    return db


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (Graphviz): the figure that holds
    when other processes share the machine, beside the wall time."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def single_file(db: Path, folder: Path) -> tuple[float, float, int]:
    """The one-file report of the same archive: wall seconds, CPU seconds and bytes."""
    from provenance.outputs.assemble import report_data
    from provenance.outputs.html import render

    started, cpu = time.perf_counter(), _cpu_seconds()
    with Store(db, create=False) as store:
        page = render(report_data(store))
    (folder / "report.html").write_text(page, encoding="utf-8")
    return time.perf_counter() - started, _cpu_seconds() - cpu, len(page.encode("utf-8"))


def main() -> int:
    """Build (or reuse) an archive, write its site, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40_000)
    parser.add_argument("--db", type=Path, help="an archive already scanned (skips the build)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", action="store_true",
                        help="also write the one-file report (the baseline)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp)
        if args.db is None and not DATA.is_dir():
            print(f"skipped: {DATA} is not present (or give --db)")
            return 0
        db = args.db or build_archive(args.articles, folder, args.workers)
        with Store(db, create=False) as store:
            articles = store.current_articles()
            cpu = _cpu_seconds()
            stats = write_site(store, folder / "site")
            cpu = _cpu_seconds() - cpu
        print(f"archive: {db} ({articles:,} articles)")
        print(f"site written in {stats.seconds:.1f}s: {stats.pages:,} files, "
              f"{stats.bytes / 1e6:.1f} MB ({stats.stories:,} stories, {stats.articles:,} "
              f"articles, {stats.outlets:,} outlets); CPU {cpu:.1f}s (with Graphviz)")
        print(f"largest page: {stats.largest_page} {stats.largest_bytes / 1e3:.0f} KB; "
              f"overview index.html {stats.overview_bytes / 1e3:.0f} KB")
        ok = stats.seconds < TARGET_SECONDS and stats.largest_bytes <= TARGET_PAGE_BYTES
        print(f"targets (< {TARGET_SECONDS:.0f}s, no page > 2 MB): "
              f"{'met' if ok else 'NOT met'}")
        if args.single:
            seconds, single_cpu, size = single_file(db, folder)
            print(f"baseline one-file report: {seconds:.1f}s, CPU {single_cpu:.1f}s, "
                  f"{size / 1e6:.1f} MB (site/one-file CPU ratio {cpu / single_cpu:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
