"""The overview page, the paged lists (stories, uncredited reuse, input problems) and the search
page with its index.

The overview stays small whatever the archive's size: counts (each from its SQL view), a few
top-N tables, plots and the outlet-to-outlet drawing of the most copied outlets. Long lists are
paged; the search index is split into shards of a fixed number of entries.
"""

from __future__ import annotations

import json
from collections import defaultdict

from provenance.outputs.graph_layout import LayoutGraph, lay_out
from provenance.outputs.site import paths
from provenance.outputs.site.chrome import Page, badge, esc, number, pager, table
from provenance.outputs.site.context import Archive, SiteWriter
from provenance.outputs.site.outlets import OutletFacts
from provenance.outputs.site.script import SEARCH_JS
from provenance.outputs.site.svg import (
    EDGE_COLOURS,
    Drawing,
    Edge,
    Node,
    bars_svg,
    drawing_box,
    graph_svg,
    histogram_svg,
)
from provenance.presentation import SITE_LIMITS
from provenance.records import Run


def _flow_drawing(page: Page, archive: Archive, facts: OutletFacts) -> str:
    """Which outlets feed which: the most copied-between outlets, an edge per pair coloured by
    its most frequent verdict, thicker for more copies."""
    pairs: dict[tuple[str, str], dict[str, int]] = {}
    volume: dict[str, int] = defaultdict(int)
    for copier, sources in facts.copies.items():
        for source, verdicts in sources.items():
            if copier and source and copier != source:
                pairs[(source, copier)] = verdicts
                volume[copier] += sum(verdicts.values())
                volume[source] += sum(verdicts.values())
    top = sorted(volume, key=lambda o: (-volume[o], o))[:SITE_LIMITS["overview_outlets"]]
    if not top:
        return "<p class='meta'>No copies between different outlets.</p>"
    chosen = set(top)
    nodes = [Node(o, archive.outlet_name(o), f"{archive.outlet_name(o)}: {volume[o]} copies "
                  "in or out", page.href(paths.outlet_page(o)), "n-outlet",
                  4.0 + min(10.0, volume[o] ** 0.5), "#5c6bc0", below=True) for o in top]
    edges = []
    for (source, copier), verdicts in sorted(pairs.items()):
        if source in chosen and copier in chosen:
            main = max(verdicts, key=lambda v: (verdicts[v], v))
            n = sum(verdicts.values())
            edges.append(Edge(source, copier, main if main in EDGE_COLOURS else "unresolved",
                              f"{archive.outlet_name(copier)} copies {archive.outlet_name(source)}"
                              f": {n} ({', '.join(f'{k} {v}' for k, v in verdicts.items())})",
                              0.8 + min(5.0, n ** 0.5 * 0.6)))
    layout = lay_out([LayoutGraph(top, [(e.a, e.b) for e in edges], "sfdp",
                                  sizes={n.key: n.box() for n in nodes})])[0]
    classes = [c for c in EDGE_COLOURS if any(e.css == c for e in edges)]
    return drawing_box(graph_svg(Drawing(nodes, edges), layout), classes, False, outlets=False)


def _cards(summary: dict[str, int]) -> str:
    return "<div class='cards'>" + "".join(
        f"<div class='card' data-count='{esc(k)}'><b>{number(v)}</b>{esc(k)}</div>"
        for k, v in summary.items()) + "</div>"


