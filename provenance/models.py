"""The sqlmodel tables of a provenance database (one SQLite file; see docs/schema.md)."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

# Bumped whenever a table changes shape; the store refuses a database of another version.
SCHEMA_VERSION = 1


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself (schema version, creating tool version)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Run(SQLModel, table=True):
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


class Outlet(SQLModel, table=True):
    """A publisher or cited source, from the registry or learnt from an input's domain."""

    __tablename__ = "outlet"
    id: str = Field(primary_key=True)
    name: str
    kind: str | None = None
    country: str | None = None
    state_affiliation: str | None = None
    domains: str = "[]"  # JSON list
    aliases: str = "[]"  # JSON list
    origin: str = "registry"  # registry | input (an unknown publisher seen in the data)
    registry_version: str | None = None


class Article(SQLModel, table=True):
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


class InputFile(SQLModel, table=True):
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
