"""Stories (copies.stories): strong copy edges group articles, with a guard against chaining."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from provenance.config import NEAR_DUP_COVERAGE, STORY_PARTIAL_MIN_COVERAGE
from provenance.copies import (
    cluster_stories,
    copy_edge,
    fingerprint,
    is_strong,
    orient,
    story_id,
    verify,
)
from provenance.copies.stories import StoryEdge, _Pairs
from provenance.extract import text_digest
from provenance.records import Article, CopyEdge

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

T0 = datetime(2025, 2, 14, 9, 30, tzinfo=UTC)


def fake_edge(source: str, copy: str, kind: str = "near_duplicate",
              coverage: float = 0.9) -> CopyEdge:
    return CopyEdge(source, copy, "derived_from", kind, coverage, coverage, coverage, coverage,
                    coverage, coverage, (), "published")


@pytest.mark.parametrize(
    ("kind", "coverage", "strong"),
    [("exact", 0.3, True), ("near_duplicate", 0.6, True), ("near_duplicate", 0.3, False),
     ("partial", 0.49, False)],
)
def test_full_copies_are_strong(kind: str, coverage: float, strong: bool) -> None:
    assert is_strong(fake_edge("a", "b", kind, coverage)) is strong


def test_a_partial_copy_never_joins_a_story_however_much_of_the_copy_it_covers() -> None:
    # half of the copy is the source's passage: the copy still tells a story of its own
    edge = CopyEdge("a", "b", "derived_from", "partial", 0.2, 0.2, 0.2, 0.2, 0.55, 0.3, (),
                    "published")
    assert not is_strong(edge)


def _article(name: str, text: str, day: int) -> Article:
    return Article(id=name, source_key=name, external_id=name, path=name, record=None,
                   format="text", text=text, text_hash=text_digest(text), n_chars=len(text),
                   publisher_id=f"web:{name}.example.org", published=f"2025-03-{day:02d}")


def test_an_article_reusing_two_paragraphs_of_another_is_a_copy_but_not_its_story() -> None:
    # the host's own four paragraphs around two of the source's: the passage is over half of
    # the host (a partial copy all the same: less than the near-duplicate share of either)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    own = [p for p in seeds[4].split("\n") if p.strip()][:4]
    reused = [p for p in seeds[0].split("\n") if len(p.split()) >= 12][:2]
    host = "\n".join(own[:2] + reused + own[2:])
    source, copier = _article("source", seeds[0], 1), _article("host", host, 2)
    match = verify(fingerprint(source.text), fingerprint(copier.text))
    assert match is not None and match.kind == "partial"
    edge = copy_edge(source, copier, orient(match, source, copier, set(), set()))
    assert STORY_PARTIAL_MIN_COVERAGE <= edge.coverage_copy < NEAR_DUP_COVERAGE
    stories = cluster_stories(["source", "host"], [edge], {"source": T0, "host": T0})
    assert [s.members for s in stories] == [("host",), ("source",)]


def sided_edge(relation: str, coverage_source: float, coverage_copy: float) -> CopyEdge:
    return CopyEdge("a", "b", relation, "near_duplicate", 0.2, 0.2, 0.2, 0.2, coverage_copy,
                    coverage_source, (), "published" if relation == "derived_from" else "tie")


def test_a_source_held_inside_a_longer_article_does_not_join_its_story() -> None:
    # a short wire item (all of it) inside a long article of the copier's own: a passage
    assert not is_strong(sided_edge("derived_from", coverage_source=0.95, coverage_copy=0.2))
    # a trimmed copy: all of the copy is the source's text
    assert is_strong(sided_edge("derived_from", coverage_source=0.3, coverage_copy=0.98))
    # undated or tied: either side may be the copy
    assert is_strong(sided_edge("similar", coverage_source=0.95, coverage_copy=0.2))


def test_chain_through_one_member_does_not_merge_stories() -> None:
    edges = [fake_edge("a", "b"), fake_edge("b", "c")]
    stories = cluster_stories(["a", "b", "c"], edges, {"a": T0, "b": T0, "c": T0})
    assert [s.members for s in stories] == [("a", "b"), ("c",)]


def test_copies_verified_only_against_the_origin_join_its_story() -> None:
    edges = [fake_edge("wire", f"copy{k}", coverage=0.7 + k / 100) for k in range(4)]
    published = {"wire": T0, **{f"copy{k}": T0 + timedelta(hours=k + 1) for k in range(4)}}
    (story,) = cluster_stories(published, edges, published)
    assert story.origin_article_id == "wire"
    assert len(story.members) == 5


def test_two_dense_groups_joined_by_one_edge_stay_apart() -> None:
    left, right = ["l1", "l2", "l3"], ["r1", "r2", "r3"]
    edges = [fake_edge(x, y) for group in (left, right)
             for x, y in itertools.combinations(group, 2)]
    edges.append(fake_edge("l3", "r3", coverage=0.99))
    published = {x: T0 + timedelta(minutes=k) for k, x in enumerate(left + right)}
    stories = cluster_stories(left + right, edges, published)
    assert [s.members for s in stories] == [tuple(left), tuple(right)]


def test_weak_partial_edges_do_not_make_stories() -> None:
    edges = [fake_edge("a", "b", "partial", coverage=0.2)]
    assert [s.members for s in cluster_stories(["a", "b"], edges)] == [("a",), ("b",)]
    assert cluster_stories(["a", "b"], edges, include_singletons=False) == []
    strong = [fake_edge("a", "b", "near_duplicate", coverage=0.7)]
    assert [s.members for s in cluster_stories(["a", "b"], strong)] == [("a", "b")]


@pytest.mark.parametrize(
    ("published", "origin"),
    [
        ({"a": T0 + timedelta(hours=1), "b": T0}, "b"),
        ({"a": T0, "b": T0}, "a"),
        ({"a": None, "b": T0}, "b"),
        ({}, "a"),
    ],
    ids=["earliest", "tie-by-id", "undated-last", "all-undated"],
)
def test_origin_is_earliest_dated_then_by_id(published: dict, origin: str) -> None:
    (story,) = cluster_stories(["b", "a"], [fake_edge("a", "b")], published)
    assert story.origin_article_id == origin
    assert story.id == story_id(origin)


def test_a_host_of_a_short_source_stays_out_of_its_story() -> None:
    # the host carries all of a short wire item in a longer article of its own: its edge with
    # the wire is weak, though every later copy of the item lies wholly inside the host
    host_edge = CopyEdge("wire", "host", "derived_from", "near_duplicate", 0.2, 0.2, 0.2, 0.2,
                         0.2, 1.0, (), "published")
    copies = [fake_edge(f"copy{j}" if j else "wire", f"copy{k}")
              for k in range(3) for j in range(k + 1)]
    inside = [CopyEdge("host", f"copy{k}", "derived_from", "near_duplicate", 0.2, 0.2, 0.2, 0.2,
                       1.0, 0.2, (), "published") for k in range(3)]
    published = {"wire": T0, "host": T0 + timedelta(hours=1),
                 **{f"copy{k}": T0 + timedelta(hours=k + 2) for k in range(3)}}
    stories = cluster_stories(published, [host_edge, *copies, *inside], published)
    assert [s.members for s in stories] == [("copy0", "copy1", "copy2", "wire"), ("host",)]



def test_stories_from_a_stream_of_lean_edges_are_those_of_the_edge_list() -> None:
    # what the copy phase does on a large archive: edges streamed once as `StoryEdge`s, the
    # publication times asked for afterwards, only for the articles of strong edges
    host_edge = CopyEdge("wire", "host", "derived_from", "near_duplicate", 0.2, 0.2, 0.2, 0.2,
                         0.2, 1.0, (), "published")
    edges = [host_edge, fake_edge("wire", "copy0"), fake_edge("copy0", "copy1"),
             fake_edge("wire", "copy1"), fake_edge("copy1", "other", "partial", 0.3)]
    published = {"wire": T0, "host": T0 + timedelta(hours=1), "copy0": T0 + timedelta(hours=2),
                 "copy1": T0 - timedelta(hours=1), "other": T0}
    asked: list[list[str]] = []

    def times(ids: list[str]) -> dict:
        asked.append(ids)
        return {i: published[i] for i in ids}

    lean = (StoryEdge(e.source_id, e.copy_id, e.relation, e.kind, e.jaccard, e.coverage_source,
                      e.coverage_copy) for e in edges)
    streamed = cluster_stories((), lean, times, include_singletons=False)
    assert streamed == cluster_stories(published, edges, published, include_singletons=False)
    assert [s.origin_article_id for s in streamed] == ["copy1"]
    assert asked == [["copy0", "copy1", "wire"]]


@pytest.mark.parametrize("seed", range(5))
def test_weak_pairs_kept_compactly_answer_as_a_set_does(seed):
    """The pairs joined by weak edges only (kept in 8 bytes a pair) are those of a plain set."""
    rng = random.Random(seed)
    names = [f"a{i}" for i in range(30)]
    added = [tuple(sorted(rng.sample(names, 2))) for _ in range(120)]
    strong = [tuple(sorted(rng.sample(names, 2))) for _ in range(20)] + [("zz", "zzz")]
    pairs = _Pairs()
    for pair in added:
        pairs.add(pair)
    pairs.close(strong)
    want = set(added) - set(strong)
    for u, v in itertools.combinations([*names, "new"], 2):
        assert ((u, v) in pairs) == ((u, v) in want), (u, v)
