"""Candidate pairs stay bounded per article, and the edges never depend on input order.

A bucket of more than `config.PAIR_BUCKET` articles pairs its members with its earliest
members only; when a bucket grows past that (or past `config.MAX_BUCKET`, or gets earlier
representatives) in a later scan, the articles it paired before are compared again, so that
scanning a syndication family in batches gives the edges of one scan of all of it. So does an
outlet whose footer is learnt only once enough of its articles have come: its articles compared
before are compared again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from candidate_helpers import scan_keys, weigh_between

from provenance import ScanConfig, Store, config, config_copies, scan
from provenance.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = (FIXTURES / "seeds" / "000_91de5c1d8bb5a62d.txt").read_text(encoding="utf-8")
OTHER = (FIXTURES / "seeds" / "001_9c298535ef3c6604.txt").read_text(encoding="utf-8")


def _family(size: int) -> list[dict]:
    """A wire story in `size` outlets, each copy with its own lede, dated hour by hour; every
    third outlet also carries a paragraph of another story (partial reuse)."""
    paragraph = OTHER.split("\n\n")[1] if "\n\n" in OTHER else OTHER[:600]
    return [{"id": f"copy-{i:02d}", "outlet": f"outlet-{i}.example",
             "published": f"2025-03-{1 + i // 24:02d}T{i % 24:02d}:00:00Z",
             "text": f"Stand {i}: aktualisierte Fassung Nummer {i}.\n\n{SEED}"
             + (f"\n\n{paragraph}" if i % 3 == 0 else "")} for i in range(size)]


def _edges(tmp_path: Path, batches: list[list[dict]], name: str) -> tuple[set, list[dict]]:
    """The copy edges (source, copy, kind by external id) after scanning the batches in turn,
    and each run's copy counts."""
    counts = []
    with Store(tmp_path / f"{name}.db") as db:
        for n, batch in enumerate(batches):
            feed = tmp_path / f"{name}-{n}.jsonl"
            feed.write_text("".join(json.dumps(r) + "\n" for r in batch), encoding="utf-8")
            counts.append(scan(ScanConfig(paths=[feed], workers=1), db).counts["copies"])
        names = {a.id: a.external_id for a in db.articles()}
        edges = {(names[e.source_id], names[e.copy_id], e.kind) for e in db.copy_edges()}
    return edges, counts


def test_a_family_scanned_in_batches_has_the_edges_of_one_scan(tmp_path) -> None:
    family = _family(30)
    assert len(family) > config.PAIR_BUCKET
    whole, counts = _edges(tmp_path, [family], "whole")
    assert counts[0]["represented_buckets"] > 0  # the family is joined through representatives
    assert counts[0]["candidate_pairs"] < len(family) * (len(family) - 1) // 2
    # first a small family (all pairs), then earlier copies (the representatives change),
    # then the rest; and the reverse order
    first, earlier, rest = family[10:20], family[:10], family[20:]
    batched, counts = _edges(tmp_path, [first, earlier, rest], "batched")
    assert any(c["requeued_by_buckets"] for c in counts)  # a grown bucket changed pairs
    backwards, _ = _edges(tmp_path, [rest, first, earlier], "backwards")
    assert whole and batched == whole and backwards == whole


def test_a_bucket_grown_hot_withdraws_its_pairs(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(config, "MAX_BUCKET", 20)
    family = _family(26)
    whole, _ = _edges(tmp_path, [family], "whole")
    batched, counts = _edges(tmp_path, [family[:12], family[12:]], "batched")
    assert counts[0]["copy_edges"] > 0 and counts[1]["hot_keys"] > 0
    assert batched == whole


@pytest.mark.parametrize("cap", [16, 24])
def test_the_bucket_limits_are_recorded_with_the_run(tmp_path, monkeypatch, cap) -> None:
    monkeypatch.setattr(config, "PAIR_BUCKET", cap)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in _family(4)), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        tunables = db.runs()[-1].parameters["tunables"]
    assert tunables["PAIR_BUCKET"] == cap
    assert tunables["MAX_BUCKET"] == config.MAX_BUCKET
    assert tunables["BUCKET_REPRESENTATIVES"] == config.BUCKET_REPRESENTATIVES


