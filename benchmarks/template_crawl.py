"""A template crawl built from real pages: site chrome kept, article bodies swapped, copies planted.

Built at run time into a temporary folder (no third-party text is stored in the repository):

* real templates: pages of ../shared/data (fundus-news-html, trafilatura-eval,
  readability-test-pages). The paragraphs of the page's own article are located in the markup
  (fundus: its expected body; the others: trafilatura's body lines) and replaced by the
  paragraphs of another real article; menus, footers, "most read" boxes, legal lines and
  everything else around them stay as the site serves them;
* several pages per site with different bodies, some sites with a single page, and sister
  sites: one template served on two or three hosts (regional papers of one group);
* 2008-style table layouts written here (nested tables, menu rows that extract as ``| |``
  rows, a "most read" column, a legal footer), on hosts of their own and shared by sister hosts;
* consent, paywall and newsletter banners and an "Editor's note" box (text written here),
  on many sites and on a handful of one site's pages;
* planted real copies: wire reprints with a dateline and the agency's legal notice, partial
  reuse (two or more paragraphs, 40+ words, of another article inside an own article), and
  trimmed copies (the first paragraphs of another article).

Ground truth: two pages are a real copy pair when their article bodies (the paragraphs put
in, without banners, notes or notices) share a run of at least ``RUN_WORDS`` words.

    pages, gold = build_crawl(shared, out_dir, pages=400, seed=7)
"""

from __future__ import annotations

import copy
import csv
import glob
import gzip
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura
from lxml import html as lxml_html

from provenance.copies import tokenise

RUN_WORDS = 40
_WS = re.compile(r"\s+")
_BODY_TAGS = ("p", "div", "li", "h2", "h3", "blockquote", "section", "span")

# --- text written for the benchmark (ours) -------------------------------------------------------

CONSENT = [
    "We value your privacy. We and our partners use cookies and similar technologies to store and "
    "access information on your device, to personalise content and advertising, to measure how "
    "our pages are used and to improve our services. You can accept all, reject all or choose "
    "which purposes you allow in the settings at any time.",
    "Wir verwenden Cookies und vergleichbare Technologien, um Informationen auf Ihrem Gerät zu "
    "speichern und abzurufen, Inhalte und Werbung zu personalisieren und die Nutzung unseres "
    "Angebots zu messen. Mit einem Klick auf Akzeptieren stimmen Sie der Verarbeitung zu; Ihre "
    "Einwilligung können Sie jederzeit in den Einstellungen widerrufen.",
]
PAYWALL = [
    "You have reached your limit of free articles this month. Subscribe today to keep reading "
    "our independent journalism without limits, with full access on all your devices, the daily "
    "digital edition and our newsletters. Already a subscriber? Log in to continue reading.",
]
NEWSLETTER = [
    "Sign up for our morning newsletter and get the most important stories of the day delivered "
    "to your inbox before breakfast. It is free, it takes a minute to read, and you can "
    "unsubscribe at any time with a single click at the bottom of every email we send you.",
    "Melden Sie sich für unseren Newsletter an und erhalten Sie jeden Morgen die wichtigsten "
    "Nachrichten des Tages direkt in Ihr Postfach. Die Anmeldung ist kostenlos und Sie können "
    "den Newsletter jederzeit mit einem Klick am Ende jeder Ausgabe wieder abbestellen.",
]
EDITOR_NOTE = (
    "Editor's note: This article is part of our continuing coverage. Our reporters verify every "
    "claim with at least two independent sources before publication, and we correct errors "
    "promptly and transparently; readers who spot a mistake can write to our corrections desk at "
    "any time of day or night.")
