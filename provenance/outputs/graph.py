"""The citation graph: articles, outlets and the edges between them, and its export formats.

Pure: it takes rows (dicts) and returns a networkx graph or serialised text. Node ids are
`article:<id>` and `outlet:<id>`; every edge has a `relation` (published_by, cites,
derived_from, similar, relays).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import networkx as nx

FORMATS = ("json", "graphml", "gexf", "dot", "jsonld")

ARTICLE_FIELDS = ("external_id", "path", "url", "title", "outlet", "published", "language",
                  "story")
OUTLET_FIELDS = ("name", "aliases", "domains", "kind", "country", "state_affiliation")


def article_node(article_id: str) -> str:
    """The graph node id of an article."""
    return f"article:{article_id}"


def outlet_node(outlet_id: str) -> str:
    """The graph node id of an outlet."""
    return f"outlet:{outlet_id}"


def build_graph(articles: Iterable[dict], outlets: Iterable[dict],
                edges: Iterable[dict] = ()) -> nx.MultiDiGraph:
    """A graph of the given articles, the outlets they touch, and their edges.

    Each article gets a `published_by` edge to its publisher; `edges` adds more, each a dict
    with `source`, `target` (node ids), `relation` and evidence attributes.
    """
    graph = nx.MultiDiGraph()
    outlet_rows = {o["id"]: o for o in outlets}
    used_outlets: set[str] = set()
    for art in articles:
        node = article_node(art["id"])
        publisher = art.get("publisher_id")
        attrs = {"type": "article", "external_id": art.get("external_id"),
                 "path": art.get("path"), "url": art.get("url"), "title": art.get("title"),
                 "outlet": publisher, "published": art.get("published"),
                 "language": art.get("language"), "story": art.get("story"),
                 "credits": art.get("credits") or [],
                 "original_sources": art.get("original_sources") or [],
                 "run": art.get("first_run_id")}
        graph.add_node(node, **attrs)
        if publisher:
            used_outlets.add(publisher)
            graph.add_edge(node, outlet_node(publisher), key="published_by",
                           relation="published_by", evidence=art.get("publisher_evidence"))
    extra = list(edges)
    for edge in extra:
        for end in (edge["source"], edge["target"]):
            if end.startswith("outlet:"):
                used_outlets.add(end.split(":", 1)[1])
    for outlet_id in sorted(used_outlets):
        row = outlet_rows.get(outlet_id, {"name": outlet_id})
        graph.add_node(outlet_node(outlet_id), type="outlet", name=row.get("name"),
                       aliases=list(row.get("aliases") or []),
                       domains=list(row.get("domains") or []), kind=row.get("kind"),
                       country=row.get("country"),
                       state_affiliation=row.get("state_affiliation"))
    for edge in extra:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        graph.add_edge(edge["source"], edge["target"],
                       key=edge.get("key") or edge["relation"], **attrs)
    return graph


# When an article cites one outlet in several ways, the edge carries the strongest kind.
KIND_STRENGTH = ("wire_credit", "source_box", "claim_attribution", "direct_quote", "relay",
                 "report_reference")


def citation_edges(citations: Iterable[dict]) -> list[dict]:
    """`cites` edges (article -> outlet) and `relays` edges (relaying -> original outlet).

    Only citations that count make edges; each edge lists all its evidence (sentences and the
    offsets of the name), its strongest kind and the highest confidence.
    """
    grouped: dict[tuple[str, str], list[dict]] = {}
    relays: dict[tuple[str, str], list[dict]] = {}
    for cit in citations:
        if not cit["counts"] or not cit.get("outlet_id"):
            continue
        grouped.setdefault((cit["article_id"], cit["outlet_id"]), []).append(cit)
        if cit.get("relayed_by"):
            relays.setdefault((cit["relayed_by"], cit["outlet_id"]), []).append(cit)
    edges = []
    for (article_id, outlet_id), cits in sorted(grouped.items()):
        kinds = {c["kind"] for c in cits}
        edges.append({
            "source": article_node(article_id), "target": outlet_node(outlet_id),
            "relation": "cites",
            "kind": next(k for k in KIND_STRENGTH if k in kinds) if kinds & set(KIND_STRENGTH)
            else sorted(kinds)[0],
            "kinds": sorted(kinds),
            "evidence": [c["sentence"] for c in cits],
            "start": [c["start"] for c in cits],
            "end": [c["end"] for c in cits],
            "zone": [c["zone"] for c in cits],
            "rule": [c["rule"] for c in cits],
            "confidence": max(c["confidence"] for c in cits),
        })
    for (relaying, original), cits in sorted(relays.items()):
        edges.append({
            "source": outlet_node(relaying), "target": outlet_node(original),
            "relation": "relays", "key": f"relays:{relaying}:{original}",
            "evidence": [c["sentence"] for c in cits],
            "articles": sorted({article_node(c["article_id"]) for c in cits}),
            "confidence": max(c["confidence"] for c in cits),
        })
    return edges


def copy_graph_edges(copy_edges: Iterable[dict]) -> list[dict]:
    """`derived_from` edges (copy -> source) and undirected `similar` edges between articles."""
    edges = []
    for e in copy_edges:
        directed = e["relation"] == "derived_from"
        edges.append({
            "source": article_node(e["copy_id"]), "target": article_node(e["source_id"]),
            "relation": e["relation"], "key": e["relation"], "kind": e["kind"],
            "similarity": e["jaccard"], "similarity_estimate": e["jaccard_estimate"],
            "containment": e["containment_copy_in_source"],
            "containment_source_in_copy": e["containment_source_in_copy"],
            "coverage": e["coverage_copy"], "coverage_source": e["coverage_source"],
            "passages": [{"source_start": p[0], "source_end": p[1], "copy_start": p[2],
                          "copy_end": p[3], "tokens": p[4]} for p in e["passages"]],
            "direction": "by_publication_time" if directed else e["direction_basis"],
            "backdated": bool(e["backdated"]),
            "verdict": e.get("verdict"), "verdict_reason": e.get("verdict_reason"),
        })
    return edges


def credits_by_article(citations: Iterable[dict]) -> dict[str, list[str]]:
    """Image credits per article id (they belong to the image, never to a `cites` edge)."""
    credits: dict[str, list[str]] = {}
    for cit in citations:
        if cit["kind"] == "image_credit":
            names = credits.setdefault(cit["article_id"], [])
            if cit["source_name"] not in names:
                names.append(cit["source_name"])
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


def to_node_link(graph: nx.MultiDiGraph) -> dict:
    """networkx node-link data with `nodes` and `edges` keys, in a stable order."""
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: (n.get("type", ""), n["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"],
                                                         str(e.get("key"))))
    return data


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars: lists and dicts as JSON, None dropped."""
    flat = nx.MultiDiGraph()

    def clean(attrs: dict) -> dict:
        out = {}
        for key, value in attrs.items():
            if value is None:
                continue
            if isinstance(value, list | tuple | dict):
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            out[key] = value
        return out

    for node, attrs in sorted(graph.nodes(data=True)):
        flat.add_node(node, **clean(attrs))
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **clean(attrs))
    return flat


