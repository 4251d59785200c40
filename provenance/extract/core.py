"""Page to article: body text, metadata and side zones. The only module that imports trafilatura.

trafilatura finds the body and the metadata; its cleaning drops captions, bylines and related-link
blocks, which the citation stage needs, so those are read from the markup here as separate zones.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

import trafilatura
from lxml import html as lxml_html

from provenance import config
from provenance.extract.language import detect_language, normalize_language

ZONE_KINDS = ("title", "byline", "dateline", "caption", "image_credit", "related_links",
              "source_box", "footer")
# A zone longer than this is not a caption or a credit but a whole section; it is cut.
MAX_ZONE_CHARS = 2000

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_WS = re.compile(r"\s+")

# Class/id fragments that mark side zones in real templates (German and English).
_ZONE_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("image_credit", re.compile(r"credit|copyright|bildquelle|photo-?source|quelle-?bild|"
                                r"image-?source|fotograf", re.I)),
    ("caption", re.compile(r"caption|bildunterschrift|bu-text|figure-?text", re.I)),
    ("related_links", re.compile(r"related|teaser|read-?more|lesen-?sie|mehr-?zum|"
                                 r"recommend|empfehl|weitere-?artikel|aehnliche", re.I)),
    ("byline", re.compile(r"byline|author|autor", re.I)),
    ("dateline", re.compile(r"dateline", re.I)),
    ("source_box", re.compile(r"(^|[-_ ])(source|sources|quelle|quellen)([-_ ]|$)|"
                              r"referenz", re.I)),
)
_CREDIT_TEXT = re.compile(r"^\s*(Foto|Fotos|Bild|Bildquelle|Quelle Bild|Photo|Image|Credit)"
                          r"\s*:|©|\(c\)\s", re.I)
_RELATED_HEADINGS = re.compile(r"^\s*(Lesen Sie auch|Mehr zum Thema|Auch interessant|"
                               r"Ähnliche Artikel|Weitere Artikel|Read more|Related|"
                               r"More on this story|Read also)\b", re.I)
_SOURCE_TEXT = re.compile(r"^\s*(Quelle|Quellen|Source|Sources|Beste Referenz)\s*:?", re.I)


@dataclass
class Extracted:
    """What extraction found in one document; offsets elsewhere refer to `text`."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    language_source: str | None = None
    description: str | None = None
    zones: list[dict] = field(default_factory=list)


class ExtractionError(ValueError):
    """A document from which no article text could be extracted."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def normalize_text(text: str) -> str:
    """NFC, `\\n` line ends, single spaces, at most one blank line in a row, no edge space."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def text_hash(text: str) -> str:
    """sha256 of the text with all whitespace runs collapsed: layout changes keep the hash."""
    return hashlib.sha256(_WS.sub(" ", text).strip().encode("utf-8")).hexdigest()


def extract_plain(content: str, meta: dict | None = None) -> Extracted:
    """A plain-text or Markdown article: the whole text, its first line as title if it is one."""
    text = normalize_text(content)
    if len(text) < config.MIN_TEXT_CHARS:
        raise ExtractionError("too_short",
                              f"only {len(text)} characters of text; nothing to match on")
    return Extracted(text=text, title=_plain_title(text), zones=_text_zones(text))


_GLUED_WORDS = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:[A-ZÄÖÜ][a-zäöüß]+)+$")


def _plain_title(text: str) -> str | None:
    """The title line of a plain text: the first line, past a glued breadcrumb such as
    "RusslandTechnologieUkraine" or "NachrichtenNordkorea steigert ..." (scraped pages)."""
    lines = [line.lstrip("#").strip() for line in text.split("\n")[:8] if line.strip()]
    if not lines:
        return None
    first = lines[0]
    if _GLUED_WORDS.match(first) and len(lines) > 1:
        first = lines[1]
    elif len(lines) > 1 and first != lines[1] and first.endswith(lines[1]):
        first = lines[1]
    return first if _looks_like_title(first, text) else None


def _looks_like_title(line: str, text: str) -> bool:
    if not line or len(line) > config.MAX_TITLE_CHARS or line == text:
        return False
    sentence_ends = len(re.findall(r"[.!?](\s|$)", line))
    return sentence_ends <= 1 and not line.endswith((",", ":", ";"))


def _text_zones(text: str) -> list[dict]:
    """Related-link blocks and credit lines in plain text, with their spans (they stay in text)."""
    zones: list[dict] = []
    pos = 0
    lines = text.split("\n")
    in_related = False
    for line in lines:
        start, end = pos, pos + len(line)
        pos = end + 1
        if _RELATED_HEADINGS.match(line):
            in_related = True
            zones.append({"kind": "related_links", "text": line, "start": start, "end": end})
            continue
        if in_related:
            if line.startswith(("-", "*", "•")) or (line and len(line) < 200 and not
                                                     line.endswith(".")):
                zones[-1]["text"] += "\n" + line
                zones[-1]["end"] = end
                continue
            in_related = False
        if _CREDIT_TEXT.match(line) and len(line) < 200:
            zones.append({"kind": "image_credit", "text": line, "start": start, "end": end})
    return zones