def test_the_tunables_of_the_side_config_modules_are_recorded_too(tmp_path, monkeypatch) -> None:
    """Thresholds that live in `config_copies` and `config_citations` (config.py has no room
    left) decide edges and citations too: a run records them with the others."""
    from provenance import config_citations, config_copies

    monkeypatch.setattr(config_copies, "TEMPLATE_OPEN_SHARE", 0.25)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in _family(3)), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        tunables = db.runs()[-1].parameters["tunables"]
    assert tunables["TEMPLATE_OPEN_SHARE"] == 0.25
    assert tunables["PROSE_LIST_CAPITALS"] == config_copies.PROSE_LIST_CAPITALS
    assert tunables["NAME_MEMO"] == config_citations.NAME_MEMO
    assert tunables["PAIR_BUCKET"] == config.PAIR_BUCKET


# --- the weight of shared keys (copies.candidates) ----------------------------------------------


def test_a_key_weighs_less_the_more_articles_hold_it() -> None:
    from provenance.copies.candidates import WEIGHT_UNIT, key_weight, needed_weight

    assert key_weight(2) == WEIGHT_UNIT
    assert key_weight(3) > key_weight(4) > key_weight(config.MAX_BUCKET)
    # rounded up, whole numbers: three keys of seven articles weigh half a key of two exactly
    assert 3 * key_weight(7) >= needed_weight(0.5) > 2 * key_weight(7)


def test_proposals_sum_to_the_same_weights_in_any_order_and_batching() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from provenance.copies.candidates import PairWeights, key_weight, weight_and_keys

    proposal = st.tuples(st.integers(0, 40), st.integers(2, config.MAX_BUCKET))

    @settings(max_examples=60, deadline=None)
    @given(st.lists(proposal, max_size=200), st.randoms(), st.integers(1, 50))
    def check(proposals, rng, limit):
        expected: dict[int, list[int]] = {}
        for code, size in proposals:
            weight, keys = expected.get(code, [0, 0])
            expected[code] = [weight + key_weight(size), keys + 1]
        shuffled = list(proposals)
        rng.shuffle(shuffled)
        summed = PairWeights(limit)
        for code, size in shuffled:
            summed.add(code, key_weight(size))
        codes, sums = summed.summed()
        weights, keys = weight_and_keys(sums)
        assert list(codes) == sorted(expected)
        assert [[int(w), int(k)] for w, k in zip(weights, keys, strict=True)] == [
            expected[c] for c in sorted(expected)]

    check()


def test_the_sums_of_two_copies_of_the_largest_text_do_not_overflow() -> None:
    from provenance.copies.candidates import (
        PairWeights,
        key_weight,
        needed_weight,
        strong_pairs,
        weight_and_keys,
    )

    keys = 300_000  # more keys than a text of config.MAX_DOCUMENT_BYTES holds
    summed = PairWeights()
    for _ in range(keys):
        summed.add(7, key_weight(2))
    codes, sums = summed.summed()
    weight, count = weight_and_keys(sums)
    assert codes.tolist() == [7] and count.tolist() == [keys]
    assert weight.tolist() == [keys * key_weight(2)]
    assert strong_pairs(sums, needed_weight(0.5), 3).tolist() == [True]


def test_a_weak_pair_is_a_candidate_when_both_are_strong_with_a_third() -> None:
    import numpy as np

    from provenance.copies.candidates import candidates, pair_code, promoted

    # 0 is an original, 1 and 2 two copies of it that share little; 3 shares a quote with 1
    codes = np.array([pair_code(0, 1), pair_code(0, 2), pair_code(1, 2), pair_code(1, 3)],
                     dtype=np.uint64)
    strong = np.array([True, True, False, False])
    wanted, lifted = candidates(codes, strong)
    assert wanted.tolist() == [True, True, True, False]
    assert lifted.tolist() == [False, False, True, False]
    # only a supporter that `supporters` marks counts, and only the pairs `among` marks
    assert not promoted(codes, strong, supporters=np.array([False, True, True, True])).any()
    assert not promoted(codes, strong, among=np.array([True, True, False, True])).any()


