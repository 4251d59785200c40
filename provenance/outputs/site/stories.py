"""Story pages of the site: the members, the spread over time, the citation and copy graph,
the verdicts with their evidence and the copied passages side by side.

Stories are written in batches: one read of the batch's edges and citations, one Graphviz
process for all of the batch's graphs, then the pages. A story larger than the drawing cap is
drawn by its origin and its most connected members (the page says so); every member is still
listed, up to the row cap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from provenance.outputs.graph_layout import Layout, LayoutGraph, lay_out
from provenance.outputs.site import paths
from provenance.outputs.site.articles import evidence
from provenance.outputs.site.chrome import Page, badge, esc, number, table
from provenance.outputs.site.context import Archive, SiteWriter
from provenance.outputs.site.svg import (
    EDGE_COLOURS,
    Drawing,
    Edge,
    Node,
    drawing_box,
    graph_svg,
    timeline_svg,
)
from provenance.presentation import SITE_LIMITS
from provenance.records import Citation, CopyEdge

if TYPE_CHECKING:
    from provenance.store import Store

MAX_CITED_OUTLETS = 30
PASSAGES_PER_EDGE = 3
# Citation kinds that credit a whole text (shown first as a verdict's evidence).
CREDIT_KINDS = ("wire_credit", "source_box")
# Copy edges per drawn member above which the others than each member's first copy are
# hidden until asked for (a story where every member copies every other is a hairball).
EXTRA_EDGES_FROM = 2
# Drawings with at most this many articles label every node (more: labels show when zoomed).
LABELLED_NODES = 70


def edge_class(edge: CopyEdge) -> str:
    """The drawing class of a copy edge: its verdict, `similar`, or `unresolved`."""
    return "similar" if edge.relation == "similar" else (edge.verdict or "unresolved")


class StoryView:
    """One story with what its page needs: members, edges, citations."""

    def __init__(self, row: dict, members: list[str], edges: list[CopyEdge],
                 cits: dict[str, list[Citation]], archive: Archive):
        self.row, self.members, self.edges, self.archive = row, members, edges, archive
        self.cits = cits
        self.id = row["story_id"]
        self.origin = row["origin_article_id"]
        self.into: dict[str, CopyEdge] = {}  # member -> the edge it copies by (origin first)
        for x in sorted(edges, key=lambda e: (e.source_id != self.origin, e.source_id)):
            self.into.setdefault(x.copy_id, x)

    def quoted(self) -> list[CopyEdge]:
        """The copy edges whose passages the page quotes: uncredited first, most similar first."""
        order = {"uncredited": 0, "unresolved": 1, "credited": 2, "same_outlet": 3, "similar": 4}
        ranked = sorted(self.edges, key=lambda x: (order.get(edge_class(x), 5), -x.jaccard,
                                                   x.copy_id))
        return ranked[:SITE_LIMITS["passage_edges"]]

    def evidence_for(self, edge: CopyEdge, limit: int = 5) -> list[Citation]:
        """The copy's citations that bear on its verdict: those naming the source's outlet or
        the story's origin or upstream outlet first, credit lines before body mentions."""
        relevant = {self.archive.publisher(edge.source_id), self.row.get("origin_outlet_id"),
                    self.row.get("upstream_outlet_id")}
        cits = [c for c in self.cits.get(edge.copy_id, []) if c.counts]
        cits.sort(key=lambda c: (c.outlet_id not in relevant, c.kind not in CREDIT_KINDS,
                                 c.zone != "body", c.start))
        return cits[:limit]

    def drawn(self) -> list[str]:
        """The members drawn: all, or the origin and the most connected up to the cap."""
        cap = SITE_LIMITS["drawn_nodes"]
        if len(self.members) <= cap:
            return self.members
        degree = Counter(a for x in self.edges for a in (x.source_id, x.copy_id))
        ranked = sorted(self.members, key=lambda a: (a != self.origin, -degree[a], a))
        return ranked[:cap]

    def drawing(self, page: Page) -> Drawing:
        """Members, the outlets they cite, copy and citation edges."""
        drawn = self.drawn()
        shown = set(drawn)
        nodes, arch = [], self.archive
        for aid in drawn:
            x = self.into.get(aid)
            css = "n-origin" if aid == self.origin else "n-article"
            colour = "#6a1b9a" if aid == self.origin else EDGE_COLOURS[edge_class(x)] \
                if x else "#37474f"
            label = f"{arch.outlet_name(arch.publisher(aid))} {arch.published(aid)[:10]}"
            nodes.append(Node(aid, label, f"{arch.title(aid)} ({label})",
                              page.href(paths.article_page(aid)), css,
                              8.0 if aid == self.origin else 6.0, colour, below=True))
        # Each member's own copy edge first, then the others, up to the cap.
        first = {id(x) for x in self.into.values()}
        ranked = sorted((x for x in self.edges if x.source_id in shown and x.copy_id in shown),
                        key=lambda x: id(x) not in first)
        # In a story of more than a few members, only each member's first copy is drawn
        # until the reader asks for all copy edges.
        dense = len(ranked) > EXTRA_EDGES_FROM * max(1, len(drawn))
        edges = [Edge(x.source_id, x.copy_id, edge_class(x),
                      f"{x.kind} {x.jaccard:.2f}, {x.verdict or x.relation}",
                      extra=dense and id(x) not in first)
                 for x in ranked[:SITE_LIMITS["drawn_edges"]]]
        cited: dict[str, set[str]] = defaultdict(set)
        for aid in drawn:
            for c in self.cits.get(aid, []):
                if c.counts and c.outlet_id:
                    cited[c.outlet_id].add(aid)
        top = sorted(cited, key=lambda o: (-len(cited[o]), o))[:MAX_CITED_OUTLETS]
        for o in top:
            name = arch.outlet_name(o)
            nodes.append(Node(f"outlet:{o}", name, f"{name}: cited by {len(cited[o])}",
                              page.href(arch.outlet_href(o)) if arch.outlet_href(o) else None,
                              "n-outlet",
                              5.0 + min(7.0, len(cited[o]) ** 0.5 * 1.5), "#5c6bc0",
                              below=True))
            edges += [Edge(a, f"outlet:{o}", "cites", f"cites {name}", 0.8)
                      for a in sorted(cited[o])]
        edges = edges[:SITE_LIMITS["drawn_edges"] * 2]
        skeleton = [(x.source_id, x.copy_id) for x in self.into.values()
                    if x.source_id in shown and x.copy_id in shown]
        skeleton += [(e.a, e.b) for e in edges if e.css == "cites"]
        return Drawing(nodes, edges, skeleton)


