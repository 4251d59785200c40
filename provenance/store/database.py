"""The provenance database: opening a file (or memory), its pragmas, migration, and `Store`.

`Store` is composed of one part per area (`runs`, `articles`, `index`, `copies`); all of them
speak in the records of `provenance.records`, and `store.rows` maps those to table rows. Opening
an up-to-date database writes nothing, so read-only commands leave the file untouched; a file
that is not a provenance database, or of another schema version, is refused with a StoreError.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import Connection, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

from provenance.config import SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB
from provenance.errors import SchemaVersionError, StoreError
from provenance.presentation import MAX_ARGUMENT_SHOWN
from provenance.store.articles import ArticlesMixin
from provenance.store.base import MEMORY, describe_fault
from provenance.store.copies import CopiesMixin
from provenance.store.index import IndexMixin
from provenance.store.registry import RegistryMixin
from provenance.store.runs import RunsMixin
from provenance.store.schema import SCHEMA_VERSION
from provenance.store.views import VIEWS

log = logging.getLogger(__name__)


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
        # `readonly`: the file or its folder cannot be written (a read-only mount, an
        # immutable file): the database is opened for reading, and a write fails as read-only
        self.readonly = False
        if self.path == MEMORY:
            self.engine = create_engine("sqlite://", connect_args={"check_same_thread": False},
                                        poolclass=StaticPool)
        else:
            _check_path(Path(self.path), create)
            uri = _readonly_uri(Path(self.path))
            self.readonly = uri is not None
            self.engine = create_engine(
                f"sqlite:///{self.path}", connect_args={"check_same_thread": False},
                **({"creator": functools.partial(_connect_uri, uri)} if uri else {}))
        event.listen(self.engine, "connect", _on_connect_readonly if self.readonly
                     else _on_connect)
        try:
            self._migrate_waiting()
        except DatabaseError as exc:
            raise StoreError(describe_fault(self.path, exc)) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool (the file stays consistent at every commit)."""
        self.engine.dispose()

    def _migrate_waiting(self) -> None:
        """`_migrate`, tried again while the file is locked, up to the busy timeout: while
        another process switches a new file to WAL or recovers its WAL, SQLite answers "database
        is locked" at once, without waiting in its busy handler."""
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return self._migrate()
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            self.engine.dispose()  # a fresh connection: its WAL switch is retried too
            time.sleep(0.05)

    def _migrate(self) -> None:
        """Create missing tables and stale views; refuse other databases and other versions.

        A database that is up to date is only read: read-only commands (check, show, graph,
        report) leave the file untouched. Otherwise the whole schema is created in one
        transaction that first takes the write lock (BEGIN IMMEDIATE): two processes creating
        a new database at once take turns (the second waits up to the busy timeout, then
        finds the tables there), and a process killed half-way leaves no half-made schema.
        """
        with self.engine.connect() as conn:
            if self._up_to_date(conn) or self.readonly:  # read-only: read what is there
                return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            if not self._up_to_date(conn):
                SQLModel.metadata.create_all(conn)  # checkfirst: only the missing ones
                conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES "
                                  "('schema_version', :v)"), {"v": str(SCHEMA_VERSION)})
                for name in self._stale_views(conn):
                    conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                    conn.execute(text(f"CREATE VIEW {name} AS {VIEWS[name]}"))
            conn.commit()

    def _up_to_date(self, conn: Connection) -> bool:
        """True when every table, view and the schema version are in place (refusing a file
        that is not a provenance database, or of another version)."""
        tables = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'"))}
        self._check_identity(conn, tables)
        if {t.name for t in SQLModel.metadata.sorted_tables} - tables:
            return False
        has_version = conn.execute(text(
            "SELECT 1 FROM meta WHERE key='schema_version'")).first() is not None
        return has_version and not self._stale_views(conn)

    @staticmethod
    def _stale_views(conn: Connection) -> list[str]:
        """The views that are missing or differ from `VIEWS`."""
        views = {r[0]: r[1] for r in conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type='view'"))}
        return [n for n, body in VIEWS.items() if views.get(n) != f"CREATE VIEW {n} AS {body}"]

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
    shown = _shorten(str(target))
    try:
        exists, is_dir, has_folder = target.exists(), target.is_dir(), target.parent.exists()
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise StoreError(f"cannot use {shown} as a database: {exc.strerror} (use --db to "
                         "name another file)") from None
    if not create and not exists:
        raise StoreError(
            f"no database at {shown} (run `provenance scan` first, or use --db to "
            "point at an existing one)"
        )
    if is_dir:
        raise StoreError(f"{shown} is a directory (use --db to name a database file)")
    if not has_folder:
        raise StoreError(f"folder {_shorten(str(target.parent))} does not exist (create it or "
                         "use --db)")
    if create and not exists and not os.access(target.parent, os.W_OK):
        raise StoreError(f"folder {_shorten(str(target.parent))} is read-only, so no database "
                         "can be created there (make it writable, or use --db to create the "
                         "database elsewhere)")


def _readonly_uri(target: Path) -> str | None:
    """The SQLite URI that opens an existing database read-only, or None when it is writable.

    A file that cannot be written in a writable folder is opened with ``mode=ro``. In a
    read-only folder SQLite cannot make the WAL's shared-memory file, so the database is opened
    ``immutable`` (nothing changes it there); a -wal file with changes the database lacks
    cannot be read that way, and is refused with what to do.
    """
    if not target.exists() or os.access(target, os.W_OK) and os.access(target.parent, os.W_OK):
        return None
    quoted = urllib.parse.quote(str(target.resolve()))
    if os.access(target.parent, os.W_OK):
        return f"file:{quoted}?mode=ro"
    wal = Path(f"{target}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"{_shorten(str(target))} is in a read-only folder and its -wal file "
                         "holds changes not yet in the database: copy the database and its "
                         "-wal file to a writable folder and use --db there")
    return f"file:{quoted}?immutable=1"


def _connect_uri(uri: str) -> sqlite3.Connection:
    """A connection to a database opened by URI (read-only)."""
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _shorten(path: str) -> str:
    """A path as quoted in a message: cut to `MAX_ARGUMENT_SHOWN` characters."""
    if len(path) <= MAX_ARGUMENT_SHOWN:
        return path
    return f"{path[:MAX_ARGUMENT_SHOWN]}... ({len(path)} characters)"


def _on_connect_readonly(dbapi_conn, _record) -> None:
    """Pragmas of a read-only connection: page cache and waiting for locks (no WAL switch)."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _on_connect(dbapi_conn, _record) -> None:
    """Pragmas of every connection: page cache, foreign keys, WAL, and waiting for locks."""
    cur = dbapi_conn.cursor()
    # first: switching a new file to WAL takes a lock another process may hold for a moment
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
