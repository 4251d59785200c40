"""The provenance database: the only module that opens sessions or writes SQL.

One SQLite file (or memory, for tests) holds articles, outlets, runs, input errors and, as later
stages land, citations, fingerprints and copy edges. Writes happen in transactions; the hot path
uses core bulk inserts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Integer, delete, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine, select

from provenance.config import SQLITE_CACHE_KIB
from provenance.errors import NotFoundError, SchemaVersionError, StoreError
from provenance.store.schema import (
    SCHEMA_VERSION,
    Article,
    ArticleSource,
    Boilerplate,
    CitationRow,
    CopyEdge,
    FingerprintRow,
    InputErrorRow,
    InputFile,
    LshKey,
    Outlet,
    PendingMatch,
    ProvenanceProblem,
    Run,
    StoryMember,
    StoryRow,
)

log = logging.getLogger(__name__)

MEMORY = ":memory:"

# Views with plain names for the questions people ask first (docs/schema.md shows queries).
VIEWS = {
    "articles": """
        SELECT a.id, a.external_id, a.title, o.name AS outlet, a.publisher_id, a.published,
               a.language, a.url, a.path, a.format, a.n_chars, a.first_run_id AS run_id
        FROM article a LEFT JOIN outlet o ON o.id = a.publisher_id
        WHERE a.is_current""",
    "article_versions": """
        SELECT a.id, a.external_id, a.previous_id, a.is_current, a.text_hash, a.first_run_id
        FROM article a WHERE a.previous_id IS NOT NULL OR NOT a.is_current""",
    "runs": """
        SELECT id, started_at, finished_at, status, tool_version, registry_version,
               json_extract(counts, '$.read') AS read, json_extract(counts, '$.new') AS new,
               json_extract(counts, '$.unchanged') AS unchanged,
               json_extract(counts, '$.updated') AS updated,
               json_extract(counts, '$.failed') AS failed, parameters
        FROM run""",
    "input_errors": """
        SELECT e.run_id, e.path, e.record, e.kind, e.severity, e.message FROM input_error e""",
    "article_citations": """
        SELECT a.id AS article_id, a.external_id, c.outlet_id, o.name AS outlet,
               c.source_name, c.source_type, c.kind, c.cue, c.zone, c.start, c."end",
               c.sentence, c.rule, c.confidence, c.relayed_by, c.original, c.run_id
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = c.outlet_id
        WHERE c.counts AND c.outlet_id IS NOT NULL""",
    "image_credits": """
        SELECT a.id AS article_id, a.external_id, c.source_name, c.outlet_id, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        WHERE c.kind = 'image_credit'""",
    "non_outlet_sources": """
        SELECT a.id AS article_id, a.external_id, c.source_id, c.source_name, c.source_type,
               c.kind, c.cue, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        WHERE c.outlet_id IS NULL""",
    "outlet_citation_counts": """
        SELECT o.id, o.name, o.kind, count(DISTINCT c.article_id) AS citing_articles,
               count(*) AS citations
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        JOIN outlet o ON o.id = c.outlet_id WHERE c.counts
        GROUP BY o.id ORDER BY citing_articles DESC, o.id""",
    "copies": """
        SELECT e.id AS edge_id, c.id AS copy_id, c.external_id AS copy, c.title AS copy_title,
               c.publisher_id AS copy_outlet, c.published AS copy_published,
               s.id AS source_id, s.external_id AS source, s.title AS source_title,
               s.publisher_id AS source_outlet, s.published AS source_published,
               e.relation, e.kind, e.jaccard, e.containment_copy_in_source, e.coverage_copy,
               e.verdict, e.verdict_reason, e.backdated, e.passages, e.run_id
        FROM copy_edge e
        JOIN article c ON c.id = e.copy_id AND c.is_current
        JOIN article s ON s.id = e.source_id AND s.is_current""",
    "uncredited_copies": """
        SELECT * FROM copies WHERE verdict = 'uncredited' AND relation = 'derived_from'""",
    "story_origins": """
        SELECT st.id AS story_id, st.size, a.id AS origin_article_id,
               a.external_id AS origin_article, a.title AS origin_title, a.published,
               st.origin_outlet_id, oo.name AS origin_outlet,
               st.upstream_outlet_id, uo.name AS upstream_outlet, st.run_id
        FROM story st JOIN article a ON a.id = st.origin_article_id
        LEFT JOIN outlet oo ON oo.id = st.origin_outlet_id
        LEFT JOIN outlet uo ON uo.id = st.upstream_outlet_id""",
    "article_sources": """
        SELECT a.id AS article_id, a.external_id, 'original' AS role, s.outlet_id,
               o.name AS outlet, NULL AS source_article_id, s.reason AS detail, s.path AS evidence
        FROM article_source s JOIN article a ON a.id = s.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = s.outlet_id
        UNION ALL
        SELECT a.id, a.external_id, 'cited', c.outlet_id, o.name, NULL, c.kind, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = c.outlet_id
        WHERE c.counts AND c.outlet_id IS NOT NULL
        UNION ALL
        SELECT a.id, a.external_id, 'derived_from', src.publisher_id, o.name, src.id,
               e.kind || ' (' || coalesce(e.verdict, 'unresolved') || ')', e.passages
        FROM copy_edge e JOIN article a ON a.id = e.copy_id AND a.is_current
        JOIN article src ON src.id = e.source_id AND src.is_current
        LEFT JOIN outlet o ON o.id = src.publisher_id
        WHERE e.relation = 'derived_from'""",
    "outlet_articles": """
        SELECT o.id, o.name, o.kind, o.country, count(a.id) AS articles
        FROM outlet o JOIN article a ON a.publisher_id = o.id AND a.is_current
        GROUP BY o.id ORDER BY articles DESC, o.id""",
}


def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """A provenance database opened from a path, or in memory when the path is ':memory:'."""

    def __init__(self, path: str | Path = MEMORY, create: bool = True):
        self.path = str(path)
        if self.path != MEMORY:
            target = Path(self.path)
            if not create and not target.exists():
                raise StoreError(
                    f"no database at {target} (run `provenance scan` first, or use --db to "
                    "point at an existing one)"
                )
            if target.is_dir():
                raise StoreError(f"{target} is a directory (use --db to name a database file)")
            if not target.parent.exists():
                raise StoreError(f"folder {target.parent} does not exist (create it or use --db)")
        url = "sqlite://" if self.path == MEMORY else f"sqlite:///{self.path}"
        kwargs = {"poolclass": StaticPool} if self.path == MEMORY else {}
        self.engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(self.engine, "connect", _on_connect)
        try:
            try:
                self._migrate()
            except OperationalError as exc:
                # another process created the tables between our check and our CREATE
                if "already exists" not in str(exc.orig):
                    raise
                self._migrate()
        except DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a SQLite database ({exc.orig}); use --db to choose another "
                "file"
            ) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool (the file stays consistent at every commit)."""
        self.engine.dispose()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            tables = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table'"))}
            if tables and "meta" not in tables:
                raise StoreError(
                    f"{self.path} is a SQLite database but not a provenance database "
                    "(use --db to choose another file)"
                )
            if "meta" in tables:
                row = conn.execute(
                    text("SELECT value FROM meta WHERE key='schema_version'")).first()
                if row and int(row[0]) != SCHEMA_VERSION:
                    raise SchemaVersionError(
                        f"{self.path} has schema version {row[0]}, this provenance needs "
                        f"{SCHEMA_VERSION} (re-scan into a new file with --db)"
                    )
        # A database that is up to date is not written to: read-only commands (check, show,
        # graph, report) leave the file untouched.
        missing = {t.name for t in SQLModel.metadata.sorted_tables} - tables
        if missing:
            SQLModel.metadata.create_all(self.engine)
        with self.engine.connect() as conn:
            views = {r[0]: r[1] for r in conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type='view'"))}
            has_version = "meta" in tables and conn.execute(text(
                "SELECT 1 FROM meta WHERE key='schema_version'")).first() is not None
        stale = [n for n, body in VIEWS.items() if views.get(n) != f"CREATE VIEW {n} AS {body}"]
        if stale or not has_version:
            with self.engine.begin() as conn:
                conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES "
                                  "('schema_version', :v)"), {"v": str(SCHEMA_VERSION)})
                for name in stale:
                    conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                    conn.execute(text(f"CREATE VIEW {name} AS {VIEWS[name]}"))

    # -- runs ---------------------------------------------------------------------------------

    def begin_run(self, tool_version: str, parameters: dict, registry_version: str | None) -> int:
        """Record the start of a run and return its id."""
        with self.engine.begin() as conn:
            result = conn.execute(Run.__table__.insert().values(
                started_at=now(), status="running", tool_version=tool_version,
                registry_version=registry_version,
                parameters=json.dumps(parameters, sort_keys=True, ensure_ascii=False),
            ))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, status: str, counts: dict) -> None:
        """Record how a run ended (completed, interrupted, failed) and what it counted."""
        with self.engine.begin() as conn:
            conn.execute(Run.__table__.update().where(Run.__table__.c.id == run_id).values(
                finished_at=now(), status=status,
                counts=json.dumps(counts, sort_keys=True, ensure_ascii=False),
            ))

    def runs(self) -> list[dict]:
        """Every run, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Run).order_by(Run.id)).mappings().all()
        return [_decode(dict(r), ("parameters", "counts")) for r in rows]

    def errors(self, run_id: int | None = None) -> list[dict]:
        """Input errors of one run (or all runs), in the order they were met."""
        stmt = select(InputErrorRow).order_by(InputErrorRow.id)
        if run_id is not None:
            stmt = stmt.where(InputErrorRow.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings().all()]

    # -- outlets ------------------------------------------------------------------------------

    def sync_outlets(self, outlets: Iterable[dict], registry_version: str | None) -> None:
        """Insert or update registry outlets (identity comes from the registry, by id)."""
        rows = [_encode(dict(o, origin="registry", registry_version=registry_version),
                        ("domains", "aliases")) for o in outlets]
        if not rows:
            return
        table = Outlet.__table__
        cols = [c.name for c in table.columns]
        with self.engine.begin() as conn:
            conn.execute(
                text(f"INSERT INTO outlet ({', '.join(cols)}) VALUES "
                     f"({', '.join(':' + c for c in cols)}) ON CONFLICT(id) DO UPDATE SET "
                     + ", ".join(f"{c}=excluded.{c}" for c in cols if c != "id")),
                [{c: r.get(c) for c in cols} for r in rows],
            )

    def outlet_names(self, outlet_ids: Iterable[str | None]) -> dict[str, str]:
        """Display names of the given outlets."""
        table = Outlet.__table__
        wanted = sorted({o for o in outlet_ids if o})
        names: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, 500):
                names.update((r[0], r[1]) for r in conn.execute(
                    select(table.c.id, table.c.name).where(table.c.id.in_(chunk))))
        return names

    def outlets(self) -> list[dict]:
        """Every outlet known to the database, by id."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Outlet).order_by(Outlet.id)).mappings().all()
        return [_decode(dict(r), ("domains", "aliases")) for r in rows]

    # -- input files and articles -------------------------------------------------------------

    def known_file(self, key: str) -> int | None:
        """The article count of a file fully read before in this exact state, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(InputFile.n_articles).where(InputFile.key == key)).first()
        return None if row is None else int(row[0])

    def write_batch(self, run_id: int, articles: list[dict], problems: list[dict],
                    files: list[dict], outlets: list[dict]) -> list[str]:
        """Write one batch in one transaction; returns new/unchanged/updated per article."""
        statuses: list[str] = []
        try:
            with self.engine.begin() as conn:
                if outlets:
                    conn.execute(text(
                        "INSERT OR IGNORE INTO outlet (id, name, kind, country, domains, aliases,"
                        " origin) VALUES (:id, :name, :kind, :country, :domains, :aliases, "
                        "'input')"), [_encode(dict(o), ("domains", "aliases")) for o in outlets])
                statuses = self._write_articles(conn, run_id, articles)
                if problems:
                    conn.execute(InputErrorRow.__table__.insert(),
                                 [dict(p, run_id=run_id) for p in problems])
                if files:
                    conn.execute(text(
                        "INSERT OR REPLACE INTO input_file (key, path, size, n_articles, run_id) "
                        "VALUES (:key, :path, :size, :n_articles, :run_id)"),
                        [dict(f, run_id=run_id) for f in files])
        except OperationalError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc.orig} (is the disk full or the "
                             "file read-only? use --db to write elsewhere)") from exc
        return statuses

    def _write_articles(self, conn, run_id: int, articles: list[dict]) -> list[str]:
        if not articles:
            return []
        table = Article.__table__
        keys = sorted({a["source_key"] for a in articles})
        current: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(keys, 500):
            for row in conn.execute(
                select(table.c.source_key, table.c.id, table.c.text_hash)
                .where(table.c.source_key.in_(chunk), table.c.is_current)
            ):
                current[row.source_key] = (row.id, row.text_hash)
        existing_ids: set[str] = set()
        ids = [a["id"] for a in articles]
        for chunk in _chunks(ids, 500):
            existing_ids.update(r[0] for r in conn.execute(
                select(table.c.id).where(table.c.id.in_(chunk))))
        inserts, retire, statuses = [], [], []
        for art in articles:
            prev = current.get(art["source_key"])
            if art["id"] in existing_ids or (prev and prev[1] == art["text_hash"]):
                statuses.append("unchanged")
                continue
            row = _encode(dict(art, first_run_id=run_id, is_current=True,
                               previous_id=prev[0] if prev else None), ("zones",))
            if prev:
                retire.append(prev[0])
                statuses.append("updated")
            else:
                statuses.append("new")
            inserts.append(row)
            existing_ids.add(art["id"])
            current[art["source_key"]] = (art["id"], art["text_hash"])
        if retire:
            conn.execute(table.update().where(table.c.id.in_(retire)).values(is_current=False))
            widths = [len(r["fingerprint"]["keys"][0]) for r in inserts
                      if r.get("fingerprint") and r["fingerprint"]["keys"]]
            _drop_keys(conn, retire, widths[0] if widths else None)
        if inserts:
            cols = {c.name for c in table.columns}
            _insert(conn, table, [{k: v for k, v in r.items() if k in cols} for r in inserts])
            citations = [dict(c, article_id=r["id"], run_id=run_id)
                         for r in inserts for c in r.get("citations", ())]
            if citations:
                _insert(conn, CitationRow.__table__, citations)
            prints = [r for r in inserts if r.get("fingerprint")]
            if prints:
                # The keys go into `lsh_key` when the copy phase starts (index_pending_keys).
                conn.exec_driver_sql(
                    "INSERT INTO fingerprint (article_id, recipe, signature, n_shingles, keys, "
                    "shingles, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(r["id"], r["fingerprint"]["recipe"], r["fingerprint"]["signature"],
                      r["fingerprint"]["n_shingles"], b"".join(r["fingerprint"]["keys"]),
                      r["fingerprint"].get("shingles", b""), run_id)
                     for r in prints])
                conn.exec_driver_sql("INSERT INTO pending_match (article_id) VALUES (?)",
                                     [(r["id"],) for r in prints])
        return statuses

    def articles(self, current_only: bool = True) -> list[dict]:
        """Articles with their metadata and story (not their text), in a stable order."""
        table = Article.__table__
        member = StoryMember.__table__
        cols = [c for c in table.columns if c.name not in ("text",)]
        stmt = select(*cols, member.c.story_id.label("story")).outerjoin(
            member, member.c.article_id == table.c.id).order_by(
                table.c.published.is_(None), table.c.published, table.c.external_id, table.c.id)
        if current_only:
            stmt = stmt.where(table.c.is_current)
        with self.engine.connect() as conn:
            return [_decode(dict(r), ("zones",)) for r in conn.execute(stmt).mappings().all()]

    def article(self, article_id: str) -> dict:
        """One article with its text and zones."""
        with self.engine.connect() as conn:
            row = conn.execute(select(Article).where(Article.id == article_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return _decode(dict(row), ("zones",))

    def find_article(self, ref: str) -> dict:
        """The current article whose id, external id, url or path is `ref` (id prefixes work)."""
        table = Article.__table__
        resolved = str(Path(ref).resolve()) if ref else ref
        conditions = (
            table.c.id == ref, table.c.external_id == ref, table.c.url == ref,
            table.c.canonical_url == ref, table.c.path == ref, table.c.source_key == resolved,
            table.c.id.like(f"{ref}%") if len(ref) >= 6 else table.c.id == ref,
        )
        with self.engine.connect() as conn:
            for cond in conditions:
                rows = conn.execute(select(table.c.id).where(cond, table.c.is_current)).all()
                if len(rows) == 1:
                    return self.article(rows[0][0])
                if len(rows) > 1:
                    raise NotFoundError(
                        f"{ref!r} matches {len(rows)} articles (use the article id instead)")
        raise NotFoundError(
            f"no article matches {ref!r} (give an article id, external id, url or path; "
            "`provenance graph --format json` lists them)")

    # -- fingerprints, copy edges, stories ----------------------------------------------------

    def fingerprint_recipe(self) -> str | None:
        """The fingerprint recipe this database's index was built with, if any."""
        rows = self.query("SELECT value FROM meta WHERE key = 'fingerprint_recipe'")
        return rows[0]["value"] if rows else None

    def set_fingerprint_recipe(self, recipe: str) -> None:
        """Record the index's fingerprint recipe (once; later scans must use the same)."""
        with self.engine.begin() as conn:
            conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES "
                              "('fingerprint_recipe', :r)"), {"r": recipe})

    def index_pending_keys(self, key_bytes: int) -> int:
        """Add the LSH keys of the articles awaiting comparison to `lsh_key`; returns how many.

        One sorted pass: inserting each batch's keys at random places of a large index costs
        a page write per key, which is what made bulk loading slow. Repeating it is harmless.
        """
        pending = ("FROM pending_match p JOIN article a ON a.id = p.article_id AND a.is_current "
                   "JOIN fingerprint f ON f.article_id = p.article_id")
        with self.engine.begin() as conn:
            longest, total = conn.exec_driver_sql(
                f"SELECT coalesce(max(length(f.keys)), 0), coalesce(sum(length(f.keys)), 0) "
                f"{pending}").one()
            if longest:
                conn.exec_driver_sql(
                    "INSERT OR IGNORE INTO lsh_key (key, article_id) "
                    f"{_KEY_NUMBERS} SELECT substr(f.keys, n.i * ? + 1, ?), f.article_id "
                    f"{pending} CROSS JOIN n WHERE n.i < length(f.keys) / ? ORDER BY 1, 2",
                    (longest // key_bytes, key_bytes, key_bytes, key_bytes))
        return total // key_bytes

    def shared_buckets(self, key_bytes: int, max_bucket: int, scan_all: bool
                       ) -> Iterator[list[str]]:
        """The articles of each LSH bucket that holds a key of an article awaiting comparison
        and 2 to `max_bucket` articles (a key shared by more is a stock phrase or boilerplate).

        With `scan_all` (most of the archive is new) every shared bucket is read in key order
        and the caller keeps those with a pending article; else each pending key is looked up.
        """
        if scan_all:
            sql = ("SELECT group_concat(article_id, ' ') FROM lsh_key GROUP BY key "
                   "HAVING count(*) BETWEEN 2 AND ?")
            params: tuple = (max_bucket,)
        else:
            sql = (f"SELECT group_concat(l.article_id, ' ') FROM ({_KEY_NUMBERS} "
                   "SELECT DISTINCT substr(f.keys, n.i * ? + 1, ?) AS key FROM pending_match p "
                   "JOIN fingerprint f ON f.article_id = p.article_id CROSS JOIN n "
                   "WHERE n.i < length(f.keys) / ?) q JOIN lsh_key l ON l.key = q.key "
                   "GROUP BY q.key HAVING count(*) BETWEEN 2 AND ?")
            with self.engine.connect() as conn:
                longest = conn.exec_driver_sql(
                    "SELECT coalesce(max(length(f.keys)), 0) FROM pending_match p "
                    "JOIN fingerprint f ON f.article_id = p.article_id").scalar_one()
            params = (longest // key_bytes, key_bytes, key_bytes, key_bytes, max_bucket)
        with self.engine.connect() as conn:
            for (members,) in conn.exec_driver_sql(sql, params):
                yield members.split(" ")

    def pending_same_text_pairs(self) -> list[tuple[str, str]]:
        """Pairs of current articles with the same text hash, the first awaiting comparison."""
        return [(r["a"], r["b"]) for r in self.query(
            "SELECT a.id AS a, b.id AS b FROM pending_match p "
            "JOIN article a ON a.id = p.article_id AND a.is_current "
            "JOIN article b ON b.text_hash = a.text_hash AND b.id != a.id AND b.is_current")]

    def same_text_pairs(self, article_ids: list[str]) -> list[tuple[str, str]]:
        """Pairs of current articles with the same text hash, one side in `article_ids`."""
        out = []
        for chunk in _chunks(article_ids, 500):
            marks = ",".join(f":p{i}" for i in range(len(chunk)))
            out += [(r["a"], r["b"]) for r in self.query(
                "SELECT a.id AS a, b.id AS b FROM article a JOIN article b "
                "ON b.text_hash = a.text_hash AND b.id != a.id AND b.is_current "
                f"WHERE a.is_current AND a.id IN ({marks})",
                {f"p{i}": v for i, v in enumerate(chunk)})]
        return out

    def articles_sharing_keys(self, keys: list[bytes], max_bucket: int) -> dict[str, int]:
        """Current articles that share LSH keys with a text outside the archive (a draft), with
        the number of keys shared; buckets above `max_bucket` articles are skipped."""
        keys_t = LshKey.__table__
        shared: dict[str, int] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(keys)), 500):
                small = [r[0] for r in conn.execute(
                    select(keys_t.c.key).where(keys_t.c.key.in_(chunk))
                    .group_by(keys_t.c.key).having(text("count(*) <= :cap")),
                    {"cap": max_bucket})]
                for sub in _chunks(small, 500):
                    for (article_id,) in conn.execute(
                            select(keys_t.c.article_id).where(keys_t.c.key.in_(sub))):
                        shared[article_id] = shared.get(article_id, 0) + 1
        return shared

    def articles_with_text_hash(self, digest: str) -> list[str]:
        """Current articles whose whitespace-normalised text has this hash."""
        return [r["id"] for r in self.query(
            "SELECT id FROM article WHERE text_hash = :h AND is_current ORDER BY id",
            {"h": digest})]

    def texts(self, article_ids: list[str]) -> list[dict]:
        """id, text, publisher_id, published and packed signature of the given articles."""
        table, prints = Article.__table__, FingerprintRow.__table__
        rows = []
        with self.engine.connect() as conn:
            for chunk in _chunks(list(article_ids), 500):
                rows += [dict(r) for r in conn.execute(
                    select(table.c.id, table.c.text, table.c.publisher_id, table.c.published,
                           prints.c.signature)
                    .outerjoin(prints, prints.c.article_id == table.c.id)
                    .where(table.c.id.in_(chunk))).mappings()]
        return rows

    def article_meta(self, article_ids: list[str]) -> list[dict]:
        """id, publisher_id and published of the given articles (no text)."""
        table = Article.__table__
        rows = []
        with self.engine.connect() as conn:
            for chunk in _chunks(list(article_ids), 500):
                rows += [dict(r) for r in conn.execute(
                    select(table.c.id, table.c.publisher_id, table.c.published)
                    .where(table.c.id.in_(chunk))).mappings()]
        return rows

    def publishers_of(self, article_ids: list[str]) -> list[str]:
        """The distinct publishers of the given articles, sorted."""
        table = Article.__table__
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(list(article_ids), 500):
                found.update(r[0] for r in conn.execute(
                    select(table.c.publisher_id).where(table.c.id.in_(chunk),
                                                       table.c.publisher_id.is_not(None))
                    .distinct()))
        return sorted(found)

    def shingle_sets(self, article_ids: list[str]) -> dict[str, bytes]:
        """The packed shingle hashes (`fingerprint.shingles`) of the given articles."""
        found: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(article_ids)), 500):
                marks = ",".join("?" * len(chunk))
                found.update(conn.exec_driver_sql(
                    f"SELECT article_id, shingles FROM fingerprint WHERE article_id IN ({marks})",
                    tuple(chunk)).all())
        return found

    def outlet_shingles(self, outlet_id: str, limit: int) -> list[bytes]:
        """Packed shingle hashes of an outlet's latest current articles (as `outlet_texts`)."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT f.shingles FROM article a JOIN fingerprint f ON f.article_id = a.id "
                "WHERE a.publisher_id = ? AND a.is_current ORDER BY a.published DESC, a.id "
                "LIMIT ?", (outlet_id, limit))]

    def outlet_texts(self, outlet_id: str, limit: int) -> list[str]:
        """Texts of an outlet's latest current articles (for learning its boilerplate)."""
        rows = self.query(
            "SELECT text FROM article WHERE publisher_id = :o AND is_current "
            "ORDER BY published DESC, id LIMIT :n", {"o": outlet_id, "n": limit})
        return [r["text"] for r in rows]

    def replace_boilerplate(self, outlet_id: str, shingles: list[int], run_id: int) -> None:
        """Store an outlet's learnt boilerplate shingles, replacing what was learnt before."""
        table = Boilerplate.__table__
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.outlet_id == outlet_id))
            if shingles:
                signed = np.asarray(shingles, dtype=np.uint64).view(np.int64).tolist()
                conn.execute(table.insert(), [{"outlet_id": outlet_id, "shingle": v,
                                               "run_id": run_id} for v in signed])

    def boilerplate(self, outlet_ids: Iterable[str | None]) -> dict[str, np.ndarray]:
        """Learnt boilerplate shingles per outlet, as sorted uint64 arrays."""
        table = Boilerplate.__table__
        found: dict[str, list[int]] = {}
        wanted = sorted(o for o in set(outlet_ids) if o)
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, 500):
                for outlet, shingle in conn.execute(
                        select(table.c.outlet_id, table.c.shingle)
                        .where(table.c.outlet_id.in_(chunk))):
                    found.setdefault(outlet, []).append(shingle)
        return {o: np.sort(np.asarray(v, dtype=np.int64).view(np.uint64))
                for o, v in found.items()}

    def cited_outlets(self, article_ids: list[str]) -> dict[str, set[str]]:
        """Outlets each article cites (citations that count)."""
        table = CitationRow.__table__
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(article_ids), 500):
                for art, outlet in conn.execute(
                        select(table.c.article_id, table.c.outlet_id)
                        .where(table.c.article_id.in_(chunk), table.c.counts,
                               table.c.outlet_id.is_not(None))):
                    out.setdefault(art, set()).add(outlet)
        return out

    def wire_credits(self, article_ids: list[str]) -> dict[str, str]:
        """The agency each article credits for its whole text (wire credit or source box)."""
        table = CitationRow.__table__
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(article_ids), 500):
                rows = conn.execute(
                    select(table.c.article_id, table.c.outlet_id, table.c.kind)
                    .where(table.c.article_id.in_(chunk), table.c.outlet_id.is_not(None),
                           table.c.kind.in_(("wire_credit", "source_box")))
                    .order_by(table.c.article_id, table.c.kind.desc(), table.c.start))
                for art, outlet, _kind in rows:
                    out.setdefault(art, outlet)
        return out

    def pending_matches(self) -> list[str]:
        """Current articles stored but not yet compared with the archive."""
        with self.engine.connect() as conn:  # plain rows: there may be millions
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT p.article_id FROM pending_match p JOIN article a ON a.id = p.article_id "
                "AND a.is_current ORDER BY p.article_id")]

    def write_copy_edges(self, run_id: int, rows: list[dict], matched: list[str]) -> None:
        """Insert verified copy edges (replacing an earlier edge between the same two articles)
        and mark `matched` articles as compared, in one transaction."""
        table = CopyEdge.__table__
        pending = PendingMatch.__table__
        with self.engine.begin() as conn:
            for chunk in _chunks(matched, 500):
                conn.execute(delete(pending).where(pending.c.article_id.in_(chunk)))
            if not rows:
                return
            conn.exec_driver_sql(
                "DELETE FROM copy_edge WHERE (source_id = ? AND copy_id = ?) "
                "OR (source_id = ? AND copy_id = ?)",
                [(r["source_id"], r["copy_id"], r["copy_id"], r["source_id"]) for r in rows])
            conn.execute(table.insert(), [dict(r, run_id=run_id) for r in rows])

    def copy_edges(self, article_ids: list[str] | None = None) -> list[dict]:
        """Copy edges between current articles (touching `article_ids` if given)."""
        sql = ("SELECT e.* FROM copy_edge e JOIN article s ON s.id = e.source_id AND "
               "s.is_current JOIN article c ON c.id = e.copy_id AND c.is_current")
        if article_ids is None:
            rows = self.query(sql + " ORDER BY e.source_id, e.copy_id")
        else:
            rows = []
            for chunk in _chunks(list(article_ids), 400):
                marks = ",".join(f":p{i}" for i in range(len(chunk)))
                rows += self.query(sql + f" WHERE e.source_id IN ({marks}) OR e.copy_id IN "
                                   f"({marks})", {f"p{i}": v for i, v in enumerate(chunk)})
            rows = list({r["id"]: r for r in rows}.values())
        for row in rows:
            row["passages"] = json.loads(row["passages"])
        return rows

    def replace_stories(self, stories: list[dict], members: list[dict]) -> None:
        """Replace all stories and their memberships in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(StoryMember.__table__))
            conn.execute(delete(StoryRow.__table__))
            if stories:
                conn.execute(StoryRow.__table__.insert(), stories)
            if members:
                conn.execute(StoryMember.__table__.insert(), members)

    def replace_lineage(self, run_id: int, verdicts: dict[int, tuple[str, str]],
                        sources: list[dict], problems: list[str]) -> None:
        """Store copy verdicts, original sources and problems of a resolution, in one
        transaction (the previous resolution is replaced)."""
        with self.engine.begin() as conn:
            conn.execute(delete(ArticleSource.__table__))
            conn.execute(delete(ProvenanceProblem.__table__))
            if verdicts:
                conn.execute(text("UPDATE copy_edge SET verdict = :v, verdict_reason = :r "
                                  "WHERE id = :i"),
                             [{"v": v, "r": r, "i": i} for i, (v, r) in verdicts.items()])
            if sources:
                conn.execute(ArticleSource.__table__.insert(),
                             [dict(s, run_id=run_id) for s in sources])
            if problems:
                conn.execute(ProvenanceProblem.__table__.insert(),
                             [{"run_id": run_id, "message": m} for m in problems])

    def original_sources(self, article_ids: list[str] | None = None) -> list[dict]:
        """Stored original sources (of the given articles), in each article's order."""
        sql = "SELECT * FROM article_source"
        if article_ids is None:
            rows = self.query(sql + " ORDER BY article_id, rank")
        else:
            rows = []
            for chunk in _chunks(sorted(set(article_ids)), 500):
                marks = ",".join(f":p{i}" for i in range(len(chunk)))
                rows += self.query(sql + f" WHERE article_id IN ({marks}) "
                                   "ORDER BY article_id, rank",
                                   {f"p{i}": v for i, v in enumerate(chunk)})
        for row in rows:
            row["path"] = json.loads(row["path"])
        return rows

    def stories(self) -> list[dict]:
        """Stories with their members (article ids), largest first."""
        stories = self.query("SELECT * FROM story ORDER BY size DESC, id")
        members: dict[str, list[str]] = {}
        for row in self.query("SELECT story_id, article_id FROM story_member "
                              "ORDER BY story_id, article_id"):
            members.setdefault(row["story_id"], []).append(row["article_id"])
        for story in stories:
            story["members"] = members.get(story["id"], [])
        return stories

    def citations(self, article_ids: list[str] | None = None) -> list[dict]:
        """Citations of the given articles (default: all current articles), in text order."""
        table, art = CitationRow.__table__, Article.__table__
        stmt = (select(table).join(art, art.c.id == table.c.article_id)
                .order_by(table.c.article_id, table.c.zone != "body", table.c.start))
        if article_ids is None:
            stmt = stmt.where(art.c.is_current)
        with self.engine.connect() as conn:
            rows = []
            for chunk in _chunks(article_ids, 500) if article_ids is not None else [None]:
                query = stmt if chunk is None else stmt.where(table.c.article_id.in_(chunk))
                rows += [dict(r) for r in conn.execute(query).mappings().all()]
        return rows

    def current_articles(self) -> int:
        """How many current articles the archive holds."""
        return int(self.query("SELECT count(*) AS n FROM article WHERE is_current")[0]["n"])

    def count(self, table: str) -> int:
        """Row count of a table or view (for summaries and tests)."""
        if table not in SQLModel.metadata.tables and table not in VIEWS:
            raise ValueError(f"unknown table {table}")
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def query(self, sql: str, params: dict | None = None) -> list[dict]:
        """A read-only SQL query as dicts (for reports and tests)."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(sql), params or {}).mappings().all()]


def _insert(conn, table, rows: list[dict]) -> None:
    """Insert rows: a plain executemany when every row has the same columns, all of the table's
    but an autoincrement id (the hot path of a scan); else through SQLAlchemy (defaults)."""
    keys = rows[0].keys()
    generated = {c.name for c in table.primary_key.columns if isinstance(c.type, Integer)}
    if {c.name for c in table.columns} - set(keys) - generated \
            or any(r.keys() != keys for r in rows):
        conn.execute(table.insert(), rows)
        return
    names = list(keys)
    columns = ", ".join(f'"{n}"' for n in names)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join('?' * len(names))})",
        [tuple(r[n] for n in names) for r in rows])


# Row numbers 0..? for cutting `fingerprint.keys` into its fixed-width keys in SQL.
_KEY_NUMBERS = ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)")


def _drop_keys(conn, article_ids: list[str], width: int | None) -> None:
    """Remove the LSH keys of articles from `lsh_key` (their keys are in `fingerprint.keys`)."""
    if width is None:  # no keys in this batch to tell their width: find them by article
        for chunk in _chunks(article_ids, 500):
            conn.execute(delete(LshKey.__table__).where(LshKey.__table__.c.article_id.in_(chunk)))
        return
    for chunk in _chunks(article_ids, 500):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            f"SELECT article_id, keys FROM fingerprint WHERE article_id IN ({marks})",
            tuple(chunk)).all()
        keys = [(blob[i : i + width], article_id) for article_id, blob in rows
                for i in range(0, len(blob), width)]
        if keys:
            conn.exec_driver_sql("DELETE FROM lsh_key WHERE key = ? AND article_id = ?", keys)


def _on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _encode(row: dict, json_cols: tuple[str, ...]) -> dict:
    for col in json_cols:
        if col in row and not isinstance(row[col], str):
            row[col] = json.dumps(row[col] if row[col] is not None else [], ensure_ascii=False)
    return row


def _decode(row: dict, json_cols: tuple[str, ...]) -> dict:
    for col in json_cols:
        if isinstance(row.get(col), str):
            row[col] = json.loads(row[col])
    return row


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
