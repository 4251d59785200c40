"""What the report site reads: the views' counts and the aggregates of its overview and pages.

The site (`provenance report --html DIR`) is written page by page; these reads either return
small aggregates (counts per outlet pair, per verdict, per kind) or rows of one page of a long
list (`limit`/`offset`), so that no page needs the whole archive in memory. Every count the
overview shows is a `count(*)` over the view that answers the same question in SQL
(docs/audit.md), so the report and the views cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

from provenance.store.base import StoreBase

# Overview counts: label -> SQL over the views (the same text docs/audit.md shows).
SUMMARY_COUNTS = {
    "articles": "SELECT count(*) FROM articles",
    "copies": "SELECT count(*) FROM copies WHERE relation = 'derived_from'",
    "similar (undirected)": "SELECT count(*) FROM copies WHERE relation = 'similar'",
    "credited copies": "SELECT count(*) FROM copies WHERE relation = 'derived_from' "
                       "AND verdict = 'credited'",
    "uncredited copies": "SELECT count(*) FROM uncredited_copies",
    "copies by the source's own outlet": "SELECT count(*) FROM copies WHERE relation = "
                                         "'derived_from' AND verdict = 'same_outlet'",
    "stories": "SELECT count(*) FROM story_origins",
    "outlets publishing": "SELECT count(*) FROM outlet_articles",
    "outlet citations": "SELECT count(*) FROM article_citations",
    "input problems": "SELECT count(*) FROM input_errors",
    "runs": "SELECT count(*) FROM runs",
}


class SiteReader:
    """Reads of the report site over one open store (its engine; no writes)."""

    def __init__(self, store: StoreBase):
        self.engine = store.engine

    def _rows(self, sql: str, params: tuple = ()) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.exec_driver_sql(sql, params).mappings().all()]

    def summary(self) -> dict[str, int]:
        """The overview's counts, each read from its view."""
        with self.engine.connect() as conn:
            return {label: int(conn.exec_driver_sql(sql).scalar_one())
                    for label, sql in SUMMARY_COUNTS.items()}

    def top_origins(self, limit: int) -> list[dict]:
        """Outlets whose text starts most stories: stories, articles in them."""
        return self._rows(
            "SELECT origin_outlet_id AS outlet_id, origin_outlet AS name, count(*) AS stories, "
            "sum(size) AS articles FROM story_origins WHERE origin_outlet_id IS NOT NULL "
            "GROUP BY origin_outlet_id ORDER BY stories DESC, articles DESC, outlet_id "
            "LIMIT ?", (limit,))

    def outlet_flows(self) -> list[dict]:
        """Copies between outlets: copy outlet, source outlet, verdict, relation, count."""
        return self._rows(
            "SELECT copy_outlet, source_outlet, coalesce(verdict, 'unresolved') AS verdict, "
            "relation, count(*) AS n FROM copies GROUP BY 1, 2, 3, 4 ORDER BY n DESC")

    def outlet_credits(self) -> list[dict]:
        """Which outlets each publisher's articles cite: publisher, cited outlet, articles."""
        return self._rows(
            "SELECT a.publisher_id AS outlet_id, c.outlet_id AS cited, "
            "count(DISTINCT c.article_id) AS articles FROM article_citations c "
            "JOIN article a ON a.id = c.article_id GROUP BY 1, 2 ORDER BY articles DESC")

    def outlet_articles(self) -> list[dict]:
        """Outlets that publish, with their article counts (the `outlet_articles` view)."""
        return self._rows("SELECT id, name, kind, country, articles FROM outlet_articles")

    def uncredited(self, limit: int, offset: int = 0) -> list[dict]:
        """One page of the `uncredited_copies` view, newest copy first."""
        return self._rows(
            "SELECT edge_id, copy_id, copy_title, copy_outlet, copy_published, source_id, "
            "source_title, source_outlet, source_published, kind, jaccard, coverage_copy, "
            "verdict_reason FROM uncredited_copies ORDER BY copy_published DESC, edge_id "
            "LIMIT ? OFFSET ?", (limit, offset))

    def problem_kinds(self) -> list[dict]:
        """Input problems by kind and severity."""
        return self._rows("SELECT kind, severity, count(*) AS n FROM input_errors "
                          "GROUP BY kind, severity ORDER BY n DESC, kind")

    def problems(self, limit: int, offset: int = 0) -> list[dict]:
        """One page of the `input_errors` view, in the order they were met."""
        return self._rows("SELECT run_id, path, record, kind, severity, message FROM "
                          "input_errors ORDER BY run_id, rowid LIMIT ? OFFSET ?",
                          (limit, offset))

    def stories(self) -> list[dict]:
        """Every story (`story_origins`), largest first."""
        return self._rows("SELECT * FROM story_origins ORDER BY size DESC, story_id")

    def story_members(self) -> dict[str, list[str]]:
        """Member article ids of every story."""
        members: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for sid, aid in conn.exec_driver_sql(
                    "SELECT story_id, article_id FROM story_member ORDER BY story_id, article_id"):
                members.setdefault(sid, []).append(aid)
        return members

    def article_ids(self, batch: int) -> Iterator[list[str]]:
        """Ids of the current articles, in batches."""
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles ORDER BY id")]
        for i in range(0, len(ids), batch):
            yield ids[i:i + batch]

    def search_rows(self) -> Iterator[tuple]:
        """(id, title, publisher id, url, published, story) of every current article."""
        with self.engine.connect() as conn:
            yield from conn.exec_driver_sql(
                "SELECT a.id, a.title, a.publisher_id, coalesce(a.url, a.path), a.published, "
                "m.story_id FROM articles a LEFT JOIN story_member m ON m.article_id = a.id "
                "ORDER BY a.id")

    def published_days(self) -> list[tuple[str, int]]:
        """Articles per publication day (undated left out)."""
        with self.engine.connect() as conn:
            return [(r[0], int(r[1])) for r in conn.exec_driver_sql(
                "SELECT substr(published, 1, 10) AS day, count(*) FROM articles "
                "WHERE published IS NOT NULL GROUP BY day ORDER BY day")]

    def outlet_article_page(self, outlet_id: str, limit: int, offset: int) -> list[dict]:
        """One page of an outlet's articles, newest first."""
        return self._rows(
            "SELECT a.id, a.title, a.published, m.story_id FROM articles a LEFT JOIN "
            "story_member m ON m.article_id = a.id WHERE a.publisher_id = ? "
            "ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?", (outlet_id, limit, offset))
