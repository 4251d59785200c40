"""The persistent copy index: LSH keys, stored fingerprints, learnt boilerplate, pending articles.

A scan writes each article's fingerprint (signature, its LSH keys concatenated, its shingle set)
with the article and queues it in `pending_match`; the copy phase then adds the queued keys to
`lsh_key` in one sorted pass and asks for the buckets they share. The index is large, so these
queries use plain driver SQL and read rows as tuples.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from provenance.config import (
    ANCHOR_PREFIX,
    CONTENT_PREFIX,
    KEY_BYTES,
    SINGLE_PREFIX,
    SQLITE_IN_LIST,
    SQLITE_SORT_THREADS,
    FingerprintParams,
)
from provenance.records import Article, Sketch
from provenance.store import rows
from provenance.store.base import MEMORY, StoreBase, rows_in, slices
from provenance.store.schema import BoilerplateRow

# Row numbers 0..? for cutting `fingerprint.keys` into its fixed-width keys in SQL.
_KEY_NUMBERS = ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)")
# Articles awaiting comparison, with their fingerprints.
_PENDING = ("FROM pending_match p JOIN article a ON a.id = p.article_id AND a.is_current "
            "JOIN fingerprint f ON f.article_id = p.article_id")
_EMPTY = np.zeros(0, dtype=np.uint64)
# How many articles hold a key, counted up to a limit; and the articles holding each of some
# keys (bound as (key, number) pairs), by the key's number.
_BUCKET_SIZE = "SELECT count(*) FROM (SELECT 1 FROM lsh_key WHERE key = ? LIMIT ?)"
_HOLDERS = ("WITH k(key, n) AS (VALUES {values}) SELECT l.article_id, k.n "
            "FROM k JOIN lsh_key l ON l.key = k.key")
# The articles holding keys of buckets of at most {max} articles, with how many of them.
_SHARING = ("SELECT article_id, count(*) FROM lsh_key WHERE key IN (SELECT key FROM lsh_key "
            "WHERE key IN ({marks}) GROUP BY key HAVING count(*) <= {max}) GROUP BY article_id")
# An article as verifying a pair needs it: its text only when it has no token layout.
_PAIR_ARTICLES = (
    "SELECT a.id, a.source_key, a.external_id, a.path, a.record, a.format, "
    "CASE WHEN t.layout IS NULL THEN a.text ELSE '' END, a.text_hash, a.n_chars, "
    "a.publisher_id, a.published, f.signature, f.n_shingles, t.layout, "
    "CASE WHEN t.layout IS NULL THEN NULL ELSE f.shingles END "
    "FROM article a LEFT JOIN fingerprint f ON f.article_id = a.id "
    "LEFT JOIN token_layout t ON t.article_id = a.id WHERE a.id IN ({marks})")


def driver_rows_in(conn: Connection, keys: Iterable, sql: str) -> Iterator[tuple]:
    """The rows of `sql` for all `keys` (one `IN ({marks})` list at a time), as plain tuples
    straight from the driver: the copy phase reads hundreds of thousands of rows, and a
    SQLAlchemy row costs several times what the driver's does."""
    raw = conn.connection.driver_connection
    for chunk in slices(sorted(set(keys)), SQLITE_IN_LIST):
        yield from raw.execute(sql.replace("{marks}", ",".join("?" * len(chunk))), chunk)


def drop_keys(conn: Connection, article_ids: list[str]) -> None:
    """Remove the LSH keys of articles from `lsh_key` (their keys are in `fingerprint.keys`)."""
    found = list(rows_in(conn, article_ids,
                         "SELECT article_id, keys FROM fingerprint WHERE article_id IN ({marks})"))
    keys = [(blob[i : i + KEY_BYTES], article_id) for article_id, blob in found
            for i in range(0, len(blob), KEY_BYTES)]
    if keys:
        conn.exec_driver_sql("DELETE FROM lsh_key WHERE key = ? AND article_id = ?", keys)


