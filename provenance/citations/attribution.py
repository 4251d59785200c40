"""Citations in article text: which outlets and other sources an article names as the origin of
its information, how (the citation kind of DESIGN.md section 3), and the exact evidence.

Pure: no database, no files except the packaged ``data/sources.json``, no output. The steps:

1. zones: lines and spans that are not body text (related-link lists, image credits, source
   boxes, wire credits) are found in the text and merged with zones passed in from extraction;
2. names: outlet names from the registry and non-outlet sources (ministries, intelligence
   services, think tanks, international bodies) from ``sources.json``;
3. kinds: a name inside a zone takes the zone's kind; a name in body text is classified by the
   cue grammar in ``cues.py`` within its sentence ("laut", "zufolge", "according to", subject +
   report verb, ...); an outlet without a cue is a ``mention``, a source without one is dropped;
4. relays: "Yonhap, citing KCNA" links the two ("relayed_by"), the innermost is the original.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from provenance.citations import cues as C
from provenance.citations.registry import Registry

SOURCES_PATH = Path(__file__).parents[1] / "data" / "sources.json"

KINDS = ("claim_attribution", "direct_quote", "report_reference", "relay", "source_box",
         "wire_credit", "image_credit", "related_links", "mention")
# DESIGN.md section 3: image credits, related links and bare mentions never make an edge.
COUNTING_KINDS = frozenset(KINDS) - {"image_credit", "related_links", "mention"}
SOURCE_TYPES = ("outlet", "authority", "intelligence", "think_tank", "organisation")
BODY = "body"
# Kinds that say nothing about a name: kept for outlets, dropped for sources and common words.
_NEEDS_CUE = frozenset({"mention", "related_links"})
# Zone kinds from extraction and the citation kind every name inside them takes.
ZONE_CITATION_KIND = {"caption": "image_credit", "image_credit": "image_credit",
                      "related_links": "related_links", "source_box": "source_box",
                      "byline": "wire_credit", "dateline": "wire_credit"}
# Cue patterns look at most this far left of a name: descriptors are short, and a bounded
# window keeps the end-anchored patterns linear on long sentences.
LEFT_WINDOW = 160
# A line naming only agencies ("dpa/AFP") is a byline among the first or last lines of a text;
# elsewhere it credits the photo it stands under.
BYLINE_HEAD_LINES = 4
BYLINE_TAIL_LINES = 3
# The publisher naming itself is certain to be a mention.
CONF_SELF = 0.9
# Short source aliases ("UN", "Nato", "Kreml") are matched with their exact case.
CASE_SENSITIVE_MAX_LEN = 5
# Words of a source alias at least this long may carry a German case ending.
MIN_INFLECTED_WORD = 3

_LANGUAGE = re.compile(r"^[a-z]{2}")
_INFLECTION_TAIL = re.compile(r"^(?:es|s)(?=\W|$)")
_CLOSING_QUOTE = re.compile(r"^[“”\"«»]")
_TOKEN = re.compile(r"\w+")
# Split on captured tokens: [gap, token, gap, token, ..., gap].
_TOKEN_SPLIT = re.compile(r"(\w+)")
# Tokens remembered by SourceIndex.find with the aliases they may start; cleared when full.
TOKEN_MEMO = 1 << 16
_TOKEN_KEY = re.compile(r"\w{1,3}")
# A capitalised word right before a name, not at a sentence start: "International Business Times".
_GLUED_NAME = re.compile(r"(?<![.!?:\n]\s)(?<=\S\s)([A-Z][\w&'’.-]*)\s+$")
_GLUED_AFTER = re.compile(r" [A-Z][a-z]")
_NEXT_WORD = re.compile(r"[\w„“\"'»«(]+")
_LAST_WORD = re.compile(r"(\S+)$")
_DOTTED_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_ADJECTIVE_ENDING = re.compile(r"(?<=\w{3})(?:e|en|er|es|em)$")


@dataclass(frozen=True)
class Citation:
    """One named source in an article: who, how it is cited, and where (offsets into the text)."""

    outlet_id: str | None  # registry id, None for a non-outlet source
    source_name: str  # the name as written
    source_type: str  # "outlet" or a sources.json type
    kind: str  # one of KINDS
    cue: str | None  # the cue word or phrase, or the zone marker
    # Offsets of the name in the text (in the zone's text for detached zones); for an implied
    # name, as in a Reuters sign-off "(Reporting by ...; Editing by ...)", of the whole credit.
    start: int
    end: int
    sentence: str
    sentence_start: int
    zone: str  # "body" or a zone kind
    rule: str  # stable rule id such as "de.laut"
    confidence: float
    relayed_by: str | None = None  # the outlet that relayed this one ("Yonhap, citing KCNA")
    original: bool = False  # the innermost source of a relay chain
    source_id: str | None = None  # sources.json id of a non-outlet source

    @property
    def counts(self) -> bool:
        """Whether this citation makes an article-to-source edge."""
        return self.kind in COUNTING_KINDS


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text with its offset; lines are hard boundaries."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Source:
    """A non-outlet source (authority, intelligence service, think tank, organisation)."""

    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    name: str
    outlet_id: str | None
    source_id: str | None
    source_type: str
    guarded: bool = False  # a common-word outlet name ("Welt", "Spiegel"): kept only with a cue


@dataclass(frozen=True)
class _Region:
    """A span that is not body text; `kind` None means "classify by grammar, label the zone"."""

    start: int
    end: int
    kind: str | None
    zone: str
    rule: str
    cue: str | None
    confidence: float
    outlets_only: bool = False
    hits: tuple[_Hit, ...] = ()  # names the registry matcher cannot see ("(afp)")


@dataclass
class _Draft:
    hit: _Hit
    sentence: Sentence
    kind: str
    rule: str
    cue: str | None
    confidence: float
    zone: str = BODY
    role: str = C.ROLE_SOURCE
    relayed_by: str | None = None
    relays: bool = False  # this outlet relays another one
    from_right: bool = False  # the cue follows the name (it carries back over "A und B")


def counts_as_citation(kind: str) -> bool:
    """Whether a citation of this kind makes an article-to-source edge (DESIGN.md section 3)."""
    return kind in COUNTING_KINDS


def cited_outlets(citations: Iterable[Citation]) -> list[str]:
    """The sorted ids of the outlets that the citations cite (kinds that count only)."""
    return sorted({c.outlet_id for c in citations if c.outlet_id and c.counts})


# ---- non-outlet sources -------------------------------------------------------------------------


class SourceIndex:
    """The non-outlet sources of ``sources.json`` and a matcher for their names."""

    def __init__(self, sources: Iterable[Source], version: str = "") -> None:
        """Index `sources` by the first letters of each alias; longer aliases are tried first."""
        self.version = version
        self.sources = {s.id: s for s in sources}
        # One big alternation is slow in `re`; a small pattern per alias, looked up by the
        # first letters of a token, keeps matching linear in the text.
        self._index: dict[str, list[tuple[int, re.Pattern[str], str]]] = {}
        for source in self.sources.values():
            for alias in dict.fromkeys((source.name, *source.aliases)):
                folded = len(alias) > CASE_SENSITIVE_MAX_LEN
                pattern = re.compile(rf"(?<![\w-]){_alias_pattern(alias, inflect=folded)}(?!\w)",
                                     re.IGNORECASE if folded else 0)
                key = _TOKEN_KEY.match(alias).group().lower()
                self._index.setdefault(key, []).append((len(alias), pattern, source.id))
        self._merged: dict[str, tuple[re.Pattern[str], list[str]] | None] = {}
        self._by_token = _TokenMemo(self._matcher)

    @classmethod
    def load(cls, path: str | Path | None = None) -> SourceIndex:
        """The sources from `path` (default: the packaged ``data/sources.json``)."""
        data = json.loads(Path(path or SOURCES_PATH).read_text(encoding="utf-8"))
        return cls((Source(e["id"], e["name"], e["type"], e.get("country"), tuple(e["aliases"]))
                    for e in data["sources"]), data.get("version", ""))

    def get(self, source_id: str) -> Source | None:
        """The source with this id, or None."""
        return self.sources.get(source_id)

    def _candidates(self, prefix: str) -> list[tuple[int, re.Pattern[str], str]]:
        """Aliases that may start with a token beginning with `prefix`, longest first."""
        keys = sorted({prefix[:n] for n in range(1, len(prefix) + 1)}, key=len)
        return sorted((e for key in keys for e in self._index.get(key, ())), key=lambda e: -e[0])

    def _matcher(self, prefix: str) -> tuple[re.Pattern[str], list[str]] | None:
        """The candidates for `prefix` as one pattern (an alternative and a group each, in
        order, so the first that matches wins as in a loop over them) and their source ids."""
        if prefix not in self._merged:
            entries = self._candidates(prefix)
            self._merged[prefix] = (re.compile("|".join(
                f"((?i:{p.pattern}))" if p.flags & re.IGNORECASE else f"({p.pattern})"
                for _, p, _ in entries)), [source_id for _, _, source_id in entries]) \
                if entries else None
        return self._merged[prefix]

    def find(self, text: str) -> list[_Hit]:
        """Every source name in `text`: longest at each position, non-overlapping, by start."""
        hits: list[_Hit] = []
        done = 0
        # Most tokens can start no alias: look them all up at once, visit only the others.
        parts = _TOKEN_SPLIT.split(text)
        matchers = list(map(self._by_token.__getitem__, parts[1::2]))
        ends = list(accumulate(map(len, parts)))
        for i in [i for i, matcher in enumerate(matchers) if matcher is not None]:
            pos = ends[2 * i]  # the end of the gap before token i
            if pos < done:
                continue
            matcher = matchers[i]
            m = matcher[0].match(text, pos)
            if m:
                source_id = matcher[1][m.lastindex - 1]
                source = self.sources[source_id]
                hits.append(_Hit(pos, m.end(), m.group(), None, source_id, source.type))
                done = m.end()
        return hits


class _TokenMemo(dict):
    """token -> the matcher of the aliases it may start (or None), computed on first sight; a
    dict subclass so that looking up known tokens stays in C. Cleared when full."""

    def __init__(self, matcher: Any):
        super().__init__()
        self.matcher = matcher

    def __missing__(self, token: str) -> tuple[re.Pattern[str], list[str]] | None:
        if len(self) >= TOKEN_MEMO:
            self.clear()
        value = self[token] = self.matcher(token[:3].lower())
        return value


def _alias_pattern(alias: str, inflect: bool) -> str:
    """A source alias as a regex; German case endings allowed on longer words ("Kremls")."""
    words = alias.split()
    parts = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if not inflect or len(word) < MIN_INFLECTED_WORD or not word[-1].isalpha():
            parts.append(re.escape(word))
        elif not last and (m := _ADJECTIVE_ENDING.search(word)):  # russische/russischen
            parts.append(re.escape(word[:m.start()]) + "(?:e|en|er|es|em)")
        else:
            parts.append(re.escape(word) + "(?:s|es|n|en)?")
    return r"\s+".join(parts)


@lru_cache(maxsize=1)
def default_sources() -> SourceIndex:
    """The packaged sources, loaded once per process."""
    return SourceIndex.load()


# ---- sentences ----------------------------------------------------------------------------------


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of German or English news text with offsets; every line break ends one."""
    sentences: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        begin = 0
        for m in C.SENTENCE_END.finditer(line):
            if _is_boundary(line, m.start(), m.end()):
                _add_sentence(sentences, line, start, begin, m.end())
                begin = m.end()
        _add_sentence(sentences, line, start, begin, len(line))
    return sentences


