"""Copy edges on a template crawl: right and wrong edges, real reuse found, next to a baseline.

The crawl (`template_crawl.py`) is built from real pages of ../shared/data into a temporary
folder: site chrome kept, article bodies swapped, banners and notes added, real copies planted.
A real copy pair is two pages whose article bodies share a run of 40+ words. The crawl is
scanned with `provenance.scan` into a temporary database, exactly as a user would (with the
crawl's manifest for urls and dates); each stored copy edge is right when its two pages are a
real copy pair. The naive baseline runs in the same process on the same extracted texts:
datasketch MinHashLSH at threshold 0.8 (5-word shingles, 128 permutations) plus connected
components, every pair inside a component predicted.

Usage: python3 benchmarks/bench_crawl.py [--shared ../shared] [--pages 400] [--seed 7]
       [--workers 2] [--errors 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import components  # noqa: E402
from template_crawl import build_crawl  # noqa: E402

from provenance.config import ScanConfig  # noqa: E402
from provenance.copies import tokenise  # noqa: E402
from provenance.scan import scan  # noqa: E402
from provenance.store import Store  # noqa: E402

BASELINE_THRESHOLD = 0.8
BASELINE_SHINGLE = 5
Pair = tuple[str, str]


def scanned(crawl: Path, db: Path, workers: int) -> tuple[dict[str, str], set[Pair], dict, Store]:
    """Scan the crawl; returns article id -> page name, the edges as page pairs, the counts."""
    store = Store(str(db))
    result = scan(ScanConfig(paths=[crawl], manifest=crawl / "manifest.csv", workers=workers),
                  store)
    edges = store.copy_edges()
    names = {a.id: Path(a.path).resolve().relative_to(crawl.resolve()).as_posix()
             for a in store.articles() if a.path}
    pairs = {tuple(sorted((names[e.source_id], names[e.copy_id]))) for e in edges}
    return names, pairs, result.counts, store


def baseline(texts: dict[str, str]) -> set[Pair]:
    """MinHashLSH at 0.8 on the extracted texts, pairs within connected components."""
    names = sorted(texts)
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=128)
    hashes = {}
    for name in names:
        tokens = [t for t, _, _ in tokenise(texts[name])]
        mh = MinHash(num_perm=128, seed=1)
        for i in range(max(1, len(tokens) - BASELINE_SHINGLE + 1)):
            mh.update(" ".join(tokens[i:i + BASELINE_SHINGLE]).encode("utf-8"))
        hashes[name] = mh
        lsh.insert(name, mh)
    index = {n: i for i, n in enumerate(names)}
    links = [(index[a], index[b]) for a in names for b in lsh.query(hashes[a]) if a < b]
    labels = components(len(names), links)
    groups: dict[int, list[str]] = {}
    for name, label in zip(names, labels, strict=True):
        groups.setdefault(label, []).append(name)
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def score(label: str, predicted: set[Pair], gold: set[Pair], readable: set[str]) -> None:
    """Right and wrong edges, real reuse found (of the pairs whose both pages were read)."""
    right = predicted & gold
    wrong = predicted - gold
    reachable = {p for p in gold if p[0] in readable and p[1] in readable}
    precision = len(right) / len(predicted) if predicted else 1.0
    recall = len(right) / len(gold) if gold else 1.0
    print(f"  {label:<34} edges {len(predicted):5d}  right {len(right):4d}  wrong {len(wrong):4d}"
          f"  precision {precision:.3f}  reuse found {len(right)}/{len(gold)} = {recall:.3f}"
          f"  (of pairs read: {len(right & reachable)}/{len(reachable)})")


def result_errors(store: Store) -> list:
    """The input problems of the scan (pages that were not read)."""
    return store.errors()


def explain(pairs: set[Pair], store: Store, names: dict[str, str], limit: int) -> None:
    """The passages of a few wrong edges, to see what they stand on."""
    by_name = {v: k for k, v in names.items()}
    for a, b in sorted(pairs)[:limit]:
        edges = store.copy_edges([by_name[a]])
        for e in edges:
            if {names.get(e.source_id), names.get(e.copy_id)} != {a, b}:
                continue
            text = store.texts([e.source_id])[0].text
            quotes = [" ".join(text[p.a_start:p.a_end].split())[:150] for p in e.passages[:2]]
            print(f"    {a} ~ {b}: {e.kind} J={e.jaccard:.2f} «{' / '.join(quotes)}»")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--errors", type=int, default=10)
    parser.add_argument("--keep", type=Path, default=None, help="build the crawl here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        crawl = args.keep or Path(tmp) / "crawl"
        crawl.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        pages, gold = build_crawl(args.shared / "data", crawl, args.pages, args.seed)
        built = time.perf_counter() - started
        kinds = Counter(p.kind for p in pages)
        print(f"crawl: {len(pages)} pages on {len({p.site for p in pages})} hosts "
              f"({dict(kinds)}), {len(gold)} real copy pairs (40+ shared body words); "
              f"built in {built:.0f} s")
        started = time.perf_counter()
        names, predicted, counts, store = scanned(crawl, Path(tmp) / "crawl.db", args.workers)
        seconds = time.perf_counter() - started
        failed = len(result_errors(store))
        print(f"scan: {len(names)} articles, {failed} input problems, {seconds:.0f} s")
        readable = set(names.values())
        texts = {names[a.id]: a.text for a in store.texts(sorted(names))}
        score("ours (provenance scan)", predicted, gold, readable)
        score(f"baseline (MinHashLSH {BASELINE_THRESHOLD} + CC)", baseline(texts), gold, readable)
        wrong = predicted - gold
        by_kind = Counter(next((p.kind for p in pages if p.name in pair and p.kind != "own"),
                               "own") for pair in gold - predicted)
        print(f"  missed real pairs by planted kind: {dict(by_kind)}")
        if args.errors:
            kind = {p.name: p.kind for p in pages}
            missed = sorted(gold - predicted)[:args.errors]
            print(f"  missed real pairs (first {len(missed)}): " + ", ".join(
                f"{a} ({kind[a]}) ~ {b} ({kind[b]})" for a, b in missed))
        if args.errors and wrong:
            print(f"  wrong edges (first {args.errors}):")
            explain(wrong, store, names, args.errors)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
