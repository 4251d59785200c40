"""Every tunable of provenance as a named constant, and the ScanConfig of a run.

The leaf of the package: it imports only its config_* leaves, and every module takes its thresholds
from here. `ScanConfig.parameters()` records them with each run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_DB = "provenance.db"

# Inputs. A single HTML or text document larger than this is refused as "oversized": real
# articles are a few hundred KB at most, and a larger file is a dump or a binary by mistake.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Limits on one page or text: past them a document is a dump or a hostile file, not an article,
# and is recorded as an "oversized" input problem (without them one page could hold a scan for
# minutes: trafilatura's time grows faster than the number of elements, 265 s for 200k <p>).
# Elements of one HTML page; the largest of 1,499 real pages in ../shared/data has ~10k.
MAX_HTML_ELEMENTS = 25_000
# Nesting depth of one HTML page (real pages: at most 43). libxml2 silently drops what lies
# deeper than 256 elements, so a page nested deeper would lose its text without a word.
MAX_HTML_DEPTH = 200
# Characters of one article's text, page or plain (a long feature has ~50k).
MAX_ARTICLE_CHARS = 500_000
# A decoded text with more than this share of control characters is treated as binary.
MAX_CONTROL_CHAR_RATIO = 0.01
# Texts shorter than this (after normalisation) are recorded as "empty": nothing to match on.
MIN_TEXT_CHARS = 40
# A first line of a plain-text file is a title when it is at most this long and a single sentence.
MAX_TITLE_CHARS = 200

# Scanning. Articles are written in transactions of this many; an interrupted scan loses at
# most one batch, which the next scan reads again.
WRITE_BATCH = 200
# Worker processes for HTML extraction, 0 = one per core (trafilatura: ~20 pages/s per core).
DEFAULT_WORKERS = 0
# Below this many HTML documents a pool costs more than it saves.
MIN_DOCS_FOR_POOL = 16
# Documents handed to a worker at once, and their most characters: web pages go a few at a
# time, so that every worker has work until the end of a scan; short articles go 8 at a time.
POOL_CHUNKSIZE, POOL_CHUNK_CHARS = 8, 250_000
# Batches in flight per worker: enough to keep the workers busy while the main process writes
# a transaction, few enough that reading never runs far ahead of writing; the copy phase's
# tasks are larger (a chunk's candidate pairs with their texts).
POOL_WINDOW, COPY_WINDOW = 16, 2

# SQLite page cache per connection (KiB): bulk loads and the copy phase walk large B-trees.
SQLITE_CACHE_KIB = 32 * 1024
# Threads SQLite's sorter may add to sort the new LSH keys (`PRAGMA threads`): 3.3 s -> 2.2 s.
SQLITE_SORT_THREADS = 2
# Keys bound in one `IN (...)` list: SQLite before 3.32 allows 999 parameters a statement, and
# the store reads lists of ids in slices of this many (fewer when a query names the list twice).
SQLITE_IN_LIST = 500
# How long a connection waits for another process's write lock before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 5000
# A scan told to wait for another scan's lock (`ScanConfig.lock_wait`) tries again this often (s).
SCAN_LOCK_POLL_SECONDS = 0.2

HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text", ".txt.gz", ".md.gz")
JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")

# -- inputs: discovery, decoding, JSONL, WARC ------------------------------------------------
# Bytes read from the head of a file to sniff its format (and, of an HTML page, its charset).
SNIFF_BYTES = 4096
# A NUL byte in this many leading bytes marks binary data (UTF-16 text with a BOM excepted).
BINARY_PROBE_BYTES = 8192
# Characters of a decoded text counted against MAX_CONTROL_CHAR_RATIO (enough to tell, cheap).
CONTROL_CHAR_SAMPLE = 20000
# The rest of an oversized JSONL line is skipped in reads of this many bytes.
SKIP_CHUNK_BYTES = 1 << 20
# Text that is not valid UTF-8 is decoded line by line: a line that holds valid UTF-8
# multibyte characters and at most this many invalid bytes per valid character is UTF-8 with
# the invalid bytes replaced (U+FFFD); other lines are a single-byte encoding, detected
# (charset_normalizer) when their non-ASCII bytes number at least CHARSET_DETECT_MIN_BYTES,
# else cp1252.
UTF8_MAX_INVALID_PER_VALID = 1.0
CHARSET_DETECT_MIN_BYTES = 16
# Line numbers quoted in a decoding warning ("lines 3, 9, 12 ...").
WARNING_LINES_SHOWN = 5

# Largest --manifest file read (a path like /dev/zero must not exhaust memory).
MAX_MANIFEST_BYTES = 256 * 2**20

# -- extract: pages, plain text, zones, language -------------------------------------------
# A zone read from page markup longer than this is not a caption or a credit but a whole
# section; it is cut.
MAX_ZONE_CHARS = 2000
# In page markup, a block that opens with "Quelle:" is a source box when it is shorter than
# this many characters and has at most this many child elements; a longer one is body text.
MARKUP_SOURCE_MAX_CHARS = 200
MARKUP_SOURCE_MAX_CHILDREN = 3
# A block is a related-links box when one of its first this many children is a heading such
# as "Mehr zum Thema" (a heading deeper inside belongs to a box the block merely contains).
MARKUP_HEADING_CHILDREN = 2
MARKUP_WORDS_REMEMBERED = 50_000  # class/id words whose zone kind a worker keeps (speed only)
# The title of a plain text is looked for among its first this many lines (past the
# breadcrumbs of scraped pages).
TITLE_SEARCH_LINES = 8
# Zones in plain text. A related-links heading is at most this long, and its list ends at a
# longer line or one that reads like a body sentence.
MAX_RELATED_LINE = 160
# A source box ("Quellen" and a name or domain per line) holds at most this many lines of at
# most this many characters.
MAX_SOURCE_BOX_LINE = 120
MAX_SOURCE_BOX_LINES = 12
# A line naming only agencies ("dpa/AFP") is at most this long. Among the first or last lines
# of a text it is a byline; elsewhere it credits the photo it stands under.
MAX_BYLINE_LINE = 60
BYLINE_HEAD_LINES = 4
BYLINE_TAIL_LINES = 3
# Page furniture: an author's bio line ("... writes for the New York Times") is at most this
# long, a line of share buttons at most this long; a bio or share zone read from markup that is
# longer than the last is no furniture (a class on a container) and is read as body text.
MAX_BIO_LINE = 400
MAX_SHARE_LINE = 160
MAX_FURNITURE_ZONE = 600
# A byline read from markup is a credit up to this length; a longer one is an author's bio.
MAX_BYLINE_ZONE = 120
# A name presented as an outlet's ("laut Süddeutscher Zeitung") is looked up in the registry in
# at most this many forms (German adjective endings undone word by word) before it counts as a
# discovered outlet.
MAX_NAME_FORMS = 16
# "Österreichischer Rundfunk (ORF)": a parenthesis that spells out the name just before it is
# no credit; that name is looked for this many characters back.
EXPANDED_NAME_WINDOW = 160
# The cue recorded for a wire footer ("Mit Material von ...") is its first this many characters.
WIRE_FOOTER_CUE_CHARS = 40
# Language detection reads the first this many characters.
LANGUAGE_SAMPLE_CHARS = 3000
# Share of letters a script must reach to decide the language by script alone; Japanese needs
# only this share of kana (the rest of its letters are kanji, which Chinese shares).
MIN_SCRIPT_SHARE = 0.3
MIN_KANA_SHARE = 0.05
# Below this many recognised stopwords a Latin-script text is left undetermined.
MIN_STOPWORD_HITS = 3

# -- citations: registry, names, cues, sentences -------------------------------------------
# Cue patterns look at most this far left of a name: descriptors are short, and a bounded
# window keeps the end-anchored patterns linear on long sentences.
CUE_WINDOW = 160
# A common-word outlet name ("Stern", "Times") is taken for the outlet when a cue ("laut",
# "told the") stands within this many characters before or after it, or a genitive article
# ("des Spiegels") within this many before it.
GUARD_CUE_WINDOW = 48
GUARD_GENITIVE_WINDOW = 12
# Non-outlet source aliases up to this long ("UN", "Nato", "Kreml") match only with their case;
# the words of longer ones, from this length on, may carry a German case ending ("Kremls").
SOURCE_CASE_SENSITIVE_MAX_LEN = 5
SOURCE_MIN_INFLECTED_WORD = 3
# Tokens the source matcher remembers with the aliases they may start; cleared when full.
SOURCE_TOKEN_MEMO = 1 << 16
# With extra outlet files, the registry version ends in this many hex digits of their hash.
REGISTRY_VERSION_HASH_CHARS = 8

# -- copies: fingerprints -----------------------------------------------------------------
# Measured on seeds + Wikinews + PolNeAR + SemEval bodies with
# benchmarks/bench_match_quality.py; the figures are in the module docstrings and the report.
# Words per shingle. 5 keeps same-topic independent articles apart (their 5-shingle Jaccard is
# below 0.02: shared names like "Kim Jong Un" are shorter than a shingle) while a 10% word edit
# still leaves about a third of the shingles intact.
SHINGLE_SIZE = 5
# 128 permutations: the Jaccard estimate has a standard error of about 0.04 at J=0.3.
NUM_PERM = 128
SEED = 1
# datasketch 2.0 default; recorded in the recipe because other schemes give other values.
SCHEME = "affine32"
# 64 bands of 2 rows: P(candidate) = 1 - (1 - J^2)^64 is 0.998 at J=0.3, 0.93 at J=0.2, 0.47 at
# J=0.1 and 0.025 at J=0.02 (same-topic independent pairs). A steeper curve (32x4) finds only 23%
# of the J=0.3 copies. False candidates cost one cheap verification each.
BANDS = 64
ROWS = 2
# One shingle in this many is an anchor (chosen by its hash, so both copies choose the same).
# A verbatim passage of 40 words (36 shingles) holds about 4.5 anchors: the chance that it holds
# fewer than two, and so shares no anchor pair, is about 6%; at 60 words it is under 1%.
ANCHOR_RATE = 8
# Bytes of digest per key, after a one-byte prefix (band index, or ANCHOR_PREFIX).
KEY_DIGEST_BYTES = 8
ANCHOR_PREFIX = 0xFF
# Single-anchor keys (prefix SINGLE_PREFIX): one key per anchor shingle, for `check` only. A
# light revision (10-30% of words changed) keeps few *pairs* of consecutive anchors intact (both
# must survive and no new anchor fall between them) but a third to a sixth of single anchors.
# Too common for the scan's all-pairs buckets, so the scan's candidate search skips them; a
# check ranks candidates by keys shared. Databases without them stay readable (keys only
# propose candidates; the recipe is unchanged).
SINGLE_PREFIX = 0xFE
# One anchor in this many has a single-anchor key (1: every anchor).
SINGLE_RATE = 1
# Content keys (CONTENT_PREFIX, copies/retold.py, `check` only; the scan skips them): a key per
# content word (a digit, CONTENT_MIN_CHARS+ letters, a capitalised name) in CONTENT_KEY_RATE.
CONTENT_PREFIX = 0xFD
CONTENT_KEY_RATE = 2
CONTENT_MIN_CHARS = 5
CONTENT_NAME_MIN_CHARS = 3
# Every key has this many bytes (the store cuts concatenated keys back into keys with it).
KEY_BYTES = 1 + KEY_DIGEST_BYTES
# Shingles hashed into a MinHash per update_batch call (bounds memory to chunk x num_perm x 4 B).
MINHASH_CHUNK = 4096
# Bytes of the blake2b digest used as the hash of the normalised text.
TEXT_HASH_BYTES = 16
# Entries of each token cache (word -> normalised token, token -> hash). Words repeat across
# articles, so nearly every lookup hits; a full cache is cleared, which bounds its memory.
TOKEN_CACHE = 1 << 19

# Prose (copies/prose.py): only blocks (lines, wrapped paragraphs) that read like article
# sentences give shingles. A block shorter than PROSE_MIN_WORDS words is furniture (menus,
# headings, bylines); one with less than one sentence mark per PROSE_WORDS_PER_MARK words is a
# headline or link list; a block of at most PROSE_MAX_NOTICE_WORDS words that reads as a notice
# (legal, consent, paywall, newsletter) is never copy evidence. A paragraph whose lines are
# WRAP_MIN_CHARS to WRAP_MAX_CHARS long is one wrapped block. Measured with
# benchmarks/bench_crawl.py and benchmarks/bench_match_quality.py.
PROSE_MIN_WORDS = 8
# ... unless it is a sentence of at least this many words that ends with a full stop.
PROSE_MIN_SENTENCE_WORDS = 3
# ... or one of at most this many short blocks between two prose blocks (a subhead, a sentence
# broken over lines): part of the article around it.
PROSE_MAX_INSET = 2
PROSE_WORDS_PER_MARK = 40
PROSE_MAX_NOTICE_WORDS = 90
WRAP_MIN_CHARS = 40
WRAP_MAX_CHARS = 100
PROSE_FILTER = "prose-v4"

# Versions of each step of the recipe: bump when the output of a step changes.
NORMALISATION = "nfkc-casefold-v1"
TOKENISATION = "uniword-cjk2-v1"
SHINGLE_HASHING = "blake2b64-fmix64-v1"


@dataclass(frozen=True)
class FingerprintParams:
    """How texts are shingled and hashed; ``recipe`` names it and is stored with every signature."""

    shingle_size: int = SHINGLE_SIZE
    num_perm: int = NUM_PERM
    seed: int = SEED
    scheme: str = SCHEME
    bands: int = BANDS
    rows: int = ROWS
    anchor_rate: int = ANCHOR_RATE

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise ValueError("shingle_size must be at least 1")
        if self.scheme not in ("affine32", "affine64", "legacy"):
            raise ValueError(f"unknown datasketch scheme {self.scheme!r}")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands x rows ({self.bands} x {self.rows}) exceeds num_perm ({self.num_perm})"
            )
        if not 0 < self.bands < CONTENT_PREFIX:
            raise ValueError(f"bands must be between 1 and {CONTENT_PREFIX - 1}")
        if self.anchor_rate < 1:
            raise ValueError("anchor_rate must be at least 1")

    @property
    def recipe(self) -> str:
        """A string that identifies normalisation, shingling, hashing, MinHash scheme and LSH."""
        return (
            f"{NORMALISATION}/{TOKENISATION}/{PROSE_FILTER}/w{self.shingle_size}/{SHINGLE_HASHING}"
            f"/datasketch-{self.scheme}-p{self.num_perm}-s{self.seed}"
            f"/lsh{self.bands}x{self.rows}-a{self.anchor_rate}"
        )


# -- copies: verification, boilerplate, direction, stories ----------------------------------
# Measured with benchmarks/bench_match_quality.py.
# A passage shorter than this many tokens is noise: names and set phrases ("der nordkoreanische
# Führer Kim Jong Un") are shorter; a copied sentence is longer.
MIN_PASSAGE_TOKENS = 20
# Runs of common shingles separated by at most this many tokens on both sides join one passage:
# one changed word leaves a gap of one token, two changed words close together about five.
MAX_GAP_TOKENS = 12
# Revision-tolerant alignment (copies.alignment.revised_passages, used by check): runs of
# shared word pairs (REVISION_PAIR words) joined across gaps of at most REVISION_MAX_GAP tokens
# on both sides; a passage needs a run of REVISION_SEED_TOKENS shared words and a similarity
# (matched share of its words) of at least REVISION_MIN_SIMILARITY. Measured on revisions of
# SemEval articles (10-30% of words changed, merged, split and reordered sentences) against
# their independent same-story articles.
REVISION_PAIR = 2
REVISION_MAX_GAP = 8
REVISION_SEED_TOKENS = 5
REVISION_MIN_SIMILARITY = 0.5
# A revised passage holds at least this many matched words (a revised sentence); the pair
# still needs Thresholds.partial_min_tokens of them in all.
REVISION_MIN_TOKENS = 12
REVISION_OPEN_PASSAGES = 64
# A shingle repeated more often than this in one text pairs with at most this many positions.
MAX_REPEATS = 8
# Passages consider joining only the most recent this many open passages (bounds the work).
MAX_OPEN_PASSAGES = 32
# near_duplicate: aligned passages cover at least this share of one side (a copy, trimmed or
# lightly edited, with a new lede and headline), or the shingle Jaccard reaches NEAR_DUP_JACCARD.
NEAR_DUP_COVERAGE = 0.6
NEAR_DUP_JACCARD = 0.5
# partial: passages cover this share of one side and hold this many matched tokens, a sentence
# of them (FRAMING) outside quotes: two reports may quote one statement, only a copy also shares
# the prose around it (copied quote-heavy paragraphs: 14+ such words; a shared quote: <= 9).
PARTIAL_MIN_COVERAGE = 0.05
PARTIAL_MIN_TOKENS = 40
PARTIAL_MIN_FRAMING_TOKENS = 12
# Boilerplate: a shingle in at least this many articles of one outlet and at least this share.
# 0.1 rather than 0.3: HuffPost's 2016 editor's note on Trump stands under 15% of its PolNeAR
# articles and made 30 false partial edges at 0.3.
BOILERPLATE_MIN_DOCS = 3
BOILERPLATE_MIN_FRACTION = 0.1
# ... unless repeated shingles make up this share of the articles that carry them: then they
# are versions of one story (updates, corrections), whose text is not boilerplate.
BOILERPLATE_MAX_DOC_SHARE = 0.5
# Across the archive (copies/boilerplate.learn_recurring): a passage in at least this many
# articles of at least this many outlets, a small part of each, is a template or banner shared
# by sites, not copy evidence (read from the latest this many articles of the archive).
RECURRING_MIN_DOCS = 5
RECURRING_MIN_OUTLETS = 3
RECURRING_SAMPLE = 20000
# Direction: publication times closer than this are a tie (undirected "similar").
DIRECTION_TIE = timedelta(seconds=0)
# Stories: an edge joins a story when this share of its copy (of either side if undirected) is
# covered, or its Jaccard is near-duplicate (a short source inside a long article does not).
STORY_PARTIAL_MIN_COVERAGE = 0.5
# Stories: two groups merge when their origins are linked or more than this share of the
# cross pairs are strong verified edges.
STORY_MIN_LINK_FRACTION = 0.5
STORY_ID_BYTES = 8
# The measures of a copy edge are stored rounded to this many decimals (a stable graph JSON).
EDGE_DECIMALS = 4


@dataclass(frozen=True)
class Thresholds:
    """The verification thresholds of a run (defaults: the constants above); recorded per run."""

    min_passage_tokens: int = MIN_PASSAGE_TOKENS
    max_gap_tokens: int = MAX_GAP_TOKENS
    near_dup_coverage: float = NEAR_DUP_COVERAGE
    near_dup_jaccard: float = NEAR_DUP_JACCARD
    partial_min_coverage: float = PARTIAL_MIN_COVERAGE
    partial_min_tokens: int = PARTIAL_MIN_TOKENS
    partial_min_framing_tokens: int = PARTIAL_MIN_FRAMING_TOKENS


DEFAULT_THRESHOLDS = Thresholds()
# -- copy phase of a scan (candidates, screening, chunks) ----------------------------------
MATCH_CHUNK = 200  # new articles matched at a time (800: 10% faster at 10k, 1.6x the memory at 50k)
VERIFY_CACHE_BYTES = 160 << 20  # fingerprints kept per verifying process (~14 KB / 500 words)
PAIR_BUFFER = 512  # candidate pairs per chunk not yet merged into its sorted array
EDGE_WRITE_BATCH = 10_000  # copy edges a transaction (a commit per chunk's 2k: 1.9x the time)
# Below this many chunks of new articles (or outlets to learn boilerplate for), the copy phase
# works in the main process: starting workers costs more than it saves.
MIN_CHUNKS_FOR_POOL = 2
MIN_OUTLETS_FOR_POOL = 4
# An LSH key of more articles than this is a stock phrase or boilerplate: skipped (`hot_keys`).
# A bucket of more than PAIR_BUCKET pairs each member with its BUCKET_REPRESENTATIVES earliest
# members only (copies.bucket_pairs): pairs per article stay bounded as the archive grows. The
# archived articles whose pairs a grown bucket changed are compared again (scan.candidates):
# edges do not depend on order.
MAX_BUCKET = 64
PAIR_BUCKET = 16
BUCKET_REPRESENTATIVES = 2
COPY_SLICE = 4096  # large buckets read, original sources written at a time (bounds memory)
# Boilerplate is learnt from an outlet's latest articles, once it has at least this many.
BOILERPLATE_SAMPLE = 300
BOILERPLATE_MIN_ARTICLES = 3
# `provenance spark`: shuffle partitions, driver memory (stories and provenance are resolved
# there), and the input files per partition below which the records read are spread (a shuffle).
SPARK_SHUFFLE_PARTITIONS = 8
SPARK_DRIVER_MEMORY = "2g"
SPARK_FILES_PER_PARTITION = 4
ORIGIN_MIN_OVERLAP_CHARS, ORIGIN_MIN_OWN_CHARS = 40, 80  # lineage: span overlap, own text (chars)
# Longest article reference `show` and `graph --article` accept (ids, urls and paths are shorter).
MAX_REF_CHARS = 4096
# -- check ---------------------------------------------------------------------------------
# A passage is a shared quote when at least this share of its draft words is inside quotes.
QUOTE_SHARE = 0.5
# Candidates verified per check, most shared LSH keys first.
MAX_CANDIDATES = 200
# A candidate whose verified shingle passages cover this share of the draft is not aligned
# again on word pairs (a verbatim copy has no revised passage to add).
CHECK_VERBATIM_COVERAGE = 0.98
# A short draft reuses an archive article when revised passages hold fewer matched words than
# Thresholds.partial_min_tokens but at least min_passage_tokens making this share of the draft.
REVISED_MIN_DRAFT_SHARE = 0.3
# Retold drafts (docs/check.md): the RETOLD_CANDIDATES articles sharing the most inverse-frequency
# weight of the draft's RETOLD_QUERY_KEYS rarest content keys (buckets up to RETOLD_MAX_BUCKET)
# are scored; RETOLD_MIN_SCORE (chosen on the dev half of bench_reuse) makes a `retold` match.
# Drafts with fewer than RETOLD_MIN_WORDS content words or RETOLD_MAX_COPIED copied: no search.
RETOLD_MAX_BUCKET = 1000
RETOLD_QUERY_KEYS = 48
RETOLD_CANDIDATES = 5
RETOLD_MIN_SCORE = 0.3
RETOLD_MIN_WORDS = 12
RETOLD_MAX_COPIED = 0.7


@dataclass
class ScanConfig:
    """What a scan reads and how; recorded with the run so every decision can be retraced.

    Attributes:
        paths: files or directories to scan (directories recursively).
        manifest: optional CSV/JSONL sidecar mapping paths to url/outlet/published.
        outlets_files: extra outlet registry files overriding or extending the packaged one.
        workers: extraction processes (0 = one per core).
        follow_hidden: also read dot-files and dot-directories.
        lock_wait: seconds to wait while another scan writes the database (0: refuse at once).
        fingerprint: shingling, MinHash and LSH parameters (fixed per database).
        thresholds: verification thresholds of copy detection.
    """

    paths: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    outlets_files: list[Path] = field(default_factory=list)
    workers: int = DEFAULT_WORKERS
    follow_hidden: bool = False
    lock_wait: float = 0.0
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    fingerprint: FingerprintParams = field(default_factory=FingerprintParams)
    thresholds: Thresholds = field(default_factory=Thresholds)

    def parameters(self) -> dict:
        """The run parameters as plain JSON-ready data (with the fingerprint recipe)."""
        data = asdict(self)
        data["fingerprint"]["recipe"] = self.fingerprint.recipe
        data["tunables"] = tunables()
        data["paths"] = [str(p) for p in self.paths]
        data["manifest"] = str(self.manifest) if self.manifest else None
        data["outlets_files"] = [str(p) for p in self.outlets_files]
        return data


def tunables() -> dict:
    """Every named tunable (upper-case constants here and in the config_* modules), as JSON."""
    import provenance.config_citations as config_citations
    import provenance.config_copies as config_copies

    found, named = {}, {**vars(config_copies), **vars(config_citations), **globals()}
    for name, value in sorted(named.items()):
        if not name.isupper() or name.startswith("_"):
            continue
        if isinstance(value, timedelta):
            value = value.total_seconds()
        if isinstance(value, bool | int | float | str | type(None)):
            found[name] = value
        elif isinstance(value, tuple | frozenset) and all(isinstance(v, str) for v in value):
            found[name] = sorted(value) if isinstance(value, frozenset) else list(value)
    return found
