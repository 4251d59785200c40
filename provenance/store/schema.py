"""The sqlmodel tables of a provenance database (one SQLite file; see docs/schema.md).

Each class is one table, named `<Thing>Row` so that it never collides with the record of the same
thing in `provenance.records`; `store.rows` maps between the two.
"""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

# Bumped whenever a table changes shape; the store refuses a database of another version.
# 2: fingerprint.keys holds each article's LSH keys; lsh_key has no article index.
# 3: fingerprint.shingles holds each article's shingle hashes.
SCHEMA_VERSION = 3


class MetaRow(SQLModel, table=True):
    """Key/value facts about the database itself (schema version, creating tool version)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class RunRow(SQLModel, table=True):
    """One invocation of `provenance scan`: what ran, with which parameters, and what it did."""

    __tablename__ = "run"
    id: int | None = Field(default=None, primary_key=True)
    started_at: str
    finished_at: str | None = None
    status: str = "running"  # running | completed | interrupted | failed
    tool_version: str
    registry_version: str | None = None
    parameters: str = "{}"  # JSON: ScanConfig plus stage parameters
    counts: str = "{}"  # JSON: articles read/new/unchanged/updated/failed, by format and language


class OutletRow(SQLModel, table=True):
    """A publisher or cited source, from the registry or learnt from an input's domain."""

    __tablename__ = "outlet"
    id: str = Field(primary_key=True)
    name: str
    kind: str | None = None
    country: str | None = None
    state_affiliation: str | None = None
    domains: str = "[]"  # JSON list
    aliases: str = "[]"  # JSON list
    # registry | input (an unknown publisher seen in the data) | discovered (an outlet the
    # registry lacks, presented as one where an article cites it: `citations.discovery`)
    origin: str = "registry"
    registry_version: str | None = None


class RegistryFileRow(SQLModel, table=True):
    """An outlet registry file a scan read besides the packaged registry (``--outlets``), kept
    so that every later command on the database reads the same registry."""

    __tablename__ = "registry_file"
    id: int | None = Field(default=None, primary_key=True)  # the order files are read in
    name: str = Field(index=True)  # the file's absolute path when it was read
    digest: str = Field(unique=True)  # sha256 of the text
    version: str | None = None  # the file's "version"
    text: str  # the file as read (JSON)
    added_at: str


class ArticleRow(SQLModel, table=True):
    """One version of one article: its text, metadata and where it was read from."""

    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("source_key", "text_hash", name="uq_article_source_text"),
        Index("ix_article_current", "source_key", "is_current"),
    )
    id: str = Field(primary_key=True)  # content hash of source_key + text_hash
    source_key: str  # what identifies the source: JSONL id, WARC target URI, or resolved path
    external_id: str  # the JSONL id, else the path as given (plus #record for streams)
    path: str  # the input file as given on the command line or found in a directory
    record: str | None = None  # "line 12" in a JSONL file, "offset 5120" in a WARC
    format: str  # html | text | jsonl | warc
    url: str | None = Field(default=None, index=True)
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    description: str | None = None
    sitename: str | None = None
    publisher_id: str | None = Field(default=None, foreign_key="outlet.id", index=True)
    publisher_evidence: str | None = None  # how the publisher was resolved: url | sitename | ...
    published: str | None = Field(default=None, index=True)  # ISO 8601 (date or datetime, UTC)
    published_source: str | None = None  # input | manifest | html | warc-date
    language: str | None = None
    language_source: str | None = None  # input | html | detected
    text: str
    text_hash: str = Field(index=True)  # sha256 of the whitespace-normalised text
    n_chars: int
    zones: str = "[]"  # JSON list of {kind, text, start, end}
    first_run_id: int = Field(foreign_key="run.id")
    previous_id: str | None = Field(default=None, foreign_key="article.id")
    is_current: bool = True


class InputFileRow(SQLModel, table=True):
    """An input file fully read by some run; lets an interrupted scan resume without re-reading."""

    __tablename__ = "input_file"
    key: str = Field(primary_key=True)  # hash of resolved path, size, mtime and manifest entry
    path: str
    size: int
    n_articles: int
    run_id: int = Field(foreign_key="run.id")


class InputErrorRow(SQLModel, table=True):
    """A file or record that could not be read (severity error) or was read with a fallback."""

    __tablename__ = "input_error"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    path: str
    record: str | None = None
    kind: str  # unreadable | empty | binary | oversized | encoding | truncated | malformed | ...
    severity: str = "error"  # error (skipped) | warning (read, with a fallback)
    message: str


class CitationRow(SQLModel, table=True):
    """One named source in one article: who, how (kind, cue, rule), and where (offsets)."""

    __tablename__ = "citation"
    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(foreign_key="article.id", index=True)
    run_id: int = Field(foreign_key="run.id")
    outlet_id: str | None = Field(default=None, foreign_key="outlet.id", index=True)
    source_id: str | None = None  # a non-outlet source (sources.json id)
    source_name: str  # the name as written
    source_type: str  # outlet | authority | intelligence | think_tank | organisation
    kind: str  # claim_attribution | direct_quote | ... | image_credit | related_links | mention
    counts: bool  # whether it makes an article -> outlet `cites` edge
    cue: str | None = None
    zone: str = "body"  # body, or the zone kind the name was found in
    start: int  # offsets of the name in the article text (in the zone text for detached zones)
    end: int
    sentence: str
    sentence_start: int
    rule: str
    confidence: float
    relayed_by: str | None = None  # outlet that relayed this source ("Yonhap, citing KCNA")
    original: bool = False  # innermost source of a relay chain


