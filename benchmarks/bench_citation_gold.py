"""Outlet citations against our own gold set of real articles (benchmarks/citation_gold).

The gold set labels, for about a hundred real articles of the shared data folder (fundus pages,
trafilatura-eval pages, PolNeAR, SpkAtt German Wikinews, impresso German), every outlet the
article cites by our model (DESIGN.md §3: a statement given to an outlet counts as a citation of
it), with the name as written, the registry id when the outlet is in the registry (else null),
the citation kind and the cue class. It also lists traps (names on the page that must not come
out as citations: photo credits, share buttons, "mehr", the publisher itself) and optional names
(neither right nor wrong). Only labels and document ids are stored; the texts are read from the
data folder at run time.

The real pipeline runs on each document: HTML pages through `provenance.analyse.analyse` (so
extraction and zones apply), texts through `extract_citations`. A predicted counting citation
with an outlet matches a gold citation by registry id, else by normalised name (the registry
names of the predicted outlet, the name as written, or the slug of a `discovered:<slug>` id).
Next to it, the naive baseline: every registry name anywhere in the same text.

Usage: python benchmarks/bench_citation_gold.py [--data DIR] [--labels FILE] [--errors N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from provenance.analyse import analyse
from provenance.citations import Registry, extract_citations
from provenance.config import FingerprintParams
from provenance.inputs import RawRecord
from provenance.records import COUNTING_KINDS, Citation

GOLD_DIR = Path(__file__).resolve().parent / "citation_gold"
LABELS = GOLD_DIR / "labels.jsonl"
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DATASETS = ("fundus-news-html", "trafilatura-eval", "polnear-attribution",
            "spkatt2023-task2-de-wikinews", "impresso-newsagency-mentions")
CUE_CLASSES = ("agency_credit", "byline", "attribution", "statement", "relay")
GOLD_KINDS = tuple(sorted(COUNTING_KINDS))
LANGUAGES = ("de", "en")
# One document in this many is held out (by a hash of dataset and document).
HOLDOUT_EVERY = 3
ERRORS_SHOWN = 10
CONTEXT_CHARS = 80
# Longest name or note a label may hold: labels carry names, never third-party sentences.
MAX_NAME_CHARS = 60
MAX_NOTE_CHARS = 240
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_LEADING_ARTICLE = re.compile(r"^(?:the|der|die|das|den|dem|des|le|la|les|el)\s+", re.I)
# Rule ids of statements given to an outlet ("told Reuters", "gegenüber dem RND").
_STATEMENT_RULE = re.compile(r"told|interview|gegenueber|gespraech|venue|verb_dative|statement|"
                             r"speaking|talking", re.I)
_BYLINE_RULE = re.compile(r"byline|dateline", re.I)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_ENDING = re.compile(r"(?:en|es|e|n|s)$")


# ---- the label file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldCitation:
    """One outlet an article cites: the name as written, its registry id (None if absent)."""

    name: str
    outlet: str | None
    kind: str
    cue_class: str


@dataclass(frozen=True)
class GoldDoc:
    """One labelled article."""

    dataset: str
    document: str
    language: str
    split: str
    citations: tuple[GoldCitation, ...]
    traps: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        """The document's identity across the set."""
        return f"{self.dataset}:{self.document}"


def split_of(dataset: str, document: str) -> str:
    """"holdout" for one document in HOLDOUT_EVERY (by hash), else "dev"."""
    digest = int(hashlib.sha256(f"{dataset}:{document}".encode()).hexdigest(), 16)
    return "holdout" if digest % HOLDOUT_EVERY == 0 else "dev"


