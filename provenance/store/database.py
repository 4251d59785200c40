"""The provenance database: opening a file (or memory), its pragmas, migration, and `Store`.

`Store` is composed of one part per area (`runs`, `articles`, `index`, `copies`); all of them
speak in the records of `provenance.records`, and `store.rows` maps those to table rows. Opening
an up-to-date database writes nothing, so read-only commands leave the file untouched; a file
that is not a provenance database, or of another schema version, is refused with a StoreError.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Connection, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

from provenance.config import SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB
from provenance.errors import SchemaVersionError, StoreError
from provenance.store.articles import ArticlesMixin
from provenance.store.base import describe_fault
from provenance.store.copies import CopiesMixin
from provenance.store.index import IndexMixin
from provenance.store.registry import RegistryMixin
from provenance.store.runs import RunsMixin
from provenance.store.schema import SCHEMA_VERSION
from provenance.store.views import VIEWS

log = logging.getLogger(__name__)

MEMORY = ":memory:"


class Store(RunsMixin, ArticlesMixin, IndexMixin, CopiesMixin, RegistryMixin):
    """A provenance database opened from a path, or in memory when the path is ':memory:'.

    Args:
        path: the SQLite file, or ":memory:" (the default, for tests).
        create: create the file when it does not exist (else a StoreError says to scan first).

    Raises:
        StoreError: the path cannot hold a database, or holds something else.
        SchemaVersionError: the database was written by an incompatible version.
    """

    def __init__(self, path: str | Path = MEMORY, create: bool = True):
        self.path = str(path)
        if self.path != MEMORY:
            _check_path(Path(self.path), create)
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
            raise StoreError(describe_fault(self.path, exc)) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool (the file stays consistent at every commit)."""
        self.engine.dispose()

    def _migrate(self) -> None:
        """Create missing tables and stale views; refuse other databases and other versions."""
        with self.engine.begin() as conn:
            tables = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table'"))}
            self._check_identity(conn, tables)
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

    def _check_identity(self, conn: Connection, tables: set[str]) -> None:
        """Refuse a SQLite file that is not a provenance database, or of another version."""
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


def _check_path(target: Path, create: bool) -> None:
    """Refuse a path that cannot hold a database, before SQLite makes an empty file there."""
    if not create and not target.exists():
        raise StoreError(
            f"no database at {target} (run `provenance scan` first, or use --db to "
            "point at an existing one)"
        )
    if target.is_dir():
        raise StoreError(f"{target} is a directory (use --db to name a database file)")
    if not target.parent.exists():
        raise StoreError(f"folder {target.parent} does not exist (create it or use --db)")


def _on_connect(dbapi_conn, _record) -> None:
    """Pragmas of every connection: page cache, foreign keys, WAL, and waiting for locks."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()
