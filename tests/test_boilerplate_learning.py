"""Boilerplate learning (copies/boilerplate) against plain-Python readings of its rules, on the
shingle sets of the real seed texts: the array passes must find exactly what the rules say."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from provenance.config import BOILERPLATE_MAX_DOC_SHARE
from provenance.copies import shingle_set
from provenance.copies.boilerplate import learn_boilerplate, learn_recurring, learn_site_template
from provenance.scan.registry import registry_of

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
# Text written for these tests: a banner two sites print, and a footer of one outlet.
BANNER = ("Unterstützen Sie unabhängigen Lokaljournalismus in der Region und lesen Sie alle "
          "Beiträge unserer Redaktion schon ab einem Euro im ersten Monat.")
FOOTER = ("This article is part of our weekly regional briefing, sent every Friday morning to "
          "readers who signed up for it on our website.")


def _paragraphs() -> list[str]:
    """The paragraphs of the seed articles with at least 25 words: short distinct texts."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        found += [p for p in path.read_text(encoding="utf-8").split("\n\n")
                  if len(p.split()) >= 25]
    return found


def _archive() -> tuple[list[np.ndarray], list[str]]:
    """Shingle sets of an archive: distinct paragraphs, some under a banner of two sites, some
    reprinted word for word by other outlets, some under one outlet's footer."""
    paragraphs = _paragraphs()
    assert len(paragraphs) >= 14
    texts, publishers = [], []
    for n, text in enumerate(paragraphs[:6]):  # a banner under six unrelated stories
        texts.append(text + "\n" + BANNER)
        publishers.append("nord" if n % 2 else "sued")
    for n in range(5):  # one story and its four reprints
        texts.append(("Berlin (dpa) - " if n else "") + paragraphs[6])
        publishers.append(f"reprint-{n}")
    for text in paragraphs[7:14]:
        texts.append(text + "\n" + FOOTER)
        publishers.append("west")
    return [shingle_set(t) for t in texts], publishers


def _reference_recurring(sets: list[np.ndarray], publishers: list[str], min_docs: int,
                         min_outlets: int) -> tuple[set[int], set[tuple[int, int]]]:
    """`learn_recurring`'s rule read off plain sets: the recurring shingles, and the
    (shingle, article) pairs of the shingles held by at least `min_docs` articles."""
    holders: dict[int, list[int]] = defaultdict(list)
    for doc, values in enumerate(sets):
        for value in values.tolist():
            holders[value].append(doc)
    share = [sum(len(holders[v]) >= 2 for v in values.tolist()) / max(1, len(values))
             for values in sets]
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for value, docs in holders.items():
        if len(docs) >= min_docs:
            groups[tuple(docs)].append(value)
    learnt = set()
    for docs, values in groups.items():
        if (len({publishers[d] for d in docs}) >= min_outlets
                and np.median([share[d] for d in docs]) < BOILERPLATE_MAX_DOC_SHARE):
            learnt.update(values)
    pairs = {(v, d) for v, docs in holders.items() if len(docs) >= min_docs for d in docs}
    return learnt, pairs


@pytest.mark.parametrize(("min_docs", "min_outlets"), [(5, 3), (3, 1), (2, 2), (1, 1)])
def test_recurring_shingles_are_those_the_rule_names(min_docs: int, min_outlets: int) -> None:
    sets, publishers = _archive()
    learnt, values, docs = learn_recurring(sets, publishers, min_docs, min_outlets)
    expected, pairs = _reference_recurring(sets, publishers, min_docs, min_outlets)
    assert set(learnt.tolist()) == expected
    assert learnt.dtype == np.uint64 and np.all(learnt[1:] > learnt[:-1])
    assert set(zip(values.tolist(), docs.tolist(), strict=True)) == pairs
    assert len(values) == len(pairs)  # each pair once, in shingle order, articles in order
    assert np.all(values[1:] >= values[:-1]) and docs.dtype == np.int64


def test_the_banner_recurs_and_the_reprinted_story_does_not() -> None:
    sets, publishers = _archive()
    learnt = learn_recurring(sets, publishers, 5, 2)[0]
    assert np.isin(shingle_set(BANNER), learnt).all()
    assert not np.isin(shingle_set(_paragraphs()[6]), learnt).any()
    assert not len(learn_recurring([], [])[0])
    assert not len(learn_recurring([np.zeros(0, dtype=np.uint64)] * 6, ["a"] * 6)[0])


def test_an_outlet_s_footer_is_its_boilerplate_and_nothing_else() -> None:
    sets, publishers = _archive()
    own = [s for s, p in zip(sets, publishers, strict=True) if p == "west"]
    assert set(learn_boilerplate(own).tolist()) == set(shingle_set(FOOTER).tolist())
    assert not len(learn_boilerplate(own[:2]))  # too few articles
    assert not len(learn_boilerplate([np.zeros(0, dtype=np.uint64)] * 4))
    assert set(learn_site_template(own).tolist()) >= set(shingle_set(FOOTER).tolist())


def _reference_boilerplate(sets: list[np.ndarray], min_docs: int, min_fraction: float) -> set[int]:
    """`learn_boilerplate`'s rule read off plain sets: the frequent shingles whose group of
    holders has a median share of frequent shingles below `BOILERPLATE_MAX_DOC_SHARE`."""
    needed = max(min_docs, math.ceil(min_fraction * len(sets)))
    holders: dict[int, list[int]] = defaultdict(list)
    for doc, values in enumerate(sets):
        for value in values.tolist():
            holders[value].append(doc)
    frequent = {v for v, docs in holders.items() if len(docs) >= needed}
    share = [len(frequent & set(values.tolist())) / max(1, len(values)) for values in sets]
    return {v for v in frequent
            if np.median([share[d] for d in holders[v]]) < BOILERPLATE_MAX_DOC_SHARE}


def _random_archive(seed: int) -> tuple[list[np.ndarray], list[str]]:
    """Shingle sets drawn from a small universe, so that groups of every size and share (odd
    and even numbers of holders, ties of shares) occur: footers, families, stray shingles."""
    rng = np.random.default_rng(seed)
    universe = np.unique(rng.integers(0, 2**63 - 1, size=60, dtype=np.int64)).astype(np.uint64)
    sets = [np.unique(rng.choice(universe, size=int(rng.integers(0, 30))))
            for _ in range(int(rng.integers(3, 40)))]
    return sets, [f"outlet-{int(rng.integers(0, 5))}" for _ in sets]


@pytest.mark.parametrize("seed", range(40))
def test_learning_on_random_archives_is_what_the_rules_name(seed: int) -> None:
    sets, publishers = _random_archive(seed)
    for min_docs, min_outlets in ((5, 3), (2, 1), (3, 2)):
        expected, _ = _reference_recurring(sets, publishers, min_docs, min_outlets)
        assert set(learn_recurring(sets, publishers, min_docs, min_outlets)[0].tolist()) == expected
    for min_docs, min_fraction in ((3, 0.1), (2, 0.5), (1, 0.0)):
        learnt = learn_boilerplate(sets, min_docs, min_fraction)
        assert set(learnt.tolist()) == _reference_boilerplate(sets, min_docs, min_fraction)
        assert learnt.dtype == np.uint64 and np.all(learnt[1:] > learnt[:-1])


def test_the_packaged_registry_is_read_once_per_process() -> None:
    first = registry_of(None)
    assert registry_of(None, []) is first
    assert first.get("reuters") is not None
