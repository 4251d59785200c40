"""The typed records that cross the stages of the pipeline.

Every stage takes and returns these frozen dataclasses; only the store (`provenance.store`) maps
them to and from table rows, so a change to a table touches the store alone. Offsets (`start`,
`end`, passages) are character offsets into `Article.text`.

    inputs  -> RawRecord, InputProblem, SourceFile, FileDone   (provenance.inputs)
    extract -> Extracted with Zone
    analyse -> Article (with its Citations and Sketch)
    copies  -> CopyEdge with Passages, Story
    lineage -> Origin (with Steps), Verdict
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import numpy as np

    from provenance.config import FingerprintParams

# Citation kinds (docs/schema.md, `citation.kind`). Only the counting kinds make an article ->
# outlet edge.
CITATION_KINDS = ("claim_attribution", "direct_quote", "report_reference", "relay", "source_box",
                  "wire_credit", "image_credit", "related_links", "mention")
COUNTING_KINDS = frozenset(CITATION_KINDS) - {"image_credit", "related_links", "mention"}
# Kinds that credit a whole text to an outlet (a wire line, a source box).
WHOLE_TEXT_KINDS = frozenset({"wire_credit", "source_box"})
# Copy-edge verdicts: the copy names the outlet it copies from (or the wire behind it); it does
# not; or copy and source have the same publisher (an outlet reusing its own text).
VERDICTS = ("credited", "uncredited", "same_outlet")


@dataclass(frozen=True)
class Zone:
    """A part of a page that is not body prose: a caption, an image credit, a byline, a box.

    `start`/`end` locate the zone in the article text when the text holds it, else None.
    """

    kind: str  # title | byline | dateline | caption | image_credit | related_links | source_box
    text: str  # | footer
    start: int | None = None
    end: int | None = None
    # The zone detector's rule that found it in plain text ("image.line"); None for a zone read
    # from page markup. Citation extraction runs the detector again, with the registry, instead
    # of reading zones that have a rule.
    rule: str | None = None


@dataclass(frozen=True)
class Outlet:
    """A publisher or cited source: from the registry, or learnt from an input's domain."""

    id: str
    name: str
    kind: str | None = None
    country: str | None = None
    state_affiliation: str | None = None
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    relay_of: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()  # longer names that are not this outlet ("Vox Populi")
    parent: str | None = None  # the network this outlet is part of (tagesschau -> ard)
    languages: tuple[str, ...] = ()  # ISO 639-1 codes it publishes in
    default_for: tuple[str, ...] = ()  # shared names that mean it when context cannot choose
    # registry | input (an unknown publisher seen in the data) | discovered (an outlet the
    # registry lacks, presented as one where an article cites it: `citations.discovery`)
    origin: str = "registry"

    @property
    def label(self) -> str:
        """The name to show: a discovered outlet says so ("Lesotho Times (discovered)")."""
        return f"{self.name} (discovered)" if self.origin == "discovered" else self.name

    def to_dict(self) -> dict[str, Any]:
        """The outlet in the registry file's format (JSON-ready)."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
                "state_affiliation": self.state_affiliation, "domains": list(self.domains),
                "aliases": list(self.aliases), "acronyms": list(self.acronyms),
                "ambiguous": list(self.ambiguous), "relay_of": list(self.relay_of),
                "lookalikes": list(self.lookalikes), "parent": self.parent,
                "languages": list(self.languages), "default_for": list(self.default_for)}


# The problem kind of a file in a scanned folder that is not an article (a .csv, a .json of
# settings): recorded as a warning, counted and shown apart from problems with articles.
SKIPPED = "skipped"


@dataclass(frozen=True)
class InputProblem:
    """A file or record that could not be read (error), or was read with a fallback (warning)."""

    path: str
    record: str | None
    # unreadable | empty | binary | oversized | encoding | truncated | malformed | unsupported;
    # warnings also skipped | no_pages | blank_lines | duplicate_id | control_characters
    kind: str
    message: str
    severity: str = "error"  # error | warning
    run_id: int | None = None  # set when read back from the store


@dataclass(frozen=True)
class Citation:
    """One named source in an article: who, how it is cited, and where (offsets into the text)."""

    outlet_id: str | None  # registry id, None for a non-outlet source
    source_name: str  # the name as written
    source_type: str  # "outlet" or a sources.json type
    kind: str  # one of CITATION_KINDS
    cue: str | None  # the cue word or phrase, or the zone marker
    # Offsets of the name in the text (in the zone's text for detached zones); for an implied
    # name, as in a Reuters sign-off "(Reporting by ...; Editing by ...)", of the whole credit.
    start: int
    end: int
    sentence: str
    sentence_start: int
    zone: str  # "body" or a zone kind
    rule: str  # stable rule id such as "de.laut"
    confidence: float
    relayed_by: str | None = None  # the outlet that relayed this one ("Yonhap, citing KCNA")
    original: bool = False  # the innermost source of a relay chain
    source_id: str | None = None  # sources.json id of a non-outlet source
    article_id: str | None = None  # set when read back from the store
    run_id: int | None = None  # the run that extracted it (set when read back)

    @property
    def counts(self) -> bool:
        """Whether this citation makes an article-to-source edge."""
        return self.kind in COUNTING_KINDS


@dataclass(frozen=True, eq=False)
class Sketch:
    """What the copy index keeps of a text: MinHash signature, LSH keys and shingle set."""

    params: FingerprintParams
    signature: np.ndarray  # uint64 MinHash values (datasketch `hashvalues`)
    band_keys: list[bytes]  # LSH keys: bands of the signature and anchor-shingle pairs
    shingles: np.ndarray  # sorted unique uint64 shingle hashes
    n_shingles: int
    layout: bytes = b""  # token layout for verification (copies.layout), stored apart

    @property
    def recipe(self) -> str:
        """The recipe of the parameters that made this sketch (stored with it)."""
        return self.params.recipe


@dataclass(frozen=True)
class Article:
    """One version of one article: where it was read, its metadata, text, citations and sketch.

    Read back from the store, `text` is empty when the query did not load it (`n_chars` says how
    long it is), and `first_run_id`, `previous_id`, `is_current` and `story` are set.
    """

    id: str  # content hash of source_key + text_hash
    source_key: str  # what identifies the source: JSONL id, WARC target URI, or resolved path
    external_id: str  # the JSONL id, else the path as given (plus #record for streams)
    path: str
    record: str | None
    format: str  # html | text | jsonl | warc
    text: str
    text_hash: str
    n_chars: int
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    description: str | None = None
    sitename: str | None = None
    publisher_id: str | None = None
    publisher_evidence: str | None = None  # outlet-field | url | canonical-url | sitename
    published: str | None = None  # ISO 8601 date or UTC datetime
    published_source: str | None = None  # input | manifest | html | warc-date
    language: str | None = None
    language_source: str | None = None  # input | html | detected
    zones: tuple[Zone, ...] = ()
    citations: tuple[Citation, ...] = ()
    sketch: Sketch | None = None
    first_run_id: int | None = None
    previous_id: str | None = None
    is_current: bool = True
    story: str | None = None


@dataclass(frozen=True, order=True)
class Passage:
    """A passage two texts share: `[a_start, a_end)` in text A, `[b_start, b_end)` in text B.

    On a copy edge, A is the source and B the copy; in `check`, A is the draft. A passage
    joined across small edits (changed, dropped or added words) is `revised`; `similarity` is
    the share of its words matched in both texts (1.0 for a verbatim passage).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    tokens: int
    similarity: float = 1.0
    revised: bool = False

    def flipped(self) -> Passage:
        """The same passage with A and B exchanged."""
        return Passage(self.b_start, self.b_end, self.a_start, self.a_end, self.tokens,
                       self.similarity, self.revised)


