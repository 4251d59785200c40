"""Bytes to text: byte-order marks, UTF-8, declared charsets, the cp1252 fallback, binary data.

A reader hands raw bytes here and gets text plus warnings back, or a `ReadProblem` that says why
the bytes are not text (binary data, an encoding that fits nothing).
"""

from __future__ import annotations

from provenance import config

# Leading bytes of formats that are certainly not articles (images, archives, executables).
MAGIC_BINARY = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"RIFF",
    b"SQLite format 3", b"\x00\x00\x01\x00", b"BM",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Control characters that plain text legitimately holds.
_TEXT_CONTROLS = "\t\n\r\f"


class ReadProblem(Exception):
    """An input (file or record) that cannot be read: the kind of an InputProblem and why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def decode(raw: bytes, html: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Bytes to text: UTF-8 (or a BOM's encoding), else the declared charset, else cp1252.

    Returns the text and warnings as (kind, message). Raises ReadProblem("binary") for binary
    data and ReadProblem("encoding") when no encoding fits.
    """
    if _looks_binary(raw):
        raise ReadProblem("binary", "binary data, not text (an image, archive or executable?)")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _check_text(raw[len(bom):].decode(codec)), []
            except UnicodeDecodeError as exc:
                raise ReadProblem("encoding", f"invalid {codec} after its byte-order mark") from exc
    try:
        return _check_text(raw.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw) if html else None
    for codec in filter(None, (declared, "cp1252")):
        try:
            text = _check_text(raw.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
        return text, [("encoding", f"not valid UTF-8; read as {codec}")]
    raise ReadProblem("encoding", "not valid UTF-8 and no declared or fallback encoding fits")


def _looks_binary(raw: bytes) -> bool:
    """A known binary signature, or NUL bytes in the head (UTF-16 text excepted)."""
    if raw.startswith(MAGIC_BINARY):
        return True
    return b"\x00" in raw[:config.BINARY_PROBE_BYTES] and not raw.startswith(_UTF16_BOMS)


def _check_text(text: str) -> str:
    """The text itself, unless too many of its first characters are control characters."""
    if text:
        sample = text[:config.CONTROL_CHAR_SAMPLE]
        controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _TEXT_CONTROLS)
        if controls / len(sample) > config.MAX_CONTROL_CHAR_RATIO:
            raise ReadProblem("binary", "mostly control characters, not text")
    return text


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