def extract_html(content: str, url: str | None = None) -> Extracted:
    """An HTML page: trafilatura's body and metadata, plus caption/credit/byline/related zones."""
    try:
        tree = lxml_html.document_fromstring(content)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractionError("malformed", f"not parseable as HTML: {exc}") from exc
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no_text", "no article text found in the page (is it an article?)")
    text = normalize_text(doc.text)
    if len(text) < config.MIN_TEXT_CHARS:
        raise ExtractionError("no_text", f"only {len(text)} characters of article text "
                                         "(is it an article?)")
    page = _page_metadata(tree)
    lang = normalize_language(page.get("lang"))
    lang_source = "html" if lang else None
    if not lang:
        lang = detect_language(text)
        lang_source = "detected" if lang else None
    return Extracted(
        text=text,
        title=_clean(doc.title),
        author=_clean(doc.author),
        published=page.get("published") or normalize_date(doc.date),
        sitename=_clean(doc.sitename),
        url=url or page.get("og_url") or _clean(doc.url),
        canonical_url=page.get("canonical") or _clean(doc.url),
        language=lang,
        language_source=lang_source,
        description=_clean(doc.description),
        zones=_html_zones(tree, text),
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def _page_metadata(tree) -> dict:
    """Fields trafilatura does not return or returns coarser: lang, full timestamp, canonical."""
    found: dict = {}
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if meta.get("http-equiv", "").lower() == "content-language":
                lang = meta.get("content")
    if lang:
        found["lang"] = lang
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = (meta.get("content") or "").strip()
        if not value:
            continue
        if key in ("article:published_time", "datepublished", "og:published_time",
                   "dc.date.issued", "pubdate", "date") and "published" not in found:
            found["published"] = normalize_date(value)
        elif key == "og:url":
            found["og_url"] = value
    for link in tree.iterfind(".//link[@rel]"):
        if link.get("rel", "").lower() == "canonical" and link.get("href"):
            found["canonical"] = link.get("href").strip()
    return {k: v for k, v in found.items() if v}


def _html_zones(tree, text: str) -> list[dict]:
    """Side zones from the markup, each with its span in `text` when the body holds it too."""
    zones: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, raw: str) -> None:
        value = normalize_text(raw)[:MAX_ZONE_CHARS]
        if not value or (kind, value) in seen:
            return
        if any(value in z["text"] for z in zones if z["kind"] == kind):
            return
        seen.add((kind, value))
        start = text.find(value)
        zones.append({"kind": kind, "text": value,
                      "start": start if start >= 0 else None,
                      "end": start + len(value) if start >= 0 else None})

    body = tree.find(".//body")
    if body is None:
        return zones
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            continue
        kind = _zone_kind(el)
        if kind:
            add(kind, _element_text(el))
    return zones


def _zone_kind(el) -> str | None:
    tag = el.tag.lower()
    if tag == "figcaption":
        content = el.text_content()
        return "image_credit" if _CREDIT_TEXT.search(content) else "caption"
    marker = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}".strip()
    if marker:
        for kind, pattern in _ZONE_MARKERS:
            if pattern.search(marker):
                if kind == "byline" and tag in ("a", "img", "meta", "link"):
                    return None
                return kind
    if tag in ("aside", "section", "div", "nav") and len(el):
        # the block's own heading (its first children), not a heading somewhere inside it:
        # an article container that holds a "Mehr zum Thema" box is not itself related links
        for child in el[:2]:
            if (isinstance(child.tag, str) and child.tag.lower() in ("h2", "h3", "h4", "strong")
                    and _RELATED_HEADINGS.match(child.text_content() or "")):
                return "related_links"
    if tag in ("p", "div", "small", "span") and len(el) <= 3:
        content = (el.text_content() or "").strip()
        if content and len(content) < 200 and _SOURCE_TEXT.match(content):
            return "source_box"
    return None


def _element_text(el) -> str:
    """Element text with block children on their own lines."""
    parts: list[str] = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        if node.tag in ("li", "p", "div", "br", "h2", "h3", "h4", "dt", "dd", "figcaption"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S.%f%z",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y%m%d%H%M%S")


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime as `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (UTC); else None."""
    if not value:
        return None
    raw = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if len(raw) <= 10 and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.strftime("%Y-%m-%d")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")
