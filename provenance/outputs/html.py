"""The self-contained HTML audit report: stories, verdicts, per-article provenance, the graph.

One file with inline CSS, a few lines of inline script and an SVG drawing made here: no
network, no CDN. Every piece of article text goes through `html.escape`; the only markup added
to it is `<mark>` around evidence spans computed from stored offsets.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from provenance.outputs.site.articles import evidence, marked
from provenance.outputs.titles import article_title
from provenance.presentation import DRAWN_TITLE_CHARS, MAX_DRAWN_ARTICLES, MAX_TEXT_CHARS
from provenance.records import Article, CopyEdge

if TYPE_CHECKING:
    from provenance.check import CheckResult
    from provenance.outputs.assemble import ReportData

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;
color:#1d2330;background:#f6f7f9;line-height:1.45}
header{background:#1d2330;color:#fff;padding:1.2em 2em}header h1{margin:0 0 .3em;font-size:1.5em}
header p{margin:0;color:#c9d1e0}main{padding:1em 2em 3em;max-width:1200px}
section{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:1em 1.4em;margin:1em 0}
h2{font-size:1.2em;margin:.2em 0 .8em}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;border-bottom:1px solid #e7eaf0;padding:.35em .5em;vertical-align:top}
th{background:#f0f2f6}.badge{display:inline-block;border-radius:3px;padding:0 .4em;
font-size:.8em;font-weight:600;color:#fff}.credited{background:#2e7d32}.uncredited{background:#c62828}
.same_outlet{background:#00838f}
.independent{background:#546e7a}.similar{background:#ef6c00}.kind{background:#5c6bc0}
mark{background:#fff0a8;padding:0 .1em}mark.copied{background:#ffd6d6}mark.cue{background:#d7ecff}
details{border-top:1px solid #e7eaf0;padding:.5em 0}summary{cursor:pointer;font-weight:600}
.meta{color:#5b6475;font-size:.88em}.text{white-space:pre-wrap;font-family:Georgia,serif;
font-size:.93em;background:#fafbfc;border:1px solid #eceff4;padding:.8em;max-height:28em;
overflow:auto}.path{font-family:ui-monospace,Menlo,monospace;font-size:.82em;color:#37474f}
#filter{padding:.4em;width:22em;margin-bottom:.6em}svg text{font-size:10px;fill:#1d2330}
.legend span{margin-right:1.2em;font-size:.85em}
"""

SCRIPT = """
(function () {
  var box = document.getElementById('filter');
  if (!box) { return; }
  box.addEventListener('input', function () {
    var q = box.value.toLowerCase();
    var items = document.querySelectorAll('details.article');
    for (var i = 0; i < items.length; i++) {
      var hay = items[i].getAttribute('data-search') || '';
      items[i].style.display = hay.indexOf(q) >= 0 ? '' : 'none';
    }
  });
  document.body.setAttribute('data-ready', 'yes');
})();
"""

e = html.escape

# Colour of a copy edge in the drawing, by verdict; unresolved edges are drawn as credited.
EDGE_COLOURS = {"uncredited": "#c62828", "same_outlet": "#00838f"}
CREDITED_COLOUR = "#2e7d32"


def _badge(label: str, css: str | None = None) -> str:
    return f'<span class="badge {e(css or label)}">{e(label)}</span>'


class _Page:
    """The report data with the look-ups every section needs."""

    def __init__(self, data: ReportData):
        self.data = data
        self.by_id = {a.id: a for a in data.articles}
        self.copies_of: dict[str, list[CopyEdge]] = defaultdict(list)  # copy id -> its edges
        for edge in data.edges:
            self.copies_of[edge.copy_id].append(edge)
        self.sources = {edge.source_id for edge in data.edges}  # articles others copy

    def title(self, article_id: str) -> str:
        """The article's title, else its external id, else its id."""
        art = self.by_id.get(article_id)
        return article_title(art, self.data.outlets.get(art.publisher_id or "")) if art else (
            article_id)

    def publisher_name(self, article_id: str) -> str:
        art = self.by_id.get(article_id)
        return self.outlet_name(art.publisher_id if art else None)

    def outlet_name(self, outlet_id: str | None) -> str:
        if not outlet_id:
            return "unknown outlet"
        outlet = self.data.outlets.get(outlet_id)
        return (outlet.label if outlet else None) or outlet_id

    def published(self, article_id: str) -> str:
        art = self.by_id.get(article_id)
        return str((art.published if art else None) or "undated")


