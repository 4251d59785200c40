"""Quality of copy detection on a labelled corpus of real texts and synthetic syndicated copies.

Reads real article bodies from ../shared (never copied into the repository): the seeds, German
Wikinews (SpkAtt 2023), English PolNeAR and multilingual SemEval-2022 task 8 texts. From some of
them it derives copies of each kind (re-wrapped, credited, trimmed, lightly edited, heavily
rewritten, two paragraphs inside another text), gives a few synthetic outlets a shared footer,
then runs candidate generation (an in-memory index over the LSH keys), verification with
per-outlet boilerplate, direction and stories, and prints the figures next to the naive baseline
(datasketch MinHashLSH at threshold 0.8 + connected components) run on the same signatures.

Usage: .venv/bin/python benchmarks/bench_match_quality.py [--shared ../shared] [--originals 240]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import random
import re
import sys
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from provenance.copies.fingerprint import (  # noqa: E402
    Fingerprint,
    FingerprintParams,
    fingerprint_many,
    to_minhash,
)
from provenance.copies.match import (  # noqa: E402
    cluster_stories,
    direct,
    learn_boilerplate,
    verify,
)

RNG_SEED = 20240611
# Keys shared by more documents than this are stop-keys and propose no pairs (the store should
# apply the same cap when it queries its key table).
MAX_BUCKET = 64
BASELINE_THRESHOLD = 0.8
LIGHT_EDIT_RATE = 0.10
HEAVY_EDIT_RATE = 0.35
UNDATED_SHARE = 0.08
DATE_ONLY_SHARE = 0.10
FOOTER_OUTLETS = 4
FOOTER_DOCS_PER_OUTLET = 40
COPY_KINDS = ("rewrap", "credit", "trim", "light")
EXPECTED_KIND = {"rewrap": "exact", "credit": "near_duplicate", "trim": "near_duplicate",
                 "light": "near_duplicate", "partial": "partial"}

# Our own footer prose (one per synthetic outlet), about 45 words each.
FOOTERS = [
    "Abonnieren Sie unseren kostenlosen Newsletter und erhalten Sie jeden Morgen die wichtigsten "
    "Meldungen aus Politik, Wirtschaft und Kultur direkt in Ihr Postfach. Sie können sich "
    "jederzeit mit einem Klick wieder abmelden. Hinweis der Redaktion: Kommentare werden vor der "
    "Veröffentlichung geprüft und erscheinen nicht sofort.",
    "Sign up for our daily briefing to get the top stories of the day delivered to your inbox "
    "every morning before breakfast. Editor's note: this article has been updated to reflect new "
    "information as it became available. Readers can reach the newsroom with corrections at any "
    "time through the contact form.",
    "Unterstützen Sie unabhängigen Journalismus aus der Region: Mit einem Digital-Abo lesen Sie "
    "alle Artikel ohne Werbung auf jedem Gerät und sichern die Arbeit unserer Lokalredaktion. "
    "Alle Rechte vorbehalten, Vervielfältigung nur mit schriftlicher Genehmigung des Verlags "
    "und unter Angabe der Quelle.",
    "This story is part of our ongoing coverage and will be updated as more details emerge from "
    "officials on the ground. Follow our live blog for the latest developments, and download the "
    "mobile app to receive breaking news alerts about the stories that matter most to your "
    "community and family.",
]
CREDITS = {"de": ("(dpa) - ", "Mit Material von AFP und Reuters."),
           "en": ("(AP) — ", "The Associated Press contributed to this report.")}


@dataclass
class Doc:
    id: str
    text: str
    source: str
    lang: str
    outlet: str
    published: datetime | None = None
    family: str | None = None
    role: str = "distractor"
    fp: Fingerprint | None = None
    extra: dict = field(default_factory=dict)


# --- loading ------------------------------------------------------------------------------------


def detokenize(tokens: list[str]) -> str:
    """Join Wikinews tokens into plain text with conventional spacing."""
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    return re.sub(r"([(\[„]) ", r"\1", text)


def load_wikinews(shared: Path) -> list[tuple[str, str]]:
    """German Wikinews bodies: sentences grouped three to a paragraph."""
    out = []
    for path in sorted((shared / "data/spkatt2023-task2-de-wikinews/train/task2").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sents = [detokenize(s["Tokens"]) for s in data["Sentences"]]
        paras = ["\n".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        out.append((f"wikinews:{path.name.split(' ')[0]}", "\n\n".join(paras)))
    return out


def load_polnear(shared: Path) -> list[tuple[str, str]]:
    """English PolNeAR bodies (2015-2016 US politics: many same-topic hard negatives)."""
    folder = shared / "data/polnear-attribution/train/text"
    paths = sorted(folder.glob("*.txt"))
    return [(f"polnear:{p.stem}", p.read_text(encoding="utf-8")) for p in paths]


def load_semeval(shared: Path) -> list[dict]:
    """SemEval-2022 task 8 pairs with texts (both files, duplicates removed by pair id)."""
    csv.field_size_limit(1 << 30)
    rows = {}
    for name in ("training_set", "testing_set"):
        path = shared / f"data/semeval2022-task8-news-similarity/hfl-texts/{name}.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                rows[row["pair_id"]] = row
    return [rows[k] for k in sorted(rows)]


def load_semeval_domains(shared: Path) -> dict[str, str]:
    """Article id -> site, from the official SemEval URL files (for per-outlet boilerplate)."""
    domains = {}
    folder = shared / "data/semeval2022-task8-news-similarity/official-labels-urls"
    for path in sorted(folder.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for article_id, link in zip(row["pair_id"].split("_"), (row["link1"],
                                            row["link2"]), strict=True):
                    host = urlsplit(link).netloc.lower().removeprefix("www.")
                    if host:
                        domains[article_id] = host
    return domains


# --- synthetic copies ---------------------------------------------------------------------------

WORD = re.compile(r"\w+")
SENT = re.compile(r"(?<=[.!?。])\s+")


def random_words(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def edit_words(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    """Substitute (60%), delete (20%) or follow with an inserted word (20%) a share of words."""
    out, pos = [], 0
    for m in WORD.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        r = rng.random()
        if r < rate * 0.6:
            out.append(rng.choice(vocab))
        elif r < rate * 0.8:
            out.append("")
        elif r < rate:
            out.append(m.group() + " " + rng.choice(vocab))
        else:
            out.append(m.group())
    out.append(text[pos:])
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def rewrap(text: str) -> str:
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 64, break_long_words=False,
                                     break_on_hyphens=False) for p in paragraphs(text))


def credit(text: str, lang: str) -> str:
    head, tail = CREDITS.get(lang, CREDITS["en"])
    return head + text.strip() + "\n\n" + tail


def trim(text: str, rng: random.Random) -> str:
    words = WORD.findall(text)
    keep = rng.uniform(0.3, 0.6)
    sents = SENT.split(text)
    out, count = [], 0
    for s in sents:
        out.append(s)
        count += len(WORD.findall(s))
        if count >= keep * len(words):
            break
    return " ".join(out)


def light(text: str, rng: random.Random, vocab: list[str]) -> str:
    """New headline, the first sentence replaced by a new lede, 10% of the words edited."""
    sents = SENT.split(text.strip(), maxsplit=1)
    body = sents[1] if len(sents) > 1 else text
    lede = random_words(rng, vocab, 25) + "."
    return random_words(rng, vocab, 8) + "\n\n" + lede + " " + edit_words(
        body, LIGHT_EDIT_RATE, rng, vocab)


def heavy(text: str, rng: random.Random, vocab: list[str]) -> str:
    sents = SENT.split(" ".join(text.split()))
    rng.shuffle(sents)
    return random_words(rng, vocab, 8) + "\n\n" + edit_words(
        " ".join(sents), HEAVY_EDIT_RATE, rng, vocab)


def passage_of(text: str, rng: random.Random) -> str | None:
    """Two consecutive paragraphs of 40-160 words, else a run of sentences of about 70 words."""
    paras = paragraphs(text)
    pairs = [i for i in range(len(paras) - 1)
             if 40 <= len(WORD.findall(paras[i] + " " + paras[i + 1])) <= 160]
    if pairs:
        i = rng.choice(pairs)
        return paras[i] + "\n\n" + paras[i + 1]
    sents = SENT.split(" ".join(text.split()))
    for start in rng.sample(range(len(sents)), len(sents)):
        chunk, n = [], 0
        for s in sents[start:]:
            chunk.append(s)
            n += len(WORD.findall(s))
            if n >= 60:
                return " ".join(chunk) if n <= 160 else None
    return None


def insert_passage(host: str, passage: str) -> tuple[str, int, int]:
    paras = paragraphs(host)
    cut = max(1, len(paras) // 2)
    before = "\n\n".join(paras[:cut]) + "\n\n"
    text = before + passage + "\n\n" + "\n\n".join(paras[cut:])
    return text, len(before), len(before) + len(passage)


# --- corpus -------------------------------------------------------------------------------------


def lang_of(doc_id: str) -> str:
    return "de" if doc_id.startswith(("wikinews", "seed")) else "en"


def build_corpus(
    shared: Path, n_originals: int
) -> tuple[list[Doc], list[dict], list[dict], dict[str, str]]:
    """Base texts plus synthetic copies: docs, semeval rows, partial insertions, base texts."""
    rng = random.Random(RNG_SEED)
    seeds = [(f"seed:{p.stem}", p.read_text(encoding="utf-8"))
             for p in sorted((shared / "seeds").glob("*.txt"))]
    semeval = load_semeval(shared)
    SEMEVAL_DOMAINS.update(load_semeval_domains(shared))
    sem_texts = {}
    for row in semeval:
        for side in ("1", "2"):
            sem_texts.setdefault(row[f"text{side}"], (row["pair_id"].split("_")[int(side) - 1],
                                                      row[f"lang{side}"]))
    sem_docs = [(f"semeval:{sid}:{lang}", text) for text, (sid, lang) in sorted(sem_texts.items())]
    pool = seeds + load_wikinews(shared) + load_polnear(shared) + sem_docs
    # Drop exact duplicates among the base texts (the same article crawled twice).
    seen, base = set(), []
    for doc_id, text in pool:
        key = " ".join(WORD.findall(text.lower()))
        if key and key not in seen and len(WORD.findall(text)) >= 80:
            seen.add(key)
            base.append((doc_id, text))
    vocab_by_lang = defaultdict(list)
    for doc_id, text in base:
        if doc_id.startswith(("wikinews", "polnear")):
            vocab_by_lang[lang_of(doc_id)].extend(WORD.findall(text))
    vocab_by_lang = {k: sorted(set(v)) for k, v in vocab_by_lang.items()}

    order = list(range(len(base)))
    rng.shuffle(order)
    candidates = [i for i in order if not base[i][0].startswith("semeval")]
    originals = [i for i in order if base[i][0].startswith("seed")]
    originals += [i for i in candidates if i not in originals][: n_originals - len(originals)]
    original_set = set(originals)
    rest = [i for i in order if i not in original_set]
    hosts = [i for i in rest if not base[i][0].startswith("semeval")][: n_originals // 2]
    host_set = set(hosts)
    distractors = [i for i in rest if i not in host_set]

    t0 = datetime(2024, 1, 1, 6, 0)
    docs: list[Doc] = []
    partials: list[dict] = []
    for i in distractors:
        doc_id, text = base[i]
        src = doc_id.split(":")[0]
        docs.append(Doc(doc_id, text, src, lang_of(doc_id), outlet_of(doc_id),
                        t0 + timedelta(minutes=rng.randrange(500_000))))
    for n, i in enumerate(originals):
        doc_id, text = base[i]
        lang = lang_of(doc_id)
        vocab = vocab_by_lang[lang]
        when = t0 + timedelta(minutes=rng.randrange(500_000))
        fam = f"fam{n:04d}"
        docs.append(Doc(doc_id, text, doc_id.split(":")[0], lang, outlet_of(doc_id), when, fam,
                        "original"))
        kinds = rng.sample(COPY_KINDS, rng.randint(1, len(COPY_KINDS)))
        for kind in sorted(kinds):
            copy_text = {
                "rewrap": lambda t: rewrap(t),
                "credit": lambda t, lang=lang: credit(t, lang),
                "trim": lambda t: trim(t, rng),
                "light": lambda t, v=vocab: light(t, rng, v),
            }[kind](text)
            docs.append(Doc(f"{doc_id}#{kind}", copy_text, "copy", lang, f"copier-{kind}",
                            copy_time(rng, when), fam, kind))
        if rng.random() < 0.35:
            docs.append(Doc(f"{doc_id}#heavy", heavy(text, rng, vocab), "copy", lang,
                            "rewriter", copy_time(rng, when), None, "heavy",
                            extra={"of": doc_id}))
        if n < len(hosts):
            passage = passage_of(text, rng)
            if passage:
                host_id, host_text = base[hosts[n]]
                new_text, start, end = insert_passage(host_text, passage)
                docs.append(Doc(f"{host_id}#with-{doc_id}", new_text, "host", lang_of(host_id),
                                outlet_of(host_id), copy_time(rng, when), None, "host",
                                extra={"of": doc_id, "span": (start, end)}))
                partials.append({"original": doc_id, "host": docs[-1].id, "span": (start, end),
                                 "source_span": (text.find(passage), text.find(passage)
                                                 + len(passage))})
    add_footers(docs, rng)
    by_id = dict(base)
    for d in docs:
        d.extra["bases"] = {"copy": [d.id.split("#")[0]], "host": [d.id.split("#")[0],
                            d.extra.get("of", "")]}.get(d.source, [d.id])
        if d.published and rng.random() < DATE_ONLY_SHARE:
            d.published = d.published.replace(hour=0, minute=0)
        if d.role not in ("original", "distractor") and rng.random() < UNDATED_SHARE:
            d.published = None
    return docs, semeval, partials, by_id


SEMEVAL_DOMAINS: dict[str, str] = {}


def outlet_of(doc_id: str) -> str:
    if doc_id.startswith("polnear:"):
        return "polnear:" + doc_id.split(":")[1].split("_")[0]
    if doc_id.startswith("semeval:"):
        article = re.sub(r"[a-z]+$", "", doc_id.split(":")[1])
        return SEMEVAL_DOMAINS.get(article, doc_id)
    return doc_id.split(":")[0]


def copy_time(rng: random.Random, when: datetime) -> datetime:
    if rng.random() < 0.03:
        return when
    return when + timedelta(minutes=rng.randint(5, 48 * 60))


def add_footers(docs: list[Doc], rng: random.Random) -> None:
    """Move some documents to synthetic outlets that print the same footer under everything."""
    eligible = [d for d in docs if d.role in ("distractor", "credit", "light")]
    chosen = rng.sample(eligible, FOOTER_OUTLETS * FOOTER_DOCS_PER_OUTLET)
    for k, d in enumerate(chosen):
        n = k % FOOTER_OUTLETS
        d.outlet = f"footer-outlet-{n}"
        d.text = d.text.rstrip() + "\n\n" + FOOTERS[n]


# --- pipeline under test ------------------------------------------------------------------------


def candidate_pairs(docs: list[Doc]) -> tuple[set[tuple[int, int]], dict[str, set]]:
    """Pairs of documents sharing an LSH key (band or anchor), skipping over-full buckets."""
    buckets: dict[bytes, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        for key in d.fp.band_keys:
            buckets[key].append(i)
    pairs: set[tuple[int, int]] = set()
    by_type: dict[str, set] = {"band": set(), "anchor": set()}
    for key, members in buckets.items():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        kind = "anchor" if key[0] == 0xFF else "band"
        for a, b in itertools.combinations(members, 2):
            pairs.add((a, b))
            by_type[kind].add((a, b))
    return pairs, by_type


def run_pipeline(docs, boilerplate_on: bool = True):
    pairs, by_type = candidate_pairs(docs)
    by_outlet = defaultdict(list)
    for d in docs:
        by_outlet[d.outlet].append(d.fp.shingles)
    bp = {o: learn_boilerplate(s) for o, s in by_outlet.items()} if boilerplate_on else {}
    cache: dict[tuple[str, str], np.ndarray] = {}
    edges = {}
    for a, b in sorted(pairs):
        da, db = docs[a], docs[b]
        key = tuple(sorted((da.outlet, db.outlet)))
        if key not in cache:
            both = bp.get(key[0], frozenset()) | bp.get(key[1], frozenset())
            cache[key] = np.array(sorted(both), dtype=np.uint64)
        m = verify(da.fp, db.fp, cache[key])
        if m is not None:
            edges[(a, b)] = direct(m, da.published, db.published)
    return pairs, by_type, edges, bp


# --- metrics ------------------------------------------------------------------------------------


def ari(labels_true: list, labels_pred: list) -> float:
    """Adjusted Rand index from the contingency table (Hubert and Arabie, 1985)."""
    _, t = np.unique(np.asarray(labels_true, dtype=object).astype(str), return_inverse=True)
    _, p = np.unique(np.asarray(labels_pred, dtype=object).astype(str), return_inverse=True)
    table = np.zeros((t.max() + 1, p.max() + 1), dtype=np.int64)
    np.add.at(table, (t, p), 1)

    def comb2(x):
        x = np.asarray(x, dtype=np.float64)
        return (x * (x - 1) / 2).sum()

    index = comb2(table)
    rows, cols = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    expected = rows * cols / comb2([len(t)])
    maximum = (rows + cols) / 2
    return float((index - expected) / (maximum - expected)) if maximum != expected else 1.0


def prf(predicted: set, gold: set, ignore: set = frozenset()) -> tuple[float, float, float]:
    predicted = predicted - ignore
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_pairs(labels: list) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, lab in enumerate(labels):
        groups[lab].append(i)
    return {pair for g in groups.values() for pair in itertools.combinations(sorted(g), 2)}


def components(n: int, pairs) -> list[int]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return [find(i) for i in range(n)]


def article_key(doc: Doc) -> str:
    """The SemEval article id without its language suffix (other sources: the document id)."""
    if doc.source != "semeval":
        return doc.id
    return re.sub(r"[a-z]+$", "", doc.id.split(":")[1])


def inherits(a: Doc, b: Doc, base_texts: dict[str, str], params: FingerprintParams) -> bool:
    """Whether the source articles behind two documents already match one another."""
    for x, y in itertools.product(a.extra["bases"], b.extra["bases"]):
        if x == y:
            return True
        fx, fy = fingerprint_many([base_texts[x], base_texts[y]], params)
        if verify(fx, fy) is not None:
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--originals", type=int, default=240)
    args = parser.parse_args()
    if not (args.shared / "seeds").is_dir():
        sys.exit(f"{args.shared}/seeds not found: pass --shared PATH")

    params = FingerprintParams()
    print(f"recipe: {params.recipe}")
    t = time.perf_counter()
    docs, semeval, partials, base_texts = build_corpus(args.shared, args.originals)
    print(f"corpus: {len(docs)} documents ({Counter(d.role for d in docs)})  "
          f"built in {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    for d, fp in zip(docs, fingerprint_many([d.text for d in docs], params), strict=True):
        d.fp = fp
    dt = time.perf_counter() - t
    tokens = sum(d.fp.token_count for d in docs)
    print(f"fingerprint_many: {len(docs) / dt:.0f} docs/s ({tokens / dt / 1e3:.0f}k tokens/s), "
          f"{np.mean([len(d.fp.band_keys) for d in docs]):.0f} keys/doc")

    index = {d.id: i for i, d in enumerate(docs)}
    fam_members = defaultdict(list)
    for i, d in enumerate(docs):
        if d.family:
            fam_members[d.family].append(i)
    gold_copy = {p for m in fam_members.values() for p in itertools.combinations(sorted(m), 2)}
    gold_partial = {tuple(sorted((index[p["original"]], index[p["host"]]))) for p in partials}
    gold = gold_copy | gold_partial
    ignore = set()
    for p in partials:
        h, fam = index[p["host"]], docs[index[p["original"]]].family
        ignore |= {tuple(sorted((h, m))) for m in fam_members[fam]} - gold_partial
    for i, d in enumerate(docs):
        if d.role == "heavy":
            fam = docs[index[d.extra["of"]]].family
            ignore |= {tuple(sorted((i, m))) for m in fam_members[fam]}
    base = {i for i, d in enumerate(docs) if d.role in ("original", "distractor")}

    t = time.perf_counter()
    pairs, by_type, edges, bp = run_pipeline(docs)
    dt = time.perf_counter() - t
    print(f"candidates: {len(pairs)} pairs verified ({len(by_type['band'])} from bands, "
          f"{len(by_type['anchor'])} from anchors), {len(edges)} edges, {dt:.1f}s "
          f"({len(pairs) / dt:.0f} verifications/s)")
    known = sum(1 for d in docs if d.source == "semeval" and not d.outlet.startswith("semeval"))
    print(f"boilerplate learned for {sum(1 for v in bp.values() if v)} outlets "
          f"(site known for {known} SemEval texts)")

    print("\n== candidate recall by copy kind (band keys / anchor keys / either) ==")
    for kind in (*COPY_KINDS, "partial"):
        pairs_k = (gold_partial if kind == "partial" else
                   {p for p in gold_copy if kind in (docs[p[0]].role, docs[p[1]].role)})
        if pairs_k:
            rb = len(pairs_k & by_type["band"]) / len(pairs_k)
            ra = len(pairs_k & by_type["anchor"]) / len(pairs_k)
            re_ = len(pairs_k & pairs) / len(pairs_k)
            print(f"  {kind:8s} n={len(pairs_k):4d}  {rb:.3f} / {ra:.3f} / {re_:.3f}")

    predicted = set(edges)
    base_base = {p for p in predicted if p[0] in base and p[1] in base} - gold
    same_article = {q for q in base_base if article_key(docs[q[0]]) == article_key(docs[q[1]])}
    p, r, f = prf(predicted, gold, ignore)
    p1, _, f1 = prf(predicted, gold, ignore | same_article)
    p2, _, f2 = prf(predicted, gold, ignore | base_base)
    print("\n== pairwise copy edges (ours: LSH keys + verify) ==")
    print(f"  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}   (gold {len(gold)} pairs, "
          f"predicted {len(predicted - ignore)})")
    print(f"  excluding {len(same_article)} edges between two crawls of one SemEval article: "
          f"precision {p1:.4f}  F1 {f1:.4f}")
    print(f"  excluding all {len(base_base)} edges between two base texts (reuse already present "
          f"in the sources, listed below): precision {p2:.4f}  F1 {f2:.4f}")
    fp_pairs = predicted - ignore - gold - base_base
    inherited = {q for q in fp_pairs if inherits(docs[q[0]], docs[q[1]], base_texts, params)}
    print(f"  other false edges (involving a synthetic document): {len(fp_pairs)}, of which "
          f"{len(inherited)} inherit text the source articles already share")
    for a, b in sorted(fp_pairs - inherited)[:10]:
        m = edges[(a, b)]
        print(f"    {docs[a].id} ~ {docs[b].id}: {m.kind} J={m.jaccard:.2f} "
              f"cov={m.coverage_a:.2f}/{m.coverage_b:.2f}")
    print("  recall and kind accuracy by copy kind:")
    for kind in (*COPY_KINDS, "partial"):
        pairs_k = (gold_partial if kind == "partial" else
                   {(a, b) for a, b in gold_copy
                    if docs[a].role == "original" and docs[b].role == kind
                    or docs[b].role == "original" and docs[a].role == kind})
        found = pairs_k & predicted
        right = sum(1 for q in found if edges[q].kind == EXPECTED_KIND[kind])
        kinds = Counter(edges[q].kind for q in found)
        print(f"    original~{kind:8s} n={len(pairs_k):4d}  recall {len(found) / len(pairs_k):.3f}"
              f"  expected kind {EXPECTED_KIND[kind]}: {right / max(1, len(found)):.3f}  "
              f"{dict(kinds)}")
    heavy_pairs = [(index[d.extra["of"]], i) for i, d in enumerate(docs) if d.role == "heavy"]
    heavy_kinds = Counter(edges.get(tuple(sorted(q))).kind if tuple(sorted(q)) in edges
                          else "none" for q in heavy_pairs)
    print(f"    original~heavy rewrite (35% words, shuffled sentences) n={len(heavy_pairs)}: "
          f"{dict(heavy_kinds)}  (must never be near_duplicate)")

    print("\n== partial reuse (two paragraphs inside another text) ==")
    exact_offsets = 0
    found_any = 0
    for part in partials:
        a, b = sorted((index[part["original"]], index[part["host"]]))
        m = edges.get((a, b))
        if m is None:
            continue
        found_any += 1
        host_first = a == index[part["host"]]
        start, end = part["span"]
        spans = [(x.a_start, x.a_end) if host_first else (x.b_start, x.b_end) for x in m.passages]
        got = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
        if got >= 0.8 * (end - start):
            exact_offsets += 1
    print(f"  recall {found_any / len(partials):.3f} (n={len(partials)}); "
          f"with host passage offsets covering >=80% of the inserted span: "
          f"{exact_offsets / len(partials):.3f}")

    print("\n== direction (original -> copy pairs found) ==")
    correct = wrong = undirected = 0
    for (a, b), m in edges.items():
        roles = docs[a].role, docs[b].role
        if (a, b) not in gold_copy or "original" not in roles:
            continue
        src = "a" if roles[0] == "original" else "b"
        if m.direction == "similar":
            undirected += 1
        elif m.source_side == src:
            correct += 1
        else:
            wrong += 1
    total = correct + wrong + undirected
    print(f"  correct {correct / total:.3f}  wrong {wrong / total:.3f}  undirected (tie or "
          f"undated) {undirected / total:.3f}  -> accuracy on directed: "
          f"{correct / max(1, correct + wrong):.3f}  (n={total}; {DATE_ONLY_SHARE:.0%} of "
          f"dates are date-only, {UNDATED_SHARE:.0%} of copies undated)")

    published = {d.id: d.published for d in docs}
    t = time.perf_counter()
    stories = cluster_stories([d.id for d in docs],
                              [(docs[a].id, docs[b].id, m) for (a, b), m in edges.items()],
                              published)
    dt = time.perf_counter() - t
    story_of = {m: s.id for s in stories for m in s.members}
    gold_labels = [d.family or f"single:{d.id}" for d in docs]
    pred_labels = [story_of[d.id] for d in docs]
    sp, sr, sf = prf(cluster_pairs(pred_labels), cluster_pairs(gold_labels))
    with_original = [s for s in stories
                     if any(docs[index[m]].role == "original" for m in s.members)]
    origin_ok = sum(1 for s in with_original if docs[index[s.origin]].role == "original")
    multi = sum(1 for s in stories if len(s.members) > 1)
    print("\n== stories ==")
    print(f"  ours:     ARI {ari(gold_labels, pred_labels):.4f}  pairwise P {sp:.4f} R {sr:.4f} "
          f"F1 {sf:.4f}  ({multi} multi-member stories; origin is the true original in "
          f"{origin_ok} of {len(with_original)}; largest "
          f"{max(len(s.members) for s in stories)}; {dt * 1000:.0f} ms)")

    t = time.perf_counter()
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=params.num_perm)
    mins = [to_minhash(d.fp.signature, params) for d in docs]
    for i, mh in enumerate(mins):
        lsh.insert(str(i), mh)
    hits = set()
    for i, mh in enumerate(mins):
        for j in lsh.query(mh):
            if int(j) != i:
                hits.add(tuple(sorted((i, int(j)))))
    comp = components(len(docs), hits)
    bp_, br_, bf_ = prf(hits, gold, ignore)
    cp, cr, cf = prf(cluster_pairs(comp), cluster_pairs(gold_labels))
    print(f"  baseline: ARI {ari(gold_labels, comp):.4f}  pairwise P {cp:.4f} R {cr:.4f} "
          f"F1 {cf:.4f}  (MinHashLSH threshold {BASELINE_THRESHOLD} + connected components, "
          f"{time.perf_counter() - t:.1f}s)")
    print(f"  baseline edges: precision {bp_:.4f}  recall {br_:.4f}  F1 {bf_:.4f}")

    print("\n== boilerplate (4 outlets x 40 documents sharing a ~45-word footer) ==")
    footer_docs = [i for i, d in enumerate(docs) if d.outlet.startswith("footer-outlet")]
    same_outlet = {tuple(sorted(q)) for q in itertools.combinations(footer_docs, 2)
                   if docs[q[0]].outlet == docs[q[1]].outlet} - gold - ignore
    _, _, edges_off, _ = run_pipeline(docs, boilerplate_on=False)
    print(f"  false edges between unrelated same-outlet documents: with discount "
          f"{len(same_outlet & set(edges))}, without {len(same_outlet & set(edges_off))} "
          f"(of {len(same_outlet)} pairs)")

    print("\n== base texts that already share text (edges between two source articles) ==")
    print(f"  {len(base_base)} edges, {len(same_article)} of them between two crawls of one "
          f"SemEval article; the others:")
    for a, b in sorted(base_base - same_article)[:25]:
        m = edges[(a, b)]
        x = m.passages[0] if m.passages else None
        snippet = docs[a].text[x.a_start : x.a_end][:90].replace("\n", " ") if x else ""
        print(f"  {docs[a].id} ~ {docs[b].id}: {m.kind} J={m.jaccard:.2f} «{snippet}»")

    print("\n== SemEval-2022 same-story pairs (independent coverage must not become edges) ==")
    for lo, hi, label in ((0, 1.5, "Overall <= 1.5"), (1.5, 5, "Overall > 1.5")):
        rows = [r for r in semeval if r["lang1"] == r["lang2"] and lo < float(r["Overall"]) <= hi]
        fps = fingerprint_many([r["text1"] for r in rows] + [r["text2"] for r in rows], params)
        found = []
        for k, row in enumerate(rows):
            m = verify(fps[k], fps[len(rows) + k])
            if m is not None:
                found.append((row, m))
        print(f"  {label}, same language: {len(rows)} pairs, {len(found)} copy edges "
              f"{dict(Counter(m.kind for _, m in found))}")
        for row, m in found:
            x = m.passages[0]
            snippet = row["text1"][x.a_start : x.a_end][:100].replace("\n", " ")
            print(f"    {row['pair_id']} {row['lang1']} {m.kind} J={m.jaccard:.2f} "
                  f"cov={m.coverage_a:.2f}/{m.coverage_b:.2f} «{snippet}»")


if __name__ == "__main__":
    main()
