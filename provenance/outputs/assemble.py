"""What the outputs show, read from the store: the graph, one article's provenance, the report.

These functions read the store through its methods only (records in, records out), call the
pure `graph` builder and return records or a graph; they never print and never write. The
verdicts they carry were decided by `lineage.credit` when the scan resolved provenance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from provenance.outputs.graph import Graph, build_graph, citation_edges, copy_graph_edges
from provenance.records import Article, Citation, CopyEdge, Origin, Outlet, Run, Story

if TYPE_CHECKING:
    from provenance.store import Store


@dataclass(frozen=True)
class Link:
    """A copy edge seen from one of its articles: the edge and the article at its other end."""

    edge: CopyEdge
    other: Article  # metadata only (no text)


@dataclass(frozen=True)
class ArticleProvenance:
    """Everything `provenance show` tells about one article."""

    article: Article  # with its text
    publisher: str | None  # the publisher's name
    citations: list[Citation]
    derived_from: list[Link]  # the articles it copies, oldest first
    copied_by: list[Link]  # the articles that copy it, oldest first
    original_sources: list[Origin]
    story: Story | None
    story_origin: Article | None  # the story's origin article (metadata only)
    outlet_names: dict[str, str]


@dataclass(frozen=True)
class ArticleCitations:
    """What `provenance citations` shows: an article, its citations and the outlets named."""

    article: Article
    citations: list[Citation]
    outlets: dict[str, Outlet]


@dataclass(frozen=True)
class ReportData:
    """Everything the HTML report shows, read once from the store."""

    articles: list[Article]  # current articles, no text
    texts: dict[str, str]  # article id -> text
    citations: dict[str, list[Citation]]  # article id -> its citations
    original_sources: dict[str, list[Origin]]  # article id -> its origins, ranked
    edges: list[CopyEdge]
    stories: list[Story]
    outlets: dict[str, Outlet]
    runs: list[Run]
    problems: list[str]
    database: str


def by_article(records: Iterable[Citation | Origin]) -> dict[str, list]:
    """Citations or origins grouped by their `article_id`, in the order given."""
    grouped: dict[str, list] = defaultdict(list)
    for record in records:
        grouped[record.article_id].append(record)
    return dict(grouped)


def graph_of(store: Store) -> Graph:
    """The citation graph of everything current in `store`."""
    citations = store.citations()
    edges = citation_edges(citations) + copy_graph_edges(store.copy_edges())
    return build_graph(store.articles(), store.outlets(), edges, citations=citations,
                       origins=by_article(store.original_sources()))


def article_provenance(store: Store, ref: str) -> ArticleProvenance:
    """Where one article comes from: its citations, the articles it copies and that copy it
    (with verdicts and passages), its story and its original sources.

    Raises:
        NotFoundError: `ref` matches no article (or several).
    """
    article = store.find_article(ref)
    edges = store.copy_edges([article.id])
    others = {e.source_id for e in edges} | {e.copy_id for e in edges}
    story_id = article.story or store.story_of(article.id)
    story = store.story(story_id) if story_id else None
    if story:
        others.add(story.origin_article_id)
    meta = {a.id: a for a in store.article_meta(sorted(others))}

    def links(side: str, end: str) -> list[Link]:
        found = [Link(e, _meta_or_stub(meta, getattr(e, end)))
                 for e in edges if getattr(e, side) == article.id]
        return sorted(found, key=lambda link: _by_date(link.other))

    names = {o.id: o.label for o in store.outlets()}
    return ArticleProvenance(
        article=article, publisher=names.get(article.publisher_id or ""),
        citations=store.citations([article.id]),
        derived_from=links("copy_id", "source_id"), copied_by=links("source_id", "copy_id"),
        original_sources=store.original_sources([article.id]), story=story,
        story_origin=meta.get(story.origin_article_id) if story else None, outlet_names=names)


def article_citations(store: Store, ref: str) -> ArticleCitations:
    """One article's citations, with the outlets to name them by.

    Raises:
        NotFoundError: `ref` matches no article (or several).
    """
    article = store.find_article(ref)
    return ArticleCitations(article, store.citations([article.id]),
                            {o.id: o for o in store.outlets()})


def _meta_or_stub(meta: dict[str, Article], article_id: str) -> Article:
    """The article's metadata, or a record holding only its id (it is no longer stored)."""
    return meta.get(article_id) or Article(
        id=article_id, source_key="", external_id=article_id, path="", record=None,
        format="", text="", text_hash="", n_chars=0)


def _by_date(article: Article) -> tuple:
    return (article.published is None, article.published or "", article.id)


def report_data(store: Store) -> ReportData:
    """Everything the HTML report shows, read once from the store."""
    articles = store.articles()
    texts = {a.id: a.text for a in store.texts([a.id for a in articles])}
    return ReportData(
        articles=articles, texts=texts, citations=by_article(store.citations()),
        original_sources=by_article(store.original_sources()), edges=store.copy_edges(),
        stories=store.stories(), outlets={o.id: o for o in store.outlets()},
        runs=store.runs(), problems=store.provenance_problems(), database=store.path)