# --- which pairs a scan compares ----------------------------------------------------------------

_WORDS = sorted({w for path in sorted((FIXTURES / "seeds").glob("*.txt"))
                 for w in path.read_text(encoding="utf-8").split() if w.isalpha()})
_SENTENCES = [s.strip().rstrip(".") + "." for line in SEED.splitlines()
              if "](" not in line for s in line.split(". ") if 12 < len(s.split()) < 30]


def _words(seed: int, n: int) -> str:
    """Text of its own: the seeds' words drawn in an order of its own (shares no shingle)."""
    import random

    rng = random.Random(seed)
    sentences = []
    while sum(len(x) for x in sentences) < n:
        sentences.append([rng.choice(_WORDS) for _ in range(rng.randint(9, 16))])
    return " ".join(" ".join(words).capitalize() + "." for words in sentences)


def _carrying(text: str, first: int, count: int, prefix: str, own: int = 120) -> list[dict]:
    """``count`` articles with ``own`` words of their own before and after ``text``."""
    return [{"id": f"{prefix}-{i:02d}", "outlet": f"{prefix}-{i}.example",
             "published": f"2025-04-01T{i:02d}:00:00Z",
             "text": f"{_words(first + i, own)}\n\n{text}\n\n{_words(first + 500 + i, own)}"}
            for i in range(count)]


def test_quotes_in_many_articles_are_light_pairs_reused_passages_stay_edges(tmp_path) -> None:
    quote = _SENTENCES[3]
    passage = " ".join(_SENTENCES[:3])
    assert len(quote.split()) < 30 and len(passage.split()) > 50
    quoting = _carrying(quote, 0, 12, "quote")
    # most of each article (a passage in many articles, a small part of each, is a banner:
    # `config.RECURRING_MIN_DOCS`)
    reusing = _carrying(passage, 100, 10, "reuse", own=12)
    whole, counts = _edges(tmp_path, [quoting + reusing], "whole")
    assert counts[0]["light_pairs"] > 0  # the quote's pairs: proposed, not compared
    assert not {e for e in whole if e[0].startswith("quote")}
    reused = {frozenset(e[:2]) for e in whole if e[0].startswith("reuse")}
    assert len(reused) == 10 * 9 // 2  # every pair of the passage's articles, however many
    # first a few of each (the quote's pairs are strong then: compared, no edge), then the rest
    batched, counts = _edges(tmp_path, [quoting[:2] + reusing[:2], quoting[2:] + reusing[2:]],
                             "batched")
    assert counts[0]["light_pairs"] == 0 and batched == whole


@pytest.mark.parametrize("light_min", [None, 10_000])
def test_an_edge_whose_keys_grow_common_is_kept_or_withdrawn_as_one_scan_decides(
        tmp_path, monkeypatch, light_min) -> None:
    # three articles carry one passage (no outlet: no banner learnt). With a weight needed
    # between what the first two's keys weigh alone and what they weigh once the third holds
    # them too, the first two are an edge until the third comes; then their pair is light. A
    # light pair that shares the passage is verified all the same (the edge stays); when the
    # screening of light pairs asks for more than it shares, a scan in batches withdraws the
    # edge, as one scan of all three never finds it.
    a, b, c = (r for r in _carrying(" ".join(_SENTENCES[:3]), 100, 3, "reuse"))
    for r in (a, b, c):
        del r["outlet"]
    weigh_between(monkeypatch, a["text"], b["text"], c["text"], light_min)
    first, _ = _edges(tmp_path, [[a, b]], "first")
    assert first
    whole, counts = _edges(tmp_path, [[a, b, c]], "whole")
    assert counts[0]["light_pairs"] == 3
    assert counts[0]["light_verified"] == (0 if light_min else 3) and bool(whole) != bool(light_min)
    batched, counts = _edges(tmp_path, [[a, b], [c]], "batched")
    assert counts[1]["requeued_by_buckets"] == (2 if light_min else 0) and batched == whole


