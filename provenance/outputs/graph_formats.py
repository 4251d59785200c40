"""The citation graph written out: node-link JSON, GraphML, GEXF, Graphviz DOT and JSON-LD.

Pure: takes the networkx graph of `outputs.graph` (and the scan runs, for JSON-LD) and returns
text. Every format is deterministic (nodes and edges in a stable order).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable

import networkx as nx

from provenance.outputs.graph import outlet_node
from provenance.presentation import DOT_LABEL_CHARS
from provenance.records import Run

FORMATS = ("json", "graphml", "gexf", "dot", "jsonld")


def export(graph: nx.MultiDiGraph, fmt: str, runs: Iterable[Run] = ()) -> str:
    """The graph serialised as json, graphml, gexf, dot or jsonld (`runs` describe the
    scan runs for JSON-LD's prov:Activity nodes)."""
    fmt = fmt.lower()
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


def to_node_link(graph: nx.MultiDiGraph) -> dict:
    """networkx node-link data with `nodes` and `edges` keys, in a stable order."""
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: (n.get("type", ""), n["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"],
                                                         str(e.get("key"))))
    return data


def _scalars(attrs: dict) -> dict:
    """Attributes GraphML and GEXF can hold: lists and dicts as JSON, None dropped."""
    out = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | dict):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        out[key] = value
    return out


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars; each edge also gets the `label` and `color`
    the DOT export draws it with (copies by verdict)."""
    flat = nx.MultiDiGraph()
    for node, attrs in sorted(graph.nodes(data=True)):
        flat.add_node(node, **_scalars(attrs))
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_scalars(attrs), label=edge_label(attrs),
                      color=_colour(edge_style(attrs)))
    return flat


def _colour(style: str) -> str:
    """The colour of a DOT style ("#d62728"), for GraphML and GEXF viewers."""
    found = re.search(r'color="([^"]+)"', style)
    return found.group(1) if found else ""


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_STYLE = {
    "published_by": 'color="gray60" style=dashed',
    "cites": 'color="#1f77b4"',
    "relays": 'color="#2ca02c" style=dotted',
}
# Copy edges are coloured by their verdict; a `similar` pair (no direction) is drawn without
# arrowheads, whatever its verdict.
VERDICT_STYLE = {
    "credited": 'color="#2ca02c" penwidth=2',
    "uncredited": 'color="#d62728" penwidth=2',
    "same_outlet": 'color="#7f7f7f" penwidth=2',
    None: 'color="#ff7f0e" penwidth=2',  # not resolved (yet)
}
_SIMILAR = 'color="#9467bd" style=dashed dir=none'
# The legend: what each colour and line means (a cluster of its own, drawn in a corner).
LEGEND = (
    ("derived_from, credited", VERDICT_STYLE["credited"]),
    ("derived_from, uncredited", VERDICT_STYLE["uncredited"]),
    ("derived_from, same outlet", VERDICT_STYLE["same_outlet"]),
    ("derived_from, unresolved", VERDICT_STYLE[None]),
    ("similar (no direction)", _SIMILAR),
    ("cites", _DOT_STYLE["cites"]),
    ("relays", _DOT_STYLE["relays"]),
    ("published_by", _DOT_STYLE["published_by"]),
)


def edge_style(attrs: dict) -> str:
    """The DOT attributes of an edge: copies by verdict (similar pairs apart), others by
    relation."""
    relation = attrs.get("relation", "")
    if relation == "similar":
        return _SIMILAR
    if relation == "derived_from":
        return VERDICT_STYLE.get(attrs.get("verdict"), VERDICT_STYLE[None])
    return _DOT_STYLE.get(relation, "")


def edge_label(attrs: dict) -> str:
    """An edge's label: a copy's kind and verdict ("partial, uncredited"), else its kind or
    relation."""
    relation = attrs.get("relation", "")
    if relation in ("derived_from", "similar"):
        verdict = (attrs.get("verdict") or "unresolved").replace("_", " ")
        return f"{attrs.get('kind')}, {verdict}" if relation == "derived_from" else (
            f"{attrs.get('kind')}, similar")
    return attrs.get("kind") or relation


def _dot_legend() -> list[str]:
    lines = ["  subgraph cluster_legend {", '    label="legend"; fontname="Helvetica";',
             '    node [shape=plaintext fontsize=10 label=""];']
    for i, (label, style) in enumerate(LEGEND):
        lines.append(f'    "legend:{i}a" -> "legend:{i}b" [label={_dot_id(label)} '
                     f"fontsize=10 {style}];")
    lines.append("  }")
    return lines


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT: articles as boxes (titles without site marks), outlets as ellipses,
    copy edges coloured by verdict, other edges by relation, and a legend."""
    from provenance.outputs.titles import display_title, site_marks

    lines = ["digraph provenance {", "  rankdir=LR;", '  node [fontname="Helvetica"];',
             '  edge [fontname="Helvetica" fontsize=9];']
    names = {n: a.get("name") for n, a in graph.nodes(data=True) if a.get("type") == "outlet"}
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("type") == "article":
            publisher = names.get(outlet_node(attrs.get("outlet") or ""))
            title = display_title(attrs.get("title"), site_marks(None, attrs.get("url"),
                                                                 [publisher or ""]),
                                  attrs.get("external_id") or node)
            lines.append(f"  {_dot_id(node)} [shape=box label="
                         f"{_dot_id(title[:DOT_LABEL_CHARS])}];")
        else:
            label = attrs.get("name") or node
            lines.append(f"  {_dot_id(node)} [shape=ellipse style=filled fillcolor=\"#eeeeee\""
                         f" label={_dot_id(label)}];")
    for u, v, attrs in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1],
                                                                        e[2].get("relation"))):
        lines.append(f"  {_dot_id(u)} -> {_dot_id(v)} [label={_dot_id(edge_label(attrs))} "
                     f"{edge_style(attrs)}];")
    lines += _dot_legend()
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