def render_overview(archive: Archive, facts: OutletFacts, summary: dict[str, int],
                    stories: list[dict], runs: list[Run], problems: list[str]) -> str:
    """The overview page."""
    page, reader, top_n = Page("index.html", "Provenance report"), archive.reader, \
        SITE_LIMITS["top_rows"]
    last = runs[-1] if runs else None
    run = (f"Last run {last.id}: {last.status}, {last.finished_at or last.started_at}, "
           f"provenance {last.tool_version}, outlet registry {last.registry_version}"
           if last else "No run recorded.")
    origins = reader.top_origins(top_n)
    origin_rows = [[archive.outlet_link(page, r["outlet_id"]),
                    number(r["stories"]), number(r["articles"])] for r in origins]
    cited: dict[str, int] = defaultdict(int)
    for o, n in ((c, n) for per in facts.credits.values() for c, n in per.items()):
        cited[o] += n
    cited_top = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
    unc = [[page.link(paths.article_page(r["copy_id"]), r["copy_title"] or r["copy_id"]),
            esc(archive.outlet_name(r["copy_outlet"])),
            page.link(paths.article_page(r["source_id"]), r["source_title"] or r["source_id"]),
            esc(archive.outlet_name(r["source_outlet"])), f"{esc(r['kind'])} {r['jaccard']:.2f}"]
           for r in reader.uncredited(top_n)]
    pair_rows = _uncredited_pairs(page, archive, facts)[:top_n]
    big = [[page.link(paths.story_page(s["story_id"]), s["origin_title"] or s["story_id"]),
            esc(s["origin_outlet"] or "unknown outlet"), number(s["size"])]
           for s in stories[:top_n]]
    kinds = [[esc(r["kind"]), esc(r["severity"]), number(r["n"])] for r in reader.problem_kinds()]
    met = "".join(f"<li>{esc(m)}</li>" for m in problems[:top_n])
    body = (
        f"<section><h2>The archive</h2>{_cards(summary)}<p class='meta'>{esc(run)}</p>"
        f"<h3>Articles per day</h3>{histogram_svg(reader.published_days())}</section>"
        "<section><h2>Which outlets feed which</h2><p class='meta'>The most copied-between "
        "outlets; an arrow runs from the outlet whose text is copied to the one that copies it."
        f"</p>{_flow_drawing(page, archive, facts)}</section>"
        "<div class='grid'><section><h2>Top original outlets</h2><p class='meta'>Outlets whose "
        "article starts a story.</p>" + table(["outlet", "stories", "articles"], origin_rows,
                                               numeric=(1, 2))
        + "</section><section><h2>Citations per outlet</h2><p class='meta'>Articles citing each "
        "outlet.</p>" + bars_svg([(archive.outlet_name(o), n) for o, n in cited_top])
        + "</section></div><section><h2>Uncredited reuse</h2>"
        + table(["copying outlet", "copied outlet", "uncredited copies"], pair_rows,
                numeric=(2,))
        + "<h3>Newest uncredited copies</h3>"
        + table(["copy", "outlet", "copied from", "outlet", "kind"], unc)
        + f"<p>{page.link(paths.list_page('uncredited'), 'All uncredited copies')}</p></section>"
        "<section><h2>Largest stories</h2>" + table(["origin", "outlet", "articles"], big,
                                                   numeric=(2,))
        + f"<p>{page.link(paths.list_page('stories'), 'All stories')}</p></section>"
        "<section><h2>Input problems</h2>" + table(["kind", "severity", "count"], kinds,
                                                   numeric=(2,))
        + f"<p>{page.link(paths.list_page('problems'), 'All input problems')}</p>"
        + (f"<h3>Problems met tracing provenance</h3><ul>{met}</ul>" if met else "")
        + "</section>")
    return page.render(body, archive.database)


def _uncredited_pairs(page: Page, archive: Archive, facts: OutletFacts) -> list[list[str]]:
    pairs = [(v.get("uncredited", 0), copier, source)
             for copier, sources in facts.copies.items() for source, v in sources.items()
             if v.get("uncredited")]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))

    def name(o: str) -> str:
        return archive.outlet_link(page, o) if o else "unknown outlet"
    return [[name(c), name(s), number(n)] for n, c, s in pairs]