def _add_sentence(out: list[Sentence], line: str, offset: int, begin: int, end: int) -> None:
    while begin < end and line[begin].isspace():
        begin += 1
    if begin < end:
        out.append(Sentence(offset + begin, offset + end, line[begin:end]))


def _is_boundary(line: str, punct_start: int, punct_end: int) -> bool:
    """Whether the punctuation at `punct_start` ends a sentence (abbreviations, ordinals...)."""
    following = line[punct_end:].lstrip()
    if not following:
        return True
    next_word = _NEXT_WORD.match(following)
    nxt = next_word.group() if next_word else following[:1]
    if nxt[:1].islower():
        return False  # "z. B. am", "ca. zehn": a sentence never starts in lower case
    if line[punct_start] != "." or punct_end - punct_start > 1:
        return True
    token = _LAST_WORD.search(line[:punct_start])
    word = token.group(1) if token else ""
    bare = word.lstrip("(„“\"'»«")
    starter = nxt.strip("„“\"'»«(") in C.SENTENCE_STARTERS
    if bare in C.ABBREVIATIONS or len(bare) == 1 and bare.isalpha():
        return False  # "Nr. 5", "Dr. Kim", "John F. Kennedy", "z. B."
    if _DOTTED_ABBREVIATION.fullmatch(bare):
        return starter  # "U.S. Army" goes on, "in the U.S. The" ends
    if bare.isdigit() and len(bare) <= 2:
        # "am 14. Januar", "der 2. Weltkrieg"; "im Jahr 2006. Danach" has four digits
        return starter and nxt not in C.MONTHS
    return True


