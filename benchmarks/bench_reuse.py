"""The graded reuse benchmark: does `provenance check` find a source through human revision?

For every real source article of benchmarks/reuse_set/ (read at run time from ../shared/data:
fundus and trafilatura-eval pages extracted the way provenance extracts them, SemEval-2022
task 8 texts) there are four grades of draft:

  cut          parts of the source verbatim, inside framing sentences we wrote;
  light        a revision whose every edit was chosen by hand (10-30% of the words changed:
               synonyms, reordered and merged/split sentences, dropped sentences);
  heavy        the facts retold in our own words (stored as our text);
  independent  another text on the same event: the other side of a SemEval same-story pair
               (a real, independently written article) or, where none exists, our own text.

No third-party text is stored: `cut` and `light` are edit scripts over the source's sentences
(format in benchmarks/reuse_set/README.md), applied here to the text read from ../shared/data.

The benchmark scans an archive of every source plus real distractor articles (other fundus and
trafilatura-eval pages, other SemEval texts) into a temporary database, checks every draft and
prints by grade: source among the matches / top match, originality quartiles, the AUC of
originality (reused drafts lower than independent ones), and the median check time; then the
same figures for the naive baseline on the same archive texts (datasketch MinHashLSH at 0.8 on
word 5-shingles; originality = 1 - the best estimated Jaccard).

Usage: python3 benchmarks/bench_reuse.py [--distractors 600] [--errors N] [--only ID ...]
       python3 benchmarks/bench_reuse.py --show ID     (source sentences, word indices)
       python3 benchmarks/bench_reuse.py --drafts ID   (the drafts as applied)
"""

from __future__ import annotations

import argparse
import csv
import difflib
import functools
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SET_DIR = REPO / "benchmarks" / "reuse_set"
FUNDUS = DATA / "fundus-news-html" / "test_data"
TRAFILATURA = DATA / "trafilatura-eval"
SEMEVAL = DATA / "semeval2022-task8-news-similarity" / "hfl-texts"

GRADES = ("cut", "light", "heavy", "independent")
DATASETS = ("fundus", "trafilatura", "semeval")
LANGUAGES = ("en", "de")
LIGHT_RANGE = (0.10, 0.30)  # share of a light draft's words that differ from the source
DISTRACTOR_LANGS = ("en", "de")

# Sentence ends: after . ! ? … (optionally closing quotes/brackets) before an upper-case letter,
# digit or opening quote. Paragraphs (lines) always end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"“”»«’')\]]*)\s+(?=[\"„“»«‘'(]?[A-ZÄÖÜ0-9])")
_WORD = re.compile(r"\w+")


# ---- sources ------------------------------------------------------------------------------------