def write_lists(archive: Archive, out: SiteWriter, stories: list[dict], summary: dict) -> None:
    """The paged lists: stories, uncredited copies, input problems."""
    per, reader = SITE_LIMITS["list_rows"], archive.reader
    pages = max(1, -(-len(stories) // per))
    for n in range(1, pages + 1):
        page = Page(paths.list_page("stories", n), "Stories")
        rows = [[page.link(paths.story_page(s["story_id"]), s["origin_title"] or s["story_id"]),
                 esc(s["origin_outlet"] or "unknown outlet"), esc(s["published"] or "undated"),
                 number(s["size"])] for s in stories[(n - 1) * per:n * per]]
        out.write(page.path, page.render(
            "<section>" + pager(page, "stories", n, pages) + table(
                ["origin", "outlet", "published", "articles"], rows, numeric=(3,))
            + "</section>", f"{len(stories):,} stories, largest first"))
    total = summary["uncredited copies"]
    pages = max(1, -(-total // per))
    for n in range(1, pages + 1):
        page = Page(paths.list_page("uncredited", n), "Uncredited reuse")
        rows = [[page.link(paths.article_page(r["copy_id"]), r["copy_title"] or r["copy_id"]),
                 esc(archive.outlet_name(r["copy_outlet"])), esc(r["copy_published"]),
                 page.link(paths.article_page(r["source_id"]),
                           r["source_title"] or r["source_id"]),
                 esc(archive.outlet_name(r["source_outlet"])),
                 f"{badge(r['kind'], 'kind')} {r['jaccard']:.2f}", esc(r["verdict_reason"])]
                for r in reader.uncredited(per, (n - 1) * per)]
        out.write(page.path, page.render(
            "<section>" + pager(page, "uncredited", n, pages) + table(
                ["copy", "outlet", "published", "copied from", "outlet", "kind", "why"], rows)
            + "</section>", f"{total:,} copies that do not name their source"))
    total = summary["input problems"]
    pages = max(1, -(-total // per))
    for n in range(1, pages + 1):
        page = Page(paths.list_page("problems", n), "Input problems")
        rows = [[esc(r["run_id"]), f"<span class='path'>{esc(r['path'])}</span>",
                 esc(r["record"]), esc(r["kind"]), esc(r["severity"]), esc(r["message"])]
                for r in reader.problems(per, (n - 1) * per)]
        out.write(page.path, page.render(
            "<section>" + pager(page, "problems", n, pages) + table(
                ["run", "path", "record", "kind", "severity", "message"], rows)
            + "</section>", f"{total:,} files or records read with a problem"))


def _entries(archive: Archive, stories: list[dict], outlet_ids: list[str]):
    """Search entries: [kind, label, detail, href], outlets first, then stories, then
    articles (the page lists matches in this order); the page searches label and detail."""
    for o in outlet_ids:
        yield ["outlet", archive.outlet_name(o), o, paths.outlet_page(o)]
    for s in stories:
        yield ["story", s["origin_title"] or s["story_id"],
               f"{s['size']} articles · {s['origin_outlet'] or ''} · {s['story_id']}",
               paths.story_page(s["story_id"])]
    for aid, m in archive.meta.items():
        outlet = archive.outlet_name(m.publisher_id)
        yield ["article", m.title, f"{outlet} · {(m.published or 'undated')[:10]} · {m.url or aid}",
               paths.article_page(aid)]


def write_search(archive: Archive, out: SiteWriter, stories: list[dict],
                 outlet_ids: list[str]) -> None:
    """The search page and its index shards (`search/index-N.js`)."""
    shard, shards, size = [], 0, SITE_LIMITS["search_shard"]

    def flush() -> None:
        nonlocal shard, shards
        data = json.dumps(shard, ensure_ascii=False, separators=(",", ":"))
        data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029",
                                                                                "\\u2029")
        out.write(f"search/index-{shards}.js", f"provenanceSearch({data});\n")
        shard, shards = [], shards + 1

    for entry in _entries(archive, stories, outlet_ids):
        shard.append(entry)
        if len(shard) >= size:
            flush()
    if shard or not shards:
        flush()
    page = Page("search.html", "Search")
    body = ("<section><input id='q' type='search' autofocus placeholder='Search titles, "
            "outlets and URLs' aria-label='search'> <span id='note' class='meta'>loading the "
            "index…</span><ul id='results'></ul></section>")
    html = page.render(body, "titles, outlets and URLs", SEARCH_JS)
    out.write(page.path, html.replace("<body>", f"<body data-shards='{shards}'>", 1))