def _member_rows(view: StoryView, page: Page) -> list[list[str]]:
    arch, rows = view.archive, []
    ordered = sorted(view.members, key=lambda a: (arch.published(a), a))
    for aid in ordered[:SITE_LIMITS["story_rows"]]:
        x = view.into.get(aid)
        if aid == view.origin:
            how, verdict = "origin", badge("origin")
        elif x:
            how = (f"{badge(x.kind, 'kind')} {x.jaccard:.2f} of "
                   + page.link(paths.article_page(x.source_id), arch.title(x.source_id)))
            verdict = f"{badge(edge_class(x))} <span class='meta'>{esc(x.verdict_reason)}</span>"
        else:
            how, verdict = "—", "—"
        pub = arch.publisher(aid)
        outlet = arch.outlet_link(page, pub) if pub else "unknown outlet"
        rows.append([page.link(paths.article_page(aid), arch.title(aid)), outlet,
                     esc(arch.published(aid)), how, verdict])
    return rows


def _ref(page: Page, arch: Archive, article_id: str) -> str:
    """A link to an article's page, with its outlet."""
    outlet = esc(arch.outlet_name(arch.publisher(article_id)))
    return (page.link(paths.article_page(article_id), arch.title(article_id))
            + f" <span class='meta'>({outlet})</span>")


