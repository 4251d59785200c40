"""Revision-tolerant reuse: single-anchor keys, passages joined across edits, revised flags."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from provenance.config import SINGLE_PREFIX, FingerprintParams
from provenance.copies import fingerprint, sketch
from provenance.copies.alignment import passages, revised_passages
from provenance.copies.keys import anchor_keys, single_keys
from provenance.copies.tokens import raw_tokens, token_hashes
from provenance.records import CopyEdge, Passage
from provenance.store import rows

MSRP = Path(__file__).resolve().parents[2] / "shared" / "data" / "msrp-news-paraphrase"

# Our own text, and a light revision of it by hand: words changed, a sentence merged with the
# next, one split in two, clauses moved (about a fifth of the words differ).
SOURCE = (
    "The harbour authority of the northern port said on Monday that the old grain terminal "
    "would close at the end of the year because the pier no longer carries loaded trucks. "
    "Engineers found deep cracks in the concrete during an inspection in the spring, and the "
    "repair would cost more than building a new pier further up the river. About forty "
    "workers are employed at the terminal, most of them on night shifts, and the union "
    "wants them to be offered jobs at the container yard. The city council will discuss the "
    "plan next week, and several farmers have already asked where they should deliver their "
    "harvest after the closure. A spokesman for the authority said that no decision about "
    "the land had been taken yet, but a housing company has shown interest in the site.")
REVISED = (
    "On Monday the harbour authority of the northern port announced that the old grain "
    "terminal will shut at the end of this year, since the pier can no longer carry loaded "
    "lorries. Engineers discovered deep cracks in the concrete during a spring inspection. "
    "The repair would cost more than constructing a new pier further up the river. Around "
    "forty people work at the terminal, most of them on night shifts, and the union wants "
    "them offered jobs at the container yard; the city council will debate the plan next "
    "week. Several farmers have already asked where they should bring their harvest after "
    "the closure. A spokeswoman for the authority said no decision about the land had been "
    "made yet, though a housing company has shown interest in the site.")
# Our own text on the same event, written independently.
INDEPENDENT = (
    "Grain trucks will stop rolling onto the northern pier this winter. Port officials "
    "blamed structural damage for the closure announced on Monday and did not rule out a "
    "sale of the land, for which a developer is said to be bidding. Farmers in the region "
    "worry about longer journeys to the next terminal, which lies two hours to the south, "
    "and the union representing the forty staff called for a plan to move them to other "
    "jobs in the harbour. Councillors are due to take up the matter at their next meeting.")


def _revised(a: str, b: str) -> list[Passage]:
    fa, fb = fingerprint(a), fingerprint(b)
    return revised_passages(fa, fb, token_hashes(raw_tokens(a)), token_hashes(raw_tokens(b)))


def test_a_light_revision_is_one_revised_passage_with_its_similarity() -> None:
    found = _revised(REVISED, SOURCE)
    assert found and all(p.revised and 0.5 <= p.similarity < 1.0 for p in found)
    covered = sum(p.a_end - p.a_start for p in found)
    assert covered > 0.8 * len(REVISED)
    fa, fb = fingerprint(REVISED), fingerprint(SOURCE)
    shingled, _ = passages(fa, fb, np.intersect1d(fa.shingles, fb.shingles))
    # shingles alone leave most of the revision unaligned
    assert sum(p.a_end - p.a_start for p in shingled) < covered


def test_scan_passages_joined_across_a_changed_word_are_revised() -> None:
    edited = SOURCE.replace("deep cracks", "wide cracks")
    fa, fb = fingerprint(SOURCE), fingerprint(edited)
    found, _ = passages(fa, fb, np.intersect1d(fa.shingles, fb.shingles))
    assert len(found) == 1 and found[0].revised and 0.9 < found[0].similarity < 1.0
    same, _ = passages(fa, fa, fa.shingles)
    assert [(p.revised, p.similarity) for p in same] == [(False, 1.0)]


def test_a_verbatim_passage_is_not_revised() -> None:
    draft = "Our reporter adds a first sentence of her own to the story. " + SOURCE
    found = _revised(draft, SOURCE)
    assert len(found) == 1
    assert (found[0].similarity, found[0].revised) == (1.0, False)
    assert draft[found[0].a_start:found[0].a_end] == SOURCE[:found[0].b_end]


def test_boilerplate_words_take_no_part_in_revised_passages() -> None:
    fa, fb = fingerprint(REVISED), fingerprint(SOURCE)
    ha, hb = token_hashes(raw_tokens(REVISED)), token_hashes(raw_tokens(SOURCE))
    assert revised_passages(fa, fb, ha, hb)
    # the source's text learnt as its outlet's boilerplate: nothing left to align
    assert revised_passages(fa, fb, ha, hb, noise=fb.shingles) == []


def test_an_independent_text_on_the_same_event_has_no_revised_passage() -> None:
    assert _revised(INDEPENDENT, SOURCE) == []


def test_single_anchor_keys_survive_a_revision_that_breaks_anchor_pairs() -> None:
    params = FingerprintParams(anchor_rate=2)
    a, b = fingerprint(SOURCE, params), fingerprint(REVISED, params)
    singles = set(single_keys(a.shingle_seq, params)) & set(single_keys(b.shingle_seq, params))
    pairs = set(anchor_keys(a.shingle_seq, params)) & set(anchor_keys(b.shingle_seq, params))
    assert len(singles) > len(pairs)
    assert all(k[0] == SINGLE_PREFIX for k in singles)
    stored = sketch(SOURCE, params).band_keys
    assert set(single_keys(a.shingle_seq, params)) <= set(stored)
    assert [k for k in stored if k[0] == SINGLE_PREFIX] == single_keys(a.shingle_seq, params)


def test_revised_passages_are_stored_with_their_similarity() -> None:
    passages_ = (Passage(0, 120, 0, 118, 21), Passage(300, 900, 310, 905, 80, 0.74, True))
    edge = CopyEdge("a", "b", "derived_from", "partial", 0.2, 0.2, 0.3, 0.3, 0.3, 0.3,
                    passages_, "published")
    row = rows.copy_edge_row(edge, 1)
    assert json.loads(row["passages"]) == [[0, 120, 0, 118, 21], [300, 900, 310, 905, 80, 0.74,
                                                                  True]]
    back = rows.copy_edge_from_row({**row, "id": 1})
    assert back.passages == passages_
    assert passages_[1].flipped() == Passage(310, 905, 300, 900, 80, 0.74, True)


@pytest.mark.skipif(not MSRP.is_dir(), reason="../shared/data/msrp-news-paraphrase is absent")
def test_paraphrase_pairs_align_more_often_than_non_paraphrases() -> None:
    lines = (MSRP / "msr_paraphrase_train.txt").read_text(encoding="utf-8-sig").splitlines()[1:]
    found = {"0": [0, 0], "1": [0, 0]}
    for line in lines[:1500]:
        quality, _, _, a, b = line.split("\t")
        found[quality][0] += 1
        found[quality][1] += bool(_revised(a, b))
    positive, negative = (found[q][1] / found[q][0] for q in "10")
    assert positive > 0.4 and positive > 1.6 * negative


# -- retold drafts (copies/retold.py) ----------------------------------------------------------

# Our own retelling of SOURCE: the facts in new sentences, hardly a word run in common.
RETOLD = (
    "A cracked pier ends grain shipments in the northern port: its harbour authority "
    "announced on Monday that the terminal closes when the year ends. Inspectors had spotted "
    "the damage to the concrete in spring, and repairing it would be dearer than a brand new "
    "pier upstream on the river. Forty workers, mostly on night shifts, are affected; their "
    "union asks for jobs at the container yard. The city council takes up the plan next week "
    "while farmers wonder where their harvest should go, and a housing company is interested "
    "in the land.")


def test_content_words_are_names_numbers_and_long_words() -> None:
    from provenance.copies.retold import content_words
    from provenance.copies.tokens import token_hashes as hashes
    text = "The council of Bonn said that 40 workers would lose their jobs at the harbour."
    found = content_words(text, prose_only=False)
    assert found.tolist() == hashes(["council", "Bonn", "40", "workers", "harbour"]).tolist()


def test_content_keys_carry_their_prefix_and_sample_the_content_words() -> None:
    from provenance.config import CONTENT_KEY_RATE, CONTENT_PREFIX
    from provenance.copies.retold import content_keys, content_words
    keys = content_keys(SOURCE)
    assert keys == sorted(set(keys)) and all(k[0] == CONTENT_PREFIX and len(k) == 9
                                             for k in keys)
    words = set(content_words(SOURCE, prose_only=False).tolist())
    keyed = {int.from_bytes(k[1:], "big") for k in keys}
    assert keyed == {w for w in words if w % CONTENT_KEY_RATE == 0}
    assert 0.25 * len(words) < len(keyed) < 0.75 * len(words)


def test_lcs_length_agrees_with_dynamic_programming() -> None:
    from provenance.copies.retold import lcs_length
    rng = np.random.default_rng(7)
    for _ in range(50):
        a = rng.integers(0, 6, rng.integers(0, 30)).astype(np.uint64)
        b = rng.integers(0, 6, rng.integers(0, 90)).astype(np.uint64)
        table = np.zeros((len(a) + 1, len(b) + 1), dtype=int)
        for i in range(len(a)):
            for j in range(len(b)):
                table[i + 1, j + 1] = (table[i, j] + 1 if a[i] == b[j]
                                       else max(table[i, j + 1], table[i + 1, j]))
        assert lcs_length(a, b) == table[-1, -1]


def test_a_retelling_scores_above_the_threshold_and_independent_text_below() -> None:
    from provenance.config import RETOLD_MIN_SCORE
    from provenance.copies.retold import content_words, retold_score
    source = content_words(SOURCE)
    retold = retold_score(content_words(RETOLD, prose_only=False), source)
    independent = retold_score(content_words(INDEPENDENT, prose_only=False), source)
    assert retold >= RETOLD_MIN_SCORE > independent
    assert _revised(RETOLD, SOURCE) == []  # no revised passage: only the retold score sees it


def _holders(buckets: dict[bytes, list[str]]) -> tuple[dict, list[bytes], dict[str, int]]:
    """Bucket sizes, the keys read (sorted) and each article's bit mask of them, as
    `Store.rare_key_holders` gives them, from buckets written out."""
    read = sorted(buckets)
    holders: dict[str, int] = {}
    for bit, key in enumerate(read):
        for article in buckets[key]:
            holders[article] = holders.get(article, 0) | 1 << bit
    return {k: len(m) for k, m in buckets.items()}, read, holders


def test_rare_keys_rank_candidates_by_inverse_frequency() -> None:
    from provenance.copies.retold import rank_by_rare_keys
    buckets = {b"rare": ["a"], b"rarer": ["b"], b"common": ["a", "b", "c", "d"],
               b"both": ["b", "c"]}
    assert rank_by_rare_keys(*_holders(buckets), 100, 2) == ["b", "a"]
    assert rank_by_rare_keys(*_holders(buckets), 100, 5) == ["b", "a", "c", "d"]
    # equal weights: by id; more than 62 keys take a second word of bits
    many = {bytes([i]): ["z", "y"] if i % 2 else ["x", "z"] for i in range(70)}
    assert rank_by_rare_keys(*_holders(many), 100, 2) == ["z", "x"]
    assert rank_by_rare_keys(*_holders(many), 100, 3) == ["z", "x", "y"]