WIRE_NOTICE = {
    "AP": "Copyright 2026 The Associated Press. All rights reserved. This material may not be "
          "published, broadcast, rewritten or redistributed without permission.",
    "dpa": "© dpa-infocom, dpa:260401-99-000001/2. Alle Rechte vorbehalten. Die "
           "Weiterverbreitung, Speicherung oder Bearbeitung dieses Materials ist ohne vorherige "
           "Zustimmung nicht gestattet.",
}
TABLE_SITES = [  # (name, menu items, legal line) of the 2008-style table layouts
    ("Harbour Valley Courier", ["Home", "Local News", "Sports", "Business", "Obituaries",
                                "Classifieds", "Weather", "Contact Us"],
     "© 2008 Harbour Valley Publishing Co. All rights reserved. Reproduction of any material "
     "from this site without written permission is strictly prohibited. Site designed by "
     "Valley Web Services."),
    ("Kreisbote Oberland", ["Startseite", "Lokales", "Sport", "Wirtschaft", "Kultur",
                            "Anzeigen", "Wetter", "Impressum"],
     "© 2008 Verlagsgruppe Oberland GmbH. Alle Rechte vorbehalten. Nachdruck und "
     "elektronische Verbreitung nur mit schriftlicher Genehmigung des Verlags. Gestaltung: "
     "Oberland Medien."),
    ("Prairie Daily Ledger", ["Front Page", "County", "Schools", "Farm Report", "Opinion",
                              "Letters", "Subscribe", "Archives"],
     "Copyright 2008 Prairie Ledger Inc. All rights reserved. This material may not be "
     "published, broadcast, rewritten or redistributed. Questions about this site should be "
     "sent to the webmaster."),
]


@dataclass
class Page:
    """One page of the crawl: where it is, its url and date, and its article body."""

    name: str  # path relative to the crawl folder
    url: str
    published: str
    body: list[str]  # the article paragraphs put in (the ground truth's text)
    site: str
    kind: str = "own"  # own | wire | partial | trim
    extras: list[str] = field(default_factory=list)


@dataclass
class Template:
    """A page whose article paragraphs can be replaced: its tree, the article's elements, host."""

    tree: object
    elements: list  # the article's paragraphs: the new body goes where the first one was
    host: str
    source: str


# --- sources -------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Whitespace-collapsed text."""
    return _WS.sub(" ", text or "").strip()


def _words(text: str) -> int:
    return len(text.split())


def _fundus(shared: Path) -> tuple[list[list[str]], list[tuple[bytes, list[str], str]]]:
    """Real bodies (paragraph lists) and (page, body paragraphs, url) of fundus-news-html."""
    bodies, pages = [], []
    for meta_path in sorted(glob.glob(str(shared / "fundus-news-html/test_data/*/meta.info"))):
        folder = Path(meta_path).parent
        meta = json.loads(Path(meta_path).read_text())
        by_publisher = defaultdict(list)
        for name in sorted(meta):
            by_publisher[name.rsplit("_", 3)[0]].append(name)
        for publisher, names in by_publisher.items():
            expected = folder / f"{publisher}.json"
            if not expected.exists():
                continue
            versions = list(json.loads(expected.read_text()).values())
            for name, version in zip(sorted(names), versions, strict=False):
                body = version.get("body") or {}
                paras = [_norm(p) for p in body.get("summary", []) + [
                    p for s in body.get("sections", []) for p in s.get("paragraphs", [])]]
                paras = [p for p in paras if p]
                if sum(map(_words, paras)) >= 150:
                    bodies.append(paras)
                html_path = folder / name
                if html_path.exists() and paras:
                    pages.append((gzip.decompress(html_path.read_bytes()), paras,
                                  meta[name]["url"]))
    return bodies, pages


def _readability(shared: Path) -> tuple[list[list[str]], list[tuple[bytes, list[str], str]]]:
    """Real bodies from readability's expected articles, and its real-site pages."""
    bodies, pages = [], []
    for case in sorted(glob.glob(str(shared / "readability-test-pages/test-pages/*"))):
        meta = json.loads((Path(case) / "expected-metadata.json").read_text())
        if not meta.get("lang"):
            continue  # synthetic regression cases
        expected = lxml_html.fromstring(gzip.decompress(
            (Path(case) / "expected.html.gz").read_bytes()))
        paras = [_norm(p.text_content()) for p in expected.iter("p", "li", "h2", "h3", "pre")]
        paras = [p for p in paras if _words(p) >= 4]
        if sum(map(_words, paras)) >= 150:
            bodies.append(paras)
        name = Path(case).name
        pages.append((gzip.decompress((Path(case) / "source.html.gz").read_bytes()), paras,
                      f"https://www.{re.sub(r'[^a-z]', '', name)}-news.com/story"))
    return bodies, pages


