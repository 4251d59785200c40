"""Quality of copy detection on a labelled corpus of real texts and synthetic syndicated copies.

The corpus (`match_corpus.py`: real bodies from ../shared, copies of each kind, shared footers)
is stored as articles in an in-memory `Store` (text, outlet, publication time and the
`copies.minhash` a scan computes), then the library's copy phase runs over it exactly as in a
scan (`provenance.scan.copy_phase.find_copies`: per-outlet boilerplate, LSH candidates,
screening, verification, direction, stories). The copy edges and stories are read back from the
store and scored against the gold families, next to the naive baseline (datasketch MinHashLSH
at threshold 0.8 + connected components) run on the same signatures.

The real base texts are not all independent: wires, press releases and one outlet's versions of
a story put the same text on several sites, and some pages of one site share only a banner. The
pairs of base texts the library links were read and labelled (`match_base_pairs.csv`: copy,
partial, quote, template); copies and partials are gold pairs, template pairs count as false
edges ("false edges between independent base texts"), and the figures with every base pair taken
as independent are printed too. Edges the labels do not cover are listed as "not reviewed".

Usage: .venv/bin/python benchmarks/bench_match_quality.py [--shared ../shared] [--originals 240]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from datasketch import MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from match_corpus import (  # noqa: E402
    COPY_KINDS,
    DATE_ONLY_SHARE,
    UNDATED_SHARE,
    Corpus,
    Doc,
    Pair,
    build_corpus,
)
from match_gold import BASE_PAIRS, Gold, gold_of  # noqa: E402
from scoring import ari, cluster_pairs, components, prf  # noqa: E402

from provenance import config  # noqa: E402
from provenance.config import DEFAULT_THRESHOLDS, FingerprintParams  # noqa: E402
from provenance.copies import CopyMatch, fingerprint, sketch, to_minhash, verify  # noqa: E402
from provenance.extract import text_digest  # noqa: E402
from provenance.records import Article, CopyEdge, Outlet, Passage, Sketch  # noqa: E402
from provenance.scan.copy_phase import CopyCounts, find_copies  # noqa: E402
from provenance.store import Store  # noqa: E402
from provenance.version import __version__  # noqa: E402

BASELINE_THRESHOLD = 0.8
EXPECTED_KIND = {"rewrap": "exact", "credit": "near_duplicate", "trim": "near_duplicate",
                 "light": "near_duplicate", "partial": "partial"}

# --- the library under test ---------------------------------------------------------------------


def run_copy_phase(docs: list[Doc], sketches: list[Sketch], params: FingerprintParams,
                   with_outlets: bool = True) -> tuple[Store, CopyCounts]:
    """Store the corpus as articles and run the copy phase of a scan over it. Without outlets,
    no article has a publisher, so no boilerplate is learnt (the discount is off)."""
    store = Store(":memory:")
    run_id = store.begin_run(__version__, {"benchmark": "match_quality"}, None)
    outlets = [Outlet(o, o, origin="input") for o in sorted({d.outlet for d in docs})]
    articles = [article_of(i, d, s, d.outlet if with_outlets else None)
                for i, (d, s) in enumerate(zip(docs, sketches, strict=True))]
    for start in range(0, len(articles), config.WRITE_BATCH):
        store.write_batch(run_id, articles[start : start + config.WRITE_BATCH], [], [],
                          outlets if with_outlets and not start else [])
    counts = find_copies(store, run_id, params, DEFAULT_THRESHOLDS)
    store.finish_run(run_id, "completed", counts.as_dict())
    return store, counts


def article_id(i: int) -> str:
    """The article id of the i-th document (two crawls of one SemEval article share a doc id)."""
    return f"doc{i:06d}"


def article_of(i: int, doc: Doc, found: Sketch, publisher: str | None) -> Article:
    """A corpus document as the article a scan would store."""
    return Article(id=article_id(i), source_key=article_id(i), external_id=doc.id, path=doc.id,
                   record=None,
                   format="text", text=doc.text, text_hash=text_digest(doc.text),
                   n_chars=len(doc.text), publisher_id=publisher,
                   published=iso_utc(doc.published, doc.extra.get("date_only", False)),
                   language=doc.lang, sketch=found)


def iso_utc(when: datetime | None, date_only: bool = False) -> str | None:
    """A naive corpus time (UTC) as the store keeps it (a date-only one as a date)."""
    if when is None:
        return None
    return when.strftime("%Y-%m-%d" if date_only else "%Y-%m-%dT%H:%M:%SZ")


def edges_by_pair(store: Store) -> dict[Pair, CopyMatch]:
    """The stored copy edges by pair of document indexes (lower first), as matches whose side a
    is the lower index (so that `direction` and `source_side` name sides of the pair)."""
    found = {}
    for edge in store.copy_edges():
        s, c = doc_index(edge.source_id), doc_index(edge.copy_id)
        found[(min(s, c), max(s, c))] = as_match(edge, source_is_a=s < c)
    return found


def doc_index(article: str) -> int:
    """The index of the document stored as this article."""
    return int(article.removeprefix("doc"))


def as_match(edge: CopyEdge, source_is_a: bool) -> CopyMatch:
    """A stored edge seen from one side: the source as side a, or as side b."""
    similar = edge.relation == "similar"
    if source_is_a:
        return CopyMatch(edge.kind, edge.jaccard, edge.jaccard_estimate,
                         edge.containment_source_in_copy, edge.containment_copy_in_source,
                         edge.coverage_source, edge.coverage_copy, edge.passages, "",
                         "similar" if similar else "a_to_b", edge.backdated)
    flipped = tuple(sorted(Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.tokens)
                           for p in edge.passages))
    return CopyMatch(edge.kind, edge.jaccard, edge.jaccard_estimate,
                     edge.containment_copy_in_source, edge.containment_source_in_copy,
                     edge.coverage_copy, edge.coverage_source, flipped, "",
                     "similar" if similar else "b_to_a", edge.backdated)


def key_pairs(sketches: list[Sketch]) -> tuple[set[Pair], dict[str, set[Pair]]]:
    """Which pairs share an LSH key of a bucket the copy phase reads (at most
    `config.MAX_BUCKET` articles), by kind of key: a diagnostic of band and anchor keys."""
    buckets: dict[bytes, list[int]] = defaultdict(list)
    for i, found in enumerate(sketches):
        for key in found.band_keys:
            buckets[key].append(i)
    pairs: set[Pair] = set()
    by_type: dict[str, set[Pair]] = {"band": set(), "anchor": set()}
    for key, members in buckets.items():
        if 2 <= len(members) <= config.MAX_BUCKET:
            kind = "anchor" if key[0] == config.ANCHOR_PREFIX else "band"
            for a, b in itertools.combinations(members, 2):
                pairs.add((a, b))
                by_type[kind].add((a, b))
    return pairs, by_type


# --- false edges ---------------------------------------------------------------------------


def article_key(doc: Doc) -> str:
    """The SemEval article id without its language suffix (other sources: the document id)."""
    if doc.source != "semeval":
        return doc.id
    return re.sub(r"[a-z]+$", "", doc.id.split(":")[1])


# --- the report ---------------------------------------------------------------------------------


@dataclass
class Run:
    """What the benchmark scores: the corpus, its gold pairs, and what the library found."""

    corpus: Corpus
    index: dict[str, int]
    gold: Gold
    sketches: list[Sketch]
    edges: dict[Pair, CopyMatch]
    store: Store
    counts: CopyCounts
    params: FingerprintParams

    @property
    def docs(self) -> list[Doc]:
        """The corpus documents."""
        return self.corpus.docs


def report_candidates(run: Run, seconds: float) -> None:
    """Candidate pairs, and the recall of band keys, anchor keys and both per copy kind."""
    docs, gold, counts = run.docs, run.gold, run.counts
    pairs, by_type = key_pairs(run.sketches)
    verifying = counts.timings.get("verify") or seconds
    print(f"candidates: {counts.candidates} pairs verified ({len(by_type['band'])} from bands, "
          f"{len(by_type['anchor'])} from anchors), {len(run.edges)} edges, {seconds:.1f}s "
          f"to store and compare ({counts.candidates / verifying:.0f} verifications/s; copy "
          "phase " + ", ".join(f"{k} {v:.1f}s" for k, v in counts.timings.items()) + ")")
    known = sum(1 for d in docs if d.source == "semeval" and not d.outlet.startswith("semeval"))
    print(f"boilerplate learned for {counts.boilerplate_outlets} outlets "
          f"(site known for {known} SemEval texts)")
    print("\n== candidate recall by copy kind (band keys / anchor keys / either) ==")
    for kind in (*COPY_KINDS, "partial"):
        pairs_k = (gold.partial if kind == "partial" else
                   {p for p in gold.copy if kind in (docs[p[0]].role, docs[p[1]].role)})
        if pairs_k:
            rb = len(pairs_k & by_type["band"]) / len(pairs_k)
            ra = len(pairs_k & by_type["anchor"]) / len(pairs_k)
            re_ = len(pairs_k & pairs) / len(pairs_k)
            print(f"  {kind:8s} n={len(pairs_k):4d}  {rb:.3f} / {ra:.3f} / {re_:.3f}")


def base_pairs(run: Run) -> tuple[set[Pair], set[Pair]]:
    """Edges between two base texts that share real text (reviewed, or two crawls of one
    SemEval article), and those between two crawls of one SemEval article."""
    gold, docs = run.gold, run.docs
    base_base = {p for p in run.edges if p[0] in gold.base and p[1] in gold.base} & gold.real
    same = {q for q in base_base if article_key(docs[q[0]]) == article_key(docs[q[1]])}
    return base_base, same


def report_edges(run: Run) -> None:
    """Pairwise precision and recall of the copy edges, and recall and kind by copy kind."""
    gold, docs, edges = run.gold, run.docs, run.edges
    predicted = set(edges)
    p, r, f = prf(predicted, gold.all, gold.ignore)
    p1, r1, f1 = prf(predicted, gold.synthetic, gold.ignore)
    print("\n== pairwise copy edges (ours: LSH keys + verify) ==")
    print(f"  precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}   (gold {len(gold.all)} pairs, "
          f"{len(gold.real)} of them between base texts that share real text; predicted "
          f"{len(predicted - gold.ignore)})")
    print(f"  taking every pair of base texts as independent (synthetic gold alone): precision "
          f"{p1:.4f}  recall {r1:.4f}  F1 {f1:.4f}")
    false = predicted - gold.ignore - gold.all
    between = {q for q in false if q[0] in gold.base and q[1] in gold.base}
    template = len(between & gold.template)
    print(f"  false edges between independent base texts: {len(between)} ({template} reviewed as "
          f"template text, {len(between) - template} not reviewed); involving a synthetic "
          f"document: {len(false - between)}")
    for a, b in sorted(false)[:12]:
        m = edges[(a, b)]
        x = m.passages[0] if m.passages else None
        snippet = docs[a].text[x.a_start : x.a_end][:80].replace("\n", " ") if x else ""
        print(f"    {docs[a].id} ~ {docs[b].id}: {m.kind} J={m.jaccard:.2f} "
              f"cov={m.coverage_a:.2f}/{m.coverage_b:.2f} «{snippet}»")
    report_kinds(run)


def report_kinds(run: Run) -> None:
    """Recall and kind accuracy of original~copy pairs by copy kind; heavy rewrites."""
    gold, docs, edges, index = run.gold, run.docs, run.edges, run.index
    print("  recall and kind accuracy by copy kind:")
    for kind in (*COPY_KINDS, "partial"):
        pairs_k = (gold.partial if kind == "partial" else
                   {(a, b) for a, b in gold.copy
                    if docs[a].role == "original" and docs[b].role == kind
                    or docs[b].role == "original" and docs[a].role == kind})
        found = pairs_k & set(edges)
        right = sum(1 for q in found if edges[q].kind == EXPECTED_KIND[kind])
        kinds = Counter(edges[q].kind for q in found)
        print(f"    original~{kind:8s} n={len(pairs_k):4d}  recall {len(found) / len(pairs_k):.3f}"
              f"  expected kind {EXPECTED_KIND[kind]}: {right / max(1, len(found)):.3f}  "
              f"{dict(kinds)}")
    heavy_pairs = [(index[d.extra["of"]], i) for i, d in enumerate(docs) if d.role == "heavy"]
    heavy_kinds = Counter(edges[tuple(sorted(q))].kind if tuple(sorted(q)) in edges
                          else "none" for q in heavy_pairs)
    print(f"    original~heavy rewrite (35% words, shuffled sentences) n={len(heavy_pairs)}: "
          f"{dict(heavy_kinds)}  (must never be near_duplicate)")


def report_partials(run: Run) -> None:
    """Recall of two paragraphs inserted in another text, and whether the offsets find them."""
    print("\n== partial reuse (two paragraphs inside another text) ==")
    partials, index = run.corpus.partials, run.index
    exact_offsets = found_any = 0
    for part in partials:
        a, b = sorted((index[part["original"]], index[part["host"]]))
        m = run.edges.get((a, b))
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


def report_direction(run: Run) -> None:
    """How often the original is found to be the source of its copies."""
    print("\n== direction (original -> copy pairs found) ==")
    correct = wrong = undirected = 0
    for (a, b), m in run.edges.items():
        roles = run.docs[a].role, run.docs[b].role
        if (a, b) not in run.gold.copy or "original" not in roles:
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


def report_stories(run: Run) -> None:
    """The stored stories against the gold families, and the MinHashLSH baseline."""
    docs = run.docs
    stories = run.store.stories()
    story_of = {doc_index(m): s.id for s in stories for m in s.members}
    # Gold (match_gold): a family is a story; so are two texts of one SemEval id that share a
    # 40-word run, and base texts reviewed as copies; every other document is its own story.
    gold_labels = run.gold.stories
    pred_labels = [story_of.get(i, f"alone:{i}") for i in range(len(docs))]
    sp, sr, sf = prf(cluster_pairs(pred_labels), cluster_pairs(gold_labels))
    # An original in no story is a story of its own, with itself as origin.
    origins = [doc_index(s.origin_article_id) for s in stories
               if any(docs[doc_index(m)].role == "original" for m in s.members)]
    origins += [i for i, d in enumerate(docs) if d.role == "original" and i not in story_of]
    origin_ok = sum(1 for o in origins if docs[o].role == "original")
    print("\n== stories ==")
    print(f"  ours:     ARI {ari(gold_labels, pred_labels):.4f}  pairwise P {sp:.4f} R {sr:.4f} "
          f"F1 {sf:.4f}  ({len(stories)} multi-member stories; origin is the true original in "
          f"{origin_ok} of {len(origins)}; largest "
          f"{max((s.size for s in stories), default=1)}; "
          f"{run.counts.timings.get('stories', 0.0) * 1000:.0f} ms)")
    report_baseline(run, gold_labels)


def report_baseline(run: Run, gold_labels: list[str]) -> None:
    """datasketch MinHashLSH at a fixed threshold + connected components, same signatures
    (a text without prose shingles, a page of banners only, has no signature to index: the
    signatures of empty sets are all equal)."""
    t = time.perf_counter()
    lsh = MinHashLSH(threshold=BASELINE_THRESHOLD, num_perm=run.params.num_perm)
    mins = {i: to_minhash(s.signature, run.params) for i, s in enumerate(run.sketches)
            if s.n_shingles}
    for i, mh in mins.items():
        lsh.insert(str(i), mh)
    hits = set()
    for i, mh in mins.items():
        for j in lsh.query(mh):
            if int(j) != i:
                hits.add(tuple(sorted((i, int(j)))))
    comp = components(len(run.docs), hits)
    bp_, br_, bf_ = prf(hits, run.gold.all, run.gold.ignore)
    cp, cr, cf = prf(cluster_pairs(comp), cluster_pairs(gold_labels))
    print(f"  baseline: ARI {ari(gold_labels, comp):.4f}  pairwise P {cp:.4f} R {cr:.4f} "
          f"F1 {cf:.4f}  (MinHashLSH threshold {BASELINE_THRESHOLD} + connected components, "
          f"{time.perf_counter() - t:.1f}s)")
    print(f"  baseline edges: precision {bp_:.4f}  recall {br_:.4f}  F1 {bf_:.4f}")


def report_boilerplate(run: Run) -> None:
    """False edges between unrelated articles of the footer outlets, with and without the
    boilerplate discount (the copy phase again, with no publishers)."""
    docs, gold = run.docs, run.gold
    print("\n== boilerplate (4 outlets x 40 documents sharing a ~45-word footer) ==")
    footer_docs = [i for i, d in enumerate(docs) if d.outlet.startswith("footer-outlet")]
    same_outlet = {tuple(sorted(q)) for q in itertools.combinations(footer_docs, 2)
                   if docs[q[0]].outlet == docs[q[1]].outlet} - gold.all - gold.ignore
    store, _ = run_copy_phase(docs, run.sketches, run.params, with_outlets=False)
    with store:
        edges_off = edges_by_pair(store)
    print(f"  false edges between unrelated same-outlet documents: with discount "
          f"{len(same_outlet & set(run.edges))}, without {len(same_outlet & set(edges_off))} "
          f"(of {len(same_outlet)} pairs)")


def report_base_texts(run: Run) -> None:
    """Edges between two base texts: reuse already present in the real sources."""
    docs = run.docs
    base_base, same_article = base_pairs(run)
    print("\n== base texts that already share text (edges between two source articles) ==")
    print(f"  {len(base_base)} edges (gold: {len(run.gold.real)}), {len(same_article)} of them "
          f"between two crawls of one SemEval article; the others (reviewed in "
          f"{BASE_PAIRS.name}):")
    for a, b in sorted(base_base - same_article)[:25]:
        m = run.edges[(a, b)]
        x = m.passages[0] if m.passages else None
        snippet = docs[a].text[x.a_start : x.a_end][:90].replace("\n", " ") if x else ""
        print(f"  {docs[a].id} ~ {docs[b].id}: {m.kind} J={m.jaccard:.2f} «{snippet}»")


def report_semeval(run: Run) -> None:
    """SemEval same-story pairs verified directly: independent coverage must not match."""
    print("\n== SemEval-2022 same-story pairs (independent coverage must not become edges) ==")
    for lo, hi, label in ((0, 1.5, "Overall <= 1.5"), (1.5, 5, "Overall > 1.5")):
        rows = [r for r in run.corpus.semeval
                if r["lang1"] == r["lang2"] and lo < float(r["Overall"]) <= hi]
        found = []
        for row in rows:
            m = verify(fingerprint(row["text1"], run.params),
                       fingerprint(row["text2"], run.params))
            if m is not None:
                found.append((row, m))
        print(f"  {label}, same language: {len(rows)} pairs, {len(found)} copy edges "
              f"{dict(Counter(m.kind for _, m in found))}")
        for row, m in found:
            x = m.passages[0]
            snippet = row["text1"][x.a_start : x.a_end][:100].replace("\n", " ")
            print(f"    {row['pair_id']} {row['lang1']} {m.kind} J={m.jaccard:.2f} "
                  f"cov={m.coverage_a:.2f}/{m.coverage_b:.2f} «{snippet}»")


def main() -> None:
    """Build the corpus, run the copy phase over it, print the figures."""
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
    corpus = build_corpus(args.shared, args.originals)
    docs = corpus.docs
    print(f"corpus: {len(docs)} documents ({Counter(d.role for d in docs)})  "
          f"built in {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    sketches = [sketch(d.text, params) for d in docs]
    dt = time.perf_counter() - t
    shingles = sum(s.n_shingles for s in sketches)
    print(f"sketch: {len(docs) / dt:.0f} docs/s ({shingles / dt / 1e3:.0f}k shingles/s), "
          f"{np.mean([len(s.band_keys) for s in sketches]):.0f} keys/doc")
    index = {d.id: i for i, d in enumerate(docs)}
    t = time.perf_counter()
    store, counts = run_copy_phase(docs, sketches, params)
    dt = time.perf_counter() - t
    with store:
        run = Run(corpus, index, gold_of(corpus, index), sketches, edges_by_pair(store),
                  store, counts, params)
        report_candidates(run, dt)
        report_edges(run)
        report_partials(run)
        report_direction(run)
        report_stories(run)
        report_boilerplate(run)
        report_base_texts(run)
        report_semeval(run)


if __name__ == "__main__":
    main()
