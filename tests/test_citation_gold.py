"""The citation gold set (benchmarks/citation_gold) is well formed, and its scorer counts right.

The label file holds ids, names and labels only (no third-party text); these tests check its
schema, that every registry id in it exists, that the hash split is respected, that the scorer
of bench_citation_gold computes known precision and recall on a hand-made example, and (when
../shared/data is present) that every labelled name is written in its document.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from provenance.citations import Registry
from provenance.records import Citation

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_citation_gold as gold  # noqa: E402

MIN_DOCUMENTS = 90


@pytest.fixture(scope="module")
def docs() -> list[gold.GoldDoc]:
    return gold.load_labels(gold.LABELS)


def test_every_label_record_is_valid():
    lines = [line for line in gold.LABELS.read_text(encoding="utf-8").splitlines() if line]
    problems = {i: gold.label_problems(json.loads(line)) for i, line in enumerate(lines, 1)}
    assert not {i: p for i, p in problems.items() if p}


def test_the_set_is_large_and_varied(docs):
    assert len(docs) >= MIN_DOCUMENTS
    assert len({d.key for d in docs}) == len(docs), "a document is labelled twice"
    assert Counter(d.language for d in docs).keys() == {"de", "en"}
    assert set(gold.DATASETS) <= {d.dataset for d in docs}
    holdout = sum(d.split == "holdout" for d in docs) / len(docs)
    assert 0.2 < holdout < 0.45
    classes = Counter(c.cue_class for d in docs for c in d.citations)
    for cue_class in ("agency_credit", "byline", "attribution", "statement"):
        assert classes[cue_class] >= 10, cue_class
    assert sum(c.outlet is None for d in docs for c in d.citations) >= 20, "long tail"
    assert sum(bool(d.traps) for d in docs) >= 30, "pages with furniture"


def test_registry_ids_exist_and_unknown_outlets_are_unknown(docs):
    registry = Registry.load()
    missing = {c.outlet for d in docs for c in d.citations
               if c.outlet and registry.get(c.outlet) is None}
    assert not missing


def test_a_bad_record_is_refused(tmp_path):
    good = {"dataset": "polnear-attribution", "document": "x", "language": "en",
            "split": gold.split_of("polnear-attribution", "x"), "traps": [],
            "citations": [{"name": "Reuters", "outlet": "reuters", "kind": "wire_credit",
                           "cue_class": "byline"}]}
    assert gold.label_problems(good) == []
    bad = {**good, "split": "dev" if good["split"] == "holdout" else "holdout",
           "citations": [{"name": "a sentence " * 10, "outlet": "Not An Id",
                          "kind": "image_credit", "cue_class": "furniture"}]}
    assert len(gold.label_problems(bad)) == 5
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="labels.jsonl:1"):
        gold.load_labels(path)


def test_names_match_across_case_inflection_spelling_and_slugs():
    assert gold.name_keys("der Neuen Zürcher Zeitung") & gold.name_keys("Neue Zürcher Zeitung")
    assert gold.name_keys("Neue Zürcher Zeitung") & gold.name_keys("neue zuercher zeitung")
    assert gold.name_keys("The Times") & gold.name_keys("Times")
    assert not gold.name_keys("Lesotho Times") & gold.name_keys("The Times")
    assert not gold.name_keys("NBC") & gold.name_keys("CNBC")


def _citation(outlet_id: str, name: str, kind: str = "claim_attribution",
              rule: str = "de.laut") -> Citation:
    return Citation(outlet_id, name, "outlet", kind, "laut", 0, len(name), name, 0, "body",
                    rule, 0.9)


def test_the_scorer_counts_a_hand_made_example():
    registry = Registry.load()
    doc = gold.GoldDoc(
        "fundus-news-html", "de/x.html.gz", "de", "dev",
        (gold.GoldCitation("dpa", "dpa", "wire_credit", "byline"),
         gold.GoldCitation("Neuen Zürcher Zeitung", None, "claim_attribution", "attribution"),
         gold.GoldCitation("Kieler Hafenbote", None, "claim_attribution", "attribution"),
         gold.GoldCitation("Reuters", "reuters", "direct_quote", "statement")),
        traps=("Mehr",), optional=("NBC",))
    found = gold.predictions([
        _citation("dpa", "dpa", "wire_credit", "wire.byline"),
        _citation("discovered:neue-zuercher-zeitung", "Neuen Zürcher Zeitung"),
        _citation("mehr", "Mehr"),  # a trap: a false hit
        _citation("nbc_news", "NBC"),  # optional: neither right nor wrong
        _citation("bild", "Bild", "image_credit"),  # not a counting kind: ignored
    ], "", registry)
    result = gold.compare(doc, found)
    assert [g.name for g, _ in result.hits] == ["dpa", "Neuen Zürcher Zeitung"]
    assert [g.name for g in result.misses] == ["Kieler Hafenbote", "Reuters"]
    assert [p.outlet_id for p in result.false] == ["mehr"]
    assert [p.outlet_id for p in result.trap_hits] == ["mehr"]
    table = gold.slices([result], registry)
    counts = table["all"]
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 2)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(0.5)
    assert counts.f1 == pytest.approx(4 / 7)
    assert (table["class byline"].tp, table["class statement"].fn) == (1, 1)
    assert table["registry: not in registry"].fn == 1  # invented: only discovery finds it
    assert any("mehr (TRAP)" in line
               for line in gold.report(gold.GoldRun([result], [result], []), registry))


def _visible(raw: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(raw)).casefold()


def test_every_labelled_name_is_written_in_its_document(docs, data_dir):
    missing = []
    for doc in docs:
        loaded = gold.load_document(data_dir, doc)
        content = _visible(loaded.content)
        missing += [f"{doc.key}: {c.name}" for c in doc.citations
                    if _visible(c.name) not in content]
    assert not missing
