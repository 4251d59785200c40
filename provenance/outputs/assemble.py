"""The audit side of the database: provenance resolution, the graph, and one article's story.

These functions read the store, call the pure modules (`lineage`, `graph`) and write back only
the resolution results; they return data and never print.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from provenance import lineage
from provenance.outputs.graph import (
    build_graph,
    citation_edges,
    copy_graph_edges,
    credits_by_article,
)
from provenance.store.database import Store

if TYPE_CHECKING:
    import networkx as nx


def resolve_provenance(store: Store, run_id: int) -> dict:
    """Resolve original sources and copy verdicts over the whole archive and store them."""
    articles = store.articles()
    result = lineage.resolve(articles, store.citations(), store.copy_edges())
    sources = [
        {"article_id": art_id, "outlet_id": src.outlet_id, "reason": src.reason, "rank": rank,
         "path": json.dumps([s.as_dict() for s in src.path], ensure_ascii=False)}
        for art_id, srcs in result.original_sources.items() for rank, src in enumerate(srcs)
    ]
    store.replace_lineage(run_id, result.verdicts, sources, result.problems)
    verdicts = Counter(v for v, _ in result.verdicts.values())
    return {"credited": verdicts.get("credited", 0),
            "uncredited": verdicts.get("uncredited", 0), "problems": len(result.problems)}


def stored_verdicts(store: Store) -> dict:
    """The verdict counts of the stored resolution (when a scan had nothing to resolve)."""
    rows = store.query("SELECT verdict, count(*) AS n FROM copies GROUP BY verdict")
    found = {r["verdict"]: r["n"] for r in rows}
    problems = store.count("provenance_problem")
    return {"credited": found.get("credited", 0), "uncredited": found.get("uncredited", 0),
            "problems": problems, "reused": True}


def graph_of(store: Store) -> nx.MultiDiGraph:
    """The citation graph of everything current in `store`."""
    articles = store.articles()
    citations = store.citations()
    credits = credits_by_article(citations)
    originals: dict[str, list[dict]] = {}
    for row in store.original_sources():
        originals.setdefault(row["article_id"], []).append(
            {"outlet_id": row["outlet_id"], "reason": row["reason"], "path": row["path"]})
    for art in articles:
        art["credits"] = credits.get(art["id"], [])
        art["original_sources"] = originals.get(art["id"], [])
    edges = citation_edges(citations) + copy_graph_edges(store.copy_edges())
    return build_graph(articles, store.outlets(), edges)


def article_provenance(store: Store, ref: str) -> dict:
    """Everything about where one article comes from: its citations, the articles it copies
    and that copy it (with verdicts and passages), its story and its original sources.

    Raises:
        NotFoundError: `ref` matches no article (or several).
    """
    article = store.find_article(ref)
    art_id = article["id"]
    outlets = {o["id"]: o for o in store.outlets()}
    edges = store.copy_edges([art_id])
    others = {e["source_id"] for e in edges} | {e["copy_id"] for e in edges}
    meta = {m["id"]: m for m in store.article_meta(sorted(others))}
    titles = {a["id"]: a for a in store.articles() if a["id"] in others}

    def side(edge: dict, other_id: str) -> dict:
        other = titles.get(other_id) or meta.get(other_id) or {"id": other_id}
        return dict(edge, other={k: other.get(k) for k in (
            "id", "external_id", "title", "publisher_id", "published", "url")})

    story = None
    if article.get("story") is None:
        rows = store.query("SELECT story_id FROM story_member WHERE article_id = :a",
                           {"a": art_id})
        article["story"] = rows[0]["story_id"] if rows else None
    if article["story"]:
        story = store.query("SELECT * FROM story_origins WHERE story_id = :s",
                            {"s": article["story"]})[0]
    return {
        "article": {k: article.get(k) for k in (
            "id", "external_id", "title", "url", "path", "publisher_id", "published",
            "language", "story", "first_run_id")},
        "publisher": outlets.get(article.get("publisher_id") or "", {}).get("name"),
        "citations": store.citations([art_id]),
        "derived_from": sorted((side(e, e["source_id"]) for e in edges
                                if e["copy_id"] == art_id), key=_by_date),
        "copied_by": sorted((side(e, e["copy_id"]) for e in edges if e["source_id"] == art_id),
                            key=_by_date),
        "original_sources": store.original_sources([art_id]),
        "story": story,
        "outlet_names": {k: v["name"] for k, v in outlets.items()},
        "text": article["text"],
    }


def _by_date(edge: dict) -> tuple:
    other = edge["other"]
    return (other.get("published") is None, other.get("published") or "", other["id"])


def report_data(store: Store) -> dict:
    """Everything the HTML report shows, read once from the store."""
    articles = store.articles()
    texts = {row["id"]: row["text"] for row in store.texts([a["id"] for a in articles])}
    originals: dict[str, list[dict]] = {}
    for row in store.original_sources():
        originals.setdefault(row["article_id"], []).append(row)
    citations: dict[str, list[dict]] = {}
    for row in store.citations():
        citations.setdefault(row["article_id"], []).append(row)
    return {
        "articles": articles,
        "texts": texts,
        "citations": citations,
        "original_sources": originals,
        "edges": store.copy_edges(),
        "stories": store.stories(),
        "outlets": {o["id"]: o for o in store.outlets()},
        "runs": store.runs(),
        "problems": store.query("SELECT * FROM provenance_problem ORDER BY id"),
        "database": store.path,
    }
