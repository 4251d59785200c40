"""Articles, their versions and citations: how a scan's batches are written and read back.

An article is identified by its source (`source_key`) and text: the same text from the same
source is `unchanged`, another text from a known source is a new version that retires the
previous one (`updated`), anything else is `new`. Each batch is one transaction, so an
interrupted scan resumes cleanly; the hot path uses plain executemany inserts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

from sqlalchemy import Select, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from provenance.config import MAX_REF_CHARS, FingerprintParams
from provenance.errors import NotFoundError, StoreError
from provenance.records import (
    COUNTING_KINDS,
    WHOLE_TEXT_KINDS,
    Article,
    Citation,
    InputProblem,
    Outlet,
    ReadFile,
)
from provenance.store import rows
from provenance.store.base import StoreBase, bulk_insert, describe_fault, rows_in
from provenance.store.index import drop_keys
from provenance.store.schema import (
    ArticleRow,
    CitationRow,
    FingerprintRow,
    InputErrorRow,
    InputFileRow,
    StoryMemberRow,
    TokenLayoutRow,
)

_ARTICLE = ArticleRow.__table__
_CITATION = CitationRow.__table__


def _citations_in_order() -> Select:
    """Citations (of current articles and earlier versions) in text order per article."""
    return (select(_CITATION).join(_ARTICLE, _ARTICLE.c.id == _CITATION.c.article_id)
            .order_by(_CITATION.c.article_id, _CITATION.c.zone != "body", _CITATION.c.start))


def _select_articles(with_text: bool) -> Select:
    """Articles with their story (and their text only if asked: it is most of a row)."""
    member = StoryMemberRow.__table__
    cols = [c for c in _ARTICLE.columns if with_text or c.name != "text"]
    return select(*cols, member.c.story_id.label("story")).outerjoin(
        member, member.c.article_id == _ARTICLE.c.id)


class ArticlesMixin(StoreBase):
    """Input files, articles and their versions, citations."""

    def known_file(self, key: str) -> int | None:
        """The article count of a file fully read before in this exact state, else None."""
        table = InputFileRow.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.n_articles).where(table.c.key == key)).first()
        return None if row is None else int(row[0])

    def read_before(self, files: list[tuple[str, str]]) -> list[tuple[int | None, str | None]]:
        """For each (state key, content slot) of a file: the article count of the file read
        before in that state (else None), and the content key its path was last read with
        (the slot is the key's path part, see `inputs.content_slot`; None: never read).
        One connection, one indexed lookup a file."""
        out = []
        with self.engine.connect() as conn, closing(conn.connection.driver_connection.cursor()
                                                     ) as cursor:
            for key, slot in files:
                found = cursor.execute(
                    "SELECT key, n_articles FROM input_file WHERE key = ? "
                    "OR (key > ? AND key < ?)", (key, f"{slot}:", f"{slot};")).fetchall()
                out.append((next((int(n) for k, n in found if k == key), None),
                            next((k for k, _ in found if k != key), None)))
        return out

    def known_content(self, content_key: str, state: ReadFile) -> int | None:
        """The article count of a file whose bytes were last read as `content_key` (see
        `inputs.content_key`), else None; when known, its present `state` is remembered too,
        so that the next scan skips the file without hashing it."""
        table = InputFileRow.__table__
        with self.engine.begin() as conn:
            row = conn.execute(select(table.c.n_articles, table.c.run_id)
                               .where(table.c.key == content_key)).first()
            if row is None:
                return None
            conn.execute(text(
                "INSERT OR REPLACE INTO input_file (key, path, size, n_articles, run_id) "
                "VALUES (:key, :path, :size, :n_articles, :run_id)"),
                rows.read_file_row(ReadFile(state.key, state.path, state.size, int(row[0])),
                                   int(row[1])))
        return int(row[0])

    def write_batch(self, run_id: int, articles: list[Article], problems: list[InputProblem],
                    files: list[ReadFile], outlets: list[Outlet]) -> list[str]:
        """Write one batch in one transaction; returns new/unchanged/updated per article."""
        statuses: list[str] = []
        try:
            with self.engine.begin() as conn:
                if outlets:
                    conn.execute(text(
                        "INSERT OR IGNORE INTO outlet (id, name, kind, country, domains, aliases,"
                        " origin) VALUES (:id, :name, :kind, :country, :domains, :aliases, "
                        ":origin)"), [rows.outlet_row(o, "discovered" if o.origin == "discovered"
                                                      else "input") for o in outlets])
                statuses = _write_articles(conn, run_id, articles)
                if problems:
                    conn.execute(InputErrorRow.__table__.insert(),
                                 [rows.problem_row(p, run_id) for p in problems])
                if files:
                    _forget_older_contents(conn, files)
                    conn.execute(text(
                        "INSERT OR REPLACE INTO input_file (key, path, size, n_articles, run_id) "
                        "VALUES (:key, :path, :size, :n_articles, :run_id)"),
                        [rows.read_file_row(f, run_id) for f in files])
        except OperationalError as exc:
            raise StoreError(describe_fault(self.path, exc)) from exc
        return statuses

    def articles(self, current_only: bool = True) -> list[Article]:
        """Articles with their metadata and story (not their text), in a stable order."""
        stmt = _select_articles(with_text=False).order_by(
            _ARTICLE.c.published.is_(None), _ARTICLE.c.published, _ARTICLE.c.external_id,
            _ARTICLE.c.id)
        if current_only:
            stmt = stmt.where(_ARTICLE.c.is_current)
        with self.engine.connect() as conn:
            return [rows.article_from_row(r) for r in conn.execute(stmt).mappings().all()]

    def article(self, article_id: str) -> Article:
        """One article with its text, zones, citations and story."""
        with self.engine.connect() as conn:
            row = conn.execute(_select_articles(with_text=True)
                               .where(_ARTICLE.c.id == article_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return rows.article_from_row(row, citations=tuple(self.citations([article_id])))

    def find_article(self, ref: str) -> Article:
        """The current article whose id, external id, url or path is `ref` (id prefixes work)."""
        table = _ARTICLE
        if len(ref) > MAX_REF_CHARS:
            raise NotFoundError(f"no article matches a reference of {len(ref)} characters "
                                f"(give an article id, external id, url or path of at most "
                                f"{MAX_REF_CHARS} characters)")
        conditions = (
            table.c.id == ref, table.c.external_id == ref, table.c.url == ref,
            table.c.canonical_url == ref, table.c.path == ref,
            table.c.source_key == f"file:{_resolved(ref)}",
            table.c.id.startswith(ref, autoescape=True) if len(ref) >= 6 else table.c.id == ref,
            # a file name alone ("harbour-brief.txt" for "fixtures/texts/harbour-brief.txt")
            table.c.path.endswith(f"/{ref}", autoescape=True),
        )
        with self.engine.connect() as conn:
            for cond in conditions:
                found = conn.execute(select(table.c.id).where(cond, table.c.is_current)).all()
                if len(found) == 1:
                    return self.article(found[0][0])
                if len(found) > 1:
                    raise NotFoundError(
                        f"{ref!r} matches {len(found)} articles (use the article id instead)")
        raise NotFoundError(
            f"no article matches {ref!r} (give an article id, external id, url or path; "
            "`provenance graph --format json` lists them)")

    def article_meta(self, article_ids: Iterable[str]) -> list[Article]:
        """The given articles with their metadata and story, without text."""
        stmt = _select_articles(with_text=False)
        with self.engine.connect() as conn:
            return [rows.article_from_row(r._mapping) for r in rows_in(
                conn, article_ids, lambda ids: stmt.where(_ARTICLE.c.id.in_(ids)))]

    def texts(self, article_ids: Iterable[str],
              params: FingerprintParams | None = None) -> list[Article]:
        """The given articles with their text; with `params`, with their stored sketch too
        (signature, shingle set and token layout, if any; no LSH keys)."""
        prints, layouts = FingerprintRow.__table__, TokenLayoutRow.__table__
        stmt = _select_articles(with_text=True)
        if params is not None:
            stmt = stmt.add_columns(
                prints.c.signature.label("fp_signature"), prints.c.shingles.label("fp_shingles"),
                prints.c.n_shingles.label("fp_n_shingles"), layouts.c.layout.label("fp_layout"),
            ).outerjoin(prints, prints.c.article_id == _ARTICLE.c.id).outerjoin(
                layouts, layouts.c.article_id == _ARTICLE.c.id)
        found = []
        with self.engine.connect() as conn:
            for r in rows_in(conn, article_ids, lambda ids: stmt.where(_ARTICLE.c.id.in_(ids))):
                row = r._mapping
                sketch = None
                if params is not None and row["fp_signature"] is not None:
                    sketch = rows.sketch_from_row(row["fp_signature"], row["fp_shingles"],
                                                  row["fp_n_shingles"], params,
                                                  row["fp_layout"])
                found.append(rows.article_from_row(row, sketch=sketch))
        return found

    def publishers_of(self, article_ids: Iterable[str]) -> list[str]:
        """The distinct publishers of the given articles, sorted."""
        table = _ARTICLE
        with self.engine.connect() as conn:
            return sorted({r[0] for r in rows_in(
                conn, article_ids, lambda ids: select(table.c.publisher_id).where(
                    table.c.id.in_(ids), table.c.publisher_id.is_not(None)).distinct())})

    def current_articles(self) -> int:
        """How many current articles the archive holds."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT count(*) FROM article WHERE is_current").scalar_one())

    # -- citations ----------------------------------------------------------------------------

    def citations(self, article_ids: Iterable[str] | None = None) -> list[Citation]:
        """Citations of the given articles (default: all current articles), in text order."""
        stmt = _citations_in_order()
        with self.engine.connect() as conn:
            if article_ids is None:
                found = conn.execute(stmt.where(_ARTICLE.c.is_current)).all()
            else:
                found = list(rows_in(conn, article_ids,
                                     lambda ids: stmt.where(_CITATION.c.article_id.in_(ids))))
        return [rows.citation_from_row(r._mapping) for r in found]

    def counting_citations(self) -> Iterator[Citation]:
        """The citations of current articles that count and name an outlet, in `citations()`
        order, streamed (what provenance resolution reads: a fraction of an archive's)."""
        with self.engine.connect() as conn:
            for r in conn.execute(_citations_in_order().where(_ARTICLE.c.is_current)):
                if r.kind in COUNTING_KINDS and r.outlet_id:
                    yield rows.citation_from_row(r._mapping)

    def cited_outlets(self, article_ids: Iterable[str]) -> dict[str, set[str]]:
        """Outlets each article cites (citations that count)."""
        table = _CITATION
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for art, outlet in rows_in(conn, article_ids, lambda ids: select(
                    table.c.article_id, table.c.outlet_id).where(
                    table.c.article_id.in_(ids), table.c.counts, table.c.outlet_id.is_not(None))):
                out.setdefault(art, set()).add(outlet)
        return out

    def wire_credits(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The agency each article credits for its whole text (wire credit or source box)."""
        table = _CITATION
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for art, outlet in rows_in(conn, article_ids, lambda ids: select(
                    table.c.article_id, table.c.outlet_id).where(
                    table.c.article_id.in_(ids), table.c.outlet_id.is_not(None),
                    table.c.kind.in_(sorted(WHOLE_TEXT_KINDS)))
                    .order_by(table.c.article_id, table.c.kind.desc(), table.c.start)):
                out.setdefault(art, outlet)
        return out


def _forget_older_contents(conn: Connection, files: list[ReadFile]) -> None:
    """Keep one content key per path (`<kind>:<path hash>:<content hash>`): bytes of a path
    that a later scan read differently are no longer what the archive holds, so when they come
    back they must be read again."""
    slots = [{"low": f"{slot}:", "high": f"{slot};", "key": file.key} for file in files
             if file.key.count(":") == 2 and (slot := file.key.rsplit(":", 1)[0])]
    if slots:  # one statement for the batch (executemany)
        conn.execute(text("DELETE FROM input_file WHERE key > :low AND key < :high "
                          "AND key != :key"), slots)


def _write_articles(conn: Connection, run_id: int, articles: list[Article]) -> list[str]:
    """Insert the new articles and versions of a batch; returns each article's status."""
    if not articles:
        return []
    current = _current_versions(conn, sorted({a.source_key for a in articles}))
    existing = {r[0] for r in rows_in(conn, [a.id for a in articles], lambda ids: select(
        _ARTICLE.c.id).where(_ARTICLE.c.id.in_(ids)))}
    inserts: list[tuple[Article, str | None]] = []
    retire: list[str] = []
    restore: list[str] = []  # an earlier version back (a file returned to a text read before)
    statuses: list[str] = []
    for art in articles:
        prev = current.get(art.source_key)
        if prev and (prev[0] == art.id or prev[1] == art.text_hash):
            statuses.append("unchanged")
            continue
        if prev:
            retire.append(prev[0])
        statuses.append("updated" if prev else "new")
        if art.id in existing:
            restore.append(art.id)
        else:
            inserts.append((art, prev[0] if prev else None))
            existing.add(art.id)
        current[art.source_key] = (art.id, art.text_hash)
    if inserts:
        _insert_articles(conn, run_id, inserts)
    final = {article_id for article_id, _ in current.values()}
    retire = [i for i in retire if i not in final]
    if retire:  # after the inserts: a version retired may be one of this batch (an id repeated)
        conn.execute(_ARTICLE.update().where(_ARTICLE.c.id.in_(retire)).values(is_current=False))
        drop_keys(conn, retire)
    restore = sorted({i for i in restore if i in final})
    if restore:  # current again, and compared with the archive again (its keys are re-indexed)
        conn.execute(_ARTICLE.update().where(_ARTICLE.c.id.in_(restore)).values(is_current=True))
        conn.exec_driver_sql("INSERT OR IGNORE INTO pending_match (article_id) VALUES (?)",
                             [(i,) for i in restore])
    return statuses


def _current_versions(conn: Connection, source_keys: list[str]) -> dict[str, tuple[str, str]]:
    """The current article (id, text hash) of each source that has one."""
    return {r.source_key: (r.id, r.text_hash) for r in rows_in(
        conn, source_keys, lambda keys: select(
            _ARTICLE.c.source_key, _ARTICLE.c.id, _ARTICLE.c.text_hash)
        .where(_ARTICLE.c.source_key.in_(keys), _ARTICLE.c.is_current))}


def _insert_articles(conn: Connection, run_id: int,
                     inserts: list[tuple[Article, str | None]]) -> None:
    """Insert articles with their citations and sketches, and queue them for the copy phase."""
    bulk_insert(conn, _ARTICLE, [rows.article_row(a, run_id, prev) for a, prev in inserts])
    citations = [rows.citation_row(c, a.id, run_id) for a, _ in inserts for c in a.citations]
    if citations:
        bulk_insert(conn, _CITATION, citations)
    sketched = [a for a, _ in inserts if a.sketch is not None]
    if sketched:
        # The keys go into `lsh_key` when the copy phase starts (index_pending_keys).
        conn.exec_driver_sql(
            "INSERT INTO fingerprint (article_id, recipe, signature, n_shingles, keys, "
            "shingles, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [rows.fingerprint_values(a.id, a.sketch, run_id) for a in sketched])
        layouts = [(a.id, a.sketch.layout) for a in sketched if a.sketch.layout]
        if layouts:  # the token layout, read when the article is verified (copies.layout)
            conn.exec_driver_sql("INSERT OR REPLACE INTO token_layout (article_id, layout) "
                                 "VALUES (?, ?)", layouts)
        conn.exec_driver_sql("INSERT INTO pending_match (article_id) VALUES (?)",
                             [(a.id,) for a in sketched])


def _resolved(ref: str) -> str:
    """`ref` as an absolute path (as scans record files), or itself when it cannot be one."""
    try:
        return str(Path(ref).resolve()) if ref else ref
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        return ref