def test_a_new_original_makes_two_of_its_copies_a_family(tmp_path, monkeypatch) -> None:
    text = (FIXTURES / "seeds" / "002_25141ca1b34c2621.txt").read_text(encoding="utf-8")
    words = text.split()
    revised = " ".join("geändert" if i % 9 == 4 else w for i, w in enumerate(words))
    trimmed = " ".join(words[: len(words) * 2 // 5])
    family = [{"id": name, "outlet": f"{name}.example", "published": f"2025-05-0{day}",
               "text": body} for name, body, day in
              (("light", revised, 2), ("trim", trimmed, 3), ("original", text, 1))]
    # the weight the two copies' keys have without the original (a bucket of two: 1 each)
    shared = len(scan_keys(revised) & scan_keys(trimmed))
    assert 0 < shared
    monkeypatch.setattr(config_copies, "CANDIDATE_WEIGHT", shared + 0.5)
    monkeypatch.setattr(config_copies, "CANDIDATE_KEYS", 10_000)
    monkeypatch.setattr(config_copies, "LIGHT_MIN_SHINGLES", 10_000)  # light: never verified
    whole, _ = _edges(tmp_path, [family], "whole")
    assert ("original", "light") in {e[:2] for e in whole}
    copies = frozenset(("light", "trim"))
    assert copies in {frozenset(e[:2]) for e in whole}  # a family: compared
    batched, counts = _edges(tmp_path, [family[:2], family[2:]], "batched")
    assert counts[0]["light_pairs"] == 1 and counts[0]["copy_edges"] == 0  # alone: too weak
    assert counts[1]["requeued_by_buckets"] == 1 and counts[1]["promoted_pairs"] >= 1
    assert batched == whole


# Text written for this test: the footer one outlet prints under every article.
FOOTER = ("Die Alpenpost erscheint seit 1952 in den Tälern zwischen Inn und Salzach. Sie berichtet "
          "jeden Morgen über Gemeinden, Vereine, Schulen, Höfe und Betriebe der Region, über das "
          "Wetter in den Bergen, die Pegel der Flüsse und die Wege über die Pässe. Ihre Leute "
          "wohnen dort, wo sie schreiben, und kennen die Orte, von denen sie erzählen, seit vielen "
          "Jahren aus eigener Anschauung und aus langen Gesprächen mit den Menschen im Tal.")


def _footed(count: int) -> list[dict]:
    """``count`` articles of one outlet, distinct seed paragraphs each over the footer, and
    after them an article of another outlet that reprints the footer under a story of its own."""
    paragraphs = [p for path in sorted((FIXTURES / "seeds").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 40]
    assert len(paragraphs) > count
    return [{"id": f"alpen-{n}", "outlet": "alpenpost.example",
             "published": f"2025-06-0{n + 1}T08:00:00Z", "text": f"{paragraphs[n]}\n\n{FOOTER}"}
            for n in range(count)] + [
        {"id": "talbote", "outlet": "talbote.example", "published": "2025-06-09T08:00:00Z",
         "text": f"{paragraphs[count]}\n\n{FOOTER}"}]


def test_a_footer_learnt_later_compares_the_outlet_s_articles_again(tmp_path, runner) -> None:
    *articles, other = _footed(5)
    early, late = [*articles[:2], other], articles[2:]
    first, _ = _edges(tmp_path, [early], "first")
    assert {e[0] for e in first} == {"alpen-0", "alpen-1"}  # the footer, reprinted: a copy
    whole, _ = _edges(tmp_path, [early + late], "whole")
    batched, counts = _edges(tmp_path, [early, late], "batched")
    assert counts[1]["requeued_by_boilerplate"] == 2 and counts[1]["requeued_by_buckets"] == 0
    assert batched == whole and not whole  # once learnt, the footer is no copy evidence
    # the summary says why a scan of three articles compared five
    db = tmp_path / "cli.db"
    for n, batch in enumerate((early, late)):
        feed = tmp_path / f"cli-{n}.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in batch), encoding="utf-8")
        result = runner.invoke(app, ["scan", str(feed), "--db", str(db)],
                               env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
    assert "archived articles compared again (this run)" in result.output
    assert "their boilerplate changed: 2" in result.output
