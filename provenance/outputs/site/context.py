"""What every page generator of the site shares: the archive's light metadata and the writer.

`Archive` holds, for every current article, only what links and tables need (title, publisher,
date, url, story): a few hundred bytes each, so 100k articles stay well under 100 MB. Texts,
citations and copy edges are read per batch of pages. `SiteWriter` writes each page as soon
as it is made and keeps the figures the report command prints (pages, bytes, largest page).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from provenance.outputs.site import paths
from provenance.records import Outlet
from provenance.store.site import SiteReader


@dataclass(frozen=True)
class Meta:
    """The metadata of one article that links and tables show."""

    title: str
    publisher_id: str | None
    published: str | None
    url: str | None
    story: str | None


@dataclass
class Archive:
    """Light look-ups over the whole archive: article metadata, outlet names, stories."""

    reader: SiteReader
    meta: dict[str, Meta]
    outlets: dict[str, Outlet]
    database: str
    paged: set[str] = field(default_factory=set)  # outlets that have a page

    @classmethod
    def read(cls, reader: SiteReader, outlets: list[Outlet], database: str) -> Archive:
        """Read the metadata of every current article (no text)."""
        meta = {}
        for aid, title, publisher, url, published, story in reader.search_rows():
            meta[aid] = Meta(title or url or aid, publisher, published, url, story)
        return cls(reader, meta, {o.id: o for o in outlets}, database)

    def title(self, article_id: str) -> str:
        """The article's title (else its url, else its id)."""
        m = self.meta.get(article_id)
        return m.title if m else article_id

    def outlet_name(self, outlet_id: str | None) -> str:
        """An outlet's name; `unknown outlet` when there is none."""
        if not outlet_id:
            return "unknown outlet"
        outlet = self.outlets.get(outlet_id)
        return (outlet.name if outlet else None) or outlet_id

    def outlet_href(self, outlet_id: str | None) -> str | None:
        """The site path of an outlet's page, if it has one."""
        return paths.outlet_page(outlet_id) if outlet_id in self.paged else None

    def outlet_link(self, page, outlet_id: str | None) -> str:
        """A link from `page` to the outlet's page, or its escaped name when it has none."""
        target = self.outlet_href(outlet_id)
        name = self.outlet_name(outlet_id)
        return page.link(target, name) if target else html.escape(name)

    def publisher(self, article_id: str) -> str | None:
        """The publisher id of an article."""
        m = self.meta.get(article_id)
        return m.publisher_id if m else None

    def published(self, article_id: str) -> str:
        """The publication date, or `undated`."""
        m = self.meta.get(article_id)
        return (m.published if m else None) or "undated"


@dataclass
class SiteWriter:
    """Writes pages under one folder and keeps count."""

    root: Path
    pages: int = 0
    bytes: int = 0
    largest: tuple[int, str] = (0, "")
    sizes: dict[str, int] = field(default_factory=dict)  # a few named pages (overview, search)

    def write(self, path: str, text: str) -> None:
        """Write one page (its folders are made as needed)."""
        target = self.root / path
        data = text.encode("utf-8")
        try:
            target.write_bytes(data)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.pages += 1
        self.bytes += len(data)
        if len(data) > self.largest[0]:
            self.largest = (len(data), path)
        if path in ("index.html", "search.html") or path.startswith("stories/index"):
            self.sizes[path] = len(data)


def article_href(page_path: str, article_id: str) -> str:
    """Relative URL of an article's page from the page at `page_path`."""
    return paths.depth_prefix(page_path) + paths.article_page(article_id)