@dataclass(frozen=True)
class CopyEdge:
    """A verified copy relation: `copy_id` derives from `source_id` (or both are `similar`)."""

    source_id: str  # the earlier article
    copy_id: str  # the later one
    relation: str  # derived_from (directed by publication time) | similar (tie or undated)
    kind: str  # exact | near_duplicate | partial
    jaccard: float  # exact shingle Jaccard, boilerplate discounted
    jaccard_estimate: float  # from the MinHash signatures
    containment_copy_in_source: float  # share of the copy's shingles found in the source
    containment_source_in_copy: float
    coverage_copy: float  # share of the copy's text inside aligned passages
    coverage_source: float
    passages: tuple[Passage, ...]  # A = source, B = copy
    direction_basis: str  # published | tie | undated | credit
    backdated: bool = False  # the copy is dated before its source (a credit line says so)
    verdict: str | None = None  # one of VERDICTS, set by provenance resolution
    verdict_reason: str | None = None
    id: int | None = None  # set by the store
    run_id: int | None = None


class LineageEdge(NamedTuple):
    """A copy edge as provenance resolution reads it, compact (one tuple per edge): the
    passages flattened to `a_start, a_end, b_start, b_end` each, in an int array (or `()`)."""

    id: int | None
    source_id: str
    copy_id: str
    relation: str
    kind: str
    jaccard: float
    passages: Sequence[int]
    backdated: bool


