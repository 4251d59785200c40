"""Find and read inputs: files, directories, JSONL feeds, WARC/ARC archives and manifests.

This package only reads: it turns bytes into decoded records (`RawRecord`) with their metadata
hints, and every unreadable input into an `InputProblem`; extraction happens in
`provenance.extract`. Modules: `files` (discovery, format detection, one-document files),
`decode` (bytes to text), `jsonl`, `warc`, `manifest`. `read` and `read_bytes` below choose the
reader for a format.
"""

from __future__ import annotations

from collections.abc import Iterator

from provenance import config
from provenance.inputs.decode import ReadProblem, decode
from provenance.inputs.files import (
    Digest,
    FileDone,
    RawRecord,
    SourceFile,
    content_key,
    content_slot,
    detect_format,
    discover,
    file_key,
    read_document,
    sniff_format,
)
from provenance.inputs.jsonl import parse_line, read_jsonl
from provenance.inputs.manifest import load_manifest
from provenance.inputs.warc import read_warc
from provenance.records import InputProblem


def read(file: SourceFile, max_document_bytes: int = config.MAX_DOCUMENT_BYTES,
         digest: Digest | None = None) -> Iterator[RawRecord | InputProblem]:
    """Every record of one input file, or the problems that kept them from being read.

    With a `digest`, the bytes of one-document files and JSONL feeds are hashed as they are
    read (`Digest.key` then gives the file's content key without a read of its own); WARC
    archives, read with seeks, leave it incomplete, to be hashed apart.
    """
    try:
        if file.format == "jsonl":
            yield from read_jsonl(file, max_document_bytes, digest)
        elif file.format == "warc":
            yield from read_warc(file, max_document_bytes)
        else:
            yield read_document(file, max_document_bytes, digest)
    except ReadProblem as exc:
        yield InputProblem(file.path, None, exc.kind, exc.message, exc.severity)
    except OSError as exc:
        yield InputProblem(file.path, None, "unreadable", f"cannot read file: {exc}")


def read_bytes(raw: bytes, name: str) -> RawRecord | InputProblem:
    """Bytes holding one document (a draft on stdin) as a record; of JSONL, the first line.

    The format is sniffed from the first bytes (plain text when nothing else fits); `name`
    stands for the path in the record and in problems.
    """
    fmt = sniff_format(raw[:config.SNIFF_BYTES]) or "text"
    if fmt == "jsonl":
        return parse_line(name, name, "line 1", raw.split(b"\n", 1)[0] + b"\n")
    try:
        text, warnings = decode(raw, html=fmt == "html")
    except ReadProblem as exc:
        return InputProblem(name, None, exc.kind, exc.message)
    content_type = "html" if fmt == "html" else "text"
    return RawRecord(name, name, None, fmt, content_type, text, warnings=warnings)


__all__ = ["Digest", "FileDone", "InputProblem", "RawRecord", "SourceFile", "content_key",
           "content_slot", "detect_format", "discover", "file_key", "load_manifest", "read",
           "read_bytes", "sniff_format"]