def _sentence_at(sentences: Sequence[Sentence], starts: Sequence[int], pos: int,
                 text: str) -> Sentence:
    """The sentence containing `pos`, or the line around it when no sentence does."""
    lo = bisect_right(starts, pos)
    if lo and sentences[lo - 1].start <= pos < sentences[lo - 1].end:
        return sentences[lo - 1]
    begin = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return Sentence(begin, end, text[begin:end])


# ---- zones detected in the text -----------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _credit_hits(content: str, offset: int, registry: Registry) -> tuple[_Hit, ...] | None:
    """Outlets named by a credit such as "dpa/AFP", "afp" or "ats-afp"; None if a part is not
    an outlet (then the parenthesis is not a credit)."""
    for splitter in (None, C.CREDIT_SPLIT, C.CREDIT_SPLIT_HYPHEN):
        parts = [content] if splitter is None else splitter.split(content)
        found = _credit_parts(parts, content, offset, registry)
        if found:
            return found
    return None


def _credit_parts(parts: list[str], content: str, offset: int, registry: Registry
                  ) -> tuple[_Hit, ...] | None:
    """The outlets of a split credit, if known outlets outnumber short unknown words."""
    found: list[_Hit] = []
    unknown = 0
    pos = 0
    for part in parts:
        at = content.find(part, pos) if part else pos
        pos = at + len(part)
        name = part.strip(" .")
        if not name:
            continue
        # "afp", "United Preß": credits are often lower-cased or in old spelling
        outlet = (registry.by_name(name) or registry.by_name(name.upper())
                  or registry.by_name(name.replace("ß", "ss")))
        if outlet is None:
            if C.INITIALS.match(name):  # an editor's initials: "dpa/jm"
                continue
            if not C.CREDIT_EXTRA.match(name):
                return None
            unknown += 1  # "(UPI, Reuter, Impar.)": the publisher's own short name
            continue
        start = offset + at + part.find(name)
        found.append(_Hit(start, start + len(name), name, outlet.id, None, "outlet"))
    return tuple(found) if len(found) > unknown else None


def _is_photo_credit(content: str, hits: tuple[_Hit, ...], registry: Registry) -> bool:
    """A credit that names a picture agency or a photographer in capitals."""
    kinds = {getattr(registry.get(h.outlet_id or ""), "kind", None) for h in hits}
    return "photo_agency" in kinds or bool(C.PHOTOGRAPHER.search(content))


