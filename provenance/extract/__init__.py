"""Extraction: a page or a plain text to article text, metadata and zones.

    extract_html(page, url)   -> Extracted   (html.py: trafilatura and the page markup)
    extract_plain(text, meta) -> Extracted   (text.py: plain text and Markdown)

Both normalise the text the same way (`normalise_text`) and report the zones of the text that
are not body prose (captions, credits, related links, source boxes) as `records.Zone`s; the one
zone detector for plain text is `zones.py`, its patterns are `zone_patterns.py`. `text_digest` is
the digest stored as `Article.text_hash`; `dates` and `language` normalise what pages declare.
`extract_html` is imported on first use: a `check` of a text draft does not load trafilatura
(a scan loads it before its workers fork, in `scan.workers.warm`).
"""

from typing import TYPE_CHECKING

from provenance.extract.dates import normalise_date
from provenance.extract.language import detect_language, normalise_language
from provenance.extract.text import (
    Extracted,
    ExtractionError,
    extract_plain,
    normalise_text,
    text_digest,
)

if TYPE_CHECKING:
    from provenance.extract.html import extract_html


def __getattr__(name: str):
    if name == "extract_html":
        from provenance.extract.html import extract_html

        return extract_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "extract_html"})


__all__ = ["ExtractionError", "Extracted", "detect_language", "extract_html", "extract_plain",
           "normalise_date", "normalise_language", "normalise_text", "text_digest"]