def to_jsonld(graph: nx.MultiDiGraph, runs: Iterable[Run] = ()) -> dict:
    """The graph as JSON-LD: articles are schema:NewsArticle/prov:Entity, outlets are
    schema:NewsMediaOrganization/prov:Agent, copies are prov:wasDerivedFrom/schema:isBasedOn
    (with a qualified derivation carrying kind, similarity and verdict), citations are
    schema:citation (direct quotes also prov:wasQuotedFrom), original sources are
    prov:hadPrimarySource, image credits schema:creditText, and each article
    prov:wasGeneratedBy the scan run that read it."""
    items: list[dict] = []
    for node, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("type") == "outlet":
            items.append(_jsonld_outlet(node, attrs))
        else:
            items.append(_jsonld_article(graph, node, attrs))
    run_ids = {a["run"] for _, a in graph.nodes(data=True)
               if a.get("type") == "article" and a.get("run") is not None}
    items += _jsonld_runs(run_ids, runs)
    for u, v, edge in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        if edge.get("relation") == "relays":
            items.append({"@id": _iri(u), "pv:relays": {"@id": _iri(v)}})
    return {"@context": JSONLD_CONTEXT, "@graph": items}


def _jsonld_outlet(node: str, attrs: dict) -> dict:
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
    return item


def _jsonld_article(graph: nx.MultiDiGraph, node: str, attrs: dict) -> dict:
    item: dict = {"@id": _iri(node), "@type": ["schema:NewsArticle", "prov:Entity"]}
    for key, term in (("title", "schema:headline"), ("published", "schema:datePublished"),
                      ("language", "schema:inLanguage"), ("url", "schema:url"),
                      ("external_id", "schema:identifier")):
        if attrs.get(key):
            item[term] = attrs[key]
    if attrs.get("credits"):
        item["schema:creditText"] = "; ".join(attrs["credits"])
    if attrs.get("run") is not None:
        item["prov:wasGeneratedBy"] = {"@id": f"urn:provenance:run:{attrs['run']}"}
    primary = sorted({s["outlet_id"] for s in attrs.get("original_sources") or []
                      if s.get("reason") != "own_reporting"})
    if primary:
        item["prov:hadPrimarySource"] = [{"@id": _iri(outlet_node(o))} for o in primary]
    item.update(_jsonld_links(graph, node))
    return item


def _jsonld_links(graph: nx.MultiDiGraph, node: str) -> dict:
    """An article's publisher, citations and derivations as JSON-LD properties."""
    found: dict = {}
    citations, quoted, derived, qualified = [], [], [], []
    for _, target, edge in sorted(graph.out_edges(node, data=True),
                                  key=lambda e: (e[1], e[2].get("relation", ""))):
        relation = edge.get("relation")
        ref = {"@id": _iri(target)}
        if relation == "published_by":
            found["schema:publisher"] = ref
        elif relation == "cites":
            citations.append(ref)
            if "direct_quote" in (edge.get("kinds") or []):
                quoted.append(ref)
        elif relation in ("derived_from", "similar"):
            if relation == "derived_from":
                derived.append(ref)
            qualified.append({
                "@type": "prov:Derivation", "prov:entity": ref, "pv:relation": relation,
                "pv:copyKind": edge.get("kind"), "pv:similarity": edge.get("similarity"),
                "pv:containment": edge.get("containment"), "pv:verdict": edge.get("verdict"),
            })
    if citations:
        found["schema:citation"] = citations
    if quoted:
        found["prov:wasQuotedFrom"] = quoted
    if derived:
        found["prov:wasDerivedFrom"] = derived
        found["schema:isBasedOn"] = derived
    if qualified:
        found["prov:qualifiedDerivation"] = [{k: v for k, v in q.items() if v is not None}
                                             for q in qualified]
    return found


def _jsonld_runs(run_ids: set[int], runs: Iterable[Run]) -> list[dict]:
    """A prov:Activity for each scan run that generated an article."""
    known = {r.id: r for r in runs}
    items = []
    for run_id in sorted(run_ids):
        run = known.get(run_id)
        item = {"@id": f"urn:provenance:run:{run_id}", "@type": "prov:Activity",
                "schema:name": f"provenance scan run {run_id}"}
        if run and run.started_at:
            item["prov:startedAtTime"] = run.started_at
        if run and run.finished_at:
            item["prov:endedAtTime"] = run.finished_at
        if run and run.tool_version:
            item["schema:softwareVersion"] = run.tool_version
        items.append(item)
    return items