def _expands_name(text: str, paren: int, hits: tuple[_Hit, ...], registry: Registry) -> bool:
    """Whether "(ORF)" spells out the name just before it: "Österreichischer Rundfunk (ORF)"."""
    before = text[max(0, paren - LEFT_WINDOW):paren].rstrip()
    names = registry.find_mentions(before)
    return bool(names) and names[-1].end == len(before) and names[-1].outlet_id in {
        h.outlet_id for h in hits}


def _line_regions(text: str, registry: Registry) -> list[_Region]:
    """Zones made of whole lines: related-link lists, source boxes, credit and byline lines."""
    regions: list[_Region] = []
    lines = _lines(text)
    filled = [n for n, (_, _, line) in enumerate(lines) if line.strip()]
    edges = set(filled[:BYLINE_HEAD_LINES] + filled[-BYLINE_TAIL_LINES:])
    i = 0
    while i < len(lines):
        start, end, line = lines[i]
        i += 1
        if not line.strip():
            continue
        related = C.RELATED_HEADING.match(line)
        if related and len(line) <= C.MAX_RELATED_LINE:
            cue = line.strip().split(":")[0].strip()
            if not (related.group("rest") or "").strip():
                i, end = _related_block(lines, i, end)
            regions.append(_Region(start, end, "related_links", "related_links",
                                   "zone.related_links", cue, C.CONF_RELATED))
            continue
        if C.SOURCE_HEADING.match(line):
            j, box_end = i, end
            while (j < len(lines) and j - i < C.MAX_SOURCE_BOX_LINES and lines[j][2].strip()
                   and len(lines[j][2]) <= C.MAX_SOURCE_BOX_LINE
                   and not C.RELATED_HEADING.match(lines[j][2])):
                box_end = lines[j][1]
                j += 1
            if j > i:
                regions.append(_Region(start, box_end, "source_box", "source_box", "box.heading",
                                       line.strip(), C.CONF_SOURCE_BOX))
            i = j
            continue
        regions.extend(_single_line_regions(start, end, line, registry, i - 1 in edges))
    return regions


def _related_block(lines: list[tuple[int, int, str]], i: int, end: int) -> tuple[int, int]:
    """Extend a related-links heading over the list that follows it."""
    items = 0
    while i < len(lines):
        _, line_end, line = lines[i]
        if not line.strip():
            if items:
                break
            i += 1  # one blank line may separate the heading from its list
            continue
        if C.LIST_ITEM.match(line) or (len(line) <= C.MAX_RELATED_LINE
                                       and not C.TERMINAL_PUNCT.search(line)):
            end, items, i = line_end, items + 1, i + 1
            continue
        break
    return i, end


def _single_line_regions(start: int, end: int, line: str, registry: Registry,
                         edge: bool) -> list[_Region]:
    """A one-line zone: "Quelle: dpa", "Foto: ...", "© ...", "dpa/AFP", "caption/Getty"."""
    m = C.SOURCE_LINE.match(line)
    if m:
        return [_Region(start + m.start("rest"), end, "source_box", "source_box", "box.quelle",
                        line[:m.start("rest")].strip(" :"), C.CONF_SOURCE_BOX)]
    m = C.IMAGE_CREDIT_LINE.match(line)
    if m:
        return [_Region(start, end, "image_credit", "image_credit", "image.line",
                        line[:m.start("rest")].strip(" :"), C.CONF_IMAGE, outlets_only=True)]
    m = C.COPYRIGHT_LINE.match(line)
    if m:
        if C.WIRE_COPYRIGHT.search(line):
            return [_Region(start, end, "wire_credit", "footer", "wire.copyright", "©",
                            C.CONF_WIRE_LINE, outlets_only=True)]
        return [_Region(start, end, "image_credit", "image_credit", "image.copyright", "©",
                        C.CONF_IMAGE, outlets_only=True)]
    if len(line) <= C.MAX_BYLINE_LINE:
        m = C.BYLINE_LINE.match(line)
        hits = _credit_hits(m.group("credit"), start + m.start("credit"), registry) if m else None
        if hits and edge:
            return [_Region(start, end, "wire_credit", "byline", "wire.byline", line.strip(),
                            C.CONF_WIRE_LINE, outlets_only=True, hits=hits)]
        if hits:  # an agency alone on a line mid-article credits the photo above it
            return [_Region(start, end, "image_credit", "image_credit", "image.credit_line",
                            line.strip(), C.CONF_CREDIT_GUESS, outlets_only=True, hits=hits)]
    if not C.TERMINAL_PUNCT.search(line):
        m = C.SLASH_CREDIT_TAIL.search(line)
        if m and (C.CREDIT_WORDS.search(m.group("tail"))
                  or registry.find_mentions(m.group("tail"))):
            return [_Region(start + m.start("tail"), end, "image_credit", "image_credit",
                            "image.caption_tail", "/", C.CONF_IMAGE, outlets_only=True)]
    return []


