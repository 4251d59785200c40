"""WARC and ARC archives: the HTML responses of a web crawl, with their URL and capture date.

The only module that imports warcio. Records that are not successful HTML responses are skipped;
a cut-off or malformed archive yields the records before the damage and one problem for it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from provenance.inputs.decode import ReadProblem, decode
from provenance.inputs.files import RawRecord, SourceFile, require_content
from provenance.records import InputProblem

# Characters of a warcio error message kept in the problem (its messages can quote whole headers).
_MAX_MESSAGE = 200


def read_warc(file: SourceFile, limit: int) -> Iterator[RawRecord | InputProblem]:
    """Every HTML response of a WARC/ARC file (gzipped or not), and problems for damage."""
    require_content(file)
    with open(file.path, "rb") as fh:
        records = ArchiveIterator(fh, arc2warc=True)
        try:
            for rec in records:
                outcome = _response(file, rec, records, limit)
                if outcome is not None:
                    yield outcome
        except ArchiveLoadFailed as exc:
            message = str(exc).strip()[:_MAX_MESSAGE]
            yield InputProblem(file.path, _offset(records), "malformed",
                               f"not a readable WARC/ARC record: {message}")
        except (EOFError, zlib.error, ValueError) as exc:
            yield InputProblem(file.path, _offset(records), "truncated",
                               f"the archive ends inside a record ({exc or 'unexpected end'})")


def _offset(records: ArchiveIterator) -> str | None:
    """Where the iterator stopped, as a record locator."""
    offset = getattr(records, "offset", None)
    return f"offset {offset}" if isinstance(offset, int) and offset >= 0 else None


def _mime(rec) -> str | None:
    """The content type of a response (None: not a successful HTTP response)."""
    if rec.http_headers is None:
        return (rec.rec_headers.get_header("Content-Type") or "").lower()
    if rec.http_headers.get_statuscode() not in ("200", None):
        return None
    return (rec.http_headers.get_header("Content-Type") or "").lower()


def _response(file: SourceFile, rec, records: ArchiveIterator, limit: int
              ) -> RawRecord | InputProblem | None:
    """One WARC record as an article record, a problem, or None when it is not an HTML page."""
    if rec.rec_type not in ("response", "resource") or "html" not in (_mime(rec) or ""):
        return None
    raw = rec.content_stream().read(limit + 1)
    # Only after the body is read: asking for the offset first makes warcio skip the record.
    where = f"offset {records.get_record_offset()}"
    if len(raw) > limit:
        return InputProblem(file.path, where, "oversized",
                            f"a response over the {limit}-byte limit per article")
    if getattr(rec.raw_stream, "limit", 0) > 0:
        # warcio stops quietly at the end of a cut-off file; the unread remainder tells.
        return InputProblem(file.path, where, "truncated",
                            "the archive ends inside this record (the file is truncated)")
    try:
        text, warnings = decode(raw, html=True)
    except ReadProblem as exc:
        return InputProblem(file.path, where, exc.kind, exc.message)
    if not text.strip():
        return InputProblem(file.path, where, "empty", "the response body is empty")
    meta = {}
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if uri:
        meta["url"] = uri.strip("<>")
    date = rec.rec_headers.get_header("WARC-Date")
    if date:
        meta["warc_date"] = date
    return RawRecord(file.path, file.resolved, where, "warc", "html", text, meta, warnings)
