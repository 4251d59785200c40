"""WARC and ARC archives: the HTML responses of a web crawl, with their URL and capture date.

The only module that imports warcio. Records that are not successful HTML responses are skipped
(a file with none is reported as a warning). A damaged archive yields every record read whole
before the damage and one problem naming the offset where reading stopped: a cut-off record
(its content shorter than its Content-Length), a gzip member that does not decompress, bytes
after the last record that are not a record, a Content-Length that runs past the end, or any
exception warcio raises on damaged input. A record whose digest does not match is read with a
warning. warcio's own messages (it writes some straight to stderr, and logs others) never reach
the user: they are captured and become the problem's reason.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mmap
import zlib
from collections.abc import Callable, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from provenance import config
from provenance.inputs.decode import ReadProblem, decode, scrub
from provenance.inputs.files import RawRecord, SourceFile, require_content
from provenance.records import InputProblem

# warcio logs notes on records it repairs (spaces in a target URI): not the user's concern (what
# matters becomes an input problem). Above CRITICAL, its loggers make no records at all, whatever
# handlers the application or a test harness puts on the root logger.
logging.getLogger("warcio").setLevel(logging.CRITICAL + 1)
logging.getLogger("warcio").propagate = False

# Characters of a warcio error message kept in the problem (its messages can quote whole headers).
_MAX_MESSAGE = 200
# The record types of WARC 1.1 (ARC records arrive as these); others mean a damaged header.
# The bytes that begin a gzip member, and a WARC or ARC record (resuming after damage).
_GZIP_MEMBER = b"\x1f\x8b\x08"
_RECORD_STARTS = (b"WARC/", b"filedesc://", b"http://", b"https://", b"dns:")
_RECORD_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit",
                 "conversion", "continuation")


class _Damaged(Exception):
    """Reading stopped at a damaged place: the problem's kind and reason."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


def _quiet(call: Callable, *args):
    """`call(*args)` with warcio's stderr writes captured; damage it reports raises _Damaged."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            result = call(*args)
    except StopIteration:
        raise
    except ArchiveLoadFailed as exc:
        raise _Damaged("malformed", f"not a readable WARC/ARC record: {_short(exc)}") from exc
    except (EOFError, OSError) as exc:
        raise _Damaged("truncated", "the archive ends inside a record "
                                    f"({_short(exc) or 'unexpected end'})") from exc
    except Exception as exc:  # noqa: BLE001 - warcio on damaged input raises anything
        raise _Damaged("malformed", f"damaged archive ({type(exc).__name__}: {_short(exc)})"
                       ) from exc
    if captured.getvalue().strip():
        note = " ".join(captured.getvalue().split())
        raise _Damaged("malformed", f"damaged archive: {note[:_MAX_MESSAGE]}")
    return result


def _short(exc: BaseException) -> str:
    """An exception's message on one line, shortened."""
    return " ".join(str(exc).split())[:_MAX_MESSAGE]


def read_warc(file: SourceFile, limit: int) -> Iterator[RawRecord | InputProblem]:
    """Every HTML response of a WARC/ARC file (gzipped or not), and problems for damage.

    After damage, reading goes on at the next record that can be found (the next gzip member
    that holds a WARC/ARC record; in an uncompressed WARC, the next `WARC/1.x` line).
    """
    require_content(file)
    counts = {"seen": 0, "pages": 0, "problems": 0}
    with open(file.path, "rb") as fh:
        start: int | None = 0
        while start is not None:
            fh.seek(start)
            damage = yield from _read_from(file, fh, limit, counts)
            if damage is None:
                break
            where, exc = damage
            where = max(where, start)  # warcio's offset is negative in some damaged files
            start = _resume_point(fh, where, file.compressed)  # always after `where`
            after = (f"; reading went on at offset {start}" if start is not None
                     else "; nothing readable follows")
            counts["problems"] += 1
            yield InputProblem(file.path, f"offset {where}", exc.kind, exc.message + after)
    if counts["pages"] == 0 and counts["problems"] == 0:
        yield _no_pages(file, counts["seen"])


def _read_from(file: SourceFile, fh, limit: int, counts: dict):
    """Records from the file's current position to its end or to damage.

    A generator of outcomes whose return value is None (read to the end; a cut tail is
    yielded as a problem) or (offset, _Damaged) for the record where reading stopped.
    """
    records = ArchiveIterator(fh, arc2warc=True, check_digests=True)
    start = last = records.offset
    try:
        while True:
            start = records.offset  # where the next record begins (warcio keeps it current)
            try:
                rec = _quiet(next, records)
            except StopIteration:
                break
            counts["seen"] += 1
            last = start
            outcome = _record(file, rec, records, start, limit)
            if outcome is not None:
                counts["pages"] += isinstance(outcome, RawRecord)
                counts["problems"] += isinstance(outcome, InputProblem)
                yield outcome
    except _Damaged as exc:
        return (start if isinstance(start, int) else -1), exc
    tail = _trailing(fh, records.offset, file.size) or (
        _cut_member(fh, last) if file.compressed else None)
    if tail is not None:
        counts["problems"] += 1
        yield tail
    return None


