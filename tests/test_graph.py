"""The citation graph end to end: scan the seeds and the fixtures, export, and check every
edge and attribute."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from provenance.outputs import graph, graph_formats
from provenance.outputs.assemble import graph_of
from provenance.records import Citation

# The acceptance table: the outlets each seed cites (kinds that make an edge).
SEED_CITATIONS = {
    "000": {"nhk", "financial_times"},
    "001": {"kcna", "vienna_at", "tagesschau"},
    "002": {"kcna", "yonhap"},
    "003": set(),
    "004": {"tass", "kcna", "al_jazeera"},
}
SEED_CREDITS = {"002": ["East News"], "003": ["GettyImages", "Channel 24"]}


@pytest.fixture
def seed_graph(store, seeds_dir, scan_into):
    scan_into(store, seeds_dir)
    return graph_of(store)


def seed_of(node_attrs: dict) -> str:
    return node_attrs["path"].rsplit("/", 1)[-1][:3]


def cited(g: nx.MultiDiGraph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for node, attrs in g.nodes(data=True):
        if attrs["type"] == "article":
            out[seed_of(attrs)] = {
                v.split(":", 1)[1] for _, v, d in g.out_edges(node, data=True)
                if d["relation"] == "cites"}
    return out


def test_seeds_cite_exactly_the_expected_outlets(seed_graph):
    got = cited(seed_graph)
    assert got == SEED_CITATIONS


def test_image_credits_stay_on_the_article(seed_graph):
    credits = {seed_of(a): a["credits"] for _, a in seed_graph.nodes(data=True)
               if a["type"] == "article" and a["credits"]}
    assert credits == SEED_CREDITS


def test_cites_edges_carry_evidence_offsets_and_confidence(seed_graph, store):
    texts = {a.id: store.article(a.id).text for a in store.articles()}
    for u, _v, d in seed_graph.edges(data=True):
        if d["relation"] != "cites":
            continue
        assert d["kind"] in graph.KIND_STRENGTH and 0 < d["confidence"] <= 1
        text = texts[u.split(":", 1)[1]]
        for sentence, start, end, zone in zip(d["evidence"], d["start"], d["end"], d["zone"],
                                              strict=True):
            if zone == "body":
                assert text[start:end] in sentence and sentence in text


def test_related_links_never_become_citations(seed_graph):
    targets = {v for _, v, d in seed_graph.edges(data=True) if d["relation"] == "cites"}
    assert not targets & {"outlet:isw", "outlet:un", "outlet:nato"}


def test_node_link_json_round_trips(seed_graph):
    data = json.loads(graph_formats.export(seed_graph, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.number_of_nodes() == seed_graph.number_of_nodes()
    assert back.number_of_edges() == seed_graph.number_of_edges()
    outlets = [n for n in data["nodes"] if n["type"] == "outlet"]
    assert all({"name", "aliases", "domains", "kind", "country"} <= set(n) for n in outlets)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_load_with_networkx(seed_graph, tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    path.write_text(graph_formats.export(seed_graph, fmt), encoding="utf-8")
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert loaded.number_of_nodes() == seed_graph.number_of_nodes()
    relations = {d.get("relation") for *_, d in loaded.edges(data=True)}
    assert {"cites", "published_by"} <= relations or {"cites"} <= relations


def test_dot_names_every_node(seed_graph):
    dot = graph_formats.export(seed_graph, "dot")
    for node in seed_graph.nodes:
        assert f'"{node}"' in dot


def relay_citation(outlet: str, start: int, relayed_by: str | None) -> Citation:
    return Citation(outlet_id=outlet, source_name=outlet, source_type="outlet", kind="relay",
                    cue="citing", start=start, end=start + 5,
                    sentence="Yonhap, citing KCNA, said ...", sentence_start=0, zone="body",
                    rule="en.citing", confidence=0.9, relayed_by=relayed_by, article_id="a")


def test_relays_become_outlet_to_outlet_edges():
    citations = [relay_citation("yonhap", 0, None), relay_citation("kcna", 15, "yonhap")]
    edges = graph.citation_edges(citations)
    relays = [e for e in edges if e["relation"] == "relays"]
    assert [(e["source"], e["target"]) for e in relays] == [("outlet:yonhap", "outlet:kcna")]
    assert {e["target"] for e in edges if e["relation"] == "cites"} == {"outlet:yonhap",
                                                                        "outlet:kcna"}


# -- the scanned fixtures: copies, verdicts, exports ---------------------------------------

def test_copy_edges_carry_their_verdicts_and_passages(fixture_store):
    g = graph_of(fixture_store)
    copies = [d for *_, d in g.edges(data=True) if d["relation"] == "derived_from"]
    assert len(copies) == fixture_store.count("copies")
    assert {d["verdict"] for d in copies} == {"credited", "uncredited", "same_outlet"}
    for d in copies:
        assert d["passages"] and {"source_start", "source_end", "copy_start", "copy_end",
                                  "tokens"} == set(d["passages"][0])


def test_jsonld_parses_as_rdf_with_prov_terms(fixture_store):
    rdflib = pytest.importorskip("rdflib")
    doc = graph_formats.to_jsonld(graph_of(fixture_store), fixture_store.runs())
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    schema = rdflib.Namespace("https://schema.org/")
    assert len(list(g.triples((None, prov.wasDerivedFrom, None)))) == fixture_store.count(
        "copies")
    assert list(g.triples((None, prov.hadPrimarySource, None)))
    assert list(g.triples((None, prov.wasGeneratedBy, None)))
    assert list(g.triples((None, prov.startedAtTime, None)))
    assert list(g.triples((None, schema.citation, None)))
    assert list(g.triples((None, prov.wasQuotedFrom, None)))
    assert list(g.triples((None, schema.creditText, None)))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_round_trip_with_verdicts(fixture_store, tmp_path, fmt):
    g = graph_of(fixture_store)
    path = tmp_path / f"g.{fmt}"
    path.write_text(graph_formats.export(g, fmt), encoding="utf-8")
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    verdicts = {d.get("verdict") for *_, d in loaded.edges(data=True)
                if d.get("relation") == "derived_from"}
    assert verdicts == {"credited", "uncredited", "same_outlet"}
    assert loaded.number_of_edges() == g.number_of_edges()


def test_dot_draws_same_outlet_copies_apart(fixture_store):
    dot = graph_formats.export(graph_of(fixture_store), "dot")
    copies = [line for line in dot.splitlines() if '-> "article:' in line]
    assert copies and sum("#7f7f7f" in line for line in copies) == 2


def test_dot_renders_with_graphviz_if_installed(fixture_store, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("dot"):
        pytest.skip("Graphviz `dot` is not installed")
    path = tmp_path / "g.dot"
    path.write_text(graph_formats.export(graph_of(fixture_store), "dot"), encoding="utf-8")
    subprocess.run(["dot", "-Tsvg", str(path), "-o", str(tmp_path / "g.svg")], check=True)
    assert (tmp_path / "g.svg").read_text(encoding="utf-8").lstrip().startswith("<")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        graph_formats.export(nx.MultiDiGraph(), "xml")


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
