"""Scan throughput: real HTML pages and a large JSONL corpus, against same-run baselines.

Prints articles/s for `provenance.scan` (1 worker and all cores) next to
- HTML: trafilatura `bare_extraction` alone on the same pages (the floor of any HTML scan);
- JSONL: `json.loads` + sha256 of each text (the floor of reading a feed at all).

Each scan also prints its CPU seconds (this process and its workers) and its stage timings: on
a machine that other work shares, articles per CPU second move far less than articles per second.
For HTML the ratio of CPU seconds (trafilatura alone / the whole scan, every process) says how
much a scan adds to trafilatura per page, whatever the load; the wall-clock ratio on all cores
is the target's own figure and needs an otherwise idle machine (the load average is printed).

`--rescan` adds a rescan benchmark: an archive of JSONL files (scale_corpus) scanned, scanned
again unchanged, scanned again after every file was touched (same bytes, new mtime: each is
hashed, none analysed again), and scanned again with a new file of 1% more articles; it prints
each rescan's seconds as a share of the first scan (and, for the new articles, their time per
article against the first scan's).

Usage: python benchmarks/bench_scan.py [--jsonl-articles 50000] [--html-limit 400]
           [--rescan [--rescan-articles 5000]]      (a size of 0 leaves that part out)
Needs ../shared/data (real pages and texts); nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_corpus  # noqa: E402

from provenance import ScanConfig, Store, scan  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Articles per JSONL file of the rescan benchmark's archive.
RESCAN_FILE_ARTICLES = 250
# The share of the archive that the rescan benchmark's last rescan adds as new articles.
RESCAN_ADDED = 0.01


def html_pages(limit: int) -> list[Path]:
    """Real news pages from fundus, trafilatura-eval and readability (gzipped HTML)."""
    pages = sorted((DATA / "fundus-news-html" / "test_data").rglob("*.html.gz"))
    pages += sorted((DATA / "trafilatura-eval" / "eval").glob("*.gz"))
    pages += sorted((DATA / "readability-test-pages" / "test-pages").rglob("source.html.gz"))
    random.Random(7).shuffle(pages)
    return pages[:limit]


def cpu_seconds(who: int | None = None) -> float:
    """CPU seconds of this process and of its finished workers (or of `who` alone)."""
    usages = [resource.getrusage(w) for w in ((who,) if who is not None else
                                              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))]
    return sum(u.ru_utime + u.ru_stime for u in usages)


def load() -> str:
    """The load averages (1, 5 minutes), to judge wall-clock figures by."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def timed_scan(paths: list[Path], workers: int, db: Path, fresh: bool = True
               ) -> tuple[float, float, dict]:
    """Scan `paths` into `db` (emptied first when `fresh`): seconds, CPU seconds, counts."""
    if fresh and db.exists():
        db.unlink()
    start, cpu, own = time.perf_counter(), cpu_seconds(), cpu_seconds(resource.RUSAGE_SELF)
    with Store(db) as store:
        result = scan(ScanConfig(paths=paths, workers=workers), store)
    secs, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    own = cpu_seconds(resource.RUSAGE_SELF) - own
    stages = "  ".join(f"{k} {v:.1f}" for k, v in result.counts["timings"].items()
                       if isinstance(v, float) and k != "total")
    print(f"      {workers or os.cpu_count()} worker(s): {secs:.1f} s, {cpu:.1f} CPU s "
          f"({own:.1f} in this process, {cpu - own:.1f} in its workers; "
          f"{result.counts['read'] / max(cpu, 1e-9):.0f} articles per CPU s); "
          f"stages (s): {stages}")
    return secs, cpu, result.counts


def bench_html(limit: int, tmp: Path) -> None:
    """trafilatura alone on one core, then a scan on one worker and on all cores, each in a
    fresh Python process: trafilatura and htmldate keep caches keyed by the text they read,
    which a run in the same process would find filled with these very pages (a scan run after
    the baseline took a fifth less time than one run alone)."""
    pages = html_pages(limit)
    folder = tmp / "html"
    folder.mkdir()
    for i, page in enumerate(pages):
        shutil.copy(page, folder / f"{i:05d}.html.gz")
    print(f"\nHTML ({load()})")
    found = _html_child("baseline", folder, tmp / "h.db")
    base, base_cpu = found["seconds"], found["cpu"]
    print(f"  {len(pages)} real pages ({found['extracted']} with text by trafilatura alone)")
    print(f"  baseline trafilatura.bare_extraction, 1 core : {len(pages) / base:8.1f} pages/s  "
          f"({base:.1f} s, {base_cpu:.1f} CPU s)")
    for workers in (1, os.cpu_count() or 1):
        found = _html_child(str(workers), folder, tmp / "h.db")
        print(found["line"])
        print(f"  provenance scan, {workers} worker(s)           : "
              f"{found['read'] / found['seconds']:8.1f} articles/s  ({found['read']} read, "
              f"{found['failed']} failed; ratio to baseline {base / found['seconds']:.2f}, "
              f"CPU ratio {base_cpu / found['cpu']:.2f})")
    print(f"  ({load()})")


