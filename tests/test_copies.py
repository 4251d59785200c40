"""Copy detection end to end: verified, directed edges from the persistent index, and stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance import ScanConfig, Store, scan
from provenance.config import FingerprintParams
from provenance.errors import IncompatibleIndexError
from provenance.records import CopyEdge

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def edge_between(edges: list[CopyEdge], a: str, b: str) -> CopyEdge | None:
    found = [e for e in edges if {e.source_id, e.copy_id} == {a, b}]
    return found[0] if found else None


def test_every_expected_copy_is_an_edge_with_its_kind_and_direction(fixture_store, fixture_ids,
                                                                    expected):
    edges = fixture_store.copy_edges()
    for case in expected["copies"]:
        copy, source = fixture_ids[case["copy"]], fixture_ids[case["source"]]
        edge = edge_between(edges, copy, source)
        assert edge is not None, f"no edge for {case}"
        assert edge.kind == case["kind"], (case, edge.kind)
        assert (edge.source_id, edge.copy_id) == (source, copy), case
        assert edge.relation == "derived_from"


@pytest.mark.parametrize("group", ["independent", "not_copies"])
def test_independent_coverage_and_shared_boilerplate_make_no_edge(fixture_store, fixture_ids,
                                                                  expected, group):
    edges = fixture_store.copy_edges()
    for case in expected[group]:
        assert edge_between(edges, fixture_ids[case["a"]], fixture_ids[case["b"]]) is None, case


def test_no_edge_between_the_seeds(fixture_store, fixture_ids):
    seeds = {fixture_ids[k] for k in fixture_ids if k.startswith("seeds/")}
    assert len(seeds) == 5
    assert not [e for e in fixture_store.copy_edges()
                if e.source_id in seeds and e.copy_id in seeds]


def test_passages_point_at_the_same_text_in_both_articles(fixture_store):
    for edge in fixture_store.copy_edges():
        source = fixture_store.article(edge.source_id).text
        copy = fixture_store.article(edge.copy_id).text
        assert edge.passages
        for p in edge.passages:  # side A is the source, side B the copy
            left, right = source[p.a_start:p.a_end].split(), copy[p.b_start:p.b_end].split()
            assert p.tokens >= 20 and left[:3] == right[:3] and left[-2:] == right[-2:]


def test_alpenpost_promo_is_learnt_as_boilerplate(fixture_store):
    assert fixture_store.boilerplate(["alpenpost"])["alpenpost"].size


def test_wire_story_is_one_story_with_the_wire_as_origin(fixture_store, fixture_ids):
    origin = fixture_ids["dpa-20251028-nordkorea-drohnen"]
    wire = [s for s in fixture_store.stories() if s.origin_article_id == origin]
    assert len(wire) == 1 and wire[0].upstream_outlet_id == "dpa"
    members = set(wire[0].members)
    assert fixture_ids["kreisbote-20251028-kim-drohnen"] in members
    # a draft reusing one paragraph is a partial copy, not a member of the story
    assert fixture_ids["texts/rheinblatt_entwurf_drohnen-hintergrund.md"] not in members


def test_a_later_scan_matches_new_articles_against_the_archive(tmp_path):
    feed = [json.loads(line) for line in
            (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()]
    wire = next(r for r in feed if r["id"] == "dpa-20251028-nordkorea-drohnen")
    copy = next(r for r in feed if r["id"] == "kreisbote-20251028-kim-drohnen")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(wire) + "\n", encoding="utf-8")
    second.write_text(json.dumps(copy) + "\n", encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[first], workers=1), db)
        assert db.copy_edges() == []
        result = scan(ScanConfig(paths=[second], workers=1), db)
        assert result.counts["copies"]["copy_edges"] == 1
        [edge] = db.copy_edges()
        assert edge.kind == "near_duplicate" and edge.relation == "derived_from"
        assert db.pending_matches() == []


def test_incompatible_fingerprint_parameters_are_refused(tmp_path, seeds_dir):
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[seeds_dir], workers=1), db)
        with pytest.raises(IncompatibleIndexError, match="new --db"):
            scan(ScanConfig(paths=[seeds_dir], workers=1,
                            fingerprint=FingerprintParams(shingle_size=4)), db)


def test_interrupted_copy_phase_resumes_on_the_next_scan(tmp_path, monkeypatch):
    from provenance.scan import pairs as copies

    feed = FIXTURES / "feeds" / "wire.jsonl"
    real = copies._verify_pairs

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    with Store(tmp_path / "p.db") as db:
        monkeypatch.setattr(copies, "_verify_pairs", interrupt)
        with pytest.raises(KeyboardInterrupt):
            scan(ScanConfig(paths=[feed], workers=1), db)
        assert db.count("article") == 13 and len(db.pending_matches()) == 13
        monkeypatch.setattr(copies, "_verify_pairs", real)
        result = scan(ScanConfig(paths=[feed], workers=1), db)
        assert result.counts["unchanged"] == 13 and db.pending_matches() == []
        assert result.counts["copies"]["copy_edges"] > 5


def test_same_story_pairs_from_semeval_make_no_copy_edges(tmp_path, data_dir):
    """Human-rated same-story pairs (Overall <= 1.5, same language) are independent coverage;
    only the few that share wire or press-release text may be linked."""
    import csv
    import gzip

    path = data_dir / "semeval2022-task8-news-similarity" / "hfl-texts" / "training_set.csv.gz"
    rows, seen = [], set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if (row["pair_id"] in seen or row["lang1"] != row["lang2"]
                    or row["lang1"] not in ("de", "en") or float(row["Overall"]) > 1.5):
                continue
            seen.add(row["pair_id"])
            rows.append(row)
    rows = rows[:60]
    feed = tmp_path / "pairs.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for row in rows:
            for side in ("1", "2"):
                fh.write(json.dumps({"id": f"{row['pair_id']}-{side}", "text": row[f"text{side}"],
                                     "language": row[f"lang{side}"]}) + "\n")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        ids = {a.external_id: a.id for a in db.articles()}
        edges = db.copy_edges()
        linked = [r["pair_id"] for r in rows
                  if f"{r['pair_id']}-1" in ids and f"{r['pair_id']}-2" in ids
                  and edge_between(edges, ids[f"{r['pair_id']}-1"], ids[f"{r['pair_id']}-2"])]
    # The benchmark read every linked pair: they share wire or press-release text. Independent
    # coverage is the rule: at most a few percent of same-story pairs may be linked.
    assert len(linked) <= 0.05 * len(rows), linked


def _stories(db) -> list[tuple]:
    return sorted((s.id, s.run_id, s.origin_article_id, tuple(sorted(s.members)))
                  for s in db.stories())


def test_a_rescan_keeps_the_stories_unless_a_run_before_it_was_cut_short(tmp_path, monkeypatch):
    """Stories are re-clustered when articles were read or compared, or when an earlier run
    ended before its stories were stored; a re-scan that changes nothing keeps them (the
    run that clustered them stays theirs)."""
    import shutil

    from provenance.scan import copy_phase

    feeds = tmp_path / "feeds"
    feeds.mkdir()
    lines = (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    (feeds / "a.jsonl").write_text("\n".join(lines[:7]) + "\n", encoding="utf-8")
    with Store(tmp_path / "whole.db") as db:
        shutil.copy(FIXTURES / "feeds" / "wire.jsonl", tmp_path / "whole.jsonl")
        scan(ScanConfig(paths=[tmp_path / "whole.jsonl"], workers=1), db)
        whole = [story[2:] for story in _stories(db)]
    with Store(tmp_path / "p.db") as db:
        first = scan(ScanConfig(paths=[feeds], workers=1), db)
        kept = _stories(db)
        again = scan(ScanConfig(paths=[feeds], workers=1), db)
        assert _stories(db) == kept and again.counts["copies"]["stories"] == len(kept)
        assert {story[1] for story in kept} == {first.run_id}
        # a run killed after its copies were stored, before its stories were
        (feeds / "b.jsonl").write_text("\n".join(lines[7:]) + "\n", encoding="utf-8")

        def killed(*_args):
            raise KeyboardInterrupt
        monkeypatch.setattr(copy_phase, "rebuild_stories", killed)
        with pytest.raises(KeyboardInterrupt):
            scan(ScanConfig(paths=[feeds], workers=1), db)
        assert _stories(db) == kept and [story[2:] for story in kept] != whole
        monkeypatch.undo()
        resumed = scan(ScanConfig(paths=[feeds], workers=1), db)
        assert resumed.counts["new"] == 0  # nothing left to read or compare
        assert [story[2:] for story in _stories(db)] == whole
        assert {story[1] for story in _stories(db)} == {resumed.run_id}


def test_a_rescan_that_changes_nothing_reuses_the_resolution(tmp_path):
    feed = FIXTURES / "feeds" / "wire.jsonl"
    with Store(tmp_path / "p.db") as db:
        first = scan(ScanConfig(paths=[feed], workers=1), db)
        again = scan(ScanConfig(paths=[feed], workers=1), db)
        assert again.counts["provenance"]["reused"] is True
        assert {k: again.counts["provenance"][k] for k in ("credited", "uncredited")} == {
            k: first.counts["provenance"][k] for k in ("credited", "uncredited")}


def test_a_rescan_by_another_version_of_the_tool_clusters_and_resolves_again(tmp_path):
    """Stories and resolution made by another version (its rules may differ) are not kept."""
    import sqlite3

    feed = FIXTURES / "feeds" / "wire.jsonl"
    with Store(tmp_path / "p.db") as db:
        first = scan(ScanConfig(paths=[feed], workers=1), db)
    with sqlite3.connect(tmp_path / "p.db") as conn:  # as an earlier release left it
        conn.execute("UPDATE run SET tool_version = '0.0.1' WHERE id = ?", (first.run_id,))
    with Store(tmp_path / "p.db") as db:
        upgraded = scan(ScanConfig(paths=[feed], workers=1), db)
        assert upgraded.counts["read"] == 0 and "reused" not in upgraded.counts["provenance"]
        assert {s.run_id for s in db.stories()} == {upgraded.run_id}
        again = scan(ScanConfig(paths=[feed], workers=1), db)  # now settled
        assert again.counts["provenance"]["reused"] is True
        assert {s.run_id for s in db.stories()} == {upgraded.run_id}