def export(graph: nx.MultiDiGraph, fmt: str, runs: list[dict] | None = None) -> str:
    """The graph serialised as json, graphml, gexf, dot or jsonld (`runs` describe the
    scan runs for JSON-LD's prov:Activity nodes)."""
    if fmt == "json":
        return json.dumps(to_node_link(graph), ensure_ascii=False, indent=2, sort_keys=True)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat(graph), named_key_ids=True)) + "\n"
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(_flat(graph), buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(graph, runs), ensure_ascii=False, indent=2, sort_keys=True)
    raise ValueError(f"unknown format {fmt!r} (choose one of {', '.join(FORMATS)})")


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_STYLE = {
    "published_by": 'color="gray60" style=dashed',
    "cites": 'color="#1f77b4"',
    "derived_from": 'color="#d62728" penwidth=2',
    "similar": 'color="#ff7f0e" dir=none',
    "relays": 'color="#2ca02c"',
}


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT: articles as boxes, outlets as ellipses, edges styled by relation."""
    lines = ["digraph provenance {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("type") == "article":
            label = (attrs.get("title") or attrs.get("external_id") or node)[:60]
            lines.append(f"  {_dot_id(node)} [shape=box label={_dot_id(label)}];")
        else:
            label = attrs.get("name") or node
            lines.append(f"  {_dot_id(node)} [shape=ellipse style=filled fillcolor=\"#eeeeee\""
                         f" label={_dot_id(label)}];")
    for u, v, attrs in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1],
                                                                        e[2].get("relation"))):
        relation = attrs.get("relation", "")
        label = attrs.get("kind") or relation
        style = _DOT_STYLE.get(relation, "")
        lines.append(f"  {_dot_id(u)} -> {_dot_id(v)} [label={_dot_id(label)} {style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# JSON-LD: W3C PROV-O and schema.org terms; the few terms neither has (copy kind, similarity,
# verdict) live in a small vocabulary of our own.
JSONLD_CONTEXT = {
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "pv": "urn:provenance:vocab:",
    "schema:datePublished": {"@type": "xsd:dateTime"},
    "prov:startedAtTime": {"@type": "xsd:dateTime"},
}


def _iri(node: str) -> str:
    return f"urn:provenance:{node}"


def to_jsonld(graph: nx.MultiDiGraph, runs: list[dict] | None = None) -> dict:
    """The graph as JSON-LD: articles are schema:NewsArticle/prov:Entity, outlets are
    schema:NewsMediaOrganization/prov:Agent, copies are prov:wasDerivedFrom/schema:isBasedOn
    (with a qualified derivation carrying kind, similarity and verdict), citations are
    schema:citation (direct quotes also prov:wasQuotedFrom), original sources are
    prov:hadPrimarySource, image credits schema:creditText, and each article
    prov:wasGeneratedBy the scan run that read it."""
    items: list[dict] = []
    run_ids: set[int] = set()
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("type") == "outlet":
            item = {"@id": _iri(node), "@type": ["schema:NewsMediaOrganization", "prov:Agent"],
                    "schema:name": attrs.get("name")}
            if attrs.get("aliases"):
                item["schema:alternateName"] = sorted(attrs["aliases"])
            if attrs.get("domains"):
                item["schema:url"] = [f"https://{d}/" for d in attrs["domains"]]
            if attrs.get("country"):
                item["schema:location"] = attrs["country"]
            if attrs.get("kind"):
                item["pv:outletKind"] = attrs["kind"]
            items.append(item)
            continue
        item = {"@id": _iri(node), "@type": ["schema:NewsArticle", "prov:Entity"]}
        for key, term in (("title", "schema:headline"), ("published", "schema:datePublished"),
                          ("language", "schema:inLanguage"), ("url", "schema:url"),
                          ("external_id", "schema:identifier")):
            if attrs.get(key):
                item[term] = attrs[key]
        if attrs.get("credits"):
            item["schema:creditText"] = "; ".join(attrs["credits"])
        if attrs.get("run") is not None:
            run_ids.add(attrs["run"])
            item["prov:wasGeneratedBy"] = {"@id": f"urn:provenance:run:{attrs['run']}"}
        primary = sorted({s["outlet_id"] for s in attrs.get("original_sources") or []
                          if s.get("reason") != "own_reporting"})
        if primary:
            item["prov:hadPrimarySource"] = [{"@id": _iri(outlet_node(o))} for o in primary]
        citations, quoted, derived, qualified = [], [], [], []
        for _, target, edge in sorted(graph.out_edges(node, data=True),
                                      key=lambda e: (e[1], e[2].get("relation", ""))):
            relation = edge.get("relation")
            ref = {"@id": _iri(target)}
            if relation == "published_by":
                item["schema:publisher"] = ref
            elif relation == "cites":
                citations.append(ref)
                if "direct_quote" in (edge.get("kinds") or []):
                    quoted.append(ref)
            elif relation in ("derived_from", "similar"):
                if relation == "derived_from":
                    derived.append(ref)
                qualified.append({
                    "@type": "prov:Derivation", "prov:entity": ref,
                    "pv:relation": relation, "pv:copyKind": edge.get("kind"),
                    "pv:similarity": edge.get("similarity"),
                    "pv:containment": edge.get("containment"),
                    "pv:verdict": edge.get("verdict"),
                })
        if citations:
            item["schema:citation"] = citations
        if quoted:
            item["prov:wasQuotedFrom"] = quoted
        if derived:
            item["prov:wasDerivedFrom"] = derived
            item["schema:isBasedOn"] = derived
        if qualified:
            item["prov:qualifiedDerivation"] = [{k: v for k, v in q.items() if v is not None}
                                                for q in qualified]
        items.append(item)
    runs_by_id = {r["id"]: r for r in runs or []}
    for run_id in sorted(run_ids):
        run = runs_by_id.get(run_id, {})
        item = {"@id": f"urn:provenance:run:{run_id}", "@type": "prov:Activity",
                "schema:name": f"provenance scan run {run_id}"}
        if run.get("started_at"):
            item["prov:startedAtTime"] = run["started_at"]
        if run.get("finished_at"):
            item["prov:endedAtTime"] = run["finished_at"]
        if run.get("tool_version"):
            item["schema:softwareVersion"] = run["tool_version"]
        items.append(item)
    for u, v, edge in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        if edge.get("relation") == "relays":
            items.append({"@id": _iri(u), "pv:relays": {"@id": _iri(v)}})
    return {"@context": JSONLD_CONTEXT, "@graph": items}
