"""Bytes to text: byte-order marks, UTF-8, declared charsets, per-line fallbacks, binary data.

A reader hands raw bytes here and gets text plus warnings back, or a `ReadProblem` that says why
the bytes are not text (binary data, an encoding that fits nothing). Bytes that are not valid
UTF-8 are decoded line by line, never as a whole: valid lines stay UTF-8, a line of UTF-8 with a
stray invalid byte keeps its UTF-8 (the byte becomes U+FFFD), and only the remaining lines are
read in a single-byte encoding (the page's declared charset, else one detected by
charset_normalizer, else cp1252). Control characters anywhere in the text are removed, with a
warning; a text that is mostly control characters is binary.
"""

from __future__ import annotations

import codecs
import re

from provenance import config

# Leading bytes of formats that are certainly not articles (images, archives, executables).
MAGIC_BINARY = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"RIFF",
    b"SQLite format 3", b"\x00\x00\x01\x00", b"BM",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Control characters text never holds (tab, newlines and form feed are text), as characters
# and as bytes (in UTF-8 and the single-byte encodings they are never part of a character).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# Lone UTF-16 surrogates: a str may hold them (JSON "\ud800"), UTF-8 cannot encode them.
_SURROGATES = re.compile("[\ud800-\udfff]")
_FALLBACK = "cp1252"


class ReadProblem(Exception):
    """An input (file or record) that cannot be read: the kind of an InputProblem and why."""

    def __init__(self, kind: str, message: str, severity: str = "error"):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.severity = severity  # "warning" for a file skipped on purpose (a list of URLs)


