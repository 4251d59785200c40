"""Precision and recall of outlet-level citations against annotated corpora, and throughput.

The corpora are read at run time from the shared data folder (never copied into the repo):

* PolNeAR (English political news): article-level wire copy (`metadata.tsv` column `wire`) against
  our `wire_credit` citations; hat-tip credits (`credit`) against any counted citation; and brat
  `Source` spans that name an outlet against our attribution-kind citations.
* SpkAtt-2023 task 2 (German Wikinews): annotations whose `Source` span names an outlet give the
  gold outlet citations of each document; compared with our attribution-kind citations.
* impresso news-agency mentions (historical German and French OCR): the article-level
  `# news-agency-as-source` labels against our counted citations, and the documents'
  `B-org.ent.pressagency.*` spans against every outlet we find (any kind).
* our own gold set (benchmarks/citation_gold, see bench_citation_gold.py): real pages and texts
  labelled by our model, by cue class, language and split, next to the naive baseline.

PolNeAR and SpkAtt ship only their training portions here, so each is split by a hash of the
document name into a `tune` part (used while writing the grammar) and a `holdout` part (the
figures to report). impresso ships only its dev split, used as is.

Usage: python benchmarks/bench_citations.py [--data DIR] [--split holdout|tune|all] [--errors N]
                                           [--no-gold]
"""

from __future__ import annotations

import argparse
import csv
import glob
import gzip
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench_citation_gold import LABELS, Rates, run_gold

from provenance.citations import Registry, extract_citations
from provenance.records import Citation

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# One document in this many goes to the holdout part (by a hash of its name).
HOLDOUT_EVERY = 5
ERRORS_SHOWN = 8
CONTEXT_CHARS = 90
ATTRIBUTION_KINDS = frozenset({"claim_attribution", "direct_quote", "report_reference", "relay"})
COUNTING = frozenset(ATTRIBUTION_KINDS | {"source_box", "wire_credit"})
# Rules where the outlet is the one spoken to ("told Reuters", "in an interview with the BBC"):
# citations by our model (the outlet first published the statement), but the annotation schemes
# label the speaker as the source, so they are also scored without these.
INTERVIEW_RULES = frozenset({"en.told", "en.interview", "en.venue", "en.published_in",
                             "en.outlet_interview", "de.gegenueber", "de.interview",
                             "de.verb_dative", "de.dative_statement", "de.venue",
                             "de.compound_interview", "en.statement_to"})
_ARTICLE = re.compile(r"^(?:the|a|an|der|die|das|den|dem|des)\s+|['’]s?$|[„“”\"«»]", re.I)
DISCOVERED = "discovered:"
POLNEAR_WIRE = {"AP": "ap", "UPI": "upi", "AFP": "afp", "reuters": "reuters",
                "Reuters": "reuters"}
POLNEAR_PUBLISHER = {"breitbart": "breitbart", "huff-post": "huffpost", "nyt": "nyt",
                     "politico": "politico", "usa-today": "usa_today",
                     "wash-post": "washington_post", "west-journal": None}
# impresso label suffixes to registry ids; historical agencies absent from the registry map to
# None and are counted apart.
IMPRESSO_AGENCY = {"AFP": "afp", "ANSA": "ansa", "AP": "ap", "APA": "apa",
                   "ATS-SDA": "keystone_sda", "Belga": "belga", "CTK": "ctk", "DPA": "dpa",
                   "Europapress": "europa_press", "Reuters": "reuters", "TASS": "tass",
                   "UP-UPI": "upi", "Xinhua": "xinhua", "DDP-DAPD": None, "DNB": None,
                   "Domei": None, "Extel": None, "Havas": None, "Kipa": None, "SPK-SMP": None,
                   "Stefani": None, "Wolff": None}
IMPRESSO_KNOWN = frozenset(v for v in IMPRESSO_AGENCY.values() if v)


