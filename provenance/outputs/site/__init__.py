"""The report as a static site: `provenance report --html DIR`.

    index.html            overview: counts (from the SQL views), outlet flows, top outlets,
                          uncredited reuse, largest stories, input problems
    stories/, outlets/, uncredited/, problems/   paged lists
    s/<story>.html        one page per story: timeline, graph, members, verdicts, passages
    a/<xx>/<id>.html      one page per article: copies, citations with evidence, text
    o/<outlet>.html       one page per outlet: whom it copies and credits, who copies it
    search.html           search over titles, outlets and URLs (index in search/index-N.js)
    assets/               the site's style sheet and script (written here, no CDN)

Pages are written as they are made (stories and articles in batches), so memory does not grow
with the archive's texts. Works from `file://` with no network request.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from provenance.outputs.site.articles import write_articles
from provenance.outputs.site.chrome import STYLE
from provenance.outputs.site.context import Archive, SiteWriter
from provenance.outputs.site.outlets import OutletFacts, write_outlets
from provenance.outputs.site.overview import render_overview, write_lists, write_search
from provenance.outputs.site.script import SITE_JS
from provenance.outputs.site.stories import write_stories
from provenance.store.site import SiteReader

if TYPE_CHECKING:
    from provenance.store import Store


@dataclass(frozen=True)
class SiteStats:
    """What writing the site did: pages, bytes, the largest page, the overview's size, time."""

    folder: str
    pages: int
    bytes: int
    largest_bytes: int
    largest_page: str
    overview_bytes: int
    articles: int
    stories: int
    outlets: int
    seconds: float


# The folders a site writes (and replaces when it is written again into the same folder).
SITE_FOLDERS = ("a", "s", "o", "stories", "outlets", "uncredited", "problems", "search")


def _clear_previous_site(folder: Path) -> None:
    """Remove the pages of a site written before into `folder` (recognised by its script), so
    that no page of an article or story that is gone is left behind; nothing else is touched."""
    if not (folder / "assets" / "site.js").is_file():
        return
    for name in SITE_FOLDERS:
        shutil.rmtree(folder / name, ignore_errors=True)


def write_site(store: Store, folder: Path) -> SiteStats:
    """Write the report site of `store` into `folder` (created; existing pages replaced)."""
    start = time.perf_counter()
    _clear_previous_site(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = SiteWriter(folder)
    reader = SiteReader(store)
    archive = Archive.read(reader, store.outlets(), store.path)
    out.write("assets/site.css", STYLE)
    out.write("assets/site.js", SITE_JS)
    summary = reader.summary()
    stories = reader.stories()
    facts = OutletFacts.read(archive, stories)
    archive.paged = set(facts.outlet_ids())
    out.write("index.html", render_overview(archive, facts, summary, stories, store.runs(),
                                            store.provenance_problems()))
    write_lists(archive, out, stories, summary)
    outlet_ids = write_outlets(archive, out, facts)
    write_search(archive, out, stories, outlet_ids)
    n_stories = write_stories(store, archive, out, stories)
    n_articles = write_articles(store, archive, out)
    return SiteStats(str(folder), out.pages, out.bytes, out.largest[0], out.largest[1],
                     out.sizes.get("index.html", 0), n_articles, n_stories, len(outlet_ids),
                     time.perf_counter() - start)
