"""The citation graph end to end: scan the seeds, export, and check every edge and attribute."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from provenance.outputs import graph
from provenance.outputs.assemble import graph_of

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
    texts = {a["id"]: store.article(a["id"])["text"] for a in store.articles()}
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
    data = json.loads(graph.export(seed_graph, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.number_of_nodes() == seed_graph.number_of_nodes()
    assert back.number_of_edges() == seed_graph.number_of_edges()
    outlets = [n for n in data["nodes"] if n["type"] == "outlet"]
    assert all({"name", "aliases", "domains", "kind", "country"} <= set(n) for n in outlets)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_load_with_networkx(seed_graph, tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    path.write_text(graph.export(seed_graph, fmt), encoding="utf-8")
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert loaded.number_of_nodes() == seed_graph.number_of_nodes()
    relations = {d.get("relation") for *_, d in loaded.edges(data=True)}
    assert {"cites", "published_by"} <= relations or {"cites"} <= relations


def test_dot_names_every_node(seed_graph):
    dot = graph.export(seed_graph, "dot")
    for node in seed_graph.nodes:
        assert f'"{node}"' in dot


def test_relays_become_outlet_to_outlet_edges():
    citations = [
        {"article_id": "a", "outlet_id": "yonhap", "counts": True, "kind": "relay",
         "sentence": "Yonhap, citing KCNA, said ...", "start": 0, "end": 6, "zone": "body",
         "rule": "en.citing", "confidence": 0.9, "relayed_by": None},
        {"article_id": "a", "outlet_id": "kcna", "counts": True, "kind": "relay",
         "sentence": "Yonhap, citing KCNA, said ...", "start": 15, "end": 19, "zone": "body",
         "rule": "en.citing", "confidence": 0.9, "relayed_by": "yonhap"},
    ]
    edges = graph.citation_edges(citations)
    relays = [e for e in edges if e["relation"] == "relays"]
    assert [(e["source"], e["target"]) for e in relays] == [("outlet:yonhap", "outlet:kcna")]
    assert {e["target"] for e in edges if e["relation"] == "cites"} == {"outlet:yonhap",
                                                                        "outlet:kcna"}