def decode(raw: bytes, html: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Bytes to text: UTF-8 (or a BOM's encoding), else per line (see the module docstring).

    Returns the text and warnings as (kind, message). Raises ReadProblem("binary") for binary
    data and ReadProblem("encoding") when no encoding fits.
    """
    if _looks_binary(raw):
        raise ReadProblem("binary", "binary data, not text (an image, archive or executable?)")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return clean_text(raw[len(bom):].decode(codec))
            except UnicodeDecodeError as exc:
                raise ReadProblem("encoding", f"invalid {codec} after its byte-order mark") from exc
    raw, removed = _strip_controls(raw)
    try:
        return raw.decode("utf-8"), removed
    except UnicodeDecodeError:
        pass
    declared = _codec(declared_charset(raw)) if html else None
    # A page's declared charset holds for the whole page; a UTF-16/32 declaration on bytes
    # without a byte-order mark is wrong (the page was readable enough to find it): ignored.
    if declared and declared != "utf-8" and not declared.startswith(("utf-16", "utf-32")):
        try:
            return raw.decode(declared), [
                ("encoding", f"not valid UTF-8; read as {declared_charset(raw)}"), *removed]
        except UnicodeDecodeError:
            pass
    text, warnings = _decode_lines(raw)
    return text, warnings + removed


def _strip_controls(raw: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    """Bytes without control characters (a fast pass in C), and a warning if there were any.

    Raises ReadProblem("binary") when control characters are more than
    `config.MAX_CONTROL_CHAR_RATIO` of the first `config.CONTROL_CHAR_SAMPLE` bytes.
    """
    cleaned = raw.translate(None, _CONTROL_BYTES)
    removed = len(raw) - len(cleaned)
    if not removed:
        return raw, []
    sample = raw[:config.CONTROL_CHAR_SAMPLE]
    if (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample) > \
            config.MAX_CONTROL_CHAR_RATIO:
        raise ReadProblem("binary", "mostly control characters, not text")
    return cleaned, [("control_characters", f"{removed} control characters removed")]


def _codec(name: str | None) -> str | None:
    """The Python codec a charset name stands for (None: unknown)."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_lines(raw: bytes) -> tuple[str, list[tuple[str, str]]]:
    """Bytes that are not valid UTF-8, decoded line by line; with what was done as warnings."""
    lines = raw.splitlines(keepends=True)
    out: list[str | None] = []
    foreign: list[int] = []  # lines in a single-byte encoding
    replaced: list[int] = []  # UTF-8 lines with invalid bytes replaced
    utf8_non_ascii = False
    for i, line in enumerate(lines):
        try:
            out.append(line.decode("utf-8"))
            utf8_non_ascii = utf8_non_ascii or not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        text = line.decode("utf-8", "replace")
        invalid = text.count("\ufffd")
        valid = sum(1 for ch in text if ord(ch) > 127) - invalid
        if valid and invalid <= valid * config.UTF8_MAX_INVALID_PER_VALID:
            out.append(text)
            replaced.append(i)
        else:
            out.append(None)
            foreign.append(i)
    codec = _single_byte_codec(b"".join(lines[i] for i in foreign)) if foreign else _FALLBACK
    for i in foreign:
        out[i] = lines[i].decode(codec, "replace")
    text = "".join(out)  # type: ignore[arg-type]
    if foreign and not replaced and not utf8_non_ascii:
        return text, [("encoding", f"not valid UTF-8; read as {codec}")]
    warnings = []
    if foreign:
        warnings.append(("encoding", f"not valid UTF-8 on {len(foreign)} of {len(lines)} lines, "
                                     f"read as {codec} ({_lines(foreign)}); the rest is UTF-8"))
    if replaced:
        warnings.append(("encoding", f"invalid UTF-8 bytes replaced by U+FFFD on {len(replaced)} "
                                     f"of {len(lines)} lines ({_lines(replaced)})"))
    return text, warnings


def _lines(indices: list[int]) -> str:
    """Line numbers for a warning: "line 3" or "lines 3, 9, 12 ..."."""
    shown = ", ".join(str(i + 1) for i in indices[:config.WARNING_LINES_SHOWN])
    more = " ..." if len(indices) > config.WARNING_LINES_SHOWN else ""
    return f"line {shown}" if len(indices) == 1 else f"lines {shown}{more}"


def _single_byte_codec(data: bytes) -> str:
    """The encoding of non-UTF-8 text: detected when there is enough of it, else cp1252.

    A detected encoding that reads the bytes exactly as cp1252 does is reported as cp1252 (the
    detector often names a sibling such as cp1250 for German text).
    """
    if sum(b > 127 for b in data) < config.CHARSET_DETECT_MIN_BYTES:
        return _FALLBACK
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a dependency of trafilatura, so present; cp1252 if not
        return _FALLBACK
    best = from_bytes(data).best()
    if best is None or best.encoding in ("ascii", "utf_8", _FALLBACK):
        return _FALLBACK
    if data.decode(best.encoding, "replace") == data.decode(_FALLBACK, "replace"):
        return _FALLBACK
    return best.encoding


def clean_text(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Text without control characters or lone surrogates; warnings say what was removed.

    Raises ReadProblem("binary") when control characters are more than
    `config.MAX_CONTROL_CHAR_RATIO` of the first `config.CONTROL_CHAR_SAMPLE` characters.
    """
    if not text:
        return text, []
    sample = text[:config.CONTROL_CHAR_SAMPLE]
    if len(_CONTROLS.findall(sample)) / len(sample) > config.MAX_CONTROL_CHAR_RATIO:
        raise ReadProblem("binary", "mostly control characters, not text")
    return scrub(text)


def scrub(text: str, what: str = "") -> tuple[str, list[tuple[str, str]]]:
    """`text` without control characters, lone surrogates as U+FFFD; warnings for each.

    `what` names the part in the warnings ("field 'title': ").
    """
    warnings = []
    text, n = _CONTROLS.subn("", text)
    if n:
        warnings.append(("control_characters", f"{what}{n} control characters removed"))
    text, n = _SURROGATES.subn("\ufffd", text)
    if n:
        warnings.append(("encoding",
                         f"{what}{n} lone surrogates (invalid Unicode) replaced by U+FFFD"))
    return text, warnings


def _looks_binary(raw: bytes) -> bool:
    """A known binary signature, or NUL bytes in the head (UTF-16 text excepted)."""
    if raw.startswith(MAGIC_BINARY):
        return True
    return b"\x00" in raw[:config.BINARY_PROBE_BYTES] and not raw.startswith(_UTF16_BOMS)


def declared_charset(raw: bytes) -> str | None:
    """The `charset=` an HTML page declares near its start, if any."""
    head = raw[:config.SNIFF_BYTES].lower()
    marker = head.find(b"charset=")
    if marker < 0:
        return None
    value = head[marker + 8 : marker + 40].strip(b"\"' ")
    value = value.split(b'"')[0].split(b"'")[0].split(b";")[0]
    name = bytes(ch for ch in value if chr(ch).isalnum() or chr(ch) in "-_")
    return name.decode("ascii", "ignore") or None
