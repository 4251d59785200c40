"""Outlet pages of the site: whom an outlet copies and credits, who copies and cites it, the
stories it starts, and its articles (paged). Built from a handful of aggregate queries over
the views (copies by outlet pair and verdict, citations by publisher and cited outlet), so an
outlet page costs no per-article reads but the one page of its article list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from provenance.outputs.site import paths
from provenance.outputs.site.chrome import Page, badge, esc, number, pager, table
from provenance.outputs.site.context import Archive, SiteWriter
from provenance.outputs.site.svg import bars_svg
from provenance.presentation import SITE_LIMITS

VERDICT_COLUMNS = ("credited", "uncredited", "same_outlet", "unresolved", "similar")


@dataclass
class OutletFacts:
    """The aggregates behind every outlet page, read once."""

    articles: dict[str, int] = field(default_factory=dict)
    copies: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # copier->src
    copied: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # src->copier
    credits: dict[str, dict[str, int]] = field(default_factory=dict)  # publisher -> cited
    cited_by: dict[str, dict[str, int]] = field(default_factory=dict)  # cited -> publisher
    origins: dict[str, list[dict]] = field(default_factory=dict)  # outlet -> stories it starts

    @classmethod
    def read(cls, archive: Archive, stories: list[dict]) -> OutletFacts:
        """Read the aggregates (one query each)."""
        facts = cls()
        reader = archive.reader
        facts.articles = {r["id"]: r["articles"] for r in reader.outlet_articles()}
        copies: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        copied: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        for r in reader.outlet_flows():
            verdict = "similar" if r["relation"] == "similar" else r["verdict"]
            key_c, key_s = r["copy_outlet"] or "", r["source_outlet"] or ""
            copies[key_c][key_s][verdict] += r["n"]
            copied[key_s][key_c][verdict] += r["n"]
        facts.copies, facts.copied = copies, copied
        credits: dict = defaultdict(dict)
        cited_by: dict = defaultdict(dict)
        for r in reader.outlet_credits():
            credits[r["outlet_id"] or ""][r["cited"]] = r["articles"]
            cited_by[r["cited"]][r["outlet_id"] or ""] = r["articles"]
        facts.credits, facts.cited_by = credits, cited_by
        origins: dict = defaultdict(list)
        for s in stories:
            if s["origin_outlet_id"]:
                origins[s["origin_outlet_id"]].append(s)
        facts.origins = origins
        return facts

    def outlet_ids(self) -> list[str]:
        """Every outlet some page links to: publishers, cited outlets, copy ends, origins."""
        found = set(self.articles) | set(self.cited_by) | set(self.copies) | set(self.copied)
        found |= set(self.origins)
        return sorted(o for o in found if o)


def _flow_rows(page: Page, archive: Archive, flows: dict[str, dict[str, int]]) -> list[list[str]]:
    ranked = sorted(flows.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = []
    for other, counts in ranked[:SITE_LIMITS["list_rows"]]:
        name = archive.outlet_link(page, other) if other else "unknown outlet"
        rows.append([name] + [number(counts.get(v, 0)) if counts.get(v) else ""
                              for v in VERDICT_COLUMNS] + [number(sum(counts.values()))])
    return rows


def _counts_table(page: Page, archive: Archive, counts: dict[str, int], head: str) -> str:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SITE_LIMITS["list_rows"]]
    rows = [[archive.outlet_link(page, o) if o else "unknown outlet",
             number(n)] for o, n in ranked]
    return table([head, "articles"], rows, numeric=(1,))


def _articles(page: Page, archive: Archive, outlet_id: str, total: int, n: int) -> str:
    per = SITE_LIMITS["list_rows"]
    rows = [[page.link(paths.article_page(r["id"]), r["title"] or r["id"]),
             esc(r["published"] or "undated"),
             page.link(paths.story_page(r["story_id"]), "story") if r["story_id"] else ""]
            for r in archive.reader.outlet_article_page(outlet_id, per, (n - 1) * per)]
    pages = max(1, -(-total // per))
    links = ""
    if pages > 1:
        links = "<p class='pager'>Page " + " ".join(
            f"<b>{i}</b>" if i == n else page.link(paths.outlet_page(outlet_id, i), i)
            for i in range(1, pages + 1)) + "</p>"
    return (f"<section id='articles'><h2>Articles ({number(total)})</h2>{links}"
            + table(["title", "published", ""], rows) + "</section>")


def render_outlet(archive: Archive, facts: OutletFacts, outlet_id: str, n: int = 1) -> str:
    """The HTML of page `n` of one outlet (page 1 has the whole analysis)."""
    page = Page(paths.outlet_page(outlet_id, n), archive.outlet_name(outlet_id))
    total = facts.articles.get(outlet_id, 0)
    if n > 1:
        return page.render(_articles(page, archive, outlet_id, total, n), f"page {n}")
    outlet = archive.outlets.get(outlet_id)
    copies, copied = facts.copies.get(outlet_id, {}), facts.copied.get(outlet_id, {})
    credits, cited_by = facts.credits.get(outlet_id, {}), facts.cited_by.get(outlet_id, {})
    made = sum(sum(v.values()) for o, v in copies.items() if o != outlet_id)
    taken = sum(sum(v.values()) for o, v in copied.items() if o != outlet_id)
    cards = [("articles", total), ("stories started", len(facts.origins.get(outlet_id, []))),
             ("copies of others", made), ("copied by others", taken),
             ("articles citing it", sum(cited_by.values()))]
    head = "".join(f"<div class='card'><b>{number(v)}</b>{esc(k)}</div>" for k, v in cards)
    info = " · ".join(esc(x) for x in (outlet_id, outlet.kind if outlet else None,
                                         outlet.country if outlet else None,
                                         outlet.origin if outlet else None) if x)
    verdict_head = ["outlet"] + [badge(v) for v in VERDICT_COLUMNS] + ["all"]
    flows = ""
    for title, data in (("Whose text it copies", copies), ("Who copies its text", copied)):
        rows = _flow_rows(page, archive, data)
        flows += (f"<section><h2>{title}</h2>"
                  + (_raw_table(verdict_head, rows) if rows else "<p class='meta'>None.</p>")
                  + "</section>")
    top = sorted(credits.items(), key=lambda kv: (-kv[1], kv[0]))[:SITE_LIMITS["top_rows"]]
    stories = facts.origins.get(outlet_id, [])[:SITE_LIMITS["top_rows"]]
    started = table(["story", "articles"], [
        [page.link(paths.story_page(s["story_id"]), s["origin_title"] or s["story_id"]),
         number(s["size"])] for s in stories], numeric=(1,)) if stories else \
        "<p class='meta'>None.</p>"
    body = (f"<section><div class='cards'>{head}</div><p class='meta'>{info}</p></section>"
            + flows + "<div class='grid'><section><h2>Outlets its articles cite</h2>"
            + bars_svg([(archive.outlet_name(o), v) for o, v in top])
            + _counts_table(page, archive, credits, "cited outlet")
            + "</section><section><h2>Outlets whose articles cite it</h2>"
            + _counts_table(page, archive, cited_by, "citing outlet") + "</section></div>"
            + f"<section><h2>Stories it starts</h2>{started}</section>"
            + _articles(page, archive, outlet_id, total, 1))
    return page.render(body, info)


def _raw_table(head: list[str], rows: list[list[str]]) -> str:
    """A table whose header cells are already HTML (badges)."""
    header = "".join(f"<th class='n'>{h}</th>" if i else f"<th>{h}</th>"
                     for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f"<td class='n'>{v}</td>" if i else f"<td>{v}</td>"
                                    for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{header}</tr>{body}</table>"


def write_outlets(archive: Archive, out: SiteWriter, facts: OutletFacts) -> list[str]:
    """Write every outlet's pages and the paged outlet list; returns the outlet ids."""
    ids = facts.outlet_ids()
    per = SITE_LIMITS["list_rows"]
    for outlet_id in ids:
        pages = max(1, -(-facts.articles.get(outlet_id, 0) // per))
        for n in range(1, pages + 1):
            out.write(paths.outlet_page(outlet_id, n), render_outlet(archive, facts, outlet_id, n))
    ranked = sorted(ids, key=lambda o: (-facts.articles.get(o, 0),
                                        -sum(facts.cited_by.get(o, {}).values()), o))
    pages = max(1, -(-len(ranked) // per))
    for n in range(1, pages + 1):
        page = Page(paths.list_page("outlets", n), "Outlets")
        rows = [[archive.outlet_link(page, o),
                 number(facts.articles.get(o, 0)), number(sum(facts.cited_by.get(o, {}).values())),
                 number(len(facts.origins.get(o, [])))]
                for o in ranked[(n - 1) * per:n * per]]
        body = ("<section>" + pager(page, "outlets", n, pages)
                + table(["outlet", "articles", "articles citing it", "stories started"], rows,
                        numeric=(1, 2, 3)) + "</section>")
        out.write(page.path, page.render(body, f"{len(ranked):,} outlets"))
    return ids
