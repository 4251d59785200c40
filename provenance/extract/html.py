"""Page to article: body text, metadata and zones. The only module that imports trafilatura.

trafilatura finds the body and the metadata; its cleaning drops captions, bylines and related-link
blocks, which the citation stage needs, so those are read from the markup here as zones (the
class/id and text patterns are in `zone_patterns`).
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura import metadata as traf_meta
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params
from trafilatura.utils import repair_faulty_html

from provenance import config
from provenance.extract import zone_patterns as P
from provenance.extract.dates import normalise_date
from provenance.extract.language import detect_language, normalise_language
from provenance.extract.text import Extracted, ExtractionError, check_length, normalise_text
from provenance.records import Zone

_WS = re.compile(r"\s+")
# An XML declaration at the head of a page (after a byte-order mark or blank space).
_XML_DECLARATION = re.compile(r"^[\ufeff\s]*<\?xml[^>]*\?>", re.IGNORECASE)
# Meta fields that carry the publication time, in the names pages use.
_PUBLISHED_KEYS = ("article:published_time", "datepublished", "og:published_time",
                   "dc.date.issued", "pubdate", "date")
# Elements whose start begins a new line of a zone's text.
_BLOCK_TAGS = ("li", "p", "div", "br", "h2", "h3", "h4", "dt", "dd", "figcaption")


def extract_html(content: str, url: str | None = None) -> Extracted:
    """An HTML page: trafilatura's body and metadata, plus caption/credit/byline/related zones."""
    tree = _parse(content)
    page = _page_metadata(tree)
    # the metadata first, on the page as parsed (trafilatura reads it from a copy of its own
    # when it extracts the text: `_metadata` changes nothing in the tree, so it is the same)
    try:
        meta = _metadata(tree, url, dated="published" in page)
    except (TypeError, ValueError) as exc:  # trafilatura discards such a page too
        raise ExtractionError("malformed", f"trafilatura cannot read the page: {exc}") from None
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no_text", "no article text found in the page (is it an article?)")
    text = normalise_text(doc.text)
    check_length(text)
    if len(text) < config.MIN_TEXT_CHARS:
        raise ExtractionError("no_text", f"only {len(text)} characters of article text "
                                         "(is it an article?)")
    lang = normalise_language(page.get("lang"))
    lang_source = "html" if lang else None
    if not lang:
        lang = detect_language(text)
        lang_source = "detected" if lang else None
    return Extracted(
        text=text,
        title=_clean(meta.title),
        author=_clean(meta.author),
        published=page.get("published") or normalise_date(meta.date),
        sitename=_clean(meta.sitename),
        url=url or page.get("og_url") or _clean(meta.url),
        canonical_url=page.get("canonical") or _clean(meta.url),
        language=lang,
        language_source=lang_source,
        description=_clean(meta.description),
        zones=_with_author(_markup_zones(tree, text), _clean(meta.author)),
    )


def _metadata(tree, url: str | None, dated: bool) -> Document:
    """trafilatura's metadata of a page, the fields an article keeps: title, author, site name,
    URL and description, and the date unless the page's own meta tags gave one (`dated`).

    The steps of `trafilatura.metadata.extract_metadata`, in its order and with its settings,
    less what no article keeps (categories, tags, licence): those read the whole page, a tenth
    of trafilatura's time per page for nothing stored. The date search (htmldate) is as costly
    and only needed when the page's meta tags do not date it (`_page_metadata` wins then).
    """
    meta = traf_meta.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # as trafilatura: a one-word author is a handle, not a name
    try:
        meta = traf_meta.extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader fails on odd pages
        pass  # and its own extract_metadata goes on without it too
    meta.title = meta.title or traf_meta.extract_title(tree)
    meta.author = meta.author or traf_meta.extract_author(tree)
    meta.url = meta.url or traf_meta.extract_url(tree, url)
    if not dated:
        params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
        meta.date = traf_meta.find_date(tree, **{**params, "url": meta.url})
    meta.sitename = meta.sitename or traf_meta.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (found := traf_meta.META_URL.match(meta.url)):
        meta.sitename = found[1]
    meta.clean_and_trim()
    return meta


