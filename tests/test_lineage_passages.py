"""Passage-aware provenance: a copy's origins are those of the text it took, not of its source.

Texts are the fixtures' own paragraphs (seeds and the wire feed); the copy edges carry the
passages where each shared paragraph sits in the source and in the copy, as a scan stores them.
"""

from __future__ import annotations

import json
from dataclasses import replace

from test_lineage import FIXTURES, article, cites, copy_edge, fixture_paragraphs, shallow_stack

from provenance import ScanConfig, Store, lineage, scan
from provenance.records import Article, CopyEdge, Passage

LONG = [p for p in fixture_paragraphs() if len(p) >= 250]


def text_of(paragraphs: list[str]) -> str:
    """An article text: the paragraphs, a blank line apart."""
    return "\n\n".join(paragraphs)


def written(article_id: str, publisher: str, paragraphs: list[str]) -> Article:
    """An article of `publisher` holding `paragraphs`."""
    text = text_of(paragraphs)
    return replace(article(article_id, publisher), text=text, n_chars=len(text))


def copied(edge_id: int, source: Article, copy: Article, kind: str = "partial") -> CopyEdge:
    """A copy edge from `source` to `copy` with one passage per paragraph they share (where it
    sits in each text), as verification finds them."""
    shared = [p for p in source.text.split("\n\n") if p in copy.text.split("\n\n")]
    assert shared, "the two texts share no paragraph"
    passages = tuple(sorted(
        Passage(source.text.index(p), source.text.index(p) + len(p), copy.text.index(p),
                copy.text.index(p) + len(p), len(p.split())) for p in shared))
    return replace(copy_edge(edge_id, source.id, copy.id), kind=kind, passages=passages)


def text_origins(result: lineage.Lineage, article_id: str) -> set[str]:
    return {o.outlet_id for o in result.original_sources[article_id]
            if o.reason == "text_origin"}


def chain() -> tuple[Article, Article, Article]:
    """C (Elbe-Echo) writes paragraphs 0-2; B (Hafenkurier) copies C's paragraph 1 and adds
    its own 3-4."""
    c = written("c", "elbe_echo", LONG[0:3])
    b = written("b", "hafenkurier", [LONG[1], LONG[3], LONG[4]])
    return c, b, written("unused", "x", [LONG[5]])


def test_copying_the_sources_own_paragraph_does_not_lead_past_it():
    c, b, _ = chain()
    a = written("a", "kreisbote_nord", [LONG[3], LONG[6], LONG[7]])  # B's own paragraph
    edges = [copied(1, c, b), copied(2, b, a)]
    result = lineage.resolve([c, b, a], [], edges)
    assert text_origins(result, "a") == {"hafenkurier"}
    assert text_origins(result, "b") == {"elbe_echo"}
    path = result.original_sources["a"][0].path
    assert [s.relation for s in path] == ["derived_from", "published_by"]


def test_copying_the_paragraph_the_source_took_leads_to_its_author():
    c, b, _ = chain()
    a = written("a", "kreisbote_nord", [LONG[6], LONG[1], LONG[7]])  # the paragraph from C
    edges = [copied(1, c, b), copied(2, b, a)]
    result = lineage.resolve([c, b, a], [], edges)
    assert text_origins(result, "a") == {"elbe_echo"}
    assert [s.target for s in result.original_sources["a"][0].path] == [
        "article:b", "article:c", "outlet:elbe_echo"]


def test_copying_both_paragraphs_leads_to_both_authors():
    c, b, _ = chain()
    a = written("a", "kreisbote_nord", [LONG[1], LONG[3], LONG[7]])
    result = lineage.resolve([c, b, a], [], [copied(1, c, b), copied(2, b, a)])
    assert text_origins(result, "a") == {"elbe_echo", "hafenkurier"}


def test_a_whole_text_copy_follows_everything_its_source_holds():
    c, b, _ = chain()
    reprint = written("reprint", "alpenpost", b.text.split("\n\n"))
    edges = [copied(1, c, b), copied(2, b, reprint, kind="near_duplicate")]
    result = lineage.resolve([c, b, reprint], [], edges)
    # C's paragraph through B, and B's own two paragraphs from B's publisher
    assert text_origins(result, "reprint") == {"elbe_echo", "hafenkurier"}
    # a near-duplicate of a near-duplicate is the first text's alone, as before
    again = written("again", "rheinblatt", b.text.split("\n\n"))
    edges = [copied(1, b, reprint, kind="near_duplicate"),
             copied(2, reprint, again, kind="near_duplicate")]
    result = lineage.resolve([b, reprint, again], [], edges)
    assert text_origins(result, "again") == {"hafenkurier"}