def _span_regions(text: str, registry: Registry) -> list[_Region]:
    """Zones inside lines: datelines, trailing "(dpa)", inline photo credits, wire footers."""
    regions: list[_Region] = []
    for pattern, rule, zone, conf in ((C.DATELINE, "wire.paren_dateline", "dateline",
                                       C.CONF_WIRE_DATELINE),
                                      (C.DATELINE_INLINE, "wire.paren_dateline", "dateline",
                                       C.CONF_WIRE_LINE),
                                      (C.DASH_CREDIT, "wire.dash_dateline", "dateline",
                                       C.CONF_WIRE_LINE),
                                      (C.TRAILING_CREDIT, "wire.paren_trailing", "footer",
                                       C.CONF_WIRE_LINE)):
        for m in _scan(pattern, text):
            hits = _credit_hits(m.group("credit"), m.start("credit"), registry)
            if not hits or _expands_name(text, m.start("credit") - 1, hits, registry):
                continue
            span = (m.start("credit") - 1, m.end("credit") + 1)
            if _is_photo_credit(m.group("credit"), hits, registry):
                # "(FABRICE COFFRINI/AFP/Getty Images)": the photographer and picture agencies
                regions.append(_Region(*span, "image_credit", "image_credit", "image.paren",
                                       f"({m.group('credit')})", C.CONF_IMAGE, outlets_only=True,
                                       hits=hits))
            else:
                regions.append(_Region(*span, "wire_credit", zone, rule, f"({m.group('credit')})",
                                       conf, outlets_only=True, hits=hits))
    for m in _scan(C.INLINE_IMAGE_CREDIT, text):
        regions.append(_Region(m.start(), m.end(), "image_credit", "image_credit", "image.inline",
                               m.group().split(":")[0].strip("( "), C.CONF_IMAGE,
                               outlets_only=True))
    for pattern, rule in ((C.WIRE_MATERIAL, "wire.material"),
                          (C.WIRE_CONTRIBUTED, "wire.contributed")):
        for m in _scan(pattern, text):
            # "X contributed to this report": the credited names stand before the cue
            start = m.start()
            if rule == "wire.contributed":
                start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
            regions.append(_Region(start, m.end(), "wire_credit", "footer", rule,
                                   m.group().strip()[:40], C.CONF_WIRE_LINE, outlets_only=True))
    if registry.get(C.SIGNOFF_OUTLET) is not None:
        for m in _scan(C.SIGNOFF, text):
            # Reuters signs its copy "Reporting by ...; Editing by ..." without naming itself.
            outlet = registry.get(C.SIGNOFF_OUTLET)
            hit = _Hit(m.start(), m.end(), outlet.name, outlet.id, None, "outlet")
            regions.append(_Region(m.start(), m.end(), "wire_credit", "footer", "wire.signoff",
                                   "Editing by", C.CONF_WIRE_SIGNOFF, outlets_only=True,
                                   hits=(hit,)))
    return regions