def _summary(page: _Page) -> str:
    data = page.data
    last = data.runs[-1] if data.runs else None
    counts = last.counts if last else {}
    copies = [x for x in data.edges if x.relation == "derived_from"]
    rows = [("articles", len(data.articles)), ("copy edges", len(data.edges)),
            ("uncredited copies", sum(1 for x in copies if x.verdict == "uncredited")),
            ("copies by the source's own outlet",
             sum(1 for x in copies if x.verdict == "same_outlet")),
            ("stories", len(data.stories)), ("runs", len(data.runs)),
            ("last run", f"{last.id if last else None} ({last.status if last else None}, "
                         f"{last.finished_at if last else None})"),
            ("tool version", last.tool_version if last else None),
            ("outlet registry", last.registry_version if last else None),
            ("input problems in last run", counts.get("failed", 0))]
    body = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows)
    problems = "".join(f"<li>{e(p)}</li>" for p in data.problems)
    extra = f"<h3>Problems met</h3><ul>{problems}</ul>" if problems else ""
    params = json.dumps(last.parameters if last else {}, indent=1, ensure_ascii=False)
    return (f"<section id='summary'><h2>Summary</h2><table>{body}</table>{extra}"
            f"<details><summary>Parameters of the last run</summary>"
            f"<pre class='path'>{e(params)}</pre></details></section>")


def _stories(page: _Page) -> str:
    if not page.data.stories:
        return "<section id='stories'><h2>Stories</h2><p>No copies found.</p></section>"
    parts = ["<section id='stories'><h2>Stories</h2>"]
    for story in page.data.stories:
        origin = story.origin_article_id
        parts.append(
            f"<h3 id='{e(story.id)}'>{e(page.title(origin))}</h3><p class='meta'>{e(story.id)}"
            f" · origin {e(page.outlet_name(story.origin_outlet_id))}, upstream "
            f"{e(page.outlet_name(story.upstream_outlet_id))} · {story.size} articles"
            "</p><table><tr><th>reprint</th><th>outlet</th><th>published</th><th>copy of the "
            "origin</th><th>verdict</th></tr>")
        for member in story.members:
            if member == origin:
                continue
            edges = page.copies_of.get(member, [])
            # The member's copy of the origin, else whatever it copies inside the story.
            edge = next((x for x in edges if x.source_id == origin), None)
            edge = edge or next(iter(edges), None)
            kind = f"{edge.kind} {edge.jaccard:.2f}" if edge else "-"
            verdict = _badge(edge.verdict) if edge and edge.verdict else "-"
            parts.append(f"<tr><td><a href='#a-{e(member)}'>{e(page.title(member))}</a></td>"
                         f"<td>{e(page.publisher_name(member))}</td>"
                         f"<td>{e(page.published(member))}</td>"
                         f"<td>{e(kind)}</td><td>{verdict}</td></tr>")
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _copies_table(page: _Page) -> str:
    rows = [x for x in page.data.edges if x.relation == "derived_from"]
    rows.sort(key=lambda x: (x.verdict != "uncredited", x.copy_id))
    body = []
    for x in rows:
        body.append(
            f"<tr><td><a href='#a-{e(x.copy_id)}'>{e(page.title(x.copy_id))}</a><br><span "
            f"class='meta'>{e(page.publisher_name(x.copy_id))}</span></td>"
            f"<td><a href='#a-{e(x.source_id)}'>{e(page.title(x.source_id))}</a><br><span "
            f"class='meta'>{e(page.publisher_name(x.source_id))}</span></td>"
            f"<td>{_badge(x.kind, 'kind')} {x.jaccard:.2f}, {x.coverage_copy:.0%}"
            f" of the copy</td><td>{_badge(x.verdict or 'unresolved')}<br>"
            f"<span class='meta'>{e(x.verdict_reason or '')}</span></td></tr>")
    return ("<section id='copies'><h2>Copies and verdicts</h2><table><tr><th>copy</th>"
            "<th>copied from</th><th>how much</th><th>verdict</th></tr>"
            + "".join(body) + "</table></section>")


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, css in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end, css))
    return out


def _article_lists(page: _Page, art: Article) -> str:
    """What the article copies, the sources it names and its original sources, as HTML."""
    cits = page.data.citations.get(art.id, [])
    cited_rows = "".join(
        f"<tr><td>{e(page.outlet_name(c.outlet_id) if c.outlet_id else c.source_name)}"
        f"</td><td>{e(c.kind)}</td><td>{evidence(c)}</td><td class='meta'>{e(c.rule)} "
        f"{c.confidence:.2f}</td></tr>" for c in cits if c.counts or c.kind == "image_credit")
    copies = "".join(
        f"<li>{_badge(x.verdict or 'unresolved')} {e(x.kind)} of "
        f"<a href='#a-{e(x.source_id)}'>{e(page.title(x.source_id))}</a>"
        f" <span class='meta'>{e(x.verdict_reason or '')}</span></li>"
        for x in page.copies_of.get(art.id, []))
    origins = "".join(
        f"<li><b>{e(page.outlet_name(o.outlet_id))}</b> <span class='meta'>{e(o.reason)}"
        f"</span><div class='path'>"
        f"{e(' → '.join(s.target for s in o.path) or 'own reporting')}</div></li>"
        for o in page.data.original_sources.get(art.id, []))
    return ((f"<h4>Copied from</h4><ul>{copies}</ul>" if copies else "")
            + (f"<h4>Sources named</h4><table>{cited_rows}</table>" if cited_rows else "")
            + f"<h4>Original sources</h4><ul>{origins}</ul>")


