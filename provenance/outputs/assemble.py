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

from provenance.errors import NotFoundError
from provenance.outputs.titles import article_title
from provenance.records import Article, Citation, CopyEdge, Origin, Outlet, Run, Story

if TYPE_CHECKING:
    from provenance.outputs.graph import Graph
    from provenance.store import Store

# How many candidates an ambiguous title fragment lists.
MAX_CANDIDATES_LISTED = 8


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
    derived_from: list[Link]  # the articles it copies (relation derived_from), oldest first
    copied_by: list[Link]  # the articles that copy it, oldest first
    original_sources: list[Origin]
    story: Story | None
    story_origin: Article | None  # the story's origin article (metadata only)
    outlet_names: dict[str, str]
    similar: list[Link] = ()  # texts shared with no direction (undated, or dated alike)
    outlets: dict[str, Outlet] | None = None  # outlet id -> outlet (names, site marks)


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
    from provenance.outputs.graph import build_graph, citation_edges, copy_graph_edges

    citations = store.citations()
    edges = citation_edges(citations) + copy_graph_edges(store.copy_edges())
    return build_graph(store.articles(), store.outlets(), edges, citations=citations,
                       origins=by_article(store.original_sources()))


def article_provenance(store: Store, ref: str) -> ArticleProvenance:
    """Where one article comes from: its citations, the articles it copies and that copy it
    (with verdicts and passages), the texts it shares with no direction, its story and its
    original sources.

    Raises:
        NotFoundError: `ref` matches no article (or several).
    """
    article = find_article(store, ref)
    edges = store.copy_edges([article.id])
    others = {e.source_id for e in edges} | {e.copy_id for e in edges}
    story_id = article.story or store.story_of(article.id)
    story = store.story(story_id) if story_id else None
    if story:
        others.add(story.origin_article_id)
    meta = {a.id: a for a in store.article_meta(sorted(others))}

    def links(relation: str, side: str, end: str) -> list[Link]:
        found = [Link(e, _meta_or_stub(meta, getattr(e, end))) for e in edges
                 if getattr(e, side) == article.id and e.relation == relation]
        return sorted(found, key=lambda link: _by_date(link.other))

    similar = [Link(e, _meta_or_stub(meta, e.source_id if e.copy_id == article.id
                                     else e.copy_id)) for e in edges if e.relation == "similar"]
    outlets = {o.id: o for o in store.outlets()}
    names = {o.id: o.label for o in outlets.values()}
    return ArticleProvenance(
        article=article, publisher=names.get(article.publisher_id or ""),
        citations=store.citations([article.id]),
        derived_from=links("derived_from", "copy_id", "source_id"),
        copied_by=links("derived_from", "source_id", "copy_id"),
        original_sources=store.original_sources([article.id]), story=story,
        story_origin=meta.get(story.origin_article_id) if story else None, outlet_names=names,
        similar=sorted(similar, key=lambda link: _by_date(link.other)), outlets=outlets)


def find_article(store: Store, ref: str) -> Article:
    """The article `ref` names: an id, external id, URL, path or file name (`store`), else the
    one article whose title contains `ref` (case-insensitive).

    Raises:
        NotFoundError: nothing matches, or several articles do (the candidates are listed).
    """
    try:
        return store.find_article(ref)
    except NotFoundError as exc:
        if "matches" in str(exc) and not str(exc).startswith("no article"):
            raise
        missing = exc
    needle = ref.strip().casefold()
    found = [a for a in store.articles() if needle and needle in (a.title or "").casefold()]
    if len(found) == 1:
        return store.article(found[0].id)
    if not found:
        raise missing
    listed = "; ".join(f"{a.id} ({article_title(a)}, {a.published or 'undated'})"
                       for a in found[:MAX_CANDIDATES_LISTED])
    more = f" and {len(found) - MAX_CANDIDATES_LISTED} more" if len(
        found) > MAX_CANDIDATES_LISTED else ""
    raise NotFoundError(f"{ref!r} is in the titles of {len(found)} articles: {listed}{more} "
                        "(give one of these ids)")


def outlet_ref(store: Store, ref: str) -> str:
    """The id of the outlet `ref` names (its id, or its name, alias or a domain, any case).

    Raises:
        NotFoundError: no outlet of the archive goes by `ref`.
    """
    wanted = ref.strip().casefold()
    outlets = store.outlets()
    for outlet in outlets:
        if outlet.id.casefold() == wanted:
            return outlet.id
    for outlet in outlets:
        names = (outlet.name, *outlet.aliases, *outlet.acronyms, *outlet.domains)
        if any(n.casefold() == wanted for n in names):
            return outlet.id
    raise NotFoundError(f"no outlet {ref!r} in this archive (give an outlet id or name; "
                        "`provenance outlets --db ...` lists them)")


def archive_totals(store: Store) -> dict[str, int]:
    """The archive's counts (articles, copies by verdict, similar texts, stories, ...), each a
    count over the view that answers it: what the scan summary, the report and SQL agree on."""
    from provenance.store.site import SiteReader

    return SiteReader(store).summary()


def article_citations(store: Store, ref: str) -> ArticleCitations:
    """One article's citations, with the outlets to name them by.

    Raises:
        NotFoundError: `ref` matches no article (or several).
    """
    article = find_article(store, ref)
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