def _trafilatura_pages(shared: Path, limit: int) -> list[tuple[bytes, list[str], str]]:
    """News pages of trafilatura-eval, with trafilatura's own body lines as the paragraphs."""
    root = shared / "trafilatura-eval"
    labels = json.loads((root / "evaldata.json").read_text())
    pages = []
    for url, label in sorted(labels.items()):
        if not url.startswith("http") or len(pages) >= limit:
            continue
        path = next((p for p in (root / "eval" / f"{label['file']}.gz",
                                 root / "cache" / f"{label['file']}.gz") if p.exists()), None)
        if path is None:
            continue
        raw = gzip.decompress(path.read_bytes())
        text = trafilatura.extract(raw.decode("utf-8", "replace")) or ""
        paras = [_norm(line) for line in text.split("\n") if _words(line) >= 4]
        if len(paras) >= 3:
            pages.append((raw, paras, url))
    return pages


# --- templates -----------------------------------------------------------------------------------


def _template(raw: bytes, paras: list[str], url: str) -> Template | None:
    """The page with its article's elements located (None when fewer than 3 are found)."""
    try:
        tree = lxml_html.document_fromstring(raw)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    wanted = set(paras)
    found = []
    for el in tree.iter(*_BODY_TAGS):
        if _norm(el.text_content()) in wanted and not any(a in found for a in el.iterancestors()):
            found.append(el)
    if len(found) < 3:
        return None
    # leftovers of the article (short paragraphs, list items, subheads) go too: a page of the
    # site must not carry its template's own story
    original = " ".join(paras)
    for el in tree.iter("p", "li", "h2", "h3", "h4", "blockquote", "pre", "figcaption", "td"):
        text = _norm(el.text_content())
        if (_words(text) >= 4 and text in original and el not in found
                and not any(a in found for a in el.iterancestors())
                and not any(el in f.iterancestors() for f in found)):
            found.append(el)
    if _leftover(tree, found, paras):
        return None
    host = (urlsplit(url).hostname or "site.example").lower()
    template = Template(tree, found, host.removeprefix("www."), url)
    # the extractor must find an article put in its place (a gallery or section page is no
    # test of copy evidence): most of the page's own body, put back, is extracted
    wanted = _grams(" ".join(paras), 8)
    got = _extracted(template, paras)
    if not wanted or len(wanted & got) < 0.6 * len(wanted):
        return None
    # ... and what it keeps of the page itself (the text two different articles put in share)
    # is less than the article: a page that is mostly another story (a live blog left in a
    # sidebar) is no article page
    half = len(paras) // 2
    first, second = _extracted(template, paras[:half]), _extracted(template, paras[half:])
    kept = first & second
    return template if len(kept) < 0.5 * min(len(first), len(second)) else None


def _extracted(template: Template, paras: list[str]) -> set[tuple[str, ...]]:
    """The 8-word runs trafilatura extracts from the template with `paras` put in."""
    page = _render(template, paras, "Probe", "https://probe.example/", "2026-03-01T06:00:00Z",
                   [])
    return _grams(trafilatura.extract(page) or "", 8)


def _leftover(tree, found: list, paras: list[str]) -> bool:
    """Whether the page still carries a sentence of its own story once `found` is removed."""
    probe = copy.deepcopy(tree)
    index = {id(el): n for n, el in enumerate(tree.iter())}
    drop = {index[id(el)] for el in found}
    for n, el in enumerate(list(probe.iter())):
        if n in drop and el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(probe.iter("script", "style", "noscript", "template")):
        if el.getparent() is not None:
            el.getparent().remove(el)
    body = probe.find("body")
    rest = _grams(body.text_content() if body is not None else "")
    return bool(rest & _grams(" ".join(paras)))