def _article(page: _Page, art: Article) -> str:
    text = page.data.texts.get(art.id, "")
    copied = page.copies_of.get(art.id, [])
    spans = [(p.b_start, p.b_end, "copied") for x in copied for p in x.passages]
    spans += [(c.start, c.end, "") for c in page.data.citations.get(art.id, [])
              if c.zone == "body" and c.counts]
    shown = text[:MAX_TEXT_CHARS]
    title, publisher = page.title(art.id), page.outlet_name(art.publisher_id)
    search = " ".join(str(x) for x in (title, art.external_id, publisher)).lower()
    status = "" if copied else _badge("original", "credited") if art.id in page.sources else (
        _badge("independent"))
    return (
        f"<details class='article' id='a-{e(art.id)}' data-search='{e(search)}'><summary>"
        f"{e(title)} {status}</summary><p class='meta'>{e(art.id)} · {e(publisher)} · "
        f"{e(page.published(art.id))} · {e(str(art.language))} · "
        f"{e(str(art.external_id))}</p>"
        + _article_lists(page, art)
        + f"<h4>Text</h4><div class='text'>{marked(shown, _non_overlapping(spans))}"
        + ("…" if len(text) > len(shown) else "") + "</div></details>")


def _drawn_articles(page: _Page) -> list[Article]:
    """The articles the drawing shows (the most connected), oldest first."""
    degree: dict[str, int] = defaultdict(int)
    for x in page.data.edges:
        degree[x.copy_id] += 1
        degree[x.source_id] += 1
    articles = sorted(page.data.articles, key=lambda a: (-degree[a.id], a.id))
    articles = articles[:MAX_DRAWN_ARTICLES]
    articles.sort(key=lambda a: (a.published or "9999", a.id))
    return articles


def _svg(page: _Page, articles: list[Article], cited: dict[str, set[str]]) -> str:
    """The SVG: articles in a column by date, copy edges as arcs, cited outlets on the right."""
    outlets = sorted(cited, key=lambda o: (-len(cited[o]), o))
    row, width = 22, 1000
    height = max(len(articles), len(outlets)) * row + 40
    ya = {a.id: 30 + i * row for i, a in enumerate(articles)}
    yo = {o: 30 + i * row * max(1, len(articles)) / max(1, len(outlets))
          for i, o in enumerate(outlets)}
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' id='graph' width='{width}' "
             f"height='{height:.0f}' role='img' aria-label='citation graph'>"]
    for outlet, arts in sorted(cited.items()):
        for art_id in sorted(arts):
            parts.append(f"<line x1='420' y1='{ya[art_id]}' x2='700' y2='{yo[outlet]:.0f}' "
                         "stroke='#90a4d4' stroke-width='1' opacity='.6'/>")
    for x in page.data.edges:
        if x.copy_id in ya and x.source_id in ya:
            y1, y2 = ya[x.copy_id], ya[x.source_id]
            bend = 12 + min(100, abs(y1 - y2) / 3)
            colour = EDGE_COLOURS.get(x.verdict or "", CREDITED_COLOUR)
            parts.append(f"<path class='copy-edge' d='M 124 {y1} C {124 - bend:.0f} {y1}, "
                         f"{124 - bend:.0f} {y2}, 124 {y2}' fill='none' stroke='{colour}' "
                         "stroke-width='1.6'/>")
    for art in articles:
        y = ya[art.id]
        parts.append(f"<g class='node article'><circle cx='130' cy='{y}' r='5' fill='#1d2330'/>"
                     f"<a href='#a-{e(art.id)}'><text x='142' y='{y + 4}'>"
                     f"{e(page.title(art.id)[:DRAWN_TITLE_CHARS])}</text></a></g>")
    for outlet in outlets:
        y = yo[outlet]
        radius = 4 + min(8, math.sqrt(len(cited[outlet])) * 2)
        parts.append(f"<g class='node outlet'><circle cx='710' cy='{y:.0f}' r='{radius:.1f}' "
                     f"fill='#5c6bc0'/><text x='{724 + radius:.0f}' y='{y + 4:.0f}'>"
                     f"{e(page.outlet_name(outlet))} ({len(cited[outlet])})</text></g>")
    parts.append("</svg>")
    return "".join(parts)