@functools.cache
def semeval_rows() -> dict[str, dict]:
    """SemEval-2022 task 8 rows with texts (hfl-texts), by pair id; the later file wins."""
    rows: dict[str, dict] = {}
    for name in ("training_set.csv.gz", "testing_set.csv.gz"):
        with gzip.open(SEMEVAL / name, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                rows.setdefault(row["pair_id"], row)
    return rows


@functools.cache
def _fundus_urls(country: str) -> dict[str, str]:
    """File name -> url of one fundus country folder."""
    meta = json.loads((FUNDUS / country / "meta.info").read_text(encoding="utf-8"))
    return {name: entry["url"] for name, entry in meta.items()}


@functools.cache
def _trafilatura_urls() -> dict[str, str]:
    """File name (as stored, .gz) -> url of the trafilatura-eval pages."""
    data = json.loads((TRAFILATURA / "evaldata.json").read_text(encoding="utf-8"))
    return {entry["file"] + ".gz": url for url, entry in data.items()}


def _read_gz(path: Path) -> str:
    """A gzipped page as text (bytes decoded the lenient way)."""
    raw = gzip.decompress(path.read_bytes())
    from provenance.inputs.decode import decode
    text, _warnings = decode(raw, html=True)
    return text


def source_record(spec: dict) -> dict:
    """The archive record of a source spec: a JSONL row with `html` or `text` (no id)."""
    dataset = spec["dataset"]
    if dataset == "semeval":
        row = semeval_rows()[spec["pair"]]
        return {"text": row[f"text{spec['side']}"], "language": row[f"lang{spec['side']}"]}
    if dataset == "fundus":
        country, name = spec["file"].split("/", 1)
        return {"html": _read_gz(FUNDUS / spec["file"]), "url": _fundus_urls(country)[name]}
    if dataset == "trafilatura":
        folder = "cache" if (TRAFILATURA / "cache" / spec["file"]).exists() else "eval"
        return {"html": _read_gz(TRAFILATURA / folder / spec["file"]),
                "url": _trafilatura_urls().get(spec["file"])}
    raise ValueError(f"unknown dataset {dataset}")


@functools.cache
def _source_text_cached(key: str) -> str:
    """Article text of a source spec (JSON key), extracted the way provenance extracts it."""
    from provenance.extract import extract_html, extract_plain
    record = source_record(json.loads(key))
    if "html" in record:
        return extract_html(record["html"], url=record.get("url")).text
    return extract_plain(record["text"]).text


def source_text(spec: dict) -> str:
    """The article text of a source (provenance's extraction of the page or text)."""
    return _source_text_cached(json.dumps(spec, sort_keys=True))


def split_sentences(text: str) -> list[str]:
    """Deterministic sentences: every line, split after sentence-final punctuation."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _SENTENCE_END.finditer(line):
            out.append(line[start:m.end(1)].strip())
            start = m.end()
        out.append(line[start:].strip())
    return [s for s in out if s]


def data_present() -> bool:
    """Whether ../shared/data holds the three datasets the set reads."""
    return FUNDUS.is_dir() and TRAFILATURA.is_dir() and SEMEVAL.is_dir()


# ---- the set files ------------------------------------------------------------------------------

def load_set(directory: Path = SET_DIR) -> list[dict]:
    """Every entry of the set (one JSON file per source), sorted by id."""
    entries = [json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(directory.glob("*.json"))]
    return sorted(entries, key=lambda e: e["id"])


@dataclass
class Applied:
    """A draft made by applying an edit script: the text and how much of it is changed."""

    text: str
    words: int  # words of the draft
    changed: int  # draft words that are not the source's word at that place
    inserted: int  # of those, words of inserted (our own) sentences
    sources: list[int]  # source sentences used


def _edit_words(words: list[str], edits: list) -> tuple[list[str], int]:
    """Apply [start, count, "new words"] edits (indices into the original words, applied from
    the right so they stay valid); the edited words and how many of them differ."""
    new = list(words)
    for start, count, replacement in sorted(edits, key=lambda e: (-e[0], -e[1])):
        if start < 0 or count < 0 or start + count > len(words):
            raise ValueError(f"edit {[start, count, replacement]} outside {len(words)} words")
        new[start:start + count] = replacement.split()
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in words],
                                      b=[w.lower() for w in new], autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return new, len(new) - same


def apply_script(sentences: list[str], script: list[dict]) -> Applied:
    """A draft from an edit script over the source sentences (format: reuse_set/README.md).

    Items, in draft order: {"insert": "our text"} (a sentence we wrote; "\\n" in it or a
    separate {"paragraph": true} starts a paragraph), {"keep": [i, j]} (source sentences as
    they are), {"s": i or [i, j], "edit": [[word, count, "new words"], ...]} (source sentences
    joined into one word list, then edited: replace `count` words from `word` on, 0 = insert,
    "" = delete; merges and splits are edits at the joint)."""
    paragraphs: list[list[str]] = [[]]
    words = changed = inserted = 0
    used: list[int] = []
    for item in script:
        if item.get("paragraph"):
            paragraphs.append([])
            continue
        if "insert" in item:
            n = len(item["insert"].split())
            words, changed, inserted = words + n, changed + n, inserted + n
            paragraphs[-1].append(item["insert"])
            continue
        if "keep" in item:
            for i in item["keep"]:
                paragraphs[-1].append(sentences[i])
                words += len(sentences[i].split())
                used.append(i)
            continue
        ids = item["s"] if isinstance(item["s"], list) else [item["s"]]
        original = [w for i in ids for w in sentences[i].split()]
        new, diff = _edit_words(original, item.get("edit", []))
        paragraphs[-1].append(" ".join(new))
        words, changed = words + len(new), changed + diff
        used.extend(ids)
    text = "\n\n".join(" ".join(p) for p in paragraphs if p)
    return Applied(text, words, changed, inserted, used)


def drafts_of(entry: dict) -> list[tuple[str, str, str, Applied | None]]:
    """(grade, name, text, applied script or None) of every draft of an entry."""
    sentences = split_sentences(source_text(entry["source"]))
    out = []
    for grade in ("cut", "light"):
        applied = apply_script(sentences, entry[grade])
        out.append((grade, grade, applied.text, applied))
    out.append(("heavy", "heavy", entry["heavy"], None))
    for k, indep in enumerate(entry["independent"]):
        if "text" in indep:
            out.append(("independent", f"independent{k}:own", indep["text"], None))
        else:
            text = source_record({"dataset": "semeval", **indep["semeval"]})["text"]
            out.append(("independent", f"independent{k}:semeval", text, None))
    return out


# ---- the archive --------------------------------------------------------------------------------

def _distractor_records(n: int, exclude_semeval: set[str]) -> list[dict]:
    """n real articles that are none of the set's texts: fundus and trafilatura pages first
    (every other page, in name order), then SemEval en/de texts."""
    from provenance.extract import ExtractionError, extract_html
    records = []
    pages = [("fundus", p) for p in sorted(FUNDUS.glob("*/*.html.gz"))]
    pages += [("trafilatura", p) for p in sorted((TRAFILATURA / "eval").glob("*.gz"))]
    for dataset, path in pages[::2]:
        if len(records) >= n // 2:
            break
        if dataset == "fundus":
            url = _fundus_urls(path.parent.name).get(path.name)
        else:
            url = _trafilatura_urls().get(path.name)
        html = _read_gz(path)
        try:
            extract_html(html, url=url)
        except ExtractionError:
            continue
        records.append({"id": f"dis:{dataset}:{path.name}", "html": html, "url": url})
    seen: set[str] = set()
    for pair_id, row in sorted(semeval_rows().items()):
        for side in ("1", "2"):
            article = pair_id.split("_")[int(side) - 1]
            if len(records) >= n:
                return records
            if (row[f"lang{side}"] in DISTRACTOR_LANGS and article not in exclude_semeval
                    and article not in seen and len(row[f"text{side}"]) > 400):
                seen.add(article)
                records.append({"id": f"dis:semeval:{article}", "text": row[f"text{side}"]})
    return records


def _set_semeval_articles(entries: list[dict]) -> set[str]:
    """SemEval article ids used by the set (sources and independent texts)."""
    found = set()
    for e in entries:
        specs = [e["source"]] + [i["semeval"] for i in e["independent"] if "semeval" in i]
        for spec in specs:
            if spec.get("dataset", "semeval") == "semeval" and "pair" in spec:
                found.add(spec["pair"].split("_")[int(spec["side"]) - 1])
    return found


def build_archive(entries: list[dict], distractors: int, workdir: Path) -> Path:
    """Scan every source and the distractors into workdir/archive.db; its path."""
    from provenance import ScanConfig, Store, scan
    feed = workdir / "archive.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps({"id": f"src:{e['id']}", **source_record(e["source"])},
                                ensure_ascii=False) + "\n")
        extra = _distractor_records(distractors, _set_semeval_articles(entries))
        for record in extra:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = workdir / "archive.db"
    started = time.perf_counter()
    with Store(db) as store:
        result = scan(ScanConfig(paths=[feed]), store)
    print(f"archive: {len(entries)} sources + {len(extra)} distractors scanned in "
          f"{time.perf_counter() - started:.0f} s (status {result.status}, read "
          f"{result.counts.get('read')}, failed {result.counts.get('failed')}, copy edges "
          f"{result.counts.get('copies', {}).get('copy_edges')})")
    return db


# ---- the naive baseline -------------------------------------------------------------------------

BASELINE_THRESHOLD = 0.8  # datasketch MinHashLSH, as in the other benchmarks' naive baseline
BASELINE_PERM = 128
BASELINE_SHINGLE = 5


def _minhash(text: str):
    """A datasketch MinHash of the text's lower-cased word 5-shingles."""
    from datasketch import MinHash
    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {" ".join(words[i:i + BASELINE_SHINGLE]).encode("utf-8")
                for i in range(max(1, len(words) - BASELINE_SHINGLE + 1))}
    mh = MinHash(num_perm=BASELINE_PERM, seed=1)
    mh.update_batch(list(shingles))
    return mh


def run_baseline(entries: list[dict], db: Path) -> list[Outcome]:
    """The naive baseline on the same archive texts: a draft reuses the archive articles an LSH
    at Jaccard 0.8 returns; its originality is 1 minus the highest estimated Jaccard."""
    from datasketch import MinHashLSH

    from provenance import Store
    with Store(db, create=False) as store:
        articles = store.texts([a.id for a in store.articles()])
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=BASELINE_PERM)
    hashes = {}
    for article in articles:
        hashes[article.external_id] = _minhash(article.text)
        lsh.insert(article.external_id, hashes[article.external_id])
    outcomes = []
    for e in entries:
        want = f"src:{e['id']}"
        for grade, name, text, _applied in drafts_of(e):
            started = time.perf_counter()
            mh = _minhash(text)
            found = sorted(lsh.query(mh), key=lambda a: -mh.jaccard(hashes[a]))
            seconds = time.perf_counter() - started
            best = mh.jaccard(hashes[found[0]]) if found else 0.0
            outcomes.append(Outcome(e["id"], e["language"], grade, name, 1.0 - best,
                                    want in found, bool(found) and found[0] == want,
                                    len(found), seconds))
    return outcomes


