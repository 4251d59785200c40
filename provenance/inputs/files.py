"""Find input files and tell their formats: directory walks, what to skip, sniffing, file keys.

Also reads one-document files (HTML and plain text, gzipped or not); streams of records are read
by `inputs.jsonl` and `inputs.warc`. Every file that cannot be used becomes an `InputProblem`.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import io
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from provenance import config, presentation
from provenance.errors import InputError
from provenance.inputs.decode import ReadProblem, decode
from provenance.records import InputProblem

log = logging.getLogger(__name__)

# Documentation files that sit beside a corpus and are not articles.
IGNORED_NAMES = ("README*", "LICENSE*", "LICENCE*", "CHANGELOG*", "CONTRIBUTING*", ".DS_Store")
# Files the tool itself writes next to a corpus.
IGNORED_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")
# Names whose content decides the format: no extension, server-side page names, .json (a
# one-object-per-line feed). Any other unknown extension (.csv, .py, .xml) is not an article.
SNIFFED_EXTENSIONS = (".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm", ".json", ".gz")
GZIP_MAGIC = b"\x1f\x8b"
_URL_LINE = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article")
_FORMATS = (("warc", config.WARC_EXTENSIONS), ("jsonl", config.JSONL_EXTENSIONS),
            ("html", config.HTML_EXTENSIONS), ("text", config.TEXT_EXTENSIONS))


@dataclass(frozen=True)
class SourceFile:
    """A file chosen for reading, with its detected format."""

    path: str  # as given or as found under a given directory
    resolved: str
    format: str  # html | text | jsonl | warc
    size: int
    mtime_ns: int
    compressed: bool


@dataclass(frozen=True)
class RawRecord:
    """One article's raw content, before extraction: markup or plain text plus metadata hints."""

    path: str
    resolved: str
    record: str | None  # where in a stream: "line 3", "offset 1024"; None for a whole file
    format: str  # the container format: html | text | jsonl | warc
    content_type: str  # what `content` holds: html | text
    content: str
    meta: dict = field(default_factory=dict)  # id/url/title/published/outlet/author/language
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)


@dataclass(frozen=True)
class FileDone:
    """Marks the end of one input file in the record stream."""

    file: SourceFile
    n_records: int
    key: str
    content_key: str | None = None  # `content_key` of the file as read, when it was computed


def detect_format(path: Path, head: bytes, explicit: bool = True) -> str | None:
    """The input format of a file from its name, else from its first bytes; None if not ours.

    Names with an extension of another kind (`.csv`, `.bin`, `.data`, `.py`) are read only when
    their first bytes are a WARC/ARC record or a line of a JSONL feed of articles (a JSON object
    with `text` or `html`). In a directory walk (`explicit` False) a `.json` file is read only
    if it is such a feed: next to a corpus, `.json` files are mostly configuration.
    """
    name = path.name.lower()
    for fmt, extensions in _FORMATS:
        if name.endswith(extensions):
            return fmt
    sniffed = sniff_format(head)
    if name.endswith(".json") and not explicit:
        return sniffed if sniffed == "jsonl" and is_feed(head) else None
    if "." in name.lstrip(".") and not name.endswith(SNIFFED_EXTENSIONS):
        strong = sniffed == "warc" or (sniffed == "jsonl" and is_feed(head))
        return sniffed if strong else None
    return sniffed


def is_feed(head: bytes) -> bool:
    """True when the first line of `head` is a JSON object with a `text` or `html` field."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return False
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    try:
        obj = json.loads(first)
    except (ValueError, RecursionError):  # a long first line cut by the head: look at its keys
        return first.startswith(b"{") and (b'"text"' in first or b'"html"' in first)
    return isinstance(obj, dict) and ("text" in obj or "html" in obj)


def sniff_format(head: bytes) -> str | None:
    """Guess a format from the first bytes of a file with an unknown name (None: not ours)."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"warc/", b"filedesc://")):
        return "warc"
    if stripped.startswith(_HTML_STARTS):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    return None