def _html_child(what: str, folder: Path, db: Path) -> dict:
    """One HTML measurement (`html_child`) in a new Python process; what it found."""
    done = subprocess.run([sys.executable, __file__, "--html-child", what, str(folder), str(db)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def html_child(what: str, folder: Path, db: Path) -> None:
    """Print, as one JSON line, trafilatura alone over the pages of `folder` (``baseline``) or
    a scan of them with that many workers: seconds, CPU seconds and counts."""
    if what == "baseline":
        start, cpu = time.perf_counter(), time.process_time()
        extracted = 0
        for page in sorted(folder.iterdir()):
            raw = gzip.open(page).read().decode("utf-8", errors="replace")
            doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
            extracted += doc is not None
        print(json.dumps({"seconds": time.perf_counter() - start,
                          "cpu": time.process_time() - cpu, "extracted": extracted}))
        return
    with contextlib.redirect_stdout(io.StringIO()) as line:
        secs, cpu, counts = timed_scan([folder], int(what), db)
    print(json.dumps({"seconds": secs, "cpu": cpu, "read": counts["read"],
                      "failed": counts["failed"], "line": line.getvalue().rstrip()}))


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
        secs, _, counts = timed_scan([feed], workers, tmp / "j.db")
        print(f"  provenance scan, {workers} worker(s)           : {counts['read'] / secs:8.0f} "
              f"articles/s  (ratio to baseline {base / secs:.3f})")
        resumed, counts2 = time.perf_counter(), None
        with Store(tmp / "j.db") as store:
            counts2 = scan(ScanConfig(paths=[feed], workers=workers), store).counts
        print(f"  re-scan of the same feed (skipped as read)  : {time.perf_counter() - resumed:.2f}"
              f" s, {counts2['unchanged']} unchanged")


def bench_rescan(n: int, tmp: Path) -> None:
    """First scan of an archive of JSONL files, then a rescan as it is, one with every file
    touched (same bytes), and one with a new file of `RESCAN_ADDED` more articles (the same
    generator's next ones): seconds and CPU seconds of each, and their share of the first."""
    feed = tmp / "rescan-all.jsonl"
    added = max(1, round(n * RESCAN_ADDED))
    scale_corpus.write_corpus(feed, n + added, scale_corpus.real_pool())
    archive = tmp / "rescan"
    archive.mkdir()
    lines = feed.read_text(encoding="utf-8").splitlines(keepends=True)
    lines, later = lines[:n], lines[n:]
    for start in range(0, len(lines), RESCAN_FILE_ARTICLES):
        part = archive / f"part-{start // RESCAN_FILE_ARTICLES:05d}.jsonl"
        part.write_text("".join(lines[start:start + RESCAN_FILE_ARTICLES]), encoding="utf-8")
    files = sorted(archive.iterdir())
    print(f"\nRescan: {n} articles in {len(files)} JSONL files (scale_corpus), "
          f"all cores ({load()})")
    db = tmp / "rescan.db"
    first, first_cpu, _ = timed_scan([archive], 0, db)
    print(f"  first scan                                  : {first:8.2f} s, {first_cpu:.2f} CPU s")
    for label, touch in (("rescan, unchanged", False), ("rescan, every file touched", True)):
        if touch:
            for path in files:
                stat = path.stat()
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        secs, cpu, counts = timed_scan([archive], 0, db, fresh=False)
        print(f"  {label:<44}: {secs:8.2f} s, {cpu:.2f} CPU s = {secs / first:.3f} of the first"
              f" (CPU {cpu / first_cpu:.3f}); {counts['unchanged']} unchanged, "
              f"{counts['read']} analysed again")
    (archive / "part-new.jsonl").write_text("".join(later), encoding="utf-8")
    secs, cpu, counts = timed_scan([archive], 0, db, fresh=False)
    label = f"rescan with {added} new articles ({RESCAN_ADDED:.0%})"
    print(f"  {label:<44}: {secs:8.2f} s, {cpu:.2f} CPU s = {secs / first:.3f} of the first"
          f" (CPU {cpu / first_cpu:.3f}); per new article {secs / counts['new'] * n / first:.1f}x"
          f" the first scan's time per article; stages (s): "
          + "  ".join(f"{k} {v:.1f}" for k, v in counts["timings"].items()
                      if isinstance(v, float) and v >= 0.5 and k != "total"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl-articles", type=int, default=50000)
    parser.add_argument("--html-limit", type=int, default=400)
    parser.add_argument("--rescan", action="store_true", help="also the rescan benchmark")
    parser.add_argument("--rescan-articles", type=int, default=5000)
    parser.add_argument("--html-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.html_child:
        what, folder, db = args.html_child
        html_child(what, Path(folder), Path(db))
        return 0
    if not DATA.is_dir():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        if args.html_limit:
            bench_html(args.html_limit, Path(tmp))
        if args.jsonl_articles:
            bench_jsonl(args.jsonl_articles, Path(tmp))
        if args.rescan and args.rescan_articles:
            bench_rescan(args.rescan_articles, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
