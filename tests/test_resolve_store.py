"""Provenance resolution's reads and writes in the store: the copy edges as slices of
columns (one pass over the table, no join) and verdicts written by edge id."""

from __future__ import annotations

from dataclasses import replace

from test_store import _two_copies, db, make_article, run_id, seed_text  # noqa: F401

from provenance.copies.edge_table import EdgeTable, lean
from provenance.scan.resolve import resolve_provenance


def stored_edges(store) -> list:
    """The copy edges resolution reads, back from its slices of columns."""
    table = EdgeTable.from_columns(store.lineage_edge_columns())
    return [table.edge(i) for i in range(len(table))]


def test_edge_columns_hold_the_current_edges_as_copy_edges_lists_them(db, run_id):  # noqa: F811
    source, copy, edge = _two_copies(db, run_id)
    other = make_article(seed_text(4), "file:/rheinblatt/004.txt", published="2025-01-03")
    db.write_batch(run_id, [other], [], [], [])
    db.write_copy_edges(run_id, [edge, replace(edge, copy_id=other.id, kind="partial")],
                        [source.id, copy.id, other.id])
    assert stored_edges(db) == [lean(e) for e in db.copy_edges()]
    assert len(stored_edges(db)) == 2
    # a new version of the copy retires the old one: its edge is no longer read
    revised = make_article(seed_text(4) + "\nKorrektur: ein Datum war falsch.",
                           "file:/alpenpost/004.txt", published="2025-01-02")
    assert db.write_batch(run_id, [revised], [], [], []) == ["updated"]
    assert [e.copy_id for e in stored_edges(db)] == [other.id]
    assert stored_edges(db) == [lean(e) for e in db.copy_edges()]


def test_verdicts_are_written_once_and_rewritten_only_when_they_change(db, run_id):  # noqa: F811
    source, copy, edge = _two_copies(db, run_id)
    db.write_copy_edges(run_id, [edge], [source.id, copy.id])
    first = resolve_provenance(db, run_id)
    [stored] = db.copy_edges()
    assert first["uncredited"] + first["credited"] + first["same_outlet"] == 1
    assert stored.verdict is not None and stored.verdict_reason
    assert db.verdict_counts() == {stored.verdict: 1}
    again = resolve_provenance(db, run_id)
    assert again == first and db.copy_edges() == [stored]