def label_problems(raw: dict) -> list[str]:
    """What is wrong with one label record (empty when it is valid)."""
    problems = []
    expected = {"dataset", "document", "language", "split", "citations", "traps"}
    if missing := expected - raw.keys():
        return [f"missing keys {sorted(missing)}"]
    if extra := raw.keys() - expected - {"optional", "note"}:
        problems.append(f"unknown keys {sorted(extra)}")
    if raw["dataset"] not in DATASETS:
        problems.append(f"dataset {raw['dataset']!r}")
    if raw["language"] not in LANGUAGES:
        problems.append(f"language {raw['language']!r}")
    if raw["split"] != split_of(raw["dataset"], raw["document"]):
        problems.append(f"split {raw['split']!r} is not the hash split")
    for c in raw["citations"]:
        if set(c) != {"name", "outlet", "kind", "cue_class"}:
            problems.append(f"citation keys {sorted(c)}")
            continue
        if not 0 < len(c["name"]) <= MAX_NAME_CHARS:
            problems.append(f"name {c['name']!r}")
        if c["outlet"] is not None and not _ID.match(c["outlet"]):
            problems.append(f"outlet id {c['outlet']!r}")
        if c["kind"] not in GOLD_KINDS:
            problems.append(f"kind {c['kind']!r}")
        if c["cue_class"] not in CUE_CLASSES:
            problems.append(f"cue class {c['cue_class']!r}")
    for name in (*raw["traps"], *raw.get("optional", ())):
        if not 0 < len(name) <= MAX_NAME_CHARS:
            problems.append(f"trap/optional name {name!r}")
    if len(raw.get("note", "")) > MAX_NOTE_CHARS:
        problems.append("note too long")
    return problems


def load_labels(path: Path = LABELS) -> list[GoldDoc]:
    """The gold documents of a label file; raises ValueError on an invalid record."""
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if problems := label_problems(raw):
            raise ValueError(f"{path}:{number}: " + "; ".join(problems))
        docs.append(GoldDoc(
            raw["dataset"], raw["document"], raw["language"], raw["split"],
            tuple(GoldCitation(**c) for c in raw["citations"]), tuple(raw["traps"]),
            tuple(raw.get("optional", ())), raw.get("note", "")))
    return docs


# ---- names --------------------------------------------------------------------------------------


def name_keys(name: str) -> set[str]:
    """Comparison keys of an outlet name: case, accents (also spelt ae/oe/ue), articles,
    punctuation and German/English endings ignored ("der Neuen Zürcher Zeitung" ~ "Neue Zurcher
    Zeitung" ~ the slug "neue-zuercher-zeitung")."""
    keys: set[str] = set()
    lowered = name.casefold().replace("ß", "ss")
    for variant in (lowered, lowered.translate(_UMLAUTS)):
        text = unicodedata.normalize("NFKD", variant)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = re.sub(r"['’`]s\b", "", text)
        text = _LEADING_ARTICLE.sub("", re.sub(r"[^\w.]+", " ", text).strip())
        words = [w.strip(".") for w in text.split() if w.strip(".")]
        if words:
            keys.add("".join(words))
            keys.add("".join(_ENDING.sub("", w) if len(w) > 3 else w for w in words))
    return keys


def outlet_keys(outlet_id: str, registry: Registry, written: Iterable[str] = ()) -> set[str]:
    """Every comparison key a predicted outlet answers to."""
    keys: set[str] = set()
    names = list(written)
    if outlet_id.startswith("discovered:"):
        names.append(outlet_id.split(":", 1)[1].replace("-", " ").replace("_", " "))
    outlet = registry.get(outlet_id)
    if outlet is not None:
        names += [outlet.name, *outlet.aliases, *outlet.acronyms, *outlet.ambiguous]
    for name in names:
        keys |= name_keys(name)
    return keys


# ---- documents ----------------------------------------------------------------------------------


@dataclass
class Loaded:
    """A document read from the data folder: page markup or plain text, and hints."""

    kind: str  # html | text
    content: str
    path: Path
    url: str | None = None
    publisher: str | None = None


@cache
def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _polnear_publishers(base: Path) -> dict[str, str]:
    import csv

    with open(base / "metadata.tsv", encoding="utf-8") as fh:
        return {r["filename"]: r["publisher"] for r in csv.DictReader(fh, delimiter="\t")}