def _passages(view: StoryView, page: Page, texts: dict[str, str]) -> str:
    """Verdicts with their evidence and the copied passages side by side (uncredited first)."""
    arch, chars, parts = view.archive, SITE_LIMITS["passage_chars"], []
    for x in view.quoted():
        src, cp = texts.get(x.source_id, ""), texts.get(x.copy_id, "")
        cits = view.evidence_for(x)
        ev = "".join(f"<li>{esc(arch.outlet_name(c.outlet_id) if c.outlet_id else c.source_name)}"
                     f" ({esc(c.kind)}): {evidence(c)} <span class='meta'>offsets {c.start}–"
                     f"{c.end}, rule {esc(c.rule)}, run {esc(c.run_id)}</span></li>" for c in cits)
        pairs = "".join(
            f"<div><span class='meta'>source {p.a_start}–{p.a_end}</span>\n"
            f"{esc(src[p.a_start:p.a_end][:chars])}</div><div><span class='meta'>copy "
            f"{p.b_start}–{p.b_end}</span>\n{esc(cp[p.b_start:p.b_end][:chars])}</div>"
            for p in x.passages[:PASSAGES_PER_EDGE])
        parts.append(
            f"<h3>{badge(edge_class(x))} {_ref(page, arch, x.copy_id)} <span class='meta'>copies"
            f"</span> {_ref(page, arch, x.source_id)} <span class='meta'>· {esc(x.kind)} "
            f"{x.jaccard:.2f} · run {esc(x.run_id)}</span></h3><p>{esc(x.verdict_reason)}</p>"
            + (f"<ul>{ev}</ul>" if ev else "<p class='meta'>The copy names no outlet.</p>")
            + f"<div class='pair'>{pairs}</div>")
    more = len(view.edges) - SITE_LIMITS["passage_edges"]
    note = f"<p class='meta'>{more} more copy edges: see the member pages.</p>" if more > 0 else ""
    return "<section><h2>Verdicts, evidence and passages</h2>" + "".join(parts) + note + \
        "</section>"


def render_story(view: StoryView, drawing: Drawing, layout: Layout,
                 texts: dict[str, str]) -> tuple[str, str]:
    """The path and HTML of one story's page."""
    page = Page(paths.story_page(view.id), view.archive.title(view.origin))
    body = (_head(view, page) + "<section><h2>Spread over time</h2>" + _timeline(view, page)
            + "</section><section><h2>Citation and copy graph</h2>" + _graph(view, drawing, layout)
            + "</section>" + _members(view, page) + _passages(view, page, texts))
    return page.path, page.render(body, f"story · {len(view.members)} articles")


def _head(view: StoryView, page: Page) -> str:
    """Figures of the story and its origin."""
    arch, row = view.archive, view.row
    verdicts = Counter(edge_class(x) for x in view.edges)
    dates = sorted(d for d in (arch.meta[a].published for a in view.members if a in arch.meta)
                   if d)
    outlets = {arch.publisher(a) for a in view.members}
    cards = [("articles", number(len(view.members))), ("outlets", number(len(outlets))),
             ("first", (dates[0][:16] if dates else "—")), ("last", (dates[-1][:16] if dates
                                                                      else "—"))]
    cards += [(k, number(verdicts[k])) for k in ("credited", "uncredited", "same_outlet",
                                                  "similar") if verdicts[k]]
    head = "".join(f"<div class='card'><b>{esc(v)}</b>{esc(k)}</div>" for k, v in cards)
    origin_outlet = row.get("origin_outlet_id")
    upstream = row.get("upstream_outlet_id")
    intro = (f"<p>Origin: {page.link(paths.article_page(view.origin), arch.title(view.origin))}"
             f" by {arch.outlet_link(page, origin_outlet) if origin_outlet else 'unknown outlet'}"
             + (f", crediting {arch.outlet_link(page, upstream)}"
                if upstream and upstream != origin_outlet else "") + ".</p>")
    return (f"<section><div class='cards'>{head}</div>{intro}<p class='meta'>{esc(view.id)}"
            "</p></section>")


