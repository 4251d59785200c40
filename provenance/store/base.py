"""What every part of the store shares: the engine, id lists read in slices, bulk inserts.

SQLite caps the parameters of a statement, so any question about a list of ids is asked one
`IN (...)` list at a time; `rows_in` and `execute_in` are the one place that slices them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Table, text
from sqlalchemy.engine import Connection, CursorResult, Engine, Row
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from provenance.config import SQLITE_IN_LIST
from provenance.store.views import VIEWS

# A statement over one slice of keys: SQL text in which each `{marks}` stands for the slice's
# `?` placeholders (the slice is bound once for each), or a function that builds a SQLAlchemy
# statement from the slice.
Sliced = str | Callable[[list], Any]


# The path of a database in memory (one connection, seen by this process only).
MEMORY = ":memory:"

# What the database driver raises when the file system or the file itself fails a write or a
# read (disk full, read-only file or folder, a damaged file, another process holding a lock).
DATABASE_FAULTS = (DBAPIError, sqlite3.Error)
_FAULT_HINTS = (
    ("disk is full", "free some space, or use --db to write elsewhere"),
    ("disk i/o error", "the disk may be full or failing: free some space, check the disk, or "
                       "use --db to write elsewhere"),
    ("readonly", "the file, its -wal and -shm files or its folder are read-only: make them "
                 "writable, or use --db to write elsewhere"),
    ("unable to open", "the file or its folder cannot be opened: check the path and its "
                       "permissions, or use --db"),
    ("locked", "another process holds the database: wait for it, or use --db"),
    ("malformed", "the file is damaged: restore it from a copy, or use --db to start a new one"),
)


def describe_fault(path: str, exc: BaseException) -> str:
    """A user's message for a database fault: what failed and what to do."""
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "not a database" in reason:
        return f"{path} is not a SQLite database ({reason}); use --db to choose another file"
    hint = next((h for key, h in _FAULT_HINTS if key in reason.lower()),
                "check the disk and the file's permissions, or use --db to write elsewhere")
    return f"the database {path} failed: {reason} ({hint})"


def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slices(items: Sequence, size: int = SQLITE_IN_LIST) -> Iterator[list]:
    """`items` in consecutive lists of at most `size`."""
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _per_slice(conn: Connection, keys: Iterable, statement: Sliced,
               size: int) -> Iterator[CursorResult]:
    """Execute `statement` for each slice of `keys`; yields each result."""
    keys = list(keys)
    if not isinstance(statement, str):
        for chunk in slices(keys, size):
            yield conn.execute(statement(chunk))
        return
    lists = max(1, statement.count("{marks}"))
    for chunk in slices(keys, max(1, size // lists)):
        sql = statement.replace("{marks}", ",".join("?" * len(chunk)))
        yield conn.exec_driver_sql(sql, tuple(chunk) * lists)


def rows_in(conn: Connection, keys: Iterable, statement: Sliced,
            size: int = SQLITE_IN_LIST) -> Iterator[Row]:
    """The rows `statement` returns for all `keys`, one IN list of at most `size` at a time."""
    for result in _per_slice(conn, keys, statement, size):
        yield from result


def execute_in(conn: Connection, keys: Iterable, statement: Sliced,
               size: int = SQLITE_IN_LIST) -> None:
    """Run a writing `statement` for all `keys`, one IN list of at most `size` at a time."""
    for _ in _per_slice(conn, keys, statement, size):
        pass


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
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


class StoreBase:
    """The engine and path that every part of the store works through, and generic reads."""

    path: str
    engine: Engine

    def count(self, table: str) -> int:
        """Row count of a table or view (for summaries and tests)."""
        if table not in SQLModel.metadata.tables and table not in VIEWS:
            raise ValueError(f"unknown table {table}")
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def query(self, sql: str, params: dict | None = None) -> list[dict]:
        """A read-only SQL query as dicts (for auditors and tests, not for product modules)."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(sql), params or {}).mappings().all()]