def _with_author(zones: tuple[Zone, ...], author: str | None) -> tuple[Zone, ...]:
    """The zones, plus the page's author metadata as a byline when no byline holds it as
    words: an agency credited only there ("Associated Press; Guardian staff reporter") is a
    wire credit all the same, and markup may run a byline's words into one another
    ("SIDNachrichtenagentur") where the metadata keeps them apart ("SID"). trafilatura
    joins the names of a byline with "; " ("By Jana Roth and AP" gives "Jana Roth; AP"): a
    byline that holds every name holds the author."""
    if not author:
        return zones
    names = [re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)")
             for name in author.split(";") if name.strip()]
    if not names or any(z.kind == "byline" and all(name.search(z.text) for name in names)
                        for z in zones):
        return zones  # no name at all (";"), or a byline holds them all
    return (*zones, Zone("byline", author[:config.MAX_ZONE_CHARS]))


def _html_parser() -> lxml_html.HTMLParser:
    """lxml.html's parser, with its elements' classes chosen in C: every element is an
    HtmlElement (lxml.html picks FormElement, InputElement ... in a Python call for each
    element object made, which trafilatura makes millions of; neither it nor the zones use
    those classes' form methods), with the settings trafilatura parses a page with itself:
    comments and processing instructions dropped (trafilatura's extraction keeps less of a
    page that still has its comments: a lead paragraph, a recipe's ingredients), ids not
    collected into a dictionary nobody reads, no doctype made up."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False,
                                  default_doctype=False)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
    return parser


_PARSER = _html_parser()


def _parse(content: str):
    """The page's tree. lxml refuses a text that opens with an XML declaration naming an
    encoding (the text is decoded already), so the declaration is dropped; any other refusal is
    an ExtractionError ("malformed"), which the scan records as an input problem.

    The text is first repaired as trafilatura repairs a page it parses itself: control
    characters that XML forbids are dropped (trafilatura's extraction fails on a tree that
    holds one: a page with a stray BEL in a footnote gave no article when handed to
    `extract_html` directly; a scan's reader has removed them already) and a doctype or
    ``<html/>`` that libxml2 misreads is fixed. A form feed is white space in HTML: it
    becomes a space, where the repair would join the words on either side.
    """
    content = _XML_DECLARATION.sub("", content, count=1).replace("\x0c", " ")
    content = repair_faulty_html(content, content[:50].lower())
    try:
        tree = lxml_html.document_fromstring(content, parser=_PARSER)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ExtractionError("malformed", f"not parseable as HTML: {exc}") from exc
    _check_limits(tree)
    return tree


def _check_limits(tree) -> None:
    """Refuse a page past `config.MAX_HTML_ELEMENTS` or `config.MAX_HTML_DEPTH` ("oversized").

    Both are counted by libxml2's XPath engine, in C and without recursion: a fraction of a
    second for 200k elements, where trafilatura would take minutes.
    """
    elements = int(tree.xpath("count(//*)"))
    if elements > config.MAX_HTML_ELEMENTS:
        raise ExtractionError("oversized", f"the page has {elements} HTML elements, over the "
                              f"limit of {config.MAX_HTML_ELEMENTS} (MAX_HTML_ELEMENTS) per page "
                              "(a dump or a generated page, not an article?)")
    if tree.xpath(f"boolean({'/*' * (config.MAX_HTML_DEPTH + 1)})"):
        raise ExtractionError("oversized", "the page's elements are nested more than "
                              f"{config.MAX_HTML_DEPTH} deep (MAX_HTML_DEPTH), which no article "
                              "needs (a damaged or generated page?)")


def _clean(value: str | None) -> str | None:
    """A metadata value on one line, or None when empty."""
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
        if key in _PUBLISHED_KEYS and "published" not in found:
            found["published"] = normalise_date(value)
        elif key == "og:url":
            found["og_url"] = value
    for link in tree.iterfind(".//link[@rel]"):
        if link.get("rel", "").lower() == "canonical" and link.get("href"):
            found["canonical"] = link.get("href").strip()
    return {k: v for k, v in found.items() if v}


def _markup_zones(tree, text: str) -> tuple[Zone, ...]:
    """Zones from the markup, each with its span in `text` when the body holds it too."""
    zones: list[Zone] = []
    seen: set[tuple[str, str]] = set()
    body = tree.find(".//body")
    if body is None:
        return ()
    related = _related_blocks(body)
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in ("script", "style", "noscript"):
            continue
        kind = _zone_kind(el, tag.lower(), related)
        if not kind:
            continue
        value = normalise_text(_element_text(el))[:config.MAX_ZONE_CHARS]
        if not value or (kind, value) in seen:
            continue
        if any(value in z.text for z in zones if z.kind == kind):
            continue  # a part of a zone already read (a credit inside its caption box)
        seen.add((kind, value))
        start = text.find(value)
        zones.append(Zone(kind, value, start, start + len(value)) if start >= 0
                     else Zone(kind, value))
    return tuple(zones)


def _related_blocks(body) -> set:
    """The blocks (aside, section, div, nav) whose own heading, one of their first
    `MARKUP_HEADING_CHILDREN` children, opens related links ("Mehr zum Thema"): found from the
    few headings of a page up, not from each of its many blocks down."""
    blocks = set()
    for heading in body.iter("h2", "h3", "h4", "strong", "H2", "H3", "H4", "STRONG"):
        block = heading.getparent()
        if (block is not None and block.tag.lower() in ("aside", "section", "div", "nav")
                and block.index(heading) < config.MARKUP_HEADING_CHILDREN
                and P.MARKUP_RELATED_HEADING.match(heading.text_content() or "")):
            blocks.add(block)
    return blocks


def _zone_kind(el, tag: str, related: set) -> str | None:
    """The zone kind an element (tag in lower case) marks up: by its tag, class/id, heading
    (`related`: the blocks `_related_blocks` found) or opening words."""
    if tag == "figcaption":
        content = el.text_content()
        return "image_credit" if P.MARKUP_CREDIT.search(content) else "caption"
    # the first kind any word of class, id and itemprop marks (value by value: the same as
    # word by word through the three joined, and the values repeat from element to element)
    order = _NO_KIND
    for value in (el.get("class"), el.get("id"), el.get("itemprop")):
        if value:
            found = _VALUE_ORDERS.get(value)
            if found is None:
                found = _value_order(value)
            if found < order:
                order = found
    if order != _NO_KIND:
        kind = _KINDS[order]
        return None if kind == "byline" and tag in ("a", "img", "meta", "link") else kind
    # the block's own heading (its first children), not a heading somewhere inside it: an
    # article container that holds a "Mehr zum Thema" box is not itself related links
    if related and el in related:
        return "related_links"
    if (tag in ("p", "div", "small", "span") and len(el) <= config.MARKUP_SOURCE_MAX_CHILDREN
            and _opening(el) in _SOURCE_OPENINGS):
        content = (el.text_content() or "").strip()
        if (content and len(content) < config.MARKUP_SOURCE_MAX_CHARS
                and P.MARKUP_SOURCE.match(content)):
            return "source_box"
    return None


# The first characters a text can have that `MARKUP_SOURCE` matches (its words' initials in
# either case, and the long s that `re.IGNORECASE` takes for an "s"); a test checks them.
_SOURCE_OPENINGS = frozenset("qQsSbB\u017f")


def _opening(el) -> str:
    """The first character of an element's text that is not white space ("": none), read
    from its first pieces of text rather than from all of them."""
    lead = el.text
    if lead:
        if not lead[0].isspace():
            return lead[0]
        if not lead.isspace():
            return lead.lstrip()[0]
    for piece in el.itertext():
        piece = piece.lstrip()
        if piece:
            return piece[0]
    return ""


# Zone kinds by the order of their MARKUP_CLASSES patterns (the first that matches wins).
_KINDS = tuple(kind for kind, _ in P.MARKUP_CLASSES)
_NO_KIND = len(_KINDS)  # the order of "no kind": after every kind
# The order of the kind each space-separated word of class/id/itemprop strings marks, and each
# whole value: the patterns are costly (case-folded), words and values repeat across pages.
_WORD_ORDERS: dict[str, int] = {}
_VALUE_ORDERS: dict[str, int] = {}
# The patterns without case folding, for words in ASCII put in lower case: the same matches
# (twice as fast) when the patterns fold case and are lower-case ASCII without escapes.
_LOWER_CLASSES = tuple((kind, re.compile(pattern.pattern)) for kind, pattern in P.MARKUP_CLASSES
                       ) if all(p.flags & re.IGNORECASE and p.pattern.isascii()
                                and p.pattern == p.pattern.lower() and "\\" not in p.pattern
                                for _, p in P.MARKUP_CLASSES) else ()


def _marker_kind(marker: str) -> str | None:
    """The zone kind of the first `MARKUP_CLASSES` pattern a class/id/itemprop string matches.

    Read word by word: no pattern matches across a space but at its `[-_ ]` edges (where a word
    starts or ends), so a pattern matches the string exactly when it matches one of its words.
    """
    order = _value_order(marker)
    return None if order == _NO_KIND else _KINDS[order]


def _value_order(value: str) -> int:
    """The order (in `MARKUP_CLASSES`) of the first kind a word of `value` marks (`_NO_KIND`:
    none), remembered for the value and its words (`config.MARKUP_WORDS_REMEMBERED` each)."""
    if len(_VALUE_ORDERS) > config.MARKUP_WORDS_REMEMBERED:
        _VALUE_ORDERS.clear()
    if len(_WORD_ORDERS) > config.MARKUP_WORDS_REMEMBERED:
        _WORD_ORDERS.clear()
    order = _NO_KIND
    if not _may_mark(value):  # most values (ids, layout classes): one search says so
        _VALUE_ORDERS[value] = order
        return order
    for word in value.split(" "):
        found = _WORD_ORDERS.get(word)
        if found is None:
            kind = _word_kind(word)
            found = _WORD_ORDERS[word] = _NO_KIND if kind is None else _KINDS.index(kind)
        order = min(order, found)
    _VALUE_ORDERS[value] = order
    return order


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches where any of `patterns` (all of one set of flags) does: most
    words match none, and one search says so where one per pattern did (None: mixed flags)."""
    if len({p.flags for p in patterns}) != 1:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


_ANY_CLASS = _any_of(tuple(p for _, p in P.MARKUP_CLASSES))
_ANY_LOWER_CLASS = _any_of(tuple(p for _, p in _LOWER_CLASSES)) if _LOWER_CLASSES else None


def _may_mark(value: str) -> bool:
    """Whether a `MARKUP_CLASSES` pattern may match a word of a class/id/itemprop value: one
    search of the whole value (a pattern that matches a word matches the value there, its
    `[-_ ]` edges taking the spaces between words as they take the word's ends)."""
    if _ANY_LOWER_CLASS is not None and value.isascii():
        return _ANY_LOWER_CLASS.search(value.lower()) is not None
    return _ANY_CLASS is None or _ANY_CLASS.search(value) is not None


def _word_kind(word: str) -> str | None:
    """The zone kind of the first `MARKUP_CLASSES` pattern one class/id word matches."""
    if _LOWER_CLASSES and word.isascii():
        lowered = word.lower()
        if _ANY_LOWER_CLASS is not None and not _ANY_LOWER_CLASS.search(lowered):
            return None
        return next((kind for kind, pattern in _LOWER_CLASSES if pattern.search(lowered)), None)
    if _ANY_CLASS is not None and not _ANY_CLASS.search(word):
        return None
    return next((kind for kind, pattern in P.MARKUP_CLASSES if pattern.search(word)), None)


def _element_text(el) -> str:
    """Element text with block children on their own lines."""
    parts: list[str] = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        if node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)
