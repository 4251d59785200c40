"""Copy edges, stories and lineage: what the copy phase and provenance resolution store.

Copy edges accumulate (a new edge between two articles replaces the old one); stories and the
resolution (original sources, verdicts, problems) are recomputed over the whole archive and
replace what was stored, each in one transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from provenance.config import COPY_SLICE
from provenance.records import Article, CopyEdge, EdgeColumns, Origin, Story, Verdict
from provenance.store import rows
from provenance.store.base import StoreBase, execute_in, rows_in
from provenance.store.schema import (
    ArticleSourceRow,
    PendingMatchRow,
    ProvenanceProblemRow,
    StoryMemberRow,
    StoryRow,
)

_INSERT_ORIGIN = ("INSERT INTO article_source (" + ", ".join(rows.ORIGIN_COLUMNS) + ") VALUES ("
                  + ", ".join("?" * len(rows.ORIGIN_COLUMNS)) + ")")
# A copy edge's verdict, written only where it changed (a re-run rewrites no row).
_UPDATE_VERDICT = ("UPDATE copy_edge SET verdict = ?, verdict_reason = ? WHERE id = ? "
                   "AND (verdict IS NOT ? OR verdict_reason IS NOT ?)")
# A copy edge of a run (the id is generated): the run id, then `rows.EDGE_COLUMNS`.
_EDGE_COLUMNS = ("run_id", *rows.EDGE_COLUMNS)
_INSERT_EDGE = (f"INSERT INTO copy_edge ({', '.join(_EDGE_COLUMNS)}) VALUES ("
                + ", ".join("?" * len(_EDGE_COLUMNS)) + ")")
# Copy edges between current articles.
_CURRENT_EDGES = ("SELECT e.* FROM copy_edge e JOIN article s ON s.id = e.source_id AND "
                  "s.is_current JOIN article c ON c.id = e.copy_id AND c.is_current")


class CopiesMixin(StoreBase):
    """Copy edges and their verdicts, stories, original sources, resolution problems."""

    # -- copy edges ---------------------------------------------------------------------------

    def write_copy_edges(self, run_id: int, edges: list[CopyEdge], matched: list[str]) -> None:
        """Insert verified copy edges (replacing an earlier edge between the same two articles)
        and mark `matched` articles as compared, in one transaction."""
        self.write_copy_edge_values(run_id, [rows.copy_edge_values(e) for e in edges], matched)

    def write_copy_edge_values(self, run_id: int, values: list[tuple], matched: list[str]
                               ) -> None:
        """`write_copy_edges` of edges given as `rows.copy_edge_values`."""
        pending = PendingMatchRow.__table__
        with self.engine.begin() as conn:
            execute_in(conn, matched,
                       lambda ids: delete(pending).where(pending.c.article_id.in_(ids)))
            if not values:
                return
            conn.exec_driver_sql(
                "DELETE FROM copy_edge WHERE (source_id = ? AND copy_id = ?) "
                "OR (source_id = ? AND copy_id = ?)",
                [(v[0], v[1], v[1], v[0]) for v in values])
            conn.exec_driver_sql(_INSERT_EDGE, [(run_id, *v) for v in values])

    def copy_edge_pairs(self) -> list[tuple[str, str]]:
        """(source, copy) of every copy edge between current articles."""
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.connection.driver_connection.execute(
                _CURRENT_EDGES.replace("e.*", "e.source_id, e.copy_id"))]

    def copy_edges(self, article_ids: Iterable[str] | None = None) -> list[CopyEdge]:
        """Copy edges between current articles (touching `article_ids` if given)."""
        with self.engine.connect() as conn:
            if article_ids is None:
                found = conn.exec_driver_sql(
                    _CURRENT_EDGES + " ORDER BY e.source_id, e.copy_id").mappings().all()
            else:
                # An edge between two of the articles comes back from both sides of the OR.
                found = list({r.id: r._mapping for r in rows_in(
                    conn, article_ids,
                    _CURRENT_EDGES + " WHERE e.source_id IN ({marks}) OR e.copy_id IN ({marks})",
                )}.values())
        return [rows.copy_edge_from_row(r) for r in found]

    def story_edges(self) -> Iterator[tuple]:
        """Copy edges between current articles as clustering the stories reads them, streamed
        from the cursor: (source id, copy id, relation, kind, Jaccard, coverage of the source,
        coverage of the copy), the ids and words shared strings (an archive of dense reuse has
        many times more edges than articles; their passages are never read)."""
        columns = ("e.source_id, e.copy_id, e.relation, e.kind, e.jaccard, e.coverage_source, "
                   "e.coverage_copy")
        shared: dict[str, str] = {}
        with self.engine.connect() as conn:
            cursor = conn.connection.driver_connection.execute(
                _CURRENT_EDGES.replace("e.*", columns, 1) + " ORDER BY e.source_id, e.copy_id")
            for source, copy, relation, kind, jaccard, cov_source, cov_copy in cursor:
                yield (shared.setdefault(source, source), shared.setdefault(copy, copy),
                       shared.setdefault(relation, relation), shared.setdefault(kind, kind),
                       jaccard, cov_source, cov_copy)

    def verdict_counts(self) -> dict[str, int]:
        """How many current directed copies (`derived_from`) have each verdict, as the views
        count them: an undirected `similar` edge's verdict is counted by `similar_count`."""
        with self.engine.connect() as conn:
            return {verdict: n for verdict, n in conn.exec_driver_sql(
                "SELECT verdict, count(*) FROM copies WHERE verdict IS NOT NULL "
                "AND relation = 'derived_from' GROUP BY verdict ORDER BY verdict")}

    def similar_count(self) -> int:
        """How many current copy edges are undirected (`similar`: a tie or undated)."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT count(*) FROM copies WHERE relation = 'similar'").scalar_one()

    # -- stories ------------------------------------------------------------------------------

    def replace_stories(self, stories: list[Story]) -> None:
        """Replace all stories and their memberships in one transaction (each Story carries
        the run that clustered it)."""
        story_rows = [rows.story_row(s) for s in stories]
        members = [m for s in stories for m in rows.story_member_rows(s)]
        with self.engine.begin() as conn:
            conn.execute(delete(StoryMemberRow.__table__))
            conn.execute(delete(StoryRow.__table__))
            if story_rows:
                conn.execute(StoryRow.__table__.insert(), story_rows)
            if members:
                conn.execute(StoryMemberRow.__table__.insert(), members)

    def story_count(self) -> int:
        """How many stories are stored."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM story").scalar_one()

    def stories(self) -> list[Story]:
        """Stories with their members (article ids), largest first."""
        with self.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT * FROM story ORDER BY size DESC, id").mappings().all()
            members = _members(conn)
        return [rows.story_from_row(r, members.get(r["id"], ())) for r in found]

    def story(self, story_id: str) -> Story | None:
        """One story with its members, or None if there is no such story."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT * FROM story WHERE id = ?",
                                       (story_id,)).mappings().first()
            return None if row is None else rows.story_from_row(
                row, _members(conn, story_id).get(story_id, ()))

    def story_of(self, article_id: str) -> str | None:
        """The story an article belongs to, if any."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT story_id FROM story_member WHERE article_id = ? ORDER BY story_id",
                (article_id,)).first()
        return None if row is None else row[0]

    # -- lineage ------------------------------------------------------------------------------

    def lineage_articles(self) -> Iterator[Article]:
        """Current articles as provenance resolution reads them: id, publisher and length (the
        other fields empty), streamed (resolution keeps the publisher and length of each)."""
        with self.engine.connect() as conn:
            for i, publisher, n in conn.connection.driver_connection.execute(
                    "SELECT id, publisher_id, n_chars FROM article WHERE is_current ORDER BY id"):
                yield Article(id=i, source_key=i, external_id=i, path="", record=None, format="",
                              text="", text_hash="", n_chars=n or 0, publisher_id=publisher)

    def lineage_edge_columns(self) -> Iterator[EdgeColumns]:
        """Copy edges between current articles as provenance resolution reads them, a slice of
        columns at a time (`EdgeColumns`: ids, article ids, relation, kind, Jaccard, backdated
        and the passages, parsed a slice at a time by `rows.passage_columns`), in table order:
        one pass over the table, no join: the articles no longer current are read once, and
        an edge touching one dropped (foreign keys hold: an edge's articles exist). Resolution
        keeps them in columns (`copies.edge_table`)."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            stale = {i for (i,) in raw.execute("SELECT id FROM article WHERE NOT is_current")}
            found = raw.execute("SELECT id, source_id, copy_id, relation, kind, jaccard, "
                                "passages, backdated FROM copy_edge")
            while batch := found.fetchmany(COPY_SLICE):
                if stale:
                    batch = [r for r in batch if r[1] not in stale and r[2] not in stale]
                if batch:
                    ids, sources, copies, relations, kinds, jaccards, passages, backdated = (
                        zip(*batch, strict=True))
                    yield EdgeColumns(ids, sources, copies, relations, kinds, jaccards,
                                      backdated, *rows.passage_columns(passages))

    def replace_lineage(self, run_id: int,
                        verdicts: Mapping[int, Verdict] | Iterable[tuple[int | None, Verdict]],
                        origins: Iterable[Origin],
                        problems: list[str] | Callable[[], list[str]]) -> int:
        """Store original sources, copy verdicts (by edge id) and problems of a resolution, in
        one transaction (the previous resolution is replaced); returns the problems stored.
        Origins (each with its article and rank) and verdicts may be generators, consumed in
        that order and written a slice at a time (verdicts fastest by edge id, the table's
        order; a row is written only where its verdict changed); `problems` may be a
        callable, called after."""
        with self.engine.begin() as conn:
            conn.execute(delete(ArticleSourceRow.__table__))
            conn.execute(delete(ProvenanceProblemRow.__table__))
            pending = iter(origins)
            while batch := list(itertools.islice(pending, COPY_SLICE)):
                conn.exec_driver_sql(_INSERT_ORIGIN, rows.origin_values(batch, run_id))
            pairs = iter(verdicts.items() if isinstance(verdicts, Mapping) else verdicts)
            while batch := list(itertools.islice(pairs, COPY_SLICE)):
                conn.exec_driver_sql(_UPDATE_VERDICT, [(v.verdict, v.reason, i, v.verdict,
                                                        v.reason) for i, v in batch])
            messages = problems() if callable(problems) else problems
            if messages:
                conn.execute(ProvenanceProblemRow.__table__.insert(),
                             [{"run_id": run_id, "message": m} for m in messages])
        return len(messages)

    def original_sources(self, article_ids: Iterable[str] | None = None) -> list[Origin]:
        """Stored original sources (of the given articles), in each article's order."""
        sql = "SELECT * FROM article_source"
        with self.engine.connect() as conn:
            if article_ids is None:
                found = conn.exec_driver_sql(sql + " ORDER BY article_id, rank").all()
            else:
                found = list(rows_in(conn, sorted(set(article_ids)), sql + (
                    " WHERE article_id IN ({marks}) ORDER BY article_id, rank")))
        return [rows.origin_from_row(r._mapping) for r in found]

    def provenance_problems(self) -> list[str]:
        """What the stored resolution met and could not settle, in the order it was met."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT message FROM provenance_problem ORDER BY id")]


def _members(conn: Connection, story_id: str | None = None) -> dict[str, list[str]]:
    """Member article ids per story (of one story if given), each sorted."""
    sql = "SELECT story_id, article_id FROM story_member"
    params: tuple = ()
    if story_id is not None:
        sql, params = sql + " WHERE story_id = ?", (story_id,)
    members: dict[str, list[str]] = {}
    for sid, article_id in conn.exec_driver_sql(sql + " ORDER BY story_id, article_id", params):
        members.setdefault(sid, []).append(article_id)
    return members
