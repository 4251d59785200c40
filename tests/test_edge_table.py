"""Copy edges in columns: the store's passages parsed a slice at a time, the table built from
slices read in any order, and what a span of a copy follows upstream."""

from __future__ import annotations

import random
from dataclasses import replace

from test_lineage import copy_edge

from provenance.copies.edge_table import EdgeTable, lean, overlaps, pieces, through
from provenance.records import EdgeColumns, Passage
from provenance.store import rows


def edges_of_a_story() -> list:
    """Copies of one story: passages (one revised), a whole-text copy with passages, one
    without, an undirected tie and a backdated copy."""
    return [
        replace(copy_edge(1, "wire", "daily"), kind="partial", passages=(
            Passage(0, 120, 40, 160, 20), Passage(300, 420, 200, 330, 21, 0.9, True))),
        replace(copy_edge(2, "wire", "weekly"), passages=(Passage(0, 400, 0, 390, 60),)),
        copy_edge(3, "daily", "blog"),
        replace(copy_edge(4, "daily", "weekly"), relation="similar", kind="partial",
                passages=(Passage(40, 160, 10, 130, 20),)),
        replace(copy_edge(5, "weekly", "blog", backdated=True), kind="partial",
                passages=(Passage(100, 220, 0, 120, 19),)),
        replace(copy_edge(6, "blog", "digest"), kind="partial", passages=()),
    ]


def columns(edges: list) -> EdgeColumns:
    """Edges as the store gives them: a slice of columns, passages parsed from their JSON."""
    counts, flat = rows.passage_columns(
        [rows.copy_edge_row(e, 1)["passages"] for e in edges])
    return EdgeColumns([e.id for e in edges], [e.source_id for e in edges],
                       [e.copy_id for e in edges], [e.relation for e in edges],
                       [e.kind for e in edges], [e.jaccard for e in edges],
                       [e.backdated for e in edges], counts, flat)


def test_passages_of_many_rows_are_parsed_as_each_row_alone():
    stored = [rows.copy_edge_row(e, 1)["passages"] for e in edges_of_a_story()]
    counts, flat = rows.passage_columns(stored)
    one_by_one = [rows.passage_offsets(s) for s in stored]
    assert counts.tolist() == [len(f) // 4 for f in one_by_one] == [2, 1, 0, 1, 1, 0]
    assert flat.tolist() == [x for f in one_by_one for x in f]


def test_a_row_not_in_the_written_form_is_parsed_on_its_own():
    stored = ["[[0, 120, 40, 160]]", None, "[[5, 9, 1, 4, 2]]"]  # four numbers; no passages
    counts, flat = rows.passage_columns(stored)
    assert counts.tolist() == [1, 0, 1]
    assert flat.tolist() == [0, 120, 40, 160, 5, 9, 1, 4]


def test_slices_read_in_any_order_give_the_edges_by_source_and_copy():
    edges = edges_of_a_story()
    shuffled = edges[:]
    random.Random(5).shuffle(shuffled)
    table = EdgeTable.from_columns([columns(shuffled[:2]), columns(shuffled[2:])])
    by_pair = sorted(edges, key=lambda e: (e.source_id, e.copy_id))
    assert [table.edge(i) for i in range(len(table))] == [lean(e) for e in by_pair]
    assert [table.edge_id(i) for i in table.by_id] == [1, 2, 3, 4, 5, 6]
    assert [table.source_spans(i) for i in range(len(table))] == [
        [p.source_span for p in pieces(lean(e))] for e in by_pair]


def test_a_span_follows_the_pieces_it_overlaps_and_what_they_took():
    table = EdgeTable(edges_of_a_story())
    for article_id in ("daily", "weekly", "blog", "digest", "wire", "unknown"):
        directed = [e for e in map(lean, edges_of_a_story())
                    if e.copy_id == article_id and e.relation == "derived_from"]
        for span in (None, (0, 50), (45, 150), (210, 320), (500, 600)):
            want = []
            for edge in directed:
                for piece in pieces(edge):
                    if overlaps(span, piece.copy_span):
                        taken = through(span, piece.source_span, edge.passages)
                        if taken != "nothing":
                            want.append((edge.id, (edge.source_id, taken)))
            got = [(table.edge_id(i), key) for i, key in table.follow(article_id, span)]
            assert got == want, (article_id, span)
        assert table.has_copies(article_id) == bool(directed)
