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

# Beyond this many articles the drawing shows the stories and the articles with most edges.
MAX_DRAWN_ARTICLES = 120
# Characters of article text shown per article (the rest is in the database).
MAX_TEXT_CHARS = 6000

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


def _badge(label: str, css: str | None = None) -> str:
    return f'<span class="badge {e(css or label)}">{e(label)}</span>'


def _title(article: dict) -> str:
    return article.get("title") or article.get("external_id") or article["id"]


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escaped text with <mark> around the given (start, end, class) spans (no overlaps)."""
    out, pos = [], 0
    for start, end, css in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(e(text[pos:start]))
        out.append(f'<mark class="{e(css)}">{e(text[start:end])}</mark>')
        pos = end
    out.append(e(text[pos:]))
    return "".join(out)


def _sentence(cit: dict) -> str:
    rel_start, rel_end = cit["start"] - cit["sentence_start"], cit["end"] - cit["sentence_start"]
    spans = [(rel_start, rel_end, "")]
    return _marked(cit["sentence"], spans)


def _outlet_name(data: dict, outlet_id: str | None) -> str:
    if not outlet_id:
        return "unknown outlet"
    return (data["outlets"].get(outlet_id) or {}).get("name") or outlet_id


def _summary(data: dict) -> str:
    runs = data["runs"]
    last = runs[-1] if runs else {}
    counts = last.get("counts") or {}
    edges = data["edges"]
    uncredited = sum(1 for x in edges if x.get("verdict") == "uncredited"
                     and x["relation"] == "derived_from")
    rows = [("articles", len(data["articles"])), ("copy edges", len(edges)),
            ("uncredited copies", uncredited), ("stories", len(data["stories"])),
            ("runs", len(runs)), ("last run", f"{last.get('id')} ({last.get('status')}, "
                                              f"{last.get('finished_at')})"),
            ("tool version", last.get("tool_version")),
            ("outlet registry", last.get("registry_version")),
            ("input problems in last run", counts.get("failed", 0))]
    body = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows)
    problems = "".join(f"<li>{e(p['message'])}</li>" for p in data["problems"])
    extra = f"<h3>Problems met</h3><ul>{problems}</ul>" if problems else ""
    params = json.dumps(last.get("parameters") or {}, indent=1, ensure_ascii=False)
    return (f"<section id='summary'><h2>Summary</h2><table>{body}</table>{extra}"
            f"<details><summary>Parameters of the last run</summary>"
            f"<pre class='path'>{e(params)}</pre></details></section>")


def _stories(data: dict, by_id: dict) -> str:
    if not data["stories"]:
        return "<section id='stories'><h2>Stories</h2><p>No copies found.</p></section>"
    edges_to = defaultdict(list)
    for edge in data["edges"]:
        edges_to[edge["copy_id"]].append(edge)
    parts = ["<section id='stories'><h2>Stories</h2>"]
    for story in data["stories"]:
        origin = by_id.get(story["origin_article_id"], {"id": story["origin_article_id"]})
        parts.append(
            f"<h3 id='{e(story['id'])}'>{e(_title(origin))}</h3><p class='meta'>{e(story['id'])}"
            f" · origin {e(_outlet_name(data, story['origin_outlet_id']))}, upstream "
            f"{e(_outlet_name(data, story['upstream_outlet_id']))} · {story['size']} articles"
            "</p><table><tr><th>reprint</th><th>outlet</th><th>published</th><th>copy of the "
            "origin</th><th>verdict</th></tr>")
        for member in story["members"]:
            if member == story["origin_article_id"]:
                continue
            art = by_id.get(member, {"id": member})
            edge = next((x for x in edges_to.get(member, ())
                         if x["source_id"] == story["origin_article_id"]), None)
            edge = edge or next(iter(edges_to.get(member, ())), None)
            kind = f"{edge['kind']} {edge['jaccard']:.2f}" if edge else "-"
            verdict = _badge(edge["verdict"]) if edge and edge.get("verdict") else "-"
            parts.append(f"<tr><td><a href='#a-{e(member)}'>{e(_title(art))}</a></td>"
                         f"<td>{e(_outlet_name(data, art.get('publisher_id')))}</td>"
                         f"<td>{e(str(art.get('published') or 'undated'))}</td>"
                         f"<td>{e(kind)}</td><td>{verdict}</td></tr>")
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _copies_table(data: dict, by_id: dict) -> str:
    rows = [x for x in data["edges"] if x["relation"] == "derived_from"]
    rows.sort(key=lambda x: (x.get("verdict") != "uncredited", x["copy_id"]))
    body = []
    for x in rows:
        copy, source = by_id.get(x["copy_id"], {"id": x["copy_id"]}), by_id.get(
            x["source_id"], {"id": x["source_id"]})
        body.append(
            f"<tr><td><a href='#a-{e(x['copy_id'])}'>{e(_title(copy))}</a><br><span class="
            f"'meta'>{e(_outlet_name(data, copy.get('publisher_id')))}</span></td>"
            f"<td><a href='#a-{e(x['source_id'])}'>{e(_title(source))}</a><br><span class="
            f"'meta'>{e(_outlet_name(data, source.get('publisher_id')))}</span></td>"
            f"<td>{_badge(x['kind'], 'kind')} {x['jaccard']:.2f}, {x['coverage_copy']:.0%}"
            f" of the copy</td><td>{_badge(x.get('verdict') or 'unresolved')}<br>"
            f"<span class='meta'>{e(x.get('verdict_reason') or '')}</span></td></tr>")
    return ("<section id='copies'><h2>Copies and verdicts</h2><table><tr><th>copy</th>"
            "<th>copied from</th><th>how much</th><th>verdict</th></tr>"
            + "".join(body) + "</table></section>")


def _article(data: dict, art: dict, by_id: dict) -> str:
    art_id = art["id"]
    text = data["texts"].get(art_id, "")
    cits = data["citations"].get(art_id, [])
    copied = [x for x in data["edges"] if x["copy_id"] == art_id]
    spans = [(p[2], p[3], "copied") for x in copied for p in x["passages"]]
    spans += [(c["start"], c["end"], "") for c in cits if c["zone"] == "body" and c["counts"]]
    merged = _non_overlapping(spans)
    shown = text[:MAX_TEXT_CHARS]
    cited_rows = "".join(
        f"<tr><td>"
        f"{e(_outlet_name(data, c['outlet_id']) if c['outlet_id'] else c['source_name'])}"
        f"</td><td>{e(c['kind'])}</td><td>{_sentence(c)}</td><td class='meta'>{e(c['rule'])} "
        f"{c['confidence']:.2f}</td></tr>" for c in cits if c["counts"] or
        c["kind"] == "image_credit")
    copies = "".join(
        f"<li>{_badge(x.get('verdict') or 'unresolved')} {e(x['kind'])} of "
        f"<a href='#a-{e(x['source_id'])}'>"
        f"{e(_title(by_id.get(x['source_id'], {'id': x['source_id']})))}</a>"
        f" <span class='meta'>{e(x.get('verdict_reason') or '')}</span></li>" for x in copied)
    origins = "".join(
        f"<li><b>{e(_outlet_name(data, o['outlet_id']))}</b> <span class='meta'>{e(o['reason'])}"
        f"</span><div class='path'>"
        f"{e(' → '.join(s['target'] for s in o['path']) or 'own reporting')}</div></li>"
        for o in data["original_sources"].get(art_id, []))
    search = " ".join(str(x) for x in (_title(art), art.get("external_id"),
                                       _outlet_name(data, art.get("publisher_id")))).lower()
    status = _badge("independent") if not copied else ""
    return (
        f"<details class='article' id='a-{e(art_id)}' data-search='{e(search)}'><summary>"
        f"{e(_title(art))} {status}</summary><p class='meta'>{e(art_id)} · "
        f"{e(_outlet_name(data, art.get('publisher_id')))} · "
        f"{e(str(art.get('published') or 'undated'))} · {e(str(art.get('language')))} · "
        f"{e(str(art.get('external_id')))}</p>"
        + (f"<h4>Copied from</h4><ul>{copies}</ul>" if copies else "")
        + (f"<h4>Sources named</h4><table>{cited_rows}</table>" if cited_rows else "")
        + f"<h4>Original sources</h4><ul>{origins}</ul>"
        + f"<h4>Text</h4><div class='text'>{_marked(shown, merged)}"
        + ("…" if len(text) > len(shown) else "") + "</div></details>")


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, css in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end, css))
    return out


def _drawing(data: dict, by_id: dict) -> str:
    """An SVG of the citation graph: articles on the left by date, outlets on the right."""
    degree = defaultdict(int)
    for x in data["edges"]:
        degree[x["copy_id"]] += 1
        degree[x["source_id"]] += 1
    articles = sorted(data["articles"], key=lambda a: (-degree[a["id"]], a["id"]))
    articles = articles[:MAX_DRAWN_ARTICLES]
    articles.sort(key=lambda a: (a.get("published") or "9999", a["id"]))
    drawn = {a["id"] for a in articles}
    cited: dict[str, set[str]] = defaultdict(set)
    for art_id in drawn:
        for c in data["citations"].get(art_id, []):
            if c["counts"] and c["outlet_id"]:
                cited[c["outlet_id"]].add(art_id)
    outlets = sorted(cited, key=lambda o: (-len(cited[o]), o))
    row, width = 22, 1000
    height = max(len(articles), len(outlets)) * row + 40
    ya = {a["id"]: 30 + i * row for i, a in enumerate(articles)}
    yo = {o: 30 + i * row * max(1, len(articles)) / max(1, len(outlets))
          for i, o in enumerate(outlets)}
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' id='graph' width='{width}' "
             f"height='{height:.0f}' role='img' aria-label='citation graph'>"]
    for outlet, arts in sorted(cited.items()):
        for art_id in sorted(arts):
            parts.append(f"<line x1='420' y1='{ya[art_id]}' x2='700' y2='{yo[outlet]:.0f}' "
                         "stroke='#90a4d4' stroke-width='1' opacity='.6'/>")
    for x in data["edges"]:
        if x["copy_id"] in drawn and x["source_id"] in drawn:
            y1, y2 = ya[x["copy_id"]], ya[x["source_id"]]
            bend = 12 + min(100, abs(y1 - y2) / 3)
            colour = "#c62828" if x.get("verdict") == "uncredited" else "#2e7d32"
            parts.append(f"<path class='copy-edge' d='M 124 {y1} C {124 - bend:.0f} {y1}, "
                         f"{124 - bend:.0f} {y2}, 124 {y2}' fill='none' stroke='{colour}' "
                         "stroke-width='1.6'/>")
    for art in articles:
        y = ya[art["id"]]
        label = _title(art)[:52]
        parts.append(f"<g class='node article'><circle cx='130' cy='{y}' r='5' fill='#1d2330'/>"
                     f"<a href='#a-{e(art['id'])}'><text x='142' y='{y + 4}'>{e(label)}</text>"
                     "</a></g>")
    for outlet in outlets:
        y = yo[outlet]
        radius = 4 + min(8, math.sqrt(len(cited[outlet])) * 2)
        parts.append(f"<g class='node outlet'><circle cx='710' cy='{y:.0f}' r='{radius:.1f}' "
                     f"fill='#5c6bc0'/><text x='{724 + radius:.0f}' y='{y + 4:.0f}'>"
                     f"{e(_outlet_name(data, outlet))} ({len(cited[outlet])})</text></g>")
    parts.append("</svg>")
    note = (f"<p class='meta'>Showing the {len(articles)} most connected of "
            f"{len(data['articles'])} articles.</p>" if len(data["articles"]) > len(articles)
            else "")
    legend = ("<p class='legend'><span style='color:#2e7d32'>━ credited copy</span>"
              "<span style='color:#c62828'>━ uncredited copy</span>"
              "<span style='color:#90a4d4'>━ cites</span></p>")
    return (f"<section id='graph-section'><h2>Citation graph</h2>{legend}{note}"
            f"<div style='overflow:auto'>{''.join(parts)}</div></section>")


def render(data: dict) -> str:
    """The whole report as one HTML document."""
    by_id = {a["id"]: a for a in data["articles"]}
    articles = "".join(_article(data, a, by_id) for a in data["articles"])
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>provenance report</title><style>" + CSS + "</style></head><body>"
        f"<header><h1>Provenance report</h1><p>{e(data['database'])}</p></header><main>"
        + _summary(data) + _stories(data, by_id) + _copies_table(data, by_id)
        + _drawing(data, by_id)
        + "<section id='articles'><h2>Articles</h2><input id='filter' type='search' "
        "placeholder='Filter by title, id or outlet'>" + articles + "</section>"
        + "</main><script>" + SCRIPT + "</script></body></html>\n")


def render_check(result) -> str:
    """`provenance check --format html`: the draft and each source side by side."""
    data = result.as_dict()
    blocks = []
    for i, m in enumerate(data["matches"]):
        art = m["article"]
        badge = _badge("credited" if m["credited"] else "uncredited")
        rows = "".join(
            f"<tr><td><span class='meta'>{p['draft_start']}-{p['draft_end']}</span><br>"
            f"<mark class='copied'>{e(p['draft_text'])}</mark></td><td><span class='meta'>"
            f"{p['source_start']}-{p['source_end']}</span><br><mark class='copied'>"
            f"{e(p['source_text'])}</mark></td></tr>" for p in m["passages"])
        blocks.append(
            f"<section id='match-{i}'><h2>{m['covers_draft']:.0%} of the draft from "
            f"{e(art.get('title') or art['external_id'])} {badge}</h2><p class='meta'>"
            f"{e(str(art.get('outlet_name') or art.get('publisher_id')))} · "
            f"{e(str(art.get('published') or 'undated'))} · {e(art['id'])} · {e(m['kind'])}, "
            f"similarity {m['similarity']:.2f} · {e(m['credit'])}</p><table><tr><th>draft</th>"
            f"<th>archive article</th></tr>{rows}</table></section>")
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
        + "".join(blocks)
        + (f"<section><h2>Shared quotes (not counted)</h2><ul>{quotes}</ul></section>"
           if quotes else "")
        + "</main><script>document.body.setAttribute('data-ready', 'yes');</script>"
        "</body></html>\n")
