"""Every tunable of provenance as a named constant, and the ScanConfig of a run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from provenance.copies.fingerprint import FingerprintParams
from provenance.copies.match import Thresholds

DEFAULT_DB = "provenance.db"

# Inputs. A single HTML or text document larger than this is refused as "oversized": real
# articles are a few hundred KB at most, and a larger file is a dump or a binary by mistake.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Streams (JSONL, WARC) are read record by record; one record is held to the document limit,
# the file as a whole to this one (a guard against pointing the scanner at a disk image).
MAX_STREAM_BYTES = 20 * 1024 * 1024 * 1024
# A decoded text with more than this share of control characters is treated as binary.
MAX_CONTROL_CHAR_RATIO = 0.01
# Texts shorter than this (after normalisation) are recorded as "empty": nothing to match on.
MIN_TEXT_CHARS = 40
# A first line of a plain-text file is a title when it is at most this long and a single sentence.
MAX_TITLE_CHARS = 200

# Scanning. Articles are written in transactions of this many; an interrupted scan loses at
# most one batch, which the next scan reads again.
WRITE_BATCH = 200
# Worker processes for HTML extraction (trafilatura is CPU-bound at ~20 pages/s per core).
# 0 means "one per core".
DEFAULT_WORKERS = 0
# Below this many HTML documents a pool costs more than it saves.
MIN_DOCS_FOR_POOL = 16
# Documents handed to a worker at once.
POOL_CHUNKSIZE = 8
# Batches in flight per worker: enough to keep the workers busy while the main process writes
# a transaction, few enough that reading never runs far ahead of writing.
POOL_WINDOW = 16
# The same for the copy phase, whose tasks are larger (a chunk's candidate pairs with their texts).
COPY_WINDOW = 2

# SQLite page cache per connection (KiB). Bulk loads and the copy phase walk B-trees much
# larger than the default 2 MiB; a fixed size keeps memory bounded however large the file.
SQLITE_CACHE_KIB = 32 * 1024

# Copy detection. New articles are matched against the archive this many at a time.
MATCH_CHUNK = 200
# Fingerprints (token offsets for alignment) kept by each process that verifies candidate
# pairs (about 30 KB each for a 500-word article).
VERIFY_CACHE = 2000
# Candidate pairs found but not yet merged into their chunk's sorted array, per chunk.
PAIR_BUFFER = 512
# Candidates: when the new articles are at least this share of the archive, every shared LSH
# bucket is read in one pass over the index instead of looking up each new key.
FULL_SCAN_SHARE = 0.1
# Below this many chunks of new articles (or outlets to learn boilerplate for), the copy phase
# works in the main process: starting workers costs more than it saves.
MIN_CHUNKS_FOR_POOL = 2
MIN_OUTLETS_FOR_POOL = 4
# An LSH key shared by more articles than this is a stock phrase or boilerplate: skipped.
MAX_BUCKET = 64
# Boilerplate is learnt from an outlet's latest articles, once it has at least this many.
BOILERPLATE_SAMPLE = 300
BOILERPLATE_MIN_ARTICLES = 3

HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text", ".txt.gz", ".md.gz")
JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")


@dataclass
class ScanConfig:
    """What a scan reads and how; recorded with the run so every decision can be retraced.

    Attributes:
        paths: files or directories to scan (directories recursively).
        manifest: optional CSV/JSONL sidecar mapping paths to url/outlet/published.
        outlets_files: extra outlet registry files overriding or extending the packaged one.
        workers: extraction processes (0 = one per core).
        follow_hidden: also read dot-files and dot-directories.
        fingerprint: shingling, MinHash and LSH parameters (fixed per database).
        thresholds: verification thresholds of copy detection.
    """

    paths: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    outlets_files: list[Path] = field(default_factory=list)
    workers: int = DEFAULT_WORKERS
    follow_hidden: bool = False
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    fingerprint: FingerprintParams = field(default_factory=FingerprintParams)
    thresholds: Thresholds = field(default_factory=Thresholds)

    def parameters(self) -> dict:
        """The run parameters as plain JSON-ready data (with the fingerprint recipe)."""
        data = asdict(self)
        data["fingerprint"]["recipe"] = self.fingerprint.recipe
        data["copy_detection"] = {"max_bucket": MAX_BUCKET, "match_chunk": MATCH_CHUNK,
                                  "boilerplate_sample": BOILERPLATE_SAMPLE,
                                  "boilerplate_min_articles": BOILERPLATE_MIN_ARTICLES}
        data["paths"] = [str(p) for p in self.paths]
        data["manifest"] = str(self.manifest) if self.manifest else None
        data["outlets_files"] = [str(p) for p in self.outlets_files]
        return data