def test_a_span_of_a_whole_text_copy_is_carried_through_its_passages():
    c, b, _ = chain()
    # Alpenpost reprints B whole under a paragraph of its own: B's text sits further down
    reprint = written("reprint", "alpenpost", [LONG[8], *b.text.split("\n\n")])
    near = copied(2, b, reprint, kind="near_duplicate")
    assert near.passages[0].b_start > near.passages[0].a_start
    for paragraph, want in ((LONG[1], {"elbe_echo"}), (LONG[3], {"hafenkurier"}),
                            (LONG[8], {"alpenpost"})):
        a = written("a", "kreisbote_nord", [LONG[6], paragraph, LONG[7]])
        result = lineage.resolve([c, b, reprint, a], [],
                                 [copied(1, c, b), near, copied(3, reprint, a)])
        assert text_origins(result, "a") == want, paragraph[:40]


def test_only_citations_inside_the_copied_text_are_inherited():
    c, b, _ = chain()
    a = written("a", "kreisbote_nord", [LONG[3], LONG[6], LONG[7]])
    # B names KCNA in its own paragraph 3 (copied by A) and Yonhap in paragraph 4 (not copied)
    in_copied = b.text.index(LONG[3]) + 10
    in_other = b.text.index(LONG[4]) + 10
    cits = [replace(cites("b", "kcna", LONG[3][:60]), start=in_copied, end=in_copied + 4),
            replace(cites("b", "yonhap", LONG[4][:60]), start=in_other, end=in_other + 6)]
    result = lineage.resolve([c, b, a], cits, [copied(1, c, b), copied(2, b, a)])
    cited = {o.outlet_id for o in result.original_sources["a"] if o.reason == "cited_source"}
    assert cited == {"kcna"}
    # naming Elbe-Echo does not credit A's copy of B's own paragraph: it is not its author
    named = replace(cites("a", "elbe_echo", LONG[6][:60]), start=0, end=9)
    result = lineage.resolve([c, b, a], [named], [copied(1, c, b), copied(2, b, a)])
    assert result.verdicts[2].verdict == "uncredited"
    assert result.verdicts[2].creditable == ("hafenkurier",)


def partial_chain(n: int) -> list[Article]:
    """n + 1 articles: article i holds paragraphs i, i+1, i+2 (of the fixtures, cycling), so it
    takes two from article i-1 and one from article i-2; publishers cycle through four."""
    paragraphs = fixture_paragraphs()
    outlets = ("alpenpost", "rheinblatt", "kreisbote_nord", "hafenkurier")
    return [written(f"copy-{n - i:05d}", outlets[i % 4],
                    [paragraphs[(i + k) % len(paragraphs)] for k in range(3)])
            for i in range(n + 1)]


def test_a_dense_partial_chain_of_thousands_has_bounded_origins():
    n = 2500
    articles = partial_chain(n)
    edges = [copied(len(articles) * back + i, articles[i - back], articles[i])
             for i in range(1, n + 1) for back in (1, 2) if i - back >= 0]
    with shallow_stack():
        result = lineage.resolve(articles, [], edges)
    assert not result.problems
    for i in range(2, n + 1):
        # paragraph i+1 is article i-1's own text; paragraph i, article i-2's
        want = {articles[i - 1].publisher_id, articles[i - 2].publisher_id}
        assert text_origins(result, articles[i].id) == want, i
    assert max(len(found) for found in result.original_sources.values()) == 2
    assert {v.verdict for v in result.verdicts.values()} == {"uncredited"}


def test_a_scan_stores_passage_aware_origins(tmp_path):
    """End to end: the scan's own passages keep a copy of B's own paragraph from reaching C."""
    bodies = {
        "c": ("Elbe-Echo", "2025-11-01T08:00:00+01:00", LONG[0:3]),
        "b": ("Hafenkurier", "2025-11-02T08:00:00+01:00", [LONG[1], LONG[3], LONG[4]]),
        "a": ("Kreisbote Nord", "2025-11-03T08:00:00+01:00", [LONG[3], LONG[6], LONG[7]]),
    }
    feed = tmp_path / "chain.jsonl"
    feed.write_text("".join(json.dumps({
        "id": key, "url": f"https://example.org/{key}", "title": f"Artikel {key}",
        "text": text_of(paragraphs), "outlet": outlet, "published": when,
        "language": "de"}) + "\n" for key, (outlet, when, paragraphs) in bodies.items()),
        encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], outlets_files=[FIXTURES / "outlets.json"], workers=1), db)
        ids = {a.external_id: a.id for a in db.articles()}
        edges = {(e.source_id, e.copy_id): e for e in db.copy_edges()}
        assert (ids["c"], ids["b"]) in edges and (ids["b"], ids["a"]) in edges
        assert (ids["c"], ids["a"]) not in edges
        found = {o.outlet_id: o.reason for o in db.original_sources([ids["a"]])}
        b_found = {o.outlet_id: o.reason for o in db.original_sources([ids["b"]])}
    assert found.get("hafenkurier") == "text_origin" and "elbe_echo" not in found
    assert b_found.get("elbe_echo") == "text_origin"