# The keys only `check` reads (content and single-anchor keys: more than half of them), and
# the rest, which the copy phase looks up: the two passes of `indexing_pending_keys`.
_CHECK_ONLY = f"(x'{CONTENT_PREFIX:02X}', x'{SINGLE_PREFIX:02X}')"
_PART = {None: "", "check": f"AND substr(f.keys, n.i * ? + 1, 1) IN {_CHECK_ONLY}",
         "match": f"AND substr(f.keys, n.i * ? + 1, 1) NOT IN {_CHECK_ONLY}"}


def _index_pending(conn: Connection, key_bytes: int, part: str | None = None) -> int:
    """`IndexMixin.index_pending_keys` on a connection in a transaction: all the keys of the
    articles awaiting comparison, or one `_PART` of them; returns how many keys they hold."""
    longest, total = conn.exec_driver_sql(
        f"SELECT coalesce(max(length(f.keys)), 0), coalesce(sum(length(f.keys)), 0) "
        f"{_PENDING}").one()
    if longest:
        # the sort in parallel, but for the second pass, which runs beside the copy phase
        threads = 0 if part == "check" else SQLITE_SORT_THREADS
        conn.exec_driver_sql(f"PRAGMA threads = {threads}")
        try:
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO lsh_key (key, article_id) "
                f"{_KEY_NUMBERS} SELECT substr(f.keys, n.i * ? + 1, ?), f.article_id "
                f"{_PENDING} CROSS JOIN n WHERE n.i < length(f.keys) / ? {_PART[part]} "
                "ORDER BY 1, 2", (longest // key_bytes, key_bytes, key_bytes, key_bytes,
                                  *((key_bytes,) if part else ())))
        finally:
            conn.exec_driver_sql("PRAGMA threads = 0")
    return total // key_bytes