def discover(paths: list[Path], follow_hidden: bool = False
             ) -> Iterator[SourceFile | InputProblem]:
    """Every input file under `paths`, in a stable order; a missing path raises InputError."""
    for given in paths:
        try:
            is_dir = given.is_dir()
            exists = is_dir or given.exists()
        except OSError as exc:  # a name too long for the file system, a loop of links
            raise InputError(f"cannot use {shorten(str(given))}: {exc.strerror} (pass a file "
                             "or a directory of articles)") from None
        if not exists:
            raise InputError(f"{shorten(str(given))} does not exist (pass a file or a "
                             "directory of articles)")
        if not is_dir:
            item = _inspect(given, explicit=True)
            if item is not None:
                yield item
            continue
        for root, dirs, names in os.walk(given):
            dirs[:] = sorted(d for d in dirs if follow_hidden or not d.startswith("."))
            for name in sorted(names):
                if (name.startswith(".") and not follow_hidden) or _ignored(name):
                    continue
                item = _inspect(Path(root) / name, explicit=False)
                if item is not None:
                    yield item


def _ignored(name: str) -> bool:
    """Documentation and database files beside a corpus."""
    if name.lower().endswith(IGNORED_SUFFIXES):
        return True
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_NAMES)


def _inspect(path: Path, explicit: bool) -> SourceFile | InputProblem | None:
    """Stat and classify one file; an unknown format is a warning in a walk, an error if named."""
    shown = printable(str(path))
    if shown != str(path):
        return InputProblem(shown, None, "unreadable", "the file's path is not valid UTF-8 "
                            "(rename the file or its folder to read it)")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # opening a named pipe would wait for a writer forever
            return InputProblem(str(path), None, "unreadable",
                                "not a regular file (a named pipe, device or socket); pass "
                                "files or folders of articles")
        with path.open("rb") as fh:
            head = fh.read(config.SNIFF_BYTES)
    except OSError as exc:
        return InputProblem(str(path), None, "unreadable", f"cannot read file: {exc.strerror}")
    fmt = detect_format(path, head, explicit)
    if fmt is None:
        if explicit:
            return InputProblem(
                str(path), None, "unsupported",
                "not a recognised article format (use .html, .txt, .md, .jsonl or .warc)",
            )
        log.debug("skipping %s: not an article format", path)
        return InputProblem(str(path), None, "skipped", _skip_reason(path), severity="warning")
    return SourceFile(path=str(path), resolved=str(path.resolve()), format=fmt,
                      size=st.st_size, mtime_ns=st.st_mtime_ns,
                      compressed=head.startswith(GZIP_MAGIC))


def _skip_reason(path: Path) -> str:
    """Why a file met in a directory walk is not read (short: the scan summary lists it)."""
    if path.name.lower().endswith(".json"):
        return "skipped: .json, not a JSONL feed of articles"
    return f"skipped: not an article format ({path.suffix.lower() or 'no extension'})"


def shorten(argument: str) -> str:
    """An argument as quoted in a message: cut to `presentation.MAX_ARGUMENT_SHOWN` characters."""
    if len(argument) <= presentation.MAX_ARGUMENT_SHOWN:
        return argument
    return f"{argument[:presentation.MAX_ARGUMENT_SHOWN]}... ({len(argument)} characters)"


