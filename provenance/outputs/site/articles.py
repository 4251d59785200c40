"""Article pages of the site: metadata, what the article copies and who copies it (with the
verdicts), the sources it names with their evidence (sentence, offsets, rule, run), its original
sources with the path there, and its text with copied passages and citations marked.

Pages are made one batch of articles at a time: the batch's texts, citations, edges and
origins are read together, rendered, written and dropped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from provenance.outputs.site import paths
from provenance.outputs.site.chrome import Page, badge, esc, table
from provenance.outputs.site.context import Archive, SiteWriter
from provenance.presentation import MAX_TEXT_CHARS, SITE_LIMITS
from provenance.records import Article, Citation, CopyEdge, Origin

if TYPE_CHECKING:
    from provenance.store import Store


def marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escaped `text` with <mark> around non-overlapping (start, end, class) spans."""
    out, pos = [], 0
    for start, end, css in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(esc(text[pos:start]))
        out.append(f"<mark class='{esc(css)}'>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def evidence(cit: Citation) -> str:
    """A citation's sentence with the name marked (offsets relative to the sentence)."""
    return marked(cit.sentence, [(cit.start - cit.sentence_start,
                                  cit.end - cit.sentence_start, "")])


def cited_rows(page: Page, archive: Archive, cits: list[Citation]) -> list[list[str]]:
    """Table rows of the sources an article names: who, how, the evidence, offsets, rule, run."""
    rows = []
    for c in cits:
        if not (c.counts or c.kind == "image_credit"):
            continue
        who = (archive.outlet_link(page, c.outlet_id) if c.outlet_id
               else esc(c.source_name))
        rows.append([who, esc(c.kind), evidence(c), f"{c.start}–{c.end}"
                     + ("" if c.zone == "body" else f" ({esc(c.zone)})"),
                     f"{esc(c.rule)} {c.confidence:.2f}", esc(c.run_id)])
    return rows


def edge_rows(page: Page, archive: Archive, edges: list[CopyEdge], other: str
              ) -> list[list[str]]:
    """Table rows of copy edges seen from one end (`other` names the attribute of the far end)."""
    rows = []
    for x in edges:
        far = getattr(x, other)
        verdict = "similar" if x.relation == "similar" else (x.verdict or "unresolved")
        rows.append([page.link(paths.article_page(far), archive.title(far)),
                     esc(archive.outlet_name(archive.publisher(far))),
                     esc(archive.published(far)),
                     f"{badge(x.kind, 'kind')} {x.jaccard:.2f}, {x.coverage_copy:.0%} of the copy",
                     f"{badge(verdict)} <span class='meta'>{esc(x.verdict_reason)}</span>"])
    return rows


def _origins(origins: list[Origin], archive: Archive, page: Page) -> str:
    items = "".join(
        f"<li>{archive.outlet_link(page, o.outlet_id)} "
        f"<span class='meta'>{esc(o.reason)}</span><div class='path'>"
        f"{esc(' → '.join(s.target for s in o.path) or 'own reporting')}</div></li>"
        for o in origins)
    return f"<section><h2>Original sources</h2><ul>{items or '<li>none recorded</li>'}</ul>" \
        "</section>"


def render_article(art: Article, archive: Archive, cits: list[Citation],
                   edges: list[CopyEdge], origins: list[Origin]) -> tuple[str, str]:
    """The path and HTML of one article's page."""
    page = Page(paths.article_page(art.id), archive.title(art.id))
    head = ["article", "outlet", "published", "how much", "verdict"]
    copies = [x for x in edges if x.copy_id == art.id]
    copied_by = [x for x in edges if x.source_id == art.id]
    facts = [("id", esc(art.id)), ("external id", esc(art.external_id)),
             ("outlet", archive.outlet_link(page, art.publisher_id)
              if art.publisher_id else "unknown outlet"),
             ("published", esc(art.published or "undated")), ("language", esc(art.language)),
             ("url", f"<span class='path'>{esc(art.url)}</span>"),
             ("read from", f"<span class='path'>{esc(art.path)} {esc(art.record)}</span>"),
             ("story", page.link(paths.story_page(art.story), art.story) if art.story else "—")]
    body = ["<section><table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
            + "</table></section>"]
    if copies:
        body.append("<section><h2>Copied from</h2>"
                    + table(head, edge_rows(page, archive, copies, "source_id")) + "</section>")
    if copied_by:
        body.append("<section><h2>Copied by</h2>"
                    + table(head, edge_rows(page, archive, copied_by, "copy_id")) + "</section>")
    rows = cited_rows(page, archive, cits)
    if rows:
        body.append("<section><h2>Sources named</h2>" + table(
            ["source", "kind", "evidence", "offsets", "rule", "run"], rows) + "</section>")
    body.append(_origins(origins, archive, page))
    spans = [(p.b_start, p.b_end, "copied") for x in copies for p in x.passages]
    spans += [(c.start, c.end, "") for c in cits if c.zone == "body" and c.counts]
    shown = art.text[:MAX_TEXT_CHARS]
    more = (f"<p class='meta'>First {MAX_TEXT_CHARS:,} of {len(art.text):,} characters; the "
            "database holds the whole text.</p>") if len(art.text) > len(shown) else ""
    body.append(f"<section><h2>Text</h2><p class='meta'><mark class='copied'>copied passages"
                f"</mark> <mark>sources named</mark></p><div class='text'>{marked(shown, spans)}"
                f"</div>{more}</section>")
    subtitle = f"{archive.outlet_name(art.publisher_id)} · {art.published or 'undated'}"
    return page.path, page.render("".join(body), subtitle)


def write_articles(store: Store, archive: Archive, out: SiteWriter) -> int:
    """Write every current article's page, one batch at a time; returns how many."""
    done = 0
    for ids in archive.reader.article_ids(SITE_LIMITS["batch"]):
        cits: dict[str, list[Citation]] = defaultdict(list)
        for c in store.citations(ids):
            cits[c.article_id].append(c)
        edges: dict[str, list[CopyEdge]] = defaultdict(list)
        for x in store.copy_edges(ids):
            edges[x.copy_id].append(x)
            edges[x.source_id].append(x)
        origins: dict[str, list[Origin]] = defaultdict(list)
        for o in store.original_sources(ids):
            origins[o.article_id].append(o)
        for art in store.texts(ids):
            path, html = render_article(art, archive, cits[art.id], edges[art.id],
                                        origins[art.id])
            out.write(path, html)
            done += 1
    return done

