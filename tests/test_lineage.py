"""Provenance resolution: original sources, copy verdicts, views, `show` and the exports."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from provenance import lineage
from provenance.cli import app
from provenance.outputs import graph
from provenance.outputs.assemble import article_provenance, graph_of


def test_every_fixture_copy_gets_its_expected_verdict(fixture_store, fixture_ids, expected):
    rows = fixture_store.query("SELECT copy_id, source_id, verdict FROM copies")
    verdicts = {(r["copy_id"], r["source_id"]): r["verdict"] for r in rows}
    for case in expected["copies"]:
        key = (fixture_ids[case["copy"]], fixture_ids[case["source"]])
        assert verdicts[key] == case["verdict"], case


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
    return {r["outlet_id"]: r["reason"] for r in store.original_sources([article_id])}


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
        rows = fixture_store.original_sources([fixture_ids[key]])
        kcna = [r for r in rows if r["outlet_id"] == "kcna"]
        assert kcna and [s["relation"] for s in kcna[0]["path"]][-2:] == ["cites", "relays"]


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


def test_cycles_are_cut_and_reported():
    articles = [{"id": "a", "publisher_id": "x", "published": None},
                {"id": "b", "publisher_id": "y", "published": None}]
    edges = [{"id": 1, "source_id": "a", "copy_id": "b", "relation": "derived_from",
              "kind": "near_duplicate", "jaccard": 0.9, "backdated": False},
             {"id": 2, "source_id": "b", "copy_id": "a", "relation": "derived_from",
              "kind": "near_duplicate", "jaccard": 0.9, "backdated": True}]
    result = lineage.resolve(articles, [], edges)
    assert any("cycle" in p for p in result.problems)
    assert any("dated before" in p for p in result.problems)
    assert set(result.verdicts) == {1, 2}


def test_citing_what_the_copied_text_cites_does_not_credit_its_author():
    articles = [{"id": "wire", "publisher_id": "dpa", "published": "2025-01-01"},
                {"id": "copy", "publisher_id": "blog", "published": "2025-01-02"}]
    cits = [{"article_id": a, "outlet_id": "kcna", "kind": "claim_attribution", "counts": True,
             "sentence": "Laut KCNA ...", "relayed_by": None} for a in ("wire", "copy")]
    edges = [{"id": 1, "source_id": "wire", "copy_id": "copy", "relation": "derived_from",
              "kind": "near_duplicate", "jaccard": 0.8, "backdated": False}]
    result = lineage.resolve(articles, cits, edges)
    assert result.verdicts[1][0] == "uncredited"


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


def test_show_of_unknown_reference_says_what_to_give(runner, fixture_db):
    result = runner.invoke(app, ["show", "no-such-article", "--db", str(fixture_db)])
    assert result.exit_code == 1 and "Error: no article matches" in result.stderr


def test_article_provenance_has_the_story(fixture_store, fixture_ids):
    data = article_provenance(fixture_store, "alpenpost-20251028-nordkorea-drohnen")
    assert data["story"]["origin_article_id"] == fixture_ids["dpa-20251028-nordkorea-drohnen"]


def test_jsonld_parses_as_rdf_with_prov_terms(fixture_store):
    rdflib = pytest.importorskip("rdflib")
    doc = graph.to_jsonld(graph_of(fixture_store), fixture_store.runs())
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    schema = rdflib.Namespace("https://schema.org/")
    assert len(list(g.triples((None, prov.wasDerivedFrom, None)))) == fixture_store.count(
        "copies")
    assert list(g.triples((None, prov.hadPrimarySource, None)))
    assert list(g.triples((None, prov.wasGeneratedBy, None)))
    assert list(g.triples((None, schema.citation, None)))
    assert list(g.triples((None, prov.wasQuotedFrom, None)))
    assert list(g.triples((None, schema.creditText, None)))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_round_trip_with_verdicts(fixture_store, tmp_path, fmt):
    g = graph_of(fixture_store)
    path = tmp_path / f"g.{fmt}"
    path.write_text(graph.export(g, fmt), encoding="utf-8")
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    verdicts = {d.get("verdict") for *_, d in loaded.edges(data=True)
                if d.get("relation") == "derived_from"}
    assert verdicts == {"credited", "uncredited"}
    assert loaded.number_of_edges() == g.number_of_edges()


def test_dot_renders_with_graphviz_if_installed(fixture_store, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("dot"):
        pytest.skip("Graphviz `dot` is not installed")
    path = tmp_path / "g.dot"
    path.write_text(graph.export(graph_of(fixture_store), "dot"), encoding="utf-8")
    subprocess.run(["dot", "-Tsvg", str(path), "-o", str(tmp_path / "g.svg")], check=True)
    assert (tmp_path / "g.svg").read_text(encoding="utf-8").lstrip().startswith("<")


def test_graph_filters(fixture_store, fixture_ids):
    g = graph_of(fixture_store)
    story = g.nodes[f"article:{fixture_ids['dpa-20251028-nordkorea-drohnen']}"]["story"]
    sub = graph.filter_graph(g, story=story)
    assert sum(1 for _, a in sub.nodes(data=True) if a["type"] == "article") == 6
    since = graph.filter_graph(g, since="2025-11-01")
    assert all(a["published"] >= "2025-11-01" for _, a in since.nodes(data=True)
               if a["type"] == "article")
    reuters = graph.filter_graph(g, outlet="reuters")
    assert f"article:{fixture_ids['reuters-20251103-missile']}" in reuters


def test_datasette_metadata_describes_every_table_and_view(store):
    from pathlib import Path

    meta = json.loads((Path(__file__).resolve().parents[1] / "docs" /
                       "datasette-metadata.json").read_text(encoding="utf-8"))
    described = set(meta["databases"]["*"]["tables"])
    names = {r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names <= described, names - described


def test_audit_doc_queries_run(fixture_store):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    block = doc.split("```sql", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in re.split(r";\s*\n", block) if q.strip()]
    assert len(queries) >= 5
    for query in queries:
        sql = "\n".join(line for line in query.splitlines() if not line.startswith("--"))
        assert fixture_store.query(sql) is not None, query


def test_a_large_clique_of_copies_resolves_in_linear_time():
    """Every reprint derives from every earlier one; resolution must not walk every path."""
    n = 300
    articles = [{"id": f"a{i:03d}", "publisher_id": f"o{i}", "published": f"2025-01-01T00:{i // 60:02d}:{i % 60:02d}Z"} for i in range(n)]  # noqa: E501
    edges = [{"id": k, "source_id": f"a{i:03d}", "copy_id": f"a{j:03d}",
              "relation": "derived_from", "kind": "near_duplicate", "jaccard": 0.9,
              "backdated": False}
             for k, (i, j) in enumerate((i, j) for j in range(n) for i in range(j))]
    cits = [{"article_id": "a000", "outlet_id": "kcna", "kind": "claim_attribution",
             "counts": True, "sentence": "Laut KCNA", "relayed_by": None}]
    result = lineage.resolve(articles, cits, edges)
    last = {s.outlet_id: s.reason for s in result.original_sources["a299"]}
    assert last == {"o0": "text_origin", "kcna": "cited_source"}