def _grams(text: str, n: int = 12) -> set[tuple[str, ...]]:
    """The n-word runs of a text (lower case), to tell whether a story is left on a page."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _render(template: Template, body: list[str], title: str, url: str, published: str,
            banners: list[tuple[str, str]]) -> str:
    """The template with `body` in place of its article, its title, url, date and banners."""
    tree = copy.deepcopy(template.tree)
    index = {id(el): n for n, el in enumerate(template.tree.iter())}
    elements = [el for n, el in enumerate(tree.iter()) if n in
                {index[id(e)] for e in template.elements}]
    first = elements[0]
    parent, at = first.getparent(), first.getparent().index(first)
    for el in elements:
        if el.getparent() is not None:
            el.getparent().remove(el)
    new = [_element("p", text) for text in body]
    for where, text in banners:
        box = _element("div", text, cls=f"{where}-box")
        if where == "note":
            new.insert(0, box)
        else:
            new.append(box)
    for offset, el in enumerate(new):
        parent.insert(at + offset, el)
    for h1 in tree.iter("h1"):
        h1.text, h1[:] = title, []
        break
    head = tree.find("head")
    if head is not None:
        for el in list(head):
            if el.tag == "link" and (el.get("rel") or "").lower() == "canonical":
                el.set("href", url)
            if el.tag == "meta" and (el.get("property") or el.get("name") or "").lower() in (
                    "og:url", "article:published_time", "date", "pubdate"):
                head.remove(el)
        meta = _element("meta", None)
        meta.set("property", "article:published_time")
        meta.set("content", published)
        head.append(meta)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _element(tag: str, text: str | None, cls: str | None = None):
    el = lxml_html.Element(tag)
    el.text = text
    if cls:
        el.set("class", cls)
    return el


def _table_page(site: int, body: list[str], title: str, most_read: list[str],
                banners: list[tuple[str, str]]) -> str:
    """A 2008-style page: nested layout tables, menu row, most-read column, legal footer."""
    name, menu, legal = TABLE_SITES[site]
    cells = "".join(f'<td class="nav"><a href="/{m.lower()}.html">{m}</a></td>' for m in menu)
    column = "".join(f'<tr><td><a href="/story{n}.html">{h}</a></td></tr>'
                     for n, h in enumerate(most_read))
    notes = "".join(f"<p><i>{t}</i></p>" for w, t in banners if w == "note")
    promos = "".join(f'<table width="100%"><tr><td><font size="1">{t}</font></td></tr></table>'
                     for w, t in banners if w != "note")
    text = "<br><br>\n".join(body)
    return (
        "<html><head><title>" + f"{title} - {name}" + "</title></head>"
        '<body bgcolor="#ffffff"><table width="780" border="0"><tr><td>'
        f'<table width="100%"><tr><td><font size="5"><b>{name}</b></font></td></tr>'
        f"<tr>{cells}</tr></table>"
        '<table width="100%"><tr><td width="600" valign="top">'
        f'<font size="4"><b>{title}</b></font><br>{notes}<font size="2">{text}</font>{promos}'
        '</td><td width="180" valign="top"><table><tr><th>Most read</th></tr>'
        f"{column}</table></td></tr></table>"
        f'<table width="100%"><tr>{cells}</tr><tr><td colspan="8"><font size="1">{legal}'
        "</font></td></tr></table></td></tr></table></body></html>")


# --- the crawl -----------------------------------------------------------------------------------


@dataclass
class _Site:
    """A host of the crawl: its template (or table design), banners and pages so far."""

    host: str
    template: Template | None
    table: int | None
    banners: list[tuple[str, str]]
    note_share: float = 0.0
    pages: int = 0


def _title(body: list[str]) -> str:
    return " ".join(body[0].split()[:9]).rstrip(".,;:")


class _Builder:
    """Writes pages into the crawl folder and keeps the manifest rows."""

    def __init__(self, out: Path, rng: random.Random, most_read: list[str]):
        self.out, self.rng, self.most_read = out, rng, most_read
        self.pages: list[Page] = []
        self.clock = datetime(2026, 3, 1, 6, 0)

    def page(self, site: _Site, body: list[str], kind: str = "own",
             when: datetime | None = None) -> Page:
        """Render `body` on `site` and write it; returns the page."""
        site.pages += 1
        if when is None:
            self.clock += timedelta(minutes=self.rng.randint(20, 200))
            when = self.clock
        published = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        url = f"https://www.{site.host}/news/{site.pages:03d}-{kind}.html"
        banners = list(site.banners)
        if site.note_share and self.rng.random() < site.note_share:
            banners.append(("note", EDITOR_NOTE))
        title = _title(body)
        if site.template is not None:
            html = _render(site.template, body, title, url, published, banners)
        else:
            html = _table_page(site.table, body, title, self.most_read, banners)
        name = f"{site.host}/{site.pages:03d}.html"
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        found = Page(name, url, published, body, site.host, kind,
                     [t for _, t in banners])
        self.pages.append(found)
        return found


def _sites(templates: list[Template], rng: random.Random) -> list[_Site]:
    """Hosts: one per real template, sister hosts for some, and the table-layout hosts."""
    sites = []
    for n, template in enumerate(templates):
        hosts = [template.host]
        if n % 7 == 3:  # a group's template on sister hosts
            labels = template.host.split(".")
            cut = -3 if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net") else -2
            stem, tld = labels[cut], ".".join(labels[cut + 1:])
            hosts += [f"{stem}-{region}.{tld}" for region in ("nord", "sued")[:rng.randint(1, 2)]]
        for host in hosts:
            sites.append(_Site(host, template, None, _banners(rng)))
    for design, hosts in ((0, ["harbourvalleycourier.com", "lakesidecourier.com"]),
                          (1, ["kreisbote-oberland.de"]),
                          (2, ["prairieledger.com", "plainsledger.com"])):
        sites += [_Site(host, None, design, _banners(rng)) for host in hosts]
    for site in rng.sample(sites, 5):
        site.note_share = 0.5
    rng.shuffle(sites)  # the table-layout hosts get pages however many bodies there are
    return sites


def _banners(rng: random.Random) -> list[tuple[str, str]]:
    """A site's banners: consent, paywall and newsletter promos, each on some sites."""
    found = []
    if rng.random() < 0.4:
        found.append(("consent", rng.choice(CONSENT)))
    if rng.random() < 0.15:
        found.append(("paywall", rng.choice(PAYWALL)))
    if rng.random() < 0.25:
        found.append(("newsletter", rng.choice(NEWSLETTER)))
    return found