class FingerprintRow(SQLModel, table=True):
    """The MinHash signature of an article, with the recipe that makes it comparable."""

    __tablename__ = "fingerprint"
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    recipe: str
    signature: bytes  # packed MinHash hash values (store.rows.pack_signature)
    n_shingles: int
    # The article's LSH keys, concatenated (fixed width): written with the article, added to
    # `lsh_key` in one sorted pass when the copy phase starts (random inserts into a large
    # index are what makes bulk loading slow), and used to delete them again.
    keys: bytes = b""
    # Its sorted shingle hashes (store.rows.pack_shingles): boilerplate learning and the
    # first test of a candidate pair read them instead of tokenising the text again.
    shingles: bytes = b""
    run_id: int = Field(foreign_key="run.id")


class TokenLayoutRow(SQLModel, table=True):
    """The token layout of an article's fingerprint (`copies.layout`): made at analysis, so
    that verifying its candidate pairs does not tokenise the text again. A table of its own
    (created in databases made before it): an article without a row is tokenised again."""

    __tablename__ = "token_layout"
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    layout: bytes


class LshKeyRow(SQLModel, table=True):
    """One LSH key (band of the signature, or pair of anchor shingles) of a current article.

    Looked up by key only; an article's own keys are in `fingerprint.keys`.
    """

    __tablename__ = "lsh_key"
    __table_args__ = ({"sqlite_with_rowid": False},)
    key: bytes = Field(primary_key=True)
    article_id: str = Field(primary_key=True)


class BoilerplateRow(SQLModel, table=True):
    """A shingle learnt as boilerplate of one outlet (footers, editor's notes, promos)."""

    __tablename__ = "boilerplate"
    __table_args__ = ({"sqlite_with_rowid": False},)
    outlet_id: str = Field(primary_key=True)
    shingle: int = Field(primary_key=True)  # the uint64 shingle hash stored as signed int64
    run_id: int


class CopyEdgeRow(SQLModel, table=True):
    """A verified copy relation: `copy_id` derives from `source_id` (or both are `similar`)."""

    __tablename__ = "copy_edge"
    __table_args__ = (UniqueConstraint("source_id", "copy_id", name="uq_copy_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    # the earlier article (looked up through uq_copy_pair, which starts with it: an index of
    # its own was one more to update per edge written)
    source_id: str = Field(foreign_key="article.id")
    copy_id: str = Field(foreign_key="article.id", index=True)  # the later one
    relation: str  # derived_from (directed by publication time) | similar (tie or undated)
    kind: str  # exact | near_duplicate | partial
    jaccard: float  # exact shingle Jaccard, boilerplate discounted
    jaccard_estimate: float  # from the MinHash signatures
    containment_copy_in_source: float  # share of the copy's shingles found in the source
    containment_source_in_copy: float
    coverage_copy: float  # share of the copy's text inside aligned passages
    coverage_source: float
    # JSON [[source_start, source_end, copy_start, copy_end, tokens]]; a passage revised
    # (joined across small edits) adds [..., similarity, true]
    passages: str = "[]"
    direction_basis: str  # published | tie | undated
    backdated: bool = False  # the copy is dated before its source (a credit line says so)
    verdict: str | None = None  # credited | uncredited | same_outlet (set by resolution)
    verdict_reason: str | None = None  # the citation that credits, what is not named, ...


class StoryRow(SQLModel, table=True):
    """A group of articles that are copies of one another, with its origin."""

    __tablename__ = "story"
    id: str = Field(primary_key=True)
    origin_article_id: str = Field(foreign_key="article.id")
    origin_outlet_id: str | None = None  # publisher of the origin article
    upstream_outlet_id: str | None = None  # the wire the origin credits, else its publisher
    size: int
    run_id: int = Field(foreign_key="run.id")


class StoryMemberRow(SQLModel, table=True):
    """Membership of an article in a story."""

    __tablename__ = "story_member"
    story_id: str = Field(primary_key=True, foreign_key="story.id")
    article_id: str = Field(primary_key=True, foreign_key="article.id", index=True)


class PendingMatchRow(SQLModel, table=True):
    """A stored article not yet compared with the archive (cleared when its edges are written)."""

    __tablename__ = "pending_match"
    article_id: str = Field(primary_key=True, foreign_key="article.id")


class ArticleSourceRow(SQLModel, table=True):
    """An original source of an article: the outlet at the end of an upstream path."""

    __tablename__ = "article_source"
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    outlet_id: str = Field(primary_key=True)
    reason: str  # text_origin | cited_source | own_reporting
    rank: int  # order in the article's list (text origins first)
    path: str = "[]"  # JSON list of steps {relation, source, target, evidence}
    run_id: int = Field(foreign_key="run.id")


class ProvenanceProblemRow(SQLModel, table=True):
    """Something provenance resolution met and could not settle (cycles, backdated copies)."""

    __tablename__ = "provenance_problem"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    message: str
