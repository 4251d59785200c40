"""JSONL feeds: one JSON object per line, each an article with `text` or `html` and metadata.

A bad line (invalid JSON, no body, wrong encoding, over the size limit) becomes an InputProblem
for that line, and reading goes on with the next one.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from provenance import config
from provenance.inputs.decode import ReadProblem, clean_text, scrub
from provenance.inputs.files import (
    Digest,
    RawRecord,
    SourceFile,
    open_stream,
    require_content,
)
from provenance.records import InputProblem

# The fields of a record (and of a manifest row) that provenance reads.
JSONL_FIELDS = ("id", "url", "title", "text", "html", "published", "outlet", "author", "language")
# The metadata fields: all but the body.
META_FIELDS = tuple(f for f in JSONL_FIELDS if f not in ("text", "html"))


def read_jsonl(file: SourceFile, limit: int, digest: Digest | None = None
               ) -> Iterator[RawRecord | InputProblem]:
    """Every record of a JSONL file, a problem for each line that is not one, and warnings for
    blank lines and for an id given again (the later line replaces the earlier). The file's
    bytes are hashed into `digest` as they are read, when one is given."""
    require_content(file)
    lineno, blank, records = 0, [], 0
    ids: dict[str, int] = {}
    with open_stream(file, digest) as stream:
        while True:
            try:
                line = stream.readline(limit + 1)
            except EOFError:
                yield InputProblem(file.path, f"line {lineno + 1}", "truncated",
                                   "the gzip stream ends early (the file is truncated)")
                return
            except (gzip.BadGzipFile, zlib.error) as exc:
                raise ReadProblem("malformed", f"not a valid gzip file: {exc}") from exc
            if not line:
                break
            lineno += 1
            if len(line) > limit and not line.endswith(b"\n"):
                yield InputProblem(file.path, f"line {lineno}", "oversized",
                                   f"a record over the {limit}-byte limit per article")
                _skip_line(stream)
            elif not line.strip():
                blank.append(lineno)
            else:
                outcome = parse_line(file.path, file.resolved, f"line {lineno}", line)
                records += 1
                if isinstance(outcome, RawRecord) and "id" in outcome.meta:
                    yield from _repeated(file, ids, outcome.meta["id"], lineno)
                yield outcome
    if records == 0 and not blank and lineno == 0:
        raise ReadProblem("empty", "the file holds no records")
    if records == 0 and lineno == len(blank):
        raise ReadProblem("empty", f"the file holds only blank lines ({len(blank)})")
    if blank:
        yield InputProblem(file.path, f"line {blank[0]}", "blank_lines",
                           f"{len(blank)} blank lines skipped (lines "
                           f"{', '.join(map(str, blank[:5]))}{' ...' if len(blank) > 5 else ''})",
                           severity="warning")


def _repeated(file: SourceFile, ids: dict[str, int], record_id: str, lineno: int
              ) -> Iterator[InputProblem]:
    """A warning when `record_id` was the id of an earlier line of the file (which it replaces)."""
    earlier = ids.get(record_id)
    ids[record_id] = lineno
    if earlier is not None:
        yield InputProblem(file.path, f"line {earlier}", "duplicate_id",
                           f"id {record_id!r} appears again on line {lineno}; the later line "
                           "replaces this one", severity="warning")


def _skip_line(stream: BinaryIO) -> None:
    """Read on to the end of an oversized line without holding it."""
    while True:
        chunk = stream.readline(config.SKIP_CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def parse_line(path: str, resolved: str, where: str, line: bytes) -> RawRecord | InputProblem:
    """One JSONL line (bytes, with its newline if it had one) as a record or a problem."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return InputProblem(path, where, "encoding", "not valid UTF-8 (JSONL must be UTF-8)")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        kind = "truncated" if not line.endswith(b"\n") else "malformed"
        return InputProblem(path, where, kind, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return InputProblem(path, where, "malformed", "JSON nested too deeply (arrays or "
                            "objects inside one another by the thousand)")
    if not isinstance(obj, dict):
        return InputProblem(path, where, "malformed", "a JSONL record must be a JSON object")
    body, content_type = obj.get("text"), "text"
    if not isinstance(body, str) or not body.strip():
        body, content_type = obj.get("html"), "html"
    if not isinstance(body, str) or not body.strip():
        return InputProblem(path, where, "malformed",
                            "the record has no non-empty 'text' or 'html' field")
    try:
        body, warnings = clean_text(body)
    except ReadProblem as exc:
        return InputProblem(path, where, exc.kind, f"the record's {content_type}: {exc.message}")
    meta, more = _metadata(obj)
    return RawRecord(path, resolved, where, "jsonl", content_type, body, meta, warnings + more)


def _metadata(obj: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The string metadata fields of a record (a numeric id becomes a string), and warnings.

    Control characters are removed and lone surrogates replaced (U+FFFD), with a warning:
    neither may reach the database.
    """
    meta, warnings = {}, []
    for key in META_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
            value = str(value)
        if not isinstance(value, str):
            warnings.append(("malformed", f"field '{key}' is not a string; ignored"))
            continue
        value, notes = scrub(value.strip(), f"field '{key}': ")
        warnings += notes
        if value:
            meta[key] = value
    return meta, warnings