def build_crawl(shared: Path, out: Path, pages: int = 400, seed: int = 7,
                wires: int = 25, partials: int = 20, trims: int = 15
                ) -> tuple[list[Page], set[tuple[str, str]]]:
    """Write the crawl into `out` (pages + manifest.csv); returns its pages and gold pairs."""
    rng = random.Random(seed)
    fundus_bodies, fundus_pages = _fundus(shared)
    read_bodies, read_pages = _readability(shared)
    traf_pages = _trafilatura_pages(shared, 150)
    bodies, seen = [], set()
    for body in fundus_bodies + read_bodies + [p for _, p, _ in traf_pages
                                               if sum(map(_words, p)) >= 150]:
        if body[0] not in seen:
            seen.add(body[0])
            bodies.append(body)
    rng.shuffle(bodies)
    templates = [t for t in (_template(*p) for p in fundus_pages + read_pages + traf_pages) if t]
    rng.shuffle(templates)
    sites = _sites(templates, rng)
    builder = _Builder(out, rng, [_title(b) for b in bodies[-10:]])
    reserved = iter(bodies[-10 - partials:-10])  # the own text of the partial reusers
    own = _own_pages(builder, sites, iter(bodies[:-10 - partials]), pages, rng)
    _plant(builder, sites, own, reserved, rng, wires, partials, trims)
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "url", "published"])
        for page in builder.pages:
            writer.writerow([page.name, page.url, page.published])
    return builder.pages, gold_pairs(builder.pages)