def _graph(view: StoryView, drawing: Drawing, layout: Layout) -> str:
    """The drawing with its tools, and a note when it is capped."""
    classes = [c for c in EDGE_COLOURS if any(e.css == c for e in drawing.edges)]
    capped = (f"<p class='meta'>Drawn: the origin and the {SITE_LIMITS['drawn_nodes'] - 1} most "
              f"connected of {len(view.members)} members.</p>"
              if len(view.members) > SITE_LIMITS["drawn_nodes"] else "")
    extras = sum(1 for e in drawing.edges if e.extra)
    return capped + drawing_box(graph_svg(drawing, layout, LABELLED_NODES), classes,
                                len(drawing.nodes) > LABELLED_NODES, extras=extras)


def _timeline(view: StoryView, page: Page) -> str:
    """The spread over time: a dot per member, coloured by the verdict of its copy."""
    arch = view.archive
    points = [(arch.meta[a].published if a in arch.meta else None,
               arch.outlet_name(arch.publisher(a)),
               "origin" if a == view.origin else edge_class(view.into[a]) if a in view.into
               else "unresolved", f"{arch.title(a)} · {arch.published(a)}",
               page.href(paths.article_page(a))) for a in view.members]
    return timeline_svg(points)


def _members(view: StoryView, page: Page) -> str:
    """The members table (capped)."""
    rows = _member_rows(view, page)
    more = len(view.members) - len(rows)
    return ("<section><h2>Members</h2>"
            + table(["article", "outlet", "published", "copy of", "verdict"], rows)
            + (f"<p class='meta'>{more} more members are not listed.</p>" if more > 0 else "")
            + "</section>")


def _spacing(drawing: Drawing) -> dict:
    """Room for the labels beneath the nodes, when the drawing shows them."""
    articles = sum(1 for n in drawing.nodes if n.css != "n-outlet")
    if articles > LABELLED_NODES:
        return {}
    return {"ranksep": 0.5, "nodesep": 0.15, "sizes": {n.key: n.box() for n in drawing.nodes}}


def _batches(stories: list[dict], members: dict[str, list[str]]):
    batch, size = [], 0
    for row in stories:
        batch.append(row)
        size += len(members.get(row["story_id"], ()))
        if size >= 2 * SITE_LIMITS["batch"] or len(batch) >= SITE_LIMITS["batch"] // 2:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def write_stories(store: Store, archive: Archive, out: SiteWriter, stories: list[dict]) -> int:
    """Write every story's page, batch by batch; returns how many."""
    members = archive.reader.story_members()
    for batch in _batches(stories, members):
        ids = sorted({a for r in batch for a in members.get(r["story_id"], ())})
        edges = store.copy_edges(ids)
        cits: dict[str, list[Citation]] = defaultdict(list)
        for c in store.citations(ids):
            cits[c.article_id].append(c)
        views = []
        for row in batch:
            mine = members.get(row["story_id"], [])
            inside = set(mine)
            views.append(StoryView(row, mine, [x for x in edges if x.source_id in inside
                                               and x.copy_id in inside], cits, archive))
        drawings = [v.drawing(Page(paths.story_page(v.id), "")) for v in views]
        layouts = lay_out([LayoutGraph([n.key for n in d.nodes], d.layout_edges(), **_spacing(d))
                           for d in drawings])
        wanted = {a for v in views for x in v.quoted() for a in (x.source_id, x.copy_id)}
        texts = {a.id: a.text for a in store.texts(sorted(wanted))}
        for view, drawing, layout in zip(views, drawings, layouts, strict=True):
            out.write(*render_story(view, drawing, layout, texts))
    return len(stories)
