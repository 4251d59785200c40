"""The frame every page of the report site shares: style, navigation, escaping helpers, pager.

Every piece of text from the archive goes through `esc` (HTML-escaped, quotes included) before
it reaches a page; attribute values are always quoted. Links are relative (`Page.link`), so the
site works from `file://` and behind any web server, and no page references anything outside
its folder: no CDN, no web font, no remote image.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from provenance.outputs.site import paths

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;
color:#1d2330;background:#f6f7f9;line-height:1.45}
header{background:#1d2330;color:#fff;padding:.8em 2em}header h1{margin:0;font-size:1.35em}
header nav a{color:#c9d1e0;margin-right:1.3em;text-decoration:none}header nav{margin-top:.3em}
header nav a:hover{color:#fff}main{padding:.6em 2em 3em;max-width:1280px}
section{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:.8em 1.3em;margin:1em 0}
h2{font-size:1.15em;margin:.2em 0 .7em}h3{font-size:1em;margin:1em 0 .4em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;border-bottom:1px solid #e7eaf0;padding:.3em .5em;vertical-align:top}
th{background:#f0f2f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
a{color:#1f4fb5}.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.8em;
font-weight:600;color:#fff;white-space:nowrap}.credited{background:#2e7d32}
.uncredited{background:#c62828}.same_outlet{background:#00838f}.similar{background:#ef6c00}
.unresolved{background:#757575}.origin{background:#6a1b9a}.kind{background:#5c6bc0}
.meta{color:#5b6475;font-size:.88em}.grid{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.cards{display:flex;flex-wrap:wrap;gap:.6em}.card{background:#f0f2f6;border-radius:5px;
padding:.4em .8em;min-width:8em}.card b{display:block;font-size:1.35em}
mark{background:#fff0a8;padding:0 .1em}mark.copied{background:#ffd6d6}
.text{white-space:pre-wrap;font-family:Georgia,serif;font-size:.93em;background:#fafbfc;
border:1px solid #eceff4;padding:.8em;max-height:32em;overflow:auto}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8em;margin:.3em 0 .9em}
.pair div{white-space:pre-wrap;font-family:Georgia,serif;font-size:.88em;background:#fafbfc;
border:1px solid #eceff4;padding:.5em}.path{font-family:ui-monospace,Menlo,monospace;
font-size:.82em;color:#37474f;word-break:break-all}.pager a,.pager b{margin-right:.6em}
.drawing{border:1px solid #dde2ea;border-radius:4px;background:#fcfcfd;position:relative}
.drawing svg{width:100%;height:560px;display:block;cursor:grab;touch-action:none}
.tools{font-size:.85em;padding:.3em .5em;border-bottom:1px solid #e7eaf0;background:#f6f7f9}
.tools label{margin-right:.9em;white-space:nowrap}.tools button{margin-right:.3em}
svg .lbl{font-size:9px;fill:#1d2330;pointer-events:none}svg text{paint-order:stroke;
stroke:#fcfcfd;stroke-width:3px;stroke-linejoin:round}svg .olbl{font-size:10px;
font-weight:600;fill:#283593}.many .lbl{display:none}.many.zoomed .lbl{display:inline}
.hide-credited .e-credited,.hide-uncredited .e-uncredited,.hide-same_outlet .e-same_outlet,
.hide-similar .e-similar,.hide-unresolved .e-unresolved,.hide-cites .e-cites,
.hide-outlets .n-outlet,.hide-extra .x-extra{display:none}.dim{opacity:.15}
.hit circle{stroke:#ff6f00;stroke-width:3}
.plot text{font-size:10px;fill:#37474f}.plot .axis{stroke:#90a4ae}
#q{padding:.45em;width:30em;max-width:90%;font-size:1em}#results li{margin:.25em 0}
@media (max-width:900px){.grid,.pair{grid-template-columns:1fr}}
"""


def esc(value: object) -> str:
    """Text for HTML: escaped, quotes included; None is an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def badge(label: str | None, css: str | None = None) -> str:
    """A coloured label (verdict, kind)."""
    label = label or "unresolved"
    return f'<span class="badge {esc(css or label)}">{esc(label)}</span>'


def number(value: float | int) -> str:
    """A count with thousands separators."""
    return f"{value:,}"


@dataclass(frozen=True)
class Page:
    """One page of the site: its path (for relative links) and its title."""

    path: str
    title: str

    def link(self, target: str, text: object, css: str = "") -> str:
        """A relative link from this page to `target` (a path under the site's root)."""
        klass = f' class="{esc(css)}"' if css else ""
        return f'<a href="{esc(self.href(target))}"{klass}>{esc(text)}</a>'

    def href(self, target: str) -> str:
        """The relative URL of `target` from this page."""
        return paths.depth_prefix(self.path) + target

    def render(self, body: str, subtitle: str = "", script: str = "") -> str:
        """The whole HTML document around `body`."""
        nav = "".join(self.link(t, label) for t, label in (
            ("index.html", "Overview"), (paths.list_page("stories"), "Stories"),
            (paths.list_page("outlets"), "Outlets"), (paths.list_page("uncredited"),
                                                     "Uncredited reuse"),
            (paths.list_page("problems"), "Input problems"), ("search.html", "Search")))
        sub = f"<p class='meta' style='color:#c9d1e0;margin:0'>{esc(subtitle)}</p>" \
            if subtitle else ""
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(self.title)} · provenance</title>"
            f"<link rel='stylesheet' href='{esc(self.href('assets/site.css'))}'></head><body>"
            f"<header><h1>{esc(self.title)}</h1>{sub}<nav>{nav}</nav></header><main>{body}"
            f"</main><script src='{esc(self.href('assets/site.js'))}'></script>"
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n")


def pager(page: Page, kind: str, current: int, pages: int) -> str:
    """Links to the numbered pages of a long list (only when there is more than one)."""
    if pages <= 1:
        return ""
    shown = sorted({1, pages, *range(max(1, current - 3), min(pages, current + 3) + 1)})
    parts, last = [], 0
    for n in shown:
        if n - last > 1:
            parts.append("…")
        parts.append(f"<b>{n}</b>" if n == current else page.link(paths.list_page(kind, n), n))
        last = n
    return f"<p class='pager'>Page {current} of {pages}: {' '.join(parts)}</p>"


def table(head: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    """A table of already-escaped cells; columns in `numeric` are right-aligned."""
    def cell(tag: str, i: int, value: str) -> str:
        return f"<{tag} class='n'>{value}</{tag}>" if i in numeric else f"<{tag}>{value}</{tag}>"
    header = "".join(cell("th", i, esc(h)) for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><tr>{header}</tr>{body}</table>"
