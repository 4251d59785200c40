"""Find and read inputs: files, directories, JSONL feeds, WARC/ARC archives and manifests.

This module only reads: it turns bytes into decoded records with their metadata hints and turns
every unreadable input into an `InputProblem`. HTML parsing happens in `extract.py`.
"""

from __future__ import annotations

import csv
import fnmatch
import gzip
import hashlib
import io
import json
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from provenance import config
from provenance.errors import InputError, ManifestError

log = logging.getLogger(__name__)

# Documentation files that sit beside a corpus and are not articles.
IGNORED_NAMES = ("README*", "LICENSE*", "LICENCE*", "CHANGELOG*", "CONTRIBUTING*", ".DS_Store")
# Files the tool itself writes next to a corpus.
IGNORED_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")

JSONL_FIELDS = ("id", "url", "title", "text", "html", "published", "outlet", "author", "language")

_MAGIC_BINARY = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"RIFF",
    b"SQLite format 3", b"\x00\x00\x01\x00", b"BM",
)
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class InputFile:
    """A file chosen for reading, with its detected format."""

    path: str  # as given or as found under a given directory
    resolved: str
    format: str  # html | text | jsonl | warc
    size: int
    mtime_ns: int
    compressed: bool


@dataclass
class RawRecord:
    """One article's raw content, before extraction: markup or plain text plus metadata hints."""

    path: str
    resolved: str
    record: str | None
    format: str  # the container format: html | text | jsonl | warc
    content_type: str  # what `content` holds: html | text
    content: str
    meta: dict = field(default_factory=dict)  # id/url/title/published/outlet/author/language
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)


@dataclass(frozen=True)
class InputProblem:
    """A file or record that could not be read, or was read only with a fallback."""

    path: str
    record: str | None
    kind: str
    message: str
    severity: str = "error"


@dataclass(frozen=True)
class FileDone:
    """Marks the end of one input file in the record stream."""

    file: InputFile
    n_records: int
    key: str


class _Problem(Exception):
    """Internal: carries an InputProblem's kind and message out of a reader."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def detect_format(path: Path, head: bytes, explicit: bool = True) -> str | None:
    """The input format of a file from its name, else from its first bytes; None if not ours.

    In a directory walk (`explicit` False) `.json` files are left alone: next to a corpus they
    are configuration or expected results, not feeds.
    """
    name = path.name.lower()
    if not explicit and name.endswith(".json"):
        return None
    for fmt, exts in (
        ("warc", config.WARC_EXTENSIONS),
        ("jsonl", config.JSONL_EXTENSIONS),
        ("html", config.HTML_EXTENSIONS),
        ("text", config.TEXT_EXTENSIONS),
    ):
        if name.endswith(exts):
            return fmt
    if "." in name.lstrip(".") and not name.endswith(SNIFFED_EXTENSIONS):
        return None
    return sniff_format(head)


# Names whose content decides the format: no extension, server-side page names, .json (a
# one-object-per-line feed). Any other unknown extension (.csv, .py, .xml) is not an article.
SNIFFED_EXTENSIONS = (".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm", ".json", ".gz")


def sniff_format(head: bytes) -> str | None:
    """Guess a format from the first bytes of a file with an unknown name."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"warc/", b"filedesc://")):
        return "warc"
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article")):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    if any(head.startswith(m) for m in _MAGIC_BINARY) or b"\x00" in head[:1024]:
        return None
    return None


def discover(
    paths: list[Path], follow_hidden: bool = False, exclude: tuple[str, ...] = ()
) -> Iterator[InputFile | InputProblem]:
    """Every input file under `paths`, in a stable order; a missing path raises InputError."""
    for given in paths:
        if not given.exists():
            raise InputError(f"{given} does not exist (pass a file or a directory of articles)")
        if given.is_dir():
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if follow_hidden or not d.startswith("."))
                for name in sorted(files):
                    if not follow_hidden and name.startswith("."):
                        continue
                    if _ignored(name, exclude):
                        continue
                    item = _inspect(Path(root) / name, explicit=False)
                    if item is not None:
                        yield item
        else:
            item = _inspect(given, explicit=True)
            if item is not None:
                yield item


def _ignored(name: str, exclude: tuple[str, ...]) -> bool:
    lowered = name.lower()
    if lowered.endswith(IGNORED_SUFFIXES):
        return True
    return any(fnmatch.fnmatch(name, pat) for pat in IGNORED_NAMES + exclude)


def _inspect(path: Path, explicit: bool) -> InputFile | InputProblem | None:
    """Stat and classify one file; unknown formats are skipped in directories, reported if named."""
    try:
        st = path.stat()
        with path.open("rb") as fh:
            head = fh.read(4096)
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
        return None
    return InputFile(
        path=str(path),
        resolved=str(path.resolve()),
        format=fmt,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        compressed=head.startswith(_GZIP_MAGIC),
    )


