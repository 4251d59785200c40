"""The gold of bench_match_quality.py: which pairs of its corpus are copies, and which stories.

The synthetic families (an original and its copies) are copies of one another; a host shares
two paragraphs with its original. The real base texts share text too (wires, press releases,
versions of one story, and templates of one site): the pairs of them that the library links
were read and labelled in `match_base_pairs.csv` (ids and our labels, no text), and the texts
under one SemEval id count as copies when they share a run of 40 words.
"""

from __future__ import annotations

import csv
import difflib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from match_corpus import WORD, Corpus, Doc, Pair


@dataclass
class Gold:
    """The pairs that are copies, the pairs not to score, and the base texts."""

    copy: set[Pair]  # original~copy and copy~copy pairs of a family
    partial: set[Pair]  # original~host pairs (two paragraphs inserted)
    ignore: set[Pair]  # hosts and heavy rewrites with the rest of a family; see `real`
    base: set[int]  # originals and distractors
    families: dict[str, list[int]]
    # Pairs of base texts that share real text (two texts of one SemEval id with a 40-word run
    # in common, or a pair reviewed as a copy or partial copy in BASE_PAIRS), and those reviewed
    # as sharing template text only (known false edges). Pairs of documents built on two base
    # texts that share a quote or real text are ignored: a synthetic edit may not keep it.
    real: set[Pair] = field(default_factory=set)
    template: set[Pair] = field(default_factory=set)
    stories: list[str] = field(default_factory=list)  # the gold story label of each document

    @property
    def all(self) -> set[Pair]:
        """Every gold pair."""
        return self.copy | self.partial | self.real

    @property
    def synthetic(self) -> set[Pair]:
        """The gold pairs of the synthetic copies alone (every base pair taken as independent)."""
        return self.copy | self.partial


# Pairs of base texts found to share text, reviewed by reading both texts (ids and our labels:
# copy, partial, quote, template; the evidence names the kind of source, e.g. a wire).
BASE_PAIRS = Path(__file__).with_name("match_base_pairs.csv")
REAL_LABELS = ("copy", "partial")
# Real reuse: a shared run of this many words (the measure of issue 12's crawl target).
REAL_REUSE_WORDS = 40


def gold_of(corpus: Corpus, index: dict[str, int]) -> Gold:
    """The gold pairs of the corpus."""
    docs = corpus.docs
    families = defaultdict(list)
    for i, d in enumerate(docs):
        if d.family:
            families[d.family].append(i)
    copy = {p for m in families.values() for p in itertools.combinations(sorted(m), 2)}
    partial = {tuple(sorted((index[p["original"]], index[p["host"]]))) for p in corpus.partials}
    ignore = set()
    for p in corpus.partials:
        h, fam = index[p["host"]], docs[index[p["original"]]].family
        ignore |= {tuple(sorted((h, m))) for m in families[fam]} - partial
    for i, d in enumerate(docs):
        if d.role == "heavy":
            fam = docs[index[d.extra["of"]]].family
            ignore |= {tuple(sorted((i, m))) for m in families[fam]}
    base = {i for i, d in enumerate(docs) if d.role in ("original", "distractor")}
    gold = Gold(copy, partial, ignore, base, dict(families))
    add_reviewed(gold, docs)
    return gold


def add_reviewed(gold: Gold, docs: list[Doc]) -> None:
    """Add what the base texts share to the gold (the reviewed pairs of BASE_PAIRS) and set the
    gold story of every document.

    Two texts under one SemEval article id are most often one article twice, but some are a
    machine round-trip translation of the other (no verbatim passage left) and a few are
    different articles: they are a copy pair and one story when they share a run of
    REAL_REUSE_WORDS words (found with difflib, not with the library under test), else not
    scored. A reviewed pair with such an id is not scored either.
    """
    by_id = defaultdict(list)  # base id -> base documents with that id (two crawls share one)
    built_on = defaultdict(set)  # base id -> documents holding its text
    for i, d in enumerate(docs):
        if i in gold.base:
            by_id[d.id].append(i)
        for b in d.extra.get("bases", [d.id]):
            built_on[b].add(i)
    first_built = {}  # base id -> a document whose own text it is (a base text, or a host)
    for i, d in enumerate(docs):
        first_built.setdefault(d.extra.get("bases", [d.id])[0], i)
    links: list[Pair] = []
    for (x, y), label in load_reviewed().items():
        if label == "copy" and x in first_built and y in first_built:
            links.append((first_built[x], first_built[y]))
        pairs = {tuple(sorted(q)) for q in itertools.product(by_id.get(x, []), by_id.get(y, []))
                 if q[0] != q[1]}
        inherited = {tuple(sorted(q)) for q in itertools.product(built_on[x], built_on[y])
                     if q[0] != q[1]}
        if len(pairs) != 1 or label == "quote":
            gold.ignore |= inherited
            continue
        if label in REAL_LABELS:
            gold.real |= pairs
            gold.ignore |= inherited - pairs
        elif label == "template":
            gold.template |= pairs
    for members in by_id.values():
        for a, b in itertools.combinations(sorted(members), 2):
            if shared_run(docs[a].text, docs[b].text) >= REAL_REUSE_WORDS:
                gold.real.add((a, b))
                links.append((a, b))
            else:
                gold.ignore.add((a, b))
    gold.ignore -= gold.all
    gold.stories = story_labels(docs, links)


def shared_run(a: str, b: str) -> int:
    """The longest run of words two texts share (case and punctuation aside)."""
    wa, wb = WORD.findall(a.lower()), WORD.findall(b.lower())
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match().size


def load_reviewed() -> dict[tuple[str, str], str]:
    """The reviewed base pairs: (id, id) -> label."""
    with BASE_PAIRS.open(encoding="utf-8", newline="") as fh:
        return {(row["a"], row["b"]): row["label"] for row in csv.DictReader(fh)}


def story_labels(docs: list[Doc], links: list[tuple[int, ...]]) -> list[str]:
    """Each document's gold story: its family, else its own, joined through base texts that
    are copies of one another (``links``)."""
    labels = [d.family or f"single:{i}:{d.id}" for i, d in enumerate(docs)]
    parent = {label: label for label in labels}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = x = parent[parent[x]]
        return x

    for a, b in links:
        ra, rb = root(labels[a]), root(labels[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [root(label) for label in labels]
