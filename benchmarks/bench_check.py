"""Latency of `provenance check` against archives of growing size (default 10k and 100k).

Builds each archive with `provenance scan` from the corpus generator of scale_corpus.py (real
texts from ../shared/data, recombined, with synthetic syndicated copies), then times `check` on
the same drafts against every archive: reprints of archive articles (lightly edited, no
credit), drafts reusing two paragraphs, and original texts. Prints the median and 90th
percentile latency per archive (wall clock, and the CPU time of the checking thread, which
other work on a shared machine does not inflate) and the ratio between the largest and the
smallest archive, next to the ratio of their sizes. Nothing is asserted.

Usage: .venv/bin/python benchmarks/bench_check.py [--articles 10000 100000] [--drafts 30]
       [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_corpus  # noqa: E402

from provenance import ScanConfig, Store, scan  # noqa: E402
from provenance.check import check  # noqa: E402
from provenance.citations import Registry  # noqa: E402
from provenance.inputs import RawRecord  # noqa: E402


def build_archive(workdir: Path, n: int, pool) -> tuple[Path, Path]:
    """A scanned archive of n articles (reused when the workdir already holds it)."""
    feed, db = workdir / f"corpus-{n}.jsonl", workdir / f"archive-{n}.db"
    if not feed.exists():
        scale_corpus.write_corpus(feed, n, pool)
    if not db.exists():
        started = time.perf_counter()
        with Store(db) as store:
            scan(ScanConfig(paths=[feed]), store)
        print(f"  built the {n}-article archive in {time.perf_counter() - started:.0f} s")
    return feed, db


def drafts(feed: Path, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, text) drafts made from the first 5,000 articles of the smallest corpus, so every
    archive holds their sources."""
    rng = random.Random(seed)
    rows = []
    with feed.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 5000:
                break
            rows.append(json.loads(line))
    picked = rng.sample(rows, count)
    out = []
    for i, row in enumerate(picked):
        paragraphs = row["text"].split("\n\n")
        kind = ("reprint", "two_paragraphs", "original")[i % 3]
        if kind == "reprint":
            words = row["text"].split(" ")
            for j in rng.sample(range(len(words)), max(1, len(words) // 10)):
                words[j] = words[j].upper()
            text = "Neuer Titel der Meldung\n\n" + " ".join(words)
        elif kind == "two_paragraphs":
            other = rng.choice(rows)["text"].split("\n\n")
            text = "\n\n".join(other[:2] + paragraphs[:2])
        else:
            words = [w for p in paragraphs for w in p.split()]
            rng.shuffle(words)
            text = " ".join(words)
        out.append((kind, text))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--drafts", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not scale_corpus.DATA.is_dir():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-check-"))
    workdir.mkdir(parents=True, exist_ok=True)
    pool = scale_corpus.real_pool()
    registry = Registry.load()
    sizes = sorted(args.articles)
    archives = {n: build_archive(workdir, n, pool) for n in sizes}
    texts = drafts(archives[sizes[0]][0], args.drafts)
    medians = {}
    print(f"\n{len(texts)} drafts (reprints, two reused paragraphs, originals) per archive")
    for n in sizes:
        with Store(archives[n][1], create=False) as store:
            check(store, RawRecord("-", "-", None, "text", "text", texts[0][1]), registry)
            times, cpu, found, candidates = [], [], 0, 0
            for _kind, text in texts:
                started, clock = time.perf_counter(), time.thread_time()
                result = check(store, RawRecord("-", "-", None, "text", "text", text), registry)
                times.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - clock)
                found += bool(result.matches)
                candidates += result.candidates
        times.sort()
        cpu.sort()
        medians[n] = statistics.median(times)
        print(f"  archive {n:>7} articles: median {medians[n] * 1000:7.1f} ms, p90 "
              f"{times[int(0.9 * (len(times) - 1))] * 1000:7.1f} ms (CPU median "
              f"{statistics.median(cpu) * 1000:.1f} ms, p90 "
              f"{cpu[int(0.9 * (len(cpu) - 1))] * 1000:.1f} ms), drafts with a match "
              f"{found}/{len(texts)}, candidates verified per draft "
              f"{candidates / len(texts):.1f}")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\n  archive grew x{large / small:.0f}; median check latency grew "
              f"x{medians[large] / medians[small]:.2f}")
    print(f"  (archives kept in {workdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
