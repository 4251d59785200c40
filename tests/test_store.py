"""The store on its own: every record type in and out, resumed runs, versions, opening files."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.exc import DBAPIError

from provenance.config import CONTENT_PREFIX, KEY_BYTES, SINGLE_PREFIX, FingerprintParams
from provenance.copies import sketch
from provenance.errors import NotFoundError, SchemaVersionError, StoreError
from provenance.records import (
    Article,
    Citation,
    CopyEdge,
    InputProblem,
    Origin,
    Outlet,
    Passage,
    ReadFile,
    Step,
    Story,
    Verdict,
    Zone,
)
from provenance.store import MEMORY, SCHEMA_VERSION, Store

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
PARAMS = FingerprintParams()
OUTLETS = [
    Outlet("nhk", "NHK", kind="broadcaster", country="JP", domains=("nhk.or.jp",),
           aliases=("Nippon Hoso Kyokai",)),
    Outlet("dpa", "dpa", kind="agency", country="DE", state_affiliation=None,
           domains=("dpa.com",), aliases=("Deutsche Presse-Agentur",)),
    Outlet("alpenpost", "Alpenpost", kind="newspaper", country="AT", domains=("alpenpost.at",)),
]


def seed_text(n: int) -> str:
    """The text of the n-th bundled seed article."""
    return sorted(SEEDS.glob("*.txt"))[n].read_text(encoding="utf-8")


def make_article(text: str, source_key: str, publisher: str | None = "alpenpost",
                 published: str | None = "2025-02-01") -> Article:
    """An analysed article as a scan would hand it to the store: zones, citations, sketch."""
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
    name = "NHK" if "NHK" in text else text.split()[0]
    start = text.find(name)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start) if "\n" in text[start:] else len(text)
    citation = Citation(
        outlet_id="nhk" if name == "NHK" else None, source_name=name,
        source_type="outlet" if name == "NHK" else "authority", kind="report_reference",
        cue="Nach Informationen der", start=start, end=start + len(name),
        sentence=text[line_start:line_end], sentence_start=line_start, zone="body",
        rule="de.nach_informationen", confidence=0.9, source_id=None if name == "NHK" else "x")
    first_line = text.split("\n", 1)[0]
    zones = (Zone("title", first_line, 0, len(first_line)), Zone("image_credit", "Foto: dpa"))
    return Article(
        id=hashlib.sha256(f"{source_key}\0{digest}".encode()).hexdigest()[:16],
        source_key=source_key, external_id=source_key.split(":", 1)[1],
        path=source_key.split(":", 1)[1], record=None, format="text", text=text,
        text_hash=digest, n_chars=len(text), url=f"https://alpenpost.at/{digest[:8]}",
        title=first_line, author="Red.", publisher_id=publisher, publisher_evidence="url",
        published=published, published_source="input", language="de",
        language_source="detected", zones=zones, citations=(citation,),
        sketch=sketch(text, PARAMS))


def stored(article: Article, run_id: int, previous_id: str | None = None) -> Article:
    """What the store gives back for an article it stored: text, zones and citations."""
    return replace(article, first_run_id=run_id, previous_id=previous_id, is_current=True,
                   sketch=None, citations=tuple(replace(c, article_id=article.id, run_id=run_id)
                                                for c in article.citations))


@pytest.fixture(params=["memory", "file"])
def db(request, tmp_path):
    """An empty store, in memory and in a file, with the test outlets synced."""
    path = ":memory:" if request.param == "memory" else tmp_path / "test.db"
    with Store(path) as store:
        store.sync_outlets(OUTLETS, "registry-1")
        yield store


@pytest.fixture
def run_id(db) -> int:
    """A run in progress."""
    return db.begin_run("0.0-test", {"workers": 1}, "registry-1")


def test_outlets_round_trip_and_registry_wins(db, run_id):
    assert db.outlets() == sorted(OUTLETS, key=lambda o: o.id)
    seen = Outlet("web:elbe-echo.de", "Elbe-Echo", domains=("elbe-echo.de",), origin="input")
    db.write_batch(run_id, [], [], [], [seen, Outlet("dpa", "not the registry's dpa")])
    outlets = {o.id: o for o in db.outlets()}
    assert outlets["web:elbe-echo.de"] == seen
    assert outlets["dpa"] == OUTLETS[1]
    db.sync_outlets([replace(OUTLETS[1], name="dpa (Hamburg)")], "registry-2")
    assert {o.id: o for o in db.outlets()}["dpa"].name == "dpa (Hamburg)"
    assert db.outlet_names(["nhk", None, "dpa", "unknown"]) == {"nhk": "NHK",
                                                                "dpa": "dpa (Hamburg)"}


def test_run_round_trip(db, run_id):
    db.finish_run(run_id, "completed", {"read": 3, "by_format": {"text": 3}})
    [run] = db.runs()
    assert (run.id, run.status, run.tool_version, run.registry_version) == (
        run_id, "completed", "0.0-test", "registry-1")
    assert run.parameters == {"workers": 1}
    assert run.counts == {"read": 3, "by_format": {"text": 3}}
    assert run.started_at <= run.finished_at


def test_article_round_trip_with_zones_citations_and_sketch(db, run_id):
    art = make_article(seed_text(0), "file:/corpus/000.txt")
    assert db.write_batch(run_id, [art], [], [], []) == ["new"]
    assert db.article(art.id) == stored(art, run_id)
    assert db.find_article("/corpus/000.txt") == stored(art, run_id)
    assert db.find_article(art.id[:8]).id == art.id
    assert db.find_article("000.txt").id == art.id  # the file name alone
    assert db.citations() == list(stored(art, run_id).citations)
    [listed] = db.articles()
    assert listed == replace(stored(art, run_id), text="", citations=())
    assert db.article_meta([art.id]) == [listed]
    [with_text] = db.texts([art.id])
    assert with_text.text == art.text and with_text.sketch is None
    [sketched] = db.texts([art.id], PARAMS)
    assert np.array_equal(sketched.sketch.signature, art.sketch.signature)
    assert np.array_equal(sketched.sketch.shingles, art.sketch.shingles)
    assert sketched.sketch.n_shingles == art.sketch.n_shingles
    assert sketched.sketch.band_keys == []
    assert np.array_equal(db.shingle_sets([art.id])[art.id], art.sketch.shingles)
    assert [s.tolist() for s in db.outlet_shingles("alpenpost", 5)] == [
        art.sketch.shingles.tolist()]
    assert db.publishers_of([art.id]) == ["alpenpost"]
    assert db.current_articles() == 1
    assert db.pending_matches() == [art.id]
    assert db.cited_outlets([art.id]) == {art.id: {"nhk"}}


def test_sketch_is_packed_little_endian_as_docs_schema_says(db, run_id):
    art = make_article(seed_text(1), "file:/corpus/001.txt")
    db.write_batch(run_id, [art], [], [], [])
    [row] = db.query("SELECT * FROM fingerprint")
    assert row["recipe"] == PARAMS.recipe and row["n_shingles"] == art.sketch.n_shingles
    width = "<u8" if PARAMS.scheme == "affine64" else "<u4"  # 32-bit schemes: 4 bytes a value
    assert row["signature"] == art.sketch.signature.astype(width).tobytes()
    assert row["shingles"] == art.sketch.shingles.astype("<u8").tobytes()
    assert row["keys"] == b"".join(art.sketch.band_keys)
    assert len(row["keys"]) % KEY_BYTES == 0


def test_input_problems_and_read_files_round_trip(db, run_id):
    problems = [InputProblem("/corpus/bad.html", None, "binary", "looks binary"),
                InputProblem("/corpus/feed.jsonl", "line 3", "malformed", "bad JSON",
                             severity="warning")]
    db.write_batch(run_id, [], problems, [ReadFile("key-1", "/corpus/feed.jsonl", 120, 2)], [])
    assert db.errors(run_id) == [replace(p, run_id=run_id) for p in problems]
    assert db.errors() == db.errors(run_id)
    assert db.known_file("key-1") == 2
    assert db.known_file("key-2") is None


def test_resumed_run_writes_nothing_new(db, run_id):
    arts = [make_article(seed_text(i), f"file:/corpus/{i}.txt") for i in range(3)]
    assert db.write_batch(run_id, arts, [], [], []) == ["new"] * 3
    counts = {t: db.count(t) for t in ("article", "citation", "fingerprint", "pending_match")}
    second = db.begin_run("0.0-test", {}, "registry-1")
    assert db.write_batch(second, arts, [], [], []) == ["unchanged"] * 3
    assert {t: db.count(t) for t in counts} == counts
    assert {a.first_run_id for a in db.articles()} == {run_id}


def test_new_version_retires_the_old_one_and_its_index_keys(db, run_id):
    old = make_article(seed_text(2), "id:story-2")
    db.write_batch(run_id, [old], [], [], [])
    assert db.index_pending_keys(KEY_BYTES) == len(old.sketch.band_keys)
    db.write_copy_edges(run_id, [], [old.id])
    new = make_article(seed_text(2) + "\nKorrektur: ein Datum war falsch.", "id:story-2")
    assert new.id != old.id
    assert db.write_batch(run_id, [new], [], [], []) == ["updated"]
    assert [a.id for a in db.articles()] == [new.id]
    versions = {a.id: a for a in db.articles(current_only=False)}
    assert not versions[old.id].is_current
    assert versions[new.id].previous_id == old.id
    assert db.query("SELECT count(*) AS n FROM lsh_key WHERE article_id = :a",
                    {"a": old.id}) == [{"n": 0}]
    assert db.pending_matches() == [new.id]
    db.index_pending_keys(KEY_BYTES)
    assert db.articles_sharing_keys(new.sketch.band_keys, 64) == {
        new.id: len(set(new.sketch.band_keys))}


def _key_rows(articles: list[Article]) -> int:
    """How many (key, article) rows the index holds for these articles."""
    return sum(len(set(a.sketch.band_keys)) for a in articles)


def test_keys_are_indexed_alongside_a_body_that_reads(db, run_id):
    arts = [make_article(seed_text(i), f"file:/corpus/{i}.txt") for i in range(3)]
    db.write_batch(run_id, arts, [], [], [])
    with db.indexing_pending_keys(KEY_BYTES) as indexing:
        # the body reads the database while the keys are written on another connection
        assert db.pending_matches() == sorted(a.id for a in arts)
        assert db.count("article") == 3
    assert indexing.count == sum(len(a.sketch.band_keys) for a in arts)
    assert indexing.seconds > 0
    assert db.count("lsh_key") == _key_rows(arts)
    assert db.index_pending_keys(KEY_BYTES) == indexing.count  # again: nothing changes
    assert db.count("lsh_key") == _key_rows(arts)


def _check_only(key: bytes) -> bool:
    return key[0] in (CONTENT_PREFIX, SINGLE_PREFIX)


def test_the_keys_only_check_reads_are_indexed_after_the_others(db, run_id):
    """The first pass indexes the keys the copy phase looks up, and commits them (another
    connection reads them); the second, once let, the content and single-anchor keys; a write
    goes through once both are done."""
    arts = [make_article(seed_text(i), f"file:/corpus/{i}.txt") for i in range(3)]
    db.write_batch(run_id, arts, [], [], [])
    looked_up = {k for a in arts for k in a.sketch.band_keys if not _check_only(k)}
    assert looked_up and len(looked_up) < _key_rows(arts)
    with db.indexing_pending_keys(KEY_BYTES) as indexing:
        indexing.match_keys()
        with db.engine.connect() as conn:
            indexed = {bytes(r[0]) for r in conn.exec_driver_sql("SELECT key FROM lsh_key")}
        every = {k for a in arts for k in a.sketch.band_keys}
        assert indexed == (every if db.path == MEMORY else looked_up)  # memory: all at once
        indexing.wait()
        assert indexing.finished()
        db.write_batch(run_id, [make_article(seed_text(3), "file:/corpus/3.txt")], [], [], [])
    assert db.count("lsh_key") == _key_rows(arts)  # the fourth article is pending, unindexed


def test_an_error_of_the_body_stops_the_index_and_leaves_each_pass_whole_or_absent(db, run_id):
    arts = [make_article(seed_text(i), f"file:/corpus/{i}.txt") for i in range(3)]
    db.write_batch(run_id, arts, [], [], [])
    first = len({k for a in arts for k in a.sketch.band_keys if not _check_only(k)})
    for step in ("at once", "after the first pass"):
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM lsh_key")
        with pytest.raises(KeyboardInterrupt), db.indexing_pending_keys(KEY_BYTES) as indexing:
            if step != "at once":
                indexing.match_keys()
            raise KeyboardInterrupt
        # rolled back, or done: never a part of a pass
        assert db.count("lsh_key") in ((0, first, _key_rows(arts)) if step == "at once"
                                       else (first, _key_rows(arts)))
    db.index_pending_keys(KEY_BYTES)  # the database is usable, and the next scan indexes
    assert db.count("lsh_key") == _key_rows(arts)


def test_an_error_of_the_index_is_raised_where_the_body_ends(db, run_id):
    db.write_batch(run_id, [make_article(seed_text(0), "file:/corpus/0.txt")], [], [], [])
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE lsh_key")
    with pytest.raises(DBAPIError, match="lsh_key"), db.indexing_pending_keys(KEY_BYTES):
        pass


def test_candidates_from_keys_buckets_and_text_hashes(db, run_id):
    text = seed_text(3)
    a = make_article(text, "file:/a/003.txt", publisher="dpa", published="2025-01-01")
    b = make_article(text, "file:/b/003.txt", publisher="alpenpost")
    db.write_batch(run_id, [a, b], [], [], [])
    db.index_pending_keys(KEY_BYTES)
    buckets = list(db.shared_buckets(64))
    assert buckets and all(n == 2 and sorted(m) == sorted([a.id, b.id]) for n, m in buckets)
    # a bucket above the cap is counted, never read
    assert all(n == 2 and m is None for n, m in db.shared_buckets(1))
    assert [sorted(g) for g in db.same_text_groups()] == [sorted([a.id, b.id])]
    assert sorted(db.same_text_pairs([a.id])) == [(a.id, b.id)]
    assert db.articles_with_text_hash(a.text_hash) == sorted([a.id, b.id])
    assert db.articles_sharing_keys(a.sketch.band_keys, 1) == {}


def test_boilerplate_round_trip_keeps_unsigned_hashes(db, run_id):
    shingles = [2**64 - 5, 3, 2**63 + 1]
    db.replace_boilerplate("dpa", shingles, run_id)
    db.replace_boilerplate("nhk", np.asarray([7], dtype=np.uint64), run_id)
    found = db.boilerplate(["dpa", "nhk", None, "alpenpost"])
    assert found["dpa"].dtype == np.uint64 and found["dpa"].tolist() == sorted(shingles)
    assert found["nhk"].tolist() == [7] and "alpenpost" not in found
    db.replace_boilerplate("dpa", [], run_id)
    assert "dpa" not in db.boilerplate(["dpa"])


def _two_copies(db, run_id) -> tuple[Article, Article, CopyEdge]:
    """A source, its copy (another publisher), and the copy edge between them."""
    text = seed_text(4)
    source = make_article(text, "file:/dpa/004.txt", publisher="dpa", published="2025-01-01")
    copy = make_article(text, "file:/alpenpost/004.txt", published="2025-01-02")
    db.write_batch(run_id, [source, copy], [], [], [])
    edge = CopyEdge(source.id, copy.id, "derived_from", "exact", 1.0, 0.98, 1.0, 1.0, 0.97,
                    0.96, (Passage(0, 120, 0, 120, 21), Passage(300, 900, 310, 910, 95)),
                    "published")
    return source, copy, edge


def test_copy_edges_round_trip_and_replace(db, run_id):
    source, copy, edge = _two_copies(db, run_id)
    db.write_copy_edges(run_id, [edge], [source.id])
    [back] = db.copy_edges()
    assert back == replace(edge, id=back.id, run_id=run_id)
    assert db.copy_edges([copy.id]) == [back]
    assert db.pending_matches() == [copy.id]
    flipped = replace(edge, source_id=copy.id, copy_id=source.id, relation="similar")
    db.write_copy_edges(run_id, [flipped], [copy.id])
    assert [(e.source_id, e.relation) for e in db.copy_edges()] == [(copy.id, "similar")]
    assert db.pending_matches() == []


def test_stories_round_trip(db, run_id):
    source, copy, _ = _two_copies(db, run_id)
    story = Story("story-1", source.id, tuple(sorted([source.id, copy.id])), "dpa", "dpa",
                  run_id=run_id)
    db.replace_stories([story])
    assert db.stories() == [story]
    assert db.story("story-1") == story
    assert db.story("story-2") is None
    assert db.story_of(copy.id) == "story-1"
    assert {a.story for a in db.articles()} == {"story-1"}
    db.replace_stories([])
    assert db.stories() == [] and db.story_of(copy.id) is None


def test_lineage_round_trip_with_same_outlet_verdict(db, run_id):
    source, copy, edge = _two_copies(db, run_id)
    db.write_copy_edges(run_id, [edge], [source.id, copy.id])
    [stored_edge] = db.copy_edges()
    path = (Step("derived_from", f"article:{copy.id}", f"article:{source.id}", "exact 1.00"),
            Step("published_by", f"article:{source.id}", "outlet:dpa"))
    origins = [Origin("dpa", "text_origin", path, article_id=copy.id, rank=0),
               Origin("nhk", "cited_source", (), article_id=copy.id, rank=1),
               Origin("nhk", "cited_source", (), article_id=source.id, rank=0)]
    verdict = Verdict("same_outlet", "same outlet (dpa)")
    db.replace_lineage(run_id, {stored_edge.id: verdict}, origins, ["a cycle"])
    [back] = db.copy_edges()
    assert (back.verdict, back.verdict_reason) == ("same_outlet", "same outlet (dpa)")
    assert db.verdict_counts() == {"same_outlet": 1}
    assert db.count("uncredited_copies") == 0
    assert db.original_sources() == sorted(origins, key=lambda o: (o.article_id, o.rank))
    assert db.original_sources([copy.id]) == origins[:2]
    assert db.provenance_problems() == ["a cycle"]
    db.replace_lineage(run_id, {stored_edge.id: Verdict("uncredited", "copies")}, [], [])
    assert db.verdict_counts() == {"uncredited": 1}
    assert db.count("uncredited_copies") == 1
    assert db.original_sources() == [] and db.provenance_problems() == []


def test_unknown_references_and_tables(db):
    with pytest.raises(NotFoundError):
        db.article("0" * 16)
    with pytest.raises(NotFoundError):
        db.find_article("nothing-like-this")
    for hostile in ("%%%%%%%%", "______", "x" * 60_000, "a\0b"):
        with pytest.raises(NotFoundError):  # LIKE wildcards are literal; long refs refused
            db.find_article(hostile)
    with pytest.raises(ValueError):
        db.count("sqlite_master; DROP TABLE run")


def test_reading_a_database_leaves_the_file_untouched(tmp_path):
    path = tmp_path / "p.db"
    with Store(path) as store:
        store.sync_outlets(OUTLETS, "registry-1")
        run = store.begin_run("0.0-test", {}, "registry-1")
        store.write_batch(run, [make_article(seed_text(0), "file:/corpus/0.txt")], [], [], [])
    before = path.stat().st_mtime_ns, path.stat().st_size
    with Store(path, create=False) as store:
        assert len(store.articles()) == 1
        assert store.article(store.articles()[0].id).text
    assert (path.stat().st_mtime_ns, path.stat().st_size) == before


def test_a_file_that_is_not_a_provenance_database_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a provenance database"):
        Store(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not SQLite at all, not even a header" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(garbage)


def test_paths_that_cannot_hold_a_database_are_refused(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such.db")


def test_another_schema_version_is_refused(tmp_path):
    path = tmp_path / "old.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                     (str(SCHEMA_VERSION - 1),))
    conn.close()
    with pytest.raises(SchemaVersionError):
        Store(path)