def file_key(item: InputFile, manifest_entry: dict | None) -> str:
    """Identity of one file's state: same key means the file was read before, unchanged."""
    payload = json.dumps(
        [item.resolved, item.size, item.mtime_ns, manifest_entry or {}], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def read(item: InputFile, max_document_bytes: int = config.MAX_DOCUMENT_BYTES
         ) -> Iterator[RawRecord | InputProblem]:
    """Every record of one input file, or the problems that kept them from being read."""
    try:
        if item.format == "jsonl":
            yield from _read_jsonl(item, max_document_bytes)
        elif item.format == "warc":
            yield from _read_warc(item, max_document_bytes)
        else:
            yield _read_document(item, max_document_bytes)
    except _Problem as exc:
        yield InputProblem(item.path, None, exc.kind, exc.message)
    except OSError as exc:
        yield InputProblem(item.path, None, "unreadable", f"cannot read file: {exc}")


def _read_bytes(item: InputFile, limit: int) -> bytes:
    if item.size == 0:
        raise _Problem("empty", "the file is empty")
    if not item.compressed and item.size > limit:
        raise _Problem("oversized", f"{item.size} bytes is over the {limit}-byte limit per article")
    with open(item.path, "rb") as fh:
        raw = fh.read() if not item.compressed else _gunzip(fh, limit)
    return raw


def _gunzip(fh, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            data = gz.read(limit + 1)
    except EOFError as exc:
        raise _Problem("truncated", "the gzip stream ends early (the file is truncated)") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise _Problem("malformed", f"not a valid gzip file: {exc}") from exc
    if len(data) > limit:
        raise _Problem("oversized", f"decompresses to over the {limit}-byte limit per article")
    return data


def _read_document(item: InputFile, limit: int) -> RawRecord | InputProblem:
    raw = _read_bytes(item, limit)
    content_type = "html" if item.format == "html" else "text"
    text, warnings = decode(raw, html=content_type == "html")
    if not text.strip():
        raise _Problem("empty", "the file holds only whitespace")
    return RawRecord(item.path, item.resolved, None, item.format, content_type, text,
                     warnings=warnings)


def decode(raw: bytes, html: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Bytes to text: UTF-8 (or a BOM's encoding), else the declared charset, else cp1252.

    Raises _Problem("binary") for binary data and _Problem("encoding") when no encoding fits.
    """
    if any(raw.startswith(m) for m in _MAGIC_BINARY) or b"\x00" in raw[:8192] and not (
        raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise _Problem("binary", "binary data, not text (an image, archive or executable?)")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return _check_text(raw[len(bom):].decode(codec)), []
            except UnicodeDecodeError as exc:
                raise _Problem("encoding", f"invalid {codec} after its byte-order mark") from exc
    try:
        return _check_text(raw.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw) if html else None
    for codec in filter(None, (declared, "cp1252")):
        try:
            text = _check_text(raw.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
        return text, [("encoding", f"not valid UTF-8; read as {codec}")]
    raise _Problem("encoding", "not valid UTF-8 and no declared or fallback encoding fits")


def _check_text(text: str) -> str:
    if text:
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls / min(len(text), 20000) > config.MAX_CONTROL_CHAR_RATIO:
            raise _Problem("binary", "mostly control characters, not text")
    return text


def _declared_charset(raw: bytes) -> str | None:
    head = raw[:4096].lower()
    marker = head.find(b"charset=")
    if marker < 0:
        return None
    value = head[marker + 8 : marker + 40].strip(b"\"' ")
    name = bytes(ch for ch in value.split(b'"')[0].split(b"'")[0].split(b";")[0]
                 if chr(ch).isalnum() or chr(ch) in "-_").decode("ascii", "ignore")
    return name or None


def _open_stream(item: InputFile):
    fh = open(item.path, "rb")
    return gzip.GzipFile(fileobj=fh) if item.compressed else fh


def _read_jsonl(item: InputFile, limit: int) -> Iterator[RawRecord | InputProblem]:
    if item.size == 0:
        raise _Problem("empty", "the file is empty")
    n_records = 0
    with _open_stream(item) as stream:
        lineno = 0
        while True:
            try:
                line = stream.readline(limit + 1)
            except EOFError:
                yield InputProblem(item.path, f"line {lineno + 1}", "truncated",
                                   "the gzip stream ends early (the file is truncated)")
                return
            except (gzip.BadGzipFile, zlib.error) as exc:
                raise _Problem("malformed", f"not a valid gzip file: {exc}") from exc
            if not line:
                break
            lineno += 1
            if len(line) > limit and not line.endswith(b"\n"):
                yield InputProblem(item.path, f"line {lineno}", "oversized",
                                   f"a record over the {limit}-byte limit per article")
                _skip_line(stream)
                continue
            if not line.strip():
                continue
            outcome = _parse_jsonl_line(item, lineno, line)
            n_records += isinstance(outcome, RawRecord)
            yield outcome
    if n_records == 0 and lineno == 0:
        raise _Problem("empty", "the file holds no records")


def _skip_line(stream) -> None:
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _parse_jsonl_line(item: InputFile, lineno: int, line: bytes) -> RawRecord | InputProblem:
    where = f"line {lineno}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return InputProblem(item.path, where, "encoding", "not valid UTF-8 (JSONL must be UTF-8)")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        kind = "truncated" if not line.endswith(b"\n") else "malformed"
        return InputProblem(item.path, where, kind,
                            f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return InputProblem(item.path, where, "malformed", "a JSONL record must be a JSON object")
    body, ctype = obj.get("text"), "text"
    if not isinstance(body, str) or not body.strip():
        body, ctype = obj.get("html"), "html"
    if not isinstance(body, str) or not body.strip():
        return InputProblem(item.path, where, "malformed",
                            "the record has no non-empty 'text' or 'html' field")
    meta, warnings = {}, []
    for key in JSONL_FIELDS:
        value = obj.get(key)
        if key in ("text", "html") or value is None:
            continue
        if isinstance(value, int | float) and key == "id":
            value = str(value)
        if not isinstance(value, str):
            warnings.append(("malformed", f"field '{key}' is not a string; ignored"))
            continue
        meta[key] = value.strip()
    return RawRecord(item.path, item.resolved, where, "jsonl", ctype, body, meta, warnings)


def _read_warc(item: InputFile, limit: int) -> Iterator[RawRecord | InputProblem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if item.size == 0:
        raise _Problem("empty", "the file is empty")
    with open(item.path, "rb") as fh:
        records = ArchiveIterator(fh, arc2warc=True)
        try:
            for rec in records:
                outcome = _warc_record(item, rec, records, limit)
                if outcome is not None:
                    yield outcome
        except ArchiveLoadFailed as exc:
            yield InputProblem(item.path, _offset(records), "malformed",
                               f"not a readable WARC/ARC record: {str(exc).strip()[:200]}")
        except (EOFError, zlib.error, ValueError) as exc:
            yield InputProblem(item.path, _offset(records), "truncated",
                               f"the archive ends inside a record ({exc or 'unexpected end'})")


def _offset(records) -> str | None:
    offset = getattr(records, "offset", None)
    return f"offset {offset}" if isinstance(offset, int) and offset >= 0 else None


def _warc_record(item: InputFile, rec, records, limit: int) -> RawRecord | InputProblem | None:
    if rec.rec_type not in ("response", "resource"):
        return None
    mime = ""
    if rec.http_headers is not None:
        if rec.http_headers.get_statuscode() not in ("200", None):
            return None
        mime = (rec.http_headers.get_header("Content-Type") or "").lower()
    else:
        mime = (rec.rec_headers.get_header("Content-Type") or "").lower()
    if "html" not in mime:
        return None
    raw = rec.content_stream().read(limit + 1)
    # Only after the body is read: asking for the offset first makes warcio skip the record.
    where = f"offset {records.get_record_offset()}"
    if len(raw) > limit:
        return InputProblem(item.path, where, "oversized",
                            f"a response over the {limit}-byte limit per article")
    if getattr(rec.raw_stream, "limit", 0) > 0:
        # warcio stops quietly at the end of a cut-off file; the unread remainder tells.
        return InputProblem(item.path, where, "truncated",
                            "the archive ends inside this record (the file is truncated)")
    try:
        text, warnings = decode(raw, html=True)
    except _Problem as exc:
        return InputProblem(item.path, where, exc.kind, exc.message)
    if not text.strip():
        return InputProblem(item.path, where, "empty", "the response body is empty")
    meta = {}
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if uri:
        meta["url"] = uri.strip("<>")
    date = rec.rec_headers.get_header("WARC-Date")
    if date:
        meta["warc_date"] = date
    return RawRecord(item.path, item.resolved, where, "warc", "html", text, meta, warnings)


def load_manifest(path: Path) -> dict[str, dict]:
    """A CSV or JSONL manifest as {resolved path: {url, outlet, published, ...}}.

    Paths in the manifest are relative to the manifest's own folder (or absolute).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(
            f"cannot read manifest {path}: {exc.strerror} (check --manifest)") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"manifest {path} is not UTF-8 (save it as UTF-8)") from exc
    rows = _manifest_rows(path, text)
    base = path.resolve().parent
    entries: dict[str, dict] = {}
    for n, row in enumerate(rows, start=1):
        rel = (row.get("path") or "").strip()
        if not rel:
            raise ManifestError(f"manifest {path}, row {n}: no 'path' (every row names a file)")
        resolved = str((base / rel).resolve())
        entries[resolved] = {
            k: str(v).strip() for k, v in row.items()
            if k in JSONL_FIELDS and k not in ("text", "html") and v not in (None, "")
        }
    return entries


def _manifest_rows(path: Path, text: str) -> list[dict]:
    if path.name.lower().endswith((".jsonl", ".ndjson")):
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ManifestError(f"manifest {path}, line {n}: invalid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise ManifestError(f"manifest {path}, line {n}: expected a JSON object")
            rows.append(obj)
        return rows
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "path" not in reader.fieldnames:
        raise ManifestError(
            f"manifest {path} has no 'path' column (expected a CSV header like "
            "path,url,outlet,published)"
        )
    return list(reader)