# ---- measuring ----------------------------------------------------------------------------------

def auc(positives: list[float], negatives: list[float]) -> float:
    """P(a positive scores lower than a negative), ties half: originality of reused drafts
    (positives) against independent texts (negatives)."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p < n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _quartiles(values: list[float]) -> str:
    """min / q1 / median / q3 / max of a list."""
    if len(values) < 2:
        return " ".join(f"{v:.2f}" for v in values)
    q = statistics.quantiles(values, n=4, method="inclusive")
    return f"{min(values):.2f} / {q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f} / {max(values):.2f}"


@dataclass
class Outcome:
    """One checked draft."""

    entry: str
    language: str
    grade: str
    name: str
    originality: float
    found: bool  # the source is among the matches
    top: bool  # the source is the top match
    matches: int
    seconds: float


def run_checks(entries: list[dict], db: Path) -> list[Outcome]:
    """Check every draft of every entry against the archive."""
    from provenance import Store
    from provenance.check import check
    from provenance.citations import Registry
    from provenance.inputs import RawRecord
    registry = Registry.load()
    outcomes = []
    with Store(db, create=False) as store:
        for e in entries:
            want = f"src:{e['id']}"
            for grade, name, text, _applied in drafts_of(e):
                record = RawRecord("-", "-", None, "text", "text", text)
                started = time.perf_counter()
                result = check(store, record, registry)
                seconds = time.perf_counter() - started
                ids = [m.article["external_id"] for m in result.matches]
                outcomes.append(Outcome(e["id"], e["language"], grade, name, result.originality,
                                        want in ids, bool(ids) and ids[0] == want, len(ids),
                                        seconds))
    return outcomes


def report(outcomes: list[Outcome], errors: int) -> None:
    """Print the figures by grade."""
    by = {g: [o for o in outcomes if o.grade == g] for g in GRADES}
    print(f"\n{'grade':<12} {'drafts':>6} {'found':>11} {'top':>11}   originality "
          "min / q1 / median / q3 / max")
    for g in GRADES:
        rows = by[g]
        found, top = sum(o.found for o in rows), sum(o.top for o in rows)
        label = "(any match)" if g == "independent" else ""
        if g == "independent":
            found = top = sum(o.matches > 0 for o in rows)
        print(f"{g:<12} {len(rows):>6} {found:>4}/{len(rows):<3} {found / max(1, len(rows)):.0%}"
              f" {top:>4}/{len(rows):<3} {top / max(1, len(rows)):.0%}   "
              f"{_quartiles([o.originality for o in rows])} {label}")
    reused = by["cut"] + by["light"] + by["heavy"]
    print(f"\nsource found (among matches), reused drafts: "
          f"{sum(o.found for o in reused)}/{len(reused)}; cut+light: "
          f"{sum(o.found for o in by['cut'] + by['light'])}/{len(by['cut'] + by['light'])}")
    indep = [o.originality for o in by["independent"]]
    print(f"originality AUC cut+light vs independent: "
          f"{auc([o.originality for o in by['cut'] + by['light']], indep):.4f}")
    for g in ("cut", "light", "heavy"):
        print(f"originality AUC {g:<5} vs independent: "
              f"{auc([o.originality for o in by[g]], indep):.4f}")
    for lang in LANGUAGES:
        rows = [o for o in outcomes if o.language == lang]
        parts = [f"{g} {sum(o.found for o in rows if o.grade == g)}/"
                 f"{sum(o.grade == g for o in rows)}" for g in ("cut", "light", "heavy")]
        print(f"source found, {lang}: " + ", ".join(parts))
    times = sorted(o.seconds for o in outcomes)
    print(f"time per draft: median {statistics.median(times) * 1000:.1f} ms, p90 "
          f"{times[int(0.9 * (len(times) - 1))] * 1000:.1f} ms over {len(times)} drafts")
    if errors:
        for grade in ("cut", "light", "heavy"):
            missed = [o for o in by[grade] if not o.found]
            print(f"\n{grade} drafts whose source was not found ({len(missed)}):")
            for o in missed[:errors]:
                print(f"  {o.entry:<30} originality {o.originality:.2f} matches {o.matches}")
        falses = sorted((o for o in outcomes if o.grade == "independent"),
                        key=lambda o: o.originality)
        print("independent texts with the lowest originality:")
        for o in falses[:errors]:
            print(f"  {o.entry:<28} {o.name:<22} originality {o.originality:.2f} "
                  f"matches {o.matches}")


def light_shares(entries: list[dict]) -> list[tuple[str, float, Applied]]:
    """(id, share of changed words, applied) of every light draft."""
    out = []
    for e in entries:
        applied = apply_script(split_sentences(source_text(e["source"])), e["light"])
        out.append((e["id"], applied.changed / max(1, applied.words), applied))
    return out


def _show(entry: dict) -> None:
    """Print the source sentences with word indices (to write edit scripts)."""
    for i, sentence in enumerate(split_sentences(source_text(entry["source"]))):
        print(f"[{i}] " + " ".join(f"{k}:{w}" for k, w in enumerate(sentence.split())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=600)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="entry ids to run (default: all)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, help="write every draft's outcome to this file")
    parser.add_argument("--shares", action="store_true",
                        help="print the share of changed words of every light draft")
    parser.add_argument("--show", help="print an entry's source sentences with word indices")
    parser.add_argument("--drafts", help="print an entry's drafts as applied")
    args = parser.parse_args()
    if not data_present():
        print("../shared/data is not present; nothing to measure", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPO))
    entries = load_set()
    by_id = {e["id"]: e for e in entries}
    if args.show or args.drafts:
        entry = by_id[args.show or args.drafts]
        if args.show:
            _show(entry)
        else:
            for _grade, name, text, _applied in drafts_of(entry):
                print(f"--- {name}\n{text}\n")
        return 0
    if args.only:
        entries = [by_id[i] for i in args.only]
    shares = light_shares(entries)
    print(f"{len(entries)} sources ({sum(e['language'] == 'de' for e in entries)} de); light "
          f"drafts: changed words {_quartiles([s for _i, s, _a in shares])} "
          "(min / q1 / median / q3 / max)")
    if args.shares:
        for entry_id, share, applied in shares:
            print(f"  {entry_id:<32} {share:.3f} ({applied.changed}/{applied.words} words)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-reuse-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = build_archive(entries, args.distractors, workdir)
    outcomes = run_checks(entries, db)
    print("\n== provenance check ==")
    report(outcomes, args.errors)
    print(f"\n== naive baseline: datasketch MinHashLSH at {BASELINE_THRESHOLD}, word "
          f"{BASELINE_SHINGLE}-shingles, {BASELINE_PERM} permutations, same archive texts ==")
    report(run_baseline(entries, db), 0)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