def flat_passages(spans: Iterable[Sequence[int]]) -> Sequence[int]:
    """Passages `(a_start, a_end, b_start, b_end)` as one flat int array (`()` when none)."""
    flat = array("q", chain.from_iterable(spans))
    return flat if flat else ()


class EdgeColumns(NamedTuple):
    """A slice of copy edges in columns, as the store gives them to provenance resolution
    (`copies.edge_table.EdgeTable.from_columns`): one item per edge in each field but the
    last, whose passages are `passage_counts[i]` runs of `a_start, a_end, b_start, b_end`."""

    ids: Sequence[int]
    source_ids: Sequence[str]
    copy_ids: Sequence[str]
    relations: Sequence[str]
    kinds: Sequence[str]
    jaccards: Sequence[float]
    backdated: Sequence[bool]
    passage_counts: Sequence[int]
    passages: Sequence[int]


@dataclass(frozen=True)
class Story:
    """Articles that are copies of one another, with the origin article and its outlets."""

    id: str
    origin_article_id: str
    members: tuple[str, ...]
    origin_outlet_id: str | None = None  # publisher of the origin article
    upstream_outlet_id: str | None = None  # the wire the origin credits, else its publisher
    run_id: int | None = None

    @property
    def size(self) -> int:
        """How many articles the story holds."""
        return len(self.members)


@dataclass(frozen=True)
class Step:
    """One step of an upstream path: article -> article (copy), article -> outlet (citation)."""

    relation: str  # derived_from | credits | cites | relays | published_by
    source: str  # "article:<id>" or "outlet:<id>"
    target: str
    evidence: str | None = None  # the sentence, or "kind 0.83" for a copy edge

    def as_dict(self) -> dict:
        """Plain data for JSON and the database."""
        return {"relation": self.relation, "source": self.source, "target": self.target,
                "evidence": self.evidence}


@dataclass(frozen=True)
class Origin:
    """An original source of an article: an outlet at the end of an upstream path, and why."""

    outlet_id: str
    reason: str  # text_origin | cited_source | own_reporting
    path: tuple[Step, ...] = ()
    article_id: str | None = None  # set when read back from the store
    rank: int = 0  # order in the article's list (text origins first)


@dataclass(frozen=True)
class Verdict:
    """Whether a copy credits what it copies: the verdict, and the evidence for it."""

    verdict: str  # one of VERDICTS
    reason: str  # the citation that credits, the outlets not named, or the shared publisher
    named: tuple[str, ...] = ()  # creditable outlets the copy names
    creditable: tuple[str, ...] = ()  # outlets whose naming would credit the copy


@dataclass(frozen=True)
class Run:
    """One scan: what ran, with which parameters and registry, and what it counted."""

    id: int
    started_at: str
    status: str  # running | completed | interrupted | failed
    tool_version: str
    finished_at: str | None = None
    registry_version: str | None = None
    parameters: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReadFile:
    """An input file read completely by a run: lets a later scan skip it unchanged."""

    key: str  # hash of resolved path, size, mtime and manifest entry
    path: str
    size: int
    n_articles: int