# ---- scanning for the span patterns --------------------------------------------------------------
# Each span pattern begins with lookbehinds or optional spaces, which keeps `re` from skipping
# ahead to a likely start: `finditer` tries every position of the text. Every match of these
# patterns starts at a place found much faster (before a parenthesis, at a word), so `_scan`
# tries only those places, with the same result.


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only the positions where a match can start."""
    starts = _STARTS[pattern](text)
    end = 0
    for pos in starts:
        if pos < end:
            continue  # inside the previous match, where finditer does not look either
        m = pattern.match(text, pos)
        if m:
            yield m  # the patterns cannot match the empty string
            end = m.end()


def _occurrences(text: str, needles: Iterable[str]) -> list[int]:
    """Sorted positions of every occurrence of each needle."""
    found = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    return sorted(set(found))


def _spaced(text: str, chars: str) -> list[int]:
    """Where `\\s*[chars]` can start: each of the characters and the spaces right before it."""
    starts: list[int] = []
    for at in _occurrences(text, chars):
        first = at
        while first > 0 and text[first - 1].isspace():
            first -= 1
        starts.extend(range(max(first, starts[-1] + 1 if starts else 0), at + 1))
    return starts


def _line_starts(text: str) -> list[int]:
    return [0] + [at + 1 for at in _occurrences(text, "\n")]


# pattern -> the positions where its matches can start (a superset, sorted), from its shape.
_STARTS: dict[re.Pattern[str], Any] = {
    C.DATELINE: lambda t: _line_starts(t) if "(" in t else [],
    C.DATELINE_INLINE: lambda t: _spaced(t, "("),
    C.DASH_CREDIT: lambda t: _spaced(t, "—–"),
    C.TRAILING_CREDIT: lambda t: _spaced(t, "("),
    C.INLINE_IMAGE_CREDIT: lambda t: _occurrences(t, ("(", "Foto", "Photo", "Bild", "Image",
                                                      "Credit")),
    C.WIRE_MATERIAL: lambda t: sorted(set(_occurrences(t, ("Mit", "mit")) + _line_starts(t))),
    C.WIRE_CONTRIBUTED: lambda t: _occurrences(t, ("contribut", "With", "with")),
    C.SIGNOFF: lambda t: _occurrences(t, ("(", "Additional", "Reporting", "reporting"))
    if "diting" in t else [],
}


def _given_regions(zones: Iterable[Any], text: str) -> tuple[list[_Region], list[tuple[str, str]]]:
    """Zones passed in: those located in `text` become regions, the rest are returned apart."""
    regions: list[_Region] = []
    detached: list[tuple[str, str]] = []
    for zone in zones:
        kind, ztext, start, end = _zone_fields(zone)
        if not ztext:
            continue
        if start is None or end is None or text[start:end] != ztext:
            start = text.find(ztext)
            end = start + len(ztext)
        if start < 0:
            detached.append((kind, ztext))
            continue
        mapped = ZONE_CITATION_KIND.get(kind)
        regions.append(_Region(start, end, mapped, kind, f"zone.{kind}", kind,
                               C.CONF_WIRE_LINE if mapped else C.CONF_MENTION,
                               outlets_only=mapped in ("image_credit", "wire_credit")))
    return regions, detached


def _zone_fields(zone: Any) -> tuple[str, str, int | None, int | None]:
    """(kind, text, start, end) of a zone given as a mapping, an object or a (kind, text) pair."""
    if isinstance(zone, Mapping):
        return str(zone.get("kind")), zone.get("text") or "", zone.get("start"), zone.get("end")
    if isinstance(zone, tuple | list):
        return str(zone[0]), zone[1] or "", None, None
    return (str(zone.kind), zone.text or "", getattr(zone, "start", None),
            getattr(zone, "end", None))


# ---- the grammar --------------------------------------------------------------------------------


def _cues_for(language: str | None) -> tuple[tuple[C.Cue, ...], tuple[C.Cue, ...]]:
    """The strong and weak left cues for a language; both grammars for other languages."""
    m = _LANGUAGE.match((language or "").lower())
    lang = m.group() if m else ""
    if lang not in ("de", "en"):
        return C.LEFT_CUES, C.WEAK_LEFT_CUES
    return (tuple(c for c in C.LEFT_CUES if lang in c.languages),
            tuple(c for c in C.WEAK_LEFT_CUES if lang in c.languages))


def _match_left(cues: Sequence[C.Cue], left: str, right: str, sentence: str
                ) -> tuple[C.Cue, str] | None:
    """The first left cue that matches, with its cue words."""
    for cue in cues:
        m = cue.pattern.search(left)
        if m is None:
            continue
        if cue.right is not None and not cue.right.search(right):
            continue
        if cue.sentence is not None and not cue.sentence.search(sentence):
            continue
        return cue, m.group("cue")
    return None


def _classify(draft: _Draft, cue_sets: tuple[tuple[C.Cue, ...], tuple[C.Cue, ...]]) -> None:
    """Set the kind, rule, cue and confidence of a body name from its sentence."""
    sent, hit = draft.sentence, draft.hit
    left = sent.text[max(0, hit.start - sent.start - LEFT_WINDOW):hit.start - sent.start]
    right = sent.text[hit.end - sent.start:]
    right = _CLOSING_QUOTE.sub("", _INFLECTION_TAIL.sub("", right, count=1), count=1)
    strong, weak = cue_sets
    found = _match_left(strong, left, right, sent.text)
    if found is None:
        if _match_right(draft, C.RIGHT_CUES, left, right):
            return
        found = _match_left(weak, left, right, sent.text)
    if found is None:
        _match_right(draft, C.LATE_RIGHT_CUES, left, right)
        return
    cue, word = found
    draft.kind, draft.rule, draft.cue, draft.confidence, draft.role = (
        cue.kind, cue.rule, " ".join(word.split()), cue.confidence, cue.role)
    if cue.rule in ("de.verb_subject", "de.aux_subject") and (C.DATIVE_LEFT.search(left) or (
            C.DATIVE_BEFORE_FEMININE.search(left) and C.FEMININE_NAME.search(hit.name))):
        # "sagte der „Berliner Zeitung“": the outlet was spoken to, as with "gegenüber"
        draft.kind, draft.rule, draft.confidence = C.CLAIM, "de.verb_dative", C.CONF_INTERVIEW


def _match_right(draft: _Draft, cues: Sequence[C.RightCue], left: str, right: str) -> bool:
    """Apply the first right cue whose conditions hold; whether one did."""
    for cue in cues:
        if cue.outlets_only and draft.hit.outlet_id is None:
            continue
        if not all(p.search(left) for p in cue.left):
            continue
        m = cue.pattern.match(right)
        if m is None:
            continue
        word = " ".join(m.group("cue").split())
        lang = "en" if C.EN_VERB_ONLY.match(word) else "de"
        draft.kind, draft.rule, draft.cue, draft.confidence, draft.role = (
            cue.kind, cue.rule.replace("{lang}", lang), word, cue.confidence, cue.role)
        draft.from_right = True
        return True
    return False


def _coordinate(drafts: list[_Draft], text: str) -> None:
    """Carry a cue across coordinated names: "laut KCNA und Yonhap", "KCNA und Yonhap meldeten"."""
    body = [d for d in drafts if d.zone == BODY and d.rule != "self.publisher"]
    for prev, cur in zip(body, body[1:], strict=False):
        if (cur.kind == "mention" and prev.kind != "mention" and prev.sentence == cur.sentence
                and C.COORDINATION.match(text[prev.hit.end:cur.hit.start])):
            _copy_cue(prev, cur)
    for cur, nxt in zip(reversed(body[:-1]), reversed(body[1:]), strict=False):
        if (cur.kind == "mention" and nxt.kind != "mention" and nxt.from_right
                and nxt.sentence == cur.sentence
                and C.COORDINATION.match(text[cur.hit.end:nxt.hit.start])):
            _copy_cue(nxt, cur)


def _copy_cue(src: _Draft, dst: _Draft) -> None:
    dst.kind, dst.rule, dst.cue, dst.confidence, dst.role = (src.kind, src.rule, src.cue,
                                                              src.confidence, src.role)
    dst.from_right = src.from_right


def _resolve_relays(drafts: list[_Draft]) -> None:
    """Link relayed names to the outlet that relays them; the innermost is the original."""
    body = [d for d in drafts if d.zone == BODY and d.rule != "self.publisher"]
    for draft in body:
        if draft.role not in (C.ROLE_RELAY_OBJECT, C.ROLE_RELAYER):
            continue
        same = [d for d in body if d.sentence == draft.sentence and d is not draft]
        before = [d for d in same if d.hit.end <= draft.hit.start and d.hit.outlet_id]
        if draft.role == C.ROLE_RELAY_OBJECT:
            relayer = before[-1] if before else next(
                (d for d in same if d.hit.start > draft.hit.end and d.hit.outlet_id
                 and d.role == C.ROLE_SPEECH), None)
            if relayer is None or relayer.hit.outlet_id == draft.hit.outlet_id:
                continue
            draft.relayed_by = relayer.hit.outlet_id
            if draft.hit.outlet_id:
                draft.kind, relayer.kind, relayer.relays = "relay", "relay", True
        elif draft.role == C.ROLE_RELAYER and draft.hit.outlet_id and before:
            original = before[-1]
            if original.hit.outlet_id != draft.hit.outlet_id:
                original.relayed_by, original.kind = draft.hit.outlet_id, "relay"
                draft.kind, draft.relays = "relay", True


# ---- putting it together ------------------------------------------------------------------------


def _resolve_short_names(text: str, hits: list[_Hit], registry: Registry,
                         publisher_id: str | None) -> list[_Hit]:
    """Common-word names ("the Times", "Guardian") refer to an outlet whose full name ends in
    them when the text names one ("The New York Times ... the Times") or the publisher has one;
    glued to a capitalised word they are part of a name the registry lacks ("Military Times")."""
    last_word: dict[str, str] = {}
    for outlet in [registry.get(publisher_id)] if publisher_id else []:
        for name in (outlet.name, *outlet.aliases) if outlet else ():
            last_word.setdefault(name.split()[-1].lower(), outlet.id)
    for hit in hits:
        if hit.outlet_id and not hit.guarded and " " in hit.name:
            last_word[hit.name.split()[-1].lower()] = hit.outlet_id
    out = []
    for hit in hits:
        if hit.guarded:
            word = hit.name.split()[-1].lower()
            if word in last_word:
                hit = _Hit(hit.start, hit.end, hit.name, last_word[word], None, "outlet")
            elif (m := _GLUED_NAME.search(text, max(0, hit.start - LEFT_WINDOW), hit.start)) \
                    and m.group(1) not in C.SENTENCE_STARTERS \
                    and not C.DESCRIPTOR_NOUN.fullmatch(m.group(1)):
                continue
            elif hit.name.startswith("The ") and _GLUED_AFTER.match(text, hit.end):
                continue  # "The National Rifle Association", "The Times Square crowd"
        out.append(hit)
    return out


def _names(text: str, registry: Registry, sources: SourceIndex,
           publisher_id: str | None = None) -> list[_Hit]:
    """Outlet and source names, longest first where they overlap, sorted by start."""
    hits = []
    for h in registry.find_mentions(text, include_ambiguous=True):
        outlet = registry.get(h.outlet_id)
        guarded = outlet is not None and h.alias in outlet.ambiguous
        hits.append(_Hit(h.start, h.end, text[h.start:h.end], h.outlet_id, None, "outlet",
                         guarded))
    hits += sources.find(text)
    hits = _resolve_short_names(text, hits, registry, publisher_id)
    kept: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start, h.outlet_id is None)):
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            kept.append(hit)
            taken.append((hit.start, hit.end))
    return sorted(kept, key=lambda h: h.start)


def _region_of(regions: Sequence[_Region], hit: _Hit) -> _Region | None:
    for region in regions:
        if region.start <= hit.start and hit.end <= region.end:
            return region
    return None


def _drafts(text: str, language: str | None, registry: Registry, sources: SourceIndex,
            regions: list[_Region], publisher_id: str | None) -> list[_Draft]:
    """Citations of one text before relays are resolved."""
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    hits = _names(text, registry, sources, publisher_id)
    for region in regions:
        for extra in region.hits:
            if all(extra.end <= h.start or extra.start >= h.end for h in hits):
                hits.append(extra)
    hits.sort(key=lambda h: h.start)
    cue_sets = _cues_for(language)
    # The publisher, the network it belongs to and its own brands: naming them is no citation.
    own = registry.family(publisher_id) or frozenset({publisher_id} if publisher_id else ())
    drafts: list[_Draft] = []
    for hit in hits:
        if hit.guarded and C.IMAGE_LABEL.fullmatch(hit.name) and C.LABEL_COLON.match(
                text, hit.end):
            continue  # "Bild: KCNA via AFP": the label of a credit, not the newspaper
        sentence = _sentence_at(sentences, starts, hit.start, text)
        region = _region_of(regions, hit)
        draft = _Draft(hit, sentence, "mention", "mention", None, C.CONF_MENTION)
        if region is not None and region.kind is not None:
            if region.outlets_only and hit.outlet_id is None:
                continue
            draft.kind, draft.zone, draft.rule, draft.cue, draft.confidence = (
                region.kind, region.zone, region.rule, region.cue, region.confidence)
        else:
            if region is not None:
                draft.zone = region.zone
            _classify(draft, cue_sets)
        if hit.outlet_id and hit.outlet_id in own:
            draft.kind, draft.rule, draft.cue, draft.confidence = ("mention", "self.publisher",
                                                                   None, CONF_SELF)
            draft.role = C.ROLE_SOURCE
        drafts.append(draft)
    _coordinate(drafts, text)
    for draft in drafts:
        if draft.role == C.ROLE_SPEECH and draft.kind == C.CLAIM and _quotes_other(draft):
            draft.kind = C.QUOTE
    _resolve_relays(drafts)
    return [d for d in drafts if _keep(d)]


def _keep(draft: _Draft) -> bool:
    """A source without a cue is no evidence; an outlet without one is a mention, unless its
    name is also a common word ("Die Welt", "Das Erste"). Related links list both."""
    if draft.hit.guarded:
        return draft.kind not in _NEEDS_CUE
    return draft.kind != "mention" or draft.hit.outlet_id is not None


def _quotes_other(draft: _Draft) -> bool:
    """Whether the sentence quotes someone's words: a quotation that is not the name itself."""
    at = draft.hit.start - draft.sentence.start, draft.hit.end - draft.sentence.start
    return any(m.end() <= at[0] or m.start() >= at[1]
               for m in C.QUOTATION.finditer(draft.sentence.text))