@cache
def _impresso_texts(base: Path) -> dict[str, str]:
    from bench_citations import _impresso_docs

    return {d.doc_id: d.text for path in sorted((base / "de").glob("*.tsv.gz"))
            for d in _impresso_docs(path)}


def load_document(root: Path, doc: GoldDoc) -> Loaded:
    """Read one gold document from the data folder (FileNotFoundError when absent)."""
    base = root / doc.dataset
    if doc.dataset == "fundus-news-html":
        path = base / "test_data" / doc.document
        url = _json(path.parent / "meta.info").get(path.name, {}).get("url")
        return Loaded("html", gzip.open(path, "rt", errors="replace").read(), path, url)
    if doc.dataset == "trafilatura-eval":
        path = base / "eval" / f"{doc.document}.gz"
        if not path.exists():
            path = base / "cache" / f"{doc.document}.gz"
        urls = {v["file"]: k for k, v in _json(base / "evaldata.json").items()}
        url = urls.get(doc.document)
        return Loaded("html", gzip.open(path, "rt", errors="replace").read(), path,
                      url if url and url.startswith("http") else None)
    if doc.dataset == "polnear-attribution":
        from bench_citations import POLNEAR_PUBLISHER

        path = base / "train" / "text" / f"{doc.document}.txt"
        publisher = POLNEAR_PUBLISHER.get(_polnear_publishers(base).get(doc.document, ""))
        return Loaded("text", path.read_text(encoding="utf-8"), path, publisher=publisher)
    if doc.dataset == "spkatt2023-task2-de-wikinews":
        from bench_citations import _detokenize

        path = base / "train" / "task2" / f"{doc.document}.json"
        sentences = json.loads(path.read_text(encoding="utf-8"))["Sentences"]
        return Loaded("text", "\n".join(_detokenize(s["Tokens"])[0] for s in sentences), path)
    texts = _impresso_texts(base)
    if doc.document not in texts:
        raise FileNotFoundError(f"{doc.key} not in {base}")
    return Loaded("text", texts[doc.document], base / "de")


def run_pipeline(loaded: Loaded, language: str, registry: Registry,
                 params: FingerprintParams) -> tuple[str, list[Citation], str | None]:
    """The text our pipeline sees, its citations and the publisher it resolved."""
    if loaded.kind == "html":
        record = RawRecord(path=str(loaded.path), resolved=str(loaded.path), record=None,
                           format="html", content_type="html", content=loaded.content,
                           meta={"url": loaded.url} if loaded.url else {})
        article = analyse(record, registry, params).article
        return article.text, list(article.citations), article.publisher_id
    citations = extract_citations(loaded.content, language, registry,
                                  publisher_id=loaded.publisher)
    return loaded.content, citations, loaded.publisher


# ---- scoring ------------------------------------------------------------------------------------


@dataclass
class Predicted:
    """One predicted outlet of a document: the names it answers to, its class, evidence."""

    outlet_id: str
    keys: set[str]
    cue_class: str
    evidence: str


class Rates:
    """Precision, recall and F1 of a tally of true positives, false positives and false
    negatives (the `tp`, `fp` and `fn` of the class that takes these properties)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else float("nan")


@dataclass
class Counts(Rates):
    """True positives, false positives, false negatives of one slice."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    docs: int = 0



@dataclass
class DocResult:
    """The comparison of one document: matched, missed and falsely found outlets."""

    doc: GoldDoc
    hits: list[tuple[GoldCitation, Predicted]] = field(default_factory=list)
    misses: list[GoldCitation] = field(default_factory=list)
    false: list[Predicted] = field(default_factory=list)
    trap_hits: list[Predicted] = field(default_factory=list)


def predicted_class(c: Citation) -> str:
    """The cue class a predicted citation belongs to (for precision by class)."""
    if c.kind == "relay" or c.relayed_by:
        return "relay"
    if c.kind in ("wire_credit", "source_box"):
        return "byline" if c.zone in ("byline", "dateline") or _BYLINE_RULE.search(c.rule) \
            else "agency_credit"
    return "statement" if _STATEMENT_RULE.search(c.rule) else "attribution"