def _drawing(page: _Page) -> str:
    """An SVG of the citation graph: articles on the left by date, outlets on the right."""
    articles = _drawn_articles(page)
    cited: dict[str, set[str]] = defaultdict(set)
    for art in articles:
        for c in page.data.citations.get(art.id, []):
            if c.counts and c.outlet_id:
                cited[c.outlet_id].add(art.id)
    total = len(page.data.articles)
    note = (f"<p class='meta'>Showing the {len(articles)} most connected of {total} "
            "articles.</p>" if total > len(articles) else "")
    legend = (f"<p class='legend'><span style='color:{CREDITED_COLOUR}'>━ credited copy</span>"
              f"<span style='color:{EDGE_COLOURS['uncredited']}'>━ uncredited copy</span>"
              f"<span style='color:{EDGE_COLOURS['same_outlet']}'>━ copy by the same outlet"
              "</span><span style='color:#90a4d4'>━ cites</span></p>")
    return (f"<section id='graph-section'><h2>Citation graph</h2>{legend}{note}"
            f"<div style='overflow:auto'>{_svg(page, articles, cited)}</div></section>")


def render(data: ReportData) -> str:
    """The whole report as one HTML document."""
    page = _Page(data)
    articles = "".join(_article(page, a) for a in data.articles)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>provenance report</title><style>" + CSS + "</style></head><body>"
        f"<header><h1>Provenance report</h1><p>{e(data.database)}</p></header><main>"
        + _summary(page) + _stories(page) + _copies_table(page) + _drawing(page)
        + "<section id='articles'><h2>Articles</h2><input id='filter' type='search' "
        "placeholder='Filter by title, id or outlet'>" + articles + "</section>"
        + "</main><script>" + SCRIPT + "</script></body></html>\n")


def _check_match(i: int, m: dict) -> str:
    """One archive article the draft reuses: its verdict and the passages side by side."""
    art = m["article"]
    verdict = m.get("verdict") or ("credited" if m["credited"] else "uncredited")
    rows = "".join(
        f"<tr><td><span class='meta'>{p['draft_start']}-{p['draft_end']}</span><br>"
        f"<div class='text'><mark class='copied'>{e(p['draft_text'])}</mark></div></td><td>"
        f"<span class='meta'>{p['source_start']}-{p['source_end']}</span><br><div class='text'>"
        f"<mark class='copied'>"
        f"{e(p['source_text'])}</mark></div></td></tr>" for p in m["passages"])
    return (
        f"<section id='match-{i}'><h2>{m['covers_draft']:.0%} of the draft from "
        f"{e(art.get('title') or art['external_id'])} {_badge(verdict)}</h2><p class='meta'>"
        f"{e(str(art.get('outlet_name') or art.get('publisher_id') or 'unknown outlet'))} · "
        f"{e(str(art.get('published') or 'undated'))} · {e(art['id'])} · {e(m['kind'])}, "
        f"similarity {m['similarity']:.2f} · {e(m['credit'])}</p><table><tr><th>draft</th>"
        f"<th>archive article</th></tr>{rows}</table></section>")


def render_check(result: CheckResult) -> str:
    """`provenance check --format html`: the draft and each source side by side."""
    data = result.as_dict()
    blocks = "".join(_check_match(i, m) for i, m in enumerate(data["matches"]))
    quotes = "".join(f"<li>“{e(q['draft_text'])}” <span class='meta'>also in "
                     f"{e(q['article'].get('title') or q['article']['id'])}</span></li>"
                     for q in data["shared_quotes"])
    cited = ", ".join(c["name"] for c in data["cited_outlets"]) or "none"
    uncredited = ", ".join(u["name"] for u in data["uncredited_sources"]) or "none"
    verdict_css = "uncredited" if data["uncredited_sources"] else (
        "similar" if data["matches"] else "credited")
    score = _badge(f"{data['originality']:.0%} original", verdict_css)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>provenance check"
        "</title><style>" + CSS + "</style></head><body><header><h1>Originality check</h1>"
        f"<p>{e(str(data['draft']['path']))}</p></header><main><section><h2>"
        f"{score} "
        f"{e(data['verdict'])}</h2><p>Cites: {e(cited)}. Uncredited: {e(uncredited)}.</p>"
        f"<p class='meta'>{data['archive']['candidates_verified']} candidates verified in an "
        f"archive of {data['archive']['articles']} articles.</p></section>"
        + blocks
        + (f"<section><h2>Shared quotes (not counted)</h2><ul>{quotes}</ul></section>"
           if quotes else "")
        + "</main><script>document.body.setAttribute('data-ready', 'yes');</script>"
        "</body></html>\n")
