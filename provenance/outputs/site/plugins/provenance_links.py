"""Datasette plugin: cells that hold a story, article or outlet id link to its report page.

`provenance serve` mounts the report site under `/report/` and passes its folder in the plugin
settings; a cell becomes a link only when the page exists there. Which columns hold which id
is decided by the column's name (and the table's, for `id` and `source_id`).
"""

from __future__ import annotations

import html
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup

from provenance.outputs.site import paths

STORY_COLUMNS = {"story_id", "story"}
ARTICLE_COLUMNS = {"article_id", "copy_id", "origin_article_id", "source_article_id",
                   "previous_id"}
OUTLET_COLUMNS = {"outlet_id", "publisher_id", "copy_outlet", "source_outlet",
                  "origin_outlet_id", "upstream_outlet_id", "cited"}
ARTICLE_TABLES = {"article", "articles", "article_versions"}
OUTLET_TABLES = {"outlet", "outlet_articles", "outlet_citation_counts"}
# Tables whose `source_id` is a non-outlet source, not an article.
SOURCE_TABLES = {"citation", "non_outlet_sources"}


def page_for(column: str, table: str | None, value: str) -> str | None:
    """The report page a cell's value has, by its column and table."""
    if column in STORY_COLUMNS:
        return paths.story_page(value)
    if column in ARTICLE_COLUMNS or (column == "source_id" and table not in SOURCE_TABLES):
        return paths.article_page(value)
    if column in OUTLET_COLUMNS:
        return paths.outlet_page(value)
    if column == "id" and table in ARTICLE_TABLES:
        return paths.article_page(value)
    if column == "id" and table in OUTLET_TABLES:
        return paths.outlet_page(value)
    return None


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A link to the report page of the id in this cell, when there is one."""
    config = datasette.plugin_config("provenance-links") or {}
    if not isinstance(value, str) or not value or not config.get("url"):
        return None
    page = page_for(column, table, value)
    if page is None:
        return None
    folder = config.get("folder")
    if folder and not (Path(folder) / page).is_file():
        return None
    href = config["url"].rstrip("/") + "/" + page
    return Markup(f'<a href="{html.escape(href)}" class="report-link">{html.escape(value)}</a>')
