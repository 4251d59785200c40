"""The graded reuse set (benchmarks/reuse_set): schema, ids, and, with ../shared/data present,
that every edit script applies to its source, light revisions change 10-30% of the words, and
no stored text is the source's (our framing, rewrites and independent texts share no 8-word run
with it)."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_reuse as reuse  # noqa: E402

ENTRIES = reuse.load_set()
KEYS = {"id", "language", "topic", "source", "cut", "light", "heavy", "independent"}
ID = re.compile(r"^(en|de)-(sem|fun|tra)-[a-z0-9]+(-[a-z0-9]+)*$")
PREFIX = {"semeval": "sem", "fundus": "fun", "trafilatura": "tra"}
RUN = 8  # words: a run this long shared with the source means the stored text is the source's
MAX_REPLACEMENT_WORDS = 16  # an edit replaces words, it does not paste paragraphs
MAX_SHARED_RUNS = 3  # 8-word runs an independent article may share with the source (a quote)


def _words(text: str) -> list[str]:
    """Lower-case word tokens (punctuation dropped) for run comparisons."""
    return re.findall(r"\w+", text.lower())


def _runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every n-word run of a text."""
    words = _words(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _valid_item(item: dict) -> bool:
    """One edit-script item of a known shape."""
    if set(item) == {"insert"}:
        return isinstance(item["insert"], str) and bool(item["insert"].strip())
    if set(item) == {"paragraph"}:
        return item["paragraph"] is True
    if set(item) == {"keep"}:
        return bool(item["keep"]) and all(isinstance(i, int) and i >= 0 for i in item["keep"])
    if set(item) in ({"s"}, {"s", "edit"}):
        ids = item["s"] if isinstance(item["s"], list) else [item["s"]]
        edits = item.get("edit", [])
        return (bool(ids) and all(isinstance(i, int) and i >= 0 for i in ids)
                and all(len(e) == 3 and isinstance(e[0], int) and isinstance(e[1], int)
                        and isinstance(e[2], str) for e in edits))
    return False


def _stored_texts(entry: dict) -> list[str]:
    """Every text of ours an entry stores: framing, replacement words, rewrites, own texts."""
    texts = [entry["heavy"]] + [i["text"] for i in entry["independent"] if "text" in i]
    for grade in ("cut", "light"):
        for item in entry[grade]:
            texts += [item["insert"]] if "insert" in item else []
            texts += [e[2] for e in item.get("edit", []) if e[2]]
    return texts


# ---- the files (no data needed) ---------------------------------------------------------------

def test_set_size_and_spread():
    """At least 45 sources, both languages, all three datasets, many topics."""
    assert len(ENTRIES) >= 45
    languages = Counter(e["language"] for e in ENTRIES)
    assert languages["en"] >= 15 and languages["de"] >= 15
    assert {e["source"]["dataset"] for e in ENTRIES} == set(reuse.DATASETS)
    assert len({e["topic"] for e in ENTRIES}) >= 25


def test_entry_schema_and_ids():
    """Every entry has exactly the schema's keys; ids are unique, match file names and say the
    language and dataset; sources are not used twice."""
    files = sorted(p.stem for p in reuse.SET_DIR.glob("*.json"))
    assert files == sorted(e["id"] for e in ENTRIES)
    sources = set()
    for e in ENTRIES:
        assert set(e) == KEYS, e["id"]
        assert ID.match(e["id"]), e["id"]
        assert e["id"].split("-")[0] == e["language"] in reuse.LANGUAGES
        src = e["source"]
        assert e["id"].split("-")[1] == PREFIX[src["dataset"]], e["id"]
        if src["dataset"] == "semeval":
            assert set(src) == {"dataset", "pair", "side"} and src["side"] in (1, 2)
            assert re.fullmatch(r"\d+_\d+", src["pair"])
        else:
            assert set(src) == {"dataset", "file"} and src["file"].endswith(".html.gz")
        key = json.dumps(src, sort_keys=True)
        assert key not in sources, e["id"]
        sources.add(key)


def test_edit_scripts_are_well_formed():
    """cut and light are lists of known items; light edits something; cut pastes verbatim
    (its edits only delete); no replacement pastes a paragraph."""
    for e in ENTRIES:
        for grade in ("cut", "light"):
            assert e[grade] and all(_valid_item(i) for i in e[grade]), (e["id"], grade)
            for item in e[grade]:
                for _start, _count, new in item.get("edit", []):
                    assert len(new.split()) <= MAX_REPLACEMENT_WORDS, (e["id"], new)
        assert any(item.get("edit") for item in e["light"]), e["id"]
        assert all(new == "" for item in e["cut"] for _s, _n, new in item.get("edit", []))
        assert any("insert" in item for item in e["cut"]), e["id"]


def test_independent_texts():
    """Every entry has an independent text: the other side of its own SemEval pair, or a text
    of ours; heavy rewrites and our own texts are real paragraphs."""
    for e in ENTRIES:
        assert e["independent"], e["id"]
        for indep in e["independent"]:
            assert set(indep) in ({"text"}, {"semeval"}), e["id"]
            if "semeval" in indep:
                other = indep["semeval"]
                assert e["source"]["dataset"] == "semeval"
                assert other["pair"] == e["source"]["pair"]
                assert other["side"] == 3 - e["source"]["side"]
            else:
                assert len(indep["text"].split()) >= 40, e["id"]
        assert len(e["heavy"].split()) >= 40, e["id"]


def test_apply_script_on_our_text():
    """The edit-script semantics on sentences we wrote: keep, insert, word edits across a
    merge, deletion, and the share of changed words."""
    sentences = ["The ferry left the harbour at dawn.", "It carried forty cars.",
                 "Nobody was hurt."]
    script = [{"insert": "A short note."}, {"keep": [2]},
              {"s": [0, 1], "edit": [[1, 1, "boat"], [6, 2, "dawn and"], [9, 1, "forty-two"]]}]
    applied = reuse.apply_script(sentences, script)
    assert applied.text == ("A short note. Nobody was hurt. The boat left the harbour at dawn "
                            "and carried forty-two cars.")
    assert applied.sources == [2, 0, 1]
    assert (applied.words, applied.inserted) == (17, 3)
    # boat, dawn (without the full stop), and, forty-two differ; "it" was deleted
    assert applied.changed == 3 + 4
    with pytest.raises(ValueError):
        reuse.apply_script(sentences, [{"s": 1, "edit": [[3, 2, "x"]]}])
    cut = reuse.apply_script(sentences, [{"s": 0, "edit": [[0, 1, ""]]}])
    assert cut.text == "ferry left the harbour at dawn." and cut.changed == 0


def test_split_sentences_on_our_text():
    """Lines always end a sentence; inside a line, after final punctuation before a capital,
    digit or opening quote; not after an abbreviation before a lower-case word."""
    text = ("Der Zug kam um 9 Uhr an. 40 Fahrgäste stiegen aus.\n\nEr sagte: „Wir fahren "
            "weiter.“ Dann fuhr er ab, ca. zehn Minuten später.\nKurz")
    assert reuse.split_sentences(text) == [
        "Der Zug kam um 9 Uhr an.", "40 Fahrgäste stiegen aus.", "Er sagte: „Wir fahren weiter.“",
        "Dann fuhr er ab, ca. zehn Minuten später.", "Kurz"]


# ---- against the sources (../shared/data) -----------------------------------------------------

@pytest.fixture(scope="module")
def sources() -> dict[str, list[str]]:
    """The sentences of every source (skips when ../shared/data is absent)."""
    if not reuse.data_present():
        pytest.skip("../shared/data is not present beside the checkout")
    return {e["id"]: reuse.split_sentences(reuse.source_text(e["source"])) for e in ENTRIES}


def test_scripts_apply_and_light_share_in_range(sources):
    """Every script stays inside its source; a light revision changes 10-30% of its words and
    reuses at least three source sentences; a cut draft changes nothing but its framing."""
    for e in ENTRIES:
        sentences = sources[e["id"]]
        assert len(sentences) >= 4, e["id"]
        cut = reuse.apply_script(sentences, e["cut"])
        assert cut.changed == cut.inserted and len(set(cut.sources)) >= 3, e["id"]
        light = reuse.apply_script(sentences, e["light"])
        share = light.changed / light.words
        assert reuse.LIGHT_RANGE[0] <= share <= reuse.LIGHT_RANGE[1], (e["id"], share)
        assert len(set(light.sources)) >= 3, e["id"]


def test_stored_text_is_ours(sources):
    """No text the set stores (framing, replacements, heavy rewrites, our independent texts)
    shares an 8-word run with its source: the repository holds no source text."""
    for e in ENTRIES:
        source_runs = _runs(" ".join(sources[e["id"]]))
        for text in _stored_texts(e):
            assert not (_runs(text) & source_runs), (e["id"], text[:60])


def test_semeval_independent_pairs_are_not_copies(sources):
    """A SemEval same-story article used as independent is its own text: it shares at most a
    quoted phrase with the source (a few 8-word runs: a police statement both quote, "at the
    stroke of midnight at Humber River Hospital"), never a copied passage."""
    for e in ENTRIES:
        for indep in e["independent"]:
            if "semeval" in indep:
                row = reuse.semeval_rows()[indep["semeval"]["pair"]]
                assert float(row["Overall"]) <= 1.5, e["id"]
                text = row[f"text{indep['semeval']['side']}"]
                shared = _runs(text) & _runs(" ".join(sources[e["id"]]))
                assert len(shared) <= MAX_SHARED_RUNS, (e["id"], sorted(shared)[:3])