class Indexing:
    """The keys indexed by `IndexMixin.indexing_pending_keys` (how many, in how many seconds
    of its own), where its two passes are, and how to stop it."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._cancelled = False
        self.matched = threading.Event()  # the copy phase's keys are in (or the index ended)
        self.go_on = threading.Event()  # the keys only `check` reads may take the lock
        self.done = threading.Event()

    def start(self, connection: sqlite3.Connection | None) -> bool:
        """Whether to index on `connection` (False: cancelled first); `cancel` interrupts it
        (None: the index is between statements, and nothing is interrupted)."""
        with self._lock:
            self._connection = connection
            return not self._cancelled

    def cancel(self) -> None:
        """Stop the index: before it starts, or by interrupting its statement."""
        with self._lock:
            self._cancelled = True
            self.go_on.set()
            if self._connection is not None:
                self._connection.interrupt()

    def match_keys(self) -> None:
        """Wait until the keys the copy phase looks up are indexed (an error is raised)."""
        self.matched.wait()
        self._raise()

    def check_keys(self) -> None:
        """Let the second pass start: it holds the write lock until `finished`."""
        self.go_on.set()

    def finished(self) -> bool:
        """Whether both passes are done (an error is raised)."""
        self._raise()
        return self.done.is_set()

    def wait(self) -> None:
        """Let the second pass start and wait for it (an error is raised)."""
        self.go_on.set()
        self.done.wait()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


class IndexMixin(StoreBase):
    """LSH keys and buckets, same-text pairs, stored shingle sets, boilerplate, pending work."""

    def pending_matches(self) -> list[str]:
        """Current articles stored but not yet compared with the archive."""
        with self.engine.connect() as conn:  # plain rows: there may be millions
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT p.article_id FROM pending_match p JOIN article a ON a.id = p.article_id "
                "AND a.is_current ORDER BY p.article_id")]

    def index_pending_keys(self, key_bytes: int) -> int:
        """Add the LSH keys of the articles awaiting comparison to `lsh_key`; returns how many.

        One sorted pass: inserting each batch's keys at random places of a large index costs
        a page write per key, which is what made bulk loading slow. Repeating it is harmless.
        """
        with self.engine.begin() as conn:
            return _index_pending(conn, key_bytes)

    @contextmanager
    def indexing_pending_keys(self, key_bytes: int) -> Iterator[Indexing]:
        """`index_pending_keys` while the body runs: on a connection of its own, in a thread
        (SQLite sorts and writes the keys in C, without Python's lock, so the body runs on
        another core meanwhile), in two passes. The first indexes the keys the copy phase
        looks up (`Indexing.match_keys` waits for it); the second, once the body lets it
        (`Indexing.check_keys`), those only `check` reads. Each pass holds the database's
        write lock until it is done: the body writes nothing while one runs (`finished`,
        `wait`). Leaving the body waits for the index; an error of the index is raised there,
        an error of the body interrupts the index (the pass's transaction is rolled back:
        repeating it is harmless) and is raised. A database in memory has one connection: its
        keys are indexed before the body runs."""
        job = Indexing()
        if self.path == MEMORY:
            started = time.perf_counter()
            job.count = self.index_pending_keys(key_bytes)
            job.seconds = time.perf_counter() - started
            for event in (job.matched, job.go_on, job.done):
                event.set()
            yield job
            return
        thread = threading.Thread(target=self._index_job, args=(job, key_bytes),
                                  name="provenance-index", daemon=True)
        thread.start()
        try:
            yield job
        except BaseException:
            job.cancel()
            thread.join()
            raise
        job.go_on.set()
        thread.join()
        job.wait()  # raises the index's error

    def _index_job(self, job: Indexing, key_bytes: int) -> None:
        """The two passes of `indexing_pending_keys`, in its thread, into `job`."""
        try:
            for part in ("match", "check"):
                if part == "check":
                    job.go_on.wait()
                started = time.perf_counter()
                with self.engine.begin() as conn:
                    if not job.start(conn.connection.driver_connection):
                        break
                    job.count = _index_pending(conn, key_bytes, part)
                job.start(None)  # the connection goes back to the pool: no longer interrupted
                job.seconds += time.perf_counter() - started
                job.matched.set()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for it
            job.error = exc
        finally:
            job.matched.set()
            job.done.set()

    def shared_buckets(self, max_bucket: int) -> Iterator[tuple[int, list[str] | None]]:
        """(size, articles) of each LSH bucket of the archive that at least 2 articles hold, in
        key order; the articles are None for a bucket of more than `max_bucket` (a key shared
        by that many is a stock phrase or boilerplate: counted, never read). The keys only
        `check` reads (single-anchor and content keys) are left out."""
        # two ranges of the key order: the keys of check only (prefixes between) are never read
        part = ("SELECT count(*), CASE WHEN count(*) <= ? THEN group_concat(article_id, ' ') "
                "END FROM lsh_key WHERE key {} ? GROUP BY key HAVING count(*) >= 2")
        sql = part.format("<") + " UNION ALL " + part.format(">=")
        params = (max_bucket, min(bytes((SINGLE_PREFIX,)), bytes((CONTENT_PREFIX,))),
                  max_bucket, bytes((ANCHOR_PREFIX,)))
        with self.engine.connect() as conn:  # plain driver rows: one per shared bucket
            for size, found in conn.connection.driver_connection.execute(sql, params):
                yield size, None if found is None else found.split(" ")

    def same_text_groups(self) -> list[list[str]]:
        """The current articles of each text hash that two or more hold (a family of exact
        copies, however large, is one group)."""
        with self.engine.connect() as conn:
            # the hashes held twice are found on the index alone (the rows hold the texts)
            return [found.split(" ") for (found,) in conn.exec_driver_sql(
                "SELECT group_concat(id, ' ') FROM article WHERE is_current AND text_hash IN "
                "(SELECT text_hash FROM article GROUP BY text_hash HAVING count(*) >= 2) "
                "GROUP BY text_hash HAVING count(*) >= 2")]

    def same_text_pairs(self, article_ids: Iterable[str]) -> list[tuple[str, str]]:
        """Pairs of current articles with the same text hash, one side in `article_ids`."""
        with self.engine.connect() as conn:
            return [(a, b) for a, b in rows_in(
                conn, article_ids,
                "SELECT a.id AS a, b.id AS b FROM article a JOIN article b "
                "ON b.text_hash = a.text_hash AND b.id != a.id AND b.is_current "
                "WHERE a.is_current AND a.id IN ({marks})")]

    def articles_sharing_keys(self, keys: Iterable[bytes], max_bucket: int) -> dict[str, int]:
        """Current articles that share LSH keys with a text outside the archive (a draft), with
        the number of keys shared; buckets above `max_bucket` articles are skipped."""
        shared: dict[str, int] = {}
        with self.engine.connect() as conn:
            for article_id, count in driver_rows_in(conn, keys, _SHARING.replace(
                    "{max}", str(int(max_bucket)))):
                shared[article_id] = shared.get(article_id, 0) + count
        return shared

    def rare_key_holders(self, keys: Iterable[bytes], max_bucket: int, limit: int
                         ) -> tuple[dict[bytes, int], list[bytes], dict[str, int]]:
        """The size of each of `keys`' buckets that the index holds (counted up to
        `max_bucket` + 1 only: a common word's bucket may be huge); the `limit` keys of the
        fewest articles up to `max_bucket` (sorted); and each article holding some of those,
        with which, as a bit mask (bit i: the i-th key; a check's rare content words may be
        held by thousands of articles, read as plain rows)."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            counts: dict[bytes, int] = {}
            for key in sorted(set(keys)):
                (count,) = raw.execute(_BUCKET_SIZE, (key, max_bucket + 1)).fetchone()
                if count:
                    counts[key] = count
            read = sorted(sorted((k for k in counts if counts[k] <= max_bucket),
                                 key=lambda k: (counts[k], k))[:limit])
            holders: dict[str, int] = {}
            if read:  # every (article, key number) pair: OR-ed here, cheaper than GROUP BY
                numbered = [v for i, key in enumerate(read) for v in (key, i)]
                for article_id, i in raw.execute(_HOLDERS.replace(
                        "{values}", ",".join(["(?, ?)"] * len(read))), numbered):
                    holders[article_id] = holders.get(article_id, 0) | 1 << i
        return counts, read, holders

    def articles_with_text_hash(self, digest: str) -> list[str]:
        """Current articles whose whitespace-normalised text has this hash."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM article WHERE text_hash = ? AND is_current ORDER BY id",
                (digest,))]

    def shingle_sets(self, article_ids: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored shingle sets (sorted uint64 hashes) of the given articles."""
        with self.engine.connect() as conn:
            return {article_id: rows.unpack_shingles(blob) for article_id, blob in driver_rows_in(
                conn, article_ids,
                "SELECT article_id, shingles FROM fingerprint WHERE article_id IN ({marks})")}

    def publishers(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The publisher of each of the given articles (None when unknown)."""
        with self.engine.connect() as conn:
            return dict(driver_rows_in(
                conn, article_ids, "SELECT id, publisher_id FROM article WHERE id IN ({marks})"))

    def published_of(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The publication time (ISO text, None when unknown) of each of the given articles."""
        with self.engine.connect() as conn:
            return dict(driver_rows_in(
                conn, article_ids, "SELECT id, published FROM article WHERE id IN ({marks})"))

    def pair_articles(self, article_ids: Iterable[str], params: FingerprintParams
                      ) -> list[Article]:
        """The given articles as verifying and directing a candidate pair needs them: text hash,
        publisher, publication time, stored signature and, with its shingle set, the token
        layout made at analysis (`copies.layout`), or else the text (the other metadata and
        the zones are not read)."""
        found = []
        with self.engine.connect() as conn:
            for row in driver_rows_in(conn, article_ids, _PAIR_ARTICLES):
                (article_id, key, external, path, record, fmt, text, text_hash, n_chars,
                 publisher, published, signature, n_shingles, layout, shingles) = row
                sketch = None if signature is None else Sketch(
                    params, rows.unpack_signature(signature, params), [],
                    rows.unpack_shingles(shingles) if layout else _EMPTY, n_shingles,
                    layout or b"")
                found.append(Article(
                    id=article_id, source_key=key, external_id=external, path=path,
                    record=record, format=fmt, n_chars=n_chars, text_hash=text_hash, text=text,
                    publisher_id=publisher, published=published, sketch=sketch))
        return found

    def outlet_shingles(self, outlet_id: str, limit: int) -> list[np.ndarray]:
        """The shingle sets of an outlet's latest current articles (to learn its boilerplate)."""
        with self.engine.connect() as conn:
            return [rows.unpack_shingles(r[0]) for r in conn.exec_driver_sql(
                "SELECT f.shingles FROM article a JOIN fingerprint f ON f.article_id = a.id "
                "WHERE a.publisher_id = ? AND a.is_current ORDER BY a.published DESC, a.id "
                "LIMIT ?", (outlet_id, limit))]

    def recent_shingles(self, limit: int) -> list[tuple[str, str | None, np.ndarray]]:
        """(id, publisher, shingle set) of the archive's latest current articles (to learn the
        passages that recur across outlets); the order does not depend on when they came in."""
        with self.engine.connect() as conn:
            return [(r[0], r[1], rows.unpack_shingles(r[2])) for r in conn.exec_driver_sql(
                "SELECT a.id, a.publisher_id, f.shingles FROM article a "
                "JOIN fingerprint f ON f.article_id = a.id WHERE a.is_current "
                "ORDER BY a.published DESC, a.id LIMIT ?", (limit,))]

    def outlet_compared_shingles(self, outlet_id: str) -> dict[str, np.ndarray]:
        """The shingle sets of an outlet's current articles already compared with the archive
        (when its boilerplate changes, those holding a changed shingle are compared again)."""
        with self.engine.connect() as conn:
            return {r[0]: rows.unpack_shingles(r[1]) for r in conn.exec_driver_sql(
                "SELECT a.id, f.shingles FROM article a JOIN fingerprint f ON f.article_id = a.id "
                "WHERE a.publisher_id = ? AND a.is_current AND a.id NOT IN "
                "(SELECT article_id FROM pending_match)", (outlet_id,))}

    def requeue_matches(self, article_ids: Iterable[str]) -> None:
        """Queue compared articles for comparison again, without their copy edges: what they
        were compared with has changed (their outlet's learnt boilerplate)."""
        ids = sorted(set(article_ids))
        with self.engine.begin() as conn:
            for chunk in (ids[i:i + SQLITE_IN_LIST // 2]
                          for i in range(0, len(ids), SQLITE_IN_LIST // 2)):
                marks = ", ".join("?" * len(chunk))
                conn.exec_driver_sql(f"DELETE FROM copy_edge WHERE source_id IN ({marks}) "
                                     f"OR copy_id IN ({marks})", (*chunk, *chunk))
                conn.exec_driver_sql("INSERT OR IGNORE INTO pending_match (article_id) VALUES (?)",
                                     [(i,) for i in chunk])

    def replace_boilerplate(self, outlet_id: str, shingles: Iterable[int] | np.ndarray,
                            run_id: int) -> None:
        """Store an outlet's learnt boilerplate shingles, replacing what was learnt before."""
        table = BoilerplateRow.__table__
        signed = rows.signed_shingles(shingles)
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.outlet_id == outlet_id))
            if signed:
                conn.execute(table.insert(), [{"outlet_id": outlet_id, "shingle": v,
                                               "run_id": run_id} for v in signed])

    def boilerplate(self, outlet_ids: Iterable[str | None]) -> dict[str, np.ndarray]:
        """Learnt boilerplate shingles per outlet, as sorted uint64 arrays."""
        table = BoilerplateRow.__table__
        found: dict[str, list[int]] = {}
        with self.engine.connect() as conn:
            for outlet, shingle in rows_in(
                    conn, sorted(o for o in set(outlet_ids) if o), lambda chunk: select(
                        table.c.outlet_id, table.c.shingle).where(table.c.outlet_id.in_(chunk))):
                found.setdefault(outlet, []).append(shingle)
        return {o: rows.unsigned_shingles(v) for o, v in found.items()}