def printable(name: str) -> str:
    """A file name as UTF-8-safe text: undecodable bytes (surrogate escapes) as `\\xNN`."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def file_key(file: SourceFile, manifest_entry: dict | None) -> str:
    """Identity of one file's state: same key means the file was read before, unchanged."""
    payload = json.dumps([file.resolved, file.size, file.mtime_ns, manifest_entry or {}],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


# How content keys begin (state keys, `file_key`, are bare hex).
CONTENT_KEY_PREFIX = "content:"


def content_key(file: SourceFile, manifest_entry: dict | None) -> str | None:
    """Identity of one file's content: `content:<path hash>:<hash of bytes and manifest entry>`.

    A file touched, copied back or restored with the same bytes keeps it, so a scan can skip it
    after hashing it; the path part lets the store keep only the latest content of each path.
    None when the file cannot be read (reading it reports why).
    """
    try:
        with open(file.path, "rb") as fh:
            content = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
    return _content_key(file, content, manifest_entry)


def content_slot(file: SourceFile) -> str:
    """The part of a file's content keys that names its path: `content:<path hash>`."""
    return f"{CONTENT_KEY_PREFIX}{hashlib.sha256(file.resolved.encode()).hexdigest()[:16]}"


def _content_key(file: SourceFile, content: str, manifest_entry: dict | None) -> str:
    """A content key from the hex sha256 of the file's bytes."""
    entry = json.dumps(manifest_entry or {}, sort_keys=True)
    digest = hashlib.sha256(f"{content}\0{entry}".encode()).hexdigest()[:32]
    return f"{content_slot(file)}:{digest}"


class Digest:
    """The sha256 of a file's bytes, taken by a reader as it reads them (`inputs.read`), so
    that a new file's content key costs no read of its own; `complete` once the reader saw
    the end of the file (a reader that stopped early leaves it False)."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.complete = False

    def key(self, file: SourceFile, manifest_entry: dict | None) -> str | None:
        """The file's `content_key` from the bytes read; hashed apart when the reading
        stopped before the end (None when the file cannot be read)."""
        if not self.complete:
            return content_key(file, manifest_entry)
        return _content_key(file, self.hash.hexdigest(), manifest_entry)


class _Hashing(io.RawIOBase):
    """A raw file whose bytes go into a `Digest` as they are read."""

    def __init__(self, raw: BinaryIO, digest: Digest):
        super().__init__()
        self.raw, self.digest = raw, digest

    def readable(self) -> bool:
        """Always: it is read."""
        return True

    def readinto(self, buffer) -> int:
        """Read into `buffer`, hashing what was read; at the end, mark the digest complete."""
        n = self.raw.readinto(buffer)
        if n:
            self.digest.hash.update(memoryview(buffer)[:n])
        elif n == 0 and len(buffer):
            self.digest.complete = True
        return n

    def close(self) -> None:
        """Close the file under it too."""
        self.raw.close()
        super().close()


def require_content(file: SourceFile) -> None:
    """Raise ReadProblem("empty") for a zero-byte file."""
    if file.size == 0:
        raise ReadProblem("empty", "the file is empty")


def open_stream(file: SourceFile, digest: Digest | None = None) -> BinaryIO:
    """The file opened for reading bytes, decompressed on the fly when gzipped (its bytes
    hashed into `digest` as they are read, when one is given)."""
    # the caller closes it (or the GzipFile on it)
    fh: BinaryIO = open(file.path, "rb")  # noqa: SIM115
    if digest is not None:
        fh = io.BufferedReader(_Hashing(fh, digest))
    return gzip.GzipFile(fileobj=fh) if file.compressed else fh


def read_document(file: SourceFile, limit: int, digest: Digest | None = None) -> RawRecord:
    """A one-document file (HTML or plain text) as one record; raises ReadProblem.

    With a `digest`, a file of at most `limit` bytes is read whole once and hashed into it
    (a larger one is read as a stream and left to be hashed apart)."""
    require_content(file)
    if not file.compressed and file.size > limit:
        raise ReadProblem("oversized", f"{file.size} bytes is over the {limit}-byte limit per "
                                       "article")
    with open(file.path, "rb") as fh:
        if digest is not None and file.size <= limit:
            whole = fh.read()
            digest.hash.update(whole)
            digest.complete = True
            raw = _gunzip(io.BytesIO(whole), limit) if file.compressed else whole
        else:
            raw = _gunzip(fh, limit) if file.compressed else fh.read()
    content_type = "html" if file.format == "html" else "text"
    text, warnings = decode(raw, html=content_type == "html")
    if not text or text.isspace():  # without the copy of the page that strip() makes
        raise ReadProblem("empty", "the file holds only whitespace")
    if content_type == "text" and _only_urls(text):
        raise ReadProblem("skipped", "skipped: a list of URLs, not an article (to read the "
                          "pages, scan the pages themselves)", severity="warning")
    return RawRecord(file.path, file.resolved, None, file.format, content_type, text,
                     warnings=warnings)


def _only_urls(text: str) -> bool:
    """True when every non-blank line of a text is one URL (a crawl list, not an article)."""
    return all(_URL_LINE.fullmatch(line.strip()) for line in text.splitlines() if line.strip())


def _gunzip(fh: BinaryIO, limit: int) -> bytes:
    """At most `limit` decompressed bytes; ReadProblem for a cut, broken or oversized stream."""
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            data = gz.read(limit + 1)
    except EOFError as exc:
        raise ReadProblem("truncated", "the gzip stream ends early (the file is truncated)"
                          ) from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ReadProblem("malformed", f"not a valid gzip file: {exc}") from exc
    if len(data) > limit:
        raise ReadProblem("oversized", f"decompresses to over the {limit}-byte limit per article")
    return data