def predictions(citations: Iterable[Citation], text: str,
                registry: Registry) -> list[Predicted]:
    """The counting outlet citations of a document, one per outlet."""
    by_outlet: dict[str, list[Citation]] = {}
    for c in citations:
        if c.outlet_id and c.kind in COUNTING_KINDS:
            by_outlet.setdefault(c.outlet_id, []).append(c)
    found = []
    for outlet_id, cs in by_outlet.items():
        first = cs[0]
        left = text[max(0, first.start - CONTEXT_CHARS):first.start] if first.zone == "body" \
            else first.sentence[:CONTEXT_CHARS]
        evidence = f"[{first.kind}/{first.rule}] ...{left}<<{first.source_name}>>"
        evidence = evidence.replace("\n", " ")
        found.append(Predicted(outlet_id, outlet_keys(outlet_id, registry,
                                                      (c.source_name for c in cs)),
                               predicted_class(first), evidence))
    return found


def compare(doc: GoldDoc, found: list[Predicted]) -> DocResult:
    """Match predicted outlets to the gold citations of one document."""
    result = DocResult(doc)
    left = list(found)
    for gold in doc.citations:
        keys = name_keys(gold.name)
        match = next((p for p in left if gold.outlet and p.outlet_id == gold.outlet), None) \
            or next((p for p in left if p.keys & keys), None)
        if match is None:
            result.misses.append(gold)
        else:
            left.remove(match)
            result.hits.append((gold, match))
    optional = set().union(*(name_keys(n) for n in doc.optional)) if doc.optional else set()
    traps = set().union(*(name_keys(n) for n in doc.traps)) if doc.traps else set()
    for p in left:
        if p.keys & optional:
            continue
        result.false.append(p)
        if p.keys & traps:
            result.trap_hits.append(p)
    return result


def registry_status(gold: GoldCitation, registry: Registry) -> str:
    """Whether the registry in use knows the cited outlet (else only discovery can find it)."""
    known = (gold.outlet and registry.get(gold.outlet)) or registry.by_name(gold.name)
    return "in registry" if known else "not in registry"


def slices(results: list[DocResult], registry: Registry) -> dict[str, Counts]:
    """Counts overall and by split, language, dataset, cue class and registry status."""
    table: dict[str, Counts] = {}

    def at(name: str) -> Counts:
        return table.setdefault(name, Counts())

    for r in results:
        doc_slices = ("all", f"split {r.doc.split}", f"language {r.doc.language}",
                      f"dataset {r.doc.dataset}")
        for name in doc_slices:
            counts = at(name)
            counts.docs += 1
            counts.tp += len(r.hits)
            counts.fn += len(r.misses)
            counts.fp += len(r.false)
        for gold, _ in r.hits:
            at(f"class {gold.cue_class}").tp += 1
            at(f"registry: {registry_status(gold, registry)}").tp += 1
        for gold in r.misses:
            at(f"class {gold.cue_class}").fn += 1
            at(f"registry: {registry_status(gold, registry)}").fn += 1
        for p in r.false:
            at(f"class {p.cue_class}").fp += 1
            known = "not in registry" if p.outlet_id.startswith("discovered:") else "in registry"
            at(f"registry: {known}").fp += 1
    order = ["all", *(f"split {s}" for s in ("dev", "holdout")),
             *(f"language {lang}" for lang in LANGUAGES), *(f"dataset {d}" for d in DATASETS),
             *(f"class {c}" for c in CUE_CLASSES),
             "registry: in registry", "registry: not in registry"]
    return {name: table.get(name, Counts()) for name in order}