def _resume_point(fh, after: int, compressed: bool) -> int | None:
    """Where the next whole record after offset `after` may begin, or None.

    Gzipped archives: the next gzip member whose start decompresses to a WARC or ARC header.
    Uncompressed: the next line that starts a WARC record. (ARC files are not searched.)
    """
    try:
        view = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    with view:
        if not compressed and not view[:5] == b"WARC/":
            return None
        marker = _GZIP_MEMBER if compressed else b"\nWARC/1."
        at = view.find(marker, after + 1)
        while at >= 0:
            begin = at if compressed else at + 1
            head = _member_head(view, begin) if compressed else view[begin:begin + 8]
            if begin > after and head.startswith(_RECORD_STARTS):
                return begin
            at = view.find(marker, at + 1)
    return None


def _member_head(view, at: int) -> bytes:
    """The first decompressed bytes of the gzip member starting at `at` (b"" if it is none)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(
            view[at:at + config.SNIFF_BYTES], 64)
    except zlib.error:
        return b""


def _record(file: SourceFile, rec, records: ArchiveIterator, start: int, limit: int
            ) -> RawRecord | InputProblem | None:
    """One record, read to its end: an article, a problem, or None for a record of no interest.

    Raises _Damaged when the record is cut off (the archive ends inside it) or does not decode.
    """
    if not rec.rec_type or not (rec.rec_headers.get_header("Content-Length") or "").isdigit():
        # a header block cut off before its record type or length (both are required)
        raise _Damaged("truncated", "the archive ends inside a record header (the file is "
                                    "truncated or damaged there)")
    html = rec.rec_type in ("response", "resource") and "html" in (_mime(rec) or "")
    raw = _quiet(rec.content_stream().read, limit + 1) if html else b""
    oversized = len(raw) > limit
    _quiet(_drain, rec.raw_stream)
    if getattr(rec.raw_stream, "limit", 0) > 0:
        # warcio stops quietly at the end of a cut-off file; the unread remainder tells.
        raise _Damaged("truncated", "the archive ends inside this record (the file is truncated,"
                                    " or its Content-Length is larger than the record)")
    _quiet(records.get_record_offset)  # reads on to the next record: damage there shows now
    where = f"offset {start}"
    checker = getattr(rec, "digest_checker", None)
    damaged = checker is not None and checker.passed is False
    if not html:
        if damaged or rec.rec_type not in _RECORD_TYPES:
            reason = ("its digest does not match its content" if damaged
                      else f"its type {rec.rec_type[:40]!r} is not a WARC record type")
            return InputProblem(file.path, where, "malformed", f"a record skipped: {reason} "
                                "(damaged in storage?)", severity="warning")
        return None
    if oversized:
        return InputProblem(file.path, where, "oversized",
                            f"a response over the {limit}-byte limit per article")
    try:
        text, warnings = decode(raw, html=True)
    except ReadProblem as exc:
        return InputProblem(file.path, where, exc.kind, exc.message)
    if not text.strip():
        return InputProblem(file.path, where, "empty", "the response body is empty")
    if damaged:
        warnings = [*warnings, ("malformed", "the record's digest does not match its content "
                                             "(damaged in storage?); read as it is")]
    return RawRecord(file.path, file.resolved, where, "warc", "html", text, _meta(rec), warnings)


def _drain(stream) -> None:
    """Read a record's remaining bytes (so its length and digest can be checked)."""
    while stream.read(config.SKIP_CHUNK_BYTES):
        pass


def _meta(rec) -> dict:
    """The target URI and capture date of a record."""
    meta = {}
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if uri:
        meta["url"] = scrub(uri.strip("<>"))[0]
    date = rec.rec_headers.get_header("WARC-Date")
    if date:
        meta["warc_date"] = scrub(date)[0]
    return meta


def _trailing(fh, offset: int, size: int) -> InputProblem | None:
    """A problem for bytes after the last whole record that are not a record (a cut header)."""
    if not isinstance(offset, int) or offset >= size:
        return None
    fh.seek(offset)
    rest = fh.read(config.SNIFF_BYTES)
    if not rest.strip(b"\r\n\t \x00"):
        return None
    return InputProblem(fh.name, f"offset {offset}", "truncated",
                        f"{size - offset} bytes after the last whole record are not a readable "
                        "record (the file is truncated or damaged there)")


def _cut_member(fh, start: int) -> InputProblem | None:
    """A problem when the gzip member of the last record ends early (its trailer is cut)."""
    fh.seek(start)
    member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while not member.eof:
            chunk = fh.read(config.SKIP_CHUNK_BYTES)
            if not chunk:
                return InputProblem(fh.name, f"offset {start}", "truncated",
                                    "the archive's last gzip member ends early (the file is "
                                    "truncated)")
            member.decompress(chunk, 0)
            del chunk
    except zlib.error:
        return None  # a member that does not decompress was reported while reading it
    return None


def _no_pages(file: SourceFile, seen: int) -> InputProblem:
    """The problem for an archive that held no HTML page."""
    if seen == 0:
        return InputProblem(file.path, None, "empty", "no WARC/ARC records in the file")
    return InputProblem(file.path, None, "no_pages",
                        f"none of its {seen} records is an HTML page (status 200, text/html)",
                        severity="warning")


def _mime(rec) -> str | None:
    """The content type of a response (None: not a successful HTTP response)."""
    if rec.http_headers is None:
        return (rec.rec_headers.get_header("Content-Type") or "").lower()
    if rec.http_headers.get_statuscode() not in ("200", None):
        return None
    return (rec.http_headers.get_header("Content-Type") or "").lower()
