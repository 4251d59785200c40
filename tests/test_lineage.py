"""Provenance resolution: the credit rule, original sources, copy verdicts, views and `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance import lineage
from provenance.cli import app
from provenance.outputs.assemble import article_provenance
from provenance.records import Article, Citation, CopyEdge, Verdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# -- the credit rule on the fixtures' own text ---------------------------------------------

def wire_text(article_id: str) -> str:
    """The text (or page) of one record of fixtures/feeds/wire.jsonl."""
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == article_id:
            return record.get("text") or record["html"]
    raise KeyError(article_id)


def line_with(text: str, needle: str) -> str:
    """The line of `text` holding `needle` (a credit line or a sentence with a dateline)."""
    found = [line.strip() for line in text.splitlines() if needle in line]
    assert found, f"{needle!r} is not in the fixture text"
    return found[0]


def test_a_reuse_by_the_same_outlet_is_same_outlet_not_credited():
    # The Harbour Brief newsletter reprints the Harbour Times's copy of the Reuters story.
    brief = (FIXTURES / "texts" / "harbour-brief_2025-11-14.txt").read_text(encoding="utf-8")
    named = {"reuters": line_with(brief, "(Reuters) - North Korea fired")}
    verdict = lineage.credit("harbour_times", "harbour_times", ["harbour_times", "reuters"],
                             named, "harbourtimes-20251103-missile")
    assert verdict == Verdict("same_outlet", "same outlet (harbour_times)", ("reuters",),
                              ("harbour_times", "reuters"))


def test_a_wire_reusing_a_clients_reprint_of_its_own_story_is_same_outlet():
    # dpa's own later text reuses Alpenpost's reprint of the dpa story: dpa copies itself.
    verdict = lineage.credit("dpa", "alpenpost", ["alpenpost", "dpa"], {},
                             "alpenpost-20251028-nordkorea-drohnen")
    assert verdict.verdict == "same_outlet"
    assert verdict.reason == ("text of its own outlet (dpa) via "
                              "alpenpost-20251028-nordkorea-drohnen")


def test_a_copy_of_a_copy_is_credited_by_naming_the_wire():
    # Rheinblatt copies the dpa text (reprinted by Alpenpost) and names dpa, not Alpenpost.
    credit_line = line_with(wire_text("rheinblatt-20251028-kim-drohnen"), "Mit Material von")
    assert "Mit Material von dpa" in credit_line
    verdict = lineage.credit("rheinblatt", "alpenpost", ["alpenpost", "dpa"],
                             {"dpa": "Mit Material von dpa"},
                             "alpenpost-20251028-nordkorea-drohnen")
    assert verdict.verdict == "credited"
    assert verdict.reason == "names dpa: Mit Material von dpa"
    assert (verdict.named, verdict.creditable) == (("dpa",), ("alpenpost", "dpa"))


def test_a_copy_naming_no_creditable_outlet_is_uncredited():
    # Kreisbote rewrites the dpa text and names no outlet; the harbour brief's own sentence
    # about TASS would not credit the wire either.
    text = wire_text("kreisbote-20251028-kim-drohnen")
    assert "dpa" not in text
    verdict = lineage.credit("kreisbote_nord", "dpa", ["dpa", None], {},
                             "dpa-20251028-nordkorea-drohnen")
    assert verdict == Verdict("uncredited",
                              "copies dpa-20251028-nordkorea-drohnen without naming dpa", (),
                              ("dpa",))
    brief = (FIXTURES / "texts" / "harbour-brief_2025-11-14.txt").read_text(encoding="utf-8")
    tass = lineage.credit("harbour_times", "reuters", ["reuters"],
                          {"tass": line_with(brief, "according to TASS")}, "reuters-1")
    assert tass.verdict == "uncredited" and tass.named == ()


def test_without_a_publisher_the_reason_says_what_is_missing():
    verdict = lineage.credit(None, None, [], {}, "x")
    assert verdict.verdict == "uncredited"
    assert verdict.reason == "copies x without naming the source's publisher"


# -- resolve() on records ------------------------------------------------------------------

def article(article_id: str, publisher: str | None) -> Article:
    return Article(id=article_id, source_key=article_id, external_id=article_id, path="",
                   record=None, format="jsonl", text="", text_hash="", n_chars=0,
                   publisher_id=publisher)


def cites(article_id: str, outlet: str, sentence: str, kind: str = "claim_attribution",
          relayed_by: str | None = None) -> Citation:
    return Citation(outlet_id=outlet, source_name=outlet, source_type="outlet", kind=kind,
                    cue=None, start=0, end=len(outlet), sentence=sentence, sentence_start=0,
                    zone="body", rule="test", confidence=0.9, relayed_by=relayed_by,
                    article_id=article_id)


def copy_edge(edge_id: int, source: str, copy: str, backdated: bool = False) -> CopyEdge:
    return CopyEdge(source_id=source, copy_id=copy, relation="derived_from",
                    kind="near_duplicate", jaccard=0.9, jaccard_estimate=0.9,
                    containment_copy_in_source=0.9, containment_source_in_copy=0.9,
                    coverage_copy=0.9, coverage_source=0.9, passages=(),
                    direction_basis="published", backdated=backdated, id=edge_id)


def test_cycles_are_cut_and_reported():
    articles = [article("a", "x"), article("b", "y")]
    edges = [copy_edge(1, "a", "b"), copy_edge(2, "b", "a", backdated=True)]
    result = lineage.resolve(articles, [], edges)
    assert any("cycle" in p for p in result.problems)
    assert any("dated before" in p for p in result.problems)
    assert set(result.verdicts) == {1, 2}


def test_citing_what_the_copied_text_cites_does_not_credit_its_author():
    articles = [article("wire", "dpa"), article("copy", "blog")]
    cits = [cites(a, "kcna", "Laut KCNA ...") for a in ("wire", "copy")]
    result = lineage.resolve(articles, cits, [copy_edge(1, "wire", "copy")])
    assert result.verdicts[1].verdict == "uncredited"
    assert result.verdicts[1].creditable == ("dpa",)


def test_resolve_gives_same_outlet_a_verdict_of_its_own():
    articles = [article("wire", "dpa"), article("reprint", "paper"), article("again", "paper")]
    cits = [cites("reprint", "dpa", "Mit Material von dpa", kind="wire_credit")]
    edges = [copy_edge(1, "wire", "reprint"), copy_edge(2, "reprint", "again")]
    result = lineage.resolve(articles, cits, edges)
    assert result.verdicts[1].verdict == "credited"
    assert result.verdicts[2] == Verdict("same_outlet", "same outlet (paper)", (),
                                         ("dpa", "paper"))


def test_origins_carry_their_article_and_rank():
    articles = [article("wire", "dpa"), article("copy", "blog")]
    cits = [cites("wire", "kcna", "Laut KCNA ...")]
    result = lineage.resolve(articles, cits, [copy_edge(1, "wire", "copy")])
    found = result.original_sources["copy"]
    assert [(o.outlet_id, o.reason, o.rank) for o in found] == [
        ("dpa", "text_origin", 0), ("kcna", "cited_source", 1)]
    assert {o.article_id for o in found} == {"copy"}
    assert [s.relation for s in found[1].path] == ["derived_from", "cites"]
    assert len(result.origins()) == 3  # copy: dpa, kcna; wire: kcna (cited)


def test_a_large_clique_of_copies_resolves_in_linear_time():
    """Every reprint derives from every earlier one; resolution must not walk every path."""
    n = 300
    articles = [article(f"a{i:03d}", f"o{i}") for i in range(n)]
    edges = [copy_edge(k, f"a{i:03d}", f"a{j:03d}")
             for k, (i, j) in enumerate((i, j) for j in range(n) for i in range(j))]
    cits = [cites("a000", "kcna", "Laut KCNA")]
    result = lineage.resolve(articles, cits, edges)
    last = {s.outlet_id: s.reason for s in result.original_sources["a299"]}
    assert last == {"o0": "text_origin", "kcna": "cited_source"}


# -- the scanned fixtures ------------------------------------------------------------------

def test_every_fixture_copy_gets_its_expected_verdict(fixture_store, fixture_ids, expected):
    verdicts = {(e.copy_id, e.source_id): e.verdict for e in fixture_store.copy_edges()}
    for case in expected["copies"]:
        key = (fixture_ids[case["copy"]], fixture_ids[case["source"]])
        assert verdicts[key] == case["verdict"], case


def test_reuse_within_one_outlet_is_same_outlet(fixture_store):
    edges = fixture_store.copy_edges()
    ids = sorted({e.copy_id for e in edges} | {e.source_id for e in edges})
    publisher = {a.id: a.publisher_id for a in fixture_store.article_meta(ids)}
    same = {e.id for e in edges if publisher[e.copy_id] == publisher[e.source_id]}
    assert same and same == {e.id for e in edges if e.verdict == "same_outlet"}
    assert {publisher[e.copy_id] for e in edges if e.id in same} == {"harbour_times",
                                                                     "rheinblatt"}
    assert fixture_store.verdict_counts()["same_outlet"] == len(same)


def test_uncredited_copies_view_lists_exactly_the_uncredited_cases(fixture_store, fixture_ids,
                                                                   expected):
    wanted = {(fixture_ids[c["copy"]], fixture_ids[c["source"]]) for c in expected["copies"]
              if c["verdict"] == "uncredited"}
    rows = fixture_store.query("SELECT copy_id, source_id FROM uncredited_copies")
    got = {(r["copy_id"], r["source_id"]) for r in rows}
    assert wanted <= got
    # every other uncredited row is a copy of a copy inside the same expected story
    for copy_id, _ in got - wanted:
        assert copy_id in {c for c, _ in wanted}


def origins(store, article_id: str) -> dict[str, str]:
    return {o.outlet_id: o.reason for o in store.original_sources([article_id])}


def test_wire_copy_leads_to_the_wire_and_its_sources(fixture_store, fixture_ids):
    found = origins(fixture_store, fixture_ids["kreisbote-20251028-kim-drohnen"])
    assert found == {"dpa": "text_origin", "kcna": "cited_source", "yonhap": "cited_source"}


def test_credited_reprint_leads_to_the_credited_wire(fixture_store, fixture_ids):
    found = origins(fixture_store, fixture_ids["harbourtimes-20251103-missile"])
    assert found["reuters"] == "text_origin"


def test_relay_chain_ends_at_the_innermost_outlet(fixture_store, fixture_ids, expected):
    relayed = [k for k, a in expected["articles"].items()
               if any("relay" in c.get("kinds", []) for c in a.get("citations", []))]
    assert relayed, "the fixtures hold a relay case"
    for key in relayed:
        found = fixture_store.original_sources([fixture_ids[key]])
        kcna = [o for o in found if o.outlet_id == "kcna"]
        assert kcna and [s.relation for s in kcna[0].path][-2:] == ["cites", "relays"]


def test_independent_article_leads_only_to_what_it_cites(fixture_store, fixture_ids):
    bridge = fixture_ids["elbe-echo-20251112-tumen-bruecke"]
    assert not fixture_store.copy_edges([bridge])
    assert set(origins(fixture_store, bridge).values()) <= {"cited_source", "own_reporting"}
    # an article that copies nothing and cites no outlet is its publisher's own reporting
    seed = fixture_ids["seeds/003_edf16ab2d9cc4487.txt"]
    assert origins(fixture_store, seed) == {"dniprobote": "own_reporting"}


def test_story_origins_view_names_the_wire(fixture_store, fixture_ids):
    rows = fixture_store.query("SELECT * FROM story_origins")
    by_origin = {r["origin_article_id"]: r for r in rows}
    dpa = by_origin[fixture_ids["dpa-20251028-nordkorea-drohnen"]]
    reuters = by_origin[fixture_ids["reuters-20251103-missile"]]
    assert (dpa["origin_outlet_id"], dpa["upstream_outlet_id"]) == ("dpa", "dpa")
    assert (reuters["origin_outlet_id"], reuters["upstream_outlet_id"]) == ("reuters", "reuters")


@pytest.mark.parametrize("view", ["article_sources", "story_origins", "copies",
                                  "uncredited_copies", "outlet_citation_counts", "runs"])
def test_audit_views_answer(fixture_store, view):
    assert fixture_store.count(view) > 0


def test_show_prints_the_tree_with_verdicts(runner, fixture_db):
    result = runner.invoke(app, ["show", "kreisbote-20251028-kim-drohnen", "--db",
                                 str(fixture_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "derived from" in result.output and "uncredited" in result.output
    assert "original sources" in result.output and "Deutsche Presse-Agentur" in result.output
    as_json = runner.invoke(app, ["show", "kreisbote-20251028-kim-drohnen", "--db",
                                  str(fixture_db), "--json"])
    data = json.loads(as_json.stdout)
    assert {e["verdict"] for e in data["derived_from"]} == {"uncredited"}


def test_show_gives_same_outlet_its_own_verdict(runner, fixture_db):
    ref = "https://www.harbourtimes.example/newsletters/harbour-brief/2025-11-14"
    data = json.loads(runner.invoke(app, ["show", ref, "--db", str(fixture_db), "--json"]
                                    ).stdout)
    verdicts = {e["other"]["publisher_id"]: e["verdict"] for e in data["derived_from"]}
    assert verdicts == {"reuters": "credited", "harbour_times": "same_outlet"}
    shown = runner.invoke(app, ["show", ref, "--db", str(fixture_db)], env={"COLUMNS": "200"})
    assert "same_outlet" in shown.output and "same outlet (harbour_times)" in shown.output


def test_show_of_unknown_reference_says_what_to_give(runner, fixture_db):
    result = runner.invoke(app, ["show", "no-such-article", "--db", str(fixture_db)])
    assert result.exit_code == 1 and "Error: no article matches" in result.stderr


def test_article_provenance_has_the_story(fixture_store, fixture_ids):
    data = article_provenance(fixture_store, "alpenpost-20251028-nordkorea-drohnen")
    assert data.story.origin_article_id == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert data.story_origin.id == data.story.origin_article_id
    assert data.article.text and data.derived_from and data.copied_by


def test_datasette_metadata_describes_every_table_and_view(store):
    meta = json.loads((FIXTURES.parent / "docs" / "datasette-metadata.json").read_text(
        encoding="utf-8"))
    described = set(meta["databases"]["*"]["tables"])
    names = {r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names <= described, names - described


def test_audit_doc_queries_run(fixture_store):
    import re

    doc = (FIXTURES.parent / "docs" / "audit.md").read_text(encoding="utf-8")
    block = doc.split("```sql", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in re.split(r";\s*\n", block) if q.strip()]
    assert len(queries) >= 5
    for query in queries:
        sql = "\n".join(line for line in query.splitlines() if not line.startswith("--"))
        assert fixture_store.query(sql) is not None, query