def _freeze(draft: _Draft, zone: str | None = None) -> Citation:
    hit = draft.hit
    return Citation(outlet_id=hit.outlet_id, source_name=hit.name, source_type=hit.source_type,
                    kind=draft.kind, cue=draft.cue, start=hit.start, end=hit.end,
                    sentence=draft.sentence.text, sentence_start=draft.sentence.start,
                    zone=zone or draft.zone, rule=draft.rule, confidence=draft.confidence,
                    relayed_by=draft.relayed_by,
                    original=bool(draft.relayed_by) and not draft.relays,
                    source_id=hit.source_id)


def extract_citations(text: str, language: str | None, registry: Registry,
                      zones: Iterable[Any] = (), publisher_id: str | None = None, *,
                      sources: SourceIndex | None = None) -> list[Citation]:
    """Every outlet and source an article names, with its citation kind and evidence.

    Args:
        text: the article text (NFC, ``\\n`` line ends); offsets refer to it.
        language: "de", "en" or another code; other languages get both cue grammars.
        registry: the outlet registry (``outlets.Registry``).
        zones: zones from extraction, as dicts/objects with ``kind`` and ``text`` (and ``start``/
            ``end`` when the zone is part of `text`) or ``(kind, text)`` pairs. A zone not found
            in `text` is read on its own; its citations carry offsets into the zone's text.
        publisher_id: the registry id of the publishing outlet; its own name is a mention.
        sources: the non-outlet sources (default: the packaged ``data/sources.json``).

    Returns:
        The citations of `text` by offset, then those of detached zones in the order given.
        Every outlet name yields one citation (a bare one is a ``mention``); a non-outlet source
        only with a cue. Kinds that count for the graph are those of `counts_as_citation`.
    """
    sources = sources or default_sources()
    given, detached = _given_regions(zones, text)
    regions = given + _line_regions(text, registry) + _span_regions(text, registry)
    out = [_freeze(d) for d in _drafts(text, language, registry, sources, regions, publisher_id)]
    # A credit seen through two views (a caption zone and an image-credit zone, or a zone and
    # the body text) is one citation: a detached zone adds only what is not already recorded
    # for the same name, kind and sentence.
    seen = {_place(c) for c in out}
    for kind, ztext in detached:
        mapped = ZONE_CITATION_KIND.get(kind)
        zone_regions = _line_regions(ztext, registry) + _span_regions(ztext, registry)
        if mapped:
            zone_regions.append(_Region(0, len(ztext), mapped, kind, f"zone.{kind}", kind,
                                        C.CONF_WIRE_LINE,
                                        outlets_only=mapped in ("image_credit", "wire_credit")))
        drafts = _drafts(ztext, language, registry, sources, zone_regions, publisher_id)
        found = [_freeze(d, d.zone if d.zone != BODY else kind) for d in drafts]
        out += [c for c in found if _place(c) not in seen]
        seen.update(_place(c) for c in found)
    return out


def _place(citation: Citation) -> tuple[str | None, str | None, str, str, str]:
    """What makes two citations the same: source, kind and the sentence they stand in."""
    return (citation.outlet_id, citation.source_id, citation.kind, citation.source_name,
            " ".join(citation.sentence.split()))


__all__ = ["COUNTING_KINDS", "KINDS", "Citation", "Sentence", "Source", "SourceIndex",
           "cited_outlets", "counts_as_citation", "default_sources", "extract_citations",
           "split_sentences"]