def _own_pages(builder: _Builder, sites: list[_Site], pool, limit: int,
               rng: random.Random) -> list[Page]:
    """Each site's own articles: one page for some sites, two to eight for others."""
    own = []
    for site in sites:
        count = rng.choice((1, 1, 1, 2, 2, 3, 4, 6, 8)) if site.template else rng.randint(3, 6)
        for _ in range(count):
            body = next(pool, None)
            if body is None or len(own) >= limit:
                return own
            own.append(builder.page(site, body))
    return own


def _plant(builder: _Builder, sites: list[_Site], own: list[Page], pool, rng: random.Random,
           wires: int, partials: int, trims: int) -> None:
    """Wire reprints (dateline, legal notice), partial reuse and trimmed copies of own pages."""
    originals = rng.sample(own, min(len(own), wires + partials + trims))
    for n, original in enumerate(originals):
        others = [s for s in sites if s.host != original.site]
        when = datetime.strptime(original.published, "%Y-%m-%dT%H:%M:%SZ")
        if n < wires:
            agency = rng.choice(sorted(WIRE_NOTICE))
            for site in rng.sample(others, rng.randint(1, 3)):
                credit = "(AP) — " if agency == "AP" else "(dpa) - "
                body = [f"BERLIN {credit}{original.body[0]}", *original.body[1:]]
                page = builder.page(site, body, "wire",
                                    when + timedelta(hours=rng.randint(1, 30)))
                page.extras.append(WIRE_NOTICE[agency])
                _append_notice(builder.out / page.name, WIRE_NOTICE[agency])
        elif n < wires + partials:
            own_body = next(pool, None)
            if own_body is None:
                return
            span = _span(original.body, rng)
            body = own_body[:2] + span + own_body[2:]
            builder.page(rng.choice(others), body, "partial",
                         when + timedelta(hours=rng.randint(2, 48)))
        else:
            keep, words = [], 0
            for para in original.body:
                keep.append(para)
                words += _words(para)
                if words >= 0.6 * sum(map(_words, original.body)) and words >= 60:
                    break
            builder.page(rng.choice(others), keep, "trim",
                         when + timedelta(hours=rng.randint(1, 24)))


def _span(body: list[str], rng: random.Random) -> list[str]:
    """Consecutive paragraphs of `body` holding at least 45 words (two at least)."""
    start = rng.randrange(max(1, len(body) - 2))
    span, words = [], 0
    for para in body[start:]:
        span.append(para)
        words += _words(para)
        if len(span) >= 2 and words >= 45:
            break
    return span


def _append_notice(path: Path, notice: str) -> None:
    """The agency's legal line after the last paragraph of a written page."""
    text = path.read_text(encoding="utf-8")
    at = text.rfind("</p>")
    if at < 0:
        at = text.rfind("<br><br>")
        text = text[:at] + f"<br><br>{notice}" + text[at:] if at >= 0 else text
    else:
        text = text[:at + 4] + f"<p>{notice}</p>" + text[at + 4:]
    path.write_text(text, encoding="utf-8")


def gold_pairs(pages: list[Page]) -> set[tuple[str, str]]:
    """Pairs of page names whose bodies share a run of at least RUN_WORDS words."""
    holders: dict[int, set[str]] = defaultdict(set)
    for page in pages:
        tokens = [t for t, _, _ in tokenise(" ".join(page.body))]
        for i in range(len(tokens) - RUN_WORDS + 1):
            holders[hash(tuple(tokens[i:i + RUN_WORDS]))].add(page.name)
    pairs = set()
    for names in holders.values():
        if 1 < len(names) <= 50:
            pairs.update(combinations(sorted(names), 2))
    return pairs
