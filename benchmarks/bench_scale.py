"""Scan throughput and memory at scale, next to a datasketch MinHash + MinHashLSH baseline.

Builds a JSONL corpus of N plain-text articles (default 100,000) from real texts read at run time
from ../shared/data (PolNeAR, German Wikinews, SemEval-2022 task 8 de/en) and the fixtures; nothing
is copied into the repository. The real pool holds only a few thousand texts, so most articles
are *distinct* texts made by recombining sentences of different real articles (each sentence
lightly re-worded so that no two distinct articles share a passage); a minority are synthetic
syndicated copies of earlier articles (verbatim, trimmed, credited, lightly edited, a paragraph or
two inside a new text). Some outlets carry a footer under every article (boilerplate).

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
       [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
FIXTURES = REPO / "fixtures"

SEED = 20261123
# Share of the corpus that is a synthetic copy of an earlier article.
COPY_SHARE = 0.15
# Copy kinds and their weights: verbatim, credited, trimmed, lightly edited, partial reuse.
COPY_KINDS = {"verbatim": 0.2, "credited": 0.2, "trimmed": 0.2, "edited": 0.25,
              "partial": 0.15}
# Words re-worded in every sentence of a distinct article. The pool has about 60,000 sentences,
# so at 100,000 articles each is drawn some 40 times: re-worded at 0.5, two distinct articles
# that drew the same sentence share almost no 5-shingle (at 0.3 they share a few, never a
# passage, but LSH proposes about 8 candidate pairs per article: a heavier verification load
# than a real archive gives). The corpus check after the scan counts edges between them.
REWORD_RATE = 0.5
# Words changed in a lightly edited copy (DESIGN.md: about 10% plus a new lede).
EDIT_RATE = 0.10
OUTLETS = 400
FOOTER_OUTLET_SHARE = 0.2
# Copies are drawn from this many most recent distinct articles (bounds the generator's memory).
RECENT_SOURCES = 3000
MAX_SENTENCES = 60
MIN_SENTENCE_WORDS = 4
MAX_SENTENCE_WORDS = 60
MIN_PROSE_SHARE = 0.6
MAX_PARAGRAPH_SENTENCES = 4
AGENCIES = {"de": ["dpa", "AFP", "Reuters", "APA"], "en": ["Reuters", "AP", "AFP"]}
START = datetime(2024, 1, 1, 6, 0)
BASELINE_THRESHOLD = 0.5
# Provenance resolution (lineage.py) enumerates copy paths and can take very long on dense
# copy clusters; past this many seconds the benchmark reports it unfinished and moves on.
RESOLUTION_LIMIT = 300
NUM_PERM = 128
SHINGLE = 5

_SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"“”»«’')\]]))\s+"
                             r"(?=[\"„“»«‘'(]?[A-ZÄÖÜ0-9])")
_WORD = re.compile(r"[^\W\d_]{3,}")
_DETOKENIZE = re.compile(r" ([.,;:!?)“”](?:\s|$))|([(„]) ")
_BASELINE_WORD = re.compile(r"\w+")


def _is_prose(sentence: str) -> bool:
    """A sentence worth reusing: not a scraped archive list, photo gallery or menu (long runs
    of dates and numbers that re-wording would leave intact)."""
    words = sentence.split()
    return (MIN_SENTENCE_WORDS <= len(words) <= MAX_SENTENCE_WORDS
            and sum(w.isalpha() for w in words) >= MIN_PROSE_SHARE * len(words))


# ---- the real pool ------------------------------------------------------------------------------

@dataclass
class Pool:
    """Real sentences and vocabulary per language, and paragraph shapes to imitate."""

    sentences: dict[str, list[str]] = field(default_factory=dict)
    shapes: dict[str, list[list[int]]] = field(default_factory=dict)  # sentences per paragraph
    lower: dict[str, list[str]] = field(default_factory=dict)
    upper: dict[str, list[str]] = field(default_factory=dict)
    documents: int = 0

    def add(self, language: str, text: str) -> None:
        """One real article: its paragraphs split into sentences."""
        shape = []
        for para in re.split(r"\n\s*\n|\n(?=\S)", text):
            sentences = [s.strip() for s in _SENTENCE_SPLIT.split(" ".join(para.split()))]
            sentences = [s for s in sentences if _is_prose(s)]
            self.sentences.setdefault(language, []).extend(sentences)
            for i in range(0, len(sentences), MAX_PARAGRAPH_SENTENCES):
                shape.append(len(sentences[i:i + MAX_PARAGRAPH_SENTENCES]))
        if sum(shape) >= 3:
            self.shapes.setdefault(language, []).append(shape)
            self.documents += 1
        for word in _WORD.findall(text):
            table = self.upper if word[0].isupper() else self.lower
            table.setdefault(language, []).append(word)


def real_pool() -> Pool:
    """PolNeAR (en), German Wikinews (de), SemEval de/en texts and the fixtures' texts."""
    pool = Pool()
    for path in sorted((DATA / "polnear-attribution" / "train" / "text").glob("*.txt")):
        pool.add("en", path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((DATA / "spkatt2023-task2-de-wikinews" / "train" / "task2").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        lines = [_DETOKENIZE.sub(lambda m: m.group(1) or m.group(2), " ".join(s["Tokens"]))
                 for s in doc["Sentences"]]
        pool.add("de", "\n\n".join(lines))
    seen: set[str] = set()
    for path in sorted((DATA / "semeval2022-task8-news-similarity" / "hfl-texts").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for lang, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
                    if lang in ("de", "en") and text and text not in seen:
                        seen.add(text)
                        pool.add(lang, text.replace("  ", "\n\n"))
    for path in sorted([*(SHARED / "seeds").glob("*.txt"), *(FIXTURES / "texts").glob("*.*")]):
        pool.add("de" if "harbour" not in path.name else "en", path.read_text(encoding="utf-8"))
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("text"):
            pool.add(record.get("language") or "de", record["text"])
    return pool


# ---- the synthetic corpus -----------------------------------------------------------------------

@dataclass
class Article:
    """One generated article and the family of texts it belongs to (for the corpus check)."""

    id: str
    language: str
    outlet: int
    published: datetime
    title: str
    paragraphs: list[str]
    family: str


class Corpus:
    """Generates distinct articles and syndicated copies, deterministically from `SEED`."""

    def __init__(self, pool: Pool, seed: int = SEED, reword: float = REWORD_RATE):
        self.pool, self.reword = pool, reword
        self.rng = random.Random(seed)
        languages = sorted(pool.shapes)
        self.languages = languages
        self.weights = [len(pool.sentences[lang]) for lang in languages]
        self.footers = {}
        for outlet in range(OUTLETS):
            if self.rng.random() < FOOTER_OUTLET_SHARE:
                lang = self.rng.choice(languages)
                self.footers[outlet] = " ".join(self.rng.choice(pool.sentences[lang])
                                                for _ in range(2))
        self.recent: list[Article] = []
        self.clock = START

    def _reword(self, sentence: str, language: str, rate: float) -> str:
        rng, pool = self.rng, self.pool

        def swap(m: re.Match[str]) -> str:
            if rng.random() >= rate:
                return m.group()
            table = pool.upper if m.group()[0].isupper() else pool.lower
            return rng.choice(table[language])

        return _WORD.sub(swap, sentence)

    def _paragraphs(self, language: str, limit: int = MAX_SENTENCES) -> list[str]:
        shape = self.rng.choice(self.pool.shapes[language])
        sentences = self.pool.sentences[language]
        paragraphs, used = [], 0
        for count in shape:
            if used >= limit:
                break
            count = min(count, limit - used)
            used += count
            paragraphs.append(" ".join(self._reword(self.rng.choice(sentences), language,
                                                    self.reword) for _ in range(count)))
        return paragraphs

    def _tick(self) -> datetime:
        self.clock += timedelta(minutes=self.rng.randint(1, 9))
        return self.clock

    def distinct(self, number: int) -> Article:
        """A new text made of re-worded sentences from different real articles."""
        language = self.rng.choices(self.languages, self.weights)[0]
        paragraphs = self._paragraphs(language)
        title = " ".join(paragraphs[0].split()[:10]).rstrip(".,;:")
        art = Article(f"a{number:07d}", language, self.rng.randrange(OUTLETS), self._tick(),
                      title, paragraphs, f"a{number:07d}")
        self.recent.append(art)
        if len(self.recent) > RECENT_SOURCES:
            self.recent.pop(0)
        return art

    def copy(self, number: int) -> tuple[Article, str]:
        """A syndicated copy of a recent article, and its kind."""
        rng = self.rng
        source = rng.choice(self.recent)
        kind = rng.choices(list(COPY_KINDS), list(COPY_KINDS.values()))[0]
        paragraphs = list(source.paragraphs)
        lang = source.language
        agency = rng.choice(AGENCIES.get(lang, AGENCIES["en"]))
        if kind == "credited":
            if rng.random() < 0.5:
                paragraphs[0] = f"Berlin ({agency}) - {paragraphs[0]}" if lang == "de" \
                    else f"WASHINGTON ({agency}) - {paragraphs[0]}"
            else:
                paragraphs.append(f"Mit Material von {agency}" if lang == "de"
                                  else f"Additional reporting by {agency}.")
        elif kind == "trimmed" and len(paragraphs) > 1:
            keep = max(1, round(len(paragraphs) * rng.uniform(0.5, 0.8)))
            paragraphs = paragraphs[:keep]
        elif kind == "edited":
            paragraphs = [self._reword(p, lang, EDIT_RATE) for p in paragraphs]
            paragraphs.insert(0, self._reword(rng.choice(self.pool.sentences[lang]), lang,
                                              self.reword))
        elif kind == "partial":
            host = self._paragraphs(lang, MAX_SENTENCES // 2)
            start = rng.randrange(len(paragraphs))
            borrowed = paragraphs[start:start + rng.randint(1, 2)]
            at = rng.randint(1, max(1, len(host)))
            paragraphs = host[:at] + borrowed + host[at:]
        published = source.published + timedelta(minutes=rng.randint(20, 2880))
        title = source.title if kind != "edited" else " ".join(paragraphs[0].split()[:10])
        return Article(f"c{number:07d}", lang, rng.randrange(OUTLETS), published, title,
                       paragraphs, source.family), kind

    def articles(self, n: int) -> Iterator[tuple[Article, str]]:
        """n articles, copies interleaved with the distinct texts they copy."""
        for number in range(n):
            if number > 20 and self.rng.random() < COPY_SHARE:
                yield self.copy(number)
            else:
                yield self.distinct(number), "distinct"

    def record(self, art: Article) -> dict:
        """The JSONL record of an article (its outlet's footer appended)."""
        paragraphs = list(art.paragraphs)
        if art.outlet in self.footers:
            paragraphs.append(self.footers[art.outlet])
        return {"id": art.id, "url": f"https://www.outlet{art.outlet:03d}.example/{art.id}",
                "title": art.title, "published": art.published.strftime("%Y-%m-%dT%H:%M:00Z"),
                "language": art.language, "text": "\n\n".join(paragraphs)}


def write_corpus(path: Path, n: int, pool: Pool, reword: float = REWORD_RATE
                 ) -> tuple[dict[str, str], dict[str, int]]:
    """Write n articles to a JSONL file; returns each article's family and the kinds' counts."""
    corpus = Corpus(pool, reword=reword)
    families: dict[str, str] = {}
    kinds: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as fh:
        for art, kind in corpus.articles(n):
            families[art.id] = art.family
            kinds[kind] = kinds.get(kind, 0) + 1
            fh.write(json.dumps(corpus.record(art), ensure_ascii=False) + "\n")
    return families, kinds


# ---- measurements (each in a fresh interpreter, so that peak RSS is its own) -------------------

def _peak_rss() -> dict:
    """Peak resident set size in MB of this process and of its (waited-for) children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_mb": round(own, 1), "children_rss_mb": round(children, 1)}


def child_baseline(feed: Path) -> dict:
    """datasketch alone: word 5-shingles, MinHash.update_batch, MinHashLSH query + insert."""
    from datasketch import MinHash, MinHashLSH

    template = MinHash(num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=NUM_PERM)
    spent, n, hits = 0.0, 0, 0
    with feed.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            started = time.perf_counter()
            words = _BASELINE_WORD.findall(record["text"].lower())
            shingles = [" ".join(words[i:i + SHINGLE]).encode("utf-8")
                        for i in range(max(1, len(words) - SHINGLE + 1))]
            mh = MinHash(num_perm=NUM_PERM, permutations=template.permutations,
                         scheme=template.scheme)
            mh.update_batch(shingles)
            hits += bool(lsh.query(mh))
            lsh.insert(record["id"], mh)
            spent += time.perf_counter() - started
            n += 1
    return {"articles": n, "seconds": spent, "with_candidates": hits, **_peak_rss()}


class _ResolutionTimeout(Exception):
    pass


_PEAKS: dict[str, float] = {}


def _limit_resolution(seconds: int) -> None:
    """Give provenance resolution (the scan's last stage) at most `seconds`: if it runs longer,
    the benchmark records that it did not finish instead of waiting for it."""
    from provenance.outputs import assemble as audit

    resolve = audit.resolve_provenance

    def on_alarm(*_args):
        raise _ResolutionTimeout

    def limited(store, run_id):
        _PEAKS["before_resolution_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(seconds)
        try:
            return resolve(store, run_id)
        except _ResolutionTimeout:
            return {"unfinished_after_s": seconds}
        finally:
            signal.alarm(0)

    audit.resolve_provenance = limited


def child_scan(feed: Path, db: Path, workers: int, resolution_limit: int) -> dict:
    """`provenance scan` of the feed into a new database, with its counts and timings."""
    sys.path.insert(0, str(REPO))
    from provenance import ScanConfig, Store, scan

    _limit_resolution(resolution_limit)
    started = time.perf_counter()
    with Store(db) as store:
        result = scan(ScanConfig(paths=[feed], workers=workers), store)
    return {"seconds": time.perf_counter() - started, "counts": result.counts,
            "db_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6),
            **_peak_rss(), **_PEAKS}


def run_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed (JSON)."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- the check of the corpus and the report -----------------------------------------------------

def corpus_check(db: Path, families: dict[str, str]) -> dict:
    """Copy edges between articles that share no text by construction, and copies found."""
    import sqlite3

    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT s.external_id, c.external_id, e.kind FROM copy_edge e "
        "JOIN article s ON s.id = e.source_id JOIN article c ON c.id = e.copy_id").fetchall()
    con.close()
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


def report(n: int, base: dict, run: dict, check: dict, kinds: dict[str, int], mb: float) -> None:
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
    print(f"provenance scan, whole (wall clock, {workers} worker(s))             : "
          f"{whole:9.0f} articles/s  ({run['seconds']:.1f} s)  ratio to baseline "
          f"{whole / baseline:.2f}")
    print("  stage                                   seconds   articles/s")
    rows = [("read (main process)", "read", 1),
            ("extract (per worker)", "extract", workers),
            ("citations (per worker)", "citations", workers),
            ("fingerprint (per worker)", "fingerprint", workers),
            ("DB write (main process)", "write", 1),
            ("copy: boilerplate", "boilerplate", 1),
            ("copy: candidates (index + buckets)", "candidates", 1),
            ("copy: verification", "verify", 1),
            ("copy: stories", "stories", 1),
            ("provenance resolution", "provenance", 1)]
    for label, key, divide in rows:
        seconds = timings.get(key, 0.0)
        note = f"  (summed {seconds:.1f} s / {divide})" if divide > 1 else ""
        print(f"  {label:38s} {seconds / divide:8.1f}  {rate(counts['read'], seconds / divide)}"
              f"{note}")
    if isinstance(counts.get("provenance"), dict) and "unfinished_after_s" in counts["provenance"]:
        print(f"  provenance resolution did not finish within "
              f"{counts['provenance']['unfinished_after_s']} s (stopped; not in the ratio's "
              "favour: its time is counted)")
    copies = counts.get("copies", {})
    print(f"  copy phase: {copies.get('candidate_pairs', 0):,} candidate pairs, "
          f"{copies.get('copy_edges', 0):,} edges {copies.get('edges_by_kind', {})}, "
          f"{copies.get('stories', 0):,} stories")
    print(f"load average before / after: {run['load'][0]:.1f} / {run['load'][1]:.1f} "
          "(other work on the machine slows the scan more than the one-core baseline)")
    print(f"peak RSS: scan process {run['rss_mb']:.0f} MB "
          f"({run.get('before_resolution_mb', 0):.0f} MB up to provenance resolution), "
          f"largest worker {run['children_rss_mb']:.0f} MB; database {run['db_mb']} MB")
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
    parser.add_argument("--workdir", type=Path, help="where to write the corpora and databases")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and databases")
    parser.add_argument("--resolution-limit", type=int, default=RESOLUTION_LIMIT,
                        help="seconds after which provenance resolution is reported unfinished")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "baseline":
            result = child_baseline(Path(rest[0]))
        else:
            result = child_scan(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]))
        print(json.dumps(result))
        return 0
    if not DATA.is_dir():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.workdir))
    started = time.perf_counter()
    pool = real_pool()
    print(f"real pool: {pool.documents:,} articles, "
          + ", ".join(f"{lang} {len(s):,} sentences" for lang, s in sorted(pool.sentences.items()))
          + f" ({time.perf_counter() - started:.1f} s); {os.cpu_count()} cores")
    try:
        for n in args.articles:
            feed, db = workdir / f"corpus-{n}.jsonl", workdir / f"scan-{n}.db"
            families, kinds = write_corpus(feed, n, pool, args.reword)
            load = os.getloadavg()[0]
            base = run_child("baseline", str(feed))
            run = run_child("scan", str(feed), str(db), str(args.workers),
                            str(args.resolution_limit))
            run["load"] = (load, os.getloadavg()[0])
            check = corpus_check(db, families)
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