def naive(text: str, registry: Registry) -> list[Predicted]:
    """The naive baseline: every registry name anywhere in the text is a citation."""
    found: dict[str, Predicted] = {}
    for hit in registry.find_mentions(text, include_ambiguous=True):
        context = text[max(0, hit.start - CONTEXT_CHARS):hit.end].replace("\n", " ")
        found.setdefault(hit.outlet_id, Predicted(
            hit.outlet_id, outlet_keys(hit.outlet_id, registry, [text[hit.start:hit.end]]),
            "attribution", f"[naive] ...{context}"))
    return list(found.values())


@dataclass
class GoldRun:
    """Results of the pipeline and of the naive baseline over the gold set."""

    ours: list[DocResult]
    baseline: list[DocResult]
    skipped: list[str]


def run(root: Path, registry: Registry, labels: Path = LABELS) -> GoldRun:
    """Run the pipeline and the baseline on every gold document present in `root`."""
    params = FingerprintParams()
    ours, baseline, skipped = [], [], []
    for doc in load_labels(labels):
        try:
            loaded = load_document(root, doc)
        except (FileNotFoundError, OSError) as exc:
            skipped.append(f"{doc.key}: {exc}")
            continue
        try:
            text, citations, _ = run_pipeline(loaded, doc.language, registry, params)
        except ValueError as exc:  # extraction refused the page: every citation is missed
            skipped.append(f"{doc.key}: pipeline refused it ({exc})")
            text, citations = loaded.content, []
        ours.append(compare(doc, predictions(citations, text, registry)))
        baseline.append(compare(doc, naive(text, registry)))
    return GoldRun(ours, baseline, skipped)


def _row(name: str, c: Counts) -> str:
    return (f"{name:<48} {c.docs or '':>5} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>6.3f} "
            f"{c.recall:>6.3f} {c.f1:>6.3f}")


def report(result: GoldRun, registry: Registry, errors: int = ERRORS_SHOWN) -> list[str]:
    """The printed tables and error lists of a gold run."""
    head = f"{'citation gold set':<48} {'docs':>5} {'tp':>5} {'fp':>5} {'fn':>5} " \
           f"{'P':>6} {'R':>6} {'F1':>6}"
    lines = [head]
    lines += [_row(name, c) for name, c in slices(result.ours, registry).items()]
    base = slices(result.baseline, registry)
    lines += [_row(f"naive baseline: {name}", base[name])
              for name in ("all", "split dev", "split holdout", "language de", "language en")]
    traps = sum(len(r.trap_hits) for r in result.ours)
    naive_traps = sum(len(r.trap_hits) for r in result.baseline)
    lines.append(f"labelled traps found as citations: ours {traps}, naive baseline {naive_traps}")
    lines += [f"skipped {s}" for s in result.skipped]
    if errors:
        misses = [f"{r.doc.key} [{g.cue_class}] {g.name} ({g.outlet or 'not in registry'})"
                  for r in result.ours for g in r.misses]
        false = [f"{r.doc.key} {p.outlet_id}{' (TRAP)' if p in r.trap_hits else ''}: "
                 f"{p.evidence}" for r in result.ours for p in r.false]
        for label, items in (("misses", misses), ("false hits", false)):
            lines.append(f"\n## gold {label} ({len(items)})")
            lines += [f"  {item}" for item in items[:errors]]
    return lines


def run_gold(root: Path, registry: Registry, errors: int = ERRORS_SHOWN,
             labels: Path = LABELS) -> None:
    """Run and print the gold section (the entry point bench_citations calls)."""
    print("\n".join(report(run(root, registry, labels), registry, errors)))


def main(argv: list[str] | None = None) -> int:
    """Run the gold set alone."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("PROVENANCE_DATA", DEFAULT_DATA)))
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--errors", type=int, default=ERRORS_SHOWN)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"data folder {args.data} not found; pass --data", file=sys.stderr)
        return 1
    registry = Registry.load()
    print(f"registry {registry.version} ({len(registry)} outlets); labels {args.labels.name}\n")
    run_gold(args.data, registry, args.errors, args.labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