@dataclass
class Score(Rates):
    """Counts of one comparison, with examples of the errors."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    docs: int = 0
    note: str = ""
    fps: list[str] = field(default_factory=list)
    fns: list[str] = field(default_factory=list)

    def add(self, doc: str, gold: set[str], pred: dict[str, str],
            gold_context: dict[str, str] | None = None) -> None:
        """Compare one document's gold outlet ids with predicted ids (id -> evidence)."""
        self.docs += 1
        self.tp += len(gold & pred.keys())
        for outlet in sorted(pred.keys() - gold):
            self.fp += 1
            self.fps.append(f"{doc}: {outlet}: {pred[outlet]}")
        for outlet in sorted(gold - pred.keys()):
            self.fn += 1
            self.fns.append(f"{doc}: {outlet}: {(gold_context or {}).get(outlet, '')}")



def _holdout(name: str) -> bool:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % HOLDOUT_EVERY == 0


def _in_split(name: str, split: str) -> bool:
    return split == "all" or (split == "holdout") == _holdout(name)


def _evidence(c: Citation, text: str) -> str:
    return f"[{c.kind}/{c.rule}] {_context(text, c.start, c.end)}"


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS):start].replace("\n", " ")
    right = text[end:end + CONTEXT_CHARS // 2].replace("\n", " ")
    return f"...{left}<<{text[start:end]}>>{right}..."


def _predicted(citations: Iterable[Citation], kinds: frozenset[str], text: str,
               only: Callable[[str], bool] = lambda _: True,
               skip_rules: frozenset[str] = frozenset()) -> dict[str, str]:
    pred: dict[str, str] = {}
    for c in citations:
        # The span-level gold of these sets is built from registry names, so an outlet found
        # outside the registry ("discovered:...") can be neither right nor wrong there; the
        # gold set (bench_citation_gold) scores discovered outlets by name.
        if c.outlet_id and c.outlet_id.startswith(DISCOVERED):
            continue
        if c.outlet_id and c.kind in kinds and only(c.outlet_id) and c.rule not in skip_rules:
            pred.setdefault(c.outlet_id, _evidence(c, text))
    return pred


class Timer:
    """Accumulated time spent inside extract_citations."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.articles = 0
        self.chars = 0

    def run(self, text: str, language: str, registry: Registry,
            publisher_id: str | None = None) -> list[Citation]:
        start = time.perf_counter()
        citations = extract_citations(text, language, registry, publisher_id=publisher_id)
        self.seconds += time.perf_counter() - start
        self.articles += 1
        self.chars += len(text)
        return citations


# ---- PolNeAR ------------------------------------------------------------------------------------


def bench_polnear(root: Path, registry: Registry, split: str, timer: Timer) -> list[Score]:
    """Wire copy, hat-tip credits and outlet Source spans in PolNeAR's training articles."""
    base = root / "polnear-attribution"
    wire = Score("polnear wire (article: AP/UPI/AFP/Reuters vs wire_credit)")
    credit = Score("polnear h/t credit (recall only: page metadata, rarely in the text)")
    sources = Score("polnear Source spans naming an outlet vs attribution kinds")
    speakers = Score("polnear Source spans, without told/interview rules")
    with open(base / "metadata.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == "train"]
    for row in rows:
        name = row["filename"]
        if not _in_split(name, split):
            continue
        text_path = base / "train" / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        publisher = POLNEAR_PUBLISHER.get(row["publisher"])
        citations = timer.run(text, "en", registry, publisher)
        if row["wire"] != "NA":
            gold = {POLNEAR_WIRE[row["wire"]]} if row["wire"] in POLNEAR_WIRE else set()
            wire.add(name, gold, _predicted(citations, frozenset({"wire_credit"}), text,
                                            lambda o: o in POLNEAR_WIRE.values()))
        if row["credit"].startswith("h/t:"):
            outlet = registry.by_name(row["credit"][4:].strip().rstrip("."))
            if outlet is not None:
                found = _predicted(citations, COUNTING, text, lambda o, i=outlet.id: o == i)
                credit.add(name, {outlet.id}, found, {outlet.id: row["credit"]})
        gold_ctx = _polnear_gold(base, name, text, registry, publisher)
        # the publisher quoting itself is a mention by design, not a citation
        gold_ctx.pop(publisher or "", None)
        sources.add(name, set(gold_ctx), _predicted(citations, ATTRIBUTION_KINDS, text),
                    gold_ctx)
        speakers.add(name, set(gold_ctx), _predicted(citations, ATTRIBUTION_KINDS, text,
                                                     skip_rules=INTERVIEW_RULES), gold_ctx)
    credit.fp, credit.fps = 0, []
    return [wire, credit, sources, speakers]


def _polnear_gold(base: Path, name: str, text: str, registry: Registry,
                  publisher: str | None) -> dict[str, str]:
    """Outlets named in Source spans of any annotator's file for this article."""
    gold: dict[str, str] = {}
    for ann in sorted((base / "train" / "attributions").glob(f"{name}_*.ann")):
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[1].startswith("Source "):
                continue
            offsets = parts[1].split(" ", 1)[1]
            spans = [tuple(map(int, s.split())) for s in offsets.split(";")]
            for start, end in spans:
                for outlet_id in _gold_outlets(text, start, end, registry, publisher):
                    gold.setdefault(outlet_id, _context(text, start, end))
    return gold


def _gold_outlets(text: str, start: int, end: int, registry: Registry,
                  publisher: str | None = None) -> list[str]:
    """Outlets named in an annotated source span. A common-word name ("the Guardian") counts
    when it is the whole span, and a short name ("the Times") means the outlet of the same
    document whose full name ends in it ("The New York Times")."""
    span = text[start:end]
    found = [h.outlet_id for h in registry.find_mentions(span)]
    head = _ARTICLE.sub("", span.strip()).strip()
    for hit in registry.find_mentions(span, include_ambiguous=True):
        outlet = registry.get(hit.outlet_id)
        if outlet is None or hit.alias not in outlet.ambiguous:
            continue
        last = hit.alias.split()[-1]
        longer = [h.outlet_id for h in registry.find_mentions(text)
                  if h.alias.endswith(" " + last) and h.outlet_id != hit.outlet_id]
        own = registry.get(publisher or "")
        if own is not None and any(n.split()[-1] == last for n in (own.name, *own.aliases)):
            longer.append(own.id)
        if longer:
            found.append(longer[0])
        elif _ARTICLE.sub("", hit.alias) == head:
            found.append(hit.outlet_id)
    return found


# ---- SpkAtt (German Wikinews) -------------------------------------------------------------------

_NO_SPACE_BEFORE = re.compile(r"^[.,;:!?)\]“»%]|^'s$")
_NO_SPACE_AFTER = re.compile(r"[(\[„«]$")


def _detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens to text with plausible spacing, and each token's span in it."""
    out, spans, pos, glue = [], [], 0, True
    for token in tokens:
        if not glue and not _NO_SPACE_BEFORE.match(token):
            out.append(" ")
            pos += 1
        spans.append((pos, pos + len(token)))
        out.append(token)
        pos += len(token)
        glue = bool(_NO_SPACE_AFTER.search(token))
    return "".join(out), spans


def bench_spkatt(root: Path, registry: Registry, split: str, timer: Timer) -> list[Score]:
    """Outlets in annotated Source spans of German Wikinews articles."""
    score = Score("spkatt-de Source spans naming an outlet vs attribution kinds")
    speakers = Score("spkatt-de Source spans, without gegenüber/interview rules")
    for path in sorted(glob.glob(str(root / "spkatt2023-task2-de-wikinews" / "train" / "task2"
                                     / "*.json"))):
        name = Path(path).stem
        if not _in_split(name, split):
            continue
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        lines, token_spans, offset = [], {}, 0
        for sentence in doc["Sentences"]:
            line, spans = _detokenize(sentence["Tokens"])
            for i, (s, e) in enumerate(spans):
                token_spans[f"{sentence['SentenceId']}:{i}"] = (offset + s, offset + e)
            lines.append(line)
            offset += len(line) + 1
        # Wikinews paragraphs are not marked; sentences are joined on one line each so that the
        # sentence splitter sees the annotators' sentence boundaries.
        text = "\n".join(lines)
        citations = timer.run(text, "de", registry)
        gold: dict[str, str] = {}
        for ann in doc["Annotations"]:
            spans = [token_spans[p] for p in ann["Source"] if p in token_spans]
            if not spans:
                continue
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            for outlet_id in _gold_outlets(text, start, end, registry):
                gold.setdefault(outlet_id, _context(text, start, end))
        score.add(name, set(gold), _predicted(citations, ATTRIBUTION_KINDS, text), gold)
        speakers.add(name, set(gold), _predicted(citations, ATTRIBUTION_KINDS, text,
                                                 skip_rules=INTERVIEW_RULES), gold)
    return [score, speakers]


# ---- impresso -----------------------------------------------------------------------------------


@dataclass
class _ImpressoDoc:
    doc_id: str
    text: str
    as_source: list[str]  # Wikidata QIDs, "unk" or "NIL"
    spans: dict[str, str]  # label suffix -> context


def _impresso_docs(path: Path) -> list[_ImpressoDoc]:
    """Documents of a HIPE-style TSV: text rebuilt from tokens, labels and agency spans."""
    docs: list[_ImpressoDoc] = []
    cur: dict | None = None

    def flush() -> None:
        if cur is not None:
            text = "".join(cur["parts"])
            spans = {label: _context(text, s, e) for label, s, e in cur["spans"]}
            docs.append(_ImpressoDoc(cur["id"], text, cur["as_source"], spans))

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("# document_id"):
                flush()
                cur = {"id": line.split("=", 1)[1].strip(), "parts": [], "pos": 0,
                       "spans": [], "as_source": []}
                continue
            if cur is None or not line.strip():
                continue
            if line.startswith("# news-agency-as-source"):
                value = line.split("=", 1)[1].strip()
                cur["as_source"] = [v.strip() for v in value.split(",") if v.strip() != "_"]
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 10 or cols[0] == "TOKEN":
                continue
            token, label, render = cols[0], cols[3], cols[9]
            start = cur["pos"]
            cur["parts"].append(token)
            cur["pos"] += len(token)
            if label.startswith("B-org.ent.pressagency."):
                cur["spans"].append([label.split(".", 3)[3], start, cur["pos"]])
            elif label.startswith("I-org.ent.pressagency.") and cur["spans"]:
                cur["spans"][-1][2] = cur["pos"]
            if "NoSpaceAfter" not in render:
                sep = "\n" if "EndOfParagraph" in render else " "
                cur["parts"].append(sep)
                cur["pos"] += 1
    flush()
    return docs


def _impresso_qids(paths: Iterable[Path]) -> dict[str, str]:
    """Wikidata QID -> agency label, read from the linked mentions themselves."""
    qids: dict[str, str] = {}
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 7 and cols[3].startswith("B-org.ent.pressagency.") and \
                        cols[7].startswith("Q"):
                    qids[cols[7]] = cols[3].split(".", 3)[3]
    return qids


def bench_impresso(root: Path, registry: Registry, timer: Timer) -> list[Score]:
    """Article-level agency-as-source labels and agency mention spans, German and French."""
    base = root / "impresso-newsagency-mentions"
    paths = sorted(base.glob("*/*.tsv.gz"))
    qids = _impresso_qids(paths)
    scores = []
    for lang in ("de", "fr"):
        as_source = Score(f"impresso-{lang} agency-as-source (article) vs counted citations")
        mentions = Score(f"impresso-{lang} agency mention spans (article) vs any outlet found")
        outside_src = outside_men = 0
        for path in sorted((base / lang).glob("*.tsv.gz")):
            for doc in _impresso_docs(path):
                citations = timer.run(doc.text, lang, registry)
                gold_src: dict[str, str] = {}
                for qid in doc.as_source:
                    outlet = IMPRESSO_AGENCY.get(qids.get(qid, ""))
                    if outlet:
                        gold_src[outlet] = qid
                    elif qid != "NIL":
                        outside_src += 1
                as_source.add(doc.doc_id, set(gold_src),
                              _predicted(citations, COUNTING, doc.text,
                                         IMPRESSO_KNOWN.__contains__), gold_src)
                gold_men = {IMPRESSO_AGENCY[label]: ctx for label, ctx in doc.spans.items()
                            if IMPRESSO_AGENCY.get(label)}
                outside_men += sum(1 for label in doc.spans if not IMPRESSO_AGENCY.get(label))
                every_kind = frozenset(c.kind for c in citations)
                mentions.add(doc.doc_id, set(gold_men),
                             _predicted(citations, every_kind, doc.text,
                                        IMPRESSO_KNOWN.__contains__), gold_men)
        as_source.note = (f"{outside_src} article labels name agencies outside the registry "
                          f"(Havas, DNB, Wolff, 'unk', ...): left out")
        mentions.note = f"{outside_men} documents' agency labels outside the registry: left out"
        scores += [as_source, mentions]
    return scores


# ---- report -------------------------------------------------------------------------------------


def _print(scores: list[Score], errors: int) -> None:
    print(f"{'dataset':<72} {'docs':>5} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} "
          f"{'F1':>6}")
    for s in scores:
        print(f"{s.name:<72} {s.docs:>5} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>6.3f} "
              f"{s.recall:>6.3f} {s.f1:>6.3f}")
    for s in scores:
        if not errors or not (s.fps or s.fns):
            continue
        print(f"\n## {s.name}" + (f"  ({s.note})" if s.note else ""))
        for label, items in (("false positives", s.fps), ("false negatives", s.fns)):
            if items:
                print(f"  {label} ({len(items)}):")
                for item in items[:errors]:
                    print(f"    {item}")


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark whose data is present and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("PROVENANCE_DATA", DEFAULT_DATA)))
    parser.add_argument("--split", choices=("holdout", "tune", "all"), default="holdout")
    parser.add_argument("--errors", type=int, default=ERRORS_SHOWN)
    parser.add_argument("--no-gold", action="store_true", help="skip the citation gold set")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"data folder {args.data} not found; pass --data", file=sys.stderr)
        return 1
    registry = Registry.load()
    timer = Timer()
    scores: list[Score] = []
    runs: dict[str, Callable[[], list[Score]]] = {
        "polnear-attribution": lambda: bench_polnear(args.data, registry, args.split, timer),
        "spkatt2023-task2-de-wikinews": lambda: bench_spkatt(args.data, registry, args.split,
                                                             timer),
        "impresso-newsagency-mentions": lambda: bench_impresso(args.data, registry, timer),
    }
    for folder, run in runs.items():
        if (args.data / folder).is_dir():
            scores += run()
        else:
            print(f"skipped {folder}: not in {args.data}", file=sys.stderr)
    print(f"registry {registry.version} ({len(registry)} outlets); split: {args.split} "
          f"(impresso: dev)\n")
    _print(scores, args.errors)
    rate = timer.articles / timer.seconds if timer.seconds else float("nan")
    print(f"\nthroughput: {timer.articles} articles, {timer.chars / 1e6:.2f} M chars in "
          f"{timer.seconds:.2f} s: {rate:.0f} articles/s "
          f"({timer.chars / timer.seconds / 1e3:.0f} k chars/s), one core")
    if not args.no_gold and LABELS.exists():
        print(f"\n# citation gold set ({LABELS.relative_to(LABELS.parents[1])}; both splits)\n")
        run_gold(args.data, registry, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
