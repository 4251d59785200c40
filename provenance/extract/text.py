"""Plain text to article: normalisation, the title line, zones, and the digest of the text.

Also the result both extractors return (`Extracted`) and their error (`ExtractionError`): a
plain-text or Markdown article is its whole text, normalised the same way as a page's body, so
that offsets and digests agree whichever way an article came in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from provenance import config
from provenance.extract.zones import Layout, read_layout
from provenance.records import Zone

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# The runs of `_SPACES` that are not a single " " (those it would replace by themselves).
_SPACES_TO_REPLACE = re.compile(r" [ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+|"
                                r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
                                r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]*")
_BLANK_LINES = re.compile(r"\n{3,}")
_GLUED_WORDS = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:[A-ZÄÖÜ][a-zäöüß]+)+$")
_SENTENCE_END = re.compile(r"[.!?](\s|$)")


@dataclass(frozen=True)
class Extracted:
    """What extraction found in one document; offsets (zones, citations) refer to `text`.

    `layout` is the zone detector's reading of a plain text (None for a page, whose zones come
    from its markup); citation extraction completes it with the registry instead of reading the
    text again.
    """

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    language_source: str | None = None  # html | detected
    description: str | None = None
    zones: tuple[Zone, ...] = ()
    layout: Layout | None = field(default=None, compare=False, repr=False)


class ExtractionError(ValueError):
    """A document from which no article text could be extracted; `kind` says why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # malformed | no_text | too_short | oversized


def normalise_text(text: str) -> str:
    """NFC, `\\n` line ends, single spaces, at most one blank line in a row, no edge space."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or _has_odd_space(text):
        # every run of spaces made one space (runs never span a line break)
        text = _SPACES_TO_REPLACE.sub(" ", text)
    text = "\n".join([line.strip() for line in text.split("\n")])
    return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


def _has_odd_space(text: str) -> bool:
    """Whether `text` holds a space of `_SPACES` other than " " (one table look-up per
    character: scanning with the pattern is several times slower)."""
    if text.isascii():
        return "\t" in text
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return bool(_odd_spaces().take(points, mode="clip").any())


@cache
def _odd_spaces() -> np.ndarray:
    """A table of the plane: true for the characters of `_SPACES` but " " (none lies beyond)."""
    table = np.zeros(0x10000, dtype=bool)
    plane = "".join(map(chr, range(0x10000)))
    for m in re.finditer(_SPACES.pattern[:-1], plane):
        table[m.start()] = m.group() != " "
    return table


def text_digest(text: str) -> str:
    """sha256 of the text with all whitespace runs collapsed: layout changes keep the digest.
    (``str.split`` splits on the whitespace that ``\\s`` matches, three times faster than a
    regex substitution, and drops it at both ends as ``strip`` does.)"""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def check_length(text: str) -> None:
    """Refuse an article text longer than `config.MAX_ARTICLE_CHARS` ("oversized")."""
    if len(text) > config.MAX_ARTICLE_CHARS:
        raise ExtractionError("oversized", f"{len(text)} characters of article text, over the "
                              f"limit of {config.MAX_ARTICLE_CHARS} (MAX_ARTICLE_CHARS) per "
                              "article (a dump or a book, not an article?)")


def extract_plain(content: str, meta: dict | None = None) -> Extracted:
    """A plain-text or Markdown article: the whole text, its first line as title if it is one.

    `meta` holds the input's hints (url, outlet, ...); a plain text has no markup to read them
    from, so the caller applies them, and extraction reads the text alone.
    """
    text = normalise_text(content)
    check_length(text)
    if len(text) < config.MIN_TEXT_CHARS:
        raise ExtractionError("too_short",
                              f"only {len(text)} characters of text; nothing to match on")
    layout = read_layout(text)
    return Extracted(text=text, title=_plain_title(text), zones=layout.zones(), layout=layout)


def _plain_title(text: str) -> str | None:
    """The title line of a plain text: the first line, past a glued breadcrumb such as
    "RusslandTechnologieUkraine" or "NachrichtenNordkorea steigert ..." (scraped pages)."""
    head = text.split("\n")[:config.TITLE_SEARCH_LINES]
    lines = [line.lstrip("#").strip() for line in head if line.strip()]
    if not lines:
        return None
    first = lines[0]
    if _GLUED_WORDS.match(first) and len(lines) > 1:
        first = lines[1]
    elif len(lines) > 1 and first != lines[1] and first.endswith(lines[1]):
        first = lines[1]
    return first if _looks_like_title(first, text) else None


def _looks_like_title(line: str, text: str) -> bool:
    """A short line, one sentence at most, that does not run on (",", ":", ";")."""
    if not line or len(line) > config.MAX_TITLE_CHARS or line == text:
        return False
    sentence_ends = len(_SENTENCE_END.findall(line))
    return sentence_ends <= 1 and not line.endswith((",", ":", ";"))
