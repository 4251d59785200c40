"""The citation graph: articles, outlets and the edges between them (exports: graph_formats).

Pure: it takes records (articles, outlets, citations, copy edges, origins) and returns a
networkx graph. Node ids are `article:<id>` and `outlet:<id>`; every edge has
a `relation` (published_by, cites, derived_from, similar, relays). A copy edge carries its
verdict (credited, uncredited or same_outlet) as decided by `lineage.credit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from provenance.records import Article, Citation, CopyEdge, Origin, Outlet

# The type of the citation graph (modules that do not import networkx name it by this).
Graph = nx.MultiDiGraph

# When an article cites one outlet in several ways, the edge carries the strongest kind.
KIND_STRENGTH = ("wire_credit", "source_box", "claim_attribution", "direct_quote", "relay",
                 "report_reference")


def article_node(article_id: str) -> str:
    """The graph node id of an article."""
    return f"article:{article_id}"


def outlet_node(outlet_id: str) -> str:
    """The graph node id of an outlet."""
    return f"outlet:{outlet_id}"


def origin_data(origin: Origin) -> dict:
    """An original source as plain data (outlet, reason, path of steps) for nodes and JSON."""
    return {"outlet_id": origin.outlet_id, "reason": origin.reason,
            "path": [step.as_dict() for step in origin.path]}


def _article_attrs(art: Article, credits: list[str], origins: list[Origin]) -> dict:
    return {"type": "article", "external_id": art.external_id, "path": art.path,
            "url": art.url, "title": art.title, "outlet": art.publisher_id,
            "published": art.published, "language": art.language, "story": art.story,
            "credits": credits, "original_sources": [origin_data(o) for o in origins],
            "run": art.first_run_id}


def _outlet_attrs(outlet: Outlet | None, outlet_id: str) -> dict:
    if outlet is None:  # named by an edge but unknown to the store
        return {"type": "outlet", "name": outlet_id, "aliases": [], "domains": [],
                "kind": None, "country": None, "state_affiliation": None}
    attrs = {"type": "outlet", "name": outlet.name, "aliases": list(outlet.aliases),
             "domains": list(outlet.domains), "kind": outlet.kind, "country": outlet.country,
             "state_affiliation": outlet.state_affiliation}
    if outlet.origin == "discovered":  # named in a citation, missing from the registry
        attrs["origin"] = "discovered"
    return attrs


def build_graph(articles: Iterable[Article], outlets: Iterable[Outlet],
                edges: Iterable[dict] = (), citations: Iterable[Citation] = (),
                origins: Mapping[str, list[Origin]] | None = None) -> nx.MultiDiGraph:
    """A graph of the given articles, the outlets they touch, and their edges.

    Each article gets a `published_by` edge to its publisher, its image credits (from
    `citations`) and its original sources (`origins`, by article id); `edges` adds more, each
    a dict with `source`, `target` (node ids), `relation` and evidence attributes.
    """
    graph = nx.MultiDiGraph()
    known = {o.id: o for o in outlets}
    credits = credits_by_article(citations)
    origins = origins or {}
    used_outlets: set[str] = set()
    for art in articles:
        node = article_node(art.id)
        graph.add_node(node, **_article_attrs(art, credits.get(art.id, []),
                                              origins.get(art.id, [])))
        if art.publisher_id:
            used_outlets.add(art.publisher_id)
            graph.add_edge(node, outlet_node(art.publisher_id), key="published_by",
                           relation="published_by", evidence=art.publisher_evidence)
    extra = list(edges)
    for edge in extra:
        for end in (edge["source"], edge["target"]):
            if end.startswith("outlet:"):
                used_outlets.add(end.split(":", 1)[1])
    for outlet_id in sorted(used_outlets):
        graph.add_node(outlet_node(outlet_id), **_outlet_attrs(known.get(outlet_id), outlet_id))
    for edge in extra:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        graph.add_edge(edge["source"], edge["target"],
                       key=edge.get("key") or edge["relation"], **attrs)
    return graph


def _strongest(kinds: set[str]) -> str:
    return next((k for k in KIND_STRENGTH if k in kinds), min(kinds))


def citation_edges(citations: Iterable[Citation]) -> list[dict]:
    """`cites` edges (article -> outlet) and `relays` edges (relaying -> original outlet).

    Only citations that count make edges; each edge lists all its evidence (sentences and the
    offsets of the name), its strongest kind and the highest confidence.
    """
    grouped: dict[tuple[str, str], list[Citation]] = {}
    relays: dict[tuple[str, str], list[Citation]] = {}
    for cit in citations:
        if not cit.counts or not cit.outlet_id:
            continue
        grouped.setdefault((cit.article_id, cit.outlet_id), []).append(cit)
        if cit.relayed_by:
            relays.setdefault((cit.relayed_by, cit.outlet_id), []).append(cit)
    edges = []
    for (article_id, outlet_id), cits in sorted(grouped.items()):
        kinds = {c.kind for c in cits}
        edges.append({
            "source": article_node(article_id), "target": outlet_node(outlet_id),
            "relation": "cites", "kind": _strongest(kinds), "kinds": sorted(kinds),
            "evidence": [c.sentence for c in cits], "start": [c.start for c in cits],
            "end": [c.end for c in cits], "zone": [c.zone for c in cits],
            "rule": [c.rule for c in cits], "confidence": max(c.confidence for c in cits),
        })
    for (relaying, original), cits in sorted(relays.items()):
        edges.append({
            "source": outlet_node(relaying), "target": outlet_node(original),
            "relation": "relays", "key": f"relays:{relaying}:{original}",
            "evidence": [c.sentence for c in cits],
            "articles": sorted({article_node(c.article_id) for c in cits}),
            "confidence": max(c.confidence for c in cits),
        })
    return edges


def copy_graph_edges(copy_edges: Iterable[CopyEdge]) -> list[dict]:
    """`derived_from` edges (copy -> source) and undirected `similar` edges between articles."""
    edges = []
    for e in copy_edges:
        directed = e.relation == "derived_from"
        edges.append({
            "source": article_node(e.copy_id), "target": article_node(e.source_id),
            "relation": e.relation, "key": e.relation, "kind": e.kind,
            "similarity": e.jaccard, "similarity_estimate": e.jaccard_estimate,
            "containment": e.containment_copy_in_source,
            "containment_source_in_copy": e.containment_source_in_copy,
            "coverage": e.coverage_copy, "coverage_source": e.coverage_source,
            "passages": [{"source_start": p.a_start, "source_end": p.a_end,
                          "copy_start": p.b_start, "copy_end": p.b_end, "tokens": p.tokens}
                         for p in e.passages],
            "direction": "by_publication_time" if directed else e.direction_basis,
            "backdated": bool(e.backdated),
            "verdict": e.verdict, "verdict_reason": e.verdict_reason,
        })
    return edges


def credits_by_article(citations: Iterable[Citation]) -> dict[str, list[str]]:
    """Image credits per article id (they belong to the image, never to a `cites` edge)."""
    credits: dict[str, list[str]] = {}
    for cit in citations:
        if cit.kind == "image_credit":
            names = credits.setdefault(cit.article_id, [])
            if cit.source_name not in names:
                names.append(cit.source_name)
    return credits


def filter_graph(graph: nx.MultiDiGraph, story: str | None = None, outlet: str | None = None,
                 since: str | None = None) -> nx.MultiDiGraph:
    """The part of the graph about one story, one outlet (published or cited by it), or
    articles published on or after `since` (ISO date); outlets touching them stay."""
    keep = set()
    for node, attrs in graph.nodes(data=True):
        if attrs.get("type") != "article":
            continue
        if story and attrs.get("story") != story:
            continue
        if since and (attrs.get("published") or "") < since:
            continue
        if outlet:
            touching = {v for _, v in graph.out_edges(node)}
            if outlet_node(outlet) not in touching:
                continue
        keep.add(node)
    outlets = {v for u in keep for _, v in graph.out_edges(u) if v.startswith("outlet:")}
    sub = graph.subgraph(keep | outlets).copy()
    return sub

